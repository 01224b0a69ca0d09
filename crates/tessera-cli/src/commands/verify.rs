//! `tessera verify`: exit 0 with the claims when the token is valid, 1 with the reason when not.

use super::backend_for;
use crate::cli::VerifyArgs;
use crate::error::{CliError, Result};
use crate::input;
use crate::keys::KeyFile;
use std::time::Duration;
use tessera::{BackendId, Clock, Operation, Validation};
use tessera_jwks::{JwksConfig, KeyChoice, RemoteJwks, VerifyError};

/// Runs `verify`.
pub fn run(args: &VerifyArgs) -> Result<()> {
    let mut validation = validation(args);
    if let Some(issuer) = &args.issuer {
        validation = validation.issuer(issuer);
    }
    let token = input::token(&args.token, validation.get_max_token_size())?;
    let Some(key_path) = &args.key else {
        return remote(args, &token, &validation);
    };
    let file = KeyFile::load(key_path)?;
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
    print_claims(verified.payload())
}

/// Verifies against the keys at --jwks-url or found by --issuer discovery, fetched once.
fn remote(args: &VerifyArgs, token: &str, validation: &Validation) -> Result<()> {
    let mut choice = KeyChoice::new();
    if let Some(alg) = args.alg {
        choice = choice.allow(alg);
    }
    if let Some(backend) = args.backend {
        let id = BackendId::from_name(backend.name())
            .ok_or_else(|| CliError::usage(format!("unknown backend {}", backend.name())))?;
        choice = choice.backend(id);
    }
    let config = JwksConfig::new().allow_http(args.allow_http).keys(choice);
    let jwks = match (&args.jwks_url, &args.issuer) {
        (Some(url), _) => RemoteJwks::new(url, config),
        (None, Some(issuer)) => RemoteJwks::discover(issuer, config),
        (None, None) => return Err(CliError::usage("--key, --jwks-url or --issuer is required")),
    }
    .map_err(|e| CliError::usage(format!("keys: {e}")))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::usage(format!("cannot start the HTTP client: {e}")))?;
    let verified = runtime.block_on(jwks.verify(token, validation));
    match verified {
        Ok(v) => print_claims(v.payload()),
        Err(VerifyError::Token(e)) => Err(CliError::rejected(format!("token rejected: {e}"))),
        Err(e) => Err(CliError::usage(e)),
    }
}

/// One line of JSON for scripts; the payload as received if serde_json cannot represent it
/// (a number beyond f64, say), since the codec already checked it is a JSON object.
fn print_claims(payload: &[u8]) -> Result<()> {
    let mut out = match serde_json::from_slice::<serde_json::Value>(payload) {
        Ok(claims) => claims.to_string().into_bytes(),
        Err(_) => payload.to_vec(),
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
