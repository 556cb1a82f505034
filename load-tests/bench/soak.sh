#!/usr/bin/env bash
# Soak (issue 4): the generator at 10,000 req/s in the open model for 30 minutes against /hello,
# with its GC logged. The heap left after each collection must stay flat: nothing is kept per
# request, and the interval histograms are recycled.
#
#   load-tests/bench/soak.sh [duration, default 30m] [rate, default 10000]      (needs: built jars)
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-30m}
RATE=${2:-10000}
source load-tests/bench/lib.sh
require_jars
PORT=9193
trap 'kill $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null || true' EXIT
start_server $PORT
GC_LOG=$(mktemp /tmp/soak-gc.XXXXXX.log)
bin/java -Xlog:gc:file="$GC_LOG" -jar load-tests/target/load-tests.jar -c 100 -R "$RATE" -d "$DURATION" -q \
  --hlog "${GC_LOG%.log}.hlog" "http://127.0.0.1:$PORT/hello"
# Heap after each young collection, in MiB, with its uptime in seconds: "seconds mib".
sed -n 's/^\[\([0-9.]*\)s\].*Pause Young.* [0-9]*M->\([0-9]*\)M.*/\1 \2/p' "$GC_LOG" > "$GC_LOG.after"
awk '
  { t[NR] = $1; h[NR] = $2 }
  END {
    if (NR < 4) { print "too few collections to judge (" NR ")"; exit }
    q = int(NR / 4)
    for (i = 1; i <= q; i++) { a += h[i] } ; for (i = NR - q + 1; i <= NR; i++) { b += h[i] }
    printf "generator heap after young GC: first quarter of the run %.1f MiB (mean of %d), last quarter %.1f MiB (mean of %d); %d collections in %.0f s\n", a / q, q, b / q, q, NR, t[NR]
  }' "$GC_LOG.after"
echo "gc log: $GC_LOG"
machine_line
