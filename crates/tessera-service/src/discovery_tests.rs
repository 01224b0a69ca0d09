//! Unit tests of the discovery documents, compiled only under #[cfg(test)] (declared in discovery.rs).

use super::*;
use crate::App;
use crate::config::Settings;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

#[test]
fn metadata_names_the_issuer_and_its_jwks() {
    let m = metadata("https://auth.example.com/", &["EdDSA"]);
    assert_eq!(
        m["id_token_signing_alg_values_supported"],
        serde_json::json!(["EdDSA"])
    );
    assert_eq!(m["issuer"], "https://auth.example.com/");
    assert_eq!(
        m["jwks_uri"],
        "https://auth.example.com/.well-known/jwks.json"
    );
}

#[tokio::test]
async fn both_well_known_documents_are_served() {
    let dir = std::env::temp_dir().join(format!("tessera-discovery-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut settings = Settings::new(dir.join("db.sqlite"));
    settings.password_params = argon2::Params::new(8, 1, 1, None).unwrap();
    settings.issuer = "http://issuer.test".into();
    let app = crate::routes::router(App::open(settings, false).await.unwrap());
    for path in [
        "/.well-known/openid-configuration",
        "/.well-known/oauth-authorization-server",
    ] {
        let res = app
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let body = axum::body::to_bytes(res.into_body(), 4096).await.unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(doc["issuer"], "http://issuer.test");
        assert_eq!(doc["jwks_uri"], "http://issuer.test/.well-known/jwks.json");
        assert_eq!(
            doc["id_token_signing_alg_values_supported"],
            serde_json::json!(["EdDSA"])
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
