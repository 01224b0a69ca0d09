//! The whole flow against the router in-process (no nginx; `deploy/e2e.sh` covers that path).
#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use tessera_service::config::{Redacted, Settings};
use tessera_service::{App, AppState, routes};
use tower::ServiceExt;

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "tessera-service-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn settings(dir: &TempDir) -> Settings {
    let mut s = Settings::new(dir.0.join("db.sqlite"));
    // Cheap Argon2 so the debug-build tests stay fast; the service uses the OWASP defaults.
    s.password_params = argon2::Params::new(1024, 1, 1, None).unwrap();
    // No JWKS cache lifetime and no poll delay: a rotated key signs at once, so this in-process
    // flow needs no waiting (tests/keys_tests.rs and deploy/ cover the pending state).
    s.jwks_max_age = std::time::Duration::ZERO;
    s.key_poll = std::time::Duration::ZERO;
    s
}

async fn open(dir: &TempDir, rotate: bool) -> (AppState, Router) {
    let state = App::open(settings(dir), rotate).await.unwrap();
    let router = routes::router(state.clone());
    (state, router)
}

struct Reply {
    status: StatusCode,
    challenge: Option<String>,
    body: Value,
}

async fn call(
    app: &Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Reply {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let req = match body {
        Some(b) => req
            .header("content-type", "application/json")
            .body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let challenge = res
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned());
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply {
        status,
        challenge,
        body,
    }
}

async fn login(app: &Router, user: &str, password: &str) -> Reply {
    call(
        app,
        "POST",
        "/login",
        None,
        Some(json!({"username": user, "password": password})),
    )
    .await
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap()
}

#[tokio::test]
async fn login_me_scopes_refresh_logout_rotation() {
    let dir = TempDir::new();
    let (state, app) = open(&dir, false).await;

    assert_eq!(
        call(&app, "GET", "/health", None, None).await.status,
        StatusCode::OK
    );

    // Login.
    assert_eq!(
        login(&app, "demo", "wrong").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login(&app, "nobody", "demo-password").await.status,
        StatusCode::UNAUTHORIZED
    );
    let bad = call(
        &app,
        "POST",
        "/login",
        None,
        Some(json!({"username": "demo"})),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let ok = login(&app, "demo", "demo-password").await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.body["token_type"], "Bearer");
    assert_eq!(ok.body["expires_in"], 900);
    assert_eq!(ok.body["scope"], "profile");
    let access = s(&ok.body["access_token"]).to_owned();
    let refresh1 = s(&ok.body["refresh_token"]).to_owned();
    let header = tessera::unverified::decode_without_verifying(&access, 1 << 16)
        .unwrap()
        .header;
    assert_eq!(header.alg, "EdDSA");
    assert_eq!(header.typ.as_deref(), Some("at+jwt"));
    let kid1 = header.kid.clone().unwrap();

    // Protected routes.
    let me = call(&app, "GET", "/me", Some(&access), None).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["sub"], "demo");
    assert_eq!(me.body["aud"], "tessera-api");
    assert_eq!(me.body["iss"], "http://127.0.0.1:8080");
    let exp = me.body["exp"].as_i64().unwrap();
    assert_eq!(exp - me.body["iat"].as_i64().unwrap(), 900);
    assert!(me.body["jti"].as_str().unwrap().len() >= 16);

    let none = call(&app, "GET", "/me", None, None).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.challenge.as_deref(), Some(r#"Bearer realm="tessera""#));

    let garbage = call(&app, "GET", "/me", Some("garbage"), None).await;
    assert_eq!(garbage.status, StatusCode::UNAUTHORIZED);
    assert!(
        garbage
            .challenge
            .unwrap()
            .contains(r#"error="invalid_token""#)
    );

    let mut tampered = access.clone().into_bytes();
    let i = access.find('.').unwrap() + 5;
    tampered[i] = if tampered[i] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    let r = call(&app, "GET", "/me", Some(&tampered), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.challenge.unwrap().contains(r#"error="invalid_token""#));

    let expired = state
        .0
        .issue_access(&state.0.keys.current(), "demo", "profile", -60)
        .unwrap();
    let r = call(&app, "GET", "/me", Some(&expired), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        r.challenge.as_deref(),
        Some(
            r#"Bearer realm="tessera", error="invalid_token", error_description="the token expired""#
        )
    );

    let r = call(&app, "GET", "/admin/stats", Some(&access), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.challenge.unwrap().ends_with(r#"error="insufficient_scope", error_description="the token lacks a required scope", scope="admin""#));
    assert_eq!(
        call(&app, "POST", "/admin/rotate", Some(&access), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // Refresh rotation and reuse detection.
    let r = call(
        &app,
        "POST",
        "/refresh",
        None,
        Some(json!({"refresh_token": refresh1})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let refresh2 = s(&r.body["refresh_token"]).to_owned();
    assert_ne!(refresh2, refresh1);
    assert_eq!(
        call(&app, "GET", "/me", Some(s(&r.body["access_token"])), None)
            .await
            .status,
        StatusCode::OK
    );
    let refresh = |token: String| {
        let app = app.clone();
        async move {
            call(
                &app,
                "POST",
                "/refresh",
                None,
                Some(json!({ "refresh_token": token })),
            )
            .await
        }
    };
    // A retry within the grace window (5 s) gets the same successor.
    let retry = refresh(refresh1.clone()).await;
    assert_eq!(retry.status, StatusCode::OK);
    assert_eq!(s(&retry.body["refresh_token"]), refresh2);
    // Once the successor is used, the first token again is reuse: the family is revoked.
    let r = refresh(refresh2.clone()).await;
    assert_eq!(r.status, StatusCode::OK);
    let refresh2b = s(&r.body["refresh_token"]).to_owned();
    let reuse = refresh(refresh1.clone()).await;
    assert_eq!(reuse.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reuse.body["error"], "invalid_grant");
    let after = refresh(refresh2b).await;
    assert_eq!(
        after.status,
        StatusCode::UNAUTHORIZED,
        "the family is revoked"
    );

    // Logout.
    let ok = login(&app, "demo", "demo-password").await;
    let refresh3 = s(&ok.body["refresh_token"]).to_owned();
    let r = call(
        &app,
        "POST",
        "/logout",
        None,
        Some(json!({"refresh_token": refresh3})),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = call(
        &app,
        "POST",
        "/refresh",
        None,
        Some(json!({"refresh_token": refresh3})),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = call(
        &app,
        "POST",
        "/logout",
        None,
        Some(json!({"refresh_token": "unknown"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);

    // Admin: stats, rotation.
    let admin = login(&app, "admin", "admin-password").await;
    assert_eq!(admin.status, StatusCode::OK);
    assert_eq!(admin.body["scope"], "profile admin");
    let admin_token = s(&admin.body["access_token"]).to_owned();
    let stats = call(&app, "GET", "/admin/stats", Some(&admin_token), None).await;
    assert_eq!(stats.status, StatusCode::OK);
    assert_eq!(stats.body["users"], 2);
    assert_eq!(stats.body["signing_kid"], kid1.as_str());

    let jwks = call(&app, "GET", "/.well-known/jwks.json", None, None).await;
    assert_eq!(jwks.status, StatusCode::OK);
    let keys = jwks.body["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["kid"], kid1.as_str());
    assert_eq!(keys[0]["kty"], "OKP");
    assert!(keys[0].get("d").is_none(), "no private member published");

    let rotated = call(&app, "POST", "/admin/rotate", Some(&admin_token), None).await;
    assert_eq!(rotated.status, StatusCode::OK);
    let kid2 = s(&rotated.body["new_kid"]).to_owned();
    assert_eq!(rotated.body["activates_in_ms"], 0);
    assert_ne!(kid2, kid1);
    let jwks = call(&app, "GET", "/.well-known/jwks.json", None, None).await;
    let kids: Vec<&str> = jwks.body["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| s(&k["kid"]))
        .collect();
    assert_eq!(kids, vec![kid1.as_str(), kid2.as_str()]);
    // The old key's token still works; new tokens carry the new kid.
    assert_eq!(
        call(&app, "GET", "/me", Some(&access), None).await.status,
        StatusCode::OK
    );
    let fresh = login(&app, "demo", "demo-password").await;
    let fresh_token = s(&fresh.body["access_token"]).to_owned();
    let header = tessera::unverified::decode_without_verifying(&fresh_token, 1 << 16)
        .unwrap()
        .header;
    assert_eq!(header.kid.as_deref(), Some(kid2.as_str()));
    assert_eq!(
        call(&app, "GET", "/me", Some(&fresh_token), None)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn restart_keeps_users_and_keys_and_can_rotate() {
    let dir = TempDir::new();
    let (_, app) = open(&dir, false).await;
    let token = s(&login(&app, "demo", "demo-password").await.body["access_token"]).to_owned();
    drop(app);
    // Same files, no rotation: same key.
    let (_, app) = open(&dir, false).await;
    assert_eq!(
        call(&app, "GET", "/me", Some(&token), None).await.status,
        StatusCode::OK
    );
    drop(app);
    // --rotate-key: a new key signs, the old one is still trusted.
    let (state, app) = open(&dir, true).await;
    assert_eq!(state.0.keys.current().published().len(), 2);
    assert_eq!(
        call(&app, "GET", "/me", Some(&token), None).await.status,
        StatusCode::OK
    );
    drop(app);
    // Keys stored in the clear (no key-encryption key) are read with one configured too.
    let mut with_kek = settings(&dir);
    with_kek.key_encryption_key = Some(Redacted("11".repeat(32)));
    assert!(
        !format!("{with_kek:?}").contains("1111"),
        "the key is not in Debug"
    );
    let state = App::open(with_kek.clone(), true).await.unwrap();
    assert_eq!(state.0.keys.current().published().len(), 3);
    drop(state);
    // The key rotated then is sealed: without the key-encryption key it cannot be read.
    let e = App::open(settings(&dir), false).await.unwrap_err();
    assert!(
        e.to_string()
            .contains("TESSERA_KEY_ENCRYPTION_KEY is not set"),
        "{e}"
    );
    // A malformed key-encryption key is refused.
    with_kek.key_encryption_key = Some(Redacted("short".into()));
    let e = App::open(with_kek, false).await.unwrap_err();
    assert_eq!(
        e.downcast_ref::<tessera_service::crypt::CryptError>(),
        Some(&tessera_service::crypt::CryptError::BadKey)
    );
}

#[tokio::test]
async fn serves_over_tcp_and_shuts_down_gracefully() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = TempDir::new();
    let (state, _) = open(&dir, false).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(tessera_service::serve(state, listener, async {
        let _ = stopped.await;
    }));
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    conn.write_all(b"GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut response = String::new();
    conn.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    stop.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(10), server)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn ml_dsa_keys_sign_and_verify_when_built_in() {
    let alg = tessera::Algorithm::MlDsa44;
    let dir = TempDir::new();
    let mut s = settings(&dir);
    s.alg = alg;
    if tessera::default_backend(alg).is_none() {
        // Built without the mldsa feature: --alg ML-DSA-44 is refused at start.
        let e = App::open(s, false).await.unwrap_err();
        assert!(e.to_string().contains("--features mldsa"), "{e}");
        return;
    }
    let state = App::open(s, false).await.unwrap();
    let app = routes::router(state);
    let ok = login(&app, "demo", "demo-password").await;
    let token = s_(&ok.body["access_token"]);
    let header = tessera::unverified::decode_without_verifying(&token, 1 << 16)
        .unwrap()
        .header;
    assert_eq!(header.alg, "ML-DSA-44");
    assert_eq!(
        call(&app, "GET", "/me", Some(&token), None).await.status,
        StatusCode::OK
    );
    let jwks = call(&app, "GET", "/.well-known/jwks.json", None, None).await;
    assert_eq!(jwks.body["keys"][0]["kty"], "AKP");
    assert!(
        jwks.body["keys"][0].get("priv").is_none(),
        "no private member published"
    );
}

fn s_(v: &Value) -> String {
    v.as_str().unwrap().to_owned()
}
