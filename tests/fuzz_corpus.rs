//! Replays every checked-in fuzz corpus file through its target's function on stable Rust,
//! so CI exercises the fuzz targets (and their crash regressions) without nightly.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use tessera_conformance::fuzz::{TARGETS, Target};

/// The differential target has its own test: its crashes are backends that disagree, which
/// says something else than a panic in a parser.
const DIFFERENTIAL: &str = "differential";

/// Replays `fuzz/corpus/<name>/*` through `target`, returning how many files ran and one line
/// per file that panicked.
fn replay(name: &str, target: Target) -> (usize, Vec<String>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(name);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus for {name} at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "empty corpus for {name}");
    let mut failures = Vec::new();
    for f in &files {
        let data = std::fs::read(f).unwrap();
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| target(&data))) {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            let file = f.file_name().unwrap_or_default().to_string_lossy();
            failures.push(format!("{name}/{file}: {msg}"));
        }
    }
    println!("{name}: {} corpus files replayed", files.len());
    (files.len(), failures)
}

#[test]
fn every_corpus_file_replays_without_panic() {
    let mut total = 0;
    let mut failures = Vec::new();
    for &(name, target) in TARGETS.iter().filter(|(n, _)| *n != DIFFERENTIAL) {
        let (n, f) = replay(name, target);
        total += n;
        failures.extend(f);
    }
    assert!(total > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every seed of the differential target (bad keys of every class, good fixture keys) gets the
/// same answer from every backend that supports its algorithm.
#[test]
fn differential_corpus_backends_agree() {
    let &(_, target) = TARGETS
        .iter()
        .find(|(n, _)| *n == DIFFERENTIAL)
        .expect("the differential target is listed");
    let (n, failures) = replay(DIFFERENTIAL, target);
    assert!(n >= 10, "{n} differential seeds");
    assert!(
        failures.is_empty(),
        "{} of {n} seeds: backends disagree\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_fuzz_target_has_a_binary() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/Cargo.toml"))
            .unwrap();
    for (name, _) in TARGETS {
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "fuzz target {name} missing from fuzz/Cargo.toml"
        );
    }
}
