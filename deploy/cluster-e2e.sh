#!/usr/bin/env bash
# End-to-end test of several tessera-service instances behind nginx on a real PostgreSQL server
# (issue #16), everything on loopback, in a temp dir, driven with curl and wrk.
#
#   deploy/cluster-e2e.sh                          # debug build (as deploy/e2e.sh), 3 instances
#   CLUSTER_INSTANCES=2 deploy/cluster-e2e.sh       # two instances
#
# deploy/stack.sh starts PostgreSQL (deploy/postgres.sh: installed with apt-get if initdb is
# missing, initdb in the temp dir, run as nobody when root, 127.0.0.1 only, a free port), the
# instances and nginx. Then:
#   1. every check of deploy/e2e.sh (deploy/e2e-checks.sh), through nginx, across the instances;
#   2. across instances, directly: log in on one and refresh on another, a retry on a third gets
#      the same successor, reuse detected on yet another, the same JWKS from every instance, and
#      key rotation (a new key in every instance's JWKS for at least the JWKS max-age before any
#      instance signs with it, followed by all without a restart);
#   3. faults: one instance killed (SIGKILL) during a load run (wrk on GET /me plus refresh
#      chains through nginx): only requests in flight on it may fail, no family is lost or
#      wrongly revoked; PostgreSQL stopped: 503 with a JSON error, never a 500, bearer
#      verification and the JWKS keep working, and every instance recovers by itself once it is
#      back; refresh storms (120 concurrent refreshes of one token across the instances, then 120
#      concurrent reuses): exactly one successor, no deadlock, nothing lost;
#      then a rolling restart with --alg ML-DSA-87 and a rotation: a 6.6 KB bearer token passes
#      nginx's header buffers;
#   4. the storage contract tests against this PostgreSQL server (cargo test with
#      TESSERA_TEST_DATABASE_URL; one check).
# Prints "ok - ..." per check and "N passed, M failed" (the first failure ends the run, exit 1).
# The run after the build is bounded (4 minutes; it takes about a minute).
set -euo pipefail
cd "$(dirname "$0")/.."

PROFILE=${TESSERA_E2E_PROFILE:-debug}
DEMO_PASSWORD='cluster demo pässword'
ADMIN_PASSWORD='cluster-admin-password'
E2E_BUDGET=240
STORM=120
LOAD_SECONDS=6
# Short timings so that each phase takes seconds: the JWKS max-age (3 s) plus two polls (1 s
# each) is the delay between a key's creation and its first signature; a 3 s grace window.
export TESSERA_JWKS_MAX_AGE=3 TESSERA_KEY_POLL=1 TESSERA_REFRESH_GRACE=3
STACK_INSTANCES=${CLUSTER_INSTANCES:-3}
STACK_DB=postgres
STACK_FEATURES=mldsa   # for the ML-DSA-87 phase (--alg)
# All clients here share 127.0.0.1, so nginx's per-address rate limit on /login and /refresh
# (10/s) would turn the load phase into 429s: raised for this test only.
STACK_NGINX_SED='s|rate=10r/s|rate=100000r/s|'
[ "$STACK_INSTANCES" -ge 2 ] || { echo "$0: CLUSTER_INSTANCES must be at least 2" >&2; exit 1; }

if ! command -v wrk >/dev/null; then
  echo "--- installing wrk"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

# shellcheck source=deploy/stack.sh
. deploy/stack.sh
N=$STACK_INSTANCES
LAST=$((N - 1))

# --- 1. the single-instance checks, through nginx, across the instances -----------------------
echo "--- the checks of deploy/e2e.sh, through nginx over $N instances"
# shellcheck source=deploy/e2e-checks.sh
. deploy/e2e-checks.sh

# --- helpers ----------------------------------------------------------------------------------
# on I METHOD PATH [AUTH] [BODY]: req against instance I directly (not through nginx).
on() {
  local saved=$BASE
  BASE=$(instance_url "$1"); shift
  req "$@"
  BASE=$saved
}
refresh_body() { printf '{"refresh_token":"%s"}' "$1"; }
# login_on I USER PASSWORD: sets ACCESS, REFRESH.
login_on() {
  on "$1" POST /login "" "$(login_body "$2" "$3")"
  expect 200 "POST /login $2 on instance $(($1 + 1))"
  ACCESS=$(json_str access_token); REFRESH=$(json_str refresh_token)
}
# refresh_on I TOKEN: sets STATUS, BODY, ACCESS, REFRESH (on 200).
refresh_on() {
  on "$1" POST /refresh "" "$(refresh_body "$2")"
  if [ "$STATUS" = 200 ]; then ACCESS=$(json_str access_token); REFRESH=$(json_str refresh_token); fi
}
# family_sql TOKEN: a SQL expression selecting the family of TOKEN.
family_sql() { echo "(SELECT family FROM refresh_tokens WHERE token_hash = sha256(convert_to('$1', 'UTF8')))"; }
now_ms() { date +%s%3N; }

# --- 2. across instances ----------------------------------------------------------------------
login_on 0 demo "$DEMO_PASSWORD"; R1=$REFRESH
refresh_on 1 "$R1"; expect 200 "refresh on instance 2 of a login on instance 1"; R2=$REFRESH
on "$LAST" GET /me "Bearer $ACCESS"; expect 200 "GET /me on instance $N"
ok "login on instance 1, refresh on instance 2 -> 200, its access token works on instance $N"

refresh_on "$LAST" "$R1"; expect 200 "a retry on instance $N within the grace window"
[ "$REFRESH" = "$R2" ] || fail "the retry on instance $N got another successor"
ok "the same token again on instance $N within the grace window -> 200, the same successor"

refresh_on 0 "$R2"; expect 200 "refresh of the successor on instance 1"; R3=$REFRESH
refresh_on 1 "$R1"; expect 401 "reuse on instance 2"
refresh_on "$LAST" "$R3"; expect 401 "the newest token after the reuse, on instance $N"
[ "$(pg_psql "SELECT count(*) FROM refresh_tokens WHERE family = $(family_sql "$R1") AND revoked_at IS NULL")" = 0 ] \
  || fail "the family is not revoked in the database"
ok "reuse on instance 2 of a token whose successor was used on instance 1 -> 401; the newest token -> 401 on instance $N (family revoked in PostgreSQL)"

jwks_of() { curl -fsS -m 5 "$(instance_url "$1")/.well-known/jwks.json"; }
same_jwks() {
  local first i
  first=$(jwks_of 0) || return 1
  for i in $(seq 1 "$LAST"); do [ "$(jwks_of "$i")" = "$first" ] || return 1; done
  echo "$first"
}
JWKS=$(same_jwks) || fail "the instances publish different JWKS"
on 0 GET /.well-known/jwks.json
grep -qi '^cache-control: public, max-age=3' "$TMP/headers" || fail "JWKS Cache-Control: $(grep -i cache-control "$TMP/headers")"
ok "GET /.well-known/jwks.json -> the same document from all $N instances (Cache-Control max-age=3)"

# Rotation on one instance; every instance must publish the new key at least max-age before any signs.
login_on 1 admin "$ADMIN_PASSWORD"; ADMIN=$ACCESS
login_on 0 demo "$DEMO_PASSWORD"; ROT_REFRESH=$REFRESH; OLD_ACCESS=$ACCESS; OLD_KID=$(kid_of "$ACCESS")
on 0 POST /admin/rotate "Bearer $ADMIN"; expect 200 "POST /admin/rotate on instance 1"
NEW_KID=$(json_str new_kid); ACTIVATES_IN=$(json_num activates_in_ms)
ACTIVATE_AT=$(( $(now_ms) + ACTIVATES_IN ))
[ "$NEW_KID" != "$OLD_KID" ] || fail "rotation kept the kid"
declare -a SEEN_AT
for i in $(seq 0 "$LAST"); do
  for _ in $(seq 1 60); do
    if jwks_of "$i" | grep -q "\"kid\":\"$NEW_KID\""; then SEEN_AT[i]=$(now_ms); break; fi
    sleep 0.05
  done
  [ -n "${SEEN_AT[$i]:-}" ] || fail "instance $((i + 1)) does not publish $NEW_KID after 3 s"
done
min_lead=999999
for i in $(seq 0 "$LAST"); do
  lead=$((ACTIVATE_AT - SEEN_AT[i])); if [ "$lead" -lt "$min_lead" ]; then min_lead=$lead; fi
  refresh_on "$i" "$ROT_REFRESH"; expect 200 "refresh on instance $((i + 1)) while $NEW_KID is pending"
  ROT_REFRESH=$REFRESH
  [ "$(kid_of "$ACCESS")" = "$OLD_KID" ] || fail "instance $((i + 1)) signed with the pending key"
done
[ "$(( $(now_ms) ))" -lt "$ACTIVATE_AT" ] || fail "the checks of the pending state took longer than the publish delay"
[ "$min_lead" -ge $((TESSERA_JWKS_MAX_AGE * 1000)) ] \
  || fail "an instance published $NEW_KID only $min_lead ms before its activation (max-age ${TESSERA_JWKS_MAX_AGE} s)"
ok "rotation on instance 1: $NEW_KID in every instance's JWKS at least $min_lead ms (>= max-age ${TESSERA_JWKS_MAX_AGE} s) before activation; meanwhile all sign with $OLD_KID"
activation_wait "$ACTIVATES_IN"
for i in $(seq 0 "$LAST"); do
  refresh_on "$i" "$ROT_REFRESH"; expect 200 "refresh on instance $((i + 1)) after activation"
  ROT_REFRESH=$REFRESH
  [ "$(kid_of "$ACCESS")" = "$NEW_KID" ] || fail "instance $((i + 1)) still signs with $(kid_of "$ACCESS") after activation"
  on "$i" GET /me "Bearer $OLD_ACCESS"; expect 200 "a token of the previous key on instance $((i + 1))"
done
same_jwks >/dev/null || fail "the instances publish different JWKS after the rotation"
ok "after activation every instance signs with $NEW_KID (no restart), still accepts $OLD_KID tokens, and all publish the same JWKS"

# --- 3a. one instance killed during a load run ------------------------------------------------
VICTIM=1
WORKERS=4
login_on 0 demo "$DEMO_PASSWORD"; export TOKEN=$ACCESS
declare -a CHAIN
for w in $(seq 1 "$WORKERS"); do login_on $((w % N)) demo "$DEMO_PASSWORD"; CHAIN[w]=$REFRESH; done
# refresh_worker W TOKEN UNTIL: a chain of refreshes through nginx until $SECONDS >= UNTIL. After
# any answer but 200 (a response lost with an instance) it retries the same token, as a client
# would: the grace window gives it the successor if the lost exchange had committed.
refresh_worker() {
  local w=$1 tok=$2 until=$3 st
  : >"$TMP/worker-$w.codes"
  while ((SECONDS < until)); do
    st=$(curl -sS -m 5 -o "$TMP/worker-$w.body" -w '%{http_code}' -H 'Content-Type: application/json' \
      --data-binary "$(refresh_body "$tok")" "$BASE/refresh" 2>/dev/null) || true
    echo "$st" >>"$TMP/worker-$w.codes"
    if [ "$st" = 200 ]; then tok=$(sed -n 's/.*"refresh_token":"\([^"]*\)".*/\1/p' "$TMP/worker-$w.body"); fi
  done
  echo "$tok" >"$TMP/worker-$w.token"
}
until=$((SECONDS + LOAD_SECONDS))
wrk -t2 -c4 -d"${LOAD_SECONDS}s" -s deploy/wrk-bearer.lua "$BASE/me" >"$TMP/kill-wrk.txt" 2>&1 &
WRK_PID=$!
declare -a WORKER_PIDS
for w in $(seq 1 "$WORKERS"); do refresh_worker "$w" "${CHAIN[$w]}" "$until" & WORKER_PIDS[w]=$!; done
sleep 2
kill -KILL "${SERVICE_PIDS[$VICTIM]}"
wait "${SERVICE_PIDS[$VICTIM]}" 2>/dev/null || true
for w in $(seq 1 "$WORKERS"); do wait "${WORKER_PIDS[$w]}"; done
wait "$WRK_PID" || fail "wrk failed: $(cat "$TMP/kill-wrk.txt")"
ME_TOTAL=$(awk '/requests in/ { print $1 }' "$TMP/kill-wrk.txt")
ME_BAD=$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$TMP/kill-wrk.txt")
[ "$ME_BAD" -le 4 ] || fail "GET /me: $ME_BAD of $ME_TOTAL failed (more than the 4 connections in flight): $(cat "$TMP/kill-wrk.txt")"
REFRESH_TOTAL=0; REFRESH_BAD=0
for w in $(seq 1 "$WORKERS"); do
  total=$(wc -l <"$TMP/worker-$w.codes"); bad=$(grep -vc '^200$' "$TMP/worker-$w.codes" || true)
  REFRESH_TOTAL=$((REFRESH_TOTAL + total)); REFRESH_BAD=$((REFRESH_BAD + bad))
  grep -q '^401$' "$TMP/worker-$w.codes" && fail "worker $w: a refresh was refused (401): its family was revoked"
  [ "$bad" -le 1 ] || fail "worker $w: $bad failed refreshes ($(sort "$TMP/worker-$w.codes" | uniq -c | tr '\n' ' ')), more than the one in flight"
  req POST /refresh "" "$(refresh_body "$(cat "$TMP/worker-$w.token")")"
  expect 200 "worker $w's last token after the kill"
done
[ "$REFRESH_TOTAL" -ge $((WORKERS * 5)) ] || fail "only $REFRESH_TOTAL refreshes during the load run"
ok "SIGKILL of instance $((VICTIM + 1)) during load: GET /me $ME_BAD of $ME_TOTAL failed, POST /refresh $REFRESH_BAD of $REFRESH_TOTAL failed (at most one in flight per chain); all $WORKERS refresh families intact"
start_instance "$VICTIM"; wait_instance "$VICTIM"
ok "instance $((VICTIM + 1)) restarted and serves again (the others kept running)"

# --- 3b. PostgreSQL stopped -------------------------------------------------------------------
declare -a OUTAGE
for i in $(seq 0 "$LAST"); do login_on "$i" demo "$DEMO_PASSWORD"; OUTAGE[i]=$REFRESH; done
OUTAGE_ACCESS=$ACCESS
pg_stop
UNAVAILABLE='{"error":"temporarily_unavailable","error_description":"the service is temporarily unavailable; retry shortly"}'
req POST /login "" "$(login_body demo "$DEMO_PASSWORD")"
expect 503 "POST /login with PostgreSQL down"
[ "$BODY" = "$UNAVAILABLE" ] || fail "503 body: $BODY"
grep -qi '^retry-after: 1' "$TMP/headers" || fail "no Retry-After on the 503"
for i in $(seq 0 "$LAST"); do
  refresh_on "$i" "${OUTAGE[$i]}"; expect 503 "POST /refresh on instance $((i + 1)) with PostgreSQL down"
  [ "$BODY" = "$UNAVAILABLE" ] || fail "503 body: $BODY"
done
ok "PostgreSQL stopped: POST /login and POST /refresh on every instance -> 503 $UNAVAILABLE (Retry-After: 1)"
req GET /me "Bearer $OUTAGE_ACCESS"; expect 200 "GET /me with PostgreSQL down"
req GET /.well-known/jwks.json; expect 200 "JWKS with PostgreSQL down"
ok "PostgreSQL stopped: GET /me (bearer verification) and the JWKS still 200"
sleep 1.5   # at least one key poll fails meanwhile
pg_start
down_at=$SECONDS
for i in $(seq 0 "$LAST"); do
  for _ in $(seq 1 75); do
    refresh_on "$i" "${OUTAGE[$i]}"
    [ "$STATUS" != 503 ] && break
    sleep 0.2
  done
  expect 200 "POST /refresh on instance $((i + 1)) after PostgreSQL came back"
done
req POST /login "" "$(login_body demo "$DEMO_PASSWORD")"; expect 200 "login after PostgreSQL came back"
ok "PostgreSQL back: every instance answers 200 again within $((SECONDS - down_at)) s, without a restart; the families presented during the outage still refresh"

# --- 3c. refresh storms -----------------------------------------------------------------------
login_on 0 demo "$DEMO_PASSWORD"; STORM_TOKEN=$REFRESH
# storm TOKEN NAME: STORM concurrent POST /refresh of TOKEN, spread over the instances directly.
storm() {
  local tok=$1 name=$2 n
  mkdir -p "$TMP/$name"
  : >"$TMP/$name.curl"
  for n in $(seq 1 "$STORM"); do
    printf 'url = "%s/refresh"\nheader = "Content-Type: application/json"\ndata = "%s"\noutput = "%s"\nwrite-out = "%%{http_code}\\n"\nmax-time = 20\n' \
      "$(instance_url $((n % N)))" "$(refresh_body "$tok" | sed 's/"/\\"/g')" "$TMP/$name/$n.json" >>"$TMP/$name.curl"
    if [ "$n" -lt "$STORM" ]; then echo next >>"$TMP/$name.curl"; fi
  done
  local start; start=$(now_ms)
  curl -sS --parallel --parallel-immediate --parallel-max "$STORM" -K "$TMP/$name.curl" >"$TMP/$name.codes" 2>"$TMP/$name.err" \
    || fail "$name: curl failed: $(head -c 500 "$TMP/$name.err")"
  STORM_MS=$(( $(now_ms) - start ))
}
storm "$STORM_TOKEN" storm
[ "$(grep -c '^200$' "$TMP/storm.codes")" = "$STORM" ] \
  || fail "storm: not all $STORM answered 200: $(sort "$TMP/storm.codes" | uniq -c | tr '\n' ' ')"
SUCCESSORS=$(sed -n 's/.*"refresh_token":"\([^"]*\)".*/\1/p' "$TMP"/storm/*.json | sort -u)
[ "$(wc -l <<<"$SUCCESSORS")" = 1 ] || fail "storm: $(wc -l <<<"$SUCCESSORS") distinct successors"
ROWS=$(pg_psql "SELECT count(*) FROM refresh_tokens WHERE family = $(family_sql "$STORM_TOKEN")")
[ "$ROWS" = 2 ] || fail "storm: $ROWS tokens in the family, expected 2 (the token and one successor)"
refresh_on 1 "$SUCCESSORS"; expect 200 "the storm's successor"
ok "storm: $STORM concurrent refreshes of one token over $N instances in $STORM_MS ms -> all 200 with one and the same successor (2 rows in PostgreSQL), which refreshes again"
storm "$STORM_TOKEN" reuse
[ "$(grep -c '^401$' "$TMP/reuse.codes")" = "$STORM" ] \
  || fail "reuse storm: not all $STORM answered 401: $(sort "$TMP/reuse.codes" | uniq -c | tr '\n' ' ')"
[ "$(pg_psql "SELECT count(*) FROM refresh_tokens WHERE family = $(family_sql "$STORM_TOKEN") AND revoked_at IS NULL")" = 0 ] \
  || fail "reuse storm: the family is not revoked"
refresh_on "$LAST" "$REFRESH"; expect 401 "the newest token after the reuse storm"
ok "reuse storm: $STORM concurrent reuses of the used token in $STORM_MS ms -> all 401, the family revoked, no deadlock"
LOCKS=$(pg_psql "SELECT count(*) FROM pg_locks WHERE NOT granted")
[ "$LOCKS" = 0 ] || fail "$LOCKS lock requests still waiting in PostgreSQL"

# --- 3d. a rolling restart to ML-DSA-87 keys: big tokens through nginx ---------------------------
login_on 0 demo "$DEMO_PASSWORD"; EDDSA_ACCESS=$ACCESS
export TESSERA_ALG=ML-DSA-87
for i in $(seq 0 "$LAST"); do
  kill -TERM "${SERVICE_PIDS[$i]}"; wait "${SERVICE_PIDS[$i]}" || fail "instance $((i + 1)) exited badly on SIGTERM"
  start_instance "$i"; wait_instance "$i"
done
login_on 0 admin "$ADMIN_PASSWORD"; ADMIN=$ACCESS
on 0 POST /admin/rotate "Bearer $ADMIN"; expect 200 "POST /admin/rotate to ML-DSA-87"
activation_wait "$(json_num activates_in_ms)"
req POST /login "" "$(login_body demo "$DEMO_PASSWORD")"; expect 200 "login after the ML-DSA-87 rotation"
BIG=$(json_str access_token)
h=${BIG%%.*}; h=$(tr '_-' '/+' <<<"$h"); while [ $(( ${#h} % 4 )) -ne 0 ]; do h="$h="; done
grep -q '"alg":"ML-DSA-87"' <<<"$(base64 -d <<<"$h")" || fail "the token after the rotation is not ML-DSA-87"
req GET /me "Bearer $BIG"; expect 200 "GET /me through nginx with an ML-DSA-87 token"
req GET /me "Bearer $EDDSA_ACCESS"; expect 200 "GET /me with the EdDSA token of before"
TOO_BIG=$(head -c 9000 /dev/zero | tr '\0' 'A')
req GET /me "Bearer $TOO_BIG"; expect 400 "a 9000-byte bearer token (over nginx's 8 KiB header line)"
ok "rolling restart with --alg ML-DSA-87, rotation: a ${#BIG}-byte ML-DSA-87 token passes nginx (large_client_header_buffers 4 8k) -> GET /me 200; EdDSA tokens of before still 200; a 9000-byte one -> 400 from nginx"

# --- 4. the storage contract tests against this server -----------------------------------------
"$PSQL" -X -q -h 127.0.0.1 -p "$PG_PORT" -U tessera -d postgres -c 'CREATE DATABASE contract' \
  || fail "CREATE DATABASE contract"
# With the binary's features, so that the library built for it is reused.
echo "--- cargo test -p tessera-service --features $STACK_FEATURES --test store_contract (TESSERA_TEST_DATABASE_URL set)"
TESSERA_TEST_DATABASE_URL="postgres://tessera@127.0.0.1:$PG_PORT/contract" \
  cargo test -q -p tessera-service --features "$STACK_FEATURES" --test store_contract -- --test-threads 4 >"$TMP/contract.txt" 2>&1 \
  || { cat "$TMP/contract.txt" >&2; fail "the storage contract tests failed"; }
PG_CASES=$(TESSERA_TEST_DATABASE_URL="postgres://tessera@127.0.0.1:$PG_PORT/contract" \
  cargo test -q -p tessera-service --features "$STACK_FEATURES" --test store_contract -- --list 2>/dev/null | grep -c '^postgres::.*: test$' || true)
SCHEMAS=$("$PSQL" -X -q -A -t -h 127.0.0.1 -p "$PG_PORT" -U tessera -d contract \
  -c "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'contract_%'")
[ "$PG_CASES" -ge 1 ] && [ "$SCHEMAS" = "$PG_CASES" ] \
  || fail "the PostgreSQL contract cases did not run against the server ($PG_CASES cases, $SCHEMAS schemas)"
ok "storage contract tests: $(grep -o '[0-9]* passed' "$TMP/contract.txt" | tail -1), $PG_CASES of them against this PostgreSQL server (one schema each)"

# --- the end ----------------------------------------------------------------------------------
if grep -h 'status=500' "${SERVICE_LOGS[@]}" | head -3 | grep -q .; then fail "an instance answered 500"; fi
ok "no instance answered 500 during the run"
for i in $(seq 0 "$LAST"); do
  kill -TERM "${SERVICE_PIDS[$i]}"
  code=0; wait "${SERVICE_PIDS[$i]}" || code=$?
  [ "$code" = 0 ] || fail "instance $((i + 1)) exited with status $code after SIGTERM"
done
SERVICE_PIDS=()
ok "SIGTERM -> all $N instances shut down gracefully (exit 0)"

echo "--- $((SECONDS - STACK_STARTED)) s after the build"
echo "$PASSED passed, 0 failed"
