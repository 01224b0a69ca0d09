//! Strict base64url without padding (RFC 7515 §2, RFC 4648 §5).
//!
//! Decoding refuses padding, characters of the standard alphabet (`+`, `/`), whitespace and
//! non-canonical trailing bits, so every byte string has exactly one accepted encoding.
//!
//! The work is done by `base64-simd` (AVX2, SSSE3 or NEON when the CPU has them, picked at run
//! time; a table-driven loop otherwise), which checks all of the above itself.

use base64_simd::{Out, URL_SAFE_NO_PAD as ENGINE};

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
    let mut out = String::with_capacity(encoded_len(bytes.len()));
    encode_to(bytes, &mut out);
    out
}

/// Appends the base64url encoding of `bytes` to `out`.
pub fn encode_to(bytes: &[u8], out: &mut String) {
    ENGINE.encode_append(bytes, out);
}

/// Decodes strict base64url into a new vector.
pub fn decode(encoded: &[u8]) -> Result<Vec<u8>, Base64Error> {
    let mut out = Vec::new();
    decode_to(encoded, &mut out)?;
    Ok(out)
}

/// Appends the decoding of `encoded` to `out`; on error `out` is left as it was.
pub fn decode_to(encoded: &[u8], out: &mut Vec<u8>) -> Result<(), Base64Error> {
    let len = decoded_len(encoded.len()).ok_or(Base64Error)?;
    let start = out.len();
    // Exactly the decoded length: a buffer that is already big enough is never reallocated.
    out.reserve_exact(len);
    match ENGINE.decode_append(encoded, out) {
        Ok(()) if out.len() == start + len => Ok(()),
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
    // `get_mut` first: the engine asserts the room it needs, and that must never fire.
    let dst = buf.get_mut(..len).ok_or(Base64Error)?;
    ENGINE
        .decode(encoded, Out::from_slice(dst))
        .map(|decoded| decoded.len())
        .map_err(|_| Base64Error)
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

    /// Every byte outside the alphabet is refused at every position, on the vector path (long
    /// inputs) and on the scalar one (short inputs and tails).
    #[test]
    fn rejects_every_foreign_byte_everywhere() {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let valid = encode(&(0..=255).collect::<Vec<u8>>());
        for len in [2, 3, 4, 8, 11, 40, 64, 100] {
            let base = &valid.as_bytes()[..len];
            assert!(decode(base).is_ok(), "{len}");
            for byte in (0..=255u8).filter(|b| !alphabet.contains(b)) {
                for pos in 0..len {
                    let mut bad = base.to_vec();
                    bad[pos] = byte;
                    assert_eq!(decode(&bad), Err(Base64Error), "{len} {pos} {byte:#x}");
                    let mut buf = [0u8; 100];
                    assert_eq!(decode_slice(&bad, &mut buf), Err(Base64Error));
                }
            }
        }
    }

    #[test]
    fn failed_decode_leaves_the_buffer_alone() {
        let mut out = b"kept".to_vec();
        assert_eq!(decode_to(b"YR", &mut out), Err(Base64Error));
        assert_eq!(out, b"kept");
        assert_eq!(decode_to(b"YWJj", &mut out), Ok(()));
        assert_eq!(out, b"keptabc");
    }

    #[test]
    fn short_buffer_is_an_error() {
        let mut buf = [0u8; 2];
        assert_eq!(decode_slice(b"YWJj", &mut buf), Err(Base64Error));
    }
}
