//! A strict, non-allocating JSON check that runs before serde sees a byte.
//!
//! It validates RFC 8259 syntax, refuses duplicate member names at every depth (RFC 7515 §4,
//! RFC 7519 §4: tessera rejects rather than keeping the last), bounds nesting depth without
//! deep recursion risk, and hands back the raw spans of the top-level members so that the header
//! and the registered claims are read without a second parse.

use crate::error::JsonError;
use std::borrow::Cow;
use std::collections::HashSet;

/// Bytes that can stand in a string without ending it, escaping or being checked: printable
/// ASCII other than `"` and `\`.
static PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0x20;
    while c < 0x80 {
        t[c] = c != b'"' as usize && c != b'\\' as usize;
        c += 1;
    }
    t
};

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
/// quotes, still escaped; for the others it is the whole value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawValue<'a> {
    pub kind: Kind,
    pub raw: &'a [u8],
}

impl<'a> RawValue<'a> {
    /// The string's value, borrowed when it has no escapes. `None` if not a string.
    pub fn as_str(&self) -> Option<Cow<'a, str>> {
        if self.kind != Kind::String {
            return None;
        }
        str_value(self.raw)
    }
}

/// The value of a validated, still-escaped JSON string body.
pub(crate) fn str_value(raw: &[u8]) -> Option<Cow<'_, str>> {
    if raw.contains(&b'\\') {
        unescape(raw).map(Cow::Owned)
    } else {
        std::str::from_utf8(raw).ok().map(Cow::Borrowed)
    }
}

/// Checks that `bytes` is exactly one JSON object under the rules above, calling `member` for
/// each top-level member with its name (unescaped) and raw value.
pub(crate) fn scan_object<'a>(
    bytes: &'a [u8],
    max_depth: usize,
    mut member: impl FnMut(&str, RawValue<'a>),
) -> Result<(), JsonError> {
    let mut s = Scanner {
        b: bytes,
        pos: 0,
        max_depth: max_depth.min(MAX_DEPTH_CAP),
    };
    s.ws();
    if s.peek() != Some(b'{') {
        // Distinguish "valid JSON but not an object" from garbage for a clearer error.
        let start = s.pos;
        return match s.value(0) {
            Ok(_) if s.at_end_after_ws() => Err(JsonError::NotAnObject),
            Ok(_) => Err(s.syntax()),
            Err(e) if start == s.pos && s.peek().is_none() => Err(e),
            Err(e) => Err(e),
        };
    }
    s.object(1, Some(&mut member))?;
    if !s.at_end_after_ws() {
        return Err(s.syntax());
    }
    Ok(())
}

struct Scanner<'a> {
    b: &'a [u8],
    pos: usize,
    max_depth: usize,
}

type MemberFn<'f, 'a> = Option<&'f mut dyn FnMut(&str, RawValue<'a>)>;

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn syntax(&self) -> JsonError {
        JsonError::Syntax { offset: self.pos }
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn at_end_after_ws(&mut self) -> bool {
        self.ws();
        self.pos == self.b.len()
    }

    fn eat(&mut self, c: u8) -> Result<(), JsonError> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.syntax())
        }
    }

    fn value(&mut self, depth: usize) -> Result<Kind, JsonError> {
        self.ws();
        match self.peek() {
            Some(b'{') => self.object(depth + 1, None).map(|()| Kind::Object),
            Some(b'[') => self.array(depth + 1).map(|()| Kind::Array),
            Some(b'"') => self.string().map(|_| Kind::String),
            Some(b't') => self.literal(b"true").map(|()| Kind::Bool),
            Some(b'f') => self.literal(b"false").map(|()| Kind::Bool),
            Some(b'n') => self.literal(b"null").map(|()| Kind::Null),
            Some(b'-' | b'0'..=b'9') => self.number().map(|()| Kind::Number),
            _ => Err(self.syntax()),
        }
    }

    fn literal(&mut self, lit: &[u8]) -> Result<(), JsonError> {
        if self.b.get(self.pos..self.pos + lit.len()) == Some(lit) {
            self.pos += lit.len();
            Ok(())
        } else {
            Err(self.syntax())
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<(), JsonError> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.syntax()),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.syntax());
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.syntax());
            }
        }
        Ok(())
    }

    /// Scans a string starting at its opening quote; returns its body and whether it has escapes.
    fn string(&mut self) -> Result<(&'a [u8], bool), JsonError> {
        self.eat(b'"')?;
        let start = self.pos;
        let mut escaped = false;
        let mut non_ascii = false;
        loop {
            // Most of a token's bytes sit in plain runs inside strings: skip them in a tight loop.
            let rest = self.b.get(self.pos..).unwrap_or_default();
            self.pos += rest
                .iter()
                .position(|&c| !PLAIN[usize::from(c)])
                .unwrap_or(rest.len());
            let Some(c) = self.peek() else {
                return Err(self.syntax());
            };
            match c {
                b'"' => {
                    let body = &self.b[start..self.pos];
                    // Only strings can hold non-ASCII bytes (elsewhere they are a syntax error),
                    // so UTF-8 is checked here, and only when needed.
                    if non_ascii && std::str::from_utf8(body).is_err() {
                        return Err(JsonError::Utf8);
                    }
                    self.pos += 1;
                    return Ok((body, escaped));
                }
                b'\\' => {
                    escaped = true;
                    self.pos += 1;
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            self.pos += 1
                        }
                        Some(b'u') => {
                            self.pos += 1;
                            let unit = self.hex4()?;
                            if (0xD800..0xDC00).contains(&unit) {
                                // A high surrogate must be followed by an escaped low surrogate.
                                self.literal(b"\\u")?;
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return Err(self.syntax());
                                }
                            } else if (0xDC00..0xE000).contains(&unit) {
                                return Err(self.syntax());
                            }
                        }
                        _ => return Err(self.syntax()),
                    }
                }
                0..=0x1f => return Err(self.syntax()),
                _ => {
                    non_ascii = true;
                    self.pos += 1;
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self.b.get(self.pos..self.pos + 4).ok_or(self.syntax())?;
        let mut v = 0u32;
        for &d in digits {
            let n = (d as char).to_digit(16).ok_or(self.syntax())?;
            v = v * 16 + n;
        }
        self.pos += 4;
        Ok(v)
    }

    fn array(&mut self, depth: usize) -> Result<(), JsonError> {
        if depth > self.max_depth {
            return Err(JsonError::TooDeep {
                max: self.max_depth,
            });
        }
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
                _ => return Err(self.syntax()),
            }
        }
    }

    fn object(&mut self, depth: usize, mut member: MemberFn<'_, 'a>) -> Result<(), JsonError> {
        if depth > self.max_depth {
            return Err(JsonError::TooDeep {
                max: self.max_depth,
            });
        }
        self.eat(b'{')?;
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        let mut keys = KeySet::default();
        loop {
            self.ws();
            let (key, escaped) = self.string()?;
            let name = keys.insert(key, escaped)?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            let start = self.pos;
            let kind = self.value(depth)?;
            if let Some(f) = member.as_mut() {
                let raw = match kind {
                    Kind::String => &self.b[start + 1..self.pos - 1],
                    _ => &self.b[start..self.pos],
                };
                match name {
                    Some(n) => f(&n, RawValue { kind, raw }),
                    None => f(
                        std::str::from_utf8(key).unwrap_or_default(),
                        RawValue { kind, raw },
                    ),
                }
            }
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.syntax()),
            }
        }
    }
}

/// Member names seen in one object. Small objects with plain names are checked on the stack;
/// large ones, or any with escaped names, move to a hash set of unescaped names.
#[derive(Default)]
struct KeySet<'a> {
    inline: [&'a [u8]; INLINE_KEYS],
    len: usize,
    spilled: Option<HashSet<Cow<'a, [u8]>>>,
}

const INLINE_KEYS: usize = 16;

impl<'a> KeySet<'a> {
    /// Records a member name; returns its unescaped form when it had escapes.
    fn insert(&mut self, raw: &'a [u8], escaped: bool) -> Result<Option<String>, JsonError> {
        if self.spilled.is_none() && !escaped && self.len < INLINE_KEYS {
            if self.inline[..self.len].contains(&raw) {
                return Err(duplicate(raw));
            }
            self.inline[self.len] = raw;
            self.len += 1;
            return Ok(None);
        }
        let set = self.spilled.get_or_insert_with(|| {
            self.inline[..self.len]
                .iter()
                .map(|k| Cow::Borrowed(*k))
                .collect()
        });
        let (key, name) = if escaped {
            let s = unescape(raw).ok_or(JsonError::Syntax { offset: 0 })?;
            (Cow::Owned(s.clone().into_bytes()), Some(s))
        } else {
            (Cow::Borrowed(raw), None)
        };
        if !set.insert(key) {
            return Err(match &name {
                Some(n) => JsonError::DuplicateMember(crate::error::clip(n)),
                None => duplicate(raw),
            });
        }
        Ok(name)
    }
}

fn duplicate(raw: &[u8]) -> JsonError {
    JsonError::DuplicateMember(crate::error::clip(&String::from_utf8_lossy(raw)))
}

/// Unescapes the body of a JSON string already checked by the scanner.
fn unescape(raw: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(raw).ok()?;
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

fn hex4(chars: &mut std::str::Chars<'_>) -> Option<u32> {
    let mut v = 0;
    for _ in 0..4 {
        v = v * 16 + chars.next()?.to_digit(16)?;
    }
    Some(v)
}

/// Calls `f` with each element of a validated JSON array that holds only strings.
/// Returns `Err(())` if any element is not a string or `raw` is not an array.
pub(crate) fn for_each_string<'a>(
    raw: &'a [u8],
    mut f: impl FnMut(Cow<'a, str>),
) -> Result<(), ()> {
    let mut s = Scanner {
        b: raw,
        pos: 0,
        max_depth: 1,
    };
    s.eat(b'[').map_err(|_| ())?;
    s.ws();
    if s.peek() == Some(b']') {
        return Ok(());
    }
    loop {
        s.ws();
        let (body, _) = s.string().map_err(|_| ())?;
        f(str_value(body).ok_or(())?);
        s.ws();
        match s.peek() {
            Some(b',') => s.pos += 1,
            Some(b']') => return Ok(()),
            _ => return Err(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(s: &str) -> Result<(), JsonError> {
        scan_object(s.as_bytes(), 64, |_, _| {})
    }

    #[test]
    fn accepts_well_formed() {
        for s in [
            r#"{}"#,
            r#" {"a":1} "#,
            r#"{"a":[1,-2.5e+3,true,false,null,{"b":"c\u00e9\n"}],"d":{}}"#,
            r#"{"emoji":"\ud83d\ude00","x":"\/"}"#,
            "{\"\u{e9}\":0}",
        ] {
            assert_eq!(check(s), Ok(()), "{s}");
        }
    }

    #[test]
    fn rejects_malformed() {
        for s in [
            "",
            "{",
            r#"{"a":}"#,
            r#"{"a":1,}"#,
            r#"{"a" 1}"#,
            r#"{"a":01}"#,
            r#"{"a":1.}"#,
            r#"{"a":tru}"#,
            r#"{"a":"\x"}"#,
            r#"{"a":"\ud800"}"#,
            r#"{"a":"\udc00"}"#,
            "{\"a\":\"\u{1}\"}",
            r#"{} {}"#,
            r#"{"a":1}x"#,
        ] {
            assert!(matches!(check(s), Err(JsonError::Syntax { .. })), "{s}");
        }
    }

    #[test]
    fn rejects_non_objects() {
        for s in ["[]", "1", "\"a\"", "null"] {
            assert_eq!(check(s), Err(JsonError::NotAnObject), "{s}");
        }
    }

    #[test]
    fn rejects_invalid_utf8() {
        assert_eq!(
            scan_object(b"{\"a\":\"\xff\"}", 8, |_, _| {}),
            Err(JsonError::Utf8)
        );
    }

    #[test]
    fn rejects_duplicates_at_any_depth() {
        assert_eq!(
            check(r#"{"a":1,"a":2}"#),
            Err(JsonError::DuplicateMember("a".into()))
        );
        assert_eq!(
            check(r#"{"x":{"b":1,"c":2,"b":3}}"#),
            Err(JsonError::DuplicateMember("b".into()))
        );
        assert_eq!(
            check(r#"{"x":[{"k":1,"k":1}]}"#),
            Err(JsonError::DuplicateMember("k".into()))
        );
    }

    #[test]
    fn rejects_escaped_duplicates() {
        assert_eq!(
            check(r#"{"alg":"HS256","\u0061lg":"none"}"#),
            Err(JsonError::DuplicateMember("alg".into()))
        );
    }

    #[test]
    fn duplicates_found_in_large_objects() {
        let mut s = String::from("{");
        for i in 0..100 {
            s.push_str(&format!("\"k{i}\":{i},"));
        }
        s.push_str("\"k7\":0}");
        assert_eq!(check(&s), Err(JsonError::DuplicateMember("k7".into())));
    }

    #[test]
    fn depth_limit_holds_without_overflow() {
        let deep = "[".repeat(100_000);
        let s = format!("{{\"a\":{deep}");
        assert_eq!(check(&s), Err(JsonError::TooDeep { max: 64 }));
        let ok = format!("{{\"a\":{}{}}}", "[".repeat(62), "]".repeat(62));
        assert_eq!(check(&ok), Ok(()));
        let over = format!("{{\"a\":{}{}}}", "[".repeat(64), "]".repeat(64));
        assert_eq!(check(&over), Err(JsonError::TooDeep { max: 64 }));
    }

    #[test]
    fn reports_top_level_members() {
        let mut seen = Vec::new();
        scan_object(br#"{"s":"x\ny","n":12,"\u0061":[1]}"#, 8, |k, v| {
            seen.push((k.to_owned(), v.kind, v.as_str().map(|c| c.into_owned())));
        })
        .unwrap();
        assert_eq!(
            seen,
            vec![
                ("s".into(), Kind::String, Some("x\ny".into())),
                ("n".into(), Kind::Number, None),
                ("a".into(), Kind::Array, None),
            ]
        );
    }

    #[test]
    fn string_arrays() {
        let mut v = Vec::new();
        assert_eq!(
            for_each_string(br#"[ "a" , "b\"" ]"#, |s| v.push(s)),
            Ok(())
        );
        assert_eq!(v, vec!["a", "b\""]);
        assert_eq!(for_each_string(br#"["a",1]"#, |_| {}), Err(()));
        assert_eq!(for_each_string(br#"[]"#, |_| {}), Ok(()));
    }
}
