#!/usr/bin/env bash
# The controller benchmark of issue 5 (BENCHMARKS.md): announce latency with 10 hosts and 2,000 existing endpoints,
# 60 s of add/delete churn with a stale-flow audit, controller heap per endpoint. As root, from anywhere:
#   northbound-rest/bench.sh [--hosts 10] [--existing 2000] [--samples 300] [--warmup 30] [--networks 1]
#                            [--churn-rate 1000] [--churn-seconds 60] [--churn-threads 32] [--churn-slots 200]
#                            [--port-type internal]
#   northbound-rest/bench.sh --tiny: 2 hosts, 10 existing endpoints, 5 samples, 2 s of churn (proves it works)
# The restart benchmark of issues 18 and 11: SIGKILL and restart the controller, time it to every host in sync.
#   northbound-rest/bench.sh --restart [--hosts 10] [--endpoints 10000] [--bound-per-host 100] [--networks 1]
#                                      [--restarts 5] [--port-type internal]
#   northbound-rest/bench.sh --restart --tiny: 2 hosts, 20 endpoints, 2 restarts (proves it works)
# WEFT_JAVA_OPTS is passed to the controller's JVM (e.g. a JFR recording). Builds what it needs (the controller's jars
# for bin/weft, the bench's classes) through the reactor. Everything it makes (test bed, controller,
# ${TMPDIR:-/tmp}/weft-bench-*) goes away at the end, also on failure or Ctrl-C; the result tables are printed and
# copied to northbound-rest/target/bench-results.md (bench-restart-results.md).
# BENCH_KEEP=1 keeps the work dir (controller log weft.log, results.md). BENCH_JFR=1 records the controller with JFR
# (northbound-rest/target/bench.jfr) and prints where its CPU went (bench-hotspots.py; it adds some overhead); with
# --restart, each restarted controller up to every host in sync (northbound-rest/target/restart-N.jfr).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"
main=io.weft.bench.ControllerBench
results=bench-results.md
tiny=(--hosts 2 --existing 10 --samples 5 --warmup 2 --churn-rate 20 --churn-seconds 2 --churn-threads 2 --churn-slots 5)
if [ "${1:-}" = --restart ]; then
    shift
    main=io.weft.bench.RestartBench
    results=bench-restart-results.md
    tiny=(--hosts 2 --endpoints 20 --bound-per-host 2 --restarts 2)
fi
if [ "${1:-}" = --tiny ]; then
    shift
    set -- "${tiny[@]}" "$@"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/weft-bench-XXXXXX")
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
    if [ -f "$work/run/weft.pid" ]; then
        pid=$(cat "$work/run/weft.pid")
        if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; sleep 2; kill -KILL "$pid" 2>/dev/null || true; fi
    fi
    if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench: work dir kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "${BENCH_JFR:-0}" = 1 ]; then
    # The repository in the work dir too: a SIGKILLed controller leaves its recording's chunks there.
    export WEFT_JAVA_OPTS="${WEFT_JAVA_OPTS:-} -XX:FlightRecorderOptions=repository=$work/jfr \
        -XX:StartFlightRecording=filename=$work/weft.jfr,settings=profile,dumponexit=true"
    # A SIGKILLed controller dumps nothing: the restart bench dumps each restarted one once every host is in sync.
    [ "$main" = io.weft.bench.RestartBench ] && set -- "$@" --jfr-dir "$root/northbound-rest/target"
fi
# package: bin/weft runs the controller from the jars.
MVN_PHASE=package scripts/run-test-main.sh northbound-rest "$main" \
    --work-dir "$work/run" --weft bin/weft "$@" &
bench_pid=$!
status=0
wait "$bench_pid" || status=$?
bench_pid=
[ -f "$work/run/results.md" ] && cp "$work/run/results.md" "northbound-rest/target/$results"
if [ -f "$work/weft.jfr" ]; then
    cp "$work/weft.jfr" northbound-rest/target/bench.jfr
    /usr/bin/python3 northbound-rest/bench-hotspots.py northbound-rest/target/bench.jfr || true
fi
exit "$status"
