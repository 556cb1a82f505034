#!/usr/bin/env bash
# Generator capacity: this project's load generator beside wrk, both with one thread and 64
# connections against the bare Netty reference server's /hello (so the service's own cost is not
# in it), in alternating rounds of one run.
#
#   load-tests/bench/generator-vs-wrk.sh [seconds-per-round] [rounds]      (needs: wrk, built jars)
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10}
ROUNDS=${2:-3}
source load-tests/bench/lib.sh
require_wrk
require_jars
PORT=9191
bin/java -jar load-tests/target/load-tests.jar reference-server --port $PORT >/dev/null 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/hello" >/dev/null 2>&1 && break; sleep 0.1; done
URL="http://127.0.0.1:$PORT/hello"

wrk -t1 -c64 -d5s "$URL" >/dev/null   # warms the server's JIT before either is measured
ours_sum=0; wrk_sum=0
for round in $(seq 1 "$ROUNDS"); do
  ours=$(bin/java -jar load-tests/target/load-tests.jar -t 1 -c 64 -d "${DURATION}s" --warmup 5s -q "$URL" \
         | awk '/Requests\/sec/ {print $2}')
  theirs=$(wrk -t1 -c64 -d"${DURATION}s" "$URL" | awk '/^Requests\/sec/ {print $2}')
  printf 'round %d: load-tests.jar %.0f req/s, wrk %.0f req/s (%.2fx)\n' "$round" "$ours" "$theirs" "$(echo "$ours / $theirs" | bc -l)"
  ours_sum=$(echo "$ours_sum + $ours" | bc -l); wrk_sum=$(echo "$wrk_sum + $theirs" | bc -l)
done
printf 'load-tests.jar %.0f req/s, wrk %.0f req/s: %.2fx (mean of %d rounds, -t1 -c64, %ss each)\n' \
  "$(echo "$ours_sum / $ROUNDS" | bc -l)" "$(echo "$wrk_sum / $ROUNDS" | bc -l)" "$(echo "$ours_sum / $wrk_sum" | bc -l)" "$ROUNDS" "$DURATION"
machine_line
