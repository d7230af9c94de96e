#!/usr/bin/env bash
# The Mininet topology checks (issue 6) against a controller this script starts and stops itself.
# Builds nothing: run after `mvn install`/`verify` (scripts/test.sh does). Run as root.
#   scripts/topology-checks.sh                     # twosites, redgreen, routed, mesh,hosts=6,containers=3,networks=2
#   scripts/topology-checks.sh redgreen routed     # just these
# Last line: `N passed, M failed` (checks over all topologies); exit status 1 if any failed.
set -uo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
py=/usr/bin/python3   # Mininet lives in the system Python

if [ "$#" -gt 0 ]; then topologies=("$@"); else
    topologies=(twosites redgreen routed 'mesh,hosts=6,containers=3,networks=2')
fi

work=$(mktemp -d /tmp/weft-topochecks-XXXXXXXX)
controller_pid=
stop_controller() {
    if [ -n "$controller_pid" ] && kill -0 "$controller_pid" 2>/dev/null; then
        kill -TERM "$controller_pid"
        for _ in $(seq 1 100); do kill -0 "$controller_pid" 2>/dev/null || break; sleep 0.2; done
        kill -0 "$controller_pid" 2>/dev/null && { echo "topology-checks: controller ignored SIGTERM, killing" >&2
                                                   kill -KILL "$controller_pid"; }
        wait "$controller_pid" 2>/dev/null
    fi
    controller_pid=
}
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

port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
"$root/bin/weft" controller --rest-listen "127.0.0.1:$port" --openflow-listen "unix:$work/of.sock" \
    --data-dir "$work/data" --log-level info >"$work/controller.log" 2>&1 &
controller_pid=$!

deadline=$((SECONDS + 90))
until curl -fsS "$url/api/v1/health" >/dev/null 2>&1; do
    if ! kill -0 "$controller_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
        echo "topology-checks: the controller did not come up at $url; its log:" >&2
        tail -n 40 "$work/controller.log" >&2
        keep_diag=1
        echo "topology-checks: controller log kept in $work"
        echo "0 passed, 1 failed"
        exit 1
    fi
    sleep 0.2
done
echo "topology-checks: Weft up at $url (pid $controller_pid, files in $work)"

passed=0
failed=0
for topo in "${topologies[@]}"; do
    out="$work/check-${topo//[^a-z0-9=]/_}.out"
    WEFT_URL=$url timeout --signal=TERM --kill-after=20 600 \
        "$py" "$root/test-topologies/check.py" --topo "$topo" --weft "$url" --diag "$work/diag-${topo//[^a-z0-9=]/_}" \
        2>&1 | tee "$out"
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
