//! ML-DSA (RFC 9964) across implementations, printed per backend pair (`cargo test -p
//! tessera-conformance --test mldsa_interop -- --nocapture`):
//!
//! - The three ML-DSA backends against each other, for ML-DSA-44/65/87: tokens signed by each
//!   verify on the other two, the public keys they derive from one seed are identical, and the
//!   two deterministic signers (tessera-mldsa, tessera-fips204) agree byte for byte. tessera-aws-lc
//!   signs hedged, so its pairs are checked by verification only
//!   ([`matrix::Compared::Verification`]), and it must be the one hedged signer.
//! - [`jwt_simple`] 0.15 (`pure-rust`: superboring over RustCrypto `ml-dsa`, the same primitive
//!   as tessera-mldsa, but its own JWK, JWS and thumbprint code): AKP JWKs exported by each side
//!   import in the other, tokens signed by jwt-simple verify on every ML-DSA backend, tokens
//!   signed by every backend verify in jwt-simple, and the RFC 7638 thumbprints agree (and match
//!   the `kid` of the RFC 9964 examples). jwt-simple signs hedged (superboring calls
//!   `sign_randomized`), so, as with tessera-aws-lc, the check is by verification.
//!
//! Another ML-DSA implementation, OpenSSL's (through Python `cryptography`), made the tokens of
//! the key corpus (`vectors/keys/akp.json`); `scripts/mldsa-interop.sh` checks jwcrypto.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use jwt_simple::prelude as js;
use jwt_simple::prelude::{MLDSAKeyPairLike, MLDSAPublicKeyLike};
use serde_json::{Map, Value, json};
use tessera::codec::Family;
use tessera::codec::b64;
use tessera::{Algorithm, Backend, Clock, Jwk, Signer, Validation};
use tessera_conformance::fixtures::{self, Fixture, private_key};
use tessera_conformance::matrix::{self, Compared};

const ALGS: [Algorithm; 3] = [Algorithm::MlDsa44, Algorithm::MlDsa65, Algorithm::MlDsa87];

fn ml_dsa_backends() -> Vec<&'static dyn Backend> {
    let all: Vec<_> = tessera_conformance::backends()
        .into_iter()
        .filter(|b| b.supports(Algorithm::MlDsa44))
        .collect();
    assert!(all.len() >= 3, "ML-DSA backends: {}", all.len());
    all
}

#[test]
fn every_ml_dsa_backend_verifies_every_other() {
    let backends = ml_dsa_backends();
    let cells: Vec<_> = matrix::run(&backends)
        .into_iter()
        .filter(|c| c.alg.family() == Family::MlDsa)
        .collect();
    println!(
        "{:<10} {:<16} {:<16} compared      result",
        "alg", "signer", "verifier"
    );
    for c in &cells {
        let compared = match c.compared {
            Compared::Bytes => "bytes",
            Compared::Verification => "verification",
        };
        let result = if c.verdict.passed() {
            "pass".to_owned()
        } else {
            format!("FAIL {:?}", c.verdict)
        };
        println!(
            "{:<10} {:<16} {:<16} {compared:<13} {result}",
            c.alg.name(),
            c.signer,
            c.verifier,
        );
    }
    assert_eq!(cells.len(), ALGS.len() * backends.len() * backends.len());
    let failed: Vec<_> = cells.iter().filter(|c| !c.verdict.passed()).collect();
    assert!(failed.is_empty(), "{failed:#?}");
    // Byte for byte exactly between the deterministic signers; aws-lc-rs is verified only.
    for c in &cells {
        let hedged = [c.signer, c.verifier].contains(&"tessera-aws-lc");
        let want = if hedged {
            Compared::Verification
        } else {
            Compared::Bytes
        };
        assert_eq!(c.compared, want, "{c:?}");
    }
}

#[test]
fn the_hedged_ml_dsa_signer_is_aws_lc_only() {
    for alg in ALGS {
        let hedged: Vec<&str> = ml_dsa_backends()
            .into_iter()
            .map(|b| Fixture::new(b, alg).unwrap())
            .filter(matrix::is_hedged)
            .map(|f| f.backend.name())
            .collect();
        assert_eq!(hedged, ["tessera-aws-lc"], "{alg}");
    }
}

type PeerClaims = js::JWTClaims<Map<String, Value>>;
type PeerSign = Box<dyn Fn(PeerClaims) -> Result<String, jwt_simple::Error>>;
type PeerVerify = Box<dyn Fn(&str) -> Result<PeerClaims, jwt_simple::Error>>;

/// One jwt-simple key pair of any parameter set, through closures (its types are per algorithm).
struct Peer {
    sign: PeerSign,
    verify: PeerVerify,
    private_jwk: String,
    public_jwk: String,
    thumbprint: String,
}

fn options() -> js::VerificationOptions {
    js::VerificationOptions {
        artificial_time: Some(js::UnixTimeStamp::from_secs(
            u64::try_from(fixtures::NOW).unwrap(),
        )),
        time_tolerance: Some(js::Duration::from_secs(0)),
        ..Default::default()
    }
}

/// jwt-simple's key pair for `alg` from a private AKP JWK.
fn peer(alg: Algorithm, private_jwk: &str) -> Peer {
    macro_rules! peer {
        ($pair:ty) => {{
            let pair = <$pair>::from_jwk(private_jwk).unwrap();
            let public = pair.public_key();
            Peer {
                private_jwk: pair.to_jwk(),
                public_jwk: public.to_jwk(),
                thumbprint: pair.jwk_thumbprint(),
                sign: Box::new(move |c| pair.sign(c)),
                verify: Box::new(move |t| public.verify_token(t, Some(options()))),
            }
        }};
    }
    match alg {
        Algorithm::MlDsa44 => peer!(js::MLDSA44KeyPair),
        Algorithm::MlDsa65 => peer!(js::MLDSA65KeyPair),
        _ => peer!(js::MLDSA87KeyPair),
    }
}

fn claims() -> Value {
    json!({"iss": "https://issuer.example", "sub": "alice", "aud": "api",
           "iat": fixtures::NOW - 10, "exp": fixtures::NOW + 600})
}

fn validation() -> Validation {
    Validation::new()
        .clock(Clock::Fixed(fixtures::NOW))
        .issuer("https://issuer.example")
        .audience("api")
}

/// A token over `claims()` with header `{"alg":...,"typ":"JWT"}` signed by `signer`.
fn tessera_token(signer: &dyn Signer, alg: Algorithm) -> String {
    let input = format!(
        "{}.{}",
        b64::encode(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#).as_bytes()),
        b64::encode(claims().to_string().as_bytes())
    );
    let mut sig = Vec::new();
    signer.sign(input.as_bytes(), &mut sig).unwrap();
    format!("{input}.{}", b64::encode(&sig))
}

fn jwt_simple_token(peer: &Peer) -> String {
    let c: PeerClaims = serde_json::from_value(claims()).unwrap();
    (peer.sign)(c).unwrap()
}

#[test]
fn jwt_simple_and_every_ml_dsa_backend_verify_each_others_tokens() {
    println!("{:<10} {:<16} {:<26} result", "alg", "backend", "direction");
    for alg in ALGS {
        let key = private_key(alg).unwrap();
        // The fixture is a seed without `pub` (PKCS#8 seed form): complete it first.
        let public = tessera::backends()
            .into_iter()
            .find(|b| b.supports(alg))
            .unwrap()
            .public_key(&key)
            .unwrap();
        let mut full: Value = serde_json::from_str(&key.to_json()).unwrap();
        full["pub"] = serde_json::from_str::<Value>(&public.to_json()).unwrap()["pub"].clone();
        let p = peer(alg, &full.to_string());
        let theirs = jwt_simple_token(&p);
        for b in ml_dsa_backends() {
            // jwt-simple's token on the backend, from the JWK jwt-simple exported.
            let exported = Jwk::from_json(p.public_jwk.as_bytes()).unwrap();
            assert_eq!(exported.material, public.material, "{alg}");
            let verifier = b.verifier(&exported, alg).unwrap();
            let got: Value = tessera::decode(&theirs, &verifier, &validation()).unwrap();
            assert_eq!(got, claims(), "{alg} on {}", b.name());
            println!(
                "{:<10} {:<16} {:<26} pass",
                alg.name(),
                b.name(),
                "jwt-simple -> tessera"
            );
            // The backend's token in jwt-simple, signed from jwt-simple's private JWK export.
            let private = Jwk::from_json(p.private_jwk.as_bytes()).unwrap();
            let signer = b.signer(&private, alg).unwrap();
            let token = tessera_token(&*signer, alg);
            let back = (p.verify)(&token).unwrap();
            assert_eq!(
                serde_json::to_value(&back).unwrap()["sub"],
                "alice",
                "{alg} from {}",
                b.name()
            );
            println!(
                "{:<10} {:<16} {:<26} pass",
                alg.name(),
                b.name(),
                "tessera -> jwt-simple"
            );
        }
    }
}

#[test]
fn thumbprints_agree_with_jwt_simple_and_the_rfc_examples() {
    for alg in ALGS {
        let v: Value = serde_json::from_str(match alg {
            Algorithm::MlDsa44 => include_str!("../vectors/rfc9964-a-ml-dsa-44.json"),
            Algorithm::MlDsa65 => include_str!("../vectors/rfc9964-a-ml-dsa-65.json"),
            _ => include_str!("../vectors/rfc9964-a-ml-dsa-87.json"),
        })
        .unwrap();
        let key = Jwk::from_json(v["key"].to_string().as_bytes()).unwrap();
        let p = peer(alg, &v["key"].to_string());
        let ours = tessera::thumbprint(&key).unwrap();
        assert_eq!(ours, p.thumbprint, "{alg}");
        assert_eq!(Some(ours.as_str()), v["key"]["kid"].as_str(), "{alg}");
        // And of each backend's derived public key, from the seed alone.
        for b in ml_dsa_backends() {
            let public = b.public_key(&key).unwrap();
            assert_eq!(tessera::thumbprint(&public).unwrap(), p.thumbprint, "{alg}");
        }
    }
}

#[test]
fn jwt_simple_refuses_what_tessera_refuses_for_the_same_reason() {
    // A private AKP key whose pub is not its seed's: tessera says PublicMismatch on every
    // backend (tests/key_acceptance.rs); jwt-simple refuses the import too.
    let corpus = tessera_conformance::keys::corpus().unwrap();
    let entry = corpus
        .iter()
        .find(|e| e.name == "ml_dsa_44_public_mismatch")
        .unwrap();
    let tessera_conformance::keys::KeyForm::Jwk(jwk) = &entry.key else {
        panic!("not a JWK")
    };
    assert!(js::MLDSA44KeyPair::from_jwk(&jwk.to_string()).is_err());
    for b in ml_dsa_backends() {
        assert_eq!(
            b.signer(&entry.jwk().unwrap(), Algorithm::MlDsa44)
                .unwrap_err(),
            tessera::KeyError::Rejected(tessera::KeyRule::PublicMismatch),
            "{}",
            b.name()
        );
    }
}
