//! Property tests of the codec with the HMAC backend: round trips and tamper detection.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use proptest::prelude::*;
use serde_json::{Value, json};
use tessera::{Algorithm, Clock, Encoder, Validation, tessera_hmac::HmacKey};

fn key() -> HmacKey {
    HmacKey::new(Algorithm::HS256, b"0123456789abcdef0123456789abcdef").unwrap()
}

fn rules() -> Validation {
    Validation::new().clock(Clock::Fixed(1_000)).any_audience()
}

/// Arbitrary JSON values: unicode strings, nesting, large and fractional numbers.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e300f64..1e300).prop_map(Value::from),
        "\\PC{0,24}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("\\PC{0,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn claims() -> impl Strategy<Value = Value> {
    prop::collection::btree_map("[a-z]{1,6}", json_value(), 0..6).prop_map(|m| {
        let mut obj: serde_json::Map<String, Value> = m.into_iter().collect();
        // Registered claims keep their registered types so validation can pass.
        for k in ["exp", "nbf", "iat", "iss", "sub", "aud", "jti"] {
            obj.remove(k);
        }
        obj.insert("exp".into(), json!(2_000));
        Value::Object(obj)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn encode_then_decode_round_trips(c in claims()) {
        let token = Encoder::new(key()).encode(&c).unwrap();
        let back: Value = tessera::decode(&token, &key(), &rules()).unwrap();
        prop_assert_eq!(back, c);
    }

    #[test]
    fn any_single_byte_change_is_rejected(c in claims(), pos in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let token = Encoder::new(key()).encode(&c).unwrap();
        let mut bytes = token.clone().into_bytes();
        let i = pos.index(bytes.len());
        prop_assume!(bytes[i] != byte);
        bytes[i] = byte;
        let changed = String::from_utf8_lossy(&bytes).into_owned();
        prop_assert!(tessera::decode::<Value>(&changed, &key(), &rules()).is_err());
    }

    #[test]
    fn decoding_arbitrary_strings_never_panics(s in "\\PC{0,400}") {
        let _ = tessera::decode::<Value>(&s, &key(), &rules());
    }

    #[test]
    fn decoding_dotted_base64ish_strings_never_panics(s in "[A-Za-z0-9_\\-.=+/ ]{0,300}") {
        let _ = tessera::decode::<Value>(&s, &key(), &rules());
    }
}
