//! The JOSE header (RFC 7515 §4.1).

use crate::error::{DecodeError, Segment, clip};
use crate::json::{self, Kind, RawValue};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// Header parameter names defined by JWS, JWE and JWA (RFC 7515 §4.1, RFC 7516 §4.1,
/// RFC 7518 §4.6-4.8). `crit` may not name them (RFC 7515 §4.1.11).
pub const REGISTERED_HEADERS: [&str; 20] = [
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc",
    "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
];

/// A decoded JOSE header: the registered members typed, every other member kept as JSON.
///
/// Nothing in it has been checked against a key: it is what the token says.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Header {
    /// `alg`, as the token names it.
    pub alg: String,
    /// `typ`.
    pub typ: Option<String>,
    /// `cty`.
    pub cty: Option<String>,
    /// `kid`.
    pub kid: Option<String>,
    /// `crit`.
    pub crit: Option<Vec<String>>,
    /// Every other member, in the order given.
    pub extra: Map<String, Value>,
}

impl Header {
    /// Parses a header from decoded JSON, with the same strict rules as verification.
    pub(crate) fn parse(bytes: &[u8], max_depth: usize) -> Result<Header, DecodeError> {
        let mut h = Header::default();
        let mut has_alg = false;
        let mut bad: Option<&'static str> = None;
        json::scan_object(bytes, max_depth, |name, v| {
            let mut string = |slot: &mut Option<String>, n: &'static str| match v.as_str() {
                Some(s) => *slot = Some(s.into_owned()),
                None => bad = bad.or(Some(n)),
            };
            match name {
                "alg" => {
                    let mut alg = None;
                    string(&mut alg, "alg");
                    has_alg = alg.is_some();
                    h.alg = alg.unwrap_or_default();
                }
                "typ" => string(&mut h.typ, "typ"),
                "cty" => string(&mut h.cty, "cty"),
                "kid" => string(&mut h.kid, "kid"),
                "crit" => {
                    let mut list = Vec::new();
                    match json::for_each_string(v.raw, |s| list.push(s.into_owned())) {
                        Ok(()) if v.kind == Kind::Array => h.crit = Some(list),
                        _ => bad = bad.or(Some("crit")),
                    }
                }
                _ => {
                    let raw = match v.kind {
                        Kind::String => v.as_str().map(|s| Value::String(s.into_owned())),
                        _ => serde_json::from_str(v.raw).ok(),
                    };
                    h.extra.insert(name.to_owned(), raw.unwrap_or(Value::Null));
                }
            }
        })
        .map_err(|error| DecodeError::Json {
            segment: Segment::Header,
            error,
        })?;
        if let Some(member) = bad {
            return Err(DecodeError::HeaderMemberType(member));
        }
        if !has_alg {
            return Err(DecodeError::MissingAlgorithm);
        }
        Ok(h)
    }

    /// Serializes the header as compact JSON: `alg` first, then `typ`, `cty`, `kid`, `crit`,
    /// then the other members (a member of `extra` that repeats a registered one is skipped).
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(64);
        let mut push = |k: &str, v: Value| {
            out.push(if out.is_empty() { '{' } else { ',' });
            out.push_str(&Value::String(k.to_owned()).to_string());
            out.push(':');
            out.push_str(&v.to_string());
        };
        push("alg", Value::String(self.alg.clone()));
        for (k, v) in [("typ", &self.typ), ("cty", &self.cty), ("kid", &self.kid)] {
            if let Some(v) = v {
                push(k, Value::String(v.clone()));
            }
        }
        if let Some(c) = &self.crit {
            push(
                "crit",
                Value::Array(c.iter().cloned().map(Value::String).collect()),
            );
        }
        for (k, v) in &self.extra {
            if !["alg", "typ", "cty", "kid", "crit"].contains(&k.as_str()) {
                push(k, v.clone());
            }
        }
        out.push('}');
        out
    }
}

/// The header members verification needs, borrowed from the decoded header.
#[derive(Default)]
pub(crate) struct HeaderView<'a> {
    pub alg: Option<Cow<'a, str>>,
    pub typ: Option<Cow<'a, str>>,
    pub kid: Option<Cow<'a, str>>,
    pub crit: Option<RawValue<'a>>,
    pub bad: Option<&'static str>,
}

impl<'a> HeaderView<'a> {
    pub fn parse(bytes: &'a [u8], max_depth: usize) -> Result<HeaderView<'a>, DecodeError> {
        let mut h = HeaderView::default();
        json::scan_object(bytes, max_depth, |name, v| {
            let (slot, n) = match name {
                "alg" => (&mut h.alg, "alg"),
                "typ" => (&mut h.typ, "typ"),
                "kid" => (&mut h.kid, "kid"),
                "cty" => {
                    if v.kind != Kind::String {
                        h.bad = h.bad.or(Some("cty"));
                    }
                    return;
                }
                "crit" => {
                    h.crit = Some(v);
                    return;
                }
                _ => return,
            };
            *slot = v.as_str();
            if slot.is_none() {
                h.bad = h.bad.or(Some(n));
            }
        })
        .map_err(|error| DecodeError::Json {
            segment: Segment::Header,
            error,
        })?;
        if let Some(member) = h.bad {
            return Err(DecodeError::HeaderMemberType(member));
        }
        Ok(h)
    }

    /// Checks `crit` (RFC 7515 §4.1.11) against the extensions the caller understands.
    pub fn check_crit(
        &self,
        header: &'a [u8],
        understood: &[String],
        max_depth: usize,
    ) -> Result<(), DecodeError> {
        let Some(crit) = self.crit else {
            return Ok(());
        };
        let mut names = Vec::new();
        if crit.kind != Kind::Array || json::for_each_string(crit.raw, |s| names.push(s)).is_err() {
            return Err(DecodeError::HeaderMemberType("crit"));
        }
        if names.is_empty() {
            return Err(DecodeError::CritEmpty);
        }
        let mut members = Vec::new();
        json::scan_object(header, max_depth, |n, _| members.push(n.to_owned())).map_err(
            |error| DecodeError::Json {
                segment: Segment::Header,
                error,
            },
        )?;
        for name in &names {
            if REGISTERED_HEADERS.contains(&name.as_ref()) {
                return Err(DecodeError::CritRegistered(clip(name)));
            }
            if !understood.iter().any(|u| u == name) {
                return Err(DecodeError::CritNotUnderstood(clip(name)));
            }
            if !members.iter().any(|m| m == name) {
                return Err(DecodeError::CritMissingMember(clip(name)));
            }
        }
        Ok(())
    }
}

/// Compares media types as RFC 7515 §4.1.9 asks: case-insensitively, with the
/// `application/` prefix optional.
pub(crate) fn same_media_type(a: &str, b: &str) -> bool {
    fn strip(s: &str) -> &str {
        match s.get(..12) {
            Some(p) if p.eq_ignore_ascii_case("application/") => &s[12..],
            _ => s,
        }
    }
    strip(a).eq_ignore_ascii_case(strip(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_owned_header() {
        let h = Header::parse(
            br#"{"alg":"ES256","typ":"JWT","kid":"k\u0031","crit":["exp"],"exp":5,"x":{"y":1}}"#,
            16,
        )
        .unwrap();
        assert_eq!(h.alg, "ES256");
        assert_eq!(h.kid.as_deref(), Some("k1"));
        assert_eq!(h.crit, Some(vec!["exp".to_string()]));
        assert_eq!(h.extra["x"]["y"], 1);
    }

    #[test]
    fn missing_alg() {
        assert_eq!(
            Header::parse(br#"{"typ":"JWT"}"#, 16),
            Err(DecodeError::MissingAlgorithm)
        );
    }

    #[test]
    fn wrong_member_types() {
        assert_eq!(
            Header::parse(br#"{"alg":1}"#, 16),
            Err(DecodeError::HeaderMemberType("alg"))
        );
        assert_eq!(
            HeaderView::parse(br#"{"alg":"HS256","kid":7}"#, 16).err(),
            Some(DecodeError::HeaderMemberType("kid"))
        );
        assert_eq!(
            HeaderView::parse(br#"{"alg":"HS256","typ":null}"#, 16).err(),
            Some(DecodeError::HeaderMemberType("typ"))
        );
    }

    #[test]
    fn media_types() {
        assert!(same_media_type("JWT", "jwt"));
        assert!(same_media_type("application/at+jwt", "AT+JWT"));
        assert!(!same_media_type("at+jwt", "JWT"));
    }

    #[test]
    fn to_json_puts_alg_first() {
        let h = Header {
            alg: "HS256".into(),
            typ: Some("JWT".into()),
            ..Default::default()
        };
        assert_eq!(h.to_json(), r#"{"alg":"HS256","typ":"JWT"}"#);
    }
}
