//! Fixed keys for every algorithm, and ready-made signer/verifier pairs per backend.
//!
//! Asymmetric keys are PEM files under `keys/` made once with `openssl genpkey` (PKCS#8; the
//! Ed25519 one is v1, without its public key, so backends must derive it). The ML-DSA keys are
//! fixed seeds in RFC 9881's PKCS#8 seed form (`[0] IMPLICIT OCTET STRING`, no public key
//! either; seeds in `keys/README.md`). Loading them goes
//! through the codec's PEM reader, which these suites thereby exercise too.

use std::sync::OnceLock;
use tessera::codec::{Family, b64};
use tessera::{Algorithm, Backend, Clock, Error, Jwk, KeyError, Signer, Validation, Verifier};

/// The validation time of every fixture token.
pub const NOW: i64 = 1_700_000_000;
/// A standard payload: valid at [`NOW`].
pub const CLAIMS: &str = r#"{"iss":"https://issuer.example","sub":"alice","aud":"api","exp":1700000600,"iat":1699999990}"#;

fn pem(alg: Algorithm) -> &'static str {
    match alg {
        Algorithm::ES256 => include_str!("../keys/p256.pem"),
        Algorithm::ES384 => include_str!("../keys/p384.pem"),
        Algorithm::ES512 => include_str!("../keys/p521.pem"),
        Algorithm::ES256K => include_str!("../keys/secp256k1.pem"),
        Algorithm::EdDSA => include_str!("../keys/ed25519.pem"),
        Algorithm::MlDsa44 => include_str!("../keys/ml-dsa-44.pem"),
        Algorithm::MlDsa65 => include_str!("../keys/ml-dsa-65.pem"),
        Algorithm::MlDsa87 => include_str!("../keys/ml-dsa-87.pem"),
        _ => include_str!("../keys/rsa2048.pem"),
    }
}

/// An RSA private key of 2048, 3072 or 4096 bits (anything else gives 2048).
pub fn rsa_key(bits: usize) -> Result<Jwk, KeyError> {
    let pem = match bits {
        3072 => include_str!("../keys/rsa3072.pem"),
        4096 => include_str!("../keys/rsa4096.pem"),
        _ => include_str!("../keys/rsa2048.pem"),
    };
    Jwk::from_pem(pem)
}

/// The private key (a secret for HMAC) for `alg`. The same RSA key serves RS* and PS*.
pub fn private_key(alg: Algorithm) -> Result<Jwk, KeyError> {
    static KEYS: OnceLock<Vec<(Algorithm, Result<Jwk, KeyError>)>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        Algorithm::ALL
            .iter()
            .map(|&a| {
                let k = match a.family() {
                    Family::Hmac => Ok(Jwk::oct(
                        (0..a.hash().output_len() as u8)
                            .map(|i| i.wrapping_mul(37).wrapping_add(11))
                            .collect::<Vec<_>>(),
                    )),
                    _ => Jwk::from_pem(pem(a)),
                };
                (a, k)
            })
            .collect()
    });
    keys.iter()
        .find(|(a, _)| *a == alg)
        .map(|(_, k)| k.clone())
        .unwrap_or_else(|| {
            Err(KeyError::UnsupportedKey(format!(
                "no fixture key for {alg}"
            )))
        })
}

/// A signer and verifier for one backend and algorithm, from the fixed keys.
#[derive(Debug)]
pub struct Fixture {
    /// The backend under test.
    pub backend: &'static dyn Backend,
    /// The algorithm.
    pub alg: Algorithm,
    /// The private key (secret for HMAC).
    pub private: Jwk,
    /// The public key (the secret for HMAC).
    pub public: Jwk,
    /// A signer from `private`.
    pub signer: Box<dyn Signer>,
    /// A verifier from `public`.
    pub verifier: Box<dyn Verifier>,
}

impl Fixture {
    /// The fixture for `backend` and `alg`.
    pub fn new(backend: &'static dyn Backend, alg: Algorithm) -> Result<Fixture, KeyError> {
        let private = private_key(alg)?;
        let public = match alg.family() {
            Family::Hmac => private.clone(),
            _ => backend.public_key(&private)?,
        };
        Ok(Fixture {
            backend,
            alg,
            signer: backend.signer(&private, alg)?,
            verifier: backend.verifier(&public, alg)?,
            private,
            public,
        })
    }

    /// Fixtures for every supported algorithm of every backend given.
    pub fn all(backends: &[&'static dyn Backend]) -> Vec<Result<Fixture, (String, KeyError)>> {
        backends
            .iter()
            .flat_map(|&b| {
                b.algorithms().iter().map(move |&alg| {
                    Fixture::new(b, alg).map_err(|e| (format!("{} {alg}", b.name()), e))
                })
            })
            .collect()
    }

    /// `backend alg`, for messages.
    pub fn label(&self) -> String {
        format!("{} {}", self.backend.name(), self.alg)
    }

    /// A token with exactly this header and payload JSON, signed by this fixture.
    pub fn token(&self, header: &str, payload: &str) -> String {
        self.token_bytes(header.as_bytes(), payload.as_bytes())
    }

    /// A token from raw header and payload bytes, signed by this fixture.
    pub fn token_bytes(&self, header: &[u8], payload: &[u8]) -> String {
        let input = format!("{}.{}", b64::encode(header), b64::encode(payload));
        let mut sig = Vec::new();
        if let Err(e) = self.signer.sign(input.as_bytes(), &mut sig) {
            return format!("{input}.signing-failed-{e}");
        }
        format!("{input}.{}", b64::encode(&sig))
    }

    /// The usual header for this algorithm.
    pub fn header(&self) -> String {
        format!(r#"{{"alg":"{}","typ":"JWT"}}"#, self.alg)
    }

    /// A valid token with [`CLAIMS`].
    pub fn valid_token(&self) -> String {
        self.token(&self.header(), CLAIMS)
    }

    /// The validation the fixture tokens pass: clock at [`NOW`], issuer and audience of [`CLAIMS`].
    pub fn validation(&self) -> Validation {
        Validation::new()
            .clock(Clock::Fixed(NOW))
            .issuer("https://issuer.example")
            .audience("api")
    }

    /// Verifies `token` with the fixture's verifier and validation.
    pub fn check(&self, token: &str) -> Result<serde_json::Value, Error> {
        self.check_with(token, &self.validation())
    }

    /// Verifies `token` with the fixture's verifier and `validation`.
    pub fn check_with(
        &self,
        token: &str,
        validation: &Validation,
    ) -> Result<serde_json::Value, Error> {
        tessera::decode(token, &self.verifier, validation)
    }
}
