//! The run: select, prepare, form the groups, share the time among them, time them, summarize.

use super::records::sort_records;
use super::sampling::{Plan, Rng, Rounds, Switches, Work};
use super::stats::Limits;
use super::subjects::{Entry, Subject, key_cases};
use super::summary::{any_unstable, summarize};
use super::{Context, MeasureError, Op, Options, Record, Report};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};
use tessera::{Algorithm, Backend};

/// The settings of a mode (the table in the module docs).
#[derive(Clone, Copy, Debug)]
struct Mode {
    target: Duration,
    min_rounds: usize,
    extra_rounds: usize,
    max_rounds: usize,
    batch_time: Duration,
    warm_up: Duration,
    /// Untimed work before the first group is measured ([`warm_machine`]).
    machine_warm_up: Duration,
    rsa_keygen_bits: &'static [usize],
    rsa_keygen_rounds: usize,
}

impl Mode {
    fn of(options: &Options) -> Mode {
        let mut mode = if options.precise {
            Mode {
                target: Duration::from_secs(300),
                min_rounds: 31,
                extra_rounds: 20,
                max_rounds: 2001,
                batch_time: Duration::from_millis(1),
                warm_up: Duration::from_millis(20),
                machine_warm_up: Duration::from_secs(3),
                rsa_keygen_bits: &[2048, 3072, 4096],
                rsa_keygen_rounds: 5,
            }
        } else {
            Mode {
                target: Duration::from_secs(75),
                min_rounds: 15,
                extra_rounds: 10,
                max_rounds: 601,
                batch_time: Duration::from_micros(300),
                warm_up: Duration::from_millis(5),
                machine_warm_up: Duration::from_secs(1),
                rsa_keygen_bits: &[2048],
                rsa_keygen_rounds: 3,
            }
        };
        if let Some(t) = options.time_target {
            mode.target = t;
        }
        if options.measurement_time.is_some() {
            mode.batch_time = Duration::ZERO;
            mode.warm_up = Duration::ZERO;
            mode.machine_warm_up = Duration::ZERO;
        }
        mode
    }

    /// The plan of a group of `n` subjects given `share` of a pass's time; extra rounds for
    /// unstable records only in the `last` pass.
    fn plan(&self, n: usize, share: Duration, last: bool) -> Plan {
        let n = n.max(1) as u32;
        Plan {
            warm_up: self.warm_up.min(share.mul_f64(0.1) / n),
            batch_time: self.batch_time,
            round_budget: share.mul_f64(if last { 0.6 } else { 0.8 }),
            min_rounds: self.min_rounds.div_ceil(PASSES as usize),
            extra_rounds: if last { self.extra_rounds } else { 0 },
            max_rounds: self.max_rounds,
            time: share.mul_f64(if last { 1.5 } else { 1.0 }),
        }
    }
}

/// Passes over the groups: each group's rounds are spread over the whole run, a twelfth in each
/// pass, because a shared host changes speed from one few-second stretch to the next and every
/// record of a group measured in one stretch moves with it. With three passes the medians of two
/// consecutive default runs agreed within 10 % for 44 % of tessera's records; with twelve, 75 %
/// (ratios, paired per round, hold either way).
const PASSES: u32 = 12;

/// Subjects compared with each other: one algorithm, key and operation.
struct Group<'a> {
    label: String,
    entries: Vec<Entry<'a>>,
    /// RSA key generation: a fixed few rounds of one key, no extra rounds.
    rsa_keygen: bool,
    /// Shares of the time the group gets: RSA signing gets three, since its calls are long
    /// (0.2 to 12 ms, batches of one) and a single share buys it few rounds.
    weight: u32,
}

impl Group<'_> {
    /// tessera on the default backend for the algorithm, else the first tessera record.
    fn reference(&self) -> Option<usize> {
        let first = self.entries.first()?;
        let default = Algorithm::ALL
            .into_iter()
            .find(|a| a.name() == first.record.alg)
            .and_then(tessera::default_backend)
            .map(|b| b.name());
        let tessera = |e: &&Entry<'_>| e.record.implementation == super::Impl::Tessera;
        self.entries
            .iter()
            .position(|e| tessera(&e) && Some(e.record.library.as_str()) == default)
            .or_else(|| self.entries.iter().position(|e| tessera(&e)))
    }
}

fn selected_backends(options: &Options) -> Result<Vec<&'static dyn Backend>, MeasureError> {
    let all = crate::backends();
    if options.backends.is_empty() {
        return Ok(all);
    }
    options
        .backends
        .iter()
        .map(|name| {
            all.iter()
                .find(|b| b.name() == name)
                .copied()
                .ok_or_else(|| MeasureError::UnknownBackend(name.clone()))
        })
        .collect()
}

fn progress_bar(options: &Options) -> ProgressBar {
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
    progress
}

/// Measures what `options` select. Setup failures (a backend refusing a key size, say) are
/// listed in [`Report::skipped`]; only an unknown backend name or an empty selection is an error.
pub fn run(options: &Options) -> Result<Report, MeasureError> {
    let start = Instant::now();
    let context = Context::now(options.seed);
    let mode = Mode::of(options);
    let backends = selected_backends(options)?;
    let algs: Vec<Algorithm> = Algorithm::ALL
        .into_iter()
        .filter(|a| options.algs.is_empty() || options.algs.contains(a))
        .collect();
    let mut skipped = Vec::new();
    let progress = progress_bar(options);

    // Keys are parsed and every subject checked once before anything is timed.
    let mut subjects: Vec<(Subject, Option<usize>)> = Vec::new();
    for &alg in &algs {
        for case in key_cases(alg) {
            let private = match case.private {
                Ok(k) => k,
                Err(e) => {
                    skipped.push(format!("{alg} {}: fixture key: {e}", case.label));
                    continue;
                }
            };
            for &backend in backends.iter().filter(|b| b.supports(alg)) {
                progress.set_message(format!("{} {alg} {}", backend.name(), case.label));
                match Subject::new(backend, alg, &case.label, &private) {
                    Ok(s) => subjects.push((s, case.bits)),
                    Err(e) => skipped.push(format!("{} {alg} {}: {e}", backend.name(), case.label)),
                }
            }
        }
    }
    #[cfg(feature = "peers")]
    let peer_list = if options.peers {
        super::subjects::prepare_peers(&algs, &mut skipped)
    } else {
        Vec::new()
    };
    #[cfg(not(feature = "peers"))]
    if options.peers {
        skipped.push("peers: tessera-conformance was built without its `peers` feature".to_owned());
    }

    let mut groups: Vec<Group<'_>> = Vec::new();
    let mut keygens: Vec<Group<'_>> = Vec::new();
    for &alg in &algs {
        for case in key_cases(alg) {
            let of_case = || {
                subjects
                    .iter()
                    .filter(|(s, _)| s.alg == alg && s.key == case.label)
            };
            for op in [Op::Verify, Op::Sign] {
                #[cfg_attr(not(feature = "peers"), allow(unused_mut, reason = "peers add to it"))]
                let mut entries: Vec<Entry<'_>> =
                    of_case().flat_map(|(s, _)| s.entries(op)).collect();
                #[cfg(feature = "peers")]
                for (peer_alg, key, peer, token) in &peer_list {
                    if *peer_alg == alg && *key == case.label {
                        entries.push(super::subjects::peer_entry(peer, alg, key, token, op));
                    }
                }
                let rsa = case.bits.is_some();
                if !entries.is_empty() {
                    groups.push(Group {
                        label: format!("{alg} {} {}", case.label, op.name()),
                        entries,
                        rsa_keygen: false,
                        weight: if rsa && op == Op::Sign { 3 } else { 1 },
                    });
                }
            }
            // One keygen group per key type: RS256…PS512 share RSA keys of a size (the first
            // selected RSA algorithm stands for them); every other algorithm has its own.
            let wanted = case.bits.is_none_or(|b| mode.rsa_keygen_bits.contains(&b));
            let label = case
                .bits
                .map_or(alg.name().to_owned(), |b| format!("RSA-{b}"));
            if options.keygen && wanted && !keygens.iter().any(|g| g.label == label) {
                let entries: Vec<Entry<'_>> = of_case().map(|(s, bits)| s.keygen(*bits)).collect();
                if !entries.is_empty() {
                    keygens.push(Group {
                        label,
                        entries,
                        rsa_keygen: case.bits.is_some(),
                        weight: u32::from(case.bits.is_none()),
                    });
                }
            }
        }
    }
    groups.append(&mut keygens);
    if groups.is_empty() {
        progress.finish_and_clear();
        return Err(MeasureError::NothingSelected);
    }

    let steps = groups
        .iter()
        .map(|g| if g.rsa_keygen { 1 } else { u64::from(PASSES) })
        .sum();
    progress.set_length(steps);
    progress.set_position(0);
    progress.set_prefix("measuring");
    let measuring = Instant::now();
    let mut rng = Rng::new(options.seed);
    let limits = Limits::DEFAULT;
    let mut live: Vec<Live<'_>> = groups.into_iter().map(Live::new).collect();
    let weight_total: u32 = live.iter().map(|g| g.weight).sum();
    progress.set_message("warming up the machine");
    warm_machine(&mut live, mode.machine_warm_up);
    let mut order: Vec<usize> = (0..live.len()).collect();
    for pass in 0..PASSES {
        let last = pass + 1 == PASSES;
        let pass_start = Instant::now();
        let pass_time = mode.target.saturating_sub(measuring.elapsed()) / (PASSES - pass);
        let mut weight_left = weight_total;
        // A fresh order every pass: no group is always measured first, or always just after
        // the machine's heaviest work (RSA signing), so position effects do not repeat.
        rng.shuffle(&mut order);
        for &i in &order {
            let Some(group) = live.get_mut(i) else {
                continue;
            };
            if group.rsa_keygen {
                if last {
                    progress.set_message(group.label.clone());
                    let plan = Plan {
                        warm_up: Duration::ZERO,
                        batch_time: Duration::ZERO,
                        round_budget: Duration::ZERO,
                        min_rounds: mode.rsa_keygen_rounds,
                        extra_rounds: 0,
                        max_rounds: mode.rsa_keygen_rounds,
                        time: Duration::ZERO,
                    };
                    group.advance(&plan, &mut rng, &limits, &mut skipped);
                    progress.inc(1);
                }
                continue;
            }
            progress.set_message(format!("{} (pass {} of {PASSES})", group.label, pass + 1));
            let share = options.measurement_time.unwrap_or_else(|| {
                pass_time.saturating_sub(pass_start.elapsed()) * group.weight / weight_left.max(1)
            });
            weight_left = weight_left.saturating_sub(group.weight);
            let plan = mode.plan(group.records.len(), share, last);
            group.advance(&plan, &mut rng, &limits, &mut skipped);
            progress.inc(1);
        }
    }
    let mut records = Vec::new();
    for group in live {
        records.extend(group.finish(&limits));
    }
    progress.finish_and_clear();

    sort_records(&mut records);
    Ok(Report {
        records,
        skipped,
        elapsed: start.elapsed(),
        precise: options.precise,
        context,
    })
}

/// Runs the groups' work round-robin, untimed, for `time`: the first groups measured then meet
/// a core already at its working clock and caches, as every later group does. Without it the
/// first minute of a run measured the machine waking up (the groups measured first were the
/// least reproducible from run to run). A failing call is left for the measurement to report.
fn warm_machine(live: &mut [Live<'_>], time: Duration) {
    let start = Instant::now();
    'outer: while start.elapsed() < time {
        for group in live.iter_mut().filter(|g| !g.rsa_keygen) {
            for w in &mut group.work {
                let _ = w();
                if start.elapsed() >= time {
                    break 'outer;
                }
            }
        }
    }
}

/// A group being measured, pass after pass.
struct Live<'a> {
    label: String,
    records: Vec<Record>,
    work: Vec<Work<'a>>,
    rounds: Option<Rounds>,
    reference: Option<String>,
    rsa_keygen: bool,
    weight: u32,
}

impl<'a> Live<'a> {
    fn new(group: Group<'a>) -> Live<'a> {
        let reference = group
            .reference()
            .and_then(|i| group.entries.get(i))
            .map(|e| e.record.library.clone());
        let (records, work) = group
            .entries
            .into_iter()
            .map(|e| (e.record, e.work))
            .unzip();
        Live {
            label: group.label,
            records,
            work,
            rounds: None,
            reference,
            rsa_keygen: group.rsa_keygen,
            weight: group.weight,
        }
    }

    /// The reference's index: by name, else the first tessera record.
    fn reference(&self) -> Option<usize> {
        self.reference
            .as_ref()
            .and_then(|name| self.records.iter().position(|r| r.library == *name))
            .or_else(|| {
                self.records
                    .iter()
                    .position(|r| r.implementation == super::Impl::Tessera)
            })
    }

    /// Warms up (the first time) and runs this pass's rounds; a subject that fails is dropped
    /// (and listed in `skipped`) and the others go on.
    fn advance(&mut self, plan: &Plan, rng: &mut Rng, limits: &Limits, skipped: &mut Vec<String>) {
        while !self.records.is_empty() {
            let reference = self.reference();
            let Live {
                records,
                work,
                rounds,
                ..
            } = self;
            let mut switches = Switches::open();
            let result = match rounds {
                Some(r) => Ok(r),
                None => Rounds::warm_up(work, plan, rng).map(|r| rounds.insert(r)),
            }
            .and_then(|r| {
                r.advance(work, plan, rng, &mut switches, |now: &Rounds| {
                    any_unstable(records, now, reference, limits)
                })
            });
            let Err((i, e)) = result else { return };
            if i >= self.records.len() {
                return;
            }
            let r = self.records.remove(i);
            drop(self.work.remove(i));
            if let Some(rounds) = &mut self.rounds {
                rounds.remove(i);
            }
            skipped.push(format!(
                "{} {} {} {} {}: {e}",
                r.library,
                r.alg,
                r.key,
                r.implementation.name(),
                r.op.name()
            ));
        }
    }

    /// The records, summarized from every pass's rounds.
    fn finish(mut self, limits: &Limits) -> Vec<Record> {
        let reference = self.reference();
        match &self.rounds {
            Some(rounds) => summarize(&mut self.records, rounds, reference, limits),
            None => self.records.clear(),
        }
        self.records
    }
}
