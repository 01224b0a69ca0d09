//! The codec's own cost per verify, isolated from the cryptography.
//!
//! The token is the comparison token of `tessera compare` for HS256: header `alg`, `typ`, `kid`,
//! claims [`BenchClaims::standard`] (253 bytes of JSON), 445 bytes in all, signed with the HS256
//! fixture key. One criterion group, `codec/HS256`:
//!
//! | function | what one iteration does |
//! |----------|-------------------------|
//! | `verify/warm` | `tessera::verify` + `Verified::claims` into borrowed [`BenchClaims`], with a verifier whose MAC costs nothing ([`NullMac`]); the same token every time, so the header cache hits |
//! | `verify/cold` | the same, alternating two tokens whose headers differ (in `kid`), so the header is checked every time |
//! | `verify_into/warm`, `verify_into/cold` | `tessera::verify_into` into a reused buffer, warm and cold as above |
//! | `claims-serde` | `serde_json::from_slice` of the payload into [`BenchClaims`]: the deserialization every caller pays |
//! | `b64-payload` | strict base64url decoding of the payload segment into a reused buffer |
//! | `verify-64KiB/warm`, `verify_into-64KiB/warm` | the same claims plus a `pad` claim that brings the payload JSON to 64 KiB, read into a type that borrows `exp` and `pad` (the cost should grow linearly with the payload) |
//! | `hs256/verify` | `tessera::verify` + `claims()` with the real HS256 verifier of the default backend (warm) |
//! | `hs256/verify_into` | `tessera::verify_into` with the real HS256 verifier (warm) |
//! | `hs256/floor` | `Verifier::verify` of the same signing input and signature: the raw HMAC |
//!
//! `verify/*` is the codec's cost per verify (the null MAC compares one length); `hs256/verify`
//! over `hs256/floor` is the ratio the issue's target speaks of.
//!
//! - `cargo bench --bench codec` (1 s warm-up, 50 samples over 3 s per function, about a minute);
//!   `cargo bench --bench codec -- --save-baseline NAME` and `-- --baseline NAME` to compare.
//! - Instruction counts (deterministic, for the shared machine): with `TESSERA_CODEC_LOOP=<case>:<n>`
//!   the binary runs `n` iterations of one case (`warm`, `cold`, `into-warm`, `into-cold`,
//!   `64k`, `into-64k`, `hs256`, `hs256-into`, `floor`) and exits without criterion, e.g.
//!   `TESSERA_CODEC_LOOP=warm:100000 valgrind --tool=callgrind target/release/deps/codec-…`;
//!   the cost of one verify is the difference of two such counts divided by the difference of
//!   their `n` (that removes the setup).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    reason = "benchmark harness: a setup failure should stop the run loudly"
)]

use criterion::Criterion;
use serde::Deserialize;
use std::hint::black_box;
use std::time::Duration;
use tessera::{Algorithm, Encoder, SignatureError, Validation, Verifier};
use tessera_conformance::fixtures;
use tessera_conformance::measure::{self, BenchClaims, KID};

/// A verifier whose "MAC" costs nothing: it accepts any signature of HS256's length.
/// Bench-only; it makes the codec's work the whole of a verify.
#[derive(Debug)]
struct NullMac;

impl Verifier for NullMac {
    fn algorithm(&self) -> Algorithm {
        Algorithm::HS256
    }
    fn key_id(&self) -> Option<&str> {
        Some(KID)
    }
    fn signature_len(&self) -> usize {
        32
    }
    fn verify(&self, _input: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        if signature.len() == 32 {
            Ok(())
        } else {
            Err(SignatureError::Invalid)
        }
    }
}

/// Everything the cases need, made once.
struct Setup {
    /// The 445-byte token, and one whose header differs only in `kid` (same length).
    tokens: [String; 2],
    validation: Validation,
    hmac: Box<dyn Verifier>,
    input_len: usize,
    signature: Vec<u8>,
    payload_b64: String,
    /// A token whose payload JSON is 64 KiB (the claims plus `pad`).
    big: String,
}

/// What is read of the 64 KiB payload.
#[derive(Deserialize)]
struct Padded<'a> {
    exp: i64,
    pad: &'a str,
}

const BIG_PAYLOAD: usize = 64 * 1024;

fn setup() -> Setup {
    let key = fixtures::private_key(Algorithm::HS256).unwrap();
    let backend = tessera::default_backend(Algorithm::HS256).unwrap();
    let signer = || backend.signer(&key, Algorithm::HS256).unwrap();
    let claims = BenchClaims::standard();
    let a = Encoder::new(signer()).kid(KID).encode(&claims).unwrap();
    let other_kid: String = KID.chars().rev().collect();
    let b = Encoder::new(signer())
        .kid(&other_kid)
        .encode(&claims)
        .unwrap();
    assert_eq!(a.len(), 445, "the comparison token's shape changed");
    assert_eq!(a.len(), b.len());
    let mut padded = serde_json::to_value(claims).unwrap();
    let base = serde_json::to_string(&padded).unwrap().len();
    padded["pad"] = "x".repeat(BIG_PAYLOAD - base - r#","pad":"""#.len()).into();
    assert_eq!(serde_json::to_string(&padded).unwrap().len(), BIG_PAYLOAD);
    let big = Encoder::new(signer()).kid(KID).encode(&padded).unwrap();
    let (input, sig) = a.rsplit_once('.').unwrap();
    let payload_b64 = input.split('.').nth(1).unwrap().to_owned();
    Setup {
        input_len: input.len(),
        signature: tessera::codec::b64::decode(sig.as_bytes()).unwrap(),
        tokens: [a, b],
        validation: measure::validation(),
        hmac: backend.verifier(&key, Algorithm::HS256).unwrap(),
        payload_b64,
        big,
    }
}

/// One iteration of each case; `i` picks the token for the cold cases.
impl Setup {
    fn verify(&self, token: &str, verifier: &dyn Verifier) {
        let verified = tessera::verify(black_box(token), verifier, &self.validation).unwrap();
        let claims: BenchClaims<'_> = verified.claims().unwrap();
        black_box(claims.name.len());
    }

    fn verify_into(&self, token: &str, buf: &mut Vec<u8>) {
        self.verify_into_with(token, &NullMac, buf);
    }

    fn verify_into_with(&self, token: &str, verifier: &dyn Verifier, buf: &mut Vec<u8>) {
        let claims: BenchClaims<'_> =
            tessera::verify_into(black_box(token), verifier, &self.validation, buf).unwrap();
        black_box(claims.name.len());
    }

    fn verify_big(&self) {
        let verified = tessera::verify(black_box(&self.big), &NullMac, &self.validation).unwrap();
        let claims: Padded<'_> = verified.claims().unwrap();
        black_box((claims.exp, claims.pad.len()));
    }

    fn verify_into_big(&self, buf: &mut Vec<u8>) {
        let claims: Padded<'_> =
            tessera::verify_into(black_box(&self.big), &NullMac, &self.validation, buf).unwrap();
        black_box((claims.exp, claims.pad.len()));
    }

    fn floor(&self) {
        let input = &self.tokens[0].as_bytes()[..self.input_len];
        self.hmac
            .verify(black_box(input), black_box(&self.signature))
            .unwrap();
    }
}

fn codec(c: &mut Criterion) {
    let s = setup();
    let mut group = c.benchmark_group("codec/HS256");
    group.bench_function("verify/warm", |b| {
        b.iter(|| s.verify(&s.tokens[0], &NullMac));
    });
    group.bench_function("verify/cold", |b| {
        let mut i = 0;
        b.iter(|| {
            i ^= 1;
            s.verify(&s.tokens[i], &NullMac);
        });
    });
    group.bench_function("verify_into/warm", |b| {
        let mut buf = Vec::with_capacity(1024);
        b.iter(|| s.verify_into(&s.tokens[0], &mut buf));
    });
    group.bench_function("verify_into/cold", |b| {
        let mut buf = Vec::with_capacity(1024);
        let mut i = 0;
        b.iter(|| {
            i ^= 1;
            s.verify_into(&s.tokens[i], &mut buf);
        });
    });
    group.bench_function("verify-64KiB/warm", |b| b.iter(|| s.verify_big()));
    group.bench_function("verify_into-64KiB/warm", |b| {
        let mut buf = Vec::with_capacity(BIG_PAYLOAD);
        b.iter(|| s.verify_into_big(&mut buf));
    });
    let payload = tessera::codec::b64::decode(s.payload_b64.as_bytes()).unwrap();
    group.bench_function("claims-serde", |b| {
        b.iter(|| {
            let claims: BenchClaims<'_> = serde_json::from_slice(black_box(&payload)).unwrap();
            black_box(claims.name.len());
        });
    });
    group.bench_function("b64-payload", |b| {
        let mut buf = Vec::with_capacity(1024);
        b.iter(|| {
            buf.clear();
            tessera::codec::b64::decode_to(black_box(s.payload_b64.as_bytes()), &mut buf).unwrap();
            black_box(buf.len());
        });
    });
    group.bench_function("hs256/verify", |b| {
        b.iter(|| s.verify(&s.tokens[0], &*s.hmac));
    });
    group.bench_function("hs256/verify_into", |b| {
        let mut buf = Vec::with_capacity(1024);
        b.iter(|| s.verify_into_with(&s.tokens[0], &*s.hmac, &mut buf));
    });
    group.bench_function("hs256/floor", |b| b.iter(|| s.floor()));
    group.finish();
}

/// `TESSERA_CODEC_LOOP=<case>:<n>`: `n` iterations of one case, for callgrind.
fn run_loop(spec: &str) {
    let (case, n) = spec.split_once(':').expect("TESSERA_CODEC_LOOP=<case>:<n>");
    let n: u64 = n.parse().expect("a count");
    let s = setup();
    let mut buf = Vec::with_capacity(1024);
    for k in 0..n {
        let token = &s.tokens[(k & 1) as usize];
        match case {
            "warm" => s.verify(&s.tokens[0], &NullMac),
            "cold" => s.verify(token, &NullMac),
            "into-warm" => s.verify_into(&s.tokens[0], &mut buf),
            "into-cold" => s.verify_into(token, &mut buf),
            "64k" => s.verify_big(),
            "into-64k" => s.verify_into_big(&mut buf),
            "hs256" => s.verify(&s.tokens[0], &*s.hmac),
            "hs256-into" => s.verify_into_with(&s.tokens[0], &*s.hmac, &mut buf),
            "floor" => s.floor(),
            other => panic!("unknown case {other}"),
        }
    }
}

fn main() {
    if let Ok(spec) = std::env::var("TESSERA_CODEC_LOOP") {
        run_loop(&spec);
        return;
    }
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
        .without_plots()
        .configure_from_args();
    codec(&mut c);
    c.final_summary();
}
