#!/usr/bin/env bash
# End-to-end test: tessera-service behind nginx, on free loopback ports, in a temp dir, driven with curl.
#
#   deploy/e2e.sh                            # debug build (the default, see below)
#   TESSERA_E2E_PROFILE=release deploy/e2e.sh
#
# Debug by default: after `cargo test --workspace` (as in .ci/run) the dev-profile dependencies are
# already built, so the build step takes seconds, where a release build compiles tokio, axum,
# hyper, SQLite and Argon2 again (minutes on 2 cores). The checks are about behaviour, not speed;
# the one thing slower in debug is Argon2id (~0.45 s a login instead of ~25 ms), and the script
# logs in 5 times. deploy/load.sh always uses release.
#
# deploy/stack.sh installs nginx with apt-get if it is missing, builds and starts the stack, and
# stops whatever it started on exit. Prints one "ok - ..." line per check and ends with
# "N passed, 0 failed"; a failed check stops the script with "not ok - ..." and exit status 1.
set -euo pipefail
cd "$(dirname "$0")/.."

PROFILE=${TESSERA_E2E_PROFILE:-debug}
DEMO_PASSWORD='e2e demo pässword'
ADMIN_PASSWORD='e2e-admin-password'

# A rotated key signs 3 s after its creation (JWKS max-age 1 s + two 1 s polls), not 70 s.
export TESSERA_JWKS_MAX_AGE=1 TESSERA_KEY_POLL=1
# shellcheck source=deploy/stack.sh
. deploy/stack.sh
# shellcheck source=deploy/e2e-checks.sh
. deploy/e2e-checks.sh

kill -TERM "$SERVICE_PID"
for _ in $(seq 1 50); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 0.2; done
kill -0 "$SERVICE_PID" 2>/dev/null && fail "the service did not stop within 10 s of SIGTERM"
code=0; wait "$SERVICE_PID" || code=$?
SERVICE_PID=""
[ "$code" = 0 ] || fail "the service exited with status $code after SIGTERM"
grep -q "stopped" "${SERVICE_LOGS[0]}" || fail "no shutdown in the service log"
ok "SIGTERM -> the service shuts down gracefully (exit 0)"

echo "$PASSED passed, 0 failed"
