//! [`Storage`] on PostgreSQL: tokio-postgres with a deadpool-postgres pool, shared by every
//! instance.
//!
//! An exchange is one transaction at READ COMMITTED: the conditional
//! `UPDATE ... WHERE used_at IS NULL ... RETURNING` takes the token's row lock, so a concurrent
//! exchange of the same token (any instance) waits for it, re-evaluates the condition against the
//! committed row, claims nothing, and then sees the committed successor. Key insertion and
//! migrations take a transaction-scoped advisory lock, so that instances starting or rotating at
//! once do not both insert.
//!
//! Errors without an SQLSTATE (connection refused, reset, closed), of class 08 (connection),
//! 53 (insufficient resources), 57P (shutdown), 40001/40P01 (serialisation, deadlock) and pool
//! timeouts are [`StoreError::Unavailable`]: the routes answer 503 and the pool reconnects by
//! itself once the server is back.

use super::{
    BoxFuture, Exchange, Exchanged, KeyInsert, KeyRecord, NewFamily, NewUser, Stats, Storage,
    StoreError, StoreResult, TokenState, User, Verdict, classify,
};
use crate::crypt::Sealed;
use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod, Runtime};
use std::time::Duration;
use tokio_postgres::{NoTls, Row};

/// The migrations, applied in order inside one transaction; `schema_migrations` records them.
const MIGRATIONS: &[(i32, &str)] = &[(
    1,
    include_str!("../../migrations/postgres/0001_initial.sql"),
)];

/// Advisory lock ids (arbitrary, constant).
const MIGRATION_LOCK: i64 = 0x7465_7373_0001;
const KEY_LOCK: i64 = 0x7465_7373_0002;

/// The PostgreSQL store.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.pool.status();
        f.debug_struct("PgStore")
            .field("max_size", &s.max_size)
            .field("size", &s.size)
            .finish()
    }
}

fn pg_err(e: tokio_postgres::Error) -> StoreError {
    let unavailable = match e.code() {
        None => true,
        Some(code) => {
            let c = code.code();
            c.starts_with("08")
                || c.starts_with("53")
                || c.starts_with("57P")
                || c == "40001"
                || c == "40P01"
        }
    };
    if unavailable {
        StoreError::Unavailable(e.to_string())
    } else {
        StoreError::Failed(e.to_string())
    }
}

fn pool_err(e: deadpool_postgres::PoolError) -> StoreError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => pg_err(e),
        other => StoreError::Unavailable(other.to_string()),
    }
}

fn user(r: &Row, at: usize) -> Result<User, tokio_postgres::Error> {
    Ok(User {
        id: r.try_get(at)?,
        username: r.try_get(at + 1)?,
        scope: r.try_get(at + 2)?,
    })
}

const KEY_COLUMNS: &str = "kid, alg, created_at_ms, activate_at_ms, private_jwk, nonce, kek_id";

fn key_row(r: &Row) -> Result<KeyRecord, tokio_postgres::Error> {
    Ok(KeyRecord {
        kid: r.try_get(0)?,
        alg: r.try_get(1)?,
        created_at_ms: r.try_get(2)?,
        activate_at_ms: r.try_get(3)?,
        private_jwk: Sealed {
            value: r.try_get(4)?,
            nonce: r.try_get(5)?,
            kek_id: r.try_get(6)?,
        },
    })
}

impl PgStore {
    /// Connects a pool of at most `pool_size` connections to `url` and applies the migrations.
    pub async fn connect(url: &str, pool_size: usize) -> StoreResult<PgStore> {
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|e: tokio_postgres::Error| StoreError::Failed(format!("database url: {e}")))?;
        PgStore::connect_with(config, pool_size).await
    }

    /// As [`PgStore::connect`], from a parsed configuration (e.g. with a `search_path` option).
    pub async fn connect_with(
        mut config: tokio_postgres::Config,
        pool_size: usize,
    ) -> StoreResult<PgStore> {
        config.connect_timeout(Duration::from_secs(2));
        if config.get_application_name().is_none() {
            config.application_name("tessera-service");
        }
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(Duration::from_secs(2)))
            .create_timeout(Some(Duration::from_secs(3)))
            .recycle_timeout(Some(Duration::from_secs(2)))
            .build()
            .map_err(|e| StoreError::Failed(e.to_string()))?;
        let store = PgStore { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn client(&self) -> StoreResult<Object> {
        self.pool.get().await.map_err(pool_err)
    }

    async fn migrate(&self) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(pg_err)?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
        )
        .await
        .map_err(pg_err)?;
        let applied: Vec<i32> = tx
            .query("SELECT version FROM schema_migrations", &[])
            .await
            .map_err(pg_err)?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()
            .map_err(pg_err)?;
        for (version, sql) in MIGRATIONS {
            if !applied.contains(version) {
                tx.batch_execute(sql).await.map_err(pg_err)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                    &[version, &crate::now()],
                )
                .await
                .map_err(pg_err)?;
                tracing::info!(version, "applied PostgreSQL migration");
            }
        }
        tx.commit().await.map_err(pg_err)
    }

    async fn do_exchange(&self, x: Exchange) -> StoreResult<Exchanged> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let token: &[u8] = &x.token_hash;
        let successor: &[u8] = &x.successor_hash;
        // Claim the token: only an unused, unrevoked, unexpired token is claimed, once.
        let claimed = tx
            .query_opt(
                "UPDATE refresh_tokens SET used_at = $1
                 WHERE token_hash = $2 AND used_at IS NULL AND revoked_at IS NULL
                   AND expires_at > $1
                 RETURNING family, user_id, session_expires_at",
                &[&x.now, &token],
            )
            .await
            .map_err(pg_err)?;
        if let Some(row) = claimed {
            let family: String = row.try_get(0).map_err(pg_err)?;
            let user_id: i64 = row.try_get(1).map_err(pg_err)?;
            let session_end: i64 = row.try_get(2).map_err(pg_err)?;
            let expires = x.now.saturating_add(x.refresh_ttl).min(session_end);
            tx.execute(
                "INSERT INTO refresh_tokens
                   (token_hash, family, user_id, created_at, expires_at, session_expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    &successor,
                    &family,
                    &user_id,
                    &x.now,
                    &expires,
                    &session_end,
                ],
            )
            .await
            .map_err(pg_err)?;
            let row = tx
                .query_one(
                    "SELECT id, username, scope FROM users WHERE id = $1",
                    &[&user_id],
                )
                .await
                .map_err(pg_err)?;
            let u = user(&row, 0).map_err(pg_err)?;
            tx.commit().await.map_err(pg_err)?;
            return Ok(Exchanged::Rotated(u));
        }
        let row = tx
            .query_opt(
                "SELECT u.id, u.username, u.scope, t.family, t.expires_at, t.used_at,
                        t.revoked_at,
                        EXISTS (SELECT 1 FROM refresh_tokens s WHERE s.token_hash = $2
                                AND s.used_at IS NULL AND s.revoked_at IS NULL)
                 FROM refresh_tokens t JOIN users u ON u.id = t.user_id
                 WHERE t.token_hash = $1",
                &[&token, &successor],
            )
            .await
            .map_err(pg_err)?;
        let Some(row) = row else {
            return Ok(Exchanged::Invalid);
        };
        let state = TokenState {
            user: user(&row, 0).map_err(pg_err)?,
            family: row.try_get(3).map_err(pg_err)?,
            expires_at: row.try_get(4).map_err(pg_err)?,
            used_at: row.try_get(5).map_err(pg_err)?,
            revoked_at: row.try_get(6).map_err(pg_err)?,
            successor_unused: row.try_get(7).map_err(pg_err)?,
        };
        Ok(match classify(&state, x.now, x.grace) {
            Verdict::Retry => Exchanged::Retry(state.user),
            Verdict::Invalid => Exchanged::Invalid,
            Verdict::Reuse => {
                tx.execute(
                    "UPDATE refresh_tokens SET revoked_at = $1
                     WHERE family = $2 AND revoked_at IS NULL",
                    &[&x.now, &state.family],
                )
                .await
                .map_err(pg_err)?;
                tx.commit().await.map_err(pg_err)?;
                Exchanged::Reused(state.user)
            }
        })
    }

    async fn do_insert_key(
        &self,
        key: KeyRecord,
        mode: KeyInsert,
    ) -> StoreResult<(KeyRecord, bool)> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&KEY_LOCK])
            .await
            .map_err(pg_err)?;
        let existing = match mode {
            KeyInsert::First => {
                tx.query_opt(
                    &format!(
                        "SELECT {KEY_COLUMNS} FROM signing_keys
                         ORDER BY activate_at_ms, created_at_ms, kid LIMIT 1"
                    ),
                    &[],
                )
                .await
            }
            KeyInsert::Rotate { now_ms } => {
                tx.query_opt(
                    &format!(
                        "SELECT {KEY_COLUMNS} FROM signing_keys WHERE activate_at_ms > $1
                         ORDER BY activate_at_ms DESC LIMIT 1"
                    ),
                    &[&now_ms],
                )
                .await
            }
        }
        .map_err(pg_err)?;
        if let Some(row) = existing {
            return Ok((key_row(&row).map_err(pg_err)?, false));
        }
        tx.execute(
            &format!(
                "INSERT INTO signing_keys ({KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
            ),
            &[
                &key.kid,
                &key.alg,
                &key.created_at_ms,
                &key.activate_at_ms,
                &key.private_jwk.value,
                &key.private_jwk.nonce,
                &key.private_jwk.kek_id,
            ],
        )
        .await
        .map_err(pg_err)?;
        tx.commit().await.map_err(pg_err)?;
        Ok((key, true))
    }
}

impl Storage for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn user_count(&self) -> BoxFuture<'_, StoreResult<i64>> {
        Box::pin(async move {
            let c = self.client().await?;
            let row = c
                .query_one("SELECT count(*) FROM users", &[])
                .await
                .map_err(pg_err)?;
            row.try_get(0).map_err(pg_err)
        })
    }

    fn insert_users<'a>(&'a self, users: &'a [NewUser]) -> BoxFuture<'a, StoreResult<usize>> {
        Box::pin(async move {
            let mut c = self.client().await?;
            let tx = c.transaction().await.map_err(pg_err)?;
            let mut n = 0;
            for u in users {
                n += tx
                    .execute(
                        "INSERT INTO users (username, password_hash, scope) VALUES ($1, $2, $3)
                         ON CONFLICT (username) DO NOTHING",
                        &[&u.username, &u.password_hash, &u.scope],
                    )
                    .await
                    .map_err(pg_err)?;
            }
            tx.commit().await.map_err(pg_err)?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        })
    }

    fn find_user<'a>(
        &'a self,
        username: &'a str,
    ) -> BoxFuture<'a, StoreResult<Option<(User, String)>>> {
        Box::pin(async move {
            let c = self.client().await?;
            let row = c
                .query_opt(
                    "SELECT id, username, scope, password_hash FROM users WHERE username = $1",
                    &[&username],
                )
                .await
                .map_err(pg_err)?;
            match row {
                Some(r) => Ok(Some((
                    user(&r, 0).map_err(pg_err)?,
                    r.try_get(3).map_err(pg_err)?,
                ))),
                None => Ok(None),
            }
        })
    }

    fn insert_family(&self, f: NewFamily) -> BoxFuture<'_, StoreResult<()>> {
        Box::pin(async move {
            let c = self.client().await?;
            let token: &[u8] = &f.token_hash;
            c.execute(
                "INSERT INTO refresh_tokens
                   (token_hash, family, user_id, created_at, expires_at, session_expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    &token,
                    &f.family,
                    &f.user_id,
                    &f.now,
                    &f.expires_at,
                    &f.session_expires_at,
                ],
            )
            .await
            .map_err(pg_err)?;
            Ok(())
        })
    }

    fn exchange(&self, x: Exchange) -> BoxFuture<'_, StoreResult<Exchanged>> {
        Box::pin(self.do_exchange(x))
    }

    fn revoke(&self, token_hash: [u8; 32], now: i64) -> BoxFuture<'_, StoreResult<bool>> {
        Box::pin(async move {
            let c = self.client().await?;
            let token: &[u8] = &token_hash;
            // One statement: the family of the token, revoked.
            let row = c
                .query_one(
                    "WITH f AS (SELECT family FROM refresh_tokens WHERE token_hash = $1),
                          r AS (UPDATE refresh_tokens SET revoked_at = $2
                                WHERE family IN (SELECT family FROM f) AND revoked_at IS NULL)
                     SELECT EXISTS (SELECT 1 FROM f)",
                    &[&token, &now],
                )
                .await
                .map_err(pg_err)?;
            row.try_get(0).map_err(pg_err)
        })
    }

    fn stats(&self, now: i64) -> BoxFuture<'_, StoreResult<Stats>> {
        Box::pin(async move {
            let c = self.client().await?;
            let row = c
                .query_one(
                    "SELECT (SELECT count(*) FROM users),
                            (SELECT count(*) FROM refresh_tokens
                             WHERE used_at IS NULL AND revoked_at IS NULL AND expires_at > $1),
                            (SELECT count(DISTINCT family) FROM refresh_tokens
                             WHERE revoked_at IS NOT NULL AND revoked_at <= $1)",
                    &[&now],
                )
                .await
                .map_err(pg_err)?;
            Ok(Stats {
                users: row.try_get(0).map_err(pg_err)?,
                active_refresh_tokens: row.try_get(1).map_err(pg_err)?,
                revoked_families: row.try_get(2).map_err(pg_err)?,
            })
        })
    }

    fn keys(&self) -> BoxFuture<'_, StoreResult<Vec<KeyRecord>>> {
        Box::pin(async move {
            let c = self.client().await?;
            let rows = c
                .query(&format!("SELECT {KEY_COLUMNS} FROM signing_keys"), &[])
                .await
                .map_err(pg_err)?;
            rows.iter().map(|r| key_row(r).map_err(pg_err)).collect()
        })
    }

    fn insert_key(
        &self,
        key: KeyRecord,
        mode: KeyInsert,
    ) -> BoxFuture<'_, StoreResult<(KeyRecord, bool)>> {
        Box::pin(self.do_insert_key(key, mode))
    }

    fn secret<'a>(&'a self, name: &'a str, value: Sealed) -> BoxFuture<'a, StoreResult<Sealed>> {
        Box::pin(async move {
            let c = self.client().await?;
            c.execute(
                "INSERT INTO secrets (name, value, nonce, kek_id) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (name) DO NOTHING",
                &[&name, &value.value, &value.nonce, &value.kek_id],
            )
            .await
            .map_err(pg_err)?;
            let row = c
                .query_one(
                    "SELECT value, nonce, kek_id FROM secrets WHERE name = $1",
                    &[&name],
                )
                .await
                .map_err(pg_err)?;
            Ok(Sealed {
                value: row.try_get(0).map_err(pg_err)?,
                nonce: row.try_get(1).map_err(pg_err)?,
                kek_id: row.try_get(2).map_err(pg_err)?,
            })
        })
    }
}
