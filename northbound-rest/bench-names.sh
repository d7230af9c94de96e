#!/usr/bin/env bash
# The names benchmark of issue 15 (BENCHMARKS.md): query latency p50/p99 for a local name (UDP and TCP), and the query rate one
# host sustains before its DNS meter drops, and what the controller answers with that meter raised out of the way. A
# real bin/weft controller and the redgreen test bed; as root:
#   northbound-rest/bench-names.sh [--samples 2000] [--seconds 3] [--rates 250,500,1000,1500,2000,4000]
#                                  [--unmetered-rates 2000,4000,8000,16000,32000,64000]
#   northbound-rest/bench-names.sh --tiny: 20 samples, 1 s at 100 and 2000 queries/s, unmetered 4000 (proves it works)
# Everything it makes (test bed, controller, ${TMPDIR:-/tmp}/weft-bench-names-*) goes away at the end; the result
# table is printed and copied to northbound-rest/target/bench-names.md.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"
if [ "${1:-}" = --tiny ]; then
    shift
    set -- --samples 20 --seconds 1 --rates 100,2000 --unmetered-rates 4000 "$@"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/weft-bench-names-XXXXXX")
trap 'rm -rf "$work"' EXIT
# package: bin/weft runs the controller from the jars.
MVN_PHASE=package scripts/run-test-main.sh northbound-rest io.weft.bench.NamesBench \
    --work-dir "$work/run" --weft bin/weft "$@"
cp "$work/run/results.md" northbound-rest/target/bench-names.md
