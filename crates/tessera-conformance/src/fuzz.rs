//! The bodies of the cargo-fuzz targets in `fuzz/`, kept here so that a stable test can replay
//! every corpus file through exactly the same code without a nightly toolchain.
//!
//! Each function takes arbitrary bytes and must return without panicking, hanging or
//! allocating without bound; a panic is a bug.

use crate::fixtures::{Fixture, NOW};
use std::sync::OnceLock;
use tessera::{Clock, Encoder, Jwk, JwkSet, Validation, unverified};

/// A fuzz target's body.
pub type Target = fn(&[u8]);

/// The fuzz targets by name, for the corpus replay test.
pub const TARGETS: &[(&str, Target)] = &[
    ("compact_decode", compact_decode),
    ("header_claims", header_claims),
    ("jwk", jwk),
    ("key_import", key_import),
    ("verify", verify),
    ("roundtrip", roundtrip),
];

fn fixtures() -> &'static [Fixture] {
    static F: OnceLock<Vec<Fixture>> = OnceLock::new();
    F.get_or_init(|| {
        Fixture::all(&crate::backends())
            .into_iter()
            .flatten()
            .collect()
    })
}

fn rules() -> Validation {
    Validation::new().clock(Clock::Fixed(NOW)).any_audience()
}

/// Compact decoding of arbitrary text, unverified and verified.
pub fn compact_decode(data: &[u8]) {
    let token = String::from_utf8_lossy(data);
    if let Ok(t) = unverified::decode_without_verifying(&token, 1 << 20) {
        let _ = t.claims_unverified();
    }
    if let Some(f) = fixtures().first() {
        let _ = f.check_with(&token, &rules());
    }
}

/// Header and claims parsing: the input becomes both JSON segments of a correctly signed token,
/// so the strict JSON check and the claims rules see it after the signature passes.
pub fn header_claims(data: &[u8]) {
    let Some(f) = fixtures().first() else { return };
    let (header, payload) = data.split_at(data.len() / 2);
    for (h, p) in [(header, payload), (data, data)] {
        let token = f.token_bytes(h, p);
        let _ = f.check_with(&token, &rules());
        let _ = tessera::verify_jws(&token, &f.verifier, &rules());
    }
    let header_ok = format!(r#"{{"alg":"{}"}}"#, f.alg);
    let _ = f.check_with(&f.token_bytes(header_ok.as_bytes(), data), &rules());
}

/// JWK and JWK Set parsing, and every backend building keys from what parsed.
pub fn jwk(data: &[u8]) {
    if let Ok(k) = Jwk::from_json(data) {
        use_key(&k);
        let _ = k.to_json();
        let _ = k.thumbprint_input();
    }
    if let Ok(set) = JwkSet::from_json(data) {
        set.keys.iter().for_each(use_key);
    }
}

/// PEM and DER key import in every format the codec reads.
pub fn key_import(data: &[u8]) {
    let pem = String::from_utf8_lossy(data);
    let parsed = [
        Jwk::from_pem(&pem),
        Jwk::from_spki_der(data),
        Jwk::from_pkcs8_der(data),
        Jwk::from_pkcs1_public_der(data),
        Jwk::from_pkcs1_private_der(data),
        Jwk::from_sec1_der(data),
    ];
    for k in parsed.iter().flatten() {
        use_key(k);
        let _ = k.to_spki_der();
        let _ = k.to_pkcs8_der();
    }
}

/// Every backend builds signers and verifiers from `key` for every algorithm it supports,
/// signing and verifying a little when it can. Errors are fine; panics are not.
fn use_key(key: &Jwk) {
    // Large RSA moduli make every operation slow; the backends bound them, the fuzzer need not wait.
    for b in crate::backends() {
        let _ = b.public_key(key);
        for &alg in b.algorithms() {
            if let Ok(v) = b.verifier(key, alg) {
                let _ = v.verify(b"a.b", &vec![0u8; v.signature_len()]);
            }
            if let Ok(s) = b.signer(key, alg) {
                let mut sig = Vec::new();
                let _ = s.sign(b"a.b", &mut sig);
            }
        }
    }
}

/// Arbitrary text verified as a token by every backend and algorithm.
pub fn verify(data: &[u8]) {
    let token = String::from_utf8_lossy(data);
    for f in fixtures() {
        let _ = f.check_with(&token, &rules());
    }
}

/// Structured round trip: claims built from the input must sign and verify, on the backend and
/// algorithm the input's last byte picks.
pub fn roundtrip(data: &[u8]) {
    let mut claims = serde_json::Map::new();
    for (i, chunk) in data.chunks(7).take(32).enumerate() {
        let text = String::from_utf8_lossy(chunk).into_owned();
        let value = match chunk.first().map(|b| b % 5) {
            Some(0) => serde_json::Value::from(i64::from_le_bytes(pad8(chunk))),
            Some(1) => serde_json::Value::from(f64::from_le_bytes(pad8(chunk))),
            Some(2) => serde_json::json!([text, i]),
            Some(3) => serde_json::json!({ "nested": { "v": text } }),
            _ => serde_json::Value::String(text),
        };
        claims.insert(format!("c{i}"), value);
    }
    claims.insert("exp".into(), serde_json::Value::from(NOW + 60));
    let claims = serde_json::Value::Object(claims);
    // One backend and algorithm per input (chosen by its last byte), so RSA signing does not
    // swamp the fuzzer; over many inputs every fixture is exercised.
    let all = fixtures();
    let Some(pick) = data.last().map(|b| usize::from(*b) % all.len().max(1)) else {
        return;
    };
    for f in all.get(pick..=pick).unwrap_or_default() {
        let Ok(token) = Encoder::new(&f.signer).encode(&claims) else {
            // Non-finite floats cannot be serialized: refused, not a round-trip failure.
            continue;
        };
        match tessera::decode::<serde_json::Value>(&token, &f.verifier, &rules()) {
            Ok(back) if back == claims => {}
            other => fail(&f.label(), &other),
        }
    }
}

fn pad8(chunk: &[u8]) -> [u8; 8] {
    let mut b = [0u8; 8];
    for (d, s) in b.iter_mut().zip(chunk) {
        *d = *s;
    }
    b
}

#[allow(
    clippy::panic,
    reason = "a fuzz target reports a failed property by panicking"
)]
fn fail(label: &str, got: &dyn std::fmt::Debug) {
    panic!("round trip failed on {label}: {got:?}");
}
