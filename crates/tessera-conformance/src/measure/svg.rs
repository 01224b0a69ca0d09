//! SVG drawing, by hand: horizontal bars (one row per backend or peer, grouped by algorithm
//! and key), a log scale for throughput, the median's interval drawn as a whisker, unstable
//! records drawn hollow. Legible at 100 % zoom; inlined by the HTML report.

use std::fmt::Write as _;

/// Escapes text for XML.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// One bar: a value with its interval.
#[derive(Clone, Debug)]
pub(crate) struct Bar {
    pub value: f64,
    pub low: f64,
    pub high: f64,
    pub text: String,
    pub unstable: bool,
}

/// One row: a library, and its bar in each panel.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    pub label: String,
    pub colour: &'static str,
    pub peer: bool,
    pub bars: Vec<Option<Bar>>,
}

/// Rows under a heading (an algorithm and key).
#[derive(Clone, Debug)]
pub(crate) struct Section {
    pub title: String,
    pub rows: Vec<Row>,
}

/// A chart to draw: panels side by side, sharing the rows.
#[derive(Clone, Debug)]
pub(crate) struct Spec {
    pub name: String,
    pub title: String,
    pub note: String,
    pub panels: Vec<(String, bool)>,
    pub sections: Vec<Section>,
}

const WIDTH: f64 = 980.0;
const LABEL_W: f64 = 200.0;
const ROW_H: f64 = 15.0;
const HEAD_H: f64 = 19.0;
const TEXT_RESERVE: f64 = 92.0;
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif";

/// The x positions of a panel: `(left, right end of the bar area)`.
fn panel_x(i: usize, n: usize) -> (f64, f64) {
    let gap = 24.0;
    let w = (WIDTH - LABEL_W - 10.0 - gap * (n.saturating_sub(1)) as f64) / n.max(1) as f64;
    let left = LABEL_W + i as f64 * (w + gap);
    (left, left + w - TEXT_RESERVE)
}

/// Draws a chart.
pub(crate) fn draw(spec: &Spec) -> String {
    let rows: usize = spec.sections.iter().map(|s| s.rows.len()).sum();
    let top = 62.0;
    let body = spec.sections.len() as f64 * HEAD_H + rows as f64 * ROW_H;
    let height = top + body + 44.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="{FONT}" font-size="11" role="img" aria-label="{title}" data-chart="{name}">"#,
        title = esc(&spec.title),
        name = esc(&spec.name)
    );
    let _ = write!(
        s,
        r##"<title>{t}</title><rect width="100%" height="100%" fill="#ffffff"/><text x="10" y="22" font-size="15" font-weight="600">{t}</text>"##,
        t = esc(&spec.title)
    );
    if rows == 0 {
        let _ = write!(s, r#"<text x="10" y="50">nothing measured</text></svg>"#);
        return s;
    }
    let n = spec.panels.len();
    for (p, (title, log)) in spec.panels.iter().enumerate() {
        let (left, right) = panel_x(p, n);
        let values: Vec<f64> = spec
            .sections
            .iter()
            .flat_map(|sec| &sec.rows)
            .filter_map(|r| r.bars.get(p).cloned().flatten())
            .flat_map(|b| [b.value, b.low, b.high])
            .filter(|v| *v > 0.0)
            .collect();
        let scale = Scale::new(&values, *log, left, right);
        let _ = write!(
            s,
            r##"<text x="{left}" y="44" font-size="12" font-weight="600" fill="#333">{}</text>"##,
            esc(title)
        );
        scale.grid(&mut s, top - 4.0, top + body);
        let mut y = top;
        for sec in &spec.sections {
            y += HEAD_H;
            for row in &sec.rows {
                if let Some(Some(bar)) = row.bars.get(p) {
                    draw_bar(&mut s, &scale, bar, row.colour, y);
                }
                y += ROW_H;
            }
        }
    }
    // Row labels and section headings, once.
    let mut y = top;
    for sec in &spec.sections {
        let _ = write!(
            s,
            r##"<text x="10" y="{}" font-size="12" font-weight="600" fill="#111">{}</text><line x1="10" x2="{}" y1="{}" y2="{}" stroke="#ccc"/>"##,
            y + 14.0,
            esc(&sec.title),
            WIDTH - 10.0,
            y + 17.5,
            y + 17.5
        );
        y += HEAD_H;
        for row in &sec.rows {
            let style = if row.peer {
                r##" font-style="italic" fill="#444""##
            } else {
                r##" fill="#111""##
            };
            let _ = write!(
                s,
                r#"<rect x="{}" y="{}" width="9" height="9" fill="{}"/><text x="{}" y="{}" text-anchor="end"{style}>{}</text>"#,
                LABEL_W - 16.0,
                y + 2.0,
                row.colour,
                LABEL_W - 20.0,
                y + 10.5,
                esc(&row.label)
            );
            y += ROW_H;
        }
    }
    let _ = write!(
        s,
        r##"<text x="10" y="{}" font-size="10.5" fill="#555">{}</text></svg>"##,
        height - 12.0,
        esc(&spec.note)
    );
    s
}

fn draw_bar(s: &mut String, scale: &Scale, bar: &Bar, colour: &str, y: f64) {
    let x0 = scale.left;
    let x = scale.x(bar.value).max(x0 + 1.0);
    let fill = if bar.unstable {
        format!(r#"fill="{colour}" fill-opacity="0.25" stroke="{colour}" stroke-dasharray="3 2""#)
    } else {
        format!(r#"fill="{colour}""#)
    };
    let _ = write!(
        s,
        r#"<rect class="bar" x="{x0:.1}" y="{:.1}" width="{:.1}" height="10" {fill}/>"#,
        y + 1.5,
        x - x0
    );
    let (lo, hi) = (scale.x(bar.low), scale.x(bar.high));
    if hi - lo > 0.5 {
        let yc = y + 6.5;
        let _ = write!(
            s,
            r##"<path class="interval" d="M{lo:.1} {yc:.1}H{hi:.1}M{lo:.1} {:.1}V{:.1}M{hi:.1} {:.1}V{:.1}" stroke="#111" stroke-width="1.2" fill="none"/>"##,
            yc - 3.0,
            yc + 3.0,
            yc - 3.0,
            yc + 3.0
        );
    }
    let _ = write!(
        s,
        r##"<text x="{:.1}" y="{:.1}" font-size="10" fill="#222">{}</text>"##,
        x.max(hi) + 4.0,
        y + 10.5,
        esc(&bar.text)
    );
}

/// A horizontal axis, log or linear.
struct Scale {
    log: bool,
    lo: f64,
    hi: f64,
    left: f64,
    right: f64,
}

impl Scale {
    fn new(values: &[f64], log: bool, left: f64, right: f64) -> Scale {
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(0.0, f64::max);
        let (lo, hi) = if !min.is_finite() || max <= 0.0 {
            (1.0, 10.0)
        } else if log {
            (
                10f64.powf((min * 0.9).log10().floor()),
                10f64.powf((max * 1.05).log10().ceil()),
            )
        } else {
            (0.0, nice_ceiling(max * 1.05))
        };
        Scale {
            log,
            lo,
            hi,
            left,
            right,
        }
    }

    fn x(&self, v: f64) -> f64 {
        let t = if self.log {
            if v <= 0.0 {
                0.0
            } else {
                (v.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10())
            }
        } else {
            (v - self.lo) / (self.hi - self.lo)
        };
        self.left + t.clamp(0.0, 1.0) * (self.right - self.left)
    }

    /// Grid lines and tick labels between `y0` and `y1`.
    fn grid(&self, s: &mut String, y0: f64, y1: f64) {
        let mut ticks: Vec<(f64, bool)> = Vec::new();
        if self.log {
            let mut decade = self.lo;
            while decade <= self.hi * 1.0001 {
                ticks.push((decade, true));
                for m in [2.0, 5.0] {
                    if decade * m < self.hi {
                        ticks.push((decade * m, false));
                    }
                }
                decade *= 10.0;
            }
        } else {
            let step = self.hi / 5.0;
            ticks.extend((0..=5).map(|i| (step * f64::from(i), true)));
        }
        for (v, major) in ticks {
            let x = self.x(v);
            let (stroke, label) = if major {
                ("#d0d0d0", true)
            } else {
                ("#ececec", self.log)
            };
            let _ = write!(
                s,
                r#"<line x1="{x:.1}" x2="{x:.1}" y1="{y0:.1}" y2="{y1:.1}" stroke="{stroke}"/>"#
            );
            if label {
                let text = compact(v);
                let size = if major { "10" } else { "8.5" };
                let _ = write!(
                    s,
                    r##"<text x="{x:.1}" y="{:.1}" font-size="{size}" text-anchor="middle" fill="#666">{}</text>"##,
                    y1 + 13.0,
                    esc(&text)
                );
            }
        }
    }
}

/// A round number at least `v`, that divides into five round steps.
fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|c| *c >= v)
        .unwrap_or(10.0 * p)
}

/// A tick label: `0`, `500`, `2k`, `1.5k`, `10k`, `1M`.
fn compact(v: f64) -> String {
    let (x, unit) = if v >= 1e6 {
        (v / 1e6, "M")
    } else if v >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let digits = if (x - x.round()).abs() < 1e-9 { 0 } else { 1 };
    format!("{x:.digits$}{unit}")
}
