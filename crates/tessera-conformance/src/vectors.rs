//! Published vectors (RFC 7515 Appendix A, RFC 7520 §4, RFC 8037 Appendix A.4, RFC 9964
//! Appendix A), kept as data files
//! under `vectors/`, run against every backend that supports their algorithm.

use crate::Verdict;
use crate::fixtures::Fixture;
use serde::Deserialize;
use tessera::backend::{AkpKey, KeyMaterial, Secret};
use tessera::codec::{Family, b64};
use tessera::{Algorithm, Backend, DecodeError, Error, Jwk, Validation};

/// One published example.
#[derive(Clone, Debug, Deserialize)]
pub struct Vector {
    /// Where it comes from.
    pub source: String,
    /// The JOSE `alg` it uses (`none` for the unsecured example).
    pub alg: String,
    /// Whether signing it again must reproduce the signature.
    pub deterministic: bool,
    /// The published key, absent for the unsecured example.
    pub key: Option<serde_json::Value>,
    /// `BASE64URL(header) || '.' || BASE64URL(payload)`.
    pub signing_input: String,
    /// The published signature, base64url.
    pub signature: String,
}

impl Vector {
    /// The compact serialization.
    pub fn token(&self) -> String {
        format!("{}.{}", self.signing_input, self.signature)
    }
}

const FILES: &[(&str, &str)] = &[
    (
        "rfc7515-a1-hs256",
        include_str!("../vectors/rfc7515-a1-hs256.json"),
    ),
    (
        "rfc7515-a2-rs256",
        include_str!("../vectors/rfc7515-a2-rs256.json"),
    ),
    (
        "rfc7515-a3-es256",
        include_str!("../vectors/rfc7515-a3-es256.json"),
    ),
    (
        "rfc7515-a4-es512",
        include_str!("../vectors/rfc7515-a4-es512.json"),
    ),
    (
        "rfc7515-a5-none",
        include_str!("../vectors/rfc7515-a5-none.json"),
    ),
    (
        "rfc7520-4.1-rs256",
        include_str!("../vectors/rfc7520-4.1-rs256.json"),
    ),
    (
        "rfc7520-4.2-ps384",
        include_str!("../vectors/rfc7520-4.2-ps384.json"),
    ),
    (
        "rfc7520-4.3-es512",
        include_str!("../vectors/rfc7520-4.3-es512.json"),
    ),
    (
        "rfc7520-4.4-hs256",
        include_str!("../vectors/rfc7520-4.4-hs256.json"),
    ),
    (
        "rfc8037-a4-ed25519",
        include_str!("../vectors/rfc8037-a4-ed25519.json"),
    ),
    (
        "rfc9964-a-ml-dsa-44",
        include_str!("../vectors/rfc9964-a-ml-dsa-44.json"),
    ),
    (
        "rfc9964-a-ml-dsa-65",
        include_str!("../vectors/rfc9964-a-ml-dsa-65.json"),
    ),
    (
        "rfc9964-a-ml-dsa-87",
        include_str!("../vectors/rfc9964-a-ml-dsa-87.json"),
    ),
];

/// Every vector file, by name; a file that does not parse is reported as an error.
pub fn all() -> Vec<(&'static str, Result<Vector, String>)> {
    FILES
        .iter()
        .map(|(name, text)| (*name, serde_json::from_str(text).map_err(|e| e.to_string())))
        .collect()
}

/// The result of one vector on one backend.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The vector's file name.
    pub vector: &'static str,
    /// The backend.
    pub backend: &'static str,
    /// What happened.
    pub verdict: Verdict,
}

/// Runs every vector on every backend that supports its algorithm. The unsecured example runs
/// on every backend and algorithm, and must be rejected as `alg: none` by all of them.
pub fn run(backends: &[&'static dyn Backend]) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (name, vector) in all() {
        let vector = match vector {
            Ok(v) => v,
            Err(e) => {
                out.push(Outcome {
                    vector: name,
                    backend: "-",
                    verdict: Verdict::Fail(format!("unreadable: {e}")),
                });
                continue;
            }
        };
        for &b in backends {
            let verdict = match Algorithm::from_name(&vector.alg) {
                Some(alg) if b.supports(alg) => check(b, alg, &vector),
                Some(_) => continue,
                None => unsecured(b, &vector),
            };
            out.push(Outcome {
                vector: name,
                backend: b.name(),
                verdict,
            });
        }
    }
    out.extend(acvp_keygen(backends));
    out
}

/// The NIST ACVP ML-DSA keyGen subset (`vectors/acvp-ml-dsa-keygen.json`): each seed, given as
/// a private AKP key without `pub`, must give the published public key on every backend with
/// the parameter set.
const ACVP_KEYGEN: &str = include_str!("../vectors/acvp-ml-dsa-keygen.json");

#[derive(Deserialize)]
struct AcvpFile {
    #[serde(rename = "testGroups")]
    test_groups: Vec<AcvpGroup>,
}

#[derive(Deserialize)]
struct AcvpGroup {
    #[serde(rename = "parameterSet")]
    parameter_set: String,
    tests: Vec<AcvpKeyGen>,
}

#[derive(Deserialize)]
struct AcvpKeyGen {
    #[serde(rename = "tcId")]
    tc_id: u32,
    seed: String,
    pk: String,
}

fn hex(s: &str) -> Option<Vec<u8>> {
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect()
}

/// Runs the ACVP keyGen vectors: one outcome per backend with ML-DSA.
pub fn acvp_keygen(backends: &[&'static dyn Backend]) -> Vec<Outcome> {
    const NAME: &str = "acvp-ml-dsa-keygen";
    let file: AcvpFile = match serde_json::from_str(ACVP_KEYGEN) {
        Ok(f) => f,
        Err(e) => {
            return vec![Outcome {
                vector: NAME,
                backend: "-",
                verdict: Verdict::Fail(format!("unreadable: {e}")),
            }];
        }
    };
    let mut out = Vec::new();
    for &b in backends {
        let mut verdict = Verdict::Pass;
        let mut ran = false;
        for g in &file.test_groups {
            let Some(alg) = Algorithm::from_name(&g.parameter_set).filter(|a| b.supports(*a))
            else {
                continue;
            };
            for t in &g.tests {
                ran = true;
                let (Some(seed), Some(pk)) = (hex(&t.seed), hex(&t.pk)) else {
                    verdict = Verdict::Fail(format!("tcId {}: bad hex", t.tc_id));
                    continue;
                };
                let key = Jwk::new(KeyMaterial::Akp(AkpKey {
                    alg,
                    public: Vec::new(),
                    seed: Some(Secret::new(seed)),
                }));
                match b.public_key(&key).map(|k| k.material) {
                    Ok(KeyMaterial::Akp(k)) if k.public == pk => {}
                    other => {
                        verdict = Verdict::Fail(format!(
                            "tcId {} ({alg}): public key differs: {:?}",
                            t.tc_id,
                            other.map(|_| "another key")
                        ));
                    }
                }
            }
        }
        if ran {
            out.push(Outcome {
                vector: NAME,
                backend: b.name(),
                verdict,
            });
        }
    }
    out
}

fn check(b: &'static dyn Backend, alg: Algorithm, v: &Vector) -> Verdict {
    let key = match v
        .key
        .as_ref()
        .map(|k| Jwk::from_json(k.to_string().as_bytes()))
    {
        Some(Ok(k)) => k,
        other => return Verdict::Fail(format!("key does not load: {other:?}")),
    };
    let public = match alg.family() {
        Family::Hmac => Ok(key.clone()),
        _ => b.public_key(&key),
    };
    // The public key a backend derives from a published private key (from the seed, for
    // ML-DSA) must be the published one, byte for byte.
    if let (Ok(p), Ok(published)) = (&public, key.to_public())
        && alg.family() != Family::Hmac
        && p.material != published.material
    {
        return Verdict::Fail("derived public key differs from the published one".into());
    }
    let verifier = match public.and_then(|p| b.verifier(&p, alg)) {
        Ok(v) => v,
        Err(e) => return Verdict::Fail(format!("verifier: {e}")),
    };
    if let Err(e) = tessera::verify_jws(&v.token(), &verifier, &Validation::new()) {
        return Verdict::Fail(format!("published signature rejected: {e}"));
    }
    if v.deterministic && key.is_private() {
        let signer = match b.signer(&key, alg) {
            Ok(s) => s,
            Err(e) => return Verdict::Fail(format!("signer: {e}")),
        };
        let sign = || {
            let mut sig = Vec::new();
            signer
                .sign(v.signing_input.as_bytes(), &mut sig)
                .map(|()| b64::encode(&sig))
                .map_err(|e| Verdict::Fail(format!("signing failed: {e}")))
        };
        let (first, second) = match (sign(), sign()) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(f), _) | (_, Err(f)) => return f,
        };
        if first != v.signature {
            // A hedged ML-DSA signer (aws-lc-rs has no deterministic mode) cannot reproduce the
            // example: its signatures differ on every call. It is held to verifying its own
            // and to the public key checked above; any other difference fails.
            let hedged = alg.family() == Family::MlDsa && first != second;
            if !hedged {
                return Verdict::Fail("signature differs from the published one".into());
            }
            let own = format!("{}.{first}", v.signing_input);
            if let Err(e) = tessera::verify_jws(&own, &verifier, &Validation::new()) {
                return Verdict::Fail(format!("hedged signature rejected: {e}"));
            }
        }
    }
    Verdict::Pass
}

fn unsecured(b: &'static dyn Backend, v: &Vector) -> Verdict {
    for &alg in b.algorithms() {
        let f = match Fixture::new(b, alg) {
            Ok(f) => f,
            Err(e) => return Verdict::Fail(format!("fixture {alg}: {e}")),
        };
        match tessera::verify_jws(&v.token(), &f.verifier, &Validation::new()) {
            Err(Error::Decode(DecodeError::AlgNone)) => {}
            other => return Verdict::Fail(format!("{alg}: expected AlgNone, got {other:?}")),
        }
    }
    Verdict::Pass
}
