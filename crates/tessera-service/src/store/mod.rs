//! The storage contract ([`Storage`]) and the service's use of it ([`Store`]).
//!
//! Two implementations: [`sqlite::SqliteStore`] (the default, a file, no setup) and
//! [`postgres::PgStore`] (a connection pool, shared by several instances). Everything the
//! instances share lives there: users, refresh-token families, signing keys and their rotation
//! times, and the refresh secret.
//!
//! **Refresh tokens** are opaque 256-bit strings stored as their SHA-256 only; each belongs to a
//! family (one login) with an absolute end (`--session-ttl`). A token is single use: the exchange
//! ([`Storage::exchange`]) marks it used and inserts its successor in one transaction, with a
//! conditional `UPDATE ... WHERE used_at IS NULL`, so that of two concurrent exchanges of one
//! token (on any instances) exactly one wins. The successor is not random but derived:
//! `HMAC-SHA256(refresh secret, token)`. So the loser of a race, or a client retrying after a
//! lost response, within the grace window (`--refresh-grace`) gets the *same* successor, without
//! the successor ever being stored (only its hash is). Presenting a used token after the window,
//! or once its successor was used, is taken as theft (RFC 9700 §4.14.2): the whole family is
//! revoked — even if the used token has expired since.

pub mod postgres;
pub mod sqlite;

use crate::config::SeedUser;
use crate::crypt::{self, Kek, Sealed};
use crate::{BoxError, random_token};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// Longest username and password accepted, in bytes.
pub const MAX_CREDENTIAL_LEN: usize = 1024;

/// A boxed future, so that [`Storage`] can be used as `dyn Storage`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A storage error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The database cannot be reached now (down, restarting, pool exhausted, busy): try later.
    Unavailable(String),
    /// Any other failure.
    Failed(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unavailable(e) => write!(f, "database unavailable: {e}"),
            StoreError::Failed(e) => write!(f, "database error: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// The result of a storage operation.
pub type StoreResult<T> = Result<T, StoreError>;

/// A user account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// Row id.
    pub id: i64,
    /// Login name; the `sub` of its tokens.
    pub username: String,
    /// Space-separated scopes granted.
    pub scope: String,
}

/// A user to insert, password already hashed.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// Login name.
    pub username: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Scopes.
    pub scope: String,
}

/// A refresh token to insert as the first of a new family.
#[derive(Clone, Debug)]
pub struct NewFamily {
    /// SHA-256 of the token.
    pub token_hash: [u8; 32],
    /// The family's id.
    pub family: String,
    /// The owner.
    pub user_id: i64,
    /// Now, seconds since the epoch.
    pub now: i64,
    /// The token's end.
    pub expires_at: i64,
    /// The family's absolute end.
    pub session_expires_at: i64,
}

/// An exchange of a refresh token, as [`Storage::exchange`] performs it.
#[derive(Clone, Debug)]
pub struct Exchange {
    /// SHA-256 of the presented token.
    pub token_hash: [u8; 32],
    /// SHA-256 of its (derived) successor.
    pub successor_hash: [u8; 32],
    /// Now, seconds since the epoch.
    pub now: i64,
    /// Lifetime of the successor (capped by the family's end).
    pub refresh_ttl: i64,
    /// How long after its use a token still gets its successor back, seconds.
    pub grace: i64,
}

/// What the database said about an exchange.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Exchanged {
    /// The token is now used and its successor stored.
    Rotated(User),
    /// The token was used within the grace window and its successor is still unused: the same
    /// successor is handed out again.
    Retry(User),
    /// The token was used before (outside the window, or its successor was used): the family is
    /// now revoked.
    Reused(User),
    /// Unknown, expired, or its family revoked.
    Invalid,
}

/// The state of a presented token, read inside the exchange's transaction.
#[derive(Clone, Debug)]
pub struct TokenState {
    /// The owner.
    pub user: User,
    /// The family.
    pub family: String,
    /// The token's end.
    pub expires_at: i64,
    /// When it was exchanged.
    pub used_at: Option<i64>,
    /// When its family was revoked.
    pub revoked_at: Option<i64>,
    /// Whether its successor exists, unused and not revoked.
    pub successor_unused: bool,
}

/// The decision for a token that the conditional `UPDATE` did not claim. Both backends call it,
/// so that the rule is written once.
pub fn classify(state: &TokenState, now: i64, grace: i64) -> Verdict {
    if state.revoked_at.is_some() {
        return Verdict::Invalid;
    }
    match state.used_at {
        // Used: a benign retry only within the window (`grace` seconds; 0: none) and while the
        // successor is untouched.
        // An expired used token is still reuse.
        Some(used) if now.saturating_sub(used) < grace && state.successor_unused => Verdict::Retry,
        Some(_) => Verdict::Reuse,
        None => Verdict::Invalid, // unused yet not claimed: expired
    }
}

/// See [`classify`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Hand out the same successor.
    Retry,
    /// Revoke the family.
    Reuse,
    /// Refuse.
    Invalid,
}

/// A signing key as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyRecord {
    /// RFC 7638 thumbprint.
    pub kid: String,
    /// JWS algorithm name.
    pub alg: String,
    /// Creation (first publication), ms since the epoch.
    pub created_at_ms: i64,
    /// From when it signs, ms since the epoch.
    pub activate_at_ms: i64,
    /// The private JWK, sealed ([`crypt`]).
    pub private_jwk: Sealed,
}

/// How [`Storage::insert_key`] inserts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyInsert {
    /// Only if there is no key at all (the first start).
    First,
    /// Only if no key is pending (activating after `now_ms`): one rotation at a time.
    Rotate {
        /// Now, ms since the epoch.
        now_ms: i64,
    },
}

/// Counts for the admin route.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Users.
    pub users: i64,
    /// Refresh tokens that can still be used.
    pub active_refresh_tokens: i64,
    /// Families with at least one revoked token.
    pub revoked_families: i64,
}

/// The storage contract. Every method is one transaction; none relies on a process-local lock
/// for correctness across instances.
pub trait Storage: Send + Sync + fmt::Debug {
    /// `"sqlite"` or `"postgres"`.
    fn backend(&self) -> &'static str;
    /// Number of users.
    fn user_count(&self) -> BoxFuture<'_, StoreResult<i64>>;
    /// Inserts users whose name is not taken; how many were inserted.
    fn insert_users<'a>(&'a self, users: &'a [NewUser]) -> BoxFuture<'a, StoreResult<usize>>;
    /// A user and their password hash.
    fn find_user<'a>(
        &'a self,
        username: &'a str,
    ) -> BoxFuture<'a, StoreResult<Option<(User, String)>>>;
    /// Inserts the first token of a new family.
    fn insert_family(&self, family: NewFamily) -> BoxFuture<'_, StoreResult<()>>;
    /// Exchanges a token atomically (see the module documentation and [`classify`]).
    fn exchange(&self, exchange: Exchange) -> BoxFuture<'_, StoreResult<Exchanged>>;
    /// Revokes the family of a token; whether the token was known.
    fn revoke(&self, token_hash: [u8; 32], now: i64) -> BoxFuture<'_, StoreResult<bool>>;
    /// Counts at `now`.
    fn stats(&self, now: i64) -> BoxFuture<'_, StoreResult<Stats>>;
    /// Every signing key.
    fn keys(&self) -> BoxFuture<'_, StoreResult<Vec<KeyRecord>>>;
    /// Inserts `key` as `mode` allows; returns the key in effect (`key`, or the pending one, or
    /// the existing first one) and whether `key` was inserted.
    fn insert_key(
        &self,
        key: KeyRecord,
        mode: KeyInsert,
    ) -> BoxFuture<'_, StoreResult<(KeyRecord, bool)>>;
    /// The secret `name`, inserting `value` if there is none yet; returns the one stored.
    fn secret<'a>(&'a self, name: &'a str, value: Sealed) -> BoxFuture<'a, StoreResult<Sealed>>;
}

/// SHA-256 of a token, as stored.
pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn hash_password(params: &argon2::Params, password: &str) -> Result<String, BoxError> {
    Argon2::from(params)
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("hashing a password: {e}").into())
}

/// The name of the refresh secret among the stored secrets.
pub const REFRESH_SECRET: &str = "refresh-successor";

/// What came of presenting a refresh token.
#[derive(Debug, PartialEq, Eq)]
pub enum Refresh {
    /// Accepted (or a retry within the grace window): this is the successor.
    Rotated {
        /// The token's owner.
        user: User,
        /// The successor.
        token: String,
        /// Whether it was handed out before (a retry within the grace window).
        retry: bool,
    },
    /// The token was already used: its family is now revoked.
    Reused {
        /// The owner of the family.
        username: String,
    },
    /// Unknown, expired or revoked.
    Invalid,
}

/// The service's view of the storage: passwords, token derivation, lifetimes.
#[derive(Clone)]
pub struct Store {
    /// The backend.
    pub db: Arc<dyn Storage>,
    secret: Arc<[u8]>,
    /// Hash of a random password, verified against when the user does not exist, so that
    /// unknown and known usernames take the same time.
    dummy_hash: Arc<str>,
    /// The key-encryption key, if any.
    pub kek: Option<Kek>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("db", &self.db)
            .field("kek", &self.kek)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Wraps `db`: reads (or creates) the refresh secret, and seeds `seed` if there is no user.
    pub async fn new(
        db: Arc<dyn Storage>,
        kek: Option<Kek>,
        params: &argon2::Params,
        seed: &[SeedUser],
    ) -> Result<Store, BoxError> {
        let mut fresh = [0u8; 32];
        getrandom::fill(&mut fresh).map_err(|e| format!("random number generator: {e}"))?;
        let sealed = crypt::seal(kek.as_ref(), REFRESH_SECRET, &fresh)?;
        let stored = db.secret(REFRESH_SECRET, sealed).await?;
        let secret = crypt::open(kek.as_ref(), REFRESH_SECRET, &stored)?;
        if db.user_count().await? == 0 && !seed.is_empty() {
            let params = params.clone();
            let seed = seed.to_vec();
            let users = tokio::task::spawn_blocking(move || {
                seed.iter()
                    .map(|u| {
                        Ok(NewUser {
                            username: u.username.clone(),
                            password_hash: hash_password(&params, &u.password)?,
                            scope: u.scope.clone(),
                        })
                    })
                    .collect::<Result<Vec<_>, BoxError>>()
            })
            .await??;
            let n = db.insert_users(&users).await?;
            tracing::info!(users = n, "seeded users");
        }
        let params = params.clone();
        let dummy_hash =
            tokio::task::spawn_blocking(move || hash_password(&params, &random_token()?)).await??;
        Ok(Store {
            db,
            secret: secret.into(),
            dummy_hash: dummy_hash.into(),
            kek,
        })
    }

    /// The successor of `token`: `HMAC-SHA256(refresh secret, token)`, base64url.
    pub fn successor(&self, token: &str) -> Result<String, BoxError> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret)
            .map_err(|e| format!("refresh secret: {e}"))?;
        mac.update(b"tessera refresh successor v1\0");
        mac.update(token.as_bytes());
        Ok(tessera::codec::b64::encode(&mac.finalize().into_bytes()))
    }

    /// The user, if the password is theirs. Unknown users cost the same Argon2 verification.
    /// Blocks a thread for the verification (`spawn_blocking`).
    pub async fn check_password(
        &self,
        username: &str,
        password: &str,
    ) -> Result<Option<User>, BoxError> {
        if username.len() > MAX_CREDENTIAL_LEN || password.len() > MAX_CREDENTIAL_LEN {
            return Ok(None);
        }
        let (user, hash) = match self.db.find_user(username).await? {
            Some((user, hash)) => (Some(user), hash),
            None => (None, self.dummy_hash.to_string()),
        };
        let password = password.to_owned();
        let ok = tokio::task::spawn_blocking(move || {
            Argon2::default()
                .verify_password(password.as_bytes(), hash.as_str())
                .is_ok()
        })
        .await?;
        Ok(user.filter(|_| ok))
    }

    /// A new refresh token for `user_id`, starting a new family that ends `session_ttl` from now.
    pub async fn issue_refresh(
        &self,
        user_id: i64,
        now: i64,
        refresh_ttl: Duration,
        session_ttl: Duration,
    ) -> Result<String, BoxError> {
        let token = random_token()?;
        let session_expires_at = now.saturating_add(secs(session_ttl));
        self.db
            .insert_family(NewFamily {
                token_hash: token_hash(&token),
                family: crate::random_id(16)?,
                user_id,
                now,
                expires_at: now
                    .saturating_add(secs(refresh_ttl))
                    .min(session_expires_at),
                session_expires_at,
            })
            .await?;
        Ok(token)
    }

    /// Exchanges a refresh token for its successor (see the module documentation).
    pub async fn rotate_refresh(
        &self,
        token: &str,
        now: i64,
        refresh_ttl: Duration,
        grace: Duration,
    ) -> Result<Refresh, BoxError> {
        let successor = self.successor(token)?;
        let outcome = self
            .db
            .exchange(Exchange {
                token_hash: token_hash(token),
                successor_hash: token_hash(&successor),
                now,
                refresh_ttl: secs(refresh_ttl),
                grace: secs(grace),
            })
            .await?;
        Ok(match outcome {
            Exchanged::Rotated(user) => Refresh::Rotated {
                user,
                token: successor,
                retry: false,
            },
            Exchanged::Retry(user) => Refresh::Rotated {
                user,
                token: successor,
                retry: true,
            },
            Exchanged::Reused(user) => Refresh::Reused {
                username: user.username,
            },
            Exchanged::Invalid => Refresh::Invalid,
        })
    }

    /// Revokes the family of `token` (logout); whether the token was known.
    pub async fn revoke(&self, token: &str, now: i64) -> StoreResult<bool> {
        self.db.revoke(token_hash(token), now).await
    }
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// Opens the storage named by the settings: PostgreSQL when `database_url` is set (migrations
/// applied), else the SQLite file.
pub async fn open_backend(
    settings: &crate::config::Settings,
) -> Result<Arc<dyn Storage>, BoxError> {
    match &settings.database_url {
        Some(url) => Ok(Arc::new(
            postgres::PgStore::connect(url, settings.pool_size).await?,
        )),
        None => Ok(Arc::new(
            sqlite::SqliteStore::open(&settings.database).await?,
        )),
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
