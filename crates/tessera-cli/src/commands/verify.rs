//! `tessera verify`: exit 0 with the claims when the token is valid, 1 with the reason when not.

use super::backend_for;
use crate::cli::VerifyArgs;
use crate::error::{CliError, Result};
use crate::input;
use crate::keys::KeyFile;
use std::time::Duration;
use tessera::{Clock, Operation, Validation};

/// Runs `verify`.
pub fn run(args: &VerifyArgs) -> Result<()> {
    let file = KeyFile::load(&args.key)?;
    let validation = validation(args);
    let token = input::token(&args.token, validation.token_size_limit())?;
    let key = file.pick_for_token(args.kid.as_deref(), &token, args.alg, &validation)?;
    let alg = file.algorithm(key, args.alg)?;
    let backend = backend_for(args.backend, alg, Operation::Verify)?;
    let verifying_key = file.verifying_key(backend, key)?;
    let verifier = backend
        .verifier(&verifying_key, alg)
        .map_err(|e| file.error(e))?;
    let rejected = |e: tessera::Error| CliError::rejected(format!("token rejected: {e}"));
    if args.jws {
        let verified = tessera::verify_jws(&token, &verifier, &validation).map_err(rejected)?;
        return input::stdout(verified.payload());
    }
    let verified = tessera::verify(&token, &verifier, &validation).map_err(rejected)?;
    // One line of JSON for scripts; the payload as received if serde_json cannot represent it
    // (a number beyond f64, say), since the codec already checked it is a JSON object.
    let mut out = match serde_json::from_slice::<serde_json::Value>(verified.payload()) {
        Ok(claims) => claims.to_string().into_bytes(),
        Err(_) => verified.payload().to_vec(),
    };
    out.push(b'\n');
    input::stdout(&out)
}

/// The rules the command line asks for: the library's defaults (a token with `aud` is refused
/// unless --aud names an accepted audience or --any-aud waives the check).
fn validation(args: &VerifyArgs) -> Validation {
    let mut v = Validation::new();
    if args.any_aud {
        v = v.any_audience();
    }
    for aud in &args.aud {
        v = v.audience(aud);
    }
    for iss in &args.iss {
        v = v.issuer(iss);
    }
    if let Some(sub) = &args.sub {
        v = v.subject(sub);
    }
    if let Some(typ) = &args.typ {
        v = v.typ(typ);
    }
    if let Some(secs) = args.leeway {
        v = v.leeway(Duration::from_secs(secs));
    }
    if let Some(now) = args.now {
        v = v.clock(Clock::Fixed(now));
    }
    // Before --require, so that an explicit `--require exp` still wins.
    if args.no_exp {
        v = v.allow_missing_exp();
    }
    for claim in &args.require {
        v = v.require(*claim);
    }
    if let Some(max) = args.max_size {
        v = v.max_token_size(max);
    }
    v
}
