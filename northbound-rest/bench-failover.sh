#!/usr/bin/env bash
# The failover benchmark of issue 16 (BENCHMARKS.md): three controller replicas on a 3-member etcd cluster and three
# emulated hosts; the leader is SIGKILLed, again and again, and each kill is timed to a new leader and to the first
# endpoint installed after it. As root, from anywhere:
#   northbound-rest/bench-failover.sh [--kills 10] [--lease-seconds 3]
#   northbound-rest/bench-failover.sh --tiny: 1 kill (proves it works)
# Builds what it needs through the reactor (bin/weft's jars, the bench's classes); the bed, the replicas and etcd go
# away at the end. The table is printed and copied to northbound-rest/target/bench-failover-results.md.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"
kills=10
lease=3
while [ "$#" -gt 0 ]; do
    case $1 in
        --tiny) kills=1 ;;
        --kills) kills=$2; shift ;;
        --lease-seconds) lease=$2; shift ;;
        *) echo "usage: northbound-rest/bench-failover.sh [--kills N] [--lease-seconds S] [--tiny]" >&2; exit 2 ;;
    esac
    shift
done
mvn -B -ntp -q -DskipTests package -pl northbound-rest -am
mvn -B -ntp -q test -pl northbound-rest -am -Dtest=ReplicasFailoverBench -Dsurefire.failIfNoSpecifiedTests=false \
    -Dkills="$kills" -DleaseSeconds="$lease"
cat northbound-rest/target/bench-failover-results.md
