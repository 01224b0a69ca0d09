//! Attacks on the signature and the key: `alg: none`, key confusion, malformed ECDSA and Ed25519
//! signatures, another key's signature, a token changed after signing.

use super::{all_pass, group_order, replace_segment, sig_of, with_sig};
use crate::Verdict;
use crate::fixtures::{CLAIMS, Fixture};
use tessera::codec::{Family, b64};
use tessera::{Algorithm, DecodeError, Error, KeyError, SignatureError};

pub(super) fn alg_none(f: &Fixture) -> Option<Verdict> {
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

pub(super) fn key_confusion(f: &Fixture) -> Option<Verdict> {
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

pub(super) fn ecdsa_zero_and_order(f: &Fixture) -> Option<Verdict> {
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

pub(super) fn ecdsa_der(f: &Fixture) -> Option<Verdict> {
    let len = group_order(f.alg)?.len();
    let valid = f.valid_token();
    let sig = sig_of(&valid);
    let (r, s) = sig.split_at(len.min(sig.len()));
    Some(expect!(
        f.check(&with_sig(&valid, &der_signature(r, s))),
        Err(Error::Signature(SignatureError::Length { .. }))
    ))
}

pub(super) fn ed25519_s_not_below_l(f: &Fixture) -> Option<Verdict> {
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

pub(super) fn other_key(f: &Fixture) -> Option<Verdict> {
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

pub(super) fn modified_after_signing(f: &Fixture) -> Option<Verdict> {
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
