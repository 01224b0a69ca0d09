//! How verification scales: with payload size, with threads, and with Ed25519 batches.
//!
//! On the default backend of each algorithm (`tessera::default_backend`), fixture keys:
//!
//! | group | functions | what it shows |
//! |-------|-----------|---------------|
//! | `scaling/payload/<ALG>` (HS256, ES256) | `verify/<size>` for 256 B, 1 KiB, 4 KiB, 16 KiB, 64 KiB of claims JSON | verify cost against payload size (`verify` + `claims()` into borrowed claims; `max_token_size` raised to 1 MiB); throughput in claims bytes |
//! | `scaling/threads/<ALG>` (HS256, ES256) | `threads/1`, `threads/2` | the same N tokens (2048 for HS256, 256 for ES256) verified by one thread, or split in halves over two scoped threads (spawn cost included); throughput in tokens |
//! | `scaling/ed25519-batch` | `one-by-one/<n>`, `batch/<n>` for n = 1, 4, 16, 64, 256 | `tessera::verify_batch` with `Ed25519Verifier` against `tessera::verify` in a loop, over n distinct tokens; throughput in tokens |
//!
//! - Short mode: `cargo bench --bench scaling -- --quick` (about a minute); one group:
//!   `cargo bench --bench scaling -- --quick scaling/ed25519-batch`.
//! - Full mode: `cargo bench --bench scaling` (1 s warm-up, 30 samples over 3 s per function).
//!
//! The thread comparison needs two idle cores to mean anything: on a machine shared with a
//! build, `threads/2` measures the scheduler.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    reason = "benchmark harness: a setup failure should stop the run loudly"
)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde::{Deserialize, Serialize};
use std::hint::black_box;
use std::time::Duration;
use tessera::codec::Family;
use tessera::{Algorithm, Encoder, Jwk, Validation, Verifier};
use tessera_conformance::fixtures;
use tessera_conformance::measure::{self, BenchClaims, KID};

/// The benchmark claims plus a `pad` claim that brings the JSON to a chosen size.
#[derive(Serialize, Deserialize)]
struct PaddedClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    exp: i64,
    nbf: i64,
    iat: i64,
    jti: &'a str,
    #[serde(borrow)]
    roles: [&'a str; 3],
    name: &'a str,
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pad: &'a str,
}

fn padded(pad: &str) -> PaddedClaims<'_> {
    let b = BenchClaims::standard();
    PaddedClaims {
        iss: b.iss,
        sub: b.sub,
        aud: b.aud,
        exp: b.exp,
        nbf: b.nbf,
        iat: b.iat,
        jti: b.jti,
        roles: b.roles,
        name: b.name,
        pad,
    }
}

/// The padding that makes the claims `size` bytes of JSON (`,"pad":""` costs 9 bytes).
fn padding(size: usize) -> String {
    let base = serde_json::to_vec(&padded("")).unwrap().len();
    "x".repeat(size.saturating_sub(base + 9))
}

fn keys(alg: Algorithm) -> (Jwk, Jwk) {
    let private = fixtures::private_key(alg).unwrap();
    let public = match alg.family() {
        Family::Hmac => private.clone(),
        _ => tessera::default_backend(alg)
            .unwrap()
            .public_key(&private)
            .unwrap(),
    };
    (private, public)
}

fn payload(c: &mut Criterion) {
    let validation = measure::validation().max_token_size(1 << 20);
    for alg in [Algorithm::HS256, Algorithm::ES256] {
        let (private, public) = keys(alg);
        let encoder = Encoder::new(tessera::signer(&private, alg).unwrap()).kid(KID);
        let verifier = tessera::verifier(&public, alg).unwrap();
        let mut group = c.benchmark_group(format!("scaling/payload/{alg}"));
        for (label, size) in [
            ("256B", 256),
            ("1KiB", 1024),
            ("4KiB", 4096),
            ("16KiB", 16 * 1024),
            ("64KiB", 64 * 1024),
        ] {
            let pad = padding(size);
            let claims = padded(&pad);
            let json_len = serde_json::to_vec(&claims).unwrap().len();
            let token = encoder.encode(&claims).unwrap();
            group.throughput(Throughput::Bytes(json_len as u64));
            group.bench_function(BenchmarkId::new("verify", label), |b| {
                b.iter(|| {
                    let v = tessera::verify(black_box(&token), &verifier, &validation).unwrap();
                    let c: PaddedClaims<'_> = v.claims().unwrap();
                    black_box(c.pad.len())
                });
            });
        }
        group.finish();
    }
}

/// Verifies every token, returning how many passed.
fn verify_all(tokens: &[String], verifier: &dyn Verifier, validation: &Validation) -> usize {
    tokens
        .iter()
        .filter(|t| {
            tessera::verify(t, verifier, validation)
                .and_then(|v| v.claims::<BenchClaims<'_>>().map(|c| black_box(c).exp > 0))
                .unwrap_or(false)
        })
        .count()
}

/// `n` distinct tokens (the `jti` differs) from one signer.
fn distinct_tokens(alg: Algorithm, private: &Jwk, n: usize) -> Vec<String> {
    let encoder = Encoder::new(tessera::signer(private, alg).unwrap()).kid(KID);
    let jtis: Vec<String> = (0..n).map(|i| format!("01J9ZK3V8Q{i:06}")).collect();
    jtis.iter()
        .map(|jti| {
            let mut claims = BenchClaims::standard();
            claims.jti = jti;
            encoder.encode(&claims).unwrap()
        })
        .collect()
}

fn threads(c: &mut Criterion) {
    let validation = measure::validation();
    for (alg, n) in [(Algorithm::HS256, 2048), (Algorithm::ES256, 256)] {
        let (private, public) = keys(alg);
        let verifier = tessera::verifier(&public, alg).unwrap();
        let tokens = distinct_tokens(alg, &private, n);
        assert_eq!(verify_all(&tokens, &verifier, &validation), n);
        let mut group = c.benchmark_group(format!("scaling/threads/{alg}"));
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(BenchmarkId::new("threads", 1), |b| {
            b.iter(|| verify_all(black_box(&tokens), &verifier, &validation));
        });
        group.bench_function(BenchmarkId::new("threads", 2), |b| {
            b.iter(|| {
                let (left, right) = tokens.split_at(n / 2);
                std::thread::scope(|s| {
                    let other = s.spawn(|| verify_all(black_box(right), &verifier, &validation));
                    let mine = verify_all(black_box(left), &verifier, &validation);
                    mine + other.join().unwrap()
                })
            });
        });
        group.finish();
    }
}

fn ed25519_batch(c: &mut Criterion) {
    let validation = measure::validation();
    let (private, public) = keys(Algorithm::EdDSA);
    let verifier =
        tessera::tessera_ed25519::Ed25519Verifier::from_jwk(&public, Algorithm::EdDSA).unwrap();
    let all = distinct_tokens(Algorithm::EdDSA, &private, 256);
    let mut group = c.benchmark_group("scaling/ed25519-batch");
    for n in [1, 4, 16, 64, 256] {
        let tokens: Vec<&str> = all[..n].iter().map(String::as_str).collect();
        let results = tessera::verify_batch(&tokens, &verifier, &validation);
        assert!(results.iter().all(Result::is_ok));
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(BenchmarkId::new("one-by-one", n), |b| {
            b.iter(|| {
                tokens
                    .iter()
                    .filter(|t| tessera::verify(black_box(t), &verifier, &validation).is_ok())
                    .count()
            });
        });
        group.bench_function(BenchmarkId::new("batch", n), |b| {
            b.iter(|| {
                let results = tessera::verify_batch(black_box(&tokens), &verifier, &validation);
                results.into_iter().filter(Result::is_ok).count()
            });
        });
    }
    group.finish();
}

/// Full mode: 1 s warm-up, 30 samples over 3 s, HTML plots. `--quick` measures only two samples,
/// which plots cannot show anything useful about, and drawing them takes seconds per function:
/// quick runs skip the plots.
fn config() -> Criterion {
    let c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30);
    if std::env::args().any(|a| a == "--quick") {
        c.without_plots()
    } else {
        c
    }
}

criterion_group! {
    name = benches;
    config = config();
    targets = payload, threads, ed25519_batch
}
criterion_main!(benches);
