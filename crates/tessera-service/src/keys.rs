//! Signing keys: a directory of private Ed25519 JWK files, the newest of which signs.
//!
//! Each file is named `<creation time in ms, 16 digits>-<kid>.jwk`, the `kid` being the key's
//! RFC 7638 thumbprint, so the newest key is the last name in order. Rotation writes a new file;
//! the previous key keeps being published (JWKS and the verifier set) for the access-token
//! lifetime after its successor appeared, so the tokens it signed stay valid until they expire.
//! Older keys stay on disk but are no longer trusted.

use crate::{AccessClaims, BoxError};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tessera::{Algorithm, Encoder, Jwk, JwkSet, KeySpec, Signer, VerifierSet};

/// The algorithm of every key.
pub const ALG: Algorithm = Algorithm::EdDSA;
/// The `typ` of access tokens (RFC 9068 §2.1).
pub const ACCESS_TOKEN_TYPE: &str = "at+jwt";

/// One key file.
#[derive(Debug)]
struct KeyFile {
    created_ms: u64,
    kid: String,
    jwk: Jwk,
}

/// The keys in use at one moment.
#[derive(Debug)]
pub struct KeySet {
    encoder: Encoder<Box<dyn Signer>>,
    kid: String,
    published: Vec<Jwk>,
    jwks: String,
}

impl KeySet {
    /// The `kid` of the signing key.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// Signs access-token claims with the newest key (`typ: at+jwt`, `kid` set).
    pub fn sign(&self, claims: &AccessClaims) -> Result<String, BoxError> {
        Ok(self.encoder.encode(claims)?)
    }

    /// The public keys trusted, newest last.
    pub fn published(&self) -> &[Jwk] {
        &self.published
    }

    /// The kids of the public keys trusted, newest last.
    pub fn kids(&self) -> Vec<String> {
        self.published
            .iter()
            .filter_map(|k| k.kid.clone())
            .collect()
    }

    /// The JWK Set document of the public keys.
    pub fn jwks(&self) -> &str {
        &self.jwks
    }

    /// A verifier set of the public keys, one per `kid`.
    pub fn verifiers(&self) -> Result<VerifierSet, BoxError> {
        let mut set = VerifierSet::new();
        for k in &self.published {
            set.insert(tessera::verifier(k, ALG)?)?;
        }
        Ok(set)
    }
}

/// The key directory and the key set read from it.
#[derive(Debug)]
pub struct KeyRing {
    dir: PathBuf,
    /// How long a superseded key stays trusted.
    overlap: Duration,
    current: RwLock<Arc<KeySet>>,
    rotating: Mutex<()>,
}

impl KeyRing {
    /// Reads `dir` (created if missing, with a first key if empty). A superseded key stays
    /// trusted for `overlap` (the access-token lifetime plus leeway) after its successor appeared.
    pub fn open(dir: &Path, overlap: Duration) -> Result<KeyRing, BoxError> {
        create_private_dir(dir)?;
        if read_dir(dir)?.is_empty() {
            let kid = write_new_key(dir)?;
            tracing::info!(%kid, dir = %dir.display(), "created the first signing key");
        }
        let set = build(read_dir(dir)?, overlap)?;
        Ok(KeyRing {
            dir: dir.to_owned(),
            overlap,
            current: RwLock::new(Arc::new(set)),
            rotating: Mutex::new(()),
        })
    }

    /// The keys in use now.
    pub fn current(&self) -> Arc<KeySet> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Makes a new key, which signs from now on; returns the new key set.
    pub fn rotate(&self) -> Result<Arc<KeySet>, BoxError> {
        let _one_at_a_time = self.rotating.lock().unwrap_or_else(PoisonError::into_inner);
        let kid = write_new_key(&self.dir)?;
        tracing::info!(%kid, "rotated signing key");
        self.reload()
    }

    /// Reads the directory again.
    pub fn reload(&self) -> Result<Arc<KeySet>, BoxError> {
        let set = Arc::new(build(read_dir(&self.dir)?, self.overlap)?);
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = set.clone();
        Ok(set)
    }
}

/// The key set of a directory's files: the newest signs; keys superseded less than `overlap` ago are published.
fn build(mut files: Vec<KeyFile>, overlap: Duration) -> Result<KeySet, BoxError> {
    files.sort_by(|a, b| (a.created_ms, &a.kid).cmp(&(b.created_ms, &b.kid)));
    let Some(newest) = files.last() else {
        return Err("the key directory holds no key".into());
    };
    let now = now_ms();
    let overlap_ms = u64::try_from(overlap.as_millis()).unwrap_or(u64::MAX);
    let mut published = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let trusted = match files.get(i + 1) {
            None => true,
            Some(successor) => now.saturating_sub(successor.created_ms) < overlap_ms,
        };
        if trusted {
            let backend = tessera::default_backend(ALG)
                .ok_or("no backend for EdDSA (build with the ed25519 feature)")?;
            let mut public = backend.public_key(&f.jwk)?;
            public.kid = Some(f.kid.clone());
            public.alg = Some(ALG.name().to_owned());
            public.key_use = Some("sig".into());
            published.push(public);
        }
    }
    let signer = tessera::signer(&newest.jwk, ALG)?;
    let encoder = Encoder::new(signer).typ(ACCESS_TOKEN_TYPE).kid(&newest.kid);
    let jwks = JwkSet {
        keys: published.clone(),
        skipped: 0,
    }
    .to_json();
    Ok(KeySet {
        encoder,
        kid: newest.kid.clone(),
        published,
        jwks,
    })
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The key files of `dir`; other files are ignored, a malformed key file is an error.
fn read_dir(dir: &Path) -> Result<Vec<KeyFile>, BoxError> {
    let mut keys = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some((created, kid)) = name.strip_suffix(".jwk").and_then(|s| s.split_once('-')) else {
            continue;
        };
        let Ok(created_ms) = created.parse::<u64>() else {
            continue;
        };
        let bytes = fs::read(&path)?;
        let mut jwk = Jwk::from_json(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        if !jwk.is_private() || jwk.algorithm() != Some(ALG) {
            return Err(format!("{}: not a private Ed25519 key", path.display()).into());
        }
        jwk.kid = Some(kid.to_owned());
        keys.push(KeyFile {
            created_ms,
            kid: kid.to_owned(),
            jwk,
        });
    }
    Ok(keys)
}

/// Generates a key and writes it (mode 0600, written to a temporary name then renamed); returns its kid.
fn write_new_key(dir: &Path) -> Result<String, BoxError> {
    let mut jwk = tessera::generate(KeySpec::new(ALG))?;
    let kid = tessera::thumbprint(&jwk)?;
    jwk.kid = Some(kid.clone());
    let mut created = now_ms();
    // Strictly after every existing key, so that "newest" is never ambiguous.
    if let Some(last) = read_dir(dir)?.iter().map(|k| k.created_ms).max() {
        created = created.max(last + 1);
    }
    let name = format!("{created:016}-{kid}.jwk");
    let tmp = dir.join(format!(".{name}.tmp"));
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp)?;
    file.write_all(jwk.to_json().as_bytes())?;
    file.sync_all()?;
    fs::rename(&tmp, dir.join(&name))?;
    Ok(kid)
}

fn create_private_dir(dir: &Path) -> Result<(), BoxError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(created_ms: u64) -> KeyFile {
        let jwk = tessera::generate(KeySpec::new(ALG)).unwrap();
        KeyFile {
            created_ms,
            kid: tessera::thumbprint(&jwk).unwrap(),
            jwk,
        }
    }

    #[test]
    fn superseded_keys_are_trusted_for_the_overlap_only() {
        let now = now_ms();
        let (a, b, c) = (key(now - 10_000_000), key(now - 2_000_000), key(now - 500));
        let kids = [a.kid.clone(), b.kid.clone(), c.kid.clone()];
        let set = build(vec![c, a, b], Duration::from_secs(900)).unwrap();
        // a was superseded by b 2000 s ago, beyond the 900 s overlap; b was superseded 0.5 s ago; c signs.
        assert_eq!(set.kid(), kids[2]);
        assert_eq!(set.kids(), vec![kids[1].clone(), kids[2].clone()]);
        assert!(set.jwks().contains(&kids[1]) && !set.jwks().contains(&kids[0]));
        assert!(!set.jwks().contains("\"d\""));
        assert_eq!(set.verifiers().unwrap().len(), 2);
    }
}
