#!/bin/sh
# Southbound benchmark: 100k flows into a private userspace OVS (own netns and run dir, removed afterwards),
# beside ovs-ofctl --bundle add-flows of the same flows; single-flow change latency; controller heap per flow.
# Usage: southbound/bench.sh [flows] [OF_14|OF_13] [samples]     (needs root, like the integration tests)
set -e
cd "$(dirname "$0")/.."
mvn -q install -pl southbound -DskipTests
mvn -q -pl southbound dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
exec java -Xmx2g ${BENCH_JAVA_OPTS} -cp southbound/target/classes:southbound/target/test-classes:$(cat southbound/target/bench.cp) \
    io.weft.southbound.SouthboundBench "$@"
