//! Measurement engine: how fast and how large, for every backend, algorithm and key size.
//!
//! A quick in-process engine (not criterion; the `benches/` at the top level are the criterion
//! suites) behind the backend comparison. [`run`] measures, [`Report`] renders.
//!
//! # What is measured
//!
//! For every selected backend × algorithm × key size (RSA 2048, 3072 and 4096 bits for each of
//! RS256…PS512; P-256, P-384, P-521 and secp256k1; Ed25519; HS256/384/512 with a secret as long as
//! the hash), with the fixed keys of [`crate::fixtures`] and the realistic token of
//! [`BenchClaims`] (header `alg`, `typ`, `kid`; about 250 bytes of claims JSON):
//!
//! | op | `impl: "tessera"` | `impl: "floor"` (the same backend, same prepared key, same input) |
//! |----|-------------------|-------------------------------------------------------------------|
//! | `sign` | [`Encoder::encode`]: claims to compact token | [`Signer::sign`] of the signing input |
//! | `verify` | [`tessera::verify`] + [`Verified::claims`](tessera::Verified::claims) into borrowed [`BenchClaims`] under [`validation`] | [`Verifier::verify`] of the signing input and signature |
//! | `keygen` | [`Backend::generate`] (where the backend can; RSA: see below) | — |
//!
//! plus the token length, the signature length and the public key's size as JWK JSON.
//! The verify and sign overhead over the floor is `ns_median(tessera) - ns_median(floor)`.
//! With [`Options::peers`] (cargo feature `peers`), jsonwebtoken (both of its crypto providers),
//! jwt-simple and jwt-compact sign and verify the same claims with the same keys (`impl: "peer"`).
//!
//! # Sampling and the time budget
//!
//! Each measurement warms up for a fifth of its time, estimates the cost of one call, then takes
//! samples of a fixed number of calls each and reports the median, min and max time per call over
//! the samples. It stops after `max_samples`, or once its time is spent and it has `min_samples`.
//! A call slower than a sample's share (RSA-4096 signing) runs once per sample, so slow operations
//! overrun their share by up to `min_samples + 1` calls.
//!
//! The whole run has a time target; every measurement gets an equal share of what is left
//! (recomputed before each one, so an overrun is absorbed by the ones after it), bounded by a cap:
//!
//! | mode | whole-run target | cap per measurement | samples (min–max) | RSA keygen |
//! |------|------------------|---------------------|-------------------|------------|
//! | default | 40 s | 100 ms | 3–10 | 2048 bits only, 1–3 keys within 2 s per backend |
//! | `precise` | 300 s | 1 s | 5–30 | 2048, 3072 and 4096 bits, 2–5 keys within 20 s each |
//!
//! With the seven backends and every algorithm, the default run is 441 measurements (102
//! backend × algorithm × key subjects × 4 timings, and 33 key generations): measured at 40.0 s
//! wall time, setup included, on 2 cores in a release build; with the peers, 635 measurements in
//! the same 40 s (each gets a smaller share). RSA key generation searches random primes, so its
//! time varies from key to key by a factor of several: its few samples give an order of
//! magnitude, not a stable figure (its records say so in `note`). On a machine busy with other
//! work the medians move by tens of percent; the floor and tessera records of one subject are
//! measured one after the other, so their ratio suffers less.
//!
//! # Records (the JSON schema)
//!
//! [`Report::json`] is one JSON array of objects, one per measurement, with these members
//! (CSV has the same columns in this order; absent values are `null` in JSON, empty in CSV):
//!
//! | member | type | meaning |
//! |--------|------|---------|
//! | `impl` | string | `"tessera"` (through the codec), `"floor"` (the backend's raw primitive), `"peer"` (another JWT library) |
//! | `library` | string | tessera: the backend (`"tessera-ring"`); floor: its crypto library (`"ring"`); peer: the library (`"jsonwebtoken (rust_crypto)"`, `"jsonwebtoken (aws_lc_rs)"`, `"jwt-simple"`, `"jwt-compact"`) |
//! | `version` | string | the crypto library's version for floors, the crate version requirement for peers, `null` for tessera |
//! | `backend` | string or null | the tessera backend for `tessera` and `floor` records, `null` for peers |
//! | `alg` | string | JOSE algorithm: `"HS256"` … `"EdDSA"` |
//! | `key` | string | `"2048"`/`"3072"`/`"4096"` (RSA bits), `"P-256"`, `"P-384"`, `"P-521"`, `"secp256k1"`, `"Ed25519"`, `"oct-256"`/`"oct-384"`/`"oct-512"` (HMAC secret bits) |
//! | `op` | string | `"sign"`, `"verify"` or `"keygen"` |
//! | `ns_median` | number | median time of one call in nanoseconds |
//! | `ns_min` | number | fastest sample's time per call |
//! | `ns_max` | number | slowest sample's time per call |
//! | `ops_per_sec` | number | `1e9 / ns_median` |
//! | `samples` | integer | samples taken |
//! | `iterations` | integer | calls timed in all (warm-up excluded) |
//! | `token_bytes` | integer or null | length of the compact token (sign and verify; a peer's own token) |
//! | `signature_bytes` | integer or null | length of the raw signature |
//! | `jwk_bytes` | integer or null | public key as compact JWK JSON (the secret's JWK for HMAC); tessera and floor records |
//! | `overhead_ns` | number or null | tessera records: `ns_median` minus the floor's `ns_median` for the same backend, alg, key and op |
//! | `overhead_ratio` | number or null | tessera records: `ns_median / floor ns_median` |
//! | `note` | string or null | caveats, e.g. for RSA key generation |
//!
//! ```no_run
//! use tessera_conformance::measure::{self, Chart, Options};
//! let report = measure::run(&Options::default())?;
//! println!("{}", report.table());
//! std::fs::write("verify.svg", report.svg(Chart::Verify)?)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(feature = "peers")]
pub mod peers;
mod render;

pub use render::Chart;

use crate::fixtures;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::hint::black_box;
use std::io::IsTerminal;
use std::time::{Duration, Instant};
use tessera::{
    Algorithm, Backend, Encoder, Family, Jwk, KeySpec, Signer, Validation, Verifier, b64,
};

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
    /// Longer sampling (see the module docs): about five minutes for everything.
    pub precise: bool,
    /// Adds the peer libraries (needs the cargo feature `peers`; without it they are listed in
    /// [`Report::skipped`]).
    pub peers: bool,
    /// Measures key generation.
    pub keygen: bool,
    /// Shows a progress bar on stderr (never when stderr is not a terminal).
    pub progress: bool,
    /// Replaces the whole-run time target of the mode.
    pub time_target: Option<Duration>,
    /// Gives every measurement exactly this time instead of a share of the target (tests use a
    /// tiny one). RSA key generation still takes at least one key per sample.
    pub measurement_time: Option<Duration>,
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
        }
    }
}

/// Which implementation a record measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Impl {
    /// tessera's codec over a backend.
    Tessera,
    /// The backend's raw primitive with the same prepared key and input.
    Floor,
    /// Another JWT library.
    Peer,
}

impl Impl {
    /// The JSON name.
    pub const fn name(self) -> &'static str {
        match self {
            Impl::Tessera => "tessera",
            Impl::Floor => "floor",
            Impl::Peer => "peer",
        }
    }
}

/// The operation a record measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// Key generation.
    Keygen,
    /// Signing.
    Sign,
    /// Verifying.
    Verify,
}

impl Op {
    /// The JSON name.
    pub const fn name(self) -> &'static str {
        match self {
            Op::Keygen => "keygen",
            Op::Sign => "sign",
            Op::Verify => "verify",
        }
    }
}

/// One measurement. The module docs describe every member.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// `tessera`, `floor` or `peer`.
    #[serde(rename = "impl")]
    pub implementation: Impl,
    /// Backend, crypto library or peer library.
    pub library: String,
    /// Version of the crypto or peer library.
    pub version: Option<String>,
    /// The tessera backend (tessera and floor records).
    pub backend: Option<String>,
    /// JOSE algorithm name.
    pub alg: String,
    /// Key size or curve.
    pub key: String,
    /// Operation.
    pub op: Op,
    /// Median nanoseconds per call.
    pub ns_median: f64,
    /// Fastest sample, nanoseconds per call.
    pub ns_min: f64,
    /// Slowest sample, nanoseconds per call.
    pub ns_max: f64,
    /// Calls per second at the median.
    pub ops_per_sec: f64,
    /// Samples taken.
    pub samples: usize,
    /// Calls timed.
    pub iterations: u64,
    /// Token length in bytes.
    pub token_bytes: Option<usize>,
    /// Signature length in bytes.
    pub signature_bytes: Option<usize>,
    /// Public key as compact JWK JSON, in bytes.
    pub jwk_bytes: Option<usize>,
    /// Median minus the floor's median (tessera records).
    pub overhead_ns: Option<f64>,
    /// Median over the floor's median (tessera records).
    pub overhead_ratio: Option<f64>,
    /// Caveats.
    pub note: Option<String>,
}

/// The outcome of [`run`].
#[derive(Clone, Debug)]
pub struct Report {
    /// Every measurement, sorted by algorithm, key, operation, implementation and library.
    pub records: Vec<Record>,
    /// What was not measured, and why (a backend refusing a key size, a missing feature…).
    pub skipped: Vec<String>,
    /// Wall time of the whole run, setup included.
    pub elapsed: Duration,
    /// Whether the run was `precise`.
    pub precise: bool,
}

/// Why a run or a rendering failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum MeasureError {
    /// A backend name that is not compiled in.
    UnknownBackend(String),
    /// The options select nothing any backend implements.
    NothingSelected,
    /// Drawing a chart failed.
    Render(String),
    /// Serializing to JSON failed.
    Json(serde_json::Error),
}

impl fmt::Display for MeasureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MeasureError::UnknownBackend(name) => {
                let known: Vec<&str> = crate::backends().iter().map(|b| b.name()).collect();
                write!(
                    f,
                    "unknown backend {name:?} (compiled in: {})",
                    known.join(", ")
                )
            }
            MeasureError::NothingSelected => {
                f.write_str("no selected backend implements any selected algorithm")
            }
            MeasureError::Render(e) => write!(f, "drawing the chart failed: {e}"),
            MeasureError::Json(e) => write!(f, "JSON: {e}"),
        }
    }
}

impl std::error::Error for MeasureError {}

/// How long one measurement may sample.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Time for the measurement, warm-up included.
    pub time: Duration,
    /// Whether to warm up (a fifth of `time`, at least one call) and batch calls per sample;
    /// without, every sample is one call and nothing runs untimed.
    pub warm_up: bool,
    /// Samples taken even when that overruns `time`.
    pub min_samples: usize,
    /// Samples never exceeded.
    pub max_samples: usize,
}

impl Budget {
    /// `time` with warm-up and the default 3 to 10 samples.
    pub const fn new(time: Duration) -> Self {
        Budget {
            time,
            warm_up: true,
            min_samples: 3,
            max_samples: 10,
        }
    }
}

/// The timing of one operation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stats {
    /// Median nanoseconds per call over the samples.
    pub median_ns: f64,
    /// Fastest sample.
    pub min_ns: f64,
    /// Slowest sample.
    pub max_ns: f64,
    /// Samples taken.
    pub samples: usize,
    /// Calls timed (warm-up excluded).
    pub iterations: u64,
}

/// Times `op` within `budget`; the first error stops sampling and is returned.
pub fn sample<E>(budget: Budget, mut op: impl FnMut() -> Result<(), E>) -> Result<Stats, E> {
    let start = Instant::now();
    let min_samples = budget.min_samples.max(1);
    let max_samples = budget.max_samples.max(min_samples);
    let mut per_sample: u64 = 1;
    if budget.warm_up {
        let warm_until = budget.time / 5;
        let mut calls: u64 = 0;
        loop {
            op()?;
            calls += 1;
            if start.elapsed() >= warm_until {
                break;
            }
        }
        let per_call = start.elapsed().as_nanos() as f64 / calls as f64;
        let share = (budget.time - warm_until).as_nanos() as f64 / max_samples as f64;
        per_sample = if per_call > 0.0 {
            (share / per_call).floor().max(1.0) as u64
        } else {
            calls.max(1)
        };
    }
    let mut times: Vec<f64> = Vec::with_capacity(max_samples);
    while times.len() < max_samples {
        let t = Instant::now();
        for _ in 0..per_sample {
            op()?;
        }
        times.push(t.elapsed().as_nanos() as f64 / per_sample as f64);
        if times.len() >= min_samples && start.elapsed() >= budget.time {
            break;
        }
    }
    times.sort_by(f64::total_cmp);
    let n = times.len();
    let median = if n % 2 == 1 {
        times[n / 2]
    } else {
        (times[n / 2 - 1] + times[n / 2]) / 2.0
    };
    Ok(Stats {
        median_ns: median,
        min_ns: times[0],
        max_ns: times[n - 1],
        samples: n,
        iterations: per_sample * n as u64,
    })
}

/// The sampling settings of a mode.
#[derive(Clone, Copy, Debug)]
struct Mode {
    target: Duration,
    cap: Duration,
    min_samples: usize,
    max_samples: usize,
    rsa_keygen_bits: &'static [usize],
    rsa_keygen: Budget,
}

impl Mode {
    fn of(options: &Options) -> Mode {
        let mut mode = if options.precise {
            Mode {
                target: Duration::from_secs(300),
                cap: Duration::from_secs(1),
                min_samples: 5,
                max_samples: 30,
                rsa_keygen_bits: &[2048, 3072, 4096],
                rsa_keygen: Budget {
                    time: Duration::from_secs(20),
                    warm_up: false,
                    min_samples: 2,
                    max_samples: 5,
                },
            }
        } else {
            Mode {
                target: Duration::from_secs(40),
                cap: Duration::from_millis(100),
                min_samples: 3,
                max_samples: 10,
                rsa_keygen_bits: &[2048],
                rsa_keygen: Budget {
                    time: Duration::from_secs(2),
                    warm_up: false,
                    min_samples: 1,
                    max_samples: 3,
                },
            }
        };
        if let Some(t) = options.time_target {
            mode.target = t;
        }
        if let Some(t) = options.measurement_time {
            mode.rsa_keygen.time = t;
            mode.rsa_keygen.min_samples = 1;
        }
        mode
    }
}

/// The key sizes measured for `alg`: `(label, RSA bits, private key)`.
fn key_cases(alg: Algorithm) -> Vec<(String, Option<usize>, Result<Jwk, tessera::KeyError>)> {
    match alg.family() {
        Family::Hmac => vec![(
            format!("oct-{}", alg.hash().output_len() * 8),
            None,
            fixtures::private_key(alg),
        )],
        Family::RsaPkcs1 | Family::RsaPss => [2048, 3072, 4096]
            .into_iter()
            .map(|bits| (bits.to_string(), Some(bits), fixtures::rsa_key(bits)))
            .collect(),
        Family::Ecdsa => vec![(
            alg.curve().map_or("EC", |c| c.name()).to_owned(),
            None,
            fixtures::private_key(alg),
        )],
        Family::EdDsa => vec![("Ed25519".to_owned(), None, fixtures::private_key(alg))],
        // ML-DSA: the parameter set is the key size.
        _ => vec![(alg.name().to_owned(), None, fixtures::private_key(alg))],
    }
}

/// One backend, algorithm and key, prepared.
struct Subject {
    backend: &'static dyn Backend,
    alg: Algorithm,
    key: String,
    bits: Option<usize>,
    encoder: Encoder<Box<dyn Signer>>,
    verifier: Box<dyn Verifier>,
    token: String,
    input_len: usize,
    signature: Vec<u8>,
    jwk_bytes: usize,
}

impl Subject {
    fn new(
        backend: &'static dyn Backend,
        alg: Algorithm,
        key: String,
        bits: Option<usize>,
        private: &Jwk,
    ) -> Result<Subject, String> {
        let public = match alg.family() {
            Family::Hmac => private.clone(),
            _ => backend.public_key(private).map_err(|e| e.to_string())?,
        };
        let signer = backend.signer(private, alg).map_err(|e| e.to_string())?;
        let verifier = backend.verifier(&public, alg).map_err(|e| e.to_string())?;
        let encoder = Encoder::new(signer).kid(Some(KID));
        let token = encoder
            .encode(&BenchClaims::standard())
            .map_err(|e| e.to_string())?;
        let (input, sig64) = token.rsplit_once('.').ok_or("no signature segment")?;
        let signature = b64::decode(sig64.as_bytes()).map_err(|_| "signature is not base64url")?;
        let subject = Subject {
            backend,
            alg,
            key,
            bits,
            encoder,
            verifier,
            input_len: input.len(),
            signature,
            jwk_bytes: public.to_json().len(),
            token,
        };
        // Every timed operation must succeed once before it is timed.
        subject
            .verify()
            .map_err(|e| format!("own token refused: {e}"))?;
        subject.floor_verify().map_err(|e| e.to_string())?;
        Ok(subject)
    }

    fn input(&self) -> &[u8] {
        self.token
            .as_bytes()
            .get(..self.input_len)
            .unwrap_or_default()
    }

    fn sign(&self) -> Result<(), tessera::EncodeError> {
        black_box(self.encoder.encode(black_box(&BenchClaims::standard()))?);
        Ok(())
    }

    fn floor_sign(&self, out: &mut Vec<u8>) -> Result<(), tessera::SignError> {
        out.clear();
        self.encoder.signer().sign(black_box(self.input()), out)?;
        black_box(out);
        Ok(())
    }

    fn verify(&self) -> Result<(), tessera::Error> {
        let verified = tessera::verify(black_box(&self.token), &self.verifier, &VALIDATION)?;
        let claims: BenchClaims<'_> = verified.claims()?;
        black_box(claims);
        Ok(())
    }

    fn floor_verify(&self) -> Result<(), tessera::SignatureError> {
        self.verifier
            .verify(black_box(self.input()), black_box(&self.signature))
    }

    fn record(&self, implementation: Impl, op: Op, stats: Stats) -> Record {
        let library = self.backend.library();
        let floor = implementation == Impl::Floor;
        Record {
            implementation,
            library: if floor {
                library.name.to_owned()
            } else {
                self.backend.name().to_owned()
            },
            version: floor.then(|| library.version.to_owned()),
            backend: Some(self.backend.name().to_owned()),
            alg: self.alg.name().to_owned(),
            key: self.key.clone(),
            op,
            token_bytes: Some(self.token.len()),
            signature_bytes: Some(self.signature.len()),
            jwk_bytes: Some(self.jwk_bytes),
            ..Record::timing(stats)
        }
    }
}

impl Record {
    /// A record with only the timing filled in.
    fn timing(stats: Stats) -> Record {
        Record {
            implementation: Impl::Tessera,
            library: String::new(),
            version: None,
            backend: None,
            alg: String::new(),
            key: String::new(),
            op: Op::Verify,
            ns_median: stats.median_ns,
            ns_min: stats.min_ns,
            ns_max: stats.max_ns,
            ops_per_sec: if stats.median_ns > 0.0 {
                1e9 / stats.median_ns
            } else {
                0.0
            },
            samples: stats.samples,
            iterations: stats.iterations,
            token_bytes: None,
            signature_bytes: None,
            jwk_bytes: None,
            overhead_ns: None,
            overhead_ratio: None,
            note: None,
        }
    }
}

/// The validation of every verify, built once.
static VALIDATION: std::sync::LazyLock<Validation> = std::sync::LazyLock::new(validation);

/// One unit of timed work.
enum Task {
    Op(usize, Impl, Op),
    Keygen(usize),
    #[cfg(feature = "peers")]
    Peer(usize, Op),
}

/// Measures what `options` select. Setup failures (a backend refusing a key size, say) are
/// listed in [`Report::skipped`]; only an unknown backend name or an empty selection is an error.
pub fn run(options: &Options) -> Result<Report, MeasureError> {
    let start = Instant::now();
    let mode = Mode::of(options);
    let all = crate::backends();
    let backends: Vec<&'static dyn Backend> = if options.backends.is_empty() {
        all
    } else {
        options
            .backends
            .iter()
            .map(|name| {
                all.iter()
                    .find(|b| b.name() == name)
                    .copied()
                    .ok_or_else(|| MeasureError::UnknownBackend(name.clone()))
            })
            .collect::<Result<_, _>>()?
    };
    let algs: Vec<Algorithm> = if options.algs.is_empty() {
        Algorithm::ALL.to_vec()
    } else {
        Algorithm::ALL
            .into_iter()
            .filter(|a| options.algs.contains(a))
            .collect()
    };
    let mut skipped = Vec::new();

    let progress = if options.progress && std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    if let Ok(style) =
        ProgressStyle::with_template("{prefix:>9} [{bar:32}] {pos}/{len} {elapsed:>4} {wide_msg}")
    {
        progress.set_style(style.progress_chars("=> "));
    }
    progress.set_prefix("preparing");

    // Keys are parsed and every subject checked once before anything is timed.
    let mut subjects = Vec::new();
    let mut tasks = Vec::new();
    let mut keygen_done: Vec<(&'static str, String)> = Vec::new();
    for &alg in &algs {
        for (key, bits, private) in key_cases(alg) {
            let private = match private {
                Ok(k) => k,
                Err(e) => {
                    skipped.push(format!("{alg} {key}: fixture key: {e}"));
                    continue;
                }
            };
            for &backend in backends.iter().filter(|b| b.supports(alg)) {
                progress.set_message(format!("{} {alg} {key}", backend.name()));
                match Subject::new(backend, alg, key.clone(), bits, &private) {
                    Ok(s) => {
                        let i = subjects.len();
                        subjects.push(s);
                        for (imp, op) in [
                            (Impl::Tessera, Op::Sign),
                            (Impl::Floor, Op::Sign),
                            (Impl::Tessera, Op::Verify),
                            (Impl::Floor, Op::Verify),
                        ] {
                            tasks.push(Task::Op(i, imp, op));
                        }
                        // One keygen per backend and key type: RS256…PS512 share RSA keys of
                        // a size; every other algorithm has a key type of its own.
                        let kind = (
                            backend.name(),
                            bits.map_or(alg.name().to_owned(), |b| format!("RSA-{b}")),
                        );
                        let wanted = bits.is_none_or(|b| mode.rsa_keygen_bits.contains(&b));
                        if options.keygen && wanted && !keygen_done.contains(&kind) {
                            keygen_done.push(kind);
                            tasks.push(Task::Keygen(i));
                        }
                    }
                    Err(e) => skipped.push(format!("{} {alg} {key}: {e}", backend.name())),
                }
            }
        }
    }

    #[cfg(feature = "peers")]
    let peer_list = if options.peers {
        prepare_peers(&algs, &mut tasks, &mut skipped)
    } else {
        Vec::new()
    };
    #[cfg(not(feature = "peers"))]
    if options.peers {
        skipped.push("peers: tessera-conformance was built without its `peers` feature".to_owned());
    }

    if tasks.is_empty() {
        progress.finish_and_clear();
        return Err(MeasureError::NothingSelected);
    }

    progress.set_length(tasks.len() as u64);
    progress.set_position(0);
    progress.set_prefix("measuring");
    let rsa_keygens = tasks
        .iter()
        .filter(|t| matches!(t, Task::Keygen(i) if subjects[*i].bits.is_some()))
        .count();
    let mut rsa_keygens_left = rsa_keygens as u32;
    let mut records = Vec::new();
    let mut out = Vec::with_capacity(1024);
    for (done, task) in tasks.iter().enumerate() {
        let left = (tasks.len() - done) as u32;
        let reserved = mode.rsa_keygen.time * rsa_keygens_left;
        let remaining = mode
            .target
            .saturating_sub(start.elapsed())
            .saturating_sub(reserved);
        let share = remaining / left.saturating_sub(rsa_keygens_left).max(1);
        let time = options
            .measurement_time
            .unwrap_or_else(|| share.clamp(mode.cap / 20, mode.cap));
        let budget = Budget {
            time,
            warm_up: true,
            min_samples: mode.min_samples,
            max_samples: mode.max_samples,
        };
        match task {
            Task::Op(i, imp, op) => {
                let s = &subjects[*i];
                progress.set_message(format!(
                    "{} {} {} {} {}",
                    s.backend.name(),
                    s.alg,
                    s.key,
                    imp.name(),
                    op.name()
                ));
                let stats = match (imp, op) {
                    (Impl::Tessera, Op::Sign) => sample(budget, || s.sign()).map_err(err),
                    (Impl::Floor, Op::Sign) => {
                        sample(budget, || s.floor_sign(&mut out)).map_err(err)
                    }
                    (Impl::Tessera, _) => sample(budget, || s.verify()).map_err(err),
                    _ => sample(budget, || s.floor_verify()).map_err(err),
                };
                match stats {
                    Ok(stats) => records.push(s.record(*imp, *op, stats)),
                    Err(e) => skipped.push(format!(
                        "{} {} {} {} {}: {e}",
                        s.backend.name(),
                        s.alg,
                        s.key,
                        imp.name(),
                        op.name()
                    )),
                }
            }
            Task::Keygen(i) => {
                let s = &subjects[*i];
                progress.set_message(format!("{} {} {} keygen", s.backend.name(), s.alg, s.key));
                let spec = match s.bits {
                    Some(bits) => KeySpec::new(s.alg).bits(bits),
                    None => KeySpec::new(s.alg),
                };
                let budget = if s.bits.is_some() {
                    rsa_keygens_left = rsa_keygens_left.saturating_sub(1);
                    mode.rsa_keygen
                } else {
                    budget
                };
                match sample(budget, || {
                    s.backend.generate(spec).map(|k| {
                        black_box(&k);
                    })
                }) {
                    Ok(stats) => {
                        let mut r = s.record(Impl::Tessera, Op::Keygen, stats);
                        r.token_bytes = None;
                        r.signature_bytes = None;
                        if s.bits.is_some() {
                            r.note = Some(format!(
                                "RSA key generation searches random primes: {} key(s), time varies widely between keys",
                                stats.samples
                            ));
                        }
                        records.push(r);
                    }
                    Err(e) => skipped.push(format!(
                        "{} {} {} keygen: {e}",
                        s.backend.name(),
                        s.alg,
                        s.key
                    )),
                }
            }
            #[cfg(feature = "peers")]
            Task::Peer(i, op) => {
                let (alg, key, peer) = &peer_list[*i];
                progress.set_message(format!("{} {alg} {key} {}", peer.library, op.name()));
                match measure_peer(peer, *alg, key, *op, budget) {
                    Ok(r) => records.push(r),
                    Err(e) => {
                        skipped.push(format!("{} {alg} {key} {}: {e}", peer.library, op.name()))
                    }
                }
            }
        }
        progress.inc(1);
    }
    progress.finish_and_clear();

    add_overheads(&mut records);
    sort_records(&mut records);
    Ok(Report {
        records,
        skipped,
        elapsed: start.elapsed(),
        precise: options.precise,
    })
}

fn err(e: impl fmt::Display) -> String {
    e.to_string()
}

/// Sets `overhead_ns` and `overhead_ratio` of every tessera record that has a floor.
fn add_overheads(records: &mut [Record]) {
    let floors: Vec<(Option<String>, String, String, Op, f64)> = records
        .iter()
        .filter(|r| r.implementation == Impl::Floor)
        .map(|r| {
            (
                r.backend.clone(),
                r.alg.clone(),
                r.key.clone(),
                r.op,
                r.ns_median,
            )
        })
        .collect();
    for r in records
        .iter_mut()
        .filter(|r| r.implementation == Impl::Tessera)
    {
        if let Some(f) = floors
            .iter()
            .find(|f| f.0 == r.backend && f.1 == r.alg && f.2 == r.key && f.3 == r.op)
        {
            r.overhead_ns = Some(r.ns_median - f.4);
            r.overhead_ratio = (f.4 > 0.0).then(|| r.ns_median / f.4);
        }
    }
}

/// Position of an algorithm in RFC order, for sorting.
pub(crate) fn alg_rank(alg: &str) -> usize {
    Algorithm::ALL
        .iter()
        .position(|a| a.name() == alg)
        .unwrap_or(usize::MAX)
}

/// Order of key labels: numeric sizes by value, curves by name.
pub(crate) fn key_rank(key: &str) -> (u64, String) {
    let digits: String = key.chars().filter(char::is_ascii_digit).collect();
    (digits.parse().unwrap_or(u64::MAX), key.to_owned())
}

fn sort_records(records: &mut [Record]) {
    records.sort_by(|a, b| {
        (alg_rank(&a.alg), key_rank(&a.key), a.op, a.implementation)
            .cmp(&(alg_rank(&b.alg), key_rank(&b.key), b.op, b.implementation))
            .then_with(|| a.library.cmp(&b.library))
    });
}

#[cfg(feature = "peers")]
fn prepare_peers(
    algs: &[Algorithm],
    tasks: &mut Vec<Task>,
    skipped: &mut Vec<String>,
) -> Vec<(Algorithm, String, peers::Peer)> {
    let mut list = Vec::new();
    for &alg in algs {
        let Some(backend) = tessera::default_backend(alg) else {
            continue;
        };
        for (key, _, private) in key_cases(alg) {
            let Ok(private) = private else { continue };
            let public = match alg.family() {
                Family::Hmac => Ok(private.clone()),
                _ => backend.public_key(&private),
            };
            let public = match public {
                Ok(p) => p,
                Err(e) => {
                    skipped.push(format!("peers {alg} {key}: {e}"));
                    continue;
                }
            };
            for peer in peers::peers(alg, &private, &public) {
                match peer {
                    Ok(p) => {
                        let i = list.len();
                        list.push((alg, key.clone(), p));
                        tasks.push(Task::Peer(i, Op::Sign));
                        tasks.push(Task::Peer(i, Op::Verify));
                    }
                    Err(e) => skipped.push(format!("{alg} {key}: {e}")),
                }
            }
        }
    }
    list
}

#[cfg(feature = "peers")]
fn measure_peer(
    peer: &peers::Peer,
    alg: Algorithm,
    key: &str,
    op: Op,
    budget: Budget,
) -> Result<Record, String> {
    let token = peer.sign()?;
    peer.verify(&token)?;
    let stats = match op {
        Op::Verify => sample(budget, || peer.verify(black_box(&token)))?,
        _ => sample(budget, || {
            peer.sign().map(|t| {
                black_box(&t);
            })
        })?,
    };
    let signature_bytes = token
        .rsplit_once('.')
        .and_then(|(_, s)| b64::decoded_len(s.len()));
    Ok(Record {
        implementation: Impl::Peer,
        library: peer.library.to_owned(),
        version: Some(peer.version.to_owned()),
        alg: alg.name().to_owned(),
        key: key.to_owned(),
        op,
        token_bytes: Some(token.len()),
        signature_bytes,
        ..Record::timing(stats)
    })
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        reason = "tests"
    )]

    use super::*;

    fn tiny(algs: &[Algorithm], backends: &[&str]) -> Report {
        run(&Options {
            algs: algs.to_vec(),
            backends: backends.iter().map(|s| (*s).to_owned()).collect(),
            progress: false,
            measurement_time: Some(Duration::from_micros(200)),
            ..Options::default()
        })
        .unwrap()
    }

    fn report() -> &'static Report {
        static R: std::sync::OnceLock<Report> = std::sync::OnceLock::new();
        R.get_or_init(|| {
            tiny(
                &[Algorithm::HS256, Algorithm::ES256, Algorithm::EdDSA],
                &["tessera-hmac", "tessera-ecdsa", "tessera-ed25519"],
            )
        })
    }

    #[test]
    fn claims_are_about_250_bytes_and_borrow() {
        let json = serde_json::to_string(&BenchClaims::standard()).unwrap();
        assert_eq!(json.len(), 253, "{json}");
        assert_eq!(NAME.chars().count(), 60);
        let back: BenchClaims<'_> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, BenchClaims::standard());
        let owned: OwnedClaims = serde_json::from_str(&json).unwrap();
        assert_eq!(owned.roles, ROLES);
    }

    #[test]
    fn sampling_respects_sample_bounds() {
        let mut calls = 0u64;
        let s = sample(
            Budget {
                time: Duration::ZERO,
                warm_up: false,
                min_samples: 4,
                max_samples: 6,
            },
            || {
                calls += 1;
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        assert_eq!((s.samples, s.iterations, calls), (4, 4, 4));
        assert!(s.min_ns <= s.median_ns && s.median_ns <= s.max_ns);
        let e = sample(Budget::new(Duration::from_millis(1)), || Err::<(), _>("no"));
        assert_eq!(e, Err("no"));
    }

    #[test]
    fn every_subject_has_four_timings_and_a_keygen() {
        let r = report();
        assert!(r.skipped.is_empty(), "{:?}", r.skipped);
        for (backend, alg, key) in [
            ("tessera-hmac", "HS256", "oct-256"),
            ("tessera-ecdsa", "ES256", "P-256"),
            ("tessera-ed25519", "EdDSA", "Ed25519"),
        ] {
            let mine: Vec<&Record> = r
                .records
                .iter()
                .filter(|x| x.backend.as_deref() == Some(backend) && x.alg == alg && x.key == key)
                .collect();
            let mut shape: Vec<(Impl, Op)> =
                mine.iter().map(|x| (x.implementation, x.op)).collect();
            shape.sort();
            assert_eq!(
                shape,
                [
                    (Impl::Tessera, Op::Keygen),
                    (Impl::Tessera, Op::Sign),
                    (Impl::Tessera, Op::Verify),
                    (Impl::Floor, Op::Sign),
                    (Impl::Floor, Op::Verify),
                ],
                "{backend}"
            );
            for x in mine {
                assert!(x.ns_min <= x.ns_median && x.ns_median <= x.ns_max, "{x:?}");
                assert!(x.samples >= 3 && x.iterations >= x.samples as u64);
                assert!(x.ops_per_sec > 0.0);
                match (x.implementation, x.op) {
                    (Impl::Tessera, Op::Keygen) => assert_eq!(x.library, backend),
                    (Impl::Tessera, _) => {
                        assert_eq!(x.library, backend);
                        assert!(x.overhead_ns.is_some() && x.overhead_ratio.is_some());
                    }
                    _ => {
                        assert_ne!(x.library, backend);
                        assert!(x.version.is_some() && x.overhead_ns.is_none());
                    }
                }
            }
        }
    }

    #[test]
    fn token_signature_and_jwk_sizes() {
        let r = report();
        let payload = b64::encoded_len(253);
        for (alg, sig, jwk_min) in [("HS256", 32, 40), ("ES256", 64, 100), ("EdDSA", 64, 60)] {
            let header = format!(r#"{{"alg":"{alg}","typ":"JWT","kid":"{KID}"}}"#);
            let expected = b64::encoded_len(header.len()) + 1 + payload + 1 + b64::encoded_len(sig);
            for x in r
                .records
                .iter()
                .filter(|x| x.alg == alg && x.op != Op::Keygen)
            {
                assert_eq!(x.token_bytes, Some(expected), "{x:?}");
                assert_eq!(x.signature_bytes, Some(sig));
                assert!(x.jwk_bytes.unwrap() > jwk_min, "{x:?}");
            }
        }
        // The HS256 token is deterministic: the same bytes as signing the claims directly.
        let key = fixtures::private_key(Algorithm::HS256).unwrap();
        let signer = tessera::signer(&key, Algorithm::HS256).unwrap();
        let token = Encoder::new(signer)
            .kid(Some(KID))
            .encode(&BenchClaims::standard())
            .unwrap();
        assert_eq!(
            r.records
                .iter()
                .find(|x| x.alg == "HS256" && x.op == Op::Verify)
                .unwrap()
                .token_bytes,
            Some(token.len())
        );
    }

    #[test]
    fn rsa_sizes_and_unknown_backends() {
        let r = tiny(&[Algorithm::RS256], &["tessera-rsa"]);
        let keys: Vec<&str> = r
            .records
            .iter()
            .filter(|x| x.op == Op::Sign && x.implementation == Impl::Floor)
            .map(|x| x.key.as_str())
            .collect();
        assert_eq!(keys, ["2048", "3072", "4096"]);
        for x in r.records.iter().filter(|x| x.op != Op::Keygen) {
            let bytes: usize = x.key.parse::<usize>().unwrap() / 8;
            assert_eq!(x.signature_bytes, Some(bytes));
        }
        let keygen: Vec<&Record> = r.records.iter().filter(|x| x.op == Op::Keygen).collect();
        assert_eq!(keygen.len(), 1, "RSA keygen: 2048 bits only by default");
        assert_eq!(keygen[0].key, "2048");
        assert!(keygen[0].note.as_deref().unwrap().contains("random primes"));
        assert!(matches!(
            run(&Options {
                backends: vec!["tessera-nope".into()],
                ..Options::default()
            }),
            Err(MeasureError::UnknownBackend(_))
        ));
    }

    #[test]
    fn json_round_trips_with_the_documented_members() {
        let r = report();
        let json = r.json().unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let arr = value.as_array().unwrap();
        assert_eq!(arr.len(), r.records.len());
        for member in [
            "impl",
            "library",
            "version",
            "backend",
            "alg",
            "key",
            "op",
            "ns_median",
            "ns_min",
            "ns_max",
            "ops_per_sec",
            "samples",
            "iterations",
            "token_bytes",
            "signature_bytes",
            "jwk_bytes",
            "overhead_ns",
            "overhead_ratio",
            "note",
        ] {
            assert!(arr.iter().all(|o| o.get(member).is_some()), "{member}");
        }
        assert!(arr.iter().any(|o| o["impl"] == "floor"));
        let back: Vec<Record> = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, &r.records);
    }

    /// Splits one CSV line (RFC 4180 quoting).
    fn csv_fields(line: &str) -> Vec<String> {
        let mut fields = vec![String::new()];
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    chars.next();
                    fields.last_mut().unwrap().push('"');
                }
                ('"', _) => quoted = !quoted,
                (',', false) => fields.push(String::new()),
                (c, _) => fields.last_mut().unwrap().push(c),
            }
        }
        assert!(!quoted, "unbalanced quotes: {line}");
        fields
    }

    #[test]
    fn csv_has_one_row_per_record_and_fixed_columns() {
        let r = report();
        let csv = r.csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), r.records.len() + 1);
        let header = csv_fields(lines[0]);
        assert_eq!(header[0], "impl");
        assert_eq!(header.len(), 19);
        for (line, rec) in lines[1..].iter().zip(&r.records) {
            let f = csv_fields(line);
            assert_eq!(f.len(), header.len(), "{line}");
            assert_eq!(f[0], rec.implementation.name());
            assert_eq!(f[4], rec.alg);
            let ns: f64 = f[7].parse().unwrap();
            assert!((ns - rec.ns_median).abs() <= 1.0, "{line}");
        }
        // Quoting: a note with a comma and a quote survives.
        let mut rec = r.records[0].clone();
        rec.note = Some(r#"a, "b""#.into());
        let one = Report {
            records: vec![rec],
            ..r.clone()
        };
        let csv = one.csv();
        let f = csv_fields(csv.lines().nth(1).unwrap());
        assert_eq!(f[18], r#"a, "b""#);
    }

    #[test]
    fn markdown_and_table_are_rectangular() {
        let r = report();
        let md = r.markdown();
        let mut tables = 0;
        let mut columns = None;
        for line in md.lines() {
            if line.starts_with('|') {
                let n = line.matches('|').count();
                match columns {
                    None => {
                        columns = Some(n);
                        tables += 1;
                    }
                    Some(c) => assert_eq!(c, n, "{line}"),
                }
            } else {
                columns = None;
            }
        }
        assert!(tables >= 3, "{md}");
        assert!(md.contains("| --- |") || md.contains("|---|") || md.contains("| ---"));
        let table = r.table();
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines.len() > r.records.len());
        assert!(table.contains("tessera-hmac") && table.contains("HS256"));
    }

    #[test]
    fn svg_charts_are_well_formed() {
        let r = report();
        for chart in [Chart::Verify, Chart::Sign, Chart::TokenSize] {
            let svg = r.svg(chart).unwrap();
            // To look at them: TESSERA_MEASURE_SVG_DIR=/tmp/x cargo test … svg_charts
            if let Some(dir) = std::env::var_os("TESSERA_MEASURE_SVG_DIR") {
                let path = std::path::Path::new(&dir).join(format!("{}.svg", chart.name()));
                std::fs::write(path, &svg).unwrap();
            }
            assert!(svg.trim_start().starts_with("<svg"), "{chart:?}");
            assert!(svg.trim_end().ends_with("</svg>"), "{chart:?}");
            assert_eq!(svg.matches("<svg").count(), svg.matches("</svg>").count());
            assert!(svg.contains("HS256") && svg.contains("ES256"), "{chart:?}");
            assert!(svg.contains("<rect"), "{chart:?}");
            if chart != Chart::TokenSize {
                assert!(svg.contains("tessera-ecdsa"), "{chart:?}: legend");
            }
        }
        let empty = Report {
            records: Vec::new(),
            ..r.clone()
        };
        assert!(empty.svg(Chart::Verify).unwrap().contains("</svg>"));
    }

    #[cfg(feature = "peers")]
    #[test]
    fn peers_sign_and_verify() {
        let r = run(&Options {
            algs: vec![Algorithm::HS256, Algorithm::ES256, Algorithm::EdDSA],
            backends: vec!["tessera-hmac".into()],
            peers: true,
            keygen: false,
            progress: false,
            measurement_time: Some(Duration::from_micros(200)),
            ..Options::default()
        })
        .unwrap();
        assert!(r.skipped.is_empty(), "{:?}", r.skipped);
        let libs = |alg: &str| {
            let mut v: Vec<&str> = r
                .records
                .iter()
                .filter(|x| x.implementation == Impl::Peer && x.alg == alg && x.op == Op::Verify)
                .map(|x| x.library.as_str())
                .collect();
            v.sort_unstable();
            v
        };
        let all = [
            "jsonwebtoken (aws_lc_rs)",
            "jsonwebtoken (rust_crypto)",
            "jwt-compact",
            "jwt-simple",
        ];
        assert_eq!(libs("HS256"), all);
        assert_eq!(libs("ES256"), all);
        assert_eq!(libs("EdDSA"), all);
    }
}
