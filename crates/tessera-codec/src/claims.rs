//! Claims (RFC 7519 §4): the registered ones, typed, beside any claims type the caller chooses.

use crate::json::{self, Kind, RawValue};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// A registered claim name (RFC 7519 §4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Claim {
    /// `iss`, the issuer.
    Iss,
    /// `sub`, the subject.
    Sub,
    /// `aud`, the audience.
    Aud,
    /// `exp`, the expiration time.
    Exp,
    /// `nbf`, the not-before time.
    Nbf,
    /// `iat`, the issued-at time.
    Iat,
    /// `jti`, the JWT ID.
    Jti,
}

impl Claim {
    /// All registered claims.
    pub const ALL: [Claim; 7] = [
        Claim::Iss,
        Claim::Sub,
        Claim::Aud,
        Claim::Exp,
        Claim::Nbf,
        Claim::Iat,
        Claim::Jti,
    ];

    /// The claim's JSON member name.
    pub const fn name(self) -> &'static str {
        match self {
            Claim::Iss => "iss",
            Claim::Sub => "sub",
            Claim::Aud => "aud",
            Claim::Exp => "exp",
            Claim::Nbf => "nbf",
            Claim::Iat => "iat",
            Claim::Jti => "jti",
        }
    }

    /// Parses a member name.
    pub fn from_name(name: &str) -> Option<Claim> {
        // A match on the bytes, not a search of `ALL`: this runs for every top-level member of
        // every token.
        Some(match name.as_bytes() {
            b"iss" => Claim::Iss,
            b"sub" => Claim::Sub,
            b"aud" => Claim::Aud,
            b"exp" => Claim::Exp,
            b"nbf" => Claim::Nbf,
            b"iat" => Claim::Iat,
            b"jti" => Claim::Jti,
            _ => return None,
        })
    }

    pub(crate) const fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Claim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A claim [`Validation::require`](crate::Validation::require) can ask for: a registered claim,
/// or any other top-level member of the claims set (`client_id` of RFC 9068, say).
///
/// Made from a [`Claim`] or from a name; a name that is a registered claim's becomes that claim.
///
/// ```
/// use tessera_codec::{Claim, ClaimName};
/// assert_eq!(ClaimName::from("sub"), ClaimName::Registered(Claim::Sub));
/// assert_eq!(ClaimName::from("client_id"), ClaimName::Other("client_id".into()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ClaimName {
    /// A registered claim (RFC 7519 §4.1).
    Registered(Claim),
    /// Any other member name, compared exactly (after unescaping).
    Other(String),
}

impl From<Claim> for ClaimName {
    fn from(claim: Claim) -> Self {
        ClaimName::Registered(claim)
    }
}

impl From<&str> for ClaimName {
    fn from(name: &str) -> Self {
        match Claim::from_name(name) {
            Some(claim) => ClaimName::Registered(claim),
            None => ClaimName::Other(name.to_owned()),
        }
    }
}

impl From<String> for ClaimName {
    fn from(name: String) -> Self {
        match Claim::from_name(&name) {
            Some(claim) => ClaimName::Registered(claim),
            None => ClaimName::Other(name),
        }
    }
}

impl fmt::Display for ClaimName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClaimName::Registered(claim) => f.write_str(claim.name()),
            ClaimName::Other(name) => f.write_str(name),
        }
    }
}

/// The `aud` claim: one string, or an array of strings (RFC 7519 §4.1.3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    /// A single audience, serialized as a string.
    One(String),
    /// Several audiences, serialized as an array.
    Many(Vec<String>),
}

impl Audience {
    /// Whether `aud` names `audience`.
    pub fn contains(&self, audience: &str) -> bool {
        match self {
            Audience::One(a) => a == audience,
            Audience::Many(v) => v.iter().any(|a| a == audience),
        }
    }
}

impl From<&str> for Audience {
    fn from(s: &str) -> Self {
        Audience::One(s.to_owned())
    }
}

/// The registered claims, owned and typed. Times are NumericDate seconds since the epoch.
///
/// Embed it with `#[serde(flatten)]` beside your own claims, or use [`Claims`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredClaims {
    /// `iss`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// `sub`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// `aud`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<Audience>,
    /// `exp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    /// `nbf`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    /// `iat`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    /// `jti`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
}

/// Registered claims beside the caller's own claims type `T` in one JSON object.
///
/// ```
/// use tessera_codec::{Claims, RegisteredClaims};
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Custom { role: String }
/// let c = Claims {
///     registered: RegisteredClaims { sub: Some("alice".into()), exp: Some(2_000_000_000), ..Default::default() },
///     custom: Custom { role: "admin".into() },
/// };
/// let json = serde_json::to_string(&c).unwrap();
/// assert_eq!(json, r#"{"sub":"alice","exp":2000000000,"role":"admin"}"#);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims<T> {
    /// The registered claims.
    #[serde(flatten)]
    pub registered: RegisteredClaims,
    /// The caller's public and private claims.
    #[serde(flatten)]
    pub custom: T,
}

/// Latest NumericDate tessera accepts: 9999-12-31T23:59:59Z. Later or non-finite values are
/// refused, so no date arithmetic can overflow.
pub const MAX_NUMERIC_DATE: i64 = 253_402_300_799;

/// Reads a NumericDate: a JSON number between 0 and [`MAX_NUMERIC_DATE`]; fractions are truncated.
pub(crate) fn numeric_date(v: RawValue<'_>) -> Option<i64> {
    if v.kind != Kind::Number {
        return None;
    }
    if let Some(n) = v.integer {
        return i64::try_from(n).ok().filter(|n| *n <= MAX_NUMERIC_DATE);
    }
    let text = v.raw;
    // The usual form, whole seconds of at most 12 digits (MAX_NUMERIC_DATE has 12), is read
    // eight digits at a time; anything else (fractions, exponents, signs, long digit runs)
    // through `f64`.
    let secs = match short_integer(text.as_bytes()) {
        Some(n) => n,
        None if text.bytes().all(|b| b.is_ascii_digit()) => text.parse::<i64>().ok()?,
        None => {
            let f = text.parse::<f64>().ok()?;
            if !f.is_finite() || f < 0.0 || f > MAX_NUMERIC_DATE as f64 {
                return None;
            }
            f.trunc() as i64
        }
    };
    (0..=MAX_NUMERIC_DATE).contains(&secs).then_some(secs)
}

/// The value of 1 to 12 ASCII digits; `None` for anything else.
fn short_integer(d: &[u8]) -> Option<i64> {
    match json::digit_run(d) {
        (len @ 1..=12, Some(n)) if len == d.len() => i64::try_from(n).ok(),
        _ => None,
    }
}

/// The registered claims as read by the JSON check, borrowing from the payload.
#[derive(Default, Debug)]
pub(crate) struct RawRegistered<'a> {
    pub present: u8,
    pub invalid: Option<crate::claims::Claim>,
    pub exp: Option<i64>,
    pub nbf: Option<i64>,
    pub iat: Option<i64>,
    pub iss: Option<Cow<'a, str>>,
    pub sub: Option<Cow<'a, str>>,
    pub aud: Option<RawValue<'a>>,
    /// Kept raw: only a caller's claims check reads it (see [`RawRegistered::to_claims`]).
    pub jti: Option<RawValue<'a>>,
}

impl<'a> RawRegistered<'a> {
    /// Records one top-level member of the payload.
    #[inline]
    pub fn member(&mut self, name: &str, value: RawValue<'a>) {
        if let Some(claim) = Claim::from_name(name) {
            self.claim(claim, value);
        }
    }

    /// Records the value of a registered claim.
    pub fn claim(&mut self, claim: Claim, value: RawValue<'a>) {
        self.present |= claim.bit();
        let ok = match claim {
            Claim::Exp => store(&mut self.exp, numeric_date(value)),
            Claim::Nbf => store(&mut self.nbf, numeric_date(value)),
            Claim::Iat => store(&mut self.iat, numeric_date(value)),
            Claim::Iss => store(&mut self.iss, value.as_str()),
            Claim::Sub => store(&mut self.sub, value.as_str()),
            Claim::Jti => {
                let ok = value.kind == Kind::String;
                if ok {
                    self.jti = Some(value);
                }
                ok
            }
            Claim::Aud => {
                let ok = value.kind == Kind::String
                    || (value.kind == Kind::Array
                        && json::for_each_string(value.raw, |_| {}).is_ok());
                if ok {
                    self.aud = Some(value);
                }
                ok
            }
        };
        if !ok && self.invalid.is_none() {
            self.invalid = Some(claim);
        }
    }

    pub fn has(&self, claim: Claim) -> bool {
        self.present & claim.bit() != 0
    }

    /// The owned, typed claims, for a caller's claims check. Called after the type check, so
    /// every claim present has its type; `aud` is an array of strings when not a string.
    pub fn to_claims(&self) -> RegisteredClaims {
        let text = |v: &Option<Cow<'a, str>>| v.as_deref().map(str::to_owned);
        let aud = self.aud.map(|v| match v.as_str() {
            Some(one) => Audience::One(one.into_owned()),
            None => {
                let mut all = Vec::new();
                // ok to ignore: the type check already proved it an array of strings.
                let _ = json::for_each_string(v.raw, |a| all.push(a.into_owned()));
                Audience::Many(all)
            }
        });
        RegisteredClaims {
            iss: text(&self.iss),
            sub: text(&self.sub),
            aud,
            exp: self.exp,
            nbf: self.nbf,
            iat: self.iat,
            jti: self.jti.and_then(|v| v.as_str()).map(Cow::into_owned),
        }
    }
}

fn store<T>(slot: &mut Option<T>, v: Option<T>) -> bool {
    let ok = v.is_some();
    *slot = v;
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Option<i64> {
        numeric_date(RawValue {
            kind: Kind::Number,
            raw: s,
            escaped: false,
            integer: None,
        })
    }

    #[test]
    fn numeric_dates() {
        assert_eq!(date("1300819380"), Some(1_300_819_380));
        assert_eq!(date("1300819380.75"), Some(1_300_819_380));
        assert_eq!(date("1.3e9"), Some(1_300_000_000));
        assert_eq!(date("0"), Some(0));
        assert_eq!(date("-1"), None);
        assert_eq!(date("1e300"), None);
        assert_eq!(date("99999999999999999999999"), None);
        assert_eq!(date("253402300800"), None);
        assert_eq!(date("999999999999"), None);
        assert_eq!(date("253402300799"), Some(MAX_NUMERIC_DATE));
        assert_eq!(date("0001300819380"), Some(1_300_819_380));
        assert_eq!(date("1300819380e0"), Some(1_300_819_380));
        assert_eq!(date("12345678"), Some(12_345_678));
        assert_eq!(date("123456789012"), Some(123_456_789_012));
        assert_eq!(date("1234567"), Some(1_234_567));
        assert_eq!(date("12345:78"), None);
        assert_eq!(date("1234/678"), None);
        assert_eq!(date("170000000O"), None);
        assert_eq!(
            numeric_date(RawValue {
                kind: Kind::String,
                raw: "1300819380",
                escaped: false,
                integer: None,
            }),
            None
        );
    }

    #[test]
    fn claim_names() {
        for claim in Claim::ALL {
            assert_eq!(Claim::from_name(claim.name()), Some(claim));
        }
        for name in ["", "is", "isss", "ISS", "iss ", "role", "é"] {
            assert_eq!(Claim::from_name(name), None, "{name}");
        }
    }

    #[test]
    fn audience_serde() {
        let one: Audience = serde_json::from_str(r#""a""#).unwrap();
        assert!(one.contains("a"));
        let many: Audience = serde_json::from_str(r#"["a","b"]"#).unwrap();
        assert!(many.contains("b") && !many.contains("c"));
    }
}
