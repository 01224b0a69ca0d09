//! Interoperability with two independent JWT implementations, through their public APIs, over
//! every backend the facade compiles in (`cargo test -p tessera-conformance --test interop --
//! --nocapture` prints the matrix):
//!
//! - [`jsonwebtoken`] 12 on both of its crypto providers, `rust_crypto` (RustCrypto `rsa`, `p256`,
//!   `p384`, `ed25519-dalek`, `hmac`) and `aws_lc_rs` (aws-lc-rs): HS256/384/512, RS256/384/512,
//!   PS256/384/512, ES256, ES384, EdDSA. Its `Algorithm` enum has no ES512 and no ES256K.
//! - [`jwt_simple`] 0.15 with `pure-rust` (superboring over RustCrypto `rsa` 0.9, `p256`, `p384`,
//!   `k256`, `ed25519-compact`, `hmac-sha*`): HS*, RS*, PS*, ES256, ES384, ES256K, EdDSA. It has
//!   no ES512. Its default `optimal` feature links BoringSSL, which needs cmake and libclang.
//!
//! For each algorithm a peer supports: a token signed by every tessera backend that supports it
//! verifies in the peer, and a token signed by the peer verifies in every such backend; in both
//! directions the claims that come back equal the claims signed, as JSON values. Both sides use
//! the same fixture keys ([`tessera_conformance::fixtures`]), handed to the peers as PEM (PKCS#8
//! and SPKI from [`Jwk::to_private_pem`] and [`Jwk::to_public_pem`]) or raw bytes (HMAC secrets).
//! Validation is configured on both sides for `iss`, `aud`, `sub`, `exp`, `nbf` (and `typ` on
//! tessera's). jwt-simple takes a fixed time (`artificial_time`), so its claims are fixed around
//! [`fixtures::NOW`]; jsonwebtoken reads the system clock only, so its claims are made around the
//! current time and tessera is given that same instant with [`Clock::Fixed`].
//!
//! ES256K: jwt-simple verifies with k256, which enforces low-S (the BIP 62/146 malleability
//! rule; RFC 8812 has no such rule). Every tessera backend signs ES256K low-S for that reason, so
//! each backend signs [`ES256K_SAMPLES`] tokens and each must be low-S and verify in jwt-simple.
//!
//! Negative interop: every peer token with its header's `alg` changed to each other algorithm
//! the peer knows is refused by every backend with exactly
//! `Error::Decode(DecodeError::AlgorithmMismatch { .. })`.
//!
//! # jsonwebtoken's two providers in one test binary
//!
//! Both features compile together (`crypto::rust_crypto` and `crypto::aws_lc` are separate
//! modules, each with a public `DEFAULT_PROVIDER`), but `encode` and `decode` always go through
//! the process-wide `CryptoProvider::get_default()`. With both features on, none is picked from
//! the crate features (`from_crate_features` gives `None`), so one must be installed with
//! `CryptoProvider::install_default`, which stores it in a `OnceLock`: it succeeds once per
//! process and can never be replaced. Installing `rust_crypto`, testing, then installing
//! `aws_lc_rs` in the same process is therefore impossible (the test
//! `jsonwebtoken_provider_is_process_wide_and_set_once` shows the second install failing).
//!
//! Both are tested anyway, through the unmodified `encode`/`decode`: a `CryptoProvider` is a
//! plain struct of public `fn` pointers, so this file installs once a provider ([`SWITCH`])
//! whose signer and verifier factories forward to the factories of either built-in provider,
//! chosen by a thread-local. A thread-local call count per provider checks that every encode
//! and decode was served by the provider selected and not by the other. The JWK helpers
//! (`key_utils`) are not forwarded (these tests never build keys from JWKs in jsonwebtoken).

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use jsonwebtoken as jwt;
use jwt::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jwt_simple::prelude as js;
use jwt_simple::prelude::{
    ECDSAP256KeyPairLike, ECDSAP256PublicKeyLike, ECDSAP256kKeyPairLike, ECDSAP256kPublicKeyLike,
    ECDSAP384KeyPairLike, ECDSAP384PublicKeyLike, EdDSAKeyPairLike, EdDSAPublicKeyLike, MACLike,
    RSAKeyPairLike, RSAPublicKeyLike,
};
use serde_json::{Map, Value, json};
use std::cell::Cell;
use std::collections::{BTreeSet, HashSet};
use std::sync::OnceLock;
use tessera::codec::{Family, KeyMaterial, b64};
use tessera::{Algorithm, Backend, Clock, DecodeError, Error, Jwk, Validation};
use tessera_conformance::backends;
use tessera_conformance::fixtures::{self, Fixture};

const ISS: &str = "https://issuer.example";
const AUD: &str = "api";
const SUB: &str = "alice";

/// The claims both sides sign: registered claims valid at `now`, and custom ones of every JSON type.
fn claims(now: i64) -> Value {
    json!({
        "iss": ISS,
        "sub": SUB,
        "aud": AUD,
        "exp": now + 600,
        "nbf": now - 10,
        "iat": now - 10,
        "jti": "interop-0001",
        "role": "admin",
        "scopes": ["read", "write"],
        "n": 42,
        "ratio": 0.5,
        "nested": {"a": [1, true, null], "s": "ü ✓"}
    })
}

/// What tessera requires of peer tokens, at `now`.
fn tessera_validation(now: i64) -> Validation {
    Validation::new()
        .clock(Clock::Fixed(now))
        .issuer(ISS)
        .audience(AUD)
        .subject(SUB)
        .typ("JWT")
}

// ---------------------------------------------------------------------------------------------
// jsonwebtoken: a provider that forwards to rust_crypto or aws_lc_rs, per thread.

/// One of jsonwebtoken's built-in crypto providers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Provider {
    RustCrypto,
    AwsLc,
}

impl Provider {
    const ALL: [Provider; 2] = [Provider::RustCrypto, Provider::AwsLc];

    fn name(self) -> &'static str {
        match self {
            Provider::RustCrypto => "rust_crypto",
            Provider::AwsLc => "aws_lc_rs",
        }
    }

    fn inner(self) -> &'static CryptoProvider {
        match self {
            Provider::RustCrypto => &jwt::crypto::rust_crypto::DEFAULT_PROVIDER,
            Provider::AwsLc => &jwt::crypto::aws_lc::DEFAULT_PROVIDER,
        }
    }

    fn index(self) -> usize {
        match self {
            Provider::RustCrypto => 0,
            Provider::AwsLc => 1,
        }
    }
}

thread_local! {
    /// The provider [`SWITCH`] forwards to on this thread.
    static ACTIVE: Cell<Option<Provider>> = const { Cell::new(None) };
    /// Factory calls forwarded to each provider on this thread.
    static CALLS: Cell<[usize; 2]> = const { Cell::new([0, 0]) };
}

fn active() -> Provider {
    let p = ACTIVE
        .get()
        .unwrap_or_else(|| panic!("jsonwebtoken used outside with_provider on this thread"));
    CALLS.set({
        let mut c = CALLS.get();
        c[p.index()] += 1;
        c
    });
    p
}

fn switch_signer(
    alg: &jwt::Algorithm,
    key: &jwt::EncodingKey,
) -> jwt::errors::Result<Box<dyn JwtSigner>> {
    (active().inner().signer_factory)(alg, key)
}

fn switch_verifier(
    alg: &jwt::Algorithm,
    key: &jwt::DecodingKey,
) -> jwt::errors::Result<Box<dyn JwtVerifier>> {
    (active().inner().verifier_factory)(alg, key)
}

/// The process-wide jsonwebtoken provider of this test binary.
static SWITCH: CryptoProvider = CryptoProvider {
    signer_factory: switch_signer,
    verifier_factory: switch_verifier,
    key_utils: KeyUtils::new_unimplemented(),
};

/// Installs [`SWITCH`] (once per process) and checks that it is the one in force.
fn install_switch() {
    let _ = SWITCH.install_default();
    let installed = CryptoProvider::try_get_default().unwrap();
    assert!(
        std::ptr::eq(installed, &SWITCH),
        "another jsonwebtoken provider was installed first"
    );
}

/// Runs `f` with jsonwebtoken on `provider`, and checks that `f` made exactly `expected_calls`
/// factory calls, all served by `provider`.
fn with_provider<R>(
    provider: Provider,
    expected_calls: usize,
    f: impl FnOnce() -> R,
) -> Result<R, String> {
    install_switch();
    ACTIVE.set(Some(provider));
    let before = CALLS.get();
    let r = f();
    let after = CALLS.get();
    ACTIVE.set(None);
    let mut want = before;
    want[provider.index()] += expected_calls;
    if after != want {
        return Err(format!(
            "jsonwebtoken factory calls (rust_crypto, aws_lc_rs) went {before:?} -> {after:?}, \
             expected {want:?} on {}",
            provider.name()
        ));
    }
    Ok(r)
}

// ---------------------------------------------------------------------------------------------
// The peers.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Peer {
    Jsonwebtoken(Provider),
    JwtSimple,
}

const PEERS: [Peer; 3] = [
    Peer::Jsonwebtoken(Provider::RustCrypto),
    Peer::Jsonwebtoken(Provider::AwsLc),
    Peer::JwtSimple,
];

const JSONWEBTOKEN_ALGS: &[Algorithm] = &[
    Algorithm::HS256,
    Algorithm::HS384,
    Algorithm::HS512,
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

const JWT_SIMPLE_ALGS: &[Algorithm] = &[
    Algorithm::HS256,
    Algorithm::HS384,
    Algorithm::HS512,
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::ES256K,
    Algorithm::EdDSA,
];

impl Peer {
    fn name(self) -> &'static str {
        match self {
            Peer::Jsonwebtoken(_) => "jsonwebtoken",
            Peer::JwtSimple => "jwt-simple",
        }
    }

    fn provider(self) -> &'static str {
        match self {
            Peer::Jsonwebtoken(p) => p.name(),
            Peer::JwtSimple => "pure-rust",
        }
    }

    fn algorithms(self) -> &'static [Algorithm] {
        match self {
            Peer::Jsonwebtoken(_) => JSONWEBTOKEN_ALGS,
            Peer::JwtSimple => JWT_SIMPLE_ALGS,
        }
    }

    /// The time the peer validates at: jwt-simple's is fixed, jsonwebtoken's is the system clock.
    fn now(self) -> i64 {
        match self {
            Peer::Jsonwebtoken(_) => i64::try_from(jwt::get_current_timestamp()).unwrap(),
            Peer::JwtSimple => fixtures::NOW,
        }
    }

    /// The peer's key for `alg`, from the fixture's private and public keys.
    fn key(self, alg: Algorithm, private: &Jwk, public: &Jwk) -> Result<Box<dyn PeerKey>, String> {
        match self {
            Peer::Jsonwebtoken(p) => Ok(Box::new(JsonwebtokenKey::new(p, alg, private, public)?)),
            Peer::JwtSimple => jwt_simple_key(alg, private, public),
        }
    }
}

/// A peer's signing and verifying key for one algorithm.
trait PeerKey {
    /// A token over `claims`, signed by the peer.
    fn sign(&self, claims: &Value) -> Result<String, String>;
    /// The claims of `token` if the peer accepts it at `now` (with `iss`, `aud`, `sub` required).
    fn verify(&self, token: &str, now: i64) -> Result<Value, String>;
}

fn secret(key: &Jwk) -> Result<&[u8], String> {
    match &key.material {
        KeyMaterial::Oct(s) => Ok(s.expose()),
        other => Err(format!("not an HMAC secret: {other:?}")),
    }
}

fn private_pem(key: &Jwk) -> Result<String, String> {
    key.to_private_pem()
        .map(|p| p.as_str().to_owned())
        .map_err(|e| format!("private PEM: {e}"))
}

fn public_pem(key: &Jwk) -> Result<String, String> {
    key.to_public_pem().map_err(|e| format!("public PEM: {e}"))
}

struct JsonwebtokenKey {
    provider: Provider,
    alg: jwt::Algorithm,
    encoding: jwt::EncodingKey,
    decoding: jwt::DecodingKey,
}

impl JsonwebtokenKey {
    fn new(
        provider: Provider,
        alg: Algorithm,
        private: &Jwk,
        public: &Jwk,
    ) -> Result<Self, String> {
        let e = |what: &str| {
            let what = what.to_owned();
            move |err: jwt::errors::Error| format!("jsonwebtoken {what}: {err}")
        };
        let jalg: jwt::Algorithm = alg
            .name()
            .parse()
            .map_err(e("has no algorithm of this name"))?;
        let (encoding, decoding) = match alg.family() {
            Family::Hmac => (
                jwt::EncodingKey::from_secret(secret(private)?).map_err(e("HMAC key"))?,
                jwt::DecodingKey::from_secret(secret(public)?).map_err(e("HMAC key"))?,
            ),
            Family::RsaPkcs1 | Family::RsaPss => (
                jwt::EncodingKey::from_rsa_pem(private_pem(private)?.as_bytes())
                    .map_err(e("RSA private PEM"))?,
                jwt::DecodingKey::from_rsa_pem(public_pem(public)?.as_bytes())
                    .map_err(e("RSA public PEM"))?,
            ),
            Family::Ecdsa => (
                jwt::EncodingKey::from_ec_pem(private_pem(private)?.as_bytes())
                    .map_err(e("EC private PEM"))?,
                jwt::DecodingKey::from_ec_pem(public_pem(public)?.as_bytes())
                    .map_err(e("EC public PEM"))?,
            ),
            Family::EdDsa => (
                jwt::EncodingKey::from_ed_pem(private_pem(private)?.as_bytes())
                    .map_err(e("Ed25519 private PEM"))?,
                jwt::DecodingKey::from_ed_pem(public_pem(public)?.as_bytes())
                    .map_err(e("Ed25519 public PEM"))?,
            ),
            other => return Err(format!("no jsonwebtoken key for {other:?}")),
        };
        Ok(JsonwebtokenKey {
            provider,
            alg: jalg,
            encoding,
            decoding,
        })
    }
}

impl PeerKey for JsonwebtokenKey {
    fn sign(&self, claims: &Value) -> Result<String, String> {
        let header = jwt::Header::new(self.alg);
        with_provider(self.provider, 1, || {
            jwt::encode(&header, claims, &self.encoding)
        })?
        .map_err(|e| format!("jsonwebtoken encode: {e}"))
    }

    fn verify(&self, token: &str, _now: i64) -> Result<Value, String> {
        // jsonwebtoken has no settable clock: `now` is the system time the claims were made at.
        let mut v = jwt::Validation::new(self.alg);
        v.leeway = 0;
        v.validate_exp = true;
        v.validate_nbf = true;
        v.set_issuer(&[ISS]);
        v.set_audience(&[AUD]);
        v.sub = Some(SUB.to_owned());
        v.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        let data = with_provider(self.provider, 1, || {
            jwt::decode::<Value>(token, &self.decoding, &v)
        })?
        .map_err(|e| format!("jsonwebtoken decode: {e}"))?;
        if data.header.alg != self.alg {
            return Err(format!("jsonwebtoken read alg {:?}", data.header.alg));
        }
        Ok(data.claims)
    }
}

type SimpleClaims = js::JWTClaims<Map<String, Value>>;

fn simple_claims(claims: &Value) -> Result<SimpleClaims, String> {
    serde_json::from_value(claims.clone()).map_err(|e| format!("jwt-simple claims: {e}"))
}

fn simple_options(now: i64) -> js::VerificationOptions {
    js::VerificationOptions {
        artificial_time: Some(js::UnixTimeStamp::from_secs(u64::try_from(now).unwrap())),
        time_tolerance: Some(js::Duration::from_secs(0)),
        allowed_issuers: Some(HashSet::from([ISS.to_owned()])),
        allowed_audiences: Some(HashSet::from([AUD.to_owned()])),
        required_subject: Some(SUB.to_owned()),
        ..Default::default()
    }
}

type SimpleSign = Box<dyn Fn(SimpleClaims) -> Result<String, jwt_simple::Error>>;
type SimpleVerify =
    Box<dyn Fn(&str, js::VerificationOptions) -> Result<SimpleClaims, jwt_simple::Error>>;

/// jwt-simple's keys are one type per algorithm: closures over them.
struct JwtSimpleKey {
    sign: SimpleSign,
    verify: SimpleVerify,
}

impl PeerKey for JwtSimpleKey {
    fn sign(&self, claims: &Value) -> Result<String, String> {
        (self.sign)(simple_claims(claims)?).map_err(|e| format!("jwt-simple sign: {e}"))
    }

    fn verify(&self, token: &str, now: i64) -> Result<Value, String> {
        let c = (self.verify)(token, simple_options(now))
            .map_err(|e| format!("jwt-simple verify: {e}"))?;
        serde_json::to_value(&c).map_err(|e| format!("jwt-simple claims: {e}"))
    }
}

fn jwt_simple_key(alg: Algorithm, private: &Jwk, public: &Jwk) -> Result<Box<dyn PeerKey>, String> {
    let e = |what: &'static str| move |err: jwt_simple::Error| format!("jwt-simple {what}: {err}");
    macro_rules! mac {
        ($key:ty) => {{
            let k = <$key>::from_bytes(secret(private)?);
            let v = <$key>::from_bytes(secret(public)?);
            JwtSimpleKey {
                sign: Box::new(move |c| k.authenticate(c)),
                verify: Box::new(move |t, o| v.verify_token(t, Some(o))),
            }
        }};
    }
    macro_rules! pem {
        ($pair:ty, $public:ty) => {{
            let k = <$pair>::from_pem(&private_pem(private)?).map_err(e("private PEM"))?;
            let v = <$public>::from_pem(&public_pem(public)?).map_err(e("public PEM"))?;
            JwtSimpleKey {
                sign: Box::new(move |c| k.sign(c)),
                verify: Box::new(move |t, o| v.verify_token(t, Some(o))),
            }
        }};
    }
    Ok(Box::new(match alg {
        Algorithm::HS256 => mac!(js::HS256Key),
        Algorithm::HS384 => mac!(js::HS384Key),
        Algorithm::HS512 => mac!(js::HS512Key),
        Algorithm::RS256 => pem!(js::RS256KeyPair, js::RS256PublicKey),
        Algorithm::RS384 => pem!(js::RS384KeyPair, js::RS384PublicKey),
        Algorithm::RS512 => pem!(js::RS512KeyPair, js::RS512PublicKey),
        Algorithm::PS256 => pem!(js::PS256KeyPair, js::PS256PublicKey),
        Algorithm::PS384 => pem!(js::PS384KeyPair, js::PS384PublicKey),
        Algorithm::PS512 => pem!(js::PS512KeyPair, js::PS512PublicKey),
        Algorithm::ES256 => pem!(js::ES256KeyPair, js::ES256PublicKey),
        Algorithm::ES384 => pem!(js::ES384KeyPair, js::ES384PublicKey),
        Algorithm::ES256K => pem!(js::ES256kKeyPair, js::ES256kPublicKey),
        Algorithm::EdDSA => pem!(js::Ed25519KeyPair, js::Ed25519PublicKey),
        other => return Err(format!("jwt-simple has no {other}")),
    }))
}

// ---------------------------------------------------------------------------------------------
// The run: every peer, algorithm, backend and direction, once per test binary.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    /// A tessera backend signs, the peer verifies.
    TesseraToPeer,
    /// The peer signs, a tessera backend verifies.
    PeerToTessera,
    /// The peer signs, the header's `alg` is changed, a tessera backend must refuse it.
    AlgSwapRejected,
}

const DIRECTIONS: [Direction; 3] = [
    Direction::TesseraToPeer,
    Direction::PeerToTessera,
    Direction::AlgSwapRejected,
];

impl Direction {
    fn label(self) -> &'static str {
        match self {
            Direction::TesseraToPeer => "tessera->peer",
            Direction::PeerToTessera => "peer->tessera",
            Direction::AlgSwapRejected => "alg swap refused",
        }
    }
}

#[derive(Debug)]
struct Row {
    peer: Peer,
    alg: Algorithm,
    direction: Direction,
    backend: &'static str,
    /// Cases checked in this row (the alg swap has one per other algorithm).
    cases: usize,
    outcome: Result<(), String>,
    /// How a passing row passed, when not plainly.
    note: Option<String>,
}

fn expect_claims(got: Result<Value, String>, want: &Value) -> Result<(), String> {
    let got = got?;
    if &got == want {
        Ok(())
    } else {
        Err(format!("claims differ: got {got}, signed {want}"))
    }
}

/// `token` with its header's `alg` replaced by `alg`; everything else unchanged.
fn with_alg(token: &str, alg: &str) -> Result<String, String> {
    let (header, rest) = token.split_once('.').ok_or("no dot in token")?;
    let json = b64::decode(header.as_bytes()).map_err(|e| format!("header base64: {e}"))?;
    let mut h: Map<String, Value> =
        serde_json::from_slice(&json).map_err(|e| format!("header JSON: {e}"))?;
    if !h.contains_key("alg") {
        return Err("header has no alg".into());
    }
    h.insert("alg".into(), Value::String(alg.into()));
    let json = serde_json::to_vec(&h).map_err(|e| format!("header JSON: {e}"))?;
    Ok(format!("{}.{rest}", b64::encode(&json)))
}

/// The peer's token with `alg` swapped to every other algorithm the peer knows: each must be
/// refused by `f`'s verifier with exactly `AlgorithmMismatch { expected: alg, found: other }`.
fn alg_swaps(
    peer: Peer,
    alg: Algorithm,
    token: &str,
    f: &Fixture,
    now: i64,
) -> Result<usize, String> {
    let validation = tessera_validation(now);
    let mut n = 0;
    for &other in peer.algorithms().iter().filter(|&&a| a != alg) {
        let swapped = with_alg(token, other.name())?;
        match tessera::decode::<Value>(&swapped, f.verifier.as_ref(), &validation) {
            Err(Error::Decode(DecodeError::AlgorithmMismatch { expected, found }))
                if expected == alg && found == other.name() => {}
            res => {
                return Err(format!(
                    "alg {alg} -> {other}: expected AlgorithmMismatch {{ expected: {alg}, found: \
                     {other:?} }}, got {res:?}"
                ));
            }
        }
        n += 1;
    }
    Ok(n)
}

fn run_peer_alg(
    peer: Peer,
    alg: Algorithm,
    backends: &[&'static dyn Backend],
    rows: &mut Vec<Row>,
) {
    let now = peer.now();
    let claims = claims(now);
    let validation = tessera_validation(now);
    let fixtures: Vec<(&'static str, Result<Fixture, String>)> = backends
        .iter()
        .filter(|b| b.supports(alg))
        .map(|&b| {
            (
                b.name(),
                Fixture::new(b, alg).map_err(|e| format!("fixture: {e}")),
            )
        })
        .collect();
    // The peer's key: the fixture keys, the public half as the first working backend derives it.
    let key = fixtures
        .iter()
        .find_map(|(_, f)| f.as_ref().ok())
        .ok_or_else(|| format!("no tessera backend could load the {alg} fixture"))
        .and_then(|f| peer.key(alg, &f.private, &f.public));
    let peer_token = key
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|k| k.sign(&claims));
    // Each check gives the number of cases it ran and a note on how it passed, or why not.
    let mut push = |direction, backend, result: Result<(usize, Option<String>), String>| {
        let (cases, note, outcome) = match result {
            Ok((cases, note)) => (cases, note, Ok(())),
            Err(e) => (0, None, Err(e)),
        };
        rows.push(Row {
            peer,
            alg,
            direction,
            backend,
            cases,
            outcome,
            note,
        });
    };
    if fixtures.is_empty() {
        for d in DIRECTIONS {
            push(
                d,
                "(none)",
                Err(format!("no tessera backend supports {alg}")),
            );
        }
        return;
    }
    for (backend, f) in &fixtures {
        let f = match f {
            Ok(f) => f,
            Err(e) => {
                for d in DIRECTIONS {
                    push(d, backend, Err(e.clone()));
                }
                continue;
            }
        };
        // tessera -> peer.
        let result = key.as_ref().map_err(Clone::clone).and_then(|k| {
            if peer == Peer::JwtSimple && alg == Algorithm::ES256K {
                return es256k_to_jwt_simple(k.as_ref(), f, &claims, now);
            }
            let token = tessera::encode(f.signer.as_ref(), &claims)
                .map_err(|e| format!("tessera encode: {e}"))?;
            expect_claims(k.verify(&token, now), &claims).map(|()| (1, None))
        });
        push(Direction::TesseraToPeer, backend, result);
        // peer -> tessera.
        let result = peer_token.as_ref().map_err(Clone::clone).and_then(|t| {
            let got = tessera::decode::<Value>(t, f.verifier.as_ref(), &validation)
                .map_err(|e| format!("tessera decode: {e:?}"));
            expect_claims(got, &claims).map(|()| (1, None))
        });
        push(Direction::PeerToTessera, backend, result);
        // The peer's token with another alg in its header.
        let result = peer_token
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|t| alg_swaps(peer, alg, t, f, now))
            .map(|n| (n, None));
        push(Direction::AlgSwapRejected, backend, result);
    }
}

/// `floor(n / 2)`: an ECDSA `s` above it is "high".
const SECP256K1_HALF_N: [u8; 32] = [
    0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0x5D, 0x57, 0x6E, 0x73, 0x57, 0xA4, 0x50, 0x1D, 0xDF, 0xE9, 0x2F, 0x46, 0x68, 0x1B, 0x20, 0xA0,
];
/// ES256K tokens each backend signs for jwt-simple: a backend that leaves `s` as it comes out
/// (high half the time) shows a high-S one with probability 1 - 2^-32.
const ES256K_SAMPLES: usize = 32;

/// Whether the `s` half of a raw `r || s` secp256k1 signature is above n/2.
fn is_high_s(sig: &[u8]) -> bool {
    // Equal-length big-endian byte strings compare as the integers they encode.
    sig[32..] > SECP256K1_HALF_N[..]
}

/// tessera -> jwt-simple for ES256K. jwt-simple verifies with k256, whose secp256k1 ECDSA
/// enforces low-S (`NORMALIZE_S = true` in k256 0.14: the BIP 62/146 malleability rule; RFC 8812
/// has no such rule) and refuses a valid signature whose `s` is above n/2. Every tessera backend
/// therefore signs ES256K low-S (k256 does it natively; OpenSSL and AWS-LC signatures are
/// normalised with `tessera::backend::ecdsa_low_s`). A backend that forgot would sign high-S half the time,
/// so several tokens per backend are checked: each must be low-S and verify with equal claims.
fn es256k_to_jwt_simple(
    key: &dyn PeerKey,
    f: &Fixture,
    claims: &Value,
    now: i64,
) -> Result<(usize, Option<String>), String> {
    for _ in 0..ES256K_SAMPLES {
        let token = tessera::encode(f.signer.as_ref(), claims)
            .map_err(|e| format!("tessera encode: {e}"))?;
        let (_, sig) = token.rsplit_once('.').ok_or("no dot in token")?;
        let sig = b64::decode(sig.as_bytes()).map_err(|e| format!("signature base64: {e}"))?;
        if sig.len() != 64 {
            return Err(format!("ES256K signature of {} bytes", sig.len()));
        }
        if is_high_s(&sig) {
            return Err(format!("{} signed ES256K with a high s", f.backend.name()));
        }
        expect_claims(key.verify(&token, now), claims)?;
    }
    Ok((ES256K_SAMPLES, None))
}

/// Every row, computed once for all the tests of this binary.
fn rows() -> &'static [Row] {
    static ROWS: OnceLock<Vec<Row>> = OnceLock::new();
    ROWS.get_or_init(|| {
        let backends = backends();
        let mut rows = Vec::new();
        for peer in PEERS {
            for &alg in peer.algorithms() {
                run_peer_alg(peer, alg, &backends, &mut rows);
            }
        }
        rows
    })
}

/// Asserts that `peer` in `direction` covered every algorithm it supports on every tessera
/// backend that supports it, and that every case passed.
fn check(peer: Peer, direction: Direction) {
    let backends = backends();
    let rows: Vec<&Row> = rows()
        .iter()
        .filter(|r| r.peer == peer && r.direction == direction)
        .collect();
    let mut failures = Vec::new();
    for &alg in peer.algorithms() {
        let want: BTreeSet<&str> = backends
            .iter()
            .filter(|b| b.supports(alg))
            .map(|b| b.name())
            .collect();
        let got: BTreeSet<&str> = rows
            .iter()
            .filter(|r| r.alg == alg && r.outcome.is_ok() && r.cases > 0)
            .map(|r| r.backend)
            .collect();
        if want.is_empty() {
            failures.push(format!("{alg}: no tessera backend supports it"));
        }
        if got != want {
            failures.push(format!("{alg}: passed on {got:?}, expected {want:?}"));
        }
    }
    for r in rows.iter().filter(|r| r.outcome.is_err()) {
        failures.push(format!(
            "{} {} {}: {}",
            r.alg,
            r.backend,
            r.direction.label(),
            r.outcome.as_ref().err().map_or("", String::as_str)
        ));
    }
    assert!(
        failures.is_empty(),
        "{} ({}) {}:\n{}",
        peer.name(),
        peer.provider(),
        direction.label(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The tests.

#[test]
fn jsonwebtoken_rust_crypto_verifies_tessera_tokens() {
    check(
        Peer::Jsonwebtoken(Provider::RustCrypto),
        Direction::TesseraToPeer,
    );
}

#[test]
fn tessera_verifies_jsonwebtoken_rust_crypto_tokens() {
    check(
        Peer::Jsonwebtoken(Provider::RustCrypto),
        Direction::PeerToTessera,
    );
}

#[test]
fn jsonwebtoken_aws_lc_rs_verifies_tessera_tokens() {
    check(
        Peer::Jsonwebtoken(Provider::AwsLc),
        Direction::TesseraToPeer,
    );
}

#[test]
fn tessera_verifies_jsonwebtoken_aws_lc_rs_tokens() {
    check(
        Peer::Jsonwebtoken(Provider::AwsLc),
        Direction::PeerToTessera,
    );
}

#[test]
fn jwt_simple_verifies_tessera_tokens() {
    check(Peer::JwtSimple, Direction::TesseraToPeer);
}

#[test]
fn tessera_verifies_jwt_simple_tokens() {
    check(Peer::JwtSimple, Direction::PeerToTessera);
}

#[test]
fn tessera_refuses_peer_tokens_with_alg_swapped() {
    for peer in PEERS {
        check(peer, Direction::AlgSwapRejected);
    }
}

/// The swap itself is what the negative test assumes: only `alg` changes, and the peer's own
/// verifier refuses the swapped token too.
#[test]
fn alg_swap_changes_only_alg() {
    let private = fixtures::private_key(Algorithm::HS256).unwrap();
    let key = Peer::JwtSimple
        .key(Algorithm::HS256, &private, &private)
        .unwrap();
    let token = key.sign(&claims(fixtures::NOW)).unwrap();
    let swapped = with_alg(&token, "HS384").unwrap();
    let header = |t: &str| -> Value {
        serde_json::from_slice(&b64::decode(t.split('.').next().unwrap().as_bytes()).unwrap())
            .unwrap()
    };
    let (mut before, after) = (header(&token), header(&swapped));
    assert_eq!(before["alg"], "HS256");
    before["alg"] = json!("HS384");
    assert_eq!(before, after);
    assert_eq!(
        token.split_once('.').unwrap().1,
        swapped.split_once('.').unwrap().1
    );
    assert!(key.verify(&swapped, fixtures::NOW).is_err());
}

/// The peers' algorithm lists above are exactly what they implement, as far as their APIs tell.
#[test]
fn peer_algorithm_lists() {
    for alg in Algorithm::ALL {
        assert_eq!(
            alg.name().parse::<jwt::Algorithm>().is_ok(),
            JSONWEBTOKEN_ALGS.contains(&alg),
            "jsonwebtoken and {alg}"
        );
    }
    // jwt-simple has no name lookup: its key types are the list (ES512 has none).
    for &alg in JWT_SIMPLE_ALGS {
        let private = fixtures::private_key(alg).unwrap();
        let public = match alg.family() {
            Family::Hmac => private.clone(),
            _ => tessera::default_backend(alg)
                .unwrap()
                .public_key(&private)
                .unwrap(),
        };
        assert!(
            jwt_simple_key(alg, &private, &public).is_ok(),
            "jwt-simple {alg}"
        );
    }
    assert!(
        jwt_simple_key(
            Algorithm::ES512,
            &fixtures::private_key(Algorithm::ES512).unwrap(),
            &fixtures::private_key(Algorithm::ES512).unwrap()
        )
        .is_err()
    );
}

/// Why this file installs a forwarding provider: jsonwebtoken's process provider is set once.
#[test]
fn jsonwebtoken_provider_is_process_wide_and_set_once() {
    install_switch();
    for p in Provider::ALL {
        // `install_default` hands back the provider it could not install.
        let refused = p.inner().install_default();
        assert!(
            refused.is_err_and(|rejected| std::ptr::eq(rejected, p.inner())),
            "installing {} after another provider must fail",
            p.name()
        );
    }
    assert!(std::ptr::eq(
        CryptoProvider::try_get_default().unwrap(),
        &SWITCH
    ));
    // Both providers are reachable behind it, one after the other (`with_provider` checks that
    // each call was served by the provider asked for).
    let private = fixtures::private_key(Algorithm::HS256).unwrap();
    let signed: Vec<String> = Provider::ALL
        .iter()
        .map(|&p| {
            JsonwebtokenKey::new(p, Algorithm::HS256, &private, &private)
                .unwrap()
                .sign(&claims(fixtures::NOW))
                .unwrap()
        })
        .collect();
    // HMAC is deterministic: both providers give the same token.
    assert_eq!(signed[0], signed[1]);
}

#[test]
fn interop_matrix() {
    let rows = rows();
    let backends = backends();
    println!(
        "{:<13} {:<12} {:<7} {:<17} {:<6} backends",
        "peer", "provider", "alg", "direction", "result"
    );
    let mut all_ok = true;
    let mut notes = Vec::new();
    for peer in PEERS {
        for &alg in peer.algorithms() {
            for d in DIRECTIONS {
                let cells: Vec<&Row> = rows
                    .iter()
                    .filter(|r| r.peer == peer && r.alg == alg && r.direction == d)
                    .collect();
                let ok =
                    !cells.is_empty() && cells.iter().all(|r| r.outcome.is_ok() && r.cases > 0);
                all_ok &= ok;
                let names: Vec<String> = cells
                    .iter()
                    .map(|r| {
                        let short = r.backend.trim_start_matches("tessera-");
                        let cases = if r.cases == 1 {
                            String::new()
                        } else {
                            format!("({})", r.cases)
                        };
                        if let Some(note) = &r.note {
                            notes.push(format!(
                                "* {} {} {} {}: {note}",
                                peer.name(),
                                alg.name(),
                                d.label(),
                                r.backend
                            ));
                        }
                        let star = if r.note.is_some() { "*" } else { "" };
                        match &r.outcome {
                            Err(_) => format!("{short}:FAIL"),
                            Ok(()) => format!("{short}{cases}{star}"),
                        }
                    })
                    .collect();
                println!(
                    "{:<13} {:<12} {:<7} {:<17} {:<6} {}",
                    peer.name(),
                    peer.provider(),
                    alg.name(),
                    d.label(),
                    if ok { "ok" } else { "FAIL" },
                    names.join(" ")
                );
            }
        }
        let missing: Vec<&str> = Algorithm::ALL
            .iter()
            .filter(|a| !peer.algorithms().contains(a) && backends.iter().any(|b| b.supports(**a)))
            .map(|a| a.name())
            .collect();
        println!(
            "{:<13} {:<12} not in the peer: {}",
            peer.name(),
            peer.provider(),
            missing.join(" ")
        );
    }
    for note in notes {
        println!("{note}");
    }
    assert!(all_ok, "some interop cells failed: see the matrix above");
}
