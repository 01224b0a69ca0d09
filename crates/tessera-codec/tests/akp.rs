//! AKP keys (RFC 9964 §3) and their RFC 9881 DER forms, through the codec's public API.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use tessera_codec::{AkpKey, Algorithm, Jwk, JwkSet, KeyError, KeyMaterial, KeyUse, Secret, b64};

const EXAMPLE_44: &str = include_str!("../../tessera-conformance/vectors/rfc9964-a-ml-dsa-44.json");

/// The RFC 9964 Appendix A ML-DSA-44 key (public key and all-zero seed).
fn example() -> (serde_json::Value, Jwk) {
    let v: serde_json::Value = serde_json::from_str(EXAMPLE_44).unwrap();
    let key = Jwk::from_json(v["key"].to_string().as_bytes()).unwrap();
    (v["key"].clone(), key)
}

fn akp(alg: Algorithm, public_len: usize, seed: Option<usize>) -> Jwk {
    Jwk::new(KeyMaterial::Akp(AkpKey {
        alg,
        public: vec![7; public_len],
        seed: seed.map(|n| Secret::new(vec![1; n])),
    }))
}

fn invalid(json: &str) -> String {
    Jwk::from_json(json.as_bytes()).unwrap_err().to_string()
}

#[test]
fn rfc9964_example_parses_with_its_lengths() {
    let (_, key) = example();
    assert_eq!(key.kty(), "AKP");
    assert_eq!(key.algorithm(), Some(Algorithm::MlDsa44));
    assert!(key.is_private());
    let KeyMaterial::Akp(k) = &key.material else {
        panic!("not AKP")
    };
    assert_eq!(k.public.len(), 1312);
    assert_eq!(k.seed.as_ref().map(Secret::len), Some(32));
    assert_eq!(key.curve_name(), None);
}

#[test]
fn thumbprint_input_is_alg_kty_pub() {
    let (json, key) = example();
    let public = json["pub"].as_str().unwrap();
    assert_eq!(
        key.thumbprint_input().unwrap(),
        format!(r#"{{"alg":"ML-DSA-44","kty":"AKP","pub":"{public}"}}"#)
    );
}

#[test]
fn json_round_trip_private_and_public() {
    let (_, key) = example();
    assert_eq!(Jwk::from_json(key.to_json().as_bytes()).unwrap(), key);
    let public = key.to_public().unwrap();
    assert!(!public.to_json().contains("priv"));
    assert_eq!(Jwk::from_json(public.to_json().as_bytes()).unwrap(), public);
    assert_eq!(
        public.check_for(Algorithm::MlDsa44, KeyUse::Sign),
        Err(KeyError::NotPrivate)
    );
}

#[test]
fn akp_without_alg_or_with_wrong_lengths_refused() {
    let pub44 = b64::encode(&[7u8; 1312]);
    let seed = b64::encode(&[1u8; 32]);
    assert_eq!(
        invalid(&format!(r#"{{"kty":"AKP","pub":"{pub44}"}}"#)),
        "invalid key: JWK member alg is missing (required for AKP)"
    );
    assert_eq!(
        invalid(&format!(
            r#"{{"kty":"AKP","alg":"ML-DSA-65","pub":"{pub44}"}}"#
        )),
        "invalid key: JWK member pub is 1312 bytes, ML-DSA-65 needs 1952"
    );
    assert_eq!(
        invalid(&format!(
            r#"{{"kty":"AKP","alg":"ML-DSA-44","pub":"{pub44}","priv":"{}"}}"#,
            b64::encode(&[1u8; 64])
        )),
        "invalid key: JWK member priv is 64 bytes, ML-DSA-44 needs 32"
    );
    assert_eq!(
        invalid(r#"{"kty":"AKP","alg":"ML-DSA-44"}"#),
        "invalid key: JWK member pub is missing"
    );
    assert_eq!(
        invalid(&format!(
            r#"{{"kty":"AKP","alg":"ML-DSA-44","priv":"{seed}"}}"#
        )),
        "invalid key: JWK member pub is missing"
    );
    // An AKP key for an algorithm tessera does not know is another kind of key, skipped in sets.
    assert_eq!(
        invalid(&format!(
            r#"{{"kty":"AKP","alg":"SLH-DSA-SHA2-128s","pub":"{pub44}"}}"#
        )),
        "unsupported key: AKP key for SLH-DSA-SHA2-128s"
    );
    assert_eq!(
        invalid(&format!(r#"{{"kty":"AKP","alg":"ES256","pub":"{pub44}"}}"#)),
        "unsupported key: AKP key for ES256"
    );
    let ok = format!(r#"{{"kty":"AKP","alg":"ML-DSA-44","pub":"{pub44}","priv":"{seed}"}}"#);
    assert!(Jwk::from_json(ok.as_bytes()).is_ok());
}

#[test]
fn jwk_set_skips_akp_keys_of_unknown_algorithms() {
    let (_, key) = example();
    let json = format!(
        r#"{{"keys":[{{"kty":"AKP","alg":"SLH-DSA-SHAKE-256f","pub":"AAAA"}},{}]}}"#,
        key.to_public().unwrap().to_json()
    );
    let set = JwkSet::from_json(json.as_bytes()).unwrap();
    assert_eq!((set.keys.len(), set.skipped), (1, 1));
}

#[test]
fn akp_key_serves_only_its_own_algorithm() {
    let (_, key) = example();
    assert!(key.check_for(Algorithm::MlDsa44, KeyUse::Sign).is_ok());
    assert_eq!(
        key.check_for(Algorithm::MlDsa87, KeyUse::Verify),
        Err(KeyError::AlgorithmMismatch {
            alg: Algorithm::MlDsa87,
            key_alg: "ML-DSA-44".into()
        })
    );
    assert_eq!(
        key.check_for(Algorithm::EdDSA, KeyUse::Verify),
        Err(KeyError::WrongKeyType {
            alg: Algorithm::EdDSA,
            kty: "AKP"
        })
    );
    assert_eq!(
        Jwk::oct(vec![1; 64]).check_for(Algorithm::MlDsa44, KeyUse::Verify),
        Err(KeyError::WrongKeyType {
            alg: Algorithm::MlDsa44,
            kty: "oct"
        })
    );
    // Material and `alg` member disagreeing (a hand-built key) is refused too.
    let mut odd = key.clone();
    odd.alg = Some("ML-DSA-65".into());
    assert!(matches!(
        odd.check_for(Algorithm::MlDsa44, KeyUse::Verify),
        Err(KeyError::AlgorithmMismatch { .. })
    ));
}

#[test]
fn hand_built_material_is_length_checked() {
    assert!(matches!(
        akp(Algorithm::MlDsa87, 2591, None).check_for(Algorithm::MlDsa87, KeyUse::Verify),
        Err(KeyError::Invalid(_))
    ));
    assert!(matches!(
        akp(Algorithm::MlDsa87, 2592, Some(33)).check_for(Algorithm::MlDsa87, KeyUse::Sign),
        Err(KeyError::Invalid(_))
    ));
    // Nor is such material exported.
    assert!(matches!(
        akp(Algorithm::MlDsa87, 2592, Some(33)).to_pkcs8_der(),
        Err(KeyError::Invalid(_))
    ));
    assert!(matches!(
        akp(Algorithm::MlDsa87, 2591, None).to_spki_der(),
        Err(KeyError::Invalid(_))
    ));
    // A seed without its public key (PKCS#8 seed form) is complete: a backend derives `pub`.
    assert!(
        akp(Algorithm::MlDsa87, 0, Some(32))
            .check_for(Algorithm::MlDsa87, KeyUse::Sign)
            .is_ok()
    );
    assert!(matches!(
        akp(Algorithm::MlDsa87, 0, Some(32)).thumbprint_input(),
        Err(KeyError::Invalid(_))
    ));
}

/// RFC 9881 §4/§6 DER prefixes: `SEQUENCE { SEQUENCE { OID id-ml-dsa-44 }, BIT STRING }` and
/// `SEQUENCE { INTEGER 0, SEQUENCE { OID }, OCTET STRING { [0] seed } }`.
const SPKI_44_PREFIX: [u8; 22] = [
    0x30, 0x82, 0x05, 0x32, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03,
    0x11, 0x03, 0x82, 0x05, 0x21, 0x00,
];
const PKCS8_44_PREFIX: [u8; 22] = [
    0x30, 0x34, 0x02, 0x01, 0x00, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
    0x03, 0x11, 0x04, 0x22, 0x80, 0x20,
];

#[test]
fn spki_and_pkcs8_seed_forms_per_rfc9881() {
    let (_, key) = example();
    let spki = key.to_spki_der().unwrap();
    assert_eq!(spki.len(), 22 + 1312);
    assert_eq!(spki[..22], SPKI_44_PREFIX);
    let pkcs8 = key.to_pkcs8_der().unwrap();
    assert_eq!(pkcs8.len(), 54);
    assert_eq!(pkcs8[..22], PKCS8_44_PREFIX);
    assert_eq!(pkcs8[22..], [0u8; 32]);

    let public = Jwk::from_spki_der(&spki).unwrap();
    // DER carries no kid; everything else comes back.
    assert_eq!(public.material, key.to_public().unwrap().material);
    assert_eq!(public.alg.as_deref(), Some("ML-DSA-44"));
    assert_eq!(
        Jwk::from_pem(&key.to_public_pem().unwrap()).unwrap(),
        public
    );
    let private = Jwk::from_pkcs8_der(&pkcs8).unwrap();
    let KeyMaterial::Akp(k) = &private.material else {
        panic!()
    };
    assert!(k.public.is_empty());
    assert_eq!(k.seed.as_ref().unwrap().expose(), &[0u8; 32]);
    assert_eq!(private.alg.as_deref(), Some("ML-DSA-44"));
    assert_eq!(
        Jwk::from_pem(&key.to_private_pem().unwrap()).unwrap(),
        private
    );
}

#[test]
fn other_pkcs8_and_spki_shapes() {
    let (_, key) = example();
    let pkcs8 = key.to_pkcs8_der().unwrap().to_vec();
    // expandedKey only: OCTET STRING instead of [0].
    let mut expanded = pkcs8.clone();
    expanded[20] = 0x04;
    assert!(matches!(
        Jwk::from_pkcs8_der(&expanded),
        Err(KeyError::UnsupportedKey(_))
    ));
    // A seed of 31 bytes.
    let mut short = pkcs8.clone();
    short.truncate(53);
    short[1] = 0x33;
    short[19] = 0x21;
    short[21] = 0x1f;
    assert!(matches!(
        Jwk::from_pkcs8_der(&short),
        Err(KeyError::Invalid(_))
    ));
    // both SEQUENCE { seed, expandedKey }: the seed is read.
    let mut inner = vec![0x30, 0x26, 0x04, 0x20];
    inner.extend([0u8; 32]);
    inner.extend([0x04, 0x02, 0xaa, 0xbb]);
    let mut both = vec![0x30, 0x3a, 0x02, 0x01, 0x00];
    both.extend(&PKCS8_44_PREFIX[5..18]);
    both.extend([0x04, 0x28]);
    both.extend(&inner);
    let read = Jwk::from_pkcs8_der(&both).unwrap();
    let KeyMaterial::Akp(k) = &read.material else {
        panic!()
    };
    assert_eq!(k.seed.as_ref().unwrap().expose(), &[0u8; 32]);
    // SPKI: a wrong length, and parameters present.
    let spki = key.to_spki_der().unwrap();
    let mut cut = spki[..spki.len() - 1].to_vec();
    cut[3] = 0x31;
    cut[20] = 0x20;
    assert!(matches!(
        Jwk::from_spki_der(&cut),
        Err(KeyError::Invalid(_))
    ));
    let mut with_null = spki[..4].to_vec();
    with_null[3] += 2;
    with_null.extend([0x30, 0x0d]);
    with_null.extend(&spki[6..17]);
    with_null.extend([0x05, 0x00]);
    with_null.extend(&spki[17..]);
    assert!(matches!(
        Jwk::from_spki_der(&with_null),
        Err(KeyError::Invalid(m)) if m.contains("parameters")
    ));
}

#[test]
fn size_limits_admit_the_largest_ml_dsa_keys_and_tokens() {
    let key = akp(Algorithm::MlDsa87, 2592, Some(32)).with_kid("k".repeat(64));
    let json = key.to_json();
    assert!(
        json.len() < tessera_codec::MAX_JWK_SIZE / 8,
        "{}",
        json.len()
    );
    assert_eq!(Jwk::from_json(json.as_bytes()).unwrap(), key);
    let pem = key.to_public_pem().unwrap();
    assert!(
        pem.len() < tessera_codec::MAX_KEY_FILE_SIZE / 8,
        "{}",
        pem.len()
    );
    assert_eq!(
        Jwk::from_pem(&pem).unwrap().material,
        key.to_public().unwrap().material
    );
    // A token: a header, small claims and a 4627-byte signature, all base64url.
    let token_len = 60 + 100 + 4627usize.div_ceil(3) * 4;
    assert!(token_len < tessera_codec::DEFAULT_MAX_TOKEN_SIZE / 16);
}
