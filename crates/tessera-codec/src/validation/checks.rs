//! The claims checks of [`Validation`], in the documented order, and the caller's checks.

use super::Validation;
use crate::claims::{Claim, RawRegistered, RegisteredClaims};
use crate::error::{ClaimCheckError, ValidationError};
use crate::json;
use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

/// What [`Validation`] does with `aud`.
#[derive(Clone, Debug, Default)]
pub(crate) enum AudiencePolicy {
    /// A token with `aud` is rejected: the caller never said which audience it is.
    #[default]
    Reject,
    /// `aud` is not checked.
    Any,
    /// `aud` must name one of these.
    OneOf(Vec<String>),
}

/// A caller's check, shared so that `Validation` stays `Clone` (and cheap to clone).
type CheckFn =
    dyn Fn(&RegisteredClaims, &[u8]) -> Result<(), Box<dyn StdError + Send + Sync>> + Send + Sync;

/// The caller's checks, in the order added.
#[derive(Clone, Default)]
pub(crate) struct ClaimChecks(Vec<Arc<CheckFn>>);

impl ClaimChecks {
    pub fn push(&mut self, check: Arc<CheckFn>) {
        self.0.push(check);
    }
}

impl fmt::Debug for ClaimChecks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} caller check(s)", self.0.len())
    }
}

impl Validation {
    /// Checks the claims of a verified payload, `c` being its registered claims as the strict
    /// check read them, in the order documented on [`Validation`].
    pub(crate) fn check_claims(
        &self,
        c: &RawRegistered<'_>,
        payload: &[u8],
    ) -> Result<(), ValidationError> {
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
        if !self.required_other.is_empty() {
            self.check_other_members(payload)?;
        }
        self.check_times(c)?;
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
        self.check_audience(c)?;
        if !self.checks.0.is_empty() {
            let claims = c.to_claims();
            for check in &self.checks.0 {
                check(&claims, payload)
                    .map_err(|e| ValidationError::Check(ClaimCheckError::new(e)))?;
            }
        }
        Ok(())
    }

    /// Every required member that is not a registered claim is present at the top level.
    fn check_other_members(&self, payload: &[u8]) -> Result<(), ValidationError> {
        let mut found = vec![false; self.required_other.len()];
        // The payload already passed the strict check under this depth limit, so this cannot
        // fail; if it did, the members it did not reach are reported missing, which refuses.
        let _ = json::scan_object(payload, self.depth_limit(), |name, _| {
            for (want, seen) in self.required_other.iter().zip(found.iter_mut()) {
                *seen |= want == name;
            }
        });
        match self
            .required_other
            .iter()
            .zip(&found)
            .find(|(_, seen)| !**seen)
        {
            Some((name, _)) => Err(ValidationError::MissingOtherClaim(name.clone())),
            None => Ok(()),
        }
    }

    /// `exp`, `nbf`, `iat` in the future, then the maximum age.
    fn check_times(&self, c: &RawRegistered<'_>) -> Result<(), ValidationError> {
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
        if self.check_age
            && let Some(max_age) = self.max_age
            && let Some(iat) = c.iat
            && now.saturating_sub(iat) > max_age.saturating_add(self.leeway)
        {
            return Err(ValidationError::TooOld { iat, now, max_age });
        }
        Ok(())
    }

    fn check_audience(&self, c: &RawRegistered<'_>) -> Result<(), ValidationError> {
        match (&self.audience, &c.aud) {
            (AudiencePolicy::Any, _) | (AudiencePolicy::Reject, None) => Ok(()),
            (AudiencePolicy::Reject, Some(_)) => Err(ValidationError::UnexpectedAudience),
            (AudiencePolicy::OneOf(_), None) => Err(ValidationError::MissingClaim(Claim::Aud)),
            (AudiencePolicy::OneOf(allowed), Some(aud)) => {
                let mut ok = false;
                let accept = |a: &str| allowed.iter().any(|x| x == a);
                match aud.as_str() {
                    Some(one) => ok = accept(&one),
                    None => {
                        let _ = json::for_each_string(aud.raw, |a| ok |= accept(&a));
                    }
                }
                if ok {
                    Ok(())
                } else {
                    Err(ValidationError::Audience)
                }
            }
        }
    }
}
