#!/usr/bin/env bash
# What one request costs the server, per execution model: CPU time and context switches (by thread
# group: event loops, carriers, timers), read from /proc around a fixed load, divided by the requests
# the server counted. Shows where the virtual mode's extra cost goes (the hops between the event loop
# and its virtual thread), which throughput alone cannot.
#
#   load-tests/bench/cost-per-request.sh [mode ...]               (default: async virtual)
#   JAVA_OPTS=-Djdk.virtualThreadScheduler.parallelism=1 load-tests/bench/cost-per-request.sh virtual
#   CONNECTIONS=5000 SECONDS_=20 PATH_='/sleep?ms=100' load-tests/bench/cost-per-request.sh
#   TRANSPORTS="epoll io_uring" ROUNDS=3 load-tests/bench/cost-per-request.sh async
#
# TRANSPORTS: the server's --transport values to compare (default: none given, the server's auto);
# ROUNDS: how often to repeat the whole set. Runs interleave (round 1: epoll, io_uring; round 2:
# io_uring, epoll ...), so a machine whose load drifts shifts both alike, and the summary gives each
# transport's ratio to the first one named, within each round. BENCH_PORT: the server's port (default 18123).
# Loopback only; each load is bounded by its -d.
set -euo pipefail
cd "$(dirname "$0")/../.."
source load-tests/bench/lib.sh
require_jars
ulimit -n 20000 2>/dev/null || true
CONNECTIONS=${CONNECTIONS:-5000}
SECONDS_=${SECONDS_:-20}
PATH_=${PATH_:-/sleep?ms=100}
MODES=("${@:-async}")
[ $# -eq 0 ] && MODES=(async virtual)
read -r -a TRANSPORT_LIST <<<"${TRANSPORTS:-auto}"
ROUNDS=${ROUNDS:-1}
PORT=${BENCH_PORT:-18123}
SUMMARY=$(mktemp -t asyncprod-cost-summary-XXXX)
pid=
data=
# Interrupted, the server and its folder go too.
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$data" ] && rm -rf "$data"; rm -f "$SUMMARY"' EXIT

# snapshot PID: "group voluntary involuntary" per thread group, then "cpu <ticks>"
snapshot() {
  for t in /proc/"$1"/task/*; do
    # comm is cut at 15 characters: the carriers are "ForkJoinPool-1-" whatever their number
    awk -v name="$(sed -E 's/[-_ ]?[0-9]+$//; s/^ForkJoinPool.*/carriers (ForkJoinPool)/' "$t/comm" 2>/dev/null)" \
      '/^voluntary_ctxt_switches/ {v=$2} /^nonvoluntary_ctxt_switches/ {n=$2} END {print name "\t" v "\t" n}' "$t/status" 2>/dev/null
  done | awk -F'\t' '{v[$1]+=$2; n[$1]+=$3} END {for (g in v) print g "\t" v[g] "\t" n[g]}'
  awk '{sub(/.*\) /, ""); print "cpu\t" $12 + $13 "\t0"}' /proc/"$1"/stat
}
served() { curl -s "http://127.0.0.1:$PORT/metrics" | awk -v p="route=\"${PATH_%%\?*}\"" 'index($0, p) && /^http_server_requests_seconds_count/ {s+=$2} END {print s+0}'; }
load() { bin/java -jar load-tests/target/load-tests.jar -c "$CONNECTIONS" -d "$1" "http://127.0.0.1:$PORT$PATH_"; }

# run MODE TRANSPORT ROUND: one server, warmed up, then one measured load; appends to $SUMMARY
run() {
  local mode=$1 transport=$2 round=$3 before after r0 r1 rps load1
  load1=$(cut -d' ' -f1 /proc/loadavg) # what else the machine ran, read before this server starts
  data=$(mktemp -d -t asyncprod-cost-XXXX)
  # shellcheck disable=SC2086
  bin/java ${JAVA_OPTS:-} -jar server/target/server.jar --host 127.0.0.1 --port $PORT --admin-port $((PORT + 1000)) --data-dir "$data" --mode "$mode" --transport "$transport" >"$data/server.log" 2>&1 &
  pid=$!
  wait_up $PORT
  load 15s >/dev/null || true                   # warm-up: the JIT settles before anything is read
  before=$(snapshot $pid); r0=$(served)
  # The generator exits 1 when no request was answered: that run is reported as void, the next goes on.
  rps=$(load "${SECONDS_}s" | awk '/Requests\/sec/ {print $2}') || true
  after=$(snapshot $pid); r1=$(served)
  kill $pid; wait $pid 2>/dev/null || true
  if [ "$((r1 - r0))" -le 0 ]; then
    echo "== $mode on $transport (round $round): no request answered in the window, void (load average $load1 before)"
    rm -rf "$data"; pid=; data=
    return
  fi
  # The transport the server ran on, from its banner: auto, or a fallback, names what was asked for only.
  local ran
  ran=$(awk '/^transport:/ {print $2; exit}' "$data/server.log")
  echo "== $mode on ${ran:-$transport} ${JAVA_OPTS:-} (${CONNECTIONS} connections, $PATH_, ${SECONDS_}s, round $round, load average $load1 before): $rps req/s"
  grep -m1 'transport io_uring' "$data/server.log" || true  # the fallback line, where io_uring is refused
  awk -F'\t' -v r="$((r1 - r0))" -v hz="$(getconf CLK_TCK)" -v tag="$round\t$mode\t${ran:-$transport}\t$rps\t$load1" -v summary="$SUMMARY" '
    NR == FNR {v0[$1] = $2; n0[$1] = $3; next}
    $1 == "cpu" {cpu = ($2 - v0["cpu"]) * 1e6 / hz / r; printf "  server CPU per request: %.1f us\n", cpu; next}
    {dv = $2 - v0[$1]; dn = $3 - n0[$1]; total += dv + dn
     if ((dv + dn) / r >= 0.01) printf "  %-28s %.3f voluntary + %.3f involuntary switches per request\n", $1, dv / r, dn / r}
    END {printf "  all threads: %.3f context switches per request (%d requests)\n", total / r, r
         printf "%s\t%.1f\t%.3f\n", tag, cpu, total / r >> summary}
  ' <(echo "$before") <(echo "$after")
  rm -rf "$data"; pid=; data=
}

for round in $(seq 1 "$ROUNDS"); do
  for mode in "${MODES[@]}"; do
    order=("${TRANSPORT_LIST[@]}")
    # Every other round in reverse (epoll, io_uring; io_uring, epoll; ...): the machine's drift and the
    # page cache's warmth do not always favour the same one.
    if [ $((round % 2)) -eq 0 ]; then
      for ((i = ${#TRANSPORT_LIST[@]} - 1, j = 0; i >= 0; i--, j++)); do order[j]=${TRANSPORT_LIST[i]}; done
    fi
    for transport in "${order[@]}"; do
      run "$mode" "$transport" "$round"
    done
  done
done

# Each transport against the first one named, in the same round and mode: the ratios that do not move with the machine.
if [ ${#TRANSPORT_LIST[@]} -gt 1 ] || [ "$ROUNDS" -gt 1 ]; then
  echo "== summary (ratios: against ${TRANSPORT_LIST[0]} in the same round and mode)"
  awk -F'\t' -v first="${TRANSPORT_LIST[0]}" '
    NR == FNR {if ($3 == first || first == "auto") {key = $1 SUBSEP $2; if (!(key in brps)) {brps[key] = $4; bcpu[key] = $6; bcs[key] = $7}}; next}
    {key = $1 SUBSEP $2
     printf "  round %s %-8s %-9s load %5s %9.0f req/s %7.1f us/req %6.3f cs/req   rate x%.3f  CPU/req x%.3f  cs/req x%.3f\n",
       $1, $2, $3, $5, $4, $6, $7, $4 / brps[key], $6 / bcpu[key], (bcs[key] > 0 ? $7 / bcs[key] : 1)}
  ' "$SUMMARY" "$SUMMARY"
fi
machine_line
