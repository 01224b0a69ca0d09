//! The attack suite on every backend and algorithm: one test per attack case.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use tessera_conformance::{attacks, backends, fixtures::Fixture};

fn fixtures() -> Vec<Fixture> {
    Fixture::all(&backends())
        .into_iter()
        .map(|f| f.unwrap_or_else(|(what, e)| panic!("fixture {what}: {e}")))
        .collect()
}

fn assert_attack(name: &str) {
    let attack = attacks::attack(name).unwrap();
    let outcomes = attacks::run(attack, &fixtures());
    assert!(!outcomes.is_empty(), "{name} ran on no backend");
    let failures: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.verdict.passed())
        .map(|o| format!("{} {}: {:?}", o.backend, o.alg, o.verdict))
        .collect();
    println!("{name}: {} backend x algorithm cases", outcomes.len());
    assert!(
        failures.is_empty(),
        "{name} failed on:\n{}",
        failures.join("\n")
    );
}

macro_rules! attack_tests {
    ($($name:ident),* $(,)?) => {
        $( #[test] fn $name() { assert_attack(stringify!($name)); } )*

        #[test]
        fn every_attack_has_a_test() {
            let tested = [$(stringify!($name)),*];
            for a in attacks::ATTACKS {
                assert!(tested.contains(&a.name), "attack {} has no test", a.name);
            }
        }
    };
}

attack_tests!(
    valid_token_accepted,
    alg_none,
    key_confusion,
    ecdsa_zero_or_order,
    ecdsa_der_signature,
    ed25519_s_not_below_l,
    ml_dsa_parameter_set_swap,
    ml_dsa_malformed_signature,
    other_key,
    modified_after_signing,
    embedded_key_headers,
    hostile_kid,
    unknown_crit,
    duplicate_members,
    huge_token,
    deep_nesting,
    bad_numeric_dates,
    many_dots,
    time_and_audience,
);
