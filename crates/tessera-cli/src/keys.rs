//! Key files, recognised by their content: a JWK (a JSON object with `kty`), a JWK Set (a JSON
//! object with `keys`) or a PEM key (PKCS#8, SPKI, PKCS#1 or SEC1).
//!
//! Raw secret bytes are deliberately not recognised: any file at all would then be a valid
//! HMAC key, and a wrong path would sign or verify instead of failing.

use crate::error::{CliError, Result, clip};
use crate::input;
use std::fmt;
use std::path::{Path, PathBuf};
use tessera::codec::KeyMaterial;
use tessera::{Algorithm, Backend, Jwk, JwkSet, KeyError, Validation};

/// What a key file holds.
#[derive(Debug)]
enum Keys {
    /// One key (a JWK or a PEM key).
    One(Box<Jwk>),
    /// A JWK Set with at least one usable key.
    Set(JwkSet),
}

/// A loaded key file, remembered with its path for messages.
#[derive(Debug)]
pub struct KeyFile {
    path: PathBuf,
    /// The keys it holds.
    keys: Keys,
}

impl KeyFile {
    /// Reads and recognises a key file.
    pub fn load(path: &Path) -> Result<KeyFile> {
        let bytes = input::read_input(path, "key file")?;
        let keys = parse(&bytes).map_err(|e| file_error(path, e))?;
        if let Keys::Set(set) = &keys
            && set.keys.is_empty()
        {
            return Err(file_error(
                path,
                format!(
                    "the JWK Set holds no key usable for JWS signatures ({} skipped)",
                    set.skipped
                ),
            ));
        }
        Ok(KeyFile {
            path: path.to_owned(),
            keys,
        })
    }

    /// An error about this file (exit 2).
    pub fn error(&self, what: impl fmt::Display) -> CliError {
        file_error(&self.path, what)
    }

    /// The key to sign with: the only key, or the set's key with `kid`.
    pub fn pick(&self, kid: Option<&str>) -> Result<&Jwk> {
        match (&self.keys, kid) {
            (Keys::One(key), _) => Ok(key.as_ref()),
            (Keys::Set(set), Some(kid)) => set
                .find(kid)
                .ok_or_else(|| self.error(format!("no key with kid {:?}", clip(kid)))),
            (Keys::Set(set), None) => match set.keys.as_slice() {
                [only] => Ok(only),
                keys => Err(self.error(format!(
                    "the JWK Set holds {} keys; pick one with --kid",
                    keys.len()
                ))),
            },
        }
    }

    /// The key to verify `token` with: the only key, `kid` from the command line, or the key the
    /// token's `kid` names (as [`tessera::VerifierSet`] picks: among keys sharing the kid, the
    /// one whose algorithm is the header's). A token naming no key of the set is rejected (exit 1).
    pub fn pick_for_token(
        &self,
        kid: Option<&str>,
        token: &str,
        alg: Option<Algorithm>,
        validation: &Validation,
    ) -> Result<&Jwk> {
        let set = match (&self.keys, kid) {
            (Keys::Set(set), None) => set,
            _ => return self.pick(kid),
        };
        let header =
            tessera::unverified::decode_without_verifying(token, validation.get_max_token_size())
                .map_err(|e| CliError::rejected(format!("token rejected: {e}")))?
                .header;
        match header.kid.as_deref() {
            Some(kid) => {
                let same: Vec<&Jwk> = set
                    .keys
                    .iter()
                    .filter(|k| k.kid.as_deref() == Some(kid))
                    .collect();
                let by_alg = same.iter().find(|k| {
                    alg.or_else(|| k.algorithm()).map(Algorithm::name) == Some(&header.alg)
                });
                by_alg.or(same.first()).copied().ok_or_else(|| {
                    CliError::rejected(format!(
                        "token rejected: no key with kid {:?} in key file {}",
                        clip(kid),
                        self.path.display()
                    ))
                })
            }
            None => match set.keys.as_slice() {
                [only] => Ok(only),
                _ => Err(CliError::rejected(format!(
                    "token rejected: token has no kid and key file {} holds several keys",
                    self.path.display()
                ))),
            },
        }
    }

    /// The algorithm to verify with: `alg` if given, else the key's (its `alg` member, or the
    /// one its type implies); never the token's.
    pub fn algorithm(&self, key: &Jwk, alg: Option<Algorithm>) -> Result<Algorithm> {
        if let Some(alg) = alg {
            return Ok(alg);
        }
        key.algorithm().ok_or_else(|| match &key.alg {
            Some(a) => self.error(format!(
                "the key's alg {:?} is not a JWS signature algorithm; pass --alg",
                clip(a)
            )),
            None => self.error(format!(
                "the {} key has no alg member and its type fits several algorithms; pass --alg",
                key.kty()
            )),
        })
    }

    /// The key a verifier is built from: an HMAC secret as is, a private key's public half
    /// (derived by the backend where the file omitted it), a public key as is.
    pub fn verifying_key(&self, backend: &dyn Backend, key: &Jwk) -> Result<Jwk> {
        if matches!(key.material, KeyMaterial::Oct(_)) || !key.is_private() {
            return Ok(key.clone());
        }
        let mut public = backend
            .public_key(key)
            .map_err(|e: KeyError| self.error(e))?;
        // The alg member binds the key; keep it even if a backend's derivation dropped it.
        if public.alg.is_none() {
            public.alg.clone_from(&key.alg);
        }
        Ok(public)
    }
}

fn file_error(path: &Path, what: impl fmt::Display) -> CliError {
    CliError::usage(format!("key file {}: {what}", path.display()))
}

/// Recognises the content of a key file.
fn parse(bytes: &[u8]) -> Result<Keys, String> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err("binary data, not a JWK, JWK Set or PEM key".into());
    };
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with('{') {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
        let object = value.as_object();
        if object.is_some_and(|o| o.contains_key("keys")) {
            JwkSet::from_json(text.as_bytes())
                .map(Keys::Set)
                .map_err(|e| e.to_string())
        } else if object.is_some_and(|o| o.contains_key("kty")) {
            Jwk::from_json(text.as_bytes())
                .map(|k| Keys::One(Box::new(k)))
                .map_err(|e| e.to_string())
        } else {
            Err("a JSON object with neither kty (a JWK) nor keys (a JWK Set)".into())
        }
    } else if let Some(block) = pem_key_block(text)? {
        Jwk::from_pem(block)
            .map(|k| Keys::One(Box::new(k)))
            .map_err(|e| e.to_string())
    } else {
        Err("not a JWK, JWK Set or PEM key".into())
    }
}

/// The first PEM block that is a key, skipping the `EC PARAMETERS` block that
/// `openssl ecparam -genkey` writes first and any text around the blocks.
fn pem_key_block(text: &str) -> Result<Option<&str>, String> {
    const BEGIN: &str = "-----BEGIN ";
    let mut rest = text;
    while let Some(start) = rest.find(BEGIN) {
        let after = &rest[start + BEGIN.len()..];
        let label_end = after
            .find("-----")
            .ok_or("PEM BEGIN line is not terminated")?;
        let label = &after[..label_end];
        let end_line = format!("-----END {label}-----");
        let end = after
            .find(&end_line)
            .ok_or_else(|| format!("PEM block {:?} has no END line", clip(label)))?
            + end_line.len();
        if label != "EC PARAMETERS" {
            return Ok(Some(&rest[start..start + BEGIN.len() + end]));
        }
        rest = &after[end..];
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_content() {
        assert!(matches!(
            parse(br#"{"kty":"oct","k":"AQID"}"#),
            Ok(Keys::One(_))
        ));
        assert!(matches!(
            parse(br#" {"keys":[{"kty":"oct","k":"AQID"}]}"#),
            Ok(Keys::Set(_))
        ));
        assert_eq!(
            parse(b"\xff\xfe\x00junk").unwrap_err(),
            "binary data, not a JWK, JWK Set or PEM key"
        );
        assert!(parse(b"{\"a\":1}").unwrap_err().contains("neither kty"));
        assert!(parse(b"{").unwrap_err().starts_with("not valid JSON"));
        assert!(parse(b"hello").unwrap_err().starts_with("not a JWK"));
    }

    #[test]
    fn finds_the_key_block() {
        let text = "junk\n-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n\
                    -----BEGIN EC PRIVATE KEY-----\nAA==\n-----END EC PRIVATE KEY-----\ntrailer";
        assert_eq!(
            pem_key_block(text).unwrap(),
            Some("-----BEGIN EC PRIVATE KEY-----\nAA==\n-----END EC PRIVATE KEY-----")
        );
        assert!(pem_key_block("-----BEGIN X-----\nAA==\n").is_err());
        assert_eq!(pem_key_block("no pem").unwrap(), None);
    }
}
