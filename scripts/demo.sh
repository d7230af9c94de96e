#!/usr/bin/env bash
# Weft's demo. As root on Debian 12:
#   scripts/demo.sh            build Weft, start the controller and a 3-host test bed, provision red and green,
#                              show cross-host pings and isolation; leaves everything running
#   scripts/demo.sh exec C CMD run CMD in container C (red1..red3, green1..green3), e.g. exec red1 ping 10.65.10.3
#   scripts/demo.sh ovs H ARGS ovs-vsctl ARGS on host H (h1..h3), e.g. ovs h1 show
#   scripts/demo.sh flows H    ovs-ofctl -O OpenFlow13 dump-flows br-int on host H
#   scripts/demo.sh down       stop and remove everything the demo made
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=/run/weft-demo
API=http://127.0.0.1:8080/api/v1

bed() { jq -r "$1" "$STATE/bed.json"; }
host_dir() { bed ".bed.hosts[] | select(.name==\"$1\") | .runDir"; }
container_pid() { bed ".bed.containers[] | select(.name==\"$1\") | .pid"; }
in_container() { local c=$1; shift; nsenter --net="/proc/$(container_pid "$c")/ns/net" "$@"; }

down() {
    [ -d "$STATE" ] || { echo "demo: nothing running"; return 0; }
    if [ -f "$STATE/weft.pid" ]; then
        kill "$(cat "$STATE/weft.pid")" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$(cat "$STATE/weft.pid")" 2>/dev/null || break; sleep 0.1; done
    fi
    # Closing the launcher's stdin tears the whole bed down (namespaces, OVS daemons, run directories).
    if [ -f "$STATE/holder.pid" ]; then kill "$(cat "$STATE/holder.pid")" 2>/dev/null || true; fi
    if [ -f "$STATE/launcher.pid" ]; then
        for _ in $(seq 100); do kill -0 "$(cat "$STATE/launcher.pid")" 2>/dev/null || break; sleep 0.1; done
        kill "$(cat "$STATE/launcher.pid")" 2>/dev/null || true
    fi
    rm -rf "$STATE"
    echo "demo: stopped and removed"
}

post() {
    local path=$1 body=$2 out
    out=$(curl -sS -X POST -H 'Content-Type: application/json' -d "$body" -w '\n%{http_code}' "$API$path")
    local code=${out##*$'\n'}
    if [ "${code:0:1}" != 2 ]; then echo "demo: POST $path failed ($code): ${out%$'\n'*}" >&2; exit 1; fi
    echo "${out%$'\n'*}"
}

up() {
    [ ! -d "$STATE" ] || { echo "demo: already running; 'scripts/demo.sh down' first" >&2; exit 1; }
    ./scripts/install-deps.sh
    echo "== building Weft"
    mvn -q -B -ntp -DskipTests package
    mkdir -p "$STATE"

    echo "== starting the test bed: 3 hosts (own ovsdb-server + ovs-vswitchd each), 2 underlay LANs, routers"
    mkfifo "$STATE/bed.in"
    setsid sleep infinity > "$STATE/bed.in" 2>/dev/null < /dev/null & echo $! > "$STATE/holder.pid"
    setsid /usr/bin/python3 test-topologies/src/main/python/weftbed/launcher.py "$(cat scripts/demo-topology.json)" \
        < "$STATE/bed.in" > "$STATE/bed.json" 2> "$STATE/bed.log" & echo $! > "$STATE/launcher.pid"
    for _ in $(seq 120); do [ -s "$STATE/bed.json" ] && break; sleep 0.5; done
    [ "$(bed .ok)" = true ] || { echo "demo: test bed failed: $(cat "$STATE/bed.json" "$STATE/bed.log")" >&2; down; exit 1; }

    echo "== starting the controller (log: $STATE/weft.log)"
    setsid bin/weft controller --rest-listen 127.0.0.1:8080 --openflow-listen "unix:$STATE/openflow.sock" \
        --data-dir "$STATE/data" > "$STATE/weft.log" 2>&1 < /dev/null & echo $! > "$STATE/weft.pid"
    for _ in $(seq 60); do curl -sf "$API/health" >/dev/null && break; sleep 0.5; done
    curl -sf "$API/health" >/dev/null || { echo "demo: controller did not start: $(cat "$STATE/weft.log")" >&2; down; exit 1; }

    echo "== registering hosts, networks and containers over REST"
    for h in $(bed '.bed.hosts[].name'); do
        post /hosts "$(jq -c --arg h "$h" '.bed.hosts[] | select(.name==$h) |
            {name, tunnelIp, ovsdb: .ovsdbTarget, datapathType, openflow: ("punix:" + .runDir + "/br-int.weft")}' "$STATE/bed.json")" >/dev/null
        echo "   host $h"
    done
    for n in red green; do
        post "/networks?wait=true" "{\"name\":\"$n\",\"encap\":\"vxlan\",\"subnets\":[{\"cidr\":\"10.65.10.0/24\",\"gateway\":\"10.65.10.254\"}]}" \
            | jq -r '"   network \(.name): VNI \(.vni), MTU \(.mtu)"'
    done
    for c in $(bed '.bed.containers[].name'); do
        body=$(jq -c --arg c "$c" '.bed.containers[] | select(.name==$c) | {name, host, port: .hostInterface, ip, mac}' "$STATE/bed.json")
        net=$(bed ".bed.containers[] | select(.name==\"$c\") | .network")
        post "/networks/$net/endpoints?wait=true" "$body" \
            | jq -r '"   \(.network)/\(.name) on \(.host): \(.ip) \(.mac), flows on every host in \(.installedInMs | floor) ms"'
    done

    echo "== pings across hosts (red1 on h1 behind r1, red2 on h2 behind r2)"
    show_ping red1 10.65.10.2 "red1 -> red2 (h1 -> h2, VXLAN through two routers)"
    show_ping red1 10.65.10.3 "red1 -> red3 (h1 -> h3)"
    show_ping green2 10.65.10.1 "green2 -> green1 (same IP as red1, but green's)"
    show_ping red1 10.65.10.254 "red1 -> its gateway (answered by Weft's flows on h1)"
    echo "== isolation: red and green share 10.65.10.0/24 but never exchange a packet"
    show_ping red1 10.65.10.4 "red1 -> 10.65.10.4 (green3's address)" expect-fail
    cat <<EOT

Weft is running. Try:
  curl -s $API/hosts | jq
  curl -s $API/networks/red/endpoints | jq
  curl -s "$API/hosts/h1/flows?format=text"
  scripts/demo.sh ovs h1 show                 # what Weft built on h1 (br-int, tunnels, ports)
  scripts/demo.sh flows h1                    # ovs-ofctl -O OpenFlow13 dump-flows br-int on h1
  scripts/demo.sh exec red1 ping -c 3 10.65.10.3
  curl -s -X DELETE "$API/networks/red/endpoints/red3?wait=true"   # red3's flows vanish everywhere
  scripts/demo.sh down                        # remove everything
EOT
}

show_ping() {
    # The first packet toward a new tunnel peer may be dropped while OVS resolves the underlay neighbour, so a
    # reachable address gets up to 10 tries; an isolated one must not answer any of 3 pings.
    local c=$1 ip=$2 what=$3 expect=${4:-}
    if [ -n "$expect" ]; then
        if in_container "$c" ping -c 3 -W 1 "$ip" >/dev/null 2>&1; then echo "   LEAK    $what" >&2; exit 1; fi
        echo "   blocked $what"
        return
    fi
    for _ in $(seq 10); do
        if in_container "$c" ping -c 1 -W 1 "$ip" >/dev/null 2>&1; then echo "   ok      $what"; return; fi
    done
    echo "   FAILED  $what" >&2
    exit 1
}

case "${1:-up}" in
    up) up ;;
    down) down ;;
    exec) c=$2; shift 2; in_container "$c" "$@" ;;
    ovs) h=$2; shift 2; ovs-vsctl --db="unix:$(host_dir "$h")/db.sock" "$@" ;;
    flows) ovs-ofctl -O OpenFlow13 dump-flows "unix:$(host_dir "$2")/br-int.mgmt" ;;
    *) sed -n '2,9p' "$0"; exit 2 ;;
esac
