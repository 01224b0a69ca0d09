// Unit tests: this module is declared under #[cfg(test)] only.
use super::*;
use axum::Router;
use axum::body::Body;
use axum::routing::get;
use http::header::WWW_AUTHENTICATE;
use http::{HeaderValue, StatusCode};
use serde::Serialize;
use tessera::{Algorithm, Clock, Encoder, Jwk};
use tower::ServiceExt;

const NOW: i64 = 1_700_000_000;

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
}

struct Admin;
impl Scope for Admin {
    const NAME: &'static str = "admin";
}

fn key(kid: &str, secret: u8) -> Jwk {
    Jwk::oct(vec![secret; 32]).with_kid(kid)
}

fn keys(list: &[Jwk]) -> VerifierSet {
    let mut set = VerifierSet::new();
    for k in list {
        set.insert(tessera::verifier(k, Algorithm::HS256).unwrap())
            .unwrap();
    }
    set
}

fn auth() -> BearerAuth {
    BearerAuth::new(
        "tessera \"test\"",
        keys(&[key("k1", 1), key("k2", 2)]),
        Validation::new().clock(Clock::Fixed(NOW)),
    )
}

fn token(k: &Jwk, exp: i64, scope: Option<&str>) -> String {
    Encoder::new(tessera::signer(k, Algorithm::HS256).unwrap())
        .encode(&Claims {
            sub: "alice".into(),
            exp,
            scope: scope.map(str::to_owned),
        })
        .unwrap()
}

fn good() -> String {
    token(&key("k1", 1), NOW + 60, Some("profile"))
}

async fn me(Bearer(c): Bearer<Claims>) -> String {
    c.sub
}

async fn admin(Scoped(c, _): Scoped<Admin, Claims>) -> String {
    format!("admin {}", c.sub)
}

fn app(auth: BearerAuth) -> Router {
    let layered = Router::new()
        .route("/layer/me", get(me))
        .route_layer(BearerLayer::<Claims>::new(auth.clone()))
        .route(
            "/layer/admin",
            get(me).route_layer(BearerLayer::<Claims>::new(auth.clone()).require_scope("admin")),
        )
        .with_state(auth.clone());
    Router::new()
        .route("/me", get(me))
        .route("/admin", get(admin))
        .route("/open", get(|| async { "open" }))
        .with_state(auth)
        .merge(layered)
}

struct Reply {
    status: StatusCode,
    challenge: Option<String>,
    body: String,
}

async fn send(app: Router, path: &str, auth_headers: &[&str]) -> Reply {
    let mut req = Request::get(path);
    for h in auth_headers {
        req = req.header(AUTHORIZATION, *h);
    }
    let res = app.oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let challenge = res
        .headers()
        .get(WWW_AUTHENTICATE)
        .map(|v| v.to_str().unwrap().to_owned());
    let body = axum::body::to_bytes(res.into_body(), 1 << 16)
        .await
        .unwrap();
    Reply {
        status,
        challenge,
        body: String::from_utf8(body.to_vec()).unwrap(),
    }
}

async fn get_with(path: &str, header: &str) -> Reply {
    send(app(auth()), path, &[header]).await
}

fn invalid_token(r: &Reply, description: &str) {
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    assert_eq!(
        r.challenge.as_deref(),
        Some(
            format!(
                r#"Bearer realm="tessera test", error="invalid_token", error_description="{description}""#
            )
            .as_str()
        )
    );
    let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(body["error"], "invalid_token");
    assert_eq!(body["error_description"], description);
}

#[tokio::test]
async fn valid_token_gives_claims() {
    let t = good();
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let r = get_with("/me", &format!("{scheme} {t}")).await;
        assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "alice"));
        assert_eq!(r.challenge, None);
    }
    // 1*SP between scheme and token (RFC 6750 §2.1), surrounding whitespace trimmed.
    let r = get_with("/me", &format!("Bearer   {t} ")).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn no_credentials_is_a_bare_challenge() {
    for headers in [
        &[][..],
        &["Basic YWxpY2U6c2VjcmV0"][..],
        &["Bearertoken"][..],
    ] {
        let r = send(app(auth()), "/me", headers).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            r.challenge.as_deref(),
            Some(r#"Bearer realm="tessera test""#)
        );
        assert!(!r.body.contains("YWxpY2U6c2VjcmV0"));
    }
    let r = send(app(auth()), "/open", &[]).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn garbage_is_invalid_token() {
    for (garbage, description) in [
        ("abc", "the token is malformed"),
        ("a.b.c", "the token is malformed"),
        ("not-a-jwt~token", "the token is malformed"),
        // Well-formed but without kid, while the set holds two keys.
        ("eyJhbGciOiJIUzI1NiJ9.e30.c2ln", "the token names no key"),
    ] {
        let r = get_with("/me", &format!("Bearer {garbage}")).await;
        invalid_token(&r, description);
        assert!(!r.body.contains(garbage));
        assert!(!r.challenge.unwrap().contains(garbage));
    }
}

#[tokio::test]
async fn tampered_token_is_invalid_token() {
    let t = good();
    // Flip the payload: sub alice -> sub mallory, keep the signature.
    let mut parts: Vec<String> = t.split('.').map(str::to_owned).collect();
    parts[1] = tessera::codec::b64::encode(
        serde_json::to_string(&Claims {
            sub: "mallory".into(),
            exp: NOW + 60,
            scope: Some("profile admin".into()),
        })
        .unwrap()
        .as_bytes(),
    );
    let forged = parts.join(".");
    let r = get_with("/me", &format!("Bearer {forged}")).await;
    invalid_token(&r, "the token signature is invalid");
    assert!(!r.body.contains(&forged));
    // The scope is not even looked at before the signature: still 401, not 200 or 403.
    let r = get_with("/admin", &format!("Bearer {forged}")).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn wrong_key_is_invalid_token() {
    // Same kid, other secret.
    let r = get_with(
        "/me",
        &format!("Bearer {}", token(&key("k1", 9), NOW + 60, None)),
    )
    .await;
    invalid_token(&r, "the token signature is invalid");
    // Unknown kid: the kid is not echoed.
    let t = token(&key("k-unknown-kid", 1), NOW + 60, None);
    let r = get_with("/me", &format!("Bearer {t}")).await;
    invalid_token(&r, "the token is signed with an unknown key");
    assert!(!r.body.contains("k-unknown-kid"));
}

#[tokio::test]
async fn expired_token_is_invalid_token() {
    let t = token(&key("k2", 2), NOW - 1, None);
    let r = get_with("/me", &format!("Bearer {t}")).await;
    invalid_token(&r, "the token expired");
    let r = send(app(auth()), "/layer/me", &[&format!("Bearer {t}")]).await;
    invalid_token(&r, "the token expired");
}

#[tokio::test]
async fn claims_of_the_wrong_shape_are_invalid_token() {
    let t = Encoder::new(tessera::signer(&key("k1", 1), Algorithm::HS256).unwrap())
        .encode(&serde_json::json!({"exp": NOW + 60, "name": "alice"}))
        .unwrap();
    let r = get_with("/me", &format!("Bearer {t}")).await;
    invalid_token(&r, "the token claims do not have the expected form");
    // A registered claim of the wrong type is caught by the validation, and named.
    let t = Encoder::new(tessera::signer(&key("k1", 1), Algorithm::HS256).unwrap())
        .encode(&serde_json::json!({"exp": NOW + 60, "sub": 42}))
        .unwrap();
    let r = get_with("/me", &format!("Bearer {t}")).await;
    invalid_token(&r, "the token has an invalid sub claim");
}

#[tokio::test]
async fn malformed_header_is_invalid_request() {
    let t = good();
    for h in [
        "Bearer".to_owned(),
        "Bearer ".to_owned(),
        format!("Bearer {t} {t}"),
        format!("Bearer {t},x"),
        "Bearer a\"b".to_owned(),
    ] {
        let r = get_with("/me", &h).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{h}");
        let c = r.challenge.unwrap();
        assert!(
            c.starts_with(
                r#"Bearer realm="tessera test", error="invalid_request", error_description=""#
            ),
            "{c}"
        );
        assert!(!r.body.contains(&t));
    }
    let two = format!("Bearer {t}");
    let r = send(app(auth()), "/me", &[&two, &two]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("more than one Authorization header"));
}

#[tokio::test]
async fn missing_scope_is_forbidden() {
    for path in ["/admin", "/layer/admin"] {
        let r = get_with(path, &format!("Bearer {}", good())).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(
            r.challenge.as_deref(),
            Some(
                r#"Bearer realm="tessera test", error="insufficient_scope", error_description="the token lacks a required scope", scope="admin""#
            )
        );
        let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(body["error"], "insufficient_scope");
        // No scope claim at all: also 403.
        let t = token(&key("k1", 1), NOW + 60, None);
        let r = get_with(path, &format!("Bearer {t}")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // A scope that merely contains the name does not count.
        let t = token(&key("k1", 1), NOW + 60, Some("administrator admins"));
        let r = get_with(path, &format!("Bearer {t}")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn granted_scope_passes() {
    let t = token(&key("k2", 2), NOW + 60, Some("profile admin"));
    let r = get_with("/admin", &format!("Bearer {t}")).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "admin alice"));
    let r = get_with("/layer/admin", &format!("Bearer {t}")).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "alice"));
}

#[tokio::test]
async fn non_string_scope_is_invalid_token() {
    let t = Encoder::new(tessera::signer(&key("k1", 1), Algorithm::HS256).unwrap())
        .encode(&serde_json::json!({"exp": NOW + 60, "sub": "alice", "scope": ["admin"]}))
        .unwrap();
    let r = get_with("/admin", &format!("Bearer {t}")).await;
    invalid_token(&r, "the scope claim is not a string");
}

#[tokio::test]
async fn layer_guards_routes_and_hands_claims_over() {
    let r = send(app(auth()), "/layer/me", &[]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        r.challenge.as_deref(),
        Some(r#"Bearer realm="tessera test""#)
    );
    let r = send(app(auth()), "/layer/me", &[&format!("Bearer {}", good())]).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "alice"));
    // route_layer: unknown paths are still 404, not 401.
    let r = send(app(auth()), "/layer/nope", &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn replacing_keys_rotates() {
    let a = auth();
    let old = good();
    let new = token(&key("k3", 3), NOW + 60, None);
    assert_eq!(
        send(app(a.clone()), "/me", &[&format!("Bearer {new}")])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    a.replace_keys(keys(&[key("k1", 1), key("k3", 3)]));
    for t in [&old, &new] {
        let r = send(app(a.clone()), "/me", &[&format!("Bearer {t}")]).await;
        assert_eq!(r.status, StatusCode::OK);
    }
    a.replace_keys(keys(&[key("k3", 3)]));
    let r = send(app(a.clone()), "/me", &[&format!("Bearer {old}")]).await;
    invalid_token(&r, "the token is signed with an unknown key");
}

#[test]
fn bearer_token_parsing() {
    let mut h = HeaderMap::new();
    assert_eq!(bearer_token(&h), Err(AuthErrorKind::MissingToken));
    h.insert(
        AUTHORIZATION,
        HeaderValue::from_static("Bearer abc.DEF-_~+/=="),
    );
    assert_eq!(bearer_token(&h), Ok("abc.DEF-_~+/=="));
    h.insert(AUTHORIZATION, HeaderValue::from_static("Bearer =="));
    assert!(matches!(
        bearer_token(&h),
        Err(AuthErrorKind::InvalidRequest(_))
    ));
    h.insert(AUTHORIZATION, HeaderValue::from_static("Bearer a=b"));
    assert!(matches!(
        bearer_token(&h),
        Err(AuthErrorKind::InvalidRequest(_))
    ));
    h.insert(AUTHORIZATION, HeaderValue::from_static("Digest abc"));
    assert_eq!(bearer_token(&h), Err(AuthErrorKind::MissingToken));
}

#[test]
fn error_accessors() {
    let a = auth();
    let e = a.verify_token::<Claims>("abc", &[] as &[&str]).unwrap_err();
    assert_eq!(e.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(e.code(), Some("invalid_token"));
    assert!(e.cause().is_some());
    assert_eq!(e.to_string(), "invalid_token: the token is malformed");
    assert_eq!(a.realm(), "tessera test");
    assert_eq!(a.keys().len(), 2);
}
