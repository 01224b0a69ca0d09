#!/usr/bin/env bash
# Load test on loopback through nginx, with wrk: GET /health (no authentication), GET /me (bearer
# token, EdDSA verification) and POST /refresh (refresh-token rotation: one database transaction
# and an EdDSA signature per request), for 1 and 2 instances, on SQLite and on PostgreSQL.
# Reports requests/s and latency percentiles (p50/p90/p99).
#
#   deploy/load.sh                   # all four set-ups, 10 s per endpoint (+1 s warm-up each)
#   LOAD_DURATION=30 deploy/load.sh
#   LOAD_SETUPS="sqlite:1 postgres:2" deploy/load.sh
#
# Each set-up is a fresh stack (deploy/stack.sh; PostgreSQL from deploy/postgres.sh), run by this
# script calling itself with --one. wrk runs with LOAD_CONNECTIONS threads of one connection each
# (default 2, as before): POST /refresh needs one connection per refresh-token chain
# (deploy/wrk-refresh.lua). Two instances on SQLite share one file (SQLite serialises the writers).
#
# Always a release build: figures from a debug build say nothing. Installs nginx and wrk with
# apt-get if they are missing; stops whatever it started on exit. Fails if any response is not 2xx.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${LOAD_DURATION:-10}
CONNECTIONS=${LOAD_CONNECTIONS:-2}

if ! command -v wrk >/dev/null; then
  echo "--- installing wrk"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

if [ "${1:-}" != --one ]; then
  SETUPS=${LOAD_SETUPS:-"sqlite:1 sqlite:2 postgres:1 postgres:2"}
  RESULTS=$(mktemp)
  trap 'rm -f "$RESULTS"' EXIT
  LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
  for setup in $SETUPS; do
    LOAD_DB=${setup%%:*} LOAD_INSTANCES=${setup##*:} LOAD_RESULTS="$RESULTS" bash "$0" --one
  done
  echo
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)); $(wrk --version 2>&1 | head -n1 | cut -d' ' -f1-2); load average before: $LOAD_BEFORE"
  echo "wrk -t$CONNECTIONS -c$CONNECTIONS -d${DURATION}s --latency through nginx; latencies in ms"
  printf '%-10s %9s %-26s %10s %9s %8s %8s %8s\n' store instances endpoint requests req/s p50 p90 p99
  cat "$RESULTS"
  exit 0
fi

# --- one set-up --------------------------------------------------------------------------------
PROFILE=release
DEMO_PASSWORD='load-demo-password'
ADMIN_PASSWORD='load-admin-password'
STACK_DB=$LOAD_DB
STACK_INSTANCES=$LOAD_INSTANCES
# Every wrk connection comes from 127.0.0.1: nginx's per-address limit on /refresh (10/s) would
# answer 429 to nearly all of them. Raised for the measurement only.
STACK_NGINX_SED='s|rate=10r/s|rate=1000000r/s|'

# shellcheck source=deploy/stack.sh
. deploy/stack.sh

login() { # login: one login as demo; prints "<access token> <refresh token>"
  curl -fsS -m 10 -H 'Content-Type: application/json' \
    --data-binary "{\"username\":\"demo\",\"password\":\"$DEMO_PASSWORD\"}" "$BASE/login" \
    | sed -n 's/.*"access_token":"\([^"]*\)".*"refresh_token":"\([^"]*\)".*/\1 \2/p'
  echo   # the body ends without a newline, and so would sed's output
}
read -r TOKEN _ < <(login)
[ -n "$TOKEN" ] || fail "login failed"
export TOKEN
[ "$(curl -sS -m 5 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/me")" = 200 ] \
  || fail "GET /me with the token is not 200"
# Refresh-token families: one per connection for the warm-up, fresh ones for the measured run
# (the warm-up's chains end inside that wrk process).
families() { local i t; for i in $(seq 1 "$CONNECTIONS"); do read -r _ t < <(login); printf '%s ' "$t"; done; }
WARM_FAMILIES=$(families)
RUN_FAMILIES=$(families)

# run NAME PATH [wrk args...]: a 1 s warm-up, then the measured run into $TMP/NAME.txt.
run() {
  local name=$1 path=$2; shift 2
  REFRESH_TOKENS=$WARM_FAMILIES wrk -t"$CONNECTIONS" -c"$CONNECTIONS" -d1s "$@" "$BASE$path" >"$TMP/$name.warm.txt"
  REFRESH_TOKENS=$RUN_FAMILIES wrk -t"$CONNECTIONS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$BASE$path" >"$TMP/$name.txt"
  if grep -q 'Non-2xx' "$TMP/$name.txt" "$TMP/$name.warm.txt"; then
    cat "$TMP/$name.txt" >&2
    fail "$path: some responses were not 2xx"
  fi
}

# figures NAME: "requests/s p50 p90 p99 requests", latencies in ms.
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

echo "--- $STACK_DB, $STACK_INSTANCES instance(s): wrk -t$CONNECTIONS -c$CONNECTIONS -d${DURATION}s --latency"
run health /health
run me /me -s deploy/wrk-bearer.lua
run refresh /refresh -s deploy/wrk-refresh.lua
for name in health me refresh; do
  case $name in
    health) label="GET /health (no auth)" ;;
    me) label="GET /me (bearer, EdDSA)" ;;
    refresh) label="POST /refresh (rotation)" ;;
  esac
  read -r rps p50 p90 p99 total < <(figures "$name")
  line=$(printf '%-10s %9s %-26s %10s %9.0f %8.3f %8.3f %8.3f' "$STACK_DB" "$STACK_INSTANCES" "$label" "$total" "$rps" "$p50" "$p90" "$p99")
  echo "$line"
  if [ -n "${LOAD_RESULTS:-}" ]; then echo "$line" >>"$LOAD_RESULTS"; fi
done
