#!/usr/bin/env bash
# Build cost of each tessera backend: a clean release build (its own empty target directory, so
# every dependency is compiled) of a tiny binary that signs and verifies a JWT with every
# algorithm of the backends compiled in, once per backend feature of the facade and once with
# none (the baseline). Records wall seconds, CPU seconds (user + sys, steadier than wall time on
# a shared machine) and the stripped binary's size, with the date, in docs/compare/build-cost.json,
# which `tessera compare` compiles in for its HTML report.
#
#   scripts/build-cost.sh [OUT.json]      # about 10-20 minutes on 2 cores
#   REV=<commit> scripts/build-cost.sh    # builds that commit (default HEAD), from `git archive`,
#                                         # so edits in the working tree do not disturb it
#
# Needs what the native backends need (a C compiler; libssl-dev and pkg-config), and the crates
# already in cargo's cache (it builds with --offline and the workspace's Cargo.lock).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/docs/compare/build-cost.json}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

rev="$(git -C "$root" rev-parse --short "${REV:-HEAD}")"
mkdir -p "$work/src" "$work/app/src"
git -C "$root" archive --format=tar "$rev" | tar -x -C "$work/src"
src="$work/src"
cat > "$work/app/Cargo.toml" <<TOML
[package]
name = "tessera-build-cost"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
tessera = { path = "$src", default-features = false, features = [] }
serde = { version = "1", features = ["derive"] }

[profile.release]
strip = true

[workspace]
TOML
cat > "$work/app/src/main.rs" <<'RS'
//! Signs and verifies one token with every algorithm of every backend compiled in.
use serde::{Deserialize, Serialize};
use tessera::{Encoder, Family, KeySpec, Validation};

#[derive(Serialize, Deserialize)]
struct Claims<'a> {
    sub: &'a str,
    exp: i64,
}

fn main() {
    let mut ok = 0usize;
    let validation = Validation::new();
    for backend in tessera::backends() {
        for &alg in backend.algorithms() {
            let Ok(key) = backend.generate(KeySpec::new(alg)) else { continue };
            let public = match alg.family() {
                Family::Hmac => Ok(key.clone()),
                _ => backend.public_key(&key),
            };
            let Ok(public) = public else { continue };
            let (Ok(signer), Ok(verifier)) = (backend.signer(&key, alg), backend.verifier(&public, alg)) else {
                continue;
            };
            let claims = Claims { sub: "build-cost", exp: 4_102_444_800 };
            let Ok(token) = Encoder::new(signer).encode(&claims) else { continue };
            if let Ok(v) = tessera::verify(&token, &verifier, &validation) {
                ok += usize::from(v.claims::<Claims<'_>>().is_ok());
            }
        }
    }
    println!("{ok} algorithm(s) signed and verified");
}
RS
cp "$src/Cargo.lock" "$work/app/Cargo.lock"

machine="$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(. /etc/os-release && echo "$PRETTY_NAME")"
rustc="$(rustc --version)"
entries=()
build() { # backend feature
  local backend="$1" feature="$2" features="[]"
  [ -n "$feature" ] && features="[\"$feature\"]"
  sed -i "s|^tessera = .*|tessera = { path = \"$src\", default-features = false, features = $features }|" "$work/app/Cargo.toml"
  rm -rf "$work/target"
  local load; load="$(cut -d' ' -f1 /proc/loadavg)"
  if ! /usr/bin/time -f '%e %U %S' -o "$work/time" \
      cargo build --release --offline --quiet --manifest-path "$work/app/Cargo.toml" --target-dir "$work/target" 2> "$work/err"; then
    echo "build-cost: $backend failed:" >&2; tail -20 "$work/err" >&2; exit 1
  fi
  local bin="$work/target/release/tessera-build-cost"
  "$bin" >/dev/null
  read -r wall user sys < "$work/time"
  local bytes; bytes="$(stat -c %s "$bin")"
  local cpu; cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
  printf 'build-cost: %-16s %7.1f s wall %7.1f s CPU %9d bytes (load %s at start)\n' "$backend" "$wall" "$cpu" "$bytes" "$load" >&2
  entries+=("{\"backend\": \"$backend\", \"feature\": \"$feature\", \"seconds\": $wall, \"cpu_seconds\": $cpu, \"bytes\": $bytes, \"load_at_start\": $load}")
}

build none ""
for pair in hmac:tessera-hmac rsa:tessera-rsa ecdsa:tessera-ecdsa ed25519:tessera-ed25519 \
            ring:tessera-ring aws-lc:tessera-aws-lc openssl:tessera-openssl; do
  build "${pair#*:}" "${pair%%:*}"
done

{
  printf '{\n  "date": "%s",\n  "commit": "%s",\n  "machine": "%s",\n  "rustc": "%s",\n' "$(date -u +%F)" "$rev" "$machine" "$rustc"
  printf '  "method": "scripts/build-cost.sh: clean cargo build --release (empty target dir, every dependency compiled, -j %s, strip = true) of a tiny binary that signs and verifies a JWT with every algorithm of the backends compiled in; seconds are wall time on a machine shared with other work, cpu_seconds user + sys",\n' "$(nproc)"
  printf '  "baseline": %s,\n  "backends": [\n' "${entries[0]}"
  for i in "${!entries[@]}"; do
    [ "$i" -eq 0 ] && continue
    sep=","; [ "$i" -eq $((${#entries[@]} - 1)) ] && sep=""
    printf '    %s%s\n' "${entries[$i]}" "$sep"
  done
  printf '  ]\n}\n'
} > "$out"
echo "build-cost: wrote $out" >&2
