//! The whole conformance run, as `tessera conform` prints it: published vectors, Wycheproof,
//! attack cases, the cross-backend matrix and the key-acceptance matrix, summarised per backend.

use crate::fixtures::Fixture;
use crate::{Verdict, attacks, keys, matrix, vectors, wycheproof};
use std::fmt::Write as _;
use tessera::Backend;

/// Passed and total counts of one suite on one backend.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Count {
    /// Checks that behaved as required.
    pub passed: usize,
    /// Checks run.
    pub total: usize,
}

impl Count {
    fn add(&mut self, passed: bool) {
        self.total += 1;
        self.passed += usize::from(passed);
    }

    /// Whether every check passed.
    pub fn ok(&self) -> bool {
        self.passed == self.total
    }
}

/// One backend's row.
#[derive(Clone, Debug, Default)]
pub struct Row {
    /// The backend.
    pub backend: &'static str,
    /// Published vectors.
    pub vectors: Count,
    /// Wycheproof vectors (policy skips excluded from `total`).
    pub wycheproof: Count,
    /// Wycheproof `acceptable` vectors this backend accepted / rejected.
    pub acceptable: (usize, usize),
    /// Wycheproof vectors tessera refuses by policy (truncated MACs, short keys).
    pub policy_skips: usize,
    /// Attack cases x algorithms.
    pub attacks: Count,
    /// Cross-backend cells this backend verified.
    pub matrix: Count,
    /// Key-acceptance cases (bad keys refused with the exact error, good keys accepted).
    pub keys: Count,
}

/// Everything `tessera conform` reports.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// One row per backend.
    pub rows: Vec<Row>,
    /// One line per failed check.
    pub failures: Vec<String>,
}

impl Report {
    /// Whether every suite passed on every backend.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// A text table, one row per backend, then the failures.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<16} {:>9} {:>12} {:>11} {:>9} {:>8} {:>7} {:>7}",
            "backend", "vectors", "wycheproof", "acceptable", "policy", "attacks", "matrix", "keys"
        );
        let cell = |c: Count| format!("{}/{}", c.passed, c.total);
        for r in &self.rows {
            let _ = writeln!(
                out,
                "{:<16} {:>9} {:>12} {:>11} {:>9} {:>8} {:>7} {:>7}",
                r.backend,
                cell(r.vectors),
                cell(r.wycheproof),
                format!("{}+/{}-", r.acceptable.0, r.acceptable.1),
                r.policy_skips,
                cell(r.attacks),
                cell(r.matrix),
                cell(r.keys),
            );
        }
        let _ = writeln!(
            out,
            "\nvectors: published RFC vectors; wycheproof: passed/run; acceptable: Wycheproof \
             'acceptable' vectors accepted+/rejected-; policy: vectors tessera refuses by design \
             (truncated MACs, keys under the minimum); attacks: attack cases x algorithms; matrix: \
             tokens from every backend this one verified (and matched byte for byte where deterministic); \
             keys: bad keys refused with the exact error, good keys accepted (see \
             crates/tessera-conformance/vectors/keys/)."
        );
        if self.failures.is_empty() {
            let _ = writeln!(out, "\nresult: PASS");
        } else {
            let _ = writeln!(out, "\nresult: FAIL ({} failures)", self.failures.len());
            for f in &self.failures {
                let _ = writeln!(out, "  {f}");
            }
        }
        out
    }
}

fn fail(v: &Verdict) -> Option<&str> {
    match v {
        Verdict::Pass => None,
        Verdict::Fail(m) => Some(m),
    }
}

fn row<'a>(rows: &'a mut [Row], backend: &str) -> Option<&'a mut Row> {
    rows.iter_mut().find(|r| r.backend == backend)
}

/// Runs every suite on `backends`.
pub fn run(backends: &[&'static dyn Backend]) -> Report {
    let mut report = Report::default();
    let mut rows: Vec<Row> = backends
        .iter()
        .map(|b| Row {
            backend: b.name(),
            ..Row::default()
        })
        .collect();

    for o in vectors::run(backends) {
        if let Some(r) = row(&mut rows, o.backend) {
            r.vectors.add(o.verdict.passed());
        }
        if let Some(m) = fail(&o.verdict) {
            report
                .failures
                .push(format!("vector {} on {}: {m}", o.vector, o.backend));
        }
    }
    for s in wycheproof::run(backends) {
        if let Some(r) = row(&mut rows, s.backend) {
            r.wycheproof.passed += s.passed;
            r.wycheproof.total += s.passed + s.failed;
            r.acceptable.0 += s.acceptable_accepted;
            r.acceptable.1 += s.acceptable_rejected;
            r.policy_skips += s.skipped_by_policy;
        }
        for f in &s.failures {
            report
                .failures
                .push(format!("wycheproof {} on {}: {f:?}", s.alg, s.backend));
        }
    }
    let mut fixtures = Vec::new();
    for f in Fixture::all(backends) {
        match f {
            Ok(f) => fixtures.push(f),
            Err((what, e)) => report.failures.push(format!("fixture {what}: {e}")),
        }
    }
    for attack in attacks::ATTACKS {
        for o in attacks::run(attack, &fixtures) {
            if let Some(r) = row(&mut rows, o.backend) {
                r.attacks.add(o.verdict.passed());
            }
            if let Some(m) = fail(&o.verdict) {
                report.failures.push(format!(
                    "attack {} on {} {}: {m}",
                    o.attack, o.backend, o.alg
                ));
            }
        }
    }
    for c in matrix::run(backends) {
        if let Some(r) = row(&mut rows, c.verifier) {
            r.matrix.add(c.verdict.passed());
        }
        if let Some(m) = fail(&c.verdict) {
            report.failures.push(format!(
                "matrix {}: signed by {}, verified by {}: {m}",
                c.alg, c.signer, c.verifier
            ));
        }
    }
    for case in keys::run(backends) {
        for r in &case.runs {
            if let Some(row) = row(&mut rows, r.backend) {
                row.keys.add(r.verdict.passed());
            }
        }
        report.failures.extend(case.failures);
    }
    report.rows = rows;
    report
}
