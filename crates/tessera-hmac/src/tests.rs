// Unit tests: this module is declared under #[cfg(test)] only.
//! Unit tests: RFC 7515 A.1, round trips and the refusals with their exact errors.

use super::*;
use tessera_codec::{Validation, b64, verify_jws};

// RFC 7515 Appendix A.1.
const A1_KEY: &str = r#"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#;
const A1_TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

#[test]
fn hs256_rfc7515_a1_signature_matches() {
    let key = Jwk::from_json(A1_KEY.as_bytes()).unwrap();
    let signer = HmacBackend.signer(&key, Algorithm::HS256).unwrap();
    let (input, sig) = A1_TOKEN.rsplit_once('.').unwrap();
    let mut out = Vec::new();
    signer.sign(input.as_bytes(), &mut out).unwrap();
    assert_eq!(b64::encode(&out), sig);
    let verifier = HmacBackend.verifier(&key, Algorithm::HS256).unwrap();
    let v = verify_jws(A1_TOKEN, &verifier, &Validation::new()).unwrap();
    assert!(v.payload().starts_with(b"{\"iss\":\"joe\""));
}

#[test]
fn every_algorithm_round_trips_and_rejects_tampering() {
    for alg in ALGORITHMS.iter().copied() {
        let key = HmacBackend.generate(KeySpec::new(alg)).unwrap();
        let s = HmacBackend.signer(&key, alg).unwrap();
        let v = HmacBackend.verifier(&key, alg).unwrap();
        let mut sig = Vec::new();
        s.sign(b"a.b", &mut sig).unwrap();
        assert_eq!(sig.len(), v.signature_len());
        assert_eq!(v.verify(b"a.b", &sig), Ok(()));
        assert_eq!(v.verify(b"a.c", &sig), Err(SignatureError::Invalid));
        sig[0] ^= 1;
        assert_eq!(v.verify(b"a.b", &sig), Err(SignatureError::Invalid));
        assert_eq!(
            v.verify(b"a.b", &sig[1..]),
            Err(SignatureError::Length {
                expected: sig.len(),
                found: sig.len() - 1
            })
        );
    }
}

#[test]
fn short_secret_refused() {
    assert_eq!(
        HmacKey::new(Algorithm::HS512, &[0u8; 63]).err(),
        Some(KeyError::TooWeak {
            alg: Algorithm::HS512,
            bits: 504,
            min: 512
        })
    );
}

#[test]
fn non_hmac_algorithms_unsupported() {
    let key = Jwk::oct(vec![0u8; 64]);
    assert_eq!(
        HmacBackend.verifier(&key, Algorithm::RS256).err(),
        Some(KeyError::Unsupported {
            backend: "tessera-hmac",
            alg: Algorithm::RS256
        })
    );
}

#[test]
fn debug_hides_secret() {
    let k = HmacKey::new(Algorithm::HS256, &[0x41; 32]).unwrap();
    let d = format!("{k:?}");
    assert!(
        d.contains("HS256") && !d.contains("65") && !d.contains("AAAA"),
        "{d}"
    );
}
