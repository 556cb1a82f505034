#!/usr/bin/env bash
# Scale-out without containers: nginx (from apt) on 127.0.0.1:9200 in front of three async
# replicas (9201-9203), load from this project's generator through nginx, and the replicas
# restarted one at a time (SIGTERM, wait for exit, start again, wait for /health) while the load
# goes on. Exits non-zero if any request failed.
#
# With JOBS set to a PostgreSQL URL (an empty database), the replicas share it as their job store
# (--jobs) and email jobs are posted through nginx at 50 a second during the restarts as well:
# then every accepted job must also be delivered.
#
#   docker/rolling-restart.sh [load seconds, default 60: the three restarts must fit in it]      (needs: nginx, built jars; psql with JOBS)
set -euo pipefail
cd "$(dirname "$0")/.."
LOAD_SECONDS=${1:-60}
source load-tests/bench/lib.sh
require_jars
command -v nginx >/dev/null || { echo "nginx not found: apt-get install nginx-light" >&2; exit 1; }
ulimit -n 20000
WORK=$(mktemp -d /tmp/rolling.XXXXXX)
declare -A PIDS
NGINX_PID=""
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

JOBS_FLAGS=()
[ -n "${JOBS:-}" ] && JOBS_FLAGS=(--jobs "$JOBS" --email-latency 100ms)

start_replica() { # port
  bin/java -jar server/target/server.jar --host 127.0.0.1 --port "$1" --admin-port $(($1 + 10)) --data-dir "$WORK/data-$1" --shutdown-timeout 20s \
    "${JOBS_FLAGS[@]}" >>"$WORK/replica-$1.log" 2>&1 &
  PIDS[$1]=$!
  wait_up "$1"
}

for port in 9201 9202 9203; do start_replica $port; done
nginx -c "$PWD/docker/nginx.conf" -e stderr >"$WORK/nginx.log" 2>&1 &
NGINX_PID=$!
wait_up 9200

echo "load through nginx for ${LOAD_SECONDS}s; restarting the replicas one by one meanwhile"
bin/java -jar load-tests/target/load-tests.jar -c 32 -d "${LOAD_SECONDS}s" -q --json "$WORK/result.json" \
  "http://127.0.0.1:9200/sleep?ms=50" > "$WORK/load.log" 2>&1 &
LOADER=$!
EMAILS=
if [ -n "${JOBS:-}" ]; then
  bin/java -jar load-tests/target/load-tests.jar -R 50 -c 8 -d "${LOAD_SECONDS}s" -q --json "$WORK/email.json" -X POST \
    -H 'Content-Type: application/json' -b '{"to": "ana@example.com", "subject": "Hi", "body": "restart"}' \
    "http://127.0.0.1:9200/email" > "$WORK/email.log" 2>&1 &
  EMAILS=$!
fi
served() { curl -fs "http://127.0.0.1:$1/metrics" | awk '/^http_server_requests_seconds_count.*route="\/sleep"/ {s+=$2} END {print s+0}'; }
# The restarts begin once the balancer spreads the load over every replica (a JVM starting on a busy
# machine may take a while to send its first request), within a minute.
spread=
for _ in $(seq 1 120); do
  if [ "$(served 9201)" -gt 0 ] && [ "$(served 9202)" -gt 0 ] && [ "$(served 9203)" -gt 0 ]; then spread=yes; break; fi
  sleep 0.5
done
[ -n "$spread" ] || { echo "the load did not reach every replica within 60 s: nothing to restart under"; exit 1; }
for port in 9201 9202 9203; do
  kill -0 "$LOADER" 2>/dev/null || { echo "the load ended before replica $port was restarted: raise the load's seconds"; exit 1; }
  before=$(served "$port")
  echo "replica $port had answered $before /sleep requests; SIGTERM"
  kill -TERM "${PIDS[$port]}"
  wait "${PIDS[$port]}" && echo "replica $port exited 0" || { echo "replica $port exited $?"; exit 1; }
  start_replica $port
  echo "replica $port back"
  sleep 3
done
kill -0 "$LOADER" 2>/dev/null || { echo "the load ended before the last replica was back: raise the load's seconds"; exit 1; }
wait $LOADER
cat "$WORK/load.log"
failed() { # result.json label -> prints the summary; exit status 1 if any request failed
  python3 - "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
failed = sum(r["errors"].values())
print(f'{sys.argv[2]}: requests {r["requests"]}, errors {r["errors"]}, p99 {r["latency_ms"]["p99"]} ms')
sys.exit(1 if failed else 0)
PY
}
failed "$WORK/result.json" "GET /sleep"
if [ -n "$EMAILS" ]; then
  wait $EMAILS
  failed "$WORK/email.json" "POST /email"
  accepted=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$WORK/email.json")
  for _ in $(seq 1 120); do
    read -r stored sent < <(psql "$JOBS" -Atc "SELECT count(*), count(*) FILTER (WHERE status = 'sent') FROM email_jobs" | tr '|' ' ')
    [ "$sent" -ge "$accepted" ] && break
    sleep 0.5
  done
  echo "email jobs: $accepted accepted through nginx, $stored stored, $sent sent"
  [ "$stored" -ge "$accepted" ] && [ "$sent" -eq "$stored" ] || { echo "accepted email jobs were not all delivered"; exit 1; }
fi
echo "zero failed requests across three rolling restarts"
