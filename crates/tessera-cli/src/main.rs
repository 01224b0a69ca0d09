//! `tessera`: generate keys, sign, verify and inspect JSON Web Tokens from the command line.
//!
//! Every failure prints one line, `tessera: <what went wrong>`, on stderr and exits 1 (a token
//! rejected or undecodable) or 2 (a usage error, or a key, claims or output file that cannot be
//! used). The work happens in [`commands`]; this file only maps the outcome to an exit code.

#![forbid(unsafe_code)]

mod cli;
mod commands;
mod error;
mod input;
mod keys;

use clap::Parser;
use clap::error::ErrorKind;
use error::{USAGE, one_line};
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;

fn main() -> ExitCode {
    // A panic is a bug, but even then stderr gets one line and the exit code stays in 0-2.
    panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("panic");
        eprintln!(
            "tessera: internal error (a bug, please report it): {}",
            one_line(what)
        );
    }));
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_failure(&e),
    };
    match panic::catch_unwind(AssertUnwindSafe(|| commands::run(cli))) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            eprintln!("tessera: {e}");
            ExitCode::from(e.code())
        }
        Err(_) => ExitCode::from(USAGE),
    }
}

/// Help and version go out as clap writes them; a usage error becomes one line (clap's message
/// without its usage block) and exit 2.
fn clap_failure(e: &clap::Error) -> ExitCode {
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        return match e.print() {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(USAGE),
        };
    }
    if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        // clap would print the whole help on stderr: one line instead.
        eprintln!(
            "tessera: a subcommand is needed: keygen, sign, verify, inspect, backends or completions (see tessera --help)"
        );
        return ExitCode::from(USAGE);
    }
    let text = e.to_string();
    let message = text
        .split("\nUsage:")
        .next()
        .unwrap_or_default()
        .split("\nFor more information")
        .next()
        .unwrap_or_default();
    let message = one_line(message);
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    eprintln!("tessera: {message} (see tessera --help)");
    ExitCode::from(USAGE)
}
