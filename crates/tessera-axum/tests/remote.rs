//! BearerAuth over a RemoteJwks served by a real loopback server: 200, 401 for unknown keys,
//! 503 (not 401) when the issuer's keys cannot be had.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Request, StatusCode, header};
use axum::routing::get;
use std::sync::{Arc, Mutex};
use tessera::{Algorithm, Encoder, Jwk, JwkSet, KeySpec, Validation};
use tessera_axum::{Bearer, BearerAuth, BearerLayer, JwksConfig, RemoteJwks};
use tower::ServiceExt;

#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Claims {
    sub: String,
    exp: i64,
}

async fn issuer(jwks: Arc<Mutex<Option<String>>>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = Router::new()
        .route(
            "/jwks",
            get(|State(j): State<Arc<Mutex<Option<String>>>>| async move {
                match j.lock().unwrap().clone() {
                    Some(body) => (StatusCode::OK, body),
                    None => (StatusCode::SERVICE_UNAVAILABLE, String::new()),
                }
            }),
        )
        .with_state(jwks);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

fn key(kid: &str) -> (Jwk, Jwk) {
    let mut private = tessera::generate(KeySpec::new(Algorithm::EdDSA)).unwrap();
    private.kid = Some(kid.into());
    let mut public = tessera::default_backend(Algorithm::EdDSA)
        .unwrap()
        .public_key(&private)
        .unwrap();
    public.kid = Some(kid.into());
    (private, public)
}

fn token(private: &Jwk) -> String {
    Encoder::new(tessera::signer(private, Algorithm::EdDSA).unwrap())
        .kid(private.kid.as_deref().unwrap())
        .encode(&Claims {
            sub: "alice".into(),
            exp: 4_000_000_000,
        })
        .unwrap()
}

async fn call(app: &Router, token: &str) -> (StatusCode, Option<String>, Option<String>) {
    let req = Request::get("/me")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let h = |n| {
        res.headers()
            .get(n)
            .map(|v: &header::HeaderValue| v.to_str().unwrap().to_owned())
    };
    (
        res.status(),
        h(header::WWW_AUTHENTICATE),
        h(header::RETRY_AFTER),
    )
}

fn app(auth: BearerAuth) -> Router {
    Router::new()
        .route("/me", get(|Bearer(c): Bearer<Claims>| async move { c.sub }))
        .route_layer(BearerLayer::<Claims>::new(auth.clone()))
        .with_state(auth)
}

#[tokio::test]
async fn remote_keys_verify_refuse_and_answer_503_when_unavailable() {
    let served = Arc::new(Mutex::new(None));
    let base = issuer(served.clone()).await;
    let (private, public) = key("k1");
    let remote =
        RemoteJwks::new(&format!("{base}/jwks"), JwksConfig::new().allow_http(true)).unwrap();
    let app = app(BearerAuth::remote("rs", remote.clone(), Validation::new()));

    // The issuer is down and nothing was ever fetched: 503 with Retry-After, no challenge.
    let (status, challenge, retry) = call(&app, &token(&private)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!((challenge, retry.as_deref()), (None, Some("30")));

    *served.lock().unwrap() = Some(
        JwkSet {
            keys: vec![public],
            skipped: 0,
        }
        .to_json(),
    );
    remote.refresh().await.unwrap();
    assert_eq!(call(&app, &token(&private)).await.0, StatusCode::OK);

    let (stranger, _) = key("k2");
    let (status, challenge, _) = call(&app, &token(&stranger)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        challenge.as_deref(),
        Some(
            r#"Bearer realm="rs", error="invalid_token", error_description="the token is signed with an unknown key""#
        )
    );
    // The sync path uses the cache only.
    let auth = BearerAuth::remote("rs", remote.clone(), Validation::new());
    let mut headers = axum::http::HeaderMap::new();
    headers.insert(
        header::AUTHORIZATION,
        format!("Bearer {}", token(&private)).parse().unwrap(),
    );
    let claims: Claims = auth.authenticate(&headers).unwrap();
    assert_eq!(claims.sub, "alice");
    assert!(remote.stats().cache_hits >= 2);
}
