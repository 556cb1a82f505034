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

# start_server PORT [flags...]: the service on loopback with the defaults a user starts it with (its admin
# listener on PORT+1000, so that several servers fit on one host), in the
# background, its output (the access log among it) in a file as a container's log driver would keep it;
# its pid in $SERVER_PID.
start_server() {
  local port=$1; shift
  local data
  data=$(mktemp -d -t asyncprod-bench-XXXX) # each server process owns its data directory
  bin/java -jar server/target/server.jar --host 127.0.0.1 --port "$port" --admin-port "$((port + 1000))" --data-dir "$data" "$@" >"$data/server.log" 2>&1 &
  SERVER_PID=$!
  wait_up "$port"
}

machine_line() {
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(bin/java -version 2>&1 | head -1), $(date -u +%F)"
}

# start_postgres PORT: a throw-away PostgreSQL from Debian's binaries (apt-get install postgresql) on
# loopback, with its defaults (fsync on: a commit is durable); as root, run as the postgres user, which
# initdb and pg_ctl require. Prints nothing; `jobs_url DB` gives a URL. Stopped by stop_postgres.
start_postgres() {
  PG_PORT=$1
  PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
  [ -x "$PG_BIN/initdb" ] || { echo "no PostgreSQL binaries: apt-get install postgresql" >&2; exit 1; }
  PG_DIR=$(mktemp -d -t asyncprod-pg-XXXX)
  local as=()
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; as=(runuser -u postgres --); fi
  "${as[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --no-instructions >/dev/null
  "${as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DIR -c max_connections=400" start >/dev/null
  PG_AS=("${as[@]}")
}

stop_postgres() {
  [ -n "${PG_DIR:-}" ] && { "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1; rm -rf "$PG_DIR"; } || true
}

# new_database NAME -> prints its postgresql:// URL
new_database() {
  "${PG_AS[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$1"
  echo "postgresql://postgres@127.0.0.1:$PG_PORT/$1"
}

# psql_value DB SQL -> the one value the query returns
psql_value() {
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$1" -Atc "$2"
}
