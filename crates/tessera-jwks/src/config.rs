//! What a [`crate::RemoteJwks`] may do: timeouts, cache bounds, limits, and the clock.

use crate::{JwksError, KeyChoice};
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Where "now" comes from; [`SystemClock`] except in tests ([`ManualClock`]).
pub trait TimeSource: Send + Sync + fmt::Debug {
    /// The current instant.
    fn now(&self) -> Instant;
}

/// The monotonic clock of the system.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl TimeSource for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// A clock that moves only when told: for testing lifetimes, cooldowns and staleness without waiting.
#[derive(Debug)]
pub struct ManualClock {
    start: Instant,
    offset_ms: AtomicU64,
}

impl ManualClock {
    /// A clock standing at the moment it is made.
    pub fn new() -> Arc<ManualClock> {
        Arc::new(ManualClock {
            start: Instant::now(),
            offset_ms: AtomicU64::new(0),
        })
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let ms = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.offset_ms.fetch_add(ms, Ordering::SeqCst);
    }
}

impl TimeSource for ManualClock {
    fn now(&self) -> Instant {
        self.start + Duration::from_millis(self.offset_ms.load(Ordering::SeqCst))
    }
}

/// The settings of a [`crate::RemoteJwks`]. The defaults are close to panva/jose and Nimbus:
///
/// | setting | default | |
/// |---|---|---|
/// | [`timeout`](JwksConfig::timeout) | 5 s | one request, connect to last byte |
/// | [`lifetime`](JwksConfig::lifetime) | 10 min | when the response has no `Cache-Control: max-age` |
/// | [`lifetime_bounds`](JwksConfig::lifetime_bounds) | 30 s ..= 24 h | `max-age` is clamped into them |
/// | [`cooldown`](JwksConfig::cooldown) | 30 s | at most one refetch per cooldown for an unknown `kid`, or after a failure |
/// | [`max_stale`](JwksConfig::max_stale) | 1 h | the last good set keeps serving this long past its lifetime while refreshing fails |
/// | [`max_size`](JwksConfig::max_size) | 512 KiB | larger responses are refused before parsing |
/// | [`allow_http`](JwksConfig::allow_http) | off | `https` only |
/// | [`root_certificate`](JwksConfig::root_certificate) | none | trust anchors beside the Mozilla roots |
#[derive(Clone, Debug)]
pub struct JwksConfig {
    pub(crate) timeout: Duration,
    pub(crate) lifetime: Duration,
    pub(crate) min_lifetime: Duration,
    pub(crate) max_lifetime: Duration,
    pub(crate) cooldown: Duration,
    pub(crate) max_stale: Duration,
    pub(crate) max_size: usize,
    pub(crate) allow_http: bool,
    pub(crate) keys: KeyChoice,
    pub(crate) clock: Arc<dyn TimeSource>,
    /// Extra trust anchors, DER, in the order given.
    pub(crate) roots: Vec<Vec<u8>>,
    /// The TLS configuration with `roots` added; `None`: the shared one with Mozilla's roots.
    pub(crate) tls: Option<Arc<tokio_rustls::rustls::ClientConfig>>,
}

impl Default for JwksConfig {
    fn default() -> Self {
        JwksConfig {
            timeout: Duration::from_secs(5),
            lifetime: Duration::from_secs(600),
            min_lifetime: Duration::from_secs(30),
            max_lifetime: Duration::from_secs(24 * 3600),
            cooldown: Duration::from_secs(30),
            max_stale: Duration::from_secs(3600),
            max_size: 512 * 1024,
            allow_http: false,
            keys: KeyChoice::new(),
            clock: Arc::new(SystemClock),
            roots: Vec::new(),
            tls: None,
        }
    }
}

impl JwksConfig {
    /// The defaults of the table above.
    pub fn new() -> Self {
        JwksConfig::default()
    }

    /// The timeout of one request (connect, TLS, headers and body).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long a set stays fresh when the response has no `Cache-Control: max-age`.
    pub fn lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = lifetime;
        self
    }

    /// Bounds on the lifetime `Cache-Control: max-age` (or the default) gives; `no-store` and
    /// `no-cache` count as the minimum.
    pub fn lifetime_bounds(mut self, min: Duration, max: Duration) -> Self {
        self.min_lifetime = min.min(max);
        self.max_lifetime = max.max(min);
        self
    }

    /// The least time between two fetches caused by an unknown `kid` or following a failure.
    pub fn cooldown(mut self, cooldown: Duration) -> Self {
        self.cooldown = cooldown;
        self
    }

    /// How long past its lifetime the last good set keeps serving while refreshing fails.
    pub fn max_stale(mut self, max_stale: Duration) -> Self {
        self.max_stale = max_stale;
        self
    }

    /// The largest response accepted, in bytes (capped at [`tessera::backend::MAX_JWK_SET_SIZE`]).
    pub fn max_size(mut self, bytes: usize) -> Self {
        self.max_size = bytes.min(tessera::backend::MAX_JWK_SET_SIZE);
        self
    }

    /// Allows plain `http` URLs (for loopback tests and a proxy on the same host only: keys
    /// fetched in clear can be replaced by anyone on the path).
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Trusts `der`, an X.509 certificate in DER, as a root beside the Mozilla roots: for an
    /// issuer whose certificate comes from a private CA. Host names are still verified.
    ///
    /// # Errors
    /// [`JwksError::Tls`] when `der` is not a certificate usable as a trust anchor.
    ///
    /// ```
    /// use tessera_jwks::{JwksConfig, JwksError};
    /// let refused = JwksConfig::new().root_certificate(b"not a certificate");
    /// assert!(matches!(refused, Err(JwksError::Tls(_))));
    /// ```
    pub fn root_certificate(mut self, der: &[u8]) -> Result<Self, JwksError> {
        self.roots.push(der.to_vec());
        self.tls = Some(crate::fetch::tls_config_with(&self.roots)?);
        Ok(self)
    }

    /// How keys become verifiers: backend and allowed algorithms ([`KeyChoice`]).
    pub fn keys(mut self, choice: KeyChoice) -> Self {
        self.keys = choice;
        self
    }

    /// The clock (tests: a [`ManualClock`]).
    pub fn clock(mut self, clock: Arc<dyn TimeSource>) -> Self {
        self.clock = clock;
        self
    }

    /// The lifetime of a set whose response said `max_age` (`None`: no `max-age`).
    pub(crate) fn lifetime_for(&self, max_age: Option<Duration>) -> Duration {
        max_age
            .unwrap_or(self.lifetime)
            .clamp(self.min_lifetime, self.max_lifetime)
    }
}
