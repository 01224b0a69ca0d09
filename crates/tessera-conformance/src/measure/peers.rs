//! Peer JWT libraries behind one small interface: sign the benchmark claims, verify a token into
//! owned typed claims with the same issuer, audience and time checks as tessera's.
//!
//! Used by [`crate::measure`] (feature `peers`) and, through `#[path]`, by the top-level
//! `benches/peers.rs`, so both measure the peers the same way. It names the benchmark constants
//! as `crate::measure::…`, which the bench provides with `use tessera_conformance::measure;`.
//!
//! | library | algorithms | crypto |
//! |---------|------------|--------|
//! | `jsonwebtoken (rust_crypto)` 12 | HS*, RS*, PS*, ES256, ES384, EdDSA | RustCrypto, ed25519-dalek |
//! | `jsonwebtoken (aws_lc_rs)` 12 | the same | aws-lc-rs |
//! | `jwt-simple` 0.15, `pure-rust` | HS*, RS*, PS*, ES256, ES384, ES256K, EdDSA | RustCrypto (RSA through superboring), ed25519-compact |
//! | `jwt-compact` 0.9.0-beta.1 | HS*, RS*, PS*, ES256, ES256K, EdDSA | RustCrypto (older generation), ed25519-compact |
//!
//! **How jsonwebtoken picks its provider.** `encode` and `decode` call
//! `CryptoProvider::get_default()`, a process-wide `OnceLock`: either what
//! `CryptoProvider::install_default` stored, or, when exactly one of the features `rust_crypto`
//! and `aws_lc_rs` is enabled, that one. With both enabled (as here) nothing is picked
//! automatically. A provider is a struct of plain function pointers, called on every
//! `encode`/`decode` to build the signer or verifier, so [`install_jsonwebtoken_dispatch`]
//! installs one whose functions forward to either built-in provider, chosen per thread by
//! [`with_provider`]: both providers are measured in one binary, through the real
//! `encode`/`decode`, at the cost of one thread-local read per token.

use crate::measure::{
    AUDIENCE, EXPIRES_AT, ISSUED_AT, ISSUER, KID, NAME, OwnedClaims, ROLES, SUBJECT, TOKEN_ID,
};
use std::fmt::Display;
use std::hint::black_box;
use tessera::codec::KeyMaterial;
use tessera::{Algorithm, Jwk};

type SignFn = Box<dyn Fn() -> Result<String, String> + Send + Sync>;
type VerifyFn = Box<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

/// One peer library set up for one algorithm and key pair.
pub struct Peer {
    /// The library, e.g. `"jwt-simple"` or `"jsonwebtoken (aws_lc_rs)"`.
    pub library: &'static str,
    /// The version requirement it was built with.
    pub version: &'static str,
    sign: SignFn,
    verify: VerifyFn,
}

impl std::fmt::Debug for Peer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Peer")
            .field("library", &self.library)
            .finish()
    }
}

impl Peer {
    /// Signs the benchmark claims (header `alg`, `typ`, `kid`) into a compact token.
    pub fn sign(&self) -> Result<String, String> {
        (self.sign)()
    }

    /// Verifies `token` into owned claims: signature, `exp`, `nbf`, `iss`, `aud`.
    pub fn verify(&self, token: &str) -> Result<(), String> {
        (self.verify)(token)
    }
}

fn e(err: impl Display) -> String {
    err.to_string()
}

/// Every peer library that implements `alg`, set up with `private` (a secret for HMAC) and its
/// `public` half; an `Err` names the library and why it could not be set up.
pub fn peers(alg: Algorithm, private: &Jwk, public: &Jwk) -> Vec<Result<Peer, String>> {
    let keys = match Keys::new(private, public) {
        Ok(k) => k,
        Err(err) => return vec![Err(format!("peer keys: {err}"))],
    };
    let mut out = Vec::new();
    if let Some(p) = jwt::peer(alg, &keys, Provider::RustCrypto) {
        out.push(p.map_err(|err| format!("jsonwebtoken (rust_crypto): {err}")));
    }
    if let Some(p) = jwt::peer(alg, &keys, Provider::AwsLc) {
        out.push(p.map_err(|err| format!("jsonwebtoken (aws_lc_rs): {err}")));
    }
    if let Some(p) = simple::peer(alg, &keys) {
        out.push(p.map_err(|err| format!("jwt-simple: {err}")));
    }
    if let Some(p) = compact::peer(alg, &keys) {
        out.push(p.map_err(|err| format!("jwt-compact: {err}")));
    }
    out
}

/// The key in the forms the peers read.
struct Keys {
    /// The HMAC secret, for HMAC.
    secret: Vec<u8>,
    /// PKCS#8 PEM of the private key (public key included for Ed25519), asymmetric keys.
    private_pem: String,
    /// SPKI PEM of the public key, asymmetric keys.
    public_pem: String,
    /// The private JWK as JSON (public members included).
    private_jwk: String,
    /// The public JWK as JSON.
    public_jwk: String,
}

impl Keys {
    fn new(private: &Jwk, public: &Jwk) -> Result<Keys, String> {
        if let KeyMaterial::Oct(secret) = &private.material {
            return Ok(Keys {
                secret: secret.expose().to_vec(),
                private_pem: String::new(),
                public_pem: String::new(),
                private_jwk: private.to_json(),
                public_jwk: private.to_json(),
            });
        }
        // A PKCS#8 v1 Ed25519 key has no public half: take it from `public`.
        let mut full = private.clone();
        if let (KeyMaterial::Okp(k), KeyMaterial::Okp(p)) = (&mut full.material, &public.material)
            && k.x.is_empty()
        {
            k.x.clone_from(&p.x);
        }
        Ok(Keys {
            secret: Vec::new(),
            private_pem: full.to_private_pem().map_err(e)?.to_string(),
            public_pem: public.to_public_pem().map_err(e)?,
            private_jwk: full.to_json(),
            public_jwk: public.to_json(),
        })
    }
}

/// jsonwebtoken's two built-in crypto providers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    /// `jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER`.
    RustCrypto,
    /// `jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER`.
    AwsLc,
}

thread_local! {
    static CURRENT: std::cell::Cell<Provider> = const { std::cell::Cell::new(Provider::RustCrypto) };
}

/// Runs `f` with jsonwebtoken's `provider` on this thread (after [`install_jsonwebtoken_dispatch`]).
pub fn with_provider<T>(provider: Provider, f: impl FnOnce() -> T) -> T {
    let previous = CURRENT.replace(provider);
    let out = f();
    CURRENT.set(previous);
    out
}

/// Installs, once per process, the jsonwebtoken provider that forwards to the provider
/// [`with_provider`] selected on the calling thread (rust_crypto by default). Fails only when
/// something else installed another provider first.
pub fn install_jsonwebtoken_dispatch() -> Result<(), String> {
    jwt::install()
}

mod jwt {
    use super::{Keys, Peer, Provider, black_box, e};
    use crate::measure::{AUDIENCE, BenchClaims, ISSUER, KID, OwnedClaims};
    use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, aws_lc, rust_crypto};
    use jsonwebtoken::errors::Result as JwtResult;
    use jsonwebtoken::{Algorithm as A, DecodingKey, EncodingKey, Header, Validation};
    use std::sync::LazyLock;
    use tessera::Algorithm;
    use tessera::codec::Family;

    fn current() -> &'static CryptoProvider {
        match super::CURRENT.get() {
            Provider::RustCrypto => &rust_crypto::DEFAULT_PROVIDER,
            Provider::AwsLc => &aws_lc::DEFAULT_PROVIDER,
        }
    }

    fn signer(alg: &A, key: &EncodingKey) -> JwtResult<Box<dyn JwtSigner>> {
        (current().signer_factory)(alg, key)
    }

    fn verifier(alg: &A, key: &DecodingKey) -> JwtResult<Box<dyn JwtVerifier>> {
        (current().verifier_factory)(alg, key)
    }

    static DISPATCH: LazyLock<CryptoProvider> = LazyLock::new(|| CryptoProvider {
        signer_factory: signer,
        verifier_factory: verifier,
        key_utils: rust_crypto::DEFAULT_PROVIDER.key_utils.clone(),
    });

    pub(super) fn install() -> Result<(), String> {
        let mine: &'static CryptoProvider = LazyLock::force(&DISPATCH);
        match CryptoProvider::install_default(mine) {
            Ok(()) => Ok(()),
            Err(existing) if std::ptr::eq(existing, mine) => Ok(()),
            Err(_) => Err("another jsonwebtoken CryptoProvider was installed first".to_owned()),
        }
    }

    pub(super) fn peer(
        alg: Algorithm,
        keys: &Keys,
        provider: Provider,
    ) -> Option<Result<Peer, String>> {
        let a = match alg {
            Algorithm::HS256 => A::HS256,
            Algorithm::HS384 => A::HS384,
            Algorithm::HS512 => A::HS512,
            Algorithm::RS256 => A::RS256,
            Algorithm::RS384 => A::RS384,
            Algorithm::RS512 => A::RS512,
            Algorithm::PS256 => A::PS256,
            Algorithm::PS384 => A::PS384,
            Algorithm::PS512 => A::PS512,
            Algorithm::ES256 => A::ES256,
            Algorithm::ES384 => A::ES384,
            Algorithm::EdDSA => A::EdDSA,
            _ => return None,
        };
        Some(build(alg, a, keys, provider))
    }

    fn build(alg: Algorithm, a: A, keys: &Keys, provider: Provider) -> Result<Peer, String> {
        install()?;
        let (private, public) = match alg.family() {
            Family::Hmac => (
                EncodingKey::from_secret(&keys.secret).map_err(e)?,
                DecodingKey::from_secret(&keys.secret).map_err(e)?,
            ),
            Family::RsaPkcs1 | Family::RsaPss => (
                EncodingKey::from_rsa_pem(keys.private_pem.as_bytes()).map_err(e)?,
                DecodingKey::from_rsa_pem(keys.public_pem.as_bytes()).map_err(e)?,
            ),
            Family::Ecdsa => (
                EncodingKey::from_ec_pem(keys.private_pem.as_bytes()).map_err(e)?,
                DecodingKey::from_ec_pem(keys.public_pem.as_bytes()).map_err(e)?,
            ),
            _ => (
                EncodingKey::from_ed_pem(keys.private_pem.as_bytes()).map_err(e)?,
                DecodingKey::from_ed_pem(keys.public_pem.as_bytes()).map_err(e)?,
            ),
        };
        let mut header = Header::new(a);
        header.kid = Some(KID.to_owned());
        let mut validation = Validation::new(a);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.validate_nbf = true;
        Ok(Peer {
            library: match provider {
                Provider::RustCrypto => "jsonwebtoken (rust_crypto)",
                Provider::AwsLc => "jsonwebtoken (aws_lc_rs)",
            },
            version: "12",
            sign: Box::new(move || {
                super::with_provider(provider, || {
                    jsonwebtoken::encode(&header, &BenchClaims::standard(), &private).map_err(e)
                })
            }),
            verify: Box::new(move |token| {
                super::with_provider(provider, || {
                    let data = jsonwebtoken::decode::<OwnedClaims>(token, &public, &validation)
                        .map_err(e)?;
                    black_box(data);
                    Ok(())
                })
            }),
        })
    }
}

mod simple {
    use super::{
        AUDIENCE, EXPIRES_AT, ISSUED_AT, ISSUER, KID, Keys, NAME, Peer, ROLES, SUBJECT, TOKEN_ID,
        black_box, e,
    };
    use jwt_simple::prelude::*;
    use tessera::Algorithm;

    /// The claims jwt-simple does not model itself.
    #[derive(Clone, Serialize)]
    struct Custom {
        roles: [&'static str; 3],
        name: &'static str,
    }

    /// The same, owned, for verifying.
    #[derive(Deserialize)]
    struct CustomOwned {
        roles: Vec<String>,
        name: String,
    }

    fn secs(t: i64) -> UnixTimeStamp {
        UnixTimeStamp::from_secs(u64::try_from(t).unwrap_or_default())
    }

    fn claims() -> JWTClaims<Custom> {
        JWTClaims {
            issued_at: Some(secs(ISSUED_AT)),
            expires_at: Some(secs(EXPIRES_AT)),
            invalid_before: Some(secs(ISSUED_AT)),
            issuer: Some(ISSUER.to_owned()),
            subject: Some(SUBJECT.to_owned()),
            audiences: Some(Audiences::AsString(AUDIENCE.to_owned())),
            jwt_id: Some(TOKEN_ID.to_owned()),
            nonce: None,
            custom: Custom {
                roles: ROLES,
                name: NAME,
            },
        }
    }

    fn options() -> VerificationOptions {
        VerificationOptions {
            allowed_issuers: Some(HashSet::from_strings(&[ISSUER])),
            allowed_audiences: Some(HashSet::from_strings(&[AUDIENCE])),
            ..VerificationOptions::default()
        }
    }

    fn accept(c: JWTClaims<CustomOwned>) {
        black_box((c.custom.roles, c.custom.name));
    }

    macro_rules! mac {
        ($key:ty, $keys:expr) => {{
            let key = <$key>::from_bytes(&$keys.secret).with_key_id(KID);
            let verifying = key.clone();
            let (claims, options) = (claims(), options());
            Ok(Peer {
                library: "jwt-simple",
                version: "0.15",
                sign: Box::new(move || key.authenticate(claims.clone()).map_err(e)),
                verify: Box::new(move |token| {
                    verifying
                        .verify_token::<CustomOwned>(token, Some(options.clone()))
                        .map(accept)
                        .map_err(e)
                }),
            })
        }};
    }

    macro_rules! pair {
        ($pair:ty, $public:ty, $keys:expr) => {{
            let pair = <$pair>::from_pem(&$keys.private_pem)
                .map_err(e)?
                .with_key_id(KID);
            let public = <$public>::from_pem(&$keys.public_pem).map_err(e)?;
            let (claims, options) = (claims(), options());
            Ok(Peer {
                library: "jwt-simple",
                version: "0.15",
                sign: Box::new(move || pair.sign(claims.clone()).map_err(e)),
                verify: Box::new(move |token| {
                    public
                        .verify_token::<CustomOwned>(token, Some(options.clone()))
                        .map(accept)
                        .map_err(e)
                }),
            })
        }};
    }

    fn build(alg: Algorithm, keys: &Keys) -> Result<Peer, String> {
        match alg {
            Algorithm::HS256 => mac!(HS256Key, keys),
            Algorithm::HS384 => mac!(HS384Key, keys),
            Algorithm::HS512 => mac!(HS512Key, keys),
            Algorithm::RS256 => pair!(RS256KeyPair, RS256PublicKey, keys),
            Algorithm::RS384 => pair!(RS384KeyPair, RS384PublicKey, keys),
            Algorithm::RS512 => pair!(RS512KeyPair, RS512PublicKey, keys),
            Algorithm::PS256 => pair!(PS256KeyPair, PS256PublicKey, keys),
            Algorithm::PS384 => pair!(PS384KeyPair, PS384PublicKey, keys),
            Algorithm::PS512 => pair!(PS512KeyPair, PS512PublicKey, keys),
            Algorithm::ES256 => pair!(ES256KeyPair, ES256PublicKey, keys),
            Algorithm::ES384 => pair!(ES384KeyPair, ES384PublicKey, keys),
            Algorithm::ES256K => pair!(ES256kKeyPair, ES256kPublicKey, keys),
            _ => pair!(Ed25519KeyPair, Ed25519PublicKey, keys),
        }
    }

    pub(super) fn peer(alg: Algorithm, keys: &Keys) -> Option<Result<Peer, String>> {
        (alg != Algorithm::ES512).then(|| build(alg, keys))
    }
}

mod compact {
    use super::{
        AUDIENCE, EXPIRES_AT, ISSUED_AT, ISSUER, KID, Keys, NAME, OwnedClaims, Peer, ROLES,
        SUBJECT, TOKEN_ID, black_box, e,
    };
    use chrono::{DateTime, TimeDelta, Utc};
    use jwt_compact::alg::{Ed25519, Es256, Es256k, Hs256, Hs384, Hs512, Rsa};
    use jwt_compact::jwk::JsonWebKey;
    use jwt_compact::{AlgorithmExt, Claims, Header, TimeOptions, UntrustedToken};
    use serde::Serialize;
    use tessera::Algorithm;

    /// jwt-compact models only `exp`, `nbf` and `iat`; the rest are custom claims.
    #[derive(Serialize)]
    struct Custom {
        iss: &'static str,
        sub: &'static str,
        aud: &'static str,
        jti: &'static str,
        roles: [&'static str; 3],
        name: &'static str,
    }

    /// The owned custom claims for verifying (the registered times are jwt-compact's own).
    #[derive(serde::Deserialize)]
    struct CustomOwned {
        iss: String,
        sub: String,
        aud: String,
        jti: String,
        roles: Vec<String>,
        name: String,
    }

    fn at(t: i64) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(t, 0)
    }

    fn now() -> DateTime<Utc> {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        DateTime::from_timestamp(secs, 0).unwrap_or_default()
    }

    fn claims() -> Claims<Custom> {
        let mut c = Claims::new(Custom {
            iss: ISSUER,
            sub: SUBJECT,
            aud: AUDIENCE,
            jti: TOKEN_ID,
            roles: ROLES,
            name: NAME,
        });
        c.expiration = at(EXPIRES_AT);
        c.not_before = at(ISSUED_AT);
        c.issued_at = at(ISSUED_AT);
        c
    }

    fn generic<A>(alg: A, keys: &Keys) -> Result<Peer, String>
    where
        A: AlgorithmExt + Send + Sync + 'static,
        A::SigningKey:
            for<'a> TryFrom<&'a JsonWebKey<'a>, Error: std::fmt::Display> + Send + Sync + 'static,
        A::VerifyingKey:
            for<'a> TryFrom<&'a JsonWebKey<'a>, Error: std::fmt::Display> + Send + Sync + 'static,
    {
        let private: JsonWebKey<'_> = serde_json::from_str(&keys.private_jwk).map_err(e)?;
        let public: JsonWebKey<'_> = serde_json::from_str(&keys.public_jwk).map_err(e)?;
        let signing = A::SigningKey::try_from(&private).map_err(e)?;
        let verifying = A::VerifyingKey::try_from(&public).map_err(e)?;
        let alg = std::sync::Arc::new(alg);
        let verifier = std::sync::Arc::clone(&alg);
        let header = Header::empty().with_key_id(KID).with_token_type("JWT");
        let claims = claims();
        let time = TimeOptions::new(TimeDelta::zero(), now as fn() -> DateTime<Utc>);
        Ok(Peer {
            library: "jwt-compact",
            version: "0.9.0-beta.1",
            sign: Box::new(move || alg.token(&header, &claims, &signing).map_err(e)),
            verify: Box::new(move |token| {
                let untrusted = UntrustedToken::new(token).map_err(e)?;
                let token = verifier
                    .validator::<CustomOwned>(&verifying)
                    .validate(&untrusted)
                    .map_err(e)?;
                let c = token.claims();
                c.validate_expiration(&time).map_err(e)?;
                c.validate_maturity(&time).map_err(e)?;
                if c.custom.iss != ISSUER || c.custom.aud != AUDIENCE {
                    return Err("issuer or audience mismatch".to_owned());
                }
                let (_, claims) = token.into_parts();
                black_box(OwnedClaims {
                    iss: claims.custom.iss,
                    sub: claims.custom.sub,
                    aud: claims.custom.aud,
                    exp: claims.expiration.map_or(0, |t| t.timestamp()),
                    nbf: claims.not_before.map_or(0, |t| t.timestamp()),
                    iat: claims.issued_at.map_or(0, |t| t.timestamp()),
                    jti: claims.custom.jti,
                    roles: claims.custom.roles,
                    name: claims.custom.name,
                });
                Ok(())
            }),
        })
    }

    pub(super) fn peer(alg: Algorithm, keys: &Keys) -> Option<Result<Peer, String>> {
        Some(match alg {
            Algorithm::HS256 => generic(Hs256, keys),
            Algorithm::HS384 => generic(Hs384, keys),
            Algorithm::HS512 => generic(Hs512, keys),
            Algorithm::RS256 => generic(Rsa::rs256(), keys),
            Algorithm::RS384 => generic(Rsa::rs384(), keys),
            Algorithm::RS512 => generic(Rsa::rs512(), keys),
            Algorithm::PS256 => generic(Rsa::ps256(), keys),
            Algorithm::PS384 => generic(Rsa::ps384(), keys),
            Algorithm::PS512 => generic(Rsa::ps512(), keys),
            Algorithm::ES256 => generic(Es256, keys),
            Algorithm::ES256K => generic::<Es256k>(Es256k::default(), keys),
            Algorithm::EdDSA => generic(Ed25519, keys),
            _ => return None,
        })
    }
}
