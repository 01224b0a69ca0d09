//! `tessera compare`: the measurement engine of `tessera-conformance`, rendered as asked.

use crate::cli::{CompareArgs, ReportFormat};
use crate::error::{CliError, Result};
use std::fs;
use tessera_conformance::measure::{self, Chart, Options};

/// Measures, prints the report on stdout, and writes the files under `--out`.
pub fn run(args: &CompareArgs) -> Result<()> {
    let options = Options {
        algs: args.alg.clone(),
        backends: args.backend.iter().map(|b| b.name().to_owned()).collect(),
        precise: args.precise,
        peers: args.peers,
        keygen: !args.no_keygen,
        progress: true,
        ..Options::default()
    };
    let report = measure::run(&options).map_err(CliError::usage)?;
    let text = match args.format {
        ReportFormat::Table => report.table(),
        ReportFormat::Md => report.markdown(),
        ReportFormat::Csv => report.csv(),
        ReportFormat::Json => report.json().map_err(CliError::usage)?,
    };
    println!("{}", text.trim_end());
    for s in &report.skipped {
        eprintln!("tessera: not measured: {s}");
    }
    if let Some(dir) = &args.out {
        let shown = dir.display();
        fs::create_dir_all(dir)
            .map_err(|e| CliError::usage(format!("--out {shown}: cannot create: {e}")))?;
        let mut files = vec![
            ("report.txt".to_owned(), report.table()),
            ("report.md".to_owned(), report.markdown()),
            ("report.csv".to_owned(), report.csv()),
            (
                "report.json".to_owned(),
                report.json().map_err(CliError::usage)?,
            ),
        ];
        for chart in [Chart::Verify, Chart::Sign, Chart::TokenSize] {
            let svg = report.svg(chart).map_err(CliError::usage)?;
            files.push((format!("{}.svg", chart.name()), svg));
        }
        for (name, contents) in &files {
            fs::write(dir.join(name), contents)
                .map_err(|e| CliError::usage(format!("--out {shown}: cannot write {name}: {e}")))?;
        }
        eprintln!("tessera: wrote {} files to {shown}", files.len());
    }
    Ok(())
}
