//! The storage contract, run against every backend: SQLite always, PostgreSQL when
//! `TESSERA_TEST_DATABASE_URL` is set (deploy/cluster-e2e.sh sets it against the server it starts,
//! and counts these tests as one of its checks). Each case gets two stores on the same data (two
//! SQLite connections to one file; two PostgreSQL pools on one fresh schema), as two instances
//! would have. Time is passed explicitly, so nothing sleeps.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tessera_service::config::SeedUser;
use tessera_service::crypt::{self, Kek};
use tessera_service::store::postgres::PgStore;
use tessera_service::store::sqlite::SqliteStore;
use tessera_service::store::{KeyInsert, KeyRecord, NewUser, Refresh, Storage, Store};

const T: i64 = 2_000_000_000;
const TTL: Duration = Duration::from_secs(3600);
const SESSION: Duration = Duration::from_secs(86_400);
const GRACE: Duration = Duration::from_secs(5);

fn unique() -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// A temp dir removed on drop.
struct Dir(PathBuf);
impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Two handles on one fresh database, and what keeps it alive.
struct Db {
    a: Arc<dyn Storage>,
    b: Arc<dyn Storage>,
    _dir: Option<Dir>,
}

async fn sqlite() -> Db {
    let dir = std::env::temp_dir().join(format!("tessera-contract-{}", unique()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("db.sqlite");
    let a = SqliteStore::open(&file).await.unwrap();
    let b = SqliteStore::open(&file).await.unwrap();
    Db {
        a: Arc::new(a),
        b: Arc::new(b),
        _dir: Some(Dir(dir)),
    }
}

/// `None` when `TESSERA_TEST_DATABASE_URL` is not set.
async fn postgres() -> Option<Db> {
    let url = std::env::var("TESSERA_TEST_DATABASE_URL").ok()?;
    let config: tokio_postgres::Config = url.parse().unwrap();
    let schema = format!("contract_{}", unique());
    let (client, conn) = config.connect(tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .await
        .unwrap();
    let mut scoped = config.clone();
    scoped.options(format!("-csearch_path={schema}"));
    let a = PgStore::connect_with(scoped.clone(), 4).await.unwrap();
    let b = PgStore::connect_with(scoped, 4).await.unwrap();
    Some(Db {
        a: Arc::new(a),
        b: Arc::new(b),
        _dir: None,
    })
}

fn params() -> argon2::Params {
    argon2::Params::new(1024, 1, 1, None).unwrap()
}

fn seed() -> Vec<SeedUser> {
    vec![SeedUser {
        username: "demo".into(),
        password: "demo-password".into(),
        scope: "profile".into(),
    }]
}

async fn stores(db: &Db) -> (Store, Store) {
    let kek = Kek::from_bytes(&[3; 32]).unwrap();
    let a = Store::new(db.a.clone(), Some(kek.clone()), &params(), &seed())
        .await
        .unwrap();
    let b = Store::new(db.b.clone(), Some(kek), &params(), &seed())
        .await
        .unwrap();
    (a, b)
}

async fn demo_id(s: &Store) -> i64 {
    s.check_password("demo", "demo-password")
        .await
        .unwrap()
        .unwrap()
        .id
}

fn successor(r: &Refresh) -> String {
    match r {
        Refresh::Rotated { token, .. } => token.clone(),
        other => panic!("expected a successor, got {other:?}"),
    }
}

// --- the cases ---------------------------------------------------------------------------------

async fn users_are_seeded_once_and_passwords_checked(db: Db) {
    let (a, b) = stores(&db).await;
    assert_eq!(
        db.a.user_count().await.unwrap(),
        1,
        "seeded once for two stores"
    );
    let user = a
        .check_password("demo", "demo-password")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (user.username.as_str(), user.scope.as_str()),
        ("demo", "profile")
    );
    assert_eq!(b.check_password("demo", "wrong").await.unwrap(), None);
    assert_eq!(
        b.check_password("nobody", "demo-password").await.unwrap(),
        None
    );
    let again = NewUser {
        username: "demo".into(),
        password_hash: "x".into(),
        scope: "admin".into(),
    };
    assert_eq!(
        db.b.insert_users(&[again]).await.unwrap(),
        0,
        "a taken name is not replaced"
    );
    assert_eq!(
        a.check_password("demo", "demo-password").await.unwrap(),
        Some(user)
    );
}

async fn rotation_retry_and_reuse(db: Db) {
    let (a, b) = stores(&db).await;
    let id = demo_id(&a).await;
    let r1 = a.issue_refresh(id, T, TTL, SESSION).await.unwrap();
    // Rotated on one instance...
    let first = a.rotate_refresh(&r1, T, TTL, GRACE).await.unwrap();
    let r2 = successor(&first);
    assert!(matches!(first, Refresh::Rotated { retry: false, .. }));
    assert_ne!(r2, r1);
    // ...retried on the other within the window: the same successor.
    let retry = b.rotate_refresh(&r1, T + 4, TTL, GRACE).await.unwrap();
    assert!(matches!(retry, Refresh::Rotated { retry: true, .. }));
    assert_eq!(successor(&retry), r2);
    // The successor rotates; now the first token's successor is used: reuse, family revoked.
    let r3 = successor(&b.rotate_refresh(&r2, T + 5, TTL, GRACE).await.unwrap());
    assert_eq!(
        a.rotate_refresh(&r1, T + 5, TTL, GRACE).await.unwrap(),
        Refresh::Reused {
            username: "demo".into()
        }
    );
    assert_eq!(
        b.rotate_refresh(&r3, T + 6, TTL, GRACE).await.unwrap(),
        Refresh::Invalid
    );
    let stats = db.a.stats(T + 7).await.unwrap();
    assert_eq!(
        (stats.active_refresh_tokens, stats.revoked_families),
        (0, 1)
    );
}

async fn reuse_after_the_window_revokes_the_family(db: Db) {
    let (a, b) = stores(&db).await;
    let id = demo_id(&a).await;
    let r1 = a.issue_refresh(id, T, TTL, SESSION).await.unwrap();
    let r2 = successor(&a.rotate_refresh(&r1, T, TTL, GRACE).await.unwrap());
    assert_eq!(
        b.rotate_refresh(&r1, T + 5, TTL, GRACE).await.unwrap(),
        Refresh::Reused {
            username: "demo".into()
        }
    );
    assert_eq!(
        a.rotate_refresh(&r2, T + 6, TTL, GRACE).await.unwrap(),
        Refresh::Invalid
    );
    // No grace at all: the very same second is already reuse.
    let r1 = a.issue_refresh(id, T, TTL, SESSION).await.unwrap();
    a.rotate_refresh(&r1, T, TTL, Duration::ZERO).await.unwrap();
    assert_eq!(
        b.rotate_refresh(&r1, T, TTL, Duration::ZERO).await.unwrap(),
        Refresh::Reused {
            username: "demo".into()
        }
    );
}

async fn a_used_token_that_expired_is_still_reuse(db: Db) {
    let (a, b) = stores(&db).await;
    let id = demo_id(&a).await;
    let short = Duration::from_secs(60);
    let r1 = a.issue_refresh(id, T, short, SESSION).await.unwrap();
    let r2 = successor(&a.rotate_refresh(&r1, T + 10, short, GRACE).await.unwrap());
    // r1 expired at T+60; presented at T+100 it is reuse, not merely invalid.
    assert_eq!(
        b.rotate_refresh(&r1, T + 100, short, GRACE).await.unwrap(),
        Refresh::Reused {
            username: "demo".into()
        }
    );
    assert_eq!(
        a.rotate_refresh(&r2, T + 101, short, GRACE).await.unwrap(),
        Refresh::Invalid
    );
    // An unused expired token is only invalid, and revokes nothing.
    let r1 = a.issue_refresh(id, T, short, SESSION).await.unwrap();
    assert_eq!(
        b.rotate_refresh(&r1, T + 60, short, GRACE).await.unwrap(),
        Refresh::Invalid
    );
    assert_eq!(
        b.rotate_refresh("unknown", T, short, GRACE).await.unwrap(),
        Refresh::Invalid
    );
}

async fn sessions_end_at_their_absolute_lifetime(db: Db) {
    let (a, _) = stores(&db).await;
    let id = demo_id(&a).await;
    let session = Duration::from_secs(100);
    let mut token = a.issue_refresh(id, T, TTL, session).await.unwrap();
    for t in [T + 30, T + 60, T + 99] {
        token = successor(&a.rotate_refresh(&token, t, TTL, GRACE).await.unwrap());
    }
    // Each successor's life is capped by the session's end, T+100.
    assert_eq!(
        a.rotate_refresh(&token, T + 100, TTL, GRACE).await.unwrap(),
        Refresh::Invalid
    );
}

async fn logout_revokes_the_family(db: Db) {
    let (a, b) = stores(&db).await;
    let id = demo_id(&a).await;
    let r1 = a.issue_refresh(id, T, TTL, SESSION).await.unwrap();
    let r2 = successor(&a.rotate_refresh(&r1, T, TTL, GRACE).await.unwrap());
    assert!(b.revoke(&r1, T + 1).await.unwrap());
    assert!(!b.revoke("unknown", T + 1).await.unwrap());
    assert_eq!(
        a.rotate_refresh(&r2, T + 2, TTL, GRACE).await.unwrap(),
        Refresh::Invalid
    );
}

async fn concurrent_exchanges_make_one_successor(db: Db) {
    let (a, b) = stores(&db).await;
    let id = demo_id(&a).await;
    for grace in [GRACE, Duration::ZERO] {
        let r1 = a.issue_refresh(id, T, TTL, SESSION).await.unwrap();
        let mut tasks = Vec::new();
        for i in 0..64 {
            let store = if i % 2 == 0 { a.clone() } else { b.clone() };
            let token = r1.clone();
            tasks.push(tokio::spawn(async move {
                store.rotate_refresh(&token, T, TTL, grace).await.unwrap()
            }));
        }
        let mut outcomes = Vec::new();
        for t in tasks {
            outcomes.push(t.await.unwrap());
        }
        let first = outcomes
            .iter()
            .filter(|r| matches!(r, Refresh::Rotated { retry: false, .. }))
            .count();
        assert_eq!(first, 1, "exactly one exchange claims the token");
        let tokens: std::collections::BTreeSet<String> = outcomes
            .iter()
            .filter_map(|r| match r {
                Refresh::Rotated { token, .. } => Some(token.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(tokens.len(), 1, "one successor");
        if grace.is_zero() {
            // Without a window the first loser is reuse and revokes the family; the later ones
            // find it revoked.
            let reused = outcomes
                .iter()
                .filter(|r| matches!(r, Refresh::Reused { .. }))
                .count();
            let invalid = outcomes.iter().filter(|r| **r == Refresh::Invalid).count();
            assert!(reused >= 1, "{outcomes:?}");
            assert_eq!(reused + invalid, 63);
            let next = tokens.first().unwrap();
            assert_eq!(
                a.rotate_refresh(next, T + 1, TTL, grace).await.unwrap(),
                Refresh::Invalid
            );
        } else {
            // With the window every loser got the same successor, which still works.
            let next = tokens.first().unwrap();
            assert!(matches!(
                a.rotate_refresh(next, T + 1, TTL, grace).await.unwrap(),
                Refresh::Rotated { retry: false, .. }
            ));
        }
    }
}

fn key(kek: &Kek, kid: &str, created: i64, activate: i64) -> KeyRecord {
    KeyRecord {
        kid: kid.into(),
        alg: "EdDSA".into(),
        created_at_ms: created,
        activate_at_ms: activate,
        private_jwk: crypt::seal(Some(kek), &format!("signing-key:{kid}"), b"{}").unwrap(),
    }
}

async fn keys_first_and_one_pending_rotation_at_a_time(db: Db) {
    let kek = Kek::from_bytes(&[3; 32]).unwrap();
    let first = key(&kek, "k1", 1000, 1000);
    let (got, inserted) =
        db.a.insert_key(first.clone(), KeyInsert::First)
            .await
            .unwrap();
    assert!(inserted);
    assert_eq!(got, first);
    let (got, inserted) =
        db.b.insert_key(key(&kek, "k0", 1001, 1001), KeyInsert::First)
            .await
            .unwrap();
    assert!(!inserted, "the other instance keeps the first key");
    assert_eq!(got, first);
    let pending = key(&kek, "k2", 2000, 62_000);
    let (got, inserted) =
        db.a.insert_key(pending.clone(), KeyInsert::Rotate { now_ms: 2000 })
            .await
            .unwrap();
    assert!(inserted);
    assert_eq!(got, pending);
    let (got, inserted) =
        db.b.insert_key(
            key(&kek, "k3", 3000, 63_000),
            KeyInsert::Rotate { now_ms: 3000 },
        )
        .await
        .unwrap();
    assert!(
        !inserted,
        "a rotation while a key is pending keeps that key"
    );
    assert_eq!(got, pending);
    let (_, inserted) =
        db.b.insert_key(
            key(&kek, "k3", 62_000, 122_000),
            KeyInsert::Rotate { now_ms: 62_000 },
        )
        .await
        .unwrap();
    assert!(
        inserted,
        "once the pending key is active, rotation inserts again"
    );
    let mut kids: Vec<String> =
        db.b.keys()
            .await
            .unwrap()
            .into_iter()
            .map(|k| k.kid)
            .collect();
    kids.sort();
    assert_eq!(kids, ["k1", "k2", "k3"]);
    let stored = db.a.keys().await.unwrap();
    let k2 = stored.iter().find(|k| k.kid == "k2").unwrap();
    assert_eq!(k2, &pending, "sealed value, nonce and key id round-trip");
}

async fn secrets_are_created_once(db: Db) {
    let one = crypt::seal(None, "s", b"one").unwrap();
    let two = crypt::seal(None, "s", b"two").unwrap();
    assert_eq!(db.a.secret("s", one.clone()).await.unwrap(), one);
    assert_eq!(db.b.secret("s", two).await.unwrap(), one);
    // Two stores on one database derive the same successors.
    let (a, b) = stores(&db).await;
    assert_eq!(a.successor("t").unwrap(), b.successor("t").unwrap());
    assert_ne!(a.successor("t").unwrap(), a.successor("u").unwrap());
}

macro_rules! contract {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    super::$case(super::sqlite().await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    match super::postgres().await {
                        Some(db) => super::$case(db).await,
                        None => eprintln!("TESSERA_TEST_DATABASE_URL not set: PostgreSQL not tested here"),
                    }
                }
            )*
        }
    };
}

contract!(
    users_are_seeded_once_and_passwords_checked,
    rotation_retry_and_reuse,
    reuse_after_the_window_revokes_the_family,
    a_used_token_that_expired_is_still_reuse,
    sessions_end_at_their_absolute_lifetime,
    logout_revokes_the_family,
    concurrent_exchanges_make_one_successor,
    keys_first_and_one_pending_rotation_at_a_time,
    secrets_are_created_once,
);
