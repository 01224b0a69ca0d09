//! Strict base64url without padding (RFC 7515 §2, RFC 4648 §5).
//!
//! Decoding refuses padding, characters of the standard alphabet (`+`, `/`), whitespace and
//! non-canonical trailing bits, so every byte string has exactly one accepted encoding.

use base64::Engine as _;
use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false),
);

/// The input is not strict base64url without padding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not base64url without padding")]
pub struct Base64Error;

/// Number of bytes `encoded_len` characters of unpadded base64url decode to, or `None` when
/// no byte string has an encoding of that length (a remainder of one character).
pub const fn decoded_len(encoded_len: usize) -> Option<usize> {
    match encoded_len % 4 {
        1 => None,
        r => Some(encoded_len / 4 * 3 + if r == 0 { 0 } else { r - 1 }),
    }
}

/// Number of characters the unpadded encoding of `len` bytes has.
pub const fn encoded_len(len: usize) -> usize {
    len / 3 * 4
        + match len % 3 {
            0 => 0,
            r => r + 1,
        }
}

/// Encodes `bytes` as base64url without padding.
pub fn encode(bytes: &[u8]) -> String {
    ENGINE.encode(bytes)
}

/// Appends the base64url encoding of `bytes` to `out`.
pub fn encode_to(bytes: &[u8], out: &mut String) {
    ENGINE.encode_string(bytes, out);
}

/// Decodes strict base64url into a new vector.
pub fn decode(encoded: &[u8]) -> Result<Vec<u8>, Base64Error> {
    let mut out = Vec::new();
    decode_to(encoded, &mut out)?;
    Ok(out)
}

/// Appends the decoding of `encoded` to `out`.
pub fn decode_to(encoded: &[u8], out: &mut Vec<u8>) -> Result<(), Base64Error> {
    let len = decoded_len(encoded.len()).ok_or(Base64Error)?;
    let start = out.len();
    // Exactly the decoded length, decoded in place: `decode_vec` would grow the vector to its
    // own larger estimate and reallocate a buffer that was already big enough.
    out.resize(start + len, 0);
    let written = out
        .get_mut(start..)
        .map(|dst| ENGINE.decode_slice(encoded, dst));
    match written {
        Some(Ok(n)) if n == len => Ok(()),
        _ => {
            out.truncate(start);
            Err(Base64Error)
        }
    }
}

/// Decodes into `buf`, returning the number of bytes written. `buf` must hold at least
/// [`decoded_len`] bytes; a shorter one is an error, never a panic.
pub fn decode_slice(encoded: &[u8], buf: &mut [u8]) -> Result<usize, Base64Error> {
    let len = decoded_len(encoded.len()).ok_or(Base64Error)?;
    let dst = buf.get_mut(..len).ok_or(Base64Error)?;
    ENGINE.decode_slice(encoded, dst).map_err(|_| Base64Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_all_lengths() {
        let data: Vec<u8> = (0..=255).collect();
        for n in 0..data.len() {
            let e = encode(&data[..n]);
            assert_eq!(e.len(), encoded_len(n));
            assert_eq!(decoded_len(e.len()), Some(n));
            assert_eq!(decode(e.as_bytes()).unwrap(), &data[..n]);
        }
    }

    #[test]
    fn rejects_padding() {
        assert_eq!(decode(b"YQ=="), Err(Base64Error));
        assert_eq!(decode(b"YWI="), Err(Base64Error));
    }

    #[test]
    fn rejects_standard_alphabet() {
        assert_eq!(decode(b"-_8"), Ok(vec![0xfb, 0xff]));
        assert_eq!(decode(b"+/8"), Err(Base64Error));
    }

    #[test]
    fn rejects_whitespace() {
        for s in [&b"YW Jj"[..], b"YWJj\n", b" YWJj", b"YW\tJj"] {
            assert_eq!(decode(s), Err(Base64Error));
        }
    }

    #[test]
    fn rejects_non_canonical_trailing_bits() {
        // "YQ" is the canonical encoding of "a"; "YR" differs only in the unused low bits.
        assert_eq!(decode(b"YQ"), Ok(b"a".to_vec()));
        assert_eq!(decode(b"YR"), Err(Base64Error));
        assert_eq!(decode(b"YWJ"), Err(Base64Error));
        assert_eq!(decode(b"YWI"), Ok(b"ab".to_vec()));
    }

    #[test]
    fn rejects_impossible_length() {
        assert_eq!(decode(b"YWJjZ"), Err(Base64Error));
    }

    #[test]
    fn short_buffer_is_an_error() {
        let mut buf = [0u8; 2];
        assert_eq!(decode_slice(b"YWJj", &mut buf), Err(Base64Error));
    }
}
