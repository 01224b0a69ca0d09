//! The cost of verifying through a warm [`RemoteJwks`] cache against a static key set, EdDSA.
//!
//! `cargo bench -p tessera-jwks --bench cache -- --quick`. Groups: the codec's `VerifierSet`
//! (static, one key per `kid`), `JwksVerifiers` (the facade's set: candidates by `kid` and `alg`,
//! tried in order), `RemoteJwks::verify_cached` (the same behind the cache's lock and clock) and
//! `RemoteJwks::verify` on a current-thread runtime (`block_on` included).
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests and benches fail loudly on purpose"
)]

use axum::Router;
use axum::routing::get;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use tessera::{Algorithm, Encoder, JwkSet, KeySpec, Validation, VerifierSet};
use tessera_jwks::{JwksConfig, KeyChoice, RemoteJwks, verifier_set_from_jwks};

fn bench(c: &mut Criterion) {
    let mut private = tessera::generate(KeySpec::new(Algorithm::EdDSA)).unwrap();
    private.kid = Some("k1".into());
    let mut public = tessera::default_backend(Algorithm::EdDSA)
        .unwrap()
        .public_key(&private)
        .unwrap();
    public.kid = Some("k1".into());
    let token = Encoder::new(tessera::signer(&private, Algorithm::EdDSA).unwrap())
        .kid(Some("k1"))
        .encode(&serde_json::json!({ "sub": "alice", "exp": 4_000_000_000_i64 }))
        .unwrap();
    let set = JwkSet {
        keys: vec![public.clone()],
        skipped: 0,
    };
    let rules = Validation::new();

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let body = set.to_json();
    let jwks = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/jwks", listener.local_addr().unwrap());
        let app = Router::new().route("/jwks", get(move || async move { body }));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let jwks = RemoteJwks::new(&url, JwksConfig::new().allow_http(true)).unwrap();
        jwks.refresh().await.unwrap();
        jwks
    });

    let mut g = c.benchmark_group("verify EdDSA");
    let mut codec_set = VerifierSet::new();
    let _ = codec_set.insert(tessera::verifier(&public, Algorithm::EdDSA).unwrap());
    g.bench_function("VerifierSet (static)", |b| {
        b.iter(|| codec_set.verify(black_box(&token), &rules).unwrap())
    });
    let (facade_set, _) = verifier_set_from_jwks(&set, &KeyChoice::new());
    g.bench_function("JwksVerifiers (static)", |b| {
        b.iter(|| facade_set.verify(black_box(&token), &rules).unwrap())
    });
    g.bench_function("RemoteJwks::verify_cached (cache hit)", |b| {
        b.iter(|| jwks.verify_cached(black_box(&token), &rules).unwrap())
    });
    g.bench_function("RemoteJwks::verify (cache hit, block_on)", |b| {
        b.iter(|| rt.block_on(jwks.verify(black_box(&token), &rules)).unwrap())
    });
    g.finish();
    assert_eq!(jwks.stats().fetches, 1);
}

criterion_group!(benches, bench);
criterion_main!(benches);
