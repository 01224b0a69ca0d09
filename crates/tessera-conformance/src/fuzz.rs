//! The bodies of the cargo-fuzz targets in `fuzz/`, kept here so that a stable test can replay
//! every corpus file through exactly the same code without a nightly toolchain.
//!
//! Each function takes arbitrary bytes and must return without panicking, hanging or
//! allocating without bound; a panic is a bug.

use crate::fixtures::{Fixture, NOW};
use crate::keys::{PAYLOAD, error_name};
use std::sync::OnceLock;
use tessera::backend::Family;
use tessera::codec::b64;
use tessera::{Algorithm, Backend, Clock, Encoder, Jwk, JwkSet, KeyError, Validation, unverified};

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
    ("differential", differential),
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

/// What one backend did with a key and a token, in [`differential`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyVerdict {
    /// The verifier was refused, with this error variant ([`error_name`]: the rule, for
    /// `KeyError::Rejected`).
    KeyRefused(String),
    /// The verifier was built and refused the token.
    TokenRefused,
    /// The verifier was built and accepted the token.
    TokenAccepted,
}

/// One backend's answer: the verifier's verdict, and for a private key whether the signer was
/// built (`Ok`) or refused (the error variant).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The verifier and the token.
    pub verifier: KeyVerdict,
    /// The signer, for private keys.
    pub signer: Option<Result<(), String>>,
}

/// `R || S` with `R` the Ed25519 base point and `S = 1`: a signature of every message under the
/// identity key (see `vectors/keys/README.md`).
const FORGED_ED25519: [u8; 64] = {
    let mut s = [0x66u8; 64];
    s[0] = 0x58;
    let mut i = 32;
    while i < 64 {
        s[i] = 0;
        i += 1;
    }
    s[32] = 1;
    s
};

/// Members a spliced key can set, by the low four bits of a chunk's selector.
const MEMBERS: [&str; 12] = [
    "x", "y", "d", "n", "e", "k", "crv", "kty", "alg", "kid", "use", "p",
];

/// Differential key acceptance: one key and one token on every backend that supports the
/// algorithm; any two backends that answer differently (a key refused with another error, or
/// not refused, a token accepted by one and refused by another, a signer built by one only;
/// signers of RSA keys are not compared, see the body) is a crash. The one allowed difference: an Ed25519 key that does not decode may be refused at
/// construction (`Rejected(NotOnCurve)`) or by refusing the token.
///
/// Input: `mode`, `alg`, a key length `L` (u16, little-endian), `L` bytes of key, then the token
/// part. `alg` is [`Algorithm::ALL`]`[alg % 14]`. The key part, by `mode & 3`:
/// - 0: JWK JSON; 1: SPKI DER; 2: PKCS#8 DER;
/// - 3: chunks `sel, len, len bytes` spliced into the fixture key of `alg` (its private JWK when
///   `mode & 0x10`, with the public members filled in, else its public JWK), so that the fuzzer
///   reaches the key rules in a few bytes: `sel & 0x0f` picks the member (`x y d n e k crv
///   kty alg kid use p`, modulo 12), and for base64url members `sel >> 6` says how: 0 replace
///   (empty: remove), 1 XOR from the first byte, 2 XOR from the last, 3 add as a big-endian
///   integer (x + p). Text members (`crv`, `kty`, `alg`, `kid`, `use`) are replaced by the
///   bytes as text, or removed when empty.
///
/// The token, by `(mode >> 2) & 3`: 0 the token part as text; 1 the token part as the payload,
/// signed by the fixture key of `alg`; 2 the token part as the payload with the signature
/// R = Ed25519 base point, S = 1; 3 the token part as the signature over the corpus payload.
/// A key the codec cannot read is the same on every backend and ends the input.
pub fn differential(data: &[u8]) {
    let [mode, alg, lo, hi, rest @ ..] = data else {
        return;
    };
    let Some(&alg) = Algorithm::ALL.get(usize::from(*alg) % Algorithm::ALL.len()) else {
        return;
    };
    let len = usize::from(u16::from_le_bytes([*lo, *hi])).min(rest.len());
    let (key_part, token_part) = rest.split_at(len);
    let key = match mode & 3 {
        0 => Jwk::from_json(key_part),
        1 => Jwk::from_spki_der(key_part),
        2 => Jwk::from_pkcs8_der(key_part),
        _ => spliced(alg, mode & 0x10 != 0, key_part),
    };
    let Ok(key) = key else { return };
    let token = differential_token(alg, (mode >> 2) & 3, token_part);
    let answers: Vec<(&'static str, Answer)> = crate::backends()
        .into_iter()
        .filter(|b| b.supports(alg))
        .map(|b| (b.name(), answer(b, &key, alg, &token)))
        .collect();
    let comparable: Vec<KeyVerdict> = answers
        .iter()
        .map(|(_, a)| comparable(alg, &a.verifier))
        .collect();
    let disagree_on_verifier = comparable.windows(2).any(|w| w.first() != w.last());
    // RSA signing keys are compared on the verifier side only: how far a backend checks the
    // private members (d against p, q, dp, dq, qi) is its library's rule (ring and aws-lc-rs
    // need the CRT members, OpenSSL checks p * q = n, RustCrypto rsa checks all of them), and a
    // signing key is its holder's own, not an attacker's input. Not yet one rule: see README.
    let rsa = matches!(alg.family(), Family::RsaPkcs1 | Family::RsaPss);
    let disagree_on_signer = !rsa
        && answers
            .windows(2)
            .any(|w| w.first().map(|(_, a)| &a.signer) != w.last().map(|(_, a)| &a.signer));
    if disagree_on_verifier || disagree_on_signer {
        disagree(alg, &key, &token, &answers);
    }
}

/// The verdict as backends must agree on it. An Ed25519 public key that does not decode may be
/// refused when the verifier is made or by refusing every token: ring and aws-lc-rs only
/// decode the point when they verify (the corpus's `refused: verify`), so both count as a
/// refused token.
fn comparable(alg: Algorithm, v: &KeyVerdict) -> KeyVerdict {
    match v {
        KeyVerdict::KeyRefused(e) if alg == Algorithm::EdDSA && e == "Rejected(NotOnCurve)" => {
            KeyVerdict::TokenRefused
        }
        other => other.clone(),
    }
}

fn answer(b: &dyn Backend, key: &Jwk, alg: Algorithm, token: &str) -> Answer {
    let verifier = match b.verifier(key, alg) {
        Err(e) => KeyVerdict::KeyRefused(error_name(&e)),
        Ok(v) => match tessera::verify_jws(token, &*v, &Validation::new()) {
            Ok(_) => KeyVerdict::TokenAccepted,
            Err(_) => KeyVerdict::TokenRefused,
        },
    };
    let signer = key
        .is_private()
        .then(|| b.signer(key, alg).map(|_| ()).map_err(|e| error_name(&e)));
    Answer { verifier, signer }
}

/// The fixture keys of every algorithm as JSON objects: (alg, private with public members
/// filled in, public).
fn templates() -> &'static [(Algorithm, serde_json::Value, serde_json::Value)] {
    static T: OnceLock<Vec<(Algorithm, serde_json::Value, serde_json::Value)>> = OnceLock::new();
    T.get_or_init(|| {
        let mut out: Vec<(Algorithm, serde_json::Value, serde_json::Value)> = Vec::new();
        for f in fixtures() {
            if out.iter().any(|(a, _, _)| *a == f.alg) {
                continue;
            }
            let public = f.public.to_value();
            let mut private = f.private.to_value();
            if let (Some(p), Some(q)) = (private.as_object_mut(), public.as_object()) {
                for (name, v) in q {
                    // A key read without its public half has empty members: fill them in.
                    let empty = p.get(name).and_then(|x| x.as_str()) == Some("");
                    if empty || !p.contains_key(name) {
                        p.insert(name.clone(), v.clone());
                    }
                }
            }
            out.push((f.alg, private, public));
        }
        out
    })
}

fn spliced(alg: Algorithm, private: bool, mut chunks: &[u8]) -> Result<Jwk, KeyError> {
    let template = templates()
        .iter()
        .find(|(a, _, _)| *a == alg)
        .map(|(_, private_t, public_t)| if private { private_t } else { public_t });
    let Some(serde_json::Value::Object(template)) = template else {
        return Err(KeyError::UnsupportedKey(format!("no fixture for {alg}")));
    };
    let mut m = template.clone();
    while let [sel, len, tail @ ..] = chunks {
        let (bytes, rest) = tail.split_at(usize::from(*len).min(tail.len()));
        chunks = rest;
        let Some(name) = MEMBERS.get(usize::from(sel & 0x0f) % MEMBERS.len()) else {
            break;
        };
        splice(&mut m, name, sel >> 6, bytes);
    }
    Jwk::from_json(serde_json::Value::Object(m).to_string().as_bytes())
}

fn splice(m: &mut serde_json::Map<String, serde_json::Value>, name: &str, how: u8, bytes: &[u8]) {
    let text = matches!(name, "crv" | "kty" | "alg" | "kid" | "use");
    if bytes.is_empty() && (text || how == 0) {
        m.remove(name);
        return;
    }
    let value = if text {
        String::from_utf8_lossy(bytes).into_owned()
    } else {
        let mut old = m
            .get(name)
            .and_then(|v| v.as_str())
            .and_then(|s| b64::decode(s.as_bytes()).ok())
            .unwrap_or_default();
        match how {
            0 => old = bytes.to_vec(),
            1 => old.iter_mut().zip(bytes).for_each(|(o, b)| *o ^= b),
            2 => old
                .iter_mut()
                .rev()
                .zip(bytes.iter().rev())
                .for_each(|(o, b)| *o ^= b),
            _ => old = add_be(&old, bytes),
        }
        b64::encode(&old)
    };
    m.insert(name.to_owned(), serde_json::Value::String(value));
}

/// `a + b` for big-endian unsigned integers, as long as the longer one (plus a carry byte when
/// it overflows).
fn add_be(a: &[u8], b: &[u8]) -> Vec<u8> {
    let len = a.len().max(b.len());
    let digit = |x: &[u8], i: usize| {
        x.len()
            .checked_sub(i + 1)
            .and_then(|j| x.get(j))
            .copied()
            .map_or(0u16, u16::from)
    };
    let mut out = vec![0u8; len];
    let mut carry = 0u16;
    for (i, o) in out.iter_mut().rev().enumerate() {
        let sum = digit(a, i) + digit(b, i) + carry;
        *o = (sum & 0xff) as u8;
        carry = sum >> 8;
    }
    if carry > 0 {
        out.insert(0, 1);
    }
    out
}

fn differential_token(alg: Algorithm, how: u8, part: &[u8]) -> String {
    let header = format!(r#"{{"alg":"{alg}"}}"#);
    let encoded = b64::encode(header.as_bytes());
    match how {
        0 => String::from_utf8_lossy(part).into_owned(),
        1 => match fixtures().iter().find(|f| f.alg == alg) {
            Some(f) => f.token_bytes(header.as_bytes(), part),
            None => String::from_utf8_lossy(part).into_owned(),
        },
        2 => format!(
            "{encoded}.{}.{}",
            b64::encode(part),
            b64::encode(&FORGED_ED25519)
        ),
        _ => format!(
            "{encoded}.{}.{}",
            b64::encode(PAYLOAD.as_bytes()),
            b64::encode(part)
        ),
    }
}

#[allow(
    clippy::panic,
    reason = "a fuzz target reports a failed property by panicking"
)]
fn disagree(alg: Algorithm, key: &Jwk, token: &str, answers: &[(&str, Answer)]) {
    let list: Vec<String> = answers
        .iter()
        .map(|(b, a)| format!("  {b}: {a:?}"))
        .collect();
    panic!(
        "backends disagree on a {alg} key\nkey: {}\ntoken: {token}\n{}",
        key.to_json(),
        list.join("\n")
    );
}
