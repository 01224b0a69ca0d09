//! The claims rules of issue #15: the maximum age, caller checks and the RFC 9068 access-token
//! preset, through the facade with the HMAC backend, each refusal asserting its exact variant.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use serde_json::{Value, json};
use std::error::Error as _;
use std::time::Duration;
use tessera::{
    Algorithm, Claim, ClaimCheckError, Clock, DecodeError, Encoder, Error, Jwk, Validation,
    ValidationError,
};

const NOW: i64 = 1_700_000_000;

fn key() -> Jwk {
    Jwk::oct(b"0123456789abcdef0123456789abcdef".to_vec())
}

fn token_typed(typ: &str, claims: &Value) -> String {
    Encoder::new(tessera::signer(&key(), Algorithm::HS256).unwrap())
        .typ(typ)
        .encode(claims)
        .unwrap()
}

fn token(claims: &Value) -> String {
    token_typed("JWT", claims)
}

fn check(token: &str, v: &Validation) -> Result<Value, Error> {
    let verifier = tessera::verifier(&key(), Algorithm::HS256).unwrap();
    tessera::decode(token, &verifier, &v.clone().clock(Clock::Fixed(NOW)))
}

fn refused(e: ValidationError) -> Result<Value, Error> {
    Err(Error::Validation(e))
}

#[test]
fn max_age_refuses_a_token_older_than_allowed_as_too_old() {
    let v = Validation::new().max_age(Duration::from_secs(300));
    let at = |iat: i64| token(&json!({ "exp": NOW + 60, "iat": iat }));
    assert!(check(&at(NOW - 300), &v).is_ok(), "exactly max_age old");
    assert_eq!(
        check(&at(NOW - 301), &v),
        refused(ValidationError::TooOld {
            iat: NOW - 301,
            now: NOW,
            max_age: 300
        })
    );
    // The leeway widens the window as for exp.
    let lenient = v.clone().leeway(Duration::from_secs(5));
    assert!(check(&at(NOW - 305), &lenient).is_ok());
    assert_eq!(
        check(&at(NOW - 306), &lenient),
        refused(ValidationError::TooOld {
            iat: NOW - 306,
            now: NOW,
            max_age: 300
        })
    );
    // Skipping the time checks skips this one too.
    assert!(check(&at(NOW - 10_000), &v.clone().skip_time_checks()).is_ok());
}

#[test]
fn max_age_makes_iat_required() {
    let no_iat = token(&json!({ "exp": NOW + 60 }));
    assert!(check(&no_iat, &Validation::new()).is_ok());
    assert_eq!(
        check(
            &no_iat,
            &Validation::new().max_age(Duration::from_secs(300))
        ),
        refused(ValidationError::MissingClaim(Claim::Iat))
    );
}

#[derive(Debug)]
struct MissingScope(&'static str);

impl std::fmt::Display for MissingScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "scope {} missing", self.0)
    }
}

impl std::error::Error for MissingScope {}

/// A check over the raw payload: `scope` must name `read`.
fn needs_read(v: Validation) -> Validation {
    v.check(|_, payload| {
        let claims: Value = serde_json::from_slice(payload)?;
        let scopes = claims["scope"].as_str().unwrap_or_default();
        if scopes.split(' ').any(|s| s == "read") {
            Ok(())
        } else {
            Err(Box::new(MissingScope("read")))
        }
    })
}

#[test]
fn a_caller_check_refuses_with_its_error_as_source() {
    let v = needs_read(Validation::new());
    assert!(
        check(
            &token(&json!({ "exp": NOW + 60, "scope": "write read" })),
            &v
        )
        .is_ok()
    );
    let e = check(&token(&json!({ "exp": NOW + 60, "scope": "write" })), &v).unwrap_err();
    let Error::Validation(ValidationError::Check(inner)) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(inner, &ClaimCheckError::new(MissingScope("read")));
    let source = e.source().unwrap();
    assert!(matches!(
        source.downcast_ref::<MissingScope>(),
        Some(MissingScope("read"))
    ));
    assert_eq!(
        e.to_string(),
        "claims refused by a caller's check: scope read missing"
    );
}

#[test]
fn caller_checks_see_the_registered_claims_and_run_in_order_after_the_built_in_ones() {
    let v = Validation::new()
        .issuer("https://as")
        .check(|claims, _| {
            assert_eq!(claims.iss.as_deref(), Some("https://as"));
            match claims.sub.as_deref() {
                Some("alice") => Ok(()),
                _ => Err("first".into()),
            }
        })
        .check(|_, _| Err("second".into()));
    let t = |iss: &str, sub: &str| token(&json!({ "exp": NOW + 60, "iss": iss, "sub": sub }));
    // A built-in rule is decided first.
    assert_eq!(
        check(&t("https://other", "bob"), &v),
        refused(ValidationError::Issuer)
    );
    let first = ClaimCheckError::new("first");
    assert_eq!(
        check(&t("https://as", "bob"), &v),
        refused(ValidationError::Check(first))
    );
    let second = ClaimCheckError::new("second");
    assert_eq!(
        check(&t("https://as", "alice"), &v),
        refused(ValidationError::Check(second))
    );
}

/// A conforming RFC 9068 access token's claims.
fn access_claims() -> Value {
    json!({
        "iss": "https://as", "aud": "api", "sub": "alice", "exp": NOW + 600, "iat": NOW - 100,
        "jti": "j1", "client_id": "app", "scope": "read write"
    })
}

fn access_rules() -> Validation {
    Validation::access_token("https://as", "api")
}

#[test]
fn access_token_preset_accepts_both_typ_spellings_in_any_case() {
    for typ in [
        "at+jwt",
        "application/at+jwt",
        "AT+JWT",
        "Application/At+Jwt",
    ] {
        let t = token_typed(typ, &access_claims());
        assert_eq!(
            check(&t, &access_rules()).unwrap(),
            access_claims(),
            "{typ}"
        );
    }
}

#[test]
fn access_token_preset_refuses_another_typ() {
    for typ in ["JWT", "application/jwt", "at+jwt2", "jwt+at"] {
        let t = token_typed(typ, &access_claims());
        assert_eq!(
            check(&t, &access_rules()),
            Err(Error::Decode(DecodeError::TypeMismatch {
                expected: "at+jwt".into(),
                found: Some(typ.into())
            })),
            "{typ}"
        );
    }
    let untyped = Encoder::new(tessera::signer(&key(), Algorithm::HS256).unwrap())
        .without_typ()
        .encode(&access_claims())
        .unwrap();
    assert_eq!(
        check(&untyped, &access_rules()),
        Err(Error::Decode(DecodeError::TypeMismatch {
            expected: "at+jwt".into(),
            found: None
        }))
    );
}

#[test]
fn access_token_preset_refuses_each_missing_required_claim() {
    let cases = [
        ("iss", ValidationError::MissingClaim(Claim::Iss)),
        ("exp", ValidationError::MissingClaim(Claim::Exp)),
        ("aud", ValidationError::MissingClaim(Claim::Aud)),
        ("sub", ValidationError::MissingClaim(Claim::Sub)),
        ("iat", ValidationError::MissingClaim(Claim::Iat)),
        ("jti", ValidationError::MissingClaim(Claim::Jti)),
        (
            "client_id",
            ValidationError::MissingOtherClaim("client_id".into()),
        ),
    ];
    for (name, expected) in cases {
        let mut claims = access_claims();
        claims.as_object_mut().unwrap().remove(name);
        let t = token_typed("at+jwt", &claims);
        assert_eq!(
            check(&t, &access_rules()),
            refused(expected),
            "without {name}"
        );
    }
    // scope is optional (RFC 9068 §2.2.3).
    let mut claims = access_claims();
    claims.as_object_mut().unwrap().remove("scope");
    assert!(check(&token_typed("at+jwt", &claims), &access_rules()).is_ok());
}

#[test]
fn access_token_preset_checks_issuer_and_audience_and_takes_more_rules() {
    let mut other_iss = access_claims();
    other_iss["iss"] = json!("https://evil");
    assert_eq!(
        check(&token_typed("at+jwt", &other_iss), &access_rules()),
        refused(ValidationError::Issuer)
    );
    let mut other_aud = access_claims();
    other_aud["aud"] = json!(["web"]);
    assert_eq!(
        check(&token_typed("at+jwt", &other_aud), &access_rules()),
        refused(ValidationError::Audience)
    );
    let t = token_typed("at+jwt", &access_claims());
    assert_eq!(
        check(&t, &access_rules().max_age(Duration::from_secs(60))),
        refused(ValidationError::TooOld {
            iat: NOW - 100,
            now: NOW,
            max_age: 60
        })
    );
    assert!(check(&t, &needs_read(access_rules())).is_ok());
}

#[test]
fn require_takes_registered_claims_by_name_and_other_members() {
    let t = token(&json!({ "exp": NOW + 60, "tenant": "t1" }));
    assert_eq!(
        check(&t, &Validation::new().require("sub")),
        refused(ValidationError::MissingClaim(Claim::Sub))
    );
    assert!(check(&t, &Validation::new().require("tenant")).is_ok());
    // Only top-level members count.
    let nested = token(&json!({ "exp": NOW + 60, "ext": { "client_id": "c" } }));
    assert_eq!(
        check(&nested, &Validation::new().require("client_id")),
        refused(ValidationError::MissingOtherClaim("client_id".into()))
    );
    // In the order required.
    assert_eq!(
        check(
            &t,
            &Validation::new()
                .require("a")
                .require("tenant")
                .require("b")
        ),
        refused(ValidationError::MissingOtherClaim("a".into()))
    );
}
