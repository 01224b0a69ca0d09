//! RemoteJwks against real HTTP servers on 127.0.0.1 (axum, started by each test); time moves
//! through a ManualClock.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tessera::{Algorithm, DecodeError, Encoder, Error, Jwk, JwkSet, KeySpec, Validation};
use tessera_jwks::{
    JwksConfig, JwksError, KeyChoice, ManualClock, RemoteJwks, SkipReason, VerifyError,
    verifier_set_from_jwks,
};

/// What the test server answers on /jwks.
struct Served {
    status: StatusCode,
    body: String,
    cache_control: Option<&'static str>,
    delay: Duration,
}

#[derive(Clone)]
struct Server {
    served: Arc<Mutex<Served>>,
    hits: Arc<AtomicUsize>,
    accept: Arc<Mutex<Option<String>>>,
    base: String,
}

async fn jwks(State(s): State<Server>, headers: HeaderMap) -> Response {
    s.hits.fetch_add(1, Ordering::SeqCst);
    *s.accept.lock().unwrap() = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (status, body, cc, delay) = {
        let x = s.served.lock().unwrap();
        (x.status, x.body.clone(), x.cache_control, x.delay)
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let mut res = (status, body).into_response();
    if let Some(cc) = cc {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(cc));
    }
    res
}

async fn oidc(State(s): State<Server>) -> Response {
    let body = format!(r#"{{"issuer":"{0}","jwks_uri":"{0}/jwks"}}"#, s.base);
    body.into_response()
}

async fn start() -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = Server {
        served: Arc::new(Mutex::new(Served {
            status: StatusCode::OK,
            body: String::new(),
            cache_control: None,
            delay: Duration::ZERO,
        })),
        hits: Arc::new(AtomicUsize::new(0)),
        accept: Arc::new(Mutex::new(None)),
        base: base.clone(),
    };
    let other = base.replace("127.0.0.1", "localhost");
    let app = Router::new()
        .route("/jwks", get(jwks))
        .route("/.well-known/openid-configuration", get(oidc))
        .route(
            "/moved",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/jwks")]) }),
        )
        .route(
            "/elsewhere",
            get(move || {
                let to = format!("{other}/jwks");
                async move { (StatusCode::FOUND, [(header::LOCATION, to)]) }
            }),
        )
        .with_state(server.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    server
}

impl Server {
    fn serve(&self, body: String, cache_control: Option<&'static str>) {
        let mut s = self.served.lock().unwrap();
        s.status = StatusCode::OK;
        s.body = body;
        s.cache_control = cache_control;
    }
    fn fail(&self, status: StatusCode) {
        self.served.lock().unwrap().status = status;
    }
    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

struct Key {
    private: Jwk,
    public: Jwk,
}

fn key(kid: &str) -> Key {
    let mut private = tessera::generate(KeySpec::new(Algorithm::EdDSA)).unwrap();
    private.kid = Some(kid.into());
    let mut public = tessera::default_backend(Algorithm::EdDSA)
        .unwrap()
        .public_key(&private)
        .unwrap();
    public.kid = Some(kid.into());
    public.alg = Some("EdDSA".into());
    Key { private, public }
}

fn set(keys: &[&Key]) -> String {
    JwkSet {
        keys: keys.iter().map(|k| k.public.clone()).collect(),
        skipped: 0,
    }
    .to_json()
}

fn token(k: &Key) -> String {
    Encoder::new(tessera::signer(&k.private, Algorithm::EdDSA).unwrap())
        .kid(k.private.kid.as_deref().unwrap())
        .encode(&serde_json::json!({ "sub": "alice", "exp": 4_000_000_000_i64 }))
        .unwrap()
}

fn config(clock: &Arc<ManualClock>) -> JwksConfig {
    JwksConfig::new().allow_http(true).clock(clock.clone())
}

fn rules() -> Validation {
    Validation::new()
}

#[tokio::test]
async fn first_verify_fetches_then_cache_hits_until_max_age() {
    let server = start().await;
    let a = key("a");
    server.serve(set(&[&a]), Some("public, max-age=60"));
    let clock = ManualClock::new();
    let jwks = RemoteJwks::new(&format!("{}/jwks", server.base), config(&clock)).unwrap();
    for _ in 0..3 {
        jwks.verify(&token(&a), &rules()).await.unwrap();
    }
    assert_eq!(server.hits(), 1);
    assert_eq!(
        server.accept.lock().unwrap().as_deref(),
        Some("application/jwk-set+json, application/json")
    );
    clock.advance(Duration::from_secs(59));
    jwks.verify(&token(&a), &rules()).await.unwrap();
    assert_eq!(server.hits(), 1);
    clock.advance(Duration::from_secs(2));
    jwks.verify(&token(&a), &rules()).await.unwrap();
    assert_eq!(server.hits(), 2);
    let stats = jwks.stats();
    assert_eq!((stats.fetches, stats.cache_hits, stats.errors), (2, 3, 0));
}

#[tokio::test]
async fn max_age_is_clamped_to_the_bounds() {
    let server = start().await;
    let a = key("a");
    server.serve(set(&[&a]), Some("max-age=1"));
    let clock = ManualClock::new();
    let jwks = RemoteJwks::new(&format!("{}/jwks", server.base), config(&clock)).unwrap();
    jwks.verify(&token(&a), &rules()).await.unwrap();
    clock.advance(Duration::from_secs(29));
    jwks.verify(&token(&a), &rules()).await.unwrap();
    assert_eq!(server.hits(), 1, "max-age=1 is raised to the 30 s minimum");
    assert_eq!(tessera_jwks::max_age_of("no-store"), Some(Duration::ZERO));
    assert_eq!(
        tessera_jwks::max_age_of("public, max-age=\"90\""),
        Some(Duration::from_secs(90))
    );
}

#[tokio::test]
async fn unknown_kid_refetches_once_per_cooldown() {
    let server = start().await;
    let (a, b) = (key("a"), key("b"));
    server.serve(set(&[&a]), None);
    let clock = ManualClock::new();
    let jwks = RemoteJwks::new(&format!("{}/jwks", server.base), config(&clock)).unwrap();
    jwks.verify(&token(&a), &rules()).await.unwrap();
    // Rotation at the issuer: b is published; a token of b inside the cooldown is refused.
    server.serve(set(&[&a, &b]), None);
    let refused = jwks.verify(&token(&b), &rules()).await.unwrap_err();
    assert!(matches!(
        refused,
        VerifyError::Token(Error::Decode(DecodeError::UnknownKeyId(_)))
    ));
    assert_eq!(server.hits(), 1);
    clock.advance(Duration::from_secs(30));
    jwks.verify(&token(&b), &rules()).await.unwrap();
    assert_eq!(server.hits(), 2);
    // A flood of made-up kids within the next cooldown costs nothing.
    let c = key("c");
    for i in 0..200 {
        let mut forged = key(&format!("x{i}"));
        forged.private.kid = Some(format!("x{i}"));
        let e = jwks.verify(&token(&forged), &rules()).await.unwrap_err();
        assert!(matches!(e, VerifyError::Token(_)));
    }
    assert!(jwks.verify(&token(&c), &rules()).await.is_err());
    assert_eq!(server.hits(), 2);
    assert_eq!(jwks.stats().unknown_kid_refetches, 1);
    assert_eq!(jwks.kids(), vec!["a".to_owned(), "b".to_owned()]);
}

#[tokio::test]
async fn concurrent_callers_share_one_fetch() {
    let server = start().await;
    let a = key("a");
    server.serve(set(&[&a]), None);
    server.served.lock().unwrap().delay = Duration::from_millis(200);
    let clock = ManualClock::new();
    let jwks = RemoteJwks::new(&format!("{}/jwks", server.base), config(&clock)).unwrap();
    let tok = token(&a);
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (jwks, tok) = (jwks.clone(), tok.clone());
        tasks.push(tokio::spawn(async move {
            jwks.verify(&tok, &Validation::new()).await.map(|_| ())
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn a_failed_refresh_keeps_serving_the_last_good_set_for_max_stale() {
    let server = start().await;
    let a = key("a");
    server.serve(set(&[&a]), Some("max-age=60"));
    let clock = ManualClock::new();
    let cfg = config(&clock).max_stale(Duration::from_secs(600));
    let jwks = RemoteJwks::new(&format!("{}/jwks", server.base), cfg).unwrap();
    jwks.verify(&token(&a), &rules()).await.unwrap();
    server.fail(StatusCode::SERVICE_UNAVAILABLE);
    clock.advance(Duration::from_secs(61));
    jwks.verify(&token(&a), &rules()).await.unwrap();
    assert_eq!(server.hits(), 2);
    assert_eq!(jwks.last_error(), Some(JwksError::Status(503)));
    // Retried at most once per cooldown while it fails.
    jwks.verify(&token(&a), &rules()).await.unwrap();
    assert_eq!(server.hits(), 2);
    clock.advance(Duration::from_secs(30));
    jwks.verify(&token(&a), &rules()).await.unwrap();
    assert_eq!(server.hits(), 3);
    assert!(jwks.stats().stale_served >= 3);
    // Past lifetime + max_stale: 503-worthy, saying which case.
    clock.advance(Duration::from_secs(600));
    let e = jwks.verify(&token(&a), &rules()).await.unwrap_err();
    match e {
        VerifyError::Keys(JwksError::Stale { cause, .. }) => {
            assert_eq!(*cause, JwksError::Status(503))
        }
        other => panic!("expected Stale, got {other:?}"),
    }
    // The issuer comes back: served again.
    server.serve(set(&[&a]), None);
    clock.advance(Duration::from_secs(30));
    jwks.verify(&token(&a), &rules()).await.unwrap();
}

#[tokio::test]
async fn no_set_ever_fetched_is_no_keys_with_the_cause() {
    let server = start().await;
    server.fail(StatusCode::INTERNAL_SERVER_ERROR);
    let clock = ManualClock::new();
    let jwks = RemoteJwks::new(&format!("{}/jwks", server.base), config(&clock)).unwrap();
    let e = jwks.verify(&token(&key("a")), &rules()).await.unwrap_err();
    match e {
        VerifyError::Keys(JwksError::NoKeys(cause)) => assert_eq!(*cause, JwksError::Status(500)),
        other => panic!("expected NoKeys, got {other:?}"),
    }
}

#[tokio::test]
async fn http_needs_allow_http() {
    let e = RemoteJwks::new("http://127.0.0.1:1/jwks", JwksConfig::new()).unwrap_err();
    assert!(matches!(e, JwksError::InsecureUrl(_)));
    let e = RemoteJwks::new("ftp://example.com/jwks", JwksConfig::new()).unwrap_err();
    assert!(matches!(e, JwksError::InvalidUrl(_)));
    let e = RemoteJwks::discover("http://127.0.0.1:1", JwksConfig::new()).unwrap_err();
    assert!(matches!(e, JwksError::InsecureUrl(_)));
}

#[tokio::test]
async fn oversized_and_malformed_sets_are_refused_before_parsing() {
    let server = start().await;
    let clock = ManualClock::new();
    let url = format!("{}/jwks", server.base);
    server.serve(
        format!("{{\"keys\":[],\"pad\":\"{}\"}}", "x".repeat(4096)),
        None,
    );
    let jwks = RemoteJwks::new(&url, config(&clock).max_size(1024)).unwrap();
    assert_eq!(jwks.refresh().await, Err(JwksError::TooLarge { max: 1024 }));
    server.serve(r#"{"keys":[],"keys":[]}"#.into(), None);
    let jwks = RemoteJwks::new(&url, config(&clock)).unwrap();
    assert!(matches!(
        jwks.refresh().await,
        Err(JwksError::InvalidSet(_))
    ));
}

#[tokio::test]
async fn redirects_are_followed_on_the_same_origin_only() {
    let server = start().await;
    let a = key("a");
    server.serve(set(&[&a]), None);
    let clock = ManualClock::new();
    let moved = RemoteJwks::new(&format!("{}/moved", server.base), config(&clock)).unwrap();
    moved.verify(&token(&a), &rules()).await.unwrap();
    let away = RemoteJwks::new(&format!("{}/elsewhere", server.base), config(&clock)).unwrap();
    assert!(matches!(
        away.refresh().await,
        Err(JwksError::CrossOriginRedirect(_))
    ));
}

#[tokio::test]
async fn a_silent_server_times_out() {
    let server = start().await;
    server.serve(set(&[&key("a")]), None);
    server.served.lock().unwrap().delay = Duration::from_millis(500);
    let clock = ManualClock::new();
    let cfg = config(&clock).timeout(Duration::from_millis(50));
    let jwks = RemoteJwks::new(&format!("{}/jwks", server.base), cfg).unwrap();
    assert_eq!(
        jwks.refresh().await,
        Err(JwksError::Timeout(Duration::from_millis(50)))
    );
}

#[tokio::test]
async fn discovery_finds_jwks_uri_and_checks_the_issuer() {
    let server = start().await;
    let a = key("a");
    server.serve(set(&[&a]), None);
    let clock = ManualClock::new();
    let jwks = RemoteJwks::discover(&server.base, config(&clock)).unwrap();
    jwks.verify(&token(&a), &rules()).await.unwrap();
    assert_eq!(jwks.jwks_uri(), Some(format!("{}/jwks", server.base)));
    // The same server under another name: the document's issuer is not the one configured.
    let other = server.base.replace("127.0.0.1", "localhost");
    let wrong = RemoteJwks::discover(&other, config(&clock)).unwrap();
    let e = wrong.refresh().await.unwrap_err();
    assert!(matches!(e, JwksError::IssuerMismatch { .. }), "{e:?}");
    assert_eq!(
        tessera_jwks::metadata_urls("https://a.example/tenant"),
        [
            "https://a.example/tenant/.well-known/openid-configuration".to_owned(),
            "https://a.example/.well-known/oauth-authorization-server/tenant".to_owned()
        ]
    );
}

#[test]
fn key_set_report_names_every_skipped_key() {
    let ed = key("ed");
    let mut enc = key("enc").public;
    enc.key_use = Some("enc".into());
    let mut rsa = tessera::generate(KeySpec::new(Algorithm::RS256)).unwrap();
    rsa = rsa.to_public().unwrap();
    rsa.kid = Some("rsa".into());
    rsa.alg = None;
    let mut weird = key("weird").public;
    weird.alg = Some("XS999".into());
    let hmac = Jwk::oct(vec![7u8; 32])
        .with_kid("hs")
        .with_alg(Algorithm::HS256);
    let set = JwkSet {
        keys: vec![ed.public.clone(), enc, rsa.clone(), weird, hmac],
        skipped: 2,
    };
    let (verifiers, report) = verifier_set_from_jwks(&set, &KeyChoice::new());
    assert_eq!(verifiers.kids(), vec!["ed"]);
    assert_eq!(report.unsupported_type, 2);
    let reasons: Vec<_> = report.skipped.iter().map(|s| s.reason.clone()).collect();
    assert_eq!(
        reasons,
        vec![
            SkipReason::Encryption,
            SkipReason::NoAlgorithm { kty: "RSA" },
            SkipReason::UnknownAlgorithm("XS999".into()),
            SkipReason::Symmetric,
        ]
    );
    // The caller allows RS256 and PS256 for keys without alg: the RSA key serves both.
    let choice = KeyChoice::new()
        .allow(Algorithm::EdDSA)
        .allow(Algorithm::RS256)
        .allow(Algorithm::PS256);
    let (verifiers, _) = verifier_set_from_jwks(&set, &choice);
    assert_eq!(verifiers.len(), 3);
    // Only ES256 allowed: the Ed25519 key is left out as not allowed.
    let (_, report) = verifier_set_from_jwks(&set, &KeyChoice::new().allow(Algorithm::ES256));
    assert_eq!(
        report.skipped[0].reason,
        SkipReason::NotAllowed(Algorithm::EdDSA)
    );
}

#[test]
fn weak_keys_are_reported_with_the_key_error() {
    let weak = Jwk::oct(vec![1u8; 8])
        .with_kid("weak")
        .with_alg(Algorithm::HS256);
    let set = JwkSet {
        keys: vec![weak],
        skipped: 0,
    };
    let (v, report) = verifier_set_from_jwks(&set, &KeyChoice::new().allow_symmetric());
    assert!(v.is_empty());
    assert!(
        matches!(
            report.skipped[0].reason,
            SkipReason::Key(Algorithm::HS256, tessera::KeyError::TooWeak { .. })
        ),
        "{:?}",
        report.skipped
    );
}

#[test]
fn keys_sharing_a_kid_are_tried_in_order() {
    let (a1, a2) = (key("same"), key("same"));
    let set = JwkSet {
        keys: vec![a1.public.clone(), a2.public.clone()],
        skipped: 0,
    };
    let (v, _) = verifier_set_from_jwks(&set, &KeyChoice::new());
    v.verify(&token(&a2), &rules()).unwrap();
    v.verify(&token(&a1), &rules()).unwrap();
    let stranger = key("same");
    assert!(matches!(
        v.verify(&token(&stranger), &rules()),
        Err(Error::Signature(_))
    ));
    let nobody = key("nobody");
    assert!(matches!(
        v.verify(&token(&nobody), &rules()),
        Err(Error::Decode(DecodeError::UnknownKeyId(_)))
    ));
}

#[tokio::test]
async fn verify_cached_never_fetches() {
    let server = start().await;
    let a = key("a");
    server.serve(set(&[&a]), None);
    let clock = ManualClock::new();
    let jwks = RemoteJwks::new(&format!("{}/jwks", server.base), config(&clock)).unwrap();
    let e = jwks.verify_cached(&token(&a), &rules()).unwrap_err();
    assert!(
        matches!(e, VerifyError::Keys(JwksError::NotFetched)),
        "{e:?}"
    );
    assert_eq!(server.hits(), 0);
    jwks.refresh().await.unwrap();
    jwks.verify_cached(&token(&a), &rules()).unwrap();
    assert_eq!(server.hits(), 1);
}
