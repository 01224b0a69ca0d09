//! HS256/384/512, RS256/384/512, PS256/384/512, ES256, ES384 and EdDSA (Ed25519) for tessera,
//! on [ring](https://docs.rs/ring/0.17) 0.17.
//!
//! ring implements neither P-521 nor secp256k1, so ES512 and ES256K are not among
//! [`RingBackend`]'s algorithms and asking for them is [`KeyError::Unsupported`]. ring cannot
//! generate RSA keys, signs only with RSA keys of 2048 to [`MAX_RSA_SIGN_BITS`] bits whose
//! public exponent is at least 65537 (it verifies up to 8192 bits), and needs the CRT
//! parameters (`p`, `q`, `dp`, `dq`, `qi`) of an RSA private key. It cannot compute an EC
//! public point from a private scalar alone, so an EC private key whose source omitted the
//! public point (a SEC1 or PKCS#8 file without `publicKey`) is [`KeyError::UnsupportedKey`]
//! here; an Ed25519 public key is derived from its seed when missing.
//!
//! ```
//! use tessera_codec::backend::{Backend, KeySpec, Signer, Verifier};
//! use tessera_codec::Algorithm;
//! use tessera_ring::RingBackend;
//!
//! let key = RingBackend.generate(KeySpec::new(Algorithm::ES256)).unwrap();
//! let signer = RingBackend.signer(&key, Algorithm::ES256).unwrap();
//! let mut sig = Vec::new();
//! signer.sign(b"header.payload", &mut sig).unwrap();
//! let verifier = RingBackend.verifier(&RingBackend.public_key(&key).unwrap(), Algorithm::ES256).unwrap();
//! assert_eq!(sig.len(), verifier.signature_len());
//! assert!(verifier.verify(b"header.payload", &sig).is_ok());
//! ```
//!
//! # Key forms
//!
//! Every signer and verifier is built once from a [`Jwk`] (through the codec's typed
//! accessors, which apply [`Jwk::check_for`] and the codec's key rules) and holds its key in
//! the most prepared form ring 0.17 offers; `sign` and `verify` parse nothing.
//!
//! | algorithms | signer holds | verifier holds |
//! |---|---|---|
//! | HS256/384/512 | `hmac::Key` (parsed: the keyed inner and outer hash states) | the same `hmac::Key`; `hmac::verify` compares in constant time |
//! | RS*, PS* | `RsaKeyPair` (parsed: CRT primes, exponents and Montgomery constants) | **bytes**: `RsaPublicKeyComponents` (`n`, `e`), checked at construction |
//! | ES256, ES384 | `EcdsaKeyPair` (parsed: scalar in Montgomery form) | **bytes**: the uncompressed SEC1 point, checked at construction |
//! | EdDSA | `Ed25519KeyPair` (parsed: expanded secret key) | **bytes**: the 32-byte public key |
//!
//! Why bytes on the verifying side:
//!
//! - RSA: ring 0.17's parsed public key, `ring::rsa::PublicKey` (what `RsaKeyPair::public()`
//!   returns), has no verify method and cannot be built from `n` and `e` outside ring.
//!   [`RsaPublicKeyComponents::verify`](ring::signature::RsaPublicKeyComponents::verify) and
//!   `UnparsedPublicKey` both rebuild the modulus (and its Montgomery constant) on every call.
//!   The codec's RSA rules are exactly what ring checks about `n` and `e` (modulus odd and
//!   2048 to 8192 bits, exponent odd and 3 to 2^33 - 1), so a key [`RsaVerifier`] accepts
//!   never fails for key reasons later.
//! - ECDSA: ring has no parsed ECDSA public key type; verification decodes the point each time.
//! - Ed25519: ring has no parsed Ed25519 public key type and no way to decode one ahead of
//!   verification.
//!
//! # What is checked when
//!
//! At construction, besides the codec's rules (which refuse, among others, small-order and
//! non-canonical Ed25519 keys and EC coordinates not below `p`, as [`KeyError::Rejected`]):
//!
//! - An EC public key's point is decoded and checked to be on the curve through ring's ECDH
//!   peer-key validation (the same SEC1 decoding and on-curve check ECDSA verification
//!   performs): [`not_on_curve`](tessera_codec::backend::not_on_curve) otherwise.
//! - An EC private key (for [`EcdsaSigner`], [`EcdsaVerifier`] and [`RingBackend`]'s
//!   `public_key`) goes through `EcdsaKeyPair::from_private_key_and_public_key`, which
//!   derives the point from `d` and compares it byte for byte with the given one. ring reports
//!   a difference only as an opaque `InconsistentComponents`; since the codec has already
//!   checked `d` and the coordinates, that is the only reason it can give, and it is mapped to
//!   [`KeyRule::PublicMismatch`](tessera_codec::KeyRule::PublicMismatch). A given point that
//!   is not on the curve is therefore also `PublicMismatch` for a private key (it cannot be
//!   `d`'s). Without `x`/`y` ring has nothing to compare and cannot derive:
//!   [`KeyError::UnsupportedKey`].
//! - An Ed25519 private key's public key is derived from the seed and compared with `x` when
//!   given (`PublicMismatch`), or used when `x` is absent.
//!
//! At verification only: an Ed25519 public key of 32 bytes that passes the codec's rules but
//! does not decompress to a curve point is accepted at construction (ring cannot decode it
//! ahead of time); every signature under it is then [`SignatureError::Invalid`].
//!
//! ECDSA signatures are the fixed-length `R || S` form of RFC 7518 §3.4 (ring's `*_FIXED`
//! algorithms), never ASN.1. RSA-PSS uses MGF1 with the message hash and a salt as long as the
//! hash (ring's `RSA_PSS_SHA*`).
//!
//! # Code shared with `tessera-aws-lc`
//!
//! aws-lc-rs mirrors ring's API, so the modules whose logic is the same on both libraries
//! (HMAC, Ed25519, and the family dispatch behind [`RingBackend`]) live here, written against
//! the alias `ring_like`, and `tessera-aws-lc` compiles the same files by path, as rustls
//! shares its ring glue with its aws-lc-rs provider. Where the two libraries differ, each
//! crate has its own `support` module (error wording, the Ed25519 verifier's key type,
//! signing that can fail); RSA and ECDSA, where they differ most, are separate per crate.
//! Changing a shared file changes both backends; both crates' tests run it.
//!
//! [`SignatureError::Invalid`]: tessera_codec::SignatureError::Invalid

#![forbid(unsafe_code)]

/// The name of one of this crate's types in its errors, as `"tessera-ring HmacKey"`.
macro_rules! type_name {
    ($ty:literal) => {
        concat!("tessera-ring ", $ty)
    };
}

mod ecdsa;
mod eddsa;
mod family;
mod hmac;
mod rsa;
mod support;

pub use ecdsa::{EcdsaSigner, EcdsaVerifier};
pub use eddsa::{Ed25519Signer, Ed25519Verifier};
pub use hmac::HmacKey;
pub use rsa::{RsaSigner, RsaVerifier};

/// The library, under the name the modules shared with `tessera-aws-lc` use.
use ring as ring_like;
use tessera_codec::backend::{Backend, KeySpec, Library, Signer, Verifier};
use tessera_codec::{Algorithm, Jwk, KeyError};

const NAME: &str = "tessera-ring";

/// The backend, as the shared modules name it.
const BACKEND: RingBackend = RingBackend;

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
    Algorithm::EdDSA,
];

/// Largest RSA modulus, in bits, ring verifies with (its `RSA_*_2048_8192_*` parameters): the
/// codec's [`MAX_RSA_BITS`](tessera_codec::backend::MAX_RSA_BITS), which refuses larger keys.
pub const MAX_RSA_VERIFY_BITS: usize = tessera_codec::backend::MAX_RSA_BITS;

/// Largest RSA modulus, in bits, ring signs with.
pub const MAX_RSA_SIGN_BITS: usize = 4096;

/// The ring backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct RingBackend;

impl Backend for RingBackend {
    fn name(&self) -> &'static str {
        NAME
    }

    fn library(&self) -> Library {
        Library {
            name: "ring",
            version: "0.17",
        }
    }

    fn algorithms(&self) -> &'static [Algorithm] {
        ALGORITHMS
    }

    fn signer(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Signer>, KeyError> {
        family::signer(key, alg)
    }

    fn verifier(&self, key: &Jwk, alg: Algorithm) -> Result<Box<dyn Verifier>, KeyError> {
        family::verifier(key, alg)
    }

    /// HMAC: a random secret of `bits` bits (default the hash output size, the minimum).
    /// ECDSA and Ed25519: a new key pair from ring's PKCS#8 generation. RSA:
    /// [`KeyError::Generation`], ring cannot generate RSA keys.
    fn generate(&self, spec: KeySpec) -> Result<Jwk, KeyError> {
        family::generate(spec)
    }

    /// The public JWK. Of a private EC or Ed25519 key, after the codec's key rules and the
    /// check that the given public members are those of `d` (see the crate docs); an Ed25519
    /// public key is derived from its seed when the key source omitted it. An EC private key
    /// without its public point, or on a curve ring lacks, is [`KeyError::UnsupportedKey`].
    fn public_key(&self, key: &Jwk) -> Result<Jwk, KeyError> {
        family::public_key(key)
    }
}
