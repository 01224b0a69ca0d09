//! The case x backend table of the key-acceptance matrix.

use super::{BackendRun, Case, Expected, Op, Outcome, Stage};
use std::fmt::Write as _;
use tessera::{Backend, KeyError};

/// A short cell: the error (its rule, for `Rejected`), or what the built key did with the tokens
/// (`good`: the case is a good key, whose tokens must verify).
fn short(o: &Outcome, good: bool) -> String {
    match o {
        Outcome::Refused(KeyError::Rejected(rule)) => format!("{rule:?}"),
        Outcome::Refused(e) => super::error_name(e),
        Outcome::Built { tokens: 0, .. } => "built".into(),
        Outcome::Built { accepted: 0, .. } => "verify:refused".into(),
        Outcome::Built { accepted, tokens } if good && accepted == tokens => {
            format!("ok {accepted}/{tokens}")
        }
        Outcome::Built { accepted, tokens } => format!("ACCEPTED {accepted}/{tokens}"),
    }
}

/// One backend's cell: one outcome when every constructor did the same, else each one's
/// (`v` verifier, `s` signer, `p` public key); `!` marks a backend that failed the case.
fn cell(run: &BackendRun, good: bool) -> String {
    if good && run.verdict.passed() {
        // Every constructor built; the verifier's token count says the rest.
        let verifier = run.ops.iter().find(|(op, _)| *op == Op::Verifier);
        return verifier.map_or_else(|| "ok".into(), |(_, o)| short(o, good));
    }
    let outcomes: Vec<String> = run.ops.iter().map(|(_, o)| short(o, good)).collect();
    let body = match outcomes.split_first() {
        Some((first, rest)) if rest.iter().all(|o| o == first) => first.clone(),
        _ => run
            .ops
            .iter()
            .zip(&outcomes)
            .map(|((op, _), o)| format!("{}:{o}", op.to_string().chars().next().unwrap_or('?')))
            .collect::<Vec<_>>()
            .join(" "),
    };
    if run.verdict.passed() {
        body
    } else {
        format!("!{body}")
    }
}

fn expected(case: &Case) -> String {
    match &case.expected {
        Expected::Accept => "accept".into(),
        Expected::Refuse { error, stage } => {
            let rule = error
                .strip_prefix("Rejected(")
                .and_then(|r| r.strip_suffix(')'))
                .unwrap_or(error);
            match stage {
                Stage::Construction => rule.to_owned(),
                Stage::Verify => format!("{rule}|verify"),
            }
        }
    }
}

/// One line of the table.
struct Row {
    case: String,
    expected: String,
    cells: Vec<String>,
    result: &'static str,
}

/// The table: one row per case, one column per backend (`-` where the backend does not support
/// the algorithm), the expected outcome and the case's result. A cell shows the error a
/// backend refused the key with (the rule, for `KeyError::Rejected`), `verify:refused` when it
/// built a verifier but refused every token, `ACCEPTED n/m` when tokens verified under a key it
/// should have refused, `ok n/m` for a good key; `!` marks a cell that fails the case.
pub fn table(cases: &[Case], backends: &[&'static dyn Backend]) -> String {
    let names: Vec<&str> = backends
        .iter()
        .map(|b| b.name().strip_prefix("tessera-").unwrap_or(b.name()))
        .collect();
    let rows: Vec<Row> = cases
        .iter()
        .map(|c| {
            let good = c.expected == Expected::Accept;
            Row {
                case: c.name.clone(),
                expected: expected(c),
                cells: backends
                    .iter()
                    .map(|b| {
                        c.run_of(b.name())
                            .map_or_else(|| "-".to_owned(), |r| cell(r, good))
                    })
                    .collect(),
                result: if c.passed() { "pass" } else { "FAIL" },
            }
        })
        .collect();
    let width =
        |f: &dyn Fn(&Row) -> usize, min: usize| rows.iter().map(f).max().unwrap_or(0).max(min);
    let w_case = width(&|r| r.case.len(), 4);
    let w_exp = width(&|r| r.expected.len(), 8);
    let w_cols: Vec<usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| width(&|r| r.cells.get(i).map_or(0, String::len), n.len()))
        .collect();
    let mut out = String::new();
    let _ = write!(out, "{:<w_case$}  {:<w_exp$}", "case", "expected");
    for (n, w) in names.iter().zip(&w_cols) {
        let _ = write!(out, "  {n:<w$}");
    }
    let _ = writeln!(out, "  result");
    for r in &rows {
        let _ = write!(out, "{:<w_case$}  {:<w_exp$}", r.case, r.expected);
        for (c, w) in r.cells.iter().zip(&w_cols) {
            let _ = write!(out, "  {c:<w$}");
        }
        let _ = writeln!(out, "  {}", r.result);
    }
    let failed = cases.iter().filter(|c| !c.passed()).count();
    let _ = writeln!(
        out,
        "\n{} cases, {failed} failed. Cells: the error a backend refused the key with (the rule, \
         for KeyError::Rejected); verify:refused = built, every token refused; ACCEPTED n/m = \
         tokens verified under a key that must be refused; ok n/m = good key, tokens verified; \
         v/s/p = verifier, signer, public_key when they differ; ! = fails the case; - = algorithm \
         not supported.",
        cases.len()
    );
    out
}
