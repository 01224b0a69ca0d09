# The checks of deploy/e2e.sh, also run by deploy/cluster-e2e.sh against several instances
# (sourced after deploy/stack.sh; not run on their own). Defines the request helpers, runs the
# checks through nginx ($BASE), counting them in PASSED; the first failure ends the run (fail).
ok() { PASSED=$((PASSED + 1)); echo "ok - $*"; }

# --- helpers ----------------------------------------------------------------------------------
# req METHOD PATH [AUTHORIZATION-VALUE] [JSON-BODY]: sets STATUS, WWW (WWW-Authenticate), RID, BODY.
# Every request is bounded (5 s) and so is the whole run after the build (2 minutes).
req() {
  local method=$1 path=$2 auth=${3:-} body=${4:-}
  ((SECONDS - STACK_STARTED < ${E2E_BUDGET:-120})) || fail "over the ${E2E_BUDGET:-120} s budget"
  local args=(-sS -m 5 -X "$method" -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}')
  [ -n "$auth" ] && args+=(-H "Authorization: $auth")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  STATUS=$(curl "${args[@]}" "$BASE$path") || fail "$method $path: curl failed"
  WWW=$(sed -n 's/^[Ww][Ww][Ww]-[Aa]uthenticate: //p' "$TMP/headers" | tr -d '\r')
  RID=$(sed -n 's/^[Xx]-[Rr]equest-[Ii]d: //p' "$TMP/headers" | tr -d '\r')
  BODY=$(cat "$TMP/body")
}
# json_str NAME: the string member NAME of BODY (our tokens and kids never need JSON escapes).
json_str() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" <<<"$BODY"; }
expect() { # expect STATUS DESCRIPTION
  [ "$STATUS" = "$1" ] || fail "$2: expected HTTP $1, got $STATUS: $BODY"
}
expect_www() { # expect_www EXACT-VALUE DESCRIPTION
  [ "$WWW" = "$1" ] || fail "$2: expected WWW-Authenticate: $1, got: ${WWW:-<none>}"
}
# The kid in a JWT's header.
kid_of() {
  local h=${1%%.*}
  h=$(tr '_-' '/+' <<<"$h")
  while [ $(( ${#h} % 4 )) -ne 0 ]; do h="$h="; done
  base64 -d <<<"$h" | sed -n 's/.*"kid":"\([^"]*\)".*/\1/p'
}
json_num() { sed -n "s/.*\"$1\":\\([0-9]*\\).*/\\1/p" <<<"$BODY"; }
login_body() { printf '{"username":"%s","password":"%s"}' "$1" "$2"; }
# activation_wait MS: sleeps until a key activating in MS ms signs on every instance (one more
# poll interval, TESSERA_KEY_POLL, plus a margin).
activation_wait() { sleep "$(awk -v ms="$1" -v poll="${TESSERA_KEY_POLL:-5}" 'BEGIN { printf "%.1f", ms / 1000 + poll + 0.3 }')"; }
REALM='Bearer realm="tessera"'

# --- checks -----------------------------------------------------------------------------------
req GET /health
expect 200 "health"
[ -n "$RID" ] || fail "health: nginx sent no X-Request-Id"
ok "GET /health through nginx -> 200 (X-Request-Id $RID)"

req POST /login "" "$(login_body demo wrong-password)"
expect 401 "login with a bad password"
ok "POST /login demo/bad password -> 401 $(json_str error)"

req POST /login "" "$(login_body demo "$DEMO_PASSWORD")"
expect 200 "login"
ACCESS=$(json_str access_token)
REFRESH1=$(json_str refresh_token)
[ -n "$ACCESS" ] && [ -n "$REFRESH1" ] || fail "login: no tokens in $BODY"
KID1=$(kid_of "$ACCESS")
[ -n "$KID1" ] || fail "login: the access token has no kid"
ok "POST /login demo -> 200 access token (kid $KID1, expires_in $(sed -n 's/.*"expires_in":\([0-9]*\).*/\1/p' <<<"$BODY")) + refresh token"

req GET /me "Bearer $ACCESS"
expect 200 "/me with the token"
[ "$(json_str sub)" = demo ] || fail "/me: sub is not demo: $BODY"
ok "GET /me with the token -> 200 sub=demo scope=\"$(json_str scope)\""

req GET /me "bearer $ACCESS"
expect 200 "/me with a lower-case scheme"
ok "GET /me with 'bearer' (scheme case-insensitive) -> 200"

req GET /me
expect 401 "/me without a token"
expect_www "$REALM" "/me without a token"
ok "GET /me without a token -> 401 WWW-Authenticate: $WWW"

req GET /me "Basic ZGVtbzpkZW1v"
expect 401 "/me with Basic credentials"
expect_www "$REALM" "/me with Basic credentials"
ok "GET /me with Basic credentials -> 401 WWW-Authenticate: $WWW"

req GET /me "Bearer garbage"
expect 401 "/me with a garbage token"
expect_www "$REALM, error=\"invalid_token\", error_description=\"the token is malformed\"" "/me garbage"
ok "GET /me with a garbage token -> 401 WWW-Authenticate: $WWW"

# Tamper: replace the payload with one granting admin, keep header and signature.
PAYLOAD=$(printf '{"sub":"demo","scope":"profile admin","exp":4000000000}' | base64 -w0 | tr '+/' '-_' | tr -d '=')
TAMPERED="${ACCESS%%.*}.$PAYLOAD.${ACCESS##*.}"
req GET /admin/stats "Bearer $TAMPERED"
expect 401 "/admin/stats with a tampered token"
expect_www "$REALM, error=\"invalid_token\", error_description=\"the token signature is invalid\"" "tampered"
grep -q "$PAYLOAD" <<<"$BODY$WWW" && fail "the error echoes the token"
ok "GET /admin/stats with a tampered token -> 401 WWW-Authenticate: $WWW"

EXPIRED=$("$BIN" issue-token --sub demo --scope profile --ttl=-60)
req GET /me "Bearer $EXPIRED"
expect 401 "/me with an expired token"
expect_www "$REALM, error=\"invalid_token\", error_description=\"the token expired\"" "expired"
ok "GET /me with a token expired 60 s ago (signed with the active key, read from the database) -> 401 WWW-Authenticate: $WWW"

req GET /me "Bearer $ACCESS $ACCESS"
expect 400 "/me with two tokens"
ok "GET /me with two tokens -> 400 WWW-Authenticate: $WWW"

req GET /admin/stats "Bearer $ACCESS"
expect 403 "demo on /admin/stats"
expect_www "$REALM, error=\"insufficient_scope\", error_description=\"the token lacks a required scope\", scope=\"admin\"" "demo on /admin/stats"
ok "GET /admin/stats as demo -> 403 WWW-Authenticate: $WWW"

req POST /refresh "" "{\"refresh_token\":\"$REFRESH1\"}"
expect 200 "refresh"
REFRESH2=$(json_str refresh_token)
ACCESS2=$(json_str access_token)
[ -n "$REFRESH2" ] && [ "$REFRESH2" != "$REFRESH1" ] || fail "refresh: no new refresh token"
[ -n "$ACCESS2" ] && [ "$ACCESS2" != "$ACCESS" ] || fail "refresh: no new access token"
req GET /me "Bearer $ACCESS2"
expect 200 "/me with the refreshed access token"
ok "POST /refresh -> 200 new access + refresh token (the new access token works)"

req POST /refresh "" "{\"refresh_token\":\"$REFRESH1\"}"
expect 200 "a retry of the refresh within the grace window"
[ "$(json_str refresh_token)" = "$REFRESH2" ] || fail "the retry got another successor: $BODY"
ok "POST /refresh again with the same token within the grace window -> 200, the same successor"
req POST /refresh "" "{\"refresh_token\":\"$REFRESH2\"}"
expect 200 "refresh with the successor"
REFRESH2B=$(json_str refresh_token)
req POST /refresh "" "{\"refresh_token\":\"$REFRESH1\"}"
expect 401 "reuse of the old refresh token"
ok "POST /refresh reusing the first token once its successor was used -> 401 $(json_str error)"
req POST /refresh "" "{\"refresh_token\":\"$REFRESH2B\"}"
expect 401 "the newest refresh token after reuse"
ok "POST /refresh with the newest refresh token after the reuse -> 401 (family revoked)"

req POST /login "" "$(login_body demo "$DEMO_PASSWORD")"
expect 200 "second login"
REFRESH3=$(json_str refresh_token)
req POST /logout "" "{\"refresh_token\":\"$REFRESH3\"}"
expect 204 "logout"
req POST /refresh "" "{\"refresh_token\":\"$REFRESH3\"}"
expect 401 "refresh after logout"
ok "POST /logout -> 204, then POST /refresh with that token -> 401"

req GET /.well-known/jwks.json
expect 200 "jwks"
grep -q "\"kid\":\"$KID1\"" <<<"$BODY" || fail "jwks: $KID1 not listed: $BODY"
grep -q '"d":' <<<"$BODY" && fail "jwks publishes a private key"
ok "GET /.well-known/jwks.json -> 200 lists $KID1 (public members only)"

req POST /login "" "$(login_body admin "$ADMIN_PASSWORD")"
expect 200 "admin login"
ADMIN=$(json_str access_token)
req GET /admin/stats "Bearer $ADMIN"
expect 200 "admin on /admin/stats"
ok "GET /admin/stats as admin -> 200 $BODY"

req POST /admin/rotate "Bearer $ADMIN"
expect 200 "rotate"
KID2=$(json_str new_kid)
ACTIVATES_IN=$(json_num activates_in_ms)
[ -n "$KID2" ] && [ "$KID2" != "$KID1" ] || fail "rotate: no new kid: $BODY"
[ "$(json_str signing_kid)" = "$KID1" ] || fail "rotate: the new key signs at once: $BODY"
# Other instances publish it at their next poll.
[ "$STACK_INSTANCES" -gt 1 ] && sleep "$(awk -v poll="${TESSERA_KEY_POLL:-5}" 'BEGIN { print poll + 0.3 }')"
req GET /.well-known/jwks.json
grep -q "\"kid\":\"$KID1\"" <<<"$BODY" && grep -q "\"kid\":\"$KID2\"" <<<"$BODY" \
  || fail "jwks after rotation does not list both keys: $BODY"
ok "POST /admin/rotate -> 200 new key $KID2, pending (signs in $ACTIVATES_IN ms); JWKS lists both keys"
req POST /login "" "$(login_body demo "$DEMO_PASSWORD")"
[ "$(kid_of "$(json_str access_token)")" = "$KID1" ] || fail "a pending key signed a token"
ok "while $KID2 is pending, tokens are still signed with $KID1"
activation_wait "$ACTIVATES_IN"

req GET /me "Bearer $ACCESS"
expect 200 "the old access token after rotation"
ok "GET /me with the access token signed by the previous key -> 200"
req POST /login "" "$(login_body demo "$DEMO_PASSWORD")"
NEW=$(json_str access_token)
[ "$(kid_of "$NEW")" = "$KID2" ] || fail "tokens after rotation are not signed with $KID2"
req GET /me "Bearer $NEW"
expect 200 "a new token after rotation"
ok "a token issued after rotation carries kid $KID2 -> GET /me 200"

grep -q "$RID" "${SERVICE_LOGS[@]}" || fail "request id $RID not in the service logs"
ok "the X-Request-Id set by nginx reaches the service log"

sleep 1.2 # nginx flushes its buffered access log every second
for secret in "$ACCESS" "$REFRESH1" "$ADMIN" "$DEMO_PASSWORD" "$ADMIN_PASSWORD"; do
  if grep -qF -- "$secret" "${SERVICE_LOGS[@]}" "$TMP/nginx/access.log" "$TMP/nginx/error.log"; then
    fail "a token or password appears in a log"
  fi
done
ok "no token or password in the service, nginx access or nginx error logs"

