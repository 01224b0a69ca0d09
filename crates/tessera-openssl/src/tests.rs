//! Unit tests of the private helpers; the public contract is tested in `tests/`.

use crate::ecdsa::scalar_in_range;

#[test]
fn scalar_range_is_one_to_order_minus_one() {
    let order = [0x80, 0x00, 0x01];
    assert!(!scalar_in_range(&[0, 0, 0], &order));
    assert!(scalar_in_range(&[0, 0, 1], &order));
    assert!(scalar_in_range(&[0x80, 0x00, 0x00], &order));
    assert!(!scalar_in_range(&[0x80, 0x00, 0x01], &order));
    assert!(!scalar_in_range(&[0xff, 0xff, 0xff], &order));
}
