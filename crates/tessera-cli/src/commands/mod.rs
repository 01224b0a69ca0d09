//! One module per subcommand; this one dispatches and holds what several share.

mod backends;
mod compare;
mod conform;
mod inspect;
mod keygen;
mod sign;
mod verify;

use crate::cli::{Cli, Command};
use crate::error::{CliError, Result};
use tessera::{Algorithm, Backend};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Keygen(args) => keygen::run(&args),
        Command::Sign(args) => sign::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Inspect(args) => inspect::run(&args),
        Command::Backends(args) => backends::run(&args),
        Command::Conform(args) => conform::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Completions(args) => completions(args.shell),
    }
}

/// The backend named on the command line, or the default one for `alg`; either must support it.
pub fn backend_for(
    chosen: Option<&'static dyn Backend>,
    alg: Algorithm,
    op: tessera::Operation,
) -> Result<&'static dyn Backend> {
    let supporting = || {
        let names: Vec<&str> = tessera::backends()
            .into_iter()
            .filter(|b| b.supports(alg))
            .map(|b| b.name())
            .collect();
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    };
    match chosen {
        Some(b) if b.supports(alg) => Ok(b),
        Some(b) => Err(CliError::usage(format!(
            "--backend {} does not support {alg}; backends that do: {}",
            b.name(),
            supporting()
        ))),
        None => tessera::default_backend_for(alg, op).ok_or_else(|| {
            let all: Vec<&str> = tessera::backends().into_iter().map(|b| b.name()).collect();
            CliError::usage(format!(
                "no compiled-in backend supports {alg} (compiled in: {})",
                all.join(", ")
            ))
        }),
    }
}

/// Seconds since the Unix epoch, now.
pub fn now() -> i64 {
    tessera::Clock::System.now()
}

fn completions(shell: clap_complete::Shell) -> Result<()> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "tessera", &mut out);
    crate::input::stdout(&out)
}
