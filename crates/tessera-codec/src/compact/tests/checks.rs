// Unit tests: this module is declared under #[cfg(test)] only.
//! The claims rules added after the built-in ones (maximum age, other required members, the
//! caller's checks) run on every entry point that returns claims, the header cache's fast path
//! included.

use super::*;
use std::error::Error as _;
use std::sync::atomic::{AtomicUsize, Ordering};

impl BatchVerifier for Toy {
    fn verify_batch(&self, inputs: &[&[u8]], signatures: &[&[u8]]) -> Result<(), SignatureError> {
        for (input, sig) in inputs.iter().zip(signatures) {
            self.verify(input, sig)?;
        }
        Ok(())
    }
}

#[derive(Debug, PartialEq, Eq)]
struct NotAlice;

impl std::fmt::Display for NotAlice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("sub is not alice")
    }
}

impl std::error::Error for NotAlice {}

/// Every entry point that validates claims, as one function per way in; `Ok` when accepted.
fn entry_points(t: &str, v: &Validation) -> Vec<(&'static str, Result<(), Error>)> {
    #[derive(serde::Deserialize)]
    #[allow(dead_code, reason = "read by serde only")]
    struct Borrowed<'a> {
        sub: &'a str,
    }
    let mut set = VerifierSet::new();
    set.insert(Box::new(HS256)).unwrap();
    let mut buf = Vec::new();
    vec![
        ("verify", verify(t, &HS256, v).map(|_| ())),
        // Twice: the second finds the header in the cache.
        ("verify (header cached)", verify(t, &HS256, v).map(|_| ())),
        (
            "verify_into (one pass)",
            verify_into::<Borrowed<'_>>(t, &HS256, v, &mut buf).map(|_| ()),
        ),
        (
            // A type that does not read the members one by one: the two-pass fallback.
            "verify_into (two passes)",
            verify_into::<serde::de::IgnoredAny>(t, &HS256, v, &mut buf).map(|_| ()),
        ),
        (
            "decode",
            decode::<serde_json::Value>(t, &HS256, v).map(|_| ()),
        ),
        ("VerifierSet::verify", set.verify(t, v).map(|_| ())),
        (
            "verify_batch",
            verify_batch(&[t], &HS256, v).pop().unwrap().map(|_| ()),
        ),
    ]
}

fn assert_all(t: &str, v: &Validation, expected: &Result<(), Error>) {
    for (name, outcome) in entry_points(t, v) {
        assert_eq!(&outcome, expected, "{name}");
    }
}

#[test]
fn the_caller_check_runs_on_every_entry_point() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&calls);
    let v = rules().check(move |claims, payload| {
        seen.fetch_add(1, Ordering::Relaxed);
        assert!(payload.starts_with(b"{\"sub\""));
        match claims.sub.as_deref() {
            Some("alice") => Ok(()),
            _ => Err(Box::new(NotAlice)),
        }
    });
    let alice = token(HEADER, br#"{"sub":"alice","exp":1700000100}"#);
    assert_all(&alice, &v, &Ok(()));
    assert_eq!(calls.load(Ordering::Relaxed), 7);
    let h64 = alice.split('.').next().unwrap();
    assert!(cached(&HeaderInput::new(h64, Algorithm::HS256, &v)));

    let bob = token(HEADER, br#"{"sub":"bob","exp":1700000100}"#);
    let refused = Err(Error::Validation(ValidationError::Check(
        ClaimCheckError::new(NotAlice),
    )));
    assert_all(&bob, &v, &refused);
    // The caller's own error is the source, both of the validation error and of the error.
    let e = verify(&bob, &HS256, &v).unwrap_err();
    assert_eq!(
        e.source().and_then(|s| s.downcast_ref::<NotAlice>()),
        Some(&NotAlice)
    );
    let Error::Validation(ValidationError::Check(check)) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(check.get_ref().downcast_ref::<NotAlice>(), Some(&NotAlice));
    assert_eq!(
        e.to_string(),
        "claims refused by a caller's check: sub is not alice"
    );
}

#[test]
fn built_in_rules_run_before_the_caller_check() {
    // The check would refuse everything; an expired token is refused as expired all the same.
    let v = rules().check(|_, _| Err("never".into()));
    let expired = token(HEADER, br#"{"sub":"alice","exp":1}"#);
    assert_all(
        &expired,
        &v,
        &Err(Error::Validation(ValidationError::Expired {
            exp: 1,
            now: NOW,
        })),
    );
}

#[test]
fn max_age_and_other_required_members_on_every_entry_point() {
    let v = rules()
        .max_age(std::time::Duration::from_secs(60))
        .require("client_id");
    let old = token(
        HEADER,
        br#"{"sub":"alice","exp":1700000100,"iat":1699999939,"client_id":"c"}"#,
    );
    assert_all(
        &old,
        &v,
        &Err(Error::Validation(ValidationError::TooOld {
            iat: 1_699_999_939,
            now: NOW,
            max_age: 60,
        })),
    );
    let no_client = token(
        HEADER,
        br#"{"sub":"alice","exp":1700000100,"iat":1699999940}"#,
    );
    assert_all(
        &no_client,
        &v,
        &Err(Error::Validation(ValidationError::MissingOtherClaim(
            "client_id".into(),
        ))),
    );
    let good = token(
        HEADER,
        br#"{"sub":"alice","exp":1700000100,"iat":1699999940,"client_id":"c"}"#,
    );
    assert_all(&good, &v, &Ok(()));
}
