#!/bin/sh
# Southbound benchmark: 100k flows into a private userspace OVS (own netns and run dir, removed afterwards),
# beside ovs-ofctl --bundle add-flows of the same flows; single-flow change latency; controller heap per flow.
# Usage: southbound/bench.sh [flows] [OF_14|OF_13] [samples]     (needs root, like the integration tests)
#        southbound/bench.sh --tiny: 2,000 flows, 10 samples (proves the command works; no figures)
# BENCH_JAVA_OPTS go to the JVM beside -Xmx2g.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = --tiny ]; then
    set -- 2000 OF_14 10
fi
JAVA_OPTS="-Xmx2g ${BENCH_JAVA_OPTS:-}" exec "$root/scripts/run-test-main.sh" southbound \
    io.weft.southbound.SouthboundBench "$@"
