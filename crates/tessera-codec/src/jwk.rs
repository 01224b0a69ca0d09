//! JSON Web Keys (RFC 7517) and JWK Sets, for the key types JWS uses (RFC 7518 §6, RFC 8037 §2,
//! RFC 9964 §3), with RFC 7638 thumbprint input.

pub use crate::akp::AkpKey;
use crate::alg::{Algorithm, EcCurve, Family};
use crate::b64;
use crate::error::{KeyError, clip};
use crate::json;
use serde_json::{Map, Value};
use std::fmt;
use zeroize::Zeroizing;

/// Largest JWK accepted, in bytes of JSON (an RSA-8192 private key is about 6.5 KiB, an
/// ML-DSA-87 private key about 3.6 KiB).
pub const MAX_JWK_SIZE: usize = 64 * 1024;
/// Largest JWK Set accepted, in bytes of JSON.
pub const MAX_JWK_SET_SIZE: usize = 1024 * 1024;
const JWK_DEPTH: usize = 4;

mod parse;
mod set;
use parse::RawJwk;
pub use set::JwkSet;

/// Secret bytes (an HMAC key, a private scalar or exponent): wiped on drop, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// Wraps secret bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Secret(Zeroizing::new(bytes.into()))
    }

    /// The secret bytes.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({} bytes)", self.0.len())
    }
}

/// The Chinese-remainder parameters of an RSA private key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsaPrimes {
    /// First prime factor `p`.
    pub p: Secret,
    /// Second prime factor `q`.
    pub q: Secret,
    /// `d mod (p-1)`.
    pub dp: Secret,
    /// `d mod (q-1)`.
    pub dq: Secret,
    /// `q^-1 mod p`.
    pub qi: Secret,
}

/// The private part of an RSA key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsaPrivate {
    /// Private exponent `d`.
    pub d: Secret,
    /// The CRT parameters, when the key source has them.
    pub primes: Option<RsaPrimes>,
}

/// An RSA key (`kty: RSA`). Integers are big-endian without leading zero bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsaKey {
    /// Modulus.
    pub n: Vec<u8>,
    /// Public exponent.
    pub e: Vec<u8>,
    /// Private part, for private keys.
    pub private: Option<RsaPrivate>,
}

impl RsaKey {
    /// Size of the modulus in bits.
    pub fn bits(&self) -> usize {
        bit_len(&self.n)
    }
}

/// An elliptic-curve key (`kty: EC`). Coordinates and scalar are big-endian, exactly the
/// curve's field size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EcKey {
    /// The curve.
    pub crv: EcCurve,
    /// Affine x coordinate; empty when the key source gave a private key without its public point.
    pub x: Vec<u8>,
    /// Affine y coordinate; empty in the same case as `x`.
    pub y: Vec<u8>,
    /// Private scalar, for private keys.
    pub d: Option<Secret>,
}

/// An octet key pair (`kty: OKP`, RFC 8037) on Ed25519, the one OKP curve JWS signing here uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OkpKey {
    /// The 32-byte public key; empty when the key source (a PKCS#8 v1 file) gave only the private key.
    pub x: Vec<u8>,
    /// The 32-byte private key (seed), for private keys.
    pub d: Option<Secret>,
}

/// Key material of one of the types JWS uses.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyMaterial {
    /// A shared secret for HMAC (`kty: oct`).
    Oct(Secret),
    /// An RSA key.
    Rsa(RsaKey),
    /// An elliptic-curve key.
    Ec(EcKey),
    /// An Ed25519 key.
    Okp(OkpKey),
    /// An ML-DSA key (`kty: AKP`, RFC 9964).
    Akp(AkpKey),
}

/// What a key is about to be used for; checked against `use` and `key_ops`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyUse {
    /// Making signatures.
    Sign,
    /// Checking signatures.
    Verify,
}

/// A JSON Web Key: key material and the members that constrain its use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Jwk {
    /// `kid`.
    pub kid: Option<String>,
    /// `alg`: when present, the only algorithm the key may be used with.
    pub alg: Option<String>,
    /// `use` (`"sig"` or `"enc"`).
    pub key_use: Option<String>,
    /// `key_ops`.
    pub key_ops: Option<Vec<String>>,
    /// The key itself.
    pub material: KeyMaterial,
}

pub(crate) use crate::backend::{bit_len, unsigned as strip_zeros};

/// RSA keys shorter than this are refused (RFC 7518 §3.3).
pub const MIN_RSA_BITS: usize = 2048;

impl Jwk {
    /// A key with no `kid`, `use` or `key_ops`, and no `alg` unless the material is an AKP key,
    /// whose `alg` is required (RFC 9964 §3) and taken from it.
    pub fn new(material: KeyMaterial) -> Self {
        Jwk {
            kid: None,
            alg: match &material {
                KeyMaterial::Akp(k) => Some(k.alg.name().to_owned()),
                _ => None,
            },
            key_use: None,
            key_ops: None,
            material,
        }
    }

    /// An HMAC secret key (`kty: oct`).
    pub fn oct(secret: impl Into<Vec<u8>>) -> Self {
        Jwk::new(KeyMaterial::Oct(Secret::new(secret)))
    }

    /// Sets `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// Sets `alg`.
    pub fn with_alg(mut self, alg: Algorithm) -> Self {
        self.alg = Some(alg.name().to_owned());
        self
    }

    /// The JWK `kty`.
    pub fn kty(&self) -> &'static str {
        match &self.material {
            KeyMaterial::Oct(_) => "oct",
            KeyMaterial::Rsa(_) => "RSA",
            KeyMaterial::Ec(_) => "EC",
            KeyMaterial::Okp(_) => "OKP",
            KeyMaterial::Akp(_) => "AKP",
        }
    }

    /// The curve name for EC and OKP keys.
    pub fn curve_name(&self) -> Option<&'static str> {
        match &self.material {
            KeyMaterial::Ec(k) => Some(k.crv.name()),
            KeyMaterial::Okp(_) => Some("Ed25519"),
            _ => None,
        }
    }

    /// Whether the key holds private material (a secret counts as private).
    pub fn is_private(&self) -> bool {
        match &self.material {
            KeyMaterial::Oct(_) => true,
            KeyMaterial::Rsa(k) => k.private.is_some(),
            KeyMaterial::Ec(k) => k.d.is_some(),
            KeyMaterial::Okp(k) => k.d.is_some(),
            KeyMaterial::Akp(k) => k.seed.is_some(),
        }
    }

    /// The one algorithm this key can serve, when it names one: its `alg` member, else the key
    /// type where that decides (EC curves, Ed25519, AKP). RSA and `oct` keys without `alg` name
    /// none.
    pub fn algorithm(&self) -> Option<Algorithm> {
        if let Some(a) = &self.alg {
            return Algorithm::from_name(a);
        }
        match &self.material {
            KeyMaterial::Akp(k) => Some(k.alg),
            KeyMaterial::Ec(k) => Some(k.crv.algorithm()),
            KeyMaterial::Okp(_) => Some(Algorithm::EdDSA),
            _ => None,
        }
    }

    /// Checks that this key may be used for `alg` and `usage`: the key type and curve fit the
    /// algorithm, the `alg` member (if any) is `alg`, `use`/`key_ops` allow it, the key is strong
    /// enough, and signing has private material. Every backend calls this before anything else,
    /// so key confusion (an RSA public key used as an HMAC secret, say) is impossible.
    pub fn check_for(&self, alg: Algorithm, usage: KeyUse) -> Result<&KeyMaterial, KeyError> {
        let fits = matches!(
            (alg.family(), &self.material),
            (Family::Hmac, KeyMaterial::Oct(_))
                | (Family::RsaPkcs1 | Family::RsaPss, KeyMaterial::Rsa(_))
                | (Family::Ecdsa, KeyMaterial::Ec(_))
                | (Family::EdDsa, KeyMaterial::Okp(_))
                | (Family::MlDsa, KeyMaterial::Akp(_))
        );
        if !fits {
            return Err(KeyError::WrongKeyType {
                alg,
                kty: self.kty(),
            });
        }
        if let KeyMaterial::Ec(k) = &self.material
            && Some(k.crv) != alg.curve()
        {
            return Err(KeyError::WrongCurve {
                alg,
                expected: alg.curve().map_or("none", EcCurve::name),
                found: k.crv.name(),
            });
        }
        if let KeyMaterial::Akp(k) = &self.material
            && k.alg != alg
        {
            return Err(KeyError::AlgorithmMismatch {
                alg,
                key_alg: k.alg.name().to_owned(),
            });
        }
        if let Some(a) = &self.alg
            && a != alg.name()
        {
            return Err(KeyError::AlgorithmMismatch {
                alg,
                key_alg: clip(a),
            });
        }
        if let Some(u) = &self.key_use
            && u != "sig"
        {
            return Err(KeyError::Usage(match usage {
                KeyUse::Sign => "signing",
                KeyUse::Verify => "verifying",
            }));
        }
        if let Some(ops) = &self.key_ops {
            let op = match usage {
                KeyUse::Sign => "sign",
                KeyUse::Verify => "verify",
            };
            if !ops.iter().any(|o| o == op) {
                return Err(KeyError::Usage(match usage {
                    KeyUse::Sign => "signing",
                    KeyUse::Verify => "verifying",
                }));
            }
        }
        crate::backend::rules::check_material(alg, &self.material)?;
        if usage == KeyUse::Sign && !self.is_private() {
            return Err(KeyError::NotPrivate);
        }
        Ok(&self.material)
    }

    /// The public key: private members removed. A secret (`oct`) key has no public form.
    pub fn to_public(&self) -> Result<Jwk, KeyError> {
        let material = match &self.material {
            KeyMaterial::Oct(_) => {
                return Err(KeyError::UnsupportedKey(
                    "an HMAC secret has no public key".into(),
                ));
            }
            KeyMaterial::Rsa(k) => KeyMaterial::Rsa(RsaKey {
                n: k.n.clone(),
                e: k.e.clone(),
                private: None,
            }),
            KeyMaterial::Ec(k) => {
                if k.x.is_empty() {
                    return Err(missing_public());
                }
                KeyMaterial::Ec(EcKey {
                    crv: k.crv,
                    x: k.x.clone(),
                    y: k.y.clone(),
                    d: None,
                })
            }
            KeyMaterial::Okp(k) => {
                if k.x.is_empty() {
                    return Err(missing_public());
                }
                KeyMaterial::Okp(OkpKey {
                    x: k.x.clone(),
                    d: None,
                })
            }
            KeyMaterial::Akp(k) => {
                if k.public.is_empty() {
                    return Err(missing_public());
                }
                KeyMaterial::Akp(AkpKey {
                    alg: k.alg,
                    public: k.public.clone(),
                    seed: None,
                })
            }
        };
        Ok(Jwk {
            material,
            key_ops: self
                .key_ops
                .as_ref()
                .map(|ops| ops.iter().filter(|o| *o == "verify").cloned().collect()),
            ..self.clone()
        })
    }

    /// Parses a JWK from JSON, strictly: size bounded, duplicate members refused, base64url
    /// members strict, lengths checked for the key type.
    pub fn from_json(json: &[u8]) -> Result<Jwk, KeyError> {
        if json.len() > MAX_JWK_SIZE {
            return Err(KeyError::TooLarge {
                size: json.len(),
                max: MAX_JWK_SIZE,
            });
        }
        json::scan_object(json, JWK_DEPTH, |_, _| {})
            .map_err(|e| KeyError::invalid(format!("JWK JSON: {e}")))?;
        let raw: RawJwk =
            serde_json::from_slice(json).map_err(|e| KeyError::invalid(format!("JWK: {e}")))?;
        raw.into_jwk()
    }

    /// The JWK as a JSON value, private members included when present.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        let s = |v: &[u8]| Value::String(b64::encode(v));
        m.insert("kty".into(), self.kty().into());
        match &self.material {
            KeyMaterial::Oct(k) => {
                m.insert("k".into(), s(k.expose()));
            }
            KeyMaterial::Rsa(k) => {
                m.insert("n".into(), s(strip_zeros(&k.n)));
                m.insert("e".into(), s(strip_zeros(&k.e)));
                if let Some(p) = &k.private {
                    m.insert("d".into(), s(p.d.expose()));
                    if let Some(c) = &p.primes {
                        for (name, v) in [
                            ("p", &c.p),
                            ("q", &c.q),
                            ("dp", &c.dp),
                            ("dq", &c.dq),
                            ("qi", &c.qi),
                        ] {
                            m.insert(name.into(), s(v.expose()));
                        }
                    }
                }
            }
            KeyMaterial::Ec(k) => {
                m.insert("crv".into(), k.crv.name().into());
                m.insert("x".into(), s(&k.x));
                m.insert("y".into(), s(&k.y));
                if let Some(d) = &k.d {
                    m.insert("d".into(), s(d.expose()));
                }
            }
            KeyMaterial::Okp(k) => {
                m.insert("crv".into(), "Ed25519".into());
                m.insert("x".into(), s(&k.x));
                if let Some(d) = &k.d {
                    m.insert("d".into(), s(d.expose()));
                }
            }
            KeyMaterial::Akp(k) => {
                m.insert("alg".into(), k.alg.name().into());
                m.insert("pub".into(), s(&k.public));
                if let Some(seed) = &k.seed {
                    m.insert("priv".into(), s(seed.expose()));
                }
            }
        }
        if let Some(v) = &self.kid {
            m.insert("kid".into(), v.clone().into());
        }
        if let Some(v) = &self.alg {
            m.insert("alg".into(), v.clone().into());
        }
        if let Some(v) = &self.key_use {
            m.insert("use".into(), v.clone().into());
        }
        if let Some(v) = &self.key_ops {
            m.insert("key_ops".into(), v.clone().into());
        }
        Value::Object(m)
    }

    /// The JWK as compact JSON.
    pub fn to_json(&self) -> String {
        self.to_value().to_string()
    }

    /// The input to an RFC 7638 thumbprint: the required public members in lexicographic order,
    /// no whitespace. Hash it with SHA-256 and base64url-encode the digest for the usual `kid`.
    pub fn thumbprint_input(&self) -> Result<String, KeyError> {
        let e = b64::encode;
        Ok(match &self.material {
            KeyMaterial::Oct(k) => format!(r#"{{"k":"{}","kty":"oct"}}"#, e(k.expose())),
            KeyMaterial::Rsa(k) => format!(
                r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
                e(strip_zeros(&k.e)),
                e(strip_zeros(&k.n))
            ),
            KeyMaterial::Ec(k) => {
                if k.x.is_empty() {
                    return Err(missing_public());
                }
                format!(
                    r#"{{"crv":"{}","kty":"EC","x":"{}","y":"{}"}}"#,
                    k.crv.name(),
                    e(&k.x),
                    e(&k.y)
                )
            }
            KeyMaterial::Okp(k) => {
                if k.x.is_empty() {
                    return Err(missing_public());
                }
                format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#, e(&k.x))
            }
            // RFC 9964 §3: the required members of an AKP key are alg, kty and pub.
            KeyMaterial::Akp(k) => {
                if k.public.is_empty() {
                    return Err(missing_public());
                }
                format!(
                    r#"{{"alg":"{}","kty":"AKP","pub":"{}"}}"#,
                    k.alg.name(),
                    e(&k.public)
                )
            }
        })
    }
}

fn missing_public() -> KeyError {
    KeyError::invalid("the key source holds no public key; derive it with Backend::public_key")
}

/// Refuses HMAC secrets shorter than the hash output (RFC 7518 §3.2).
pub fn check_hmac_secret(alg: Algorithm, len: usize) -> Result<(), KeyError> {
    let min = alg.hash().output_len();
    if len < min {
        return Err(KeyError::TooWeak {
            alg,
            bits: len * 8,
            min: min * 8,
        });
    }
    Ok(())
}

/// Refuses RSA moduli under 2048 bits (RFC 7518 §3.3).
pub fn check_rsa_bits(alg: Algorithm, bits: usize) -> Result<(), KeyError> {
    if bits < MIN_RSA_BITS {
        return Err(KeyError::TooWeak {
            alg,
            bits,
            min: MIN_RSA_BITS,
        });
    }
    Ok(())
}

impl serde::Serialize for Jwk {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(s)
    }
}

#[cfg(test)]
mod tests;
