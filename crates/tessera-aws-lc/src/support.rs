//! What the shared modules need from aws-lc-rs in particular: its error types turned into
//! tessera's, and the Ed25519 calls in which aws-lc-rs and ring differ.

use aws_lc_rs::error::{KeyRejected, Unspecified};
use aws_lc_rs::signature::{self, Ed25519KeyPair, ParsedPublicKey, Signature};
use tessera_codec::backend::not_on_curve;
use tessera_codec::{KeyError, SignError};

/// [`KeyError::Invalid`] naming what aws-lc-rs refused and its reason.
pub(crate) fn rejected(what: &'static str) -> impl Fn(KeyRejected) -> KeyError {
    move |e| KeyError::Invalid(format!("aws-lc-rs rejected the {what}: {e}"))
}

/// [`KeyError::Generation`] for a failed generation of `what`.
pub(crate) fn generation(what: &'static str) -> impl Fn(Unspecified) -> KeyError {
    move |_| KeyError::Generation(format!("aws-lc-rs failed to generate {what}"))
}

/// An Ed25519 public key as aws-lc-rs verifies with it: a `ParsedPublicKey` (an `EVP_PKEY`).
pub(crate) type Ed25519Public = ParsedPublicKey;

/// Parses a 32-byte public key that passed the codec's rules. Its length and the rules hold,
/// so a refusal could only be the decoding: [`not_on_curve`]. (AWS-LC stores a raw Ed25519
/// key without decoding it, so in practice a string that is not a curve point is accepted
/// here and fails every verification.)
pub(crate) fn ed25519_public(x: Vec<u8>) -> Result<Ed25519Public, KeyError> {
    ParsedPublicKey::new(&signature::ED25519, x).map_err(|_| not_on_curve())
}

/// Verifies an Ed25519 signature.
pub(crate) fn ed25519_verify(
    key: &Ed25519Public,
    signing_input: &[u8],
    signature: &[u8],
) -> Result<(), Unspecified> {
    key.verify_sig(signing_input, signature)
}

/// Signs with an Ed25519 key pair, through `try_sign`: aws-lc-rs's `sign` panics on failure.
pub(crate) fn ed25519_sign(
    pair: &Ed25519KeyPair,
    signing_input: &[u8],
) -> Result<Signature, SignError> {
    pair.try_sign(signing_input)
        .map_err(|_| SignError("aws-lc-rs Ed25519 signing failed".into()))
}
