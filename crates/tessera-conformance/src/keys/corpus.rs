//! The corpus of bad keys (`vectors/keys/*.json`, embedded at build time) and its reading.

use serde::Deserialize;
use tessera::codec::b64;
use tessera::{Algorithm, Jwk, KeyError};

/// The corpus files by name, embedded at build time.
pub const FILES: &[(&str, &str)] = &[
    (
        "ed25519.json",
        include_str!("../../vectors/keys/ed25519.json"),
    ),
    ("ec.json", include_str!("../../vectors/keys/ec.json")),
    ("rsa.json", include_str!("../../vectors/keys/rsa.json")),
    ("oct.json", include_str!("../../vectors/keys/oct.json")),
    ("type.json", include_str!("../../vectors/keys/type.json")),
    ("akp.json", include_str!("../../vectors/keys/akp.json")),
];

/// Where a key must be refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Making the verifier (and, for a private key, the signer and the public key) fails with
    /// the expected error.
    Construction,
    /// Either construction fails with the expected error, or every token is refused: for flaws
    /// some libraries only notice when they verify.
    Verify,
}

/// How an entry writes its key.
#[derive(Clone, Debug, PartialEq)]
pub enum KeyForm {
    /// A JWK object.
    Jwk(serde_json::Value),
    /// A DER SubjectPublicKeyInfo.
    Spki(Vec<u8>),
    /// A DER PKCS#8 private key.
    Pkcs8(Vec<u8>),
}

/// A key with only the entry's broken rule repaired: every backend must accept it, and the
/// tokens it names must verify under it (so they are genuine).
#[derive(Clone, Debug, PartialEq)]
pub struct Control {
    /// The repaired key, a JWK object.
    pub jwk: serde_json::Value,
    /// Indices into [`Entry::tokens`] that verify under it.
    pub verifies: Vec<usize>,
}

/// One bad key of the corpus.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The file it comes from.
    pub file: &'static str,
    /// Unique name.
    pub name: String,
    /// Its group; the workspace tests have one test per class.
    pub class: String,
    /// The algorithm the key is offered for.
    pub alg: Algorithm,
    /// The key.
    pub key: KeyForm,
    /// What is wrong with it.
    pub rule: String,
    /// The exact error, as [`super::error_name`] writes it (`Rejected(Rule)` or a variant name).
    pub expected: String,
    /// Where given, text the error's message must contain (for variants with a message, such as
    /// `Invalid`, it says which member or rule was refused).
    pub detail: Option<String>,
    /// Where it must be refused.
    pub refused: Stage,
    /// The standard that states the rule.
    pub source: String,
    /// Tokens that must be refused (where possible, ones a lax verifier accepts).
    pub tokens: Vec<String>,
    /// Keys with the rule repaired, accepted by every backend.
    pub controls: Vec<Control>,
}

impl Entry {
    /// The key, read as the codec reads it; an error here is the same for every backend.
    pub fn jwk(&self) -> Result<Jwk, KeyError> {
        match &self.key {
            KeyForm::Jwk(v) => Jwk::from_json(v.to_string().as_bytes()),
            KeyForm::Spki(der) => Jwk::from_spki_der(der),
            KeyForm::Pkcs8(der) => Jwk::from_pkcs8_der(der),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[allow(dead_code, reason = "documentation for the reader of the file")]
    description: String,
    entries: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    name: String,
    class: String,
    alg: String,
    jwk: Option<serde_json::Value>,
    spki: Option<String>,
    pkcs8: Option<String>,
    rule: String,
    expected: String,
    #[serde(default)]
    detail: Option<String>,
    refused: Stage,
    source: String,
    tokens: Vec<String>,
    #[serde(default)]
    controls: Vec<RawControl>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawControl {
    jwk: serde_json::Value,
    verifies: Vec<usize>,
}

fn der(what: &str, text: &str) -> Result<Vec<u8>, String> {
    b64::decode(text.as_bytes()).map_err(|_| format!("{what} is not base64url"))
}

impl RawEntry {
    fn into_entry(self, file: &'static str) -> Result<Entry, String> {
        let alg =
            Algorithm::from_name(&self.alg).ok_or_else(|| format!("unknown alg {}", self.alg))?;
        let key = match (self.jwk, self.spki, self.pkcs8) {
            (Some(j), None, None) => KeyForm::Jwk(j),
            (None, Some(s), None) => KeyForm::Spki(der("spki", &s)?),
            (None, None, Some(p)) => KeyForm::Pkcs8(der("pkcs8", &p)?),
            _ => return Err("needs exactly one of jwk, spki, pkcs8".into()),
        };
        if self.refused == Stage::Verify && self.tokens.is_empty() {
            return Err("refused at verify needs tokens".into());
        }
        for c in &self.controls {
            if let Some(i) = c.verifies.iter().find(|&&i| i >= self.tokens.len()) {
                return Err(format!("control names token {i} of {}", self.tokens.len()));
            }
        }
        Ok(Entry {
            file,
            name: self.name,
            class: self.class,
            alg,
            key,
            rule: self.rule,
            expected: self.expected,
            detail: self.detail,
            refused: self.refused,
            source: self.source,
            tokens: self.tokens,
            controls: self
                .controls
                .into_iter()
                .map(|c| Control {
                    jwk: c.jwk,
                    verifies: c.verifies,
                })
                .collect(),
        })
    }
}

/// Every entry of every file, in file order. Fails, naming the file and entry, on a malformed
/// file, an unknown algorithm, a key given in none or several forms, or a duplicate name.
pub fn corpus() -> Result<Vec<Entry>, String> {
    let mut entries: Vec<Entry> = Vec::new();
    for &(file, text) in FILES {
        let raw: RawFile = serde_json::from_str(text).map_err(|e| format!("{file}: {e}"))?;
        for r in raw.entries {
            let name = r.name.clone();
            let entry = r
                .into_entry(file)
                .map_err(|e| format!("{file} {name}: {e}"))?;
            if entries.iter().any(|e| e.name == entry.name) {
                return Err(format!("{file}: duplicate entry name {name}"));
            }
            entries.push(entry);
        }
    }
    Ok(entries)
}
