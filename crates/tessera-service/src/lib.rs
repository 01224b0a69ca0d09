//! The tessera example service: password login, rotating refresh tokens and short-lived EdDSA
//! access tokens, protected routes behind [`tessera_axum`], and key rotation with a published
//! JWKS. One instance on SQLite (the default), or several behind nginx on PostgreSQL.
//!
//! - [`config`]: flags and environment.
//! - [`store`]: the storage contract and its SQLite and PostgreSQL implementations: users
//!   (Argon2id password hashes), refresh-token families, signing keys, secrets.
//! - [`keys`]: signing keys in the database, their states (pending, active, superseded,
//!   retired), the JWKS and the verifier set.
//! - [`crypt`]: AES-256-GCM sealing of the secrets at rest.
//! - [`routes`]: the HTTP API.
//!
//! ```no_run
//! # async fn run() -> Result<(), tessera_service::BoxError> {
//! use tessera_service::{App, config::Settings};
//! let settings = Settings::new("tessera.db".into());
//! let state = App::open(settings, false).await?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! tessera_service::serve(state, listener, std::future::pending()).await?;
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]

pub mod config;
pub mod crypt;
pub mod discovery;
pub mod keys;
pub mod routes;
pub mod store;

use axum::extract::FromRef;
use config::Settings;
use crypt::Kek;
use keys::{ACCESS_TOKEN_TYPE, KeyInfo, KeyRing, KeySet, KeyTiming};
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use store::Store;
use tessera::{Claim, Validation};
use tessera_axum::BearerAuth;
use tokio::sync::Semaphore;

/// Any error, for startup and internal failures.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The claims of an access token (RFC 9068 §2.2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    /// Issuer.
    pub iss: String,
    /// The user's name.
    pub sub: String,
    /// The API the token is for.
    pub aud: String,
    /// Expiry, seconds since the epoch.
    pub exp: i64,
    /// Issue time.
    pub iat: i64,
    /// Unique token id.
    pub jti: String,
    /// Space-separated scopes.
    pub scope: String,
}

/// The running service: settings, database, keys and the bearer verifier.
#[derive(Debug)]
pub struct App {
    /// Settings.
    pub settings: Settings,
    /// Database.
    pub store: Store,
    /// Signing keys.
    pub keys: KeyRing,
    /// Bearer-token verification, sharing the key set with [`App::keys`].
    pub auth: BearerAuth,
    /// Bounds concurrent Argon2 verifications (each uses its memory cost, 19 MiB by default).
    pub hashing: Semaphore,
}

/// The router state: the app behind an `Arc`.
#[derive(Clone, Debug)]
pub struct AppState(pub Arc<App>);

impl FromRef<AppState> for BearerAuth {
    fn from_ref(state: &AppState) -> Self {
        state.0.auth.clone()
    }
}

impl Settings {
    /// The rotation timing: a new key signs the JWKS cache lifetime plus two poll intervals after
    /// its creation (every instance publishes it within one poll, the second is a margin), so
    /// each instance has published it for longer than the cache lifetime before any signs; a
    /// superseded key stays published for the access-token lifetime, the leeway and one poll
    /// interval (an instance may still sign with it until its next poll).
    pub fn key_timing(&self) -> KeyTiming {
        KeyTiming {
            alg: self.alg,
            publish_delay: self.jwks_max_age + self.key_poll * 2,
            overlap: self.access_ttl + self.leeway + self.key_poll,
        }
    }
}

impl App {
    /// Opens the database (creating a SQLite file, applying migrations) and the keys (creating
    /// the first one), rotating first if `rotate_key`.
    pub async fn open(settings: Settings, rotate_key: bool) -> Result<AppState, BoxError> {
        let kek = settings
            .key_encryption_key
            .as_ref()
            .map(|k| Kek::parse(&k.0))
            .transpose()?;
        match (&settings.database_url, &kek) {
            (Some(_), None) => {
                return Err(format!(
                    "PostgreSQL keeps the signing keys of every instance: set {} \
                     (32 bytes, 64 hex digits) to encrypt them",
                    crypt::KEK_ENV
                )
                .into());
            }
            (None, None) => tracing::warn!(
                "{} is not set: signing keys are stored unencrypted in the SQLite file (mode 0600)",
                crypt::KEK_ENV
            ),
            _ => {}
        }
        keys::supported(settings.alg)?;
        let db = store::open_backend(&settings).await?;
        tracing::info!(backend = db.backend(), "database open");
        let store = Store::new(db, kek, &settings.password_params, &settings.seed_users).await?;
        let keys = KeyRing::open(&store, settings.key_timing()).await?;
        if rotate_key {
            keys.rotate(&store).await?;
        }
        let validation = Validation::new()
            .issuer(settings.issuer.clone())
            .audience(settings.audience.clone())
            .typ(ACCESS_TOKEN_TYPE)
            .require(Claim::Sub)
            .require(Claim::Iat)
            .require(Claim::Jti)
            .leeway(settings.leeway);
        let auth = BearerAuth::new(&settings.realm, keys.current().verifiers()?, validation);
        let permits = std::thread::available_parallelism().map_or(2, |n| n.get() * 2);
        Ok(AppState(Arc::new(App {
            settings,
            store,
            keys,
            auth,
            hashing: Semaphore::new(permits),
        })))
    }

    /// Signs an access token for `sub` with `scope`, valid for `ttl` seconds (negative: already expired).
    pub fn issue_access(
        &self,
        keys: &KeySet,
        sub: &str,
        scope: &str,
        ttl: i64,
    ) -> Result<String, BoxError> {
        issue_access(&self.settings, keys, sub, scope, ttl)
    }

    /// The access-token lifetime in seconds.
    pub fn access_ttl(&self) -> i64 {
        secs(self.settings.access_ttl)
    }

    /// Makes a new pending signing key (or keeps the one pending); it is published at once and
    /// signs after the publish delay. Returns it and the new key set.
    pub async fn rotate_keys(&self) -> Result<(KeyInfo, Arc<KeySet>), BoxError> {
        let (pending, set) = self.keys.rotate(&self.store).await?;
        self.auth.replace_keys(set.verifiers()?);
        Ok((pending, set))
    }

    /// Reads the keys again (rotated by any instance; activations and retirements due).
    pub async fn reload_keys(&self) -> Result<(), BoxError> {
        let before = self.keys.current();
        let set = self.keys.reload(&self.store).await?;
        if set.kid() != before.kid() || set.kids() != before.kids() {
            tracing::info!(signing = %set.kid(), published = ?set.kids(), "signing keys changed");
        }
        self.auth.replace_keys(set.verifiers()?);
        Ok(())
    }
}

/// Signs an access token (see [`App::issue_access`]).
pub fn issue_access(
    settings: &Settings,
    keys: &KeySet,
    sub: &str,
    scope: &str,
    ttl: i64,
) -> Result<String, BoxError> {
    let now = now();
    let exp = now.saturating_add(ttl);
    let iat = if ttl >= 0 {
        now
    } else {
        exp.saturating_sub(secs(settings.access_ttl))
    };
    keys.sign(&AccessClaims {
        iss: settings.issuer.clone(),
        sub: sub.to_owned(),
        aud: settings.audience.clone(),
        exp,
        iat,
        jti: random_id(16)?,
        scope: scope.to_owned(),
    })
}

/// Serves `state` on `listener` until `shutdown` completes, then lets requests in flight finish.
/// Every poll interval (`--key-poll`) the keys are read again from the database; while the
/// database is unreachable the last key set stays in use.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = state.0.clone();
    let reload = tokio::spawn(async move {
        let period = app.settings.key_poll.max(Duration::from_millis(100));
        let mut tick = tokio::time::interval(period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tick.tick().await;
        loop {
            tick.tick().await;
            if let Err(e) = app.reload_keys().await {
                tracing::warn!(error = %e, "reading the signing keys; keeping the current ones");
            }
        }
    });
    let result = axum::serve(listener, routes::router(state))
        .with_graceful_shutdown(shutdown)
        .await;
    reload.abort();
    result
}

/// Completes on ctrl-c or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("shutdown signal received; finishing requests in flight");
}

/// Seconds since the epoch.
pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, secs)
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// `bytes` random bytes, base64url.
pub fn random_id(bytes: usize) -> Result<String, BoxError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| format!("random number generator: {e}"))?;
    Ok(tessera::codec::b64::encode(&buf))
}

/// A new opaque secret token: 256 random bits, base64url (43 characters).
pub fn random_token() -> Result<String, BoxError> {
    random_id(32)
}
