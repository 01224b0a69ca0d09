//! The compact serialization (RFC 7515 §3.1, §7.1): signing and verifying tokens.

use crate::alg::Algorithm;
use crate::b64;
use crate::backend::{Signer, Verifier};
use crate::claims::RawRegistered;
use crate::error::{DecodeError, EncodeError, Error, JsonError, Segment, SignatureError, clip};
use crate::header::{Header, HeaderView, same_media_type};
use crate::json;
use crate::validation::Validation;
use serde::Serialize;
use serde::de::{Deserialize, DeserializeOwned};
use std::cell::RefCell;

/// Headers up to this many decoded bytes are decoded on the stack.
const HEADER_STACK: usize = 512;
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

/// A token whose signature verified and whose claims passed validation.
///
/// It owns the decoded payload; [`Verified::claims`] deserializes claims that may borrow from it.
#[derive(Debug)]
pub struct Verified<'t> {
    token: &'t str,
    alg: Algorithm,
    payload: Vec<u8>,
}

impl<'t> Verified<'t> {
    /// Deserializes the claims into `T`, which may borrow `&str` fields from the payload.
    pub fn claims<'a, T: Deserialize<'a>>(&'a self) -> Result<T, Error> {
        serde_json::from_slice(&self.payload).map_err(|e| Error::Claims(e.to_string()))
    }

    /// The decoded payload bytes.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// Takes the decoded payload.
    pub fn into_payload(self) -> Vec<u8> {
        self.payload
    }

    /// The algorithm that verified the token (always the key's).
    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// The token's header, decoded again on demand (it was checked during verification).
    pub fn header(&self) -> Result<Header, DecodeError> {
        let [h, _, _] = split(self.token, usize::MAX)?;
        let bytes = b64::decode(h.as_bytes()).map_err(|_| DecodeError::Base64(Segment::Header))?;
        Header::parse(&bytes, json::MAX_DEPTH_CAP)
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
    verify_to(token, verifier, validation, &mut payload, true)?;
    Ok(Verified {
        token,
        alg: verifier.algorithm(),
        payload,
    })
}

/// Verifies and validates like [`verify`], decoding the payload into the caller's buffer, and
/// deserializes claims that borrow from that buffer: no heap allocation when the buffer is large
/// enough and `T` borrows its strings.
pub fn verify_into<'b, T: Deserialize<'b>>(
    token: &str,
    verifier: &(impl Verifier + ?Sized),
    validation: &Validation,
    buf: &'b mut Vec<u8>,
) -> Result<T, Error> {
    buf.clear();
    verify_to(token, verifier, validation, buf, true)?;
    serde_json::from_slice(buf).map_err(|e| Error::Claims(e.to_string()))
}

/// Verifies and validates, then deserializes owned claims. The shortest path for most callers.
pub fn decode<T: DeserializeOwned>(
    token: &str,
    verifier: &(impl Verifier + ?Sized),
    validation: &Validation,
) -> Result<T, Error> {
    verify(token, verifier, validation)?.claims()
}

/// Verifies a JWS whose payload need not be JSON (RFC 7515 Appendix A.4, RFC 7520 §4): the size,
/// header (`alg`, `crit`, `typ`) and signature checks only; claims are not looked at.
pub fn verify_jws<'t>(
    token: &'t str,
    verifier: &(impl Verifier + ?Sized),
    validation: &Validation,
) -> Result<Verified<'t>, Error> {
    let mut payload = Vec::new();
    verify_to(token, verifier, validation, &mut payload, false)?;
    Ok(Verified {
        token,
        alg: verifier.algorithm(),
        payload,
    })
}

/// Every check of [`verify`], decoding the payload into `payload`.
fn verify_to(
    token: &str,
    verifier: &(impl Verifier + ?Sized),
    v: &Validation,
    payload: &mut Vec<u8>,
    claims: bool,
) -> Result<(), Error> {
    let [h64, p64, s64] = split(token, v.max_token_size)?;
    check_header(h64, verifier.algorithm(), v)?;
    let sig_len = check_signature_len(s64, verifier.signature_len())?;
    let mut sig_stack = [0u8; SIGNATURE_STACK];
    let sig_heap;
    let sig: &[u8] = if sig_len <= SIGNATURE_STACK {
        let n = b64::decode_slice(s64.as_bytes(), &mut sig_stack)
            .map_err(|_| DecodeError::Base64(Segment::Signature))?;
        &sig_stack[..n]
    } else {
        sig_heap =
            b64::decode(s64.as_bytes()).map_err(|_| DecodeError::Base64(Segment::Signature))?;
        &sig_heap
    };
    // The payload's base64 is checked before the (costly) signature check, so garbage is cheap to refuse.
    b64::decode_to(p64.as_bytes(), payload).map_err(|_| DecodeError::Base64(Segment::Payload))?;
    verifier.verify(signing_input(token, h64, p64), sig)?;
    if claims {
        check_claims(payload, v)?;
    }
    Ok(())
}

/// `BASE64URL(header) || '.' || BASE64URL(payload)`, exactly as received.
fn signing_input<'t>(token: &'t str, h64: &str, p64: &str) -> &'t [u8] {
    token
        .as_bytes()
        .get(..h64.len() + 1 + p64.len())
        .unwrap_or_default()
}

/// The last header that passed [`check_header`] on this thread, and everything its outcome
/// depends on. Tokens from one issuer share their header byte for byte, so most verifies skip
/// decoding and parsing it; any difference in the bytes or the rules checks it afresh.
struct CheckedHeader {
    h64: String,
    alg: Algorithm,
    typ: Option<String>,
    crit: Vec<String>,
    max_depth: usize,
}

impl CheckedHeader {
    fn matches(&self, h64: &str, alg: Algorithm, v: &Validation) -> bool {
        self.h64 == h64
            && self.alg == alg
            && self.max_depth == v.max_depth
            && self.typ == v.typ
            && self.crit == v.crit
    }
}

thread_local! {
    static LAST_HEADER: RefCell<Option<CheckedHeader>> = const { RefCell::new(None) };
}

/// Checks the header, or finds it identical to the last one that passed under the same rules.
fn check_header(h64: &str, expected: Algorithm, v: &Validation) -> Result<(), Error> {
    let hit = LAST_HEADER.with(|c| {
        c.try_borrow()
            .is_ok_and(|c| c.as_ref().is_some_and(|c| c.matches(h64, expected, v)))
    });
    if hit {
        return Ok(());
    }
    check_header_uncached(h64, expected, v)?;
    LAST_HEADER.with(|c| {
        if let Ok(mut c) = c.try_borrow_mut() {
            match c.as_mut() {
                // Reuse the buffers: a steady stream of tokens allocates nothing here.
                Some(last) => {
                    last.h64.clear();
                    last.h64.push_str(h64);
                    last.alg = expected;
                    last.typ.clone_from(&v.typ);
                    last.crit.clone_from(&v.crit);
                    last.max_depth = v.max_depth;
                }
                None => {
                    *c = Some(CheckedHeader {
                        h64: h64.to_owned(),
                        alg: expected,
                        typ: v.typ.clone(),
                        crit: v.crit.clone(),
                        max_depth: v.max_depth,
                    })
                }
            }
        }
    });
    Ok(())
}

/// Decodes the header on the stack when small and checks it: strict JSON, `alg` bound to the
/// key (`none` in any casing refused), `crit`, `typ`.
fn check_header_uncached(h64: &str, expected: Algorithm, v: &Validation) -> Result<(), Error> {
    let mut stack = [0u8; HEADER_STACK];
    let heap;
    let header: &[u8] = match b64::decoded_len(h64.len()) {
        Some(n) if n <= HEADER_STACK => {
            let n = b64::decode_slice(h64.as_bytes(), &mut stack)
                .map_err(|_| DecodeError::Base64(Segment::Header))?;
            &stack[..n]
        }
        _ => {
            heap = b64::decode(h64.as_bytes()).map_err(|_| DecodeError::Base64(Segment::Header))?;
            &heap
        }
    };
    let view = HeaderView::parse(header, v.max_depth)?;
    match view.alg.as_deref() {
        None => return Err(DecodeError::MissingAlgorithm.into()),
        Some(a) if a == expected.name() => {}
        Some(a) if a.eq_ignore_ascii_case("none") => return Err(DecodeError::AlgNone.into()),
        Some(a) => {
            return Err(DecodeError::AlgorithmMismatch {
                expected,
                found: clip(a),
            }
            .into());
        }
    }
    view.check_crit(header, &v.crit, v.max_depth)?;
    if let Some(want) = &v.typ {
        match view.typ.as_deref() {
            Some(t) if same_media_type(t, want) => {}
            found => {
                return Err(DecodeError::TypeMismatch {
                    expected: want.clone(),
                    found: found.map(clip),
                }
                .into());
            }
        }
    }
    Ok(())
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
    json::scan_object(payload, v.max_depth, |name, value| reg.member(name, value))
        .map_err(json_err(Segment::Payload))?;
    v.check_claims(&reg)?;
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
        check_header(h64, alg, v)?;
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
            check_claims(&p.payload, v)?;
            Ok(Verified {
                token: p.token,
                alg,
                payload: p.payload,
            })
        })
        .collect()
}

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

    /// Sets or removes `typ` (RFC 8725 §3.11 recommends explicit types such as `at+jwt`).
    pub fn typ(self, typ: Option<&str>) -> Self {
        let mut h = self.header;
        h.typ = typ.map(str::to_owned);
        Self::with_header(self.signer, h)
    }

    /// Sets or removes `kid`.
    pub fn kid(self, kid: Option<&str>) -> Self {
        let mut h = self.header;
        h.kid = kid.map(str::to_owned);
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

/// Verifiers held by `kid`, for key rotation: the token's `kid` picks the key, the key's algorithm
/// decides what is accepted.
#[derive(Debug, Default)]
pub struct VerifierSet {
    entries: Vec<Box<dyn Verifier>>,
}

impl VerifierSet {
    /// An empty set.
    pub fn new() -> Self {
        VerifierSet::default()
    }

    /// Adds a verifier under its key's `kid`.
    pub fn insert(&mut self, verifier: Box<dyn Verifier>) {
        self.entries.push(verifier);
    }

    /// Number of verifiers.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The verifier the token's header names, without verifying anything. A token without `kid`
    /// is accepted only when the set holds exactly one key.
    pub fn select(&self, token: &str, validation: &Validation) -> Result<&dyn Verifier, Error> {
        let [h64, _, _] = split(token, validation.max_token_size)?;
        let header =
            b64::decode(h64.as_bytes()).map_err(|_| DecodeError::Base64(Segment::Header))?;
        let view = HeaderView::parse(&header, validation.max_depth)?;
        let found = match view.kid.as_deref() {
            Some(kid) => {
                let mut same_kid = self.entries.iter().filter(|v| v.key_id() == Some(kid));
                let alg = view.alg.as_deref();
                let first = same_kid.clone().next();
                same_kid
                    .find(|v| Some(v.algorithm().name()) == alg)
                    .or(first)
                    .ok_or_else(|| DecodeError::UnknownKeyId(clip(kid)))?
            }
            None if self.entries.len() == 1 => &self.entries[0],
            None => return Err(DecodeError::MissingKeyId.into()),
        };
        Ok(found.as_ref())
    }

    /// Picks the verifier by `kid` and verifies as [`verify`] does.
    pub fn verify<'t>(
        &self,
        token: &'t str,
        validation: &Validation,
    ) -> Result<Verified<'t>, Error> {
        verify(token, self.select(token, validation)?, validation)
    }
}

impl<T: Signer + ?Sized> Signer for &T {
    fn algorithm(&self) -> Algorithm {
        (**self).algorithm()
    }
    fn key_id(&self) -> Option<&str> {
        (**self).key_id()
    }
    fn sign(&self, input: &[u8], out: &mut Vec<u8>) -> Result<(), crate::SignError> {
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
    fn sign(&self, input: &[u8], out: &mut Vec<u8>) -> Result<(), crate::SignError> {
        (**self).sign(input, out)
    }
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

/// Reading tokens without checking them, for debugging and for picking a key.
///
/// Nothing returned here has been verified: never base a decision on it.
pub mod unverified {
    use super::*;

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
            payload: b64::decode(p.as_bytes())
                .map_err(|_| DecodeError::Base64(Segment::Payload))?,
            signature: b64::decode(s.as_bytes())
                .map_err(|_| DecodeError::Base64(Segment::Signature))?,
        })
    }
}
