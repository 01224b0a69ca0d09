//! The outputs: JSON, CSV, Markdown, table, SVG, HTML, the stability summary and the
//! recommendation, on the tiny run and on synthetic records.

use super::super::recommend;
use super::super::render::CSV_HEAD;
use super::*;

#[test]
fn json_round_trips_with_the_documented_members() {
    let r = report();
    let json = r.json().unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let arr = value.as_array().unwrap();
    assert_eq!(arr.len(), r.records.len());
    for member in CSV_HEAD {
        assert!(arr.iter().all(|o| o.get(member).is_some()), "{member}");
    }
    for o in arr {
        assert_eq!(o.as_object().unwrap().len(), CSV_HEAD.len(), "{o}");
        assert!(o["stable"].is_boolean());
    }
    assert!(arr.iter().any(|o| o["impl"] == "floor"));
    let back: Vec<Record> = serde_json::from_str(&json).unwrap();
    let mut expected = r.records.clone();
    for e in &mut expected {
        e.round_ns.clear();
    }
    assert_eq!(back, expected);
}

/// Splits one CSV line (RFC 4180 quoting).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(String::new()),
            (c, _) => fields.last_mut().unwrap().push(c),
        }
    }
    assert!(!quoted, "unbalanced quotes: {line}");
    fields
}

#[test]
fn csv_has_one_row_per_record_and_the_json_columns() {
    let r = report();
    let csv = r.csv();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), r.records.len() + 1);
    let header = csv_fields(lines[0]);
    assert_eq!(header, CSV_HEAD);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for (line, rec) in lines[1..].iter().zip(&r.records) {
        let f = csv_fields(line);
        assert_eq!(f.len(), header.len(), "{line}");
        assert_eq!(f[0], rec.implementation.name());
        assert_eq!(f[col("alg")], rec.alg);
        let ns: f64 = f[col("ns_median")].parse().unwrap();
        assert!((ns - rec.ns_median).abs() <= 1.0, "{line}");
        assert_eq!(f[col("stable")], rec.stable.to_string());
    }
    let mut rec = r.records[0].clone();
    rec.note = Some(r#"a, "b""#.into());
    let one = Report {
        records: vec![rec],
        ..r.clone()
    };
    let csv = one.csv();
    let f = csv_fields(csv.lines().nth(1).unwrap());
    assert_eq!(f[col("note")], r#"a, "b""#);
}

#[test]
fn markdown_and_table_are_rectangular_and_mark_the_unstable() {
    let mut r = report().clone();
    // Make one record unstable, so that its mark shows everywhere.
    let i = r
        .records
        .iter()
        .position(|x| x.alg == "ES256" && x.op == Op::Verify && x.implementation == Impl::Tessera)
        .unwrap();
    r.records[i].stable = false;
    let md = r.markdown();
    let mut columns = None;
    let mut tables = 0;
    for line in md.lines() {
        if line.starts_with('|') {
            let n = line.matches('|').count() - line.matches("\\|").count();
            match columns {
                None => {
                    columns = Some(n);
                    tables += 1;
                }
                Some(c) => assert_eq!(c, n, "{line}"),
            }
        } else {
            columns = None;
        }
    }
    assert!(tables >= 5, "{md}");
    assert!(md.contains(" †"), "pivot marks the unstable record");
    assert!(md.contains("UNSTABLE"));
    let table = r.table();
    assert!(table.contains("tessera-hmac") && table.contains("HS256"));
    assert!(
        table
            .lines()
            .any(|l| l.contains("ES256") && l.contains("UNSTABLE"))
    );
    assert!(table.lines().count() > r.records.len());
}

#[test]
fn svg_charts_are_well_formed_and_draw_intervals() {
    let r = report();
    for chart in Chart::ALL {
        let svg = r.svg(chart).unwrap();
        // To look at them: TESSERA_MEASURE_SVG_DIR=/tmp/x cargo test … svg_charts
        if let Some(dir) = std::env::var_os("TESSERA_MEASURE_SVG_DIR") {
            let path = std::path::Path::new(&dir).join(format!("{}.svg", chart.name()));
            std::fs::write(path, &svg).unwrap();
        }
        assert!(svg.starts_with("<svg"), "{chart:?}");
        assert!(svg.ends_with("</svg>"), "{chart:?}");
        assert_eq!(svg.matches("<svg").count(), 1);
        assert!(svg.contains(&format!("data-chart=\"{}\"", chart.name())));
        match chart {
            Chart::Family(tessera::codec::Family::RsaPkcs1 | tessera::codec::Family::RsaPss) => {
                assert!(svg.contains("nothing measured"), "{chart:?}");
            }
            Chart::TokenSize => {
                assert!(svg.contains("RSA-SHA256: assertion"), "{chart:?}");
                assert!(svg.contains("class=\"bar\""));
            }
            _ => {
                assert!(svg.contains("class=\"bar\""), "{chart:?}");
                assert!(
                    svg.contains("class=\"interval\"")
                        || chart == Chart::Family(tessera::codec::Family::Hmac)
                );
                assert!(
                    svg.contains("tessera-ring")
                        || chart == Chart::Family(tessera::codec::Family::Hmac)
                );
            }
        }
    }
    let empty = Report {
        records: Vec::new(),
        ..r.clone()
    };
    assert!(
        empty
            .svg(Chart::Verify)
            .unwrap()
            .contains("nothing measured")
    );
}

#[test]
fn html_is_self_contained_and_has_every_part() {
    let r = report();
    let html = r.html().unwrap();
    if let Some(dir) = std::env::var_os("TESSERA_MEASURE_SVG_DIR") {
        std::fs::write(std::path::Path::new(&dir).join("report.html"), &html).unwrap();
    }
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    for forbidden in ["<script", "http://", "https://", "src="] {
        let outside_text = html
            .replace("https://id.example.com", "")
            .replace("http://www.w3.org/2000/svg", "");
        assert!(!outside_text.contains(forbidden), "{forbidden}");
    }
    for part in [
        "data-table=\"rec-HS256\"",
        "data-table=\"rec-ES256\"",
        "data-table=\"rec-EdDSA\"",
        "data-table=\"family-hmac\"",
        "data-table=\"family-ecdsa\"",
        "data-table=\"sizes\"",
        "data-table=\"build-cost\"",
        "data-table=\"unstable\"",
        "data-table=\"records\"",
        "data-chart=\"hmac\"",
        "data-chart=\"ecdsa\"",
        "data-chart=\"eddsa\"",
        "data-chart=\"token-size\"",
    ] {
        assert!(html.contains(part), "{part}");
    }
    assert!(
        !html.contains("data-chart=\"rsa-pkcs1\""),
        "no RSA measured, no RSA chart"
    );
    assert_eq!(html.matches("<svg").count(), html.matches("</svg>").count());
}

/// `r` with every record stable.
fn all_stable_report(r: &Report) -> Report {
    let mut r = r.clone();
    for x in &mut r.records {
        x.stable = true;
    }
    r
}

#[test]
fn stability_counts_agreement_between_runs() {
    let a = report().clone();
    let mut b = a.clone();
    // Sign/verify records 3 % slower, except three 7 % and one 20 %; one ratio 8 % off.
    let timed: Vec<usize> = (0..b.records.len())
        .filter(|&i| b.records[i].op != Op::Keygen)
        .collect();
    for (k, &i) in timed.iter().enumerate() {
        b.records[i].ns_median *= match k {
            0 => 1.20,
            1..=3 => 1.07,
            _ => 1.03,
        };
    }
    let t = b
        .records
        .iter()
        .position(|r| r.implementation == Impl::Tessera && r.op == Op::Verify)
        .unwrap();
    let before = b.records[t].overhead_ratio.unwrap();
    b.records[t].overhead_ratio = Some(before * 1.08);
    let s = stability(&[a.clone(), b]);
    assert_eq!(s.runs, 2);
    let every = s
        .agreements
        .iter()
        .find(|x| x.what.starts_with("median, every"))
        .unwrap();
    assert_eq!(every.records, timed.len());
    assert_eq!(every.within_10, timed.len() - 1);
    assert_eq!(every.within_5, timed.len() - 4);
    assert!((every.worst - 0.20).abs() < 1e-9);
    let keygen = s
        .agreements
        .iter()
        .find(|x| x.what.contains("key generation"))
        .unwrap();
    assert_eq!(keygen.within_5, keygen.records);
    let over = s
        .agreements
        .iter()
        .find(|x| x.what.starts_with("overhead ratio"))
        .unwrap();
    assert_eq!(over.within_5, over.records - 1);
    assert_eq!(over.within_10, over.records);
    assert!((over.worst - 0.08).abs() < 1e-9, "{over:?}");
    assert!(!s.targets[0].met || over.share_5() >= 0.95);
    let text = s.to_string();
    assert!(text.contains("within 5%") && text.contains("target"));
    // A record unstable in one run leaves the "stable in every run" lines.
    let line = |s: &Stability, what: &str| {
        s.agreements
            .iter()
            .find(|x| x.what == what)
            .unwrap()
            .records
    };
    let mut c = a.clone();
    for r in &mut c.records {
        r.stable = true;
    }
    let mut d = c.clone();
    d.records[t].stable = false;
    let all_stable = stability(&[c.clone(), c]);
    let one_less = stability(&[all_stable_report(&d), d]);
    let what = "overhead ratio, stable in every run";
    assert_eq!(line(&one_less, what), line(&all_stable, what) - 1);
    let same = stability(&[a.clone(), a]);
    assert!(same.targets.iter().all(|t| t.met), "{same}");
    assert!(same.agreements.iter().all(|x| x.within_5 == x.records));
    assert!(same.json().unwrap().contains("\"agreements\""));
}

#[test]
fn recommendation_pairs_rounds_and_names_the_caveats() {
    // Backend A is twice as fast as B in every round, so × slowest is exactly 2.
    let (mut verify, rounds) = synthetic(Op::Verify, 15, false);
    summarize(&mut verify, &rounds, Some(0), &Limits::DEFAULT);
    let (mut sign, rounds) = synthetic(Op::Sign, 15, false);
    summarize(&mut sign, &rounds, Some(0), &Limits::DEFAULT);
    let mut records: Vec<Record> = verify.into_iter().chain(sign).collect();
    for r in &mut records {
        r.alg = "RS256".to_owned();
        r.key = "2048".to_owned();
    }
    let report = Report {
        records,
        ..report().clone()
    };
    let recs = report.recommendations();
    assert_eq!(recs.len(), 1);
    let rec = &recs[0];
    assert_eq!((rec.alg.as_str(), rec.key.as_str()), ("RS256", "2048"));
    assert_eq!(rec.fastest_verify, Some(("tessera-a".to_owned(), true)));
    assert_eq!(rec.fastest_sign, Some(("tessera-a".to_owned(), true)));
    assert_eq!(
        rec.pure_verify, None,
        "neither synthetic backend is known to be pure Rust"
    );
    let a = rec.lines.iter().find(|l| l.backend == "tessera-a").unwrap();
    let up = a.verify_speedup.unwrap();
    assert!((up.median - 2.0).abs() < 1e-12 && (up.low - 2.0).abs() < 1e-12);
    let b = rec.lines.iter().find(|l| l.backend == "tessera-b").unwrap();
    assert!((b.sign_speedup.unwrap().median - 1.0).abs() < 1e-12);
    assert!(rec.caveats.is_empty(), "{:?}", rec.caveats);
    let mut es512 = report.clone();
    for r in &mut es512.records {
        r.alg = "ES512".to_owned();
        r.library = r.library.replace("tessera-a", "tessera-rsa");
    }
    let caveats = &es512.recommendations()[0].caveats;
    assert!(
        caveats.iter().any(|c| c == "not available on tessera-ring"),
        "{caveats:?}"
    );
    assert!(!caveats.iter().any(|c| c.contains("RUSTSEC")), "RSA only");
    assert!(
        recommend::facts("tessera-rsa")
            .unwrap()
            .caveats
            .contains(&recommend::MARVIN)
    );
    assert!(
        recommend::FACTS
            .iter()
            .all(|f| crate::backends().iter().any(|b| b.name() == f.backend))
    );
    let html = report.html().unwrap();
    assert!(html.contains("×2.00"), "speed-up over the slowest shown");
    // The real run: HS256 has a pure-Rust pick and OpenSSL is not in it.
    let real = super::report().recommendations();
    let hs = real.iter().find(|r| r.alg == "HS256").unwrap();
    assert_eq!(
        hs.pure_verify.as_ref().map(|p| p.0.as_str()),
        Some("tessera-hmac")
    );
}

#[test]
fn floors_are_checked_against_peers_on_the_same_library() {
    let (mut records, rounds) = synthetic(Op::Verify, 15, false);
    summarize(&mut records, &rounds, Some(0), &Limits::DEFAULT);
    for r in &mut records {
        r.alg = "ES256".to_owned();
        r.library = match r.library.as_str() {
            "lib-a" => "aws-lc-rs".to_owned(),
            "peer" => "jsonwebtoken (aws_lc_rs)".to_owned(),
            other => other.to_owned(),
        };
    }
    let mut report = Report {
        records,
        ..report().clone()
    };
    // Floor 100 ns, tessera on it 110 ns, the peer 400 ns, drifting together every round.
    let checks = report.floor_checks();
    assert_eq!(checks.len(), 1, "lib-b has no peer on it: {checks:?}");
    let c = &checks[0];
    assert_eq!(
        (c.library.as_str(), c.backend.as_str()),
        ("aws-lc-rs", "tessera-a")
    );
    assert!((c.floor_over_peer.median - 4.0).abs() < 1e-9);
    assert!((c.tessera_over_peer.unwrap().median - 400.0 / 110.0).abs() < 1e-9);
    assert!(!c.floor_beaten() && !c.tessera_beaten());
    assert!(
        report
            .floors_markdown()
            .contains("| ES256 | P-256 | verify | aws-lc-rs | jsonwebtoken (aws_lc_rs) | ×4.00")
    );
    // A peer faster than the floor: the floor is not a floor.
    for r in &mut report.records {
        if r.implementation == Impl::Peer {
            r.round_ns = r.round_ns.iter().map(|ns| ns / 8.0).collect();
        }
    }
    let c = &report.floor_checks()[0];
    assert!(c.floor_beaten() && c.tessera_beaten());
    assert!(report.floors_markdown().contains("not a true floor"));
    let mut html = String::new();
    report.floors_html(&mut html);
    assert!(html.contains("data-table=\"floors\"") && html.contains("not a true floor"));
}
