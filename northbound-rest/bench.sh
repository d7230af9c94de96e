#!/usr/bin/env bash
# The controller benchmark of issue 5 (BENCHMARKS.md): announce latency with 10 hosts and 2,000 existing endpoints,
# 60 s of add/delete churn with a stale-flow audit, controller heap per endpoint. As root, from anywhere:
#   northbound-rest/bench.sh [--hosts 10] [--existing 2000] [--samples 300] [--warmup 30] [--networks 1]
#                            [--churn-rate 1000] [--churn-seconds 60] [--churn-threads 32] [--churn-slots 200]
#                            [--port-type internal]
# WEFT_JAVA_OPTS is passed to the controller's JVM (e.g. a JFR recording). Needs a built tree
# (mvn -q -o install -DskipTests). Everything it makes (test bed, controller, /tmp/weft-bench-*) goes away at the end,
# also on failure or Ctrl-C; the result tables are printed and copied to northbound-rest/target/bench-results.md.
# BENCH_KEEP=1 keeps the work dir (controller log weft.log, results.md). BENCH_JFR=1 records the controller with JFR
# (northbound-rest/target/bench.jfr) and prints where its CPU went (bench-hotspots.py; it adds some overhead).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"
work=$(mktemp -d /tmp/weft-bench-XXXXXX)
bench_pid=
cleanup() {
    trap - EXIT INT TERM
    if [ -n "$bench_pid" ] && kill -0 "$bench_pid" 2>/dev/null; then
        kill -TERM "$bench_pid" 2>/dev/null || true   # its shutdown hooks close the bed and stop the controller
        for _ in $(seq 1 30); do kill -0 "$bench_pid" 2>/dev/null || break; sleep 1; done
        kill -KILL "$bench_pid" 2>/dev/null || true
    fi
    # If the bench JVM died without its hooks, stop the controller it started (the bed's launcher tears itself down
    # when its stdin closes).
    if [ -f "$work/weft.pid" ]; then
        pid=$(cat "$work/weft.pid")
        if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; sleep 2; kill -KILL "$pid" 2>/dev/null || true; fi
    fi
    if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench: work dir kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mvn -q -o -pl northbound-rest test-compile
mvn -q -o -pl northbound-rest dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt"
if [ "${BENCH_JFR:-0}" = 1 ]; then
    export WEFT_JAVA_OPTS="${WEFT_JAVA_OPTS:-} -XX:StartFlightRecording=filename=$work/weft.jfr,settings=profile,dumponexit=true"
fi
cp="northbound-rest/target/test-classes:northbound-rest/target/classes:$(cat "$work/cp.txt")"
java -cp "$cp" io.weft.bench.ControllerBench --work-dir "$work/run" --weft bin/weft "$@" &
bench_pid=$!
status=0
wait "$bench_pid" || status=$?
bench_pid=
[ -f "$work/run/results.md" ] && cp "$work/run/results.md" northbound-rest/target/bench-results.md
if [ -f "$work/weft.jfr" ]; then
    cp "$work/weft.jfr" northbound-rest/target/bench.jfr
    /usr/bin/python3 northbound-rest/bench-hotspots.py northbound-rest/target/bench.jfr || true
fi
exit "$status"
