//! Unit tests of the crate's private helpers.

use crate::ecdsa::split_point;
use tessera_codec::{EcCurve, KeyError};

#[test]
fn split_point_checks_shape() {
    assert!(split_point(EcCurve::P256, &[4; 65]).is_ok());
    assert!(matches!(
        split_point(EcCurve::P256, &[4; 64]),
        Err(KeyError::Invalid(_))
    ));
    assert!(matches!(
        split_point(EcCurve::P256, &[2; 65]),
        Err(KeyError::Invalid(_))
    ));
    assert!(matches!(
        split_point(EcCurve::P256, &[]),
        Err(KeyError::Invalid(_))
    ));
}
