//! Which backend runs: the compiled-in list, a typed way to name one, and the documented default
//! per algorithm.
//!
//! # The default, per algorithm
//!
//! [`signer`](crate::signer), [`verifier`](crate::verifier) and [`generate`](crate::generate) take
//! the first backend of a fixed preference list that is compiled in. The lists depend on the
//! algorithm and the operation, never on the order cargo features were enabled in:
//!
//! | algorithms | sign | verify | generate | why |
//! |---|---|---|---|---|
//! | HS256/384/512 | hmac, aws-lc, ring, openssl | the same | the same | RustCrypto `hmac` is as fast as the native ones here and needs no C; OpenSSL last (its per-call context costs ~3x) |
//! | RS*, PS* | aws-lc, ring, openssl, rsa | aws-lc, ring, openssl, rsa | aws-lc, openssl, rsa | RustCrypto `rsa` signing is exposed to RUSTSEC-2023-0071 (Marvin): a native backend signs when one is enabled; native verification is 2-3x faster; ring cannot generate RSA keys |
//! | ES256, ES384, ES512 | aws-lc, ecdsa, ring, openssl | the same | the same | aws-lc-rs is 2-4x faster than the RustCrypto curves here; ring's P-384 is slow and it has no P-521 |
//! | ES256K | ecdsa, aws-lc, openssl | the same | the same | RustCrypto `k256` is 3x faster than the native secp256k1 code here |
//! | EdDSA | aws-lc, ed25519, ring, openssl | the same | the same | aws-lc-rs is fastest; `ed25519-dalek` is next and pure Rust |
//! | ML-DSA-44/65/87 | mldsa, fips204, aws-lc | the same | the same | RustCrypto first, like the other pure-Rust defaults (not yet measured against fips204); both sign deterministically by default, so their tokens are identical; aws-lc-rs last, since it signs hedged only (its tokens verify everywhere but differ on every call) |
//!
//! With the default features (the four pure-Rust backends) every algorithm therefore runs on its
//! pure-Rust backend; ML-DSA needs the `mldsa` (or `fips204`, or `aws-lc`) feature, which is not a default
//! (its keys and signatures are kilobytes, and most users of JWTs do not need it yet). Enabling `aws-lc` anywhere in a dependency graph moves the defaults above to
//! it, by design and as documented here. A caller who must not be moved names the backend: a
//! [`BackendId`] either gives exactly that backend or an error, whatever else is compiled in.
//! (Speeds: `tessera compare` on this project's 2-core machine, README "The comparison".)

use crate::{Algorithm, Backend, KeyError};
use std::fmt;
use tessera_codec::Family;

/// Every backend compiled in, in a fixed order (pure Rust first, then native). The order is for
/// listing; the default for an algorithm is [`default_backend_for`], not the first entry here.
#[allow(
    clippy::vec_init_then_push,
    unused_mut,
    reason = "each push is behind its own feature"
)]
pub fn backends() -> Vec<&'static dyn Backend> {
    let mut v: Vec<&'static dyn Backend> = Vec::new();
    #[cfg(feature = "hmac")]
    v.push(&tessera_hmac::HmacBackend);
    #[cfg(feature = "rsa")]
    v.push(&tessera_rsa::RsaBackend);
    #[cfg(feature = "ecdsa")]
    v.push(&tessera_ecdsa::EcdsaBackend);
    #[cfg(feature = "ed25519")]
    v.push(&tessera_ed25519::Ed25519Backend);
    #[cfg(feature = "mldsa")]
    v.push(&tessera_mldsa::MlDsaBackend);
    #[cfg(feature = "fips204")]
    v.push(&tessera_fips204::Fips204Backend);
    #[cfg(feature = "ring")]
    v.push(&tessera_ring::RingBackend);
    #[cfg(feature = "aws-lc")]
    v.push(&tessera_aws_lc::AwsLcBackend);
    #[cfg(feature = "openssl")]
    v.push(&tessera_openssl::OpensslBackend);
    v
}

/// A backend by its name (e.g. `"tessera-hmac"`), if compiled in. Prefer [`BackendId`] in code.
pub fn backend_named(name: &str) -> Option<&'static dyn Backend> {
    backends().into_iter().find(|b| b.name() == name)
}

/// The nine backends tessera has, whether or not they are compiled in.
///
/// ```
/// use tessera::{Algorithm, BackendId, Jwk};
///
/// let key = Jwk::oct(b"an HS256 secret of thirty-two bytes or more".to_vec());
/// let backend = BackendId::Hmac.get()?; // exactly tessera-hmac, or an error
/// let verifier = backend.verifier(&key, Algorithm::HS256)?;
/// assert_eq!(verifier.algorithm(), Algorithm::HS256);
/// assert!(BackendId::Ring.get().is_err() || cfg!(feature = "ring"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BackendId {
    /// `tessera-hmac` (RustCrypto `hmac`, feature `hmac`).
    Hmac,
    /// `tessera-rsa` (RustCrypto `rsa`, feature `rsa`).
    Rsa,
    /// `tessera-ecdsa` (RustCrypto `p256`/`p384`/`p521`/`k256`, feature `ecdsa`).
    Ecdsa,
    /// `tessera-ed25519` (`ed25519-dalek`, feature `ed25519`).
    Ed25519,
    /// `tessera-mldsa` (RustCrypto `ml-dsa`, feature `mldsa`).
    MlDsa,
    /// `tessera-fips204` (`fips204`, feature `fips204`).
    Fips204,
    /// `tessera-ring` (ring, feature `ring`).
    Ring,
    /// `tessera-aws-lc` (aws-lc-rs, feature `aws-lc`).
    AwsLc,
    /// `tessera-openssl` (system OpenSSL 3, feature `openssl`).
    Openssl,
}

impl BackendId {
    /// Every id, in the order of [`backends`].
    pub const ALL: [BackendId; 9] = [
        BackendId::Hmac,
        BackendId::Rsa,
        BackendId::Ecdsa,
        BackendId::Ed25519,
        BackendId::MlDsa,
        BackendId::Fips204,
        BackendId::Ring,
        BackendId::AwsLc,
        BackendId::Openssl,
    ];

    /// The backend's crate name, as [`Backend::name`] gives it.
    pub const fn name(self) -> &'static str {
        match self {
            BackendId::Hmac => "tessera-hmac",
            BackendId::Rsa => "tessera-rsa",
            BackendId::Ecdsa => "tessera-ecdsa",
            BackendId::Ed25519 => "tessera-ed25519",
            BackendId::MlDsa => "tessera-mldsa",
            BackendId::Fips204 => "tessera-fips204",
            BackendId::Ring => "tessera-ring",
            BackendId::AwsLc => "tessera-aws-lc",
            BackendId::Openssl => "tessera-openssl",
        }
    }

    /// The cargo feature of the `tessera` crate that compiles it in.
    pub const fn feature(self) -> &'static str {
        match self {
            BackendId::Hmac => "hmac",
            BackendId::Rsa => "rsa",
            BackendId::Ecdsa => "ecdsa",
            BackendId::Ed25519 => "ed25519",
            BackendId::MlDsa => "mldsa",
            BackendId::Fips204 => "fips204",
            BackendId::Ring => "ring",
            BackendId::AwsLc => "aws-lc",
            BackendId::Openssl => "openssl",
        }
    }

    /// The id of a backend name, e.g. `"tessera-ring"`.
    pub fn from_name(name: &str) -> Option<BackendId> {
        BackendId::ALL.into_iter().find(|id| id.name() == name)
    }

    /// Exactly this backend, or [`NotCompiledIn`] when its feature is off.
    pub fn get(self) -> Result<&'static dyn Backend, NotCompiledIn> {
        backend_named(self.name()).ok_or(NotCompiledIn(self))
    }
}

impl fmt::Display for BackendId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A backend named by [`BackendId`] is not compiled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotCompiledIn(pub BackendId);

impl fmt::Display for NotCompiledIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "backend {} is not compiled in (enable the tessera feature {:?})",
            self.0.name(),
            self.0.feature()
        )
    }
}

impl std::error::Error for NotCompiledIn {}

/// What a default backend is chosen for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    /// Making signatures ([`crate::signer`]).
    Sign,
    /// Checking them ([`crate::verifier`]).
    Verify,
    /// Generating keys ([`crate::generate`]).
    Generate,
}

/// The preference list for `alg` and `op`: the table in the [module docs](self).
pub fn preference(alg: Algorithm, op: Operation) -> &'static [BackendId] {
    use BackendId::*;
    match (alg.family(), op) {
        (Family::Hmac, _) => &[Hmac, AwsLc, Ring, Openssl],
        (Family::RsaPkcs1 | Family::RsaPss, Operation::Generate) => &[AwsLc, Openssl, Rsa],
        (Family::RsaPkcs1 | Family::RsaPss, _) => &[AwsLc, Ring, Openssl, Rsa],
        (Family::Ecdsa, _) if alg == Algorithm::ES256K => &[Ecdsa, AwsLc, Openssl],
        (Family::Ecdsa, _) => &[AwsLc, Ecdsa, Ring, Openssl],
        (Family::EdDsa, _) => &[AwsLc, Ed25519, Ring, Openssl],
        // aws-lc-rs signs ML-DSA hedged only: after the deterministic pure-Rust signers.
        (Family::MlDsa, _) => &[MlDsa, Fips204, AwsLc],
        // A family added later defaults to any backend that has it, in list order.
        _ => &BackendId::ALL,
    }
}

/// The default backend for `alg` and `op`: the first of [`preference`] that is compiled in and
/// supports `alg`.
pub fn default_backend_for(alg: Algorithm, op: Operation) -> Option<&'static dyn Backend> {
    let compiled = backends();
    preference(alg, op).iter().find_map(|id| {
        compiled
            .iter()
            .copied()
            .find(|b| b.name() == id.name() && b.supports(alg))
    })
}

/// The default verifying backend for `alg` ([`default_backend_for`] with [`Operation::Verify`]).
pub fn default_backend(alg: Algorithm) -> Option<&'static dyn Backend> {
    default_backend_for(alg, Operation::Verify)
}

pub(crate) fn default_or_error(
    alg: Algorithm,
    op: Operation,
) -> Result<&'static dyn Backend, KeyError> {
    default_backend_for(alg, op).ok_or(KeyError::Unsupported {
        backend: "tessera (no enabled backend)",
        alg,
    })
}
