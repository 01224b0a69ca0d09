//! The cross-backend matrix: for each algorithm, a token signed by every backend verifies with
//! every other; for deterministic algorithms the signatures are byte-identical.

use crate::Verdict;
use crate::fixtures::Fixture;
use tessera::{Algorithm, Backend};

/// One cell: `signer` backend's token checked by `verifier` backend.
#[derive(Clone, Debug)]
pub struct Cell {
    /// The algorithm.
    pub alg: Algorithm,
    /// Backend that signed.
    pub signer: &'static str,
    /// Backend that verified.
    pub verifier: &'static str,
    /// What happened.
    pub verdict: Verdict,
}

/// Runs the matrix over `backends`.
pub fn run(backends: &[&'static dyn Backend]) -> Vec<Cell> {
    let mut cells = Vec::new();
    for alg in Algorithm::ALL {
        let fixtures: Vec<Fixture> = backends
            .iter()
            .filter(|b| b.supports(alg))
            .filter_map(|&b| Fixture::new(b, alg).ok())
            .collect();
        let tokens: Vec<String> = fixtures.iter().map(Fixture::valid_token).collect();
        for (s, token) in fixtures.iter().zip(&tokens) {
            for v in &fixtures {
                let mut verdict = match v.check(token) {
                    Ok(_) => Verdict::Pass,
                    Err(e) => Verdict::Fail(format!("rejected: {e}")),
                };
                if alg.is_deterministic() {
                    let theirs = &tokens[fixtures
                        .iter()
                        .position(|f| std::ptr::eq(f, v))
                        .unwrap_or(0)];
                    if theirs != token && verdict.passed() {
                        verdict =
                            Verdict::Fail("signatures differ for a deterministic algorithm".into());
                    }
                }
                cells.push(Cell {
                    alg,
                    signer: s.backend.name(),
                    verifier: v.backend.name(),
                    verdict,
                });
            }
        }
    }
    cells
}
