#!/usr/bin/env python3
"""Writes the key-acceptance corpus (ed25519.json, ec.json, rsa.json, oct.json, type.json, akp.json).

Run once from this directory with Python 3 and `cryptography` (48 or later for akp.json, whose ML-DSA
is OpenSSL's); `python3 generate.py akp.json` writes only the files named. The output is
checked in and the Rust suites never run this script. Keys marked "other" are generated afresh on
each run, so a rerun changes those entries (and their tokens) but no rule they test. The curve
arithmetic below is only what the corpus needs; every derived value is checked here before it is
written, and again by the Rust tests (tests/key_acceptance.rs) where that is cheap.
"""

import base64
import hashlib
import hmac
import json
import math
import os
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "..", "keys")
PAYLOAD = b'{"sub":"admin","exp":4000000000}'


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def be(n, length):
    return n.to_bytes(length, "big")


def load(name):
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return serialization.load_pem_private_key(f.read(), None)


def signing_input(alg, payload=PAYLOAD):
    header = json.dumps({"alg": alg}, separators=(",", ":")).encode()
    return f"{b64(header)}.{b64(payload)}".encode()


def token(alg, sig, payload=PAYLOAD):
    return f"{signing_input(alg, payload).decode()}.{b64(sig)}"


# ---------------------------------------------------------------- DER

def der_len(n):
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def der(tag, content):
    return bytes([tag]) + der_len(len(content)) + content


def der_int(n):
    body = n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big")
    return der(0x02, body)


def seq(*parts):
    return der(0x30, b"".join(parts))


def bits(content):
    return der(0x03, b"\x00" + content)


OID_RSA = bytes.fromhex("06092a864886f70d010101")
OID_EC = bytes.fromhex("06072a8648ce3d0201")
OID_ED25519 = bytes.fromhex("06032b6570")


def rsa_spki(n, e):
    return seq(seq(OID_RSA, b"\x05\x00"), bits(seq(der_int(n), der_int(e))))


def ec_spki(curve, x, y):
    return seq(seq(OID_EC, curve.oid), bits(b"\x04" + x + y))


def ec_pkcs8(curve, d, x, y):
    sec1 = seq(der_int(1), der(0x04, d), der(0xA1, bits(b"\x04" + x + y)))
    return seq(der_int(0), seq(OID_EC, curve.oid), der(0x04, sec1))


def ed25519_spki(x):
    return seq(seq(OID_ED25519), bits(x))


def ed25519_pkcs8_v2(seed, x):
    # RFC 5958 OneAsymmetricKey v2 (version 1) with its [1] publicKey, as RFC 8410 §10.3 shows.
    return seq(der_int(1), seq(OID_ED25519), der(0x04, der(0x04, seed)), der(0x81, b"\x00" + x))


# ---------------------------------------------------------------- Ed25519

P25519 = 2**255 - 19
D25519 = -121665 * pow(121666, -1, P25519) % P25519
SQRT_M1 = pow(2, (P25519 - 1) // 4, P25519)


def ed_decode(enc):
    """RFC 8032 §5.1.3, without the y < p check (the corpus needs non-canonical inputs)."""
    y = int.from_bytes(enc, "little") & ((1 << 255) - 1)
    sign = enc[31] >> 7
    y %= P25519
    u, v = (y * y - 1) % P25519, (D25519 * y * y + 1) % P25519
    x = (u * pow(v, 3, P25519) * pow(u * pow(v, 7, P25519), (P25519 - 5) // 8, P25519)) % P25519
    if (v * x * x - u) % P25519 != 0:
        x = x * SQRT_M1 % P25519
    if (v * x * x - u) % P25519 != 0:
        return None
    if x == 0 and sign:
        return None
    if x & 1 != sign:
        x = P25519 - x
    return (x, y)


def ed_add(a, b):
    (x1, y1), (x2, y2) = a, b
    t = D25519 * x1 * x2 * y1 * y2 % P25519
    x3 = (x1 * y2 + x2 * y1) * pow(1 + t, -1, P25519) % P25519
    y3 = (y1 * y2 + x1 * x2) * pow(1 - t, -1, P25519) % P25519
    return (x3, y3)


def ed_order(point):
    acc, order = point, 1
    while acc != (0, 1):
        acc, order = ed_add(acc, point), order + 1
        if order > 8:
            return None
    return order


def le32(hexstr):
    return bytes.fromhex(hexstr)


BASE = le32("5866666666666666666666666666666666666666666666666666666666666666")
FORGED = BASE + (1).to_bytes(32, "little")  # R = B, S = 1: [1]B = R + [k]O for every k


def ed_entry(name, cls, x, rule, expected, source, tokens, refused="construction", d=None,
             controls=None, spki=False, pkcs8=None):
    e = {"name": name, "class": cls, "alg": "EdDSA"}
    if pkcs8 is not None:
        e["pkcs8"] = b64(pkcs8)
    elif spki:
        e["spki"] = b64(ed25519_spki(x))
    else:
        jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64(x)}
        if d is not None:
            jwk["d"] = b64(d)
        e["jwk"] = jwk
    e.update(rule=rule, expected=expected, refused=refused, source=source, tokens=tokens)
    if controls:
        e["controls"] = controls
    return e


def ed25519_corpus():
    fixture = load("ed25519.pem")
    seed = fixture.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                 serialization.NoEncryption())
    fixture_x = fixture.public_key().public_bytes(serialization.Encoding.Raw,
                                                  serialization.PublicFormat.Raw)
    forged = token("EdDSA", FORGED)
    fixture_token = token("EdDSA", fixture.sign(signing_input("EdDSA")))
    assert ed_decode(BASE) == (
        15112221349535400772501151409588531511454012693041857206046113283949847762202,
        46316835694926478169428394003475163141307993866256225615783033603165251855960)

    entries = []
    small = [
        ("identity", "0100000000000000000000000000000000000000000000000000000000000000", 1),
        ("order_2", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", 2),
        ("order_4_x_even", "0000000000000000000000000000000000000000000000000000000000000000", 4),
        ("order_4_x_odd", "0000000000000000000000000000000000000000000000000000000000000080", 4),
        ("order_8_a", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", 8),
        ("order_8_a_neg", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", 8),
        ("order_8_b", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", 8),
        ("order_8_b_neg", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", 8),
    ]
    src = "RFC 8032 §5.1.7 (the group equation holds for every message under a small-order A); " \
          "RFC 8725 §3.4"
    for label, hexstr, order in small:
        x = le32(hexstr)
        assert ed_order(ed_decode(x)) == order, label
        entries.append(ed_entry(
            f"ed25519_small_order_{label}", "ed25519_small_order", x,
            f"public key is a point of order {order}", "Rejected(Ed25519SmallOrder)", src,
            [forged]))
    # The two points with x = 0 written with the sign bit set: RFC 8032 decoding refuses them
    # (x = 0 and x_0 = 1), the codec's rule refuses them as the small-order points they name.
    for label, hexstr in [
        ("identity_sign_bit", "0100000000000000000000000000000000000000000000000000000000000080"),
        ("order_2_sign_bit", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
    ]:
        x = le32(hexstr)
        assert ed_decode(x) is None
        entries.append(ed_entry(
            f"ed25519_small_order_{label}", "ed25519_small_order", x,
            "small-order y with the sign bit set on x = 0", "Rejected(Ed25519SmallOrder)", src,
            [forged]))
    entries.append(ed_entry(
        "ed25519_small_order_identity_spki", "ed25519_small_order",
        le32(small[0][1]), "public key is the identity, as an SPKI", "Rejected(Ed25519SmallOrder)",
        src, [forged], spki=True))

    src = "RFC 8032 §5.1.3 step 1 (decoding fails if y >= p)"
    for label, y, note in [
        ("y_p_plus_1", P25519 + 1, "y = p + 1, the identity written non-canonically"),
        ("y_p", P25519, "y = p, an order-4 point written non-canonically"),
        ("y_2_255_minus_1", 2**255 - 1, "y = 2^255 - 1 = p + 18"),
    ]:
        x = y.to_bytes(32, "little")
        entries.append(ed_entry(
            f"ed25519_non_canonical_{label}", "ed25519_non_canonical", x, note,
            "Rejected(Ed25519NonCanonical)", src, [forged]))
    x = bytearray((P25519 + 1).to_bytes(32, "little"))
    x[31] |= 0x80
    entries.append(ed_entry(
        "ed25519_non_canonical_y_p_plus_1_sign_bit", "ed25519_non_canonical", bytes(x),
        "y = p + 1 with the sign bit set", "Rejected(Ed25519NonCanonical)", src, [forged]))

    y = 2
    while ed_decode(y.to_bytes(32, "little")) is not None:
        y += 1
    x = y.to_bytes(32, "little")
    entries.append(ed_entry(
        f"ed25519_not_on_curve_y_{y}", "ed25519_not_on_curve", x,
        f"y = {y}: (y^2 - 1) / (d y^2 + 1) has no square root, no point has this y",
        "Rejected(NotOnCurve)", "RFC 8032 §5.1.3 step 3 (decoding fails without a square root)",
        [forged, fixture_token], refused="verify"))

    other = ed25519.Ed25519PrivateKey.generate()
    other_x = other.public_key().public_bytes(serialization.Encoding.Raw,
                                              serialization.PublicFormat.Raw)
    other_token = token("EdDSA", other.sign(signing_input("EdDSA")))
    controls = [
        {"jwk": {"kty": "OKP", "crv": "Ed25519", "x": b64(other_x)}, "verifies": [0]},
        {"jwk": {"kty": "OKP", "crv": "Ed25519", "x": b64(fixture_x)}, "verifies": [1]},
    ]
    src = "RFC 8032 §5.1.5 (A is derived from the private key); NIST SP 800-56A Rev. 3 §5.6.2.1.4"
    entries.append(ed_entry(
        "ed25519_public_mismatch", "ed25519_public_mismatch", other_x,
        "private JWK (the fixture seed) whose x is another key's public key",
        "Rejected(PublicMismatch)", src, [other_token, fixture_token], d=seed, controls=controls))
    entries.append(ed_entry(
        "ed25519_public_mismatch_pkcs8_v2", "ed25519_public_mismatch", other_x,
        "PKCS#8 v2 (RFC 5958) of the fixture seed whose publicKey is another key's",
        "Rejected(PublicMismatch)", src, [other_token, fixture_token], controls=controls,
        pkcs8=ed25519_pkcs8_v2(seed, other_x)))
    return entries


# ---------------------------------------------------------------- EC

class Curve:
    def __init__(self, crv, alg, p, a, b, n, length, oid, fixture, hash_alg, pycurve):
        self.crv, self.alg, self.p, self.a, self.b, self.n = crv, alg, p, a, b, n
        self.len, self.oid, self.fixture, self.hash, self.pycurve = length, oid, fixture, hash_alg, pycurve

    def on_curve(self, x, y):
        return (y * y - (x ** 3 + self.a * x + self.b)) % self.p == 0


CURVES = [
    Curve("P-256", "ES256", 2**256 - 2**224 + 2**192 + 2**96 - 1, -3,
          0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b,
          0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551, 32,
          bytes.fromhex("06082a8648ce3d030107"), "p256.pem", hashes.SHA256(), ec.SECP256R1()),
    Curve("P-384", "ES384", 2**384 - 2**128 - 2**96 + 2**32 - 1, -3,
          0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef,
          0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973,
          48, bytes.fromhex("06052b81040022"), "p384.pem", hashes.SHA384(), ec.SECP384R1()),
    Curve("P-521", "ES512", 2**521 - 1, -3,
          0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00,
          0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409,
          66, bytes.fromhex("06052b81040023"), "p521.pem", hashes.SHA512(), ec.SECP521R1()),
    Curve("secp256k1", "ES256K", 2**256 - 2**32 - 977, 0, 7,
          0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141, 32,
          bytes.fromhex("06052b8104000a"), "secp256k1.pem", hashes.SHA256(), ec.SECP256K1()),
]


def ec_sign(key, curve, alg, hash_alg=None, length=None):
    """A token for `alg` signed by `key`, which is on `curve`."""
    der_sig = key.sign(signing_input(alg), ec.ECDSA(hash_alg or curve.hash))
    r, s = decode_dss_signature(der_sig)
    s = min(s, curve.n - s)  # low S: some verifiers (k256, for ES256K) accept nothing else
    length = length or curve.len
    return token(alg, be(r, length) + be(s, length))


def ec_jwk(curve, x, y, d=None):
    jwk = {"kty": "EC", "crv": curve.crv, "x": b64(be(x, curve.len)), "y": b64(be(y, curve.len))}
    if d is not None:
        jwk["d"] = b64(be(d, curve.len))
    return jwk


def ec_entry(curve, name, cls, key, rule, expected, source, tokens, controls=None):
    e = {"name": name, "class": cls, "alg": curve.alg}
    e.update(key)
    e.update(rule=rule, expected=expected, refused="construction", source=source, tokens=tokens)
    if controls:
        e["controls"] = controls
    return e


def small_x_point(curve):
    """The point with the smallest x (p = 3 mod 4 on all four curves: sqrt is a power)."""
    assert curve.p % 4 == 3
    x = 0
    while True:
        rhs = (x ** 3 + curve.a * x + curve.b) % curve.p
        y = pow(rhs, (curve.p + 1) // 4, curve.p)
        if y * y % curve.p == rhs:
            return x, min(y, curve.p - y)
        x += 1


def ec_corpus():
    entries = []
    range_src = "NIST SP 800-56A Rev. 3 §5.6.2.3.4 step 2; SEC 1 v2 §3.2.2.1; RFC 8725 §3.4"
    curve_src = "NIST SP 800-56A Rev. 3 §5.6.2.3.4 step 3; SEC 1 v2 §3.2.2.1; RFC 8725 §3.4"
    scalar_src = "SEC 1 v2 §3.2.1 (d in [1, n - 1]); RFC 7518 §6.2.2.1"
    pair_src = "NIST SP 800-56A Rev. 3 §5.6.2.1.4 (pair-wise consistency); RFC 7518 §6.2.2.1"
    for c in CURVES:
        key = load(c.fixture)
        pub = key.public_key().public_numbers()
        d = key.private_numbers().private_value
        x, y = pub.x, pub.y
        assert c.on_curve(x, y)
        fixture_token = ec_sign(key, c, c.alg)
        fixture_control = {"jwk": ec_jwk(c, x, y), "verifies": [0]}
        tag = c.crv.lower().replace("-", "")

        # x + p: the fixture's own point when it fits (P-521: p = 2^521 - 1 in 66 bytes),
        # else the point with the smallest x, whose x + p fits the field length.
        if x + c.p < 256 ** c.len:
            px, py, tokens, control = x, y, [fixture_token], fixture_control
            what = "the fixture key's point"
        else:
            px, py = small_x_point(c)
            assert c.on_curve(px, py) and px + c.p < 256 ** c.len
            tokens, control = [fixture_token], {"jwk": ec_jwk(c, px, py), "verifies": []}
            what = f"the point with the smallest x ({px})"
        entries.append(ec_entry(
            c, f"{tag}_x_plus_p", "ec_coordinate_range",
            {"jwk": ec_jwk(c, px + c.p, py)}, f"x + p, where (x, y) is {what}",
            "Rejected(CoordinateRange)", range_src, tokens, [control]))
        if c.crv == "P-521":
            entries.append(ec_entry(
                c, f"{tag}_y_plus_p", "ec_coordinate_range", {"jwk": ec_jwk(c, x, y + c.p)},
                "y + p, where (x, y) is the fixture key's point", "Rejected(CoordinateRange)",
                range_src, [fixture_token], [fixture_control]))
            entries.append(ec_entry(
                c, f"{tag}_x_plus_p_spki", "ec_coordinate_range",
                {"spki": b64(ec_spki(c, be(x + c.p, c.len), be(y, c.len)))},
                "x + p in an SPKI's uncompressed point", "Rejected(CoordinateRange)", range_src,
                [fixture_token], [fixture_control]))

        bad_y = y ^ 1
        assert bad_y < c.p and not c.on_curve(x, bad_y)
        entries.append(ec_entry(
            c, f"{tag}_y_bit_flipped", "ec_not_on_curve", {"jwk": ec_jwk(c, x, bad_y)},
            "the fixture key's point with the low bit of y flipped", "Rejected(NotOnCurve)",
            curve_src, [fixture_token], [fixture_control]))
        if c.crv == "P-256":
            entries.append(ec_entry(
                c, f"{tag}_y_bit_flipped_spki", "ec_not_on_curve",
                {"spki": b64(ec_spki(c, be(x, c.len), be(bad_y, c.len)))},
                "the same point in an SPKI", "Rejected(NotOnCurve)", curve_src,
                [fixture_token], [fixture_control]))

        for label, bad_d in [("d_zero", 0), ("d_n", c.n)] + ([("d_n_plus_1", c.n + 1)] if c.crv == "P-256" else []):
            entries.append(ec_entry(
                c, f"{tag}_{label}", "ec_scalar_range", {"jwk": ec_jwk(c, x, y, bad_d)},
                f"private JWK with the fixture's point and d = {label[2:].replace('_', ' ')}",
                "Rejected(ScalarRange)", scalar_src, [fixture_token], [fixture_control]))
        if c.crv == "P-256":
            entries.append(ec_entry(
                c, f"{tag}_d_n_pkcs8", "ec_scalar_range",
                {"pkcs8": b64(ec_pkcs8(c, be(c.n, c.len), be(x, c.len), be(y, c.len)))},
                "PKCS#8 with the fixture's point and d = n", "Rejected(ScalarRange)", scalar_src,
                [fixture_token], [fixture_control]))

        other = ec.generate_private_key(c.pycurve)
        o = other.public_key().public_numbers()
        other_token = ec_sign(other, c, c.alg)
        controls = [{"jwk": ec_jwk(c, o.x, o.y), "verifies": [0]},
                    {"jwk": ec_jwk(c, x, y), "verifies": [1]}]
        entries.append(ec_entry(
            c, f"{tag}_public_mismatch", "ec_public_mismatch", {"jwk": ec_jwk(c, o.x, o.y, d)},
            "private JWK (the fixture's d) whose x, y are another key's point",
            "Rejected(PublicMismatch)", pair_src, [other_token, fixture_token], controls))
        if c.crv == "P-384":
            entries.append(ec_entry(
                c, f"{tag}_public_mismatch_pkcs8", "ec_public_mismatch",
                {"pkcs8": b64(ec_pkcs8(c, be(d, c.len), be(o.x, c.len), be(o.y, c.len)))},
                "PKCS#8 of the fixture's d whose public key is another key's point",
                "Rejected(PublicMismatch)", pair_src, [other_token, fixture_token], controls))
    return entries


# ---------------------------------------------------------------- RSA

SHA256_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")


def emsa_pkcs1(message, k):
    t = SHA256_PREFIX + hashlib.sha256(message).digest()
    return b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t


def rs256_raw(n, d, alg="RS256"):
    k = (n.bit_length() + 7) // 8
    em = int.from_bytes(emsa_pkcs1(signing_input(alg), k), "big")
    return token(alg, be(pow(em, d, n), k))


def rsa_jwk(n, e):
    return {"kty": "RSA", "n": b64(be(n, (n.bit_length() + 7) // 8)),
            "e": b64(be(e, max(1, (e.bit_length() + 7) // 8)))}


def rsa_entry(name, cls, key, rule, expected, source, tokens, controls=None):
    e = {"name": name, "class": cls, "alg": "RS256"}
    e.update(key)
    e.update(rule=rule, expected=expected, refused="construction", source=source, tokens=tokens)
    if controls:
        e["controls"] = controls
    return e


def rsa_corpus():
    entries = []
    fixture = load("rsa2048.pem")
    priv = fixture.private_numbers()
    n, e, d = priv.public_numbers.n, priv.public_numbers.e, priv.d
    lam = math.lcm(priv.p - 1, priv.q - 1)
    fixture_token = rs256_raw(n, d)
    control = {"jwk": rsa_jwk(n, e), "verifies": [0]}
    exp_src = "RFC 8017 §3.1 (e odd, 3 <= e <= n - 1); 2^33 - 1 is tessera's bound (ring's and RustCrypto rsa's)"

    for label, bad_e in [("65536", 65536), ("2", 2)]:
        entries.append(rsa_entry(
            f"rsa_e_{label}", "rsa_exponent", {"jwk": rsa_jwk(n, bad_e)},
            f"even public exponent e = {label}, the fixture's modulus", "Rejected(RsaExponent)",
            exp_src, [fixture_token], [control]))
    # e = 1: the signature is the padded message itself, s^1 = EM.
    e1_token = rs256_raw(n, 1)
    entries.append(rsa_entry(
        "rsa_e_1", "rsa_exponent", {"jwk": rsa_jwk(n, 1)},
        "public exponent e = 1: the token's signature is the encoded message itself",
        "Rejected(RsaExponent)", exp_src, [e1_token]))
    entries.append(rsa_entry(
        "rsa_e_1_spki", "rsa_exponent",
        {"spki": b64(rsa_spki(n, 1))}, "e = 1 in an SPKI",
        "Rejected(RsaExponent)", exp_src, [e1_token]))
    big_e = 2**33 + 1
    while math.gcd(big_e, lam) != 1:
        big_e += 2
    big_token = rs256_raw(n, pow(big_e, -1, lam))
    entries.append(rsa_entry(
        f"rsa_e_over_2_33", "rsa_exponent", {"jwk": rsa_jwk(n, big_e)},
        f"odd e = {big_e} > 2^33 - 1; the token is a valid signature under it",
        "Rejected(RsaExponent)", exp_src, [big_token]))

    entries.append(rsa_entry(
        "rsa_n_even", "rsa_modulus_even", {"jwk": rsa_jwk(n - 1, e)},
        "the fixture's modulus minus one (even, 2048 bits)", "Rejected(RsaModulusEven)",
        "RFC 8017 §3.1 (n is a product of odd primes)", [fixture_token], [control]))

    # Over 8192 bits: the product of the 2048-, 3072- and 4096-bit fixture moduli (9216 bits),
    # a multi-prime modulus whose six primes are known, so the token is a valid signature.
    primes = []
    for f in ["rsa2048.pem", "rsa3072.pem", "rsa4096.pem"]:
        pn = load(f).private_numbers()
        primes += [pn.p, pn.q]
    big_n = math.prod(primes)
    assert big_n.bit_length() > 8192
    big_d = pow(65537, -1, math.lcm(*[q - 1 for q in primes]))
    entries.append(rsa_entry(
        "rsa_n_9216_bits", "rsa_modulus_too_large", {"jwk": rsa_jwk(big_n, 65537)},
        f"{big_n.bit_length()}-bit modulus (the product of the three fixture moduli)",
        "Rejected(RsaModulusTooLarge)", "tessera policy: MAX_RSA_BITS = 8192, the most ring and aws-lc-rs verify",
        [rs256_raw(big_n, big_d)]))

    for size in [1024, 2047]:
        small = rsa.generate_private_key(65537, size)
        sn = small.private_numbers()
        assert sn.public_numbers.n.bit_length() == size
        entries.append(rsa_entry(
            f"rsa_n_{size}_bits", "rsa_too_weak", {"jwk": rsa_jwk(sn.public_numbers.n, 65537)},
            f"{size}-bit modulus", "TooWeak", "RFC 7518 §3.3 (2048 bits or larger)",
            [rs256_raw(sn.public_numbers.n, sn.d)]))
    return entries


# ---------------------------------------------------------------- oct

def oct_corpus():
    entries = []
    for alg, digest, size in [("HS256", hashlib.sha256, 31), ("HS384", hashlib.sha384, 32),
                              ("HS512", hashlib.sha512, 48), ("HS256", hashlib.sha256, 1)]:
        secret = os.urandom(size)
        mac = hmac.new(secret, signing_input(alg), digest).digest()
        entries.append({
            "name": f"{alg.lower()}_secret_{size}_bytes", "class": "hmac_too_weak", "alg": alg,
            "jwk": {"kty": "oct", "k": b64(secret)},
            "rule": f"{size}-byte secret, shorter than the {digest().digest_size}-byte hash",
            "expected": "TooWeak", "refused": "construction",
            "source": "RFC 7518 §3.2 (a key of the same size as the hash output or larger); RFC 8725 §3.5",
            "tokens": [token(alg, mac)],
        })
    return entries


# ---------------------------------------------------------------- wrong type or curve

def type_corpus():
    rsa_key = load("rsa2048.pem")
    rn = rsa_key.private_numbers().public_numbers
    rsa_public = rsa_jwk(rn.n, rn.e)
    keys = {c.crv: (c, load(c.fixture)) for c in CURVES}
    ed = load("ed25519.pem")
    ed_x = ed.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    secret = bytes(range(1, 33))

    def ec_public(crv):
        c, k = keys[crv]
        n = k.public_key().public_numbers()
        return ec_jwk(c, n.x, n.y)

    def rsa_sig(alg):
        from cryptography.hazmat.primitives.asymmetric import padding
        return token(alg, rsa_key.sign(signing_input(alg), padding.PKCS1v15(), hashes.SHA256()))

    def ec_sig(crv, alg, hash_alg):
        c, k = keys[crv]
        return ec_sign(k, c, alg, hash_alg)

    pem = rsa_key.public_key().public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
    type_src = "RFC 8725 §3.1 (use each key with one algorithm); RFC 7518 §3.1 (alg to key type)"
    curve_src = "RFC 7518 §3.4 (ES256 P-256, ES384 P-384, ES512 P-521); RFC 8812 §3.2 (ES256K secp256k1)"
    cases = [
        ("hs256_with_rsa_public_key", "HS256", rsa_public, "WrongKeyType", type_src,
         "an RSA public key for HMAC: the token is HS256 with the key's PEM as the secret",
         token("HS256", hmac.new(pem, signing_input("HS256"), hashlib.sha256).digest())),
        ("es256_with_rsa_public_key", "ES256", rsa_public, "WrongKeyType", type_src,
         "an RSA key for ES256; the token is an RS256 signature under an ES256 header",
         rsa_sig("ES256")),
        ("rs256_with_p256_key", "RS256", ec_public("P-256"), "WrongKeyType", type_src,
         "a P-256 key for RS256; the token is an ES256 signature under an RS256 header",
         ec_sig("P-256", "RS256", hashes.SHA256())),
        ("eddsa_with_p256_key", "EdDSA", ec_public("P-256"), "WrongKeyType", type_src,
         "a P-256 key for EdDSA; the token is an ES256 signature under an EdDSA header",
         ec_sig("P-256", "EdDSA", hashes.SHA256())),
        ("es256_with_ed25519_key", "ES256", {"kty": "OKP", "crv": "Ed25519", "x": b64(ed_x)},
         "WrongKeyType", type_src,
         "an Ed25519 key for ES256; the token is an Ed25519 signature under an ES256 header",
         token("ES256", ed.sign(signing_input("ES256")))),
        ("rs256_with_oct_key", "RS256", {"kty": "oct", "k": b64(secret)}, "WrongKeyType", type_src,
         "a secret for RS256; the token is an HMAC-SHA256 under an RS256 header",
         token("RS256", hmac.new(secret, signing_input("RS256"), hashlib.sha256).digest())),
        ("es384_with_p256_key", "ES384", ec_public("P-256"), "WrongCurve", curve_src,
         "a P-256 key for ES384; the token is P-256 ECDSA with SHA-384",
         ec_sig("P-256", "ES384", hashes.SHA384())),
        ("es256_with_p384_key", "ES256", ec_public("P-384"), "WrongCurve", curve_src,
         "a P-384 key for ES256; the token is P-384 ECDSA with SHA-256",
         ec_sig("P-384", "ES256", hashes.SHA256())),
        ("es512_with_p384_key", "ES512", ec_public("P-384"), "WrongCurve", curve_src,
         "a P-384 key for ES512; the token is P-384 ECDSA with SHA-512",
         ec_sig("P-384", "ES512", hashes.SHA512())),
        ("es256k_with_p256_key", "ES256K", ec_public("P-256"), "WrongCurve", curve_src,
         "a P-256 key for ES256K; the token is P-256 ECDSA with SHA-256",
         ec_sig("P-256", "ES256K", hashes.SHA256())),
        ("es256_with_secp256k1_key", "ES256", ec_public("secp256k1"), "WrongCurve", curve_src,
         "a secp256k1 key for ES256; the token is secp256k1 ECDSA with SHA-256",
         ec_sig("secp256k1", "ES256", hashes.SHA256())),
    ]
    entries = []
    for name, alg, jwk, expected, source, rule, tok in cases:
        entries.append({
            "name": name, "class": "wrong_key_type" if expected == "WrongKeyType" else "wrong_curve",
            "alg": alg, "jwk": jwk, "rule": rule, "expected": expected, "refused": "construction",
            "source": source, "tokens": [tok],
        })
    return entries


# ---------------------------------------------------------------- AKP (ML-DSA, RFC 9964)

MLDSA = {
    # alg: (fixture, cryptography class, OID, public key length, expanded private key length)
    "ML-DSA-44": ("ml-dsa-44.pem", "MLDSA44PrivateKey", "0609608648016503040311", 1312, 2560),
    "ML-DSA-65": ("ml-dsa-65.pem", "MLDSA65PrivateKey", "0609608648016503040312", 1952, 4032),
    "ML-DSA-87": ("ml-dsa-87.pem", "MLDSA87PrivateKey", "0609608648016503040313", 2592, 4896),
}
# The "other" keys of the public-mismatch entries: fixed seeds, so a rerun keeps the keys (the
# signatures change: OpenSSL signs ML-DSA hedged).
OTHER_SEED = bytes((0xA5 + 3 * j) % 256 for j in range(32))


def akp_key(alg, seed):
    from cryptography.hazmat.primitives.asymmetric import mldsa
    return getattr(mldsa, MLDSA[alg][1]).from_seed_bytes(seed)


def akp_pub(key):
    return key.public_key().public_bytes_raw()


def akp_jwk(alg, pub=None, priv=None, with_alg=True):
    jwk = {"kty": "AKP"}
    if with_alg:
        jwk["alg"] = alg
    if pub is not None:
        jwk["pub"] = pub if isinstance(pub, str) else b64(pub)
    if priv is not None:
        jwk["priv"] = priv if isinstance(priv, str) else b64(priv)
    return jwk


def akp_sign(key, alg):
    """A token with header `alg` signed by `key` (ML-DSA, empty context, hedged), checked here."""
    sig = key.sign(signing_input(alg))
    key.public_key().verify(sig, signing_input(alg))
    return token(alg, sig)


def akp_spki(alg, pub, params=b""):
    return seq(seq(bytes.fromhex(MLDSA[alg][2]), params), bits(pub))


def akp_pkcs8(alg, private_key, pub=None):
    """RFC 9881 §6: privateKey holds the ML-DSA-PrivateKey CHOICE (seed: [0] IMPLICIT OCTET STRING,
    expandedKey: OCTET STRING); with `pub`, a OneAsymmetricKey v2 with [1] publicKey."""
    version = der_int(1 if pub is not None else 0)
    body = version + seq(bytes.fromhex(MLDSA[alg][2])) + der(0x04, private_key)
    if pub is not None:
        body += der(0x81, b"\x00" + pub)
    return der(0x30, body)


def akp_corpus():
    keys = {}
    for alg, (fixture, _, _, pub_len, _) in MLDSA.items():
        k = load(fixture)
        assert type(k).__name__ == MLDSA[alg][1], fixture
        assert len(akp_pub(k)) == pub_len
        keys[alg] = k
    seed = {a: k.private_bytes_raw() for a, k in keys.items()}
    pub = {a: akp_pub(k) for a, k in keys.items()}
    good = {a: akp_sign(k, a) for a, k in keys.items()}
    public = {a: akp_jwk(a, pub[a]) for a in MLDSA}
    src = "RFC 9964 §3 (AKP: alg required, pub the FIPS 204 public key, priv the 32-byte seed)"
    entries = []

    def entry(name, cls, alg, expected, rule, tokens, jwk=None, spki=None, pkcs8=None,
              detail=None, controls=None, source=src):
        e = {"name": name, "class": cls, "alg": alg}
        if jwk is not None:
            e["jwk"] = jwk
        elif spki is not None:
            e["spki"] = b64(spki)
        else:
            e["pkcs8"] = b64(pkcs8)
        e.update(rule=rule, expected=expected)
        if detail is not None:
            e["detail"] = detail
        e.update(refused="construction", source=source, tokens=tokens)
        if controls:
            e["controls"] = controls
        entries.append(e)

    def fixture_control(alg):
        return [{"jwk": public[alg], "verifies": [0]}]

    # alg is required for AKP.
    entry("ml_dsa_44_public_without_alg", "akp_missing_alg", "ML-DSA-44", "Invalid",
          "AKP public key without alg (the parameter set is part of the key)", [good["ML-DSA-44"]],
          jwk=akp_jwk("ML-DSA-44", pub["ML-DSA-44"], with_alg=False), detail="alg is missing",
          controls=fixture_control("ML-DSA-44"))
    entry("ml_dsa_65_private_without_alg", "akp_missing_alg", "ML-DSA-65", "Invalid",
          "AKP private key without alg", [good["ML-DSA-65"]],
          jwk=akp_jwk("ML-DSA-65", pub["ML-DSA-65"], seed["ML-DSA-65"], with_alg=False),
          detail="alg is missing", controls=fixture_control("ML-DSA-65"))
    # alg names no ML-DSA parameter set.
    for name, alg_member in [("akp_alg_es256", "ES256"), ("akp_alg_unregistered", "ML-DSA-128"),
                             ("akp_alg_lowercase", "ml-dsa-44"), ("akp_alg_hash_ml_dsa", "HashML-DSA-44")]:
        jwk = {"kty": "AKP", "alg": alg_member, "pub": b64(pub["ML-DSA-44"])}
        entry(name, "akp_alg_not_ml_dsa", "ML-DSA-44", "UnsupportedKey",
              f"AKP key whose alg is {alg_member}, not a registered ML-DSA name (names are "
              "case-sensitive; HashML-DSA is not registered for JOSE)",
              [good["ML-DSA-44"]], jwk=jwk, detail="AKP key for", controls=fixture_control("ML-DSA-44"),
              source="RFC 9964 §2 (ML-DSA-44, ML-DSA-65, ML-DSA-87), §3")
    # pub of the wrong length.
    p44, p87 = pub["ML-DSA-44"], pub["ML-DSA-87"]
    for name, alg, value, rule in [
        ("ml_dsa_44_pub_short", "ML-DSA-44", p44[:-1], "pub one byte short (1311 bytes)"),
        ("ml_dsa_44_pub_long", "ML-DSA-44", p44 + b"\x00",
         "pub with one byte appended (1313): a library that reads the first 1312 accepts the token"),
        ("ml_dsa_87_pub_empty", "ML-DSA-87", b"", "pub empty"),
    ]:
        entry(name, "akp_pub_length", alg, "Invalid", rule, [good[alg]], jwk=akp_jwk(alg, value),
              detail="member pub is", controls=fixture_control(alg),
              source="RFC 9964 §3; FIPS 204 Table 2 (public keys of 1312, 1952, 2592 bytes)")
    entry("ml_dsa_65_private_pub_empty", "akp_pub_length", "ML-DSA-65", "Invalid",
          "private key with an empty pub (pub is required in AKP JWKs, private ones too)",
          [good["ML-DSA-65"]], jwk=akp_jwk("ML-DSA-65", b"", seed["ML-DSA-65"]),
          detail="member pub is", controls=fixture_control("ML-DSA-65"))
    entry("ml_dsa_44_private_without_pub", "akp_pub_length", "ML-DSA-44", "Invalid",
          "private key without pub (pub is required in AKP JWKs, private ones too)",
          [good["ML-DSA-44"]], jwk=akp_jwk("ML-DSA-44", None, seed["ML-DSA-44"]),
          detail="member pub is missing", controls=fixture_control("ML-DSA-44"))
    # alg and the key length disagree: a library that picks the parameter set from the length of
    # pub verifies an ML-DSA-44 signature under an ML-DSA-65 header.
    for name, alg, other in [("ml_dsa_65_alg_with_44_pub", "ML-DSA-65", "ML-DSA-44"),
                             ("ml_dsa_44_alg_with_87_pub", "ML-DSA-44", "ML-DSA-87")]:
        entry(name, "akp_alg_length_mismatch", alg, "Invalid",
              f"alg {alg} with the {len(pub[other])}-byte pub of an {other} key; the token is an "
              f"{other} signature under an {alg} header", [akp_sign(keys[other], alg)],
              jwk=akp_jwk(alg, pub[other]), detail="member pub is")
    # priv not the 32-byte seed.
    for name, alg, value, rule in [
        ("ml_dsa_44_seed_31_bytes", "ML-DSA-44", seed["ML-DSA-44"][:31], "priv of 31 bytes"),
        ("ml_dsa_65_seed_33_bytes", "ML-DSA-65", seed["ML-DSA-65"] + b"\x00", "priv of 33 bytes"),
        ("ml_dsa_87_seed_empty", "ML-DSA-87", b"", "priv empty"),
        ("ml_dsa_44_priv_expanded_length", "ML-DSA-44", bytes(2560),
         "priv of 2560 bytes, the length of an expanded ML-DSA-44 private key (the form of pre-RFC "
         "drafts; JOSE keys are seeds); zeros, since only its length is read"),
        ("ml_dsa_87_priv_expanded_length", "ML-DSA-87", bytes(4896),
         "priv of 4896 bytes, the length of an expanded ML-DSA-87 private key; zeros"),
    ]:
        entry(name, "akp_seed_length", alg, "Invalid", rule, [good[alg]],
              jwk=akp_jwk(alg, pub[alg], value), detail="member priv is",
              controls=fixture_control(alg), source="RFC 9964 §3 (priv: the 32-byte seed xi); FIPS 204 §3.6.3")
    # Members that are not base64url without padding.
    p44s = b64(p44)
    assert "-" in p44s or "_" in p44s
    for name, jwk, rule in [
        ("ml_dsa_44_pub_standard_base64", akp_jwk("ML-DSA-44", p44s.replace("-", "+").replace("_", "/")),
         "pub in the standard base64 alphabet (+ and /)"),
        ("ml_dsa_44_pub_padded", akp_jwk("ML-DSA-44", p44s + "=" * (-len(p44s) % 4)),
         "pub with = padding"),
        ("ml_dsa_44_priv_padded", akp_jwk("ML-DSA-44", p44, b64(seed["ML-DSA-44"]) + "="),
         "priv with = padding"),
        ("ml_dsa_44_priv_non_canonical", akp_jwk("ML-DSA-44", p44, b64(seed["ML-DSA-44"])[:-1] + "B"),
         "priv whose last character sets bits past the 32 bytes (non-canonical base64url)"),
    ]:
        entry(name, "akp_not_base64url", "ML-DSA-44", "Invalid", rule, [good["ML-DSA-44"]], jwk=jwk,
              detail="not base64url", controls=fixture_control("ML-DSA-44"),
              source="RFC 7515 §2 and RFC 7518 §2 (base64url without padding); RFC 4648 §3.5 (canonical)")
    # priv and pub of different keys: every backend must expand the seed and compare.
    other = {a: akp_key(a, OTHER_SEED) for a in MLDSA}
    for alg in MLDSA:
        o = other[alg]
        entry(f"{alg.lower().replace('-', '_')}_public_mismatch", "akp_public_mismatch", alg,
              "Rejected(PublicMismatch)",
              "private key (the fixture seed) whose pub is another key's; token 0 is the other key's "
              "(accepted by a verifier that trusts pub), token 1 the fixture's (by one that uses the seed)",
              [akp_sign(o, alg), good[alg]], jwk=akp_jwk(alg, akp_pub(o), seed[alg]),
              controls=[{"jwk": akp_jwk(alg, akp_pub(o)), "verifies": [0]},
                        {"jwk": public[alg], "verifies": [1]}],
              source="FIPS 204 Algorithm 6 (pk is a function of the seed); NIST SP 800-89 §5.3.1")
    flipped = bytearray(p44)
    flipped[-1] ^= 1
    entry("ml_dsa_44_public_mismatch_one_bit", "akp_public_mismatch", "ML-DSA-44",
          "Rejected(PublicMismatch)", "private key whose pub is its own with the last bit flipped",
          [good["ML-DSA-44"]], jwk=akp_jwk("ML-DSA-44", bytes(flipped), seed["ML-DSA-44"]),
          controls=fixture_control("ML-DSA-44"),
          source="FIPS 204 Algorithm 6 (pk is a function of the seed)")
    o65 = other["ML-DSA-65"]
    entry("ml_dsa_65_public_mismatch_pkcs8", "akp_public_mismatch", "ML-DSA-65",
          "Rejected(PublicMismatch)",
          "PKCS#8 v2 seed form whose [1] publicKey is another key's",
          [akp_sign(o65, "ML-DSA-65"), good["ML-DSA-65"]],
          pkcs8=akp_pkcs8("ML-DSA-65", der(0x80, seed["ML-DSA-65"]), akp_pub(o65)),
          controls=[{"jwk": akp_jwk("ML-DSA-65", akp_pub(o65)), "verifies": [0]},
                    {"jwk": public["ML-DSA-65"], "verifies": [1]}],
          source="RFC 9881 §6; RFC 5958 §2 (publicKey); FIPS 204 Algorithm 6")
    # The key is for another parameter set than the one asked for.
    entry("ml_dsa_44_key_for_ml_dsa_65", "akp_alg_mismatch", "ML-DSA-65", "AlgorithmMismatch",
          "an ML-DSA-44 public key offered for ML-DSA-65; the token is an ML-DSA-44 signature under "
          "an ML-DSA-65 header", [akp_sign(keys["ML-DSA-44"], "ML-DSA-65")], jwk=public["ML-DSA-44"],
          source="RFC 9964 §3 (an AKP key is for its alg only); RFC 8725 §3.1")
    entry("ml_dsa_87_key_for_ml_dsa_44", "akp_alg_mismatch", "ML-DSA-44", "AlgorithmMismatch",
          "an ML-DSA-87 public key offered for ML-DSA-44; the token is an ML-DSA-87 signature under "
          "an ML-DSA-44 header", [akp_sign(keys["ML-DSA-87"], "ML-DSA-44")], jwk=public["ML-DSA-87"],
          source="RFC 9964 §3 (an AKP key is for its alg only); RFC 8725 §3.1")
    # Keys of another type, both ways.
    type_src = "RFC 8725 §3.1 (use each key with one algorithm); RFC 9964 §3"
    p256 = load("p256.pem")
    n = p256.public_key().public_numbers()
    p256_jwk = {"kty": "EC", "crv": "P-256", "x": b64(be(n.x, 32)), "y": b64(be(n.y, 32))}
    ed = load("ed25519.pem")
    ed_x = ed.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    entry("ml_dsa_44_with_p256_key", "wrong_key_type", "ML-DSA-44", "WrongKeyType",
          "a P-256 key for ML-DSA-44; the token is an ES256 signature under an ML-DSA-44 header",
          [ec_sign(p256, CURVES[0], "ML-DSA-44", hashes.SHA256())], jwk=p256_jwk, source=type_src)
    entry("ml_dsa_65_with_ed25519_key", "wrong_key_type", "ML-DSA-65", "WrongKeyType",
          "an Ed25519 key for ML-DSA-65; the token is an Ed25519 signature under an ML-DSA-65 header",
          [token("ML-DSA-65", ed.sign(signing_input("ML-DSA-65")))],
          jwk={"kty": "OKP", "crv": "Ed25519", "x": b64(ed_x)}, source=type_src)
    entry("eddsa_with_ml_dsa_44_key", "wrong_key_type", "EdDSA", "WrongKeyType",
          "an ML-DSA-44 key for EdDSA; the token is an ML-DSA-44 signature under an EdDSA header",
          [akp_sign(keys["ML-DSA-44"], "EdDSA")], jwk=public["ML-DSA-44"], source=type_src)
    entry("es256_with_ml_dsa_65_key", "wrong_key_type", "ES256", "WrongKeyType",
          "an ML-DSA-65 key for ES256; the token is an ML-DSA-65 signature under an ES256 header",
          [akp_sign(keys["ML-DSA-65"], "ES256")], jwk=public["ML-DSA-65"], source=type_src)
    # DER forms (RFC 9881): lengths, parameters, the expanded-only private key.
    der_src = "RFC 9881 §4 (SPKI: parameters absent, the raw public key), §6 (PKCS#8 seed form)"
    entry("ml_dsa_44_spki_short", "akp_der_form", "ML-DSA-44", "Invalid",
          "SPKI whose public key is 1311 bytes", [good["ML-DSA-44"]], spki=akp_spki("ML-DSA-44", p44[:-1]),
          detail="public key is 1311 bytes", controls=fixture_control("ML-DSA-44"), source=der_src)
    entry("ml_dsa_65_spki_null_parameters", "akp_der_form", "ML-DSA-65", "Invalid",
          "SPKI with NULL parameters (RFC 9881: absent)", [good["ML-DSA-65"]],
          spki=akp_spki("ML-DSA-65", pub["ML-DSA-65"], b"\x05\x00"), detail="has parameters",
          controls=fixture_control("ML-DSA-65"), source=der_src)
    entry("ml_dsa_87_pkcs8_seed_31_bytes", "akp_der_form", "ML-DSA-87", "Invalid",
          "PKCS#8 seed form with a 31-byte seed", [good["ML-DSA-87"]],
          pkcs8=akp_pkcs8("ML-DSA-87", der(0x80, seed["ML-DSA-87"][:31])), detail="seed is 31 bytes",
          controls=fixture_control("ML-DSA-87"), source=der_src)
    entry("ml_dsa_44_pkcs8_expanded_only", "akp_der_form", "ML-DSA-44", "UnsupportedKey",
          "PKCS#8 holding only an expanded private key (OCTET STRING of 2560 bytes, zeros: only its "
          "form is read): JOSE keys are seeds, and a seed cannot be recovered from it",
          [good["ML-DSA-44"]], pkcs8=akp_pkcs8("ML-DSA-44", der(0x04, bytes(2560))),
          detail="expanded form only", controls=fixture_control("ML-DSA-44"), source=der_src)
    return entries


def write(name, description, entries):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump({"description": description, "entries": entries}, f, indent=2, ensure_ascii=False)
        f.write("\n")


FILES = {
    "ed25519.json": ("Ed25519 public keys every backend must refuse: small order, non-canonical, "
                     "not on the curve, and private keys whose x is not their own", ed25519_corpus),
    "ec.json": ("EC keys every backend must refuse: coordinates not below p, points off the curve, "
                "private scalars outside [1, n - 1], and private keys whose x, y are not their own",
                ec_corpus),
    "rsa.json": ("RSA public keys every backend must refuse: exponent and modulus rules, size limits",
                 rsa_corpus),
    "oct.json": ("HMAC secrets shorter than the hash", oct_corpus),
    "type.json": ("Keys of the wrong type or curve for the algorithm", type_corpus),
    "akp.json": ("ML-DSA (AKP, RFC 9964) keys every backend must refuse: alg missing or not ML-DSA, "
                 "pub and priv of the wrong length or encoding, pub not the seed's, another parameter "
                 "set or key type, and their DER forms", akp_corpus),
}


if __name__ == "__main__":
    for name in sys.argv[1:] or FILES:
        description, make = FILES[name]
        write(name, description, make())

