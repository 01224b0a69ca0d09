#!/usr/bin/env python3
"""The jwcrypto side of scripts/mldsa-interop.sh (ML-DSA, RFC 9964).

  mldsa_interop.py make OUT.json     jwcrypto generates an AKP key per parameter set and signs a JWT
  mldsa_interop.py check IN.json     jwcrypto verifies every token tessera signed (the claims come
                                     back), imports tessera's JWKs and compares the RFC 7638
                                     thumbprints; exits 1 if any check failed

Needs jwcrypto 1.6.1 or later (RFC 9964 support; cryptography 49 or later for ML-DSA).
"""

import json
import sys
import time
from importlib.metadata import version

from jwcrypto import jwk, jwt

ALGS = ["ML-DSA-44", "ML-DSA-65", "ML-DSA-87"]


def claims(now):
    return {"iss": "https://issuer.example", "sub": "alice", "aud": "api", "iat": now - 10,
            "exp": now + 600}


def make(path):
    now = int(time.time())
    keys = []
    for alg in ALGS:
        key = jwk.JWK.generate(kty="AKP", alg=alg)
        token = jwt.JWT(header={"alg": alg, "typ": "JWT"}, claims=claims(now))
        token.make_signed_token(key)
        keys.append({
            "alg": alg,
            "private": json.loads(key.export_private()),
            "public": json.loads(key.export_public()),
            "thumbprint": key.thumbprint(),
            "token": token.serialize(),
        })
    made = {"jwcrypto": version("jwcrypto"), "cryptography": version("cryptography"), "now": now,
            "claims": claims(now), "keys": keys}
    with open(path, "w") as f:
        json.dump(made, f, indent=2)
    print(f"jwcrypto {version('jwcrypto')} (cryptography {version('cryptography')}) made "
          f"{len(keys)} keys and tokens")


def check(path):
    with open(path) as f:
        tokens = json.load(f)["tokens"]
    failed = 0
    for t in tokens:
        what = f"{t['alg']:<10} {t['backend']:<16} tessera -> jwcrypto ({t['key']} key)"
        try:
            public = jwk.JWK(**t["public"])
            got = jwt.JWT(jwt=t["token"], key=public, algs=[t["alg"]],
                          check_claims={"iss": "https://issuer.example", "aud": "api"})
            assert json.loads(got.claims)["sub"] == "alice", "claims differ"
            assert public.thumbprint() == t["thumbprint"], "thumbprints differ"
            if "private" in t:
                private = jwk.JWK(**t["private"])
                assert json.loads(private.export_public()) == t["public"], "public halves differ"
                assert private.thumbprint() == t["thumbprint"], "private key thumbprint differs"
            print(f"{what}  pass")
        except Exception as e:  # noqa: BLE001 - every failure is reported, then counted
            failed += 1
            print(f"{what}  FAIL {type(e).__name__}: {e}")
    print(f"{len(tokens) - failed} passed, {failed} failed")
    return 0 if failed == 0 and tokens else 1


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("make", "check"):
        sys.exit(__doc__)
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        sys.exit(check(sys.argv[2]))
