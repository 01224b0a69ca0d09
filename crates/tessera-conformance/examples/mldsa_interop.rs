//! The tessera side of `scripts/mldsa-interop.sh` (ML-DSA interop with Python jwcrypto):
//!
//! ```text
//! cargo run -p tessera-conformance --example mldsa_interop -- JWCRYPTO.json TESSERA.json
//! ```
//!
//! Reads the keys and tokens jwcrypto made (`JWCRYPTO.json`, written by
//! `scripts/mldsa_interop.py make`) and, on every ML-DSA backend compiled in: verifies each token
//! (claims equal to the ones signed; with one signature bit flipped, `SignatureError::Invalid`),
//! builds the verifier from the private JWK too, derives the
//! public key from the seed (equal to jwcrypto's `pub`), and compares the RFC 7638 thumbprints.
//! Then writes `TESSERA.json`: for each backend and parameter set, a token signed with
//! jwcrypto's key and one signed with a key the backend generated, for
//! `scripts/mldsa_interop.py check` to verify in jwcrypto. Prints one line per check and exits
//! with status 1 if any failed.

use serde_json::{Value, json};
use std::error::Error;
use std::process::ExitCode;
use tessera::codec::{Family, b64};
use tessera::{Algorithm, Backend, Clock, Jwk, KeySpec, SignatureError, Signer, Validation};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn member<'a>(v: &'a Value, name: &str) -> Result<&'a Value> {
    v.get(name).ok_or_else(|| format!("{name} missing").into())
}

fn text<'a>(v: &'a Value, name: &str) -> Result<&'a str> {
    member(v, name)?
        .as_str()
        .ok_or_else(|| format!("{name} is not a string").into())
}

fn jwk(v: &Value) -> Result<Jwk> {
    Ok(Jwk::from_json(v.to_string().as_bytes())?)
}

/// A token over `claims` with header `{"alg":...,"typ":"JWT"}`, signed by `signer`.
fn token(signer: &dyn Signer, alg: Algorithm, claims: &Value) -> Result<String> {
    let header = json!({"alg": alg.name(), "typ": "JWT"}).to_string();
    let input = format!(
        "{}.{}",
        b64::encode(header.as_bytes()),
        b64::encode(claims.to_string().as_bytes())
    );
    let mut sig = Vec::new();
    signer.sign(input.as_bytes(), &mut sig)?;
    Ok(format!("{input}.{}", b64::encode(&sig)))
}

/// Every check of one jwcrypto key on one backend; the token tessera signs with it.
fn check_key(
    b: &dyn Backend,
    alg: Algorithm,
    key: &Value,
    claims: &Value,
    now: i64,
) -> Result<String> {
    let private = jwk(member(key, "private")?)?;
    let public = jwk(member(key, "public")?)?;
    let validation = Validation::new()
        .clock(Clock::Fixed(now))
        .issuer("https://issuer.example")
        .audience("api");
    for k in [&public, &private] {
        let verifier = b.verifier(k, alg)?;
        let got: Value = tessera::decode(text(key, "token")?, &*verifier, &validation)?;
        if got != *claims {
            return Err(format!("claims differ: {got}").into());
        }
    }
    // The same token with one signature bit flipped: refused as an invalid signature.
    let (input, sig) = text(key, "token")?
        .rsplit_once('.')
        .ok_or("not a compact JWS")?;
    let mut sig = b64::decode(sig.as_bytes())?;
    if let Some(byte) = sig.get_mut(100) {
        *byte ^= 1;
    }
    let tampered = format!("{input}.{}", b64::encode(&sig));
    match tessera::decode::<Value>(&tampered, &*b.verifier(&public, alg)?, &validation) {
        Err(tessera::Error::Signature(SignatureError::Invalid)) => {}
        other => return Err(format!("tampered token: {other:?}").into()),
    }
    let derived = b.public_key(&private)?;
    if derived.material != public.material {
        return Err("public key derived from the seed differs from jwcrypto's pub".into());
    }
    let thumbprint = tessera::thumbprint(&public)?;
    if thumbprint != text(key, "thumbprint")? {
        return Err(format!("thumbprint {thumbprint} differs from jwcrypto's").into());
    }
    token(&*b.signer(&private, alg)?, alg, claims)
}

fn run(input: &str, output: &str) -> Result<bool> {
    let made: Value = serde_json::from_str(&std::fs::read_to_string(input)?)?;
    let claims = member(&made, "claims")?;
    let now = member(&made, "now")?
        .as_i64()
        .ok_or("now is not an integer")?;
    let keys = member(&made, "keys")?
        .as_array()
        .ok_or("keys is not an array")?;
    let backends: Vec<_> = tessera::backends()
        .into_iter()
        .filter(|b| b.algorithms().iter().any(|a| a.family() == Family::MlDsa))
        .collect();
    let mut ok = true;
    let mut out = Vec::new();
    for key in keys {
        let alg = Algorithm::from_name(text(key, "alg")?).ok_or("unknown alg")?;
        for &b in backends.iter().filter(|b| b.supports(alg)) {
            match check_key(b, alg, key, claims, now) {
                Ok(t) => {
                    println!(
                        "{:<10} {:<16} jwcrypto -> tessera  pass",
                        alg.name(),
                        b.name()
                    );
                    out.push(
                        json!({"alg": alg.name(), "backend": b.name(), "key": "jwcrypto",
                                    "public": member(key, "public")?, "token": t,
                                    "thumbprint": text(key, "thumbprint")?}),
                    );
                }
                Err(e) => {
                    ok = false;
                    println!(
                        "{:<10} {:<16} jwcrypto -> tessera  FAIL {e}",
                        alg.name(),
                        b.name()
                    );
                }
            }
            // A key of the backend's own, for jwcrypto to import.
            let own = b.generate(KeySpec::new(alg))?;
            let public = b.public_key(&own)?;
            out.push(
                json!({"alg": alg.name(), "backend": b.name(), "key": "tessera",
                            "public": serde_json::from_str::<Value>(&public.to_json())?,
                            "private": serde_json::from_str::<Value>(&own.to_json())?,
                            "token": token(&*b.signer(&own, alg)?, alg, claims)?,
                            "thumbprint": tessera::thumbprint(&public)?}),
            );
        }
    }
    std::fs::write(
        output,
        serde_json::to_string_pretty(&json!({"tokens": out}))?,
    )?;
    Ok(ok)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: mldsa_interop JWCRYPTO.json TESSERA.json");
        return ExitCode::from(2);
    };
    match run(input, output) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("mldsa_interop: {e}");
            ExitCode::FAILURE
        }
    }
}
