#!/usr/bin/env bash
# End-to-end test of a resource server that trusts tessera-service by discovery (issue #15):
# tessera-service (the issuer) and the resource-server example of tessera-axum, both behind the
# same nginx (/rs/ goes to the resource server, everything else to the issuer), on free loopback
# ports, in a temp dir, driven with curl.
#
#   deploy/issuer-e2e.sh                      # debug build (the default, as deploy/e2e.sh)
#
# Phases: log in at the issuer and call the resource server; rotate the issuer's key (new tokens
# verify after at most one JWKS refetch, old ones keep verifying); a token from another issuer
# is refused; 1,000 tokens with unknown kids cost at most one JWKS fetch per cooldown (counted in
# nginx's access log and by the resource server); the issuer stops and the resource server keeps
# verifying from its cache, then from its stale copy past the cache lifetime. The resource server
# runs with a 1 s cooldown and a cache lifetime of at most 3 s so that all of this takes seconds.
# Prints "ok - ..." per check and "N passed, M failed"; the run after the build is bounded (2 min).
set -euo pipefail
cd "$(dirname "$0")/.."

PROFILE=${TESSERA_E2E_PROFILE:-debug}
DEMO_PASSWORD='issuer-e2e-demo'
ADMIN_PASSWORD='issuer-e2e-admin'
COOLDOWN_MS=1000
MAX_LIFETIME_S=3
FLOOD=1000

echo "--- building the resource server ($PROFILE)"
if [ "$PROFILE" = release ]; then
  cargo build --release -p tessera-axum --example resource-server
else
  cargo build -p tessera-axum --example resource-server
fi
RS_BIN="${CARGO_TARGET_DIR:-target}/$PROFILE/examples/resource-server"
[ -x "$RS_BIN" ] || { echo "$0: $RS_BIN not found" >&2; exit 1; }

# A rotated key signs 3 s after its creation (JWKS max-age 1 s + two 1 s polls), not 70 s.
export TESSERA_JWKS_MAX_AGE=1 TESSERA_KEY_POLL=1
# shellcheck source=deploy/stack.sh
. deploy/stack.sh
RS_PID=""
rs_cleanup() {
  local st=$?
  set +e
  if [ -n "$RS_PID" ]; then kill "$RS_PID" 2>/dev/null; wait "$RS_PID" 2>/dev/null; fi
  (exit "$st")
  stack_cleanup   # reads $? as the script's status
}
trap rs_cleanup EXIT
ok() { PASSED=$((PASSED + 1)); echo "ok - $*"; }

# --- the resource server, and nginx reloaded with a route to it -------------------------------
RS_PORT=$(free_port)
RS_ISSUER="$BASE" RS_LISTEN="127.0.0.1:$RS_PORT" RS_ALLOW_HTTP=1 RS_COOLDOWN_MS=$COOLDOWN_MS \
  RS_MAX_LIFETIME_S=$MAX_LIFETIME_S "$RS_BIN" >"$TMP/rs.log" 2>&1 &
RS_PID=$!
render_nginx \
    -e "0,/^    server {\$/s//    upstream tessera_resource { server 127.0.0.1:$RS_PORT; keepalive 8; }\n    server {/" \
    -e "0,/^        location \/ {\$/s//        location \/rs\/ { proxy_pass http:\/\/tessera_resource; }\n        location \/ {/" \
    >"$TMP/nginx/nginx.conf"
grep -q tessera_resource "$TMP/nginx/nginx.conf" || fail "could not add the /rs/ route to nginx.conf"
"$NGINX" -t -q -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" \
  || fail "nginx -t refuses the config with the /rs/ route"
kill -HUP "$NGINX_PID"
ready=""
for _ in $(seq 1 100); do
  kill -0 "$RS_PID" 2>/dev/null || fail "the resource server exited at start"
  if [ "$(curl -sS -m 1 -o /dev/null -w '%{http_code}' "$BASE/rs/health" 2>/dev/null)" = 200 ]; then ready=1; break; fi
  sleep 0.2
done
[ -n "$ready" ] || fail "the resource server is not reachable through nginx after 20 s"

# --- helpers ----------------------------------------------------------------------------------
req() { # req METHOD PATH [AUTHORIZATION-VALUE] [JSON-BODY]: sets STATUS, WWW, BODY
  local method=$1 path=$2 auth=${3:-} body=${4:-}
  ((SECONDS - STACK_STARTED < 120)) || fail "over the 2-minute budget"
  local args=(-sS -m 5 -X "$method" -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}')
  [ -n "$auth" ] && args+=(-H "Authorization: $auth")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  STATUS=$(curl "${args[@]}" "$BASE$path") || fail "$method $path: curl failed"
  WWW=$(sed -n 's/^[Ww][Ww][Ww]-[Aa]uthenticate: //p' "$TMP/headers" | tr -d '\r')
  BODY=$(cat "$TMP/body")
}
json_str() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" <<<"$BODY"; }
json_num() { sed -n "s/.*\"$1\":\\([0-9]*\\).*/\\1/p" <<<"$BODY"; }
expect() { [ "$STATUS" = "$1" ] || fail "$2: expected HTTP $1, got $STATUS: $BODY"; }
kid_of() {
  local h=${1%%.*}
  h=$(tr '_-' '/+' <<<"$h")
  while [ $(( ${#h} % 4 )) -ne 0 ]; do h="$h="; done
  base64 -d <<<"$h" | sed -n 's/.*"kid":"\([^"]*\)".*/\1/p'
}
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
login() { # login USER PASSWORD: sets TOKEN
  req POST /login "" "$(printf '{"username":"%s","password":"%s"}' "$1" "$2")"
  expect 200 "POST /login $1"
  TOKEN=$(json_str access_token)
}
# The resource server's counters; FETCHES is its JWKS fetch count.
stats() { req GET /rs/stats; expect 200 "GET /rs/stats"; FETCHES=$(json_num fetches); }
# JWKS GETs in nginx's access log (buffered: flushed at least every second).
nginx_jwks_gets() { sleep 1.2; grep -c '"GET /.well-known/jwks.json ' "$TMP/nginx/access.log" || true; }

# --- checks -----------------------------------------------------------------------------------
req GET /.well-known/openid-configuration
expect 200 "GET /.well-known/openid-configuration"
[ "$(json_str issuer)" = "$BASE" ] && [ "$(json_str jwks_uri)" = "$BASE/.well-known/jwks.json" ] \
  || fail "discovery document: $BODY"
ok "GET /.well-known/openid-configuration -> issuer $BASE, jwks_uri $BASE/.well-known/jwks.json"

login demo "$DEMO_PASSWORD"; T1=$TOKEN; K1=$(kid_of "$T1")
req GET /rs/me "Bearer $T1"
expect 200 "GET /rs/me with the issuer's token"
[ "$(json_str sub)" = demo ] || fail "GET /rs/me: $BODY"
stats
[ "$FETCHES" = 1 ] || fail "first verification: expected 1 JWKS fetch, got $FETCHES"
ok "login at the issuer, GET /rs/me at the resource server -> 200 sub=demo (discovery + 1 JWKS fetch, kid $K1)"

req GET /rs/me
[ "$STATUS" = 401 ] && [ "$WWW" = 'Bearer realm="tessera-resource"' ] || fail "no token: $STATUS $WWW"
ok "GET /rs/me without a token -> 401 $WWW"

# Rotation at the issuer.
login admin "$ADMIN_PASSWORD"; ADMIN=$TOKEN
req POST /admin/rotate "Bearer $ADMIN"
expect 200 "POST /admin/rotate"
# The new key is published at once and signs once its activation time has passed (and the
# instance's next 1 s poll has seen it).
sleep "$(awk -v ms="$(json_num activates_in_ms)" 'BEGIN { printf "%.1f", ms / 1000 + 1.3 }')"
login demo "$DEMO_PASSWORD"; T2=$TOKEN; K2=$(kid_of "$T2")
[ "$K2" != "$K1" ] || fail "rotation did not change the kid"
sleep $((COOLDOWN_MS / 1000)).1   # the first fetch is now at least a cooldown old
stats; before=$FETCHES
req GET /rs/me "Bearer $T2"
expect 200 "GET /rs/me with a token of the rotated key"
stats; ROTATION_FETCHES=$((FETCHES - before))
[ "$ROTATION_FETCHES" -le 1 ] || fail "rotation: $ROTATION_FETCHES JWKS fetches"
req GET /rs/me "Bearer $T1"
expect 200 "GET /rs/me with the token of the previous key"
ok "rotate at the issuer (kid $K2): the new token verifies after $ROTATION_FETCHES refetch, the old one still verifies"

# A token from another issuer, signed with the very same key.
OTHER=$(TESSERA_ISSUER="http://other-issuer.example" "$BIN" issue-token --sub demo 2>/dev/null) \
  || fail "issue-token for another issuer"
req GET /rs/me "Bearer $OTHER"
[ "$STATUS" = 401 ] && [[ "$WWW" == *'error_description="the token issuer is not accepted"'* ]] \
  || fail "token from another issuer: $STATUS $WWW"
ok "a token whose iss is another issuer -> 401 (the token issuer is not accepted)"

# 1,000 tokens with made-up kids: header re-encoded, payload and signature of a real token.
stats; before=$FETCHES; log_before=$(nginx_jwks_gets)
rest=${T2#*.}
: >"$TMP/flood.curl"
for i in $(seq 1 "$FLOOD"); do
  h=$(printf '{"alg":"EdDSA","typ":"at+jwt","kid":"unknown-%d"}' "$i" | b64url)
  [ "$i" -gt 1 ] && echo next >>"$TMP/flood.curl"
  printf 'url = "%s/rs/me"\nheader = "Authorization: Bearer %s.%s"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' \
    "$BASE" "$h" "$rest" >>"$TMP/flood.curl"
done
start=$(date +%s%N)
curl -sS -m 60 -K "$TMP/flood.curl" >"$TMP/flood.codes" || fail "the unknown-kid flood: curl failed"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
refused=$(grep -c '^401$' "$TMP/flood.codes" || true)
[ "$refused" = "$FLOOD" ] || fail "unknown kids: $refused of $FLOOD refused with 401"
stats; FLOOD_FETCHES=$((FETCHES - before)); log_after=$(nginx_jwks_gets)
FLOOD_LOG=$((log_after - log_before))
allowed=$(( elapsed_ms / COOLDOWN_MS + 1 ))
[ "$FLOOD_FETCHES" -le "$allowed" ] && [ "$FLOOD_LOG" -le "$allowed" ] \
  || fail "unknown kids: $FLOOD_FETCHES fetches (nginx: $FLOOD_LOG) in $elapsed_ms ms, more than one per cooldown"
ok "$FLOOD tokens with unknown kids in $elapsed_ms ms -> all 401, $FLOOD_FETCHES JWKS fetches (nginx log: $FLOOD_LOG; at most $allowed allowed)"

# The issuer stops: the resource server keeps verifying from its cache, then from the stale copy.
kill -TERM "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true; SERVICE_PID=""
req GET /.well-known/jwks.json
[ "$STATUS" = 502 ] || fail "the issuer still answers after SIGTERM: $STATUS"
stats; before=$FETCHES
req GET /rs/me "Bearer $T2"
expect 200 "GET /rs/me with the issuer down"
sleep $((MAX_LIFETIME_S + 1))   # past the cache lifetime: the refresh fails, the stale set serves
req GET /rs/me "Bearer $T2"
expect 200 "GET /rs/me with the issuer down, past the cache lifetime"
req GET /rs/me "Bearer $T1"
expect 200 "GET /rs/me (previous key) with the issuer down"
stats; OUTAGE_FETCHES=$((FETCHES - before))
errors=$(json_num errors); stale=$(json_num stale_served)
[ "${errors:-0}" -ge 1 ] && [ "${stale:-0}" -ge 1 ] || fail "outage: errors=$errors stale_served=$stale: $BODY"
ok "issuer stopped (nginx 502): GET /rs/me -> 200 from the cache, and past its lifetime from the stale copy ($OUTAGE_FETCHES failed fetch attempts, stale_served=$stale)"

echo "--- JWKS fetches: rotation $ROTATION_FETCHES, unknown-kid flood $FLOOD_FETCHES (nginx $FLOOD_LOG) in $elapsed_ms ms, outage $OUTAGE_FETCHES (all failed)"
echo "$PASSED passed, 0 failed"
