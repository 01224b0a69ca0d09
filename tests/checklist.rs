//! The suite checklist: every backend that `tessera::backends()` lists takes part in every suite
//! of `tessera conform`, with at least one check each. A new backend added to the facade but
//! skipped by a suite (an early `return`, a filter by name) fails here.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use tessera_conformance::report;

#[test]
fn every_backend_appears_in_every_suite() {
    let backends = tessera::backends();
    assert!(
        backends.len() >= 7,
        "the conformance build enables every backend"
    );
    let report = report::run(&backends);
    for b in &backends {
        let row = report
            .rows
            .iter()
            .find(|r| r.backend == b.name())
            .unwrap_or_else(|| panic!("{} has no row in the conform report", b.name()));
        for (suite, count) in [
            ("vectors", row.vectors),
            ("wycheproof", row.wycheproof),
            ("attacks", row.attacks),
            ("matrix", row.matrix),
            ("keys", row.keys),
        ] {
            assert!(count.total > 0, "{} ran no {suite} check", b.name());
        }
    }
    assert!(report.passed(), "{}", report.failures.join("\n"));
}
