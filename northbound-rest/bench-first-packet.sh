#!/usr/bin/env bash
# The first-packet benchmark of issue 11 (BENCHMARKS.md): a container removed while it sends, announced again with
# the same IP and MAC with ?wait=true, then one ARP at once; how often that ARP goes unanswered. As root:
#   northbound-rest/bench-first-packet.sh [--rounds 100] [--after-reply none|revalidator-wait] [--port weft|foreign]
#   northbound-rest/bench-first-packet.sh --tiny: 3 rounds (proves it works)
# The bed and the controller go away at the end; the result is printed and copied to
# northbound-rest/target/bench-first-packet-results.md.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"
rounds=100
after=none
port=weft
while [ "$#" -gt 0 ]; do
    case $1 in
        --tiny) rounds=3 ;;
        --rounds) rounds=$2; shift ;;
        --after-reply) after=$2; shift ;;
        --port) port=$2; shift ;;
        *) echo "usage: northbound-rest/bench-first-packet.sh [--rounds N] [--after-reply none|revalidator-wait] [--port weft|foreign] [--tiny]" >&2; exit 2 ;;
    esac
    shift
done
mvn -B -ntp -q -DskipTests package -pl northbound-rest -am
mvn -B -ntp -q test -pl northbound-rest -am -Dtest=FirstPacketBench -Dsurefire.failIfNoSpecifiedTests=false \
    -Drounds="$rounds" -DafterReply="$after" -Dport="$port"
cat northbound-rest/target/bench-first-packet-results.md
