//! The header check of one verify, and the per-thread cache of the last header that passed.

use crate::alg::Algorithm;
use crate::b64;
use crate::error::{DecodeError, Error, Segment, clip};
use crate::header::{HeaderView, same_media_type};
use crate::validation::{HeaderRules, Validation};
use std::cell::RefCell;
use std::sync::Arc;

/// Headers up to this many decoded bytes are decoded on the stack.
const HEADER_STACK: usize = 512;

/// Encoded headers up to this many bytes are cached; longer ones are checked every time (an
/// issuer's usual header is 36 to 100 bytes, and a small key keeps the comparison cheap).
pub(super) const CACHED_HEADER_MAX: usize = 256;

/// Everything the header check reads, built once per verify: the check's only input, and the
/// cache's key. A rule the check reads must be a field here (or of [`HeaderRules`]), so no rule
/// can be left out of the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct HeaderInput<'a> {
    /// The header segment, still base64url, exactly as received.
    pub h64: &'a [u8],
    /// The verifier's algorithm: the only one `alg` may name.
    pub alg: Algorithm,
    /// `typ`, `crit` and depth rules. Compared by content (by pointer first: a `Validation`
    /// reused for every token shares one).
    pub rules: &'a Arc<HeaderRules>,
}

impl<'a> HeaderInput<'a> {
    pub fn new(h64: &'a str, alg: Algorithm, v: &'a Validation) -> Self {
        HeaderInput {
            h64: h64.as_bytes(),
            alg,
            rules: &v.header,
        }
    }
}

/// The input of the last header check that passed on this thread. Tokens from one issuer share
/// their header byte for byte, so most verifies skip decoding and parsing it.
struct LastHeader {
    h64: [u8; CACHED_HEADER_MAX],
    len: usize,
    alg: Algorithm,
    rules: Arc<HeaderRules>,
}

impl LastHeader {
    /// A copy of `input`, or `None` when its header is too long to cache.
    fn new(input: &HeaderInput<'_>) -> Option<Self> {
        // No `..`: a field added to `HeaderInput` must be stored here, or this does not compile.
        let HeaderInput { h64, alg, rules } = *input;
        let mut copy = [0u8; CACHED_HEADER_MAX];
        copy.get_mut(..h64.len())?.copy_from_slice(h64);
        Some(LastHeader {
            h64: copy,
            len: h64.len(),
            alg,
            rules: Arc::clone(rules),
        })
    }

    /// The input it was made from.
    fn input(&self) -> HeaderInput<'_> {
        HeaderInput {
            h64: self.h64.get(..self.len).unwrap_or_default(),
            alg: self.alg,
            rules: &self.rules,
        }
    }
}

thread_local! {
    static LAST_HEADER: RefCell<Option<LastHeader>> = const { RefCell::new(None) };
}

/// Checks the header, or finds its input equal to the last one that passed on this thread.
///
/// The cache is reached with `try_with` and `try_borrow`: while the thread is being torn down
/// (a verify in another thread-local's destructor) it is simply not used.
pub(super) fn check_header(input: &HeaderInput<'_>) -> Result<(), Error> {
    let cacheable = input.h64.len() <= CACHED_HEADER_MAX;
    let hit = cacheable
        && LAST_HEADER
            .try_with(|c| {
                c.try_borrow()
                    .is_ok_and(|c| c.as_ref().is_some_and(|last| last.input() == *input))
            })
            .unwrap_or(false);
    if hit {
        return Ok(());
    }
    check_header_uncached(input)?;
    if cacheable {
        // An error means the thread-local is gone: nothing to remember then.
        let _ = LAST_HEADER.try_with(|c| {
            if let Ok(mut c) = c.try_borrow_mut() {
                *c = LastHeader::new(input);
            }
        });
    }
    Ok(())
}

/// Decodes the header on the stack when small and checks it: strict JSON, `alg` bound to the
/// key (`none` in any casing refused), `crit`, `typ`. Reads nothing but `input`.
pub(super) fn check_header_uncached(input: &HeaderInput<'_>) -> Result<(), Error> {
    let HeaderInput { h64, alg, rules } = *input;
    let mut stack = [0u8; HEADER_STACK];
    let heap;
    let header: &[u8] = match b64::decoded_len(h64.len()) {
        Some(n) if n <= HEADER_STACK => {
            let n = b64::decode_slice(h64, &mut stack)
                .map_err(|_| DecodeError::Base64(Segment::Header))?;
            stack.get(..n).unwrap_or_default()
        }
        _ => {
            heap = b64::decode(h64).map_err(|_| DecodeError::Base64(Segment::Header))?;
            &heap
        }
    };
    let view = HeaderView::parse(header, rules.max_depth)?;
    match view.alg.as_deref() {
        None => return Err(DecodeError::MissingAlgorithm.into()),
        Some(a) if a == alg.name() => {}
        Some(a) if a.eq_ignore_ascii_case("none") => return Err(DecodeError::AlgNone.into()),
        Some(a) => {
            return Err(DecodeError::AlgorithmMismatch {
                expected: alg,
                found: clip(a),
            }
            .into());
        }
    }
    view.check_crit(header, &rules.crit, rules.max_depth)?;
    if let Some(want) = &rules.typ {
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

/// Whether this thread's cache holds exactly `input` (for tests).
#[cfg(test)]
pub(super) fn cached(input: &HeaderInput<'_>) -> bool {
    LAST_HEADER
        .try_with(|c| {
            c.try_borrow()
                .is_ok_and(|c| c.as_ref().is_some_and(|last| last.input() == *input))
        })
        .unwrap_or(false)
}
