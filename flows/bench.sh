#!/bin/sh
# JMH benchmarks of the flow compiler (100 hosts, 50 networks, 10k endpoints), sized for 2 shared cores:
# one fork, 5 x 2 s warm-up and 5 x 2 s measurement per benchmark; about 3 minutes. Extra arguments go to JMH
# (e.g. -prof gc). Then the retained heap of compiled flows, per host and per endpoint.
#   flows/bench.sh --tiny: 8 hosts, 4 networks, 80 endpoints, one short iteration (proves it works; no figures)
# A benchmark that throws fails the command (-foe true).
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
run="$root/scripts/run-test-main.sh"
if [ "${1:-}" = --tiny ]; then
    shift
    "$run" flows org.openjdk.jmh.Main -foe true -f 1 -wi 0 -i 1 -r 200ms -p hosts=8 -p networks=4 -p endpoints=80 \
        io.weft.flows.bench.FlowCompilerBench "$@"
    SKIP_BUILD=1 exec "$run" flows io.weft.flows.bench.CompiledStateSize 8 4 80 2
fi
"$run" flows org.openjdk.jmh.Main -foe true -f 1 -wi 5 -w 2s -i 5 -r 2s io.weft.flows.bench.FlowCompilerBench "$@"
SKIP_BUILD=1 exec "$run" flows io.weft.flows.bench.CompiledStateSize
