//! `tessera sign`: claims in, one compact JWS out.

use super::{backend_for, now};
use crate::cli::SignArgs;
use crate::error::{CliError, Result};
use crate::input;
use crate::keys::KeyFile;
use serde_json::{Map, Value};
use tessera::codec::MAX_NUMERIC_DATE;
use tessera::{Encoder, Header};

/// Runs `sign`.
pub fn run(args: &SignArgs) -> Result<()> {
    let file = KeyFile::load(&args.key)?;
    let key = file.pick(args.kid.as_deref())?;
    let backend = backend_for(args.backend, args.alg, tessera::Operation::Sign)?;
    let signer = backend.signer(key, args.alg).map_err(|e| file.error(e))?;
    let mut claims = read_claims(args)?;
    let now = now();
    if args.iat {
        claims.insert("iat".into(), now.into());
    }
    for (name, secs, flag) in [
        ("exp", args.exp_in, "--exp-in"),
        ("nbf", args.nbf_in, "--nbf-in"),
    ] {
        if let Some(secs) = secs {
            claims.insert(name.into(), date_in(now, secs, flag)?.into());
        }
    }
    let header = Header {
        alg: args.alg.name().to_owned(),
        typ: Some(args.typ.clone()),
        kid: args.kid.clone().or_else(|| key.kid.clone()),
        ..Header::default()
    };
    let token = Encoder::with_header(signer, header)
        .encode(&Value::Object(claims))
        .map_err(|e| CliError::usage(format!("cannot sign: {e}")))?;
    input::stdout(format!("{token}\n").as_bytes())
}

/// The claims object from `--claims` (a file, or `-` for stdin), `{}` without it.
fn read_claims(args: &SignArgs) -> Result<Map<String, Value>> {
    let Some(path) = &args.claims else {
        return Ok(Map::new());
    };
    let bytes = input::read_input(path, "claims file")?;
    let name = if path.as_os_str() == "-" {
        "claims on stdin".to_owned()
    } else {
        format!("claims file {}", path.display())
    };
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(CliError::usage(format!("{name}: not a JSON object"))),
        Err(e) => Err(CliError::usage(format!("{name}: not valid JSON: {e}"))),
    }
}

/// `now + secs` as a NumericDate, refused past year 9999 (which no verifier would accept).
fn date_in(now: i64, secs: u64, flag: &str) -> Result<i64> {
    i64::try_from(secs)
        .ok()
        .and_then(|s| now.checked_add(s))
        .filter(|t| *t <= MAX_NUMERIC_DATE)
        .ok_or_else(|| CliError::usage(format!("{flag} {secs}: the date would be after year 9999")))
}
