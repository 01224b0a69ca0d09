//! Is every floor a true floor? A floor is one backend's library doing the bare operation on a
//! prepared key; a peer JWT library on the *same* crypto library does that and the JWT work
//! besides, so it can never be faster than the floor, and tessera, doing the same JWT work,
//! should not be slower than it. This module finds, from one report, every pair (floor, peer
//! on the same library) measured in the same group and says how they compare, paired per round.

use super::recommend::speedup;
use super::stats::Interval;
use super::{Impl, Record, Report};

/// Which crypto library a peer uses for an algorithm family, named as the floor names it
/// ([`tessera::Backend::library`]); `None` when no backend of tessera's uses that library.
///
/// jwt-simple and jwt-compact are left out: their HMAC (`hmac-sha256`) and Ed25519
/// (`ed25519-compact`) are libraries no backend uses, and their RustCrypto crates are of
/// another generation than tessera's.
fn peer_library(peer: &str, alg: &str) -> Option<&'static str> {
    match peer {
        "jsonwebtoken (aws_lc_rs)" => Some("aws-lc-rs"),
        "jsonwebtoken (rust_crypto)" => Some(match alg {
            "HS256" | "HS384" | "HS512" => "RustCrypto hmac + sha2",
            "EdDSA" => "ed25519-dalek",
            a if a.starts_with("ES") => "RustCrypto p256/p384/p521/k256 + ecdsa",
            a if a.starts_with("RS") || a.starts_with("PS") => "RustCrypto rsa",
            _ => return None,
        }),
        _ => None,
    }
}

/// One floor and one peer on the same library, in the same group (algorithm, key, operation).
#[derive(Clone, Debug, PartialEq)]
pub struct FloorCheck {
    /// The algorithm.
    pub alg: String,
    /// The key.
    pub key: String,
    /// `"sign"` or `"verify"`.
    pub op: &'static str,
    /// The crypto library (the floor's name).
    pub library: String,
    /// The backend the floor belongs to.
    pub backend: String,
    /// The peer.
    pub peer: String,
    /// The floor's speed over the peer's (above 1: the floor is faster, as it must be).
    pub floor_over_peer: Interval,
    /// tessera on that backend: its speed over the peer's (above 1: tessera is faster).
    pub tessera_over_peer: Option<Interval>,
}

impl FloorCheck {
    /// The peer is faster than the floor beyond the interval: the floor is not the fastest
    /// way to use the library, and tessera's backend should use that way.
    pub fn floor_beaten(&self) -> bool {
        self.floor_over_peer.high < 1.0
    }

    /// The peer is faster than tessera on the same library beyond the interval.
    pub fn tessera_beaten(&self) -> bool {
        self.tessera_over_peer.is_some_and(|i| i.high < 1.0)
    }
}

impl Report {
    /// Every (floor, peer on the same library) pair measured in one group, in record order.
    pub fn floor_checks(&self) -> Vec<FloorCheck> {
        let same_group = |a: &Record, b: &Record| a.alg == b.alg && a.key == b.key && a.op == b.op;
        let mut checks = Vec::new();
        for floor in self
            .records
            .iter()
            .filter(|r| r.implementation == Impl::Floor)
        {
            let Some(backend) = &floor.backend else {
                continue;
            };
            let tessera = self.records.iter().find(|r| {
                r.implementation == Impl::Tessera
                    && same_group(r, floor)
                    && r.backend.as_ref() == Some(backend)
            });
            for peer in self.records.iter().filter(|r| {
                r.implementation == Impl::Peer
                    && same_group(r, floor)
                    && peer_library(&r.library, &r.alg) == Some(floor.library.as_str())
            }) {
                let Some(floor_over_peer) = speedup(floor, peer) else {
                    continue;
                };
                checks.push(FloorCheck {
                    alg: floor.alg.clone(),
                    key: floor.key.clone(),
                    op: floor.op.name(),
                    library: floor.library.clone(),
                    backend: backend.clone(),
                    peer: peer.library.clone(),
                    floor_over_peer,
                    tessera_over_peer: tessera.and_then(|t| speedup(t, peer)),
                });
            }
        }
        checks
    }
}

fn interval_text(i: &Interval) -> String {
    format!("×{:.2} [{:.2}–{:.2}]", i.median, i.low, i.high)
}

/// The verdict of a check, in words.
fn verdict(c: &FloorCheck) -> &'static str {
    if c.floor_beaten() {
        "peer faster than the floor: not a true floor"
    } else if c.tessera_beaten() {
        "peer faster than tessera"
    } else {
        "ok"
    }
}

const INTRO: &str = "A floor is the backend's library doing the bare operation on a prepared key; a peer on the \
     same library does that and the JWT work besides, so the floor must be faster (×floor above 1), and \
     tessera, doing the JWT work too, should not be slower than the peer (×tessera at least 1). Speeds over \
     the peer, medians of per-round ratios with their ~95 % interval.";

impl Report {
    /// The floor checks as a Markdown section (empty when there are none).
    pub(crate) fn floors_markdown(&self) -> String {
        use std::fmt::Write as _;
        let checks = self.floor_checks();
        if checks.is_empty() {
            return String::new();
        }
        let mut out = format!(
            "## Floors against peers on the same library\n\n{INTRO}\n\n\
             | alg | key | op | library | peer | ×floor | ×tessera | verdict |\n\
             | --- | --- | --- | --- | --- | ---: | ---: | --- |\n"
        );
        for c in &checks {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                c.alg,
                c.key,
                c.op,
                c.library,
                c.peer,
                interval_text(&c.floor_over_peer),
                c.tessera_over_peer
                    .as_ref()
                    .map_or_else(String::new, interval_text),
                verdict(c)
            );
        }
        out.push('\n');
        out
    }

    /// The floor checks as an HTML table (a paragraph saying so when there are none).
    pub(crate) fn floors_html(&self, out: &mut String) {
        use super::svg::esc;
        use std::fmt::Write as _;
        let checks = self.floor_checks();
        let _ = writeln!(out, "<p>{INTRO}</p>");
        if checks.is_empty() {
            out.push_str(
                "<p data-table=\"floors\">No peer on a floor's library was measured (run with --peers).</p>\n",
            );
            return;
        }
        out.push_str(
            "<table data-table=\"floors\"><thead><tr><th>alg</th><th>key</th><th>op</th><th>library</th>\
             <th>peer</th><th>×floor</th><th>×tessera</th><th>verdict</th></tr></thead><tbody>\n",
        );
        for c in &checks {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{}</td><td>{}</td></tr>",
                esc(&c.alg),
                esc(&c.key),
                c.op,
                esc(&c.library),
                esc(&c.peer),
                esc(&interval_text(&c.floor_over_peer)),
                esc(&c
                    .tessera_over_peer
                    .as_ref()
                    .map_or_else(String::new, interval_text)),
                verdict(c)
            );
        }
        out.push_str("</tbody></table>\n");
    }
}
