//! `tessera compare`: the measurement engine of `tessera-conformance`, rendered as asked.

use crate::cli::{CompareArgs, ReportFormat};
use crate::error::{CliError, Result};
use std::fs;
use std::time::Duration;
use tessera_conformance::measure::{self, Chart, Options, Report};

/// Measures (`--repeat` times), prints the report on stdout (and, with `--repeat`, how well the
/// runs agree), and writes the files under `--out`.
pub fn run(args: &CompareArgs) -> Result<()> {
    let base = Options {
        algs: args.alg.clone(),
        backends: args.backend.iter().map(|b| b.name().to_owned()).collect(),
        precise: args.precise,
        peers: args.peers,
        keygen: !args.no_keygen,
        progress: true,
        time_target: args.seconds.map(Duration::from_secs),
        ..Options::default()
    };
    let seed = args.seed.unwrap_or(base.seed);
    let mut reports: Vec<Report> = Vec::new();
    for i in 0..args.repeat {
        if args.repeat > 1 {
            eprintln!("tessera: run {} of {}", i + 1, args.repeat);
        }
        let options = Options {
            seed: seed.wrapping_add(u64::from(i)),
            ..base.clone()
        };
        reports.push(measure::run(&options).map_err(CliError::usage)?);
    }
    let stability = (reports.len() > 1).then(|| measure::stability(&reports));
    let Some(report) = reports.last() else {
        return Ok(());
    };
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
    if let Some(s) = &stability {
        // Keep stdout parseable for the machine formats.
        match args.format {
            ReportFormat::Table | ReportFormat::Md => println!("\n{s}"),
            ReportFormat::Csv | ReportFormat::Json => eprintln!("{s}"),
        }
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
            (
                "report.html".to_owned(),
                report.html().map_err(CliError::usage)?,
            ),
        ];
        for chart in Chart::ALL {
            let svg = report.svg(chart).map_err(CliError::usage)?;
            files.push((format!("{}.svg", chart.name()), svg));
        }
        if let Some(s) = &stability {
            for (i, r) in reports.iter().enumerate() {
                let json = r.json().map_err(CliError::usage)?;
                files.push((format!("run-{}.json", i + 1), json));
            }
            files.push(("stability.txt".to_owned(), s.to_string()));
            files.push((
                "stability.json".to_owned(),
                s.json().map_err(CliError::usage)?,
            ));
        }
        for (name, contents) in &files {
            fs::write(dir.join(name), contents)
                .map_err(|e| CliError::usage(format!("--out {shown}: cannot write {name}: {e}")))?;
        }
        eprintln!("tessera: wrote {} files to {shown}", files.len());
    }
    Ok(())
}
