#!/bin/sh
# JMH benchmarks of the intent write path, with and without fsync (about 3 minutes):
# - IntentBench: IntentService on the embedded MvStore, 10 hosts and 2,000 existing endpoints; one writer and 32
#   concurrent writers; throughput of announce-and-remove pairs.
# - StoreCommitBench: one MvStore commit alone, 2,000 existing endpoints; latency per commit (p50, p99...).
# One fork, 3 x 2 s warm-up, 5 x 2 s measurement. Extra arguments go to JMH (e.g. StoreCommitBench to run only that
# one, -p existing=10000). Builds through the reactor; nothing is installed.
set -e
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl controller -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cd controller
[ $# -gt 0 ] || set -- io.weft.controller.bench.
exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" org.openjdk.jmh.Main \
  -f 1 -wi 3 -w 2s -i 5 -r 2s "$@"
