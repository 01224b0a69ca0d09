//! [`Storage`] in a SQLite file (rusqlite): the zero-setup default.
//!
//! Calls run on tokio's blocking pool. Each exchange is a `BEGIN IMMEDIATE` transaction, which
//! SQLite serialises across connections and processes, so even several processes sharing the
//! file rotate correctly; the connection mutex only serialises this process's use of its one
//! connection.

use super::{
    BoxFuture, Exchange, Exchanged, KeyInsert, KeyRecord, NewFamily, NewUser, Stats, Storage,
    StoreError, StoreResult, TokenState, User, Verdict, classify,
};
use crate::crypt::Sealed;
use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// The migrations, applied in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/0001_initial.sql"),
    include_str!("../../migrations/sqlite/0002_shared_state.sql"),
];

/// The SQLite store.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
}

fn err(e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            StoreError::Unavailable(e.to_string())
        }
        _ => StoreError::Failed(e.to_string()),
    }
}

impl SqliteStore {
    /// Opens (creating if needed, mode 0600 on Unix) the file and applies the migrations.
    pub async fn open(path: &Path) -> StoreResult<SqliteStore> {
        let path = path.to_owned();
        let conn = tokio::task::spawn_blocking(move || -> StoreResult<Connection> {
            #[cfg(unix)]
            if !path.exists() {
                use std::os::unix::fs::OpenOptionsExt;
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(&path)
                    .map_err(|e| StoreError::Failed(format!("{}: {e}", path.display())))?;
            }
            let mut conn = Connection::open(&path).map_err(err)?;
            conn.busy_timeout(Duration::from_secs(5)).map_err(err)?;
            conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;")
                .map_err(err)?;
            migrate(&mut conn).map_err(err)?;
            Ok(conn)
        })
        .await
        .map_err(|e| StoreError::Failed(e.to_string()))??;
        Ok(SqliteStore {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` on the connection, on the blocking pool.
    fn run<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<R> + Send + 'static,
    ) -> BoxFuture<'static, StoreResult<R>> {
        let conn = self.conn.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                let mut conn = conn.lock().unwrap_or_else(PoisonError::into_inner);
                f(&mut conn).map_err(err)
            })
            .await
            .map_err(|e| StoreError::Failed(e.to_string()))?
        })
    }
}

fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let applied: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate() {
        let version = i64::try_from(i).unwrap_or(i64::MAX).saturating_add(1);
        if version > applied {
            tx.execute_batch(sql)?;
            tx.execute_batch(&format!("PRAGMA user_version = {version}"))?;
            tracing::info!(version, "applied SQLite migration");
        }
    }
    tx.commit()
}

fn user(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(at)?,
        username: r.get(at + 1)?,
        scope: r.get(at + 2)?,
    })
}

fn key_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<KeyRecord> {
    Ok(KeyRecord {
        kid: r.get(0)?,
        alg: r.get(1)?,
        created_at_ms: r.get(2)?,
        activate_at_ms: r.get(3)?,
        private_jwk: Sealed {
            value: r.get(4)?,
            nonce: r.get(5)?,
            kek_id: r.get(6)?,
        },
    })
}

const KEY_COLUMNS: &str = "kid, alg, created_at_ms, activate_at_ms, private_jwk, nonce, kek_id";

fn revoke_family(conn: &Connection, family: &str, now: i64) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE refresh_tokens SET revoked_at = ?1 WHERE family = ?2 AND revoked_at IS NULL",
        params![now, family],
    )
}

impl Storage for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn user_count(&self) -> BoxFuture<'_, StoreResult<i64>> {
        self.run(|c| c.query_row("SELECT count(*) FROM users", [], |r| r.get(0)))
    }

    fn insert_users<'a>(&'a self, users: &'a [NewUser]) -> BoxFuture<'a, StoreResult<usize>> {
        let users = users.to_vec();
        self.run(move |c| {
            let tx = c.transaction()?;
            let mut n = 0;
            for u in &users {
                n += tx.execute(
                    "INSERT INTO users (username, password_hash, scope) VALUES (?1, ?2, ?3)
                     ON CONFLICT (username) DO NOTHING",
                    params![u.username, u.password_hash, u.scope],
                )?;
            }
            tx.commit()?;
            Ok(n)
        })
    }

    fn find_user<'a>(
        &'a self,
        username: &'a str,
    ) -> BoxFuture<'a, StoreResult<Option<(User, String)>>> {
        let username = username.to_owned();
        self.run(move |c| {
            c.query_row(
                "SELECT id, username, scope, password_hash FROM users WHERE username = ?1",
                [username],
                |r| Ok((user(r, 0)?, r.get(3)?)),
            )
            .optional()
        })
    }

    fn insert_family(&self, f: NewFamily) -> BoxFuture<'_, StoreResult<()>> {
        self.run(move |c| {
            c.execute(
                "INSERT INTO refresh_tokens
                   (token_hash, family, user_id, created_at, expires_at, session_expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    f.token_hash,
                    f.family,
                    f.user_id,
                    f.now,
                    f.expires_at,
                    f.session_expires_at
                ],
            )?;
            Ok(())
        })
    }

    fn exchange(&self, x: Exchange) -> BoxFuture<'_, StoreResult<Exchanged>> {
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Claim the token: only an unused, unrevoked, unexpired token is claimed, once.
            let claimed = tx
                .query_row(
                    "UPDATE refresh_tokens SET used_at = ?1
                     WHERE token_hash = ?2 AND used_at IS NULL AND revoked_at IS NULL
                       AND expires_at > ?1
                     RETURNING family, user_id, session_expires_at",
                    params![x.now, x.token_hash],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, i64>(1)?,
                            r.get::<_, i64>(2)?,
                        ))
                    },
                )
                .optional()?;
            if let Some((family, user_id, session_end)) = claimed {
                tx.execute(
                    "INSERT INTO refresh_tokens
                       (token_hash, family, user_id, created_at, expires_at, session_expires_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        x.successor_hash,
                        family,
                        user_id,
                        x.now,
                        x.now.saturating_add(x.refresh_ttl).min(session_end),
                        session_end
                    ],
                )?;
                let u = tx.query_row(
                    "SELECT id, username, scope FROM users WHERE id = ?1",
                    [user_id],
                    |r| user(r, 0),
                )?;
                tx.commit()?;
                return Ok(Exchanged::Rotated(u));
            }
            let state = tx
                .query_row(
                    "SELECT u.id, u.username, u.scope, t.family, t.expires_at, t.used_at,
                            t.revoked_at,
                            EXISTS (SELECT 1 FROM refresh_tokens s WHERE s.token_hash = ?2
                                    AND s.used_at IS NULL AND s.revoked_at IS NULL)
                     FROM refresh_tokens t JOIN users u ON u.id = t.user_id
                     WHERE t.token_hash = ?1",
                    params![x.token_hash, x.successor_hash],
                    |r| {
                        Ok(TokenState {
                            user: user(r, 0)?,
                            family: r.get(3)?,
                            expires_at: r.get(4)?,
                            used_at: r.get(5)?,
                            revoked_at: r.get(6)?,
                            successor_unused: r.get(7)?,
                        })
                    },
                )
                .optional()?;
            let Some(state) = state else {
                return Ok(Exchanged::Invalid);
            };
            Ok(match classify(&state, x.now, x.grace) {
                Verdict::Retry => Exchanged::Retry(state.user),
                Verdict::Invalid => Exchanged::Invalid,
                Verdict::Reuse => {
                    revoke_family(&tx, &state.family, x.now)?;
                    tx.commit()?;
                    Exchanged::Reused(state.user)
                }
            })
        })
    }

    fn revoke(&self, token_hash: [u8; 32], now: i64) -> BoxFuture<'_, StoreResult<bool>> {
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let family: Option<String> = tx
                .query_row(
                    "SELECT family FROM refresh_tokens WHERE token_hash = ?1",
                    [token_hash],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(f) = &family {
                revoke_family(&tx, f, now)?;
            }
            tx.commit()?;
            Ok(family.is_some())
        })
    }

    fn stats(&self, now: i64) -> BoxFuture<'_, StoreResult<Stats>> {
        self.run(move |c| {
            let count = |sql: &str| c.query_row(sql, [now], |r| r.get::<_, i64>(0));
            Ok(Stats {
                users: c.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?,
                active_refresh_tokens: count(
                    "SELECT count(*) FROM refresh_tokens
                     WHERE used_at IS NULL AND revoked_at IS NULL AND expires_at > ?1",
                )?,
                revoked_families: count(
                    "SELECT count(DISTINCT family) FROM refresh_tokens
                     WHERE revoked_at IS NOT NULL AND revoked_at <= ?1",
                )?,
            })
        })
    }

    fn keys(&self) -> BoxFuture<'_, StoreResult<Vec<KeyRecord>>> {
        self.run(|c| {
            let mut stmt = c.prepare(&format!("SELECT {KEY_COLUMNS} FROM signing_keys"))?;
            let rows = stmt.query_map([], key_row)?;
            rows.collect()
        })
    }

    fn insert_key(
        &self,
        key: KeyRecord,
        mode: KeyInsert,
    ) -> BoxFuture<'_, StoreResult<(KeyRecord, bool)>> {
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let existing = match mode {
                KeyInsert::First => tx
                    .query_row(
                        &format!(
                            "SELECT {KEY_COLUMNS} FROM signing_keys
                             ORDER BY activate_at_ms, created_at_ms, kid LIMIT 1"
                        ),
                        [],
                        key_row,
                    )
                    .optional()?,
                KeyInsert::Rotate { now_ms } => tx
                    .query_row(
                        &format!(
                            "SELECT {KEY_COLUMNS} FROM signing_keys WHERE activate_at_ms > ?1
                             ORDER BY activate_at_ms DESC LIMIT 1"
                        ),
                        [now_ms],
                        key_row,
                    )
                    .optional()?,
            };
            if let Some(k) = existing {
                return Ok((k, false));
            }
            tx.execute(
                &format!(
                    "INSERT INTO signing_keys ({KEY_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                ),
                params![
                    key.kid,
                    key.alg,
                    key.created_at_ms,
                    key.activate_at_ms,
                    key.private_jwk.value,
                    key.private_jwk.nonce,
                    key.private_jwk.kek_id
                ],
            )?;
            tx.commit()?;
            Ok((key, true))
        })
    }

    fn secret<'a>(&'a self, name: &'a str, value: Sealed) -> BoxFuture<'a, StoreResult<Sealed>> {
        let name = name.to_owned();
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT INTO secrets (name, value, nonce, kek_id) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (name) DO NOTHING",
                params![name, value.value, value.nonce, value.kek_id],
            )?;
            let stored = tx.query_row(
                "SELECT value, nonce, kek_id FROM secrets WHERE name = ?1",
                [&name],
                |r| {
                    Ok(Sealed {
                        value: r.get(0)?,
                        nonce: r.get(1)?,
                        kek_id: r.get(2)?,
                    })
                },
            )?;
            tx.commit()?;
            Ok(stored)
        })
    }
}
