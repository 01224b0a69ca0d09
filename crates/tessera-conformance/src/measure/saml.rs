//! Sizes of a signed SAML 2.0 assertion carrying the benchmark claims, for comparison with the
//! JWTs. The fixtures were made once by a real implementation (Python signxml 5.2, XML-DSig
//! enveloped, exclusive c14n, SHA-256) with the same RSA-2048 and P-256 keys, by
//! `scripts/saml/make.py`, which documents what they contain.

/// A SAML fixture's sizes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SamlSize {
    /// `"SAML RSA-SHA256 (2048)"` or `"SAML ECDSA-SHA256 (P-256)"`.
    pub label: &'static str,
    /// `"RSA-SHA256"` or `"ECDSA-SHA256"`.
    pub short: &'static str,
    /// XML-DSig signature method URI's short name: `rsa-sha256`, `ecdsa-sha256`.
    pub method: &'static str,
    /// The signed `saml:Assertion`, bytes as serialized.
    pub assertion_bytes: usize,
    /// The `samlp:Response` that carries it, bytes.
    pub response_bytes: usize,
    /// The HTTP-POST binding's `SAMLResponse` value: the response in base64 (before the form's
    /// URL encoding), bytes.
    pub post_binding_bytes: usize,
}

/// Length of standard base64 with padding.
pub const fn base64_len(n: usize) -> usize {
    n.div_ceil(3) * 4
}

/// The sizes of both fixtures.
pub fn sizes() -> Vec<SamlSize> {
    let rsa_assertion = include_bytes!("../../../../scripts/saml/assertion-rsa-sha256.xml");
    let rsa_response = include_bytes!("../../../../scripts/saml/response-rsa-sha256.xml");
    let ec_assertion = include_bytes!("../../../../scripts/saml/assertion-ecdsa-sha256.xml");
    let ec_response = include_bytes!("../../../../scripts/saml/response-ecdsa-sha256.xml");
    vec![
        SamlSize {
            label: "SAML RSA-SHA256 (2048)",
            short: "RSA-SHA256",
            method: "rsa-sha256",
            assertion_bytes: rsa_assertion.len(),
            response_bytes: rsa_response.len(),
            post_binding_bytes: base64_len(rsa_response.len()),
        },
        SamlSize {
            label: "SAML ECDSA-SHA256 (P-256)",
            short: "ECDSA-SHA256",
            method: "ecdsa-sha256",
            assertion_bytes: ec_assertion.len(),
            response_bytes: ec_response.len(),
            post_binding_bytes: base64_len(ec_response.len()),
        },
    ]
}
