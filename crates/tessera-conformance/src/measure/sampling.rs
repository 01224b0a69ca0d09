//! Timing: interleaved rounds of short batches over a group of subjects ([`Rounds`]), the PRNG
//! that shuffles them ([`Rng`]), and the older one-subject sampler [`sample`] that the criterion
//! benches use for a quick pre-measurement.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::time::{Duration, Instant};

/// One subject's work: one call of the operation measured, failing with a message.
pub type Work<'a> = Box<dyn FnMut() -> Result<(), String> + 'a>;

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny seeded PRNG, plenty to shuffle a few
/// subjects per round. Not for anything secret.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator whose sequence depends only on `seed`.
    pub const fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0), by multiply-and-shift (bias below 2^-32 for the
    /// small `n` used here).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// The clock batches are timed with, in nanoseconds: on Linux the calling thread's CPU time
/// (`CLOCK_THREAD_CPUTIME_ID`), so that the time a batch spends waiting for a core while other
/// processes run is not counted; elsewhere wall time since the first call.
pub fn thread_ns() -> u64 {
    #[cfg(target_os = "linux")]
    {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
        let secs = u64::try_from(t.tv_sec).unwrap_or(0);
        let nanos = u64::try_from(t.tv_nsec).unwrap_or(0);
        secs.saturating_mul(1_000_000_000).saturating_add(nanos)
    }
    #[cfg(not(target_os = "linux"))]
    {
        static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
        u64::try_from(START.get_or_init(Instant::now).elapsed().as_nanos()).unwrap_or(u64::MAX)
    }
}

/// How a group is timed.
///
/// Batches are short on purpose: a batch that the scheduler interrupts (another process taking
/// the core for a slice of a few milliseconds) is slower by a whole slice, so on a busy machine
/// only batches well under a slice come out clean, and the median needs most of them clean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Warm-up per subject (at least one call), which also estimates its cost per call.
    pub warm_up: Duration,
    /// Time a batch should take; a batch is at least one call.
    pub batch_time: Duration,
    /// Time the first rounds should take: their number is this over the time of one round as
    /// the warm-up estimates it, within `min_rounds..=max_rounds`.
    pub round_budget: Duration,
    /// Rounds before stability is first checked, at least.
    pub min_rounds: usize,
    /// Rounds added each time a record is still unstable, at least (else half the rounds so far).
    pub extra_rounds: usize,
    /// Rounds never exceeded.
    pub max_rounds: usize,
    /// No extra rounds start once the group has run this long (warm-up included).
    pub time: Duration,
}

/// The rounds of a group in progress: after [`Rounds::warm_up`], each [`Rounds::round`] times
/// one batch of every subject in a fresh order.
#[derive(Clone, Debug, PartialEq)]
pub struct Rounds {
    /// Calls per batch, per subject.
    pub batch: Vec<u64>,
    /// Nanoseconds per call, per subject, per round: `ns[subject][round]`.
    pub ns: Vec<Vec<f64>>,
    /// The order the subjects ran in, per round: `order[round]` is a permutation of the subjects.
    pub order: Vec<Vec<usize>>,
    /// The warm-up's estimate of a call, nanoseconds, per subject.
    pub per_call: Vec<f64>,
    /// Batches timed again because the scheduler switched the thread out during them, per
    /// subject (see [`Switches`]).
    pub retried: Vec<u64>,
    /// Batches expected to take longer than this (nanoseconds) are not timed again: they
    /// would rarely run a whole batch uninterrupted on a busy machine.
    pub retry_below_ns: f64,
}

/// Times a batch is timed again at most when the scheduler interrupted it.
pub const MAX_RETRIES: usize = 3;

/// Batches expected to take less than this (or ten batch times) may be timed again: up to
/// 3 ms, which covers one RSA-2048 signature by the slowest library.
pub const RETRY_BELOW_NS: f64 = 3e6;

/// How many times the scheduler has switched the calling thread in, read from Linux's
/// `/proc/thread-self/schedstat` (its third field); `None` where there is no such file. A batch
/// during which the count changed was interrupted: another thread or process ran meanwhile, and
/// its time is in the batch's.
#[derive(Debug)]
pub struct Switches {
    file: Option<File>,
    buf: String,
}

impl Switches {
    /// Opens the calling thread's statistics (the file names the thread that opens it).
    pub fn open() -> Switches {
        Switches {
            file: File::open("/proc/thread-self/schedstat").ok(),
            buf: String::with_capacity(64),
        }
    }

    /// Reads the count from `path` instead, a file in the same format (tests).
    pub fn at(path: &std::path::Path) -> Switches {
        Switches {
            file: File::open(path).ok(),
            buf: String::with_capacity(64),
        }
    }

    /// Never reports a switch (tests, and systems without the file).
    pub fn none() -> Switches {
        Switches {
            file: None,
            buf: String::new(),
        }
    }

    /// The count now.
    pub fn now(&mut self) -> Option<u64> {
        let file = self.file.as_mut()?;
        file.seek(SeekFrom::Start(0)).ok()?;
        self.buf.clear();
        file.read_to_string(&mut self.buf).ok()?;
        self.buf.split_whitespace().nth(2)?.parse().ok()
    }
}

/// A subject that failed, by index, and why.
pub type Failure = (usize, String);

impl Rounds {
    /// Warms every subject up (in a shuffled order) and sizes its batch to `plan.batch_time`.
    pub fn warm_up(work: &mut [Work<'_>], plan: &Plan, rng: &mut Rng) -> Result<Rounds, Failure> {
        let mut batch = vec![1; work.len()];
        let mut estimates = vec![0.0; work.len()];
        let mut order: Vec<usize> = (0..work.len()).collect();
        rng.shuffle(&mut order);
        for &i in &order {
            let Some(w) = work.get_mut(i) else { continue };
            // The fastest call estimates the cost: a slow one may have been interrupted or
            // cold, and a batch sized from it would be too short, and differ from run to run.
            let start = Instant::now();
            let cpu_start = thread_ns();
            let mut calls: u64 = 0;
            let mut per_call = f64::INFINITY;
            loop {
                let t = thread_ns();
                w().map_err(|e| (i, e))?;
                per_call = per_call.min(thread_ns().saturating_sub(t) as f64);
                calls += 1;
                if calls >= 3 && start.elapsed() >= plan.warm_up {
                    break;
                }
                if calls >= 1 && plan.warm_up.is_zero() {
                    break;
                }
            }
            if per_call <= 0.0 {
                // Faster than the clock's step: the average of the warm-up will do.
                per_call = thread_ns().saturating_sub(cpu_start) as f64 / calls as f64;
            }
            if let Some(e) = estimates.get_mut(i) {
                *e = per_call;
            }
            let want = plan.batch_time.as_nanos() as f64;
            if let Some(b) = batch.get_mut(i) {
                *b = if per_call > 0.0 {
                    (want / per_call).floor().max(1.0) as u64
                } else {
                    1
                };
            }
        }
        Ok(Rounds {
            batch,
            ns: vec![Vec::new(); work.len()],
            order: Vec::new(),
            per_call: estimates,
            retried: vec![0; work.len()],
            retry_below_ns: (plan.batch_time.as_nanos() as f64 * 10.0).max(RETRY_BELOW_NS),
        })
    }

    /// The warm-up's estimate of one round, nanoseconds.
    pub fn round_estimate(&self) -> f64 {
        self.batch
            .iter()
            .zip(&self.per_call)
            .map(|(&b, &c)| b as f64 * c)
            .sum()
    }

    /// Rounds run so far.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether no round has run yet.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Runs one round: one batch of every subject, in an order shuffled by `rng`. A short batch
    /// that `switches` says was interrupted is timed again, up to [`MAX_RETRIES`] times.
    pub fn round(
        &mut self,
        work: &mut [Work<'_>],
        rng: &mut Rng,
        switches: &mut Switches,
    ) -> Result<(), Failure> {
        let mut order: Vec<usize> = (0..work.len().min(self.batch.len())).collect();
        rng.shuffle(&mut order);
        let mut times = vec![0.0; order.len()];
        for &i in &order {
            let (Some(w), Some(&calls)) = (work.get_mut(i), self.batch.get(i)) else {
                continue;
            };
            let expected = calls as f64 * self.per_call.get(i).copied().unwrap_or(0.0);
            let retries = if expected < self.retry_below_ns {
                MAX_RETRIES
            } else {
                0
            };
            for attempt in 0..=retries {
                let before = switches.now();
                let start = thread_ns();
                for _ in 0..calls {
                    w().map_err(|e| (i, e))?;
                }
                let elapsed = thread_ns().saturating_sub(start);
                if let Some(t) = times.get_mut(i) {
                    *t = elapsed as f64 / calls as f64;
                }
                if before.is_none() || before == switches.now() || attempt == retries {
                    break;
                }
                if let Some(r) = self.retried.get_mut(i) {
                    *r += 1;
                }
            }
        }
        for (series, t) in self.ns.iter_mut().zip(times) {
            series.push(t);
        }
        self.order.push(order);
        Ok(())
    }

    /// Calls timed per subject (warm-up excluded).
    pub fn iterations(&self, subject: usize) -> u64 {
        self.batch.get(subject).copied().unwrap_or(0) * self.len() as u64
    }
}

/// Times a group: warm-up, then [`Rounds::advance`].
pub fn interleave(
    work: &mut [Work<'_>],
    plan: &Plan,
    rng: &mut Rng,
    switches: &mut Switches,
    unstable: impl FnMut(&Rounds) -> bool,
) -> Result<Rounds, Failure> {
    let mut rounds = Rounds::warm_up(work, plan, rng)?;
    rounds.advance(work, plan, rng, switches, unstable)?;
    Ok(rounds)
}

impl Rounds {
    /// Runs more rounds: as many as fit in `plan.round_budget` (at least `plan.min_rounds` more,
    /// never past `plan.max_rounds` in all), stopping at `plan.time` once the minimum has run;
    /// then more (`plan.extra_rounds`, or half the rounds so far if more) while
    /// `unstable(&rounds)` holds, up to `plan.max_rounds` and within `plan.time`. `switches`
    /// tells interrupted batches ([`Switches::open`] for the calling thread).
    pub fn advance(
        &mut self,
        work: &mut [Work<'_>],
        plan: &Plan,
        rng: &mut Rng,
        switches: &mut Switches,
        mut unstable: impl FnMut(&Rounds) -> bool,
    ) -> Result<(), Failure> {
        let start = Instant::now();
        let first = self.len();
        let min = plan.min_rounds.max(1);
        let max = plan.max_rounds.max(1);
        if first >= max {
            return Ok(());
        }
        let round = self.round_estimate();
        let fit = if round > 0.0 {
            (plan.round_budget.as_nanos() as f64 / round) as usize
        } else {
            max
        };
        let mut target = (first + fit.max(min)).min(max);
        loop {
            while self.len() < target {
                // The estimate counts CPU time; on a busy machine a round takes longer on the
                // wall clock, and the group stops at its time once it has its minimum.
                if self.len() - first >= min && start.elapsed() >= plan.time {
                    break;
                }
                self.round(work, rng, switches)?;
            }
            if target >= max || plan.extra_rounds == 0 || start.elapsed() >= plan.time {
                break;
            }
            if !unstable(self) {
                break;
            }
            target = (target + plan.extra_rounds.max(target / 2)).min(max);
        }
        Ok(())
    }

    /// Forgets subject `i` (one that failed), so that the others go on.
    pub fn remove(&mut self, i: usize) {
        if i >= self.batch.len() {
            return;
        }
        self.batch.remove(i);
        self.per_call.remove(i);
        self.retried.remove(i);
        if i < self.ns.len() {
            self.ns.remove(i);
        }
        for order in &mut self.order {
            order.retain(|&j| j != i);
            for j in order.iter_mut() {
                if *j > i {
                    *j -= 1;
                }
            }
        }
    }
}

/// How long one measurement may sample ([`sample`]).
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

/// The timing of one operation by [`sample`].
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

/// Times `op` alone within `budget`; the first error stops sampling and is returned. (The
/// comparison itself uses [`interleave`]; this is for a quick estimate, as the benches make.)
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
    Ok(Stats {
        median_ns: super::stats::median(&times),
        min_ns: times.first().copied().unwrap_or_default(),
        max_ns: times.last().copied().unwrap_or_default(),
        samples: n,
        iterations: per_sample * n as u64,
    })
}
