//! Published vectors on every backend that supports their algorithm.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use tessera_conformance::{backends, vectors};

#[test]
fn published_vectors_pass_on_every_backend() {
    let outcomes = vectors::run(&backends());
    for b in backends() {
        let mine: Vec<_> = outcomes.iter().filter(|o| o.backend == b.name()).collect();
        let passed = mine.iter().filter(|o| o.verdict.passed()).count();
        println!("{:<18} {passed}/{} published vectors", b.name(), mine.len());
    }
    let failures: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.verdict.passed())
        .map(|o| format!("{} on {}: {:?}", o.vector, o.backend, o.verdict))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every vector ran somewhere.
    for (name, _) in vectors::all() {
        assert!(
            outcomes.iter().any(|o| o.vector == name),
            "{name} ran on no backend"
        );
    }
}
