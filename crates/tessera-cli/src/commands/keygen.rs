//! `tessera keygen`: a new key pair, or an HMAC secret, written to two files.

use super::backend_for;
use crate::cli::{KeyFormat, KeygenArgs};
use crate::error::{CliError, Result};
use crate::input::{self, write_file};
use tessera::codec::{Family, KeyMaterial};
use tessera::{Jwk, KeySpec};

/// Runs `keygen`.
pub fn run(args: &KeygenArgs) -> Result<()> {
    let alg = args.alg;
    let family = alg.family();
    let secret = family == Family::Hmac;
    check_args(args, family)?;
    let backend = backend_for(args.backend, alg, tessera::Operation::Generate)?;
    let spec = KeySpec {
        alg,
        bits: args.bits,
    };
    let mut private = backend.generate(spec).map_err(|e| {
        CliError::usage(format!(
            "cannot generate a {alg} key with {}: {e}",
            backend.name()
        ))
    })?;
    private.alg = Some(alg.name().to_owned());
    private.key_use = Some("sig".to_owned());
    let key_error = |e| CliError::usage(format!("generated {alg} key: {e}"));
    let mut public = if secret {
        private.clone()
    } else {
        backend.public_key(&private).map_err(key_error)?
    };
    let kid = match &args.kid {
        Some(kid) => kid.clone(),
        None => tessera::thumbprint(&public).map_err(key_error)?,
    };
    private.kid = Some(kid.clone());
    public.kid = Some(kid.clone());
    public.alg.clone_from(&private.alg);
    public.key_use.clone_from(&private.key_use);

    let (private_bytes, public_bytes) = match args.format {
        KeyFormat::Jwk => (jwk_text(&private), jwk_text(&public)),
        KeyFormat::Pem => (
            private
                .to_private_pem()
                .map_err(key_error)?
                .as_bytes()
                .to_vec(),
            public.to_public_pem().map_err(key_error)?.into_bytes(),
        ),
        KeyFormat::Raw => match &private.material {
            KeyMaterial::Oct(s) => (s.expose().to_vec(), s.expose().to_vec()),
            _ => return Err(CliError::usage("--format raw is only for HMAC secrets")),
        },
    };
    write_file(&args.out_private, &private_bytes, true)?;
    // An HMAC "public" file is the same secret, so it is as private.
    write_file(&args.out_public, &public_bytes, secret)?;
    input::stdout(format!("{kid}\n").as_bytes())
}

/// Refuses options that do not fit the algorithm, before any (slow) generation.
fn check_args(args: &KeygenArgs, family: Family) -> Result<()> {
    let alg = args.alg;
    match (args.format, family) {
        (KeyFormat::Pem, Family::Hmac) => {
            return Err(CliError::usage(
                "--format pem is not for HMAC secrets (no PEM form); use jwk or raw",
            ));
        }
        (KeyFormat::Raw, f) if f != Family::Hmac => {
            return Err(CliError::usage(format!(
                "--format raw is only for HMAC secrets, not {alg}; use jwk or pem"
            )));
        }
        _ => {}
    }
    if let Some(curve) = args.curve {
        let expected = match family {
            Family::Ecdsa => alg.curve().map(|c| c.name()),
            Family::EdDsa => Some("Ed25519"),
            _ => None,
        };
        match expected {
            None => {
                return Err(CliError::usage(format!(
                    "--curve does not apply to {alg}, whose keys have no curve"
                )));
            }
            Some(expected) if expected != curve => {
                return Err(CliError::usage(format!(
                    "--curve {curve} does not match {alg}, which uses {expected}"
                )));
            }
            Some(_) => {}
        }
    }
    if args.bits.is_some() && matches!(family, Family::Ecdsa | Family::EdDsa) {
        return Err(CliError::usage(format!(
            "--bits does not apply to {alg}: the curve fixes the key size"
        )));
    }
    if args.bits.is_some() && family == Family::MlDsa {
        return Err(CliError::usage(format!(
            "--bits does not apply to {alg}: the parameter set fixes the key size"
        )));
    }
    if !matches!(family, Family::Hmac) && args.out_private == args.out_public {
        return Err(CliError::usage(
            "--out-private and --out-public are the same file; the public key would overwrite the private one",
        ));
    }
    Ok(())
}

/// A JWK as pretty JSON with a final newline.
fn jwk_text(key: &Jwk) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(&key.to_value()).unwrap_or_else(|_| key.to_json());
    text.push('\n');
    text.into_bytes()
}
