//! Every JWS algorithm tessera knows, on [aws-lc-rs](https://docs.rs/aws-lc-rs/1) (AWS-LC):
//! HS256/384/512, RS256/384/512, PS256/384/512, ES256, ES384, ES512 (P-521), ES256K
//! (secp256k1, RFC 8812), EdDSA (Ed25519) and ML-DSA-44/65/87 (FIPS 204, RFC 9964).
//!
//! aws-lc-rs mirrors ring's API, and this crate mirrors `tessera-ring`; the differences are
//! what AWS-LC adds: P-521 and secp256k1, RSA keys of 2048 to 8192 bits for signing as well as
//! verifying, RSA key generation (2048, 3072, 4096 or 8192 bits), derivation of an EC public
//! point from the private scalar alone (a SEC1 or PKCS#8 file without `publicKey`), and a
//! reusable parsed public key for every algorithm, and ML-DSA. An RSA private key needs its
//! CRT parameters (`p`, `q`, `dp`, `dq`, `qi`) here too.
//!
//! ML-DSA signing is **hedged** only ([`MlDsaSigner`]): aws-lc-rs offers no deterministic
//! variant, so its signatures verify under every backend but differ from call to call and from
//! the deterministic ones of `tessera-mldsa` and `tessera-fips204`.
//!
//! ```
//! use tessera_aws_lc::AwsLcBackend;
//! use tessera_codec::backend::{Backend, KeySpec, Signer, Verifier};
//! use tessera_codec::Algorithm;
//!
//! let key = AwsLcBackend.generate(KeySpec::new(Algorithm::ES512)).unwrap();
//! let signer = AwsLcBackend.signer(&key, Algorithm::ES512).unwrap();
//! let mut sig = Vec::new();
//! signer.sign(b"header.payload", &mut sig).unwrap();
//! let public = AwsLcBackend.public_key(&key).unwrap();
//! let verifier = AwsLcBackend.verifier(&public, Algorithm::ES512).unwrap();
//! assert_eq!(sig.len(), 132);
//! assert!(verifier.verify(b"header.payload", &sig).is_ok());
//! ```
//!
//! # Key forms
//!
//! Every signer and verifier is built once from a [`Jwk`] (through the codec's typed
//! accessors, which apply [`Jwk::check_for`] and the codec's key rules) and holds its key in
//! aws-lc-rs's parsed form; `sign` and `verify` parse nothing.
//!
//! | algorithms | signer holds | verifier holds |
//! |---|---|---|
//! | HS256/384/512 | `hmac::Key` (parsed: the keyed inner and outer hash states) | the same `hmac::Key`; `hmac::verify` compares in constant time |
//! | RS*, PS* | `RsaKeyPair` (parsed: an AWS-LC `EVP_PKEY` with its CRT values) | `ParsedPublicKey` (parsed: an `EVP_PKEY`) |
//! | ES256, ES384, ES512, ES256K | `EcdsaKeyPair` (parsed `EVP_PKEY`) | `ParsedPublicKey` (parsed and validated point) |
//! | EdDSA | `Ed25519KeyPair` (parsed `EVP_PKEY`) | `ParsedPublicKey` (parsed `EVP_PKEY`) |
//! | ML-DSA-44/65/87 | `PqdsaKeyPair` (an `EVP_PKEY` expanded from the 32-byte seed) | `ParsedPublicKey` (parsed `EVP_PKEY`) |
//!
//! [`ParsedPublicKey`](aws_lc_rs::signature::ParsedPublicKey) is aws-lc-rs's prepared public
//! key: the SubjectPublicKeyInfo, SEC1 point or raw Ed25519 key is decoded and checked once,
//! and `verify_sig` uses the resulting `EVP_PKEY` directly (unlike `UnparsedPublicKey`, which
//! decodes on every call). aws-lc-rs checks the RSA modulus size range of the algorithm only
//! when verifying; the codec's rules bound it to 2048 to 8192 bits at construction.
//!
//! # What is checked when
//!
//! At construction, besides the codec's rules (which refuse, among others, small-order and
//! non-canonical Ed25519 keys, EC coordinates not below `p` and RSA moduli over 8192 bits, as
//! [`KeyError::Rejected`]):
//!
//! - An EC public key's point is decoded by `ParsedPublicKey`, which checks it is on the
//!   curve: [`not_on_curve`](tessera_codec::backend::not_on_curve) otherwise.
//! - An EC or Ed25519 private key (for the signers, the verifiers and [`AwsLcBackend`]'s
//!   `public_key`) is loaded from `d` alone, so that AWS-LC computes its public key; given
//!   `x`/`y` must equal it,
//!   [`KeyRule::PublicMismatch`](tessera_codec::KeyRule::PublicMismatch) otherwise (so a
//!   given point that is not on the curve is `PublicMismatch` for a private key: it cannot be
//!   `d`'s), and absent ones are filled in from it. An ML-DSA private key likewise: its
//!   public key is expanded from the seed, and a given `pub` must equal it (`PublicMismatch`).
//!
//! At verification only: an Ed25519 public key of 32 bytes that passes the codec's rules but
//! does not decompress to a curve point is accepted at construction (AWS-LC stores a raw
//! Ed25519 key without decoding it); every signature under it is then
//! [`SignatureError::Invalid`].
//!
//! ECDSA signatures are the fixed-length `R || S` form of RFC 7518 §3.4 (aws-lc-rs's `*_FIXED`
//! algorithms), never ASN.1. RSA-PSS uses MGF1 with the message hash and a salt as long as the
//! hash (aws-lc-rs's `RSA_PSS_SHA*`, whose salt length is `RsaPssSaltLength::Digest`).
//!
//! # Code shared with `tessera-ring`
//!
//! The HMAC and Ed25519 modules and the family dispatch behind [`AwsLcBackend`] are
//! `tessera-ring`'s files, compiled here by path against the alias `ring_like` (aws-lc-rs
//! mirrors ring's API; rustls shares its ring glue the same way). What differs lives in this
//! crate's `support` module: the Ed25519 verifier holds a `ParsedPublicKey`, and Ed25519
//! signing goes through `try_sign` (aws-lc-rs's `sign` panics on failure). RSA and ECDSA are
//! this crate's own.
//!
//! # Building
//!
//! aws-lc-rs builds AWS-LC from C sources through the `aws-lc-sys` crate. On x86_64 and
//! aarch64 Linux that needs only a C compiler (the `cc` crate drives it; no CMake, Go, NASM,
//! Perl or libclang, since the bindings are pre-generated). Other targets may need CMake.
//!
//! [`SignatureError::Invalid`]: tessera_codec::SignatureError::Invalid

#![forbid(unsafe_code)]

/// The name of one of this crate's types in its errors, as `"tessera-aws-lc HmacKey"`.
macro_rules! type_name {
    ($ty:literal) => {
        concat!("tessera-aws-lc ", $ty)
    };
}

mod ecdsa;
// aws-lc-rs mirrors ring's API: these modules are `tessera-ring`'s, written against
// `ring_like`, with the differences in `support` (as rustls shares its ring glue).
#[path = "../../tessera-ring/src/eddsa.rs"]
mod eddsa;
#[path = "../../tessera-ring/src/family.rs"]
mod family;
#[path = "../../tessera-ring/src/hmac.rs"]
mod hmac;
mod mldsa;
mod rsa;
mod support;
#[cfg(test)]
mod tests;

pub use ecdsa::{EcdsaSigner, EcdsaVerifier};
pub use eddsa::{Ed25519Signer, Ed25519Verifier};
pub use hmac::HmacKey;
pub use mldsa::{MlDsaSigner, MlDsaVerifier};
pub use rsa::{RsaSigner, RsaVerifier};

/// The library, under the name the modules shared with `tessera-ring` use.
use aws_lc_rs as ring_like;
use tessera_codec::backend::ensure_supported;
use tessera_codec::backend::{Backend, Family, KeySpec, Library, Signer, Verifier};
use tessera_codec::{Algorithm, Jwk, KeyError, KeyMaterial};

const NAME: &str = "tessera-aws-lc";

/// The backend, as the shared modules name it.
const BACKEND: AwsLcBackend = AwsLcBackend;

const ALGORITHMS: &[Algorithm] = &[
    Algorithm::HS256,
    Algorithm::HS384,
    Algorithm::HS512,
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::ES512,
    Algorithm::ES256K,
    Algorithm::EdDSA,
    Algorithm::MlDsa44,
    Algorithm::MlDsa65,
    Algorithm::MlDsa87,
];

/// Largest RSA modulus, in bits, aws-lc-rs signs and verifies with: the codec's
/// [`MAX_RSA_BITS`](tessera_codec::backend::MAX_RSA_BITS), which refuses larger keys.
pub const MAX_RSA_BITS: usize = tessera_codec::backend::MAX_RSA_BITS;

/// The aws-lc-rs backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct AwsLcBackend;

impl Backend for AwsLcBackend {
    fn name(&self) -> &'static str {
        NAME
    }

    fn library(&self) -> Library {
        Library {
            name: "aws-lc-rs",
            version: "1.19",
        }
    }

    fn algorithms(&self) -> &'static [Algorithm] {
        ALGORITHMS
    }

    /// ML-DSA signers sign hedged (see [`MlDsaSigner`]).
    fn signer(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Signer>, KeyError> {
        if alg.family() == Family::MlDsa {
            ensure_supported(self, alg)?;
            return Ok(Box::new(MlDsaSigner::from_jwk(key, alg)?));
        }
        family::signer(key, alg)
    }

    fn verifier(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Verifier>, KeyError> {
        if alg.family() == Family::MlDsa {
            ensure_supported(self, alg)?;
            return Ok(Box::new(MlDsaVerifier::from_jwk(key, alg)?));
        }
        family::verifier(key, alg)
    }

    /// HMAC: a random secret of `bits` bits (default the hash output size, the minimum).
    /// RSA: a key of `bits` bits, 2048 (the default), 3072, 4096 or 8192. ECDSA and Ed25519: a
    /// new key pair; ML-DSA: a random 32-byte seed, as an AKP JWK with `pub` and `priv`; `bits`
    /// is ignored.
    fn generate(&self, spec: KeySpec) -> Result<Jwk, KeyError> {
        if spec.alg.family() == Family::MlDsa {
            ensure_supported(self, spec.alg)?;
            return mldsa::generate(spec.alg);
        }
        family::generate(spec)
    }

    /// The public JWK. Of a private EC or Ed25519 key, after the codec's key rules, computed
    /// from `d`: given public members must equal it (see the crate docs), absent ones are
    /// filled in. Of an ML-DSA (AKP) private key, likewise computed from the seed.
    fn public_key(&self, key: &Jwk) -> Result<Jwk, KeyError> {
        if let KeyMaterial::Akp(akp) = &key.material {
            return mldsa::public_jwk(key, akp);
        }
        family::public_key(key)
    }
}
