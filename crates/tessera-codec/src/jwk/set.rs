//! JWK Sets (RFC 7517 §5).

use super::parse::RawJwk;
use super::{JWK_DEPTH, Jwk, MAX_JWK_SET_SIZE};
use crate::error::KeyError;
use crate::json;
use serde::Deserialize;
use serde_json::Value;

/// A JWK Set (RFC 7517 §5).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JwkSet {
    /// The keys tessera can use, in order.
    pub keys: Vec<Jwk>,
    /// How many keys were skipped because their `kty` or curve is not one JWS signing uses here
    /// (RFC 7517 §5: such keys are ignored).
    pub skipped: usize,
}

impl JwkSet {
    /// Parses a JWK Set. Keys of unknown type or curve are skipped and counted; a malformed key
    /// of a known type is an error naming its index.
    pub fn from_json(json: &[u8]) -> Result<JwkSet, KeyError> {
        if json.len() > MAX_JWK_SET_SIZE {
            return Err(KeyError::TooLarge {
                size: json.len(),
                max: MAX_JWK_SET_SIZE,
            });
        }
        json::scan_object(json, JWK_DEPTH + 2, |_, _| {})
            .map_err(|e| KeyError::invalid(format!("JWK Set JSON: {e}")))?;
        #[derive(Deserialize)]
        struct RawSet {
            keys: Vec<Value>,
        }
        let raw: RawSet =
            serde_json::from_slice(json).map_err(|e| KeyError::invalid(format!("JWK Set: {e}")))?;
        let mut set = JwkSet::default();
        for (i, v) in raw.keys.into_iter().enumerate() {
            let parsed = serde_json::from_value::<RawJwk>(v)
                .map_err(|e| KeyError::invalid(format!("JWK Set key {i}: {e}")))?
                .into_jwk();
            match parsed {
                Ok(k) => set.keys.push(k),
                Err(KeyError::UnsupportedKey(_)) => set.skipped += 1,
                Err(KeyError::Invalid(m)) => {
                    return Err(KeyError::Invalid(format!("JWK Set key {i}: {m}")));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(set)
    }

    /// The first key with this `kid`.
    pub fn find(&self, kid: &str) -> Option<&Jwk> {
        self.keys.iter().find(|k| k.kid.as_deref() == Some(kid))
    }

    /// The set as JSON.
    pub fn to_json(&self) -> String {
        serde_json::json!({ "keys": self.keys.iter().map(Jwk::to_value).collect::<Vec<_>>() })
            .to_string()
    }
}
