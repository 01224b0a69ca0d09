//! Signing keys, kept in the database and shared by every instance, with rotation that is safe
//! for JWKS caches.
//!
//! Each key has a creation time (it is published from then on) and an activation time (it signs
//! from then on). A key's state at a moment follows from those times alone, so every instance
//! computes the same states from the same rows:
//!
//! - **pending**: created, not yet active: published in the JWKS, signs nothing. Rotation sets
//!   the activation time to the JWKS cache lifetime (`Cache-Control: max-age`) plus two poll
//!   intervals after creation: every instance publishes the key within one poll, so it has been
//!   published for at least the cache lifetime, and every cache that honours `max-age` has
//!   refetched, before any instance signs with it.
//! - **active**: the newest key whose activation time has passed: it signs.
//! - **superseded**: a newer key became active less than the overlap ago (access-token lifetime +
//!   leeway + poll interval: an instance may sign with it up to one poll after its successor's
//!   activation): still published, so its last tokens verify until they expire.
//! - **retired**: superseded longer ago: no longer published (the row stays).
//!
//! Instances read the rows again every poll interval ([`KeyRing::reload`]), so they follow a
//! rotation made by any instance without a restart. The private keys are sealed at rest
//! ([`crate::crypt`], associated data `signing-key:<kid>`).

use crate::crypt::{self, Kek};
use crate::store::{KeyInsert, KeyRecord, Store};
use crate::{AccessClaims, BoxError};
use serde::Serialize;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tessera::{Algorithm, Encoder, Jwk, JwkSet, KeySpec, Signer, VerifierSet};

/// The algorithm of new keys unless `--alg` says otherwise. Each key keeps the algorithm it was
/// made with (stored in its row), so a change of `--alg` takes effect through a rotation.
pub const DEFAULT_ALG: Algorithm = Algorithm::EdDSA;

/// The algorithms `--alg` accepts: EdDSA, and ML-DSA when the facade's `mldsa` feature is built in
/// (this crate's `mldsa` feature).
pub const ALGORITHMS: &[Algorithm] = &[
    Algorithm::EdDSA,
    Algorithm::MlDsa44,
    Algorithm::MlDsa65,
    Algorithm::MlDsa87,
];

/// Whether new keys can be made and used with `alg` in this build.
pub fn supported(alg: Algorithm) -> Result<(), BoxError> {
    if !ALGORITHMS.contains(&alg) {
        return Err(format!(
            "--alg {}: not a signing algorithm of this service",
            alg.name()
        )
        .into());
    }
    if tessera::default_backend(alg).is_none() {
        return Err(format!(
            "--alg {}: no backend in this build (build tessera-service with --features mldsa)",
            alg.name()
        )
        .into());
    }
    Ok(())
}
/// The `typ` of access tokens (RFC 9068 §2.1).
pub const ACCESS_TOKEN_TYPE: &str = "at+jwt";

/// The state of a key at one moment (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyState {
    /// Published, not signing yet.
    Pending,
    /// Signing.
    Active,
    /// Published for the tokens it signed, not signing.
    Superseded,
    /// Not published.
    Retired,
}

/// A key's public facts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyInfo {
    /// The key id.
    pub kid: String,
    /// Its state.
    pub state: KeyState,
    /// Creation, ms since the epoch.
    pub created_at_ms: i64,
    /// Activation, ms since the epoch.
    pub activate_at_ms: i64,
}

/// The keys in use at one moment.
#[derive(Debug)]
pub struct KeySet {
    encoder: Encoder<Box<dyn Signer>>,
    kid: String,
    alg: Algorithm,
    published: Vec<(Jwk, Algorithm)>,
    jwks: String,
    info: Vec<KeyInfo>,
}

impl KeySet {
    /// The `kid` of the signing key.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The algorithm of the signing key.
    pub fn alg(&self) -> Algorithm {
        self.alg
    }

    /// Signs access-token claims with the active key (`typ: at+jwt`, `kid` set).
    pub fn sign(&self, claims: &AccessClaims) -> Result<String, BoxError> {
        Ok(self.encoder.encode(claims)?)
    }

    /// The public keys published, with their algorithms, in activation order.
    pub fn published(&self) -> &[(Jwk, Algorithm)] {
        &self.published
    }

    /// The kids of the public keys published, in activation order.
    pub fn kids(&self) -> Vec<String> {
        self.published
            .iter()
            .filter_map(|(k, _)| k.kid.clone())
            .collect()
    }

    /// Every key with its state, in activation order.
    pub fn info(&self) -> &[KeyInfo] {
        &self.info
    }

    /// The JWK Set document of the public keys.
    pub fn jwks(&self) -> &str {
        &self.jwks
    }

    /// A verifier set of the public keys, one per `kid`.
    pub fn verifiers(&self) -> Result<VerifierSet, BoxError> {
        let mut set = VerifierSet::new();
        for (k, alg) in &self.published {
            set.insert(tessera::verifier(k, *alg)?)?;
        }
        Ok(set)
    }
}

/// Timing of rotation.
#[derive(Clone, Copy, Debug)]
pub struct KeyTiming {
    /// The algorithm of new keys.
    pub alg: Algorithm,
    /// From creation to activation: the JWKS cache lifetime plus two poll intervals.
    pub publish_delay: Duration,
    /// How long a superseded key stays published: the access-token lifetime, leeway and the poll interval.
    pub overlap: Duration,
}

/// The key set, read from the store and kept up to date.
#[derive(Debug)]
pub struct KeyRing {
    timing: KeyTiming,
    current: RwLock<Arc<KeySet>>,
}

/// Ms since the epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn aad(kid: &str) -> String {
    format!("signing-key:{kid}")
}

/// A new private `alg` key as a record created at `now_ms`, activating at `activate_at_ms`.
pub fn new_key(
    kek: Option<&Kek>,
    alg: Algorithm,
    now_ms: i64,
    activate_at_ms: i64,
) -> Result<KeyRecord, BoxError> {
    let mut jwk = tessera::generate(KeySpec::new(alg))?;
    let kid = tessera::thumbprint(&jwk)?;
    jwk.kid = Some(kid.clone());
    let private_jwk = crypt::seal(kek, &aad(&kid), jwk.to_json().as_bytes())?;
    Ok(KeyRecord {
        kid,
        alg: alg.name().to_owned(),
        created_at_ms: now_ms,
        activate_at_ms,
        private_jwk,
    })
}

fn private_jwk(kek: Option<&Kek>, record: &KeyRecord) -> Result<(Jwk, Algorithm), BoxError> {
    let json = crypt::open(kek, &aad(&record.kid), &record.private_jwk)
        .map_err(|e| format!("signing key {}: {e}", record.kid))?;
    let mut jwk = Jwk::from_json(&json).map_err(|e| format!("signing key {}: {e}", record.kid))?;
    let alg = Algorithm::from_name(&record.alg)
        .filter(|a| ALGORITHMS.contains(a))
        .ok_or_else(|| format!("signing key {}: unknown algorithm", record.kid))?;
    if !jwk.is_private() || jwk.algorithm() != Some(alg) {
        return Err(format!(
            "signing key {}: not a private {} key",
            record.kid,
            alg.name()
        )
        .into());
    }
    jwk.kid = Some(record.kid.clone());
    Ok((jwk, alg))
}

/// The key set of `records` at `now_ms` (see the module documentation for the states).
pub fn build(
    records: &[KeyRecord],
    kek: Option<&Kek>,
    now_ms: i64,
    overlap: Duration,
) -> Result<KeySet, BoxError> {
    let mut records: Vec<&KeyRecord> = records.iter().collect();
    records.sort_by(|a, b| {
        (a.activate_at_ms, a.created_at_ms, &a.kid).cmp(&(
            b.activate_at_ms,
            b.created_at_ms,
            &b.kid,
        ))
    });
    let active = records
        .iter()
        .rposition(|r| r.activate_at_ms <= now_ms)
        .ok_or("no signing key is active yet")?;
    let mut published = Vec::new();
    let mut info = Vec::new();
    let mut signer = None;
    for (i, r) in records.iter().enumerate() {
        let state = if i == active {
            KeyState::Active
        } else if i > active {
            KeyState::Pending
        } else {
            // Superseded by the next key, which is active (its activation has passed).
            let next = records.get(i + 1).map_or(now_ms, |n| n.activate_at_ms);
            if now_ms.saturating_sub(next) < ms(overlap) {
                KeyState::Superseded
            } else {
                KeyState::Retired
            }
        };
        info.push(KeyInfo {
            kid: r.kid.clone(),
            state,
            created_at_ms: r.created_at_ms,
            activate_at_ms: r.activate_at_ms,
        });
        if state == KeyState::Retired {
            continue;
        }
        let (jwk, alg) = private_jwk(kek, r)?;
        let backend = tessera::default_backend(alg).ok_or_else(|| {
            format!(
                "signing key {}: no {} backend in this build (build with --features mldsa)",
                r.kid,
                alg.name()
            )
        })?;
        let mut public = backend.public_key(&jwk)?;
        public.kid = Some(r.kid.clone());
        public.alg = Some(alg.name().to_owned());
        public.key_use = Some("sig".into());
        published.push((public, alg));
        if state == KeyState::Active {
            signer = Some((tessera::signer(&jwk, alg)?, r.kid.clone(), alg));
        }
    }
    let (signer, kid, alg) = signer.ok_or("no signing key is active yet")?;
    let encoder = Encoder::new(signer).typ(ACCESS_TOKEN_TYPE).kid(&kid);
    let jwks = JwkSet {
        keys: published.iter().map(|(k, _)| k.clone()).collect(),
        skipped: 0,
    }
    .to_json();
    Ok(KeySet {
        encoder,
        kid,
        alg,
        published,
        jwks,
        info,
    })
}

impl KeyRing {
    /// Reads the keys (creating the first one, active at once, if there is none).
    pub async fn open(store: &Store, timing: KeyTiming) -> Result<KeyRing, BoxError> {
        let now = now_ms();
        let (first, inserted) = store
            .db
            .insert_key(
                new_key(store.kek.as_ref(), timing.alg, now, now)?,
                KeyInsert::First,
            )
            .await?;
        if inserted {
            tracing::info!(kid = %first.kid, "created the first signing key");
        }
        let set = build(
            &store.db.keys().await?,
            store.kek.as_ref(),
            now_ms(),
            timing.overlap,
        )?;
        Ok(KeyRing {
            timing,
            current: RwLock::new(Arc::new(set)),
        })
    }

    /// The keys in use now.
    pub fn current(&self) -> Arc<KeySet> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Makes a new pending key, activating after the publish delay; if a key is pending already,
    /// that one is kept (one rotation at a time). Returns the pending key and the new key set.
    pub async fn rotate(&self, store: &Store) -> Result<(KeyInfo, Arc<KeySet>), BoxError> {
        let now = now_ms();
        let record = new_key(
            store.kek.as_ref(),
            self.timing.alg,
            now,
            now.saturating_add(ms(self.timing.publish_delay)),
        )?;
        let (pending, inserted) = store
            .db
            .insert_key(record, KeyInsert::Rotate { now_ms: now })
            .await?;
        if inserted {
            tracing::info!(kid = %pending.kid, activate_at_ms = pending.activate_at_ms, "new signing key, pending");
        }
        let set = self.reload(store).await?;
        let info = set
            .info()
            .iter()
            .find(|k| k.kid == pending.kid)
            .cloned()
            .ok_or("the new key is not in the key set")?;
        Ok((info, set))
    }

    /// Reads the keys again and recomputes their states.
    pub async fn reload(&self, store: &Store) -> Result<Arc<KeySet>, BoxError> {
        let records = store.db.keys().await?;
        let set = Arc::new(build(
            &records,
            store.kek.as_ref(),
            now_ms(),
            self.timing.overlap,
        )?);
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = set.clone();
        Ok(set)
    }
}

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;
