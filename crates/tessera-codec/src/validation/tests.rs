// Unit tests: this module is declared under #[cfg(test)] only.
//! The copy of the registered claims a caller's check receives.

use crate::claims::{Audience, RawRegistered, RegisteredClaims};
use crate::json;

fn registered(payload: &str) -> RegisteredClaims {
    let mut reg = RawRegistered::default();
    json::scan_text(payload, 8, |name, value| reg.member(name, value)).unwrap();
    reg.to_claims()
}

#[test]
fn caller_checks_see_every_registered_claim_unescaped() {
    let c = registered(
        r#"{"iss":"i\u0031","sub":"s","aud":["a","b\"c"],"exp":3,"nbf":1,"iat":2,"jti":"j\n","x":1}"#,
    );
    assert_eq!(
        c,
        RegisteredClaims {
            iss: Some("i1".into()),
            sub: Some("s".into()),
            aud: Some(Audience::Many(vec!["a".into(), "b\"c".into()])),
            exp: Some(3),
            nbf: Some(1),
            iat: Some(2),
            jti: Some("j\n".into()),
        }
    );
    assert_eq!(
        registered(r#"{"aud":"one"}"#).aud,
        Some(Audience::One("one".into()))
    );
    assert_eq!(registered("{}"), RegisteredClaims::default());
}
