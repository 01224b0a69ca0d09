//! PEM and DER key formats (SPKI, PKCS#8, PKCS#1, SEC1; ML-DSA as RFC 9881) to and from
//! [`Jwk`], through the RustCrypto formats crates. No cryptography: where a private-key format omits the public key
//! (PKCS#8 v1 Ed25519, SEC1 without `publicKey`) the JWK's public members are left empty and a
//! backend derives them.

use crate::akp;
use crate::alg::EcCurve;
use crate::error::KeyError;
use crate::jwk::{
    AkpKey, EcKey, Jwk, KeyMaterial, OkpKey, RsaKey, RsaPrimes, RsaPrivate, Secret, strip_zeros,
};
use der::asn1::{BitStringRef, ObjectIdentifier, OctetStringRef, UintRef};
use der::{AnyRef, Decode, Encode};
use pkcs8::PrivateKeyInfoRef;
use spki::{AlgorithmIdentifier, SubjectPublicKeyInfo, SubjectPublicKeyInfoRef};
use zeroize::Zeroizing;

/// Largest PEM or DER input accepted (an RSA-16384 private key in PEM is about 12 KiB).
pub const MAX_KEY_FILE_SIZE: usize = 64 * 1024;

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const SECP256K1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.10");

fn curve_from_oid(oid: ObjectIdentifier) -> Result<EcCurve, KeyError> {
    Ok(match oid {
        P256 => EcCurve::P256,
        P384 => EcCurve::P384,
        P521 => EcCurve::P521,
        SECP256K1 => EcCurve::Secp256k1,
        other => return Err(KeyError::UnsupportedKey(format!("EC curve OID {other}"))),
    })
}

fn curve_oid(c: EcCurve) -> ObjectIdentifier {
    match c {
        EcCurve::P256 => P256,
        EcCurve::P384 => P384,
        EcCurve::P521 => P521,
        EcCurve::Secp256k1 => SECP256K1,
    }
}

fn der_err(what: &str) -> impl Fn(der::Error) -> KeyError + '_ {
    move |e| KeyError::invalid(format!("{what}: {e}"))
}

fn check_size(len: usize) -> Result<(), KeyError> {
    if len > MAX_KEY_FILE_SIZE {
        return Err(KeyError::TooLarge {
            size: len,
            max: MAX_KEY_FILE_SIZE,
        });
    }
    Ok(())
}

/// Splits an uncompressed SEC1 point `04 || x || y`.
fn ec_point(crv: EcCurve, point: &[u8]) -> Result<(Vec<u8>, Vec<u8>), KeyError> {
    let n = crv.field_len();
    match point.split_first() {
        Some((4, xy)) if xy.len() == 2 * n => Ok((xy[..n].to_vec(), xy[n..].to_vec())),
        Some((2 | 3, _)) => Err(KeyError::UnsupportedKey("compressed EC point".into())),
        _ => Err(KeyError::invalid(format!(
            "EC point is not an uncompressed {crv} point"
        ))),
    }
}

/// Left-pads a big-endian scalar to the curve's size.
fn ec_scalar(crv: EcCurve, d: &[u8]) -> Result<Secret, KeyError> {
    let n = crv.field_len();
    let d = strip_zeros(d);
    if d.len() > n {
        return Err(KeyError::invalid(format!(
            "EC private key longer than a {crv} scalar"
        )));
    }
    let mut out = vec![0u8; n];
    out[n - d.len()..].copy_from_slice(d);
    Ok(Secret::new(out))
}

fn uint(u: UintRef<'_>) -> Vec<u8> {
    u.as_bytes().to_vec()
}

fn rsa_private(der: &[u8]) -> Result<RsaKey, KeyError> {
    let k = pkcs1::RsaPrivateKeyRef::from_der(der).map_err(der_err("PKCS#1 RSA private key"))?;
    if k.other_prime_infos.is_some() {
        return Err(KeyError::UnsupportedKey("multi-prime RSA keys".into()));
    }
    let s = |u: UintRef<'_>| Secret::new(u.as_bytes().to_vec());
    Ok(RsaKey {
        n: uint(k.modulus),
        e: uint(k.public_exponent),
        private: Some(RsaPrivate {
            d: s(k.private_exponent),
            primes: Some(RsaPrimes {
                p: s(k.prime1),
                q: s(k.prime2),
                dp: s(k.exponent1),
                dq: s(k.exponent2),
                qi: s(k.coefficient),
            }),
        }),
    })
}

fn rsa_public(der: &[u8]) -> Result<RsaKey, KeyError> {
    let k = pkcs1::RsaPublicKeyRef::from_der(der).map_err(der_err("PKCS#1 RSA public key"))?;
    Ok(RsaKey {
        n: uint(k.modulus),
        e: uint(k.public_exponent),
        private: None,
    })
}

fn sec1_private(der: &[u8], curve: Option<EcCurve>) -> Result<EcKey, KeyError> {
    let k = sec1::EcPrivateKey::from_der(der).map_err(der_err("SEC1 EC private key"))?;
    let from_params = k
        .parameters
        .and_then(|p| p.named_curve())
        .map(curve_from_oid)
        .transpose()?;
    let crv = match (curve, from_params) {
        (Some(a), Some(b)) if a != b => {
            return Err(KeyError::invalid("EC key names two different curves"));
        }
        (Some(c), _) | (None, Some(c)) => c,
        (None, None) => return Err(KeyError::invalid("EC private key names no curve")),
    };
    let (x, y) = match k.public_key {
        Some(p) => ec_point(crv, p)?,
        None => (Vec::new(), Vec::new()),
    };
    Ok(EcKey {
        crv,
        x,
        y,
        d: Some(ec_scalar(crv, k.private_key)?),
    })
}

impl Jwk {
    /// Reads a PEM key by its label: `PUBLIC KEY` (SPKI), `PRIVATE KEY` (PKCS#8),
    /// `RSA PUBLIC KEY` / `RSA PRIVATE KEY` (PKCS#1), `EC PRIVATE KEY` (SEC1).
    pub fn from_pem(pem: &str) -> Result<Jwk, KeyError> {
        check_size(pem.len())?;
        let (label, der) = pem_rfc7468::decode_vec(pem.trim().as_bytes())
            .map_err(|e| KeyError::invalid(format!("PEM: {e}")))?;
        let der = Zeroizing::new(der);
        match label {
            "PUBLIC KEY" => Jwk::from_spki_der(&der),
            "PRIVATE KEY" => Jwk::from_pkcs8_der(&der),
            "RSA PUBLIC KEY" => Ok(Jwk::new(KeyMaterial::Rsa(rsa_public(&der)?))),
            "RSA PRIVATE KEY" => Ok(Jwk::new(KeyMaterial::Rsa(rsa_private(&der)?))),
            "EC PRIVATE KEY" => Ok(Jwk::new(KeyMaterial::Ec(sec1_private(&der, None)?))),
            other => Err(KeyError::UnsupportedKey(format!(
                "PEM label {:?}",
                crate::error::clip(other)
            ))),
        }
    }

    /// Reads a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).
    pub fn from_spki_der(der: &[u8]) -> Result<Jwk, KeyError> {
        check_size(der.len())?;
        let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(der_err("SPKI"))?;
        let key = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| KeyError::invalid("SPKI key bits are not whole bytes"))?;
        let material = match spki.algorithm.oid {
            RSA_ENCRYPTION | RSA_PSS => KeyMaterial::Rsa(rsa_public(key)?),
            EC_PUBLIC_KEY => {
                let oid = spki
                    .algorithm
                    .parameters
                    .ok_or_else(|| KeyError::invalid("EC SPKI names no curve"))?
                    .decode_as::<ObjectIdentifier>()
                    .map_err(der_err("EC SPKI curve"))?;
                let crv = curve_from_oid(oid)?;
                let (x, y) = ec_point(crv, key)?;
                KeyMaterial::Ec(EcKey { crv, x, y, d: None })
            }
            ED25519 => {
                if key.len() != 32 {
                    return Err(KeyError::invalid("Ed25519 public key is not 32 bytes"));
                }
                KeyMaterial::Okp(OkpKey {
                    x: key.to_vec(),
                    d: None,
                })
            }
            other => match akp::alg_of_oid(other) {
                Some(alg) => KeyMaterial::Akp(akp::from_spki(
                    alg,
                    spki.algorithm.parameters.is_some(),
                    key,
                )?),
                None => {
                    return Err(KeyError::UnsupportedKey(format!(
                        "key algorithm OID {other}"
                    )));
                }
            },
        };
        Ok(Jwk::new(material))
    }

    /// Reads a DER PKCS#8 PrivateKeyInfo / OneAsymmetricKey (RFC 5208, RFC 5958), unencrypted.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Jwk, KeyError> {
        check_size(der.len())?;
        let info = PrivateKeyInfoRef::from_der(der).map_err(der_err("PKCS#8"))?;
        let private = info.private_key.as_bytes();
        let material = match info.algorithm.oid {
            RSA_ENCRYPTION | RSA_PSS => KeyMaterial::Rsa(rsa_private(private)?),
            EC_PUBLIC_KEY => {
                let curve = info
                    .algorithm
                    .parameters
                    .map(|p| p.decode_as::<ObjectIdentifier>())
                    .transpose()
                    .map_err(der_err("EC PKCS#8 curve"))?
                    .map(curve_from_oid)
                    .transpose()?;
                KeyMaterial::Ec(sec1_private(private, curve)?)
            }
            ED25519 => {
                let seed = <&OctetStringRef>::from_der(private)
                    .map_err(der_err("Ed25519 private key"))?
                    .as_bytes();
                if seed.len() != 32 {
                    return Err(KeyError::invalid("Ed25519 private key is not 32 bytes"));
                }
                let x = match info.public_key {
                    Some(p) => p
                        .as_bytes()
                        .filter(|b| b.len() == 32)
                        .ok_or_else(|| KeyError::invalid("Ed25519 public key is not 32 bytes"))?
                        .to_vec(),
                    None => Vec::new(),
                };
                KeyMaterial::Okp(OkpKey {
                    x,
                    d: Some(Secret::new(seed.to_vec())),
                })
            }
            other => match akp::alg_of_oid(other) {
                Some(alg) => KeyMaterial::Akp(akp::from_pkcs8(
                    alg,
                    info.algorithm.parameters.is_some(),
                    private,
                    match info.public_key {
                        Some(p) => Some(p.as_bytes().ok_or_else(|| {
                            KeyError::invalid("PKCS#8 public key bits are not whole bytes")
                        })?),
                        None => None,
                    },
                )?),
                None => {
                    return Err(KeyError::UnsupportedKey(format!(
                        "key algorithm OID {other}"
                    )));
                }
            },
        };
        Ok(Jwk::new(material))
    }

    /// Reads a DER PKCS#1 RSAPublicKey (RFC 8017 §A.1.1).
    pub fn from_pkcs1_public_der(der: &[u8]) -> Result<Jwk, KeyError> {
        check_size(der.len())?;
        Ok(Jwk::new(KeyMaterial::Rsa(rsa_public(der)?)))
    }

    /// Reads a DER PKCS#1 RSAPrivateKey (RFC 8017 §A.1.2).
    pub fn from_pkcs1_private_der(der: &[u8]) -> Result<Jwk, KeyError> {
        check_size(der.len())?;
        Ok(Jwk::new(KeyMaterial::Rsa(rsa_private(der)?)))
    }

    /// Reads a DER SEC1 ECPrivateKey (RFC 5915), which must name its curve.
    pub fn from_sec1_der(der: &[u8]) -> Result<Jwk, KeyError> {
        check_size(der.len())?;
        Ok(Jwk::new(KeyMaterial::Ec(sec1_private(der, None)?)))
    }

    /// The public key as DER SubjectPublicKeyInfo.
    pub fn to_spki_der(&self) -> Result<Vec<u8>, KeyError> {
        let enc = |e: der::Error| KeyError::invalid(format!("SPKI encoding: {e}"));
        match &self.material {
            KeyMaterial::Rsa(k) => {
                let pkcs1 = pkcs1::RsaPublicKeyRef {
                    modulus: UintRef::new(&k.n).map_err(enc)?,
                    public_exponent: UintRef::new(&k.e).map_err(enc)?,
                }
                .to_der()
                .map_err(enc)?;
                SubjectPublicKeyInfoRef {
                    algorithm: AlgorithmIdentifier {
                        oid: RSA_ENCRYPTION,
                        parameters: Some(AnyRef::NULL),
                    },
                    subject_public_key: BitStringRef::from_bytes(&pkcs1).map_err(enc)?,
                }
                .to_der()
                .map_err(enc)
            }
            KeyMaterial::Ec(k) => {
                if k.x.is_empty() {
                    return Err(KeyError::invalid("the key source holds no public key"));
                }
                let mut point = Vec::with_capacity(1 + 2 * k.x.len());
                point.push(4);
                point.extend_from_slice(&k.x);
                point.extend_from_slice(&k.y);
                SubjectPublicKeyInfo::<ObjectIdentifier, BitStringRef<'_>> {
                    algorithm: AlgorithmIdentifier {
                        oid: EC_PUBLIC_KEY,
                        parameters: Some(curve_oid(k.crv)),
                    },
                    subject_public_key: BitStringRef::from_bytes(&point).map_err(enc)?,
                }
                .to_der()
                .map_err(enc)
            }
            KeyMaterial::Okp(k) => {
                if k.x.is_empty() {
                    return Err(KeyError::invalid("the key source holds no public key"));
                }
                SubjectPublicKeyInfoRef {
                    algorithm: AlgorithmIdentifier {
                        oid: ED25519,
                        parameters: None,
                    },
                    subject_public_key: BitStringRef::from_bytes(&k.x).map_err(enc)?,
                }
                .to_der()
                .map_err(enc)
            }
            KeyMaterial::Akp(k @ AkpKey { alg, public, .. }) => {
                k.check()?;
                if public.is_empty() {
                    return Err(KeyError::invalid("the key source holds no public key"));
                }
                SubjectPublicKeyInfoRef {
                    algorithm: AlgorithmIdentifier {
                        oid: akp::oid(*alg).ok_or_else(|| {
                            KeyError::UnsupportedKey(format!("AKP key for {alg}"))
                        })?,
                        parameters: None,
                    },
                    subject_public_key: BitStringRef::from_bytes(public).map_err(enc)?,
                }
                .to_der()
                .map_err(enc)
            }
            KeyMaterial::Oct(_) => Err(KeyError::UnsupportedKey(
                "an HMAC secret has no public key".into(),
            )),
        }
    }

    /// The private key as DER PKCS#8 (v1 for RSA and EC with the public point inside SEC1,
    /// v1 for Ed25519, v1 with the seed form `[0] IMPLICIT OCTET STRING` for ML-DSA, RFC 9881).
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        let enc = |e: der::Error| KeyError::invalid(format!("PKCS#8 encoding: {e}"));
        let (oid, params, inner): (
            ObjectIdentifier,
            Option<ObjectIdentifier>,
            Zeroizing<Vec<u8>>,
        ) = match &self.material {
            KeyMaterial::Rsa(k) => {
                let p = k.private.as_ref().ok_or(KeyError::NotPrivate)?;
                let c = p.primes.as_ref().ok_or_else(|| {
                    KeyError::UnsupportedKey(
                        "RSA private key without CRT parameters cannot be exported".into(),
                    )
                })?;
                fn u(b: &[u8]) -> Result<UintRef<'_>, KeyError> {
                    UintRef::new(strip_zeros(b))
                        .map_err(|e| KeyError::invalid(format!("PKCS#8 encoding: {e}")))
                }
                let der = pkcs1::RsaPrivateKeyRef {
                    modulus: u(&k.n)?,
                    public_exponent: u(&k.e)?,
                    private_exponent: u(p.d.expose())?,
                    prime1: u(c.p.expose())?,
                    prime2: u(c.q.expose())?,
                    exponent1: u(c.dp.expose())?,
                    exponent2: u(c.dq.expose())?,
                    coefficient: u(c.qi.expose())?,
                    other_prime_infos: None,
                }
                .to_der()
                .map_err(enc)?;
                (RSA_ENCRYPTION, None, Zeroizing::new(der))
            }
            KeyMaterial::Ec(k) => {
                let d = k.d.as_ref().ok_or(KeyError::NotPrivate)?;
                let mut point = Vec::new();
                if !k.x.is_empty() {
                    point.push(4);
                    point.extend_from_slice(&k.x);
                    point.extend_from_slice(&k.y);
                }
                let der = sec1::EcPrivateKey {
                    private_key: d.expose(),
                    parameters: None,
                    public_key: (!point.is_empty()).then_some(point.as_slice()),
                }
                .to_der()
                .map_err(enc)?;
                (EC_PUBLIC_KEY, Some(curve_oid(k.crv)), Zeroizing::new(der))
            }
            KeyMaterial::Okp(k) => {
                let d = k.d.as_ref().ok_or(KeyError::NotPrivate)?;
                let der = OctetStringRef::new(d.expose())
                    .map_err(enc)?
                    .to_der()
                    .map_err(enc)?;
                (ED25519, None, Zeroizing::new(der))
            }
            KeyMaterial::Akp(k) => {
                let oid = akp::oid(k.alg)
                    .ok_or_else(|| KeyError::UnsupportedKey(format!("AKP key for {}", k.alg)))?;
                (oid, None, akp::seed_der(k)?)
            }
            KeyMaterial::Oct(_) => {
                return Err(KeyError::UnsupportedKey(
                    "HMAC secrets have no PKCS#8 form".into(),
                ));
            }
        };
        let info = pkcs8::PrivateKeyInfo::<ObjectIdentifier, &OctetStringRef, BitStringRef<'_>> {
            algorithm: AlgorithmIdentifier {
                oid,
                parameters: params,
            },
            private_key: OctetStringRef::new(&inner).map_err(enc)?,
            public_key: None,
        };
        // Ed25519 and ML-DSA have absent parameters (RFC 8410 §3, RFC 9881 §2).
        let der = if params.is_some() || oid == ED25519 || akp::alg_of_oid(oid).is_some() {
            info.to_der().map_err(enc)?
        } else {
            // rsaEncryption carries explicit NULL parameters (RFC 8017 §A.1).
            pkcs8::PrivateKeyInfoRef {
                algorithm: AlgorithmIdentifier {
                    oid,
                    parameters: Some(AnyRef::NULL),
                },
                private_key: OctetStringRef::new(&inner).map_err(enc)?,
                public_key: None,
            }
            .to_der()
            .map_err(enc)?
        };
        Ok(Zeroizing::new(der))
    }

    /// The public key as PEM (`PUBLIC KEY`, SPKI).
    pub fn to_public_pem(&self) -> Result<String, KeyError> {
        pem(&self.to_spki_der()?, "PUBLIC KEY")
    }

    /// The private key as PEM (`PRIVATE KEY`, PKCS#8).
    pub fn to_private_pem(&self) -> Result<Zeroizing<String>, KeyError> {
        pem(&self.to_pkcs8_der()?, "PRIVATE KEY").map(Zeroizing::new)
    }
}

fn pem(der: &[u8], label: &'static str) -> Result<String, KeyError> {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der)
        .map_err(|e| KeyError::invalid(format!("PEM encoding: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 8410 §10.3 Ed25519 private key (PKCS#8 v1) and §10.1 public key.
    const ED_PRIV: &str = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";
    const ED_PUB: &str = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";

    #[test]
    fn ed25519_rfc8410() {
        let private = Jwk::from_pem(ED_PRIV).unwrap();
        let KeyMaterial::Okp(k) = &private.material else {
            panic!()
        };
        assert!(k.x.is_empty());
        assert_eq!(k.d.as_ref().unwrap().len(), 32);
        let public = Jwk::from_pem(ED_PUB).unwrap();
        assert_eq!(public.to_public_pem().unwrap(), ED_PUB);
        assert_eq!(
            Jwk::from_pem(&private.to_private_pem().unwrap()).unwrap(),
            private
        );
    }

    #[test]
    fn ec_round_trip_through_pkcs8_and_spki() {
        let jwk = Jwk::from_json(br#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#).unwrap();
        let back = Jwk::from_pem(&jwk.to_private_pem().unwrap()).unwrap();
        assert_eq!(back, jwk);
        let public = Jwk::from_pem(&jwk.to_public_pem().unwrap()).unwrap();
        assert_eq!(public, jwk.to_public().unwrap());
    }

    #[test]
    fn rejects_bad_pem() {
        assert!(matches!(Jwk::from_pem("hello"), Err(KeyError::Invalid(_))));
        assert!(matches!(
            Jwk::from_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
            Err(KeyError::UnsupportedKey(_))
        ));
        assert!(matches!(
            Jwk::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
            Err(KeyError::Invalid(_))
        ));
        let big = "A".repeat(MAX_KEY_FILE_SIZE + 1);
        assert!(matches!(
            Jwk::from_pem(&big),
            Err(KeyError::TooLarge { .. })
        ));
    }
}
