//! Measurement engine: how fast and how large, for every backend, algorithm and key size.
//!
//! A quick in-process engine (not criterion; the `benches/` at the top level are the criterion
//! suites) behind `tessera compare`. [`run`] measures, [`Report`] renders, [`stability()`]
//! compares several runs.
//!
//! # What is measured
//!
//! For every selected backend × algorithm × key size (RSA 2048, 3072 and 4096 bits for each of
//! RS256…PS512; P-256, P-384, P-521 and secp256k1; Ed25519; HS256/384/512 with a secret as long as
//! the hash), with the fixed keys of [`crate::fixtures`] and the realistic token of
//! [`BenchClaims`] (header `alg`, `typ`, `kid`; 253 bytes of claims JSON):
//!
//! | op | `impl: "tessera"` | `impl: "floor"` (the same backend, same prepared key, same input) |
//! |----|-------------------|-------------------------------------------------------------------|
//! | `sign` | [`Encoder::encode`]: claims to compact token | [`Signer::sign`] of the signing input |
//! | `verify` | [`tessera::verify`] + [`Verified::claims`](tessera::Verified::claims) into borrowed [`BenchClaims`] under [`validation`] | [`Verifier::verify`] of the signing input and signature |
//! | `keygen` | [`Backend::generate`] (where the backend can) | — |
//!
//! plus the token length, the signature length and the public key's size as JWK JSON. With
//! [`Options::peers`] (cargo feature `peers`), jsonwebtoken (both of its crypto providers),
//! jwt-simple and jwt-compact sign and verify the same claims with the same keys (`impl: "peer"`).
//!
//! # Paired, interleaved rounds
//!
//! A machine shared with other work drifts between one second and the next by more than the
//! effects measured here, so nothing is measured alone. The subjects compared with each other —
//! for one algorithm, key and operation: tessera on every backend, every backend's floor, every
//! peer — form a *group*, measured together ([`sampling`]):
//!
//! 1. warm-up: each subject runs for a short while, which also estimates its cost per call and
//!    fixes its *batch* (calls per round, so that a batch takes about the mode's batch time; a
//!    call slower than that is a batch of one). Batches are short on purpose: one that the
//!    scheduler interrupts is slower by another process's whole slice (milliseconds), so on a
//!    busy machine only batches well under a slice come out clean. On Linux, a short batch
//!    during which the thread was switched out (`/proc/thread-self/schedstat`) is timed again,
//!    up to three times ([`sampling::Switches`]; the record counts them in `retried`);
//!    Batches are timed by the thread's CPU time on Linux ([`sampling::thread_ns`]), which
//!    leaves out the time spent waiting for a core while other processes run;
//! 2. rounds: every round runs one batch of every subject, in an order shuffled afresh for each
//!    round by a small seeded PRNG ([`sampling::Rng`]), and keeps each batch's time per call; the
//!    group gets as many rounds as fit in its share of the time (at least a minimum);
//! 3. per round, ratios between subjects of the same round: tessera over its floor
//!    (`overhead_ratio`) and the group's reference (tessera on the default backend) over the
//!    subject (`relative_speed`); each record reports the median over the rounds, of its times
//!    and of its ratios, with a distribution-free ~95 % confidence interval of that median
//!    ([`stats::Interval`]);
//! 4. a record is *stable* when its intervals are narrow (see [`stats::Limits`]); while a group
//!    has an unstable record, it gets more rounds (half as many again each time), up to a bound
//!    and within 1.5 times its share; a record still unstable then says so (`stable: false`) in
//!    every output.
//!
//! | mode | measuring target | batch time | rounds (min, max) | warm-up per subject |
//! |------|------------------|------------|-------------------|---------------------|
//! | default | 75 s | 300 µs | 15, 601 | 5 ms |
//! | `precise` | 300 s | 1 ms | 31, 2001 | 20 ms |
//!
//! Before the first group, every group's work runs untimed, round-robin, for a second (three in
//! `precise`), so that the first groups measured meet a warm machine as the later ones do. The
//! groups are then measured in twelve passes, a twelfth of each group's rounds in each and in a
//! new shuffled order every pass, so that a slow stretch of a busy host weighs a little on
//! every group rather than entirely on a few, and no group is always first; extra rounds come
//! in the last pass. Each pass gets an equal part of the target left, shared
//! among its groups (RSA signing, whose calls are long, gets three shares; each share is
//! recomputed from what is left, so an overrun is absorbed by the groups after it). RSA key
//! generation searches
//! random primes, so its time varies from key to key by a factor of several: it runs a few
//! rounds of one key each (default 2048 bits only, `precise` 3072 and 4096 too) and is usually
//! marked unstable, with a note.
//!
//! # Records
//!
//! [`Report::json`] is one JSON array of [`Record`]s; the members are listed in
//! `docs/compare/SCHEMA.md` and on [`Record`]. CSV has the same columns in the same order.
//!
//! ```no_run
//! use tessera_conformance::measure::{self, Chart, Options};
//! let report = measure::run(&Options::default())?;
//! println!("{}", report.table());
//! std::fs::write("report.html", report.html()?)?;
//! std::fs::write("hmac.svg", report.svg(Chart::Family(tessera::backend::Family::Hmac))?)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod charts;
mod engine;
mod floors;
mod html;
#[cfg(feature = "peers")]
pub mod peers;
pub mod recommend;
mod records;
mod render;
pub mod saml;
pub mod sampling;
pub mod stability;
pub mod stats;
mod subjects;
mod summary;
mod svg;

#[cfg(test)]
mod tests;

pub use charts::Chart;
pub use engine::run;
pub use floors::FloorCheck;
pub use records::{Context, Impl, MeasureError, Op, Record, Report};
pub use sampling::{Budget, Stats, sample};
pub use stability::{Stability, stability};

pub(crate) use records::{alg_rank, key_rank};

use serde::{Deserialize, Serialize};
use std::time::Duration;
use tessera::{Algorithm, Validation};
#[cfg(doc)]
use tessera::{Backend, Encoder, Signer, Verifier};

/// `iss` of the benchmark token.
pub const ISSUER: &str = "https://id.example.com";
/// `sub` of the benchmark token.
pub const SUBJECT: &str = "user-4821";
/// `aud` of the benchmark token.
pub const AUDIENCE: &str = "api.example.com";
/// `jti` of the benchmark token.
pub const TOKEN_ID: &str = "01J9ZK3V8Q4XG7TB";
/// `roles` of the benchmark token.
pub const ROLES: [&str; 3] = ["read", "write", "admin"];
/// `name` of the benchmark token: 60 characters.
pub const NAME: &str = "Genevieve Alexandra Montgomery-Fairbanks, Northern Data Ofc.";
/// `iat` and `nbf` of the benchmark token (November 2023).
pub const ISSUED_AT: i64 = 1_700_000_000;
/// `exp` of the benchmark token (1 January 2100): valid on every library's system clock for
/// the life of these benchmarks, and as many digits as a real short-lived token's.
pub const EXPIRES_AT: i64 = 4_102_444_800;
/// `kid` in the header of the benchmark token.
pub const KID: &str = "bench-2025";

/// The claims of the benchmark token, borrowing every string (deserializing them allocates nothing).
///
/// Serialized in this order: `iss`, `sub`, `aud`, `exp`, `nbf`, `iat`, `jti`, `roles`, `name`
/// (253 bytes of JSON with [`BenchClaims::standard`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenchClaims<'a> {
    /// Issuer.
    pub iss: &'a str,
    /// Subject.
    pub sub: &'a str,
    /// Audience.
    pub aud: &'a str,
    /// Expiration time.
    pub exp: i64,
    /// Not before.
    pub nbf: i64,
    /// Issued at.
    pub iat: i64,
    /// Token id.
    pub jti: &'a str,
    /// Roles (exactly three, so that no `Vec` is needed).
    #[serde(borrow)]
    pub roles: [&'a str; 3],
    /// Display name.
    pub name: &'a str,
}

impl BenchClaims<'static> {
    /// The benchmark claims: [`ISSUER`], [`SUBJECT`], [`AUDIENCE`], [`EXPIRES_AT`], [`ISSUED_AT`]
    /// (as `nbf` and `iat`), [`TOKEN_ID`], [`ROLES`] and [`NAME`].
    pub const fn standard() -> Self {
        BenchClaims {
            iss: ISSUER,
            sub: SUBJECT,
            aud: AUDIENCE,
            exp: EXPIRES_AT,
            nbf: ISSUED_AT,
            iat: ISSUED_AT,
            jti: TOKEN_ID,
            roles: ROLES,
            name: NAME,
        }
    }
}

/// The same claims with owned strings, for libraries that cannot deserialize borrowed ones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnedClaims {
    /// Issuer.
    pub iss: String,
    /// Subject.
    pub sub: String,
    /// Audience.
    pub aud: String,
    /// Expiration time.
    pub exp: i64,
    /// Not before.
    pub nbf: i64,
    /// Issued at.
    pub iat: i64,
    /// Token id.
    pub jti: String,
    /// Roles.
    pub roles: Vec<String>,
    /// Display name.
    pub name: String,
}

/// The validation every benchmark token passes: the system clock (as the peers use), issuer
/// [`ISSUER`], audience [`AUDIENCE`]; `exp` required, `nbf` and `iat` checked.
pub fn validation() -> Validation {
    Validation::new().issuer(ISSUER).audience(AUDIENCE)
}

/// What to measure and how long.
#[derive(Clone, Debug)]
pub struct Options {
    /// Algorithms to measure; empty means all.
    pub algs: Vec<Algorithm>,
    /// Backends to measure, by name (`"tessera-ring"`); empty means every compiled-in backend.
    pub backends: Vec<String>,
    /// More rounds, longer batches (see the module docs): about five minutes for everything.
    pub precise: bool,
    /// Adds the peer libraries (needs the cargo feature `peers`; without it they are listed in
    /// [`Report::skipped`]).
    pub peers: bool,
    /// Measures key generation.
    pub keygen: bool,
    /// Shows a progress bar on stderr (never when stderr is not a terminal).
    pub progress: bool,
    /// Replaces the measuring target of the mode.
    pub time_target: Option<Duration>,
    /// Gives every group exactly this time instead of a share of the target, and skips the
    /// warm-up's minimum (tests use a tiny one).
    pub measurement_time: Option<Duration>,
    /// Seed of the PRNG that shuffles the order of the subjects in each round.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            algs: Vec::new(),
            backends: Vec::new(),
            precise: false,
            peers: false,
            keygen: true,
            progress: true,
            time_target: None,
            measurement_time: None,
            seed: 0x7e55_e7a0,
        }
    }
}
