//! What a run produces: one [`Record`] per subject and operation, gathered in a [`Report`].

use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;
use tessera::Algorithm;

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

/// One measurement: a subject's operation over the rounds of its group. `docs/compare/SCHEMA.md`
/// describes every member as it appears in JSON and CSV.
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
    /// Median over the rounds of the nanoseconds per call.
    pub ns_median: f64,
    /// Lower end of the median's ~95 % interval.
    pub ns_low: f64,
    /// Upper end of the median's ~95 % interval.
    pub ns_high: f64,
    /// Fastest round, nanoseconds per call.
    pub ns_min: f64,
    /// Slowest round, nanoseconds per call.
    pub ns_max: f64,
    /// Calls per second at the median.
    pub ops_per_sec: f64,
    /// Rounds taken.
    pub samples: usize,
    /// Calls timed (warm-up excluded).
    pub iterations: u64,
    /// Batches timed again because the scheduler switched the thread out during them (Linux).
    pub retried: u64,
    /// Token length in bytes.
    pub token_bytes: Option<usize>,
    /// Signature length in bytes.
    pub signature_bytes: Option<usize>,
    /// Public key as compact JWK JSON, in bytes.
    pub jwk_bytes: Option<usize>,
    /// `ns_median` minus the floor's `ns_median` (tessera records).
    pub overhead_ns: Option<f64>,
    /// Median over the rounds of this record's time over its floor's (tessera records).
    pub overhead_ratio: Option<f64>,
    /// Lower end of `overhead_ratio`'s interval.
    pub overhead_ratio_low: Option<f64>,
    /// Upper end of `overhead_ratio`'s interval.
    pub overhead_ratio_high: Option<f64>,
    /// The group's reference: tessera on the default backend for the algorithm.
    pub reference: Option<String>,
    /// Median over the rounds of the reference's time over this record's: above 1 is faster.
    pub relative_speed: Option<f64>,
    /// Lower end of `relative_speed`'s interval.
    pub relative_speed_low: Option<f64>,
    /// Upper end of `relative_speed`'s interval.
    pub relative_speed_high: Option<f64>,
    /// Whether every interval of the record is narrow enough ([`super::stats::Limits`]).
    pub stable: bool,
    /// Caveats.
    pub note: Option<String>,
    /// The time per call of every round, in round order (not serialized: the JSON keeps the
    /// summaries only). Records of one group have the same rounds, so any two pair up.
    #[serde(skip)]
    pub round_ns: Vec<f64>,
}

impl Record {
    /// A record of `library` with no timing yet.
    pub(crate) fn new(
        implementation: Impl,
        library: &str,
        alg: Algorithm,
        key: &str,
        op: Op,
    ) -> Record {
        Record {
            implementation,
            library: library.to_owned(),
            version: None,
            backend: None,
            alg: alg.name().to_owned(),
            key: key.to_owned(),
            op,
            ns_median: 0.0,
            ns_low: 0.0,
            ns_high: 0.0,
            ns_min: 0.0,
            ns_max: 0.0,
            ops_per_sec: 0.0,
            samples: 0,
            iterations: 0,
            retried: 0,
            token_bytes: None,
            signature_bytes: None,
            jwk_bytes: None,
            overhead_ns: None,
            overhead_ratio: None,
            overhead_ratio_low: None,
            overhead_ratio_high: None,
            reference: None,
            relative_speed: None,
            relative_speed_low: None,
            relative_speed_high: None,
            stable: false,
            note: None,
            round_ns: Vec::new(),
        }
    }

    /// Operations per second at the ends of the median's interval: `(low, high)`.
    pub fn ops_interval(&self) -> (f64, f64) {
        let rate = |ns: f64| if ns > 0.0 { 1e9 / ns } else { 0.0 };
        (rate(self.ns_high), rate(self.ns_low))
    }

    /// Whether `other` is measured in the same group (same algorithm, key and operation).
    pub fn same_group(&self, other: &Record) -> bool {
        self.alg == other.alg && self.key == other.key && self.op == other.op
    }
}

/// Where and when a run took place.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    /// Start of the run, seconds since the Unix epoch.
    pub started_unix: u64,
    /// CPUs available to the process.
    pub cpus: usize,
    /// The CPU model, where the system says (`/proc/cpuinfo`).
    pub cpu: Option<String>,
    /// The PRNG seed of the round orders.
    pub seed: u64,
}

impl Context {
    /// The context of a run starting now.
    pub fn now(seed: u64) -> Context {
        let started_unix = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let cpu = std::fs::read_to_string("/proc/cpuinfo").ok().and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        });
        Context {
            started_unix,
            cpus: std::thread::available_parallelism().map_or(1, usize::from),
            cpu,
            seed,
        }
    }

    /// The start date, `YYYY-MM-DD` (UTC).
    pub fn date(&self) -> String {
        let days = (self.started_unix / 86_400) as i64;
        // Days to civil date (Howard Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        format!("{year:04}-{month:02}-{day:02}")
    }
}

/// The outcome of [`super::run`].
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
    /// Where and when.
    pub context: Context,
}

impl Report {
    /// Records whose intervals stayed too wide.
    pub fn unstable(&self) -> impl Iterator<Item = &Record> {
        self.records.iter().filter(|r| !r.stable)
    }

    /// The mode's name: `default` or `precise`.
    pub const fn mode(&self) -> &'static str {
        if self.precise { "precise" } else { "default" }
    }
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

impl std::error::Error for MeasureError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            MeasureError::Json(e) => Some(e),
            _ => None,
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

/// Sorts records by algorithm, key, operation, implementation and library.
pub(crate) fn sort_records(records: &mut [Record]) {
    records.sort_by(|a, b| {
        (alg_rank(&a.alg), key_rank(&a.key), a.op, a.implementation)
            .cmp(&(alg_rank(&b.alg), key_rank(&b.key), b.op, b.implementation))
            .then_with(|| a.library.cmp(&b.library))
    });
}
