// Unit tests: this module is declared under #[cfg(test)] only.
//! Unit tests of the strict JSON check.

use super::*;

fn check(s: &str) -> Result<(), JsonError> {
    scan_object(s.as_bytes(), 64, |_, _| {})
}

#[test]
fn accepts_well_formed() {
    for s in [
        r#"{}"#,
        r#" {"a":1} "#,
        r#"{"a":[1,-2.5e+3,true,false,null,{"b":"c\u00e9\n"}],"d":{}}"#,
        r#"{"emoji":"\ud83d\ude00","x":"\/"}"#,
        "{\"\u{e9}\":0}",
    ] {
        assert_eq!(check(s), Ok(()), "{s}");
    }
}

#[test]
fn rejects_malformed() {
    for s in [
        "",
        "{",
        r#"{"a":}"#,
        r#"{"a":1,}"#,
        r#"{"a" 1}"#,
        r#"{"a":01}"#,
        r#"{"a":1.}"#,
        r#"{"a":tru}"#,
        r#"{"a":"\x"}"#,
        r#"{"a":"\ud800"}"#,
        r#"{"a":"\udc00"}"#,
        "{\"a\":\"\u{1}\"}",
        r#"{} {}"#,
        r#"{"a":1}x"#,
    ] {
        assert!(matches!(check(s), Err(JsonError::Syntax { .. })), "{s}");
    }
}

#[test]
fn rejects_non_objects() {
    for s in ["[]", "1", "\"a\"", "null"] {
        assert_eq!(check(s), Err(JsonError::NotAnObject), "{s}");
    }
}

#[test]
fn rejects_invalid_utf8() {
    assert_eq!(
        scan_object(b"{\"a\":\"\xff\"}", 8, |_, _| {}),
        Err(JsonError::Utf8)
    );
}

#[test]
fn rejects_duplicates_at_any_depth() {
    assert_eq!(
        check(r#"{"a":1,"a":2}"#),
        Err(JsonError::DuplicateMember("a".into()))
    );
    assert_eq!(
        check(r#"{"x":{"b":1,"c":2,"b":3}}"#),
        Err(JsonError::DuplicateMember("b".into()))
    );
    assert_eq!(
        check(r#"{"x":[{"k":1,"k":1}]}"#),
        Err(JsonError::DuplicateMember("k".into()))
    );
}

#[test]
fn rejects_escaped_duplicates() {
    assert_eq!(
        check(r#"{"alg":"HS256","\u0061lg":"none"}"#),
        Err(JsonError::DuplicateMember("alg".into()))
    );
}

#[test]
fn duplicates_found_in_large_objects() {
    let mut s = String::from("{");
    for i in 0..100 {
        s.push_str(&format!("\"k{i}\":{i},"));
    }
    s.push_str("\"k7\":0}");
    assert_eq!(check(&s), Err(JsonError::DuplicateMember("k7".into())));
}

#[test]
fn depth_limit_holds_without_overflow() {
    let deep = "[".repeat(100_000);
    let s = format!("{{\"a\":{deep}");
    assert_eq!(check(&s), Err(JsonError::TooDeep { max: 64 }));
    let ok = format!("{{\"a\":{}{}}}", "[".repeat(62), "]".repeat(62));
    assert_eq!(check(&ok), Ok(()));
    let over = format!("{{\"a\":{}{}}}", "[".repeat(64), "]".repeat(64));
    assert_eq!(check(&over), Err(JsonError::TooDeep { max: 64 }));
}

#[test]
fn reports_top_level_members() {
    let mut seen = Vec::new();
    scan_object(br#"{"s":"x\ny","n":12,"\u0061":[1]}"#, 8, |k, v| {
        seen.push((k.to_owned(), v.kind, v.as_str().map(|c| c.into_owned())));
    })
    .unwrap();
    assert_eq!(
        seen,
        vec![
            ("s".into(), Kind::String, Some("x\ny".into())),
            ("n".into(), Kind::Number, None),
            ("a".into(), Kind::Array, None),
        ]
    );
}

#[test]
fn string_specials_found_at_every_offset() {
    // Past 80 bytes: the word-at-a-time start, the 32-byte blocks and the tail all find them.
    for off in 0..100 {
        let pad = "p".repeat(off);
        let tail = "t".repeat(100 - off);
        let ok = format!(r#"{{"k":"{pad}\"{tail}","\u00e9{pad}":"{pad}é{tail}"}}"#);
        let mut seen = Vec::new();
        scan_object(ok.as_bytes(), 8, |k, v| {
            seen.push((k.to_owned(), v.as_str().map(Cow::into_owned)))
        })
        .unwrap();
        assert_eq!(
            seen,
            vec![
                ("k".into(), Some(format!("{pad}\"{tail}"))),
                (format!("é{pad}"), Some(format!("{pad}é{tail}"))),
            ]
        );
        let control = format!("{{\"k\":\"{pad}\u{1f}{tail}\"}}");
        assert_eq!(
            check(&control),
            Err(JsonError::Syntax { offset: 6 + off }),
            "{off}"
        );
        let unterminated = format!("{{\"k\":\"{pad}");
        assert!(matches!(
            check(&unterminated),
            Err(JsonError::Syntax { .. })
        ));
    }
}

/// `plain_len` agrees with a byte-by-byte search for every special byte, every byte that is
/// not special but close to one, at every offset of inputs up to 100 bytes long.
#[test]
fn plain_len_finds_the_first_special_byte() {
    let naive = |b: &[u8]| {
        b.iter()
            .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
            .unwrap_or(b.len())
    };
    let mut bytes: Vec<u8> = (0..0x20).collect();
    bytes.extend([
        b'"', b'\\', 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x80, 0xA2, 0xDC, 0xFF, b' ',
    ]);
    for len in 0..100 {
        let plain = vec![b'a'; len];
        assert_eq!(plain_len(&plain), len);
        for pos in 0..len {
            for &byte in &bytes {
                let mut b = plain.clone();
                b[pos] = byte;
                assert_eq!(plain_len(&b), naive(&b), "{len} {pos} {byte:#x}");
                // A second special byte after the first changes nothing.
                if pos + 1 < len {
                    b[len - 1] = b'"';
                    assert_eq!(plain_len(&b), naive(&b), "{len} {pos} {byte:#x}");
                }
            }
        }
    }
}

/// `digit_run` agrees with counting digits and `str::parse`, for every length to 24 and every
/// byte that may end a run, at every offset.
#[test]
fn digit_run_reads_like_parse() {
    let digits = "98765432109876543210987654";
    for len in 0..24 {
        for end in [
            &b""[..],
            b".",
            b"e",
            b",",
            b"/",
            b":",
            b"}",
            b" ",
            b"\xff",
            b"5",
        ] {
            let mut b = digits.as_bytes()[..len].to_vec();
            b.extend_from_slice(end);
            b.extend_from_slice(b"123");
            let run = b.iter().take_while(|c| c.is_ascii_digit()).count();
            let text = std::str::from_utf8(&b[..run]).unwrap();
            let want = (run <= 19).then(|| text.parse::<u64>().unwrap_or(0));
            assert_eq!(digit_run(&b), (run, want), "{b:?}");
        }
    }
    assert_eq!(digit_run(b"18446744073709551615"), (20, None));
    assert_eq!(
        digit_run(b"9999999999999999999x"),
        (19, Some(9_999_999_999_999_999_999))
    );
    assert_eq!(digit_run(b"0000000000012"), (13, Some(12)));
}

#[test]
fn names_compared_in_full() {
    for s in [
        r#"{"abcdefghij1":1,"abcdefghij2":2}"#,
        r#"{"abc":1,"abcd":2,"ab":3,"":4}"#,
        r#"{"abcdefgh":1,"abcdefghi":2}"#,
        r#"{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}"#,
    ] {
        assert_eq!(check(s), Ok(()), "{s}");
    }
    for (s, dup) in [
        (r#"{"abcdefghij1":1,"abcdefghij1":2}"#, "abcdefghij1"),
        (r#"{"abcdefgh":1,"abcdefgh":2}"#, "abcdefgh"),
        (r#"{"":1,"":2}"#, ""),
        (r#"{"x":1,"y":2,"x":3}"#, "x"),
    ] {
        assert_eq!(check(s), Err(JsonError::DuplicateMember(dup.into())), "{s}");
    }
}

#[test]
fn utf8_checked_over_the_whole_document() {
    assert_eq!(check("{\"\u{e9}\":\"\u{65e5}\u{672c}\"}"), Ok(()));
    assert_eq!(
        scan_object(b"{\"a\":1}\xff", 8, |_, _| {}),
        Err(JsonError::Utf8)
    );
    assert_eq!(
        scan_object(b"{\"a\xc3\":1}", 8, |_, _| {}),
        Err(JsonError::Utf8)
    );
    // Valid UTF-8 outside a string is a syntax error.
    assert!(matches!(
        check("{\"a\":\u{e9}}"),
        Err(JsonError::Syntax { .. })
    ));
}

#[test]
fn string_arrays() {
    let mut v = Vec::new();
    assert_eq!(for_each_string(r#"[ "a" , "b\"" ]"#, |s| v.push(s)), Ok(()));
    assert_eq!(v, vec!["a", "b\""]);
    assert_eq!(for_each_string(r#"["a",1]"#, |_| {}), Err(()));
    assert_eq!(for_each_string(r#"[]"#, |_| {}), Ok(()));
}

/// The deserializer for checked documents gives what serde_json gives, value for value and
/// failure for failure (the messages differ).
mod deserializer {
    use super::super::de;
    use proptest::prelude::*;
    use serde::Deserialize;
    use serde::de::DeserializeOwned;
    use serde_json::Value;
    use std::borrow::Cow;
    use std::collections::{BTreeMap, HashMap};
    use std::fmt::Debug;

    fn same<T: DeserializeOwned + PartialEq + Debug>(json: &str) {
        let ours: Result<T, _> = de::from_str(json);
        let theirs: Result<T, _> = serde_json::from_str(json);
        // The trusted mode (`Verified::claims`) reads whatever the strict one accepts, alike.
        let trusted: Option<T> = de::trusted(json);
        match (ours, theirs) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "{json}");
                assert_eq!(trusted, Some(b), "{json}");
            }
            (Err(_), Err(_)) => {}
            (a, b) => panic!("{json}: ours {a:?}, serde_json {b:?}"),
        }
    }

    #[derive(Debug, PartialEq, Deserialize)]
    enum E {
        Unit,
        New(i32),
        Tuple(u8, String),
        Struct { a: bool },
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Unit;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Wrapper(u16);

    #[derive(Debug, PartialEq, Deserialize)]
    struct S {
        a: Option<u32>,
        #[serde(default)]
        b: Vec<E>,
        c: Option<Wrapper>,
        #[serde(flatten)]
        rest: BTreeMap<String, Value>,
    }

    #[test]
    fn scalars_like_serde_json() {
        for n in [
            "0",
            "-0",
            "1",
            "-1",
            "255",
            "256",
            "-129",
            "65535",
            "4294967296",
            "1.5",
            "-1.5e3",
            "1e400",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "1E2",
            "0.0",
        ] {
            same::<Value>(n);
            same::<u8>(n);
            same::<i8>(n);
            same::<u16>(n);
            same::<i32>(n);
            same::<u64>(n);
            same::<i64>(n);
            same::<f64>(n);
            same::<f32>(n);
            same::<u128>(n);
            same::<i128>(n);
        }
        for s in [
            r#""a""#,
            r#""é""#,
            r#""\u00e9\n\"\\/""#,
            r#""\ud83d\ude00""#,
            r#""ab""#,
            "true",
            "false",
            "null",
            "[]",
            "{}",
        ] {
            same::<Value>(s);
            same::<String>(s);
            same::<char>(s);
            same::<bool>(s);
            same::<Option<String>>(s);
            same::<()>(s);
            same::<Unit>(s);
        }
    }

    #[test]
    fn containers_like_serde_json() {
        for s in [
            r#"{"a":1,"b":["Unit",{"New":-3},{"Tuple":[1,"x"]},{"Struct":{"a":true}}],"c":7,"z":{"y":[null]}}"#,
            r#"{"a":null,"c":null}"#,
            r#"{"b":["Nope"]}"#,
            r#"{"b":[{"New":1,"Tuple":[1,"x"]}]}"#,
            r#"[1,2]"#,
            r#"{"a":"1"}"#,
        ] {
            same::<S>(s);
            same::<Value>(s);
        }
        for s in ["[1,2,3]", "[1,2]", "[1,2,3,4]", "[]", "[1,[2]]"] {
            same::<[u8; 3]>(s);
            same::<(u8, u8, u8)>(s);
            same::<Vec<u8>>(s);
        }
        for s in [r#"{"1":"a","20":"b"}"#, r#"{"x":"a"}"#, r#"{"-1":"a"}"#] {
            same::<HashMap<u32, String>>(s);
            same::<BTreeMap<i64, String>>(s);
            same::<BTreeMap<String, String>>(s);
        }
        same::<Vec<E>>(r#"["Unit","New",{"Unit":null}]"#);
    }

    #[test]
    fn strings_borrow_unless_escaped() {
        #[derive(Debug, Deserialize)]
        struct B<'a> {
            plain: &'a str,
            #[serde(borrow)]
            cow: Cow<'a, str>,
        }
        let json = r#"{"plain":"abc","cow":"x\ny"}"#;
        let b: B<'_> = de::from_str(json).unwrap();
        assert_eq!((b.plain, b.cow.as_ref()), ("abc", "x\ny"));
        assert!(matches!(b.cow, Cow::Owned(_)));
        let escaped: Result<B<'_>, _> = de::from_str(r#"{"plain":"a\tb","cow":""}"#);
        // serde refuses to borrow an escaped string, as it does with serde_json.
        assert!(escaped.is_err());
        assert!(serde_json::from_str::<B<'_>>(r#"{"plain":"a\tb","cow":""}"#).is_err());
    }

    #[test]
    fn malformed_input_fails_without_panic() {
        for s in [
            "",
            "{",
            "[",
            "\"",
            "\"\\",
            "{\"a\"",
            "{\"a\":",
            "[1,",
            "tru",
            "-",
            "{\"a\":1,}",
            "1 2",
            "\"\u{1}\"",
            "{\"a\" 1}",
            "[1 2]",
        ] {
            assert!(de::from_str::<Value>(s).is_err(), "{s:?}");
        }
        let deep = "[".repeat(100_000);
        assert!(de::from_str::<Value>(&deep).is_err());
        assert!(de::from_str::<de_ignored::Any>(&deep).is_err());
    }

    mod de_ignored {
        /// Ignores every member: the deserializer skips values.
        #[derive(serde::Deserialize)]
        pub struct Any {}
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            ".{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(".{0,6}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_document_reads_as_serde_json_reads_it(v in json_value(), pretty in any::<bool>()) {
            let json = if pretty {
                serde_json::to_string_pretty(&v).unwrap()
            } else {
                serde_json::to_string(&v).unwrap()
            };
            let ours: Value = de::from_str(&json).unwrap();
            let theirs: Value = serde_json::from_str(&json).unwrap();
            let trusted: Option<Value> = de::trusted(&json);
            prop_assert_eq!(trusted, Some(theirs.clone()));
            prop_assert_eq!(ours, theirs);
        }
    }
}

#[test]
fn escape_lengths_and_refusals() {
    use super::escape_len;
    assert_eq!(escape_len(b"n"), Some(1));
    assert_eq!(escape_len(b"/x"), Some(1));
    assert_eq!(escape_len(b"u00e9"), Some(5));
    assert_eq!(escape_len(b"uD83D\\uDE00"), Some(11));
    for bad in [
        &b""[..],
        b"x",
        b"u00",
        b"u00g0",
        b"uDE00",
        b"uD83D",
        b"uD83Dx\\uDE00",
        b"uD83D\\u0041",
        b"uD83D\\uDE0",
    ] {
        assert_eq!(escape_len(bad), None, "{:?}", String::from_utf8_lossy(bad));
    }
}
