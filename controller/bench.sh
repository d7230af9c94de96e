#!/bin/sh
# JMH benchmark of the intent write path (IntentService on the embedded MvStore, with and without fsync, 10 hosts and
# 2,000 existing endpoints; one writer and 32 concurrent writers). One fork, 3 x 2 s warm-up, 5 x 2 s measurement;
# about 2 minutes. Extra arguments go to JMH (e.g. -p existing=10000).
#   controller/bench.sh --tiny: 20 existing endpoints, one short iteration (proves the command works; no figures)
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = --tiny ]; then
    shift
    set -- -wi 0 -i 1 -r 200ms -p existing=20 "$@"
else
    set -- -wi 3 -w 2s -i 5 -r 2s "$@"
fi
# -foe true: a benchmark that throws fails the command.
exec "$root/scripts/run-test-main.sh" controller org.openjdk.jmh.Main -foe true -f 1 "$@" \
    io.weft.controller.bench.IntentBench
