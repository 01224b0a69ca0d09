// Unit tests: this module is declared under #[cfg(test)] only.
use super::*;

fn state(used_at: Option<i64>, revoked_at: Option<i64>, successor_unused: bool) -> TokenState {
    TokenState {
        user: User {
            id: 1,
            username: "demo".into(),
            scope: "profile".into(),
        },
        family: "f".into(),
        expires_at: 100,
        used_at,
        revoked_at,
        successor_unused,
    }
}

#[test]
fn classify_retry_reuse_and_invalid() {
    // Used at 10, grace 5: a retry at 10..=14 while the successor is unused.
    assert_eq!(
        classify(&state(Some(10), None, true), 14, 5),
        Verdict::Retry
    );
    assert_eq!(
        classify(&state(Some(10), None, true), 15, 5),
        Verdict::Reuse
    );
    assert_eq!(
        classify(&state(Some(10), None, false), 11, 5),
        Verdict::Reuse
    );
    // No grace: the same second is reuse already.
    assert_eq!(
        classify(&state(Some(10), None, true), 10, 0),
        Verdict::Reuse
    );
    // Used long ago, expired since: still reuse.
    assert_eq!(
        classify(&state(Some(10), None, true), 10_000, 5),
        Verdict::Reuse
    );
    // Revoked: invalid, whatever else.
    assert_eq!(
        classify(&state(Some(10), Some(12), true), 11, 5),
        Verdict::Invalid
    );
    // Unused yet not claimed by the UPDATE: expired.
    assert_eq!(
        classify(&state(None, None, false), 200, 5),
        Verdict::Invalid
    );
}
