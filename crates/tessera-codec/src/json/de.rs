//! A serde deserializer that applies the strict check while it deserializes, for `verify_into`
//! and `decode`: knowing the caller's type, they read the payload once instead of twice.
//!
//! It checks what the strict check does (UTF-8 by taking `&str`, syntax, duplicate members at
//! every depth, the configured depth limit, a top-level object) and reads the registered claims
//! from the top-level members as they pass. It only says whether it succeeded: on any failure
//! the caller runs the strict check, then serde_json, which name the fault exactly and in the
//! documented order. So it never decides an error, and it must only ever succeed where the two
//! passes would succeed with the same value (the differential tests in `json/tests.rs` and
//! `compact/tests.rs` hold it to that).
//!
//! The same deserializer, without the checks ([`trusted`]: no duplicate-member check, no
//! registered claims), reads the claims of a `Verified`, whose payload the strict check already
//! accepted; it is cheaper than serde_json there, and serde_json reads the payload again only
//! to name the fault when it fails. Its error is zero-sized, so that internal results stay in
//! registers: nobody reads it.
//!
//! Where a type can tell, it behaves as serde_json: integers go to `visit_u64` or `visit_i64`
//! (to `visit_f64` when they do not fit, and for `-0`; `i128` and `u128` keep every digit),
//! other numbers to `visit_f64`, strings to `visit_borrowed_str` (to `visit_string` when they
//! have escapes), member names may be read as integers, and a visitor that leaves elements of an
//! array or object unread fails ("trailing characters"). Strings and digits are read eight
//! bytes at a time (`json/words.rs`). It fails rather than panics on any input, and bounds its
//! recursion.

mod access;

use super::{KeySet, MAX_DEPTH_CAP, digit_run, plain_len, unescape};
use crate::claims::RawRegistered;
use access::{Elements, Members, Variant};
use serde::de::{self, Deserializer, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;
use std::fmt;

/// Deserializes `T`, under the strict rules, without requiring a top-level object (tests
/// compare it with serde_json on any document).
#[cfg(test)]
pub(crate) fn from_str<'de, T: de::Deserialize<'de>>(text: &'de str) -> Result<T> {
    let mut de = De::<true>::new(text, MAX_DEPTH_CAP);
    let value = T::deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// Deserializes `T` under every rule of the strict check, with the registered claims read on
/// the way. `None` when anything failed, or when `T` did not read the document as one object
/// member by member (then the claims were not all seen): the caller falls back to the check.
pub(crate) fn strict<'de, T: de::Deserialize<'de>>(
    text: &'de str,
    max_depth: usize,
) -> Option<(T, RawRegistered<'de>)> {
    let mut de = De::<true>::new(text, max_depth.min(MAX_DEPTH_CAP));
    let value = T::deserialize(&mut de).ok()?;
    de.end().ok()?;
    de.top_done.then_some((value, de.registered))
}

/// Deserializes `T` from a document that already passed the strict check (so it is valid JSON
/// without duplicate members, within the depth limit), without checking any of that again.
/// `None` when anything failed: the caller asks serde_json for the exact message.
pub(crate) fn trusted<'de, T: de::Deserialize<'de>>(text: &'de str) -> Option<T> {
    let mut de = De::<false>::new(text, MAX_DEPTH_CAP);
    let value = T::deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

/// The document did not fit the type, or broke a rule. Zero-sized, so that every internal
/// result stays in registers: nobody reads the reason, because on any failure the caller
/// runs the strict check and serde_json, which name it.
#[derive(Debug)]
pub(crate) struct DeError;

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the claims do not fit the type")
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    #[cold]
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        DeError
    }
}

type Result<T> = std::result::Result<T, DeError>;

/// The deserializer; `CHECK` is false for a document the strict check already accepted, which
/// then skips the duplicate-member check and the registered claims.
struct De<'de, const CHECK: bool> {
    b: &'de [u8],
    text: &'de str,
    pos: usize,
    depth: usize,
    max_depth: usize,
    /// The registered claims among the top-level members.
    registered: RawRegistered<'de>,
    /// Whether the top-level object was read member by member to its end.
    top_done: bool,
    /// Whether the last string read had escapes.
    last_escaped: bool,
    /// The last number read, when it was a plain non-negative integer that fits `u64` (so a
    /// registered date need not be parsed again).
    last_integer: Option<u64>,
}

/// A string read from the input.
enum Text<'de> {
    Borrowed(&'de str),
    Owned(String),
}

/// Hands a string to the visitor: borrowed when it had no escapes.
fn visit_text<'de, V: Visitor<'de>>(text: Text<'de>, visitor: V) -> Result<V::Value> {
    match text {
        Text::Borrowed(s) => visitor.visit_borrowed_str(s),
        Text::Owned(s) => visitor.visit_string(s),
    }
}

impl<'de, const CHECK: bool> De<'de, CHECK> {
    fn new(text: &'de str, max_depth: usize) -> Self {
        De {
            b: text.as_bytes(),
            text,
            pos: 0,
            depth: 0,
            max_depth,
            registered: RawRegistered::default(),
            top_done: false,
            last_escaped: false,
            last_integer: None,
        }
    }

    /// Nothing but whitespace may follow the value.
    fn end(&mut self) -> Result<()> {
        self.ws();
        if self.pos == self.b.len() {
            Ok(())
        } else {
            Err(DeError)
        }
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    #[inline(always)]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    #[inline(always)]
    fn eat(&mut self, c: u8) -> Result<()> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(DeError)
        }
    }

    fn literal(&mut self, lit: &[u8]) -> Result<()> {
        if self.b.get(self.pos..self.pos + lit.len()) == Some(lit) {
            self.pos += lit.len();
            Ok(())
        } else {
            Err(DeError)
        }
    }

    /// Enters an array or object: the depth is bounded here too, so this is safe on input the
    /// check never saw.
    #[inline]
    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(DeError);
        }
        Ok(())
    }

    /// A string from its opening quote: borrowed unless it has escapes.
    #[inline(always)]
    fn string(&mut self) -> Result<Text<'de>> {
        let body = self.string_raw()?;
        if self.last_escaped {
            unescape(body).map(Text::Owned).ok_or(DeError)
        } else {
            Ok(Text::Borrowed(body))
        }
    }

    /// A string from its opening quote: its body, still escaped (whether it has escapes is in
    /// `last_escaped`). Inlined: most of a document is short strings, for which a call would
    /// cost as much as the scan.
    #[inline(always)]
    fn string_raw(&mut self) -> Result<&'de str> {
        self.eat(b'"')?;
        let start = self.pos;
        self.skip_plain();
        self.last_escaped = false;
        if self.peek() != Some(b'"') {
            self.string_rest()?;
        }
        let body = self.text.get(start..self.pos).ok_or(DeError)?;
        self.pos += 1;
        Ok(body)
    }

    /// Moves to the next `"`, `\\` or control byte of a string body.
    #[inline(always)]
    fn skip_plain(&mut self) {
        self.pos += plain_len(self.b.get(self.pos..).unwrap_or_default());
    }

    /// The rest of a string body from a byte that is not its closing quote: escapes (checked),
    /// or a control byte or the end of the input (refused). Ends at the closing quote.
    #[cold]
    #[inline(never)]
    fn string_rest(&mut self) -> Result<()> {
        loop {
            match self.peek() {
                Some(b'"') => return Ok(()),
                Some(b'\\') => {
                    self.last_escaped = true;
                    self.pos += 1;
                    let rest = self.b.get(self.pos..).unwrap_or_default();
                    self.pos += super::escape_len(rest).ok_or(DeError)?;
                }
                _ => return Err(DeError),
            }
            self.skip_plain();
        }
    }

    /// A number, handed to the visitor as serde_json would.
    fn number<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let digits_start = self.pos;
        let (int_len, value) = digit_run(self.b.get(digits_start..).unwrap_or_default());
        self.pos += int_len;
        // Twenty digits may still fit.
        let value = value.or_else(|| self.text.get(digits_start..self.pos)?.parse().ok());
        let overflow = value.is_none();
        let value = value.unwrap_or_default();
        // RFC 8259 §6: at least one digit, and no leading zero.
        if int_len == 0 || (int_len > 1 && self.b.get(digits_start) == Some(&b'0')) {
            return Err(DeError);
        }
        let mut float = false;
        if self.peek() == Some(b'.') {
            float = true;
            self.pos += 1;
            self.fraction_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            float = true;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            self.fraction_digits()?;
        }
        if !float && !overflow {
            if !negative {
                self.last_integer = Some(value);
                return visitor.visit_u64(value);
            }
            if value != 0
                && let Some(n) = 0i64.checked_sub_unsigned(value)
            {
                return visitor.visit_i64(n);
            }
        }
        let text = self.text.get(start..self.pos).ok_or(DeError)?;
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => visitor.visit_f64(f),
            _ => Err(DeError),
        }
    }

    /// One or more digits (of a fraction or an exponent).
    fn fraction_digits(&mut self) -> Result<()> {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(DeError);
        }
        Ok(())
    }

    /// `i128` and `u128` read the digits themselves, so integers beyond 64 bits keep every
    /// digit (as serde_json does).
    fn wide_integer<V: Visitor<'de>>(&mut self, visitor: V, signed: bool) -> Result<V::Value> {
        self.ws();
        let start = self.pos;
        if !matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
            return self.deserialize_any(visitor);
        }
        // The grammar first, then the digits again as a wide integer.
        self.number(de::IgnoredAny)?;
        let text = self.text.get(start..self.pos).unwrap_or_default();
        if text.contains(['.', 'e', 'E']) {
            self.pos = start;
            return self.deserialize_any(visitor);
        }
        let parsed = if signed {
            text.parse::<i128>().map(|n| visitor.visit_i128(n))
        } else {
            text.parse::<u128>().map(|n| visitor.visit_u128(n))
        };
        parsed.unwrap_or_else(|_| Err(DeError))
    }

    /// A member name, checked against the names before it in `keys`.
    #[inline(always)]
    fn key(&mut self, keys: &mut KeySet<'de>) -> Result<Text<'de>> {
        if !CHECK {
            return self.string();
        }
        let prefix = super::word_at(self.b, self.pos + 1);
        let raw = self.string_raw()?;
        let escaped = self.last_escaped;
        if !escaped && keys.insert_plain(raw, prefix) {
            return Ok(Text::Borrowed(raw));
        }
        match keys.insert_slow(raw, escaped) {
            Ok(Some(name)) => Ok(Text::Owned(name)),
            Ok(None) => Ok(Text::Borrowed(raw)),
            Err(_) => Err(DeError),
        }
    }

    /// A string from its opening quote, handed to the visitor: borrowed unless it has escapes.
    #[inline(always)]
    fn visit_string<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let body = self.string_raw()?;
        if self.last_escaped {
            visitor.visit_string(unescape(body).ok_or(DeError)?)
        } else {
            visitor.visit_borrowed_str(body)
        }
    }

    /// After a visitor of an array or object returned: the closing bracket must follow.
    fn close(&mut self, close: u8) -> Result<()> {
        self.ws();
        if self.peek() == Some(close) {
            self.pos += 1;
            self.depth -= 1;
            Ok(())
        } else {
            Err(DeError)
        }
    }
}

/// `deserialize_<number>` methods that read a number in place and leave anything else to
/// `deserialize_any`.
macro_rules! number_fast {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            self.ws();
            if let Some(b'-' | b'0'..=b'9') = self.peek() {
                return self.number(visitor);
            }
            self.deserialize_any(visitor)
        }
    )*};
}

impl<'de, const CHECK: bool> Deserializer<'de> for &mut De<'de, CHECK> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.ws();
        match self.peek() {
            Some(b'"') => self.visit_string(visitor),
            Some(b'-' | b'0'..=b'9') => self.number(visitor),
            Some(b'{') => {
                self.enter()?;
                self.pos += 1;
                let top = CHECK && self.depth == 1;
                let value = visitor.visit_map(Members {
                    de: &mut *self,
                    first: true,
                    keys: KeySet::default(),
                    top,
                    claim: None,
                })?;
                self.close(b'}')?;
                self.top_done |= top;
                Ok(value)
            }
            Some(b'[') => {
                self.enter()?;
                self.pos += 1;
                let value = visitor.visit_seq(Elements {
                    de: &mut *self,
                    first: true,
                })?;
                self.close(b']')?;
                Ok(value)
            }
            Some(b't') => self
                .literal(b"true")
                .and_then(|()| visitor.visit_bool(true)),
            Some(b'f') => self
                .literal(b"false")
                .and_then(|()| visitor.visit_bool(false)),
            Some(b'n') => self.literal(b"null").and_then(|()| visitor.visit_unit()),
            _ => Err(DeError),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.ws();
        if self.peek() == Some(b'n') {
            self.literal(b"null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.ws();
        match self.peek() {
            Some(b'"') => match self.string()? {
                Text::Borrowed(s) => visitor.visit_enum(s.into_deserializer()),
                Text::Owned(s) => visitor.visit_enum(s.into_deserializer()),
            },
            Some(b'{') => {
                self.enter()?;
                self.pos += 1;
                let value = visitor.visit_enum(Variant { de: &mut *self })?;
                self.close(b'}')?;
                Ok(value)
            }
            _ => Err(DeError),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip()?;
        visitor.visit_unit()
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.wide_integer(visitor, true)
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.wide_integer(visitor, false)
    }

    // Strings and numbers, the usual claims, go straight to their case: what `deserialize_any`
    // would do for them, without a call to it.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.ws();
        if self.peek() == Some(b'"') {
            return self.visit_string(visitor);
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    number_fast! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_u8
        deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32 deserialize_f64
    }

    forward_to_deserialize_any! {
        bool char bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}
