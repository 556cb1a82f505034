#!/usr/bin/env bash
# Jobs that outlive their replica (issue 12): the PostgreSQL job store replicas share, beside the
# embedded SQLite store, on the same machine in the same run.
#  1. POST /email (answered 202 once the job is committed) at 64 connections, async mode, default
#     flags: SQLite in the data directory against PostgreSQL on loopback (fsync on, its defaults);
#     alternating rounds.
#  2. Delivery at 1 s per message (the built-in mailbox, --email-concurrency's default 100): N jobs
#     posted to one replica, delivered by that replica alone, then by three replicas sharing the store;
#     the rate is taken between 10 % and 90 % of the backlog sent, the steady part of the drain. These
#     replicas run with --access-log off (6,000 lines of access log per replica are not what is measured).
#
#   load-tests/bench/jobs-postgres.sh [seconds-per-run, default 20] [rounds, default 2; 0 skips part 1] [jobs, default 6000]
#   (needs: built jars, apt-get install postgresql)
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-20}
ROUNDS=${2:-2}
JOBS=${3:-6000}
source load-tests/bench/lib.sh
require_jars
ulimit -n 20000
PORT=9195
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null; done; wait 2>/dev/null; stop_postgres' EXIT
BODY='{"to": "ana@example.com", "subject": "Welcome", "body": "Hello Ana, thanks for signing up."}'
OUT=$(mktemp -d)
start_postgres 55432

# replica PORT [flags...]: one more server; its pid joins PIDS
replica() {
  start_server "$@"
  PIDS+=("$SERVER_PID")
}

stop_replicas() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  PIDS=()
}

rps() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("%.0f %.1f %d" % (r["rps"], r["latency_ms"]["p99"], sum(r["errors"].values())))' "$1"; }

[ "$ROUNDS" -gt 0 ] && echo "1. POST /email at 64 connections, ${DURATION}s after 5s warm-up, async mode"
for round in $(seq 1 "$ROUNDS"); do
  for store in sqlite postgresql; do
    if [ $store = sqlite ]; then jobs=sqlite; else jobs=$(new_database "accept_$round"); fi
    replica $PORT --jobs "$jobs"
    bin/java -jar load-tests/target/load-tests.jar -c 64 -d "${DURATION}s" --warmup 5s -q -X POST \
      -H 'Content-Type: application/json' -b "$BODY" --json "$OUT/accept-$store-$round.json" \
      "http://127.0.0.1:$PORT/email" >/dev/null
    read -r r p99 errors < <(rps "$OUT/accept-$store-$round.json")
    printf '   round %d %-10s %7d jobs/s  p99 %6.1f ms  errors %d\n' "$round" "$store" "$r" "$p99" "$errors"
    stop_replicas
  done
done

# drain REPLICAS: posts $JOBS jobs to the first replica (open model, 1,000/s), then prints the delivery
# rate in the steady part of the drain: jobs sent between 10 % and 90 % of the backlog, over that time.
drain() {
  local n=$1 url accepted sent now t10= t90=
  url=$(new_database "drain_$1")
  for i in $(seq 1 "$n"); do replica $((PORT + i)) --jobs "$url" --access-log off; done
  bin/java -jar load-tests/target/load-tests.jar -R 1000 -c 64 -d "$((JOBS / 1000))s" -q -X POST \
    -H 'Content-Type: application/json' -b "$BODY" "http://127.0.0.1:$((PORT + 1))/email" >/dev/null
  accepted=$(psql_value "drain_$1" "SELECT count(*) FROM email_jobs")
  while [ -z "$t90" ]; do
    sent=$(psql_value "drain_$1" "SELECT count(*) FROM email_jobs WHERE status = 'sent'")
    now=$(date +%s.%N)
    [ -z "$t10" ] && [ $((sent * 10)) -ge "$accepted" ] && t10=$now && s10=$sent
    [ $((sent * 10)) -ge $((accepted * 9)) ] && t90=$now && s90=$sent
    sleep 0.1
  done
  stop_replicas
  python3 -c "import sys; print('%.1f' % ((int(sys.argv[2]) - int(sys.argv[1])) / (float(sys.argv[4]) - float(sys.argv[3]))))" \
    "$s10" "$s90" "$t10" "$t90"
}

echo "2. $JOBS jobs at 1 s per message, posted to one replica"
one=$(drain 1)
echo "   1 replica : $one jobs/s delivered"
three=$(drain 3)
echo "   3 replicas: $three jobs/s delivered ($(python3 -c "print('%.2fx' % ($three / $one))") one replica)"
echo "results: $OUT"
machine_line
