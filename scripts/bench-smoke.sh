#!/usr/bin/env bash
# Every benchmark command of BENCHMARKS.md at its smallest size (--tiny), to prove that each still runs from a clone
# after the README's set-up; the figures they print mean nothing. scripts/test.sh runs it; as root, about 3 minutes.
#   scripts/bench-smoke.sh            all of them
#   scripts/bench-smoke.sh flows/bench.sh ovsdb/bench.sh     just these ('northbound-rest/bench.sh --restart': with its
#                                                            arguments, quoted as one)
# Last line: `benchmarks: N ran, M failed`; exit status 1 if any failed. Each one's output goes to WORK/NAME.log and
# is printed when it fails.
set -uo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"
all=(ovsdb/bench.sh southbound/bench.sh southbound/ovs-batch-cost.sh flows/bench.sh controller/bench.sh
     northbound-rest/bench.sh "northbound-rest/bench.sh --restart" northbound-rest/bench-write-path.sh
     northbound-rest/bench-names.sh northbound-rest/bench-failover.sh northbound-rest/bench-first-packet.sh
     docker-driver/bench.sh test-topologies/bench_mesh.py test-topologies/bench-vs-ovn.sh
     test-topologies/bench_plain.py
     "scripts/run-test-main.sh controller io.weft.controller.reconcile.ReconcilerCpuBench")
if [ "$#" -gt 0 ]; then benches=("$@"); else benches=("${all[@]}"); fi

work=$(mktemp -d "${TMPDIR:-/tmp}/weft-bench-smoke-XXXXXXXX")
# shellcheck source=lib/controller.sh
. "$root/scripts/lib/controller.sh"
cleanup() {
    stop_controller
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

ran=0
failed=0
for bench in "${benches[@]}"; do
    log="$work/${bench//[\/ ]/_}.log"
    started=$SECONDS
    case $bench in
        test-topologies/bench_plain.py)
            # Runs controllers of its own (bin/weft and ovs-testcontroller): the tree must be built.
            mvn -B -ntp -q -DskipTests package -pl northbound-rest -am >"$log" 2>&1 \
                && timeout --signal=TERM --kill-after=20 600 /usr/bin/python3 "$bench" --tiny >>"$log" 2>&1
            ;;
        *.py)
            # bench_mesh.py measures a running controller: start one (the tree is built by the other benches'
            # builds or by the caller).
            if [ -z "$controller_pid" ]; then
                mvn -B -ntp -q -DskipTests package -pl northbound-rest -am >"$work/build.log" 2>&1 \
                    && mkdir -p "$work/controller" && start_controller "$work/controller"
            fi
            if [ -n "$controller_pid" ]; then
                timeout --signal=TERM --kill-after=20 600 /usr/bin/python3 "$bench" --weft "$weft_url" --tiny \
                    >"$log" 2>&1
            else
                cat "$work/build.log" >"$log"
                false
            fi
            ;;
        *)
            read -ra command <<<"$bench"
            timeout --signal=TERM --kill-after=20 600 "./${command[0]}" "${command[@]:1}" --tiny >"$log" 2>&1
            ;;
    esac
    status=$?
    ran=$((ran + 1))
    if [ "$status" -eq 0 ]; then
        echo "bench-smoke: $bench --tiny ok ($((SECONDS - started)) s)"
    else
        failed=$((failed + 1))
        echo "bench-smoke: $bench --tiny FAILED (exit $status, $((SECONDS - started)) s); its output:" >&2
        tail -n 60 "$log" >&2
    fi
done
stop_controller
echo "benchmarks: $ran ran, $failed failed"
[ "$failed" -eq 0 ]
