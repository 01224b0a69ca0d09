//! The backend contract: round trips, signature errors, generation, the ECDSA and PSS details.
//! Key checks are in `keys.rs`.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use openssl::ecdsa::EcdsaSig;
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::rsa::Padding;
use openssl::sign::RsaPssSaltlen;
use std::sync::Arc;
use tessera_codec::{
    Algorithm, Backend, EcCurve, Jwk, KeyError, KeyMaterial, KeyRule, KeySpec, SignatureError,
    Signer, Verifier,
};
use tessera_openssl::{EcdsaSigner, Ed25519Verifier, HmacKey, OpensslBackend, RsaSigner};

const INPUT: &[u8] = b"eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXNzZXJhIn0";

/// The order of P-256, big-endian.
const P256_ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// Every algorithm OpenSSL 3.0 has: all but ML-DSA (OpenSSL gained it in 3.5).
fn algorithms() -> impl Iterator<Item = Algorithm> {
    Algorithm::ALL
        .into_iter()
        .filter(|a| a.family() != tessera_codec::Family::MlDsa)
}

fn sign(key: &Jwk, alg: Algorithm) -> Vec<u8> {
    let mut sig = Vec::new();
    OpensslBackend
        .signer(key, alg)
        .unwrap()
        .sign(INPUT, &mut sig)
        .unwrap();
    sig
}

fn verifier(key: &Jwk, alg: Algorithm) -> Box<dyn Verifier> {
    let public = if key.kty() == "oct" {
        key.clone()
    } else {
        OpensslBackend.public_key(key).unwrap()
    };
    OpensslBackend.verifier(&public, alg).unwrap()
}

fn expected_len(alg: Algorithm) -> usize {
    alg.fixed_signature_len().unwrap_or(256)
}

#[test]
fn names_every_algorithm_and_the_library() {
    assert_eq!(OpensslBackend.name(), "tessera-openssl");
    assert_eq!(
        OpensslBackend.algorithms(),
        algorithms().collect::<Vec<_>>().as_slice()
    );
    let lib = OpensslBackend.library();
    assert_eq!(lib.name, "OpenSSL");
    assert!(lib.version.starts_with("3."), "{}", lib.version);
}

#[test]
fn every_algorithm_round_trips_and_rejects_tampering() {
    for alg in algorithms() {
        let key = OpensslBackend.generate(KeySpec::new(alg)).unwrap();
        assert_eq!(key.alg.as_deref(), Some(alg.name()));
        assert!(key.is_private());
        let sig = sign(&key, alg);
        let v = verifier(&key, alg);
        assert_eq!(v.algorithm(), alg);
        assert_eq!(sig.len(), expected_len(alg), "{alg}");
        assert_eq!(v.signature_len(), sig.len(), "{alg}");
        assert_eq!(v.verify(INPUT, &sig), Ok(()), "{alg}");
        assert_eq!(
            v.verify(b"eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXNzZXJb", &sig),
            Err(SignatureError::Invalid),
            "{alg}"
        );
        for i in [0, sig.len() / 2, sig.len() - 1] {
            let mut bad = sig.clone();
            bad[i] ^= 0x80;
            assert_eq!(v.verify(INPUT, &bad), Err(SignatureError::Invalid), "{alg}");
        }
        assert_eq!(
            v.verify(INPUT, &sig[..sig.len() - 1]),
            Err(SignatureError::Length {
                expected: sig.len(),
                found: sig.len() - 1
            }),
            "{alg}"
        );
        let mut long = sig.clone();
        long.push(0);
        assert_eq!(
            v.verify(INPUT, &long),
            Err(SignatureError::Length {
                expected: sig.len(),
                found: sig.len() + 1
            }),
            "{alg}"
        );
        assert_eq!(
            v.verify(INPUT, &[]),
            Err(SignatureError::Length {
                expected: sig.len(),
                found: 0
            })
        );
        // The private JWK verifies too (its public half is used), and survives JSON.
        let reparsed = Jwk::from_json(key.to_json().as_bytes()).unwrap();
        assert_eq!(
            OpensslBackend
                .verifier(&reparsed, alg)
                .unwrap()
                .verify(INPUT, &sig),
            Ok(())
        );
    }
}

#[test]
fn signatures_from_one_key_do_not_verify_under_another() {
    for alg in algorithms() {
        let a = OpensslBackend.generate(KeySpec::new(alg)).unwrap();
        let b = OpensslBackend.generate(KeySpec::new(alg)).unwrap();
        assert_eq!(
            verifier(&b, alg).verify(INPUT, &sign(&a, alg)),
            Err(SignatureError::Invalid),
            "{alg}"
        );
    }
}

#[test]
fn deterministic_algorithms_are_deterministic() {
    for alg in algorithms() {
        let key = OpensslBackend.generate(KeySpec::new(alg)).unwrap();
        assert_eq!(
            sign(&key, alg) == sign(&key, alg),
            alg.is_deterministic(),
            "{alg}"
        );
    }
}

#[test]
fn ecdsa_scalars_out_of_range_are_invalid() {
    let key = OpensslBackend
        .generate(KeySpec::new(Algorithm::ES256))
        .unwrap();
    let v = verifier(&key, Algorithm::ES256);
    let sig = sign(&key, Algorithm::ES256);
    // Replaces r and/or s (an empty slice keeps the original half).
    let with = |r: &[u8], s: &[u8]| {
        let mut out = sig.clone();
        if !r.is_empty() {
            out[..32].copy_from_slice(r);
        }
        if !s.is_empty() {
            out[32..].copy_from_slice(s);
        }
        out
    };
    let zero = [0u8; 32];
    let ones = [0xffu8; 32];
    let mut order_plus_one = P256_ORDER;
    order_plus_one[31] += 1;
    for bad in [
        with(&zero, &[]),
        with(&[], &zero),
        with(&zero, &zero),
        with(&P256_ORDER, &[]),
        with(&[], &P256_ORDER),
        with(&order_plus_one, &[]),
        with(&[], &ones),
    ] {
        assert_eq!(v.verify(INPUT, &bad), Err(SignatureError::Invalid));
    }
    // A valid signature's s replaced by n - s is the other valid ECDSA signature (ECDSA is
    // malleable, RFC 7518 does not forbid it); the range check must not touch it.
    let n = openssl::bn::BigNum::from_slice(&P256_ORDER).unwrap();
    let s = openssl::bn::BigNum::from_slice(&sig[32..]).unwrap();
    let mut neg = openssl::bn::BigNum::new().unwrap();
    neg.checked_sub(&n, &s).unwrap();
    let flipped = with(&[], &neg.to_vec_padded(32).unwrap());
    assert_eq!(v.verify(INPUT, &flipped), Ok(()));
}

#[test]
fn der_ecdsa_signatures_are_refused_by_length() {
    for alg in [
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::ES512,
        Algorithm::ES256K,
    ] {
        let key = OpensslBackend.generate(KeySpec::new(alg)).unwrap();
        let sig = sign(&key, alg);
        let n = sig.len() / 2;
        let der = EcdsaSig::from_private_components(
            openssl::bn::BigNum::from_slice(&sig[..n]).unwrap(),
            openssl::bn::BigNum::from_slice(&sig[n..]).unwrap(),
        )
        .unwrap()
        .to_der()
        .unwrap();
        assert_ne!(der.len(), sig.len());
        assert_eq!(
            verifier(&key, alg).verify(INPUT, &der),
            Err(SignatureError::Length {
                expected: sig.len(),
                found: der.len()
            }),
            "{alg}"
        );
    }
}

#[test]
fn ecdsa_signatures_are_what_openssl_verifies_as_der() {
    // Our R || S converts back to a DER signature OpenSSL accepts directly.
    let key = OpensslBackend
        .generate(KeySpec::new(Algorithm::ES384))
        .unwrap();
    let sig = sign(&key, Algorithm::ES384);
    let der = EcdsaSig::from_private_components(
        openssl::bn::BigNum::from_slice(&sig[..48]).unwrap(),
        openssl::bn::BigNum::from_slice(&sig[48..]).unwrap(),
    )
    .unwrap()
    .to_der()
    .unwrap();
    let pkey = PKey::public_key_from_der(&key.to_spki_der().unwrap()).unwrap();
    let mut v = openssl::sign::Verifier::new(MessageDigest::sha384(), &pkey).unwrap();
    assert!(v.verify_oneshot(&der, INPUT).unwrap());
}

#[test]
fn pss_uses_mgf1_with_the_hash_and_a_salt_of_the_hash_length() {
    for (alg, md, salt) in [
        (Algorithm::PS256, MessageDigest::sha256(), 32),
        (Algorithm::PS384, MessageDigest::sha384(), 48),
        (Algorithm::PS512, MessageDigest::sha512(), 64),
    ] {
        let key = OpensslBackend.generate(KeySpec::new(alg)).unwrap();
        // Unbound, so the same key also serves RS256 below.
        let key = Jwk { alg: None, ..key };
        let pkey = PKey::private_key_from_der(&key.to_pkcs8_der().unwrap()).unwrap();
        let ours = sign(&key, alg);

        let openssl_verify = |sig: &[u8], salt: i32| {
            let mut v = openssl::sign::Verifier::new(md, &pkey).unwrap();
            v.set_rsa_padding(Padding::PKCS1_PSS).unwrap();
            v.set_rsa_mgf1_md(md).unwrap();
            v.set_rsa_pss_saltlen(RsaPssSaltlen::custom(salt)).unwrap();
            v.verify_oneshot(sig, INPUT).unwrap_or(false)
        };
        assert!(openssl_verify(&ours, salt), "{alg}");
        assert!(!openssl_verify(&ours, 20), "{alg}");

        let openssl_sign = |salt: i32| {
            let mut s = openssl::sign::Signer::new(md, &pkey).unwrap();
            s.set_rsa_padding(Padding::PKCS1_PSS).unwrap();
            s.set_rsa_mgf1_md(md).unwrap();
            s.set_rsa_pss_saltlen(RsaPssSaltlen::custom(salt)).unwrap();
            s.sign_oneshot_to_vec(INPUT).unwrap()
        };
        let v = verifier(&key, alg);
        assert_eq!(v.verify(INPUT, &openssl_sign(salt)), Ok(()), "{alg}");
        // Another salt length, or MGF1 with SHA-1, is not this algorithm.
        assert_eq!(
            v.verify(INPUT, &openssl_sign(salt - 1)),
            Err(SignatureError::Invalid)
        );
        let mut s = openssl::sign::Signer::new(md, &pkey).unwrap();
        s.set_rsa_padding(Padding::PKCS1_PSS).unwrap();
        s.set_rsa_mgf1_md(MessageDigest::sha1()).unwrap();
        s.set_rsa_pss_saltlen(RsaPssSaltlen::custom(salt)).unwrap();
        let sha1_mgf = s.sign_oneshot_to_vec(INPUT).unwrap();
        assert_eq!(v.verify(INPUT, &sha1_mgf), Err(SignatureError::Invalid));
        // A PKCS#1 v1.5 signature is not a PSS signature, and the other way round.
        let pkcs1 = sign(&key, Algorithm::RS256);
        assert_eq!(
            verifier(&key, Algorithm::PS256).verify(INPUT, &pkcs1),
            Err(SignatureError::Invalid)
        );
        assert_eq!(
            verifier(&key, Algorithm::RS256).verify(INPUT, &sign(&key, Algorithm::PS256)),
            Err(SignatureError::Invalid)
        );
    }
}

#[test]
fn rsa_keys_of_each_size() {
    for bits in [2048, 3072, 4096] {
        let key = OpensslBackend
            .generate(KeySpec::new(Algorithm::PS512).bits(bits))
            .unwrap();
        let KeyMaterial::Rsa(k) = &key.material else {
            panic!("not RSA")
        };
        assert_eq!(k.bits(), bits);
        assert_eq!(k.e, [1, 0, 1]);
        let sig = sign(&key, Algorithm::PS512);
        assert_eq!(sig.len(), bits / 8);
        let v = verifier(&key, Algorithm::PS512);
        assert_eq!(v.signature_len(), bits / 8);
        assert_eq!(v.verify(INPUT, &sig), Ok(()));
    }
    assert!(matches!(
        OpensslBackend.generate(KeySpec::new(Algorithm::RS256).bits(2049)),
        Err(KeyError::Generation(_))
    ));
    // Over 8192 bits no backend would accept the key, so none makes it.
    for bits in [8200, 16384] {
        assert_eq!(
            OpensslBackend
                .generate(KeySpec::new(Algorithm::RS256).bits(bits))
                .err(),
            Some(KeyError::Rejected(KeyRule::RsaModulusTooLarge)),
            "{bits}"
        );
    }
}

#[test]
fn hmac_generation_sizes() {
    let key = OpensslBackend
        .generate(KeySpec::new(Algorithm::HS384))
        .unwrap();
    let KeyMaterial::Oct(secret) = &key.material else {
        panic!("not oct")
    };
    assert_eq!(secret.len(), 48);
    let key = OpensslBackend
        .generate(KeySpec::new(Algorithm::HS256).bits(512))
        .unwrap();
    assert_eq!(sign(&key, Algorithm::HS256).len(), 32);
    assert_eq!(
        OpensslBackend
            .generate(KeySpec::new(Algorithm::HS512).bits(256))
            .err(),
        Some(KeyError::TooWeak {
            alg: Algorithm::HS512,
            bits: 256,
            min: 512
        })
    );
    assert!(matches!(
        OpensslBackend.generate(KeySpec::new(Algorithm::HS256).bits(260)),
        Err(KeyError::Generation(_))
    ));
    // Two secrets differ.
    assert_ne!(
        OpensslBackend.generate(KeySpec::new(Algorithm::HS256)),
        OpensslBackend.generate(KeySpec::new(Algorithm::HS256))
    );
}

#[test]
fn rsa_key_without_crt_values() {
    // RFC 7515 A.2 reproduced from n, e and d alone: OpenSSL signs without the primes.
    let text = include_str!("data/rfc7515-a2-rs256.json");
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    let mut key = Jwk::from_json(v["key"].to_string().as_bytes()).unwrap();
    if let KeyMaterial::Rsa(k) = &mut key.material {
        k.private.as_mut().unwrap().primes = None;
    }
    let mut sig = Vec::new();
    RsaSigner::from_jwk(&key, Algorithm::RS256)
        .unwrap()
        .sign(v["signing_input"].as_str().unwrap().as_bytes(), &mut sig)
        .unwrap();
    assert_eq!(tessera_codec::b64::encode(&sig), v["signature"]);
}

#[test]
fn debug_never_prints_key_material() {
    let secret = vec![0x41u8; 32];
    let key = Jwk::oct(secret).with_kid("k1");
    let s = HmacKey::from_jwk(&key, Algorithm::HS256).unwrap();
    let v = HmacKey::from_jwk(&key, Algorithm::HS256).unwrap();
    for d in [format!("{s:?}"), format!("{v:?}")] {
        assert!(d.contains("HS256") && d.contains("k1"), "{d}");
        assert!(
            !d.contains("65") && !d.contains("AAAA") && !d.contains("41"),
            "{d}"
        );
    }
    let ec = OpensslBackend
        .generate(KeySpec::new(Algorithm::ES256))
        .unwrap();
    let KeyMaterial::Ec(k) = &ec.material else {
        panic!("not EC")
    };
    let d = format!(
        "{:?}",
        EcdsaSigner::from_jwk(&ec, Algorithm::ES256).unwrap()
    );
    let hex: String = k.d.as_ref().unwrap().expose()[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(!d.contains(&hex), "{d}");
}

#[test]
fn kid_is_carried_and_settable() {
    let key = OpensslBackend
        .generate(KeySpec::new(Algorithm::EdDSA))
        .unwrap()
        .with_kid("ed-1");
    assert_eq!(
        OpensslBackend
            .signer(&key, Algorithm::EdDSA)
            .unwrap()
            .key_id(),
        Some("ed-1")
    );
    let v = Ed25519Verifier::from_jwk(&key, Algorithm::EdDSA)
        .unwrap()
        .with_kid("other");
    assert_eq!(v.key_id(), Some("other"));
}

#[test]
fn keys_are_shared_across_threads() {
    for alg in [
        Algorithm::HS256,
        Algorithm::RS256,
        Algorithm::PS384,
        Algorithm::ES256K,
        Algorithm::EdDSA,
    ] {
        let key = OpensslBackend.generate(KeySpec::new(alg)).unwrap();
        let signer: Arc<dyn Signer> = Arc::from(OpensslBackend.signer(&key, alg).unwrap());
        let verifier: Arc<dyn Verifier> = Arc::from(verifier(&key, alg));
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let (s, v) = (signer.clone(), verifier.clone());
                std::thread::spawn(move || {
                    for j in 0..10 {
                        let input = format!("{i}.{j}");
                        let mut sig = Vec::new();
                        s.sign(input.as_bytes(), &mut sig).unwrap();
                        assert_eq!(v.verify(input.as_bytes(), &sig), Ok(()));
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    }
}

#[test]
fn garbage_signatures_never_panic() {
    for alg in algorithms() {
        let key = OpensslBackend.generate(KeySpec::new(alg)).unwrap();
        let v = verifier(&key, alg);
        let n = v.signature_len();
        for fill in [0x00u8, 0x01, 0x7f, 0x80, 0xff] {
            assert_eq!(
                v.verify(INPUT, &vec![fill; n]),
                Err(SignatureError::Invalid),
                "{alg} {fill:#x}"
            );
        }
    }
}

#[test]
fn codec_group_orders_are_openssls() {
    // The ECDSA range check of r and s reads the codec's copy of each order.
    for (crv, nid) in [
        (EcCurve::P256, openssl::nid::Nid::X9_62_PRIME256V1),
        (EcCurve::P384, openssl::nid::Nid::SECP384R1),
        (EcCurve::P521, openssl::nid::Nid::SECP521R1),
        (EcCurve::Secp256k1, openssl::nid::Nid::SECP256K1),
    ] {
        let group = openssl::ec::EcGroup::from_curve_name(nid).unwrap();
        let mut order = openssl::bn::BigNum::new().unwrap();
        let mut ctx = openssl::bn::BigNumContext::new().unwrap();
        group.order(&mut order, &mut ctx).unwrap();
        let len = i32::try_from(crv.field_len()).unwrap();
        assert_eq!(order.to_vec_padded(len).unwrap(), crv.order(), "{crv}");
    }
}
