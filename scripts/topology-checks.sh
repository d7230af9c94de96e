#!/usr/bin/env bash
# The Mininet topology checks (issue 6) against a controller this script starts and stops itself.
# Builds nothing: run after `mvn -DskipTests package` (or scripts/test.sh's verify). Run as root.
#   scripts/topology-checks.sh                     # twosites, redgreen, routed, mesh,hosts=6,containers=3,networks=2,
#                                                  # plain (stock Mininet topologies on plain switches, issue 13,
#                                                  # with a controller of its own)
#   scripts/topology-checks.sh redgreen routed     # just these
# Last line: `N passed, M failed` (checks over all topologies); exit status 1 if any failed.
set -uo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
py=/usr/bin/python3   # Mininet lives in the system Python

if [ "$#" -gt 0 ]; then topologies=("$@"); else
    topologies=(twosites redgreen routed 'mesh,hosts=6,containers=3,networks=2' plain)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/weft-topochecks-XXXXXXXX")
# shellcheck source=lib/controller.sh
. "$root/scripts/lib/controller.sh"
keep_diag=0
cleanup() {
    stop_controller
    if [ "$keep_diag" = 1 ]; then
        rm -rf "$work/data" "$work/of.sock"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

if ! start_controller "$work"; then
    keep_diag=1
    echo "topology-checks: controller log kept in $work"
    echo "0 passed, 1 failed"
    exit 1
fi
url=$weft_url
echo "topology-checks: Weft up at $url (pid $controller_pid, files in $work)"

passed=0
failed=0
for topo in "${topologies[@]}"; do
    out="$work/check-${topo//[^a-z0-9=]/_}.out"
    if [ "$topo" = plain ]; then   # it runs (and restarts) a controller of its own
        check=("$root/test-topologies/plain_check.py")
    else
        check=("$root/test-topologies/check.py" --topo "$topo" --weft "$url" --diag "$work/diag-${topo//[^a-z0-9=]/_}")
    fi
    WEFT_URL=$url timeout --signal=TERM --kill-after=20 600 "$py" "${check[@]}" 2>&1 | tee "$out"
    result=$(grep -E '^RESULT .*: [0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
    if [ -z "$result" ]; then
        echo "topology-checks: $topo ended without a result" >&2
        failed=$((failed + 1))
        keep_diag=1
        continue
    fi
    p=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/' <<<"$result")
    f=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/' <<<"$result")
    passed=$((passed + p))
    failed=$((failed + f))
    [ "$f" -gt 0 ] && keep_diag=1
done

stop_controller
[ "$keep_diag" = 1 ] && echo "topology-checks: controller log and OVS dumps of failed checks kept in $work"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
