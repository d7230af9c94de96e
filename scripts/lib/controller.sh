# Sourced by scripts that need a Weft controller of their own (topology-checks.sh, bench-smoke.sh):
#   start_controller WORK-DIR    bin/weft on a free loopback port, OpenFlow on unix:WORK-DIR/of.sock, state in
#                                WORK-DIR/data, log in WORK-DIR/controller.log; sets controller_pid and weft_url;
#                                returns 1 (log tail on stderr) when it does not answer within 90 s
#   stop_controller              SIGTERM, SIGKILL after 20 s; idempotent
# Needs the tree built (bin/weft says how).
controller_pid=
weft_url=

start_controller() {
    local work=$1 root port deadline
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    weft_url=http://127.0.0.1:$port
    "$root/bin/weft" controller --rest-listen "127.0.0.1:$port" --openflow-listen "unix:$work/of.sock" \
        --data-dir "$work/data" --log-level info >"$work/controller.log" 2>&1 &
    controller_pid=$!
    deadline=$((SECONDS + 90))
    until curl -fsS "$weft_url/api/v1/health" >/dev/null 2>&1; do
        if ! kill -0 "$controller_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
            echo "the controller did not come up at $weft_url; its log ($work/controller.log):" >&2
            tail -n 40 "$work/controller.log" >&2
            stop_controller
            return 1
        fi
        sleep 0.2
    done
}

stop_controller() {
    if [ -n "$controller_pid" ] && kill -0 "$controller_pid" 2>/dev/null; then
        kill -TERM "$controller_pid"
        for _ in $(seq 1 100); do kill -0 "$controller_pid" 2>/dev/null || break; sleep 0.2; done
        if kill -0 "$controller_pid" 2>/dev/null; then
            echo "controller $controller_pid ignored SIGTERM, killing it" >&2
            kill -KILL "$controller_pid"
        fi
        wait "$controller_pid" 2>/dev/null
    fi
    controller_pid=
}
