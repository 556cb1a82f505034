#!/usr/bin/env bash
# Open-model accuracy (issue 4): -R 5000 against /sleep?ms=50. Run 1 measures how close the achieved
# rate is to the target. Run 2 stops the server for 1 s (SIGSTOP) halfway: the stall must show in the
# corrected p99.9 and not in the uncorrected one.
#
#   load-tests/bench/open-model.sh [seconds]      (needs: built jars)
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-60}
source load-tests/bench/lib.sh
require_jars
ulimit -n 20000
PORT=9192
trap 'kill -CONT $SERVER_PID 2>/dev/null; kill $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null || true' EXIT
start_server $PORT
URL="http://127.0.0.1:$PORT/sleep?ms=50"
# 5,000 req/s x 50 ms = 250 requests in flight; 400 connections leave room.
LOAD=(bin/java -jar load-tests/target/load-tests.jar -t 1 -c 400 -R 5000 -d "${DURATION}s" --warmup 10s -q)

echo "== run 1: steady"
"${LOAD[@]}" "$URL"
echo
echo "== run 2: SIGSTOP for 1 s at the middle of the measured run"
"${LOAD[@]}" "$URL" &
LOADER=$!
sleep $((10 + DURATION / 2 + 2))   # warm-up, half the run, and the JVM's start
kill -STOP $SERVER_PID; sleep 1; kill -CONT $SERVER_PID
wait $LOADER
machine_line
