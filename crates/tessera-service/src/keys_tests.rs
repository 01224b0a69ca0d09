// Unit tests: this module is declared under #[cfg(test)] only.
use super::*;
use crate::crypt::Kek;

const OVERLAP: Duration = Duration::from_secs(900);

fn kek() -> Kek {
    Kek::from_bytes(&[7; 32]).unwrap()
}

#[test]
fn states_follow_from_creation_and_activation_times() {
    let k = kek();
    let t = 10_000_000_000;
    // a active since t, b created at t+1000 and pending until t+66000.
    let a = new_key(Some(&k), DEFAULT_ALG, t, t).unwrap();
    let b = new_key(Some(&k), DEFAULT_ALG, t + 1000, t + 66_000).unwrap();
    let records = vec![b.clone(), a.clone()];
    let states = |set: &KeySet| set.info().iter().map(|i| i.state).collect::<Vec<_>>();

    // Pending: both published, a signs.
    let set = build(&records, Some(&k), t + 2000, OVERLAP).unwrap();
    assert_eq!(set.kid(), a.kid);
    assert_eq!(set.kids(), vec![a.kid.clone(), b.kid.clone()]);
    assert_eq!(states(&set), vec![KeyState::Active, KeyState::Pending]);
    assert!(!set.jwks().contains("\"d\""));

    // Activated: b signs, a still published for the overlap.
    let set = build(&records, Some(&k), t + 66_000, OVERLAP).unwrap();
    assert_eq!(set.kid(), b.kid);
    assert_eq!(states(&set), vec![KeyState::Superseded, KeyState::Active]);
    assert_eq!(set.verifiers().unwrap().len(), 2);

    // Past the overlap: a retired, not published.
    let set = build(&records, Some(&k), t + 66_000 + 900_000, OVERLAP).unwrap();
    assert_eq!(set.kids(), vec![b.kid.clone()]);
    assert_eq!(states(&set), vec![KeyState::Retired, KeyState::Active]);
}

#[test]
fn a_sealed_key_needs_its_key_encryption_key() {
    let k = kek();
    let a = new_key(Some(&k), DEFAULT_ALG, 0, 0).unwrap();
    assert_eq!(a.private_jwk.kek_id.as_deref(), Some(k.id()));
    assert!(!String::from_utf8_lossy(&a.private_jwk.value).contains("\"d\""));
    let e = build(std::slice::from_ref(&a), None, 1, OVERLAP).unwrap_err();
    assert!(e.to_string().contains("is not set"), "{e}");
    let other = Kek::from_bytes(&[8; 32]).unwrap();
    let e = build(std::slice::from_ref(&a), Some(&other), 1, OVERLAP).unwrap_err();
    assert!(e.to_string().contains("not with the configured key"), "{e}");
    // Moved to another row (kid): the associated data no longer matches.
    let mut moved = a;
    moved.kid = "another".into();
    let e = build(&[moved], Some(&k), 1, OVERLAP).unwrap_err();
    assert!(e.to_string().contains("fails authentication"), "{e}");
}

#[test]
fn no_active_key_is_an_error() {
    let k = kek();
    let a = new_key(Some(&k), DEFAULT_ALG, 0, 5000).unwrap();
    let e = build(&[a], Some(&k), 10, OVERLAP).unwrap_err();
    assert_eq!(e.to_string(), "no signing key is active yet");
}

#[test]
fn unsupported_algorithms_are_refused() {
    assert!(supported(Algorithm::EdDSA).is_ok());
    let e = supported(Algorithm::HS256).unwrap_err();
    assert_eq!(
        e.to_string(),
        "--alg HS256: not a signing algorithm of this service"
    );
    if tessera::default_backend(Algorithm::MlDsa44).is_none() {
        let e = supported(Algorithm::MlDsa44).unwrap_err();
        assert!(e.to_string().contains("--features mldsa"), "{e}");
    }
}

#[test]
fn keys_of_different_algorithms_rotate_into_each_other() {
    let k = kek();
    let Some(other) = [Algorithm::MlDsa44]
        .into_iter()
        .find(|a| tessera::default_backend(*a).is_some())
    else {
        // Without the mldsa feature only EdDSA exists; the refusal is tested above.
        return;
    };
    let a = new_key(Some(&k), DEFAULT_ALG, 0, 0).unwrap();
    let b = new_key(Some(&k), other, 1000, 5000).unwrap();
    let set = build(&[a.clone(), b.clone()], Some(&k), 6000, OVERLAP).unwrap();
    assert_eq!((set.kid(), set.alg()), (b.kid.as_str(), other));
    let algs: Vec<Algorithm> = set.published().iter().map(|(_, alg)| *alg).collect();
    assert_eq!(algs, vec![DEFAULT_ALG, other]);
    assert_eq!(set.verifiers().unwrap().len(), 2);
}
