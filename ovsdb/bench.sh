#!/bin/sh
# Weft vs ovs-vsctl: full mesh of N hosts (default 20), R alternating rounds (default 3). Needs root and OVS.
# Prints one line per run and a RESULT line with the medians.
set -e
cd "$(dirname "$0")/.."
exec mvn -q -pl ovsdb test-compile exec:java -Dexec.classpathScope=test \
    -Dexec.mainClass=io.weft.ovsdb.bench.MeshBench -Dexec.args="${1:-20} ${2:-3}"
