# Shared by deploy/e2e.sh and deploy/load.sh (sourced, not run): installs nginx if missing, builds
# tessera-service, starts it and nginx on free loopback ports in a temp dir, waits until /health
# answers through nginx, and stops both on exit.
#
# In:  PROFILE (release|debug), DEMO_PASSWORD, ADMIN_PASSWORD, and optionally STACK_LOG (the
#      service's log filter) and STACK_EXTRA_TOOLS (more commands required).
# Out: BIN, TMP, BASE (http://127.0.0.1:<nginx port>), SERVICE_PID, NGINX_PID, NGINX,
#      STACK_STARTED (bash $SECONDS once built); fail() and the trap.

for tool in curl sed base64 ${STACK_EXTRA_TOOLS:-}; do
  command -v "$tool" >/dev/null || { echo "$0: $tool is required" >&2; exit 1; }
done
NGINX=$(command -v nginx || true)
if [ -z "$NGINX" ] && [ -x /usr/sbin/nginx ]; then NGINX=/usr/sbin/nginx; fi
if [ -z "$NGINX" ]; then
  echo "--- installing nginx"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi

echo "--- building tessera-service ($PROFILE)"
if [ "$PROFILE" = release ]; then
  cargo build --release -p tessera-service
else
  cargo build -p tessera-service
fi
BIN="${CARGO_TARGET_DIR:-target}/$PROFILE/tessera-service"
[ -x "$BIN" ] || { echo "$0: $BIN not found" >&2; exit 1; }

STACK_STARTED=$SECONDS
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tessera-stack.XXXXXX")
chmod 755 "$TMP"   # nginx workers run as an unprivileged user when nginx is started as root
SERVICE_PID=""
NGINX_PID=""
PASSED=${PASSED:-0}

stack_cleanup() {
  local status=$?
  set +e
  if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
    kill -QUIT "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null
  fi
  if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill -TERM "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null
  fi
  if [ "$status" -ne 0 ]; then
    echo "--- service log (last 30 lines)" >&2; tail -n 30 "$TMP/service.log" >&2 2>/dev/null
    echo "--- nginx error log (last 30 lines)" >&2; tail -n 30 "$TMP/nginx/error.log" >&2 2>/dev/null
  fi
  rm -rf "$TMP"
  exit "$status"
}
trap stack_cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "not ok - $*" >&2; echo "$PASSED passed, 1 failed"; exit 1; }

# A free loopback port: a random one that nothing answers on (nginx or the service then fail
# loudly if another process takes it in between).
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "$0: no free port found" >&2; exit 1
}
SERVICE_PORT=$(free_port)
NGINX_PORT=$(free_port)
while [ "$NGINX_PORT" = "$SERVICE_PORT" ]; do NGINX_PORT=$(free_port); done
BASE="http://127.0.0.1:$NGINX_PORT"

export TESSERA_LISTEN="127.0.0.1:$SERVICE_PORT"
export TESSERA_DATABASE="$TMP/tessera.db"
export TESSERA_KEY_DIR="$TMP/keys"
export TESSERA_ISSUER="$BASE"
export TESSERA_AUDIENCE="tessera-api"
export TESSERA_DEMO_PASSWORD="$DEMO_PASSWORD"
export TESSERA_ADMIN_PASSWORD="$ADMIN_PASSWORD"
export TESSERA_LOG="${STACK_LOG:-info}"

"$BIN" >"$TMP/service.log" 2>&1 &
SERVICE_PID=$!

mkdir -p "$TMP/nginx/tmp"
sed -e "s|@PREFIX@|$TMP/nginx|g" -e "s|@LISTEN@|127.0.0.1:$NGINX_PORT|g" \
    -e "s|@UPSTREAM@|127.0.0.1:$SERVICE_PORT|g" deploy/nginx.conf >"$TMP/nginx/nginx.conf"
"$NGINX" -t -q -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" \
  || fail "nginx -t refuses the rendered deploy/nginx.conf"
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" -g 'daemon off;' &
NGINX_PID=$!

# Readiness: both running and /health answering through nginx, within 30 s.
ready=""
for _ in $(seq 1 150); do
  kill -0 "$SERVICE_PID" 2>/dev/null || fail "the service exited at start"
  kill -0 "$NGINX_PID" 2>/dev/null || fail "nginx exited at start"
  if curl -fsS -m 1 -o /dev/null "$BASE/health" 2>/dev/null; then ready=1; break; fi
  sleep 0.2
done
[ -n "$ready" ] || fail "not ready after 30 s"
echo "--- service on 127.0.0.1:$SERVICE_PORT, nginx on 127.0.0.1:$NGINX_PORT, files in $TMP"
