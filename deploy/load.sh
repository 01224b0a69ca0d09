#!/usr/bin/env bash
# Load test on loopback through nginx: GET /me (bearer token, EdDSA verification) against
# GET /health (no authentication), each for a fixed duration with wrk, 2 threads and 2 connections.
# Reports requests/s and latency percentiles (p50/p90/p99) and the ratio of the two.
#
#   deploy/load.sh                 # 10 s per endpoint (+1 s warm-up each)
#   LOAD_DURATION=30 deploy/load.sh
#
# Always a release build: figures from a debug build say nothing. Installs nginx and wrk with
# apt-get if they are missing; stops whatever it started on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

PROFILE=release
DURATION=${LOAD_DURATION:-10}
THREADS=2
CONNECTIONS=2
DEMO_PASSWORD='load-demo-password'
ADMIN_PASSWORD='load-admin-password'

if ! command -v wrk >/dev/null; then
  echo "--- installing wrk"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

# shellcheck source=deploy/stack.sh
. deploy/stack.sh

TOKEN=$(curl -fsS -m 10 -H 'Content-Type: application/json' \
  --data-binary "{\"username\":\"demo\",\"password\":\"$DEMO_PASSWORD\"}" "$BASE/login" \
  | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || fail "login failed"
export TOKEN
[ "$(curl -sS -m 5 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/me")" = 200 ] \
  || fail "GET /me with the token is not 200"

# run NAME PATH [wrk args...]: a 1 s warm-up, then the measured run into $TMP/NAME.txt.
run() {
  local name=$1 path=$2; shift 2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d1s "$@" "$BASE$path" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$BASE$path" >"$TMP/$name.txt"
  if grep -q 'Non-2xx' "$TMP/$name.txt"; then
    cat "$TMP/$name.txt" >&2
    fail "GET $path: some responses were not 2xx"
  fi
}

# figures NAME: "requests/s p50 p90 p99", latencies in ms.
figures() {
  awk '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /s$/)  return substr(v, 1, length(v) - 1) * 1000
      return v
    }
    /Requests\/sec:/      { rps = $2 }
    $1 == "50%"           { p50 = ms($2) }
    $1 == "90%"           { p90 = ms($2) }
    $1 == "99%"           { p99 = ms($2) }
    /requests in/         { total = $1 }
    END { printf "%s %.3f %.3f %.3f %s\n", rps, p50, p90, p99, total }
  ' "$TMP/$1.txt"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "--- wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency $BASE/health"
run health /health
echo "--- wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency -s deploy/wrk-bearer.lua $BASE/me"
run me /me -s deploy/wrk-bearer.lua

read -r H_RPS H_P50 H_P90 H_P99 H_N < <(figures health)
read -r M_RPS M_P50 M_P90 M_P99 M_N < <(figures me)

echo
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)); $(wrk --version 2>&1 | head -n1 | cut -d' ' -f1-2); nginx $("$NGINX" -v 2>&1 | sed 's|.*/||'); load average before: $LOAD_BEFORE"
printf '%-28s %10s %10s %9s %9s %9s\n' endpoint requests req/s p50_ms p90_ms p99_ms
printf '%-28s %10s %10.0f %9.3f %9.3f %9.3f\n' "GET /health (no auth)" "$H_N" "$H_RPS" "$H_P50" "$H_P90" "$H_P99"
printf '%-28s %10s %10.0f %9.3f %9.3f %9.3f\n' "GET /me (bearer, EdDSA)" "$M_N" "$M_RPS" "$M_P50" "$M_P90" "$M_P99"
awk -v m="$M_RPS" -v h="$H_RPS" -v mp="$M_P50" -v hp="$H_P50" 'BEGIN {
  printf "ratio /me : /health = %.2f in requests/s; p50 %+.3f ms (about %.0f us more per request: header parsing, EdDSA verification, claims, JSON)\n",
    m / h, mp - hp, (1 / m - 1 / h) * 2 * 1e6
}'
