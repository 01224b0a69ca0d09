//! The RFC 9068 preset and checks.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use std::time::Duration;
use tessera::{Algorithm, Clock, DecodeError, Encoder, Error, Jwk, ValidationError};
use tessera_jwks::rfc9068::{AccessTokenError, AccessTokenRules};

const NOW: i64 = 1_800_000_000;

fn key() -> Jwk {
    Jwk::oct(vec![9u8; 32]).with_kid("k")
}

fn token(typ: Option<&str>, claims: serde_json::Value) -> String {
    Encoder::new(tessera::signer(&key(), Algorithm::HS256).unwrap())
        .typ(typ)
        .encode(&claims)
        .unwrap()
}

fn claims() -> serde_json::Value {
    serde_json::json!({
        "iss": "https://as", "aud": "api", "sub": "alice", "exp": NOW + 600, "iat": NOW - 100,
        "jti": "j1", "client_id": "app", "scope": "read write"
    })
}

fn verify(
    rules: &AccessTokenRules,
    token: &str,
) -> Result<tessera_jwks::rfc9068::AccessToken, String> {
    let verifier = tessera::verifier(&key(), Algorithm::HS256).unwrap();
    let validation = rules.validation().clock(Clock::Fixed(NOW));
    let verified = tessera::verify(token, &verifier, &validation).map_err(|e| format!("{e:?}"))?;
    rules.check(&verified, NOW).map_err(|e| format!("{e:?}"))
}

#[test]
fn a_conforming_access_token_passes() {
    let rules = AccessTokenRules::new("https://as", "api").require_client_id(true);
    let at = verify(&rules, &token(Some("at+jwt"), claims())).unwrap();
    assert_eq!(at.client_id.as_deref(), Some("app"));
    assert_eq!(at.scopes, vec!["read", "write"]);
}

#[test]
fn the_preset_requires_typ_and_jti() {
    let rules = AccessTokenRules::new("https://as", "api");
    let verifier = tessera::verifier(&key(), Algorithm::HS256).unwrap();
    let v = rules.validation().clock(Clock::Fixed(NOW));
    let e = tessera::verify(&token(Some("JWT"), claims()), &verifier, &v).unwrap_err();
    assert!(matches!(e, Error::Decode(DecodeError::TypeMismatch { .. })));
    let mut c = claims();
    c.as_object_mut().unwrap().remove("jti");
    let e = tessera::verify(&token(Some("at+jwt"), c), &verifier, &v).unwrap_err();
    assert!(matches!(
        e,
        Error::Validation(ValidationError::MissingClaim(tessera::Claim::Jti))
    ));
}

#[test]
fn client_id_max_age_and_scope_shape_are_checked() {
    let strict = AccessTokenRules::new("https://as", "api").require_client_id(true);
    let mut c = claims();
    c.as_object_mut().unwrap().remove("client_id");
    let t = token(Some("at+jwt"), c);
    assert_eq!(
        verify(&strict, &t),
        Err(format!("{:?}", AccessTokenError::ClientId))
    );
    assert!(verify(&AccessTokenRules::new("https://as", "api"), &t).is_ok());

    let young = AccessTokenRules::new("https://as", "api").max_age(Duration::from_secs(60));
    assert_eq!(
        verify(&young, &token(Some("at+jwt"), claims())),
        Err(format!(
            "{:?}",
            AccessTokenError::TooOld { age: 100, max: 60 }
        ))
    );
    let mut c = claims();
    c["scope"] = serde_json::json!(["read"]);
    assert_eq!(
        verify(
            &AccessTokenRules::new("https://as", "api"),
            &token(Some("at+jwt"), c)
        ),
        Err(format!("{:?}", AccessTokenError::Scope))
    );
}
