//! `report.html`: one self-contained page (inline CSS and SVG, no script, no network: its
//! content security policy forbids every fetch) with the recommendation per algorithm, a chart
//! and a table per family, token sizes beside SAML, the stored build cost, the unstable records
//! and every record.

use super::charts::{FAMILIES, family_name, family_of};
use super::recommend::{self, BuildCost, Line, Recommendation};
use super::render::{human_rate, overhead, plus_minus, relative, stability_word};
use super::svg::esc;
use super::{Chart, Impl, Op, Record, Report, saml};
use std::fmt::Write as _;

const STYLE: &str = "
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif;
  margin: 0; color: #1b1b1b; background: #fafafa; }
main { max-width: 1020px; margin: 0 auto; padding: 16px 20px 60px; background: #fff; }
h1 { font-size: 24px; margin: 8px 0 4px; } h2 { font-size: 19px; margin: 32px 0 8px;
  border-bottom: 1px solid #ddd; padding-bottom: 4px; } h3 { font-size: 15px; margin: 20px 0 6px; }
p.meta { color: #555; margin: 0 0 10px; } nav a { margin-right: 14px; }
table { border-collapse: collapse; font-size: 12.5px; margin: 6px 0 10px; width: 100%; }
th, td { padding: 3px 7px; border-bottom: 1px solid #e5e5e5; text-align: left; vertical-align: top; }
th { background: #f1f1f1; font-weight: 600; } td.n { text-align: right; white-space: nowrap;
  font-variant-numeric: tabular-nums; } tbody tr:nth-child(even) { background: #fbfbfb; }
.unstable { color: #a33; } .badge { display: inline-block; font-size: 11px; padding: 0 5px;
  border-radius: 3px; margin-left: 4px; background: #e7f0fa; color: #1f4e89; }
.badge.pure { background: #e8f5e9; color: #2e6b32; } .badge.fast { background: #fff3d6; color: #7a5200; }
.pick { margin: 2px 0 4px; } ul.caveats { margin: 2px 0 8px; padding-left: 20px; color: #6b3a00; font-size: 13px; }
svg { display: block; max-width: 100%; height: auto; margin: 6px 0; }
details > summary { cursor: pointer; color: #1f4e89; margin: 4px 0; }
.sw { display: inline-block; width: 9px; height: 9px; margin-right: 5px; }
";

fn rate(r: &Record) -> String {
    let mark = if r.stable { "" } else { " †" };
    format!("{} {}{mark}", human_rate(r.ops_per_sec), plus_minus(r))
}

fn cls(r: &Record) -> &'static str {
    if r.stable { "n" } else { "n unstable" }
}

fn speedup_cell(i: Option<&super::stats::Interval>) -> String {
    i.map_or_else(String::new, |i| {
        if (i.high - i.low).abs() < 1e-9 {
            format!("×{:.2}", i.median)
        } else {
            format!("×{:.2} [{:.2}–{:.2}]", i.median, i.low, i.high)
        }
    })
}

fn mib(bytes: u64) -> String {
    format!("{:.2} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn build_cells(line: &Line, cost: Option<&BuildCost>) -> (String, String) {
    match (&line.build, cost) {
        (Some(b), Some(c)) => {
            let cpu = b
                .cpu_seconds
                .map_or_else(String::new, |cpu| format!(" ({cpu:.0} s CPU)"));
            let delta = b.bytes.saturating_sub(c.baseline.bytes);
            (
                format!("{:.0} s{cpu}", b.seconds),
                format!("{} (+{})", mib(b.bytes), mib(delta)),
            )
        }
        _ => ("not stored".to_owned(), String::new()),
    }
}

fn pick(label: &str, p: Option<&(String, bool)>) -> String {
    match p {
        Some((b, true)) => format!("{label}: <b>{}</b>", esc(b)),
        Some((b, false)) => format!("{label}: <b>{}</b> (tied within the interval)", esc(b)),
        None => String::new(),
    }
}

fn recommendation(out: &mut String, rec: &Recommendation, cost: Option<&BuildCost>) {
    let _ = write!(
        out,
        "<h3 id=\"rec-{a}\">{a} <small>({k})</small></h3>\n<p class=\"pick\">",
        a = esc(&rec.alg),
        k = esc(&rec.key)
    );
    let picks: Vec<String> = [
        pick("fastest verify", rec.fastest_verify.as_ref()),
        pick("fastest sign", rec.fastest_sign.as_ref()),
        pick("fastest pure-Rust verify", rec.pure_verify.as_ref()),
        pick("fastest pure-Rust sign", rec.pure_sign.as_ref()),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect();
    let _ = writeln!(out, "{}</p>", picks.join("; "));
    let _ = writeln!(
        out,
        "<table data-table=\"rec-{}\"><thead><tr><th>backend</th><th>verify</th><th>× slowest</th>\
         <th>sign</th><th>× slowest</th><th>clean build</th><th>binary</th><th>needs</th></tr></thead><tbody>",
        esc(&rec.alg)
    );
    for line in &rec.lines {
        let facts = recommend::facts(&line.backend);
        let mut badges = String::new();
        if facts.is_some_and(|f| f.pure_rust) {
            badges.push_str("<span class=\"badge pure\">pure Rust</span>");
        }
        let fastest = [&rec.fastest_verify, &rec.fastest_sign]
            .iter()
            .any(|p| p.as_ref().is_some_and(|(b, _)| *b == line.backend));
        if fastest {
            badges.push_str("<span class=\"badge fast\">fastest</span>");
        }
        let (build, size) = build_cells(line, cost);
        let cell = |r: &Option<Record>| {
            r.as_ref().map_or_else(
                || "<td class=\"n\">—</td>".to_owned(),
                |r| format!("<td class=\"{}\">{}</td>", cls(r), esc(&rate(r))),
            )
        };
        let _ = writeln!(
            out,
            "<tr><td>{}{badges}</td>{}<td class=\"n\">{}</td>{}<td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&line.backend),
            cell(&line.verify),
            speedup_cell(line.verify_speedup.as_ref()),
            cell(&line.sign),
            speedup_cell(line.sign_speedup.as_ref()),
            esc(&build),
            esc(&size),
            esc(facts.map_or("", |f| f.needs)),
        );
    }
    out.push_str("</tbody></table>\n");
    if !rec.caveats.is_empty() {
        out.push_str("<ul class=\"caveats\">");
        for c in &rec.caveats {
            let _ = write!(out, "<li>{}</li>", esc(c));
        }
        out.push_str("</ul>\n");
    }
}

/// A family's table: per algorithm, key and library, verify and sign with intervals and the
/// overhead over the floor.
fn family_table(out: &mut String, name: &str, records: &[&Record]) {
    let _ = writeln!(
        out,
        "<table data-table=\"family-{name}\"><thead><tr><th>alg · key</th><th>library</th>\
         <th>verify</th><th>over floor</th><th>sign</th><th>over floor</th><th>speed vs reference (verify / sign)</th></tr></thead><tbody>"
    );
    for (alg, key) in super::render::groups(records.iter().copied()) {
        let here: Vec<&Record> = records
            .iter()
            .copied()
            .filter(|r| r.alg == alg && r.key == key)
            .collect();
        for lib in super::render::libraries(here.iter().copied()) {
            let find = |op: Op| here.iter().find(|r| r.library == lib && r.op == op);
            let (v, s) = (find(Op::Verify), find(Op::Sign));
            let num = |r: Option<&&Record>| {
                r.map_or_else(
                    || "<td class=\"n\">—</td>".to_owned(),
                    |r| format!("<td class=\"{}\">{}</td>", cls(r), esc(&rate(r))),
                )
            };
            let over = |r: Option<&&Record>| {
                format!(
                    "<td class=\"n\">{}</td>",
                    esc(&r.map_or_else(String::new, |r| overhead(r)))
                )
            };
            let rel = [v, s]
                .iter()
                .map(|r| r.map_or_else(String::new, |r| relative(r)))
                .collect::<Vec<_>>()
                .join(" / ");
            let peer = here
                .iter()
                .any(|r| r.library == lib && r.implementation == Impl::Peer);
            let label = if peer {
                format!("<i>{}</i>", esc(&lib))
            } else {
                esc(&lib)
            };
            let _ = writeln!(
                out,
                "<tr><td>{} · {}</td><td><span class=\"sw\" style=\"background:{}\"></span>{label}</td>{}{}{}{}<td class=\"n\">{}</td></tr>",
                esc(&alg),
                esc(&key),
                super::charts::colour(&lib),
                num(v),
                over(v),
                num(s),
                over(s),
                esc(&rel)
            );
        }
    }
    out.push_str("</tbody></table>\n");
}

fn sizes(out: &mut String, report: &Report) -> Result<(), super::MeasureError> {
    out.push_str(&report.svg(Chart::TokenSize)?);
    out.push_str(
        "<table data-table=\"sizes\"><thead><tr><th>token</th><th>key</th><th>bytes</th>\
         <th>signature</th><th>public JWK</th><th>peers' tokens</th></tr></thead><tbody>\n",
    );
    let tessera = report
        .records
        .iter()
        .filter(|r| r.implementation == Impl::Tessera && r.op == Op::Verify);
    for (alg, key) in super::render::groups(tessera.clone()) {
        let Some(r) = tessera.clone().find(|r| r.alg == alg && r.key == key) else {
            continue;
        };
        let peers: Vec<String> = report
            .records
            .iter()
            .filter(|p| p.implementation == Impl::Peer && p.op == Op::Sign)
            .filter(|p| p.alg == alg && p.key == key)
            .filter_map(|p| p.token_bytes.map(|b| format!("{} {b}", p.library)))
            .collect();
        let o = |v: Option<usize>| v.map_or_else(String::new, |v| v.to_string());
        let _ = writeln!(
            out,
            "<tr><td>JWT {}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&alg),
            esc(&key),
            o(r.token_bytes),
            o(r.signature_bytes),
            o(r.jwk_bytes),
            esc(&peers.join(", "))
        );
    }
    for s in saml::sizes() {
        let _ = writeln!(
            out,
            "<tr><td>{} assertion</td><td></td><td class=\"n\">{}</td><td></td><td></td><td>samlp:Response {} B; HTTP-POST SAMLResponse (base64) {} B</td></tr>",
            esc(s.label),
            s.assertion_bytes,
            s.response_bytes,
            s.post_binding_bytes
        );
    }
    out.push_str("</tbody></table>\n<p>SAML fixtures: <code>scripts/saml/</code>, made by <code>scripts/saml/make.py</code> with signxml (XML-DSig enveloped signature, exclusive c14n, SHA-256, X.509 certificate in KeyInfo).</p>\n");
    Ok(())
}

fn build_cost(out: &mut String, cost: Option<&BuildCost>) {
    let Some(c) = cost.filter(|c| !c.backends.is_empty()) else {
        out.push_str("<p data-table=\"build-cost\">No build cost stored: run <code>scripts/build-cost.sh</code>.</p>\n");
        return;
    };
    let _ = writeln!(
        out,
        "<p>Measured on {} ({}; {}). {}</p>",
        esc(&c.date),
        esc(&c.machine),
        esc(&c.rustc),
        esc(&c.method)
    );
    out.push_str(
        "<table data-table=\"build-cost\"><thead><tr><th>backend</th><th>feature</th><th>clean build</th>\
         <th>CPU</th><th>binary</th><th>over no backend</th><th>needs</th></tr></thead><tbody>\n",
    );
    for b in std::iter::once(&c.baseline).chain(&c.backends) {
        let needs = recommend::facts(&b.backend).map_or("", |f| f.needs);
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{:.0} s</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">+{}</td><td>{}</td></tr>",
            esc(&b.backend),
            esc(&b.feature),
            b.seconds,
            b.cpu_seconds
                .map_or_else(String::new, |s| format!("{s:.0} s")),
            mib(b.bytes),
            mib(b.bytes.saturating_sub(c.baseline.bytes)),
            esc(needs)
        );
    }
    out.push_str("</tbody></table>\n");
}

fn every_record(out: &mut String, report: &Report) {
    let _ = writeln!(
        out,
        "<details><summary>Every record ({})</summary>\n<table data-table=\"records\"><thead><tr>\
         <th>alg</th><th>key</th><th>op</th><th>impl</th><th>library</th><th>median</th><th>interval</th>\
         <th>ops/s</th><th>over floor</th><th>speed vs reference</th><th>stable</th><th>rounds</th><th>note</th></tr></thead><tbody>",
        report.records.len()
    );
    for r in &report.records {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"{}\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&r.alg),
            esc(&r.key),
            r.op.name(),
            r.implementation.name(),
            esc(&r.library),
            esc(&super::render::human_ns(r.ns_median)),
            esc(&plus_minus(r)),
            cls(r),
            esc(&human_rate(r.ops_per_sec)),
            esc(&overhead(r)),
            esc(&relative(r)),
            stability_word(r),
            r.samples,
            esc(r.note.as_deref().unwrap_or(""))
        );
    }
    out.push_str("</tbody></table></details>\n");
}

impl Report {
    /// The self-contained HTML report.
    pub fn html(&self) -> Result<String, super::MeasureError> {
        let cost = recommend::build_cost();
        let mut out = String::with_capacity(1 << 19);
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>tessera backend comparison</title><style>{STYLE}</style></head>\n<body><main>\n\
             <h1>tessera backend comparison</h1>\n"
        );
        let ctx = &self.context;
        let _ = writeln!(
            out,
            "<p class=\"meta\">{} · {} mode · {} CPU(s){} · {} records in {:.0} s · seed {:#x}</p>",
            esc(&ctx.date()),
            self.mode(),
            ctx.cpus,
            ctx.cpu
                .as_deref()
                .map_or_else(String::new, |c| format!(" ({})", esc(c))),
            self.records.len(),
            self.elapsed.as_secs_f64(),
            ctx.seed
        );
        out.push_str(
            "<p>For one algorithm, key and operation, tessera on every backend, each backend's raw \
             primitive (the <i>floor</i>: same prepared key, same signing input) and the peer libraries are \
             timed together, in interleaved rounds of short batches in a shuffled order. Throughput is the \
             median over the rounds, ± half its ~95 % interval; ratios (× slowest, over floor, speed vs \
             reference) are medians of per-round ratios with their interval. A record marked <span class=\"unstable\">†</span> \
             stayed unstable: its interval remained wide after the extra rounds, so its figure is an order \
             of magnitude only. The machine may be shared: compare within this report.</p>\n\
             <nav><a href=\"#recommendations\">recommendations</a><a href=\"#families\">throughput</a>\
             <a href=\"#sizes\">token size</a><a href=\"#build\">build cost</a><a href=\"#floors\">floors</a><a href=\"#unstable\">unstable</a>\
             <a href=\"#records\">every record</a></nav>\n",
        );
        out.push_str(
            "<section id=\"recommendations\"><h2>Which backend, per algorithm</h2>\n<p>At the default key \
             size (RSA 2048 bits). × slowest: speed over the slowest backend for that operation, paired per round. \
             Clean build and binary: the stored build cost (below).</p>\n",
        );
        for rec in self.recommendations() {
            recommendation(&mut out, &rec, cost.as_ref());
        }
        out.push_str("</section>\n<section id=\"families\"><h2>Throughput by family</h2>\n");
        for f in FAMILIES {
            let records: Vec<&Record> = self
                .records
                .iter()
                .filter(|r| r.implementation != Impl::Floor && r.op != Op::Keygen)
                .filter(|r| family_of(&r.alg) == Some(f))
                .collect();
            if records.is_empty() {
                continue;
            }
            out.push_str(&self.svg(Chart::Family(f))?);
            out.push_str("\n<details><summary>table</summary>\n");
            family_table(&mut out, family_name(f), &records);
            out.push_str("</details>\n");
        }
        out.push_str("</section>\n<section id=\"sizes\"><h2>Token size</h2>\n");
        sizes(&mut out, self)?;
        out.push_str("</section>\n<section id=\"build\"><h2>Build cost</h2>\n");
        build_cost(&mut out, cost.as_ref());
        out.push_str("</section>\n<section id=\"floors\"><h2>Floors against peers on the same library</h2>\n");
        self.floors_html(&mut out);
        out.push_str("</section>\n<section id=\"unstable\"><h2>Unstable records</h2>\n");
        let unstable: Vec<&Record> = self.unstable().collect();
        if unstable.is_empty() {
            out.push_str(
                "<p data-table=\"unstable\">None: every interval is within its limit.</p>\n",
            );
        } else {
            out.push_str("<ul data-table=\"unstable\">");
            for r in unstable {
                let _ = write!(
                    out,
                    "<li>{} {} {} {} {}: {} ({} rounds){}</li>",
                    esc(&r.alg),
                    esc(&r.key),
                    r.op.name(),
                    r.implementation.name(),
                    esc(&r.library),
                    esc(&rate(r)),
                    r.samples,
                    r.note
                        .as_deref()
                        .map_or_else(String::new, |n| format!(" — {}", esc(n)))
                );
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</section>\n<section id=\"records\"><h2>Every record</h2>\n");
        every_record(&mut out, self);
        if !self.skipped.is_empty() {
            out.push_str("<h3>Not measured</h3><ul>");
            for s in &self.skipped {
                let _ = write!(out, "<li>{}</li>", esc(s));
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</section>\n</main></body></html>\n");
        Ok(out)
    }
}
