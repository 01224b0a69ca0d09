#!/usr/bin/env bash
# Stability of `tessera compare` as a measured property: runs the comparison N times back to back
# in one process (release build) and prints, after the last run's report, how many records agree
# between the runs within 5 % and within 10 %, for the medians and for the per-round ratios, and
# whether the targets hold (tessera ratios within 5 % for >= 95 % of records and within 10 % for
# all; tessera medians within 10 % for >= 90 %).
#
#   benches/stability.sh                 # 3 runs of the default comparison with the peers (~6 min)
#   N=2 benches/stability.sh --precise   # extra arguments go to `tessera compare`
#   OUT=/tmp/stab benches/stability.sh   # also writes the reports and stability.{txt,json} there
set -euo pipefail
cd "$(dirname "$0")/.."
args=(compare --peers --repeat "${N:-3}" --format md)
[ -n "${OUT:-}" ] && args+=(--out "$OUT")
cargo run --release --quiet -p tessera-cli -- "${args[@]}" "$@" | sed -n '/^stability over/,$p'
