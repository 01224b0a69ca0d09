//! JWK members as read from JSON, and their checks into [`Jwk`].

use super::{AkpKey, EcKey, Jwk, KeyMaterial, OkpKey, RsaKey, RsaPrimes, RsaPrivate, Secret};
use crate::alg::EcCurve;
use crate::b64;
use crate::backend::unsigned as strip_zeros;
use crate::error::{KeyError, clip};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
pub(super) struct RawJwk {
    kty: String,
    kid: Option<String>,
    alg: Option<String>,
    #[serde(rename = "use")]
    key_use: Option<String>,
    key_ops: Option<Vec<String>>,
    crv: Option<String>,
    k: Option<String>,
    n: Option<String>,
    e: Option<String>,
    d: Option<String>,
    p: Option<String>,
    q: Option<String>,
    dp: Option<String>,
    dq: Option<String>,
    qi: Option<String>,
    oth: Option<Value>,
    x: Option<String>,
    y: Option<String>,
    #[serde(rename = "pub")]
    public: Option<String>,
    #[serde(rename = "priv")]
    private: Option<String>,
}

fn member(name: &str, v: &Option<String>) -> Result<Vec<u8>, KeyError> {
    let v = v
        .as_deref()
        .ok_or_else(|| KeyError::invalid(format!("JWK member {name} is missing")))?;
    b64::decode(v.as_bytes())
        .map_err(|_| KeyError::invalid(format!("JWK member {name} is not base64url")))
}

fn optional(name: &str, v: &Option<String>) -> Result<Option<Vec<u8>>, KeyError> {
    v.as_ref().map(|_| member(name, v)).transpose()
}

fn fixed(name: &str, bytes: Vec<u8>, len: usize) -> Result<Vec<u8>, KeyError> {
    if bytes.len() != len {
        return Err(KeyError::invalid(format!(
            "JWK member {name} is {} bytes, the curve needs {len}",
            bytes.len()
        )));
    }
    Ok(bytes)
}

impl RawJwk {
    pub(super) fn into_jwk(self) -> Result<Jwk, KeyError> {
        let material = match self.kty.as_str() {
            "oct" => {
                let k = member("k", &self.k)?;
                if k.is_empty() {
                    return Err(KeyError::invalid("JWK member k is empty"));
                }
                KeyMaterial::Oct(Secret::new(k))
            }
            "RSA" => {
                if self.oth.is_some() {
                    return Err(KeyError::UnsupportedKey(
                        "multi-prime RSA keys (oth)".into(),
                    ));
                }
                let n = strip_zeros(&member("n", &self.n)?).to_vec();
                let e = strip_zeros(&member("e", &self.e)?).to_vec();
                if n.is_empty() || e.is_empty() {
                    return Err(KeyError::invalid("RSA modulus or exponent is zero"));
                }
                let private = match optional("d", &self.d)? {
                    None => None,
                    Some(d) => {
                        let crt = [&self.p, &self.q, &self.dp, &self.dq, &self.qi];
                        let primes = if crt.iter().all(|m| m.is_none()) {
                            None
                        } else {
                            let s =
                                |name: &str, v: &Option<String>| member(name, v).map(Secret::new);
                            Some(RsaPrimes {
                                p: s("p", &self.p)?,
                                q: s("q", &self.q)?,
                                dp: s("dp", &self.dp)?,
                                dq: s("dq", &self.dq)?,
                                qi: s("qi", &self.qi)?,
                            })
                        };
                        Some(RsaPrivate {
                            d: Secret::new(d),
                            primes,
                        })
                    }
                };
                KeyMaterial::Rsa(RsaKey { n, e, private })
            }
            "EC" => {
                let crv_name = self
                    .crv
                    .as_deref()
                    .ok_or_else(|| KeyError::invalid("JWK member crv is missing"))?;
                let crv = EcCurve::from_name(crv_name).ok_or_else(|| {
                    KeyError::UnsupportedKey(format!("EC curve {}", clip(crv_name)))
                })?;
                let len = crv.field_len();
                KeyMaterial::Ec(EcKey {
                    crv,
                    x: fixed("x", member("x", &self.x)?, len)?,
                    y: fixed("y", member("y", &self.y)?, len)?,
                    d: optional("d", &self.d)?
                        .map(|d| fixed("d", d, len).map(Secret::new))
                        .transpose()?,
                })
            }
            "OKP" => {
                let crv = self
                    .crv
                    .as_deref()
                    .ok_or_else(|| KeyError::invalid("JWK member crv is missing"))?;
                if crv != "Ed25519" {
                    return Err(KeyError::UnsupportedKey(format!("OKP curve {}", clip(crv))));
                }
                KeyMaterial::Okp(OkpKey {
                    x: fixed("x", member("x", &self.x)?, 32)?,
                    d: optional("d", &self.d)?
                        .map(|d| fixed("d", d, 32).map(Secret::new))
                        .transpose()?,
                })
            }
            "AKP" => KeyMaterial::Akp(AkpKey::from_members(
                self.alg.as_deref(),
                member("pub", &self.public)?,
                optional("priv", &self.private)?,
            )?),
            other => return Err(KeyError::UnsupportedKey(format!("kty {}", clip(other)))),
        };
        Ok(Jwk {
            kid: self.kid,
            alg: self.alg,
            key_use: self.key_use,
            key_ops: self.key_ops,
            material,
        })
    }
}
