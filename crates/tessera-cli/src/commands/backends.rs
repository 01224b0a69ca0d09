//! `tessera backends`: which compiled-in backend supports which algorithm.

use crate::cli::{BackendsArgs, ListFormat};
use crate::error::{CliError, Result};
use crate::input;
use serde::Serialize;
use std::fmt::Write;
use tessera::Algorithm;

/// One backend in the JSON listing.
#[derive(Serialize)]
struct Entry {
    backend: &'static str,
    library: &'static str,
    version: &'static str,
    algorithms: Vec<&'static str>,
}

/// Runs `backends`.
pub fn run(args: &BackendsArgs) -> Result<()> {
    let backends = tessera::backends();
    let out = match args.format {
        ListFormat::Json => {
            let entries: Vec<Entry> = backends
                .iter()
                .map(|b| Entry {
                    backend: b.name(),
                    library: b.library().name,
                    version: b.library().version,
                    algorithms: b.algorithms().iter().map(|a| a.name()).collect(),
                })
                .collect();
            let mut json = serde_json::to_string_pretty(&entries)
                .map_err(|e| CliError::usage(format!("cannot format the list: {e}")))?;
            json.push('\n');
            json
        }
        ListFormat::Table => {
            let first = Algorithm::ALL
                .iter()
                .map(|a| a.name().len())
                .chain(["algorithm".len()])
                .max()
                .unwrap_or(0);
            let mut t = format!("{:first$}", "algorithm");
            for b in &backends {
                let _ = write!(t, "  {}", b.name());
            }
            t.push('\n');
            for alg in Algorithm::ALL {
                let _ = write!(t, "{:first$}", alg.name());
                for b in &backends {
                    let cell = if b.supports(alg) { "yes" } else { "-" };
                    let _ = write!(t, "  {cell:w$}", w = b.name().len());
                }
                t.truncate(t.trim_end().len());
                t.push('\n');
            }
            t.push('\n');
            for b in &backends {
                let lib = b.library();
                let _ = writeln!(t, "{}: {} {}", b.name(), lib.name, lib.version);
            }
            t
        }
    };
    input::stdout(out.as_bytes())
}
