#!/usr/bin/env bash
# The whole test suite: unit tests, integration tests on real Open vSwitch in network namespaces, and the
# Mininet topology checks. Run as root on Debian 12. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

# Namespaces present before the run; the suite must leave the machine as it found it.
before=$(ip netns list 2>/dev/null | wc -l)

mvn -B -ntp verify -DskipITs=false

./scripts/topology-checks.sh

after=$(ip netns list 2>/dev/null | wc -l)
if [ "$after" -gt "$before" ]; then
    echo "test: the suite left $((after - before)) network namespaces behind:" >&2
    ip netns list >&2
    exit 1
fi
