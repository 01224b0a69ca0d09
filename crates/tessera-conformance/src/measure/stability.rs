//! Stability as a measured property: several runs of the same comparison, and how many records
//! agree between them (`max / min - 1` over the runs) within 5 % and within 10 %, for the
//! medians and for the per-round ratios.

use super::stats::disagreement;
use super::{Impl, Op, Record, Report};
use serde::Serialize;
use std::fmt;

/// One measured quantity over the runs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Agreement {
    /// What: `"median, tessera"`, `"overhead ratio, tessera"`…
    pub what: String,
    /// Records present (with the quantity) in every run.
    pub records: usize,
    /// Of those, how many agree within 5 %.
    pub within_5: usize,
    /// Within 10 %.
    pub within_10: usize,
    /// The largest disagreement.
    pub worst: f64,
    /// The record with the largest disagreement.
    pub worst_record: String,
}

impl Agreement {
    fn share(&self, n: usize) -> f64 {
        if self.records == 0 {
            1.0
        } else {
            n as f64 / self.records as f64
        }
    }

    /// Share within 5 %.
    pub fn share_5(&self) -> f64 {
        self.share(self.within_5)
    }

    /// Share within 10 %.
    pub fn share_10(&self) -> f64 {
        self.share(self.within_10)
    }
}

/// A target of the issue, checked.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Target {
    /// The target in words.
    pub target: String,
    /// Whether the runs met it.
    pub met: bool,
}

/// The agreement of several runs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stability {
    /// Runs compared.
    pub runs: usize,
    /// Records flagged unstable, per run.
    pub unstable_per_run: Vec<usize>,
    /// Wall time of each run, seconds.
    pub seconds_per_run: Vec<f64>,
    /// One line per quantity.
    pub agreements: Vec<Agreement>,
    /// The targets.
    pub targets: Vec<Target>,
    /// The tessera records whose ratios disagree most: `(record, overhead ratio, relative speed)`.
    pub worst: Vec<(String, f64, f64)>,
}

fn id(r: &Record) -> String {
    format!(
        "{} {} {} {} {}",
        r.alg,
        r.key,
        r.op.name(),
        r.implementation.name(),
        r.library
    )
}

/// The values of `get` for the record `key` in every run, if every run has it.
fn across(reports: &[Report], r: &Record, get: fn(&Record) -> Option<f64>) -> Option<Vec<f64>> {
    reports
        .iter()
        .map(|rep| {
            rep.records
                .iter()
                .find(|x| {
                    x.implementation == r.implementation
                        && x.library == r.library
                        && x.same_group(r)
                })
                .and_then(get)
        })
        .collect()
}

/// Whether the record `r` (of the first run) is stable in every run.
fn stable_everywhere(reports: &[Report], r: &Record) -> bool {
    across(reports, r, |x| x.stable.then_some(1.0)).is_some()
}

fn agreement(
    reports: &[Report],
    what: &str,
    keep: fn(&Record) -> bool,
    get: fn(&Record) -> Option<f64>,
) -> Agreement {
    agreement_of(reports, what, |_, r| keep(r), get)
}

fn agreement_of(
    reports: &[Report],
    what: &str,
    keep: impl Fn(&[Report], &Record) -> bool,
    get: fn(&Record) -> Option<f64>,
) -> Agreement {
    let mut a = Agreement {
        what: what.to_owned(),
        records: 0,
        within_5: 0,
        within_10: 0,
        worst: 0.0,
        worst_record: String::new(),
    };
    let Some(first) = reports.first() else {
        return a;
    };
    for r in first.records.iter().filter(|r| keep(reports, r)) {
        let Some(d) = across(reports, r, get).and_then(|v| disagreement(&v)) else {
            continue;
        };
        a.records += 1;
        a.within_5 += usize::from(d <= 0.05);
        a.within_10 += usize::from(d <= 0.10);
        if d > a.worst || a.worst_record.is_empty() {
            a.worst = d;
            a.worst_record = id(r);
        }
    }
    a
}

fn timed_tessera(r: &Record) -> bool {
    r.implementation == Impl::Tessera && r.op != Op::Keygen
}

fn not_reference(r: &Record) -> bool {
    r.reference.as_deref() != Some(r.library.as_str())
}

/// Compares the runs in `reports` (the same selection, one after the other).
pub fn stability(reports: &[Report]) -> Stability {
    let median = |r: &Record| Some(r.ns_median);
    let agreements = vec![
        agreement(reports, "median, tessera", timed_tessera, median),
        agreement(
            reports,
            "median, every sign/verify record",
            |r| r.op != Op::Keygen,
            median,
        ),
        agreement(
            reports,
            "median, key generation",
            |r| r.op == Op::Keygen,
            median,
        ),
        agreement(
            reports,
            "overhead ratio (tessera / floor)",
            timed_tessera,
            |r| r.overhead_ratio,
        ),
        agreement(
            reports,
            "relative speed, tessera (not the reference)",
            |r| timed_tessera(r) && not_reference(r),
            |r| r.relative_speed,
        ),
        agreement(
            reports,
            "relative speed, peers",
            |r| r.implementation == Impl::Peer,
            |r| r.relative_speed,
        ),
        agreement(
            reports,
            "relative speed, floors",
            |r| r.implementation == Impl::Floor,
            |r| r.relative_speed,
        ),
        agreement_of(
            reports,
            "median, tessera, stable in every run",
            |all, r| timed_tessera(r) && stable_everywhere(all, r),
            median,
        ),
        agreement_of(
            reports,
            "overhead ratio, stable in every run",
            |all, r| timed_tessera(r) && stable_everywhere(all, r),
            |r| r.overhead_ratio,
        ),
        agreement_of(
            reports,
            "relative speed, tessera, stable in every run",
            |all, r| timed_tessera(r) && not_reference(r) && stable_everywhere(all, r),
            |r| r.relative_speed,
        ),
    ];
    let line = |i: usize| agreements.get(i);
    let ratio_5 = [3, 4]
        .iter()
        .all(|&i| line(i).is_none_or(|a| a.share_5() >= 0.95));
    let ratio_10 = [3, 4]
        .iter()
        .all(|&i| line(i).is_none_or(|a| a.within_10 == a.records));
    let median_10 = line(0).is_none_or(|a| a.share_10() >= 0.90);
    let targets = vec![
        Target {
            target: "tessera ratios (over floor, relative speed) within 5% for >= 95% of records"
                .to_owned(),
            met: ratio_5,
        },
        Target {
            target: "tessera ratios within 10% for every record".to_owned(),
            met: ratio_10,
        },
        Target {
            target: "tessera medians within 10% for >= 90% of records".to_owned(),
            met: median_10,
        },
    ];
    let mut worst: Vec<(String, f64, f64)> = reports
        .first()
        .map(|first| {
            first
                .records
                .iter()
                .filter(|r| timed_tessera(r))
                .map(|r| {
                    let d = |get| {
                        across(reports, r, get)
                            .and_then(|v| disagreement(&v))
                            .unwrap_or(0.0)
                    };
                    (
                        id(r),
                        d(|x: &Record| x.overhead_ratio),
                        d(|x: &Record| x.relative_speed),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    worst.sort_by(|a, b| (b.1.max(b.2)).total_cmp(&a.1.max(a.2)));
    worst.truncate(10);
    Stability {
        runs: reports.len(),
        unstable_per_run: reports.iter().map(|r| r.unstable().count()).collect(),
        seconds_per_run: reports.iter().map(|r| r.elapsed.as_secs_f64()).collect(),
        agreements,
        targets,
        worst,
    }
}

impl Stability {
    /// As JSON.
    pub fn json(&self) -> Result<String, super::MeasureError> {
        serde_json::to_string_pretty(self).map_err(super::MeasureError::Json)
    }
}

impl fmt::Display for Stability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs: Vec<String> = self
            .seconds_per_run
            .iter()
            .map(|s| format!("{s:.0} s"))
            .collect();
        writeln!(
            f,
            "stability over {} runs ({}); agreement = max/min - 1 across the runs",
            self.runs,
            secs.join(", ")
        )?;
        writeln!(
            f,
            "{:<45} {:>7} {:>15} {:>15} {:>8}  worst record",
            "quantity", "records", "within 5%", "within 10%", "worst"
        )?;
        for a in &self.agreements {
            writeln!(
                f,
                "{:<45} {:>7} {:>8} ({:>3.0}%) {:>8} ({:>3.0}%) {:>7.1}%  {}",
                a.what,
                a.records,
                a.within_5,
                a.share_5() * 100.0,
                a.within_10,
                a.share_10() * 100.0,
                a.worst * 100.0,
                a.worst_record
            )?;
        }
        let unstable: Vec<String> = self.unstable_per_run.iter().map(usize::to_string).collect();
        writeln!(
            f,
            "records flagged unstable per run: {}",
            unstable.join(", ")
        )?;
        for t in &self.targets {
            writeln!(
                f,
                "target {}: {}",
                if t.met { "met   " } else { "MISSED" },
                t.target
            )?;
        }
        if !self.worst.is_empty() {
            writeln!(
                f,
                "tessera records whose ratios disagree most (over floor, relative speed):"
            )?;
            for (r, o, s) in &self.worst {
                writeln!(f, "  {r}: {:.1}%, {:.1}%", o * 100.0, s * 100.0)?;
            }
        }
        Ok(())
    }
}
