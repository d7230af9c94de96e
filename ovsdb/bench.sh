#!/bin/sh
# Weft vs ovs-vsctl: full mesh of N hosts (default 20), R alternating rounds (default 3). Needs root and OVS.
# Prints one line per run and a RESULT line with the medians.
#   ovsdb/bench.sh [N [R]]      ovsdb/bench.sh --tiny: 2 hosts, 1 round (proves the command works; no figures)
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = --tiny ]; then
    set -- 2 1
fi
exec "$root/scripts/run-test-main.sh" ovsdb io.weft.ovsdb.bench.MeshBench "${1:-20}" "${2:-3}"
