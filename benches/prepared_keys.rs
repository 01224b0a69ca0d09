//! What holding a parsed public key saves: aws-lc-rs's `ParsedPublicKey` against its
//! `UnparsedPublicKey` (which parses the key on every verify), and ring's `UnparsedPublicKey`
//! (ring has no parsed public key type for these algorithms), on the same key, input and
//! signature, for RS256, ES256 and EdDSA.
//!
//! `cargo bench --bench prepared_keys -- --quick` (short) or without `--quick` (full).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "benches fail loudly"
)]

use aws_lc_rs::signature as awslc;
use criterion::{Criterion, criterion_group, criterion_main};
use ring::signature as rings;
use std::hint::black_box;
use tessera::Algorithm;
use tessera::codec::{KeyMaterial, b64};
use tessera_conformance::fixtures::private_key;

/// The fixture key's public key as the raw bytes these APIs take, a signing input and a signature.
fn material(alg: Algorithm) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let private = private_key(alg).unwrap();
    let backend = tessera::BackendId::AwsLc.get().unwrap();
    let public = backend.public_key(&private).unwrap();
    let key_bytes = match &public.material {
        // RSA: DER RSAPublicKey (PKCS#1), what both libraries' RSA verification takes.
        KeyMaterial::Rsa(r) => pkcs1_der(&r.n, &r.e),
        KeyMaterial::Ec(k) => [&[4u8][..], &k.x, &k.y].concat(),
        KeyMaterial::Okp(k) => k.x.clone(),
        _ => panic!("no public key for {alg}"),
    };
    let input = format!(
        "{}.{}",
        b64::encode(br#"{"alg":"X"}"#),
        b64::encode(b"{\"sub\":\"bench\"}")
    );
    let signer = backend.signer(&private, alg).unwrap();
    let mut sig = Vec::new();
    signer.sign(input.as_bytes(), &mut sig).unwrap();
    (key_bytes, input.into_bytes(), sig)
}

/// DER `RSAPublicKey ::= SEQUENCE { n INTEGER, e INTEGER }`.
fn pkcs1_der(n: &[u8], e: &[u8]) -> Vec<u8> {
    fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let len = body.len();
        if len < 0x80 {
            out.push(len as u8);
        } else {
            let bytes = len.to_be_bytes();
            let skip = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
            out.push(0x80 | (bytes.len() - skip) as u8);
            out.extend_from_slice(&bytes[skip..]);
        }
        out.extend_from_slice(body);
        out
    }
    let int = |x: &[u8]| {
        let mut body = Vec::new();
        if x.first().is_some_and(|&b| b >= 0x80) {
            body.push(0);
        }
        body.extend_from_slice(x);
        tlv(0x02, &body)
    };
    tlv(0x30, &[int(n), int(e)].concat())
}

fn prepared_keys(c: &mut Criterion) {
    let cases: [(
        Algorithm,
        &'static dyn awslc::VerificationAlgorithm,
        &'static dyn rings::VerificationAlgorithm,
    ); 3] = [
        (
            Algorithm::RS256,
            &awslc::RSA_PKCS1_2048_8192_SHA256,
            &rings::RSA_PKCS1_2048_8192_SHA256,
        ),
        (
            Algorithm::ES256,
            &awslc::ECDSA_P256_SHA256_FIXED,
            &rings::ECDSA_P256_SHA256_FIXED,
        ),
        (Algorithm::EdDSA, &awslc::ED25519, &rings::ED25519),
    ];
    for (alg, aws_alg, ring_alg) in cases {
        let (key, input, sig) = material(alg);
        let mut g = c.benchmark_group(format!("prepared_keys/{alg}"));
        let parsed = awslc::ParsedPublicKey::new(aws_alg, &key).unwrap();
        g.bench_function("aws-lc-rs ParsedPublicKey", |b| {
            b.iter(|| {
                parsed
                    .verify_sig(black_box(&input), black_box(&sig))
                    .unwrap()
            })
        });
        g.bench_function("aws-lc-rs UnparsedPublicKey", |b| {
            b.iter(|| {
                awslc::UnparsedPublicKey::new(aws_alg, black_box(&key))
                    .verify(black_box(&input), black_box(&sig))
                    .unwrap()
            })
        });
        g.bench_function("ring UnparsedPublicKey", |b| {
            b.iter(|| {
                rings::UnparsedPublicKey::new(ring_alg, black_box(&key))
                    .verify(black_box(&input), black_box(&sig))
                    .unwrap()
            })
        });
        g.finish();
    }
}

criterion_group!(benches, prepared_keys);
criterion_main!(benches);
