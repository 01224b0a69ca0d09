// Unit tests: this module is declared under #[cfg(test)] only.
//! Tests of the engine's deterministic logic (shuffling, rounds, statistics, stability, the
//! recommendation) and of the outputs' shape on a tiny real run. Nothing here asserts a time.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::float_cmp,
    reason = "tests"
)]

use super::sampling::{Plan, Rng, Rounds, Switches, Work, interleave};
use super::stats::{Interval, Limits, ci_rank, disagreement, median, paired};
use super::summary::summarize;
use super::*;
use crate::fixtures;
use std::cell::RefCell;
use std::time::Duration;
use tessera::codec::b64;
use tessera::{Algorithm, Encoder};

mod outputs;
mod runs;

/// A plan with no warm-up time and batches of one call: only the round logic remains.
fn plan(rounds: usize, extra: usize, max: usize) -> Plan {
    Plan {
        warm_up: Duration::ZERO,
        batch_time: Duration::ZERO,
        round_budget: Duration::ZERO,
        min_rounds: rounds,
        extra_rounds: extra,
        max_rounds: max,
        time: Duration::from_secs(3600),
    }
}

fn recording(log: &RefCell<Vec<usize>>, n: usize) -> Vec<Work<'_>> {
    (0..n)
        .map(|i| -> Work<'_> {
            Box::new(move || {
                log.borrow_mut().push(i);
                Ok(())
            })
        })
        .collect()
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
fn rng_is_seeded_and_shuffles_into_permutations() {
    let mut a = Rng::new(42);
    let mut b = Rng::new(42);
    let xs: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
    let ys: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
    assert_eq!(xs, ys);
    // SplitMix64's published first output for seed 0.
    assert_eq!(Rng::new(0).next_u64(), 0xe220_a839_7b1d_cdaf);
    let mut r = Rng::new(7);
    assert!((0..1000).all(|_| r.below(5) < 5));
    assert_eq!(r.below(0), 0);
    let mut seen = std::collections::HashSet::new();
    for _ in 0..50 {
        let mut v: Vec<usize> = (0..6).collect();
        r.shuffle(&mut v);
        let mut sorted = v.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..6).collect::<Vec<_>>());
        seen.insert(v);
    }
    assert!(
        seen.len() > 30,
        "50 shuffles of 6 gave only {} orders",
        seen.len()
    );
}

#[test]
fn every_round_runs_every_subject_once_in_a_fresh_order() {
    let log = RefCell::new(Vec::new());
    let mut work = recording(&log, 5);
    let mut rng = Rng::new(1);
    let rounds = interleave(
        &mut work,
        &plan(15, 0, 15),
        &mut rng,
        &mut Switches::none(),
        |_| true,
    )
    .unwrap();
    assert_eq!(rounds.len(), 15);
    assert_eq!(rounds.batch, vec![1; 5]);
    let calls = log.borrow();
    // Warm-up: one call each, then 15 rounds of one call each.
    assert_eq!(calls.len(), 5 + 15 * 5);
    for (r, chunk) in calls[5..].chunks(5).enumerate() {
        let mut sorted = chunk.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, [0, 1, 2, 3, 4], "round {r}: {chunk:?}");
        assert_eq!(chunk, rounds.order[r].as_slice());
    }
    let distinct: std::collections::HashSet<&Vec<usize>> = rounds.order.iter().collect();
    assert!(
        distinct.len() > 10,
        "orders barely vary: {:?}",
        rounds.order
    );
    for series in &rounds.ns {
        assert_eq!(series.len(), 15);
    }
    assert_eq!(rounds.iterations(3), 15);
    let sized = Rounds {
        batch: vec![2, 3],
        per_call: vec![10.0, 20.0],
        ..rounds
    };
    assert_eq!(sized.round_estimate(), 80.0);
}

#[test]
fn extra_rounds_while_unstable_up_to_the_bound() {
    let log = RefCell::new(Vec::new());
    let mut work = recording(&log, 3);
    let mut asked = Vec::new();
    let rounds = interleave(
        &mut work,
        &plan(5, 4, 16),
        &mut Rng::new(2),
        &mut Switches::none(),
        |r: &Rounds| {
            asked.push(r.len());
            true
        },
    )
    .unwrap();
    assert_eq!(asked, [5, 9, 13]);
    assert_eq!(rounds.len(), 16);
    let mut work = recording(&log, 3);
    let rounds = interleave(
        &mut work,
        &plan(5, 4, 16),
        &mut Rng::new(2),
        &mut Switches::none(),
        |_| false,
    )
    .unwrap();
    assert_eq!(rounds.len(), 5, "stable after the base rounds: no extra");
    // Past its time, a group gets no extra round.
    let mut work = recording(&log, 3);
    let late = Plan {
        time: Duration::ZERO,
        ..plan(5, 4, 16)
    };
    let rounds = interleave(
        &mut work,
        &late,
        &mut Rng::new(2),
        &mut Switches::none(),
        |_| true,
    )
    .unwrap();
    assert_eq!(rounds.len(), 5);
}

#[test]
fn an_interrupted_batch_is_timed_again() {
    let dir = std::env::temp_dir().join(format!("tessera-switches-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("schedstat");
    std::fs::write(&path, "100 200 7\n").unwrap();
    let calls = RefCell::new(0u64);
    // Subject 0's first two timed calls each "switch" the thread out.
    let mut work: Vec<Work<'_>> = vec![
        Box::new(|| {
            let mut n = calls.borrow_mut();
            *n += 1;
            if (2..=3).contains(&*n) {
                std::fs::write(&path, format!("100 200 {}\n", 7 + *n)).unwrap();
            }
            Ok(())
        }),
        Box::new(|| Ok(())),
    ];
    let mut rng = Rng::new(5);
    let mut rounds = Rounds::warm_up(&mut work, &plan(1, 0, 1), &mut rng).unwrap();
    rounds.retry_below_ns = f64::INFINITY;
    let mut switches = sampling::Switches::at(&path);
    assert_eq!(switches.now(), Some(7));
    rounds.round(&mut work, &mut rng, &mut switches).unwrap();
    rounds.round(&mut work, &mut rng, &mut switches).unwrap();
    assert_eq!(rounds.retried, [2, 0]);
    assert_eq!(
        *calls.borrow(),
        1 + 3 + 1,
        "warm-up, three attempts, the second round"
    );
    assert_eq!(rounds.len(), 2);
    // Never more than MAX_RETRIES attempts again, and none for a long batch.
    std::fs::write(&path, "100 200 1\n").unwrap();
    let mut flip = 0u64;
    let mut always: Vec<Work<'_>> = vec![Box::new(|| {
        flip += 1;
        std::fs::write(&path, format!("100 200 {flip}\n")).unwrap();
        Ok(())
    })];
    let mut r = Rounds::warm_up(&mut always, &plan(1, 0, 1), &mut rng).unwrap();
    r.retry_below_ns = f64::INFINITY;
    r.round(&mut always, &mut rng, &mut switches).unwrap();
    assert_eq!(r.retried, [sampling::MAX_RETRIES as u64]);
    r.retry_below_ns = 0.0;
    r.round(&mut always, &mut rng, &mut switches).unwrap();
    assert_eq!(r.retried, [sampling::MAX_RETRIES as u64]);
    drop(always);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(sampling::Switches::none().now(), None);
}

#[test]
fn passes_add_rounds_and_a_failed_subject_can_be_dropped() {
    let log = RefCell::new(Vec::new());
    let mut work = recording(&log, 3);
    let mut rng = Rng::new(9);
    let mut none = Switches::none();
    let mut rounds = Rounds::warm_up(&mut work, &plan(5, 0, 12), &mut rng).unwrap();
    for expected in [5, 10, 12, 12] {
        rounds
            .advance(&mut work, &plan(5, 0, 12), &mut rng, &mut none, |_| true)
            .unwrap();
        assert_eq!(
            rounds.len(),
            expected,
            "a pass adds its rounds, never past the maximum"
        );
    }
    rounds.remove(1);
    drop(work.remove(1));
    assert_eq!(rounds.batch.len(), 2);
    assert_eq!(rounds.ns.len(), 2);
    assert!(rounds.order.iter().all(|o| {
        let mut o = o.clone();
        o.sort_unstable();
        o == [0, 1]
    }));
    rounds
        .advance(&mut work, &plan(3, 0, 20), &mut rng, &mut none, |_| true)
        .unwrap();
    assert_eq!(rounds.len(), 15);
    assert!(rounds.ns.iter().all(|s| s.len() == 15));
}

#[test]
fn a_failing_subject_is_named() {
    let calls = RefCell::new(0);
    let mut work: Vec<Work<'_>> = vec![
        Box::new(|| Ok(())),
        Box::new(|| {
            *calls.borrow_mut() += 1;
            if *calls.borrow() == 3 {
                Err("third call".to_owned())
            } else {
                Ok(())
            }
        }),
    ];
    let e = interleave(
        &mut work,
        &plan(5, 0, 5),
        &mut Rng::new(3),
        &mut Switches::none(),
        |_| false,
    )
    .unwrap_err();
    assert_eq!(e, (1, "third call".to_owned()));
}

#[test]
fn median_interval_by_order_statistics() {
    let ranks: Vec<usize> = [1, 5, 6, 10, 11, 15, 21, 31, 45, 93]
        .iter()
        .map(|&n| ci_rank(n))
        .collect();
    assert_eq!(ranks, [1, 1, 1, 2, 2, 4, 6, 10, 16, 37]);
    assert!(ci_rank(5000) > 2000 && ci_rank(5000) < 2500);
    // 15 values 1..=15 shuffled: median 8, interval [x4, x12].
    let v = [
        9.0, 3.0, 15.0, 1.0, 12.0, 7.0, 4.0, 8.0, 2.0, 14.0, 6.0, 11.0, 5.0, 13.0, 10.0,
    ];
    let i = Interval::of(&v).unwrap();
    assert_eq!((i.median, i.low, i.high), (8.0, 4.0, 12.0));
    assert_eq!(i.spread(), 1.0);
    let r = i.recip();
    assert_eq!((r.median, r.low, r.high), (0.125, 1.0 / 12.0, 0.25));
    // Few values: the whole range.
    let i = Interval::of(&[3.0, 1.0, 2.0]).unwrap();
    assert_eq!((i.median, i.low, i.high), (2.0, 1.0, 3.0));
    assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
    assert_eq!(median(&[]), 0.0);
    assert_eq!(Interval::of(&[]), None);
    assert_eq!(Interval::of(&[1.0, f64::NAN]), None);
    assert_eq!(paired(&[2.0, 3.0, 4.0], &[1.0, 0.0, 2.0]), [2.0, 2.0]);
    assert_eq!(
        disagreement(&[100.0, 104.0, 102.0]),
        Some(0.040_000_000_000_000_036)
    );
    assert_eq!(disagreement(&[]), None);
    assert_eq!(disagreement(&[0.0, 1.0]), Some(f64::INFINITY));
}

#[test]
fn stability_limits() {
    let narrow = Interval {
        median: 100.0,
        low: 96.0,
        high: 104.0,
    };
    let wide = Interval {
        median: 100.0,
        low: 90.0,
        high: 111.0,
    };
    let ratio_ok = Interval {
        median: 1.0,
        low: 0.98,
        high: 1.03,
    };
    let ratio_wide = Interval {
        median: 1.0,
        low: 0.95,
        high: 1.04,
    };
    let l = Limits::DEFAULT;
    assert!(l.stable(&narrow, &[ratio_ok]));
    assert!(!l.stable(&wide, &[ratio_ok]));
    assert!(!l.stable(&narrow, &[ratio_ok, ratio_wide]));
    assert!(l.stable(&narrow, &[]));
}

/// A group of synthetic records: tessera and floor on backends A and B, and a peer.
pub(super) fn synthetic(op: Op, rounds: usize, noisy_peer: bool) -> (Vec<Record>, Rounds) {
    let mk = |imp: Impl, lib: &str, backend: Option<&str>| Record {
        backend: backend.map(str::to_owned),
        ..Record::new(imp, lib, Algorithm::ES256, "P-256", op)
    };
    let records = vec![
        mk(Impl::Tessera, "tessera-a", Some("tessera-a")),
        mk(Impl::Floor, "lib-a", Some("tessera-a")),
        mk(Impl::Tessera, "tessera-b", Some("tessera-b")),
        mk(Impl::Floor, "lib-b", Some("tessera-b")),
        mk(Impl::Peer, "peer", None),
    ];
    // Every round drifts by the same factor for everyone: the ratios stay exact.
    let drift = |r: usize| 1.0 + 0.002 * (r % 5) as f64;
    let series = |base: f64| -> Vec<f64> { (0..rounds).map(|r| base * drift(r)).collect() };
    let peer: Vec<f64> = (0..rounds)
        .map(|r| {
            let noise = if noisy_peer && r % 2 == 0 { 1.5 } else { 1.0 };
            400.0 * drift(r) * noise
        })
        .collect();
    let ns = vec![
        series(110.0),
        series(100.0),
        series(220.0),
        series(200.0),
        peer,
    ];
    let n = records.len();
    let out = Rounds {
        batch: vec![10; n],
        ns,
        order: (0..rounds).map(|_| (0..n).collect()).collect(),
        per_call: vec![1.0; n],
        retried: vec![0; n],
        retry_below_ns: 0.0,
    };
    (records, out)
}

#[test]
fn summary_medians_paired_ratios_and_the_unstable_flag() {
    let (mut records, rounds) = synthetic(Op::Verify, 15, true);
    summarize(&mut records, &rounds, Some(0), &Limits::DEFAULT);
    let [ta, fa, tb, fb, peer] = records.as_slice() else {
        panic!("five records")
    };
    assert_eq!(ta.samples, 15);
    assert_eq!(ta.iterations, 150);
    assert_eq!(ta.round_ns.len(), 15);
    assert!((ta.overhead_ratio.unwrap() - 1.1).abs() < 1e-12);
    assert!((ta.overhead_ratio_low.unwrap() - 1.1).abs() < 1e-12);
    assert!((tb.overhead_ratio.unwrap() - 1.1).abs() < 1e-12);
    assert!(fa.overhead_ratio.is_none() && fb.overhead_ratio.is_none());
    assert!(peer.overhead_ratio.is_none());
    assert_eq!(ta.reference.as_deref(), Some("tessera-a"));
    assert_eq!(ta.relative_speed, Some(1.0));
    assert!((tb.relative_speed.unwrap() - 0.5).abs() < 1e-12);
    assert!((fa.relative_speed.unwrap() - 1.1).abs() < 1e-12);
    assert!(ta.ns_low <= ta.ns_median && ta.ns_median <= ta.ns_high);
    assert!(ta.ns_min <= ta.ns_low && ta.ns_high <= ta.ns_max);
    assert!((ta.ops_per_sec - 1e9 / ta.ns_median).abs() < 1e-6);
    assert!(ta.stable && fa.stable && tb.stable && fb.stable);
    // Half the peer's rounds are 50 % slower: its interval spans both.
    assert!(!peer.stable, "{peer:?}");
    assert!(peer.relative_speed_high.unwrap() / peer.relative_speed_low.unwrap() > 1.4);
}

#[test]
fn dates_are_civil_utc() {
    let at = |s| Context {
        started_unix: s,
        ..Context::default()
    };
    assert_eq!(at(0).date(), "1970-01-01");
    assert_eq!(at(1_700_000_000).date(), "2023-11-14");
    assert_eq!(at(951_782_400).date(), "2000-02-29");
    assert_eq!(at(4_102_444_800).date(), "2100-01-01");
}

#[test]
fn saml_sizes_come_from_the_fixtures() {
    assert_eq!(saml::base64_len(0), 0);
    assert_eq!(saml::base64_len(3), 4);
    assert_eq!(saml::base64_len(4), 8);
    let sizes = saml::sizes();
    assert_eq!(sizes.len(), 2);
    for s in sizes {
        assert!(s.assertion_bytes > 2000, "{s:?}");
        assert!(s.response_bytes > s.assertion_bytes);
        assert_eq!(s.post_binding_bytes, saml::base64_len(s.response_bytes));
    }
}

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
            &[
                "tessera-hmac",
                "tessera-ecdsa",
                "tessera-ed25519",
                "tessera-ring",
            ],
        )
    })
}
