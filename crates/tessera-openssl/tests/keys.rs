//! Key checks common to every family and RSA's: binding, typed constructors, the codec's RSA
//! rules as OpenSSL sees them, RSA private keys whose factors do not fit. The elliptic-curve
//! checks are in `curve_keys.rs`.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use openssl::pkey::PKey;
use openssl::rsa::Rsa;
use tessera_codec::{
    Algorithm, Backend, Jwk, KeyError, KeyMaterial, KeyRule, KeySpec, OkpKey, RsaKey,
};
use tessera_openssl::{
    EcdsaSigner, EcdsaVerifier, Ed25519Signer, Ed25519Verifier, HmacKey, OpensslBackend, RsaSigner,
    RsaVerifier,
};

fn rejected(rule: KeyRule) -> KeyError {
    KeyError::Rejected(rule)
}

fn generate(alg: Algorithm) -> Jwk {
    OpensslBackend.generate(KeySpec::new(alg)).unwrap()
}

#[test]
fn wrong_key_types_are_refused() {
    let oct = Jwk::oct(vec![7u8; 64]);
    let rsa = OpensslBackend
        .generate(KeySpec::new(Algorithm::RS256))
        .unwrap();
    let ec = OpensslBackend
        .generate(KeySpec::new(Algorithm::ES256))
        .unwrap();
    let ed = OpensslBackend
        .generate(KeySpec::new(Algorithm::EdDSA))
        .unwrap();
    let strip = |k: &Jwk| Jwk {
        alg: None,
        ..k.clone()
    };
    for (key, alg, kty) in [
        (&oct, Algorithm::RS256, "oct"),
        (&oct, Algorithm::ES256, "oct"),
        (&oct, Algorithm::EdDSA, "oct"),
        (&rsa, Algorithm::HS256, "RSA"),
        (&rsa, Algorithm::ES256, "RSA"),
        (&ec, Algorithm::HS256, "EC"),
        (&ec, Algorithm::PS256, "EC"),
        (&ec, Algorithm::EdDSA, "EC"),
        (&ed, Algorithm::ES256, "OKP"),
        (&ed, Algorithm::RS512, "OKP"),
    ] {
        let key = strip(key);
        let expected = KeyError::WrongKeyType { alg, kty };
        assert_eq!(
            OpensslBackend.verifier(&key, alg).err(),
            Some(expected.clone())
        );
        assert_eq!(OpensslBackend.signer(&key, alg).err(), Some(expected));
    }
    // RSA public key as an HMAC secret: the classic confusion, refused before anything else.
    let public = OpensslBackend.public_key(&strip(&rsa)).unwrap();
    assert_eq!(
        HmacKey::from_jwk(&public, Algorithm::HS256).err(),
        Some(KeyError::WrongKeyType {
            alg: Algorithm::HS256,
            kty: "RSA"
        })
    );
}

#[test]
fn codec_binding_checks_apply() {
    let ec = OpensslBackend
        .generate(KeySpec::new(Algorithm::ES256))
        .unwrap();
    let rsa = OpensslBackend
        .generate(KeySpec::new(Algorithm::RS256))
        .unwrap();
    assert_eq!(
        OpensslBackend.verifier(&rsa, Algorithm::PS256).err(),
        Some(KeyError::AlgorithmMismatch {
            alg: Algorithm::PS256,
            key_alg: "RS256".into()
        })
    );
    // The curve is checked before the JWK's alg.
    assert_eq!(
        OpensslBackend.verifier(&ec, Algorithm::ES384).err(),
        Some(KeyError::WrongCurve {
            alg: Algorithm::ES384,
            expected: "P-384",
            found: "P-256"
        })
    );
    let public = OpensslBackend.public_key(&ec).unwrap();
    assert_eq!(
        OpensslBackend.signer(&public, Algorithm::ES256).err(),
        Some(KeyError::NotPrivate)
    );
    assert_eq!(
        OpensslBackend
            .signer(&Jwk::oct(vec![1u8; 47]), Algorithm::HS384)
            .err(),
        Some(KeyError::TooWeak {
            alg: Algorithm::HS384,
            bits: 376,
            min: 384
        })
    );
    let mut sig_only = ec.clone();
    sig_only.key_ops = Some(vec!["verify".into()]);
    assert_eq!(
        OpensslBackend.signer(&sig_only, Algorithm::ES256).err(),
        Some(KeyError::Usage("signing"))
    );
}

#[test]
fn weak_rsa_keys_are_refused() {
    let rsa = Rsa::generate(1024).unwrap();
    let jwk =
        Jwk::from_pkcs8_der(&PKey::from_rsa(rsa).unwrap().private_key_to_pkcs8().unwrap()).unwrap();
    let too_weak = Some(KeyError::TooWeak {
        alg: Algorithm::RS256,
        bits: 1024,
        min: 2048,
    });
    assert_eq!(
        OpensslBackend.signer(&jwk, Algorithm::RS256).err(),
        too_weak
    );
    assert_eq!(
        OpensslBackend.verifier(&jwk, Algorithm::RS256).err(),
        too_weak
    );
    assert_eq!(
        OpensslBackend
            .generate(KeySpec::new(Algorithm::RS256).bits(1024))
            .err(),
        too_weak
    );
}

fn rsa_public(e: &[u8]) -> Jwk {
    let key = OpensslBackend
        .generate(KeySpec::new(Algorithm::RS256))
        .unwrap();
    let mut public = OpensslBackend.public_key(&key).unwrap();
    if let KeyMaterial::Rsa(k) = &mut public.material {
        k.e = e.to_vec();
    }
    public
}

#[test]
fn degenerate_rsa_exponents_are_refused() {
    for e in [&[1u8][..], &[2], &[1, 0, 0], &[1; 9], &[2, 0, 0, 0, 1]] {
        assert_eq!(
            OpensslBackend
                .verifier(&rsa_public(e), Algorithm::RS256)
                .err(),
            Some(rejected(KeyRule::RsaExponent)),
            "{e:?}"
        );
    }
    // The smallest and largest exponents allowed.
    for e in [&[3u8][..], &[1, 0xff, 0xff, 0xff, 0xff]] {
        assert!(
            OpensslBackend
                .verifier(&rsa_public(e), Algorithm::RS256)
                .is_ok(),
            "{e:?}"
        );
    }
}

#[test]
fn rsa_key_with_wrong_factors_is_refused() {
    let a = OpensslBackend
        .generate(KeySpec::new(Algorithm::RS256))
        .unwrap();
    let b = OpensslBackend
        .generate(KeySpec::new(Algorithm::RS256))
        .unwrap();
    let (KeyMaterial::Rsa(ka), KeyMaterial::Rsa(kb)) = (&a.material, &b.material) else {
        panic!("not RSA")
    };
    let mut mixed = ka.clone();
    mixed.private.as_mut().unwrap().primes = kb.private.as_ref().unwrap().primes.clone();
    let key = Jwk::new(KeyMaterial::Rsa(mixed));
    assert_eq!(
        OpensslBackend.signer(&key, Algorithm::RS256).err(),
        Some(KeyError::Invalid(
            "RSA private key: p * q is not the modulus".into()
        ))
    );
}

#[test]
fn hmac_secret_has_no_public_key() {
    assert!(matches!(
        OpensslBackend.public_key(&Jwk::oct(vec![0u8; 32])),
        Err(KeyError::UnsupportedKey(_))
    ));
}

#[test]
fn oversized_key_material_is_refused_without_panicking() {
    assert!(matches!(
        OpensslBackend.signer(&Jwk::oct(vec![1u8; (1 << 20) + 1]), Algorithm::HS256),
        Err(KeyError::UnsupportedKey(_))
    ));
    let mut big = rsa_public(&[1, 0, 1]);
    if let KeyMaterial::Rsa(k) = &mut big.material {
        k.n = vec![0xc5; 5000];
    }
    assert_eq!(
        OpensslBackend.verifier(&big, Algorithm::RS256).err(),
        Some(rejected(KeyRule::RsaModulusTooLarge))
    );
    let mut big_e = rsa_public(&[1, 0, 1]);
    if let KeyMaterial::Rsa(k) = &mut big_e.material {
        k.e = vec![0x01; 100_000];
    }
    assert_eq!(
        OpensslBackend.verifier(&big_e, Algorithm::RS256).err(),
        Some(rejected(KeyRule::RsaExponent))
    );
    // Wrong-length Ed25519 and EC members built in code, not parsed.
    let ed = Jwk::new(KeyMaterial::Okp(OkpKey {
        x: vec![1; 31],
        d: None,
    }));
    assert!(matches!(
        OpensslBackend.verifier(&ed, Algorithm::EdDSA),
        Err(KeyError::Invalid(_))
    ));
    let ed = Jwk::new(KeyMaterial::Okp(OkpKey {
        x: Vec::new(),
        d: Some(tessera_codec::Secret::new(vec![1; 33])),
    }));
    assert!(matches!(
        OpensslBackend.signer(&ed, Algorithm::EdDSA),
        Err(KeyError::Invalid(_))
    ));
}

#[test]
fn typed_constructors_refuse_other_families() {
    let ec = generate(Algorithm::ES256);
    let unsupported = |ty: &'static str, alg| Some(KeyError::Unsupported { backend: ty, alg });
    let es = Algorithm::ES256;
    assert_eq!(
        RsaSigner::from_jwk(&ec, es).err(),
        unsupported("tessera-openssl RsaSigner", es)
    );
    assert_eq!(
        RsaVerifier::from_jwk(&ec, es).err(),
        unsupported("tessera-openssl RsaVerifier", es)
    );
    assert_eq!(
        Ed25519Signer::from_jwk(&ec, es).err(),
        unsupported("tessera-openssl Ed25519Signer", es)
    );
    assert_eq!(
        Ed25519Verifier::from_jwk(&ec, es).err(),
        unsupported("tessera-openssl Ed25519Verifier", es)
    );
    assert_eq!(
        HmacKey::from_jwk(&ec, es).err(),
        unsupported("tessera-openssl HmacKey", es)
    );
    assert_eq!(
        HmacKey::new(es, &[0; 32]).err(),
        unsupported("tessera-openssl HmacKey", es)
    );
    let ps = Algorithm::PS256;
    assert_eq!(
        EcdsaSigner::from_jwk(&ec, ps).err(),
        unsupported("tessera-openssl EcdsaSigner", ps)
    );
    assert_eq!(
        EcdsaVerifier::from_jwk(&ec, ps).err(),
        unsupported("tessera-openssl EcdsaVerifier", ps)
    );
    // The raw HMAC constructor applies the codec's length rule.
    assert_eq!(
        HmacKey::new(Algorithm::HS512, &[0; 63]).err(),
        Some(KeyError::TooWeak {
            alg: Algorithm::HS512,
            bits: 504,
            min: 512
        })
    );
}

#[test]
fn rsa_modulus_over_8192_bits_is_refused_and_8192_accepted() {
    let modulus = |bytes: usize, top: u8| {
        let mut n = vec![0xffu8; bytes];
        n[0] = top;
        Jwk::new(KeyMaterial::Rsa(RsaKey {
            n,
            e: vec![1, 0, 1],
            private: None,
        }))
    };
    assert_eq!(
        OpensslBackend
            .verifier(&modulus(1025, 0x01), Algorithm::RS256)
            .err(),
        Some(rejected(KeyRule::RsaModulusTooLarge))
    );
    let v = OpensslBackend
        .verifier(&modulus(1024, 0x80), Algorithm::RS256)
        .unwrap();
    assert_eq!(v.signature_len(), 1024);
}

#[test]
fn even_rsa_modulus_is_refused() {
    let mut even = rsa_public(&[1, 0, 1]);
    if let KeyMaterial::Rsa(k) = &mut even.material {
        *k.n.last_mut().unwrap() &= 0xfe;
    }
    assert_eq!(
        OpensslBackend.verifier(&even, Algorithm::RS256).err(),
        Some(rejected(KeyRule::RsaModulusEven))
    );
}
