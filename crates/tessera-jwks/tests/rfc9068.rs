//! RFC 9068 access tokens: the codec's preset through a remote-style key set, and the typed claims.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use tessera::{
    Algorithm, Claim, Claims, Clock, DecodeError, Encoder, Error, Jwk, JwkSet, RegisteredClaims,
    Validation, ValidationError,
};
use tessera_jwks::rfc9068::AccessToken;
use tessera_jwks::{KeyChoice, verifier_set_from_jwks};

const NOW: i64 = 1_800_000_000;

fn key() -> Jwk {
    Jwk::oct(vec![9u8; 32]).with_kid("k")
}

fn token(typ: &str, claims: serde_json::Value) -> String {
    Encoder::new(tessera::signer(&key(), Algorithm::HS256).unwrap())
        .typ(typ)
        .encode(&claims)
        .unwrap()
}

fn claims() -> serde_json::Value {
    serde_json::json!({
        "iss": "https://as", "aud": "api", "sub": "alice", "exp": NOW + 600, "iat": NOW - 100,
        "jti": "j1", "client_id": "app", "scope": "read  write"
    })
}

fn rules() -> Validation {
    Validation::access_token("https://as", "api").clock(Clock::Fixed(NOW))
}

/// Verifies through the set a JWK Set becomes, as `RemoteJwks` does.
fn verify(token: &str, v: &Validation) -> Result<Claims<AccessToken>, Error> {
    let set = JwkSet {
        keys: vec![key().with_alg(Algorithm::HS256)],
        skipped: 0,
    };
    let (verifiers, _) = verifier_set_from_jwks(&set, &KeyChoice::new().allow_symmetric());
    verifiers.verify(token, v)?.claims()
}

#[test]
fn a_conforming_access_token_passes_and_reads_typed() {
    let at = verify(&token("application/at+jwt", claims()), &rules()).unwrap();
    assert_eq!(at.custom.client_id, "app");
    assert_eq!(at.custom.scopes().collect::<Vec<_>>(), ["read", "write"]);
    assert!(at.custom.has_scope("read") && !at.custom.has_scope("admin"));
    assert_eq!(
        at.registered,
        RegisteredClaims {
            iss: Some("https://as".into()),
            sub: Some("alice".into()),
            aud: Some("api".into()),
            exp: Some(NOW + 600),
            iat: Some(NOW - 100),
            jti: Some("j1".into()),
            nbf: None,
        }
    );
}

#[test]
fn the_preset_refuses_a_wrong_typ_and_missing_claims() {
    assert_eq!(
        verify(&token("JWT", claims()), &rules()).err(),
        Some(Error::Decode(DecodeError::TypeMismatch {
            expected: "at+jwt".into(),
            found: Some("JWT".into())
        }))
    );
    for (name, expected) in [
        ("jti", ValidationError::MissingClaim(Claim::Jti)),
        (
            "client_id",
            ValidationError::MissingOtherClaim("client_id".into()),
        ),
    ] {
        let mut c = claims();
        c.as_object_mut().unwrap().remove(name);
        assert_eq!(
            verify(&token("at+jwt", c), &rules()).err(),
            Some(Error::Validation(expected))
        );
    }
}

#[test]
fn scope_of_the_wrong_shape_fails_the_typed_claims() {
    let mut c = claims();
    c["scope"] = serde_json::json!(["read"]);
    let e = verify(&token("at+jwt", c), &rules()).unwrap_err();
    assert!(matches!(e, Error::Claims(_)), "{e:?}");
    let mut c = claims();
    c.as_object_mut().unwrap().remove("scope");
    let at = verify(&token("at+jwt", c), &rules()).unwrap();
    assert_eq!(at.custom.scopes().count(), 0);
}
