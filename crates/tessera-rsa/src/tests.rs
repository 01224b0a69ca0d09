// Unit tests: this module is declared under #[cfg(test)] only.
//! Unit tests: published vectors (RFC 7515 A.2, RFC 7520 §4.1 and §4.2; see
//! `tests/data/README.md`), round trips, generation; every key refusal with its exact error is
//! in `keys`.

use super::*;
use rsa::sha2::Digest;
use std::sync::OnceLock;
use tessera_codec::{Encoder, Validation, b64, verify, verify_jws};

mod keys;

const A2_KEY: &str = include_str!("../tests/data/rfc7515_a2_key.json");
const A2_TOKEN: &str = include_str!("../tests/data/rfc7515_a2_token.txt");
const RFC7520_KEY: &str = include_str!("../tests/data/rfc7520_key.json");
const RFC7520_RS256: &str = include_str!("../tests/data/rfc7520_4_1_rs256_token.txt");
const RFC7520_PS384: &str = include_str!("../tests/data/rfc7520_4_2_ps384_token.txt");

fn jwk(json: &str) -> Jwk {
    Jwk::from_json(json.as_bytes()).unwrap()
}

fn rsa_of(key: &Jwk) -> RsaKey {
    match &key.material {
        KeyMaterial::Rsa(k) => k.clone(),
        other => panic!("not RSA: {other:?}"),
    }
}

fn with_rsa(key: &Jwk, f: impl FnOnce(&mut RsaKey)) -> Jwk {
    let mut k = rsa_of(key);
    f(&mut k);
    Jwk::new(KeyMaterial::Rsa(k))
}

/// The one key this suite generates (2048 bits), shared by the tests that need a fresh key.
fn generated() -> &'static Jwk {
    static KEY: OnceLock<Jwk> = OnceLock::new();
    KEY.get_or_init(|| RsaBackend.generate(KeySpec::new(Algorithm::PS256)).unwrap())
}

/// Signs the token's signing input and checks the result is the token's signature, byte for
/// byte; then verifies the published token through the codec.
fn assert_deterministic_vector(key: &Jwk, token: &str, alg: Algorithm) {
    let token = token.trim();
    let (input, sig) = token.rsplit_once('.').unwrap();
    let signer = RsaBackend.signer(key, alg).unwrap();
    let mut out = Vec::new();
    signer.sign(input.as_bytes(), &mut out).unwrap();
    assert_eq!(b64::encode(&out), sig);
    let verifier = RsaBackend.verifier(&key.to_public().unwrap(), alg).unwrap();
    assert_eq!(verifier.signature_len(), 256);
    assert!(verify_jws(token, &verifier, &Validation::new()).is_ok());
}

#[test]
fn rs256_rfc7515_a2_signature_is_reproduced_and_token_verifies() {
    let key = jwk(A2_KEY);
    assert_deterministic_vector(&key, A2_TOKEN, Algorithm::RS256);
    let v = RsaVerifier::from_jwk(&key, Algorithm::RS256).unwrap();
    let verified = verify_jws(A2_TOKEN.trim(), &v, &Validation::new()).unwrap();
    assert_eq!(
        verified.payload(),
        b"{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}"
    );
}

#[test]
fn rs256_rfc7520_4_1_signature_is_reproduced_and_token_verifies() {
    let key = jwk(RFC7520_KEY);
    assert_eq!(key.kid.as_deref(), Some("bilbo.baggins@hobbiton.example"));
    assert_deterministic_vector(&key, RFC7520_RS256, Algorithm::RS256);
}

#[test]
fn ps384_rfc7520_4_2_published_signature_verifies() {
    let key = jwk(RFC7520_KEY);
    let v = RsaBackend.verifier(&key, Algorithm::PS384).unwrap();
    assert_eq!(v.key_id(), Some("bilbo.baggins@hobbiton.example"));
    let verified = verify_jws(RFC7520_PS384.trim(), &v, &Validation::new()).unwrap();
    assert!(
        verified
            .payload()
            .starts_with("It\u{2019}s a dangerous business, Frodo".as_bytes())
    );
    let (input, sig) = RFC7520_PS384.trim().rsplit_once('.').unwrap();
    let mut sig = b64::decode(sig.as_bytes()).unwrap();
    assert_eq!(v.verify(input.as_bytes(), &sig), Ok(()));
    sig[17] ^= 0x80;
    assert_eq!(
        v.verify(input.as_bytes(), &sig),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn published_rs256_signature_does_not_verify_as_ps256() {
    let key = jwk(RFC7520_KEY);
    let (input, sig) = RFC7520_RS256.trim().rsplit_once('.').unwrap();
    let sig = b64::decode(sig.as_bytes()).unwrap();
    let ps256 = RsaVerifier::from_jwk(&key, Algorithm::PS256).unwrap();
    assert_eq!(
        ps256.verify(input.as_bytes(), &sig),
        Err(SignatureError::Invalid)
    );
    let rs384 = RsaVerifier::from_jwk(&key, Algorithm::RS384).unwrap();
    assert_eq!(
        rs384.verify(input.as_bytes(), &sig),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn every_algorithm_round_trips_and_rejects_tampering_with_one_generated_key() {
    // Without its `alg` member the generated key may serve all six algorithms.
    let key = &Jwk {
        alg: None,
        ..generated().clone()
    };
    for alg in ALGORITHMS.iter().copied() {
        let s = RsaBackend.signer(key, alg).unwrap();
        let v = RsaBackend.verifier(&key.to_public().unwrap(), alg).unwrap();
        assert_eq!((s.algorithm(), v.algorithm()), (alg, alg));
        let mut sig = Vec::new();
        s.sign(b"a.b", &mut sig).unwrap();
        assert_eq!(sig.len(), 256, "{alg}");
        assert_eq!(v.signature_len(), 256, "{alg}");
        assert_eq!(v.verify(b"a.b", &sig), Ok(()), "{alg}");
        assert_eq!(
            v.verify(b"a.c", &sig),
            Err(SignatureError::Invalid),
            "{alg}"
        );
        let mut bad = sig.clone();
        bad[100] ^= 1;
        assert_eq!(
            v.verify(b"a.b", &bad),
            Err(SignatureError::Invalid),
            "{alg}"
        );
        assert_eq!(
            v.verify(b"a.b", &sig[1..]),
            Err(SignatureError::Length {
                expected: 256,
                found: 255
            }),
            "{alg}"
        );
        let mut long = sig.clone();
        long.insert(0, 0);
        assert_eq!(
            v.verify(b"a.b", &long),
            Err(SignatureError::Length {
                expected: 256,
                found: 257
            }),
            "{alg}"
        );
        assert_eq!(
            v.verify(b"a.b", &[]),
            Err(SignatureError::Length {
                expected: 256,
                found: 0
            }),
            "{alg}"
        );
    }
}

#[test]
fn signature_equal_to_or_above_the_modulus_is_invalid_not_a_panic() {
    let key = jwk(RFC7520_KEY);
    let n = rsa_of(&key).n;
    for alg in [Algorithm::RS256, Algorithm::PS256] {
        let v = RsaVerifier::from_jwk(&key, alg).unwrap();
        assert_eq!(v.verify(b"a.b", &n), Err(SignatureError::Invalid));
        assert_eq!(v.verify(b"a.b", &[0xff; 256]), Err(SignatureError::Invalid));
        assert_eq!(v.verify(b"a.b", &[0; 256]), Err(SignatureError::Invalid));
    }
}

#[test]
fn generate_returns_complete_private_jwk_with_alg() {
    let key = generated();
    assert_eq!(key.alg.as_deref(), Some("PS256"));
    let k = rsa_of(key);
    assert_eq!(k.bits(), 2048);
    assert_eq!(k.e, [1, 0, 1]);
    let private = k.private.as_ref().unwrap();
    let c = private.primes.as_ref().unwrap();
    for (name, s) in [
        ("d", &private.d),
        ("p", &c.p),
        ("q", &c.q),
        ("dp", &c.dp),
        ("dq", &c.dq),
        ("qi", &c.qi),
    ] {
        assert!(!s.is_empty(), "{name}");
    }
    // The JSON form carries every member and loads back to the same key.
    let json = key.to_json();
    for m in [
        "\"n\"", "\"e\"", "\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"",
    ] {
        assert!(json.contains(m), "{m}");
    }
    assert_eq!(&Jwk::from_json(json.as_bytes()).unwrap(), key);
    // The `alg` member binds the key: it serves PS256 only.
    assert_eq!(
        RsaBackend.signer(key, Algorithm::RS256).err(),
        Some(KeyError::AlgorithmMismatch {
            alg: Algorithm::RS256,
            key_alg: "PS256".into()
        })
    );
}

#[test]
fn generate_refuses_weak_odd_and_foreign_sizes() {
    assert_eq!(
        RsaBackend.generate(KeySpec::new(Algorithm::RS256).bits(1024)),
        Err(KeyError::TooWeak {
            alg: Algorithm::RS256,
            bits: 1024,
            min: 2048
        })
    );
    for bits in [2049, 8192] {
        assert_eq!(
            RsaBackend.generate(KeySpec::new(Algorithm::RS256).bits(bits)),
            Err(KeyError::Generation(format!(
                "RSA key size {bits} bits: tessera-rsa generates 2048, 3072 or 4096 bits"
            )))
        );
    }
    // Over 8192 bits no backend would accept the key, so none makes it.
    for bits in [8193, 16384] {
        assert_eq!(
            RsaBackend.generate(KeySpec::new(Algorithm::RS256).bits(bits)),
            Err(KeyError::Rejected(KeyRule::RsaModulusTooLarge))
        );
    }
    assert_eq!(
        RsaBackend.generate(KeySpec::new(Algorithm::HS256)),
        Err(KeyError::Unsupported {
            backend: "tessera-rsa",
            alg: Algorithm::HS256
        })
    );
}

#[test]
fn ps256_signature_presented_to_rs256_verifier_of_same_key_is_invalid() {
    let key = jwk(A2_KEY);
    let ps = RsaSigner::from_jwk(&key, Algorithm::PS256).unwrap();
    let rs = RsaVerifier::from_jwk(&key, Algorithm::RS256).unwrap();
    let mut sig = Vec::new();
    ps.sign(b"h.p", &mut sig).unwrap();
    assert_eq!(ps.verifier().verify(b"h.p", &sig), Ok(()));
    assert_eq!(rs.verify(b"h.p", &sig), Err(SignatureError::Invalid));
    // And the other way round.
    let mut sig = Vec::new();
    RsaSigner::from_jwk(&key, Algorithm::RS256)
        .unwrap()
        .sign(b"h.p", &mut sig)
        .unwrap();
    assert_eq!(
        ps.verifier().verify(b"h.p", &sig),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn pss_signatures_are_randomized_and_both_verify() {
    let s = RsaSigner::from_jwk(&jwk(A2_KEY), Algorithm::PS512).unwrap();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    s.sign(b"h.p", &mut a).unwrap();
    s.sign(b"h.p", &mut b).unwrap();
    assert_ne!(a, b);
    let v = s.verifier();
    assert_eq!(
        (v.verify(b"h.p", &a), v.verify(b"h.p", &b)),
        (Ok(()), Ok(()))
    );
}

#[test]
fn pss_verification_insists_on_salt_as_long_as_the_hash() {
    let s = RsaSigner::from_jwk(&jwk(A2_KEY), Algorithm::PS256).unwrap();
    let v = s.verifier();
    let digest = rsa::sha2::Sha256::digest(b"h.p");
    for salt in [0, 20, 33] {
        let sig = s
            .key
            .sign(rsa::Pss::<rsa::sha2::Sha256>::new_with_salt(salt), &digest)
            .unwrap();
        assert_eq!(
            v.verify(b"h.p", &sig),
            Err(SignatureError::Invalid),
            "{salt}"
        );
    }
    let sig = s
        .key
        .sign(rsa::Pss::<rsa::sha2::Sha256>::new_with_salt(32), &digest)
        .unwrap();
    assert_eq!(v.verify(b"h.p", &sig), Ok(()));
}

#[test]
fn kid_comes_from_the_jwk_and_with_kid_overrides_it() {
    let key = jwk(RFC7520_KEY);
    let s = RsaSigner::from_jwk(&key, Algorithm::RS256).unwrap();
    assert_eq!(s.key_id(), Some("bilbo.baggins@hobbiton.example"));
    assert_eq!(
        s.verifier().key_id(),
        Some("bilbo.baggins@hobbiton.example")
    );
    let s = s.with_kid("k2");
    assert_eq!(s.key_id(), Some("k2"));
    let v = RsaVerifier::from_jwk(&key, Algorithm::RS256)
        .unwrap()
        .with_kid("k3");
    assert_eq!(v.key_id(), Some("k3"));
    assert_eq!(
        RsaVerifier::new(Algorithm::RS256, &rsa_of(&key))
            .unwrap()
            .key_id(),
        None
    );
}

#[test]
fn encoder_token_verifies_with_validation() {
    let key = jwk(RFC7520_KEY);
    let signer = RsaSigner::from_jwk(&key, Algorithm::PS384).unwrap();
    let verifier = signer.verifier();
    let token = Encoder::new(signer)
        .encode(&serde_json::json!({"sub": "frodo", "exp": 4_000_000_000u64}))
        .unwrap();
    let v = verify(&token, &verifier, &Validation::new()).unwrap();
    assert_eq!(v.algorithm(), Algorithm::PS384);
    assert_eq!(
        v.header().unwrap().kid.as_deref(),
        Some("bilbo.baggins@hobbiton.example")
    );
}

#[test]
fn debug_never_prints_private_material() {
    let key = jwk(A2_KEY);
    let s = RsaSigner::from_jwk(&key, Algorithm::RS256).unwrap();
    let d = format!("{s:?} {:?}", s.verifier());
    assert_eq!(
        d,
        "RsaSigner { alg: RS256, kid: None, bits: 2048, .. } \
         RsaVerifier { alg: RS256, kid: None, bits: 2048, .. }"
    );
}

#[test]
fn backend_describes_itself() {
    assert_eq!(RsaBackend.name(), "tessera-rsa");
    assert_eq!(RsaBackend.library().name, "RustCrypto rsa");
    assert_eq!(RsaBackend.algorithms(), ALGORITHMS);
    assert!(RsaBackend.supports(Algorithm::PS512) && !RsaBackend.supports(Algorithm::ES256));
    let key = jwk(A2_KEY);
    assert_eq!(
        RsaBackend.public_key(&key).unwrap(),
        key.to_public().unwrap()
    );
}
