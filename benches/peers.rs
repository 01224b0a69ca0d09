//! tessera next to other Rust JWT libraries: the same claims, the same keys, one group per algorithm.
//!
//! Claims: [`tessera_conformance::measure::BenchClaims`] (253 bytes of JSON, header `alg`, `typ`,
//! `kid`); keys: the conformance fixtures (RSA 2048). Each library signs the claims and verifies
//! its own token into typed claims with the same checks (signature, `exp`, `nbf`, `iss`, `aud`,
//! system clock). One criterion group per algorithm, `peers/<ALG>`, so ratios are read within one
//! run:
//!
//! | function | library |
//! |----------|---------|
//! | `sign/<backend> (default)`, `verify/<backend> (default)` | tessera on `tessera::default_backend(alg)`; verify deserializes borrowed claims |
//! | `verify-owned/<backend> (default)` | the same, into owned claims (`String`s, `Vec`), as the peers must |
//! | `sign/<backend> (fastest)`, `verify/<backend> (fastest)` | tessera on the fastest compiled-in backend for that operation, picked by a 40 ms pre-measurement per backend (omitted when it is the default) |
//! | `sign/jsonwebtoken (rust_crypto)`, `verify/…` | jsonwebtoken 12, RustCrypto provider |
//! | `sign/jsonwebtoken (aws_lc_rs)`, `verify/…` | jsonwebtoken 12, aws-lc-rs provider |
//! | `sign/jwt-simple`, `verify/jwt-simple` | jwt-simple 0.15, `pure-rust` |
//! | `sign/jwt-compact`, `verify/jwt-compact` | jwt-compact 0.9.0-beta.1, pure-Rust features |
//!
//! Both jsonwebtoken providers live in this one binary: jsonwebtoken reads its provider from a
//! process-wide default on every `encode`/`decode`, and the provider is a struct of function
//! pointers, so the bench installs one that forwards to either built-in provider per thread (see
//! `crates/tessera-conformance/src/measure/peers.rs`, shared with the measurement engine).
//!
//! - Short mode: `cargo bench --bench peers -- --quick` (a few minutes); one algorithm:
//!   `cargo bench --bench peers -- --quick 'peers/HS256/'`.
//! - Full mode: `cargo bench --bench peers` (1 s warm-up, 30 samples over 3 s per function).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    reason = "benchmark harness: a setup failure should stop the run loudly"
)]

#[allow(
    dead_code,
    unreachable_pub,
    reason = "shared with the measurement engine, which uses more of it"
)]
#[path = "../crates/tessera-conformance/src/measure/peers.rs"]
mod peers;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use tessera::codec::Family;
use tessera::{Algorithm, Backend, Encoder, Jwk, Signer, Verifier};
use tessera_conformance::fixtures;
// `peers.rs` names the benchmark constants as `crate::measure::…`.
use tessera_conformance::measure::{self, BenchClaims, Budget, KID, OwnedClaims};

struct Tessera {
    backend: &'static dyn Backend,
    encoder: Encoder<Box<dyn Signer>>,
    verifier: Box<dyn Verifier>,
    token: String,
}

fn tessera_on(backend: &'static dyn Backend, alg: Algorithm, private: &Jwk) -> Tessera {
    let public = match alg.family() {
        Family::Hmac => private.clone(),
        _ => backend.public_key(private).unwrap(),
    };
    let encoder = Encoder::new(backend.signer(private, alg).unwrap()).kid(KID);
    let verifier = backend.verifier(&public, alg).unwrap();
    let token = encoder.encode(&BenchClaims::standard()).unwrap();
    Tessera {
        backend,
        encoder,
        verifier,
        token,
    }
}

impl Tessera {
    fn sign(&self) -> String {
        self.encoder
            .encode(black_box(&BenchClaims::standard()))
            .unwrap()
    }

    fn verify(&self, validation: &tessera::Validation) -> usize {
        let verified = tessera::verify(black_box(&self.token), &self.verifier, validation).unwrap();
        let claims: BenchClaims<'_> = verified.claims().unwrap();
        black_box(claims.name.len())
    }
}

/// The index of the fastest of `all` for an operation, by a short pre-measurement.
fn fastest(all: &[Tessera], op: impl Fn(&Tessera) -> usize) -> usize {
    let budget = Budget::new(Duration::from_millis(40));
    let mut best = (0, f64::INFINITY);
    for (i, t) in all.iter().enumerate() {
        let stats = measure::sample(budget, || {
            black_box(op(t));
            Ok::<(), ()>(())
        })
        .unwrap();
        if stats.median_ns < best.1 {
            best = (i, stats.median_ns);
        }
    }
    best.0
}

fn peers(c: &mut Criterion) {
    let validation = measure::validation();
    for alg in Algorithm::ALL {
        let Some(default) = tessera::default_backend(alg) else {
            continue;
        };
        let private = fixtures::private_key(alg).unwrap();
        let all: Vec<Tessera> = tessera_conformance::backends()
            .into_iter()
            .filter(|b| b.supports(alg))
            .map(|b| tessera_on(b, alg, &private))
            .collect();
        let default_ix = all
            .iter()
            .position(|t| t.backend.name() == default.name())
            .unwrap();
        let fastest_verify = fastest(&all, |t| t.verify(&validation));
        let fastest_sign = fastest(&all, |t| t.sign().len());
        let label = |i: usize, fastest: usize| {
            let name = all[i].backend.name();
            match (i == default_ix, i == fastest) {
                (true, true) => format!("{name} (default, fastest)"),
                (true, false) => format!("{name} (default)"),
                _ => format!("{name} (fastest)"),
            }
        };
        let public = match alg.family() {
            Family::Hmac => private.clone(),
            _ => default.public_key(&private).unwrap(),
        };
        let peers: Vec<peers::Peer> = peers::peers(alg, &private, &public)
            .into_iter()
            .map(Result::unwrap)
            .collect();

        let mut group = c.benchmark_group(format!("peers/{alg}"));
        let with_fastest = |fastest: usize| {
            if fastest == default_ix {
                vec![default_ix]
            } else {
                vec![default_ix, fastest]
            }
        };
        for i in with_fastest(fastest_sign) {
            let t = &all[i];
            group.bench_function(BenchmarkId::new("sign", label(i, fastest_sign)), |b| {
                b.iter(|| t.sign());
            });
        }
        for peer in &peers {
            group.bench_function(BenchmarkId::new("sign", peer.library), |b| {
                b.iter(|| peer.sign().unwrap());
            });
        }
        for i in with_fastest(fastest_verify) {
            let t = &all[i];
            group.bench_function(BenchmarkId::new("verify", label(i, fastest_verify)), |b| {
                b.iter(|| t.verify(&validation));
            });
        }
        let t = &all[default_ix];
        group.bench_function(
            BenchmarkId::new("verify-owned", format!("{} (default)", t.backend.name())),
            |b| {
                b.iter(|| {
                    let claims: OwnedClaims =
                        tessera::decode(black_box(&t.token), &t.verifier, &validation).unwrap();
                    black_box(claims.name.len())
                });
            },
        );
        for peer in &peers {
            let token = peer.sign().unwrap();
            peer.verify(&token).unwrap();
            group.bench_function(BenchmarkId::new("verify", peer.library), |b| {
                b.iter(|| peer.verify(black_box(&token)).unwrap());
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
    targets = peers
}
criterion_main!(benches);
