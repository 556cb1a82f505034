# Shared by the benchmark scripts: source it, don't run it.

# Builds the jars if any is missing.
require_jars() {
  [ -f server/target/server.jar ] && [ -f load-tests/target/load-tests.jar ] || ./mvnw -q -B -Dstyle.color=never package -DskipTests
}

require_wrk() {
  command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }
}

# wait_up PORT: until /health answers on loopback (10 s at most).
wait_up() {
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$1/health" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "nothing answered on port $1" >&2; exit 1
}

# start_server PORT [flags...]: the service on loopback with the defaults a user starts it with, in the
# background, its output (the access log among it) in a file as a container's log driver would keep it;
# its pid in $SERVER_PID.
start_server() {
  local port=$1; shift
  local data
  data=$(mktemp -d -t asyncprod-bench-XXXX) # each server process owns its data directory
  bin/java -jar server/target/server.jar --host 127.0.0.1 --port "$port" --data-dir "$data" "$@" >"$data/server.log" 2>&1 &
  SERVER_PID=$!
  wait_up "$port"
}

machine_line() {
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(bin/java -version 2>&1 | head -1), $(date -u +%F)"
}
