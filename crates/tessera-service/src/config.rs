//! Configuration: command-line flags, each with an environment variable, and the seeded users'
//! passwords, which come from the environment only (a flag would show them in `ps`).

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The command line of `tessera-service`.
#[derive(Debug, Parser)]
#[command(
    name = "tessera-service",
    version,
    about = "Login, refresh-token rotation and EdDSA access tokens (tessera example service)"
)]
pub struct Cli {
    /// Options shared by the server and the subcommands.
    #[command(flatten)]
    pub options: Options,
    /// Make a new signing key at start (pending for the publish delay, then it signs); tokens of
    /// the previous key stay valid until they expire.
    #[arg(long)]
    pub rotate_key: bool,
    /// A maintenance command instead of serving.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Where the service listens, keeps its data, and what it puts in its tokens.
#[derive(Clone, Debug, Args)]
pub struct Options {
    /// Address to listen on (keep it on loopback behind the reverse proxy).
    #[arg(long, env = "TESSERA_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// SQLite database file (the default store); created with the demo users on first start.
    #[arg(long, env = "TESSERA_DATABASE", default_value = "tessera.db")]
    pub database: PathBuf,
    /// PostgreSQL instead of SQLite, e.g. `postgres://tessera@127.0.0.1:5432/tessera`; shared by
    /// every instance. Requires `TESSERA_KEY_ENCRYPTION_KEY`.
    #[arg(long, env = "TESSERA_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Most PostgreSQL connections per instance.
    #[arg(long, env = "TESSERA_POOL_SIZE", default_value_t = 16,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub pool_size: u16,
    /// The `iss` of access tokens.
    #[arg(long, env = "TESSERA_ISSUER", default_value = "http://127.0.0.1:8080")]
    pub issuer: String,
    /// The `aud` of access tokens.
    #[arg(long, env = "TESSERA_AUDIENCE", default_value = "tessera-api")]
    pub audience: String,
    /// Lifetime of access tokens, in seconds.
    #[arg(long, env = "TESSERA_ACCESS_TTL", default_value_t = 900,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub access_ttl: u32,
    /// Lifetime of refresh tokens, in seconds.
    #[arg(long, env = "TESSERA_REFRESH_TTL", default_value_t = 14 * 24 * 3600,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub refresh_ttl: u32,
    /// Absolute lifetime of a session (a refresh-token family), in seconds.
    #[arg(long, env = "TESSERA_SESSION_TTL", default_value_t = 30 * 24 * 3600,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub session_ttl: u32,
    /// Seconds after its use during which a refresh token still gets the same successor (a
    /// client's retry after a lost response); later reuse revokes the family. 0: no grace.
    #[arg(long, env = "TESSERA_REFRESH_GRACE", default_value_t = 5)]
    pub refresh_grace: u32,
    /// `Cache-Control: max-age` of the JWKS, in seconds; a new key is published at least this
    /// long (plus the poll interval) before it signs.
    #[arg(long, env = "TESSERA_JWKS_MAX_AGE", default_value_t = 60)]
    pub jwks_max_age: u32,
    /// Seconds between two reads of the signing keys from the database.
    #[arg(long, env = "TESSERA_KEY_POLL", default_value_t = 5,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub key_poll: u32,
    /// Algorithm of new signing keys: EdDSA, or ML-DSA-44/65/87 (built with `--features mldsa`).
    /// Existing keys keep theirs: a change takes effect with the next rotation.
    #[arg(long, env = "TESSERA_ALG", default_value = "EdDSA")]
    pub alg: tessera::Algorithm,
    /// Log filter, e.g. `info` or `tessera_service=debug,info`.
    #[arg(long, env = "TESSERA_LOG", default_value = "info")]
    pub log: String,
}

/// Maintenance commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Prints an access token signed with the active key, without any password check
    /// (whoever can read the database and the key-encryption key can do the same). For tests
    /// and operations.
    IssueToken {
        /// The `sub` claim.
        #[arg(long)]
        sub: String,
        /// The `scope` claim.
        #[arg(long, default_value = "profile")]
        scope: String,
        /// Seconds until `exp`; negative gives an already expired token.
        #[arg(long, allow_negative_numbers = true)]
        ttl: Option<i64>,
    },
}

/// A secret setting: its `Debug` shows no part of it, so that logging the settings leaks nothing.
#[derive(Clone, PartialEq, Eq)]
pub struct Redacted(pub String);

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Redacted(..)")
    }
}

/// A user created when the database is new.
#[derive(Clone, Debug)]
pub struct SeedUser {
    /// Login name.
    pub username: String,
    /// Password, hashed with Argon2id before it is stored.
    pub password: String,
    /// Space-separated scopes granted.
    pub scope: String,
}

/// Everything the service needs at run time.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Listen address.
    pub listen: SocketAddr,
    /// SQLite file (when `database_url` is `None`).
    pub database: PathBuf,
    /// PostgreSQL URL.
    pub database_url: Option<String>,
    /// Most PostgreSQL connections.
    pub pool_size: usize,
    /// The key-encryption key (`TESSERA_KEY_ENCRYPTION_KEY`), as given.
    pub key_encryption_key: Option<Redacted>,
    /// Algorithm of new signing keys.
    pub alg: tessera::Algorithm,
    /// `iss`.
    pub issuer: String,
    /// `aud`.
    pub audience: String,
    /// The realm of `WWW-Authenticate` challenges.
    pub realm: String,
    /// Access-token lifetime.
    pub access_ttl: Duration,
    /// Refresh-token lifetime.
    pub refresh_ttl: Duration,
    /// Absolute session lifetime.
    pub session_ttl: Duration,
    /// Grace window of a used refresh token.
    pub refresh_grace: Duration,
    /// `Cache-Control: max-age` of the JWKS.
    pub jwks_max_age: Duration,
    /// Interval between two reads of the keys.
    pub key_poll: Duration,
    /// Clock-skew tolerance when verifying; none by default, since this process both issues and verifies.
    pub leeway: Duration,
    /// Argon2id cost of newly hashed passwords (verification reads the cost from the stored hash).
    pub password_params: argon2::Params,
    /// Users created with a new database.
    pub seed_users: Vec<SeedUser>,
}

/// Scopes of the demo user.
pub const DEMO_SCOPE: &str = "profile";
/// Scopes of the admin user.
pub const ADMIN_SCOPE: &str = "profile admin";

impl Settings {
    /// Settings from the parsed options and the environment.
    pub fn from_options(o: &Options) -> Self {
        let env_or = |name: &str, default: &str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| default.to_owned())
        };
        Settings {
            listen: o.listen,
            database: o.database.clone(),
            database_url: o.database_url.clone().filter(|u| !u.is_empty()),
            pool_size: o.pool_size.into(),
            key_encryption_key: std::env::var(crate::crypt::KEK_ENV)
                .ok()
                .filter(|v| !v.is_empty())
                .map(Redacted),
            alg: o.alg,
            issuer: o.issuer.clone(),
            audience: o.audience.clone(),
            access_ttl: Duration::from_secs(o.access_ttl.into()),
            refresh_ttl: Duration::from_secs(o.refresh_ttl.into()),
            session_ttl: Duration::from_secs(o.session_ttl.into()),
            refresh_grace: Duration::from_secs(o.refresh_grace.into()),
            jwks_max_age: Duration::from_secs(o.jwks_max_age.into()),
            key_poll: Duration::from_secs(o.key_poll.into()),
            seed_users: vec![
                SeedUser {
                    username: "demo".into(),
                    password: env_or("TESSERA_DEMO_PASSWORD", "demo-password"),
                    scope: DEMO_SCOPE.into(),
                },
                SeedUser {
                    username: "admin".into(),
                    password: env_or("TESSERA_ADMIN_PASSWORD", "admin-password"),
                    scope: ADMIN_SCOPE.into(),
                },
            ],
            ..Settings::new(o.database.clone())
        }
    }

    /// Defaults around a SQLite file (used by tests).
    pub fn new(database: PathBuf) -> Self {
        Settings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database,
            database_url: None,
            pool_size: 16,
            key_encryption_key: None,
            alg: crate::keys::DEFAULT_ALG,
            issuer: "http://127.0.0.1:8080".into(),
            audience: "tessera-api".into(),
            realm: "tessera".into(),
            access_ttl: Duration::from_secs(900),
            refresh_ttl: Duration::from_secs(14 * 24 * 3600),
            session_ttl: Duration::from_secs(30 * 24 * 3600),
            refresh_grace: Duration::from_secs(5),
            jwks_max_age: Duration::from_secs(60),
            key_poll: Duration::from_secs(5),
            leeway: Duration::ZERO,
            password_params: argon2::Params::DEFAULT,
            seed_users: vec![
                SeedUser {
                    username: "demo".into(),
                    password: "demo-password".into(),
                    scope: DEMO_SCOPE.into(),
                },
                SeedUser {
                    username: "admin".into(),
                    password: "admin-password".into(),
                    scope: ADMIN_SCOPE.into(),
                },
            ],
        }
    }
}
