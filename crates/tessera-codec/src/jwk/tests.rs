// Unit tests: this module is declared under #[cfg(test)] only.
use super::*;

// RFC 7515 Appendix A.1 key.
const A1: &str = r#"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#;
// RFC 7515 Appendix A.3 key.
const A3: &str = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#;

#[test]
fn parses_oct_and_binds() {
    let k = Jwk::from_json(A1.as_bytes()).unwrap();
    assert!(k.check_for(Algorithm::HS256, KeyUse::Verify).is_ok());
    assert_eq!(
        k.check_for(Algorithm::RS256, KeyUse::Verify),
        Err(KeyError::WrongKeyType {
            alg: Algorithm::RS256,
            kty: "oct"
        })
    );
}

#[test]
fn short_hmac_secret_refused() {
    let k = Jwk::oct(vec![7u8; 31]);
    assert_eq!(
        k.check_for(Algorithm::HS256, KeyUse::Sign),
        Err(KeyError::TooWeak {
            alg: Algorithm::HS256,
            bits: 248,
            min: 256
        })
    );
    let k = Jwk::oct(vec![7u8; 32]);
    assert!(matches!(
        k.check_for(Algorithm::HS384, KeyUse::Sign),
        Err(KeyError::TooWeak { min: 384, .. })
    ));
}

#[test]
fn ec_key_binds_curve() {
    let k = Jwk::from_json(A3.as_bytes()).unwrap();
    assert_eq!(k.algorithm(), Some(Algorithm::ES256));
    assert!(k.check_for(Algorithm::ES256, KeyUse::Sign).is_ok());
    assert_eq!(
        k.check_for(Algorithm::ES384, KeyUse::Verify),
        Err(KeyError::WrongCurve {
            alg: Algorithm::ES384,
            expected: "P-384",
            found: "P-256"
        })
    );
    let public = k.to_public().unwrap();
    assert_eq!(
        public.check_for(Algorithm::ES256, KeyUse::Sign),
        Err(KeyError::NotPrivate)
    );
}

#[test]
fn alg_member_binds() {
    let k = Jwk::oct(vec![1u8; 64]).with_alg(Algorithm::HS512);
    assert_eq!(
        k.check_for(Algorithm::HS256, KeyUse::Verify),
        Err(KeyError::AlgorithmMismatch {
            alg: Algorithm::HS256,
            key_alg: "HS512".into()
        })
    );
}

#[test]
fn use_and_key_ops() {
    let mut k = Jwk::oct(vec![1u8; 32]);
    k.key_use = Some("enc".into());
    assert_eq!(
        k.check_for(Algorithm::HS256, KeyUse::Verify),
        Err(KeyError::Usage("verifying"))
    );
    k.key_use = None;
    k.key_ops = Some(vec!["verify".into()]);
    assert!(k.check_for(Algorithm::HS256, KeyUse::Verify).is_ok());
    assert_eq!(
        k.check_for(Algorithm::HS256, KeyUse::Sign),
        Err(KeyError::Usage("signing"))
    );
}

#[test]
fn rejects_malformed_jwks() {
    let cases: &[(&str, &str)] = &[
        (r#"{"kty":"oct"}"#, "invalid key: JWK member k is missing"),
        (
            r#"{"kty":"oct","k":"AQ=="}"#,
            "invalid key: JWK member k is not base64url",
        ),
        (
            r#"{"kty":"oct","k":"AQ","k":"AQ"}"#,
            "invalid key: JWK JSON: duplicate member \"k\"",
        ),
        (
            r#"{"kty":"EC","crv":"P-256","x":"AQ","y":"AQ"}"#,
            "invalid key: JWK member x is 1 bytes, the curve needs 32",
        ),
        (
            r#"{"kty":"EC","crv":"P-192","x":"AQ","y":"AQ"}"#,
            "unsupported key: EC curve P-192",
        ),
        (
            r#"{"kty":"OKP","crv":"X25519","x":"AQ"}"#,
            "unsupported key: OKP curve X25519",
        ),
        (r#"{"kty":"lattice"}"#, "unsupported key: kty lattice"),
        (r#"[]"#, "invalid key: JWK JSON: not a JSON object"),
    ];
    for (json, msg) in cases {
        assert_eq!(
            Jwk::from_json(json.as_bytes()).unwrap_err().to_string(),
            *msg,
            "{json}"
        );
    }
    let big = vec![b' '; MAX_JWK_SIZE + 1];
    assert_eq!(
        Jwk::from_json(&big),
        Err(KeyError::TooLarge {
            size: MAX_JWK_SIZE + 1,
            max: MAX_JWK_SIZE
        })
    );
}

#[test]
fn json_round_trip() {
    let k = Jwk::from_json(A3.as_bytes()).unwrap().with_kid("k1");
    assert_eq!(Jwk::from_json(k.to_json().as_bytes()).unwrap(), k);
}

#[test]
fn rfc7638_thumbprint_input() {
    // RFC 7638 §3.1 example key.
    let k = Jwk::from_json(br#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#).unwrap();
    assert_eq!(
        k.thumbprint_input().unwrap(),
        r#"{"e":"AQAB","kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"}"#
    );
    assert_eq!(k.bits_hint(), 2048);
}

impl Jwk {
    fn bits_hint(&self) -> usize {
        match &self.material {
            KeyMaterial::Rsa(k) => k.bits(),
            _ => 0,
        }
    }
}

#[test]
fn jwk_set_selects_and_skips() {
    let json = format!(
        r#"{{"keys":[{},{{"kty":"OKP","crv":"X448","x":"AA"}},{}]}}"#,
        Jwk::from_json(A1.as_bytes())
            .unwrap()
            .with_kid("a")
            .to_json(),
        Jwk::from_json(A3.as_bytes())
            .unwrap()
            .with_kid("b")
            .to_json()
    );
    let set = JwkSet::from_json(json.as_bytes()).unwrap();
    assert_eq!(set.keys.len(), 2);
    assert_eq!(set.skipped, 1);
    assert_eq!(set.find("b").map(Jwk::kty), Some("EC"));
    assert!(set.find("c").is_none());
}
