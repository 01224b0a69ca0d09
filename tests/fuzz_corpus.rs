//! Replays every checked-in fuzz corpus file through its target's function on stable Rust,
//! so CI exercises the fuzz targets (and their crash regressions) without nightly.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use std::path::Path;
use tessera_conformance::fuzz::TARGETS;

#[test]
fn every_corpus_file_replays_without_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut total = 0;
    for (name, target) in TARGETS {
        let dir = root.join(name);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("corpus for {name} at {}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "empty corpus for {name}");
        for f in &files {
            target(&std::fs::read(f).unwrap());
        }
        println!("{name}: {} corpus files replayed", files.len());
        total += files.len();
    }
    assert!(total > 0);
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
