//! The compact serialization (RFC 7515 §3.1, §7.1): signing and verifying tokens.
//!
//! # Which verify entry point
//!
//! | you have | call | you get |
//! |---|---|---|
//! | a JWT and one key | [`verify`] | [`Verified`]: the claims validated, then typed on demand by [`Verified::claims`], borrowing from the payload |
//! | the same, on a hot path that must not allocate | [`verify_into`] | your `T`, borrowing from your reused buffer |
//! | the same, and owned claims in one call | [`decode`] | your `T: DeserializeOwned` |
//! | several keys (rotation, an issuer's JWK Set) | [`VerifierSet::verify`] | the key picked by `kid`, then as [`verify`] |
//! | many tokens under one key that batches (Ed25519) | [`verify_batch`] | one [`Verified`] or error per token, in order |
//! | a JWS whose payload is not JWT claims (RFC 7515 A.4, RFC 7520) | [`verify_jws`] | [`VerifiedJws`]: header and payload bytes; no claims rule ran, so it has no `claims()` |
//!
//! Every one of them runs the checks in the order given on [`Validation`]; none accepts an
//! algorithm other than the verifier's, or `none`.

mod encode;
mod header_check;
mod set;
#[cfg(test)]
mod tests;
pub mod unverified;

pub use encode::{Encoder, encode};
pub use set::{VerifierSet, VerifierSetError};

use crate::alg::Algorithm;
use crate::b64;
use crate::backend::Verifier;
use crate::claims::RawRegistered;
use crate::error::{DecodeError, Error, JsonError, Segment, SignatureError};
use crate::header::Header;
use crate::json;
use crate::validation::Validation;
use header_check::{HeaderInput, check_header};
use serde::de::{Deserialize, DeserializeOwned};

/// Signatures up to this many bytes (RSA-8192) are decoded on the stack.
const SIGNATURE_STACK: usize = 1024;

/// The three segments of a compact JWS, after the size check.
pub(crate) fn split(token: &str, max: usize) -> Result<[&str; 3], DecodeError> {
    if token.len() > max {
        return Err(DecodeError::TooLarge {
            size: token.len(),
            max,
        });
    }
    let mut parts = token.splitn(3, '.');
    let (Some(h), Some(p), Some(s)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(DecodeError::SegmentCount {
            found: token.bytes().filter(|&b| b == b'.').count() + 1,
        });
    };
    if s.contains('.') {
        return Err(DecodeError::SegmentCount {
            found: token.bytes().filter(|&b| b == b'.').count() + 1,
        });
    }
    Ok([h, p, s])
}

fn json_err(segment: Segment) -> impl Fn(JsonError) -> DecodeError {
    move |error| DecodeError::Json { segment, error }
}

/// The header of a token that already passed verification, decoded again.
fn header_of(token: &str) -> Result<Header, DecodeError> {
    let [h, _, _] = split(token, usize::MAX)?;
    let bytes = b64::decode(h.as_bytes()).map_err(|_| DecodeError::Base64(Segment::Header))?;
    Header::parse(&bytes, json::MAX_DEPTH_CAP)
}

/// A token whose signature verified and whose claims passed validation.
///
/// It owns the decoded payload; [`Verified::claims`] deserializes claims that may borrow from it.
/// Only [`verify`], [`VerifierSet::verify`] and [`verify_batch`] make one: [`verify_jws`], which
/// validates no claims, returns a `VerifiedJws`.
#[derive(Debug)]
pub struct Verified<'t> {
    token: &'t str,
    alg: Algorithm,
    /// The payload, proved UTF-8 by the strict check (so `claims` need not check it again).
    payload: String,
}

impl<'t> Verified<'t> {
    /// Deserializes the claims into `T`, which may borrow `&str` fields from the payload.
    ///
    /// A borrowed `&str` works only for strings without escapes (`\n`, `\"`, `\u00e9`): serde
    /// cannot borrow a string it has to unescape, and says so with an error. For a field that
    /// may hold escapes, use `#[serde(borrow)] Cow<'a, str>` (borrowed when it can be, owned
    /// when it must) or `String`.
    pub fn claims<'a, T: Deserialize<'a>>(&'a self) -> Result<T, Error> {
        // The strict check already passed, so the deserializer need not check again; on any
        // failure serde_json reads it once more, for its exact message.
        match json::de::trusted(&self.payload) {
            Some(claims) => Ok(claims),
            None => serde_json::from_str(&self.payload).map_err(|e| Error::Claims(e.to_string())),
        }
    }

    /// The decoded payload bytes.
    pub fn payload(&self) -> &[u8] {
        self.payload.as_bytes()
    }

    /// Takes the decoded payload.
    pub fn into_payload(self) -> Vec<u8> {
        self.payload.into_bytes()
    }

    /// The algorithm that verified the token (always the key's).
    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// The token's header, decoded again on demand (it was checked during verification).
    pub fn header(&self) -> Result<Header, DecodeError> {
        header_of(self.token)
    }
}

/// A JWS whose signature verified under the key's algorithm and whose header passed the checks
/// (`alg`, `crit`, `typ`, JSON), made by [`verify_jws`].
///
/// Its payload was not looked at: it need not be JSON, and if it is, it may hold duplicate
/// members, an expired `exp` or anything else the claims rules refuse. So it has no `claims()`;
/// a caller who wants JWT claims calls [`verify`] instead.
#[derive(Debug)]
pub struct VerifiedJws<'t> {
    token: &'t str,
    alg: Algorithm,
    payload: Vec<u8>,
}

impl<'t> VerifiedJws<'t> {
    /// The decoded payload bytes, as signed.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// Takes the decoded payload.
    pub fn into_payload(self) -> Vec<u8> {
        self.payload
    }

    /// The algorithm that verified the signature (always the key's).
    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// The header, decoded again on demand (it was checked during verification).
    pub fn header(&self) -> Result<Header, DecodeError> {
        header_of(self.token)
    }
}

/// Verifies `token` with `verifier` and validates its claims under `validation`.
///
/// The algorithm accepted is the verifier's and nothing else; `alg: none` is always refused.
/// The checks run in the order given on [`Validation`]. On success the payload has been
/// decoded once (the one heap allocation); read the claims with [`Verified::claims`].
pub fn verify<'t>(
    token: &'t str,
    verifier: &(impl Verifier + ?Sized),
    validation: &Validation,
) -> Result<Verified<'t>, Error> {
    let mut payload = Vec::new();
    verify_to(token, verifier, validation, &mut payload)?;
    Ok(Verified {
        token,
        alg: verifier.algorithm(),
        payload: validated(payload, validation)?,
    })
}

/// The strict check and the claims rules on a verified payload, which becomes the text of a
/// [`Verified`].
fn validated(payload: Vec<u8>, v: &Validation) -> Result<String, Error> {
    let text = String::from_utf8(payload).map_err(|_| DecodeError::Json {
        segment: Segment::Payload,
        error: JsonError::Utf8,
    })?;
    let mut reg = RawRegistered::default();
    json::scan_text(&text, v.depth_limit(), |name, value| {
        reg.member(name, value)
    })
    .map_err(json_err(Segment::Payload))?;
    v.check_claims(&reg, text.as_bytes())?;
    Ok(text)
}

/// Verifies and validates like [`verify`], decoding the payload into the caller's buffer, and
/// deserializes claims that borrow from that buffer: no heap allocation when the buffer is large
/// enough and `T` borrows its strings (see [`Verified::claims`] for strings with escapes).
///
/// Faster than [`verify`] then [`Verified::claims`]: knowing `T`, it reads the payload once,
/// checking the JSON rules and the claims while it deserializes.
pub fn verify_into<'b, T: Deserialize<'b>>(
    token: &str,
    verifier: &(impl Verifier + ?Sized),
    validation: &Validation,
    buf: &'b mut Vec<u8>,
) -> Result<T, Error> {
    buf.clear();
    verify_to(token, verifier, validation, buf)?;
    claims_in_one_pass(buf, validation)
}

/// The claims checks and the caller's type in one reading of the payload (`json::de::strict`);
/// when that fails for any reason, the strict check then serde_json, which report the exact
/// fault in the documented order (the one pass only ever succeeds where they would).
fn claims_in_one_pass<'a, T: Deserialize<'a>>(
    payload: &'a [u8],
    v: &Validation,
) -> Result<T, Error> {
    if let Ok(text) = std::str::from_utf8(payload)
        && let Some((claims, registered)) = json::de::strict::<T>(text, v.depth_limit())
    {
        v.check_claims(&registered, payload)?;
        return Ok(claims);
    }
    check_claims(payload, v)?;
    typed(payload)
}

/// Deserializes claims already checked by the strict JSON check. The check proved the payload
/// UTF-8, so serde_json reads it as `&str` and does not check each string's UTF-8 again.
fn typed<'a, T: Deserialize<'a>>(payload: &'a [u8]) -> Result<T, Error> {
    let text = std::str::from_utf8(payload).map_err(|e| Error::Claims(e.to_string()))?;
    serde_json::from_str(text).map_err(|e| Error::Claims(e.to_string()))
}

/// Verifies and validates, then deserializes owned claims. The shortest path for most callers;
/// like [`verify_into`], it reads the payload once.
pub fn decode<T: DeserializeOwned>(
    token: &str,
    verifier: &(impl Verifier + ?Sized),
    validation: &Validation,
) -> Result<T, Error> {
    let mut payload = Vec::new();
    verify_to(token, verifier, validation, &mut payload)?;
    claims_in_one_pass(&payload, validation)
}

/// Verifies a JWS whose payload need not be JSON (RFC 7515 Appendix A.4, RFC 7520 §4): the size,
/// header (`alg`, `crit`, `typ`) and signature checks only; claims are not looked at, which is
/// why the result is a `VerifiedJws` and not a [`Verified`].
pub fn verify_jws<'t>(
    token: &'t str,
    verifier: &(impl Verifier + ?Sized),
    validation: &Validation,
) -> Result<VerifiedJws<'t>, Error> {
    let mut payload = Vec::new();
    verify_to(token, verifier, validation, &mut payload)?;
    Ok(VerifiedJws {
        token,
        alg: verifier.algorithm(),
        payload,
    })
}

/// Every check before the payload's JSON, in order (all of [`verify_jws`]), decoding the
/// payload into `payload`.
fn verify_to(
    token: &str,
    verifier: &(impl Verifier + ?Sized),
    v: &Validation,
    payload: &mut Vec<u8>,
) -> Result<(), Error> {
    let checked = match split_fast(token, v.max_token_size, verifier.signature_len()) {
        Some(segments) => verify_segments(token, segments, verifier, v, payload),
        None => split(token, v.max_token_size)
            .map_err(Error::from)
            .and_then(|segments| verify_segments(token, segments, verifier, v, payload)),
    };
    // `split_fast` did not count the dots: a token with more than three segments fails in the
    // base64 of its payload or signature (a dot is not base64url), and any failure is reported
    // as the segment count when that is wrong, exactly as `split` would have said first.
    checked.map_err(|e| match split(token, v.max_token_size) {
        Err(count) => count.into(),
        Ok(_) => e,
    })
}

/// The segments of a well-formed token of this key, found from both ends without reading the
/// payload: the header ends at the first dot, the signature is the last `signature_len`
/// encoded characters, preceded by a dot. `None` sends the caller to [`split`].
fn split_fast(token: &str, max: usize, signature_len: usize) -> Option<[&str; 3]> {
    if token.len() > max {
        return None;
    }
    let first = first_dot(token.as_bytes())?;
    let second = token
        .len()
        .checked_sub(b64::encoded_len(signature_len) + 1)?;
    if second <= first || token.as_bytes().get(second) != Some(&b'.') {
        return None;
    }
    Some([
        token.get(..first)?,
        token.get(first + 1..second)?,
        token.get(second + 1..)?,
    ])
}

/// The position of the first `.`, eight bytes at a time (the header is 30 to 100 bytes).
fn first_dot(b: &[u8]) -> Option<usize> {
    let mut rest = b;
    while let Some((chunk, tail)) = rest.split_first_chunk::<8>() {
        let dots = json::bytes_equal(u64::from_le_bytes(*chunk), b'.');
        if dots != 0 {
            return Some(b.len() - rest.len() + (dots.trailing_zeros() / 8) as usize);
        }
        rest = tail;
    }
    let at = rest.iter().position(|&c| c == b'.')?;
    Some(b.len() - rest.len() + at)
}

/// Signatures up to this many bytes (ES512, the longest of fixed length) use the small stack
/// buffer; longer ones (RSA) the large one, so that the common case clears little stack.
const SIGNATURE_SMALL: usize = 132;

/// Every check after splitting, in order, up to the signature.
fn verify_segments(
    token: &str,
    [h64, p64, s64]: [&str; 3],
    verifier: &(impl Verifier + ?Sized),
    v: &Validation,
    payload: &mut Vec<u8>,
) -> Result<(), Error> {
    check_header(&HeaderInput::new(h64, verifier.algorithm(), v))?;
    let sig_len = check_signature_len(s64, verifier.signature_len())?;
    let mut rest = |sig: &[u8]| -> Result<(), Error> {
        // The payload's base64 is checked before the (costly) signature check, so garbage is
        // cheap to refuse.
        b64::decode_to(p64.as_bytes(), payload)
            .map_err(|_| DecodeError::Base64(Segment::Payload))?;
        verifier.verify(signing_input(token, h64, p64), sig)?;
        Ok(())
    };
    let bad_signature = |_| DecodeError::Base64(Segment::Signature);
    if sig_len <= SIGNATURE_SMALL {
        let mut stack = [0u8; SIGNATURE_SMALL];
        let n = b64::decode_slice(s64.as_bytes(), &mut stack).map_err(bad_signature)?;
        rest(stack.get(..n).unwrap_or_default())
    } else if sig_len <= SIGNATURE_STACK {
        let mut stack = [0u8; SIGNATURE_STACK];
        let n = b64::decode_slice(s64.as_bytes(), &mut stack).map_err(bad_signature)?;
        rest(stack.get(..n).unwrap_or_default())
    } else {
        rest(&b64::decode(s64.as_bytes()).map_err(bad_signature)?)
    }
}

/// `BASE64URL(header) || '.' || BASE64URL(payload)`, exactly as received.
fn signing_input<'t>(token: &'t str, h64: &str, p64: &str) -> &'t [u8] {
    token
        .as_bytes()
        .get(..h64.len() + 1 + p64.len())
        .unwrap_or_default()
}

/// A signature's length is fixed by key and algorithm, so it is checked before decoding.
fn check_signature_len(s64: &str, expected: usize) -> Result<usize, Error> {
    if s64.len() != b64::encoded_len(expected) {
        return Err(SignatureError::Length {
            expected,
            found: b64::decoded_len(s64.len()).unwrap_or(s64.len() * 3 / 4),
        }
        .into());
    }
    Ok(expected)
}

/// Strict JSON check of the verified payload, then the registered claims against the rules.
fn check_claims(payload: &[u8], v: &Validation) -> Result<(), Error> {
    let mut reg = RawRegistered::default();
    json::scan_object(payload, v.depth_limit(), |name, value| {
        reg.member(name, value)
    })
    .map_err(json_err(Segment::Payload))?;
    v.check_claims(&reg, payload)?;
    Ok(())
}

/// A verifier that can check many signatures at once faster than one by one (Ed25519).
pub trait BatchVerifier: Verifier {
    /// Checks every `(signing input, signature)` pair; fails if any fails, without saying which.
    fn verify_batch(&self, inputs: &[&[u8]], signatures: &[&[u8]]) -> Result<(), SignatureError>;
}

/// Verifies and validates many tokens signed with one key, checking their signatures in one batch.
///
/// Each token goes through every check of [`verify`]; the results come back in order. When the
/// batch fails, the signatures are checked one by one to find the bad ones, so a single forged
/// token never causes a good one to be refused.
pub fn verify_batch<'t>(
    tokens: &[&'t str],
    verifier: &(impl BatchVerifier + ?Sized),
    v: &Validation,
) -> Vec<Result<Verified<'t>, Error>> {
    struct Pending<'t> {
        token: &'t str,
        input: &'t [u8],
        signature: Vec<u8>,
        payload: Vec<u8>,
    }
    let alg = verifier.algorithm();
    let prepare = |token: &'t str| -> Result<Pending<'t>, Error> {
        let [h64, p64, s64] = split(token, v.max_token_size)?;
        check_header(&HeaderInput::new(h64, alg, v))?;
        check_signature_len(s64, verifier.signature_len())?;
        let signature =
            b64::decode(s64.as_bytes()).map_err(|_| DecodeError::Base64(Segment::Signature))?;
        let payload =
            b64::decode(p64.as_bytes()).map_err(|_| DecodeError::Base64(Segment::Payload))?;
        Ok(Pending {
            token,
            input: signing_input(token, h64, p64),
            signature,
            payload,
        })
    };
    let prepared: Vec<Result<Pending<'t>, Error>> = tokens.iter().map(|t| prepare(t)).collect();
    let (inputs, sigs): (Vec<&[u8]>, Vec<&[u8]>) = prepared
        .iter()
        .flatten()
        .map(|p| (p.input, p.signature.as_slice()))
        .unzip();
    let all_good = !inputs.is_empty() && verifier.verify_batch(&inputs, &sigs).is_ok();
    prepared
        .into_iter()
        .map(|p| {
            let p = p?;
            if !all_good {
                verifier.verify(p.input, &p.signature)?;
            }
            Ok(Verified {
                token: p.token,
                alg,
                payload: validated(p.payload, v)?,
            })
        })
        .collect()
}

impl<T: Verifier + ?Sized> Verifier for &T {
    fn algorithm(&self) -> Algorithm {
        (**self).algorithm()
    }
    fn key_id(&self) -> Option<&str> {
        (**self).key_id()
    }
    fn signature_len(&self) -> usize {
        (**self).signature_len()
    }
    fn verify(&self, input: &[u8], sig: &[u8]) -> Result<(), SignatureError> {
        (**self).verify(input, sig)
    }
}

impl<T: Verifier + ?Sized> Verifier for Box<T> {
    fn algorithm(&self) -> Algorithm {
        (**self).algorithm()
    }
    fn key_id(&self) -> Option<&str> {
        (**self).key_id()
    }
    fn signature_len(&self) -> usize {
        (**self).signature_len()
    }
    fn verify(&self, input: &[u8], sig: &[u8]) -> Result<(), SignatureError> {
        (**self).verify(input, sig)
    }
}
