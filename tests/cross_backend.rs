//! Every backend's tokens verify with every other backend; deterministic algorithms agree byte for byte.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use tessera::Algorithm;
use tessera_conformance::{backends, matrix};

#[test]
fn every_backend_verifies_every_other() {
    let cells = matrix::run(&backends());
    let failures: Vec<String> = cells
        .iter()
        .filter(|c| !c.verdict.passed())
        .map(|c| {
            format!(
                "{} signed by {} verified by {}: {:?}",
                c.alg, c.signer, c.verifier, c.verdict
            )
        })
        .collect();
    println!("cross-backend matrix: {} cells", cells.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every algorithm some backend supports is in the matrix.
    for alg in Algorithm::ALL {
        if backends().iter().any(|b| b.supports(alg)) {
            assert!(
                cells.iter().any(|c| c.alg == alg),
                "{alg} missing from the matrix"
            );
        }
    }
}
