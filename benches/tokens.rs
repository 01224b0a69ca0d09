//! Sign and verify one realistic token on every backend and algorithm, next to the floor.
//!
//! The token: header `alg`, `typ`, `kid`; claims `iss`, `sub`, `aud`, `exp`, `nbf`, `iat`, `jti`,
//! a `roles` array and a 60-character `name` (253 bytes of JSON:
//! [`tessera_conformance::measure::BenchClaims`]). Keys are the conformance fixtures (RSA 2048).
//! For every compiled-in backend (`tessera::backends()`) and algorithm it implements, one
//! criterion group per algorithm, `tokens/<ALG>`, with these functions (`<op>/<backend>`):
//!
//! | function | what one iteration does |
//! |----------|-------------------------|
//! | `sign/<backend>` | `Encoder::encode`: claims to compact token |
//! | `sign-floor/<backend>` | `Signer::sign` of the same signing input with the same prepared key |
//! | `verify_into/<backend>` | `tessera::verify_into` into claims borrowing from a reused buffer |
//! | `verify/<backend>` | `tessera::verify` + `Verified::claims` into borrowed claims |
//! | `verify-floor/<backend>` | `Verifier::verify` of the same signing input and signature |
//!
//! Ratios within one run: `verify/<b>` over `verify-floor/<b>` is the codec's cost on top of the
//! primitive (base64, JSON scan, claims checks, typed deserialization).
//!
//! - Short mode: `cargo bench --bench tokens -- --quick` (criterion's quick mode: each function
//!   runs until two consecutive estimates agree within 5 %, at least 100 ms; about 2–4 minutes
//!   for every backend with analysis). Narrow it with a filter, e.g.
//!   `cargo bench --bench tokens -- --quick 'tokens/HS256/'` or `… 'verify/tessera-hmac'`.
//! - Full mode: `cargo bench --bench tokens` (1 s warm-up, 30 samples over 3 s per function, HTML
//!   reports under `target/criterion/`; about 20 minutes for every backend).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    reason = "benchmark harness: a setup failure should stop the run loudly"
)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use tessera::codec::Family;
use tessera::{Algorithm, Backend, Encoder, Jwk, Signer, Verifier};
use tessera_conformance::fixtures;
use tessera_conformance::measure::{self, BenchClaims, KID};

/// One backend and algorithm, ready: the encoder, the verifier, a token and its parts.
struct Case {
    backend: &'static dyn Backend,
    encoder: Encoder<Box<dyn Signer>>,
    verifier: Box<dyn Verifier>,
    token: String,
    input_len: usize,
    signature: Vec<u8>,
}

fn case(backend: &'static dyn Backend, alg: Algorithm, private: &Jwk) -> Case {
    let public = match alg.family() {
        Family::Hmac => private.clone(),
        _ => backend.public_key(private).unwrap(),
    };
    let encoder = Encoder::new(backend.signer(private, alg).unwrap()).kid(KID);
    let verifier = backend.verifier(&public, alg).unwrap();
    let token = encoder.encode(&BenchClaims::standard()).unwrap();
    let (input, sig) = token.rsplit_once('.').unwrap();
    let input_len = input.len();
    let signature = tessera::codec::b64::decode(sig.as_bytes()).unwrap();
    Case {
        backend,
        encoder,
        verifier,
        token,
        input_len,
        signature,
    }
}

fn tokens(c: &mut Criterion) {
    let validation = measure::validation();
    let backends = tessera_conformance::backends();
    for alg in Algorithm::ALL {
        let private = fixtures::private_key(alg).unwrap();
        let cases: Vec<Case> = backends
            .iter()
            .filter(|b| b.supports(alg))
            .map(|&b| case(b, alg, &private))
            .collect();
        if cases.is_empty() {
            continue;
        }
        let mut group = c.benchmark_group(format!("tokens/{alg}"));
        for case in &cases {
            let name = case.backend.name();
            let input = &case.token.as_bytes()[..case.input_len];
            group.bench_function(BenchmarkId::new("sign", name), |b| {
                b.iter(|| {
                    case.encoder
                        .encode(black_box(&BenchClaims::standard()))
                        .unwrap()
                });
            });
            group.bench_function(BenchmarkId::new("sign-floor", name), |b| {
                let mut out = Vec::with_capacity(1024);
                b.iter(|| {
                    out.clear();
                    case.encoder
                        .signer()
                        .sign(black_box(input), &mut out)
                        .unwrap();
                });
            });
            group.bench_function(BenchmarkId::new("verify_into", name), |b| {
                let mut buf = Vec::with_capacity(1024);
                b.iter(|| {
                    let claims: BenchClaims<'_> = tessera::verify_into(
                        black_box(&case.token),
                        &case.verifier,
                        &validation,
                        &mut buf,
                    )
                    .unwrap();
                    black_box(claims.name.len())
                });
            });
            group.bench_function(BenchmarkId::new("verify", name), |b| {
                b.iter(|| {
                    let verified =
                        tessera::verify(black_box(&case.token), &case.verifier, &validation)
                            .unwrap();
                    let claims: BenchClaims<'_> = verified.claims().unwrap();
                    black_box(claims.name.len())
                });
            });
            group.bench_function(BenchmarkId::new("verify-floor", name), |b| {
                b.iter(|| {
                    case.verifier
                        .verify(black_box(input), black_box(&case.signature))
                        .unwrap();
                });
            });
        }
        group.finish();
    }
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
    targets = tokens
}
criterion_main!(benches);
