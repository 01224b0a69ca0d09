//! Attacks on parsing and validation: embedded keys, hostile `kid`, `crit`, duplicate members,
//! sizes, nesting, dates, dots, time and audience.

use super::{all_pass, with_sig};
use crate::Verdict;
use crate::fixtures::{CLAIMS, Fixture};
use tessera::codec::{JsonError, Segment};
use tessera::{DecodeError, Error, SignatureError, ValidationError, VerifierSet};

pub(super) fn embedded_key_headers(f: &Fixture) -> Option<Verdict> {
    let mut v = Vec::new();
    let attacker = r#"{"kty":"oct","k":"QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"}"#;
    for member in [
        format!(r#""jwk":{attacker}"#),
        r#""jku":"https://attacker.example/jwks.json""#.to_owned(),
        r#""x5u":"https://attacker.example/cert.pem""#.to_owned(),
        r#""x5c":["MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"]"#.to_owned(),
    ] {
        let header = format!(r#"{{"alg":"{}",{member}}}"#, f.alg);
        // Signed with the real key: the extra header changes nothing, the key is still ours.
        v.push(expect!(f.check(&f.token(&header, CLAIMS)), Ok(_)));
        // Signed with nothing valid: the embedded key is never used to verify.
        let forged = with_sig(
            &f.token(&header, CLAIMS),
            &vec![0x41; f.verifier.signature_len()],
        );
        v.push(expect!(
            f.check(&forged),
            Err(Error::Signature(SignatureError::Invalid))
        ));
    }
    Some(all_pass(v))
}

pub(super) fn hostile_kid(f: &Fixture) -> Option<Verdict> {
    let mut v = Vec::new();
    let long = "k".repeat(10 * 1024);
    for kid in [
        "../../../../etc/passwd",
        "' OR '1'='1'; DROP TABLE keys; --",
        "\\u0000",
        &long,
    ] {
        let header = serde_json::json!({"alg": f.alg.name(), "kid": kid}).to_string();
        let t = f.token(&header, CLAIMS);
        // One key: `kid` is opaque and irrelevant.
        v.push(expect!(f.check(&t), Ok(_)));
        // A key set: no key has that id.
        // A set of several keys needs a `kid` on each (VerifierSet refuses a kid-less one).
        let mut set = VerifierSet::new();
        for id in ["real", "other"] {
            let mut key = f.public.clone();
            key.kid = Some(id.into());
            if let Ok(ver) = f.backend.verifier(&key, f.alg) {
                v.push(expect!(set.insert(ver), Ok(())));
            }
        }
        v.push(expect!(
            set.verify(&t, &f.validation()),
            Err(Error::Decode(DecodeError::UnknownKeyId(_)))
        ));
    }
    Some(all_pass(v))
}

pub(super) fn unknown_crit(f: &Fixture) -> Option<Verdict> {
    let header = format!(
        r#"{{"alg":"{}","crit":["x-private"],"x-private":true}}"#,
        f.alg
    );
    Some(expect!(
        f.check(&f.token(&header, CLAIMS)),
        Err(Error::Decode(DecodeError::CritNotUnderstood(_)))
    ))
}

pub(super) fn duplicate_members(f: &Fixture) -> Option<Verdict> {
    let header = format!(r#"{{"alg":"{0}","alg":"{0}"}}"#, f.alg);
    let payload = CLAIMS.replace(r#""sub":"alice""#, r#""sub":"alice","sub":"admin""#);
    Some(all_pass([
        expect!(
            f.check(&f.token(&header, CLAIMS)),
            Err(Error::Decode(DecodeError::Json {
                segment: Segment::Header,
                error: JsonError::DuplicateMember(_)
            }))
        ),
        expect!(
            f.check(&f.token(&f.header(), &payload)),
            Err(Error::Decode(DecodeError::Json {
                segment: Segment::Payload,
                error: JsonError::DuplicateMember(_)
            }))
        ),
    ]))
}

pub(super) fn huge_token(f: &Fixture) -> Option<Verdict> {
    let big = "A".repeat(10 * 1024 * 1024);
    Some(expect!(
        f.check(&big),
        Err(Error::Decode(DecodeError::TooLarge {
            size: 10_485_760,
            ..
        }))
    ))
}

pub(super) fn deep_nesting(f: &Fixture) -> Option<Verdict> {
    let depth = 100_000;
    let payload = format!(
        r#"{{"exp":1700000600,"x":{}{}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let header_deep = format!(
        r#"{{"alg":"{}","x":{}{}}}"#,
        f.alg,
        "{\"a\":".repeat(depth),
        "}".repeat(depth)
    );
    // Large enough to reach the JSON check: the depth limit, not the size limit, must stop these.
    let v = f.validation().max_token_size(4 << 20);
    Some(all_pass([
        expect!(
            f.check_with(&f.token(&f.header(), &payload), &v),
            Err(Error::Decode(DecodeError::Json {
                segment: Segment::Payload,
                error: JsonError::TooDeep { .. }
            }))
        ),
        expect!(
            f.check_with(&f.token(&header_deep, CLAIMS), &v),
            Err(Error::Decode(DecodeError::Json {
                segment: Segment::Header,
                error: JsonError::TooDeep { .. }
            }))
        ),
    ]))
}

pub(super) fn bad_numeric_dates(f: &Fixture) -> Option<Verdict> {
    let cases = [
        (r#""exp":"1700000600""#, "exp"),
        (r#""exp":1e400"#, "exp"),
        (r#""exp":1.7e308"#, "exp"),
        (r#""exp":-1"#, "exp"),
        (r#""exp":18446744073709551616"#, "exp"),
        (r#""exp":1700000600,"nbf":"0""#, "nbf"),
        (r#""exp":1700000600,"nbf":-9.3e18"#, "nbf"),
        (r#""exp":1700000600,"iat":[1]"#, "iat"),
    ];
    Some(all_pass(cases.iter().map(|(members, claim)| {
        let payload = format!(r#"{{"iss":"https://issuer.example","aud":"api",{members}}}"#);
        expect!(
            f.check(&f.token(&f.header(), &payload)),
            Err(Error::Validation(ValidationError::InvalidClaim(c))) if c.name() == *claim
        )
    })))
}

pub(super) fn many_dots(f: &Fixture) -> Option<Verdict> {
    let dots = ".".repeat(100_000);
    let valid = f.valid_token();
    Some(all_pass([
        expect!(
            f.check(&dots),
            Err(Error::Decode(DecodeError::SegmentCount { found: 100_001 }))
        ),
        expect!(
            f.check(&format!("{valid}{dots}")),
            Err(Error::Decode(DecodeError::SegmentCount { .. }))
        ),
    ]))
}

pub(super) fn time_and_audience(f: &Fixture) -> Option<Verdict> {
    let with = |extra: &str| {
        f.token(
            &f.header(),
            &format!(r#"{{"iss":"https://issuer.example","aud":"api",{extra}}}"#),
        )
    };
    Some(all_pass([
        expect!(
            f.check(&with(r#""exp":1699999999"#)),
            Err(Error::Validation(ValidationError::Expired { .. }))
        ),
        expect!(
            f.check(&with(r#""exp":1700000600,"nbf":1700000300"#)),
            Err(Error::Validation(ValidationError::NotYetValid { .. }))
        ),
        expect!(
            f.check(&f.token(
                &f.header(),
                r#"{"iss":"https://issuer.example","aud":"other","exp":1700000600}"#
            )),
            Err(Error::Validation(ValidationError::Audience))
        ),
        expect!(
            f.check(&f.token(
                &f.header(),
                r#"{"iss":"https://evil.example","aud":"api","exp":1700000600}"#
            )),
            Err(Error::Validation(ValidationError::Issuer))
        ),
    ]))
}

pub(super) fn valid_token_accepted(f: &Fixture) -> Option<Verdict> {
    Some(expect!(f.check(&f.valid_token()), Ok(_)))
}
