//! Which backend to pick for an algorithm: speed from a report, paired per round; build cost
//! and binary size from stored data (`docs/compare/build-cost.json`, made by
//! `scripts/build-cost.sh`); what each backend needs to build; known caveats.

use super::stats::{Interval, paired};
use super::{Impl, Op, Record, Report, alg_rank};
use serde::Deserialize;
use tessera::Algorithm;

/// What is known about a backend beyond its speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facts {
    /// The backend's name.
    pub backend: &'static str,
    /// No C, no assembly, no system library: `cargo build` is all it needs.
    pub pure_rust: bool,
    /// What building it needs beyond cargo.
    pub needs: &'static str,
    /// Caveats worth knowing before choosing it.
    pub caveats: &'static [&'static str],
}

/// RUSTSEC-2023-0071, in a sentence.
pub const MARVIN: &str = "RUSTSEC-2023-0071 (Marvin attack): RustCrypto rsa's private-key operation is not constant-time; \
     signing where an attacker can time many signatures may leak the key (verifying is unaffected)";

/// The facts of the backends tessera ships (in `tessera::backends()` order).
pub const FACTS: [Facts; 7] = [
    Facts {
        backend: "tessera-hmac",
        pure_rust: true,
        needs: "nothing (RustCrypto hmac, sha2)",
        caveats: &[],
    },
    Facts {
        backend: "tessera-rsa",
        pure_rust: true,
        needs: "nothing (RustCrypto rsa)",
        caveats: &[MARVIN],
    },
    Facts {
        backend: "tessera-ecdsa",
        pure_rust: true,
        needs: "nothing (RustCrypto p256, p384, p521, k256)",
        caveats: &[],
    },
    Facts {
        backend: "tessera-ed25519",
        pure_rust: true,
        needs: "nothing (ed25519-dalek)",
        caveats: &[],
    },
    Facts {
        backend: "tessera-ring",
        pure_rust: false,
        needs: "a C compiler (ring builds C and assembly)",
        caveats: &["ring cannot generate RSA keys (and has no ES512 or ES256K)"],
    },
    Facts {
        backend: "tessera-aws-lc",
        pure_rust: false,
        needs: "a C compiler (aws-lc-sys builds AWS-LC from source)",
        caveats: &[],
    },
    Facts {
        backend: "tessera-openssl",
        pure_rust: false,
        needs: "the system OpenSSL: libssl-dev and pkg-config to build, libssl at run time",
        caveats: &[
            "HMAC through OpenSSL pays a fixed per-call setup (EVP context): several times slower than the other backends for a token-sized input",
        ],
    },
];

/// The facts of `backend`, if it is one of tessera's.
pub fn facts(backend: &str) -> Option<&'static Facts> {
    FACTS.iter().find(|f| f.backend == backend)
}

/// Stored build cost: a clean release build of a tiny binary per backend feature.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct BuildCost {
    /// When it was measured (`YYYY-MM-DD`).
    pub date: String,
    /// The commit built.
    #[serde(default)]
    pub commit: String,
    /// The machine.
    pub machine: String,
    /// `rustc --version`.
    pub rustc: String,
    /// How (the script and what it builds).
    pub method: String,
    /// The same binary with no backend.
    pub baseline: Cost,
    /// One per backend.
    pub backends: Vec<Cost>,
}

/// One build.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Cost {
    /// The backend (`"none"` for the baseline).
    pub backend: String,
    /// The facade's cargo feature.
    pub feature: String,
    /// Wall time of the clean build, seconds.
    pub seconds: f64,
    /// CPU time of the build (user + sys), seconds.
    #[serde(default)]
    pub cpu_seconds: Option<f64>,
    /// Size of the stripped binary, bytes.
    pub bytes: u64,
}

/// The stored build cost (`docs/compare/build-cost.json`, compiled in), if it parses.
pub fn build_cost() -> Option<BuildCost> {
    serde_json::from_str(include_str!("../../../../docs/compare/build-cost.json")).ok()
}

/// A backend's line in an algorithm's recommendation.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// The backend.
    pub backend: String,
    /// Its verify record.
    pub verify: Option<Record>,
    /// Its sign record.
    pub sign: Option<Record>,
    /// Verify speed over the slowest backend's, paired per round.
    pub verify_speedup: Option<Interval>,
    /// Sign speed over the slowest backend's.
    pub sign_speedup: Option<Interval>,
    /// Build cost, if stored.
    pub build: Option<Cost>,
}

/// The recommendation for one algorithm (at its default key size: RSA 2048 bits).
#[derive(Clone, Debug, PartialEq)]
pub struct Recommendation {
    /// The algorithm.
    pub alg: String,
    /// The key the figures are for.
    pub key: String,
    /// One line per backend measured.
    pub lines: Vec<Line>,
    /// Fastest verifier, and whether the paired interval against the runner-up excludes a tie.
    pub fastest_verify: Option<(String, bool)>,
    /// Fastest signer, likewise.
    pub fastest_sign: Option<(String, bool)>,
    /// Fastest pure-Rust verifier.
    pub pure_verify: Option<(String, bool)>,
    /// Fastest pure-Rust signer.
    pub pure_sign: Option<(String, bool)>,
    /// Caveats that apply to this algorithm.
    pub caveats: Vec<String>,
}

/// The key size a recommendation is made at.
fn default_key(records: &[&Record]) -> Option<String> {
    records
        .iter()
        .find(|r| r.key == "2048")
        .or_else(|| records.first())
        .map(|r| r.key.clone())
}

/// The speed of `r` over `slow`, paired per round when both have rounds, else by medians.
pub fn speedup(r: &Record, slow: &Record) -> Option<Interval> {
    if !r.round_ns.is_empty() && r.round_ns.len() == slow.round_ns.len() {
        return Interval::of(&paired(&slow.round_ns, &r.round_ns));
    }
    (r.ns_median > 0.0).then(|| {
        let m = slow.ns_median / r.ns_median;
        Interval {
            median: m,
            low: m,
            high: m,
        }
    })
}

/// The fastest of `records` by median, and whether it beats the runner-up beyond the interval.
fn fastest<'r>(records: impl Iterator<Item = &'r Record>) -> Option<(String, bool)> {
    let mut v: Vec<&Record> = records.collect();
    v.sort_by(|a, b| a.ns_median.total_cmp(&b.ns_median));
    let first = v.first()?;
    let clear = v
        .get(1)
        .is_none_or(|second| speedup(first, second).is_some_and(|i| i.low > 1.0));
    Some((first.library.clone(), clear))
}

impl Report {
    /// One recommendation per algorithm measured, in RFC order.
    pub fn recommendations(&self) -> Vec<Recommendation> {
        let cost = build_cost();
        let mut algs: Vec<&str> = Vec::new();
        for r in &self.records {
            if r.implementation == Impl::Tessera && !algs.contains(&r.alg.as_str()) {
                algs.push(&r.alg);
            }
        }
        algs.sort_by_key(|a| alg_rank(a));
        algs.into_iter()
            .filter_map(|alg| self.recommend(alg, cost.as_ref()))
            .collect()
    }

    fn recommend(&self, alg: &str, cost: Option<&BuildCost>) -> Option<Recommendation> {
        let tessera: Vec<&Record> = self
            .records
            .iter()
            .filter(|r| r.implementation == Impl::Tessera && r.alg == alg && r.op != Op::Keygen)
            .collect();
        let key = default_key(&tessera)?;
        let of = |op: Op| -> Vec<&Record> {
            tessera
                .iter()
                .copied()
                .filter(|r| r.key == key && r.op == op)
                .collect()
        };
        let (verify, sign) = (of(Op::Verify), of(Op::Sign));
        let slowest = |v: &[&Record]| -> Option<Record> {
            v.iter()
                .max_by(|a, b| a.ns_median.total_cmp(&b.ns_median))
                .map(|r| (*r).clone())
        };
        let (slow_verify, slow_sign) = (slowest(&verify), slowest(&sign));
        let mut backends: Vec<String> = Vec::new();
        for r in verify.iter().chain(&sign) {
            if !backends.contains(&r.library) {
                backends.push(r.library.clone());
            }
        }
        let find = |v: &[&Record], b: &str| v.iter().find(|r| r.library == b).map(|r| (*r).clone());
        let lines: Vec<Line> = backends
            .iter()
            .map(|b| {
                let v = find(&verify, b);
                let s = find(&sign, b);
                Line {
                    verify_speedup: v
                        .as_ref()
                        .zip(slow_verify.as_ref())
                        .and_then(|(r, slow)| speedup(r, slow)),
                    sign_speedup: s
                        .as_ref()
                        .zip(slow_sign.as_ref())
                        .and_then(|(r, slow)| speedup(r, slow)),
                    verify: v,
                    sign: s,
                    backend: b.clone(),
                    build: cost.and_then(|c| c.backends.iter().find(|x| x.backend == *b).cloned()),
                }
            })
            .collect();
        let pure = |r: &&&Record| facts(&r.library).is_some_and(|f| f.pure_rust);
        let mut caveats: Vec<String> = Vec::new();
        for b in &backends {
            let Some(f) = facts(b) else { continue };
            for c in f.caveats {
                let applies = match *c {
                    MARVIN => alg.starts_with("RS") || alg.starts_with("PS"),
                    c if c.starts_with("HMAC") => alg.starts_with("HS"),
                    // ring's gaps in ECDSA show as "not available"; RSA key generation matters
                    // to RSA users.
                    c if c.starts_with("ring") => alg.starts_with("RS") || alg.starts_with("PS"),
                    _ => true,
                };
                if applies {
                    caveats.push(format!("{b}: {c}"));
                }
            }
        }
        if let Some(a) = Algorithm::ALL.into_iter().find(|a| a.name() == alg) {
            let missing: Vec<&str> = crate::backends()
                .iter()
                .filter(|b| !b.supports(a))
                .map(|b| b.name())
                .filter(|n| facts(n).is_some_and(|f| !f.pure_rust))
                .collect();
            if !missing.is_empty() {
                caveats.push(format!("not available on {}", missing.join(", ")));
            }
        }
        Some(Recommendation {
            alg: alg.to_owned(),
            fastest_verify: fastest(verify.iter().copied()),
            fastest_sign: fastest(sign.iter().copied()),
            pure_verify: fastest(verify.iter().filter(pure).copied()),
            pure_sign: fastest(sign.iter().filter(pure).copied()),
            key,
            lines,
            caveats,
        })
    }
}
