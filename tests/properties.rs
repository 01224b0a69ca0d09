//! Property tests for every backend and algorithm: round trips, bit flips, arbitrary input.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use proptest::prelude::*;
use serde_json::Value;
use tessera::{Clock, Encoder, Validation};
use tessera_conformance::{
    backends,
    fixtures::{Fixture, NOW},
};

#[path = "support/strategies.rs"]
mod strategies;

fn fixtures() -> Vec<Fixture> {
    Fixture::all(&backends())
        .into_iter()
        .map(|f| f.unwrap())
        .collect()
}

fn rules() -> Validation {
    Validation::new().clock(Clock::Fixed(NOW))
}

proptest! {
    // Each case runs on every backend and algorithm, so the count stays small.
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn sign_then_verify_round_trips(claims in strategies::claims(NOW)) {
        for f in fixtures() {
            let token = Encoder::new(&f.signer).encode(&claims).unwrap();
            let back: Value = tessera::decode(&token, &f.verifier, &rules())
                .map_err(|e| TestCaseError::fail(format!("{}: {e}", f.label())))?;
            prop_assert_eq!(&back, &claims, "{}", f.label());
        }
    }

    #[test]
    fn flipping_any_bit_is_rejected(claims in strategies::claims(NOW), pos in any::<prop::sample::Index>(), bit in 0u8..8) {
        for f in fixtures() {
            let token = Encoder::new(&f.signer).encode(&claims).unwrap();
            let mut bytes = token.into_bytes();
            let i = pos.index(bytes.len());
            bytes[i] ^= 1 << bit;
            let changed = String::from_utf8_lossy(&bytes).into_owned();
            prop_assert!(tessera::decode::<Value>(&changed, &f.verifier, &rules()).is_err(), "{} accepted a flipped bit at {i}", f.label());
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(s in "\\PC{0,300}") {
        for f in fixtures() {
            let _ = tessera::decode::<Value>(&s, &f.verifier, &rules());
        }
    }
}
