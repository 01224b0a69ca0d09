//! The command line (clap derive), and value parsers that turn names into library values so
//! that an unknown name is refused with the list of known ones.

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::ErrorKind;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::ffi::OsStr;
use std::path::PathBuf;
use tessera::codec::EcCurve;
use tessera::{Algorithm, Backend, Claim};

const EXIT_STATUS: &str = "Exit status: 0 success; 1 token rejected (verify) or not decodable \
(inspect); 2 usage error, or an unreadable or unusable key, claims or output file.";

/// JSON Web Tokens (RFC 7519) as compact JWS: generate keys, sign, verify and inspect tokens.
#[derive(Debug, Parser)]
#[command(name = "tessera", version, after_help = EXIT_STATUS)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate a key pair (or an HMAC secret) and write it to two files.
    Keygen(KeygenArgs),
    /// Sign claims as a JWT and print the compact token.
    Sign(SignArgs),
    /// Verify a token's signature and claims; print the claims when it is valid.
    Verify(VerifyArgs),
    /// Show a token's header and claims WITHOUT verifying anything.
    Inspect(InspectArgs),
    /// List the compiled-in backends and the algorithms each supports.
    Backends(BackendsArgs),
    /// Run the conformance suites (published vectors, Wycheproof, attack cases, cross-backend
    /// matrix) and print a pass/fail matrix; exit 1 if anything fails.
    Conform(ConformArgs),
    /// Measure every backend x algorithm x key size (sign, verify, key generation, sizes, overhead
    /// over the raw primitive) and print the comparison; `--out` also writes SVG charts.
    Compare(CompareArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
}

/// Output format of a generated key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KeyFormat {
    /// JSON Web Key, with alg, use and kid.
    Jwk,
    /// PEM: PKCS#8 private key and SPKI public key (no kid or alg; not for HMAC).
    Pem,
    /// The raw secret bytes (HMAC only).
    Raw,
}

/// Output format of `backends`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A text table.
    Table,
    /// A JSON array of {backend, library, version, algorithms}.
    Json,
}

// Free-text options accept values starting with '-': a base64url thumbprint kid does 1 time in 64.

/// Arguments of `keygen`.
#[derive(Debug, Args)]
#[command(after_help = EXIT_STATUS)]
pub struct KeygenArgs {
    /// Algorithm the key is for; it fixes the key type (and the curve).
    #[arg(long, value_name = "ALG", value_parser = algorithms())]
    pub alg: Algorithm,
    /// Key size: RSA modulus bits (default 2048) or HMAC secret bits (default: the hash size).
    #[arg(long, value_name = "N")]
    pub bits: Option<usize>,
    /// Curve; optional, but if given it must be the algorithm's (ES256 P-256, ES384 P-384,
    /// ES512 P-521, ES256K secp256k1, EdDSA Ed25519).
    #[arg(long, value_name = "CURVE", value_parser = curves())]
    pub curve: Option<&'static str>,
    /// Backend to generate with (default: the first compiled-in backend supporting ALG).
    #[arg(long, value_name = "NAME", value_parser = backends())]
    pub backend: Option<&'static dyn Backend>,
    /// File for the private key (an HMAC secret goes to both files); created with mode 0600.
    #[arg(long, value_name = "FILE")]
    pub out_private: PathBuf,
    /// File for the public key.
    #[arg(long, value_name = "FILE")]
    pub out_public: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = KeyFormat::Jwk)]
    pub format: KeyFormat,
    /// Key ID to write (default: the RFC 7638 thumbprint of the public key).
    #[arg(long, value_name = "KID", allow_hyphen_values = true)]
    pub kid: Option<String>,
}

/// Arguments of `sign`.
#[derive(Debug, Args)]
#[command(after_help = EXIT_STATUS)]
pub struct SignArgs {
    /// Private key file: JWK, JWK Set (see --kid) or PEM.
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// Signing algorithm.
    #[arg(long, value_name = "ALG", value_parser = algorithms())]
    pub alg: Algorithm,
    /// Backend to sign with (default: the first compiled-in backend supporting ALG).
    #[arg(long, value_name = "NAME", value_parser = backends())]
    pub backend: Option<&'static dyn Backend>,
    /// Header kid (default: the key's kid). With a JWK Set, also picks the key.
    #[arg(long, value_name = "KID", allow_hyphen_values = true)]
    pub kid: Option<String>,
    /// Header typ.
    #[arg(long, value_name = "TYP", default_value = "JWT")]
    pub typ: String,
    /// JSON object of claims, from a file or - for stdin (default: {}).
    #[arg(long, value_name = "FILE|-")]
    pub claims: Option<PathBuf>,
    /// Add iat = now.
    #[arg(long)]
    pub iat: bool,
    /// Add exp = now + SECS (replacing any exp in the claims).
    #[arg(long, value_name = "SECS")]
    pub exp_in: Option<u64>,
    /// Add nbf = now + SECS (replacing any nbf in the claims).
    #[arg(long, value_name = "SECS")]
    pub nbf_in: Option<u64>,
}

/// Arguments of `verify`.
#[derive(Debug, Args)]
#[command(after_help = EXIT_STATUS)]
pub struct VerifyArgs {
    /// Key file: JWK, JWK Set or PEM; a private key verifies with its public half.
    #[arg(long, value_name = "FILE", required_unless_present_any = ["jwks_url", "issuer"])]
    pub key: Option<PathBuf>,
    /// Fetch the issuer's JWK Set from this URL instead of --key (https unless --allow-http).
    #[arg(long, value_name = "URL", conflicts_with_all = ["key", "issuer", "kid", "jws"])]
    pub jwks_url: Option<String>,
    /// Find the keys by discovery of this issuer (OpenID Connect, then RFC 8414); the token's
    /// iss must be this issuer.
    #[arg(long, value_name = "URL", conflicts_with_all = ["key", "jwks_url", "kid", "jws"])]
    pub issuer: Option<String>,
    /// Allow plain http for --jwks-url and --issuer (loopback tests only: keys fetched in clear
    /// can be replaced on the way).
    #[arg(long)]
    pub allow_http: bool,
    /// Algorithm to accept (default: the key's alg member, or the one its type implies).
    /// The token's header never chooses it.
    #[arg(long, value_name = "ALG", value_parser = algorithms())]
    pub alg: Option<Algorithm>,
    /// Backend to verify with (default: tessera's documented default for ALG, `tessera backends`).
    #[arg(long, value_name = "NAME", value_parser = backends())]
    pub backend: Option<&'static dyn Backend>,
    /// With a JWK Set: use the key with this kid instead of the one the token's kid names.
    #[arg(long, value_name = "KID", allow_hyphen_values = true)]
    pub kid: Option<String>,
    /// Accepted audience (repeatable); aud becomes required. Without --aud (or --any-aud), a
    /// token that carries aud is refused, as RFC 7519 §4.1.3 asks of a recipient that does not
    /// identify itself with the audience.
    #[arg(
        long = "aud",
        value_name = "AUD",
        allow_hyphen_values = true,
        conflicts_with_all = ["jws", "any_aud"]
    )]
    pub aud: Vec<String>,
    /// Accept a token whatever its aud says (for inspecting tokens meant for other services).
    #[arg(long, conflicts_with = "jws")]
    pub any_aud: bool,
    /// Accepted issuer (repeatable); iss becomes required.
    #[arg(
        long = "iss",
        value_name = "ISS",
        allow_hyphen_values = true,
        conflicts_with = "jws"
    )]
    pub iss: Vec<String>,
    /// Required subject.
    #[arg(
        long,
        value_name = "SUB",
        allow_hyphen_values = true,
        conflicts_with = "jws"
    )]
    pub sub: Option<String>,
    /// Required header typ (compared case-insensitively, application/ optional).
    #[arg(long, value_name = "TYP")]
    pub typ: Option<String>,
    /// Clock skew tolerated on exp, nbf and iat, in seconds.
    #[arg(long, value_name = "SECS", conflicts_with = "jws")]
    pub leeway: Option<u64>,
    /// Validate as if the time were this (seconds since the Unix epoch).
    #[arg(
        long,
        value_name = "UNIX_SECONDS",
        allow_negative_numbers = true,
        conflicts_with = "jws"
    )]
    pub now: Option<i64>,
    /// Require this registered claim (repeatable). exp is required unless --no-exp.
    #[arg(long = "require", value_name = "CLAIM", value_parser = claims(), conflicts_with = "jws")]
    pub require: Vec<Claim>,
    /// Accept tokens without exp (an exp present is still checked).
    #[arg(long, conflicts_with = "jws")]
    pub no_exp: bool,
    /// Largest token accepted, in bytes (default 262144).
    #[arg(long, value_name = "BYTES")]
    pub max_size: Option<usize>,
    /// Verify a plain JWS: the payload need not be JSON, no claim is checked, and the payload
    /// bytes are written to stdout as they are.
    #[arg(long)]
    pub jws: bool,
    /// The compact token, or - to read it from stdin.
    #[arg(value_name = "TOKEN")]
    pub token: String,
}

/// Arguments of `inspect`.
#[derive(Debug, Args)]
#[command(after_help = EXIT_STATUS)]
pub struct InspectArgs {
    /// The compact token, or - to read it from stdin.
    #[arg(value_name = "TOKEN")]
    pub token: String,
}

/// Arguments of `backends`.
#[derive(Debug, Args)]
pub struct BackendsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

/// Arguments of `conform`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 every suite passed on every backend; 1 something failed; 2 usage error."
)]
pub struct ConformArgs {
    /// Only these backends (repeatable; default: every compiled-in backend). The cross-backend
    /// matrix then spans only these.
    #[arg(long, value_name = "NAME", value_parser = backends())]
    pub backend: Vec<&'static dyn Backend>,
}

/// Output format of `compare`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A text table.
    Table,
    /// A Markdown table.
    Md,
    /// CSV, one row per measurement.
    Csv,
    /// One JSON array, one object per measurement (schema in the README).
    Json,
}

/// Arguments of `compare`.
#[derive(Debug, Args)]
#[command(
    after_help = "Subjects of one algorithm, key and operation (tessera on every backend, each backend's raw \
primitive, the peers) are timed together in interleaved rounds of short batches, shuffled per round; \
figures are medians over the rounds with ~95% intervals, ratios medians of per-round ratios, and a \
record whose interval stays wide is marked unstable. The default run takes about 80 s on 2 cores \
(release build); --precise about five minutes. The machine may be shared: read the figures as ratios \
within a run. Exit status: 0 done; 2 usage error or unwritable --out."
)]
pub struct CompareArgs {
    /// Only these algorithms (repeatable; default: all).
    #[arg(long, value_name = "ALG", value_parser = algorithms())]
    pub alg: Vec<Algorithm>,
    /// Only these backends (repeatable; default: every compiled-in backend).
    #[arg(long, value_name = "NAME", value_parser = backends())]
    pub backend: Vec<&'static dyn Backend>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// Also write report.txt, report.md, report.csv, report.json, report.html and the SVG charts
    /// (one per algorithm family, verify.svg, sign.svg, token-size.svg) into this directory
    /// (created if missing); with --repeat, stability.txt, stability.json and every run's
    /// records (run-1.json ...) too.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// More rounds and longer batches, for steadier figures (about five minutes).
    #[arg(long)]
    pub precise: bool,
    /// Add the peer libraries (jsonwebtoken with both providers, jwt-simple, jwt-compact) to the run.
    #[arg(long)]
    pub peers: bool,
    /// Skip key generation.
    #[arg(long)]
    pub no_keygen: bool,
    /// Run the comparison N times back to back and print how many records agree between the
    /// runs within 5% and 10%, for the medians and for the ratios; the report is the last run's.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub repeat: u32,
    /// Seed of the shuffled round order (run i of --repeat uses SEED + i).
    #[arg(long, value_name = "SEED")]
    pub seed: Option<u64>,
    /// Measuring time target of one run, in seconds (default 75; --precise 300).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub seconds: Option<u64>,
}

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write a completion script for.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// A value chosen by name from a list computed at run time (the backends compiled in, say).
/// An unknown name is refused with the known ones; completions offer them.
#[derive(Clone)]
pub struct Named<T> {
    what: &'static str,
    items: fn() -> Vec<(&'static str, T)>,
}

fn algorithms() -> Named<Algorithm> {
    Named {
        what: "algorithm",
        items: || Algorithm::ALL.iter().map(|a| (a.name(), *a)).collect(),
    }
}

fn backends() -> Named<&'static dyn Backend> {
    Named {
        what: "backend",
        items: || {
            tessera::backends()
                .into_iter()
                .map(|b| (b.name(), b))
                .collect()
        },
    }
}

fn claims() -> Named<Claim> {
    Named {
        what: "registered claim",
        items: || Claim::ALL.iter().map(|c| (c.name(), *c)).collect(),
    }
}

fn curves() -> Named<&'static str> {
    Named {
        what: "curve",
        items: || {
            let ec = [
                EcCurve::P256,
                EcCurve::P384,
                EcCurve::P521,
                EcCurve::Secp256k1,
            ];
            ec.iter()
                .map(|c| (c.name(), c.name()))
                .chain([("Ed25519", "Ed25519")])
                .collect()
        },
    }
}

impl<T: Clone + Send + Sync + 'static> TypedValueParser for Named<T> {
    type Value = T;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let items = (self.items)();
        if let Some(v) = value.to_str()
            && let Some((_, item)) = items.iter().find(|(name, _)| *name == v)
        {
            return Ok(item.clone());
        }
        let arg = arg.map_or_else(|| "a value".to_owned(), ToString::to_string);
        let given = crate::error::clip(&value.to_string_lossy());
        let why = if self.what == "algorithm" && given.eq_ignore_ascii_case("none") {
            "the unsecured alg none is never accepted; "
        } else {
            ""
        };
        let known: Vec<&str> = items.iter().map(|(name, _)| *name).collect();
        let known = if known.is_empty() {
            "none compiled in".to_owned()
        } else {
            known.join(", ")
        };
        Err(clap::Error::raw(
            ErrorKind::InvalidValue,
            format!(
                "unknown {} {given:?} for {arg}: {why}known: {known}",
                self.what
            ),
        ))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            (self.items)()
                .into_iter()
                .map(|(name, _)| PossibleValue::new(name)),
        ))
    }
}
