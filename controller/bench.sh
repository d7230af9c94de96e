#!/bin/sh
# JMH benchmarks of the intent write path, with and without fsync (about 3 minutes):
# - IntentBench: IntentService on the embedded MvStore, 10 hosts and 2,000 existing endpoints; one writer and 32
#   concurrent writers; throughput of announce-and-remove pairs.
# - StoreCommitBench: one MvStore commit alone, 2,000 existing endpoints; latency per commit (p50, p99...).
# One fork, 3 x 2 s warm-up, 5 x 2 s measurement. Builds through the reactor; nothing is installed.
#   controller/bench.sh [--tiny] [BENCHMARK] [JMH options...]
#   BENCHMARK: a name such as StoreCommitBench to run only that one (default: both); JMH options e.g. -p existing=10000
#   --tiny: 20 existing endpoints, one short iteration (proves the command works; no figures)
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
timing="-wi 3 -w 2s -i 5 -r 2s"
if [ "${1:-}" = --tiny ]; then
    shift
    timing="-wi 0 -i 1 -r 200ms -p existing=20"
fi
benchmarks=io.weft.controller.bench.
case "${1:-}" in
    ''|-*) ;;
    *) benchmarks=$1; shift ;;
esac
# -foe true: a benchmark that throws fails the command.
# shellcheck disable=SC2086
exec "$root/scripts/run-test-main.sh" controller org.openjdk.jmh.Main -foe true -f 1 $timing "$@" "$benchmarks"
