//! OpenSSL plumbing shared by the algorithm families: error mapping, digests and big integers.

use openssl::bn::{BigNum, BigNumRef};
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use tessera_codec::backend::{Hash, MAX_RSA_BITS};
use tessera_codec::{Jwk, KeyError, KeyMaterial, Secret, SignError};

/// Maps an OpenSSL error while reading a key to [`KeyError::Invalid`], naming `what`.
pub(crate) fn invalid(what: &str) -> impl Fn(ErrorStack) -> KeyError + '_ {
    move |e| KeyError::Invalid(format!("{what}: {e}"))
}

/// Maps an OpenSSL error while making a key to [`KeyError::Generation`], naming `what`.
pub(crate) fn generation(what: &str) -> impl Fn(ErrorStack) -> KeyError + '_ {
    move |e| KeyError::Generation(format!("{what}: {e}"))
}

/// Maps an OpenSSL error while signing.
pub(crate) fn sign_err(e: ErrorStack) -> SignError {
    SignError(format!("OpenSSL: {e}"))
}

/// OpenSSL's digest for a JWS hash.
pub(crate) fn digest(hash: Hash) -> MessageDigest {
    match hash {
        Hash::Sha256 => MessageDigest::sha256(),
        Hash::Sha384 => MessageDigest::sha384(),
        Hash::Sha512 => MessageDigest::sha512(),
    }
}

/// Longest big integer taken from a key, in bytes: twice the largest RSA modulus any backend
/// accepts. The codec bounds public members; this keeps absurd private members built in code
/// away from the `openssl` crate's length assertions.
const MAX_INT_BYTES: usize = 2 * MAX_RSA_BITS / 8;

fn check_int_len(len: usize) -> Result<(), KeyError> {
    if len > MAX_INT_BYTES {
        return Err(KeyError::Invalid(format!(
            "big integer of {len} bytes, at most {MAX_INT_BYTES} accepted"
        )));
    }
    Ok(())
}

/// A big integer from public bytes.
pub(crate) fn bn(bytes: &[u8]) -> Result<BigNum, KeyError> {
    check_int_len(bytes.len())?;
    BigNum::from_slice(bytes).map_err(invalid("big integer"))
}

/// A big integer from secret bytes, in a `BigNum` that OpenSSL wipes when it is freed.
pub(crate) fn secret_bn(secret: &Secret) -> Result<BigNum, KeyError> {
    check_int_len(secret.len())?;
    let mut n = BigNum::new_secure().map_err(invalid("big integer"))?;
    n.copy_from_slice(secret.expose())
        .map_err(invalid("big integer"))?;
    Ok(n)
}

/// A secret big integer as bytes the codec wipes on drop.
pub(crate) fn secret_vec(n: &BigNumRef) -> Secret {
    Secret::new(n.to_vec())
}

/// `n` as exactly `len` big-endian bytes; an error if it does not fit.
pub(crate) fn padded(n: &BigNumRef, len: usize) -> Result<Vec<u8>, ErrorStack> {
    // `len` is a curve's field size (at most 66). Were it ever out of `i32` range, 0 makes
    // OpenSSL refuse any non-zero number instead of the crate allocating a huge buffer.
    n.to_vec_padded(i32::try_from(len).unwrap_or(0))
}

/// `key` with other material and every other member kept, without copying its private parts.
pub(crate) fn with_material(key: &Jwk, material: KeyMaterial) -> Jwk {
    Jwk {
        kid: key.kid.clone(),
        alg: key.alg.clone(),
        key_use: key.key_use.clone(),
        key_ops: key.key_ops.clone(),
        material,
    }
}
