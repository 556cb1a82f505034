#!/usr/bin/env bash
# What the always-on task view costs: async GET /hello, the server's CPU per request and its
# throughput, with the task registry on (the default) and switched off (-Dasyncprod.tasks.off=true,
# a switch for this measurement only), alternating ROUNDS times so a noisy machine weighs on both
# alike. Each run is load-tests/bench/cost-per-request.sh: a 15 s warm-up, then SECONDS_ measured.
#
#   load-tests/bench/task-view-overhead.sh                 (ROUNDS=3 CONNECTIONS=64 SECONDS_=20)
#
# Loopback only; each load is bounded by its -d.
set -euo pipefail
cd "$(dirname "$0")/../.."
source load-tests/bench/lib.sh
require_jars
ROUNDS=${ROUNDS:-3}
runs=$(mktemp -t asyncprod-overhead-XXXX)
export CONNECTIONS=${CONNECTIONS:-64} SECONDS_=${SECONDS_:-20} PATH_=/hello
for round in $(seq 1 "$ROUNDS"); do
  for registry in on off; do
    opts=""; [ "$registry" = off ] && opts="-Dasyncprod.tasks.off=true"
    JAVA_OPTS="$opts" load-tests/bench/cost-per-request.sh async \
      | awk -v r="$registry" -v n="$round" '/^== / {rps = $(NF - 1)} /server CPU per request/ {cpu = $5}
          END {printf "round %d  registry %-3s  %8.0f req/s  %6.1f us CPU per request\n", n, r, rps, cpu}'
  done
done | tee "$runs"
awk '{rps[$4] += $5; cpu[$4] += $7; n[$4]++}
  END {printf "mean: registry on %.0f req/s, %.1f us; off %.0f req/s, %.1f us; on/off: throughput %.3f, CPU per request %.3f\n",
       rps["on"] / n["on"], cpu["on"] / n["on"], rps["off"] / n["off"], cpu["off"] / n["off"],
       (rps["on"] / n["on"]) / (rps["off"] / n["off"]), (cpu["on"] / n["on"]) / (cpu["off"] / n["off"])}' "$runs"
rm -f "$runs"
machine_line
