//! The tessera example service: password login, rotating refresh tokens and short-lived EdDSA
//! access tokens, protected routes behind [`tessera_axum`], and key rotation with a published JWKS.
//!
//! - [`config`]: flags and environment.
//! - [`store`]: users (Argon2id password hashes) and refresh-token families in SQLite.
//! - [`keys`]: the key directory, the signing key, the JWKS and the verifier set.
//! - [`routes`]: the HTTP API.
//!
//! ```no_run
//! # async fn run() -> Result<(), tessera_service::BoxError> {
//! use tessera_service::{App, config::Settings};
//! let settings = Settings::new("tessera.db".into(), "keys".into());
//! let state = App::open(settings, false)?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! tessera_service::serve(state, listener, std::future::pending()).await?;
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]

pub mod config;
pub mod discovery;
pub mod keys;
pub mod routes;
pub mod store;

use axum::extract::FromRef;
use config::Settings;
use keys::{ACCESS_TOKEN_TYPE, KeyRing, KeySet};
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
    /// Key directory.
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

impl App {
    /// Opens the database and the key directory (creating both if needed), rotating the key
    /// first if `rotate_key`.
    pub fn open(settings: Settings, rotate_key: bool) -> Result<AppState, BoxError> {
        let store = Store::open(
            &settings.database,
            &settings.password_params,
            &settings.seed_users,
        )?;
        let keys = open_keys(&settings)?;
        if rotate_key {
            keys.rotate()?;
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

    /// Makes a new signing key and trusts it at once; the previous key stays trusted for the
    /// access-token lifetime.
    pub fn rotate_keys(&self) -> Result<Arc<KeySet>, BoxError> {
        let set = self.keys.rotate()?;
        self.auth.replace_keys(set.verifiers()?);
        Ok(set)
    }

    /// Reads the key directory again (keys rotated by another process, superseded keys whose
    /// overlap has passed).
    pub fn reload_keys(&self) -> Result<(), BoxError> {
        let set = self.keys.reload()?;
        self.auth.replace_keys(set.verifiers()?);
        Ok(())
    }
}

/// The key ring of `settings.key_dir`; superseded keys stay trusted for the access-token
/// lifetime plus the leeway.
pub fn open_keys(settings: &Settings) -> Result<KeyRing, BoxError> {
    KeyRing::open(&settings.key_dir, settings.access_ttl + settings.leeway)
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
/// Every minute the key directory is read again.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = state.0.clone();
    let reload = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        tick.tick().await;
        loop {
            tick.tick().await;
            let app = app.clone();
            match tokio::task::spawn_blocking(move || app.reload_keys()).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::error!(error = %e, "reloading the key directory"),
                Err(e) => tracing::error!(error = %e, "reloading the key directory"),
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
