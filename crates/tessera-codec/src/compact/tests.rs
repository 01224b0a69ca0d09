// Unit tests: this module is declared under #[cfg(test)] only.
//! Unit tests of the verify path that need its private parts: the header cache and its key,
//! `VerifiedJws`, the rules of `VerifierSet::insert`.

mod checks;

use super::header_check::{CACHED_HEADER_MAX, HeaderInput, cached};
use super::*;
use crate::backend::Signer;
use crate::error::{ClaimCheckError, SignError, ValidationError};
use crate::validation::Clock;
use std::sync::{Arc, mpsc};

/// A stand-in MAC for tests (the codec has no cryptography): 32 bytes mixed from the input.
fn toy_mac(input: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut x: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, &b) in input.iter().enumerate() {
        x = (x ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        out[i % 32] ^= (x >> 24) as u8;
    }
    out
}

#[derive(Debug, Clone, Copy)]
struct Toy {
    alg: Algorithm,
    kid: Option<&'static str>,
}

const HS256: Toy = Toy {
    alg: Algorithm::HS256,
    kid: Some("k1"),
};

impl Verifier for Toy {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }
    fn key_id(&self) -> Option<&str> {
        self.kid
    }
    fn signature_len(&self) -> usize {
        32
    }
    fn verify(&self, input: &[u8], sig: &[u8]) -> Result<(), SignatureError> {
        if sig == toy_mac(input) {
            Ok(())
        } else {
            Err(SignatureError::Invalid)
        }
    }
}

impl Signer for Toy {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }
    fn key_id(&self) -> Option<&str> {
        self.kid
    }
    fn sign(&self, input: &[u8], out: &mut Vec<u8>) -> Result<(), SignError> {
        out.extend_from_slice(&toy_mac(input));
        Ok(())
    }
}

const NOW: i64 = 1_700_000_000;

fn rules() -> Validation {
    Validation::new().clock(Clock::Fixed(NOW))
}

/// A token with exactly this header and payload, signed with the toy MAC.
fn token(header: &str, payload: &[u8]) -> String {
    let mut t = b64::encode(header.as_bytes());
    t.push('.');
    b64::encode_to(payload, &mut t);
    let sig = toy_mac(t.as_bytes());
    t.push('.');
    b64::encode_to(&sig, &mut t);
    t
}

const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

#[test]
fn verify_jws_returns_a_verified_jws_whatever_the_payload() {
    // Duplicate members and an expired `exp`: `verify` refuses it, `verify_jws` only checks the
    // signature and header, and what it returns offers no claims.
    let payload = br#"{"exp":1,"sub":"a","sub":"b"}"#;
    let t = token(HEADER, payload);
    assert_eq!(
        verify(&t, &HS256, &rules()).err(),
        Some(Error::Decode(DecodeError::Json {
            segment: Segment::Payload,
            error: JsonError::DuplicateMember("sub".into())
        }))
    );
    let jws: VerifiedJws<'_> = verify_jws(&t, &HS256, &rules()).unwrap();
    assert_eq!(jws.payload(), payload);
    assert_eq!(jws.algorithm(), Algorithm::HS256);
    assert_eq!(jws.header().unwrap().typ.as_deref(), Some("JWT"));
    assert_eq!(jws.into_payload(), payload.to_vec());

    let expired = token(HEADER, br#"{"exp":1}"#);
    assert_eq!(
        verify(&expired, &HS256, &rules()).err(),
        Some(Error::Validation(ValidationError::Expired {
            exp: 1,
            now: NOW
        }))
    );
    assert!(verify_jws(&expired, &HS256, &rules()).is_ok());

    let not_json = token(HEADER, b"\x00\xffbinary");
    assert_eq!(
        verify_jws(&not_json, &HS256, &rules()).unwrap().payload(),
        b"\x00\xffbinary"
    );
    // The header and the signature are still checked.
    let mut forged = not_json.clone();
    forged.replace_range(forged.len() - 2.., "AA");
    assert_eq!(
        verify_jws(&forged, &HS256, &rules()).err(),
        Some(Error::Signature(SignatureError::Invalid))
    );
}

#[test]
fn header_input_is_the_cache_key() {
    let v = rules().typ("JWT");
    let t = token(HEADER, br#"{"exp":1700000100}"#);
    let h64 = t.split('.').next().unwrap();
    let input = HeaderInput::new(h64, Algorithm::HS256, &v);
    assert!(verify(&t, &HS256, &v).is_ok());
    assert!(cached(&input));
    // The same rules built again, or a clone, make an equal key.
    let again = rules().typ("JWT");
    assert!(cached(&HeaderInput::new(h64, Algorithm::HS256, &again)));
    let clone = v.clone();
    assert!(cached(&HeaderInput::new(h64, Algorithm::HS256, &clone)));
    // Any difference in bytes, algorithm or a rule makes another key.
    for other in [
        rules(),
        rules().typ("at+jwt"),
        rules().typ("JWT").understand_crit("x"),
        rules().typ("JWT").max_depth(3),
    ] {
        assert!(!cached(&HeaderInput::new(h64, Algorithm::HS256, &other)));
    }
    assert!(!cached(&HeaderInput::new(h64, Algorithm::HS384, &v)));
    assert!(!cached(&HeaderInput::new(
        &h64[..h64.len() - 1],
        Algorithm::HS256,
        &v
    )));
}

#[test]
fn long_headers_are_checked_every_time() {
    let pad = "x".repeat(CACHED_HEADER_MAX);
    let header = format!(r#"{{"alg":"HS256","pad":"{pad}"}}"#);
    let t = token(&header, br#"{"exp":1700000100}"#);
    let h64 = t.split('.').next().unwrap();
    assert!(h64.len() > CACHED_HEADER_MAX);
    assert!(verify(&t, &HS256, &rules()).is_ok());
    assert!(!cached(&HeaderInput::new(h64, Algorithm::HS256, &rules())));
    // Still refused when the rules change.
    assert_eq!(
        verify(&t, &HS256, &rules().typ("JWT")).err(),
        Some(Error::Decode(DecodeError::TypeMismatch {
            expected: "JWT".into(),
            found: None
        }))
    );
}

/// Verifies one token when dropped, reporting the outcome on a channel.
struct VerifyOnDrop(Option<mpsc::Sender<Result<(), Error>>>);

impl Drop for VerifyOnDrop {
    fn drop(&mut self) {
        let t = token(HEADER, br#"{"exp":1700000100}"#);
        let outcome = verify(&t, &HS256, &rules()).map(|_| ());
        if let Some(tx) = self.0.take() {
            let _ = tx.send(outcome);
        }
    }
}

thread_local! {
    static BEFORE: std::cell::RefCell<VerifyOnDrop> = const { std::cell::RefCell::new(VerifyOnDrop(None)) };
    static AFTER: std::cell::RefCell<VerifyOnDrop> = const { std::cell::RefCell::new(VerifyOnDrop(None)) };
}

#[test]
fn verify_works_while_the_thread_is_torn_down() {
    // Thread-locals are destroyed in some order at thread exit; one registered before the header
    // cache and one after it verify from their destructors, so one of them runs when the cache
    // is already gone, whatever the order.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        BEFORE.with(|b| b.borrow_mut().0 = Some(tx.clone()));
        let t = token(HEADER, br#"{"exp":1700000100}"#);
        assert!(verify(&t, &HS256, &rules()).is_ok());
        AFTER.with(|a| a.borrow_mut().0 = Some(tx));
    })
    .join()
    .unwrap();
    let outcomes: Vec<_> = rx.iter().collect();
    assert_eq!(outcomes, vec![Ok(()), Ok(())]);
}

#[test]
fn a_key_without_kid_is_refused_beside_others() {
    let no_kid = Toy {
        alg: Algorithm::HS256,
        kid: None,
    };
    let with_kid = |kid| Toy {
        alg: Algorithm::HS256,
        kid: Some(kid),
    };
    // Without kid first.
    let mut set = VerifierSet::new();
    assert_eq!(set.insert(Box::new(no_kid)), Ok(()));
    assert_eq!(
        set.insert(Box::new(with_kid("a"))),
        Err(VerifierSetError::KeyIdRequired)
    );
    assert_eq!(set.len(), 1);
    // Without kid second.
    let mut set = VerifierSet::new();
    assert_eq!(set.insert(Box::new(with_kid("a"))), Ok(()));
    assert_eq!(
        set.insert(Box::new(no_kid)),
        Err(VerifierSetError::KeyIdRequired)
    );
    assert_eq!(set.len(), 1);
    // Keys with kids, even a shared one (one per algorithm), are fine.
    assert_eq!(set.insert(Box::new(with_kid("b"))), Ok(()));
    let hs384 = Toy {
        alg: Algorithm::HS384,
        kid: Some("a"),
    };
    assert_eq!(set.insert(Box::new(hs384)), Ok(()));
    assert_eq!(set.len(), 3);
}

#[test]
fn a_single_key_without_kid_verifies_tokens_without_kid() {
    let mut set = VerifierSet::new();
    set.insert(Box::new(Toy {
        alg: Algorithm::HS256,
        kid: None,
    }))
    .unwrap();
    let t = token(HEADER, br#"{"exp":1700000100}"#);
    assert!(set.verify(&t, &rules()).is_ok());
    assert_eq!(
        VerifierSet::new().verify(&t, &rules()).err(),
        Some(Error::Decode(DecodeError::MissingKeyId))
    );
}

#[test]
fn encoder_tokens_verify() {
    let t = Encoder::new(HS256)
        .encode(&serde_json::json!({"exp": 1_700_000_100, "sub": "alice"}))
        .unwrap();
    let v = verify(&t, &HS256, &rules()).unwrap();
    let h = v.header().unwrap();
    assert_eq!(h.kid.as_deref(), Some("k1"));
    #[derive(serde::Deserialize)]
    struct C<'a> {
        sub: &'a str,
    }
    assert_eq!(v.claims::<C<'_>>().unwrap().sub, "alice");
}

#[test]
fn wrong_segment_counts_found_whichever_check_sees_them_first() {
    let good = token(HEADER, br#"{"exp":1700000100}"#);
    let [h, p, s] = split(&good, usize::MAX).unwrap();
    let (s1, s2) = s.split_at(10);
    for (t, found) in [
        // The signature has the key's length, so the fast split takes the extra dot for part
        // of the payload or of the signature; its base64 then fails.
        (format!("{h}.{p}.x.{s}"), 4),
        (format!("{h}.{p}.{s1}.{s2}"), 4),
        (format!("{h}.{p}..{s}"), 4),
        // A bad header too: the segment count still comes first.
        (format!("e30.{p}.x.{s}"), 4),
        (format!("{h}.{s}"), 2),
        (format!("{h}{p}{s}"), 1),
        (format!(".{h}.{p}.{s}"), 4),
        (format!("{h}.{p}.{s}."), 4),
    ] {
        let expected = Some(Error::Decode(DecodeError::SegmentCount { found }));
        assert_eq!(verify(&t, &HS256, &rules()).err(), expected, "{t}");
        assert_eq!(verify_jws(&t, &HS256, &rules()).err(), expected, "{t}");
    }
    // One segment too short or too long for the key: its length is the error.
    let short = format!("{h}.{p}.{}", &s[1..]);
    assert_eq!(
        verify(&short, &HS256, &rules()).err(),
        Some(Error::Signature(SignatureError::Length {
            expected: 32,
            found: 31
        }))
    );
    let mut buf = Vec::new();
    assert!(verify_into::<serde_json::Value>(&good, &HS256, &rules(), &mut buf).is_ok());
}

/// The claims checks and deserialization in two passes: the strict check, then the type.
fn two_passes<'a, T: serde::Deserialize<'a>>(
    payload: &'a [u8],
    v: &Validation,
) -> Result<T, Error> {
    check_claims(payload, v)?;
    typed(payload)
}

fn same_in_one_pass<T>(payload: &[u8], v: &Validation)
where
    T: for<'a> serde::Deserialize<'a> + PartialEq + std::fmt::Debug,
{
    let one: Result<T, Error> = claims_in_one_pass(payload, v);
    let two: Result<T, Error> = two_passes(payload, v);
    assert_eq!(one, two, "{}", String::from_utf8_lossy(payload));
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Typed {
    exp: i64,
    #[serde(default)]
    sub: Option<String>,
    #[serde(default)]
    n: Vec<u8>,
}

/// What the one pass sees of the top level, whatever `T` does with it.
#[derive(Debug, PartialEq)]
struct Ignored;

impl<'de> serde::Deserialize<'de> for Ignored {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| Ignored)
    }
}

const PAYLOADS: &[&[u8]] = &[
    br#"{"exp":1700000100}"#,
    br#"{"exp":1700000100,"sub":"a","n":[1,2]}"#,
    br#"{"exp":1700000100,"sub":"a\nb"}"#,
    br#"{"exp":1699999999}"#,
    br#"{"exp":"1700000100"}"#,
    br#"{"exp":1700000100.5,"nbf":1e3,"iat":0}"#,
    br#"{"exp":1700000100,"iss":7}"#,
    br#"{"exp":1700000100,"aud":"x"}"#,
    br#"{"exp":1700000100,"aud":["x",1]}"#,
    br#"{"sub":"a"}"#,
    br#"{"exp":1700000100,"exp":1700000100}"#,
    br#"{"exp":1700000100,"\u0065xp":1}"#,
    br#"{"\u0065xp":1}"#,
    br#"{"\u0065xp":1700000100,"sub":"a"}"#,
    br#"{"exp":1700000100,"x":{"a":1,"a":2}}"#,
    br#"{"exp":1700000100,"x":[{"a":1},{"a":1,"b":[{"c":0,"c":0}]}]}"#,
    br#"{"exp":1700000100,"x":[[[[[[[[[[1]]]]]]]]]]}"#,
    br#"{"exp":1700000100,"n":[1,2,]}"#,
    br#"{"exp":1700000100,"n":[01]}"#,
    br#"{"exp":1700000100,"x":1.}"#,
    br#"{"exp":1700000100,"x":"\x"}"#,
    br#"{"exp":1700000100,"x":"\ud800"}"#,
    br#"{"exp":1700000100,"n":[300]}"#,
    br#"{"exp":1700000100} x"#,
    br#"[{"exp":1700000100}]"#,
    br#""exp""#,
    b"{\"exp\":1700000100,\"sub\":\"\xff\"}",
    br#"{"exp":1700000100,"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"ka":10,"kb":11,"kc":12,"kd":13,"ke":14,"kf":15,"k3":16}"#,
    b"",
];

#[test]
fn one_pass_decides_as_two_passes_do() {
    let deep = rules().max_depth(4);
    for v in [rules(), deep, rules().audience("x").issuer("i")] {
        for payload in PAYLOADS {
            same_in_one_pass::<serde_json::Value>(payload, &v);
            same_in_one_pass::<Typed>(payload, &v);
            same_in_one_pass::<Ignored>(payload, &v);
            same_in_one_pass::<std::collections::BTreeMap<String, serde_json::Value>>(payload, &v);
            same_in_one_pass::<()>(payload, &v);
        }
    }
}

#[test]
fn verify_into_and_decode_read_once_and_agree_with_verify() {
    for payload in PAYLOADS {
        let t = token(HEADER, payload);
        let two = verify(&t, &HS256, &rules()).and_then(|v| v.claims::<serde_json::Value>());
        let mut buf = Vec::new();
        assert_eq!(
            verify_into::<serde_json::Value>(&t, &HS256, &rules(), &mut buf),
            two
        );
        assert_eq!(decode::<serde_json::Value>(&t, &HS256, &rules()), two);
    }
}

/// `Verified::claims` reads with the unchecking deserializer: the same values and the same
/// errors (serde_json's messages) as serde_json, for every payload `verify` accepts.
#[test]
fn claims_read_as_serde_json_reads_them() {
    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Borrowed<'a> {
        #[serde(borrow)]
        sub: Option<std::borrow::Cow<'a, str>>,
        #[serde(default)]
        x: Option<&'a str>,
    }
    fn same<'a, T>(verified: &'a Verified<'_>)
    where
        T: serde::Deserialize<'a> + PartialEq + std::fmt::Debug,
    {
        let theirs: Result<T, Error> =
            serde_json::from_slice(verified.payload()).map_err(|e| Error::Claims(e.to_string()));
        assert_eq!(
            verified.claims::<T>(),
            theirs,
            "{}",
            String::from_utf8_lossy(verified.payload())
        );
    }
    let extra: &[&[u8]] = &[
        br#"{"exp":1700000100,"sub":"caf\u00e9","x":"plain"}"#,
        br#"{"exp":1700000100,"x":"a	b"}"#,
        br#"{"exp":1700000100,"x":7}"#,
        br#"{"exp":1700000100,"n":[1,2,300]}"#,
        br#"{"exp":18446744073709551615,"n":[]}"#,
    ];
    let mut accepted = 0;
    for payload in PAYLOADS.iter().chain(extra) {
        let t = token(HEADER, payload);
        let Ok(verified) = verify(&t, &HS256, &rules()) else {
            continue;
        };
        accepted += 1;
        same::<serde_json::Value>(&verified);
        same::<Typed>(&verified);
        same::<Ignored>(&verified);
        same::<std::collections::BTreeMap<String, serde_json::Value>>(&verified);
        same::<Borrowed<'_>>(&verified);
        same::<()>(&verified);
    }
    assert!(accepted >= 8, "{accepted}");
}

/// Random payloads built as text, so that they can repeat names: registered claims of every
/// type, escaped names, nesting.
fn payload_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let name = prop_oneof![
        Just("exp"),
        Just("nbf"),
        Just("iat"),
        Just("iss"),
        Just("sub"),
        Just("aud"),
        Just("jti"),
        Just("x"),
        Just("\\u0065xp"),
        Just("n"),
    ];
    let leaf = prop_oneof![
        Just("1700000100".to_owned()),
        Just("1600000000".to_owned()),
        Just("1.7e9".to_owned()),
        Just("-1".to_owned()),
        Just("\"x\"".to_owned()),
        Just("\"i\\n\"".to_owned()),
        Just("true".to_owned()),
        Just("null".to_owned()),
        Just("[\"x\",\"y\"]".to_owned()),
        Just("[1,2]".to_owned()),
    ];
    let value = leaf.prop_recursive(3, 16, 4, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((prop_oneof![Just("a"), Just("b")], inner), 0..4).prop_map(|m| {
                let members: Vec<String> = m.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    });
    prop::collection::vec((name, value), 0..8).prop_map(|members| {
        let members: Vec<String> = members
            .iter()
            .map(|(k, v)| format!("\"{k}\":{v}"))
            .collect();
        format!("{{{}}}", members.join(","))
    })
}

proptest::proptest! {
    #[test]
    fn one_pass_decides_as_two_passes_do_on_random_payloads(text in payload_text()) {
        let v = rules().max_depth(3).audience("x");
        same_in_one_pass::<serde_json::Value>(text.as_bytes(), &v);
        same_in_one_pass::<Typed>(text.as_bytes(), &v);
        same_in_one_pass::<Ignored>(text.as_bytes(), &v);
    }
}
