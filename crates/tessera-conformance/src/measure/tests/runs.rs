//! A tiny real run: every subject's records, sizes, RSA key sizes and key generation, the
//! peers in the same groups. The figures themselves are never asserted.

use super::*;

#[test]
fn every_subject_has_four_timings_and_a_keygen() {
    let r = report();
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    for (backend, alg, key) in [
        ("tessera-hmac", "HS256", "oct-256"),
        ("tessera-ecdsa", "ES256", "P-256"),
        ("tessera-ed25519", "EdDSA", "Ed25519"),
        ("tessera-ring", "ES256", "P-256"),
    ] {
        let mine: Vec<&Record> = r
            .records
            .iter()
            .filter(|x| x.backend.as_deref() == Some(backend) && x.alg == alg && x.key == key)
            .collect();
        let mut shape: Vec<(Impl, Op)> = mine.iter().map(|x| (x.implementation, x.op)).collect();
        shape.sort();
        assert_eq!(
            shape,
            [
                (Impl::Tessera, Op::Keygen),
                (Impl::Tessera, Op::Sign),
                (Impl::Tessera, Op::Verify),
                (Impl::Floor, Op::Sign),
                (Impl::Floor, Op::Verify),
            ],
            "{backend}"
        );
        for x in mine {
            assert!(x.ns_min <= x.ns_median && x.ns_median <= x.ns_max, "{x:?}");
            assert!(x.ns_low <= x.ns_median && x.ns_median <= x.ns_high, "{x:?}");
            assert!(x.samples >= 15 && x.iterations >= x.samples as u64);
            assert!(x.ops_per_sec > 0.0);
            assert_eq!(x.round_ns.len(), x.samples);
            assert!(x.relative_speed.is_some(), "{x:?}");
            match (x.implementation, x.op) {
                (Impl::Tessera, Op::Keygen) => assert_eq!(x.library, backend),
                (Impl::Tessera, _) => {
                    assert_eq!(x.library, backend);
                    assert!(x.overhead_ns.is_some() && x.overhead_ratio.is_some());
                    let (lo, hi) = (
                        x.overhead_ratio_low.unwrap(),
                        x.overhead_ratio_high.unwrap(),
                    );
                    assert!(lo <= x.overhead_ratio.unwrap() && x.overhead_ratio.unwrap() <= hi);
                }
                _ => {
                    assert_ne!(x.library, backend);
                    assert!(x.version.is_some() && x.overhead_ns.is_none());
                }
            }
        }
    }
    // ES256's reference is its default backend, the first compiled in that has it.
    let es256 = r
        .records
        .iter()
        .find(|x| x.alg == "ES256" && x.op == Op::Verify)
        .unwrap();
    assert_eq!(es256.reference.as_deref(), Some("tessera-ecdsa"));
}

#[test]
fn token_signature_and_jwk_sizes() {
    let r = report();
    let payload = b64::encoded_len(253);
    for (alg, sig, jwk_min) in [("HS256", 32, 40), ("ES256", 64, 100), ("EdDSA", 64, 60)] {
        let header = format!(r#"{{"alg":"{alg}","typ":"JWT","kid":"{KID}"}}"#);
        let expected = b64::encoded_len(header.len()) + 1 + payload + 1 + b64::encoded_len(sig);
        for x in r
            .records
            .iter()
            .filter(|x| x.alg == alg && x.op != Op::Keygen)
        {
            assert_eq!(x.token_bytes, Some(expected), "{x:?}");
            assert_eq!(x.signature_bytes, Some(sig));
            assert!(x.jwk_bytes.unwrap() > jwk_min, "{x:?}");
        }
    }
    let key = fixtures::private_key(Algorithm::HS256).unwrap();
    let signer = tessera::signer(&key, Algorithm::HS256).unwrap();
    let token = Encoder::new(signer)
        .kid(KID)
        .encode(&BenchClaims::standard())
        .unwrap();
    let verify = r
        .records
        .iter()
        .find(|x| x.alg == "HS256" && x.op == Op::Verify)
        .unwrap();
    assert_eq!(verify.token_bytes, Some(token.len()));
}

#[test]
fn rsa_sizes_keygen_and_unknown_backends() {
    let r = tiny(&[Algorithm::RS256], &["tessera-rsa", "tessera-ring"]);
    let keys: Vec<&str> = r
        .records
        .iter()
        .filter(|x| x.op == Op::Sign && x.implementation == Impl::Floor && x.library != "ring")
        .map(|x| x.key.as_str())
        .collect();
    assert_eq!(keys, ["2048", "3072", "4096"]);
    for x in r.records.iter().filter(|x| x.op != Op::Keygen) {
        let bytes: usize = x.key.parse::<usize>().unwrap() / 8;
        assert_eq!(x.signature_bytes, Some(bytes));
    }
    let keygen: Vec<&Record> = r.records.iter().filter(|x| x.op == Op::Keygen).collect();
    assert_eq!(
        keygen.len(),
        1,
        "RSA keygen: 2048 bits only, and not on ring"
    );
    assert_eq!(keygen[0].key, "2048");
    assert_eq!(keygen[0].samples, 3);
    assert!(keygen[0].note.as_deref().unwrap().contains("random primes"));
    assert!(
        r.skipped
            .iter()
            .any(|s| s.contains("tessera-ring") && s.contains("keygen")),
        "{:?}",
        r.skipped
    );
    assert!(matches!(
        run(&Options {
            backends: vec!["tessera-nope".into()],
            ..Options::default()
        }),
        Err(MeasureError::UnknownBackend(_))
    ));
}

#[cfg(feature = "peers")]
#[test]
fn peers_sign_and_verify_in_the_same_groups() {
    let r = run(&Options {
        algs: vec![Algorithm::HS256, Algorithm::ES256, Algorithm::EdDSA],
        backends: vec!["tessera-hmac".into()],
        peers: true,
        keygen: false,
        progress: false,
        measurement_time: Some(Duration::from_micros(200)),
        ..Options::default()
    })
    .unwrap();
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    let libs = |alg: &str| {
        let mut v: Vec<&str> = r
            .records
            .iter()
            .filter(|x| x.implementation == Impl::Peer && x.alg == alg && x.op == Op::Verify)
            .map(|x| x.library.as_str())
            .collect();
        v.sort_unstable();
        v
    };
    let all = [
        "jsonwebtoken (aws_lc_rs)",
        "jsonwebtoken (rust_crypto)",
        "jwt-compact",
        "jwt-simple",
    ];
    assert_eq!(libs("HS256"), all);
    assert_eq!(libs("ES256"), all);
    assert_eq!(libs("EdDSA"), all);
    let peer = r
        .records
        .iter()
        .find(|x| x.implementation == Impl::Peer && x.alg == "HS256")
        .unwrap();
    let tessera = r
        .records
        .iter()
        .find(|x| x.implementation == Impl::Tessera && x.alg == "HS256" && x.op == peer.op)
        .unwrap();
    assert_eq!(peer.samples, tessera.samples, "one group, the same rounds");
    assert_eq!(peer.reference.as_deref(), Some("tessera-hmac"));
}
