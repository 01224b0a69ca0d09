//! Several verifiers, picked by the token's `kid`.

use super::{Verified, split, verify};
use crate::b64;
use crate::backend::Verifier;
use crate::error::{DecodeError, Error, Segment, clip};
use crate::header::HeaderView;
use crate::validation::Validation;

/// Why [`VerifierSet::insert`] refused a verifier.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifierSetError {
    /// A key without `kid` beside other keys: tokens pick a key by `kid`, and a token without
    /// one is accepted only when the set holds a single key, so that key could never be used.
    #[error("every key in a set of several keys needs a kid")]
    KeyIdRequired,
}

/// Verifiers held by `kid`, for key rotation: the token's `kid` picks the key, the key's algorithm
/// decides what is accepted.
///
/// Several keys may share a `kid` (one per algorithm); a key without `kid` is accepted only as
/// the set's single key.
#[derive(Debug, Default)]
pub struct VerifierSet {
    entries: Vec<Box<dyn Verifier>>,
}

impl VerifierSet {
    /// An empty set.
    pub fn new() -> Self {
        VerifierSet::default()
    }

    /// Adds a verifier under its key's `kid`.
    ///
    /// Refused with `VerifierSetError::KeyIdRequired` when the set would hold several keys and
    /// one of them (this one or one already in) has no `kid`: it could never be picked.
    pub fn insert(&mut self, verifier: Box<dyn Verifier>) -> Result<(), VerifierSetError> {
        let kid_missing =
            verifier.key_id().is_none() || self.entries.iter().any(|v| v.key_id().is_none());
        if !self.entries.is_empty() && kid_missing {
            return Err(VerifierSetError::KeyIdRequired);
        }
        self.entries.push(verifier);
        Ok(())
    }

    /// Number of verifiers.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The verifier the token's header names, without verifying anything. A token without `kid`
    /// is accepted only when the set holds exactly one key.
    pub fn select(&self, token: &str, validation: &Validation) -> Result<&dyn Verifier, Error> {
        let [h64, _, _] = split(token, validation.max_token_size)?;
        let header =
            b64::decode(h64.as_bytes()).map_err(|_| DecodeError::Base64(Segment::Header))?;
        let view = HeaderView::parse(&header, validation.depth_limit())?;
        let found = match view.kid.as_deref() {
            Some(kid) => {
                let mut same_kid = self.entries.iter().filter(|v| v.key_id() == Some(kid));
                let alg = view.alg.as_deref();
                let first = same_kid.clone().next();
                same_kid
                    .find(|v| Some(v.algorithm().name()) == alg)
                    .or(first)
                    .ok_or_else(|| DecodeError::UnknownKeyId(clip(kid)))?
            }
            None => match self.entries.as_slice() {
                [only] => only,
                _ => return Err(DecodeError::MissingKeyId.into()),
            },
        };
        Ok(found.as_ref())
    }

    /// Picks the verifier by `kid` and verifies as [`verify`] does.
    pub fn verify<'t>(
        &self,
        token: &'t str,
        validation: &Validation,
    ) -> Result<Verified<'t>, Error> {
        verify(token, self.select(token, validation)?, validation)
    }
}
