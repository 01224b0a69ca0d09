//! From the rounds of a group to its records: medians, intervals, paired ratios, stability.

use super::sampling::Rounds;
use super::stats::{Interval, Limits, paired};
use super::{Impl, Op, Record};

/// Fills the timing members of a group's `records` (in the order of `rounds`' subjects) from
/// its rounds. `reference` is the index of the record the others' `relative_speed` is against.
pub(crate) fn summarize(
    records: &mut [Record],
    rounds: &Rounds,
    reference: Option<usize>,
    limits: &Limits,
) {
    // Who is whose floor, decided before any record is changed.
    let floors: Vec<Option<usize>> = records
        .iter()
        .map(|r| {
            if r.implementation != Impl::Tessera || r.op == Op::Keygen {
                return None;
            }
            records.iter().position(|f| {
                f.implementation == Impl::Floor && f.backend == r.backend && f.op == r.op
            })
        })
        .collect();
    let reference_name = reference
        .and_then(|i| records.get(i))
        .map(|r| r.library.clone());
    let empty = Vec::new();
    let series = |i: usize| rounds.ns.get(i).unwrap_or(&empty);
    for (i, record) in records.iter_mut().enumerate() {
        let ns = series(i);
        let Some(time) = Interval::of(ns) else {
            record.stable = false;
            continue;
        };
        record.ns_median = time.median;
        record.ns_low = time.low;
        record.ns_high = time.high;
        record.ns_min = ns.iter().copied().fold(f64::INFINITY, f64::min);
        record.ns_max = ns.iter().copied().fold(0.0, f64::max);
        record.ops_per_sec = if time.median > 0.0 {
            1e9 / time.median
        } else {
            0.0
        };
        record.samples = ns.len();
        record.iterations = rounds.iterations(i);
        record.retried = rounds.retried.get(i).copied().unwrap_or(0);
        record.round_ns.clone_from(ns);

        let mut ratios = Vec::new();
        if let Some(floor) = floors.get(i).copied().flatten() {
            let floor_ns = series(floor);
            if let Some(r) = Interval::of(&paired(ns, floor_ns)) {
                record.overhead_ns = Some(time.median - super::stats::median(floor_ns));
                record.overhead_ratio = Some(r.median);
                record.overhead_ratio_low = Some(r.low);
                record.overhead_ratio_high = Some(r.high);
                ratios.push(r);
            }
        }
        if let Some(reference) = reference
            && let Some(r) = Interval::of(&paired(series(reference), ns))
        {
            record.reference.clone_from(&reference_name);
            record.relative_speed = Some(r.median);
            record.relative_speed_low = Some(r.low);
            record.relative_speed_high = Some(r.high);
            if i != reference {
                ratios.push(r);
            }
        }
        record.stable = limits.stable(&time, &ratios);
    }
}

/// Whether any record of the group would be unstable after these rounds.
pub(crate) fn any_unstable(
    records: &[Record],
    rounds: &Rounds,
    reference: Option<usize>,
    limits: &Limits,
) -> bool {
    let mut trial = records.to_vec();
    summarize(&mut trial, rounds, reference, limits);
    trial.iter().any(|r| !r.stable)
}
