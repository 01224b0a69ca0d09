//! End-to-end tests of the `tessera` binary: every subcommand, every exit code, and the bad
//! inputs scripts may throw at it. The per-algorithm round trip iterates the compiled-in
//! backends, so a backend added to the facade is covered without touching this file.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};
use std::fs;
use std::path::Path;
use tempfile::TempDir;
use tessera::codec::Family;
use tessera::{Algorithm, Backend, Jwk};

/// RFC 7515 Appendix A.1: the HS256 key and token (exp 1300819380).
const A1_KEY: &str = r#"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#;
const A1_TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

fn tessera() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tessera"))
}

/// Runs `args`, expects exit 0, returns stdout.
fn ok(args: &[&str]) -> String {
    let out = tessera().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "tessera {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `cmd`, expects exit `code` and ONE line on stderr containing `needle`, nothing on stdout.
fn fails_with(cmd: &mut Command, code: i32, needle: &str) -> String {
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(code), "stderr: {stderr}");
    assert!(stderr.contains(needle), "{needle:?} not in {stderr:?}");
    assert!(stderr.starts_with("tessera: "), "{stderr:?}");
    assert_eq!(stderr.lines().count(), 1, "not one line: {stderr:?}");
    assert!(stderr.ends_with('\n'));
    assert!(out.stdout.is_empty(), "stdout: {:?}", out.stdout);
    stderr
}

fn fails(args: &[&str], code: i32, needle: &str) -> String {
    fails_with(tessera().args(args), code, needle)
}

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path_str(&path)
}

fn path_str(p: &Path) -> String {
    p.to_str().unwrap().to_owned()
}

fn read_json(path: &str) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

/// Generates a key pair with `keygen`, returning (private, public) paths.
fn keygen(dir: &Path, name: &str, extra: &[&str]) -> (String, String) {
    let private = path_str(&dir.join(format!("{name}.key")));
    let public = path_str(&dir.join(format!("{name}.pub")));
    let mut args = vec!["keygen", "--out-private", &private, "--out-public", &public];
    args.extend_from_slice(extra);
    let kid = ok(&args);
    assert!(kid.ends_with('\n') && kid.trim().len() > 4, "kid {kid:?}");
    (private, public)
}

/// Signs `{"sub":"tester"}` valid for ten minutes.
fn sign(key: &str, alg: Algorithm, extra: &[&str]) -> String {
    let mut args = vec!["sign", "--key", key, "--alg", alg.name(), "--exp-in", "600"];
    args.extend_from_slice(extra);
    let dir = TempDir::new().unwrap();
    let claims = write(dir.path(), "claims.json", r#"{"sub":"tester"}"#);
    args.extend_from_slice(&["--claims", &claims]);
    let token = ok(&args);
    assert!(token.ends_with('\n'));
    assert_eq!(token.trim().split('.').count(), 3);
    token.trim().to_owned()
}

/// Verifies and checks the claims came back.
fn verifies(key: &str, token: &str, extra: &[&str]) {
    let mut args = vec!["verify", "--key", key];
    args.extend_from_slice(extra);
    args.push(token);
    let claims: Value = serde_json::from_str(&ok(&args)).unwrap();
    assert_eq!(claims["sub"], "tester", "{args:?}");
}

fn backends_for(alg: Algorithm) -> Vec<&'static dyn Backend> {
    tessera::backends()
        .into_iter()
        .filter(|b| b.supports(alg))
        .collect()
}

/// A copy of a JWK file without its `alg` member, so one RSA key serves every RSA algorithm.
fn without_alg(dir: &Path, path: &str, name: &str) -> String {
    let mut jwk = read_json(path);
    jwk.as_object_mut().unwrap().remove("alg");
    write(dir, name, jwk.to_string())
}

/// `keygen` with `backend`, or `None` when that backend cannot generate this kind of key (ring
/// generates no RSA keys): another backend's key is then used with it.
fn try_keygen(
    dir: &Path,
    name: &str,
    alg: Algorithm,
    backend: &dyn Backend,
) -> Option<(String, String)> {
    let private = path_str(&dir.join(format!("{name}.key")));
    let public = path_str(&dir.join(format!("{name}.pub")));
    let mut args = vec!["keygen", "--out-private", &private, "--out-public", &public];
    args.extend_from_slice(&["--alg", alg.name(), "--backend", backend.name()]);
    if matches!(alg.family(), Family::RsaPkcs1 | Family::RsaPss) {
        args.extend_from_slice(&["--bits", "2048"]);
    }
    let out = tessera().args(&args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    if out.status.code() == Some(2) && stderr.contains("cannot generate") {
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        return None;
    }
    assert!(out.status.success(), "tessera {args:?} failed: {stderr}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&private).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{private}");
    }
    Some((private, public))
}

/// keygen -> sign -> verify for every algorithm of every backend: keys generated by each
/// backend that can, tokens signed by each backend, verified by each backend (with the public
/// and with the private key); then the same key as JWK Set (by --kid and by the token's kid)
/// and, for asymmetric keys, as PEM private and public. RSA: one keygen per backend, the key
/// reused for every RS*/PS* algorithm with its alg member removed.
#[test]
fn every_algorithm_round_trips_in_every_key_format() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let other = write(
        d,
        "other.jwk",
        Jwk::oct(vec![9u8; 64]).with_kid("other").to_json(),
    );
    let mut rsa_keys: Vec<(&str, Option<(String, String)>)> = Vec::new();
    let mut covered = 0;
    for alg in Algorithm::ALL {
        let supporting = backends_for(alg);
        let family = alg.family();
        let rsa = matches!(family, Family::RsaPkcs1 | Family::RsaPss);
        let mut keys = Vec::new();
        for backend in &supporting {
            let tag = format!("{}-{}", backend.name(), alg.name());
            let key = if rsa {
                if !rsa_keys.iter().any(|(name, _)| *name == backend.name()) {
                    let key = try_keygen(d, &tag, alg, *backend);
                    rsa_keys.push((backend.name(), key));
                }
                rsa_keys
                    .iter()
                    .find(|(name, _)| *name == backend.name())
                    .and_then(|(_, key)| key.as_ref())
                    .map(|(private, public)| {
                        (
                            without_alg(d, private, &format!("{tag}-noalg.key")),
                            without_alg(d, public, &format!("{tag}-noalg.pub")),
                        )
                    })
            } else {
                try_keygen(d, &tag, alg, *backend)
            };
            keys.extend(key);
        }
        if supporting.is_empty() {
            continue;
        }
        assert!(!keys.is_empty(), "no backend could generate a {alg} key");
        // RSA keys stripped of alg need --alg to verify; the others carry or imply it.
        let alg_arg = ["--alg", alg.name()];
        let need_alg: &[&str] = if rsa { &alg_arg } else { &[] };
        for (private, public) in &keys {
            for signer in &supporting {
                let token = sign(private, alg, &["--backend", signer.name()]);
                for verifier in &supporting {
                    let mut extra = need_alg.to_vec();
                    extra.extend_from_slice(&["--backend", verifier.name()]);
                    verifies(public, &token, &extra);
                    verifies(private, &token, &extra);
                }
            }
        }

        let (private, public) = &keys[0];
        let token = sign(private, alg, &[]);
        verifies(public, &token, need_alg);
        // JWK Set: the token's kid picks the key; --kid picks it explicitly.
        let kid = read_json(public)["kid"].as_str().unwrap().to_owned();
        let set = json!({"keys": [read_json(&other), read_json(public)]});
        let set = write(d, &format!("{alg}.jwks"), set.to_string());
        verifies(&set, &token, need_alg);
        let mut by_kid = need_alg.to_vec();
        by_kid.extend_from_slice(&["--kid", &kid]);
        verifies(&set, &token, &by_kid);
        let private_set = json!({"keys": [read_json(private), read_json(&other)]});
        let private_set = write(d, &format!("{alg}-private.jwks"), private_set.to_string());
        let from_set = sign(&private_set, alg, &["--kid", &kid]);
        verifies(public, &from_set, need_alg);

        if family != Family::Hmac {
            // PEM written by the library from the generated key; PEM carries no alg.
            let jwk = Jwk::from_json(&fs::read(private).unwrap()).unwrap();
            let public_jwk = Jwk::from_json(&fs::read(public).unwrap()).unwrap();
            let private_pem = write(
                d,
                &format!("{alg}.pem"),
                jwk.to_private_pem().unwrap().as_bytes(),
            );
            let public_pem = write(
                d,
                &format!("{alg}.pub.pem"),
                public_jwk.to_public_pem().unwrap(),
            );
            let pem_token = sign(&private_pem, alg, &[]);
            verifies(&public_pem, &pem_token, &alg_arg);
            verifies(&private_pem, &pem_token, &alg_arg);
            verifies(&public_pem, &token, &alg_arg);
            if !rsa {
                // EC and Ed25519 keys imply their algorithm, even from PEM.
                verifies(&public_pem, &token, &[]);
                // keygen's own PEM output (cheap for curves).
                let (private, public) = keygen(
                    d,
                    &format!("{alg}-pem"),
                    &["--alg", alg.name(), "--format", "pem"],
                );
                assert!(
                    fs::read_to_string(&private)
                        .unwrap()
                        .contains("PRIVATE KEY")
                );
                assert!(fs::read_to_string(&public).unwrap().contains("PUBLIC KEY"));
                let token = sign(&private, alg, &[]);
                verifies(&public, &token, &[]);
                verifies(&private, &token, &[]);
            }
            // A public key cannot sign; a key of the wrong type cannot verify.
            fails(
                &["sign", "--key", public, "--alg", alg.name()],
                2,
                "private key",
            );
            fails(
                &["verify", "--key", &other, "--alg", alg.name(), &token],
                2,
                "key cannot be used with",
            );
        }
        covered += 1;
    }
    assert!(covered >= 3, "only {covered} algorithms covered");
}

#[test]
fn rfc7515_a1_token() {
    let dir = TempDir::new().unwrap();
    let key = write(dir.path(), "a1.jwk", A1_KEY);
    let out = ok(&[
        "verify",
        "--key",
        &key,
        "--alg",
        "HS256",
        "--now",
        "1300819370",
        A1_TOKEN,
    ]);
    let claims: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        claims,
        json!({"iss": "joe", "exp": 1300819380, "http://example.com/is_root": true})
    );
    assert_eq!(out.lines().count(), 1);
    fails(
        &[
            "verify",
            "--key",
            &key,
            "--alg",
            "HS256",
            "--now",
            "1300819381",
            A1_TOKEN,
        ],
        1,
        "token rejected: token expired at 1300819380 (now 1300819381)",
    );
    // Leeway and --iss, --require.
    ok(&[
        "verify",
        "--key",
        &key,
        "--alg",
        "HS256",
        "--now",
        "1300819381",
        "--leeway",
        "5",
        "--iss",
        "joe",
        A1_TOKEN,
    ]);
    fails(
        &[
            "verify",
            "--key",
            &key,
            "--alg",
            "HS256",
            "--now",
            "1300819370",
            "--iss",
            "ann",
            A1_TOKEN,
        ],
        1,
        "issuer not accepted",
    );
    fails(
        &[
            "verify",
            "--key",
            &key,
            "--alg",
            "HS256",
            "--now",
            "1300819370",
            "--require",
            "sub",
            A1_TOKEN,
        ],
        1,
        "missing required claim sub",
    );
    // The oct key names no algorithm: --alg is needed, the token's header is not asked.
    fails(&["verify", "--key", &key, A1_TOKEN], 2, "pass --alg");
    // Stdin, with the trailing newline a shell adds.
    tessera()
        .args([
            "verify",
            "--key",
            &key,
            "--alg",
            "HS256",
            "--now",
            "1300819370",
            "-",
        ])
        .write_stdin(format!("{A1_TOKEN}\n"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains(r#""iss":"joe""#));
}

#[test]
fn alg_none_and_other_algorithms_are_rejected() {
    let dir = TempDir::new().unwrap();
    let key = write(dir.path(), "a1.jwk", A1_KEY);
    let (_, payload, _) = split3(A1_TOKEN);
    for alg in ["none", "None", "NONE"] {
        let header = tessera::codec::b64::encode(format!(r#"{{"alg":"{alg}"}}"#).as_bytes());
        let token = format!("{header}.{payload}.");
        fails(
            &[
                "verify",
                "--key",
                &key,
                "--alg",
                "HS256",
                "--now",
                "1300819370",
                &token,
            ],
            1,
            "alg none",
        );
    }
    fails(
        &["verify", "--key", &key, "--alg", "none", A1_TOKEN],
        2,
        "alg none is never accepted",
    );
    fails(
        &["sign", "--key", &key, "--alg", "none"],
        2,
        "unknown algorithm",
    );

    // Signed with HS384, verified as HS256: the header's alg does not pick the algorithm.
    let hs384 = sign(&key, Algorithm::HS384, &[]);
    fails(
        &["verify", "--key", &key, "--alg", "HS256", &hs384],
        1,
        r#"token algorithm "HS384" is not the key's algorithm HS256"#,
    );
    // A key whose alg member says HS256 refuses the HS384 token without --alg too.
    let bound = write(
        dir.path(),
        "bound.jwk",
        Jwk::from_json(A1_KEY.as_bytes())
            .unwrap()
            .with_alg(Algorithm::HS256)
            .to_json(),
    );
    fails(
        &["verify", "--key", &bound, &hs384],
        1,
        "is not the key's algorithm",
    );
    // And --alg contradicting the key's alg member is a key error.
    fails(
        &["verify", "--key", &bound, "--alg", "HS384", &hs384],
        2,
        r#"key is for "HS256", not HS384"#,
    );
    // A tampered signature.
    let (h, p, s) = split3(&hs384);
    let flipped = if s.starts_with('A') { "B" } else { "A" };
    let tampered = format!("{h}.{p}.{flipped}{}", &s[1..]);
    fails(
        &["verify", "--key", &key, "--alg", "HS384", &tampered],
        1,
        "invalid signature",
    );
}

fn split3(token: &str) -> (&str, &str, &str) {
    let mut it = token.split('.');
    (it.next().unwrap(), it.next().unwrap(), it.next().unwrap())
}

#[test]
fn hmac_keygen_formats_and_files() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let (private, public) = keygen(d, "hs", &["--alg", "HS256"]);
    let jwk = read_json(&private);
    assert_eq!(fs::read(&private).unwrap(), fs::read(&public).unwrap());
    assert_eq!(
        (
            jwk["kty"].as_str(),
            jwk["alg"].as_str(),
            jwk["use"].as_str()
        ),
        (Some("oct"), Some("HS256"), Some("sig"))
    );
    let parsed = Jwk::from_json(&fs::read(&private).unwrap()).unwrap();
    assert_eq!(
        jwk["kid"].as_str().unwrap(),
        tessera::thumbprint(&parsed).unwrap()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in [&private, &public] {
            let mode = fs::metadata(f).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{f}");
        }
        // An existing world-readable file is narrowed too.
        let existing = write(d, "existing", "x");
        fs::set_permissions(&existing, fs::Permissions::from_mode(0o644)).unwrap();
        let other_pub = path_str(&d.join("existing.pub"));
        ok(&[
            "keygen",
            "--alg",
            "HS384",
            "--out-private",
            &existing,
            "--out-public",
            &other_pub,
        ]);
        assert_eq!(
            fs::metadata(&existing).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // Token kid defaults to the key's kid; --kid and --typ override.
    let token = sign(&private, Algorithm::HS256, &[]);
    let header = inspect_json(&token)["header"].clone();
    assert_eq!(
        header,
        json!({"alg": "HS256", "typ": "JWT", "kid": jwk["kid"]})
    );
    let token = sign(
        &private,
        Algorithm::HS256,
        &["--kid", "mine", "--typ", "at+jwt"],
    );
    let header = inspect_json(&token)["header"].clone();
    assert_eq!(
        header,
        json!({"alg": "HS256", "typ": "at+jwt", "kid": "mine"})
    );
    verifies(&private, &token, &["--typ", "application/at+jwt"]);
    fails(
        &["verify", "--key", &private, "--typ", "JWT", &token],
        1,
        "token type",
    );

    // --kid and --bits.
    let (private, _) = keygen(
        d,
        "hs512",
        &["--alg", "HS512", "--bits", "1024", "--kid", "k-512"],
    );
    let jwk = Jwk::from_json(&fs::read(&private).unwrap()).unwrap();
    assert_eq!(jwk.kid.as_deref(), Some("k-512"));
    assert!(matches!(&jwk.material, tessera::codec::KeyMaterial::Oct(s) if s.len() == 128));

    // Raw: the bare secret in both files.
    let (raw, raw_pub) = keygen(d, "raw", &["--alg", "HS384", "--format", "raw"]);
    assert_eq!(fs::read(&raw).unwrap().len(), 48);
    assert_eq!(fs::read(&raw).unwrap(), fs::read(&raw_pub).unwrap());

    let out = path_str(&d.join("x"));
    let keygen_fails = |extra: &[&str], needle: &str| {
        let mut args = vec!["keygen", "--out-private", &out, "--out-public", &out];
        args.extend_from_slice(extra);
        fails(&args, 2, needle);
    };
    keygen_fails(
        &["--alg", "HS256", "--format", "pem"],
        "--format pem is not for HMAC",
    );
    keygen_fails(&["--alg", "HS256", "--bits", "128"], "too weak");
    keygen_fails(
        &["--alg", "HS256", "--bits", "260"],
        "whole number of bytes",
    );
    keygen_fails(
        &["--alg", "HS256", "--curve", "P-256"],
        "--curve does not apply",
    );
    keygen_fails(
        &["--alg", "ES256", "--curve", "P-384"],
        "--curve P-384 does not match ES256, which uses P-256",
    );
    keygen_fails(&["--alg", "ES256", "--curve", "P-999"], "unknown curve");
    keygen_fails(
        &["--alg", "EdDSA", "--bits", "256"],
        "--bits does not apply",
    );
    keygen_fails(
        &["--alg", "ML-DSA-65", "--bits", "256"],
        "the parameter set fixes the key size",
    );
    keygen_fails(
        &["--alg", "ML-DSA-44", "--curve", "P-256"],
        "--curve does not apply",
    );
    keygen_fails(
        &["--alg", "ES384", "--format", "raw"],
        "--format raw is only for HMAC",
    );
    keygen_fails(&["--alg", "RS256"], "same file");
    keygen_fails(&["--alg", "HS256", "--backend", "nope"], "unknown backend");
    assert!(!d.join("x").exists());
    // An output path that cannot be written.
    fails(
        &[
            "keygen",
            "--alg",
            "HS256",
            "--out-private",
            &path_str(d),
            "--out-public",
            &out,
        ],
        2,
        "cannot write",
    );
}

fn inspect_json(token: &str) -> Value {
    let out = tessera().args(["inspect", token]).output().unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn sign_claims_and_times() {
    let dir = TempDir::new().unwrap();
    let key = write(dir.path(), "a1.jwk", A1_KEY);
    // Claims from stdin; --iat, --exp-in, --nbf-in replace what the claims say.
    let out = tessera()
        .args([
            "sign", "--key", &key, "--alg", "HS256", "--claims", "-", "--iat", "--exp-in", "60",
            "--nbf-in", "0",
        ])
        .write_stdin(r#"{"sub":"s","exp":1,"n":[1,2]}"#)
        .output()
        .unwrap();
    assert!(out.status.success());
    let token = String::from_utf8(out.stdout).unwrap();
    let claims = inspect_json(token.trim())["claims"].clone();
    let iat = claims["iat"].as_i64().unwrap();
    assert_eq!(claims["exp"].as_i64(), Some(iat + 60));
    assert_eq!(claims["nbf"].as_i64(), Some(iat));
    assert_eq!(claims["n"], json!([1, 2]));
    let out = ok(&[
        "verify",
        "--key",
        &key,
        "--alg",
        "HS256",
        "--require",
        "iat",
        "--require",
        "nbf",
        token.trim(),
    ]);
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), claims);

    // Default claims {}: exp is required unless --no-exp.
    let bare = ok(&["sign", "--key", &key, "--alg", "HS256"]);
    assert_eq!(inspect_json(bare.trim())["claims"], json!({}));
    fails(
        &["verify", "--key", &key, "--alg", "HS256", bare.trim()],
        1,
        "missing required claim exp",
    );
    assert_eq!(
        ok(&[
            "verify",
            "--key",
            &key,
            "--alg",
            "HS256",
            "--no-exp",
            bare.trim()
        ]),
        "{}\n"
    );
    // nbf in the future.
    let later = ok(&[
        "sign", "--key", &key, "--alg", "HS256", "--nbf-in", "3600", "--exp-in", "7200",
    ]);
    fails(
        &["verify", "--key", &key, "--alg", "HS256", later.trim()],
        1,
        "not valid before",
    );

    // aud: refused without --aud (RFC 7519 §4.1.3), waived by --any-aud, checked with --aud.
    let claims = write(
        dir.path(),
        "aud.json",
        r#"{"aud":["api","web"],"sub":"tester"}"#,
    );
    let token = ok(&[
        "sign", "--key", &key, "--alg", "HS256", "--claims", &claims, "--exp-in", "60",
    ]);
    fails(
        &["verify", "--key", &key, "--alg", "HS256", token.trim()],
        1,
        "audience",
    );
    verifies(&key, token.trim(), &["--alg", "HS256", "--any-aud"]);
    verifies(
        &key,
        token.trim(),
        &["--alg", "HS256", "--aud", "web", "--sub", "tester"],
    );
    fails(
        &[
            "verify",
            "--key",
            &key,
            "--alg",
            "HS256",
            "--aud",
            "web",
            "--any-aud",
            token.trim(),
        ],
        2,
        "cannot be used with",
    );
    fails(
        &[
            "verify",
            "--key",
            &key,
            "--alg",
            "HS256",
            "--aud",
            "db",
            token.trim(),
        ],
        1,
        "audience not accepted",
    );
    fails(
        &[
            "verify",
            "--key",
            &key,
            "--alg",
            "HS256",
            "--any-aud",
            "--sub",
            "x",
            token.trim(),
        ],
        1,
        "subject not accepted",
    );
    fails(
        &[
            "verify",
            "--key",
            &key,
            "--alg",
            "HS256",
            "--max-size",
            "20",
            token.trim(),
        ],
        1,
        "more than the maximum of 20",
    );

    for (text, needle) in [
        ("[1,2]", "not a JSON object"),
        ("{\"a\":", "not valid JSON"),
        ("\u{0}\u{1}binary", "not valid JSON"),
    ] {
        let f = write(dir.path(), "bad-claims.json", text);
        fails(
            &["sign", "--key", &key, "--alg", "HS256", "--claims", &f],
            2,
            &format!("claims file {f}: {needle}"),
        );
    }
    fails(
        &[
            "sign",
            "--key",
            &key,
            "--alg",
            "HS256",
            "--exp-in",
            "99999999999999",
        ],
        2,
        "after year 9999",
    );
}

#[test]
fn jws_with_a_non_json_payload() {
    let dir = TempDir::new().unwrap();
    let key = write(dir.path(), "a1.jwk", A1_KEY);
    let jwk = Jwk::from_json(A1_KEY.as_bytes()).unwrap();
    let payload = b"not JSON \x00\xff bytes";
    let token = tessera::Encoder::new(tessera::signer(&jwk, Algorithm::HS256).unwrap())
        .sign_payload(payload)
        .unwrap();
    let out = tessera()
        .args(["verify", "--key", &key, "--alg", "HS256", "--jws", &token])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout, payload);
    // As a JWT, the payload is refused.
    fails(
        &["verify", "--key", &key, "--alg", "HS256", &token],
        1,
        "payload JSON",
    );
    // Claims options make no sense with --jws.
    fails(
        &[
            "verify", "--key", &key, "--alg", "HS256", "--jws", "--aud", "a", &token,
        ],
        2,
        "cannot be used with",
    );
    // inspect shows the payload base64url-encoded.
    let shown = inspect_json(&token);
    assert_eq!(shown["payload"], tessera::codec::b64::encode(payload));
    assert!(shown.get("claims").is_none());
}

#[test]
fn inspect_shows_header_claims_dates_and_a_warning() {
    tessera()
        .args(["inspect", A1_TOKEN])
        .assert()
        .code(0)
        .stderr("warning: signature NOT verified; do not trust these contents\n");
    let shown = inspect_json(A1_TOKEN);
    assert_eq!(shown["header"], json!({"alg": "HS256", "typ": "JWT"}));
    assert_eq!(shown["claims"]["iss"], "joe");
    assert_eq!(shown["dates"], json!({"exp": "2011-03-22T18:43:00Z"}));
    // From stdin.
    tessera()
        .args(["inspect", "-"])
        .write_stdin(format!("{A1_TOKEN}\r\n"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains(r#""exp": "2011-03-22T18:43:00Z""#));
    // Undecodable: exit 1, one line, no banner.
    for junk in ["junk", "a.b.c", "eyJhbGciOiJIUzI1NiJ9..!!"] {
        fails(&["inspect", junk], 1, "cannot decode token");
    }
    fails_with(
        tessera()
            .args(["inspect", "-"])
            .write_stdin(vec![0xffu8, 0xfe, 0x00]),
        1,
        "not UTF-8",
    );
}

#[test]
fn backends_lists_every_backend() {
    let table = ok(&["backends"]);
    let header = table.lines().next().unwrap();
    for b in tessera::backends() {
        assert!(header.contains(b.name()), "{header}");
        assert!(table.contains(&format!("{}: {}", b.name(), b.library().name)));
    }
    for alg in Algorithm::ALL {
        let row = table
            .lines()
            .find(|l| l.split_whitespace().next() == Some(alg.name()))
            .unwrap();
        let cells: Vec<&str> = row.split_whitespace().skip(1).collect();
        let expected: Vec<&str> = tessera::backends()
            .iter()
            .map(|b| if b.supports(alg) { "yes" } else { "-" })
            .collect();
        assert_eq!(cells, expected, "{row}");
    }
    let json: Value = serde_json::from_str(&ok(&["backends", "--format", "json"])).unwrap();
    let list = json.as_array().unwrap();
    assert_eq!(list.len(), tessera::backends().len());
    for (entry, b) in list.iter().zip(tessera::backends()) {
        assert_eq!(entry["backend"], b.name());
        assert_eq!(entry["library"], b.library().name);
        assert_eq!(entry["version"], b.library().version);
        let algs: Vec<&str> = b.algorithms().iter().map(|a| a.name()).collect();
        assert_eq!(entry["algorithms"], json!(algs));
    }
}

#[test]
fn help_version_and_completions() {
    for sub in [
        "keygen",
        "sign",
        "verify",
        "inspect",
        "backends",
        "completions",
    ] {
        tessera()
            .args([sub, "--help"])
            .assert()
            .code(0)
            .stdout(predicate::str::contains("Usage: tessera"));
    }
    tessera()
        .args(["verify", "--help"])
        .assert()
        .stdout(predicate::str::contains(
            "a token that carries aud is refused",
        ))
        .stdout(predicate::str::contains("--no-exp"));
    tessera().arg("--version").assert().code(0);
    tessera()
        .args(["completions", "bash"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("tessera"));
    fails(&[], 2, "a subcommand is needed");
    fails(&["frobnicate"], 2, "unrecognized subcommand");
    fails(&["verify", "--key", "k"], 2, "<TOKEN>");
    fails(
        &["sign", "--key", "k", "--alg", "HS256", "--bogus"],
        2,
        "--bogus",
    );
    fails(&["completions", "tcsh"], 2, "tcsh");
}

/// Bad key files: each a one-line error naming the file, exit 2, for sign and verify alike.
#[test]
fn bad_key_files() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let big = d.join("big");
    fs::File::create(&big)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    let pem_junk = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    let cases: Vec<(String, &str)> = vec![
        (
            write(d, "junk", &junk),
            "binary data, not a JWK, JWK Set or PEM key",
        ),
        (
            path_str(&big),
            "larger than the 1 MiB limit (104857600 bytes)",
        ),
        (path_str(d), "is a directory"),
        (write(d, "empty", ""), "is empty"),
        (path_str(&d.join("missing")), "no such file or directory"),
        (write(d, "text", "hello"), "not a JWK, JWK Set or PEM key"),
        (write(d, "json", r#"{"a":1}"#), "neither kty"),
        (write(d, "badjson", r#"{"kty":"oct","#), "not valid JSON"),
        (
            write(d, "nok", r#"{"kty":"oct"}"#),
            "JWK member k is missing",
        ),
        (write(d, "weak", r#"{"kty":"oct","k":"AQID"}"#), "too weak"),
        (
            write(d, "lattice", r#"{"kty":"lattice"}"#),
            "unsupported key: kty lattice",
        ),
        (write(d, "emptyset", r#"{"keys":[]}"#), "holds no key"),
        (write(d, "pem", pem_junk), "invalid key"),
        (
            write(
                d,
                "cert",
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            ),
            "PEM label",
        ),
        (
            write(d, "halfpem", "-----BEGIN PRIVATE KEY-----\nAAAA\n"),
            "no END line",
        ),
    ];
    for (path, needle) in &cases {
        let msg = fails(&["sign", "--key", path, "--alg", "HS256"], 2, needle);
        assert!(msg.contains(&format!("key file {path}")), "{msg}");
        fails(
            &["verify", "--key", path, "--alg", "HS256", A1_TOKEN],
            2,
            needle,
        );
    }
    // The same caps for claims files.
    for (path, needle) in &cases[1..5] {
        let key = write(d, "a1.jwk", A1_KEY);
        fails(
            &["sign", "--key", &key, "--alg", "HS256", "--claims", path],
            2,
            &format!("claims file {path}: {needle}"),
        );
    }
    // Unknown algorithm and backend.
    let key = write(d, "a1.jwk", A1_KEY);
    let msg = fails(
        &["sign", "--key", &key, "--alg", "HS257"],
        2,
        "unknown algorithm \"HS257\" for --alg <ALG>",
    );
    assert!(msg.contains("HS256, HS384"), "{msg}");
    let msg = fails(
        &["verify", "--key", &key, "--backend", "nope", A1_TOKEN],
        2,
        "unknown backend \"nope\"",
    );
    assert!(msg.contains("tessera-hmac"), "{msg}");
    fails(
        &["verify", "--key", &key, "--alg", "ES256", A1_TOKEN],
        2,
        "",
    );
    fails(
        &[
            "verify",
            "--key",
            &key,
            "--alg",
            "HS256",
            "--require",
            "foo",
            A1_TOKEN,
        ],
        2,
        "unknown registered claim",
    );
}

#[test]
fn jwk_set_selection() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let a = Jwk::oct(vec![1u8; 32]).with_kid("a");
    // A kid starting with '-' (as a base64url thumbprint may) is still a value.
    let b = Jwk::oct(vec![2u8; 32]).with_kid("-b");
    let set = write(
        d,
        "set.jwks",
        json!({"keys": [a.to_value(), b.to_value()]}).to_string(),
    );
    let a_file = write(d, "a.jwk", a.to_json());
    let b_file = write(d, "b.jwk", b.to_json());
    let by_b = sign(&b_file, Algorithm::HS256, &[]);
    verifies(&set, &by_b, &["--alg", "HS256"]);
    verifies(&set, &by_b, &["--alg", "HS256", "--kid", "-b"]);
    fails(
        &[
            "verify", "--key", &set, "--alg", "HS256", "--kid", "a", &by_b,
        ],
        1,
        "invalid signature",
    );
    fails(
        &[
            "verify", "--key", &set, "--alg", "HS256", "--kid", "zz", &by_b,
        ],
        2,
        "no key with kid \"zz\"",
    );
    // A token naming a kid the set lacks is rejected; so is one naming none.
    let by_c = sign(&a_file, Algorithm::HS256, &["--kid", "c"]);
    fails(
        &["verify", "--key", &set, "--alg", "HS256", &by_c],
        1,
        "no key with kid \"c\"",
    );
    let jwk = Jwk::oct(vec![1u8; 32]);
    let no_kid = tessera::Encoder::new(tessera::signer(&jwk, Algorithm::HS256).unwrap())
        .encode(&json!({"sub": "tester", "exp": 4_000_000_000i64}))
        .unwrap();
    fails(
        &["verify", "--key", &set, "--alg", "HS256", &no_kid],
        1,
        "token has no kid",
    );
    verifies(&set, &no_kid, &["--alg", "HS256", "--kid", "a"]);
    // Signing with a set needs --kid when it holds several keys.
    fails(
        &["sign", "--key", &set, "--alg", "HS256"],
        2,
        "pick one with --kid",
    );
    fails(
        &["sign", "--key", &set, "--alg", "HS256", "--kid", "zz"],
        2,
        "no key with kid",
    );
    let by_a = sign(&set, Algorithm::HS256, &["--kid", "a"]);
    verifies(&a_file, &by_a, &["--alg", "HS256"]);
    // Undecodable token with a set: rejected before a key is chosen.
    fails(
        &["verify", "--key", &set, "--alg", "HS256", "x.y"],
        1,
        "token rejected",
    );
}

#[test]
fn conform_passes_and_prints_the_matrix() {
    let out = tessera()
        .args([
            "conform",
            "--backend",
            "tessera-hmac",
            "--backend",
            "tessera-ecdsa",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("tessera-hmac") && text.contains("tessera-ecdsa"),
        "{text}"
    );
    assert!(!text.contains("tessera-rsa"), "{text}");
    assert!(text.trim_end().ends_with("result: PASS"), "{text}");
}

#[test]
fn conform_unknown_backend_is_a_usage_error() {
    tessera()
        .args(["conform", "--backend", "tessera-nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("tessera-hmac"));
}

#[test]
fn compare_writes_json_and_charts() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("report");
    let stdout = tessera()
        .args([
            "compare",
            "--alg",
            "HS256",
            "--backend",
            "tessera-hmac",
            "--no-keygen",
            "--format",
            "json",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let records: Value = serde_json::from_slice(&stdout).unwrap();
    let records = records.as_array().unwrap();
    for (imp, op) in [
        ("tessera", "sign"),
        ("tessera", "verify"),
        ("floor", "sign"),
        ("floor", "verify"),
    ] {
        let r = records
            .iter()
            .find(|r| r["impl"] == imp && r["op"] == op)
            .unwrap_or_else(|| panic!("no {imp} {op} record"));
        assert_eq!(r["alg"], "HS256");
        assert!(r["ns_median"].as_f64().unwrap() > 0.0);
        assert!(r["ns_min"].as_f64().unwrap() <= r["ns_max"].as_f64().unwrap());
    }
    for f in [
        "report.txt",
        "report.md",
        "report.csv",
        "report.json",
        "verify.svg",
        "sign.svg",
        "token-size.svg",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    assert!(
        fs::read_to_string(out.join("verify.svg"))
            .unwrap()
            .starts_with("<svg")
    );
}

#[test]
fn compare_unknown_algorithm_is_a_usage_error() {
    tessera()
        .args(["compare", "--alg", "none"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("HS256"));
}
