//! The facade's unit tests, compiled only under #[cfg(test)] (declared in lib.rs).

use super::*;
use crate::choice::preference;

#[test]
fn rfc7638_thumbprint() {
    // RFC 7638 §3.1.
    let k = Jwk::from_json(br#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB"}"#).unwrap();
    assert_eq!(
        thumbprint(&k).unwrap(),
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    );
}

#[test]
fn every_compiled_backend_has_an_id_and_every_id_resolves_to_itself() {
    for b in backends() {
        let id = BackendId::from_name(b.name()).expect("a BackendId for every backend");
        assert_eq!(id.get().map(|g| g.name()), Ok(b.name()));
    }
    for id in BackendId::ALL {
        match id.get() {
            Ok(b) => assert_eq!(b.name(), id.name()),
            Err(e) => assert_eq!(e, NotCompiledIn(id)),
        }
    }
}

#[test]
fn default_backends_follow_the_documented_preference() {
    let compiled: Vec<&str> = backends().iter().map(|b| b.name()).collect();
    for alg in Algorithm::ALL {
        for op in [Operation::Sign, Operation::Verify, Operation::Generate] {
            let expected = preference(alg, op).iter().map(|id| id.name()).find(|name| {
                compiled.contains(name) && backend_named(name).is_some_and(|b| b.supports(alg))
            });
            assert_eq!(
                default_backend_for(alg, op).map(|b| b.name()),
                expected,
                "{alg} {op:?}"
            );
        }
    }
}

#[test]
fn default_features_pick_the_pure_rust_backend_of_each_family() {
    // With only the default features, each family has exactly one backend.
    if backends().len() != 4 {
        return; // other features unified in (cargo test --workspace): covered by the test above
    }
    for (alg, name) in [
        (Algorithm::HS256, "tessera-hmac"),
        (Algorithm::RS256, "tessera-rsa"),
        (Algorithm::ES256, "tessera-ecdsa"),
        (Algorithm::EdDSA, "tessera-ed25519"),
    ] {
        assert_eq!(default_backend(alg).map(|b| b.name()), Some(name));
    }
}

#[test]
fn rsa_signing_prefers_a_native_backend_when_one_is_compiled_in() {
    // RUSTSEC-2023-0071: RustCrypto rsa signs only when no native backend is enabled.
    let native = ["tessera-aws-lc", "tessera-ring", "tessera-openssl"];
    let any_native = backends().iter().any(|b| native.contains(&b.name()));
    let chosen = default_backend_for(Algorithm::RS256, Operation::Sign).map(|b| b.name());
    if any_native {
        assert!(chosen.is_some_and(|n| native.contains(&n)), "{chosen:?}");
    } else {
        assert_eq!(chosen, Some("tessera-rsa"));
    }
}

#[test]
fn rfc9964_kids_are_rfc7638_thumbprints() {
    // RFC 9964 Appendix A: each example's kid is the thumbprint of alg, kty and pub.
    for text in [
        include_str!("../crates/tessera-conformance/vectors/rfc9964-a-ml-dsa-44.json"),
        include_str!("../crates/tessera-conformance/vectors/rfc9964-a-ml-dsa-65.json"),
        include_str!("../crates/tessera-conformance/vectors/rfc9964-a-ml-dsa-87.json"),
    ] {
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        let key = Jwk::from_json(v["key"].to_string().as_bytes()).unwrap();
        assert_eq!(Some(thumbprint(&key).unwrap().as_str()), key.kid.as_deref());
        assert_eq!(
            thumbprint(&key.to_public().unwrap()).unwrap(),
            thumbprint(&key).unwrap()
        );
    }
}

#[test]
fn ml_dsa_defaults_to_tessera_mldsa_when_compiled_in() {
    for op in [Operation::Sign, Operation::Verify, Operation::Generate] {
        let chosen = default_backend_for(Algorithm::MlDsa65, op).map(|b| b.name());
        let expected = if cfg!(feature = "mldsa") {
            Some("tessera-mldsa")
        } else if cfg!(feature = "fips204") {
            Some("tessera-fips204")
        } else {
            None
        };
        assert_eq!(chosen, expected, "{op:?}");
    }
}
