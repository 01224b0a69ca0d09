//! One HTTP GET with the limits of [`JwksConfig`]: scheme, timeout, same-origin redirects only,
//! size, and `Cache-Control: max-age`.
//!
//! Built on hyper's HTTP/1.1 client connection and tokio-rustls (ring provider, Mozilla roots from
//! `webpki-roots`, plus any [`JwksConfig::root_certificate`]), one connection per fetch: key sets are fetched every few minutes at most, so
//! a pool would only hold sockets open.

use crate::{JwksConfig, JwksError};
use http::header::{ACCEPT, CACHE_CONTROL, HOST, LOCATION, USER_AGENT};
use http::{Request, StatusCode, Uri};
use http_body_util::{BodyExt, Empty, Limited};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};

/// Same-origin redirects followed at most.
const MAX_REDIRECTS: usize = 3;

/// What a GET gave.
#[derive(Debug)]
pub(crate) struct Fetched {
    pub(crate) body: Vec<u8>,
    pub(crate) max_age: Option<Duration>,
}

/// Checks that `url` can be fetched under `config` (absolute, http(s), a host; http only if allowed).
pub(crate) fn check_url(url: &str, config: &JwksConfig) -> Result<Uri, JwksError> {
    let clipped = || url.chars().take(200).collect::<String>();
    let uri: Uri = url.parse().map_err(|_| JwksError::InvalidUrl(clipped()))?;
    match uri.scheme_str() {
        Some("https") => {}
        Some("http") if config.allow_http => {}
        Some("http") => return Err(JwksError::InsecureUrl(clipped())),
        _ => return Err(JwksError::InvalidUrl(clipped())),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(JwksError::InvalidUrl(clipped()));
    }
    Ok(uri)
}

/// GETs `uri` with `Accept: accept`, within the timeout, following same-origin redirects.
pub(crate) async fn get(
    uri: &Uri,
    accept: &'static str,
    config: &JwksConfig,
) -> Result<Fetched, JwksError> {
    tokio::time::timeout(config.timeout, get_following(uri.clone(), accept, config))
        .await
        .map_err(|_| JwksError::Timeout(config.timeout))?
}

async fn get_following(
    mut uri: Uri,
    accept: &'static str,
    config: &JwksConfig,
) -> Result<Fetched, JwksError> {
    for _ in 0..=MAX_REDIRECTS {
        match get_once(&uri, accept, config).await? {
            Answer::Done(f) => return Ok(f),
            Answer::Redirect(location) => uri = same_origin(&uri, &location)?,
        }
    }
    Err(JwksError::Redirect)
}

enum Answer {
    Done(Fetched),
    Redirect(String),
}

/// The target of a redirect from `from` to `location`, if it stays on the same origin.
fn same_origin(from: &Uri, location: &str) -> Result<Uri, JwksError> {
    let refused = || JwksError::CrossOriginRedirect(location.chars().take(200).collect());
    if location.starts_with('/') && !location.starts_with("//") {
        let mut parts = from.clone().into_parts();
        parts.path_and_query = Some(location.parse().map_err(|_| JwksError::Redirect)?);
        return Uri::from_parts(parts).map_err(|_| JwksError::Redirect);
    }
    let to: Uri = location.parse().map_err(|_| refused())?;
    let origin = |u: &Uri| {
        (
            u.scheme_str().map(str::to_owned),
            u.host().map(str::to_ascii_lowercase),
            port(u),
        )
    };
    if to.scheme().is_some() && origin(&to) == origin(from) {
        Ok(to)
    } else {
        Err(refused())
    }
}

fn port(uri: &Uri) -> u16 {
    uri.port_u16()
        .unwrap_or(if uri.scheme_str() == Some("https") {
            443
        } else {
            80
        })
}

async fn get_once(
    uri: &Uri,
    accept: &'static str,
    config: &JwksConfig,
) -> Result<Answer, JwksError> {
    let host = uri
        .host()
        .ok_or_else(|| JwksError::InvalidUrl(uri.to_string()))?;
    // IPv6 literals come bracketed in the authority; the socket and TLS name want them bare.
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let tcp = TcpStream::connect((bare, port(uri)))
        .await
        .map_err(|e| JwksError::Connect(e.to_string()))?;
    let _ = tcp.set_nodelay(true);
    let authority = uri.authority().map_or(host, |a| a.as_str()).to_owned();
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let request = Request::get(path)
        .header(HOST, authority)
        .header(ACCEPT, accept)
        .header(
            USER_AGENT,
            concat!("tessera-jwks/", env!("CARGO_PKG_VERSION")),
        )
        .body(Empty::<Bytes>::new())
        .map_err(|e| JwksError::InvalidUrl(e.to_string()))?;
    if uri.scheme_str() == Some("https") {
        let name = ServerName::try_from(bare.to_owned())
            .map_err(|_| JwksError::InvalidUrl(uri.to_string()))?;
        let tls_config = match &config.tls {
            Some(own) => own.clone(),
            None => tls_config()?,
        };
        let tls = TlsConnector::from(tls_config)
            .connect(name, tcp)
            .await
            .map_err(|e| JwksError::Tls(e.to_string()))?;
        exchange(TokioIo::new(tls), request, config).await
    } else {
        exchange(TokioIo::new(tcp), request, config).await
    }
}

async fn exchange<T>(
    io: T,
    request: Request<Empty<Bytes>>,
    config: &JwksConfig,
) -> Result<Answer, JwksError>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| JwksError::Connect(e.to_string()))?;
    // The connection task ends with the response; bounded too, so that a server that stops
    // talking mid-body cannot keep it (and its socket) alive after the request timed out.
    let limit = config.timeout;
    tokio::spawn(async move {
        let _ = tokio::time::timeout(limit, conn).await;
    });
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| JwksError::Connect(e.to_string()))?;
    let status = response.status();
    if status.is_redirection() {
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|l| l.to_str().ok())
            .ok_or(JwksError::Redirect)?;
        return Ok(Answer::Redirect(location.to_owned()));
    }
    if status != StatusCode::OK {
        return Err(JwksError::Status(status.as_u16()));
    }
    let max_age = max_age(response.headers().get_all(CACHE_CONTROL).iter());
    let max = config.max_size;
    let body = Limited::new(response.into_body(), max)
        .collect()
        .await
        .map_err(|e| {
            if e.is::<http_body_util::LengthLimitError>() {
                JwksError::TooLarge { max }
            } else {
                JwksError::Connect(e.to_string())
            }
        })?
        .to_bytes()
        .to_vec();
    Ok(Answer::Done(Fetched { body, max_age }))
}

/// `max-age` of `Cache-Control` (RFC 9111 §5.2.2.1); `no-store` and `no-cache` give zero (the
/// configured minimum then applies). `None` when neither is present.
pub(crate) fn max_age<'a>(values: impl Iterator<Item = &'a http::HeaderValue>) -> Option<Duration> {
    let mut found = None;
    for value in values {
        let Ok(value) = value.to_str() else { continue };
        for directive in value.split(',').map(str::trim) {
            let (name, arg) = directive.split_once('=').unwrap_or((directive, ""));
            let name = name.trim().to_ascii_lowercase();
            if name == "no-store" || name == "no-cache" {
                return Some(Duration::ZERO);
            }
            if name == "max-age"
                && let Ok(secs) = arg.trim().trim_matches('"').parse::<u64>()
            {
                found = Some(Duration::from_secs(secs));
            }
        }
    }
    found
}

/// The TLS client configuration, built once: ring, TLS 1.2 and 1.3, the Mozilla root store.
fn tls_config() -> Result<Arc<ClientConfig>, JwksError> {
    static CONFIG: OnceLock<Result<Arc<ClientConfig>, JwksError>> = OnceLock::new();
    CONFIG.get_or_init(|| tls_config_with(&[])).clone()
}

/// The TLS client configuration with `extra` (DER certificates) trusted beside the Mozilla roots.
pub(crate) fn tls_config_with(extra: &[Vec<u8>]) -> Result<Arc<ClientConfig>, JwksError> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for der in extra {
        roots
            .add(CertificateDer::from(der.clone()))
            .map_err(|e| JwksError::Tls(format!("root certificate: {e}")))?;
    }
    ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map(|b| Arc::new(b.with_root_certificates(roots).with_no_client_auth()))
        .map_err(|e| JwksError::Tls(e.to_string()))
}
