//! Published JWS test vectors and backend-independent checks, in one place for the native
//! backends: `tessera-ring` uses this module as `tests/vectors/mod.rs`, `tessera-aws-lc`
//! includes the same file by path. Every check takes a `&dyn Backend` and skips (after
//! checking the `Unsupported` error) the algorithms the backend does not list.
//!
//! Sources, each value copied from the document and then proven by the checks below (a
//! deterministic signature must come out byte for byte, every other one must verify):
//! RFC 7515 Appendix A.1 (HS256), A.2 (RS256), A.3 (ES256), A.4 (ES512); RFC 8037 Appendix A.4
//! (Ed25519); RFC 7520 §4.1 (RS256), §4.2 (PS384), §4.3 (ES512), §4.4 (HS256), with the keys of
//! RFC 7520 §3.2 (P-521), §3.4 (RSA) and §3.5 (HMAC).

#![allow(dead_code)]

use tessera_codec::backend::{Backend, KeySpec};
use tessera_codec::{
    Algorithm, EcKey, Jwk, KeyError, KeyMaterial, KeyRule, OkpKey, RsaKey, SignatureError,
    Validation, b64, verify_jws,
};

/// A published compact JWS and the key that made it.
pub struct Vector {
    /// Where it is published.
    pub source: &'static str,
    /// Its algorithm.
    pub alg: Algorithm,
    /// The JWK, private where the document gives the private key.
    pub key: &'static str,
    /// The compact JWS.
    pub token: &'static str,
    /// The start of the payload, as a check that the right bytes were verified.
    pub payload_starts: &'static [u8],
}

// RFC 7515 Appendix A.1.
pub const RFC7515_A1_KEY: &str = r#"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#;
pub const RFC7515_A1_TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

// RFC 7515 Appendix A.2.
pub const RFC7515_A2_KEY: &str = r#"{"kty":"RSA",
 "n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ",
 "e":"AQAB",
 "d":"Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ",
 "p":"4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc",
 "q":"uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc",
 "dp":"BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz-FOKnu1R6HsJeDCjn12Sk3vmAktV2zb34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0",
 "dq":"h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cjz3_-kyNlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIiTHU",
 "qi":"IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U"}"#;
pub const RFC7515_A2_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

// RFC 7515 Appendix A.3.
pub const RFC7515_A3_KEY: &str = r#"{"kty":"EC","crv":"P-256",
 "x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
 "y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
 "d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#;
pub const RFC7515_A3_TOKEN: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

// RFC 7515 Appendix A.4 (the payload is the string "Payload").
pub const RFC7515_A4_KEY: &str = r#"{"kty":"EC","crv":"P-521",
 "x":"AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk",
 "y":"ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2",
 "d":"AY5pb7A0UFiB3RELSD64fTLOSV_jazdF7fLYyuTw8lOfRhWg6Y6rUrPAxerEzgdRhajnu0ferB0d53vM9mE15j2C"}"#;
pub const RFC7515_A4_TOKEN: &str = "eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA.AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_7XdtAG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn";

// RFC 8037 Appendix A.1 key, A.4 signature (the payload is "Example of Ed25519 signing").
pub const RFC8037_KEY: &str = r#"{"kty":"OKP","crv":"Ed25519",
 "d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
 "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
pub const RFC8037_A4_TOKEN: &str = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

// RFC 7520 §3.4 RSA key, used by §4.1 and §4.2.
pub const RFC7520_RSA_KEY: &str = r#"{"kty":"RSA","kid":"bilbo.baggins@hobbiton.example","use":"sig",
 "n":"n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw",
 "e":"AQAB",
 "d":"bWUC9B-EFRIo8kpGfh0ZuyGPvMNKvYWNtB_ikiH9k20eT-O1q_I78eiZkpXxXQ0UTEs2LsNRS-8uJbvQ-A1irkwMSMkK1J3XTGgdrhCku9gRldY7sNA_AKZGh-Q661_42rINLRCe8W-nZ34ui_qOfkLnK9QWDDqpaIsA-bMwWWSDFu2MUBYwkHTMEzLYGqOe04noqeq1hExBTHBOBdkMXiuFhUq1BU6l-DqEiWxqg82sXt2h-LMnT3046AOYJoRioz75tSUQfGCshWTBnP5uDjd18kKhyv07lhfSJdrPdM5Plyl21hsFf4L_mHCuoFau7gdsPfHPxxjVOcOpBrQzwQ",
 "p":"3Slxg_DwTXJcb6095RoXygQCAZ5RnAvZlno1yhHtnUex_fp7AZ_9nRaO7HX_-SFfGQeutao2TDjDAWU4Vupk8rw9JR0AzZ0N2fvuIAmr_WCsmGpeNqQnev1T7IyEsnh8UMt-n5CafhkikzhEsrmndH6LxOrvRJlsPp6Zv8bUq0k",
 "q":"uKE2dh-cTf6ERF4k4e_jy78GfPYUIaUyoSSJuBzp3Cubk3OCqs6grT8bR_cu0Dm1MZwWmtdqDyI95HrUeq3MP15vMMON8lHTeZu2lmKvwqW7anV5UzhM1iZ7z4yMkuUwFWoBvyY898EXvRD-hdqRxHlSqAZ192zB3pVFJ0s7pFc",
 "dp":"B8PVvXkvJrj2L-GYQ7v3y9r6Kw5g9SahXBwsWUzp19TVlgI-YV85q1NIb1rxQtD-IsXXR3-TanevuRPRt5OBOdiMGQp8pbt26gljYfKU_E9xn-RULHz0-ed9E9gXLKD4VGngpz-PfQ_q29pk5xWHoJp009Qf1HvChixRX59ehik",
 "dq":"CLDmDGduhylc9o7r84rEUVn7pzQ6PF83Y-iBZx5NT-TpnOZKF1pErAMVeKzFEl41DlHHqqBLSM0W1sOFbwTxYWZDm6sI6og5iTbwQGIC3gnJKbi_7k_vJgGHwHxgPaX2PnvP-zyEkDERuf-ry4c_Z11Cq9AqC2yeL6kdKT1cYF8",
 "qi":"3PiqvXQN0zwMeE-sBvZgi289XP9XCQF3VWqPzMKnIgQp7_Tugo6-NZBKCQsMf3HaEGBjTVJs_jcK8-TRXvaKe-7ZMaQj8VfBdYkssbu0NKDDhjJ-GtiseaDVWt7dcH0cfwxgFUHpQh7FoCrjFJ6h6ZEpMF6xmujs4qMpPz8aaI4"}"#;

// RFC 7520 §3.2 P-521 key, used by §4.3.
pub const RFC7520_EC_KEY: &str = r#"{"kty":"EC","kid":"bilbo.baggins@hobbiton.example","use":"sig","crv":"P-521",
 "x":"AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt",
 "y":"AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVySsUdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR1",
 "d":"AAhRON2r9cqXX1hg-RoI6R1tX5p2rUAYdmpHZoC1XNM56KtscrX6zbKipQrCW9CGZH3T4ubpnoTKLDYJ_fF3_rJt"}"#;

// RFC 7520 §3.5 HMAC key, used by §4.4.
pub const RFC7520_HMAC_KEY: &str = r#"{"kty":"oct","kid":"018c0ae5-4d9b-471b-bfd6-eef314bc7037","use":"sig","alg":"HS256",
 "k":"hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg"}"#;

// The RFC 7520 §4 payload, "It’s a dangerous business, Frodo, ...", base64url.
const RFC7520_PAYLOAD: &str = "SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4";

pub const RFC7520_4_1_TOKEN: &str = concat!(
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9.",
    "SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4",
    ".MRjdkly7_-oTPTS3AXP41iQIGKa80A0ZmTuV5MEaHoxnW2e5CZ5NlKtainoFmKZopdHM1O2U4mwzJdQx996ivp83xuglII7PNDi84wnB-BDkoBwA78185hX-Es4JIwmDLJK3lfWRa-XtL0RnltuYv746iYTh_qHRD68BNt1uSNCrUCTJDt5aAE6x8wW1Kt9eRo4QPocSadnHXFxnt8Is9UzpERV0ePPQdLuW3IS_de3xyIrDaLGdjluPxUAhb6L2aXic1U12podGU0KLUQSE_oI-ZnmKJ3F4uOZDnd6QZWJushZ41Axf_fcIe8u9ipH84ogoree7vjbU5y18kDquDg"
);

pub const RFC7520_4_2_TOKEN: &str = concat!(
    "eyJhbGciOiJQUzM4NCIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9.",
    "SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4",
    ".cu22eBqkYDKgIlTpzDXGvaFfz6WGoz7fUDcfT0kkOy42miAh2qyBzk1xEsnk2IpN6-tPid6VrklHkqsGqDqHCdP6O8TTB5dDDItllVo6_1OLPpcbUrhiUSMxbbXUvdvWXzg-UD8biiReQFlfz28zGWVsdiNAUf8ZnyPEgVFn442ZdNqiVJRmBqrYRXe8P_ijQ7p8Vdz0TTrxUeT3lm8d9shnr2lfJT8ImUjvAA2Xez2Mlp8cBE5awDzT0qI0n6uiP1aCN_2_jLAeQTlqRHtfa64QQSUmFAAjVKPbByi7xho0uTOcbH510a6GYmJUAfmWjwZ6oD4ifKo8DYM-X72Eaw"
);

pub const RFC7520_4_3_TOKEN: &str = concat!(
    "eyJhbGciOiJFUzUxMiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9.",
    "SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4",
    ".AE_R_YZCChjn4791jSQCrdPZCNYqHXCTZH0-JZGYNlaAjP2kqaluUIIUnC9qvbu9Plon7KRTzoNEuT4Va2cmL1eJAQy3mtPBu_u_sDDyYjnAMDxXPn7XrT0lw-kvAD890jl8e2puQens_IEKBpHABlsbEPX6sFY8OcGDqoRuBomu9xQ2"
);

pub const RFC7520_4_4_TOKEN: &str = concat!(
    "eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9.",
    "SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4",
    ".s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0"
);

const JOE: &[u8] = b"{\"iss\":\"joe\",\r\n \"exp\":1300819380,";
const FRODO: &[u8] = "It’s a dangerous business, Frodo".as_bytes();

/// Every published vector.
pub const VECTORS: &[Vector] = &[
    Vector {
        source: "RFC 7515 A.1",
        alg: Algorithm::HS256,
        key: RFC7515_A1_KEY,
        token: RFC7515_A1_TOKEN,
        payload_starts: JOE,
    },
    Vector {
        source: "RFC 7515 A.2",
        alg: Algorithm::RS256,
        key: RFC7515_A2_KEY,
        token: RFC7515_A2_TOKEN,
        payload_starts: JOE,
    },
    Vector {
        source: "RFC 7515 A.3",
        alg: Algorithm::ES256,
        key: RFC7515_A3_KEY,
        token: RFC7515_A3_TOKEN,
        payload_starts: JOE,
    },
    Vector {
        source: "RFC 7515 A.4",
        alg: Algorithm::ES512,
        key: RFC7515_A4_KEY,
        token: RFC7515_A4_TOKEN,
        payload_starts: b"Payload",
    },
    Vector {
        source: "RFC 8037 A.4",
        alg: Algorithm::EdDSA,
        key: RFC8037_KEY,
        token: RFC8037_A4_TOKEN,
        payload_starts: b"Example of Ed25519 signing",
    },
    Vector {
        source: "RFC 7520 4.1",
        alg: Algorithm::RS256,
        key: RFC7520_RSA_KEY,
        token: RFC7520_4_1_TOKEN,
        payload_starts: FRODO,
    },
    Vector {
        source: "RFC 7520 4.2",
        alg: Algorithm::PS384,
        key: RFC7520_RSA_KEY,
        token: RFC7520_4_2_TOKEN,
        payload_starts: FRODO,
    },
    Vector {
        source: "RFC 7520 4.3",
        alg: Algorithm::ES512,
        key: RFC7520_EC_KEY,
        token: RFC7520_4_3_TOKEN,
        payload_starts: FRODO,
    },
    Vector {
        source: "RFC 7520 4.4",
        alg: Algorithm::HS256,
        key: RFC7520_HMAC_KEY,
        token: RFC7520_4_4_TOKEN,
        payload_starts: FRODO,
    },
];

/// Parses a JWK constant.
pub fn jwk(json: &str) -> Jwk {
    Jwk::from_json(json.as_bytes()).unwrap()
}

/// The signing input and the decoded signature of a compact JWS.
pub fn split(token: &str) -> (&str, Vec<u8>) {
    let (input, sig) = token.rsplit_once('.').unwrap();
    (input, b64::decode(sig.as_bytes()).unwrap())
}

/// The key a verifier is made from: the public key, or the secret itself for HMAC.
pub fn verifying_key(backend: &dyn Backend, key: &Jwk) -> Jwk {
    if key.kty() == "oct" {
        key.clone()
    } else {
        let public = backend.public_key(key).unwrap();
        assert!(!public.is_private());
        public
    }
}

/// The error a backend gives for an algorithm it does not list.
pub fn unsupported(backend: &dyn Backend, alg: Algorithm) -> KeyError {
    KeyError::Unsupported {
        backend: backend.name(),
        alg,
    }
}

/// Checks every published vector the backend supports: the published signature verifies
/// (through the codec's `verify_jws`, with the public key and with the private key itself),
/// a flipped bit does not, and a deterministic algorithm (HMAC, RSASSA-PKCS1-v1_5, Ed25519)
/// reproduces the published signature byte for byte; for the others the backend's own
/// signature verifies. Returns the sources checked.
pub fn check_vectors(backend: &dyn Backend) -> Vec<&'static str> {
    let mut checked = Vec::new();
    for v in VECTORS {
        let key = jwk(v.key);
        if !backend.supports(v.alg) {
            assert_eq!(
                backend.verifier(&key, v.alg).err(),
                Some(unsupported(backend, v.alg)),
                "{}",
                v.source
            );
            continue;
        }
        let public = verifying_key(backend, &key);
        let (input, sig) = split(v.token);
        for k in [&public, &key] {
            let verifier = backend.verifier(k, v.alg).unwrap();
            assert_eq!(verifier.algorithm(), v.alg);
            assert_eq!(verifier.signature_len(), sig.len(), "{}", v.source);
            let verified = verify_jws(v.token, &verifier, &Validation::new())
                .unwrap_or_else(|e| panic!("{}: {e}", v.source));
            assert!(
                verified.payload().starts_with(v.payload_starts),
                "{}",
                v.source
            );
            let mut bad = sig.clone();
            bad[sig.len() / 2] ^= 0x10;
            assert_eq!(
                verifier.verify(input.as_bytes(), &bad),
                Err(SignatureError::Invalid),
                "{}",
                v.source
            );
        }
        let signer = backend.signer(&key, v.alg).unwrap();
        assert_eq!(signer.key_id(), key.kid.as_deref());
        let mut mine = Vec::new();
        signer.sign(input.as_bytes(), &mut mine).unwrap();
        if v.alg.is_deterministic() {
            assert_eq!(b64::encode(&mine), b64::encode(&sig), "{}", v.source);
        } else {
            let verifier = backend.verifier(&public, v.alg).unwrap();
            assert_eq!(
                verifier.verify(input.as_bytes(), &mine),
                Ok(()),
                "{}",
                v.source
            );
        }
        checked.push(v.source);
    }
    checked
}

/// A key for `alg`: generated when the backend can, else (RSA on a backend that cannot
/// generate RSA keys) the RFC 7520 RSA key.
pub fn key_for(backend: &dyn Backend, alg: Algorithm) -> Jwk {
    match backend.generate(KeySpec::new(alg)) {
        Ok(key) => {
            assert_eq!(key.alg.as_deref(), Some(alg.name()));
            assert!(key.is_private());
            key
        }
        Err(KeyError::Generation(_)) if alg.key_type() == "RSA" => jwk(RFC7520_RSA_KEY),
        Err(e) => panic!("{alg}: {e}"),
    }
}

/// For every algorithm the backend lists: a signature of the right length that verifies
/// with the public key, any change to input or signature is `Invalid`, any other length is
/// `Length`; and every algorithm it does not list is `Unsupported` everywhere.
pub fn check_round_trips(backend: &dyn Backend) {
    for alg in Algorithm::ALL {
        if !backend.supports(alg) {
            let key = jwk(RFC7515_A1_KEY);
            assert_eq!(
                backend.signer(&key, alg).err(),
                Some(unsupported(backend, alg))
            );
            assert_eq!(
                backend.verifier(&key, alg).err(),
                Some(unsupported(backend, alg))
            );
            assert_eq!(
                backend.generate(KeySpec::new(alg)).err(),
                Some(unsupported(backend, alg))
            );
            continue;
        }
        let key = key_for(backend, alg).with_kid("k1");
        let public = verifying_key(backend, &key);
        let signer = backend.signer(&key, alg).unwrap();
        let verifier = backend.verifier(&public, alg).unwrap();
        assert_eq!(signer.algorithm(), alg);
        assert_eq!(signer.key_id(), Some("k1"));
        assert_eq!(verifier.key_id(), Some("k1"));
        if let Some(len) = alg.fixed_signature_len() {
            assert_eq!(verifier.signature_len(), len, "{alg}");
        }
        let mut sig = b"prefix".to_vec();
        signer.sign(b"a.b", &mut sig).unwrap();
        assert_eq!(&sig[..6], b"prefix", "sign appends");
        let sig = sig.split_off(6);
        assert_eq!(sig.len(), verifier.signature_len(), "{alg}");
        assert_eq!(verifier.verify(b"a.b", &sig), Ok(()), "{alg}");
        assert_eq!(
            verifier.verify(b"a.c", &sig),
            Err(SignatureError::Invalid),
            "{alg}"
        );
        for i in [0, sig.len() / 2, sig.len() - 1] {
            let mut bad = sig.clone();
            bad[i] ^= 0x01;
            assert_eq!(
                verifier.verify(b"a.b", &bad),
                Err(SignatureError::Invalid),
                "{alg}"
            );
        }
        let n = sig.len();
        for wrong in [&sig[..n - 1], &[sig.as_slice(), &[0]].concat()[..], &[][..]] {
            assert_eq!(
                verifier.verify(b"a.b", wrong),
                Err(SignatureError::Length {
                    expected: n,
                    found: wrong.len()
                }),
                "{alg}"
            );
        }
        assert_eq!(
            verifier.verify(b"a.b", &vec![0u8; n]),
            Err(SignatureError::Invalid)
        );
        assert_eq!(
            verifier.verify(b"a.b", &vec![0xffu8; n]),
            Err(SignatureError::Invalid)
        );
        // Through the codec, with the backend's boxed verifier.
        let token = tessera_codec::Encoder::new(&signer)
            .sign_payload(b"{\"sub\":\"x\"}")
            .unwrap();
        let verified = verify_jws(&token, &verifier, &Validation::new()).unwrap();
        assert_eq!(verified.payload(), b"{\"sub\":\"x\"}");
    }
}

/// Keys the backend must refuse before any cryptography: wrong type, wrong curve, too weak,
/// public key for signing, another algorithm in the JWK, and an RSA key with `d` only.
pub fn check_key_refusals(backend: &dyn Backend) {
    let hmac = jwk(RFC7515_A1_KEY);
    let rsa = jwk(RFC7515_A2_KEY);
    let p256 = jwk(RFC7515_A3_KEY);
    assert_eq!(
        backend.verifier(&rsa, Algorithm::HS256).err(),
        Some(KeyError::WrongKeyType {
            alg: Algorithm::HS256,
            kty: "RSA"
        })
    );
    assert_eq!(
        backend.verifier(&hmac, Algorithm::RS256).err(),
        Some(KeyError::WrongKeyType {
            alg: Algorithm::RS256,
            kty: "oct"
        })
    );
    assert_eq!(
        backend.signer(&p256, Algorithm::ES384).err(),
        Some(KeyError::WrongCurve {
            alg: Algorithm::ES384,
            expected: "P-384",
            found: "P-256"
        })
    );
    assert_eq!(
        backend
            .signer(&Jwk::oct(vec![1u8; 47]), Algorithm::HS384)
            .err(),
        Some(KeyError::TooWeak {
            alg: Algorithm::HS384,
            bits: 376,
            min: 384
        })
    );
    let small = Jwk::new(KeyMaterial::Rsa(RsaKey {
        n: vec![0xc5; 128],
        e: vec![1, 0, 1],
        private: None,
    }));
    assert_eq!(
        backend.verifier(&small, Algorithm::PS256).err(),
        Some(KeyError::TooWeak {
            alg: Algorithm::PS256,
            bits: 1024,
            min: 2048
        })
    );
    assert_eq!(
        backend
            .signer(&backend.public_key(&rsa).unwrap(), Algorithm::RS256)
            .err(),
        Some(KeyError::NotPrivate)
    );
    assert_eq!(
        backend
            .signer(&rsa.clone().with_alg(Algorithm::RS512), Algorithm::RS256)
            .err(),
        Some(KeyError::AlgorithmMismatch {
            alg: Algorithm::RS256,
            key_alg: "RS512".into()
        })
    );
    let mut d_only = rsa.clone();
    if let KeyMaterial::Rsa(k) = &mut d_only.material {
        k.private.as_mut().unwrap().primes = None;
    }
    assert!(matches!(
        backend.signer(&d_only, Algorithm::RS256).err(),
        Some(KeyError::UnsupportedKey(_))
    ));
    // The public half of that key still verifies.
    assert!(backend.verifier(&d_only, Algorithm::RS256).is_ok());
}

/// An EC public key that is not on its curve is refused when the verifier is made, with the
/// same error on every backend.
pub fn check_off_curve_point(backend: &dyn Backend) {
    let mut key = jwk(RFC7515_A3_KEY).to_public().unwrap();
    if let KeyMaterial::Ec(k) = &mut key.material {
        k.y[31] ^= 1;
    }
    assert_eq!(
        backend.verifier(&key, Algorithm::ES256).err(),
        Some(rejected(KeyRule::NotOnCurve))
    );
}

/// An RSA key whose exponent is even, or whose modulus is even, is refused by the codec's
/// rules when the verifier is made.
pub fn check_bad_rsa_public(backend: &dyn Backend) {
    let mut key = jwk(RFC7515_A2_KEY).to_public().unwrap();
    if let KeyMaterial::Rsa(k) = &mut key.material {
        k.e = vec![1, 0, 0];
    }
    assert_eq!(
        backend.verifier(&key, Algorithm::RS256).err(),
        Some(rejected(KeyRule::RsaExponent))
    );
    let mut key = jwk(RFC7515_A2_KEY).to_public().unwrap();
    if let KeyMaterial::Rsa(k) = &mut key.material {
        *k.n.last_mut().unwrap() &= 0xfe;
    }
    assert_eq!(
        backend.verifier(&key, Algorithm::RS256).err(),
        Some(rejected(KeyRule::RsaModulusEven))
    );
    let mut key = jwk(RFC7515_A2_KEY).to_public().unwrap();
    if let KeyMaterial::Rsa(k) = &mut key.material {
        k.n = vec![0xff; 1025];
    }
    assert_eq!(
        backend.verifier(&key, Algorithm::RS256).err(),
        Some(rejected(KeyRule::RsaModulusTooLarge))
    );
}

/// `KeyError::Rejected(rule)`.
pub fn rejected(rule: KeyRule) -> KeyError {
    KeyError::Rejected(rule)
}

/// The signer, the verifier and `public_key` of `key` all fail with `expected`.
pub fn check_refused_everywhere(
    backend: &dyn Backend,
    key: &Jwk,
    alg: Algorithm,
    expected: &KeyError,
) {
    assert_eq!(
        backend.signer(key, alg).err().as_ref(),
        Some(expected),
        "{alg} signer"
    );
    assert_eq!(
        backend.verifier(key, alg).err().as_ref(),
        Some(expected),
        "{alg} verifier"
    );
    assert_eq!(
        backend.public_key(key).err().as_ref(),
        Some(expected),
        "{alg} public_key"
    );
}

/// A private key whose public members are another key's public key is refused by the signer,
/// the verifier and `public_key` alike, for ES256 and EdDSA; so is a private EC key whose
/// point is not on the curve (it cannot be the scalar's point either).
pub fn check_public_mismatch(backend: &dyn Backend) {
    let mismatch = rejected(KeyRule::PublicMismatch);
    let other = backend.generate(KeySpec::new(Algorithm::ES256)).unwrap();
    let mut key = jwk(RFC7515_A3_KEY);
    if let (KeyMaterial::Ec(k), KeyMaterial::Ec(o)) = (&mut key.material, &other.material) {
        k.x.clone_from(&o.x);
        k.y.clone_from(&o.y);
    }
    check_refused_everywhere(backend, &key, Algorithm::ES256, &mismatch);
    let mut key = jwk(RFC7515_A3_KEY);
    if let KeyMaterial::Ec(k) = &mut key.material {
        k.y[31] ^= 1;
    }
    check_refused_everywhere(backend, &key, Algorithm::ES256, &mismatch);

    let other = backend.generate(KeySpec::new(Algorithm::EdDSA)).unwrap();
    let mut key = jwk(RFC8037_KEY);
    if let (KeyMaterial::Okp(k), KeyMaterial::Okp(o)) = (&mut key.material, &other.material) {
        k.x.clone_from(&o.x);
    }
    check_refused_everywhere(backend, &key, Algorithm::EdDSA, &mismatch);
    // The matching keys themselves pass everywhere.
    for (json, alg) in [
        (RFC7515_A3_KEY, Algorithm::ES256),
        (RFC8037_KEY, Algorithm::EdDSA),
    ] {
        let key = jwk(json);
        assert!(backend.signer(&key, alg).is_ok(), "{alg}");
        assert!(backend.verifier(&key, alg).is_ok(), "{alg}");
        assert_eq!(backend.public_key(&key).unwrap(), key.to_public().unwrap());
    }
}

/// An Ed25519 public key of small order (here the identity, `y = 1`) is refused by the codec's
/// rules, from a public and from a private key.
pub fn check_ed25519_small_order(backend: &dyn Backend) {
    let mut identity = vec![0u8; 32];
    identity[0] = 1;
    let public = Jwk::new(KeyMaterial::Okp(OkpKey {
        x: identity.clone(),
        d: None,
    }));
    assert_eq!(
        backend.verifier(&public, Algorithm::EdDSA).err(),
        Some(rejected(KeyRule::Ed25519SmallOrder))
    );
    let mut private = jwk(RFC8037_KEY);
    if let KeyMaterial::Okp(k) = &mut private.material {
        k.x = identity;
    }
    check_refused_everywhere(
        backend,
        &private,
        Algorithm::EdDSA,
        &rejected(KeyRule::Ed25519SmallOrder),
    );
}

/// A canonical 32-byte Ed25519 public key that is not a curve point: `y = 2` (for which
/// `(y^2 - 1) / (d y^2 + 1)` is not a square mod `2^255 - 19`). Neither small order nor
/// non-canonical, so the codec lets it through; only curve arithmetic can tell.
pub fn ed25519_not_a_point() -> Jwk {
    let mut x = vec![0u8; 32];
    x[0] = 2;
    Jwk::new(KeyMaterial::Okp(OkpKey { x, d: None }))
}

// RFC 8410 §10.3 private key (PKCS#8 v1, no public key) and the public key it belongs to.
pub const RFC8410_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";
pub const RFC8410_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";

/// An Ed25519 private key from PEM without its public key: the backend derives the public key,
/// and signs with the key as it is.
pub fn check_ed25519_without_public(backend: &dyn Backend) {
    let private = Jwk::from_pem(RFC8410_PRIVATE).unwrap();
    assert!(matches!(&private.material, KeyMaterial::Okp(OkpKey { x, .. }) if x.is_empty()));
    let public = backend.public_key(&private).unwrap();
    assert_eq!(public, Jwk::from_pem(RFC8410_PUBLIC).unwrap());
    let signer = backend.signer(&private, Algorithm::EdDSA).unwrap();
    let mut sig = Vec::new();
    signer.sign(b"a.b", &mut sig).unwrap();
    let verifier = backend.verifier(&public, Algorithm::EdDSA).unwrap();
    assert_eq!(verifier.verify(b"a.b", &sig), Ok(()));
    // The private key alone also makes a verifier.
    let verifier = backend.verifier(&private, Algorithm::EdDSA).unwrap();
    assert_eq!(verifier.verify(b"a.b", &sig), Ok(()));
    // A public key that does not belong to the seed is refused.
    let mut wrong = jwk(RFC8037_KEY);
    if let KeyMaterial::Okp(k) = &mut wrong.material {
        k.x[0] ^= 1;
    }
    check_refused_everywhere(
        backend,
        &wrong,
        Algorithm::EdDSA,
        &rejected(KeyRule::PublicMismatch),
    );
}

/// The RFC 7515 A.3 key with its public point removed, as a SEC1 file without `publicKey`
/// gives it.
pub fn p256_without_public() -> Jwk {
    let mut key = jwk(RFC7515_A3_KEY);
    if let KeyMaterial::Ec(EcKey { x, y, .. }) = &mut key.material {
        x.clear();
        y.clear();
    }
    key
}

/// Asserts that a typed constructor of the crate under test refused `alg` as outside its
/// type: `Unsupported` naming the backend and `ty`.
fn assert_not_for(backend: &dyn Backend, err: Option<KeyError>, ty: &str, alg: Algorithm) {
    match err {
        Some(KeyError::Unsupported { backend: b, alg: a }) => {
            assert_eq!(b, format!("{} {ty}", backend.name()));
            assert_eq!(a, alg, "{ty}");
        }
        other => panic!("{ty} for {alg}: {other:?}"),
    }
}

/// The typed constructors of the crate under test (`crate::native`, the backend's crate):
/// each refuses the algorithms outside its type, `HmacKey::from_jwk` needs a key that may
/// both sign and verify, and `Debug` shows no secret.
pub fn check_typed_constructors(backend: &dyn Backend) {
    use crate::native::{
        EcdsaSigner, EcdsaVerifier, Ed25519Signer, Ed25519Verifier, HmacKey, RsaSigner, RsaVerifier,
    };
    let oct = Jwk::oct(vec![0u8; 64]);
    let ed = jwk(RFC8037_KEY);
    let not_for = |err, ty, alg| assert_not_for(backend, err, ty, alg);
    not_for(
        RsaSigner::from_jwk(&oct, Algorithm::HS256).err(),
        "RsaSigner",
        Algorithm::HS256,
    );
    not_for(
        RsaVerifier::from_jwk(&oct, Algorithm::ES256).err(),
        "RsaVerifier",
        Algorithm::ES256,
    );
    not_for(
        EcdsaSigner::from_jwk(&oct, Algorithm::HS256).err(),
        "EcdsaSigner",
        Algorithm::HS256,
    );
    not_for(
        EcdsaVerifier::from_jwk(&oct, Algorithm::HS256).err(),
        "EcdsaVerifier",
        Algorithm::HS256,
    );
    not_for(
        HmacKey::new(Algorithm::ES256, &[0u8; 64]).err(),
        "HmacKey",
        Algorithm::ES256,
    );
    not_for(
        Ed25519Signer::from_jwk(&ed, Algorithm::ES256).err(),
        "Ed25519Signer",
        Algorithm::ES256,
    );
    not_for(
        Ed25519Verifier::from_jwk(&ed, Algorithm::RS256).err(),
        "Ed25519Verifier",
        Algorithm::RS256,
    );
    assert!(Ed25519Signer::from_jwk(&ed, Algorithm::EdDSA).is_ok());
    assert!(Ed25519Verifier::from_jwk(&ed, Algorithm::EdDSA).is_ok());

    let mut key = Jwk::oct(vec![7u8; 32]);
    key.key_ops = Some(vec!["verify".into()]);
    assert_eq!(
        HmacKey::from_jwk(&key, Algorithm::HS256).err(),
        Some(KeyError::Usage("signing"))
    );
    // The backend's verifier needs verifying only.
    assert!(backend.verifier(&key, Algorithm::HS256).is_ok());
    key.key_ops = Some(vec!["sign".into()]);
    assert_eq!(
        HmacKey::from_jwk(&key, Algorithm::HS256).err(),
        Some(KeyError::Usage("verifying"))
    );
    key.key_ops = Some(vec!["sign".into(), "verify".into()]);
    let k = HmacKey::from_jwk(&key.with_kid("h"), Algorithm::HS256).unwrap();
    assert_eq!(
        format!("{k:?}"),
        "HmacKey { alg: HS256, kid: Some(\"h\"), .. }"
    );

    let k = HmacKey::new(Algorithm::HS256, &[0x41; 32]).unwrap();
    let d = format!("{k:?}");
    assert!(
        d.contains("HS256") && !d.contains("65") && !d.contains("AAAA"),
        "{d}"
    );
    let s = backend.signer(&ed, Algorithm::EdDSA).unwrap();
    assert_eq!(format!("{s:?}"), "Ed25519Signer { kid: None, .. }");
}
