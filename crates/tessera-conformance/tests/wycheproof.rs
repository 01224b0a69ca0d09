//! Wycheproof vectors through every backend the facade compiles in: prints a table of counts
//! per backend and algorithm (`cargo test -p tessera-conformance --test wycheproof -- --nocapture`)
//! and fails on any vector a backend gets wrong.

#![allow(clippy::unwrap_used, clippy::panic, reason = "tests fail loudly on purpose")]

use tessera_conformance::backends;
use tessera_conformance::wycheproof::{Summary, run, vector_sets};

fn print_table(summaries: &[Summary]) {
    println!(
        "{:<16} {:<7} {:>8} {:>6} {:>6} {:>9} {:>9} {:>8}",
        "backend", "alg", "passed", "failed", "total", "acc:acc", "acc:rej", "policy"
    );
    for s in summaries {
        println!(
            "{:<16} {:<7} {:>8} {:>6} {:>6} {:>9} {:>9} {:>8}",
            s.backend,
            s.alg.name(),
            s.passed,
            s.failed,
            s.total,
            s.acceptable_accepted,
            s.acceptable_rejected,
            s.skipped_by_policy
        );
    }
    if let Some(first) = summaries.first() {
        let skips = summaries
            .iter()
            .filter(|s| s.backend == first.backend)
            .flat_map(|s| &s.skips);
        for k in skips {
            println!(
                "skipped by policy in {}: {} groups, {} vectors: {}",
                k.set, k.groups, k.vectors, k.reason
            );
        }
    }
    for s in summaries {
        for k in s.skips.iter().filter(|k| k.reason == tessera_conformance::wycheproof::SMALL_RSA_KEY)
        {
            println!(
                "{} {}: {} in {} groups, {} vectors",
                s.backend, s.alg, k.reason, k.groups, k.vectors
            );
        }
        for f in &s.failures {
            println!(
                "FAIL {} {} {} tcId {} ({}) flags {:?}: expected {:?}, got {}",
                s.backend, s.alg, f.set, f.tc_id, f.comment, f.flags, f.expected, f.got
            );
        }
    }
}

#[test]
fn wycheproof_vectors() {
    let backends = backends();
    let summaries = run(&backends);
    print_table(&summaries);

    for s in &summaries {
        assert!(s.total > 0, "{} {}: no vectors ran", s.backend, s.alg);
        assert_eq!(
            s.passed + s.failed + s.acceptable_accepted + s.acceptable_rejected + s.skipped_by_policy,
            s.total,
            "{} {}: counts do not add up",
            s.backend,
            s.alg
        );
        assert_eq!(s.failed, s.failures.len());
    }
    // Every backend is covered for every algorithm it lists.
    for b in &backends {
        for &alg in b.algorithms() {
            assert!(
                summaries.iter().any(|s| s.backend == b.name() && s.alg == alg),
                "{} {alg}: no Wycheproof summary",
                b.name()
            );
        }
    }
    let failed: usize = summaries.iter().map(|s| s.failed).sum();
    assert_eq!(failed, 0, "{failed} Wycheproof vectors failed; see the FAIL lines above");
}

#[test]
fn every_algorithm_has_a_set() {
    for alg in tessera::Algorithm::ALL {
        assert!(
            vector_sets().iter().any(|s| s.alg == alg),
            "no Wycheproof set for {alg}"
        );
    }
}
