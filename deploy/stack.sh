# Shared by deploy/e2e.sh, deploy/issuer-e2e.sh, deploy/cluster-e2e.sh and deploy/load.sh
# (sourced, not run): installs nginx if missing, builds tessera-service, starts one or more
# instances on SQLite or on a throwaway PostgreSQL server (deploy/postgres.sh), and nginx in front
# of them, on free loopback ports in a temp dir; waits until /health answers through nginx, and
# stops everything on exit.
#
# In:  PROFILE (release|debug), DEMO_PASSWORD, ADMIN_PASSWORD, and optionally
#      STACK_INSTANCES (default 1), STACK_DB (sqlite, the default, or postgres),
#      STACK_FEATURES (cargo features of tessera-service, e.g. mldsa),
#      STACK_LOG (the service's log filter), STACK_EXTRA_TOOLS (more commands required),
#      STACK_NGINX_SED (extra sed expressions applied to the rendered nginx.conf), and any
#      TESSERA_* variable the instances should see (e.g. TESSERA_REFRESH_GRACE).
# Out: BIN, TMP, BASE (http://127.0.0.1:<nginx port>), NGINX_PID, NGINX, STACK_STARTED (bash
#      $SECONDS once built), SERVICE_PORTS/SERVICE_PIDS/SERVICE_LOGS (arrays, one per instance),
#      SERVICE_PID (the first instance), instance_url I, start_instance I, wait_instance I,
#      render_nginx [sed args], fail(), free_port; with postgres also PG_* (deploy/postgres.sh).

for tool in curl sed awk base64 od ${STACK_EXTRA_TOOLS:-}; do
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

echo "--- building tessera-service ($PROFILE${STACK_FEATURES:+, features $STACK_FEATURES})"
build_args=(-p tessera-service)
[ "$PROFILE" = release ] && build_args+=(--release)
[ -n "${STACK_FEATURES:-}" ] && build_args+=(--features "$STACK_FEATURES")
cargo build "${build_args[@]}"
BIN="${CARGO_TARGET_DIR:-target}/$PROFILE/tessera-service"
[ -x "$BIN" ] || { echo "$0: $BIN not found" >&2; exit 1; }

STACK_STARTED=$SECONDS
STACK_INSTANCES=${STACK_INSTANCES:-1}
STACK_DB=${STACK_DB:-sqlite}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tessera-stack.XXXXXX")
chmod 755 "$TMP"   # nginx workers (and PostgreSQL) run as an unprivileged user when started as root
SERVICE_PORTS=()
SERVICE_PIDS=()
SERVICE_LOGS=()
SERVICE_PID=""
NGINX_PID=""
PASSED=${PASSED:-0}
FAILED=${FAILED:-0}
pg_cleanup() { :; }

stack_cleanup() {
  local status=$?
  set +e
  if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
    kill -QUIT "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null
  fi
  local pid
  for pid in "${SERVICE_PIDS[@]}"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null; fi
  done
  if [ "$status" -ne 0 ]; then
    local log
    for log in "${SERVICE_LOGS[@]}"; do
      echo "--- $(basename "$log") (last 30 lines)" >&2; tail -n 30 "$log" >&2 2>/dev/null
    done
    echo "--- nginx error log (last 30 lines)" >&2; tail -n 30 "$TMP/nginx/error.log" >&2 2>/dev/null
    [ -f "$TMP/pg/server.log" ] && { echo "--- PostgreSQL log (last 20 lines)" >&2; tail -n 20 "$TMP/pg/server.log" >&2; }
  fi
  pg_cleanup
  rm -rf "$TMP"
  exit "$status"
}
trap stack_cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "not ok - $*" >&2; echo "$PASSED passed, $((FAILED + 1)) failed"; exit 1; }

# A free loopback port: a random one that nothing answers on and that this run has not handed
# out yet (nginx or the service then fail loudly if another process takes it in between).
TAKEN_PORTS=" "
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 40000))
    case "$TAKEN_PORTS" in *" $p "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "$0: no free port found" >&2; exit 1
}
# ($(free_port) runs in a subshell: the caller records the port in TAKEN_PORTS.)

NGINX_PORT=$(free_port); TAKEN_PORTS="$TAKEN_PORTS$NGINX_PORT "
BASE="http://127.0.0.1:$NGINX_PORT"
for i in $(seq 1 "$STACK_INSTANCES"); do
  p=$(free_port); TAKEN_PORTS="$TAKEN_PORTS$p "; SERVICE_PORTS+=("$p")
done

# Shared by every instance (each gets its own TESSERA_LISTEN).
export TESSERA_ISSUER="$BASE"
export TESSERA_AUDIENCE="tessera-api"
export TESSERA_DEMO_PASSWORD="$DEMO_PASSWORD"
export TESSERA_ADMIN_PASSWORD="$ADMIN_PASSWORD"
export TESSERA_LOG="${STACK_LOG:-info}"
TESSERA_KEY_ENCRYPTION_KEY=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
export TESSERA_KEY_ENCRYPTION_KEY
if [ "$STACK_DB" = postgres ]; then
  # shellcheck source=deploy/postgres.sh
  . deploy/postgres.sh
  export TESSERA_DATABASE_URL="$PG_URL"
  unset TESSERA_DATABASE
else
  export TESSERA_DATABASE="$TMP/tessera.db"
  unset TESSERA_DATABASE_URL
fi

instance_url() { echo "http://127.0.0.1:${SERVICE_PORTS[$1]}"; }
# start_instance I: starts instance I (0-based) in the background, its log appended to.
start_instance() {
  local i=$1
  SERVICE_LOGS[i]="$TMP/service-$((i + 1)).log"
  TESSERA_LISTEN="127.0.0.1:${SERVICE_PORTS[$i]}" "$BIN" >>"${SERVICE_LOGS[$i]}" 2>&1 &
  SERVICE_PIDS[i]=$!
}
# wait_instance I: until instance I answers /health directly (30 s at most).
wait_instance() {
  local i=$1
  for _ in $(seq 1 150); do
    kill -0 "${SERVICE_PIDS[$i]}" 2>/dev/null || fail "instance $((i + 1)) exited at start"
    curl -fsS -m 1 -o /dev/null "$(instance_url "$i")/health" 2>/dev/null && return 0
    sleep 0.2
  done
  fail "instance $((i + 1)) not ready after 30 s"
}
# The first instance creates the schema, the first key and the users; the others start once it is up.
start_instance 0
wait_instance 0
for i in $(seq 1 $((STACK_INSTANCES - 1))); do start_instance "$i"; done
for i in $(seq 1 $((STACK_INSTANCES - 1))); do wait_instance "$i"; done
SERVICE_PID=${SERVICE_PIDS[0]}

# render_nginx [sed args...]: deploy/nginx.conf with the placeholders filled in (the @UPSTREAM@
# line repeated once per instance), on stdout.
render_nginx() {
  local addrs="" p
  for p in "${SERVICE_PORTS[@]}"; do addrs="$addrs 127.0.0.1:$p"; done
  awk -v addrs="$addrs" '
    /@UPSTREAM@/ { n = split(addrs, a, " "); for (i = 1; i <= n; i++) { l = $0; gsub(/@UPSTREAM@/, a[i], l); print l }; next }
    { print }
  ' deploy/nginx.conf | sed -e "s|@PREFIX@|$TMP/nginx|g" -e "s|@LISTEN@|127.0.0.1:$NGINX_PORT|g" "$@"
}
mkdir -p "$TMP/nginx/tmp"
if [ -n "${STACK_NGINX_SED:-}" ]; then
  render_nginx -e "$STACK_NGINX_SED" >"$TMP/nginx/nginx.conf"
else
  render_nginx >"$TMP/nginx/nginx.conf"
fi
"$NGINX" -t -q -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" \
  || fail "nginx -t refuses the rendered deploy/nginx.conf"
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" -g 'daemon off;' &
NGINX_PID=$!

# Readiness: /health answering through nginx, within 30 s.
ready=""
for _ in $(seq 1 150); do
  kill -0 "$NGINX_PID" 2>/dev/null || fail "nginx exited at start"
  if curl -fsS -m 1 -o /dev/null "$BASE/health" 2>/dev/null; then ready=1; break; fi
  sleep 0.2
done
[ -n "$ready" ] || fail "not ready after 30 s"
echo "--- $STACK_INSTANCES instance(s) on $STACK_DB at ports ${SERVICE_PORTS[*]}, nginx on 127.0.0.1:$NGINX_PORT, files in $TMP"
