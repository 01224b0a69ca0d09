// Unit tests: this module is declared under #[cfg(test)] only.
use super::*;

const HEX: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

#[test]
fn parses_hex_and_base64url_keys() {
    let hex = Kek::parse(HEX).unwrap();
    let bytes: Vec<u8> = (0u8..32).collect();
    let b64 = Kek::parse(&tessera::codec::b64::encode(&bytes)).unwrap();
    assert_eq!(hex.id(), b64.id());
    assert_eq!(hex.id().len(), 16);
    assert_eq!(Kek::parse("abcd").unwrap_err(), CryptError::BadKey);
    assert_eq!(Kek::parse(&HEX[..62]).unwrap_err(), CryptError::BadKey);
    assert_eq!(Kek::from_bytes(&[0; 31]).unwrap_err(), CryptError::BadKey);
    assert!(!format!("{hex:?}").contains("cipher"));
}

#[test]
fn seal_and_open_round_trip_with_fresh_nonces() {
    let kek = Kek::parse(HEX).unwrap();
    let a = seal(Some(&kek), "row", b"secret").unwrap();
    let b = seal(Some(&kek), "row", b"secret").unwrap();
    assert_ne!(a.nonce, b.nonce);
    assert_ne!(a.value, b.value);
    assert_eq!(a.value.len(), 6 + 16);
    assert_eq!(a.kek_id.as_deref(), Some(kek.id()));
    assert_eq!(open(Some(&kek), "row", &a).unwrap(), b"secret");
    // Without a key: stored as is, and read as is even once a key is configured.
    let plain = seal(None, "row", b"secret").unwrap();
    assert_eq!((plain.nonce.as_ref(), plain.kek_id.as_ref()), (None, None));
    assert_eq!(open(Some(&kek), "row", &plain).unwrap(), b"secret");
}

#[test]
fn tampering_wrong_rows_and_wrong_keys_are_refused() {
    let kek = Kek::parse(HEX).unwrap();
    let sealed = seal(Some(&kek), "row", b"secret").unwrap();
    assert_eq!(
        open(Some(&kek), "other row", &sealed).unwrap_err(),
        CryptError::Corrupt
    );
    let mut flipped = sealed.clone();
    if let Some(b) = flipped.value.first_mut() {
        *b ^= 1;
    }
    assert_eq!(
        open(Some(&kek), "row", &flipped).unwrap_err(),
        CryptError::Corrupt
    );
    let mut short_nonce = sealed.clone();
    short_nonce.nonce = Some(vec![0; 11]);
    assert_eq!(
        open(Some(&kek), "row", &short_nonce).unwrap_err(),
        CryptError::Corrupt
    );
    assert_eq!(
        open(None, "row", &sealed).unwrap_err(),
        CryptError::NoKey {
            kek_id: kek.id().to_owned()
        }
    );
    let other = Kek::from_bytes(&[9; 32]).unwrap();
    assert_eq!(
        open(Some(&other), "row", &sealed).unwrap_err(),
        CryptError::WrongKey {
            kek_id: kek.id().to_owned(),
            configured: other.id().to_owned()
        }
    );
}
