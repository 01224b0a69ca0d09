//! The cost of verifying through a warm [`RemoteJwks`] cache against a static key set, EdDSA.
//!
//! `cargo bench -p tessera-jwks --bench cache -- --quick`. Groups: the codec's `VerifierSet`
//! (static, one key per `kid`), `JwksVerifiers` (the facade's set: candidates by `kid` and `alg`,
//! tried in order), `RemoteJwks::verify_cached` (the same behind the cache's lock and clock) and
//! `RemoteJwks::verify` on a current-thread runtime (`block_on` included).
//!
//! Instruction counts (deterministic, for the shared machine): with `TESSERA_CACHE_LOOP=<case>:<n>`
//! the binary runs `n` verifies of one case (`static`: the codec's `VerifierSet`; `facade`:
//! `JwksVerifiers`; `cached`: `RemoteJwks::verify_cached`; `remote`: `RemoteJwks::verify` with
//! `block_on`) and exits without criterion, e.g.
//! `TESSERA_CACHE_LOOP=cached:2000 valgrind --tool=callgrind target/release/deps/cache-…`; one
//! verify costs the difference of two such counts divided by the difference of their `n` (that
//! removes the setup: key generation, the loopback server, the first fetch).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests and benches fail loudly on purpose"
)]

use axum::Router;
use axum::routing::get;
use criterion::Criterion;
use std::hint::black_box;
use tessera::{Algorithm, Encoder, Jwk, JwkSet, Validation, VerifierSet};
use tessera_jwks::{JwksConfig, KeyChoice, RemoteJwks, verifier_set_from_jwks};

/// The token, the key set in its three forms, and the runtime the remote one needs.
struct Setup {
    token: String,
    rules: Validation,
    codec_set: VerifierSet,
    facade_set: tessera::JwksVerifiers,
    jwks: RemoteJwks,
    rt: tokio::runtime::Runtime,
}

/// The Ed25519 key of RFC 8037 Appendix A.1: a fixed key (and so a fixed signature), so that
/// instruction counts compare across runs.
const PRIVATE: &str = r#"{"kty":"OKP","crv":"Ed25519","kid":"k1",
    "d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
    "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;

fn setup() -> Setup {
    let private = Jwk::from_json(PRIVATE.as_bytes()).unwrap();
    let mut public = tessera::default_backend(Algorithm::EdDSA)
        .unwrap()
        .public_key(&private)
        .unwrap();
    public.kid = Some("k1".into());
    let token = Encoder::new(tessera::signer(&private, Algorithm::EdDSA).unwrap())
        .kid("k1")
        .encode(&serde_json::json!({ "sub": "alice", "exp": 4_000_000_000_i64 }))
        .unwrap();
    let set = JwkSet {
        keys: vec![public.clone()],
        skipped: 0,
    };

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
    let mut codec_set = VerifierSet::new();
    codec_set
        .insert(tessera::verifier(&public, Algorithm::EdDSA).unwrap())
        .unwrap();
    let (facade_set, _) = verifier_set_from_jwks(&set, &KeyChoice::new());
    Setup {
        token,
        rules: Validation::new(),
        codec_set,
        facade_set,
        jwks,
        rt,
    }
}

impl Setup {
    fn verify_static(&self) {
        black_box(self.codec_set.verify(black_box(&self.token), &self.rules)).unwrap();
    }
    fn verify_facade(&self) {
        black_box(self.facade_set.verify(black_box(&self.token), &self.rules)).unwrap();
    }
    fn verify_cached(&self) {
        black_box(self.jwks.verify_cached(black_box(&self.token), &self.rules)).unwrap();
    }
    fn verify_remote(&self) {
        let verified = self
            .rt
            .block_on(self.jwks.verify(black_box(&self.token), &self.rules));
        black_box(verified).unwrap();
    }
}

fn bench(c: &mut Criterion, s: &Setup) {
    let mut g = c.benchmark_group("verify EdDSA");
    g.bench_function("VerifierSet (static)", |b| b.iter(|| s.verify_static()));
    g.bench_function("JwksVerifiers (static)", |b| b.iter(|| s.verify_facade()));
    g.bench_function("RemoteJwks::verify_cached (cache hit)", |b| {
        b.iter(|| s.verify_cached())
    });
    g.bench_function("RemoteJwks::verify (cache hit, block_on)", |b| {
        b.iter(|| s.verify_remote())
    });
    g.finish();
}

/// `TESSERA_CACHE_LOOP=<case>:<n>`: `n` verifies of one case, for callgrind.
fn run_loop(s: &Setup, spec: &str) {
    let (case, n) = spec.split_once(':').expect("TESSERA_CACHE_LOOP=<case>:<n>");
    let n: u64 = n.parse().expect("a count");
    let one: fn(&Setup) = match case {
        "static" => Setup::verify_static,
        "facade" => Setup::verify_facade,
        "cached" => Setup::verify_cached,
        "remote" => Setup::verify_remote,
        other => panic!("unknown case {other}"),
    };
    for _ in 0..n {
        one(s);
    }
}

fn main() {
    let s = setup();
    if let Ok(spec) = std::env::var("TESSERA_CACHE_LOOP") {
        run_loop(&s, &spec);
    } else {
        let mut c = Criterion::default().configure_from_args();
        bench(&mut c, &s);
        c.final_summary();
    }
    // Every verify was a cache hit: the set was fetched once, in the setup.
    assert_eq!(s.jwks.stats().fetches, 1);
}
