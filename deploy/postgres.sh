# A throwaway PostgreSQL server for deploy/cluster-e2e.sh and deploy/load.sh (sourced, not run):
# installs the distribution's postgresql package if `initdb` is missing, runs `initdb` in a
# directory under $TMP, and starts the server on 127.0.0.1 only, on a free port, as an
# unprivileged user (`nobody` when the script runs as root, as CI does; else the current user).
# Trust authentication is confined to that loopback address and a socket directory only its owner
# can enter; everything is deleted on exit.
#
# In:  TMP (a directory, mode 755), free_port and fail (deploy/common.sh).
# Out: PG_PORT, PG_URL (postgres://tessera@127.0.0.1:PORT/tessera), PG_BIN, PG_DATA,
#      pg_start, pg_stop (fast shutdown: connections are terminated), pg_cleanup, pg_psql SQL.

PG_BIN=""
for d in $(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)") /usr/lib/postgresql/*/bin; do
  if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then PG_BIN=$d; break; fi
done
if [ -z "$PG_BIN" ]; then
  echo "--- installing postgresql"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && PG_BIN=$d; done
  [ -n "$PG_BIN" ] || { echo "$0: no initdb after installing postgresql" >&2; exit 1; }
fi
PSQL=$(command -v psql || echo "$PG_BIN/psql")

PG_DIR="$TMP/pg"
PG_DATA="$PG_DIR/data"
PG_PORT=$(free_port)
PG_URL="postgres://tessera@127.0.0.1:$PG_PORT/tessera"
mkdir -p "$PG_DIR"
if [ "$(id -u)" = 0 ]; then
  PG_USER=nobody
  chown nobody "$PG_DIR"
  as_pg() { runuser -u nobody -- "$@"; }
else
  PG_USER=$(id -un)
  as_pg() { "$@"; }
fi
chmod 700 "$PG_DIR"

as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U tessera --auth=trust -E UTF8 --no-sync >"$PG_DIR/initdb.log" 2>&1 \
  || { cat "$PG_DIR/initdb.log" >&2; fail "initdb failed"; }

pg_start() {
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$PG_DIR -c max_connections=200" \
    start >/dev/null || { tail -n 20 "$PG_DIR/server.log" >&2; fail "PostgreSQL did not start"; }
}
pg_stop() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null; }
pg_cleanup() {
  [ -f "$PG_DATA/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1
  return 0
}
pg_psql() { "$PSQL" -X -q -A -t -h 127.0.0.1 -p "$PG_PORT" -U tessera -d tessera -c "$1"; }

pg_start
"$PSQL" -X -q -h 127.0.0.1 -p "$PG_PORT" -U tessera -d postgres -c 'CREATE DATABASE tessera' \
  || fail "CREATE DATABASE failed"
echo "--- PostgreSQL $("$PG_BIN/postgres" --version | awk "{print \$3}") on 127.0.0.1:$PG_PORT as $PG_USER, data in $PG_DATA"
