//! HS256, HS384 and HS512 (RFC 7518 §3.2) for tessera, on RustCrypto's `hmac` and `sha2`.
//!
//! Keys bind their algorithm when made; secrets shorter than the hash output are refused;
//! signatures are compared in constant time by `hmac`'s own `verify_slice`. The keyed HMAC
//! state (the hashed inner and outer pads) is computed once per key and cloned per token.
//!
//! ```
//! use tessera_codec::{Algorithm, Backend, Jwk, Signer, Verifier};
//! let key = Jwk::oct(b"a secret of at least thirty-two bytes!".to_vec());
//! let signer = tessera_hmac::HmacBackend.signer(&key, Algorithm::HS256).unwrap();
//! let mut sig = Vec::new();
//! signer.sign(b"header.payload", &mut sig).unwrap();
//! let verifier = tessera_hmac::HmacKey::new(Algorithm::HS256, key_bytes()).unwrap();
//! assert!(verifier.verify(b"header.payload", &sig).is_ok());
//! # fn key_bytes() -> &'static [u8] { b"a secret of at least thirty-two bytes!" }
//! ```

#![forbid(unsafe_code)]

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Sha256, Sha384, Sha512};
use std::fmt;
use tessera_codec::{
    Algorithm, Backend, Jwk, KeyError, KeyMaterial, KeySpec, KeyUse, Library, SignError,
    SignatureError, Signer, Verifier, check_hmac_secret, ensure_supported,
};

const ALGORITHMS: &[Algorithm] = &[Algorithm::HS256, Algorithm::HS384, Algorithm::HS512];

/// The RustCrypto HMAC backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct HmacBackend;

#[derive(Clone)]
enum State {
    Sha256(Hmac<Sha256>),
    Sha384(Hmac<Sha384>),
    Sha512(Hmac<Sha512>),
}

/// A prepared HMAC key for one algorithm; it both signs and verifies.
#[derive(Clone)]
pub struct HmacKey {
    alg: Algorithm,
    kid: Option<String>,
    state: State,
}

impl fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the secret: the algorithm and kid only.
        f.debug_struct("HmacKey")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl HmacKey {
    /// Prepares `secret` for `alg`, which must be HS256, HS384 or HS512. The secret must be at
    /// least as long as the hash output (RFC 7518 §3.2).
    pub fn new(alg: Algorithm, secret: &[u8]) -> Result<Self, KeyError> {
        ensure_supported(&HmacBackend, alg)?;
        check_hmac_secret(alg, secret.len())?;
        let bad = |_| KeyError::Invalid("HMAC key".into());
        let state = match alg {
            Algorithm::HS256 => State::Sha256(Hmac::new_from_slice(secret).map_err(bad)?),
            Algorithm::HS384 => State::Sha384(Hmac::new_from_slice(secret).map_err(bad)?),
            _ => State::Sha512(Hmac::new_from_slice(secret).map_err(bad)?),
        };
        Ok(HmacKey {
            alg,
            kid: None,
            state,
        })
    }

    /// Prepares an `oct` JWK for `alg`, after the codec's binding checks.
    pub fn from_jwk(key: &Jwk, alg: Algorithm, usage: KeyUse) -> Result<Self, KeyError> {
        ensure_supported(&HmacBackend, alg)?;
        let KeyMaterial::Oct(secret) = key.check_for(alg, usage)? else {
            return Err(KeyError::WrongKeyType {
                alg,
                kty: key.kty(),
            });
        };
        let mut k = HmacKey::new(alg, secret.expose())?;
        k.kid = key.kid.clone();
        Ok(k)
    }

    /// Sets the `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }
}

fn mac_into<M: Mac + Clone>(state: &M, input: &[u8], out: &mut Vec<u8>) {
    let mut m = state.clone();
    m.update(input);
    out.extend_from_slice(&m.finalize().into_bytes());
}

fn mac_verify<M: Mac + Clone>(state: &M, input: &[u8], sig: &[u8]) -> Result<(), SignatureError> {
    let mut m = state.clone();
    m.update(input);
    m.verify_slice(sig).map_err(|_| SignatureError::Invalid)
}

impl Signer for HmacKey {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn sign(&self, signing_input: &[u8], out: &mut Vec<u8>) -> Result<(), SignError> {
        match &self.state {
            State::Sha256(s) => mac_into(s, signing_input, out),
            State::Sha384(s) => mac_into(s, signing_input, out),
            State::Sha512(s) => mac_into(s, signing_input, out),
        }
        Ok(())
    }
}

impl Verifier for HmacKey {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn signature_len(&self) -> usize {
        self.alg.hash().output_len()
    }

    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        let expected = self.signature_len();
        if signature.len() != expected {
            return Err(SignatureError::Length {
                expected,
                found: signature.len(),
            });
        }
        match &self.state {
            State::Sha256(s) => mac_verify(s, signing_input, signature),
            State::Sha384(s) => mac_verify(s, signing_input, signature),
            State::Sha512(s) => mac_verify(s, signing_input, signature),
        }
    }
}

impl Backend for HmacBackend {
    fn name(&self) -> &'static str {
        "tessera-hmac"
    }

    fn library(&self) -> Library {
        Library {
            name: "RustCrypto hmac + sha2",
            version: "0.13 + 0.11",
        }
    }

    fn algorithms(&self) -> &'static [Algorithm] {
        ALGORITHMS
    }

    fn signer(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Signer>, KeyError> {
        Ok(Box::new(HmacKey::from_jwk(key, alg, KeyUse::Sign)?))
    }

    fn verifier(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Verifier>, KeyError> {
        Ok(Box::new(HmacKey::from_jwk(key, alg, KeyUse::Verify)?))
    }

    /// A random secret of `bits` bits (default: the hash output size, the minimum allowed).
    fn generate(&self, spec: KeySpec) -> Result<Jwk, KeyError> {
        ensure_supported(self, spec.alg)?;
        let bits = spec.bits.unwrap_or(spec.alg.hash().output_len() * 8);
        if !bits.is_multiple_of(8) || bits > 8192 {
            return Err(KeyError::Generation(format!(
                "HMAC secret size {bits} is not a whole number of bytes up to 8192 bits"
            )));
        }
        check_hmac_secret(spec.alg, bits / 8)?;
        let mut secret = vec![0u8; bits / 8];
        getrandom::fill(&mut secret).map_err(|e| KeyError::Generation(e.to_string()))?;
        Ok(Jwk::oct(secret).with_alg(spec.alg))
    }
}

#[cfg(test)]
mod tests {
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
}
