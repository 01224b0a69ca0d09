//! Reading tokens without checking them, for debugging and for picking a key.
//!
//! Nothing returned here has been verified: never base a decision on it.

use super::{json_err, split};
use crate::b64;
use crate::error::{DecodeError, JsonError, Segment};
use crate::header::Header;
use crate::json;

/// A token split and decoded with no signature or claims check.
#[derive(Clone, Debug, PartialEq)]
pub struct UnverifiedToken {
    /// The header, as the token says.
    pub header: Header,
    /// The payload bytes.
    pub payload: Vec<u8>,
    /// The signature bytes.
    pub signature: Vec<u8>,
}

impl UnverifiedToken {
    /// The payload as JSON, if it is a JSON object that passes the strict checks.
    pub fn claims_unverified(&self) -> Result<serde_json::Value, DecodeError> {
        json::scan_object(&self.payload, json::MAX_DEPTH_CAP, |_, _| {})
            .map_err(json_err(Segment::Payload))?;
        serde_json::from_slice(&self.payload).map_err(|_| DecodeError::Json {
            segment: Segment::Payload,
            error: JsonError::Syntax { offset: 0 },
        })
    }
}

/// Splits and decodes a compact JWS **without verifying its signature or claims**.
pub fn decode_without_verifying(
    token: &str,
    max_size: usize,
) -> Result<UnverifiedToken, DecodeError> {
    let [h, p, s] = split(token, max_size)?;
    let header = b64::decode(h.as_bytes()).map_err(|_| DecodeError::Base64(Segment::Header))?;
    Ok(UnverifiedToken {
        header: Header::parse(&header, json::MAX_DEPTH_CAP)?,
        payload: b64::decode(p.as_bytes()).map_err(|_| DecodeError::Base64(Segment::Payload))?,
        signature: b64::decode(s.as_bytes())
            .map_err(|_| DecodeError::Base64(Segment::Signature))?,
    })
}

/// Splits a compact JWS and decodes only its header, **without verifying anything**: for
/// picking a key by `kid` and `alg` before the verification, which checks everything again.
///
/// ```
/// use tessera_codec::unverified;
/// // {"alg":"HS256","kid":"k1"} . {} . (no signature)
/// let header = unverified::header("eyJhbGciOiJIUzI1NiIsImtpZCI6ImsxIn0.e30.", 8192)?;
/// assert_eq!(header.kid.as_deref(), Some("k1"));
/// # Ok::<(), tessera_codec::DecodeError>(())
/// ```
pub fn header(token: &str, max_size: usize) -> Result<Header, DecodeError> {
    let [h, _, _] = split(token, max_size)?;
    let header = b64::decode(h.as_bytes()).map_err(|_| DecodeError::Base64(Segment::Header))?;
    Header::parse(&header, json::MAX_DEPTH_CAP)
}
