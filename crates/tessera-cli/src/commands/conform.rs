//! `tessera conform`: every conformance suite on every (chosen) backend, as one table.

use crate::cli::ConformArgs;
use crate::error::{CliError, Result};

/// Runs the suites, prints the table on stdout, and fails with exit 1 if anything failed.
pub fn run(args: &ConformArgs) -> Result<()> {
    let backends = if args.backend.is_empty() {
        tessera::backends()
    } else {
        args.backend.clone()
    };
    let report = tessera_conformance::report::run(&backends);
    print!("{}", report.table());
    if report.passed() {
        Ok(())
    } else {
        Err(CliError::rejected(format!(
            "conformance failed: {} failures (listed above)",
            report.failures.len()
        )))
    }
}
