//! Conformance suites for every tessera backend, through the backend contract only.
//!
//! The backends come from one list, [`backends`] (the facade's compiled-in backends), so a new
//! backend is covered by every suite as soon as the facade lists it:
//!
//! - [`fixtures`]: fixed keys for every algorithm, and a signer/verifier pair per backend and algorithm.
//! - [`attacks`]: named attack cases (RFC 8725 and known CVE classes), each expecting an exact error.
//! - [`matrix`]: every backend's tokens verified by every other backend; deterministic
//!   algorithms compared byte for byte.
//! - [`keys`]: the key-acceptance matrix: a corpus of bad keys, each refused with one exact
//!   error by every backend, and the good fixture keys accepted by all.
//!
//! The top-level `tests/`, `fuzz/` and the CLI's `conform` command drive these.

#![forbid(unsafe_code)]

pub mod attacks;
pub mod fixtures;
pub mod fuzz;
pub mod keys;
pub mod matrix;
pub mod measure;
pub mod report;
pub mod vectors;
pub mod wycheproof;

use tessera::Backend;

/// Every backend under test: the facade's compiled-in backends.
pub fn backends() -> Vec<&'static dyn Backend> {
    tessera::backends()
}

/// The outcome of one check on one backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Behaved as required.
    Pass,
    /// Did not; the message says how.
    Fail(String),
}

impl Verdict {
    /// Whether it passed.
    pub fn passed(&self) -> bool {
        matches!(self, Verdict::Pass)
    }
}
