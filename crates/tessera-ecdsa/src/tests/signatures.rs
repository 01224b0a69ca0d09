//! Signing and verification on every curve: round trips, the low-S policy, lengths, and
//! r or s out of range.

use super::*;

#[test]
fn every_algorithm_round_trips_and_rejects_tampering() {
    for (alg, n) in CURVES {
        let n = hex(n);
        let key = EcdsaBackend.generate(KeySpec::new(alg)).unwrap();
        assert_eq!(key.alg.as_deref(), Some(alg.name()));
        let KeyMaterial::Ec(ec) = &key.material else {
            panic!("not EC")
        };
        let len = alg.curve().unwrap().field_len();
        assert_eq!((ec.x.len(), ec.y.len()), (len, len));
        assert_eq!(ec.d.as_ref().map(Secret::len), Some(len));
        // The generated key survives the JWK JSON round trip and the codec's checks.
        let key = Jwk::from_json(key.to_json().as_bytes()).unwrap();
        let signer = EcdsaBackend.signer(&key, alg).unwrap();
        let verifier = EcdsaBackend
            .verifier(&key.to_public().unwrap(), alg)
            .unwrap();
        assert_eq!(verifier.signature_len(), 2 * len);
        let mut sig = Vec::new();
        signer.sign(b"a.b", &mut sig).unwrap();
        assert_eq!(sig.len(), verifier.signature_len(), "{alg}");
        assert!(sig[..len] < n[..] && sig[len..] < n[..], "{alg}");
        assert_eq!(verifier.verify(b"a.b", &sig), Ok(()), "{alg}");
        assert_eq!(verifier.verify(b"a.c", &sig), Err(SignatureError::Invalid));
        let mut bad = sig.clone();
        bad[len - 1] ^= 1;
        assert_eq!(verifier.verify(b"a.b", &bad), Err(SignatureError::Invalid));
        // Encoder and verify_jws with this backend, end to end.
        let token = Encoder::new(signer).sign_payload(b"payload").unwrap();
        let v = verify_jws(&token, &verifier, &Validation::new()).unwrap();
        assert_eq!(v.payload(), b"payload");
        // A key from another generation does not verify it.
        let (_, other) = keypair(alg);
        assert!(verify_jws(&token, &other, &Validation::new()).is_err());
    }
}

#[test]
fn high_s_twin_is_accepted_on_every_curve() {
    // The documented policy: (r, n - s) verifies exactly when (r, s) does, on all curves.
    for (alg, n) in CURVES {
        let n = hex(n);
        let (signer, verifier) = keypair(alg);
        let sig = sign(&signer, b"header.payload");
        let (r, s) = sig.split_at(sig.len() / 2);
        let twin = [r, &sub(&n, s)].concat();
        assert_ne!(twin, sig);
        assert_eq!(verifier.verify(b"header.payload", &twin), Ok(()), "{alg}");
        assert_eq!(
            verifier.verify(b"header.payloaD", &twin),
            Err(SignatureError::Invalid)
        );
    }
}

#[test]
fn es256k_signatures_are_always_low_s() {
    let n = hex(N_K256);
    let (signer, _) = keypair(Algorithm::ES256K);
    for i in 0..16u8 {
        let sig = sign(&signer, &[i; 7]);
        assert!(!is_high(&sig[32..], &n), "message {i}");
    }
}

#[test]
fn der_signature_is_a_length_error() {
    for (alg, _) in CURVES {
        let (signer, verifier) = keypair(alg);
        let sig = sign(&signer, b"a.b");
        let der = der(&sig);
        assert_ne!(der.len(), sig.len());
        assert_eq!(
            verifier.verify(b"a.b", &der),
            Err(SignatureError::Length {
                expected: sig.len(),
                found: der.len()
            })
        );
    }
    // Through the decoder: the A.3 token with its signature re-encoded as DER.
    let verifier = EcdsaVerifier::from_jwk(&jwk(A3_KEY), Algorithm::ES256).unwrap();
    let (input, sig) = A3_TOKEN.rsplit_once('.').unwrap();
    let der = der(&b64::decode(sig.as_bytes()).unwrap());
    let token = format!("{input}.{}", b64::encode(&der));
    assert_eq!(
        verify_jws(&token, &verifier, &Validation::new()).err(),
        Some(tessera_codec::Error::Signature(SignatureError::Length {
            expected: 64,
            found: der.len()
        }))
    );
}

#[test]
fn wrong_length_signatures_are_length_errors() {
    for (alg, _) in CURVES {
        let (_, verifier) = keypair(alg);
        let expected = verifier.signature_len();
        for found in [0, 1, expected - 1, expected + 1, 2 * expected] {
            assert_eq!(
                verifier.verify(b"a.b", &vec![1u8; found]),
                Err(SignatureError::Length { expected, found })
            );
        }
    }
}

#[test]
fn zero_r_and_s_are_invalid() {
    // CVE-2022-21449: (0, 0) satisfies the verification equation in an implementation that
    // skips the range check.
    for (alg, _) in CURVES {
        let (signer, verifier) = keypair(alg);
        let len = verifier.signature_len();
        let half = len / 2;
        assert_eq!(
            verifier.verify(b"a.b", &vec![0u8; len]),
            Err(SignatureError::Invalid)
        );
        let sig = sign(&signer, b"a.b");
        let zero_r = [&vec![0u8; half][..], &sig[half..]].concat();
        let zero_s = [&sig[..half], &vec![0u8; half][..]].concat();
        assert_eq!(
            verifier.verify(b"a.b", &zero_r),
            Err(SignatureError::Invalid)
        );
        assert_eq!(
            verifier.verify(b"a.b", &zero_s),
            Err(SignatureError::Invalid)
        );
    }
}

#[test]
fn r_or_s_not_below_the_group_order_is_invalid() {
    for (alg, n) in CURVES {
        let n = hex(n);
        let (signer, verifier) = keypair(alg);
        let sig = sign(&signer, b"a.b");
        let (r, s) = sig.split_at(sig.len() / 2);
        let cases = [
            ("r = n, s = n", [&n[..], &n[..]].concat()),
            ("r = n", [&n[..], s].concat()),
            ("s = n", [r, &n[..]].concat()),
            ("r = n + 1", [&plus_one(&n)[..], s].concat()),
            ("s = n + 1", [r, &plus_one(&n)[..]].concat()),
            ("r = 0, s = n", [&vec![0u8; n.len()][..], &n[..]].concat()),
        ];
        for (what, bad) in cases {
            assert_eq!(
                verifier.verify(b"a.b", &bad),
                Err(SignatureError::Invalid),
                "{alg} {what}"
            );
        }
        // n - 1 is in range: a well-formed (if wrong) signature, still Invalid.
        let n_minus_1 = sub(&n, &plus_one(&vec![0u8; n.len()]));
        let edge = [&n_minus_1[..], &n_minus_1[..]].concat();
        assert_eq!(verifier.verify(b"a.b", &edge), Err(SignatureError::Invalid));
    }
}

#[test]
fn arbitrary_signature_bytes_never_panic() {
    for (alg, _) in CURVES {
        let (_, verifier) = keypair(alg);
        let len = verifier.signature_len();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut inputs = vec![vec![0xff; len], vec![0x80; len], vec![0x01; len]];
        for _ in 0..64 {
            inputs.push(
                (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        (state >> 24) as u8
                    })
                    .collect(),
            );
        }
        for sig in inputs {
            assert_eq!(
                verifier.verify(b"a.b", &sig),
                Err(SignatureError::Invalid),
                "{alg}"
            );
        }
    }
}
