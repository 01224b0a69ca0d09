//! Renderers of a [`Report`]: terminal table, Markdown, CSV, JSON and SVG charts.

use super::{Impl, MeasureError, Op, Record, Report, alg_rank, key_rank};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::fmt::Write as _;

/// An SVG chart of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chart {
    /// Verify throughput (operations per second, log scale) per algorithm and key, one bar per
    /// backend (and peer library).
    Verify,
    /// Sign throughput, likewise.
    Sign,
    /// Token length in bytes per algorithm and key: tessera's and each peer library's.
    TokenSize,
}

impl Chart {
    /// A file stem for the chart: `verify`, `sign` or `token-size`.
    pub const fn name(self) -> &'static str {
        match self {
            Chart::Verify => "verify",
            Chart::Sign => "sign",
            Chart::TokenSize => "token-size",
        }
    }
}

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
fn three_digits(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

fn overhead(r: &Record) -> String {
    match (r.overhead_ns, r.overhead_ratio) {
        (Some(ns), Some(ratio)) => {
            let sign = if ns < 0.0 { "-" } else { "+" };
            format!("{sign}{} (×{ratio:.2})", human_ns(ns.abs()))
        }
        _ => String::new(),
    }
}

/// The columns of the flat tables.
const TABLE_HEAD: [&str; 13] = [
    "alg", "key", "op", "impl", "library", "median", "min", "max", "ops/s", "overhead", "token B",
    "sig B", "jwk B",
];

fn table_row(r: &Record) -> [String; 13] {
    [
        r.alg.clone(),
        r.key.clone(),
        r.op.name().to_owned(),
        r.implementation.name().to_owned(),
        r.library.clone(),
        human_ns(r.ns_median),
        human_ns(r.ns_min),
        human_ns(r.ns_max),
        human_rate(r.ops_per_sec),
        overhead(r),
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
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The `(alg, key)` groups of some records, in RFC order.
fn groups<'r>(records: impl Iterator<Item = &'r Record>) -> Vec<(String, String)> {
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
fn libraries<'r>(records: impl Iterator<Item = &'r Record> + Clone) -> Vec<String> {
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

impl Report {
    /// A plain-text table for a terminal: one line per record, aligned, with human units, then
    /// what was skipped and the wall time.
    pub fn table(&self) -> String {
        let rows: Vec<[String; 13]> = self.records.iter().map(table_row).collect();
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
                if i < 5 {
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
        let _ = writeln!(
            out,
            "{} records in {:.1} s ({} mode)",
            self.records.len(),
            self.elapsed.as_secs_f64(),
            if self.precise { "precise" } else { "default" }
        );
        out
    }

    /// Markdown: verify and sign throughput pivoted by library (median operations per second),
    /// sizes per algorithm and key, then every record, then what was skipped.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# tessera backend comparison\n\n{} records in {:.1} s ({} mode). Throughput is the median of \
             the samples; floors are each backend's raw primitive on the same key and signing input.\n",
            self.records.len(),
            self.elapsed.as_secs_f64(),
            if self.precise { "precise" } else { "default" }
        );
        for (op, title) in [(Op::Verify, "Verify"), (Op::Sign, "Sign")] {
            let of_op = self.records.iter().filter(|r| r.op == op);
            let libs = libraries(of_op.clone());
            let rows = groups(of_op.clone());
            if rows.is_empty() {
                continue;
            }
            let _ = writeln!(out, "## {title} throughput (operations per second)\n");
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
                    let cell = of_op
                        .clone()
                        .find(|r| r.alg == *alg && r.key == *key && r.library == *l)
                        .map_or_else(String::new, |r| human_rate(r.ops_per_sec));
                    let _ = write!(out, " {cell} |");
                }
                out.push('\n');
            }
            out.push('\n');
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

    /// CSV (RFC 4180): a header row with the JSON member names, one row per record.
    pub fn csv(&self) -> String {
        let mut out = String::from(
            "impl,library,version,backend,alg,key,op,ns_median,ns_min,ns_max,ops_per_sec,samples,\
             iterations,token_bytes,signature_bytes,jwk_bytes,overhead_ns,overhead_ratio,note\n",
        );
        for r in &self.records {
            let fields = [
                r.implementation.name().to_owned(),
                r.library.clone(),
                opt(r.version.as_deref()),
                opt(r.backend.as_deref()),
                r.alg.clone(),
                r.key.clone(),
                r.op.name().to_owned(),
                format!("{:.1}", r.ns_median),
                format!("{:.1}", r.ns_min),
                format!("{:.1}", r.ns_max),
                format!("{:.3}", r.ops_per_sec),
                r.samples.to_string(),
                r.iterations.to_string(),
                opt(r.token_bytes),
                opt(r.signature_bytes),
                opt(r.jwk_bytes),
                opt(r.overhead_ns.map(|v| format!("{v:.1}"))),
                opt(r.overhead_ratio.map(|v| format!("{v:.4}"))),
                opt(r.note.as_deref()),
            ];
            let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&row.join(","));
            out.push('\n');
        }
        out
    }

    /// JSON: one array of records (schema in the module docs).
    pub fn json(&self) -> Result<String, MeasureError> {
        serde_json::to_string_pretty(&self.records).map_err(MeasureError::Json)
    }

    /// An SVG chart.
    pub fn svg(&self, chart: Chart) -> Result<String, MeasureError> {
        let (records, title, axis): (Vec<&Record>, &str, &str) = match chart {
            Chart::Verify => (
                self.records
                    .iter()
                    .filter(|r| r.op == Op::Verify && r.implementation != Impl::Floor)
                    .collect(),
                "Verify throughput: token to validated claims",
                "verifications per second (log scale)",
            ),
            Chart::Sign => (
                self.records
                    .iter()
                    .filter(|r| r.op == Op::Sign && r.implementation != Impl::Floor)
                    .collect(),
                "Sign throughput: claims to compact token",
                "tokens signed per second (log scale)",
            ),
            Chart::TokenSize => (
                self.records
                    .iter()
                    .filter(|r| {
                        r.token_bytes.is_some()
                            && ((r.implementation == Impl::Tessera && r.op == Op::Verify)
                                || (r.implementation == Impl::Peer && r.op == Op::Sign))
                    })
                    .collect(),
                "Token size: the same claims, header alg/typ/kid",
                "bytes",
            ),
        };
        let groups = groups(records.iter().copied());
        let series: Vec<String> = if chart == Chart::TokenSize {
            // Every tessera backend makes the same token: one "tessera" series.
            let mut s = vec!["tessera".to_owned()];
            s.extend(libraries(records.iter().copied()).into_iter().filter(|l| {
                records
                    .iter()
                    .any(|r| r.implementation == Impl::Peer && r.library == *l)
            }));
            s
        } else {
            libraries(records.iter().copied())
        };
        let value = |g: &(String, String), s: &str| -> Option<f64> {
            let r = records.iter().find(|r| {
                r.alg == g.0
                    && r.key == g.1
                    && (r.library == s || (s == "tessera" && r.implementation == Impl::Tessera))
            })?;
            match chart {
                Chart::TokenSize => r.token_bytes.map(|b| b as f64),
                _ => Some(r.ops_per_sec),
            }
        };
        let values: Vec<f64> = groups
            .iter()
            .flat_map(|g| series.iter().filter_map(|s| value(g, s)))
            .filter(|v| *v > 0.0)
            .collect();
        let group_px = (series.len() as u32 * 11 + 26).max(64);
        let legend_px = 250;
        let width = (110 + groups.len() as u32 * group_px + legend_px).max(720);
        let height = 560;
        let mut svg = String::new();
        draw(
            &mut svg,
            (width, height),
            legend_px,
            title,
            axis,
            chart,
            &groups,
            &series,
            &values,
            &value,
        )
        .map_err(|e| MeasureError::Render(e.to_string()))?;
        Ok(svg)
    }
}

type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// The value of a series in an `(alg, key)` group.
type ValueOf<'a> = dyn Fn(&(String, String), &str) -> Option<f64> + 'a;

#[allow(clippy::too_many_arguments, reason = "one private drawing routine")]
fn draw(
    svg: &mut String,
    size: (u32, u32),
    legend_px: u32,
    title: &str,
    axis: &str,
    chart: Chart,
    groups: &[(String, String)],
    series: &[String],
    values: &[f64],
    value: &ValueOf<'_>,
) -> DrawResult {
    let root = SVGBackend::with_string(svg, size).into_drawing_area();
    root.fill(&WHITE)?;
    if values.is_empty() {
        root.draw(&Text::new(
            format!("{title}: nothing measured"),
            (20, 40),
            ("sans-serif", 18).into_font(),
        ))?;
        root.present()?;
        return Ok(());
    }
    let (plot, legend) = root.split_horizontally(size.0 - legend_px);
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(0.0, f64::max);
    let n = groups.len() as f64;
    let bar = 0.8 / series.len().max(1) as f64;
    let label_font = ("sans-serif", 12).into_font();
    let mut builder = ChartBuilder::on(&plot);
    builder
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(70);
    // Each group's bars and the plotting area's bottom edge, in pixels, for the labels.
    let mut label_at: Vec<(i32, i32)> = Vec::new();
    let bars = |colour: RGBColor, gi: usize, si: usize, v: f64, base: f64| {
        let x0 = gi as f64 + 0.1 + bar * si as f64;
        Rectangle::new([(x0, base), (x0 + bar * 0.92, v)], colour.filled())
    };
    if chart == Chart::TokenSize {
        let top = max * 1.2;
        let mut c = builder.build_cartesian_2d(0.0..n, 0.0..top)?;
        c.configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_desc(axis)
            .y_label_formatter(&|v| format!("{v:.0}"))
            .draw()?;
        for (si, s) in series.iter().enumerate() {
            let colour = colour(si);
            let items: Vec<(usize, f64)> = groups
                .iter()
                .enumerate()
                .filter_map(|(gi, g)| value(g, s).map(|v| (gi, v)))
                .collect();
            c.draw_series(items.iter().map(|&(gi, v)| bars(colour, gi, si, v, 0.0)))?;
            c.draw_series(items.iter().map(|&(gi, v)| {
                let x = gi as f64 + 0.1 + bar * (si as f64 + 0.46);
                Text::new(
                    format!("{v:.0}"),
                    (x, v + top * 0.01),
                    // Vertical, reading upwards from just above the bar.
                    ("sans-serif", 10)
                        .into_font()
                        .transform(FontTransform::Rotate270)
                        .into_text_style(&plot)
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                )
            }))?;
        }
        for gi in 0..groups.len() {
            label_at.push(c.plotting_area().map_coordinate(&(gi as f64 + 0.5, 0.0)));
        }
    } else {
        let lo = 10f64.powf((min * 0.8).log10().floor());
        let hi = 10f64.powf((max * 1.25).log10().ceil());
        let mut c = builder.build_cartesian_2d(0.0..n, (lo..hi).log_scale())?;
        c.configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_desc(axis)
            .y_label_formatter(&|v| human_rate(*v).replace("/s", "").trim().to_owned())
            .draw()?;
        for (si, s) in series.iter().enumerate() {
            let colour = colour(si);
            let items: Vec<(usize, f64)> = groups
                .iter()
                .enumerate()
                .filter_map(|(gi, g)| value(g, s).map(|v| (gi, v)))
                .filter(|(_, v)| *v > 0.0)
                .collect();
            c.draw_series(items.iter().map(|&(gi, v)| bars(colour, gi, si, v, lo)))?;
        }
        for gi in 0..groups.len() {
            label_at.push(c.plotting_area().map_coordinate(&(gi as f64 + 0.5, lo)));
        }
    }
    let centred = label_font
        .clone()
        .into_text_style(&root)
        .pos(Pos::new(HPos::Center, VPos::Top));
    for ((alg, key), &(x, y)) in groups.iter().zip(&label_at) {
        root.draw(&Text::new(alg.clone(), (x, y + 6), centred.clone()))?;
        root.draw(&Text::new(key.clone(), (x, y + 21), centred.clone()))?;
    }
    for (si, s) in series.iter().enumerate() {
        let y = 60 + si as i32 * 22;
        legend.draw(&Rectangle::new(
            [(10, y), (24, y + 14)],
            colour(si).filled(),
        ))?;
        legend.draw(&Text::new(
            s.clone(),
            (32, y + 1),
            label_font.clone().into_text_style(&legend),
        ))?;
    }
    root.present()?;
    Ok(())
}

/// Distinct colours for the series.
fn colour(i: usize) -> RGBColor {
    const COLOURS: [RGBColor; 12] = [
        RGBColor(31, 119, 180),
        RGBColor(255, 127, 14),
        RGBColor(44, 160, 44),
        RGBColor(214, 39, 40),
        RGBColor(148, 103, 189),
        RGBColor(140, 86, 75),
        RGBColor(227, 119, 194),
        RGBColor(127, 127, 127),
        RGBColor(188, 189, 34),
        RGBColor(23, 190, 207),
        RGBColor(57, 59, 121),
        RGBColor(173, 73, 74),
    ];
    COLOURS[i % COLOURS.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_units() {
        assert_eq!(human_ns(812.0), "812 ns");
        assert_eq!(human_ns(12_345.0), "12.3 µs");
        assert_eq!(human_ns(4_560_000.0), "4.56 ms");
        assert_eq!(human_ns(1.5e9), "1.50 s");
        assert_eq!(human_rate(1_234_567.0), "1.23 M/s");
        assert_eq!(human_rate(456_000.0), "456 k/s");
        assert_eq!(human_rate(12.34), "12.3 /s");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
