#!/usr/bin/env bash
# ML-DSA (RFC 9964) interop with Python jwcrypto, both ways, on every ML-DSA backend:
# jwcrypto's keys and tokens verify in tessera (claims, derived public key, RFC 7638 thumbprint),
# and tessera's tokens and JWKs verify and import in jwcrypto. jwcrypto 1.6.1 (with cryptography
# from PyPI, whose ML-DSA is OpenSSL's) is installed into a virtualenv under target/.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/mldsa-interop/venv
out=target/mldsa-interop
mkdir -p "$out"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check 'jwcrypto==1.6.1' 'cryptography==50.0.2'
"$venv/bin/python" scripts/mldsa_interop.py make "$out/jwcrypto.json"
cargo run -q --locked -p tessera-conformance --example mldsa_interop -- \
  "$out/jwcrypto.json" "$out/tessera.json"
"$venv/bin/python" scripts/mldsa_interop.py check "$out/tessera.json"
