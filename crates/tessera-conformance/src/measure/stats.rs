//! The statistics of the rounds: medians, paired ratios, the interval of a median, and when a
//! record counts as stable. Pure functions of the numbers, so they are tested exactly.

/// A median with a distribution-free confidence interval.
///
/// The interval is the one given by order statistics: with `n` values sorted, `[x(k), x(n+1-k)]`
/// (1-based) where `k` is the largest rank such that a Binomial(`n`, ½) variable falls below `k`
/// with probability at most 2.5 %. It covers the true median with at least 95 % probability,
/// whatever the distribution (for `n` ≥ 6; below that the interval is the whole range, which
/// covers it with probability `1 - 2^(1-n)`). Unlike the spread of the values themselves, it
/// narrows as rounds are added.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// The median.
    pub median: f64,
    /// Lower end of the interval.
    pub low: f64,
    /// Upper end of the interval.
    pub high: f64,
}

impl Interval {
    /// The median of `values` and its interval; `None` when `values` is empty or has a NaN.
    pub fn of(values: &[f64]) -> Option<Interval> {
        if values.is_empty() || values.iter().any(|v| v.is_nan()) {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let k = ci_rank(n);
        Some(Interval {
            median: median_sorted(&sorted),
            low: *sorted.get(k - 1)?,
            high: *sorted.get(n - k)?,
        })
    }

    /// The interval's width relative to the median (`(high - low) / median`); infinite when
    /// the median is not positive.
    pub fn spread(&self) -> f64 {
        if self.median > 0.0 {
            (self.high - self.low) / self.median
        } else {
            f64::INFINITY
        }
    }

    /// The reciprocal: the median and ends of `1 / x` (the ends swap).
    pub fn recip(&self) -> Interval {
        Interval {
            median: recip(self.median),
            low: recip(self.high),
            high: recip(self.low),
        }
    }
}

fn recip(v: f64) -> f64 {
    if v > 0.0 { 1.0 / v } else { 0.0 }
}

/// The median of sorted values (the mean of the middle two for an even count); 0 when empty.
fn median_sorted(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    match (sorted.get(n / 2), n % 2) {
        (Some(&mid), 1) => mid,
        (Some(&mid), _) => sorted.get(n / 2 - 1).map_or(mid, |lo| (lo + mid) / 2.0),
        (None, _) => 0.0,
    }
}

/// The median of `values` (any order); 0 when empty.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    median_sorted(&sorted)
}

/// The 1-based rank `k` of the lower end of the median's interval for `n` values (at least 1).
pub fn ci_rank(n: usize) -> usize {
    if n < 6 {
        return 1;
    }
    if n > 1000 {
        // Normal approximation; the exact sum below underflows past about 1000.
        let k = (n as f64 / 2.0 - 0.98 * (n as f64).sqrt()).floor();
        return (k as usize).max(1);
    }
    // P(X <= i) for X ~ Binomial(n, 1/2), summed while it stays at most 2.5 %.
    let mut term = 0.5f64.powi(n as i32);
    let mut cumulative = term;
    let mut k = 1;
    while k < n / 2 {
        term *= (n - k + 1) as f64 / k as f64;
        if cumulative + term > 0.025 {
            break;
        }
        cumulative += term;
        k += 1;
    }
    // `cumulative` is P(X <= k - 1) <= 2.5 %: x(k) lies below the median that often at most.
    k
}

/// Per-round ratios `numerator[r] / denominator[r]`, for the rounds both have (a round whose
/// denominator is not positive is left out).
pub fn paired(numerator: &[f64], denominator: &[f64]) -> Vec<f64> {
    numerator
        .iter()
        .zip(denominator)
        .filter(|(_, d)| **d > 0.0)
        .map(|(n, d)| n / d)
        .collect()
}

/// How narrow a record's intervals must be for it to count as stable.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// Largest [`Interval::spread`] of the median time per call.
    pub median: f64,
    /// Largest spread of a per-round ratio (tessera over floor, reference over subject).
    pub ratio: f64,
}

impl Limits {
    /// The limits of both modes: the median within about ±5 %, a ratio within about ±3 %.
    pub const DEFAULT: Limits = Limits {
        median: 0.10,
        ratio: 0.06,
    };

    /// Whether a record with this median interval and these ratio intervals is stable.
    pub fn stable(&self, median: &Interval, ratios: &[Interval]) -> bool {
        median.spread() <= self.median && ratios.iter().all(|r| r.spread() <= self.ratio)
    }
}

/// `max / min - 1` over positive values: how far apart the extremes are, relative to the
/// smaller (0 for a single value, infinite when one is not positive, `None` when empty).
pub fn disagreement(values: &[f64]) -> Option<f64> {
    let min = values.iter().copied().reduce(f64::min)?;
    let max = values.iter().copied().reduce(f64::max)?;
    Some(if min > 0.0 {
        max / min - 1.0
    } else {
        f64::INFINITY
    })
}
