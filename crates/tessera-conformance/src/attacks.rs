//! The attack suite: each case a known way to break a JWT library (RFC 8725, published CVEs),
//! run on every backend and algorithm it applies to, expecting one exact error.

use crate::Verdict;
use crate::fixtures::{CLAIMS, Fixture};
use tessera::codec::{Family, JsonError, Segment, b64};
use tessera::{
    Algorithm, DecodeError, Error, KeyError, SignatureError, ValidationError, VerifierSet,
};

/// One attack case.
#[derive(Clone, Copy, Debug)]
pub struct Attack {
    /// Short name, also the name of its test.
    pub name: &'static str,
    /// What it tries.
    pub description: &'static str,
    /// Runs it against a fixture; `None` when it does not apply to the fixture's algorithm.
    pub run: fn(&Fixture) -> Option<Verdict>,
}

/// The result of one attack on one backend and algorithm.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The attack's name.
    pub attack: &'static str,
    /// The backend's name.
    pub backend: &'static str,
    /// The algorithm.
    pub alg: Algorithm,
    /// What happened.
    pub verdict: Verdict,
}

/// Passes when `result` matches `pattern`, else fails with what came back.
macro_rules! expect {
    ($result:expr, $pattern:pat $(if $guard:expr)?) => {{
        let r = $result;
        #[allow(clippy::redundant_pattern_matching, reason = "one macro for every expected outcome")]
        let ok = matches!(r, $pattern $(if $guard)?);
        if ok {
            Verdict::Pass
        } else {
            Verdict::Fail(format!("expected {}, got {:?}", stringify!($pattern), r))
        }
    }};
}

mod ml_dsa;
use ml_dsa::{ml_dsa_malformed_signature, ml_dsa_parameter_set_swap};

fn all_pass(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
    verdicts
        .into_iter()
        .find(|v| !v.passed())
        .unwrap_or(Verdict::Pass)
}

/// Replaces segment `i` of a compact token.
fn replace_segment(token: &str, i: usize, with: &str) -> String {
    let mut parts: Vec<&str> = token.split('.').collect();
    if let Some(p) = parts.get_mut(i) {
        *p = with;
    }
    parts.join(".")
}

fn sig_of(token: &str) -> Vec<u8> {
    token
        .rsplit('.')
        .next()
        .and_then(|s| b64::decode(s.as_bytes()).ok())
        .unwrap_or_default()
}

fn with_sig(token: &str, sig: &[u8]) -> String {
    replace_segment(token, 2, &b64::encode(sig))
}

/// Group order of an ECDSA algorithm's curve, big-endian, padded to the field size.
fn group_order(alg: Algorithm) -> Option<Vec<u8>> {
    alg.curve().map(|c| c.order().to_vec())
}

fn alg_none(f: &Fixture) -> Option<Verdict> {
    let valid = f.valid_token();
    let mut v = Vec::new();
    for alg in ["none", "None", "NONE", "nOnE"] {
        let forged = f.token(&format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#), CLAIMS);
        v.push(expect!(
            f.check(&forged),
            Err(Error::Decode(DecodeError::AlgNone))
        ));
        // Unsigned, as RFC 7515 Appendix A.5 forms it.
        let unsigned = format!(
            "{}.{}.",
            b64::encode(format!(r#"{{"alg":"{alg}"}}"#).as_bytes()),
            valid.split('.').nth(1).unwrap_or_default()
        );
        v.push(expect!(
            f.check(&unsigned),
            Err(Error::Decode(DecodeError::AlgNone))
        ));
        // With the valid token's signature kept.
        let kept = replace_segment(
            &valid,
            0,
            &b64::encode(format!(r#"{{"alg":"{alg}"}}"#).as_bytes()),
        );
        v.push(expect!(
            f.check(&kept),
            Err(Error::Decode(DecodeError::AlgNone))
        ));
    }
    Some(all_pass(v))
}

fn key_confusion(f: &Fixture) -> Option<Verdict> {
    if f.alg.family() == Family::Hmac {
        return None;
    }
    let mut v = Vec::new();
    let pem = f.public.to_public_pem().unwrap_or_default();
    let der = f.public.to_spki_der().unwrap_or_default();
    for secret in [pem.as_bytes(), &der[..]] {
        // The attacker signs HS256 with the public key's bytes as the secret...
        let input = format!(
            "{}.{}",
            b64::encode(br#"{"alg":"HS256","typ":"JWT"}"#),
            b64::encode(CLAIMS.as_bytes())
        );
        let mac = tessera::tessera_hmac::HmacKey::new(Algorithm::HS256, secret);
        let Ok(mac) = mac else {
            return Some(Verdict::Fail(
                "could not build the attacker's HMAC key".into(),
            ));
        };
        let mut sig = Vec::new();
        let _ = tessera::Signer::sign(&mac, input.as_bytes(), &mut sig);
        let forged = format!("{input}.{}", b64::encode(&sig));
        // ...and the verifier, holding the public key, refuses the algorithm outright.
        v.push(expect!(
            f.check(&forged),
            Err(Error::Decode(DecodeError::AlgorithmMismatch { expected, .. })) if expected == f.alg
        ));
    }
    // Nor can the public key be made into an HMAC verifier.
    v.push(expect!(
        f.backend.verifier(&f.public, Algorithm::HS256),
        Err(KeyError::WrongKeyType { .. } | KeyError::Unsupported { .. })
    ));
    Some(all_pass(v))
}

fn ecdsa_zero_and_order(f: &Fixture) -> Option<Verdict> {
    let n = group_order(f.alg)?;
    let len = n.len();
    let valid = f.valid_token();
    let sig = sig_of(&valid);
    let (r, s) = sig.split_at(len.min(sig.len()));
    let cases = [
        [vec![0u8; len], vec![0u8; len]].concat(),
        [n.clone(), s.to_vec()].concat(),
        [r.to_vec(), n.clone()].concat(),
        [n.clone(), n.clone()].concat(),
        [vec![0u8; len], s.to_vec()].concat(),
        [r.to_vec(), vec![0u8; len]].concat(),
    ];
    Some(all_pass(cases.iter().map(|c| {
        expect!(
            f.check(&with_sig(&valid, c)),
            Err(Error::Signature(SignatureError::Invalid))
        )
    })))
}

/// DER-encodes an ECDSA (r, s) pair, as OpenSSL and Java produce by default.
fn der_signature(r: &[u8], s: &[u8]) -> Vec<u8> {
    fn int(x: &[u8]) -> Vec<u8> {
        let x = &x[x.iter().position(|&b| b != 0).unwrap_or(x.len())..];
        let mut body = Vec::new();
        if x.first().is_none_or(|&b| b >= 0x80) {
            body.push(0);
        }
        body.extend_from_slice(x);
        [vec![0x02, body.len() as u8], body].concat()
    }
    let body = [int(r), int(s)].concat();
    let mut out = vec![0x30];
    if body.len() >= 0x80 {
        out.push(0x81);
    }
    out.push(body.len() as u8);
    out.extend(body);
    out
}

fn ecdsa_der(f: &Fixture) -> Option<Verdict> {
    let len = group_order(f.alg)?.len();
    let valid = f.valid_token();
    let sig = sig_of(&valid);
    let (r, s) = sig.split_at(len.min(sig.len()));
    Some(expect!(
        f.check(&with_sig(&valid, &der_signature(r, s))),
        Err(Error::Signature(SignatureError::Length { .. }))
    ))
}

fn ed25519_s_not_below_l(f: &Fixture) -> Option<Verdict> {
    if f.alg != Algorithm::EdDSA {
        return None;
    }
    // L = 2^252 + 27742317777372353535851937790883648493, little-endian.
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let valid = f.valid_token();
    let mut sig = sig_of(&valid);
    if sig.len() != 64 {
        return Some(Verdict::Fail("Ed25519 signature is not 64 bytes".into()));
    }
    // S + L: the same scalar modulo L, but not canonical.
    let mut carry = 0u16;
    for (i, l) in L.iter().enumerate() {
        let sum = u16::from(sig[32 + i]) + u16::from(*l) + carry;
        sig[32 + i] = sum as u8;
        carry = sum >> 8;
    }
    Some(expect!(
        f.check(&with_sig(&valid, &sig)),
        Err(Error::Signature(SignatureError::Invalid))
    ))
}

fn other_key(f: &Fixture) -> Option<Verdict> {
    // A key of the same kind: HMAC with other bytes, or the fixture key of another algorithm's family member.
    let other = match f.alg.family() {
        Family::Hmac => tessera::Jwk::oct(vec![0x5a; f.alg.hash().output_len()]),
        _ => f
            .backend
            .generate(tessera::KeySpec::new(f.alg))
            .ok()
            .or_else(|| {
                // ring cannot generate RSA keys: use another fixed key of the same family.
                crate::fixtures::rsa_key(3072).ok()
            })?,
    };
    let Ok(signer) = f.backend.signer(&other, f.alg) else {
        return Some(Verdict::Fail(
            "could not build a signer for the other key".into(),
        ));
    };
    let input = format!(
        "{}.{}",
        b64::encode(f.header().as_bytes()),
        b64::encode(CLAIMS.as_bytes())
    );
    let mut sig = Vec::new();
    let _ = signer.sign(input.as_bytes(), &mut sig);
    let forged = format!("{input}.{}", b64::encode(&sig));
    if f.alg.fixed_signature_len().is_none() && sig.len() != f.verifier.signature_len() {
        return Some(expect!(
            f.check(&forged),
            Err(Error::Signature(SignatureError::Length { .. }))
        ));
    }
    Some(expect!(
        f.check(&forged),
        Err(Error::Signature(SignatureError::Invalid))
    ))
}

fn modified_after_signing(f: &Fixture) -> Option<Verdict> {
    let valid = f.valid_token();
    let payload = CLAIMS.replace("alice", "admin");
    let header = f.header().replace("JWT", "JWS");
    let cases = [
        replace_segment(&valid, 1, &b64::encode(payload.as_bytes())),
        replace_segment(&valid, 0, &b64::encode(header.as_bytes())),
    ];
    Some(all_pass(cases.iter().map(|t| {
        expect!(f.check(t), Err(Error::Signature(SignatureError::Invalid)))
    })))
}

fn embedded_key_headers(f: &Fixture) -> Option<Verdict> {
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

fn hostile_kid(f: &Fixture) -> Option<Verdict> {
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

fn unknown_crit(f: &Fixture) -> Option<Verdict> {
    let header = format!(
        r#"{{"alg":"{}","crit":["x-private"],"x-private":true}}"#,
        f.alg
    );
    Some(expect!(
        f.check(&f.token(&header, CLAIMS)),
        Err(Error::Decode(DecodeError::CritNotUnderstood(_)))
    ))
}

fn duplicate_members(f: &Fixture) -> Option<Verdict> {
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

fn huge_token(f: &Fixture) -> Option<Verdict> {
    let big = "A".repeat(10 * 1024 * 1024);
    Some(expect!(
        f.check(&big),
        Err(Error::Decode(DecodeError::TooLarge {
            size: 10_485_760,
            ..
        }))
    ))
}

fn deep_nesting(f: &Fixture) -> Option<Verdict> {
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

fn bad_numeric_dates(f: &Fixture) -> Option<Verdict> {
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

fn many_dots(f: &Fixture) -> Option<Verdict> {
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

fn time_and_audience(f: &Fixture) -> Option<Verdict> {
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

fn valid_token_accepted(f: &Fixture) -> Option<Verdict> {
    Some(expect!(f.check(&f.valid_token()), Ok(_)))
}

/// Every attack case, in a fixed order.
pub const ATTACKS: &[Attack] = &[
    Attack {
        name: "valid_token_accepted",
        description: "control: the untampered token verifies",
        run: valid_token_accepted,
    },
    Attack {
        name: "alg_none",
        description: "alg none in any casing, with and without a signature",
        run: alg_none,
    },
    Attack {
        name: "key_confusion",
        description: "HS256 signed with the public key's PEM or DER bytes as the secret",
        run: key_confusion,
    },
    Attack {
        name: "ecdsa_zero_or_order",
        description: "ECDSA r or s equal to 0 or to the group order (CVE-2022-21449)",
        run: ecdsa_zero_and_order,
    },
    Attack {
        name: "ecdsa_der_signature",
        description: "ECDSA signature in DER instead of R || S",
        run: ecdsa_der,
    },
    Attack {
        name: "ed25519_s_not_below_l",
        description: "Ed25519 signature with S + L (non-canonical S)",
        run: ed25519_s_not_below_l,
    },
    Attack {
        name: "ml_dsa_parameter_set_swap",
        description: "ML-DSA token or key used under another parameter set (44, 65, 87)",
        run: ml_dsa_parameter_set_swap,
    },
    Attack {
        name: "ml_dsa_malformed_signature",
        description: "ML-DSA signature with a malformed hint, z out of range, zeroed, or off by one byte",
        run: ml_dsa_malformed_signature,
    },
    Attack {
        name: "other_key",
        description: "a signature made by another key",
        run: other_key,
    },
    Attack {
        name: "modified_after_signing",
        description: "payload or header changed after signing",
        run: modified_after_signing,
    },
    Attack {
        name: "embedded_key_headers",
        description: "jwk, jku, x5u, x5c headers are never used to pick a key",
        run: embedded_key_headers,
    },
    Attack {
        name: "hostile_kid",
        description: "kid holding a path, SQL or 10 KB is opaque",
        run: hostile_kid,
    },
    Attack {
        name: "unknown_crit",
        description: "crit naming an extension not understood",
        run: unknown_crit,
    },
    Attack {
        name: "duplicate_members",
        description: "duplicate JSON members in header and claims",
        run: duplicate_members,
    },
    Attack {
        name: "huge_token",
        description: "a 10 MB token is refused before decoding",
        run: huge_token,
    },
    Attack {
        name: "deep_nesting",
        description: "JSON nested 100,000 levels deep",
        run: deep_nesting,
    },
    Attack {
        name: "bad_numeric_dates",
        description: "exp/nbf/iat as strings, floats out of range (CVE-2026-25537 class)",
        run: bad_numeric_dates,
    },
    Attack {
        name: "many_dots",
        description: "a token made of many dots (CVE-2025-30204 class)",
        run: many_dots,
    },
    Attack {
        name: "time_and_audience",
        description: "exp past, nbf future, aud and iss mismatch",
        run: time_and_audience,
    },
];

/// Finds an attack by name.
pub fn attack(name: &str) -> Option<&'static Attack> {
    ATTACKS.iter().find(|a| a.name == name)
}

/// Runs `attack` on every fixture; fixtures that cannot be built fail the attack.
pub fn run(attack: &Attack, fixtures: &[Fixture]) -> Vec<Outcome> {
    fixtures
        .iter()
        .filter_map(|f| {
            (attack.run)(f).map(|verdict| Outcome {
                attack: attack.name,
                backend: f.backend.name(),
                alg: f.alg,
                verdict,
            })
        })
        .collect()
}
