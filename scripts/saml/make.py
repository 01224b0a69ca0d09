#!/usr/bin/env python3
"""Makes the SAML 2.0 fixtures that `tessera compare` sizes beside its JWTs.

A SAML 2.0 assertion carrying the same claims as tessera's benchmark token
(crates/tessera-conformance/src/measure.rs: iss, sub, aud, exp, nbf, iat, jti, roles, name),
signed with XML-DSig (enveloped, exclusive c14n, SHA-256) by signxml, a real implementation,
once with the fixture RSA-2048 key (rsa-sha256) and once with the fixture P-256 key
(ecdsa-sha256). KeyInfo carries a self-signed X.509 certificate of the key, as identity
providers send it. For the HTTP-POST binding the assertion travels inside a samlp:Response,
base64-encoded as the SAMLResponse form value; both files are written.

Run from the repository root (the output is committed, so this runs only to remake it):

    python3 -m venv /tmp/saml-venv && /tmp/saml-venv/bin/pip install 'signxml==5.2.0'
    /tmp/saml-venv/bin/python scripts/saml/make.py

Writes scripts/saml/{assertion,response}-{rsa,ecdsa}-sha256.xml and prints their sizes.
"""

import base64
import datetime
import pathlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import XMLSigner, XMLVerifier

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "scripts" / "saml"
KEYS = ROOT / "crates" / "tessera-conformance" / "keys"

# The benchmark claims (keep in step with measure.rs).
ISSUER = "https://id.example.com"
SUBJECT = "user-4821"
AUDIENCE = "api.example.com"
TOKEN_ID = "01J9ZK3V8Q4XG7TB"
ROLES = ["read", "write", "admin"]
NAME = "Genevieve Alexandra Montgomery-Fairbanks, Northern Data Ofc."
ISSUED_AT = 1_700_000_000
EXPIRES_AT = 4_102_444_800

SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"


def instant(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def assertion():
    iat, exp = instant(ISSUED_AT), instant(EXPIRES_AT)
    roles = "".join(
        f'<saml:AttributeValue xsi:type="xs:string">{r}</saml:AttributeValue>' for r in ROLES
    )
    # ID must be an NCName: a JWT id may start with a digit, so it gets a leading underscore.
    xml = (
        f'<saml:Assertion xmlns:saml="{SAML}" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="_{TOKEN_ID}" Version="2.0" '
        f'IssueInstant="{iat}">'
        f"<saml:Issuer>{ISSUER}</saml:Issuer>"
        '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="placeholder"></ds:Signature>'
        "<saml:Subject>"
        f'<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">{SUBJECT}</saml:NameID>'
        '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        f'<saml:SubjectConfirmationData NotOnOrAfter="{exp}"/>'
        "</saml:SubjectConfirmation>"
        "</saml:Subject>"
        f'<saml:Conditions NotBefore="{iat}" NotOnOrAfter="{exp}">'
        f"<saml:AudienceRestriction><saml:Audience>{AUDIENCE}</saml:Audience></saml:AudienceRestriction>"
        "</saml:Conditions>"
        "<saml:AttributeStatement>"
        f'<saml:Attribute Name="roles">{roles}</saml:Attribute>'
        f'<saml:Attribute Name="name"><saml:AttributeValue xsi:type="xs:string">{NAME}</saml:AttributeValue></saml:Attribute>'
        "</saml:AttributeStatement>"
        "</saml:Assertion>"
    )
    return etree.fromstring(xml.encode())


def certificate(key, hash_alg):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "id.example.com")])
    start = datetime.datetime(2023, 11, 14, tzinfo=datetime.timezone.utc)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(0x7E55E7A0)
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=3650))
        .sign(key, hash_alg)
    )


def response(signed):
    iat = instant(ISSUED_AT)
    wrapper = etree.fromstring(
        (
            f'<samlp:Response xmlns:samlp="{SAMLP}" xmlns:saml="{SAML}" ID="_r{TOKEN_ID}" '
            f'Version="2.0" IssueInstant="{iat}" Destination="https://{AUDIENCE}/saml/acs">'
            f"<saml:Issuer>{ISSUER}</saml:Issuer>"
            '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
            "</samlp:Response>"
        ).encode()
    )
    wrapper.append(signed)
    return wrapper


def main():
    for label, pem, method in [
        ("rsa", "rsa2048.pem", "rsa-sha256"),
        ("ecdsa", "p256.pem", "ecdsa-sha256"),
    ]:
        key = serialization.load_pem_private_key((KEYS / pem).read_bytes(), password=None)
        cert = certificate(key, hashes.SHA256())
        cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
        signer = XMLSigner(
            signature_algorithm=method,
            digest_algorithm="sha256",
            c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#",
        )
        signed = signer.sign(assertion(), key=key, cert=[cert], id_attribute="ID")
        XMLVerifier().verify(signed, x509_cert=cert_pem, id_attribute="ID")
        raw = etree.tostring(signed)
        # Check the serialized bytes verify too, as a relying party would receive them.
        XMLVerifier().verify(raw, x509_cert=cert_pem, id_attribute="ID")
        (OUT / f"assertion-{label}-sha256.xml").write_bytes(raw)
        resp = etree.tostring(response(etree.fromstring(raw)))
        (OUT / f"response-{label}-sha256.xml").write_bytes(resp)
        post = base64.b64encode(resp)
        print(
            f"{method}: assertion {len(raw)} bytes, response {len(resp)} bytes, "
            f"HTTP-POST SAMLResponse (base64) {len(post)} bytes"
        )


if __name__ == "__main__":
    main()
