//! Published vectors: RFC 7515 A.3 and A.4, RFC 7520 §4.3, RFC 6979 A.2.5, the secp256k1
//! "Satoshi Nakamoto" vector, and a signature made by `k256` directly.

use super::*;

#[test]
fn es256_rfc7515_a3_token_verifies() {
    let key = jwk(A3_KEY);
    let verifier = EcdsaBackend
        .verifier(&key.to_public().unwrap(), Algorithm::ES256)
        .unwrap();
    let v = verify_jws(A3_TOKEN, &verifier, &Validation::new()).unwrap();
    assert_eq!(v.payload(), A3_PAYLOAD);
    // The private key's own public half verifies it too.
    let from_private = EcdsaBackend.verifier(&key, Algorithm::ES256).unwrap();
    assert!(verify_jws(A3_TOKEN, &from_private, &Validation::new()).is_ok());
}

#[test]
fn es512_rfc7515_a4_token_verifies() {
    let key = jwk(A4_KEY).to_public().unwrap();
    let verifier = EcdsaVerifier::from_jwk(&key, Algorithm::ES512).unwrap();
    assert_eq!(verifier.signature_len(), 132);
    let v = verify_jws(A4_TOKEN, &verifier, &Validation::new()).unwrap();
    assert_eq!(v.payload(), b"Payload");
}

#[test]
fn es512_rfc7520_4_3_token_verifies() {
    let key = jwk(RFC7520_KEY).to_public().unwrap();
    let verifier = EcdsaBackend.verifier(&key, Algorithm::ES512).unwrap();
    assert_eq!(verifier.key_id(), Some("bilbo.baggins@hobbiton.example"));
    let v = verify_jws(RFC7520_TOKEN, &verifier, &Validation::new()).unwrap();
    assert_eq!(v.payload(), RFC7520_PAYLOAD.as_bytes());
}

#[test]
fn rfc_tokens_with_one_bit_changed_are_invalid() {
    for (key, alg, token) in [
        (A3_KEY, Algorithm::ES256, A3_TOKEN),
        (A4_KEY, Algorithm::ES512, A4_TOKEN),
        (RFC7520_KEY, Algorithm::ES512, RFC7520_TOKEN),
    ] {
        let verifier = EcdsaVerifier::from_jwk(&jwk(key), alg).unwrap();
        let (input, sig) = token.rsplit_once('.').unwrap();
        let sig = b64::decode(sig.as_bytes()).unwrap();
        assert_eq!(verifier.verify(input.as_bytes(), &sig), Ok(()));
        let mut tampered_input = input.as_bytes().to_vec();
        let last = tampered_input.len() - 1;
        tampered_input[last] ^= 1;
        assert_eq!(
            verifier.verify(&tampered_input, &sig),
            Err(SignatureError::Invalid)
        );
        for i in [0, sig.len() / 2 - 1, sig.len() / 2, sig.len() - 1] {
            let mut bad = sig.clone();
            bad[i] ^= 0x01;
            assert_eq!(
                verifier.verify(input.as_bytes(), &bad),
                Err(SignatureError::Invalid),
                "{alg} byte {i}"
            );
        }
    }
}

#[test]
fn es256_signing_is_rfc6979_and_keeps_high_s() {
    // RFC 6979 A.2.5 signs SHA-256("sample"); the ES256 signer hashes its input with SHA-256,
    // so signing the bytes "sample" must give the published (r, s) exactly. That s is above
    // n / 2: P-256 signatures are not normalized to low-S.
    let signer = EcdsaSigner::new(Algorithm::ES256, &hex(RFC6979_P256_D)).unwrap();
    let sig = sign(&signer, b"sample");
    let expected = [hex(RFC6979_P256_SAMPLE_R), hex(RFC6979_P256_SAMPLE_S)].concat();
    assert_eq!(sig, expected);
    assert!(is_high(&hex(RFC6979_P256_SAMPLE_S), &hex(N_P256)));
    let verifier = signer.verifier();
    let KeyMaterial::Ec(public) = verifier.public_jwk().material else {
        panic!("not EC")
    };
    assert_eq!(
        (public.x, public.y),
        (hex(RFC6979_P256_UX), hex(RFC6979_P256_UY))
    );
    assert_eq!(verifier.verify(b"sample", &sig), Ok(()));
}

#[test]
fn es256k_signing_matches_published_secp256k1_vector_and_is_low_s() {
    // d = 1, message "Satoshi Nakamoto": the RFC 6979 nonce gives a high s, which k256
    // normalizes; the published (low-S) signature must come out byte for byte.
    let mut d = [0u8; 32];
    d[31] = 1;
    let signer = EcdsaSigner::new(Algorithm::ES256K, &d).unwrap();
    let sig = sign(&signer, b"Satoshi Nakamoto");
    assert_eq!(sig, [hex(K256_SATOSHI_R), hex(K256_SATOSHI_S)].concat());
    assert!(!is_high(&hex(K256_SATOSHI_S), &hex(N_K256)));
    // Its public key is the generator, and a verifier made from (x, y) accepts the signature.
    let verifier = EcdsaVerifier::new(Algorithm::ES256K, &hex(K256_GX), &hex(K256_GY)).unwrap();
    assert_eq!(verifier, signer.verifier());
    assert_eq!(verifier.verify(b"Satoshi Nakamoto", &sig), Ok(()));
    assert_eq!(
        verifier.verify(b"Satoshi Nakamoto!", &sig),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn es256k_signature_made_with_k256_directly_verifies() {
    use k256::ecdsa::signature::{Signer as _, Verifier as _};
    let key = EcdsaBackend
        .generate(KeySpec::new(Algorithm::ES256K))
        .unwrap();
    let KeyMaterial::Ec(ec) = &key.material else {
        panic!("not EC")
    };
    let direct = k256::ecdsa::SigningKey::from_slice(ec.d.as_ref().unwrap().expose()).unwrap();
    let input = b"eyJhbGciOiJFUzI1NksifQ.eyJzdWIiOiJhbGljZSJ9";
    let sig: k256::ecdsa::Signature = direct.sign(input);
    let verifier = EcdsaBackend
        .verifier(&EcdsaBackend.public_key(&key).unwrap(), Algorithm::ES256K)
        .unwrap();
    assert_eq!(verifier.verify(input, &sig.to_bytes()), Ok(()));
    // Its high-S twin: k256's own verifier refuses it, this backend accepts it (the
    // documented policy).
    let (r, s) = sig.split_bytes();
    let twin = [r.to_vec(), sub(&hex(N_K256), &s)].concat();
    let twin_sig = k256::ecdsa::Signature::from_slice(&twin).unwrap();
    assert!(direct.verifying_key().verify(input, &twin_sig).is_err());
    assert_eq!(verifier.verify(input, &twin), Ok(()));
}
