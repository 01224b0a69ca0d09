//! RS256, RS384, RS512 (RSASSA-PKCS1-v1_5, RFC 7518 §3.3) and PS256, PS384, PS512
//! (RSASSA-PSS, RFC 7518 §3.5) for tessera, on the pure-Rust RustCrypto [`rsa`] crate.
//!
//! Keys bind their algorithm when made. The codec's RSA rules hold for every key, whether it
//! comes from a JWK ([`Jwk::rsa_for`]) or an [`RsaKey`]
//! ([`check_rsa_public`](tessera_codec::backend::rules::check_rsa_public)), with the same
//! [`KeyError::Rejected`] as every other backend: moduli from 2048 bits (RFC 7518 §3.3) to
//! [`MAX_RSA_BITS`] and odd, public exponents odd and from 3 to 2^33 - 1, so a hostile JWK
//! cannot make verification slow.
//!
//! Keys are held as the rsa crate's `PublicKey` and `PrivateKey`. A private key is parsed once,
//! checked (`p * q = n`, `d * e = 1 mod p-1 and q-1`, and the JWK's `dp`, `dq`, `qi` against
//! the ones computed from `p`, `q` and `d`), and its CRT values are precomputed; a key with
//! only `d` (no primes) has its primes recovered. PSS uses MGF1 with the same hash and a salt
//! as long as the hash output; verification insists on exactly that salt length. Signature
//! length is checked first when verifying, then the rsa crate verifies.
//!
//! The big-integer arithmetic is slow when compiled without optimisation; a workspace that runs
//! RSA in debug builds or tests wants `opt-level = 3` for the `rsa`, `crypto-bigint` and
//! `crypto-primes` packages in `[profile.dev.package.*]`, as tessera's own workspace has.
//!
//! ```
//! use tessera_codec::{Algorithm, Backend, KeySpec, Signer, Verifier};
//! use tessera_rsa::{RsaBackend, RsaVerifier};
//!
//! // A new 2048-bit private key as a JWK with "alg":"PS256"; `Jwk::from_json` or
//! // `Jwk::from_pem` load existing ones.
//! let key = RsaBackend.generate(KeySpec::new(Algorithm::PS256))?;
//! let signer = RsaBackend.signer(&key, Algorithm::PS256)?;
//! let mut sig = Vec::new();
//! signer.sign(b"header.payload", &mut sig)?;
//!
//! // Verifiers need only the public key.
//! let verifier = RsaVerifier::from_jwk(&key.to_public()?, Algorithm::PS256)?;
//! assert_eq!(sig.len(), verifier.signature_len());
//! assert!(verifier.verify(b"header.payload", &sig).is_ok());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Timing advisory for signing (RUSTSEC-2023-0071, "Marvin attack")
//!
//! RustSec advisory [RUSTSEC-2023-0071] reports that the `rsa` crate's private-key operations
//! (signing and decryption) take time that depends on the private key, and that an attacker
//! who can time many of them, even across a network, may learn enough to recover the key (or
//! to sign as its owner). It was filed in November 2023 against all releases and, as of the
//! 0.10 release candidates, listed no patched version. rsa 0.10.0, the version used here,
//! reports hardening of exactly these operations in its changelog: constant-time big-integer
//! arithmetic (crypto-bigint) and RSA blinding, which every signing path of this crate uses.
//! Whether RustSec counts 0.10.0 as patched is for `cargo audit` to say; until it does, treat
//! the advisory as applying.
//!
//! What this means when you pick this backend:
//!
//! - **Verifying** (`RS*`/`PS*` verifiers, [`RsaVerifier`]) uses only the public key. Nothing
//!   secret can leak, and the advisory does not apply.
//! - **Signing** ([`RsaSigner`]) is the affected operation. It is fine where an attacker cannot
//!   time many signatures: tokens minted offline, by a CLI, in a batch job, or by a service that
//!   signs rarely and not in reply to attacker requests.
//! - If a **server signs tokens in reply to requests an attacker can send and time** (a login or
//!   token endpoint on the internet, say), prefer a backend on a native library with a vetted
//!   constant-time RSA implementation: `tessera-ring`, `tessera-aws-lc` or `tessera-openssl`.
//!   Or sign with ES256 or EdDSA instead of RSA.
//!
//! The same text is in `ADVISORY.md` next to this crate's manifest.
//!
//! [RUSTSEC-2023-0071]: https://rustsec.org/advisories/RUSTSEC-2023-0071.html

#![forbid(unsafe_code)]

use rsa::sha2::{Sha256, Sha384, Sha512};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BoxedUint, PrivateKey, PublicKey};
use std::fmt;
use tessera_codec::backend::{
    KeyRule, MAX_RSA_BITS, MIN_RSA_BITS, check_rsa_bits, check_signature_len, ensure_supported,
    rules, unsigned,
};
use tessera_codec::{
    Algorithm, Backend, Jwk, KeyError, KeyMaterial, KeySpec, KeyUse, Library, RsaKey, RsaPrimes,
    RsaPrivate, Secret, SignError, SignatureError, Signer, Verifier,
};
use zeroize::Zeroizing;

const ALGORITHMS: &[Algorithm] = &[
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
];

/// The modulus sizes [`RsaBackend::generate`](Backend::generate) makes, in bits; the first is
/// the default.
pub const GENERATE_BITS: [usize; 3] = [2048, 3072, 4096];

/// The RustCrypto RSA backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct RsaBackend;

/// The six RSA algorithms, resolved once so signing and verifying never meet an algorithm
/// outside the family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scheme {
    Rs256,
    Rs384,
    Rs512,
    Ps256,
    Ps384,
    Ps512,
}

impl Scheme {
    fn for_alg(alg: Algorithm) -> Result<Scheme, KeyError> {
        Ok(match alg {
            Algorithm::RS256 => Scheme::Rs256,
            Algorithm::RS384 => Scheme::Rs384,
            Algorithm::RS512 => Scheme::Rs512,
            Algorithm::PS256 => Scheme::Ps256,
            Algorithm::PS384 => Scheme::Ps384,
            Algorithm::PS512 => Scheme::Ps512,
            _ => {
                return Err(KeyError::Unsupported {
                    backend: BACKEND_NAME,
                    alg,
                });
            }
        })
    }
}

const BACKEND_NAME: &str = "tessera-rsa";

/// A prepared RSA private key for one algorithm: parsed, validated and with its CRT values
/// precomputed once. See the crate docs on signing timing (RUSTSEC-2023-0071).
#[derive(Clone)]
pub struct RsaSigner {
    alg: Algorithm,
    scheme: Scheme,
    kid: Option<String>,
    key: PrivateKey,
}

/// A prepared RSA public key for one algorithm.
#[derive(Clone)]
pub struct RsaVerifier {
    alg: Algorithm,
    scheme: Scheme,
    kid: Option<String>,
    key: PublicKey,
    len: usize,
}

impl fmt::Debug for RsaSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the private key: algorithm, kid and modulus size only.
        f.debug_struct("RsaSigner")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("bits", &self.key.n().bit_width_vartime())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for RsaVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaVerifier")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("bits", &self.key.n().bit_width_vartime())
            .finish_non_exhaustive()
    }
}

impl RsaSigner {
    /// Prepares the private RSA key `key` for `alg` (RS256 ... PS512). The codec's RSA rules
    /// apply (2048 to [`MAX_RSA_BITS`] bits, see the crate docs) and the key must hold its
    /// private part; the JWK-level checks (`alg`, `use`, `key_ops`) are
    /// [`from_jwk`](Self::from_jwk)'s.
    pub fn new(alg: Algorithm, key: &RsaKey) -> Result<Self, KeyError> {
        let scheme = Scheme::for_alg(alg)?;
        rules::check_rsa_public(alg, &key.n, &key.e)?;
        Ok(RsaSigner {
            alg,
            scheme,
            kid: None,
            key: private_key(key)?,
        })
    }

    /// Prepares an RSA private JWK for `alg`, after the codec's checks ([`Jwk::rsa_for`]);
    /// the JWK's `kid` is kept.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&RsaBackend, alg)?;
        let scheme = Scheme::for_alg(alg)?;
        let rsa = key.rsa_for(alg, KeyUse::Sign)?;
        Ok(RsaSigner {
            alg,
            scheme,
            kid: key.kid.clone(),
            key: private_key(rsa)?,
        })
    }

    /// Sets the `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// A verifier for the same algorithm from this key's public half, with the same `kid`.
    pub fn verifier(&self) -> RsaVerifier {
        let key = self.key.to_public_key();
        RsaVerifier {
            alg: self.alg,
            scheme: self.scheme,
            kid: self.kid.clone(),
            len: key.size(),
            key,
        }
    }
}

impl RsaVerifier {
    /// Prepares the RSA public key `key` (the public half of a private key is used) for `alg`
    /// (RS256 ... PS512). The codec's RSA rules apply: 2048 to [`MAX_RSA_BITS`] bits, an odd
    /// modulus, a public exponent odd and from 3 to 2^33 - 1.
    pub fn new(alg: Algorithm, key: &RsaKey) -> Result<Self, KeyError> {
        let scheme = Scheme::for_alg(alg)?;
        rules::check_rsa_public(alg, &key.n, &key.e)?;
        RsaVerifier::prepared(alg, scheme, None, key)
    }

    /// Prepares an RSA JWK, public or private, for `alg`, after the codec's checks
    /// ([`Jwk::rsa_for`]); the JWK's `kid` is kept.
    pub fn from_jwk(key: &Jwk, alg: Algorithm) -> Result<Self, KeyError> {
        ensure_supported(&RsaBackend, alg)?;
        let scheme = Scheme::for_alg(alg)?;
        let rsa = key.rsa_for(alg, KeyUse::Verify)?;
        RsaVerifier::prepared(alg, scheme, key.kid.clone(), rsa)
    }

    /// The verifier of a key the codec's rules already passed.
    fn prepared(
        alg: Algorithm,
        scheme: Scheme,
        kid: Option<String>,
        key: &RsaKey,
    ) -> Result<Self, KeyError> {
        let key = public_key(key)?;
        Ok(RsaVerifier {
            alg,
            scheme,
            kid,
            len: key.size(),
            key,
        })
    }

    /// Sets the `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }
}

impl Signer for RsaSigner {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// Signs with RSA blinding from the operating system's random number generator; PSS salts
    /// come from it too. PKCS#1 v1.5 signatures are deterministic, PSS ones are not.
    fn sign(&self, signing_input: &[u8], out: &mut Vec<u8>) -> Result<(), SignError> {
        let k = &self.key;
        let sig = match self.scheme {
            Scheme::Rs256 => k.pkcs1v15_sign::<Sha256>(signing_input),
            Scheme::Rs384 => k.pkcs1v15_sign::<Sha384>(signing_input),
            Scheme::Rs512 => k.pkcs1v15_sign::<Sha512>(signing_input),
            Scheme::Ps256 => k.pss_sign::<Sha256>(signing_input),
            Scheme::Ps384 => k.pss_sign::<Sha384>(signing_input),
            Scheme::Ps512 => k.pss_sign::<Sha512>(signing_input),
        }
        .map_err(|e| SignError(format!("RSA {}: {e}", self.alg)))?;
        out.extend_from_slice(&sig);
        Ok(())
    }
}

impl Verifier for RsaVerifier {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The modulus length in bytes.
    fn signature_len(&self) -> usize {
        self.len
    }

    /// Checks the signature; a PSS signature must use MGF1 with the algorithm's hash and a salt
    /// exactly as long as the hash output (RFC 7518 §3.5).
    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        check_signature_len(self.len, signature)?;
        let k = &self.key;
        // `pss_verify` requires a salt of the digest's output size.
        match self.scheme {
            Scheme::Rs256 => k.pkcs1v15_verify::<Sha256>(signing_input, signature),
            Scheme::Rs384 => k.pkcs1v15_verify::<Sha384>(signing_input, signature),
            Scheme::Rs512 => k.pkcs1v15_verify::<Sha512>(signing_input, signature),
            Scheme::Ps256 => k.pss_verify::<Sha256>(signing_input, signature),
            Scheme::Ps384 => k.pss_verify::<Sha384>(signing_input, signature),
            Scheme::Ps512 => k.pss_verify::<Sha512>(signing_input, signature),
        }
        .map_err(|_| SignatureError::Invalid)
    }
}

impl Backend for RsaBackend {
    fn name(&self) -> &'static str {
        BACKEND_NAME
    }

    fn library(&self) -> Library {
        Library {
            name: "RustCrypto rsa",
            version: "0.10",
        }
    }

    fn algorithms(&self) -> &'static [Algorithm] {
        ALGORITHMS
    }

    fn signer(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Signer>, KeyError> {
        Ok(Box::new(RsaSigner::from_jwk(key, alg)?))
    }

    fn verifier(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Verifier>, KeyError> {
        Ok(Box::new(RsaVerifier::from_jwk(key, alg)?))
    }

    /// A new key with public exponent 65537 and a modulus of `bits` bits: 2048 (the default),
    /// 3072 or 4096 ([`GENERATE_BITS`]). Over [`MAX_RSA_BITS`] is
    /// `Rejected(RsaModulusTooLarge)`, as no backend would accept the key; other sizes are
    /// [`KeyError::Generation`]. The JWK has `n`, `e`, `d`, `p`, `q`, `dp`, `dq`, `qi` and
    /// `alg`.
    fn generate(&self, spec: KeySpec) -> Result<Jwk, KeyError> {
        ensure_supported(self, spec.alg)?;
        let bits = spec.bits.unwrap_or(GENERATE_BITS[0]);
        check_rsa_bits(spec.alg, bits)?;
        if bits > MAX_RSA_BITS {
            return Err(KeyError::Rejected(KeyRule::RsaModulusTooLarge));
        }
        if !GENERATE_BITS.contains(&bits) {
            return Err(KeyError::Generation(format!(
                "RSA key size {bits} bits: tessera-rsa generates 2048, 3072 or 4096 bits"
            )));
        }
        let key = PrivateKey::new(&mut getrandom::SysRng, bits)
            .map_err(|e| KeyError::Generation(format!("RSA: {e}")))?;
        Ok(Jwk::new(KeyMaterial::Rsa(to_rsa_key(&key)?)).with_alg(spec.alg))
    }
}

/// Bits of storage for `len` big-endian bytes.
fn precision_for(len: usize) -> Result<u32, KeyError> {
    len.checked_mul(8)
        .and_then(|b| u32::try_from(b).ok())
        .ok_or_else(|| KeyError::Invalid("RSA integer too large".into()))
}

/// The modulus, after the codec's rules bounded it.
fn modulus(key: &RsaKey) -> Result<BoxedUint, KeyError> {
    let n = unsigned(&key.n);
    BoxedUint::from_be_slice(n, precision_for(n.len())?)
        .map_err(|_| KeyError::Invalid("RSA modulus n".into()))
}

/// The public exponent, after the codec's rules bounded it to `3..=2^33 - 1`.
fn exponent(key: &RsaKey) -> Result<BoxedUint, KeyError> {
    let e = unsigned(&key.e);
    let mut buf = [0u8; 8];
    let Some(tail) = buf
        .len()
        .checked_sub(e.len())
        .and_then(|at| buf.get_mut(at..))
    else {
        return Err(KeyError::Rejected(KeyRule::RsaExponent));
    };
    tail.copy_from_slice(e);
    Ok(BoxedUint::from(u64::from_be_bytes(buf)))
}

/// A secret integer in `precision` bits (the modulus's, a public choice); longer is refused.
fn secret_uint(name: &str, bytes: &[u8], precision: u32) -> Result<BoxedUint, KeyError> {
    BoxedUint::from_be_slice(unsigned(bytes), precision)
        .map_err(|_| KeyError::Invalid(format!("RSA private member {name} is longer than n")))
}

/// The rsa crate's errors; its size and exponent limits are the codec's, with the same errors.
fn rsa_error(e: rsa::Error) -> KeyError {
    match e {
        rsa::Error::PublicExponentTooLarge => KeyError::Rejected(KeyRule::RsaExponent),
        rsa::Error::ModulusTooLarge => KeyError::Rejected(KeyRule::RsaModulusTooLarge),
        other => KeyError::Invalid(format!("RSA key: {other}")),
    }
}

fn public_key(key: &RsaKey) -> Result<PublicKey, KeyError> {
    PublicKey::new_with_size_limits(modulus(key)?, exponent(key)?, MIN_RSA_BITS..=MAX_RSA_BITS)
        .map_err(rsa_error)
}

fn private_key(key: &RsaKey) -> Result<PrivateKey, KeyError> {
    let private = key.private.as_ref().ok_or(KeyError::NotPrivate)?;
    let n = modulus(key)?;
    let e = exponent(key)?;
    let precision = n.bits_precision();
    if private.d.expose().iter().all(|&b| b == 0) {
        return Err(KeyError::Invalid("RSA private exponent d is zero".into()));
    }
    let d = secret_uint("d", private.d.expose(), precision)?;
    match &private.primes {
        Some(c) => {
            let primes = vec![
                secret_uint("p", c.p.expose(), precision)?,
                secret_uint("q", c.q.expose(), precision)?,
            ];
            let k = PrivateKey::from_components(n, e, d, primes).map_err(rsa_error)?;
            check_crt(&k, c)?;
            Ok(k)
        }
        None => {
            // NIST SP 800-56B Appendix C.2, as the rsa crate implements it, needs e > 2^16.
            if e <= BoxedUint::from(1u64 << 16) {
                return Err(KeyError::UnsupportedKey(
                    "RSA private key without p and q: recovering them needs e > 65536".into(),
                ));
            }
            PrivateKey::from_components(n, e, d, Vec::new()).map_err(|err| match err {
                rsa::Error::InvalidArguments => KeyError::Invalid(
                    "RSA private key without p and q: d does not fit n and e, the primes cannot be recovered"
                        .into(),
                ),
                other => rsa_error(other),
            })
        }
    }
}

/// Refuses a JWK whose `dp`, `dq` or `qi` differ from the values computed from `p`, `q` and
/// `d`: the rsa crate uses its own, but another backend would use the JWK's and sign wrongly.
fn check_crt(key: &PrivateKey, crt: &RsaPrimes) -> Result<(), KeyError> {
    let same = |given: &Secret, computed: Option<&BoxedUint>| {
        computed.is_some_and(|c| {
            BoxedUint::from_be_slice(unsigned(given.expose()), c.bits_precision())
                .is_ok_and(|g| g == c)
        })
    };
    let qi = key.crt_coefficient();
    if same(&crt.dp, key.dp()) && same(&crt.dq, key.dq()) && same(&crt.qi, qi.as_ref()) {
        Ok(())
    } else {
        Err(KeyError::Invalid(
            "RSA CRT members dp, dq, qi do not match p, q and d".into(),
        ))
    }
}

/// The codec's form of a generated key, every private member included.
fn to_rsa_key(key: &PrivateKey) -> Result<RsaKey, KeyError> {
    let secret =
        |v: &BoxedUint| Secret::new(Zeroizing::new(v.to_be_bytes_trimmed_vartime()).to_vec());
    let missing = || KeyError::Generation("RSA: CRT values missing".into());
    let [p, q] = key.primes() else {
        return Err(missing());
    };
    let qi = key
        .crt_coefficient()
        .map(Zeroizing::new)
        .ok_or_else(missing)?;
    Ok(RsaKey {
        n: key.n_bytes().into_vec(),
        e: key.e_bytes().into_vec(),
        private: Some(RsaPrivate {
            d: secret(key.d()),
            primes: Some(RsaPrimes {
                p: secret(p.as_ref()),
                q: secret(q.as_ref()),
                dp: secret(key.dp().ok_or_else(missing)?),
                dq: secret(key.dq().ok_or_else(missing)?),
                qi: secret(&qi),
            }),
        }),
    })
}

#[cfg(test)]
mod tests;
