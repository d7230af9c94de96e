#!/usr/bin/env bash
# The REST and store part of an announce on an idle controller (issues 11 and 16, BENCHMARKS.md): bin/weft controller
# with 10 hosts and 2,000 endpoints registered and no switch, then sequential POST and DELETE of an endpoint without
# wait (p50/p90/p99 of the client's wall time), sustained announces/s from 8 clients, heap (and etcd space) per
# endpoint; for the embedded store and for etcd (a 3-member cluster on loopback) in the same run. About 2 min; as any
# user (no test bed).
#   northbound-rest/bench-write-path.sh [--stores embedded,etcd] [--existing 2000] [--samples 3000] [--warmup 1000]
#                                       [--writers 8] [--sustained 4000]
#   northbound-rest/bench-write-path.sh --tiny: 20 existing, 50 samples, 100 sustained (proves the command works)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"
if [ "${1:-}" = --tiny ]; then
    shift
    set -- --existing 20 --samples 50 --warmup 10 --sustained 100 "$@"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/weft-bench-write-XXXXXX")
trap 'rm -rf "$work"' EXIT
MVN_PHASE=package scripts/run-test-main.sh northbound-rest io.weft.bench.WritePathBench \
    --work-dir "$work" --weft bin/weft "$@"
cp "$work/results.md" northbound-rest/target/bench-write-path.md
