//! What each chart shows: the rows and bars drawn from a report's records (one chart per
//! algorithm family with verify and sign side by side, verify and sign of every family stacked,
//! token sizes beside SAML). [`super::svg`] draws them.

use super::render::human_rate;
use super::svg::{Bar, Row, Section, Spec, draw};
use super::{Impl, MeasureError, Op, Record, Report, saml};
use tessera::Algorithm;
use tessera::codec::Family;

/// An SVG chart of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chart {
    /// Verify and sign throughput of one algorithm family, side by side.
    Family(Family),
    /// Verify throughput of every family, stacked.
    Verify,
    /// Sign throughput of every family, stacked.
    Sign,
    /// Token length per key size, beside a signed SAML 2.0 assertion with the same claims.
    TokenSize,
}

/// The families charted, in order.
pub const FAMILIES: [Family; 5] = [
    Family::Hmac,
    Family::RsaPkcs1,
    Family::RsaPss,
    Family::Ecdsa,
    Family::EdDsa,
];

impl Chart {
    /// Every chart: one per family, then verify, sign and token size.
    pub const ALL: [Chart; 8] = [
        Chart::Family(Family::Hmac),
        Chart::Family(Family::RsaPkcs1),
        Chart::Family(Family::RsaPss),
        Chart::Family(Family::Ecdsa),
        Chart::Family(Family::EdDsa),
        Chart::Verify,
        Chart::Sign,
        Chart::TokenSize,
    ];

    /// A file stem for the chart: `hmac`, `rsa-pkcs1`, `rsa-pss`, `ecdsa`, `eddsa`, `verify`,
    /// `sign` or `token-size`.
    pub const fn name(self) -> &'static str {
        match self {
            Chart::Family(f) => family_name(f),
            Chart::Verify => "verify",
            Chart::Sign => "sign",
            Chart::TokenSize => "token-size",
        }
    }
}

/// The file stem of a family.
pub(crate) const fn family_name(f: Family) -> &'static str {
    match f {
        Family::Hmac => "hmac",
        Family::RsaPkcs1 => "rsa-pkcs1",
        Family::RsaPss => "rsa-pss",
        Family::Ecdsa => "ecdsa",
        _ => "eddsa",
    }
}

/// A family's title.
pub(crate) const fn family_title(f: Family) -> &'static str {
    match f {
        Family::Hmac => "HMAC (HS256, HS384, HS512)",
        Family::RsaPkcs1 => "RSA PKCS#1 v1.5 (RS256, RS384, RS512)",
        Family::RsaPss => "RSA-PSS (PS256, PS384, PS512)",
        Family::Ecdsa => "ECDSA (ES256, ES384, ES512, ES256K)",
        _ => "EdDSA (Ed25519)",
    }
}

/// The family of an algorithm name.
pub(crate) fn family_of(alg: &str) -> Option<Family> {
    Algorithm::ALL
        .into_iter()
        .find(|a| a.name() == alg)
        .map(Algorithm::family)
}

/// Whether an (alg, key) group is charted: every group, except RSA above 2048 bits for any
/// hash but SHA-256 (the hash barely matters next to the modulus; the tables have them all).
pub(crate) fn charted(alg: &str, key: &str) -> bool {
    !(alg.starts_with("RS") || alg.starts_with("PS")) || key == "2048" || alg.ends_with("256")
}

/// The colour of a library, the same in every chart.
pub(crate) fn colour(library: &str) -> &'static str {
    const KNOWN: [(&str, &str); 11] = [
        ("tessera-hmac", "#1f77b4"),
        ("tessera-rsa", "#ff7f0e"),
        ("tessera-ecdsa", "#2ca02c"),
        ("tessera-ed25519", "#d62728"),
        ("tessera-ring", "#9467bd"),
        ("tessera-aws-lc", "#8c564b"),
        ("tessera-openssl", "#e377c2"),
        ("jsonwebtoken (aws_lc_rs)", "#7f7f7f"),
        ("jsonwebtoken (rust_crypto)", "#a6a61c"),
        ("jwt-compact", "#17becf"),
        ("jwt-simple", "#393b79"),
    ];
    KNOWN
        .iter()
        .find(|(l, _)| *l == library)
        .map_or("#555555", |(_, c)| c)
}

fn bar_of(r: &Record) -> Bar {
    let (low, high) = r.ops_interval();
    Bar {
        value: r.ops_per_sec,
        low,
        high,
        text: format!(
            "{}{}",
            human_rate(r.ops_per_sec),
            if r.stable { "" } else { " †" }
        ),
        unstable: !r.stable,
    }
}

/// Sections of throughput rows for the charted groups of `families`, one panel per op.
fn throughput_sections(report: &Report, families: &[Family], ops: &[Op]) -> Vec<Section> {
    let shown: Vec<&Record> = report
        .records
        .iter()
        .filter(|r| r.implementation != Impl::Floor && ops.contains(&r.op))
        .filter(|r| family_of(&r.alg).is_some_and(|f| families.contains(&f)))
        .filter(|r| charted(&r.alg, &r.key))
        .collect();
    let mut sections = Vec::new();
    for (alg, key) in super::render::groups(shown.iter().copied()) {
        let here: Vec<&Record> = shown
            .iter()
            .copied()
            .filter(|r| r.alg == alg && r.key == key)
            .collect();
        let rows = super::render::libraries(here.iter().copied())
            .into_iter()
            .map(|lib| Row {
                colour: colour(&lib),
                peer: here
                    .iter()
                    .any(|r| r.library == lib && r.implementation == Impl::Peer),
                bars: ops
                    .iter()
                    .map(|op| {
                        here.iter()
                            .find(|r| r.library == lib && r.op == *op)
                            .map(|r| bar_of(r))
                    })
                    .collect(),
                label: lib,
            })
            .collect();
        sections.push(Section {
            title: format!("{alg} · {key}"),
            rows,
        });
    }
    sections
}

/// The token-size rows: one per distinct tessera token, with the peers' range, then SAML.
pub(crate) fn token_sections(report: &Report) -> Vec<Section> {
    let tessera: Vec<&Record> = report
        .records
        .iter()
        .filter(|r| r.implementation == Impl::Tessera && r.op == Op::Verify)
        .collect();
    // (key, bytes) -> algorithms
    let mut classes: Vec<(String, usize, Vec<String>)> = Vec::new();
    for r in &tessera {
        let Some(bytes) = r.token_bytes else { continue };
        match classes.iter_mut().find(|c| c.0 == r.key && c.1 == bytes) {
            Some(c) if !c.2.contains(&r.alg) => c.2.push(r.alg.clone()),
            Some(_) => {}
            None => classes.push((r.key.clone(), bytes, vec![r.alg.clone()])),
        }
    }
    let rows: Vec<Row> = classes
        .into_iter()
        .map(|(key, bytes, algs)| {
            let peers: Vec<usize> = report
                .records
                .iter()
                .filter(|r| r.implementation == Impl::Peer && r.op == Op::Sign)
                .filter(|r| r.key == key && algs.contains(&r.alg))
                .filter_map(|r| r.token_bytes)
                .collect();
            let range = match (peers.iter().min(), peers.iter().max()) {
                (Some(lo), Some(hi)) if lo == hi => format!(" · peers {lo}"),
                (Some(lo), Some(hi)) => format!(" · peers {lo}–{hi}"),
                _ => String::new(),
            };
            let label = if algs.len() > 2 {
                let prefixes: Vec<&str> = algs.iter().map(|a| a.get(..2).unwrap_or(a)).collect();
                let mut p = prefixes.clone();
                p.dedup();
                format!("{}* {key}", p.join("*, "))
            } else {
                format!("{} {key}", algs.join(", "))
            };
            Row {
                label,
                colour: "#4c72b0",
                peer: false,
                bars: vec![Some(Bar {
                    value: bytes as f64,
                    low: bytes as f64,
                    high: bytes as f64,
                    text: format!("{bytes} B{range}"),
                    unstable: false,
                })],
            }
        })
        .collect();
    let mut sections = vec![Section {
        title: "JWT (compact JWS), header alg/typ/kid".to_owned(),
        rows,
    }];
    let saml_rows: Vec<Row> = saml::sizes()
        .into_iter()
        .flat_map(|s| {
            [
                (
                    format!("{}: assertion", s.short),
                    s.assertion_bytes,
                    "#c44e52",
                ),
                (
                    format!("{}: POST (base64)", s.short),
                    s.post_binding_bytes,
                    "#dd8452",
                ),
            ]
        })
        .map(|(label, bytes, colour)| Row {
            label,
            colour,
            peer: true,
            bars: vec![Some(Bar {
                value: bytes as f64,
                low: bytes as f64,
                high: bytes as f64,
                text: format!("{bytes} B"),
                unstable: false,
            })],
        })
        .collect();
    if !saml_rows.is_empty() {
        sections.push(Section {
            title: "SAML 2.0, same claims, XML-DSig by signxml (RSA 2048, P-256)".to_owned(),
            rows: saml_rows,
        });
    }
    sections
}

impl Report {
    /// An SVG chart.
    pub fn svg(&self, chart: Chart) -> Result<String, MeasureError> {
        let throughput = |op: &str| (format!("{op} per second (log scale)"), true);
        let spec = match chart {
            Chart::Family(f) => Spec {
                name: family_name(f).to_owned(),
                title: family_title(f).to_owned(),
                note: NOTE.to_owned(),
                panels: vec![throughput("verifications"), throughput("tokens signed")],
                sections: throughput_sections(self, &[f], &[Op::Verify, Op::Sign]),
            },
            Chart::Verify | Chart::Sign => {
                let (op, what, title) = if chart == Chart::Verify {
                    (
                        Op::Verify,
                        "verifications",
                        "Verify: token to validated claims",
                    )
                } else {
                    (Op::Sign, "tokens signed", "Sign: claims to compact token")
                };
                Spec {
                    name: chart.name().to_owned(),
                    title: title.to_owned(),
                    note: NOTE.to_owned(),
                    panels: vec![throughput(what)],
                    sections: throughput_sections(self, &FAMILIES, &[op]),
                }
            }
            Chart::TokenSize => Spec {
                name: "token-size".to_owned(),
                title: "Token size: the same claims (253 bytes of JSON)".to_owned(),
                note: "SAML: signed with the same RSA-2048 and P-256 keys, X.509 certificate in \
                       KeyInfo; base64 is the HTTP-POST binding's SAMLResponse value."
                    .to_owned(),
                panels: vec![("bytes".to_owned(), false)],
                sections: token_sections(self),
            },
        };
        Ok(draw(&spec))
    }
}

const NOTE: &str = "Bar: median over interleaved rounds; whisker: ~95 % interval of the median; \
                    hollow bar and †: unstable. Peers in italics.";
