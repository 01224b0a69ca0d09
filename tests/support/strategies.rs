//! proptest strategies for claims: unicode, nesting, large numbers.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Arbitrary JSON values: unicode strings, nesting, large and fractional numbers.
pub fn json_value() -> impl Strategy<Value = Value> {
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

/// A claims object of arbitrary private claims plus `exp`, valid at `now` for an hour.
pub fn claims(now: i64) -> impl Strategy<Value = Value> {
    prop::collection::btree_map("\\PC{1,8}", json_value(), 0..6).prop_map(move |m| {
        let mut obj: Map<String, Value> = m.into_iter().collect();
        for k in ["exp", "nbf", "iat", "iss", "sub", "aud", "jti"] {
            obj.remove(k);
        }
        obj.insert("exp".into(), json!(now + 3600));
        Value::Object(obj)
    })
}
