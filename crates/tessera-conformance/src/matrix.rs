//! The cross-backend matrix: for each algorithm, a token signed by every backend verifies with
//! every other, and the public keys the backends derive from the same private key are
//! identical; for deterministic algorithms the signatures are byte-identical, except where a
//! signer is hedged (see [`is_hedged`]), which is then cross-checked by verification only.

use crate::Verdict;
use crate::fixtures::Fixture;
use tessera::codec::Family;
use tessera::{Algorithm, Backend};

/// How a cell compared the signer's token with the verifier backend's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compared {
    /// Byte for byte, and by verification: a deterministic algorithm and two deterministic
    /// signers.
    Bytes,
    /// By verification only: an algorithm whose signatures are randomized (ECDSA with random
    /// nonces, RSA-PSS), or a hedged signer of a deterministic one (ML-DSA on aws-lc-rs).
    Verification,
}

/// One cell: `signer` backend's token checked by `verifier` backend.
#[derive(Clone, Debug)]
pub struct Cell {
    /// The algorithm.
    pub alg: Algorithm,
    /// Backend that signed.
    pub signer: &'static str,
    /// Backend that verified.
    pub verifier: &'static str,
    /// How the tokens were compared.
    pub compared: Compared,
    /// What happened.
    pub verdict: Verdict,
}

/// Whether a fixture's signer is hedged: signing one input twice gives two different
/// signatures. FIPS 204 defines a hedged ML-DSA beside the deterministic one, and aws-lc-rs
/// offers only the hedged; for the other deterministic algorithms (HMAC, RSA PKCS #1 v1.5,
/// Ed25519) no hedged variant exists, so the matrix fails such a signer.
pub fn is_hedged(f: &Fixture) -> bool {
    f.valid_token() != f.valid_token()
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
        let hedged: Vec<bool> = fixtures
            .iter()
            .map(|f| alg.is_deterministic() && is_hedged(f))
            .collect();
        for ((s, token), &s_hedged) in fixtures.iter().zip(&tokens).zip(&hedged) {
            for ((v, theirs), &v_hedged) in fixtures.iter().zip(&tokens).zip(&hedged) {
                let compared = if alg.is_deterministic() && !s_hedged && !v_hedged {
                    Compared::Bytes
                } else {
                    Compared::Verification
                };
                let verdict = cell_verdict(alg, s, v, token, theirs, compared, s_hedged);
                cells.push(Cell {
                    alg,
                    signer: s.backend.name(),
                    verifier: v.backend.name(),
                    compared,
                    verdict,
                });
            }
        }
    }
    cells
}

/// The verdict of one cell: `token` (signed by `s`) verifies under `v`, `s` and `v` derived the
/// same public key, a hedged signer is one of ML-DSA, and under [`Compared::Bytes`] the token
/// equals `theirs` (signed by `v`).
fn cell_verdict(
    alg: Algorithm,
    s: &Fixture,
    v: &Fixture,
    token: &str,
    theirs: &str,
    compared: Compared,
    s_hedged: bool,
) -> Verdict {
    if let Err(e) = v.check(token) {
        return Verdict::Fail(format!("rejected: {e}"));
    }
    if s.public.material != v.public.material {
        return Verdict::Fail("the backends derived different public keys".into());
    }
    if s_hedged && alg.family() != Family::MlDsa {
        return Verdict::Fail(format!(
            "the signer gives {alg} a different signature on every call"
        ));
    }
    if compared == Compared::Bytes && token != theirs {
        return Verdict::Fail("signatures differ for a deterministic algorithm".into());
    }
    Verdict::Pass
}
