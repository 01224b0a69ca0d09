//! The attack suite: each case a known way to break a JWT library (RFC 8725, published CVEs),
//! run on every backend and algorithm it applies to, expecting one exact error.

use crate::Verdict;
use crate::fixtures::Fixture;
use tessera::Algorithm;
use tessera::codec::b64;

/// One attack case.
#[derive(Clone, Copy, Debug)]
pub struct Attack {
    /// Short name, also the name of its test.
    pub name: &'static str,
    /// What it tries.
    pub description: &'static str,
    /// Runs it against a fixture; `None` when it does not apply to the fixture's algorithm.
    pub run: fn(&Fixture) -> Option<Verdict>,
}

/// The result of one attack on one backend and algorithm.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The attack's name.
    pub attack: &'static str,
    /// The backend's name.
    pub backend: &'static str,
    /// The algorithm.
    pub alg: Algorithm,
    /// What happened.
    pub verdict: Verdict,
}

/// Passes when `result` matches `pattern`, else fails with what came back.
macro_rules! expect {
    ($result:expr, $pattern:pat $(if $guard:expr)?) => {{
        let r = $result;
        #[allow(clippy::redundant_pattern_matching, reason = "one macro for every expected outcome")]
        let ok = matches!(r, $pattern $(if $guard)?);
        if ok {
            Verdict::Pass
        } else {
            Verdict::Fail(format!("expected {}, got {:?}", stringify!($pattern), r))
        }
    }};
}

mod ml_dsa;
mod parsing;
mod signature;
use ml_dsa::{ml_dsa_malformed_signature, ml_dsa_parameter_set_swap};
use parsing::{
    bad_numeric_dates, deep_nesting, duplicate_members, embedded_key_headers, hostile_kid,
    huge_token, many_dots, time_and_audience, unknown_crit, valid_token_accepted,
};
use signature::{
    alg_none, ecdsa_der, ecdsa_zero_and_order, ed25519_s_not_below_l, key_confusion,
    modified_after_signing, other_key,
};

fn all_pass(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
    verdicts
        .into_iter()
        .find(|v| !v.passed())
        .unwrap_or(Verdict::Pass)
}

/// Replaces segment `i` of a compact token.
fn replace_segment(token: &str, i: usize, with: &str) -> String {
    let mut parts: Vec<&str> = token.split('.').collect();
    if let Some(p) = parts.get_mut(i) {
        *p = with;
    }
    parts.join(".")
}

fn sig_of(token: &str) -> Vec<u8> {
    token
        .rsplit('.')
        .next()
        .and_then(|s| b64::decode(s.as_bytes()).ok())
        .unwrap_or_default()
}

fn with_sig(token: &str, sig: &[u8]) -> String {
    replace_segment(token, 2, &b64::encode(sig))
}

/// Group order of an ECDSA algorithm's curve, big-endian, padded to the field size.
fn group_order(alg: Algorithm) -> Option<Vec<u8>> {
    alg.curve().map(|c| c.order().to_vec())
}

/// Every attack case, in a fixed order.
pub const ATTACKS: &[Attack] = &[
    Attack {
        name: "valid_token_accepted",
        description: "control: the untampered token verifies",
        run: valid_token_accepted,
    },
    Attack {
        name: "alg_none",
        description: "alg none in any casing, with and without a signature",
        run: alg_none,
    },
    Attack {
        name: "key_confusion",
        description: "HS256 signed with the public key's PEM or DER bytes as the secret",
        run: key_confusion,
    },
    Attack {
        name: "ecdsa_zero_or_order",
        description: "ECDSA r or s equal to 0 or to the group order (CVE-2022-21449)",
        run: ecdsa_zero_and_order,
    },
    Attack {
        name: "ecdsa_der_signature",
        description: "ECDSA signature in DER instead of R || S",
        run: ecdsa_der,
    },
    Attack {
        name: "ed25519_s_not_below_l",
        description: "Ed25519 signature with S + L (non-canonical S)",
        run: ed25519_s_not_below_l,
    },
    Attack {
        name: "ml_dsa_parameter_set_swap",
        description: "ML-DSA token or key used under another parameter set (44, 65, 87)",
        run: ml_dsa_parameter_set_swap,
    },
    Attack {
        name: "ml_dsa_malformed_signature",
        description: "ML-DSA signature with a malformed hint, z out of range, zeroed, or off by one byte",
        run: ml_dsa_malformed_signature,
    },
    Attack {
        name: "other_key",
        description: "a signature made by another key",
        run: other_key,
    },
    Attack {
        name: "modified_after_signing",
        description: "payload or header changed after signing",
        run: modified_after_signing,
    },
    Attack {
        name: "embedded_key_headers",
        description: "jwk, jku, x5u, x5c headers are never used to pick a key",
        run: embedded_key_headers,
    },
    Attack {
        name: "hostile_kid",
        description: "kid holding a path, SQL or 10 KB is opaque",
        run: hostile_kid,
    },
    Attack {
        name: "unknown_crit",
        description: "crit naming an extension not understood",
        run: unknown_crit,
    },
    Attack {
        name: "duplicate_members",
        description: "duplicate JSON members in header and claims",
        run: duplicate_members,
    },
    Attack {
        name: "huge_token",
        description: "a 10 MB token is refused before decoding",
        run: huge_token,
    },
    Attack {
        name: "deep_nesting",
        description: "JSON nested 100,000 levels deep",
        run: deep_nesting,
    },
    Attack {
        name: "bad_numeric_dates",
        description: "exp/nbf/iat as strings, floats out of range (CVE-2026-25537 class)",
        run: bad_numeric_dates,
    },
    Attack {
        name: "many_dots",
        description: "a token made of many dots (CVE-2025-30204 class)",
        run: many_dots,
    },
    Attack {
        name: "time_and_audience",
        description: "exp past, nbf future, aud and iss mismatch",
        run: time_and_audience,
    },
];

/// Finds an attack by name.
pub fn attack(name: &str) -> Option<&'static Attack> {
    ATTACKS.iter().find(|a| a.name == name)
}

/// Runs `attack` on every fixture; fixtures that cannot be built fail the attack.
pub fn run(attack: &Attack, fixtures: &[Fixture]) -> Vec<Outcome> {
    fixtures
        .iter()
        .filter_map(|f| {
            (attack.run)(f).map(|verdict| Outcome {
                attack: attack.name,
                backend: f.backend.name(),
                alg: f.alg,
                verdict,
            })
        })
        .collect()
}
