//! Users and refresh tokens in SQLite.
//!
//! Passwords are stored as Argon2id PHC strings. Refresh tokens are opaque random strings stored
//! as their SHA-256 only; each belongs to a family (one login). A token is single use: using it
//! marks it used and issues its successor in the same family. Presenting a used token again is
//! taken as theft (RFC 9700 §4.14.2): the whole family is revoked, so the thief's and the
//! victim's tokens both stop working.
//!
//! All methods block (SQLite, Argon2); call them from `spawn_blocking`.

use crate::config::SeedUser;
use crate::{BoxError, now, random_id, random_token};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// Longest username and password accepted, in bytes.
pub const MAX_CREDENTIAL_LEN: usize = 1024;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    scope         TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS refresh_tokens (
    token_hash BLOB PRIMARY KEY,          -- SHA-256 of the token
    family     TEXT NOT NULL,             -- one login; revoked as a whole
    user_id    INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,                   -- set when exchanged: single use
    revoked_at INTEGER
);
CREATE INDEX IF NOT EXISTS refresh_tokens_family ON refresh_tokens(family);
";

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

/// What came of presenting a refresh token.
#[derive(Debug)]
pub enum Refresh {
    /// Accepted: the token is now used, and this is its successor.
    Rotated {
        /// The token's owner.
        user: User,
        /// The new refresh token.
        token: String,
    },
    /// The token was already used: its family is now revoked.
    Reused {
        /// The owner of the family.
        username: String,
    },
    /// Unknown, expired or revoked.
    Invalid,
}

/// Counts for the admin route.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Stats {
    /// Users.
    pub users: i64,
    /// Refresh tokens that can still be used.
    pub active_refresh_tokens: i64,
    /// Families with at least one revoked token.
    pub revoked_families: i64,
}

/// The database.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
    /// Hash of a random password, verified against when the user does not exist, so that
    /// unknown and known usernames take the same time.
    dummy_hash: String,
}

fn sha256(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn hash_password(params: &argon2::Params, password: &str) -> Result<String, BoxError> {
    Argon2::from(params)
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("hashing a password: {e}").into())
}

impl Store {
    /// Opens (creating if needed) the database; a database without users gets `seed`.
    pub fn open(
        path: &Path,
        params: &argon2::Params,
        seed: &[SeedUser],
    ) -> Result<Store, BoxError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;")?;
        conn.execute_batch(SCHEMA)?;
        let users: i64 = conn.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?;
        if users == 0 {
            for u in seed {
                conn.execute(
                    "INSERT INTO users (username, password_hash, scope) VALUES (?1, ?2, ?3)",
                    params![u.username, hash_password(params, &u.password)?, u.scope],
                )?;
                tracing::info!(username = %u.username, scope = %u.scope, "seeded user");
            }
        }
        Ok(Store {
            conn: Mutex::new(conn),
            dummy_hash: hash_password(params, &random_token()?)?,
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The user, if the password is theirs. Unknown users cost the same Argon2 verification.
    pub fn check_password(&self, username: &str, password: &str) -> Result<Option<User>, BoxError> {
        if username.len() > MAX_CREDENTIAL_LEN || password.len() > MAX_CREDENTIAL_LEN {
            return Ok(None);
        }
        let row = self
            .conn()
            .query_row(
                "SELECT id, username, scope, password_hash FROM users WHERE username = ?1",
                [username],
                |r| {
                    Ok((
                        User {
                            id: r.get(0)?,
                            username: r.get(1)?,
                            scope: r.get(2)?,
                        },
                        r.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()?;
        let (user, hash) = match row {
            Some((user, hash)) => (Some(user), hash),
            None => (None, self.dummy_hash.clone()),
        };
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok();
        Ok(user.filter(|_| ok))
    }

    /// A new refresh token for `user_id`, starting a new family.
    pub fn issue_refresh(&self, user_id: i64, ttl: Duration) -> Result<String, BoxError> {
        let conn = self.conn();
        insert_refresh_in(&conn, user_id, &random_id(16)?, ttl)
    }

    /// Exchanges a refresh token for its successor (see the module documentation).
    pub fn rotate_refresh(&self, token: &str, ttl: Duration) -> Result<Refresh, BoxError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = now();
        let row = tx
            .query_row(
                "SELECT t.family, t.expires_at, t.used_at, t.revoked_at, u.id, u.username, u.scope
                 FROM refresh_tokens t JOIN users u ON u.id = t.user_id
                 WHERE t.token_hash = ?1",
                [sha256(token)],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                        r.get::<_, Option<i64>>(3)?,
                        User {
                            id: r.get(4)?,
                            username: r.get(5)?,
                            scope: r.get(6)?,
                        },
                    ))
                },
            )
            .optional()?;
        let Some((family, expires_at, used_at, revoked_at, user)) = row else {
            return Ok(Refresh::Invalid);
        };
        if revoked_at.is_some() || expires_at <= now {
            return Ok(Refresh::Invalid);
        }
        if used_at.is_some() {
            revoke_family(&tx, &family, now)?;
            tx.commit()?;
            return Ok(Refresh::Reused {
                username: user.username,
            });
        }
        tx.execute(
            "UPDATE refresh_tokens SET used_at = ?1 WHERE token_hash = ?2",
            params![now, sha256(token)],
        )?;
        let next = insert_refresh_in(&tx, user.id, &family, ttl)?;
        tx.commit()?;
        Ok(Refresh::Rotated { user, token: next })
    }

    /// Revokes the family of `token` (logout); whether the token was known.
    pub fn revoke(&self, token: &str) -> Result<bool, BoxError> {
        let conn = self.conn();
        let family: Option<String> = conn
            .query_row(
                "SELECT family FROM refresh_tokens WHERE token_hash = ?1",
                [sha256(token)],
                |r| r.get(0),
            )
            .optional()?;
        match family {
            Some(f) => {
                revoke_family(&conn, &f, now())?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Counts for the admin route.
    pub fn stats(&self) -> Result<Stats, BoxError> {
        let conn = self.conn();
        let count = |sql: &str| conn.query_row(sql, [now()], |r| r.get::<_, i64>(0));
        Ok(Stats {
            users: conn.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?,
            active_refresh_tokens: count(
                "SELECT count(*) FROM refresh_tokens
                 WHERE used_at IS NULL AND revoked_at IS NULL AND expires_at > ?1",
            )?,
            revoked_families: count(
                "SELECT count(DISTINCT family) FROM refresh_tokens
                 WHERE revoked_at IS NOT NULL AND revoked_at <= ?1",
            )?,
        })
    }
}

fn insert_refresh_in(
    conn: &Connection,
    user_id: i64,
    family: &str,
    ttl: Duration,
) -> Result<String, BoxError> {
    let token = random_token()?;
    let now = now();
    let ttl = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX);
    conn.execute(
        "INSERT INTO refresh_tokens (token_hash, family, user_id, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            sha256(&token),
            family,
            user_id,
            now,
            now.saturating_add(ttl)
        ],
    )?;
    Ok(token)
}

fn revoke_family(conn: &Connection, family: &str, now: i64) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE refresh_tokens SET revoked_at = ?1 WHERE family = ?2 AND revoked_at IS NULL",
        params![now, family],
    )
}
