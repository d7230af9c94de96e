#!/bin/sh
# JMH benchmarks of the flow compiler (100 hosts, 50 networks, 10k endpoints), sized for 2 shared cores:
# one fork, 5 x 2 s warm-up and 5 x 2 s measurement per benchmark; about 3 minutes. Extra arguments go to JMH (e.g. -prof gc).
# Needs weft-model and weft-routing installed: mvn -q install -pl routing
set -e
cd "$(dirname "$0")/.."
mvn -q -pl flows test-compile
mvn -q -pl flows exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
  -Dexec.args="-Xmx2g -cp %classpath org.openjdk.jmh.Main -f 1 -wi 5 -w 2s -i 5 -r 2s io.weft.flows.bench.FlowCompilerBench $*"
# Retained heap of compiled flows, per host and per endpoint.
mvn -q -pl flows exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
  -Dexec.args="-Xmx2g -cp %classpath io.weft.flows.bench.CompiledStateSize"
