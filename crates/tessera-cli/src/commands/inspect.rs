//! `tessera inspect`: a token's header and claims, decoded but NOT verified.

use crate::cli::InspectArgs;
use crate::error::{CliError, Result};
use crate::input::{self, MAX_FILE};
use serde::Serialize;
use serde_json::{Map, Value};
use tessera::codec::{MAX_NUMERIC_DATE, b64};
use tessera::unverified;

/// Printed on stderr before any content, so that nobody mistakes the output for a verified token.
const BANNER: &str = "warning: signature NOT verified; do not trust these contents";

/// What `inspect` prints.
#[derive(Serialize)]
struct Report {
    header: Value,
    /// The payload when it is a JSON object.
    #[serde(skip_serializing_if = "Option::is_none")]
    claims: Option<Value>,
    /// Otherwise the payload, base64url-encoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    payload: Option<String>,
    /// `exp`, `nbf` and `iat` as RFC 3339 UTC dates.
    #[serde(skip_serializing_if = "Map::is_empty")]
    dates: Map<String, Value>,
}

/// Runs `inspect`.
pub fn run(args: &InspectArgs) -> Result<()> {
    let limit = usize::try_from(MAX_FILE).unwrap_or(usize::MAX);
    let token = input::token(&args.token, limit)?;
    let decoded = unverified::decode_without_verifying(&token, limit)
        .map_err(|e| CliError::rejected(format!("cannot decode token: {e}")))?;
    let header = serde_json::from_str(&decoded.header.to_json()).unwrap_or(Value::Null);
    let claims = decoded.claims_unverified().ok();
    let mut dates = Map::new();
    if let Some(Value::Object(c)) = &claims {
        for name in ["exp", "nbf", "iat"] {
            if let Some(date) = c.get(name).and_then(numeric_date).and_then(rfc3339) {
                dates.insert(name.into(), date.into());
            }
        }
    }
    let report = Report {
        header,
        payload: claims.is_none().then(|| b64::encode(&decoded.payload)),
        claims,
        dates,
    };
    let mut out = serde_json::to_string_pretty(&report)
        .map_err(|e| CliError::usage(format!("cannot format the token: {e}")))?;
    out.push('\n');
    eprintln!("{BANNER}");
    input::stdout(out.as_bytes())
}

/// A NumericDate's whole seconds (RFC 7519 §2 allows fractions; they are dropped).
fn numeric_date(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| {
        v.as_f64()
            .filter(|f| f.is_finite() && f.abs() < 1e17)
            .map(|f| f.floor() as i64)
    })
}

/// Seconds of 0000-01-01T00:00:00Z relative to the epoch: the earliest date RFC 3339 can write.
const YEAR_ZERO: i64 = -62_167_219_200;

/// `secs` since the epoch as an RFC 3339 UTC date (`2011-03-22T18:43:00Z`); `None` outside years 0-9999.
fn rfc3339(secs: i64) -> Option<String> {
    if !(YEAR_ZERO..=MAX_NUMERIC_DATE).contains(&secs) {
        return None;
    }
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    ))
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`,
/// the inverse of `days_from_civil`): eras of 400 years, years starting on March 1 so that the
/// leap day is the last day of the year.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468; // days since 0000-03-01
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // day of era, [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // year of era, [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of (March-based) year, [0, 365]
    let mp = (5 * doy + 2) / 153; // month from March, [0, 11]
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        for (secs, date) in [
            (0, "1970-01-01T00:00:00Z"),
            (-1, "1969-12-31T23:59:59Z"),
            (1_300_819_380, "2011-03-22T18:43:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (951_868_800, "2000-03-01T00:00:00Z"),
            (4_107_542_400, "2100-03-01T00:00:00Z"),
            (MAX_NUMERIC_DATE, "9999-12-31T23:59:59Z"),
            (YEAR_ZERO, "0000-01-01T00:00:00Z"),
        ] {
            assert_eq!(rfc3339(secs).as_deref(), Some(date), "{secs}");
        }
        assert_eq!(rfc3339(MAX_NUMERIC_DATE + 1), None);
        assert_eq!(rfc3339(YEAR_ZERO - 1), None);
        assert_eq!(numeric_date(&serde_json::json!(1.9)), Some(1));
        assert_eq!(numeric_date(&serde_json::json!("1")), None);
    }
}
