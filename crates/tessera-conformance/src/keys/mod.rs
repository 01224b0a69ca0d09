//! The key-acceptance matrix: every bad key of the corpus (`vectors/keys/`, see its README) and
//! every good fixture key, on every backend that supports the key's algorithm.
//!
//! A bad key must be refused with the exact error its entry names, at construction (the
//! verifier; for a private key also the signer and [`Backend::public_key`]), or, for the few
//! flaws a library can only notice when it verifies ([`Stage::Verify`]), by refusing every token.
//! A backend that builds a verifier from a key it should have refused then has the entry's
//! tokens run through it, so the table shows whether it would have accepted a forgery; the case
//! fails either way. A good key must be accepted by every constructor, every backend must verify
//! every backend's token under it, and the public keys they derive must be identical.
//!
//! Backends come from the caller (usually [`crate::backends`]); none is named here.

mod corpus;
mod table;

pub use corpus::{Control, Entry, FILES, KeyForm, Stage, corpus};
pub use table::table;

/// Every class of bad key the corpus holds: the corpus must have entries of each
/// (`keys::tests`), and `tests/key_acceptance.rs` has one exact-error test per class and fails
/// on an entry of a class not listed here.
pub const CLASSES: &[&str] = &[
    "ed25519_small_order",
    "ed25519_non_canonical",
    "ed25519_not_on_curve",
    "ed25519_public_mismatch",
    "ec_coordinate_range",
    "ec_not_on_curve",
    "ec_scalar_range",
    "ec_public_mismatch",
    "rsa_exponent",
    "rsa_modulus_even",
    "rsa_modulus_too_large",
    "rsa_too_weak",
    "hmac_too_weak",
    "wrong_key_type",
    "wrong_curve",
    "akp_missing_alg",
    "akp_alg_not_ml_dsa",
    "akp_pub_length",
    "akp_alg_length_mismatch",
    "akp_seed_length",
    "akp_not_base64url",
    "akp_public_mismatch",
    "akp_alg_mismatch",
    "akp_der_form",
];

use crate::Verdict;
use crate::fixtures::{private_key, rsa_key};
use std::fmt;
use tessera::codec::{Family, b64};
use tessera::{Algorithm, Backend, Jwk, KeyError, Validation, Verifier};

/// The payload of every token in the corpus and of the good keys' tokens.
pub const PAYLOAD: &str = r#"{"sub":"admin","exp":4000000000}"#;

/// What a case expects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    /// A good key: every constructor succeeds and every token verifies.
    Accept,
    /// A bad key: refused with this error (as [`error_name`] writes it) at this stage.
    Refuse {
        /// `Rejected(Rule)` or a [`KeyError`] variant name.
        error: String,
        /// Where.
        stage: Stage,
    },
}

/// A constructor of the backend contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// [`Backend::verifier`], then the case's tokens through it.
    Verifier,
    /// [`Backend::signer`] (private keys).
    Signer,
    /// [`Backend::public_key`] (private keys other than secrets).
    PublicKey,
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Verifier => "verifier",
            Op::Signer => "signer",
            Op::PublicKey => "public_key",
        })
    }
}

/// What one constructor did with the key.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// It refused the key with this error.
    Refused(KeyError),
    /// It accepted the key; for a verifier, `accepted` of the case's `tokens` then verified.
    Built {
        /// Tokens that verified.
        accepted: usize,
        /// Tokens tried.
        tokens: usize,
    },
}

impl Outcome {
    const BUILT: Outcome = Outcome::Built {
        accepted: 0,
        tokens: 0,
    };

    /// A short description for tables and messages.
    pub fn describe(&self) -> String {
        match self {
            Outcome::Refused(e) => error_name(e),
            Outcome::Built { tokens: 0, .. } => "built".into(),
            Outcome::Built { accepted: 0, .. } => "built, tokens refused".into(),
            Outcome::Built { accepted, tokens } => {
                format!("built, {accepted}/{tokens} tokens accepted")
            }
        }
    }
}

/// One backend's run of one case.
#[derive(Clone, Debug)]
pub struct BackendRun {
    /// The backend.
    pub backend: &'static str,
    /// Each constructor tried, in order, and what it did.
    pub ops: Vec<(Op, Outcome)>,
    /// Whether this backend behaved as the case requires (its controls included).
    pub verdict: Verdict,
}

/// One key on every backend that supports its algorithm.
#[derive(Clone, Debug)]
pub struct Case {
    /// The entry's name (`good_...` for the fixture keys).
    pub name: String,
    /// Its class (`good_fixture` for the fixture keys).
    pub class: String,
    /// The algorithm.
    pub alg: Algorithm,
    /// What is required.
    pub expected: Expected,
    /// One run per backend that supports `alg`.
    pub runs: Vec<BackendRun>,
    /// Every failure: each failing backend's, then any disagreement between backends.
    pub failures: Vec<String>,
}

impl Case {
    /// Whether every backend behaved as required and they agree.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// The run of `backend`, if it ran this case.
    pub fn run_of(&self, backend: &str) -> Option<&BackendRun> {
        self.runs.iter().find(|r| r.backend == backend)
    }
}

/// The exact error as the corpus writes it: `Rejected(Rule)` for [`KeyError::Rejected`], else
/// the variant's name (`TooWeak`, `Invalid`, ...), without its fields.
pub fn error_name(e: &KeyError) -> String {
    if let KeyError::Rejected(rule) = e {
        return format!("Rejected({rule:?})");
    }
    // The Debug form starts with the variant name; the enum is non-exhaustive, so this also
    // names variants added later.
    let debug = format!("{e:?}");
    debug
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Every case: the corpus, then the good fixture keys. A corpus that cannot be read is one
/// failing case named `corpus`.
pub fn run(backends: &[&'static dyn Backend]) -> Vec<Case> {
    let mut cases = match corpus() {
        Ok(entries) => entries.iter().map(|e| run_entry(e, backends)).collect(),
        Err(e) => vec![Case {
            name: "corpus".into(),
            class: "corpus".into(),
            alg: Algorithm::HS256,
            expected: Expected::Accept,
            runs: Vec::new(),
            failures: vec![format!("keys corpus: {e}")],
        }],
    };
    cases.extend(run_good(backends));
    cases
}

/// Every failure of every case, one line each.
pub fn failures(cases: &[Case]) -> Vec<String> {
    cases
        .iter()
        .flat_map(|c| c.failures.iter().cloned())
        .collect()
}

fn supporting<'a>(
    backends: &'a [&'static dyn Backend],
    alg: Algorithm,
) -> impl Iterator<Item = &'static dyn Backend> + 'a {
    backends.iter().copied().filter(move |b| b.supports(alg))
}

/// How many of `tokens` verify under `verifier` (signature and header only: claims are not the
/// point here).
fn accepted(verifier: &dyn Verifier, tokens: &[String]) -> usize {
    let rules = Validation::new();
    tokens
        .iter()
        .filter(|t| tessera::verify_jws(t, verifier, &rules).is_ok())
        .count()
}

fn verifier_outcome(b: &dyn Backend, key: &Jwk, alg: Algorithm, tokens: &[String]) -> Outcome {
    match b.verifier(key, alg) {
        Ok(v) => Outcome::Built {
            accepted: accepted(&*v, tokens),
            tokens: tokens.len(),
        },
        Err(e) => Outcome::Refused(e),
    }
}

/// The constructors a key goes through: the verifier always; a private key also the signer,
/// and `public_key` unless it is a secret (which has no public form).
fn ops_for(key: &Jwk) -> Vec<Op> {
    let mut ops = vec![Op::Verifier];
    if key.is_private() {
        ops.push(Op::Signer);
        if key.kty() != "oct" {
            ops.push(Op::PublicKey);
        }
    }
    ops
}

/// Whether `e` is the error `entry` names: its variant (and rule), and its `detail` when given.
pub fn is_expected(entry: &Entry, e: &KeyError) -> bool {
    error_name(e) == entry.expected
        && entry
            .detail
            .as_ref()
            .is_none_or(|d| e.to_string().contains(d.as_str()))
}

/// Whether `outcome` of `op` is what `entry` requires.
fn meets(entry: &Entry, op: Op, outcome: &Outcome) -> bool {
    match outcome {
        Outcome::Refused(e) => is_expected(entry, e),
        Outcome::Built {
            accepted: 0,
            tokens,
        } => entry.refused == Stage::Verify && op == Op::Verifier && *tokens > 0,
        Outcome::Built { .. } => false,
    }
}

fn run_entry(entry: &Entry, backends: &[&'static dyn Backend]) -> Case {
    let key = entry.jwk();
    let mut case = Case {
        name: entry.name.clone(),
        class: entry.class.clone(),
        alg: entry.alg,
        expected: Expected::Refuse {
            error: entry.expected.clone(),
            stage: entry.refused,
        },
        runs: Vec::new(),
        failures: Vec::new(),
    };
    for b in supporting(backends, entry.alg) {
        let ops: Vec<(Op, Outcome)> = match &key {
            // Refused by the codec's reader: the same for every backend, and still checked.
            Err(e) => vec![(Op::Verifier, Outcome::Refused(e.clone()))],
            Ok(key) => ops_for(key)
                .into_iter()
                .map(|op| {
                    let outcome = match op {
                        Op::Verifier => verifier_outcome(b, key, entry.alg, &entry.tokens),
                        Op::Signer => b
                            .signer(key, entry.alg)
                            .map_or_else(Outcome::Refused, |_| Outcome::BUILT),
                        Op::PublicKey => b
                            .public_key(key)
                            .map_or_else(Outcome::Refused, |_| Outcome::BUILT),
                    };
                    (op, outcome)
                })
                .collect(),
        };
        let mut problems: Vec<String> = ops
            .iter()
            .filter(|(op, o)| !meets(entry, *op, o))
            .map(|(op, o)| format!("{op}: {}", o.describe()))
            .collect();
        for (i, c) in entry.controls.iter().enumerate() {
            if let Err(m) = check_control(b, entry, c) {
                problems.push(format!("control {i}: {m}"));
            }
        }
        let verdict = if problems.is_empty() {
            Verdict::Pass
        } else {
            let stage = match entry.refused {
                Stage::Construction => "at construction",
                Stage::Verify => "at construction, or every token refused",
            };
            let detail = entry
                .detail
                .as_ref()
                .map_or_else(String::new, |d| format!(" (\"{d}\")"));
            let m = format!(
                "{}, expected {}{detail} {stage}",
                problems.join("; "),
                entry.expected
            );
            case.failures
                .push(format!("keys {} on {}: {m}", entry.name, b.name()));
            Verdict::Fail(m)
        };
        case.runs.push(BackendRun {
            backend: b.name(),
            ops,
            verdict,
        });
    }
    if let Some(d) = disagreement(&case.runs, |op, o| {
        // Both ways of meeting a verify-stage entry count as the same answer.
        if meets(entry, op, o) {
            "refused as required".to_owned()
        } else {
            o.describe()
        }
    }) {
        case.failures.push(format!("keys {}: {d}", entry.name));
    }
    case
}

fn check_control(b: &dyn Backend, entry: &Entry, c: &Control) -> Result<(), String> {
    let key =
        Jwk::from_json(c.jwk.to_string().as_bytes()).map_err(|e| format!("unreadable: {e}"))?;
    let v = b
        .verifier(&key, entry.alg)
        .map_err(|e| format!("refused: {}", error_name(&e)))?;
    for &i in &c.verifies {
        let token = entry.tokens.get(i).map_or("", String::as_str);
        tessera::verify_jws(token, &*v, &Validation::new())
            .map_err(|e| format!("token {i} refused: {e}"))?;
    }
    Ok(())
}

/// Names the operations on which backends gave different answers, as `normal` sees them.
fn disagreement(runs: &[BackendRun], normal: impl Fn(Op, &Outcome) -> String) -> Option<String> {
    let mut parts = Vec::new();
    for op in [Op::Verifier, Op::Signer, Op::PublicKey] {
        let mut answers: Vec<(String, Vec<&str>)> = Vec::new();
        for r in runs {
            for (_, o) in r.ops.iter().filter(|(o, _)| *o == op) {
                let a = normal(op, o);
                match answers.iter_mut().find(|(x, _)| *x == a) {
                    Some((_, who)) => who.push(r.backend),
                    None => answers.push((a, vec![r.backend])),
                }
            }
        }
        if answers.len() > 1 {
            let list: Vec<String> = answers
                .iter()
                .map(|(a, who)| format!("{} -> {a}", who.join(", ")))
                .collect();
            parts.push(format!("{op}: {}", list.join("; ")));
        }
    }
    (!parts.is_empty()).then(|| format!("backends disagree: {}", parts.join(" | ")))
}

/// The good fixture keys: one per algorithm (the same RSA key for RS* and PS*) and the larger
/// RSA fixtures.
fn good_keys() -> Vec<(String, Algorithm, Result<Jwk, KeyError>)> {
    let mut keys: Vec<_> = Algorithm::ALL
        .iter()
        .map(|&a| {
            (
                format!("good_{}", a.name().to_lowercase()),
                a,
                private_key(a),
            )
        })
        .collect();
    keys.push(("good_rs256_3072".into(), Algorithm::RS256, rsa_key(3072)));
    keys.push(("good_ps512_4096".into(), Algorithm::PS512, rsa_key(4096)));
    keys
}

/// A token over [`PAYLOAD`] for `alg`, signed by `b` with `key`.
fn sign_token(b: &dyn Backend, key: &Jwk, alg: Algorithm) -> Result<String, KeyError> {
    let signer = b.signer(key, alg)?;
    let input = format!(
        "{}.{}",
        b64::encode(format!(r#"{{"alg":"{alg}"}}"#).as_bytes()),
        b64::encode(PAYLOAD.as_bytes())
    );
    let mut sig = Vec::new();
    signer
        .sign(input.as_bytes(), &mut sig)
        .map_err(|e| KeyError::Invalid(e.to_string()))?;
    Ok(format!("{input}.{}", b64::encode(&sig)))
}

/// Every good fixture key on every backend that supports its algorithm: `public_key`, the
/// signer and the verifier (from the derived public key) succeed, every backend's token
/// verifies under every backend's verifier, and the derived public keys are identical.
pub fn run_good(backends: &[&'static dyn Backend]) -> Vec<Case> {
    good_keys()
        .into_iter()
        .map(|(name, alg, key)| good_case(backends, name, alg, key))
        .collect()
}

fn good_case(
    backends: &[&'static dyn Backend],
    name: String,
    alg: Algorithm,
    key: Result<Jwk, KeyError>,
) -> Case {
    let mut case = Case {
        name: name.clone(),
        class: "good_fixture".into(),
        alg,
        expected: Expected::Accept,
        runs: Vec::new(),
        failures: Vec::new(),
    };
    let key = match key {
        Ok(k) => k,
        Err(e) => {
            case.failures
                .push(format!("keys {name}: fixture unreadable: {e}"));
            return case;
        }
    };
    let secret = alg.family() == Family::Hmac;
    // First every backend's public key and token, then every verifier over all tokens.
    let mut made = Vec::new();
    for b in supporting(backends, alg) {
        let public = if secret {
            Ok(key.clone())
        } else {
            b.public_key(&key)
        };
        made.push((b, public, sign_token(b, &key, alg)));
    }
    let tokens: Vec<String> = made
        .iter()
        .filter_map(|(_, _, t)| t.as_ref().ok().cloned())
        .collect();
    for (b, public, token) in &made {
        let mut ops = Vec::new();
        if !secret {
            ops.push((Op::PublicKey, outcome_of(public)));
        }
        ops.push((Op::Signer, outcome_of(token)));
        let verifier = match public {
            Ok(p) => verifier_outcome(*b, p, alg, &tokens),
            Err(e) => Outcome::Refused(e.clone()),
        };
        ops.push((Op::Verifier, verifier));
        let problems: Vec<String> = ops
            .iter()
            .filter(|(_, o)| !matches!(o, Outcome::Built { accepted, tokens: n } if accepted == n))
            .map(|(op, o)| format!("{op}: {}", o.describe()))
            .collect();
        let verdict = if problems.is_empty() && tokens.len() == made.len() {
            Verdict::Pass
        } else {
            let m = format!(
                "{}, expected the key accepted and {} tokens verified",
                problems.join("; "),
                made.len()
            );
            case.failures
                .push(format!("keys {name} on {}: {m}", b.name()));
            Verdict::Fail(m)
        };
        case.runs.push(BackendRun {
            backend: b.name(),
            ops,
            verdict,
        });
    }
    let publics: Vec<BackendRun> = made
        .iter()
        .map(|(b, public, _)| BackendRun {
            backend: b.name(),
            ops: vec![(Op::PublicKey, outcome_of(public))],
            verdict: Verdict::Pass,
        })
        .collect();
    let jsons: Vec<(&str, String)> = made
        .iter()
        .filter_map(|(b, p, _)| p.as_ref().ok().map(|p| (b.name(), p.to_json())))
        .collect();
    if let Some(d) = disagreement(&publics, |_, o| o.describe()) {
        case.failures.push(format!("keys {name}: {d}"));
    } else if let Some((first, json)) = jsons.first()
        && let Some((other, _)) = jsons.iter().find(|(_, j)| j != json)
    {
        case.failures.push(format!(
            "keys {name}: backends disagree: public keys of {first} and {other} differ"
        ));
    }
    case
}

fn outcome_of<T>(r: &Result<T, KeyError>) -> Outcome {
    match r {
        Ok(_) => Outcome::BUILT,
        Err(e) => Outcome::Refused(e.clone()),
    }
}

#[cfg(test)]
mod tests;
