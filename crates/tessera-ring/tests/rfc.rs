//! tessera-ring against the published vectors and the shared backend checks.

#[cfg(test)]
mod vectors;

use tessera_codec::backend::{Backend, KeySpec, Verifier};
use tessera_codec::{Algorithm, KeyError, SignatureError};
/// The crate under test, as the shared `vectors` module names it.
use tessera_ring as native;
use tessera_ring::RingBackend;
use vectors::*;

#[test]
fn published_vectors() {
    assert_eq!(
        check_vectors(&RingBackend),
        [
            "RFC 7515 A.1",
            "RFC 7515 A.2",
            "RFC 7515 A.3",
            "RFC 8037 A.4",
            "RFC 7520 4.1",
            "RFC 7520 4.2",
            "RFC 7520 4.4",
        ]
    );
}

#[test]
fn round_trips_and_unsupported() {
    check_round_trips(&RingBackend);
}

#[test]
fn key_refusals() {
    check_key_refusals(&RingBackend);
    check_off_curve_point(&RingBackend);
    check_bad_rsa_public(&RingBackend);
    check_ed25519_small_order(&RingBackend);
}

#[test]
fn public_members_must_be_those_of_d() {
    check_public_mismatch(&RingBackend);
}

#[test]
fn ed25519_non_point_fails_only_at_verification() {
    // ring cannot decode an Ed25519 public key ahead of verification (see the crate docs).
    let verifier = RingBackend
        .verifier(&ed25519_not_a_point(), Algorithm::EdDSA)
        .unwrap();
    let signer = RingBackend
        .signer(&jwk(RFC8037_KEY), Algorithm::EdDSA)
        .unwrap();
    let mut sig = Vec::new();
    signer.sign(b"a.b", &mut sig).unwrap();
    assert_eq!(verifier.verify(b"a.b", &sig), Err(SignatureError::Invalid));
}

#[test]
fn ed25519_public_key_derived() {
    check_ed25519_without_public(&RingBackend);
}

#[test]
fn p521_and_secp256k1_are_absent() {
    for alg in [Algorithm::ES512, Algorithm::ES256K] {
        assert!(!RingBackend.supports(alg));
        let key = jwk(RFC7515_A4_KEY);
        assert_eq!(
            RingBackend.signer(&key, alg).err(),
            Some(KeyError::Unsupported {
                backend: "tessera-ring",
                alg
            })
        );
        assert_eq!(
            RingBackend.verifier(&key, alg).err(),
            Some(KeyError::Unsupported {
                backend: "tessera-ring",
                alg
            })
        );
    }
}

#[test]
fn rsa_generation_is_refused() {
    for alg in [Algorithm::RS256, Algorithm::PS512] {
        assert_eq!(
            RingBackend.generate(KeySpec::new(alg)).err(),
            Some(KeyError::Generation("ring cannot generate RSA keys".into()))
        );
    }
}

#[test]
fn ec_private_key_without_public_point_is_unsupported() {
    let key = p256_without_public();
    for err in [
        RingBackend.signer(&key, Algorithm::ES256).err(),
        RingBackend.verifier(&key, Algorithm::ES256).err(),
        RingBackend.public_key(&key).err(),
    ] {
        assert!(
            matches!(&err, Some(KeyError::UnsupportedKey(m)) if m.contains("ring cannot derive")),
            "{err:?}"
        );
    }
}

#[test]
fn hmac_generation_sizes() {
    let key = RingBackend
        .generate(KeySpec::new(Algorithm::HS384).bits(512))
        .unwrap();
    assert_eq!(key.to_value()["k"].as_str().map(str::len), Some(86));
    assert!(matches!(
        RingBackend.generate(KeySpec::new(Algorithm::HS256).bits(255)),
        Err(KeyError::Generation(_))
    ));
    assert!(matches!(
        RingBackend.generate(KeySpec::new(Algorithm::HS512).bits(256)),
        Err(KeyError::TooWeak { .. })
    ));
}

#[test]
fn rsa_signing_limits() {
    // ring signs with at most 4096-bit moduli; a 4097-bit key is refused before ring sees it.
    let mut key = jwk(RFC7515_A2_KEY);
    if let tessera_codec::KeyMaterial::Rsa(k) = &mut key.material {
        k.n = vec![0xff; 513];
    }
    assert!(matches!(
        RingBackend.signer(&key, Algorithm::RS256).err(),
        Some(KeyError::UnsupportedKey(m)) if m.contains("4096")
    ));
}

#[test]
fn typed_constructors() {
    check_typed_constructors(&RingBackend);
}
