//! tessera-aws-lc against the published vectors and the shared backend checks (the same
//! module `tessera-ring` runs, included by path so the vectors live in one place).

#[cfg(test)]
#[path = "../../tessera-ring/tests/vectors/mod.rs"]
mod vectors;

/// The crate under test, as the shared `vectors` module names it.
use tessera_aws_lc as native;
use tessera_aws_lc::AwsLcBackend;
use tessera_codec::backend::{Backend, KeySpec};
use tessera_codec::{Algorithm, KeyError, KeyMaterial, KeyRule, RsaKey, SignatureError};
use vectors::*;

#[test]
fn every_algorithm_is_supported() {
    // ML-DSA included (hedged signing only; tests/mldsa.rs).
    assert_eq!(AwsLcBackend.algorithms(), Algorithm::ALL.as_slice());
}

#[test]
fn published_vectors() {
    assert_eq!(
        check_vectors(&AwsLcBackend),
        [
            "RFC 7515 A.1",
            "RFC 7515 A.2",
            "RFC 7515 A.3",
            "RFC 7515 A.4",
            "RFC 8037 A.4",
            "RFC 7520 4.1",
            "RFC 7520 4.2",
            "RFC 7520 4.3",
            "RFC 7520 4.4",
        ]
    );
}

#[test]
fn round_trips() {
    check_round_trips(&AwsLcBackend);
}

#[test]
fn key_refusals() {
    check_key_refusals(&AwsLcBackend);
    check_off_curve_point(&AwsLcBackend);
    check_bad_rsa_public(&AwsLcBackend);
    check_ed25519_small_order(&AwsLcBackend);
}

#[test]
fn public_members_must_be_those_of_d() {
    check_public_mismatch(&AwsLcBackend);
    // The same on the curves only AWS-LC has, from a key without the point and with another's.
    for alg in [Algorithm::ES512, Algorithm::ES256K] {
        let key = AwsLcBackend.generate(KeySpec::new(alg)).unwrap();
        let other = AwsLcBackend.generate(KeySpec::new(alg)).unwrap();
        let mut wrong = key.clone();
        if let (KeyMaterial::Ec(k), KeyMaterial::Ec(o)) = (&mut wrong.material, &other.material) {
            k.x.clone_from(&o.x);
            k.y.clone_from(&o.y);
        }
        check_refused_everywhere(
            &AwsLcBackend,
            &wrong,
            alg,
            &KeyError::Rejected(KeyRule::PublicMismatch),
        );
    }
}

#[test]
fn ed25519_public_key_derived() {
    check_ed25519_without_public(&AwsLcBackend);
}

#[test]
fn ec_public_point_derived_from_the_private_scalar() {
    let key = p256_without_public();
    let public = AwsLcBackend.public_key(&key).unwrap();
    assert_eq!(public, jwk(RFC7515_A3_KEY).to_public().unwrap());
    let signer = AwsLcBackend.signer(&key, Algorithm::ES256).unwrap();
    let mut sig = Vec::new();
    signer.sign(b"a.b", &mut sig).unwrap();
    for k in [&public, &key] {
        let verifier = AwsLcBackend.verifier(k, Algorithm::ES256).unwrap();
        assert_eq!(verifier.verify(b"a.b", &sig), Ok(()));
    }
    // The same from a SEC1 PEM without publicKey, the way such keys arrive.
    let pem = jwk(RFC7515_A4_KEY).to_private_pem().unwrap();
    let mut stripped = tessera_codec::Jwk::from_pem(&pem).unwrap();
    if let KeyMaterial::Ec(k) = &mut stripped.material {
        k.x.clear();
        k.y.clear();
    }
    let public = AwsLcBackend.public_key(&stripped).unwrap();
    assert_eq!(public, jwk(RFC7515_A4_KEY).to_public().unwrap());
}

#[test]
fn secp256k1_es256k() {
    let key = AwsLcBackend
        .generate(KeySpec::new(Algorithm::ES256K))
        .unwrap();
    assert_eq!(key.curve_name(), Some("secp256k1"));
    // A P-256 key is not a secp256k1 key.
    assert_eq!(
        AwsLcBackend
            .verifier(&jwk(RFC7515_A3_KEY), Algorithm::ES256K)
            .err(),
        Some(KeyError::WrongCurve {
            alg: Algorithm::ES256K,
            expected: "secp256k1",
            found: "P-256"
        })
    );
    // Through PEM and back, which exercises the secp256k1 OID on both sides.
    let again = tessera_codec::Jwk::from_pem(&key.to_private_pem().unwrap()).unwrap();
    let signer = AwsLcBackend.signer(&again, Algorithm::ES256K).unwrap();
    let mut sig = Vec::new();
    signer.sign(b"a.b", &mut sig).unwrap();
    let verifier = AwsLcBackend
        .verifier(&AwsLcBackend.public_key(&key).unwrap(), Algorithm::ES256K)
        .unwrap();
    assert_eq!(verifier.verify(b"a.b", &sig), Ok(()));
}

#[test]
fn rsa_generation() {
    let key = AwsLcBackend
        .generate(KeySpec::new(Algorithm::PS256).bits(3072))
        .unwrap();
    let KeyMaterial::Rsa(RsaKey { n, private, .. }) = &key.material else {
        panic!("not RSA");
    };
    assert_eq!(n.len(), 384);
    assert!(private.as_ref().is_some_and(|p| p.primes.is_some()));
    let verifier = AwsLcBackend
        .verifier(&AwsLcBackend.public_key(&key).unwrap(), Algorithm::PS256)
        .unwrap();
    assert_eq!(verifier.signature_len(), 384);
    assert_eq!(
        AwsLcBackend
            .generate(KeySpec::new(Algorithm::RS256).bits(1024))
            .err()
            .map(|e| e.to_string()),
        Some(
            "key generation failed: aws-lc-rs generates RSA keys of 2048, 3072, 4096 or 8192 \
             bits, not 1024"
                .into()
        )
    );
}

#[test]
fn rsa_over_8192_bits_is_rejected() {
    let mut key = jwk(RFC7515_A2_KEY);
    if let KeyMaterial::Rsa(k) = &mut key.material {
        k.n = vec![0xff; 1025];
    }
    for err in [
        AwsLcBackend.signer(&key, Algorithm::RS256).err(),
        AwsLcBackend.verifier(&key, Algorithm::RS256).err(),
    ] {
        assert_eq!(err, Some(KeyError::Rejected(KeyRule::RsaModulusTooLarge)));
    }
}

#[test]
fn ed25519_non_point_fails_only_at_verification() {
    // AWS-LC stores a raw Ed25519 public key without decoding it (see the crate docs).
    let verifier = AwsLcBackend
        .verifier(&ed25519_not_a_point(), Algorithm::EdDSA)
        .unwrap();
    let signer = AwsLcBackend
        .signer(&jwk(RFC8037_KEY), Algorithm::EdDSA)
        .unwrap();
    let mut sig = Vec::new();
    signer.sign(b"a.b", &mut sig).unwrap();
    assert_eq!(verifier.verify(b"a.b", &sig), Err(SignatureError::Invalid));
}

#[test]
fn typed_constructors() {
    check_typed_constructors(&AwsLcBackend);
    let key = AwsLcBackend
        .generate(KeySpec::new(Algorithm::ES256K))
        .unwrap();
    let s = AwsLcBackend.signer(&key, Algorithm::ES256K).unwrap();
    assert_eq!(
        format!("{s:?}"),
        "EcdsaSigner { alg: ES256K, kid: None, .. }"
    );
}
