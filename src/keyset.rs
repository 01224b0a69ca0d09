//! Verifiers from a JWK Set (RFC 7517 §5) published by an issuer, with a report of the keys left out.
//!
//! [`verifier_set_from_jwks`] turns every usable key of a [`JwkSet`] into a verifier on the chosen
//! backend ([`KeyChoice`]) and says, for every key it skips, why ([`SkipReason`]). A key's
//! algorithm comes from its own `alg` member, from its curve (EC and Ed25519 keys, where the curve
//! names exactly one algorithm), or from the algorithms the caller allows for its key type: never
//! from a token. [`JwksVerifiers::verify`] picks the keys by the token's `kid` and `alg` and, when
//! several match, tries them in order, at most [`MAX_CANDIDATES`] (as panva/jose does).
//!
//! (An example, with keys fetched from an issuer, is in the `tessera-jwks` crate docs.)

use crate::{
    Algorithm, BackendId, DecodeError, Error, Jwk, JwkSet, KeyError, NotCompiledIn, Operation,
    Validation, Verified, Verifier, default_backend_for, unverified, verify,
};
use std::fmt;

/// At most this many keys are tried for one token when several match its `kid` and `alg`.
pub const MAX_CANDIDATES: usize = 3;

/// How keys become verifiers: the backend, and the algorithms allowed for keys without `alg`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyChoice {
    backend: Option<BackendId>,
    algorithms: Vec<Algorithm>,
    symmetric: bool,
}

impl KeyChoice {
    /// The default backend per algorithm ([`default_backend_for`] with [`Operation::Verify`]),
    /// only keys whose algorithm is fixed by their `alg` or curve, no symmetric keys.
    pub fn new() -> Self {
        KeyChoice::default()
    }

    /// Every key on exactly this backend; a key it cannot serve is skipped and reported.
    pub fn backend(mut self, id: BackendId) -> Self {
        self.backend = Some(id);
        self
    }

    /// Allows `alg`. Once any algorithm is allowed, keys whose `alg` (or curve) names another one
    /// are skipped, and a key without `alg` (RSA, say) gets one verifier per allowed algorithm of
    /// its key type (`RS256` and `PS256` for an RSA key when both are allowed).
    pub fn allow(mut self, alg: Algorithm) -> Self {
        if !self.algorithms.contains(&alg) {
            self.algorithms.push(alg);
        }
        self
    }

    /// Accepts `kty: oct` keys (HMAC secrets), which a published JWK Set should never hold.
    pub fn allow_symmetric(mut self) -> Self {
        self.symmetric = true;
        self
    }

    /// The backend named, if any.
    pub fn backend_id(&self) -> Option<BackendId> {
        self.backend
    }

    /// The algorithms allowed (empty: any algorithm a key names).
    pub fn algorithms(&self) -> &[Algorithm] {
        &self.algorithms
    }
}

/// Why a key of the set was left out.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkipReason {
    /// `use: enc`: an encryption key.
    Encryption,
    /// `kty: oct` without [`KeyChoice::allow_symmetric`].
    Symmetric,
    /// The key's `alg` is not a JWS algorithm tessera knows (clipped).
    UnknownAlgorithm(String),
    /// Neither the key (`alg`, curve) nor the caller ([`KeyChoice::allow`]) gives an algorithm.
    NoAlgorithm {
        /// The key type.
        kty: &'static str,
    },
    /// The key's algorithm is not among those the caller allows.
    NotAllowed(Algorithm),
    /// No compiled-in backend (or not the one named) supports the algorithm.
    Unsupported(Algorithm),
    /// The backend named by [`KeyChoice::backend`] is not compiled in.
    Backend(NotCompiledIn),
    /// The backend refused the key for the algorithm: too weak, wrong curve, `key_ops`, a bad point.
    Key(Algorithm, KeyError),
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Encryption => f.write_str("an encryption key (use: enc)"),
            SkipReason::Symmetric => f.write_str("a symmetric key (kty: oct) in a published set"),
            SkipReason::UnknownAlgorithm(a) => write!(f, "unknown algorithm {a:?}"),
            SkipReason::NoAlgorithm { kty } => {
                write!(
                    f,
                    "a {kty} key without alg, and no algorithm allowed for it"
                )
            }
            SkipReason::NotAllowed(a) => write!(f, "algorithm {a} is not allowed"),
            SkipReason::Unsupported(a) => write!(f, "no backend for {a}"),
            SkipReason::Backend(e) => e.fmt(f),
            SkipReason::Key(a, e) => write!(f, "refused for {a}: {e}"),
        }
    }
}

/// One key left out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedKey {
    /// Its position among the keys of the [`JwkSet`] (after the parser's own skips).
    pub index: usize,
    /// Its `kid`.
    pub kid: Option<String>,
    /// Why.
    pub reason: SkipReason,
}

/// What [`verifier_set_from_jwks`] left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeySetReport {
    /// Keys the parser ([`JwkSet::from_json`]) already skipped: a `kty` or curve JWS signing
    /// here does not use (the parser keeps no detail about them).
    pub unsupported_type: usize,
    /// Every other key left out.
    pub skipped: Vec<SkippedKey>,
}

impl KeySetReport {
    /// Whether every key of the set was used.
    pub fn is_complete(&self) -> bool {
        self.unsupported_type == 0 && self.skipped.is_empty()
    }
}

/// Verifiers made from a JWK Set, in the set's order, picked by `kid` and `alg` and tried in turn.
#[derive(Debug, Default)]
pub struct JwksVerifiers {
    entries: Vec<Box<dyn Verifier>>,
}

/// The verifiers of every usable key of `set` on the backend `choice` names, and what was left out.
pub fn verifier_set_from_jwks(set: &JwkSet, choice: &KeyChoice) -> (JwksVerifiers, KeySetReport) {
    let mut out = JwksVerifiers::default();
    let mut report = KeySetReport {
        unsupported_type: set.skipped,
        skipped: Vec::new(),
    };
    for (index, key) in set.keys.iter().enumerate() {
        let skip = |reason| SkippedKey {
            index,
            kid: key.kid.clone(),
            reason,
        };
        let algs = match algorithms_for(key, choice) {
            Ok(algs) => algs,
            Err(reason) => {
                report.skipped.push(skip(reason));
                continue;
            }
        };
        // One failure among several allowed algorithms is reported only when none worked.
        let mut first_failure = None;
        let before = out.entries.len();
        for alg in algs {
            match make_verifier(key, alg, choice) {
                Ok(v) => out.entries.push(v),
                Err(reason) => {
                    first_failure.get_or_insert(reason);
                }
            }
        }
        if out.entries.len() == before
            && let Some(reason) = first_failure
        {
            report.skipped.push(skip(reason));
        }
    }
    (out, report)
}

/// The algorithms `key` is used with: its own, checked against the allow-list, or the allowed
/// ones of its key type.
fn algorithms_for(key: &Jwk, choice: &KeyChoice) -> Result<Vec<Algorithm>, SkipReason> {
    if key.key_use.as_deref() == Some("enc") {
        return Err(SkipReason::Encryption);
    }
    if key.kty() == "oct" && !choice.symmetric {
        return Err(SkipReason::Symmetric);
    }
    if let Some(name) = &key.alg {
        let Some(alg) = Algorithm::from_name(name) else {
            return Err(SkipReason::UnknownAlgorithm(
                name.chars().take(32).collect(),
            ));
        };
        return allowed(alg, choice).map(|a| vec![a]);
    }
    if let Some(alg) = key.algorithm() {
        // EC and Ed25519: the curve names the one algorithm.
        return allowed(alg, choice).map(|a| vec![a]);
    }
    let fitting: Vec<Algorithm> = choice
        .algorithms
        .iter()
        .copied()
        .filter(|a| fits(key, *a))
        .collect();
    if fitting.is_empty() {
        return Err(SkipReason::NoAlgorithm { kty: key.kty() });
    }
    Ok(fitting)
}

fn allowed(alg: Algorithm, choice: &KeyChoice) -> Result<Algorithm, SkipReason> {
    if choice.algorithms.is_empty() || choice.algorithms.contains(&alg) {
        Ok(alg)
    } else {
        Err(SkipReason::NotAllowed(alg))
    }
}

/// Whether `alg` is of `key`'s type, by the codec's own binding check (any error but a wrong key
/// type or curve means the type fits and the key will be judged when the verifier is made).
fn fits(key: &Jwk, alg: Algorithm) -> bool {
    !matches!(
        key.check_for(alg, crate::backend::KeyUse::Verify),
        Err(KeyError::WrongKeyType { .. } | KeyError::WrongCurve { .. })
    )
}

fn make_verifier(
    key: &Jwk,
    alg: Algorithm,
    choice: &KeyChoice,
) -> Result<Box<dyn Verifier>, SkipReason> {
    let backend = match choice.backend {
        Some(id) => id.get().map_err(SkipReason::Backend)?,
        None => default_backend_for(alg, Operation::Verify).ok_or(SkipReason::Unsupported(alg))?,
    };
    if !backend.supports(alg) {
        return Err(SkipReason::Unsupported(alg));
    }
    backend
        .verifier(key, alg)
        .map_err(|e| SkipReason::Key(alg, e))
}

/// The members of a token header that choose keys; the codec checks the whole header again.
struct KeyHint {
    kid: Option<String>,
    alg: String,
}

impl JwksVerifiers {
    /// An empty set.
    pub fn new() -> Self {
        JwksVerifiers::default()
    }

    /// Adds a verifier after the others.
    pub fn insert(&mut self, verifier: Box<dyn Verifier>) {
        self.entries.push(verifier);
    }

    /// Number of verifiers (a key allowed several algorithms counts once per algorithm).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `kid`s, in order, each once.
    pub fn kids(&self) -> Vec<&str> {
        let mut kids: Vec<&str> = Vec::new();
        for kid in self.entries.iter().filter_map(|v| v.key_id()) {
            if !kids.contains(&kid) {
                kids.push(kid);
            }
        }
        kids
    }

    /// Whether a verifier has this `kid`.
    pub fn contains_kid(&self, kid: &str) -> bool {
        self.entries.iter().any(|v| v.key_id() == Some(kid))
    }

    /// The verifiers that may have signed `token`, in order, at most [`MAX_CANDIDATES`]: those
    /// with its `kid` (all of them when it has none) and its `alg`.
    ///
    /// Nothing is verified here. Errors: the token's shape ([`DecodeError`]), no key with the
    /// `kid` ([`DecodeError::UnknownKeyId`]), keys with the `kid` but another algorithm
    /// ([`DecodeError::AlgorithmMismatch`]), no `kid` and no key of the `alg`
    /// ([`DecodeError::MissingKeyId`]).
    pub fn candidates(
        &self,
        token: &str,
        validation: &Validation,
    ) -> Result<Vec<&dyn Verifier>, Error> {
        let hint = key_hint(token, validation)?;
        let alg = hint.alg.as_str();
        if alg.eq_ignore_ascii_case("none") {
            return Err(DecodeError::AlgNone.into());
        }
        let same_kid = |v: &&dyn Verifier| match hint.kid.as_deref() {
            Some(kid) => v.key_id() == Some(kid),
            None => true,
        };
        let found: Vec<&dyn Verifier> = self
            .entries
            .iter()
            .map(|v| v.as_ref())
            .filter(same_kid)
            .filter(|v| v.algorithm().name() == alg)
            .take(MAX_CANDIDATES)
            .collect();
        if !found.is_empty() {
            return Ok(found);
        }
        Err(match (
            &hint.kid,
            self.entries.iter().map(|v| v.as_ref()).find(same_kid),
        ) {
            (Some(kid), None) => DecodeError::UnknownKeyId(kid.chars().take(64).collect()),
            (_, Some(other)) => DecodeError::AlgorithmMismatch {
                expected: other.algorithm(),
                found: alg.chars().take(32).collect(),
            },
            (None, None) => DecodeError::MissingKeyId,
        }
        .into())
    }

    /// Verifies `token` with the keys of [`JwksVerifiers::candidates`], in order, until one
    /// signature verifies; the claims rules then decide. Only a bad signature moves on to the next
    /// key; the last one's error is returned.
    pub fn verify<'t>(
        &self,
        token: &'t str,
        validation: &Validation,
    ) -> Result<Verified<'t>, Error> {
        let mut last = None;
        for v in self.candidates(token, validation)? {
            match verify(token, v, validation) {
                Err(e @ Error::Signature(_)) => last = Some(e),
                done => return done,
            }
        }
        // ok: candidates is never empty on success, so a signature error was recorded.
        Err(last.unwrap_or(Error::Decode(DecodeError::MissingKeyId)))
    }
}

/// The `kid` and `alg` of the token header, read with the size limit and the codec's strict rules.
fn key_hint(token: &str, validation: &Validation) -> Result<KeyHint, Error> {
    let h = unverified::header(token, validation.get_max_token_size())?;
    Ok(KeyHint {
        kid: h.kid,
        alg: h.alg,
    })
}
