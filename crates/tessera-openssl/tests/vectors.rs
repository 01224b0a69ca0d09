//! Published test vectors (RFC 7515 Appendix A, RFC 7520 §4, RFC 8037 Appendix A.4), from
//! `tests/data/` (see its README for the source of each file).
#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

use serde_json::Value;
use tessera_codec::{Algorithm, Backend, Jwk, SignatureError, b64};
use tessera_openssl::OpensslBackend;

struct Vector {
    file: &'static str,
    alg: Algorithm,
    deterministic: bool,
    key: Jwk,
    signing_input: String,
    signature: Vec<u8>,
}

fn load(file: &'static str, text: &str) -> Vector {
    let v: Value = serde_json::from_str(text).unwrap();
    let alg = Algorithm::from_name(v["alg"].as_str().unwrap()).unwrap();
    let key = Jwk::from_json(v["key"].to_string().as_bytes()).unwrap();
    let signing_input = v["signing_input"].as_str().unwrap().to_owned();
    // The protected header names the vector's algorithm.
    let header = b64::decode(signing_input.split('.').next().unwrap().as_bytes()).unwrap();
    let header: Value = serde_json::from_slice(&header).unwrap();
    assert_eq!(header["alg"].as_str(), Some(alg.name()), "{file}");
    Vector {
        file,
        alg,
        deterministic: v["deterministic"].as_bool().unwrap(),
        key,
        signature: b64::decode(v["signature"].as_str().unwrap().as_bytes()).unwrap(),
        signing_input,
    }
}

macro_rules! vectors {
    ($($file:literal),* $(,)?) => {
        vec![$(load($file, include_str!(concat!("data/", $file)))),*]
    };
}

fn all() -> Vec<Vector> {
    vectors![
        "rfc7515-a1-hs256.json",
        "rfc7515-a2-rs256.json",
        "rfc7515-a3-es256.json",
        "rfc7515-a4-es512.json",
        "rfc8037-a4-ed25519.json",
        "rfc7520-4.1-rs256.json",
        "rfc7520-4.2-ps384.json",
        "rfc7520-4.3-es512.json",
        "rfc7520-4.4-hs256.json",
    ]
}

fn public_or_secret(key: &Jwk) -> Jwk {
    if key.kty() == "oct" {
        key.clone()
    } else {
        OpensslBackend.public_key(key).unwrap()
    }
}

#[test]
fn published_signatures_verify() {
    let vectors = all();
    assert_eq!(vectors.len(), 9);
    for v in &vectors {
        let input = v.signing_input.as_bytes();
        for key in [&v.key, &public_or_secret(&v.key)] {
            let verifier = OpensslBackend.verifier(key, v.alg).unwrap();
            assert_eq!(verifier.signature_len(), v.signature.len(), "{}", v.file);
            assert_eq!(verifier.verify(input, &v.signature), Ok(()), "{}", v.file);
        }
    }
}

#[test]
fn deterministic_signatures_are_reproduced() {
    let mut reproduced = 0;
    for v in all() {
        let signer = OpensslBackend.signer(&v.key, v.alg).unwrap();
        let mut sig = Vec::new();
        signer.sign(v.signing_input.as_bytes(), &mut sig).unwrap();
        if v.deterministic {
            assert_eq!(sig, v.signature, "{}", v.file);
            reproduced += 1;
        } else {
            // Randomized (ECDSA, PSS): a fresh signature differs but verifies.
            assert_ne!(sig, v.signature, "{}", v.file);
            let verifier = OpensslBackend
                .verifier(&public_or_secret(&v.key), v.alg)
                .unwrap();
            assert_eq!(verifier.verify(v.signing_input.as_bytes(), &sig), Ok(()));
        }
    }
    // RFC 7515 A.1 and A.2, RFC 8037 A.4, RFC 7520 4.1 and 4.4.
    assert_eq!(reproduced, 5);
}

#[test]
fn tampered_vectors_are_invalid() {
    for v in all() {
        let verifier = OpensslBackend.verifier(&v.key, v.alg).unwrap();
        let input = v.signing_input.as_bytes();
        for i in [0, v.signature.len() / 2, v.signature.len() - 1] {
            let mut sig = v.signature.clone();
            sig[i] ^= 0x01;
            assert_eq!(
                verifier.verify(input, &sig),
                Err(SignatureError::Invalid),
                "{} byte {i}",
                v.file
            );
        }
        let mut other = input.to_vec();
        *other.last_mut().unwrap() ^= 0x01;
        assert_eq!(
            verifier.verify(&other, &v.signature),
            Err(SignatureError::Invalid),
            "{}",
            v.file
        );
        assert_eq!(
            verifier.verify(input, &v.signature[1..]),
            Err(SignatureError::Length {
                expected: v.signature.len(),
                found: v.signature.len() - 1
            }),
            "{}",
            v.file
        );
    }
}

#[test]
fn vectors_through_the_compact_decoder() {
    // RFC 7520 4.4 binds the key to HS256 with `alg`, `use` and `kid`; the whole token decodes.
    let v = all()
        .into_iter()
        .find(|v| v.file == "rfc7520-4.4-hs256.json")
        .unwrap();
    let verifier = OpensslBackend.verifier(&v.key, v.alg).unwrap();
    assert_eq!(
        verifier.key_id(),
        Some("018c0ae5-4d9b-471b-bfd6-eef314bc7037")
    );
    let token = format!("{}.{}", v.signing_input, b64::encode(&v.signature));
    let verified =
        tessera_codec::verify_jws(&token, &verifier, &tessera_codec::Validation::new()).unwrap();
    assert!(
        verified
            .payload()
            .starts_with("It’s a dangerous business".as_bytes())
    );
}
