//! Text renderers of a [`Report`]: terminal table, Markdown, CSV and JSON.

use super::{Impl, MeasureError, Op, Record, Report, alg_rank, key_rank};
use std::fmt::Write as _;

/// Nanoseconds in the unit that suits them: `812 ns`, `12.3 µs`, `4.56 ms`, `1.23 s`.
pub(crate) fn human_ns(ns: f64) -> String {
    let (v, unit) = if ns < 1e3 {
        (ns, "ns")
    } else if ns < 1e6 {
        (ns / 1e3, "µs")
    } else if ns < 1e9 {
        (ns / 1e6, "ms")
    } else {
        (ns / 1e9, "s")
    };
    format!("{} {unit}", three_digits(v))
}

/// A rate with a k/M suffix: `1.23 M/s`, `456 k/s`, `12.3 /s`.
pub(crate) fn human_rate(per_sec: f64) -> String {
    if per_sec >= 1e6 {
        format!("{} M/s", three_digits(per_sec / 1e6))
    } else if per_sec >= 1e3 {
        format!("{} k/s", three_digits(per_sec / 1e3))
    } else {
        format!("{} /s", three_digits(per_sec))
    }
}

/// Three significant digits.
pub(crate) fn three_digits(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// Half the width of the median's interval, in percent of the median: `±1.2%`.
pub(crate) fn plus_minus(r: &Record) -> String {
    if r.ns_median > 0.0 {
        format!(
            "±{:.1}%",
            (r.ns_high - r.ns_low) / 2.0 / r.ns_median * 100.0
        )
    } else {
        String::new()
    }
}

/// A ratio with its interval: `×1.12 [1.10–1.15]`.
pub(crate) fn ratio(median: Option<f64>, low: Option<f64>, high: Option<f64>) -> String {
    match (median, low, high) {
        (Some(m), Some(l), Some(h)) => format!("×{m:.2} [{l:.2}–{h:.2}]"),
        (Some(m), _, _) => format!("×{m:.2}"),
        _ => String::new(),
    }
}

/// The overhead over the floor: `+812 ns ×1.12 [1.10–1.15]`.
pub(crate) fn overhead(r: &Record) -> String {
    match r.overhead_ns {
        Some(ns) => {
            let sign = if ns < 0.0 { "-" } else { "+" };
            format!(
                "{sign}{} {}",
                human_ns(ns.abs()),
                ratio(
                    r.overhead_ratio,
                    r.overhead_ratio_low,
                    r.overhead_ratio_high
                )
            )
        }
        None => String::new(),
    }
}

/// Speed against the group's reference, or `reference` for the reference itself.
pub(crate) fn relative(r: &Record) -> String {
    if r.reference.as_deref() == Some(r.library.as_str()) && r.implementation == Impl::Tessera {
        "reference".to_owned()
    } else {
        ratio(
            r.relative_speed,
            r.relative_speed_low,
            r.relative_speed_high,
        )
    }
}

/// `yes`, or `UNSTABLE`.
pub(crate) fn stability_word(r: &Record) -> &'static str {
    if r.stable { "yes" } else { "UNSTABLE" }
}

/// Throughput for a pivot cell: `668 k/s`, with `†` when the record is unstable.
pub(crate) fn rate_cell(r: &Record) -> String {
    let mark = if r.stable { "" } else { " †" };
    format!("{}{mark}", human_rate(r.ops_per_sec))
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

/// The columns of the flat tables.
const TABLE_HEAD: [&str; 14] = [
    "alg", "key", "op", "impl", "library", "median", "interval", "ops/s", "overhead", "speed",
    "stable", "token B", "sig B", "jwk B",
];

fn table_row(r: &Record) -> [String; 14] {
    [
        r.alg.clone(),
        r.key.clone(),
        r.op.name().to_owned(),
        r.implementation.name().to_owned(),
        r.library.clone(),
        human_ns(r.ns_median),
        plus_minus(r),
        human_rate(r.ops_per_sec),
        overhead(r),
        relative(r),
        stability_word(r).to_owned(),
        opt(r.token_bytes),
        opt(r.signature_bytes),
        opt(r.jwk_bytes),
    ]
}

/// Escapes a Markdown table cell.
fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// Quotes a CSV field when it needs it (RFC 4180).
pub(crate) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The `(alg, key)` groups of some records, in RFC order.
pub(crate) fn groups<'r>(records: impl Iterator<Item = &'r Record>) -> Vec<(String, String)> {
    let mut g: Vec<(String, String)> = Vec::new();
    for r in records {
        if !g.iter().any(|(a, k)| *a == r.alg && *k == r.key) {
            g.push((r.alg.clone(), r.key.clone()));
        }
    }
    g.sort_by_key(|(alg, key)| (alg_rank(alg), key_rank(key)));
    g
}

/// The libraries (series) of some records: tessera backends in first-seen order, then peers.
pub(crate) fn libraries<'r>(records: impl Iterator<Item = &'r Record> + Clone) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for want in [Impl::Tessera, Impl::Peer] {
        let mut these: Vec<String> = Vec::new();
        for r in records.clone().filter(|r| r.implementation == want) {
            if !these.contains(&r.library) {
                these.push(r.library.clone());
            }
        }
        if want == Impl::Peer {
            these.sort();
        }
        out.extend(these);
    }
    out
}

/// The one-line method statement every output starts or ends with.
pub(crate) fn method(report: &Report) -> String {
    let unstable = report.unstable().count();
    format!(
        "{} records in {:.1} s ({} mode, {}, seed {:#x}). Subjects of one algorithm, key and \
         operation are timed together in interleaved rounds of short batches, shuffled per round; \
         figures are medians over the rounds, intervals ~95 % intervals of the median, ratios \
         medians of per-round ratios. {unstable} record(s) stayed unstable (marked † or UNSTABLE).",
        report.records.len(),
        report.elapsed.as_secs_f64(),
        report.mode(),
        report.context.date(),
        report.context.seed,
    )
}

impl Report {
    /// A plain-text table for a terminal: one line per record, aligned, with human units, then
    /// what was skipped and the method.
    pub fn table(&self) -> String {
        let rows: Vec<[String; 14]> = self.records.iter().map(table_row).collect();
        let mut widths = TABLE_HEAD.map(|h| h.chars().count());
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        let line = |out: &mut String, cells: &[String]| {
            let mut l = String::new();
            for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
                // Text columns left-aligned, figures right-aligned.
                let pad = w.saturating_sub(cell.chars().count());
                if i < 5 || i == 10 {
                    l.push_str(cell);
                    l.push_str(&" ".repeat(pad));
                } else {
                    l.push_str(&" ".repeat(pad));
                    l.push_str(cell);
                }
                l.push_str("  ");
            }
            out.push_str(l.trim_end());
            out.push('\n');
        };
        line(&mut out, &TABLE_HEAD.map(str::to_owned));
        line(&mut out, &widths.map(|w| "-".repeat(w)));
        for row in &rows {
            line(&mut out, row);
        }
        for s in &self.skipped {
            let _ = writeln!(out, "skipped: {s}");
        }
        let _ = writeln!(out, "{}", method(self));
        out
    }

    /// Markdown: verify and sign throughput pivoted by library (median operations per second),
    /// tessera's overhead over each floor, sizes per algorithm and key, then every record, then
    /// what was skipped.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# tessera backend comparison\n\n{}\n", method(self));
        let _ = writeln!(
            out,
            "† unstable: an interval of the record stayed wider than the limit after the extra \
             rounds; read that figure as an order of magnitude.\n"
        );
        for (op, title) in [(Op::Verify, "Verify"), (Op::Sign, "Sign")] {
            let of_op = self
                .records
                .iter()
                .filter(|r| r.op == op && r.implementation != Impl::Floor);
            self.pivot(
                &mut out,
                of_op,
                &format!("{title} throughput (operations per second)"),
                rate_cell,
            );
            let tessera = self
                .records
                .iter()
                .filter(|r| r.op == op && r.implementation == Impl::Tessera);
            self.pivot(
                &mut out,
                tessera,
                &format!("{title}: tessera's time over the floor's (median of per-round ratios, interval)"),
                |r| {
                    let mark = if r.stable { "" } else { " †" };
                    format!(
                        "{}{mark}",
                        ratio(r.overhead_ratio, r.overhead_ratio_low, r.overhead_ratio_high)
                    )
                },
            );
        }
        let sized = self
            .records
            .iter()
            .filter(|r| r.implementation == Impl::Tessera && r.op == Op::Verify);
        let rows = groups(sized.clone());
        if !rows.is_empty() {
            let _ = writeln!(
                out,
                "## Sizes (bytes)\n\n| alg | key | token | signature | public JWK |\n| --- | --- | ---: | ---: | ---: |"
            );
            for (alg, key) in &rows {
                if let Some(r) = sized.clone().find(|r| r.alg == *alg && r.key == *key) {
                    let _ = writeln!(
                        out,
                        "| {alg} | {key} | {} | {} | {} |",
                        opt(r.token_bytes),
                        opt(r.signature_bytes),
                        opt(r.jwk_bytes)
                    );
                }
            }
            out.push('\n');
        }
        out.push_str(&self.floors_markdown());
        let _ = writeln!(out, "## Every record\n");
        let _ = writeln!(out, "| {} |", TABLE_HEAD.join(" | "));
        let _ = writeln!(out, "|{}", " --- |".repeat(TABLE_HEAD.len()));
        for r in &self.records {
            let cells: Vec<String> = table_row(r).iter().map(|c| md_cell(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        if !self.skipped.is_empty() {
            let _ = writeln!(out, "\n## Skipped\n");
            for s in &self.skipped {
                let _ = writeln!(out, "- {s}");
            }
        }
        out
    }

    /// One Markdown pivot: a row per (alg, key), a column per library, `cell` of each record.
    fn pivot<'r>(
        &self,
        out: &mut String,
        records: impl Iterator<Item = &'r Record> + Clone,
        title: &str,
        cell: impl Fn(&Record) -> String,
    ) {
        let libs = libraries(records.clone());
        let rows = groups(records.clone());
        if rows.is_empty() {
            return;
        }
        let _ = writeln!(out, "## {title}\n");
        let mut head = String::from("| alg | key |");
        let mut rule = String::from("| --- | --- |");
        for l in &libs {
            let _ = write!(head, " {} |", md_cell(l));
            rule.push_str(" ---: |");
        }
        let _ = writeln!(out, "{head}\n{rule}");
        for (alg, key) in &rows {
            let _ = write!(out, "| {alg} | {key} |");
            for l in &libs {
                let text = records
                    .clone()
                    .find(|r| r.alg == *alg && r.key == *key && r.library == *l)
                    .map_or_else(String::new, &cell);
                let _ = write!(out, " {} |", md_cell(&text));
            }
            out.push('\n');
        }
        out.push('\n');
    }

    /// CSV (RFC 4180): a header row with the JSON member names, one row per record.
    pub fn csv(&self) -> String {
        let mut out = CSV_HEAD.join(",");
        out.push('\n');
        let f1 = |v: f64| format!("{v:.1}");
        let f4 = |v: Option<f64>| opt(v.map(|v| format!("{v:.4}")));
        for r in &self.records {
            let fields = [
                r.implementation.name().to_owned(),
                r.library.clone(),
                opt(r.version.as_deref()),
                opt(r.backend.as_deref()),
                r.alg.clone(),
                r.key.clone(),
                r.op.name().to_owned(),
                f1(r.ns_median),
                f1(r.ns_low),
                f1(r.ns_high),
                f1(r.ns_min),
                f1(r.ns_max),
                format!("{:.3}", r.ops_per_sec),
                r.samples.to_string(),
                r.iterations.to_string(),
                r.retried.to_string(),
                opt(r.token_bytes),
                opt(r.signature_bytes),
                opt(r.jwk_bytes),
                opt(r.overhead_ns.map(f1)),
                f4(r.overhead_ratio),
                f4(r.overhead_ratio_low),
                f4(r.overhead_ratio_high),
                opt(r.reference.as_deref()),
                f4(r.relative_speed),
                f4(r.relative_speed_low),
                f4(r.relative_speed_high),
                r.stable.to_string(),
                opt(r.note.as_deref()),
            ];
            let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&row.join(","));
            out.push('\n');
        }
        out
    }

    /// JSON: one array of records (schema in `docs/compare/SCHEMA.md`).
    pub fn json(&self) -> Result<String, MeasureError> {
        serde_json::to_string_pretty(&self.records).map_err(MeasureError::Json)
    }
}

/// The CSV columns: the JSON members, in order.
pub(crate) const CSV_HEAD: [&str; 29] = [
    "impl",
    "library",
    "version",
    "backend",
    "alg",
    "key",
    "op",
    "ns_median",
    "ns_low",
    "ns_high",
    "ns_min",
    "ns_max",
    "ops_per_sec",
    "samples",
    "iterations",
    "retried",
    "token_bytes",
    "signature_bytes",
    "jwk_bytes",
    "overhead_ns",
    "overhead_ratio",
    "overhead_ratio_low",
    "overhead_ratio_high",
    "reference",
    "relative_speed",
    "relative_speed_low",
    "relative_speed_high",
    "stable",
    "note",
];
