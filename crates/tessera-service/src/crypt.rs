//! Encryption at rest of the secrets kept in the database (private signing keys, the refresh
//! secret): AES-256-GCM under a key-encryption key taken from the environment
//! (`TESSERA_KEY_ENCRYPTION_KEY`, 32 bytes as 64 hex digits or 43 base64url characters).
//!
//! Each sealed value is stored with its 96-bit random nonce and the id of the key-encryption key
//! (the first 8 bytes of its SHA-256, hex), so that a wrong or missing key is reported as such.
//! The associated data binds a ciphertext to its row (e.g. `signing-key:<kid>`), so ciphertexts
//! cannot be swapped between rows. Without a key-encryption key (SQLite only), values are stored
//! in the clear, with no nonce and no key id.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use sha2::{Digest, Sha256};
use std::fmt;

/// The environment variable holding the key-encryption key.
pub const KEK_ENV: &str = "TESSERA_KEY_ENCRYPTION_KEY";

/// Why a value could not be sealed or opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CryptError {
    /// The key-encryption key is not 32 bytes in hex or base64url.
    BadKey,
    /// The value is encrypted but no key-encryption key is configured.
    NoKey {
        /// The id of the key it was sealed with.
        kek_id: String,
    },
    /// The value was sealed with another key-encryption key.
    WrongKey {
        /// The id of the key it was sealed with.
        kek_id: String,
        /// The id of the key configured.
        configured: String,
    },
    /// Authentication failed: the ciphertext, its nonce or its row was altered.
    Corrupt,
    /// The random number generator failed.
    Random,
}

impl fmt::Display for CryptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CryptError::BadKey => write!(
                f,
                "{KEK_ENV} must be 32 bytes as 64 hex digits or 43 base64url characters"
            ),
            CryptError::NoKey { kek_id } => write!(
                f,
                "a stored secret is encrypted with key {kek_id} but {KEK_ENV} is not set"
            ),
            CryptError::WrongKey { kek_id, configured } => write!(
                f,
                "a stored secret is encrypted with key {kek_id}, not with the configured key {configured}"
            ),
            CryptError::Corrupt => write!(f, "a stored secret fails authentication"),
            CryptError::Random => write!(f, "random number generator failed"),
        }
    }
}

impl std::error::Error for CryptError {}

/// The key-encryption key.
#[derive(Clone)]
pub struct Kek {
    id: String,
    cipher: Aes256Gcm,
}

impl fmt::Debug for Kek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Kek")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Kek {
    /// Parses 32 bytes given as 64 hex digits or as unpadded base64url.
    pub fn parse(text: &str) -> Result<Kek, CryptError> {
        let text = text.trim();
        let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            (0..32)
                .map(|i| {
                    text.get(2 * i..2 * i + 2)
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                })
                .collect::<Option<Vec<u8>>>()
                .ok_or(CryptError::BadKey)?
        } else {
            tessera::codec::b64::decode(text.as_bytes()).map_err(|_| CryptError::BadKey)?
        };
        Kek::from_bytes(&bytes)
    }

    /// The key from its 32 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Kek, CryptError> {
        if bytes.len() != 32 {
            return Err(CryptError::BadKey);
        }
        let cipher = Aes256Gcm::new_from_slice(bytes).map_err(|_| CryptError::BadKey)?;
        let digest = Sha256::digest(bytes);
        let id = digest
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect::<String>();
        Ok(Kek { id, cipher })
    }

    /// The key's id: the first 8 bytes of its SHA-256, hex.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// A value as stored: ciphertext (or plaintext), nonce and key id.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed {
    /// Ciphertext with its 16-byte tag, or the plaintext when `kek_id` is `None`.
    pub value: Vec<u8>,
    /// The 12-byte nonce; `None` for plaintext.
    pub nonce: Option<Vec<u8>>,
    /// The key-encryption key's id; `None` for plaintext.
    pub kek_id: Option<String>,
}

impl fmt::Debug for Sealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealed")
            .field("len", &self.value.len())
            .field("kek_id", &self.kek_id)
            .finish_non_exhaustive()
    }
}

/// Seals `plaintext` for the row named by `aad` (in the clear without a key).
pub fn seal(kek: Option<&Kek>, aad: &str, plaintext: &[u8]) -> Result<Sealed, CryptError> {
    let Some(kek) = kek else {
        return Ok(Sealed {
            value: plaintext.to_vec(),
            nonce: None,
            kek_id: None,
        });
    };
    let mut nonce = [0u8; 12];
    getrandom::fill(&mut nonce).map_err(|_| CryptError::Random)?;
    let value = kek
        .cipher
        .encrypt(
            &Nonce::from(nonce),
            Payload {
                msg: plaintext,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| CryptError::Corrupt)?;
    Ok(Sealed {
        value,
        nonce: Some(nonce.to_vec()),
        kek_id: Some(kek.id.clone()),
    })
}

/// Opens a value sealed by [`seal`] for the same `aad`. A plaintext value is returned as is
/// (a database written before a key was configured).
pub fn open(kek: Option<&Kek>, aad: &str, sealed: &Sealed) -> Result<Vec<u8>, CryptError> {
    let Some(kek_id) = &sealed.kek_id else {
        return Ok(sealed.value.clone());
    };
    let Some(kek) = kek else {
        return Err(CryptError::NoKey {
            kek_id: kek_id.clone(),
        });
    };
    if *kek_id != kek.id {
        return Err(CryptError::WrongKey {
            kek_id: kek_id.clone(),
            configured: kek.id.clone(),
        });
    }
    let nonce: [u8; 12] = sealed
        .nonce
        .as_deref()
        .and_then(|n| n.try_into().ok())
        .ok_or(CryptError::Corrupt)?;
    kek.cipher
        .decrypt(
            &Nonce::from(nonce),
            Payload {
                msg: &sealed.value,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| CryptError::Corrupt)
}

#[cfg(test)]
#[path = "crypt_tests.rs"]
mod tests;
