//! A strict, non-allocating JSON check that runs before serde sees a byte.
//!
//! It validates RFC 8259 syntax, refuses duplicate member names at every depth (RFC 7515 §4,
//! RFC 7519 §4: tessera rejects rather than keeping the last), bounds nesting depth without
//! deep recursion risk, and hands back the raw spans of the top-level members so that the header
//! and the registered claims are read without a second parse.
//!
//! It is built to cost little beside the caller's own deserialization: UTF-8 is checked once
//! for the whole document (then every span is a `&str` for free), string bodies are skipped
//! eight bytes at a time and long ones 32 at a time, integers are read eight digits at a time
//! (so a registered date is not parsed again), member names are compared as integers after a
//! one-bit-per-name filter, and the top-level callback is inlined.

use crate::error::JsonError;
use std::borrow::Cow;
use std::collections::HashSet;

pub(crate) mod de;
mod words;

use words::plain_len;
pub(crate) use words::{bytes_equal, digit_run, word_at};

/// Nesting depth limit that no configuration can exceed; keeps recursion well inside any thread stack.
pub const MAX_DEPTH_CAP: usize = 256;

/// JSON type of a raw value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

/// A validated JSON value as it stands in the input. For strings, `raw` is the text between the
/// quotes, still escaped (`escaped` says whether it has escapes); for the others it is the whole
/// value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawValue<'a> {
    pub kind: Kind,
    pub raw: &'a str,
    pub escaped: bool,
    /// A number's value, when the reader saw it is a plain non-negative integer that fits
    /// `u64` (`None` does not say it is not one).
    pub integer: Option<u64>,
}

impl<'a> RawValue<'a> {
    /// The string's value, borrowed when it has no escapes. `None` if not a string.
    pub fn as_str(&self) -> Option<Cow<'a, str>> {
        if self.kind != Kind::String {
            return None;
        }
        if self.escaped {
            unescape(self.raw).map(Cow::Owned)
        } else {
            Some(Cow::Borrowed(self.raw))
        }
    }
}

/// Checks that `bytes` is exactly one JSON object under the rules above, calling `member` for
/// each top-level member with its name (unescaped) and raw value.
///
/// UTF-8 is checked first, over the whole document: invalid UTF-8 anywhere is
/// [`JsonError::Utf8`], before any syntax error.
pub(crate) fn scan_object<'a>(
    bytes: &'a [u8],
    max_depth: usize,
    member: impl FnMut(&str, RawValue<'a>),
) -> Result<(), JsonError> {
    let text = std::str::from_utf8(bytes).map_err(|_| JsonError::Utf8)?;
    scan_text(text, max_depth, member)
}

/// [`scan_object`] of a document already known to be UTF-8.
pub(crate) fn scan_text<'a>(
    text: &'a str,
    max_depth: usize,
    mut member: impl FnMut(&str, RawValue<'a>),
) -> Result<(), JsonError> {
    let mut s = Scanner::new(text, max_depth.min(MAX_DEPTH_CAP));
    let scanned = s.document(&mut member);
    scanned.map_err(|Fail| s.error())
}

/// A failed scan; what failed is in [`Scanner::failure`]. A unit error keeps every internal
/// result in registers, which matters on a path run for each byte.
struct Fail;

type Step<T> = Result<T, Fail>;

struct Scanner<'a> {
    b: &'a [u8],
    /// The same bytes, known to be UTF-8: spans between ASCII delimiters slice it for free.
    text: &'a str,
    pos: usize,
    max_depth: usize,
    /// Why the scan failed, when it was not a syntax error at `pos`.
    failure: Option<JsonError>,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str, max_depth: usize) -> Self {
        Scanner {
            b: text.as_bytes(),
            text,
            pos: 0,
            max_depth,
            failure: None,
        }
    }

    /// The error of a failed scan.
    fn error(&mut self) -> JsonError {
        self.failure
            .take()
            .unwrap_or(JsonError::Syntax { offset: self.pos })
    }

    /// Fails with another error than a syntax error at the current position.
    #[cold]
    fn fail(&mut self, error: JsonError) -> Fail {
        self.failure = Some(error);
        Fail
    }

    /// One object and nothing else but whitespace.
    fn document(&mut self, member: &mut impl FnMut(&str, RawValue<'a>)) -> Step<()> {
        self.ws();
        if self.peek() != Some(b'{') {
            // Distinguish "valid JSON but not an object" from garbage for a clearer error.
            self.value(0)?;
            if self.at_end_after_ws() {
                return Err(self.fail(JsonError::NotAnObject));
            }
            return Err(Fail);
        }
        self.object(1, member)?;
        if self.at_end_after_ws() {
            Ok(())
        } else {
            Err(Fail)
        }
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    /// The text between two positions the scanner has seen (always at ASCII delimiters).
    #[inline]
    fn span(&self, start: usize, end: usize) -> Step<&'a str> {
        self.text.get(start..end).ok_or(Fail)
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn at_end_after_ws(&mut self) -> bool {
        self.ws();
        self.pos == self.b.len()
    }

    #[inline]
    fn eat(&mut self, c: u8) -> Step<()> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Fail)
        }
    }

    fn value(&mut self, depth: usize) -> Step<Kind> {
        self.ws();
        match self.peek() {
            Some(b'{') => self
                .object(depth + 1, &mut |_, _| {})
                .map(|()| Kind::Object),
            Some(b'[') => self.array(depth + 1).map(|()| Kind::Array),
            Some(b'"') => self.string().map(|_| Kind::String),
            Some(b't') => self.literal(b"true").map(|()| Kind::Bool),
            Some(b'f') => self.literal(b"false").map(|()| Kind::Bool),
            Some(b'n') => self.literal(b"null").map(|()| Kind::Null),
            Some(b'-' | b'0'..=b'9') => self.number().map(|_| Kind::Number),
            _ => Err(Fail),
        }
    }

    fn literal(&mut self, lit: &[u8]) -> Step<()> {
        if self.b.get(self.pos..self.pos + lit.len()) == Some(lit) {
            self.pos += lit.len();
            Ok(())
        } else {
            Err(Fail)
        }
    }

    #[inline]
    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    /// A number; its value when it is a plain non-negative integer of at most 19 digits.
    #[inline]
    fn number(&mut self) -> Step<Option<u64>> {
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let mut integer = match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                Some(0)
            }
            Some(b'1'..=b'9') => {
                let (len, value) = digit_run(self.b.get(self.pos..).unwrap_or_default());
                self.pos += len;
                value
            }
            _ => return Err(Fail),
        };
        if negative {
            integer = None;
        }
        if self.peek() == Some(b'.') {
            integer = None;
            self.pos += 1;
            if self.digits() == 0 {
                return Err(Fail);
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            integer = None;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(Fail);
            }
        }
        Ok(integer)
    }

    /// Moves to the next `"`, `\\` or control byte of a string body.
    #[inline(always)]
    fn skip_plain(&mut self) {
        self.pos += plain_len(self.b.get(self.pos..).unwrap_or_default());
    }

    /// Scans a string from its opening quote to just past its closing one; its body is
    /// `start + 1 .. pos - 1`. Returns whether it has escapes. Inlined: most of a document is
    /// strings, mostly short ones, for which a call would cost as much as the scan.
    #[inline(always)]
    fn string(&mut self) -> Step<bool> {
        self.eat(b'"')?;
        self.skip_plain();
        if self.peek() == Some(b'"') {
            self.pos += 1;
            return Ok(false);
        }
        self.string_rest()?;
        Ok(true)
    }

    /// The rest of a string body from a byte that is not its closing quote: escapes (checked),
    /// or a control byte or the end of the input (refused). Ends past the closing quote.
    #[cold]
    #[inline(never)]
    fn string_rest(&mut self) -> Step<()> {
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.pos +=
                        escape_len(self.b.get(self.pos..).unwrap_or_default()).ok_or(Fail)?;
                }
                // A control byte, or the end of the input.
                _ => return Err(Fail),
            }
            self.skip_plain();
        }
    }

    /// A string whose opening quote is at the current position: its body and whether it has
    /// escapes.
    #[inline(always)]
    fn string_body(&mut self) -> Step<(&'a str, bool)> {
        let start = self.pos + 1;
        let escaped = self.string()?;
        Ok((self.span(start, self.pos - 1)?, escaped))
    }

    fn too_deep(&mut self, depth: usize) -> Step<()> {
        if depth > self.max_depth {
            let max = self.max_depth;
            return Err(self.fail(JsonError::TooDeep { max }));
        }
        Ok(())
    }

    fn array(&mut self, depth: usize) -> Step<()> {
        self.too_deep(depth)?;
        self.eat(b'[')?;
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.value(depth)?;
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(Fail),
            }
        }
    }

    /// An object, calling `member` with each of its members (nested objects pass a no-op, which
    /// the compiler removes).
    fn object(&mut self, depth: usize, member: &mut impl FnMut(&str, RawValue<'a>)) -> Step<()> {
        self.too_deep(depth)?;
        self.eat(b'{')?;
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        let mut keys = KeySet::default();
        loop {
            self.ws();
            let prefix = word_at(self.b, self.pos + 1);
            let (key, escaped) = self.string_body()?;
            let unescaped = if escaped || !keys.insert_plain(key, prefix) {
                match keys.insert_slow(key, escaped) {
                    Ok(name) => name,
                    Err(e) => return Err(self.fail(e)),
                }
            } else {
                None
            };
            self.ws();
            self.eat(b':')?;
            self.ws();
            let value = if self.peek() == Some(b'"') {
                let (raw, escaped) = self.string_body()?;
                RawValue {
                    kind: Kind::String,
                    raw,
                    escaped,
                    integer: None,
                }
            } else {
                let start = self.pos;
                // Numbers inline: registered times are most of a payload's non-strings.
                let (kind, integer) = match self.peek() {
                    Some(b'-' | b'0'..=b'9') => (Kind::Number, self.number()?),
                    _ => (self.value(depth)?, None),
                };
                RawValue {
                    kind,
                    raw: self.span(start, self.pos)?,
                    escaped: false,
                    integer,
                }
            };
            match &unescaped {
                Some(name) => member(name, value),
                None => member(key, value),
            }
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(Fail),
            }
        }
    }
}

/// Member names seen in one object. Small objects with plain names are checked on the stack,
/// comparing the first eight bytes as one integer before anything else; large objects, or any
/// with escaped names, move to a hash set of unescaped names.
#[derive(Default)]
struct KeySet<'a> {
    inline: [(u64, &'a str); INLINE_KEYS],
    len: usize,
    /// One bit per name on the stack, picked by a hash of its first eight bytes and length: a
    /// name whose bit is clear repeats none of them, and is recorded without comparing.
    bits: u64,
    spilled: Option<HashSet<Cow<'a, str>>>,
}

const INLINE_KEYS: usize = 16;

impl<'a> KeySet<'a> {
    /// Records a plain name on the stack (`prefix`: its first eight bytes, with whatever
    /// follows it in the input). `false` when [`KeySet::insert_slow`] must decide: the name may
    /// repeat one, or there is no room left.
    #[inline]
    fn insert_plain(&mut self, raw: &'a str, prefix: u64) -> bool {
        if self.spilled.is_some() {
            return false;
        }
        // Only the name's own bytes count: mask off what follows it.
        let prefix = match raw.len() {
            n @ 0..8 => prefix & ((1u64 << (8 * n)) - 1),
            _ => prefix,
        };
        let bit = 1u64 << ((prefix ^ raw.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58);
        let repeated = self.bits & bit != 0
            && self
                .inline
                .get(..self.len)
                .unwrap_or_default()
                .iter()
                .any(|&(p, k)| p == prefix && k.len() == raw.len() && (raw.len() <= 8 || k == raw));
        match self.inline.get_mut(self.len) {
            Some(slot) if !repeated => {
                *slot = (prefix, raw);
                self.len += 1;
                self.bits |= bit;
                true
            }
            _ => false,
        }
    }

    /// Records a name in the hash set (moving the stack's names there first); returns its
    /// unescaped form when it had escapes.
    #[cold]
    fn insert_slow(&mut self, raw: &'a str, escaped: bool) -> Result<Option<String>, JsonError> {
        let set = self.spilled.get_or_insert_with(|| {
            self.inline
                .get(..self.len)
                .unwrap_or_default()
                .iter()
                .map(|&(_, k)| Cow::Borrowed(k))
                .collect()
        });
        let (key, name) = if escaped {
            let s = unescape(raw).ok_or(JsonError::Syntax { offset: 0 })?;
            (Cow::Owned(s.clone()), Some(s))
        } else {
            (Cow::Borrowed(raw), None)
        };
        if !set.insert(key) {
            return Err(duplicate(name.as_deref().unwrap_or(raw)));
        }
        Ok(name)
    }
}

fn duplicate(name: &str) -> JsonError {
    JsonError::DuplicateMember(crate::error::clip(name))
}

/// Unescapes the body of a JSON string already checked by the scanner.
fn unescape(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let decoded = match chars.next()? {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let hi = hex4(&mut chars)?;
                if (0xD800..0xDC00).contains(&hi) {
                    if chars.next()? != '\\' || chars.next()? != 'u' {
                        return None;
                    }
                    let lo = hex4(&mut chars)?;
                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo.checked_sub(0xDC00)?))?
                } else {
                    char::from_u32(hi)?
                }
            }
            _ => return None,
        };
        out.push(decoded);
    }
    Some(out)
}

/// The length of the escape that follows a backslash at the start of `rest` (RFC 8259 §7): 1
/// for a one-letter escape, 5 for `uXXXX`, 11 for a surrogate pair; `None` when it is not a
/// valid escape, a lone or unpaired surrogate included. Both JSON readers check escapes here.
fn escape_len(rest: &[u8]) -> Option<usize> {
    let unit = |at: usize| -> Option<u32> {
        let digits = rest.get(at..at + 4)?;
        digits
            .iter()
            .try_fold(0u32, |v, &d| Some(v * 16 + (d as char).to_digit(16)?))
    };
    match rest.first()? {
        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(1),
        b'u' => match unit(1)? {
            // A high surrogate must be followed by an escaped low surrogate.
            0xD800..0xDC00 => {
                let low = (rest.get(5..7)? == b"\\u").then(|| unit(7))??;
                (0xDC00..0xE000).contains(&low).then_some(11)
            }
            0xDC00..0xE000 => None,
            _ => Some(5),
        },
        _ => None,
    }
}

fn hex4(chars: &mut std::str::Chars<'_>) -> Option<u32> {
    let mut v = 0;
    for _ in 0..4 {
        v = v * 16 + chars.next()?.to_digit(16)?;
    }
    Some(v)
}

/// Calls `f` with each element of a validated JSON array that holds only strings.
/// Returns `Err(())` if any element is not a string or `raw` is not an array.
pub(crate) fn for_each_string<'a>(raw: &'a str, mut f: impl FnMut(Cow<'a, str>)) -> Result<(), ()> {
    let mut s = Scanner::new(raw, 1);
    s.eat(b'[').map_err(|Fail| ())?;
    s.ws();
    if s.peek() == Some(b']') {
        return Ok(());
    }
    loop {
        s.ws();
        let (body, escaped) = s.string_body().map_err(|Fail| ())?;
        let value = RawValue {
            kind: Kind::String,
            raw: body,
            escaped,
            integer: None,
        };
        f(value.as_str().ok_or(())?);
        s.ws();
        match s.peek() {
            Some(b',') => s.pos += 1,
            Some(b']') => return Ok(()),
            _ => return Err(()),
        }
    }
}

#[cfg(test)]
mod tests;
