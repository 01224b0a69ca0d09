//! Every rejection of the foundation, through the facade with the HMAC backend, each asserting its error.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use serde::Deserialize;
use std::time::Duration;
use tessera::codec::{JsonError, Segment, b64};
use tessera::{
    Algorithm, Claim, Clock, DecodeError, Error, Jwk, KeyError, SignatureError, Signer, Validation,
    ValidationError, Verifier, tessera_hmac::HmacKey,
};

const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";
const NOW: i64 = 1_700_000_000;

fn key() -> HmacKey {
    HmacKey::new(Algorithm::HS256, SECRET).unwrap()
}

/// A token with exactly this header and payload JSON, correctly signed with HS256.
fn token(header: &str, payload: &str) -> String {
    let input = format!(
        "{}.{}",
        b64::encode(header.as_bytes()),
        b64::encode(payload.as_bytes())
    );
    let mut sig = Vec::new();
    key().sign(input.as_bytes(), &mut sig).unwrap();
    format!("{input}.{}", b64::encode(&sig))
}

fn ok_token(payload: &str) -> String {
    token(r#"{"alg":"HS256","typ":"JWT"}"#, payload)
}

fn rules() -> Validation {
    Validation::new().clock(Clock::Fixed(NOW))
}

fn check(token: &str, v: &Validation) -> Result<serde_json::Value, Error> {
    tessera::decode(token, &key(), v)
}

const FRESH: &str = r#"{"sub":"alice","exp":1700000100}"#;

#[test]
fn valid_token_verifies() {
    let claims = check(&ok_token(FRESH), &rules()).unwrap();
    assert_eq!(claims["sub"], "alice");
}

#[test]
fn oversized_token_rejected_before_decoding() {
    let junk = "!".repeat(2000);
    assert_eq!(
        check(&junk, &rules().max_token_size(1000)),
        Err(Error::Decode(DecodeError::TooLarge {
            size: 2000,
            max: 1000
        }))
    );
}

#[test]
fn wrong_segment_counts_rejected() {
    for (t, found) in [("abc", 1), ("a.b", 2), ("a.b.c.d", 4), ("....", 5)] {
        assert_eq!(
            check(t, &rules()),
            Err(Error::Decode(DecodeError::SegmentCount { found })),
            "{t}"
        );
    }
}

#[test]
fn many_dots_rejected_quickly() {
    let t = ".".repeat(200_000);
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Decode(DecodeError::SegmentCount { found: 200_001 }))
    );
}

/// Replaces one segment of a valid token.
fn with_segment(i: usize, f: impl Fn(&str) -> String) -> String {
    let t = ok_token(FRESH);
    let mut parts: Vec<String> = t.split('.').map(str::to_owned).collect();
    parts[i] = f(&parts[i]);
    parts.join(".")
}

#[test]
fn padding_rejected() {
    for (i, seg) in [Segment::Header, Segment::Payload].into_iter().enumerate() {
        let t = with_segment(i, |s| format!("{s}="));
        assert_eq!(
            check(&t, &rules()),
            Err(Error::Decode(DecodeError::Base64(seg)))
        );
    }
    // A padded signature has the wrong length for the key, which is checked first.
    let t = with_segment(2, |s| format!("{s}="));
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Signature(SignatureError::Length {
            expected: 32,
            found: 33
        }))
    );
}

#[test]
fn standard_alphabet_rejected() {
    let t = with_segment(1, |s| {
        s.replacen(|c: char| c.is_ascii_alphanumeric(), "+", 1)
    });
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Decode(DecodeError::Base64(Segment::Payload)))
    );
    let t = with_segment(2, |s| format!("/{}", &s[1..]));
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Decode(DecodeError::Base64(Segment::Signature)))
    );
}

#[test]
fn whitespace_rejected() {
    let t = with_segment(0, |s| format!("{} {}", &s[..4], &s[4..]));
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Decode(DecodeError::Base64(Segment::Header)))
    );
    let t = format!("{}\n", ok_token(FRESH));
    assert!(matches!(
        check(&t, &rules()),
        Err(Error::Signature(SignatureError::Length { .. }))
    ));
}

#[test]
fn non_canonical_trailing_bits_rejected() {
    // A 32-byte HMAC encodes to 43 characters whose last one carries 2 unused bits.
    let t = with_segment(2, |s| {
        let last = s.as_bytes()[42];
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let idx = alphabet.iter().position(|&c| c == last).unwrap();
        let flipped = alphabet[idx ^ 1] as char;
        format!("{}{flipped}", &s[..42])
    });
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Decode(DecodeError::Base64(Segment::Signature)))
    );
}

#[test]
fn duplicate_header_member_rejected() {
    let t = token(r#"{"alg":"HS256","alg":"HS256"}"#, FRESH);
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Decode(DecodeError::Json {
            segment: Segment::Header,
            error: JsonError::DuplicateMember("alg".into())
        }))
    );
}

#[test]
fn duplicate_claim_rejected() {
    let t = ok_token(r#"{"sub":"alice","exp":1700000100,"sub":"mallory"}"#);
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Decode(DecodeError::Json {
            segment: Segment::Payload,
            error: JsonError::DuplicateMember("sub".into())
        }))
    );
}

#[test]
fn deep_claims_rejected_without_overflow() {
    let deep = format!(
        r#"{{"exp":1700000100,"x":{}1{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let t = ok_token(&deep);
    assert_eq!(
        check(&t, &rules().max_token_size(usize::MAX)),
        Err(Error::Decode(DecodeError::Json {
            segment: Segment::Payload,
            error: JsonError::TooDeep { max: 32 }
        }))
    );
}

#[test]
fn alg_none_rejected_in_any_casing() {
    for alg in ["none", "None", "NONE", "nOnE"] {
        let t = token(&format!(r#"{{"alg":"{alg}"}}"#), FRESH);
        assert_eq!(
            check(&t, &rules()),
            Err(Error::Decode(DecodeError::AlgNone)),
            "{alg}"
        );
        // Without a signature, as RFC 7515 A.5 forms it.
        let unsigned = format!("{}.", t.rsplit_once('.').unwrap().0);
        assert_eq!(
            check(&unsigned, &rules()),
            Err(Error::Decode(DecodeError::AlgNone))
        );
    }
}

#[test]
fn rfc7515_a5_unsecured_rejected() {
    let a5 = "eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.";
    assert_eq!(
        check(a5, &rules()),
        Err(Error::Decode(DecodeError::AlgNone))
    );
}

#[test]
fn header_alg_must_be_the_keys() {
    let t = token(r#"{"alg":"HS512"}"#, FRESH);
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Decode(DecodeError::AlgorithmMismatch {
            expected: Algorithm::HS256,
            found: "HS512".into()
        }))
    );
    let t = token(r#"{"alg":"hs256"}"#, FRESH);
    assert!(matches!(
        check(&t, &rules()),
        Err(Error::Decode(DecodeError::AlgorithmMismatch { .. }))
    ));
}

#[test]
fn missing_alg_rejected() {
    let t = token(r#"{"typ":"JWT"}"#, FRESH);
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Decode(DecodeError::MissingAlgorithm))
    );
}

#[test]
fn crit_rules() {
    let t = token(r#"{"alg":"HS256","crit":["exp"],"exp":1}"#, FRESH);
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Decode(DecodeError::CritNotUnderstood("exp".into())))
    );
    assert!(check(&t, &rules().understand_crit("exp")).is_ok());
    let t = token(r#"{"alg":"HS256","crit":[]}"#, FRESH);
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Decode(DecodeError::CritEmpty))
    );
    let t = token(r#"{"alg":"HS256","crit":["kid"],"kid":"k"}"#, FRESH);
    assert_eq!(
        check(&t, &rules().understand_crit("kid")),
        Err(Error::Decode(DecodeError::CritRegistered("kid".into())))
    );
    let t = token(r#"{"alg":"HS256","crit":["b64"]}"#, FRESH);
    assert_eq!(
        check(&t, &rules().understand_crit("b64")),
        Err(Error::Decode(DecodeError::CritMissingMember("b64".into())))
    );
    let t = token(r#"{"alg":"HS256","crit":"exp"}"#, FRESH);
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Decode(DecodeError::HeaderMemberType("crit")))
    );
}

#[test]
fn explicit_typ() {
    let v = rules().typ("at+jwt");
    let t = token(r#"{"alg":"HS256","typ":"application/AT+JWT"}"#, FRESH);
    assert!(check(&t, &v).is_ok());
    let t = ok_token(FRESH);
    assert_eq!(
        check(&t, &v),
        Err(Error::Decode(DecodeError::TypeMismatch {
            expected: "at+jwt".into(),
            found: Some("JWT".into())
        }))
    );
    let t = token(r#"{"alg":"HS256"}"#, FRESH);
    assert_eq!(
        check(&t, &v),
        Err(Error::Decode(DecodeError::TypeMismatch {
            expected: "at+jwt".into(),
            found: None
        }))
    );
}

#[test]
fn signature_checked() {
    let t = with_segment(1, |_| b64::encode(br#"{"sub":"mallory","exp":1700000100}"#));
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Signature(SignatureError::Invalid))
    );
    let other = HmacKey::new(Algorithm::HS256, &[9u8; 32]).unwrap();
    assert_eq!(
        tessera::decode::<serde_json::Value>(&ok_token(FRESH), &other, &rules()),
        Err(Error::Signature(SignatureError::Invalid))
    );
}

#[test]
fn expiry_with_leeway() {
    let t = ok_token(r#"{"exp":1699999990}"#);
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Validation(ValidationError::Expired {
            exp: 1_699_999_990,
            now: NOW
        }))
    );
    assert!(check(&t, &rules().leeway(Duration::from_secs(11))).is_ok());
    // exp equal to now is expired (RFC 7519 §4.1.4: "on or after").
    let t = ok_token(r#"{"exp":1700000000}"#);
    assert!(matches!(
        check(&t, &rules()),
        Err(Error::Validation(ValidationError::Expired { .. }))
    ));
}

#[test]
fn not_before_with_leeway() {
    let t = ok_token(r#"{"exp":1700000100,"nbf":1700000010}"#);
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Validation(ValidationError::NotYetValid {
            nbf: 1_700_000_010,
            now: NOW
        }))
    );
    assert!(check(&t, &rules().leeway(Duration::from_secs(10))).is_ok());
}

#[test]
fn issued_in_future() {
    let t = ok_token(r#"{"exp":1700000100,"iat":1700000050}"#);
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Validation(ValidationError::IssuedInFuture {
            iat: 1_700_000_050,
            now: NOW
        }))
    );
    assert!(check(&t, &rules().allow_future_iat()).is_ok());
}

#[test]
fn exp_required_by_default() {
    let t = ok_token(r#"{"sub":"alice"}"#);
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Validation(ValidationError::MissingClaim(Claim::Exp)))
    );
    assert!(check(&t, &rules().allow_missing_exp()).is_ok());
}

#[test]
fn required_claims() {
    let t = ok_token(r#"{"exp":1700000100}"#);
    assert_eq!(
        check(&t, &rules().require(Claim::Jti)),
        Err(Error::Validation(ValidationError::MissingClaim(Claim::Jti)))
    );
}

#[test]
fn bad_claim_types_rejected() {
    for (payload, claim) in [
        (r#"{"exp":"1700000100"}"#, Claim::Exp),
        (r#"{"exp":1e300}"#, Claim::Exp),
        (r#"{"exp":-5}"#, Claim::Exp),
        (r#"{"exp":1700000100,"nbf":"0"}"#, Claim::Nbf),
        (r#"{"exp":1700000100,"nbf":1.5e999}"#, Claim::Nbf),
        (r#"{"exp":1700000100,"iat":true}"#, Claim::Iat),
        (r#"{"exp":1700000100,"iss":5}"#, Claim::Iss),
        (r#"{"exp":1700000100,"aud":["a",1]}"#, Claim::Aud),
        (r#"{"exp":1700000100,"sub":null}"#, Claim::Sub),
    ] {
        assert_eq!(
            check(&ok_token(payload), &rules()),
            Err(Error::Validation(ValidationError::InvalidClaim(claim))),
            "{payload}"
        );
    }
}

#[test]
fn issuer_audience_subject() {
    let t = ok_token(r#"{"exp":1700000100,"iss":"https://a","aud":["x","y"],"sub":"alice"}"#);
    let base = rules().issuer("https://a").audience("y").subject("alice");
    assert!(check(&t, &base).is_ok());
    assert_eq!(
        check(&t, &rules().issuer("https://b").audience("y")),
        Err(Error::Validation(ValidationError::Issuer))
    );
    assert_eq!(
        check(&t, &rules().audience("z")),
        Err(Error::Validation(ValidationError::Audience))
    );
    assert_eq!(
        check(&t, &rules().audience("y").subject("bob")),
        Err(Error::Validation(ValidationError::Subject))
    );
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Validation(ValidationError::UnexpectedAudience))
    );
    assert!(check(&t, &rules().any_audience()).is_ok());
    let no_aud = ok_token(r#"{"exp":1700000100}"#);
    assert_eq!(
        check(&no_aud, &rules().audience("y")),
        Err(Error::Validation(ValidationError::MissingClaim(Claim::Aud)))
    );
    let single = ok_token(r#"{"exp":1700000100,"aud":"y"}"#);
    assert!(check(&single, &rules().audience("x").audience("y")).is_ok());
}

#[test]
fn key_confusion_impossible_by_construction() {
    // An EC public key can never become an HMAC secret.
    let ec = Jwk::from_json(br#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#).unwrap();
    assert_eq!(
        tessera::verifier(&ec, Algorithm::HS256).err(),
        Some(KeyError::WrongKeyType {
            alg: Algorithm::HS256,
            kty: "EC"
        })
    );
}

#[test]
fn claims_borrow_from_the_payload() {
    #[derive(Deserialize)]
    struct Borrowed<'a> {
        sub: &'a str,
        exp: i64,
    }
    let t = ok_token(FRESH);
    let verified = tessera::verify(&t, &key(), &rules()).unwrap();
    let c: Borrowed<'_> = verified.claims().unwrap();
    assert_eq!((c.sub, c.exp), ("alice", 1_700_000_100));
    let payload_range = verified.payload().as_ptr_range();
    assert!(payload_range.contains(&c.sub.as_ptr()));

    let mut buf = Vec::with_capacity(256);
    let c: Borrowed<'_> = tessera::verify_into(&t, &key(), &rules(), &mut buf).unwrap();
    assert_eq!(c.sub, "alice");
}

#[test]
fn claims_type_mismatch_is_its_own_error() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct NeedsRole {
        role: String,
    }
    let r: Result<NeedsRole, _> = tessera::decode(&ok_token(FRESH), &key(), &rules());
    assert!(matches!(r, Err(Error::Claims(m)) if m.contains("missing field `role`")));
}

#[test]
fn verifier_set_picks_by_kid() {
    let mut set = tessera::VerifierSet::new();
    set.insert(Box::new(key().with_kid("a"))).unwrap();
    set.insert(Box::new(
        HmacKey::new(Algorithm::HS256, &[7u8; 32])
            .unwrap()
            .with_kid("b"),
    ))
    .unwrap();
    // A key without kid could never be picked beside these: refused.
    assert_eq!(
        set.insert(Box::new(key())).unwrap_err().to_string(),
        "every key in a set of several keys needs a kid"
    );
    assert_eq!(set.len(), 2);
    let t = token(r#"{"alg":"HS256","kid":"a"}"#, FRESH);
    assert!(set.verify(&t, &rules()).is_ok());
    let t = token(r#"{"alg":"HS256","kid":"b"}"#, FRESH);
    assert_eq!(
        set.verify(&t, &rules()).err(),
        Some(Error::Signature(SignatureError::Invalid))
    );
    let t = token(
        r#"{"alg":"HS256","kid":"../../etc/passwd' OR 1=1 --"}"#,
        FRESH,
    );
    assert_eq!(
        set.verify(&t, &rules()).err(),
        Some(Error::Decode(DecodeError::UnknownKeyId(
            "../../etc/passwd' OR 1=1 --".into()
        )))
    );
    let t = ok_token(FRESH);
    assert_eq!(
        set.verify(&t, &rules()).err(),
        Some(Error::Decode(DecodeError::MissingKeyId))
    );
}

#[test]
fn verify_jws_validates_no_claims_and_offers_none() {
    // Duplicate members and an expired `exp`: refused by `verify`, signed bytes for `verify_jws`.
    let payload = r#"{"exp":1,"sub":"a","sub":"b"}"#;
    let t = ok_token(payload);
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Decode(DecodeError::Json {
            segment: Segment::Payload,
            error: JsonError::DuplicateMember("sub".into())
        }))
    );
    let jws = tessera::verify_jws(&t, &key(), &rules()).unwrap();
    assert_eq!(jws.payload(), payload.as_bytes());
    assert_eq!(jws.algorithm(), Algorithm::HS256);
    assert_eq!(jws.header().unwrap().alg, "HS256");
    let forged = with_segment(2, |s| {
        let first = if s.starts_with('A') { "B" } else { "A" };
        format!("{first}{}", &s[1..])
    });
    assert_eq!(
        tessera::verify_jws(&forged, &key(), &rules()).err(),
        Some(Error::Signature(SignatureError::Invalid))
    );
}

#[test]
fn encoder_sets_header_from_the_signer() {
    let enc = tessera::Encoder::new(key().with_kid("k1")).typ("at+jwt");
    let t = enc
        .encode(&serde_json::json!({"exp": 1_700_000_100}))
        .unwrap();
    let verified = tessera::verify(&t, &key(), &rules().typ("at+jwt")).unwrap();
    let h = verified.header().unwrap();
    assert_eq!((h.alg.as_str(), h.kid.as_deref()), ("HS256", Some("k1")));
    assert!(matches!(
        enc.encode(&[1, 2, 3]),
        Err(tessera::EncodeError::Serialize {
            segment: Segment::Payload,
            ..
        })
    ));
}

#[test]
fn unverified_inspection_is_named_so() {
    let t = ok_token(FRESH);
    let u = tessera::unverified::decode_without_verifying(&t, 1 << 20).unwrap();
    assert_eq!(u.header.alg, "HS256");
    assert_eq!(u.claims_unverified().unwrap()["sub"], "alice");
}

#[test]
fn rfc7515_a1_verifies_with_its_published_key() {
    let key = Jwk::from_json(br#"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#).unwrap();
    let a1 = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let verifier = tessera::verifier(&key, Algorithm::HS256).unwrap();
    assert_eq!(verifier.signature_len(), 32);
    let v = Validation::new().clock(Clock::Fixed(1_300_819_370));
    let claims: serde_json::Value = tessera::decode(a1, &verifier, &v).unwrap();
    assert_eq!(claims["iss"], "joe");
    assert_eq!(claims["http://example.com/is_root"], true);
    let late = Validation::new().clock(Clock::Fixed(1_300_819_380));
    assert_eq!(
        tessera::decode::<serde_json::Value>(a1, &verifier, &late),
        Err(Error::Validation(ValidationError::Expired {
            exp: 1_300_819_380,
            now: 1_300_819_380
        }))
    );
}

#[test]
fn a_header_that_passed_is_checked_again_under_other_rules() {
    // The same header bytes pass, then meet stricter rules on the same thread: they must fail.
    let t = token(r#"{"alg":"HS256","typ":"JWT","crit":["x"],"x":1}"#, FRESH);
    assert!(check(&t, &rules().understand_crit("x")).is_ok());
    assert_eq!(
        check(&t, &rules()),
        Err(Error::Decode(DecodeError::CritNotUnderstood("x".into())))
    );
    assert!(check(&t, &rules().understand_crit("x")).is_ok());
    assert_eq!(
        check(&t, &rules().understand_crit("x").typ("at+jwt")),
        Err(Error::Decode(DecodeError::TypeMismatch {
            expected: "at+jwt".into(),
            found: Some("JWT".into())
        }))
    );
    // `crit` is an array inside the header object: depth 2.
    assert_eq!(
        check(&t, &rules().understand_crit("x").max_depth(1)),
        Err(Error::Decode(DecodeError::Json {
            segment: Segment::Header,
            error: JsonError::TooDeep { max: 1 }
        }))
    );
    // And under another key's algorithm.
    let other = HmacKey::new(Algorithm::HS384, &[1u8; 48]).unwrap();
    assert!(matches!(
        tessera::decode::<serde_json::Value>(&t, &other, &rules().understand_crit("x")),
        Err(Error::Decode(DecodeError::AlgorithmMismatch { .. }))
    ));
}
