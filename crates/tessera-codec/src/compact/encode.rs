//! Signing: the [`Encoder`] and one-off [`encode`].

use crate::alg::Algorithm;
use crate::b64;
use crate::backend::Signer;
use crate::error::{EncodeError, Segment, SignError};
use crate::header::Header;
use serde::Serialize;

/// Signs tokens with one signer and a fixed header, encoded once.
///
/// ```
/// # use tessera_codec::*;
/// # #[derive(Debug)] struct Null;
/// # impl Signer for Null {
/// #   fn algorithm(&self) -> Algorithm { Algorithm::HS256 }
/// #   fn key_id(&self) -> Option<&str> { Some("k1") }
/// #   fn sign(&self, _: &[u8], out: &mut Vec<u8>) -> Result<(), SignError> { out.extend([0u8; 32]); Ok(()) }
/// # }
/// let encoder = Encoder::new(Null);
/// let token = encoder.encode(&serde_json::json!({"sub": "alice"})).unwrap();
/// assert!(token.starts_with("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0."));
/// ```
#[derive(Debug)]
pub struct Encoder<S> {
    signer: S,
    header: Header,
    header_b64: String,
}

impl<S: Signer> Encoder<S> {
    /// An encoder whose header is `{"alg":…,"typ":"JWT","kid":…}`, `kid` being the signer's if it has one.
    pub fn new(signer: S) -> Self {
        let header = Header {
            alg: signer.algorithm().name().to_owned(),
            typ: Some("JWT".to_owned()),
            kid: signer.key_id().map(str::to_owned),
            ..Header::default()
        };
        Self::with_header(signer, header)
    }

    /// An encoder with this header; its `alg` is replaced by the signer's, always.
    pub fn with_header(signer: S, mut header: Header) -> Self {
        header.alg = signer.algorithm().name().to_owned();
        let header_b64 = b64::encode(header.to_json().as_bytes());
        Encoder {
            signer,
            header,
            header_b64,
        }
    }

    /// Sets `typ` (RFC 8725 §3.11 recommends explicit types such as `at+jwt`); `JWT` by default.
    ///
    /// ```
    /// # use tessera_codec::*;
    /// # #[derive(Debug)] struct Null;
    /// # impl Signer for Null {
    /// #   fn algorithm(&self) -> Algorithm { Algorithm::HS256 }
    /// #   fn key_id(&self) -> Option<&str> { None }
    /// #   fn sign(&self, _: &[u8], out: &mut Vec<u8>) -> Result<(), SignError> { out.extend([0u8; 32]); Ok(()) }
    /// # }
    /// let encoder = Encoder::new(Null).typ("at+jwt").kid("2026-12");
    /// assert_eq!(encoder.header().typ.as_deref(), Some("at+jwt"));
    /// assert_eq!(encoder.header().kid.as_deref(), Some("2026-12"));
    /// let bare = encoder.without_typ().without_kid();
    /// assert_eq!((bare.header().typ.as_deref(), bare.header().kid.as_deref()), (None, None));
    /// ```
    pub fn typ(self, typ: impl Into<String>) -> Self {
        let mut h = self.header;
        h.typ = Some(typ.into());
        Self::with_header(self.signer, h)
    }

    /// Leaves `typ` out of the header.
    pub fn without_typ(self) -> Self {
        let mut h = self.header;
        h.typ = None;
        Self::with_header(self.signer, h)
    }

    /// Sets `kid` (by default the signer's, if it has one).
    pub fn kid(self, kid: impl Into<String>) -> Self {
        let mut h = self.header;
        h.kid = Some(kid.into());
        Self::with_header(self.signer, h)
    }

    /// Leaves `kid` out of the header.
    pub fn without_kid(self) -> Self {
        let mut h = self.header;
        h.kid = None;
        Self::with_header(self.signer, h)
    }

    /// The header every token gets.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The signer.
    pub fn signer(&self) -> &S {
        &self.signer
    }

    /// Serializes `claims` (which must serialize to a JSON object) and signs the token.
    pub fn encode<T: Serialize + ?Sized>(&self, claims: &T) -> Result<String, EncodeError> {
        let json = serde_json::to_vec(claims).map_err(|e| EncodeError::Serialize {
            segment: Segment::Payload,
            message: e.to_string(),
        })?;
        if json.first() != Some(&b'{') {
            return Err(EncodeError::Serialize {
                segment: Segment::Payload,
                message: "claims must be a JSON object".into(),
            });
        }
        self.sign_payload(&json)
    }

    /// Signs arbitrary payload bytes as a compact JWS (not necessarily a JWT).
    pub fn sign_payload(&self, payload: &[u8]) -> Result<String, EncodeError> {
        let sig_room = self.signer.algorithm().fixed_signature_len().unwrap_or(512);
        let mut out = String::with_capacity(
            self.header_b64.len()
                + 2
                + b64::encoded_len(payload.len())
                + b64::encoded_len(sig_room),
        );
        out.push_str(&self.header_b64);
        out.push('.');
        b64::encode_to(payload, &mut out);
        let mut sig = Vec::with_capacity(sig_room);
        self.signer.sign(out.as_bytes(), &mut sig)?;
        out.push('.');
        b64::encode_to(&sig, &mut out);
        Ok(out)
    }
}

/// Signs `claims` with `signer` under the default header; for one-off tokens. Reuse an
/// [`Encoder`] when signing many.
pub fn encode<T: Serialize + ?Sized>(
    signer: &(impl Signer + ?Sized),
    claims: &T,
) -> Result<String, EncodeError> {
    Encoder::new(signer).encode(claims)
}

impl<T: Signer + ?Sized> Signer for &T {
    fn algorithm(&self) -> Algorithm {
        (**self).algorithm()
    }
    fn key_id(&self) -> Option<&str> {
        (**self).key_id()
    }
    fn sign(&self, input: &[u8], out: &mut Vec<u8>) -> Result<(), SignError> {
        (**self).sign(input, out)
    }
}

impl<T: Signer + ?Sized> Signer for Box<T> {
    fn algorithm(&self) -> Algorithm {
        (**self).algorithm()
    }
    fn key_id(&self) -> Option<&str> {
        (**self).key_id()
    }
    fn sign(&self, input: &[u8], out: &mut Vec<u8>) -> Result<(), SignError> {
        (**self).sign(input, out)
    }
}
