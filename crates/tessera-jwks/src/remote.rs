//! [`RemoteJwks`]: an issuer's JWK Set fetched over HTTP, cached, refreshed and shared.

use crate::fetch::{self, Fetched};
use crate::{JwksConfig, JwksError, JwksVerifiers, KeySetReport, VerifyError};
use crate::{discovery, verifier_set_from_jwks};
use http::Uri;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};
use tessera::{DecodeError, Error, JwkSet, Validation, Verified};

/// The media types asked for: RFC 7517 §8.5's own, then plain JSON, which most issuers send.
const JWKS_ACCEPT: &str = "application/jwk-set+json, application/json";

/// An issuer's JWK Set behind a URL, verified against as a key set.
///
/// Cheap to clone (one `Arc`); clones share the cache, the counters and the fetch in flight.
/// See the [crate docs](crate) for what is fetched when.
#[derive(Clone)]
pub struct RemoteJwks {
    inner: Arc<Inner>,
}

struct Inner {
    source: Source,
    config: JwksConfig,
    state: RwLock<State>,
    /// Held while fetching: one fetch in flight, the others wait for its result.
    fetching: tokio::sync::Mutex<()>,
    counters: Counters,
}

enum Source {
    Url(Uri),
    Discover { issuer: String },
}

#[derive(Default)]
struct State {
    keys: Option<Arc<Cached>>,
    /// The JWKS URL, once known (given, or discovered once).
    jwks_uri: Option<Uri>,
    /// Incremented by every fetch attempt, so that waiters see a fetch finished while they waited.
    attempts: u64,
    last_attempt: Option<Instant>,
    last_error: Option<JwksError>,
}

/// One good fetch.
struct Cached {
    verifiers: JwksVerifiers,
    report: KeySetReport,
    fetched: Instant,
    expires: Instant,
}

#[derive(Default)]
struct Counters {
    fetches: AtomicU64,
    errors: AtomicU64,
    hits: AtomicU64,
    unknown_kid: AtomicU64,
    stale: AtomicU64,
}

/// Counters of a [`RemoteJwks`] since it was made (shared by its clones).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JwksStats {
    /// HTTP fetches of the key set attempted (discovery documents not counted).
    pub fetches: u64,
    /// Fetches (or discoveries) that failed.
    pub errors: u64,
    /// Tokens checked against the cached set without fetching.
    pub cache_hits: u64,
    /// Fetches caused by a token with an unknown `kid`.
    pub unknown_kid_refetches: u64,
    /// Tokens checked against a set past its lifetime because refreshing it failed.
    pub stale_served: u64,
}

impl fmt::Debug for RemoteJwks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.inner.source {
            Source::Url(u) => u.to_string(),
            Source::Discover { issuer } => format!("discover {issuer}"),
        };
        f.debug_struct("RemoteJwks")
            .field("source", &source)
            .field("stats", &self.stats())
            .finish()
    }
}

impl RemoteJwks {
    /// The JWK Set at `url` (`https`, or `http` if [`JwksConfig::allow_http`]). Nothing is fetched
    /// until a token is verified or [`RemoteJwks::refresh`] is called.
    pub fn new(url: &str, config: JwksConfig) -> Result<RemoteJwks, JwksError> {
        let uri = fetch::check_url(url, &config)?;
        Ok(RemoteJwks::with_source(
            Source::Url(uri.clone()),
            Some(uri),
            config,
        ))
    }

    /// The JWK Set of `issuer`, found by discovery on the first fetch: OpenID Connect Discovery
    /// (`/.well-known/openid-configuration`), then RFC 8414
    /// (`/.well-known/oauth-authorization-server`). The document's `issuer` must equal `issuer`
    /// exactly; its `jwks_uri` obeys the same scheme rule as [`RemoteJwks::new`].
    pub fn discover(issuer: &str, config: JwksConfig) -> Result<RemoteJwks, JwksError> {
        fetch::check_url(issuer, &config)?;
        let source = Source::Discover {
            issuer: issuer.to_owned(),
        };
        Ok(RemoteJwks::with_source(source, None, config))
    }

    fn with_source(source: Source, jwks_uri: Option<Uri>, config: JwksConfig) -> RemoteJwks {
        RemoteJwks {
            inner: Arc::new(Inner {
                source,
                config,
                state: RwLock::new(State {
                    jwks_uri,
                    ..State::default()
                }),
                fetching: tokio::sync::Mutex::new(()),
                counters: Counters::default(),
            }),
        }
    }

    /// The counters.
    pub fn stats(&self) -> JwksStats {
        let c = &self.inner.counters;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        JwksStats {
            fetches: get(&c.fetches),
            errors: get(&c.errors),
            cache_hits: get(&c.hits),
            unknown_kid_refetches: get(&c.unknown_kid),
            stale_served: get(&c.stale),
        }
    }

    /// The error of the last fetch, if it failed (cleared by the next good one).
    pub fn last_error(&self) -> Option<JwksError> {
        self.state().last_error.clone()
    }

    /// The keys the last good set left out, and why.
    pub fn last_report(&self) -> Option<KeySetReport> {
        self.state().keys.as_ref().map(|c| c.report.clone())
    }

    /// The `kid`s of the cached set.
    pub fn kids(&self) -> Vec<String> {
        self.state().keys.as_ref().map_or_else(Vec::new, |c| {
            c.verifiers.kids().into_iter().map(str::to_owned).collect()
        })
    }

    /// The JWKS URL, given or discovered.
    pub fn jwks_uri(&self) -> Option<String> {
        self.state().jwks_uri.as_ref().map(Uri::to_string)
    }

    /// Fetches the set now (one fetch in flight: a caller arriving during a fetch waits for it).
    pub async fn refresh(&self) -> Result<(), JwksError> {
        let seen = self.state().attempts;
        self.fetch_after(seen).await.map(|_| ())
    }

    /// Verifies `token` against the issuer's keys; see the [crate docs](crate) for the fetches
    /// this may cause. [`VerifyError::Token`]: the token is refused; [`VerifyError::Keys`]: no
    /// usable key set.
    pub async fn verify<'t>(
        &self,
        token: &'t str,
        validation: &Validation,
    ) -> Result<Verified<'t>, VerifyError> {
        let now = self.now();
        let (cached, seen) = {
            let s = self.state();
            (s.keys.clone(), s.attempts)
        };
        let cached = match cached {
            Some(c) if now < c.expires => {
                self.inner.counters.hits.fetch_add(1, Ordering::Relaxed);
                c
            }
            _ => self.usable_after_refresh(now, seen).await?,
        };
        match cached.verifiers.verify(token, validation) {
            Err(Error::Decode(DecodeError::UnknownKeyId(_))) if self.may_refetch(now) => {
                let seen = self.state().attempts;
                self.inner
                    .counters
                    .unknown_kid
                    .fetch_add(1, Ordering::Relaxed);
                let fresh = match self.fetch_after(seen).await {
                    Ok(fresh) => fresh,
                    // The issuer is down: the token is judged by the set we have.
                    Err(_) => cached,
                };
                fresh
                    .verifiers
                    .verify(token, validation)
                    .map_err(VerifyError::Token)
            }
            other => other.map_err(VerifyError::Token),
        }
    }

    /// Verifies `token` against the cached set only, never fetching (for synchronous callers).
    /// A set past its lifetime is used within the stale allowance.
    pub fn verify_cached<'t>(
        &self,
        token: &'t str,
        validation: &Validation,
    ) -> Result<Verified<'t>, VerifyError> {
        let now = self.now();
        let cached = self.serveable(now)?;
        cached
            .verifiers
            .verify(token, validation)
            .map_err(VerifyError::Token)
    }

    /// The set to use when the cached one has expired (or there is none): refetched unless a
    /// fetch failed less than a cooldown ago, else the last good one within the stale allowance.
    async fn usable_after_refresh(
        &self,
        now: Instant,
        seen: u64,
    ) -> Result<Arc<Cached>, JwksError> {
        if self.may_refetch(now)
            && let Ok(fresh) = self.fetch_after(seen).await
        {
            return Ok(fresh);
        }
        self.serveable(self.now())
    }

    /// The cached set if fresh, or stale within the allowance (counted), else the error.
    fn serveable(&self, now: Instant) -> Result<Arc<Cached>, JwksError> {
        let s = self.state();
        let cause = || Box::new(s.last_error.clone().unwrap_or(JwksError::NotFetched));
        match &s.keys {
            Some(c) if now < c.expires => Ok(c.clone()),
            Some(c) if now < c.expires + self.inner.config.max_stale => {
                self.inner.counters.stale.fetch_add(1, Ordering::Relaxed);
                Ok(c.clone())
            }
            Some(c) => Err(JwksError::Stale {
                age: now.saturating_duration_since(c.fetched),
                cause: cause(),
            }),
            None => Err(match &s.last_error {
                Some(e) => JwksError::NoKeys(Box::new(e.clone())),
                None => JwksError::NotFetched,
            }),
        }
    }

    /// Whether the last fetch attempt is at least a cooldown old (or there was none).
    fn may_refetch(&self, now: Instant) -> bool {
        self.state()
            .last_attempt
            .is_none_or(|t| now.saturating_duration_since(t) >= self.inner.config.cooldown)
    }

    /// Fetches unless another caller's fetch finished since this caller saw `seen` attempts, in
    /// which case that result is used. Returns the fresh set, or the fetch's error.
    async fn fetch_after(&self, seen: u64) -> Result<Arc<Cached>, JwksError> {
        let _one = self.inner.fetching.lock().await;
        {
            let s = self.state();
            if s.attempts != seen {
                return match (&s.last_error, &s.keys) {
                    (None, Some(c)) => Ok(c.clone()),
                    (Some(e), _) => Err(e.clone()),
                    (None, None) => Err(JwksError::NotFetched),
                };
            }
        }
        let result = self.fetch().await;
        let now = self.now();
        let mut s = self
            .inner
            .state
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        s.attempts += 1;
        s.last_attempt = Some(now);
        match result {
            Ok(cached) => {
                let cached = Arc::new(cached);
                s.keys = Some(cached.clone());
                s.last_error = None;
                Ok(cached)
            }
            Err(e) => {
                self.inner.counters.errors.fetch_add(1, Ordering::Relaxed);
                s.last_error = Some(e.clone());
                Err(e)
            }
        }
    }

    /// One fetch (discovering the JWKS URL first if needed) and the parse.
    async fn fetch(&self) -> Result<Cached, JwksError> {
        let config = &self.inner.config;
        let known = self.state().jwks_uri.clone();
        let uri = match (known, &self.inner.source) {
            (Some(uri), _) => uri,
            (None, Source::Discover { issuer }) => {
                let uri = discovery::jwks_uri(issuer, config).await?;
                self.inner
                    .state
                    .write()
                    .unwrap_or_else(PoisonError::into_inner)
                    .jwks_uri = Some(uri.clone());
                uri
            }
            (None, Source::Url(uri)) => uri.clone(),
        };
        self.inner.counters.fetches.fetch_add(1, Ordering::Relaxed);
        let Fetched { body, max_age } = fetch::get(&uri, JWKS_ACCEPT, config).await?;
        // The codec's strict JSON check (duplicates, depth, size) runs before any key is parsed.
        let set = JwkSet::from_json(&body).map_err(|e| JwksError::InvalidSet(e.to_string()))?;
        let (verifiers, report) = verifier_set_from_jwks(&set, &config.keys);
        let fetched = self.now();
        Ok(Cached {
            verifiers,
            report,
            fetched,
            expires: fetched + config.lifetime_for(max_age),
        })
    }

    fn now(&self) -> Instant {
        self.inner.config.clock.now()
    }

    fn state(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.inner
            .state
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Age of the cached set, for diagnostics.
impl RemoteJwks {
    /// How long ago the cached set was fetched, if there is one.
    pub fn age(&self) -> Option<Duration> {
        let now = self.now();
        self.state()
            .keys
            .as_ref()
            .map(|c| now.saturating_duration_since(c.fetched))
    }
}
