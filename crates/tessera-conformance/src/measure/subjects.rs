//! The subjects: tessera on a backend and that backend's floor, key generation, the peers; each
//! prepared once and turned into an [`Entry`] (a record to fill and the work to time).

use super::sampling::Work;
use super::{BenchClaims, Impl, KID, Op, Record, validation};
use crate::fixtures;
use std::hint::black_box;
use tessera::codec::{Family, b64};
use tessera::{Algorithm, Backend, Encoder, Jwk, KeySpec, Signer, Validation, Verifier};

/// One member of a group: the record its rounds fill, and the work timed.
pub(crate) struct Entry<'a> {
    /// Everything but the timing.
    pub record: Record,
    /// One call of the operation.
    pub work: Work<'a>,
}

/// A key size measured for an algorithm.
pub(crate) struct KeyCase {
    /// `"2048"`, `"P-256"`, `"oct-256"`…
    pub label: String,
    /// RSA modulus bits.
    pub bits: Option<usize>,
    /// The fixture key.
    pub private: Result<Jwk, tessera::KeyError>,
}

/// The key sizes measured for `alg`.
pub(crate) fn key_cases(alg: Algorithm) -> Vec<KeyCase> {
    match alg.family() {
        Family::Hmac => vec![KeyCase {
            label: format!("oct-{}", alg.hash().output_len() * 8),
            bits: None,
            private: fixtures::private_key(alg),
        }],
        Family::RsaPkcs1 | Family::RsaPss => [2048, 3072, 4096]
            .into_iter()
            .map(|bits| KeyCase {
                label: bits.to_string(),
                bits: Some(bits),
                private: fixtures::rsa_key(bits),
            })
            .collect(),
        Family::Ecdsa => vec![KeyCase {
            label: alg.curve().map_or("EC", |c| c.name()).to_owned(),
            bits: None,
            private: fixtures::private_key(alg),
        }],
        Family::EdDsa => vec![KeyCase {
            label: "Ed25519".to_owned(),
            bits: None,
            private: fixtures::private_key(alg),
        }],
        // ML-DSA: the parameter set is the key size.
        _ => vec![KeyCase {
            label: alg.name().to_owned(),
            bits: None,
            private: fixtures::private_key(alg),
        }],
    }
}

/// The validation of every verify, built once.
static VALIDATION: std::sync::LazyLock<Validation> = std::sync::LazyLock::new(validation);

/// One backend, algorithm and key, prepared: tessera's encoder and verifier, and a token.
pub(crate) struct Subject {
    pub backend: &'static dyn Backend,
    pub alg: Algorithm,
    pub key: String,
    encoder: Encoder<Box<dyn Signer>>,
    verifier: Box<dyn Verifier>,
    token: String,
    input_len: usize,
    signature: Vec<u8>,
    jwk_bytes: usize,
}

impl Subject {
    /// Prepares the subject and runs each of its four operations once.
    pub fn new(
        backend: &'static dyn Backend,
        alg: Algorithm,
        key: &str,
        private: &Jwk,
    ) -> Result<Subject, String> {
        let public = match alg.family() {
            Family::Hmac => private.clone(),
            _ => backend.public_key(private).map_err(|e| e.to_string())?,
        };
        let signer = backend.signer(private, alg).map_err(|e| e.to_string())?;
        let verifier = backend.verifier(&public, alg).map_err(|e| e.to_string())?;
        let encoder = Encoder::new(signer).kid(KID);
        let token = encoder
            .encode(&BenchClaims::standard())
            .map_err(|e| e.to_string())?;
        let (input, sig64) = token.rsplit_once('.').ok_or("no signature segment")?;
        let signature = b64::decode(sig64.as_bytes()).map_err(|_| "signature is not base64url")?;
        let subject = Subject {
            backend,
            alg,
            key: key.to_owned(),
            encoder,
            verifier,
            input_len: input.len(),
            signature,
            jwk_bytes: public.to_json().len(),
            token,
        };
        // Every timed operation must succeed once before it is timed.
        subject
            .verify()
            .map_err(|e| format!("own token refused: {e}"))?;
        subject.floor_verify().map_err(|e| e.to_string())?;
        subject
            .floor_sign(&mut Vec::new())
            .map_err(|e| e.to_string())?;
        Ok(subject)
    }

    fn input(&self) -> &[u8] {
        self.token
            .as_bytes()
            .get(..self.input_len)
            .unwrap_or_default()
    }

    fn sign(&self) -> Result<(), tessera::EncodeError> {
        black_box(self.encoder.encode(black_box(&BenchClaims::standard()))?);
        Ok(())
    }

    fn floor_sign(&self, out: &mut Vec<u8>) -> Result<(), tessera::codec::SignError> {
        out.clear();
        self.encoder.signer().sign(black_box(self.input()), out)?;
        black_box(out);
        Ok(())
    }

    fn verify(&self) -> Result<(), tessera::Error> {
        let verified = tessera::verify(black_box(&self.token), &self.verifier, &VALIDATION)?;
        let claims: BenchClaims<'_> = verified.claims()?;
        black_box(claims);
        Ok(())
    }

    fn floor_verify(&self) -> Result<(), tessera::SignatureError> {
        self.verifier
            .verify(black_box(self.input()), black_box(&self.signature))
    }

    fn record(&self, implementation: Impl, op: Op) -> Record {
        let library = self.backend.library();
        let floor = implementation == Impl::Floor;
        let name = if floor {
            library.name
        } else {
            self.backend.name()
        };
        Record {
            version: floor.then(|| library.version.to_owned()),
            backend: Some(self.backend.name().to_owned()),
            token_bytes: Some(self.token.len()),
            signature_bytes: Some(self.signature.len()),
            jwk_bytes: Some(self.jwk_bytes),
            ..Record::new(implementation, name, self.alg, &self.key, op)
        }
    }

    /// tessera's and the floor's entries for `op` (sign or verify).
    pub fn entries(&self, op: Op) -> [Entry<'_>; 2] {
        let (tessera, floor): (Work<'_>, Work<'_>) = match op {
            Op::Sign => {
                let mut out = Vec::with_capacity(1024);
                (
                    Box::new(move || self.sign().map_err(|e| e.to_string())),
                    Box::new(move || self.floor_sign(&mut out).map_err(|e| e.to_string())),
                )
            }
            _ => (
                Box::new(move || self.verify().map_err(|e| e.to_string())),
                Box::new(move || self.floor_verify().map_err(|e| e.to_string())),
            ),
        };
        [
            Entry {
                record: self.record(Impl::Tessera, op),
                work: tessera,
            },
            Entry {
                record: self.record(Impl::Floor, op),
                work: floor,
            },
        ]
    }

    /// The key generation entry for this subject's key type (`bits` for RSA).
    pub fn keygen(&self, bits: Option<usize>) -> Entry<'static> {
        let backend = self.backend;
        let spec = match bits {
            Some(b) => KeySpec::new(self.alg).bits(b),
            None => KeySpec::new(self.alg),
        };
        let mut record = self.record(Impl::Tessera, Op::Keygen);
        record.token_bytes = None;
        record.signature_bytes = None;
        if bits.is_some() {
            record.note = Some(
                "RSA key generation searches random primes: one key per round, time varies widely between keys"
                    .to_owned(),
            );
        }
        Entry {
            record,
            work: Box::new(move || {
                backend
                    .generate(spec)
                    .map(|k| {
                        black_box(&k);
                    })
                    .map_err(|e| e.to_string())
            }),
        }
    }
}

/// The peers of every algorithm and key, set up with the fixture keys (failures are listed in
/// `skipped`).
#[cfg(feature = "peers")]
pub(crate) fn prepare_peers(
    algs: &[Algorithm],
    skipped: &mut Vec<String>,
) -> Vec<(Algorithm, String, super::peers::Peer, String)> {
    let mut list = Vec::new();
    for &alg in algs {
        let Some(backend) = tessera::default_backend(alg) else {
            continue;
        };
        for case in key_cases(alg) {
            let Ok(private) = case.private else { continue };
            let key = case.label;
            let public = match alg.family() {
                Family::Hmac => Ok(private.clone()),
                _ => backend.public_key(&private),
            };
            let public = match public {
                Ok(p) => p,
                Err(e) => {
                    skipped.push(format!("peers {alg} {key}: {e}"));
                    continue;
                }
            };
            for peer in super::peers::peers(alg, &private, &public) {
                let ready = peer.and_then(|p| {
                    let token = p.sign().map_err(|e| format!("{}: sign: {e}", p.library))?;
                    p.verify(&token)
                        .map_err(|e| format!("{}: verify: {e}", p.library))?;
                    Ok((p, token))
                });
                match ready {
                    Ok((p, token)) => list.push((alg, key.clone(), p, token)),
                    Err(e) => skipped.push(format!("{alg} {key}: {e}")),
                }
            }
        }
    }
    list
}

/// A peer's entry for `op`; `token` is one it signed.
#[cfg(feature = "peers")]
pub(crate) fn peer_entry<'a>(
    peer: &'a super::peers::Peer,
    alg: Algorithm,
    key: &str,
    token: &'a str,
    op: Op,
) -> Entry<'a> {
    let signature_bytes = token
        .rsplit_once('.')
        .and_then(|(_, s)| b64::decoded_len(s.len()));
    let record = Record {
        version: Some(peer.version.to_owned()),
        token_bytes: Some(token.len()),
        signature_bytes,
        ..Record::new(Impl::Peer, peer.library, alg, key, op)
    };
    let work: Work<'a> = match op {
        Op::Sign => Box::new(move || {
            peer.sign().map(|t| {
                black_box(&t);
            })
        }),
        _ => Box::new(move || peer.verify(black_box(token))),
    };
    Entry { record, work }
}
