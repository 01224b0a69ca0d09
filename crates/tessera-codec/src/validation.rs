//! Claims validation rules, configured once and reused for many tokens.

use crate::claims::{Claim, RawRegistered};
use crate::error::ValidationError;
use crate::json;
use std::fmt;
use std::sync::{Arc, LazyLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Default maximum token size: 256 KiB. Checked before any decoding.
pub const DEFAULT_MAX_TOKEN_SIZE: usize = 256 * 1024;
/// Default maximum JSON nesting depth of header and claims.
pub const DEFAULT_MAX_DEPTH: usize = 32;

/// Where validation reads the current time from, in seconds since the Unix epoch.
#[derive(Clone, Default)]
pub enum Clock {
    /// The system clock.
    #[default]
    System,
    /// A fixed instant, for tests and for re-validating at a known time.
    Fixed(i64),
    /// Any other source.
    Custom(Arc<dyn Fn() -> i64 + Send + Sync>),
}

impl Clock {
    /// The current time in seconds since the epoch.
    pub fn now(&self) -> i64 {
        match self {
            Clock::System => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
            Clock::Fixed(t) => *t,
            Clock::Custom(f) => f(),
        }
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Clock::System => f.write_str("System"),
            Clock::Fixed(t) => write!(f, "Fixed({t})"),
            Clock::Custom(_) => f.write_str("Custom"),
        }
    }
}

#[derive(Clone, Debug, Default)]
enum AudiencePolicy {
    /// A token with `aud` is rejected: the caller never said which audience it is.
    #[default]
    Reject,
    /// `aud` is not checked.
    Any,
    /// `aud` must name one of these.
    OneOf(Vec<String>),
}

/// How a verified token's header and claims are checked.
///
/// The defaults follow RFC 8725: `exp` required and checked, `nbf` and `iat` checked when present,
/// no leeway, tokens carrying `aud` rejected until an audience is configured, no `typ` requirement,
/// no `crit` extension understood, tokens up to [`DEFAULT_MAX_TOKEN_SIZE`], JSON nesting up to
/// [`DEFAULT_MAX_DEPTH`]. The algorithm is not configured here: it is the verifying key's.
///
/// Checks run in this order: token size, segment count, header (JSON, `alg` against the key,
/// `crit`, `typ`), signature, payload JSON, then claims: types of registered claims, required
/// claims, `exp`, `nbf`, `iat`, `iss`, `sub`, `aud`.
///
/// ```
/// use std::time::Duration;
/// use tessera_codec::{Claim, Validation};
/// let v = Validation::new()
///     .issuer("https://issuer.example")
///     .audience("api")
///     .leeway(Duration::from_secs(30))
///     .require(Claim::Sub)
///     .typ("at+jwt");
/// ```
#[derive(Clone, Debug)]
pub struct Validation {
    pub(crate) leeway: i64,
    pub(crate) required: u8,
    pub(crate) check_exp: bool,
    pub(crate) check_nbf: bool,
    pub(crate) check_iat: bool,
    pub(crate) issuers: Option<Vec<String>>,
    audience: AudiencePolicy,
    pub(crate) subject: Option<String>,
    /// Shared, so that the per-thread header cache keeps a copy without allocating.
    pub(crate) header: Arc<HeaderRules>,
    pub(crate) max_token_size: usize,
    pub(crate) clock: Clock,
}

/// Every rule the header check reads besides the key's algorithm. The check takes only this, the
/// header bytes and the algorithm (`compact::HeaderInput`), so a new header rule added here is
/// part of the header cache's key by construction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct HeaderRules {
    /// The required `typ`, if any.
    pub typ: Option<String>,
    /// The `crit` extensions the caller understands.
    pub crit: Vec<String>,
    /// Deepest JSON nesting accepted; it bounds the payload too.
    pub max_depth: usize,
}

/// The default header rules, shared by every `Validation` that keeps them (`Arc::make_mut`
/// copies them on the first change), so that making a `Validation` allocates nothing.
static DEFAULT_HEADER_RULES: LazyLock<Arc<HeaderRules>> = LazyLock::new(|| {
    Arc::new(HeaderRules {
        typ: None,
        crit: Vec::new(),
        max_depth: DEFAULT_MAX_DEPTH,
    })
});

impl Default for Validation {
    fn default() -> Self {
        Validation::new()
    }
}

impl Validation {
    /// The defaults described above.
    pub fn new() -> Self {
        Validation {
            leeway: 0,
            required: Claim::Exp.bit(),
            check_exp: true,
            check_nbf: true,
            check_iat: true,
            issuers: None,
            audience: AudiencePolicy::Reject,
            subject: None,
            header: Arc::clone(&DEFAULT_HEADER_RULES),
            max_token_size: DEFAULT_MAX_TOKEN_SIZE,
            clock: Clock::System,
        }
    }

    /// Tolerance for clock skew on `exp`, `nbf` and `iat` (whole seconds; at most a day is meaningful).
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = i64::try_from(leeway.as_secs())
            .unwrap_or(i64::MAX)
            .min(86_400 * 365);
        self
    }

    /// Requires `claim` to be present.
    pub fn require(mut self, claim: Claim) -> Self {
        self.required |= claim.bit();
        self
    }

    /// Accepts tokens without `exp`; those with one are still checked. Long-lived tokens are
    /// what RFC 8725 warns against: use with care.
    pub fn allow_missing_exp(mut self) -> Self {
        self.required &= !Claim::Exp.bit();
        self
    }

    /// Skips the `exp` and `nbf` checks entirely (for inspecting old tokens; never for access control).
    pub fn skip_time_checks(mut self) -> Self {
        self.check_exp = false;
        self.check_nbf = false;
        self.check_iat = false;
        self.required &= !Claim::Exp.bit();
        self
    }

    /// Accepts an `iat` later than now (by default refused beyond the leeway).
    pub fn allow_future_iat(mut self) -> Self {
        self.check_iat = false;
        self
    }

    /// Accepts tokens from this issuer; call again to accept several. Makes `iss` required.
    pub fn issuer(mut self, iss: impl Into<String>) -> Self {
        self.issuers.get_or_insert_with(Vec::new).push(iss.into());
        self.required |= Claim::Iss.bit();
        self
    }

    /// Accepts tokens for this audience; call again to accept several. Makes `aud` required.
    pub fn audience(mut self, aud: impl Into<String>) -> Self {
        match &mut self.audience {
            AudiencePolicy::OneOf(v) => v.push(aud.into()),
            p => *p = AudiencePolicy::OneOf(vec![aud.into()]),
        }
        self.required |= Claim::Aud.bit();
        self
    }

    /// Accepts any `aud` (or none) without checking it. Only for services that check it themselves.
    pub fn any_audience(mut self) -> Self {
        self.audience = AudiencePolicy::Any;
        self.required &= !Claim::Aud.bit();
        self
    }

    /// Requires `sub` to equal `sub`.
    pub fn subject(mut self, sub: impl Into<String>) -> Self {
        self.subject = Some(sub.into());
        self.required |= Claim::Sub.bit();
        self
    }

    /// Requires the header's `typ` to be this media type (RFC 8725 §3.11), compared as
    /// RFC 7515 §4.1.9 asks: case-insensitively, `application/` optional.
    pub fn typ(mut self, typ: impl Into<String>) -> Self {
        Arc::make_mut(&mut self.header).typ = Some(typ.into());
        self
    }

    /// Declares a `crit` header extension understood by the caller (RFC 7515 §4.1.11).
    pub fn understand_crit(mut self, name: impl Into<String>) -> Self {
        Arc::make_mut(&mut self.header).crit.push(name.into());
        self
    }

    /// Largest token accepted, in bytes; longer ones are refused before any decoding.
    pub fn max_token_size(mut self, bytes: usize) -> Self {
        self.max_token_size = bytes;
        self
    }

    /// Deepest JSON nesting accepted in header and claims (capped at 256).
    pub fn max_depth(mut self, depth: usize) -> Self {
        Arc::make_mut(&mut self.header).max_depth = depth.clamp(1, json::MAX_DEPTH_CAP);
        self
    }

    /// Where the current time comes from.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The largest token accepted.
    pub fn token_size_limit(&self) -> usize {
        self.max_token_size
    }

    /// The deepest JSON nesting accepted, in header and claims.
    pub(crate) fn depth_limit(&self) -> usize {
        self.header.max_depth
    }

    /// Checks the registered claims read from a verified payload.
    pub(crate) fn check_claims(&self, c: &RawRegistered<'_>) -> Result<(), ValidationError> {
        if let Some(claim) = c.invalid {
            return Err(ValidationError::InvalidClaim(claim));
        }
        if self.required & !c.present != 0 {
            for claim in Claim::ALL {
                if self.required & claim.bit() != 0 && !c.has(claim) {
                    return Err(ValidationError::MissingClaim(claim));
                }
            }
        }
        let now = self.clock.now();
        if self.check_exp
            && let Some(exp) = c.exp
            && now >= exp.saturating_add(self.leeway)
        {
            return Err(ValidationError::Expired { exp, now });
        }
        if self.check_nbf
            && let Some(nbf) = c.nbf
            && now < nbf.saturating_sub(self.leeway)
        {
            return Err(ValidationError::NotYetValid { nbf, now });
        }
        if self.check_iat
            && let Some(iat) = c.iat
            && iat.saturating_sub(self.leeway) > now
        {
            return Err(ValidationError::IssuedInFuture { iat, now });
        }
        if let Some(issuers) = &self.issuers {
            match &c.iss {
                Some(iss) if issuers.iter().any(|i| i == iss) => {}
                _ => return Err(ValidationError::Issuer),
            }
        }
        if let Some(sub) = &self.subject
            && c.sub.as_deref() != Some(sub.as_str())
        {
            return Err(ValidationError::Subject);
        }
        match (&self.audience, &c.aud) {
            (AudiencePolicy::Any, _) | (AudiencePolicy::Reject, None) => {}
            (AudiencePolicy::Reject, Some(_)) => return Err(ValidationError::UnexpectedAudience),
            (AudiencePolicy::OneOf(_), None) => {
                return Err(ValidationError::MissingClaim(Claim::Aud));
            }
            (AudiencePolicy::OneOf(allowed), Some(aud)) => {
                let mut ok = false;
                let accept = |a: &str| allowed.iter().any(|x| x == a);
                match aud.as_str() {
                    Some(one) => ok = accept(&one),
                    None => {
                        let _ = json::for_each_string(aud.raw, |a| ok |= accept(&a));
                    }
                }
                if !ok {
                    return Err(ValidationError::Audience);
                }
            }
        }
        Ok(())
    }
}
