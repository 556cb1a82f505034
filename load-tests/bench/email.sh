#!/usr/bin/env bash
# Slow side effects (issue 6): the built-in mailbox takes 1 s per message, as the seed's email does.
#  1. POST /email?wait=true at 1,000 connections, each mode in turn: the caller waits for delivery,
#     so the thread model is all that differs (the blocking pool holds a thread per waiting request).
#  2. POST /email (answered 202 once the job is durably stored) at 64 connections: how many jobs per
#     second each mode accepts, every one fsynced to SQLite before its answer.
#
#   load-tests/bench/email.sh [seconds-per-run, default 20]      (needs: built jars)
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-20}
source load-tests/bench/lib.sh
require_jars
ulimit -n 20000
PORT=9194
SERVER_PID=
trap '[ -n "$SERVER_PID" ] && kill $SERVER_PID 2>/dev/null; wait 2>/dev/null || true' EXIT
BODY='{"to": "ana@example.com", "subject": "Welcome", "body": "Hello Ana, thanks for signing up."}'
OUT=$(mktemp -d)

# load <connections> <path> <json-out>
load() {
  bin/java -jar load-tests/target/load-tests.jar -c "$1" -d "${DURATION}s" --warmup 5s --timeout 30s -q \
    -X POST -H 'Content-Type: application/json' -b "$BODY" --json "$3" "http://127.0.0.1:$PORT$2" >/dev/null
}

# summary <json> -> "rps p50 p99 errors"
summary() {
  python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); l = r["latency_ms"]
print("%10.1f req/s  p50 %8.1f ms  p99 %8.1f ms  errors %d" % (r["rps"], l["p50"], l["p99"], sum(r["errors"].values())))
PY
}

threads() { curl -fs "http://127.0.0.1:$PORT/info" | python3 -c 'import json,sys; print(json.load(sys.stdin)["jvm_threads"]["live"])'; }

for mode in async virtual blocking; do
  start_server $PORT --mode $mode --email-latency 1s
  load 1000 "/email?wait=true" "$OUT/wait-$mode.json" &
  LOADER=$!
  sleep $((5 + DURATION / 2 + 2)); peak=$(threads); wait $LOADER
  echo "wait=true  $mode: $(summary "$OUT/wait-$mode.json")  jvm threads mid-run $peak"
  load 64 "/email" "$OUT/accept-$mode.json"
  echo "accept     $mode: $(summary "$OUT/accept-$mode.json")"
  kill $SERVER_PID; wait $SERVER_PID 2>/dev/null || true; SERVER_PID=
done
echo "results: $OUT"
machine_line
