//! ML-DSA on aws-lc-rs: the RFC 9964 Appendix A examples (verified, and their public keys
//! derived from the seeds byte for byte; never re-signed, since this backend signs hedged), the
//! key rules, and hedged signing. The cross-checks against tessera-mldsa and tessera-fips204 are
//! in tessera-conformance (`matrix`, `vectors`, `keys`) and the workspace's `tests/mldsa_interop.rs`.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use tessera_aws_lc::{AwsLcBackend, MlDsaSigner, MlDsaVerifier};
use tessera_codec::backend::{Backend, KeySpec, Signer, Verifier};
use tessera_codec::{
    AkpKey, Algorithm, Jwk, KeyError, KeyMaterial, KeyRule, SignatureError, Validation, b64,
    verify_jws,
};

const ALGS: [Algorithm; 3] = [Algorithm::MlDsa44, Algorithm::MlDsa65, Algorithm::MlDsa87];

/// The RFC 9964 Appendix A example for `alg` (the conformance crate's copy): its JWK (the
/// all-zero seed as `priv`), signing input and signature.
fn example(alg: Algorithm) -> (Jwk, String, String) {
    let text = match alg {
        Algorithm::MlDsa44 => {
            include_str!("../../tessera-conformance/vectors/rfc9964-a-ml-dsa-44.json")
        }
        Algorithm::MlDsa65 => {
            include_str!("../../tessera-conformance/vectors/rfc9964-a-ml-dsa-65.json")
        }
        _ => include_str!("../../tessera-conformance/vectors/rfc9964-a-ml-dsa-87.json"),
    };
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    let key = Jwk::from_json(v["key"].to_string().as_bytes()).unwrap();
    (
        key,
        v["signing_input"].as_str().unwrap().to_owned(),
        v["signature"].as_str().unwrap().to_owned(),
    )
}

fn akp(key: &Jwk) -> &AkpKey {
    match &key.material {
        KeyMaterial::Akp(k) => k,
        other => panic!("not AKP: {other:?}"),
    }
}

fn sign(signer: &dyn Signer, input: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    signer.sign(input, &mut out).unwrap();
    out
}

#[test]
fn rfc9964_examples_verify_from_the_public_key_and_from_the_seed() {
    for alg in ALGS {
        let (key, input, sig) = example(alg);
        let token = format!("{input}.{sig}");
        for k in [key.to_public().unwrap(), key.clone()] {
            let verifier = AwsLcBackend.verifier(&k, alg).unwrap();
            assert_eq!(verifier.signature_len(), alg.fixed_signature_len().unwrap());
            assert!(
                verify_jws(&token, &verifier, &Validation::new()).is_ok(),
                "{alg}"
            );
        }
    }
}

#[test]
fn rfc9964_seeds_give_the_published_public_keys() {
    for alg in ALGS {
        let (key, _, _) = example(alg);
        let published = akp(&key);
        let seed = published.seed.as_ref().unwrap();
        assert_eq!(seed.expose(), &[0u8; 32], "{alg}");
        let signer = MlDsaSigner::new(alg, seed.expose()).unwrap();
        assert_eq!(signer.public_key(), published.public.as_slice(), "{alg}");
        // And through the backend, from the seed alone (as a PKCS#8 seed arrives).
        let seed_only = Jwk::new(KeyMaterial::Akp(AkpKey {
            alg,
            public: Vec::new(),
            seed: published.seed.clone(),
        }));
        let public = AwsLcBackend.public_key(&seed_only).unwrap();
        assert_eq!(public.material, key.to_public().unwrap().material, "{alg}");
    }
}

#[test]
fn signing_is_hedged_and_every_signature_verifies() {
    for alg in ALGS {
        let (key, input, published) = example(alg);
        let signer = AwsLcBackend.signer(&key, alg).unwrap();
        let verifier = AwsLcBackend
            .verifier(&key.to_public().unwrap(), alg)
            .unwrap();
        let (a, b) = (
            sign(&*signer, input.as_bytes()),
            sign(&*signer, input.as_bytes()),
        );
        assert_ne!(a, b, "{alg}: two signatures of one input are equal");
        assert_ne!(b64::encode(&a), published, "{alg}");
        for sig in [&a, &b] {
            assert_eq!(sig.len(), alg.fixed_signature_len().unwrap());
            assert_eq!(verifier.verify(input.as_bytes(), sig), Ok(()), "{alg}");
        }
        assert_eq!(
            verifier.verify(b"another input", &a),
            Err(SignatureError::Invalid)
        );
    }
}

#[test]
fn generated_keys_round_trip() {
    for alg in ALGS {
        let key = AwsLcBackend.generate(KeySpec::new(alg)).unwrap();
        assert_eq!(key.alg.as_deref(), Some(alg.name()));
        let k = akp(&key);
        assert_eq!(k.seed.as_ref().unwrap().len(), 32);
        assert_eq!(k.public.len(), alg.ml_dsa_sizes().unwrap().public_key);
        let public = AwsLcBackend.public_key(&key).unwrap();
        assert_eq!(akp(&public).public, k.public);
        let signer = AwsLcBackend.signer(&key, alg).unwrap();
        let verifier = AwsLcBackend.verifier(&public, alg).unwrap();
        let sig = sign(&*signer, b"a.b");
        assert_eq!(verifier.verify(b"a.b", &sig), Ok(()), "{alg}");
    }
}

#[test]
fn private_key_with_another_public_key_refused_everywhere() {
    let alg = Algorithm::MlDsa65;
    let (key, _, _) = example(alg);
    let mut wrong = key.clone();
    if let KeyMaterial::Akp(k) = &mut wrong.material {
        k.public[0] ^= 1;
    }
    let mismatch = KeyError::Rejected(KeyRule::PublicMismatch);
    assert_eq!(AwsLcBackend.signer(&wrong, alg).unwrap_err(), mismatch);
    assert_eq!(AwsLcBackend.verifier(&wrong, alg).unwrap_err(), mismatch);
    assert_eq!(AwsLcBackend.public_key(&wrong).unwrap_err(), mismatch);
}

#[test]
fn key_rules() {
    let (key, _, _) = example(Algorithm::MlDsa44);
    assert_eq!(
        AwsLcBackend.verifier(&key, Algorithm::MlDsa87).unwrap_err(),
        KeyError::AlgorithmMismatch {
            alg: Algorithm::MlDsa87,
            key_alg: "ML-DSA-44".into()
        }
    );
    assert_eq!(
        AwsLcBackend
            .signer(&key.to_public().unwrap(), Algorithm::MlDsa44)
            .unwrap_err(),
        KeyError::NotPrivate
    );
    assert!(matches!(
        MlDsaVerifier::new(Algorithm::MlDsa44, &[0u8; 1311]),
        Err(KeyError::Invalid(_))
    ));
    assert!(matches!(
        MlDsaSigner::new(Algorithm::MlDsa44, &[0u8; 33]),
        Err(KeyError::Invalid(_))
    ));
    assert_eq!(
        MlDsaVerifier::from_jwk(&key, Algorithm::EdDSA).unwrap_err(),
        KeyError::Unsupported {
            backend: "tessera-aws-lc MlDsaVerifier",
            alg: Algorithm::EdDSA
        }
    );
    assert_eq!(
        MlDsaSigner::new(Algorithm::ES256, &[0u8; 32]).unwrap_err(),
        KeyError::Unsupported {
            backend: "tessera-aws-lc MlDsaSigner",
            alg: Algorithm::ES256
        }
    );
}

#[test]
fn wrong_signature_lengths_and_garbage_refused() {
    let alg = Algorithm::MlDsa87;
    let (key, input, sig) = example(alg);
    let verifier = AwsLcBackend.verifier(&key, alg).unwrap();
    let sig = b64::decode(sig.as_bytes()).unwrap();
    assert_eq!(
        verifier.verify(input.as_bytes(), &sig[1..]),
        Err(SignatureError::Length {
            expected: 4627,
            found: 4626
        })
    );
    assert_eq!(
        verifier.verify(input.as_bytes(), &vec![0xff; sig.len()]),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn debug_shows_no_secret() {
    let (key, _, _) = example(Algorithm::MlDsa44);
    let signer = MlDsaSigner::from_jwk(&key, Algorithm::MlDsa44).unwrap();
    assert_eq!(
        format!("{signer:?}"),
        "MlDsaSigner { alg: MlDsa44, kid: Some(\"T4xl70S7MT6Zeq6r9V9fPJGVn76wfnXJ21-gyo0Gu6o\"), .. }"
    );
}
