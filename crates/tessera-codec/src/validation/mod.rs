//! Claims validation rules, configured once and reused for many tokens.

mod checks;
#[cfg(test)]
mod tests;

use crate::claims::{Claim, ClaimName, RegisteredClaims};
use crate::json;
use checks::{AudiencePolicy, ClaimChecks};
use std::error::Error as StdError;
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

/// How a verified token's header and claims are checked.
///
/// The defaults follow RFC 8725: `exp` required and checked, `nbf` and `iat` checked when present,
/// no leeway, tokens carrying `aud` rejected until an audience is configured, no `typ` requirement,
/// no `crit` extension understood, tokens up to [`DEFAULT_MAX_TOKEN_SIZE`], JSON nesting up to
/// [`DEFAULT_MAX_DEPTH`]. The algorithm is not configured here: it is the verifying key's.
///
/// Checks run in this order: token size, segment count, header (JSON, `alg` against the key,
/// `crit`, `typ`), signature, payload JSON, then claims: types of registered claims, required
/// claims (registered ones, then others in the order required), `exp`, `nbf`, `iat` (not in the
/// future), the maximum age, `iss`, `sub`, `aud`, and last the caller's checks in the order added.
/// The claims rules run on every entry point that returns claims ([`verify`](crate::verify),
/// [`verify_into`](crate::verify_into), [`decode`](crate::decode),
/// [`VerifierSet::verify`](crate::VerifierSet::verify), [`verify_batch`](crate::verify_batch));
/// [`verify_jws`](crate::verify_jws) runs none of them.
///
/// Getters are named after their setter with `get_`: [`Validation::max_token_size`] sets what
/// [`Validation::get_max_token_size`] reads.
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
    pub(crate) audience: AudiencePolicy,
    pub(crate) subject: Option<String>,
    /// Required members that are not registered claims, in the order required.
    pub(crate) required_other: Vec<String>,
    /// Maximum age from `iat`, in seconds.
    pub(crate) max_age: Option<i64>,
    pub(crate) check_age: bool,
    /// The caller's checks, run last.
    pub(crate) checks: ClaimChecks,
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
            required_other: Vec::new(),
            max_age: None,
            check_age: true,
            checks: ClaimChecks::default(),
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

    /// Requires `claim` to be present: a registered [`Claim`], or any other member by name
    /// (presence only; its value is the caller's to read). Missing, the first is
    /// [`MissingClaim`](crate::ValidationError::MissingClaim), the second
    /// [`MissingOtherClaim`](crate::ValidationError::MissingOtherClaim).
    ///
    /// ```
    /// use tessera_codec::{Claim, Validation};
    /// let v = Validation::new().require(Claim::Sub).require("client_id");
    /// # let _ = v;
    /// ```
    pub fn require(mut self, claim: impl Into<ClaimName>) -> Self {
        match claim.into() {
            ClaimName::Registered(claim) => self.required |= claim.bit(),
            ClaimName::Other(name) => {
                if !self.required_other.contains(&name) {
                    self.required_other.push(name);
                }
            }
        }
        self
    }

    /// Refuses tokens issued longer than `max_age` ago (plus the leeway), by their `iat`, with
    /// [`TooOld`](crate::ValidationError::TooOld); makes `iat` required. Like jose's
    /// `maxTokenAge`: it bounds a token's life by when it was issued, whatever its `exp` says.
    ///
    /// ```
    /// use std::time::Duration;
    /// use tessera_codec::Validation;
    /// let v = Validation::new().max_age(Duration::from_secs(3600));
    /// # let _ = v;
    /// ```
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX));
        self.required |= Claim::Iat.bit();
        self
    }

    /// Adds a check of the caller's, run after every built-in claims check on the registered
    /// claims and the raw payload (the decoded JSON, already through the strict check). An error
    /// it returns refuses the token as [`ValidationError::Check`](crate::ValidationError::Check),
    /// whose `source()` is that error. Call again to add several; they run in order.
    ///
    /// The registered claims are copied out of the payload for it (a few small allocations per
    /// verify, only when a check is configured).
    ///
    /// ```
    /// use tessera_codec::Validation;
    /// let v = Validation::new().check(|claims, _payload| match claims.sub.as_deref() {
    ///     Some(sub) if sub.starts_with("user:") => Ok(()),
    ///     _ => Err("sub is not a user".into()),
    /// });
    /// # let _ = v;
    /// ```
    pub fn check<F>(mut self, check: F) -> Self
    where
        F: Fn(&RegisteredClaims, &[u8]) -> Result<(), Box<dyn StdError + Send + Sync>>
            + Send
            + Sync
            + 'static,
    {
        self.checks.push(Arc::new(check));
        self
    }

    /// The rules of an RFC 9068 JWT access token from `issuer` for `audience`: `typ` `at+jwt`
    /// (§2.1; `application/at+jwt` and any casing are the same type, RFC 7515 §4.1.9), this
    /// `iss` and `aud`, and `exp`, `sub`, `client_id`, `iat` and `jti` required (§2.2). Chain
    /// more rules as usual (a [`max_age`](Validation::max_age), more audiences, a
    /// [`check`](Validation::check) of `scope`).
    ///
    /// ```
    /// use std::time::Duration;
    /// use tessera_codec::Validation;
    /// let v = Validation::access_token("https://auth.example.com", "api")
    ///     .max_age(Duration::from_secs(3600));
    /// # let _ = v;
    /// ```
    pub fn access_token(issuer: impl Into<String>, audience: impl Into<String>) -> Self {
        Validation::new()
            .typ("at+jwt")
            .issuer(issuer)
            .audience(audience)
            .require(Claim::Sub)
            .require(Claim::Iat)
            .require(Claim::Jti)
            .require("client_id")
    }

    /// Accepts tokens without `exp`; those with one are still checked. Long-lived tokens are
    /// what RFC 8725 warns against: use with care.
    pub fn allow_missing_exp(mut self) -> Self {
        self.required &= !Claim::Exp.bit();
        self
    }

    /// Skips the `exp`, `nbf`, future-`iat` and maximum-age checks entirely (for inspecting old
    /// tokens; never for access control).
    pub fn skip_time_checks(mut self) -> Self {
        self.check_exp = false;
        self.check_nbf = false;
        self.check_iat = false;
        self.check_age = false;
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

    /// The largest token accepted, as set by [`Validation::max_token_size`].
    pub fn get_max_token_size(&self) -> usize {
        self.max_token_size
    }

    /// The deepest JSON nesting accepted, in header and claims.
    pub(crate) fn depth_limit(&self) -> usize {
        self.header.max_depth
    }
}
