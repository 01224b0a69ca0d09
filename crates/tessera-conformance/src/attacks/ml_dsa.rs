//! The ML-DSA attack cases (RFC 9964): another parameter set, malformed signatures.

use super::{all_pass, sig_of, with_sig};
use crate::Verdict;
use crate::fixtures::{CLAIMS, Fixture};
use tessera::{Algorithm, DecodeError, Error, KeyError, SignatureError};

/// The other ML-DSA parameter sets than `alg`'s.
fn other_ml_dsa(alg: Algorithm) -> impl Iterator<Item = Algorithm> {
    [Algorithm::MlDsa44, Algorithm::MlDsa65, Algorithm::MlDsa87]
        .into_iter()
        .filter(move |a| *a != alg)
}

pub(super) fn ml_dsa_parameter_set_swap(f: &Fixture) -> Option<Verdict> {
    f.alg.ml_dsa_sizes()?;
    let mut v = Vec::new();
    for other in other_ml_dsa(f.alg) {
        // A token claiming another parameter set is refused on its header...
        let forged = f.token(&format!(r#"{{"alg":"{other}","typ":"JWT"}}"#), CLAIMS);
        v.push(expect!(
            f.check(&forged),
            Err(Error::Decode(DecodeError::AlgorithmMismatch { expected, .. })) if expected == f.alg
        ));
        // ...and the key cannot be bound to another parameter set.
        v.push(expect!(
            f.backend.verifier(&f.public, other),
            Err(KeyError::AlgorithmMismatch { .. } | KeyError::Unsupported { .. })
        ));
    }
    Some(all_pass(v))
}

pub(super) fn ml_dsa_malformed_signature(f: &Fixture) -> Option<Verdict> {
    f.alg.ml_dsa_sizes()?;
    let valid = f.valid_token();
    let sig = sig_of(&valid);
    let n = sig.len();
    let mut cases = Vec::new();
    // Hint bytes all set: the counts are not increasing, sigDecode (FIPS 204 Alg. 21) refuses.
    let mut hint = sig.clone();
    if let Some(tail) = hint.get_mut(n.saturating_sub(8)..) {
        tail.fill(0xff);
    }
    cases.push(hint);
    // z all ones: coefficients out of range (||z|| >= gamma1 - beta).
    let mut z = sig.clone();
    if let Some(mid) = z.get_mut(64..n / 2) {
        mid.fill(0xff);
    }
    cases.push(z);
    // Challenge hash zeroed, all zeros.
    let mut c = sig.clone();
    if let Some(head) = c.get_mut(..32) {
        head.fill(0);
    }
    cases.push(c);
    cases.push(vec![0; n]);
    let mut v: Vec<Verdict> = cases
        .iter()
        .map(|c| {
            expect!(
                f.check(&with_sig(&valid, c)),
                Err(Error::Signature(SignatureError::Invalid))
            )
        })
        .collect();
    // One byte short or long is refused on its length before any lattice work.
    for len in [n - 1, n + 1] {
        let mut s = sig.clone();
        s.resize(len, 0);
        v.push(expect!(
            f.check(&with_sig(&valid, &s)),
            Err(Error::Signature(SignatureError::Length { .. }))
        ));
    }
    Some(all_pass(v))
}
