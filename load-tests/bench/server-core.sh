#!/usr/bin/env bash
# Server-core benchmark (issue 2): the service in each mode beside a bare Netty server, measured
# with wrk in one run, so every figure is read against a reference taken on the same machine.
#
#   load-tests/bench/server-core.sh [seconds-per-cell]      (needs: wrk, built jars)
#   WARMUP=20 load-tests/bench/server-core.sh 15            (seconds of each warm-up load, default 20)
#
# Prints a markdown table. Loopback only; every cell is bounded by wrk's -d.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-15}
JAVA=bin/java
source load-tests/bench/lib.sh
require_wrk
require_jars
ulimit -n 20000

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

$JAVA -jar load-tests/target/load-tests.jar reference-server --port 9090 >/dev/null & pids+=($!)
# The service with the defaults a user starts it with (access log on), its output in a file.
for mode_port in async:9091 virtual:9092 blocking:9093; do
  d=$(mktemp -d)
  $JAVA -jar server/target/server.jar --host 127.0.0.1 --port "${mode_port#*:}" --admin-port "$((${mode_port#*:} + 1000))" --data-dir "$d" --mode "${mode_port%%:*}" >"$d/server.log" 2>&1 &
  pids+=($!)
done
for port in 9090 9091 9092 9093; do wait_up $port; done

# run <port> <connections> <path> -> "rps p50 p99 errors"
run() {
  local out
  out=$(wrk -t1 -c"$2" -d"${DURATION}s" --timeout 10s --latency "http://127.0.0.1:$1$3")
  local rps p50 p99 errs non2xx
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  echo "$rps $p50 $p99 ${errs:-0} ${non2xx:-0}"
}
warm() { wrk -t1 -c"$3" -d"$4" --timeout 10s "http://127.0.0.1:$1$2" >/dev/null; }

WARMUP=${WARMUP:-20}
echo "warming up (${WARMUP}s of each load per server)..." >&2
# JIT and pools settle before anything is measured: each server sees both shapes of load first. The
# service has far more code on its request path than the bare server, and its JIT takes longer to settle.
for port in 9090 9091 9092 9093; do warm $port /hello 64 "${WARMUP}s"; warm $port '/sleep?ms=100' 5000 "${WARMUP}s"; done

# cell <label> <port> <connections> <path> <bound|-> : prints one table row, remembers req/s in $RPS
cell() {
  read -r RPS p50 p99 errs non2xx < <(run "$2" "$3" "$4")
  local frac="-"
  [ "$5" != "-" ] && frac=$(awk -v r="$RPS" -v b="$5" 'BEGIN {printf "%.0f%%", 100*r/b}')
  printf '| %s | `%s` | %s | %s | %s | %s | %s | %s / %s |\n' "$1" "$4" "$3" "$RPS" "$p50" "$p99" "$frac" "$errs" "$non2xx"
}

echo "| server | path | connections | req/s | p50 | p99 | of Little's-law bound | socket errors / non-2xx |"
echo "|---|---|---|---|---|---|---|---|"
cell "bare Netty" 9090 64 /hello -;        ref1=$RPS
cell "async" 9091 64 /hello -;             async1=$RPS
cell "bare Netty" 9090 64 /hello -;        ref2=$RPS
cell "async" 9091 64 /hello -;             async2=$RPS
cell "virtual" 9092 64 /hello -
cell "blocking" 9093 64 /hello -
# Little's law: connections / service time is the most a closed loop can reach.
cell "bare Netty" 9090 5000 '/sleep?ms=100' 50000
cell "async" 9091 5000 '/sleep?ms=100' 50000
cell "virtual" 9092 5000 '/sleep?ms=100' 50000
# The blocking pool is the bound: 200 threads / 0.1 s.
cell "blocking (200 threads)" 9093 5000 '/sleep?ms=100' 2000
echo
awk -v a="$async1" -v b="$async2" -v r="$ref1" -v s="$ref2" \
  'BEGIN {printf "async /hello vs bare Netty: %.2fx (two alternating rounds: %.2fx, %.2fx)\n", (a+b)/(r+s), a/r, b/s}'
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $($JAVA -version 2>&1 | head -1), wrk -t1, ${DURATION}s per cell after ${WARMUP}s warm-ups, servers with their default flags, $(date -u +%F)"
