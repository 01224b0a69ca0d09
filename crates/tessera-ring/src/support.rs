//! What the shared modules need from ring in particular: its error types turned into
//! tessera's, and the Ed25519 calls in which ring and aws-lc-rs differ.

use ring::error::{KeyRejected, Unspecified};
use ring::signature::{self, Ed25519KeyPair, Signature, UnparsedPublicKey};
use tessera_codec::{KeyError, SignError};

/// [`KeyError::Invalid`] naming what ring refused and ring's reason.
pub(crate) fn rejected(what: &'static str) -> impl Fn(KeyRejected) -> KeyError {
    move |e| KeyError::Invalid(format!("ring rejected the {what}: {e}"))
}

/// [`KeyError::Generation`] for a failed generation of `what`.
pub(crate) fn generation(what: &'static str) -> impl Fn(Unspecified) -> KeyError {
    move |_| KeyError::Generation(format!("ring failed to generate {what}"))
}

/// An Ed25519 public key as ring verifies with it: the 32 bytes, since ring has no parsed
/// Ed25519 public key and decodes it in each verification.
pub(crate) type Ed25519Public = UnparsedPublicKey<Vec<u8>>;

/// Prepares a 32-byte public key that passed the codec's rules. ring cannot decode it ahead
/// of verification, so this never fails (aws-lc-rs's counterpart can): a string that is not a
/// curve point is accepted here and fails every verification.
pub(crate) fn ed25519_public(x: Vec<u8>) -> Result<Ed25519Public, KeyError> {
    Ok(UnparsedPublicKey::new(&signature::ED25519, x))
}

/// Verifies an Ed25519 signature.
pub(crate) fn ed25519_verify(
    key: &Ed25519Public,
    signing_input: &[u8],
    signature: &[u8],
) -> Result<(), Unspecified> {
    key.verify(signing_input, signature)
}

/// Signs with an Ed25519 key pair; ring's signing cannot fail (aws-lc-rs's can).
pub(crate) fn ed25519_sign(
    pair: &Ed25519KeyPair,
    signing_input: &[u8],
) -> Result<Signature, SignError> {
    Ok(pair.sign(signing_input))
}
