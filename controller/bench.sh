#!/bin/sh
# JMH benchmark of the intent write path (IntentService on the embedded MvStore, with and without fsync, 10 hosts and
# 2,000 existing endpoints; one writer and 32 concurrent writers). One fork, 3 x 2 s warm-up, 5 x 2 s measurement;
# about 2 minutes. Extra arguments go to JMH (e.g. -p existing=10000). Needs the tree installed: mvn -q install -DskipTests
set -e
cd "$(dirname "$0")/.."
mvn -q -pl controller test-compile
mvn -q -pl controller exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
  -Dexec.args="-Xmx2g -cp %classpath org.openjdk.jmh.Main -f 1 -wi 3 -w 2s -i 5 -r 2s io.weft.controller.bench.IntentBench $*"
