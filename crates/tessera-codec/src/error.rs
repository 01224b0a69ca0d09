//! Errors, one enum per phase: decoding the compact form, checking the signature, validating claims,
//! handling keys, and encoding. All are `#[non_exhaustive]`; none carries another crate's error type.

use crate::alg::Algorithm;
use crate::claims::Claim;
use core::fmt;

/// Longest piece of untrusted input copied into an error message.
const CLIP: usize = 64;

/// Copies at most [`CLIP`] characters of untrusted input for an error message.
pub(crate) fn clip(s: &str) -> String {
    match s.char_indices().nth(CLIP) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_owned(),
    }
}

/// A part of a compact JWS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// The protected header, first segment.
    Header,
    /// The payload (the claims set of a JWT), second segment.
    Payload,
    /// The signature, third segment.
    Signature,
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Segment::Header => "header",
            Segment::Payload => "payload",
            Segment::Signature => "signature",
        })
    }
}

/// Why a piece of JSON was refused by tessera's strict JSON check.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JsonError {
    /// Not UTF-8.
    #[error("not UTF-8")]
    Utf8,
    /// Not well-formed JSON; the byte offset of the first problem.
    #[error("malformed JSON at byte {offset}")]
    Syntax {
        /// Byte offset into the decoded segment.
        offset: usize,
    },
    /// Well-formed, but not a JSON object.
    #[error("not a JSON object")]
    NotAnObject,
    /// Objects or arrays nested deeper than allowed.
    #[error("JSON nested deeper than {max} levels")]
    TooDeep {
        /// The limit in force.
        max: usize,
    },
    /// An object names the same member twice (RFC 7515 §4, RFC 7519 §4).
    #[error("duplicate member {0:?}")]
    DuplicateMember(String),
}

/// The token is not a well-formed compact JWS, or its header is unacceptable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The token is longer than the configured maximum; checked before anything is decoded.
    #[error("token is {size} bytes, more than the maximum of {max}")]
    TooLarge {
        /// Length of the token in bytes.
        size: usize,
        /// The limit in force.
        max: usize,
    },
    /// The compact form has exactly three segments separated by two dots.
    #[error("token has {found} segments, a compact JWS has 3")]
    SegmentCount {
        /// Number of dot-separated segments found.
        found: usize,
    },
    /// A segment is not strict base64url without padding (RFC 7515 §2).
    #[error("{0} is not base64url without padding")]
    Base64(Segment),
    /// A segment is not acceptable JSON.
    #[error("{segment} JSON: {error}")]
    Json {
        /// The segment at fault.
        segment: Segment,
        /// What was wrong.
        error: JsonError,
    },
    /// The header has no `alg` member.
    #[error("header has no alg")]
    MissingAlgorithm,
    /// A header member has the wrong JSON type.
    #[error("header member {0:?} has the wrong type")]
    HeaderMemberType(&'static str),
    /// The header names the `none` algorithm, in any casing; never accepted (RFC 8725 §3.1).
    #[error("unsecured JWS (alg none) is never accepted")]
    AlgNone,
    /// The header's `alg` is not the algorithm the key was made for (RFC 8725 §3.1).
    #[error("token algorithm {found:?} is not the key's algorithm {expected}")]
    AlgorithmMismatch {
        /// The algorithm bound to the verifying key.
        expected: Algorithm,
        /// The `alg` the token header names (clipped).
        found: String,
    },
    /// `crit` is present but empty (RFC 7515 §4.1.11).
    #[error("crit is empty")]
    CritEmpty,
    /// `crit` names a header parameter defined by the JWS or JWA specifications.
    #[error("crit names registered header {0:?}")]
    CritRegistered(String),
    /// `crit` names an extension that the caller did not declare understood.
    #[error("crit names extension {0:?} that is not understood")]
    CritNotUnderstood(String),
    /// `crit` names a header parameter that the header does not contain.
    #[error("crit names {0:?}, which the header lacks")]
    CritMissingMember(String),
    /// `typ` does not match the explicit type required (RFC 8725 §3.11).
    #[error("token type {found:?} is not the required {expected:?}")]
    TypeMismatch {
        /// The required type.
        expected: String,
        /// The token's `typ`, if any (clipped).
        found: Option<String>,
    },
    /// A key set has no key with the token's `kid`.
    #[error("no key with kid {0:?}")]
    UnknownKeyId(String),
    /// A key set with several keys needs the token to name one with `kid`.
    #[error("token has no kid and the key set holds several keys")]
    MissingKeyId,
}

/// The signature did not verify. Deliberately carries no detail beyond a length mismatch,
/// which depends on public information only.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The signature has the wrong length for the key and algorithm (a DER-encoded ECDSA signature, say).
    #[error("signature is {found} bytes, expected {expected}")]
    Length {
        /// Length the key and algorithm require.
        expected: usize,
        /// Length of the decoded signature.
        found: usize,
    },
    /// The signature does not match.
    #[error("invalid signature")]
    Invalid,
}

/// A verified token's claims are not acceptable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// `exp` is at or before the current time, beyond the leeway.
    #[error("token expired at {exp} (now {now})")]
    Expired {
        /// The token's `exp`.
        exp: i64,
        /// The validation time.
        now: i64,
    },
    /// `nbf` is after the current time, beyond the leeway.
    #[error("token not valid before {nbf} (now {now})")]
    NotYetValid {
        /// The token's `nbf`.
        nbf: i64,
        /// The validation time.
        now: i64,
    },
    /// `iat` is after the current time, beyond the leeway.
    #[error("token issued in the future at {iat} (now {now})")]
    IssuedInFuture {
        /// The token's `iat`.
        iat: i64,
        /// The validation time.
        now: i64,
    },
    /// `iat` is further in the past than the maximum age allows
    /// ([`Validation::max_age`](crate::Validation::max_age)), beyond the leeway.
    #[error("token issued at {iat} is older than {max_age} s (now {now})")]
    TooOld {
        /// The token's `iat`.
        iat: i64,
        /// The validation time.
        now: i64,
        /// The maximum age in force, in seconds.
        max_age: i64,
    },
    /// A required claim is absent.
    #[error("missing required claim {0}")]
    MissingClaim(Claim),
    /// A required claim that is not a registered one (`client_id`, say) is absent.
    #[error("missing required claim {0:?}")]
    MissingOtherClaim(String),
    /// A registered claim has the wrong JSON type or an out-of-range value.
    #[error("claim {0} has the wrong type or an out-of-range value")]
    InvalidClaim(Claim),
    /// `iss` is not one of the accepted issuers.
    #[error("issuer not accepted")]
    Issuer,
    /// No audience in `aud` is accepted.
    #[error("audience not accepted")]
    Audience,
    /// The token has `aud`, but the validation named no audience (RFC 7519 §4.1.3).
    #[error("token has an audience and none was configured")]
    UnexpectedAudience,
    /// `sub` is not the required subject.
    #[error("subject not accepted")]
    Subject,
    /// A check the caller added ([`Validation::check`](crate::Validation::check)) refused the
    /// claims; its error is this error's `source()`.
    #[error(transparent)]
    Check(ClaimCheckError),
}

/// The error a caller's claims check ([`Validation::check`](crate::Validation::check)) returned,
/// shared so that the error stays `Clone`.
///
/// Its `source()` is the caller's error itself, so `downcast_ref` finds the caller's type:
///
/// ```
/// use std::error::Error as _;
/// use tessera_codec::{ClaimCheckError, ValidationError};
/// #[derive(Debug)]
/// struct NoScope;
/// impl std::fmt::Display for NoScope {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str("no scope") }
/// }
/// impl std::error::Error for NoScope {}
///
/// let e = ValidationError::Check(ClaimCheckError::new(NoScope));
/// assert_eq!(e.to_string(), "claims refused by a caller's check: no scope");
/// assert!(e.source().is_some_and(|s| s.downcast_ref::<NoScope>().is_some()));
/// ```
#[derive(Clone)]
pub struct ClaimCheckError(std::sync::Arc<dyn std::error::Error + Send + Sync>);

impl ClaimCheckError {
    /// Wraps the error a check returned.
    pub fn new(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        ClaimCheckError(std::sync::Arc::from(error.into()))
    }

    /// The caller's error (as `std::io::Error::get_ref`), for `downcast_ref`.
    pub fn get_ref(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }
}

impl fmt::Debug for ClaimCheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ClaimCheckError").field(&self.0).finish()
    }
}

impl fmt::Display for ClaimCheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "claims refused by a caller's check: {}", self.0)
    }
}

impl std::error::Error for ClaimCheckError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// Two are equal when they are the same error or say the same thing (the caller's error type
/// need not be comparable).
impl PartialEq for ClaimCheckError {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0) || self.0.to_string() == other.0.to_string()
    }
}

impl Eq for ClaimCheckError {}

/// Why a token was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Not a well-formed compact JWS, or an unacceptable header.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The signature did not verify.
    #[error(transparent)]
    Signature(#[from] SignatureError),
    /// The claims did not pass validation.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The claims could not be deserialized into the caller's type; the message is serde's.
    #[error("claims do not fit the requested type: {0}")]
    Claims(String),
}

/// A key could not be read, is unsuitable for the requested algorithm, or is too weak.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The backend does not implement this algorithm.
    #[error("backend {backend} does not support {alg}")]
    Unsupported {
        /// The backend asked.
        backend: &'static str,
        /// The algorithm asked for.
        alg: Algorithm,
    },
    /// The key's type cannot be used with the algorithm (an RSA key for HS256, say).
    #[error("an {kty} key cannot be used with {alg}")]
    WrongKeyType {
        /// The algorithm asked for.
        alg: Algorithm,
        /// The key's JWK `kty`.
        kty: &'static str,
    },
    /// The key's curve is not the one the algorithm needs.
    #[error("{alg} needs curve {expected}, the key is on {found}")]
    WrongCurve {
        /// The algorithm asked for.
        alg: Algorithm,
        /// The curve the algorithm uses.
        expected: &'static str,
        /// The key's curve.
        found: &'static str,
    },
    /// The JWK's `alg` member names another algorithm.
    #[error("key is for {key_alg:?}, not {alg}")]
    AlgorithmMismatch {
        /// The algorithm asked for.
        alg: Algorithm,
        /// The key's `alg` member.
        key_alg: String,
    },
    /// The JWK's `use` or `key_ops` forbid signing or verifying.
    #[error("key use or key_ops forbid {0}")]
    Usage(&'static str),
    /// The key is shorter than the algorithm demands (RFC 7518 §3.2, §3.3).
    #[error("{alg} key of {bits} bits is too weak, at least {min} bits required")]
    TooWeak {
        /// The algorithm asked for.
        alg: Algorithm,
        /// The key's size in bits.
        bits: usize,
        /// The minimum.
        min: usize,
    },
    /// Signing needs a private key.
    #[error("a private key is needed to sign")]
    NotPrivate,
    /// The key data is malformed; the message says how.
    #[error("invalid key: {0}")]
    Invalid(String),
    /// The key is well-formed but of a kind tessera does not handle (another curve, say).
    #[error("unsupported key: {0}")]
    UnsupportedKey(String),
    /// The input is larger than any key tessera reads.
    #[error("key input of {size} bytes is larger than the maximum of {max}")]
    TooLarge {
        /// Input size in bytes.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The backend's library failed to generate a key.
    #[error("key generation failed: {0}")]
    Generation(String),
    /// The key breaks one of the rules every backend applies alike (a small-order Ed25519
    /// point, a coordinate not below the field prime, a public half that is not the private
    /// key's, ...). The rule says which; every backend refuses such a key with this variant.
    #[error("key refused: {0}")]
    Rejected(KeyRule),
}

/// A rule about key material that every backend enforces, with the same [`KeyError::Rejected`].
///
/// The rules that need no curve arithmetic are decided once, in the codec (`Jwk::check_for`,
/// which every backend constructor calls first); the others ([`KeyRule::NotOnCurve`],
/// [`KeyRule::PublicMismatch`]) by each backend's library, mapped to the same rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyRule {
    /// An Ed25519 public key whose point has small order (one of the eight points of order
    /// dividing 8, in any encoding): every message has a signature under it (RFC 8032 §5.1.7,
    /// RFC 8725 §3.2).
    Ed25519SmallOrder,
    /// An Ed25519 public key whose `y` is not below the field prime (RFC 8032 §5.1.3 step 1).
    Ed25519NonCanonical,
    /// An elliptic-curve coordinate not below the field prime (NIST SP 800-56A Rev. 3
    /// §5.6.2.3.4 step 2): `x + p` names the point `x` in a lax library.
    CoordinateRange,
    /// The point is not on the curve, or does not decode (NIST SP 800-56A Rev. 3 §5.6.2.3.4
    /// step 3; RFC 8032 §5.1.3 for Ed25519). Checked by each backend's library.
    NotOnCurve,
    /// An elliptic-curve private scalar outside `[1, n - 1]` (SEC 1 v2 §3.2.1).
    ScalarRange,
    /// The public members of a private key (`x`, `y`) are not the public key of its `d`.
    /// Checked by each backend's library.
    PublicMismatch,
    /// An RSA public exponent that is even or outside `3..=2^33 - 1`.
    RsaExponent,
    /// An even RSA modulus.
    RsaModulusEven,
    /// An RSA modulus over [`MAX_RSA_BITS`](crate::backend::MAX_RSA_BITS) bits.
    RsaModulusTooLarge,
}

impl std::fmt::Display for KeyRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            KeyRule::Ed25519SmallOrder => "Ed25519 public key of small order",
            KeyRule::Ed25519NonCanonical => "Ed25519 public key not canonically encoded",
            KeyRule::CoordinateRange => "EC coordinate not below the field prime",
            KeyRule::NotOnCurve => "public point not on the curve",
            KeyRule::ScalarRange => "EC private scalar outside [1, n - 1]",
            KeyRule::PublicMismatch => "public members are not the public key of d",
            KeyRule::RsaExponent => "RSA public exponent must be odd and from 3 to 2^33 - 1",
            KeyRule::RsaModulusEven => "RSA modulus is even",
            KeyRule::RsaModulusTooLarge => "RSA modulus over 8192 bits",
        })
    }
}

impl KeyError {
    pub(crate) fn invalid(msg: impl Into<String>) -> Self {
        KeyError::Invalid(msg.into())
    }
}

/// Signing failed inside the backend (the random number generator, say).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("signing failed: {0}")]
pub struct SignError(pub String);

/// A token could not be produced.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The claims or header could not be serialized to a JSON object; the message is serde's.
    #[error("cannot serialize {segment} as a JSON object: {message}")]
    Serialize {
        /// The segment at fault.
        segment: Segment,
        /// What went wrong.
        message: String,
    },
    /// The backend failed to sign.
    #[error(transparent)]
    Sign(#[from] SignError),
}
