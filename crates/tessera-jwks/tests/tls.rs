//! TLS for real: an issuer on 127.0.0.1 serves its JWK Set over HTTPS (tokio-rustls and hyper,
//! started by each test) with a certificate from a private CA made for the test (rcgen). Trusted
//! through `JwksConfig::root_certificate`, the set is fetched and a token verifies; without that
//! root, or when the certificate names another host, the handshake fails with `JwksError::Tls`.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tessera::{Algorithm, Encoder, Jwk, JwkSet, KeySpec, Validation};
use tessera_jwks::{JwksConfig, JwksError, RemoteJwks, VerifyError};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A CA, and a server configuration whose certificate it issued for `names`.
fn pki(names: &[&str]) -> (CertificateDer<'static>, Arc<ServerConfig>) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "tessera test CA");
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>())
        .unwrap()
        .signed_by(&leaf_key, &ca)
        .unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let server = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![leaf.der().clone(), ca.der().clone()], key)
        .unwrap();
    (ca.der().clone(), Arc::new(server))
}

/// Serves `body` on every path over TLS; returns the base URL and the count of answered requests.
async fn serve(tls: Arc<ServerConfig>, body: String) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("https://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let acceptor = TlsAcceptor::from(tls);
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let (acceptor, body, hits) = (acceptor.clone(), body.clone(), counted.clone());
            tokio::spawn(async move {
                // A client refusing the certificate ends the handshake here: not an error of the test.
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let service = service_fn(move |_req| {
                    hits.fetch_add(1, Ordering::SeqCst);
                    let body = body.clone();
                    async move {
                        Ok::<_, Infallible>(hyper::Response::new(Full::new(Bytes::from(body))))
                    }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    (base, hits)
}

struct Issuer {
    private: Jwk,
    jwks: String,
}

fn issuer() -> Issuer {
    let mut private = tessera::generate(KeySpec::new(Algorithm::EdDSA)).unwrap();
    private.kid = Some("tls-1".into());
    let mut public = tessera::default_backend(Algorithm::EdDSA)
        .unwrap()
        .public_key(&private)
        .unwrap();
    public.kid = Some("tls-1".into());
    public.alg = Some("EdDSA".into());
    let jwks = JwkSet {
        keys: vec![public],
        skipped: 0,
    }
    .to_json();
    Issuer { private, jwks }
}

fn token(i: &Issuer) -> String {
    Encoder::new(tessera::signer(&i.private, Algorithm::EdDSA).unwrap())
        .kid("tls-1")
        .encode(&serde_json::json!({ "sub": "alice", "exp": 4_102_444_800_i64 }))
        .unwrap()
}

fn validation() -> Validation {
    Validation::new().any_audience()
}

#[tokio::test]
async fn a_private_root_is_trusted_once_given() {
    let (ca, tls) = pki(&["127.0.0.1"]);
    let i = issuer();
    let (base, hits) = serve(tls, i.jwks.clone()).await;
    let config = JwksConfig::new().root_certificate(&ca).unwrap();
    let remote = RemoteJwks::new(&format!("{base}/jwks"), config).unwrap();
    let token = token(&i);
    let verified = remote.verify(&token, &validation()).await.unwrap();
    assert_eq!(verified.header().unwrap().kid.as_deref(), Some("tls-1"));
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn without_the_root_the_handshake_fails() {
    let (_, tls) = pki(&["127.0.0.1"]);
    let i = issuer();
    let (base, hits) = serve(tls, i.jwks.clone()).await;
    let remote = RemoteJwks::new(&format!("{base}/jwks"), JwksConfig::new()).unwrap();
    // No set was ever fetched, so the verify fails with the cause of the failed fetch.
    match remote.verify(&token(&i), &validation()).await {
        Err(VerifyError::Keys(JwksError::NoKeys(cause))) => match *cause {
            JwksError::Tls(m) => assert!(m.contains("UnknownIssuer"), "{m}"),
            other => panic!("expected a TLS error, got {other:?}"),
        },
        other => panic!("expected no keys, got {other:?}"),
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "no request after a refused handshake"
    );
}

#[tokio::test]
async fn a_certificate_for_another_name_is_refused() {
    let (ca, tls) = pki(&["issuer.example"]);
    let i = issuer();
    let (base, hits) = serve(tls, i.jwks.clone()).await;
    let config = JwksConfig::new().root_certificate(&ca).unwrap();
    let remote = RemoteJwks::new(&format!("{base}/jwks"), config).unwrap();
    match remote.refresh().await {
        Err(JwksError::Tls(m)) => assert!(m.contains("not valid for name"), "{m}"),
        other => panic!("expected a TLS error, got {other:?}"),
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}

#[test]
fn a_root_that_is_not_a_certificate_is_refused_at_once() {
    assert!(matches!(
        JwksConfig::new().root_certificate(&[0x30, 0x03, 0x02, 0x01, 0x00]),
        Err(JwksError::Tls(_))
    ));
}
