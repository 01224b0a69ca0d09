//! Wycheproof vectors through every backend the facade compiles in: prints a table of counts
//! per backend and algorithm (`cargo test -p tessera-conformance --test wycheproof -- --nocapture`)
//! and fails on any vector a backend gets wrong.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use tessera::codec::Library;
use tessera::{Algorithm, Backend, Jwk, KeyError, KeySpec, SignatureError, Signer, Verifier};
use tessera_conformance::backends;
use tessera_conformance::wycheproof::{
    Expected, Got, SMALL_RSA_KEY, Skip, Summary, run, vector_sets,
};

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
    // Skips by group filtering are the same for every backend: print each once.
    let mut shown: Vec<&Skip> = Vec::new();
    for k in summaries.iter().flat_map(|s| &s.skips) {
        if k.reason != SMALL_RSA_KEY && !shown.contains(&k) {
            shown.push(k);
            println!(
                "skipped by policy in {}: {} groups, {} vectors: {}",
                k.set, k.groups, k.vectors, k.reason
            );
        }
    }
    for s in summaries {
        // Key refusals by policy depend on the backend.
        for k in s.skips.iter().filter(|k| k.reason == SMALL_RSA_KEY) {
            println!(
                "{} {} {}: {} groups, {} vectors: {}",
                s.backend, s.alg, k.set, k.groups, k.vectors, k.reason
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
            s.passed
                + s.failed
                + s.acceptable_accepted
                + s.acceptable_rejected
                + s.skipped_by_policy,
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
                summaries
                    .iter()
                    .any(|s| s.backend == b.name() && s.alg == alg),
                "{} {alg}: no Wycheproof summary",
                b.name()
            );
        }
    }
    let failed: usize = summaries.iter().map(|s| s.failed).sum();
    assert_eq!(
        failed, 0,
        "{failed} Wycheproof vectors failed; see the FAIL lines above"
    );
}

#[test]
fn every_algorithm_has_a_set() {
    for alg in Algorithm::ALL {
        assert!(
            vector_sets().iter().any(|s| s.alg == alg),
            "no Wycheproof set for {alg}"
        );
    }
}

/// A fake backend for every algorithm whose verifier answers `ACCEPT` without looking: it checks
/// that the runner really tells accepted from rejected vectors.
#[derive(Debug)]
struct Constant<const ACCEPT: bool>;

impl<const ACCEPT: bool> Verifier for Constant<ACCEPT> {
    fn algorithm(&self) -> Algorithm {
        Algorithm::HS256
    }
    fn key_id(&self) -> Option<&str> {
        None
    }
    fn signature_len(&self) -> usize {
        0
    }
    fn verify(&self, _: &[u8], _: &[u8]) -> Result<(), SignatureError> {
        if ACCEPT {
            Ok(())
        } else {
            Err(SignatureError::Invalid)
        }
    }
}

impl<const ACCEPT: bool> Backend for Constant<ACCEPT> {
    fn name(&self) -> &'static str {
        if ACCEPT { "accept-all" } else { "reject-all" }
    }
    fn library(&self) -> Library {
        Library {
            name: "none",
            version: "0",
        }
    }
    fn algorithms(&self) -> &'static [Algorithm] {
        &Algorithm::ALL
    }
    fn signer(&self, _: &Jwk, _: Algorithm) -> Result<Box<dyn Signer>, KeyError> {
        Err(KeyError::UnsupportedKey("verification only".into()))
    }
    fn verifier(&self, _: &Jwk, _: Algorithm) -> Result<Box<dyn Verifier>, KeyError> {
        Ok(Box::new(Constant::<ACCEPT>))
    }
    fn generate(&self, _: KeySpec) -> Result<Jwk, KeyError> {
        Err(KeyError::UnsupportedKey("verification only".into()))
    }
}

static ACCEPT_ALL: Constant<true> = Constant;
static REJECT_ALL: Constant<false> = Constant;

#[test]
fn the_runner_catches_a_backend_that_accepts_everything() {
    let summaries = run(&[&ACCEPT_ALL]);
    assert_eq!(summaries.len(), Algorithm::ALL.len());
    for s in &summaries {
        // Every failure is an invalid vector accepted; every acceptable one counts as accepted.
        assert!(s.failed > 0, "{}: no invalid vector", s.alg);
        assert_eq!(s.acceptable_rejected, 0);
        assert!(
            s.failures
                .iter()
                .all(|f| f.expected == Expected::Invalid && f.got == Got::Accepted)
        );
    }
}

#[test]
fn the_runner_catches_a_backend_that_rejects_everything() {
    let summaries = run(&[&REJECT_ALL]);
    for s in &summaries {
        assert!(s.failed > 0, "{}: no valid vector", s.alg);
        assert_eq!(s.acceptable_accepted, 0);
        assert!(
            s.failures.iter().all(|f| f.expected == Expected::Valid
                && f.got == Got::Rejected(SignatureError::Invalid))
        );
    }
    // The two fakes split every non-skipped vector between them.
    let accept = run(&[&ACCEPT_ALL]);
    for (a, r) in accept.iter().zip(&summaries) {
        assert_eq!(a.total, r.total);
        assert_eq!(
            a.failed + r.failed + a.acceptable_accepted,
            r.total - r.skipped_by_policy
        );
    }
}

/// Deterministic signers reproduce every vector byte for byte; a hedged one (aws-lc-rs) signs each
/// message so that the group's key verifies it.
#[test]
fn ml_dsa_sign_vectors_reproduced_or_verified() {
    let summaries = tessera_conformance::wycheproof::ml_dsa_sign(&backends());
    assert!(!summaries.is_empty());
    for s in &summaries {
        println!(
            "{:<16} {:<10} sign: {} passed, {} failed, {} skipped of {}",
            s.backend, s.alg, s.passed, s.failed, s.skipped_by_policy, s.total
        );
        for f in &s.failures {
            println!(
                "FAIL {} {} tcId {}: {:?} {}",
                s.backend, s.alg, f.tc_id, f.got, f.comment
            );
        }
        for k in &s.skips {
            println!("  skipped {k:?}");
        }
        assert!(s.passed > 0, "{} {}: nothing ran", s.backend, s.alg);
    }
    let failed: usize = summaries.iter().map(|s| s.failed).sum();
    assert_eq!(
        failed, 0,
        "{failed} Wycheproof ML-DSA signing vectors failed"
    );
}
