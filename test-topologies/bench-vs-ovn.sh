#!/usr/bin/env bash
# Issue 11's side-by-side bench (BENCHMARKS.md): announce -> first cross-host ping and de-provision -> pings fail,
# OVN 23.03 against Weft on two identical test beds, samples alternating. As root, after the README's set-up:
#   test-topologies/bench-vs-ovn.sh [--cases empty,loaded] [--samples 30] [--modes retry10,kernel,wait]
#                                   [--empty-hosts 3] [--loaded-hosts 10] [--existing 2000]
#   test-topologies/bench-vs-ovn.sh --tiny      # smallest sizes, 1 sample: proves it runs
# Builds Weft (bin/weft needs the jars) through the reactor, then runs bench_vs_ovn.py (its --help says more).
# The result tables are printed and copied to test-topologies/target/bench-vs-ovn.md. Everything it starts goes
# away at the end, also on failure or Ctrl-C.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"
for tool in ovn-northd ovn-controller ovsdb-server; do
    command -v "$tool" >/dev/null || { echo "bench-vs-ovn: $tool missing: run scripts/install-deps.sh" >&2; exit 1; }
done
mvn -B -ntp -q -DskipTests package -pl northbound-rest -am
mkdir -p test-topologies/target
exec /usr/bin/python3 test-topologies/bench_vs_ovn.py --weft-bin "$root/bin/weft" \
    --results test-topologies/target/bench-vs-ovn.md --raw test-topologies/target/bench-vs-ovn.json "$@"
