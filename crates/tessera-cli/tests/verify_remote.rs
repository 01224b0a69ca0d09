//! `tessera verify --jwks-url` and `--issuer` against a real loopback server (axum, in a thread).
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use assert_cmd::Command;
use axum::Router;
use axum::routing::get;
use predicates::str::contains;
use tessera::{Algorithm, Encoder, Jwk, JwkSet, KeySpec};

/// Serves `/jwks` and the OpenID Connect discovery document on 127.0.0.1; returns the base URL.
fn serve(jwks: String) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let doc = format!(r#"{{"issuer":"{base}","jwks_uri":"{base}/jwks"}}"#);
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let app = Router::new()
                .route("/jwks", get(move || async move { jwks }))
                .route(
                    "/.well-known/openid-configuration",
                    get(move || async move { doc }),
                );
            axum::serve(listener, app).await.unwrap();
        });
    });
    base
}

fn key() -> (Jwk, Jwk) {
    let mut private = tessera::generate(KeySpec::new(Algorithm::ES256)).unwrap();
    private.kid = Some("k1".into());
    let mut public = private.to_public().unwrap();
    public.kid = Some("k1".into());
    (private, public)
}

fn token(private: &Jwk, iss: &str) -> String {
    Encoder::new(tessera::signer(private, Algorithm::ES256).unwrap())
        .kid("k1")
        .encode(&serde_json::json!({ "iss": iss, "sub": "alice", "exp": 4_000_000_000_i64 }))
        .unwrap()
}

fn tessera() -> Command {
    Command::cargo_bin("tessera").unwrap()
}

#[test]
fn verify_with_jwks_url_and_with_discovery() {
    let (private, public) = key();
    let base = serve(
        JwkSet {
            keys: vec![public],
            skipped: 0,
        }
        .to_json(),
    );
    let good = token(&private, &base);
    tessera()
        .args([
            "verify",
            "--allow-http",
            "--jwks-url",
            &format!("{base}/jwks"),
            &good,
        ])
        .assert()
        .success()
        .stdout(contains(r#""sub":"alice""#));
    tessera()
        .args(["verify", "--allow-http", "--issuer", &base, &good])
        .assert()
        .success()
        .stdout(contains(r#""sub":"alice""#));
    // Discovery also requires the token's iss to be the issuer.
    let other = token(&private, "https://other.example");
    tessera()
        .args(["verify", "--allow-http", "--issuer", &base, &other])
        .assert()
        .code(1)
        .stderr(contains("token rejected"));
    // A key the set lacks: rejected (exit 1), not a key problem.
    let (stranger, _) = {
        let mut k = tessera::generate(KeySpec::new(Algorithm::ES256)).unwrap();
        k.kid = Some("k9".into());
        (k, ())
    };
    let t = Encoder::new(tessera::signer(&stranger, Algorithm::ES256).unwrap())
        .kid("k9")
        .encode(&serde_json::json!({ "sub": "x", "exp": 4_000_000_000_i64 }))
        .unwrap();
    tessera()
        .args([
            "verify",
            "--allow-http",
            "--jwks-url",
            &format!("{base}/jwks"),
            &t,
        ])
        .assert()
        .code(1)
        .stderr(contains("no key with kid"));
}

#[test]
fn plain_http_needs_allow_http_and_a_dead_server_is_a_key_error() {
    let (private, _) = key();
    let t = token(&private, "x");
    tessera()
        .args(["verify", "--jwks-url", "http://127.0.0.1:9/jwks", &t])
        .assert()
        .code(2)
        .stderr(contains("https is required"));
    tessera()
        .args([
            "verify",
            "--allow-http",
            "--jwks-url",
            "http://127.0.0.1:9/jwks",
            &t,
        ])
        .assert()
        .code(2)
        .stderr(contains("no key set fetched yet: connection failed"));
}
