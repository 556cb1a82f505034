#!/usr/bin/env bash
# TLS and HTTP/2 on one machine, in alternating rounds of one run:
#  1. the TLS engine: the JDK's beside OpenSSL (BoringSSL, netty-tcnative-boringssl-static), the service
#     with its default flags plus --tls self-signed and --tls-provider: full handshakes per second (wrk
#     with Connection: close, a new connection and handshake per request) and /hello over TLS on 64
#     kept-alive connections (wrk -t1 -c64);
#  2. the load generator beside wrk over TLS HTTP/1.1 (-t1 -c64) and beside h2load over HTTP/2
#     (-t1 -c16 -m10), over TLS (ALPN h2) and over h2c, against that server with the default engine.
#
#   load-tests/bench/tls-h2.sh [seconds-per-round] [rounds]     (needs: wrk, h2load, built jars)
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10}
ROUNDS=${2:-2}
source load-tests/bench/lib.sh
require_wrk
command -v h2load >/dev/null || { echo "h2load not found: apt-get install nghttp2-client" >&2; exit 1; }
require_jars
LOAD=(bin/java -jar load-tests/target/load-tests.jar)
ratio() { echo "$1 / $2" | bc -l; }

start_tls() { # start_tls PORT PROVIDER
  local data
  data=$(mktemp -d -t asyncprod-bench-XXXX)
  bin/java -jar server/target/server.jar --host 127.0.0.1 --port "$1" --admin-port "$(($1 + 1000))" --data-dir "$data" --tls self-signed \
    --tls-provider "$2" >"$data/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do curl -kfs "https://localhost:$1/health" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "nothing answered on port $1" >&2; exit 1
}
stop() { kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null || true; }
trap stop EXIT
wrk_rps() { wrk "$@" | awk '/^Requests\/sec/ {print $2}'; }
ours_rps() { "${LOAD[@]}" "$@" | awk '/Requests\/sec/ {print $2}'; }
h2load_rps() { h2load "$@" | awk '/^finished in/ {print $4}'; }

echo "== 1. TLS engine: handshakes/s (wrk -t1 -c16, Connection: close) and /hello req/s (wrk -t1 -c64)"
for round in $(seq 1 "$ROUNDS"); do
  for provider in jdk openssl; do
    start_tls 9443 "$provider"
    URL="https://localhost:9443/hello"
    wrk -t1 -c64 -d5s "$URL" >/dev/null # JIT warm-up of the server
    hs=$(wrk_rps -t1 -c16 -d"${DURATION}s" -H 'Connection: close' "$URL")
    hello=$(wrk_rps -t1 -c64 -d"${DURATION}s" "$URL")
    printf 'round %d: %-7s handshakes %8.0f /s   /hello over TLS %8.0f req/s\n' "$round" "$provider" "$hs" "$hello"
    stop
  done
done

echo "== 2. the load generator beside wrk and h2load, same server (default engine), alternating"
start_tls 9443 auto
data=$(mktemp -d -t asyncprod-bench-XXXX)
bin/java -jar server/target/server.jar --host 127.0.0.1 --port 9080 --admin-port 10080 --data-dir "$data" >"$data/server.log" 2>&1 &
PLAIN_PID=$!
trap 'stop; kill $PLAIN_PID 2>/dev/null || true' EXIT
wait_up 9080
wrk -t1 -c64 -d5s "https://localhost:9443/hello" >/dev/null
h2load -t1 -c16 -m10 -D 5 "http://127.0.0.1:9080/hello" >/dev/null
for round in $(seq 1 "$ROUNDS"); do
  ours=$(ours_rps -t 1 -c 64 -d "${DURATION}s" --warmup 5s -q -k "https://localhost:9443/hello")
  theirs=$(wrk_rps -t1 -c64 -d"${DURATION}s" "https://localhost:9443/hello")
  printf 'round %d: TLS HTTP/1.1  load-tests.jar %8.0f   wrk    %8.0f req/s  (%.2fx)\n' "$round" "$ours" "$theirs" "$(ratio "$ours" "$theirs")"
  ours=$(ours_rps -t 1 --h2 -c 16 -m 10 -d "${DURATION}s" --warmup 5s -q -k "https://localhost:9443/hello")
  theirs=$(h2load_rps -t1 -c16 -m10 -D "$DURATION" --warm-up-time 5 "https://localhost:9443/hello")
  printf 'round %d: h2 over TLS   load-tests.jar %8.0f   h2load %8.0f req/s  (%.2fx)\n' "$round" "$ours" "$theirs" "$(ratio "$ours" "$theirs")"
  ours=$(ours_rps -t 1 --h2 -c 16 -m 10 -d "${DURATION}s" --warmup 5s -q "http://127.0.0.1:9080/hello")
  theirs=$(h2load_rps -t1 -c16 -m10 -D "$DURATION" --warm-up-time 5 "http://127.0.0.1:9080/hello")
  printf 'round %d: h2c           load-tests.jar %8.0f   h2load %8.0f req/s  (%.2fx)\n' "$round" "$ours" "$theirs" "$(ratio "$ours" "$theirs")"
done
machine_line
