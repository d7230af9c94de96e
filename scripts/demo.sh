#!/usr/bin/env bash
# Weft's demo. As root on Debian 12:
#   scripts/demo.sh            build Weft, start the controller and a 3-host test bed, provision red and green,
#                              show cross-host pings and isolation; leaves everything running
#   scripts/demo.sh exec C CMD run CMD in container C (red1..red3, green1..green3), e.g. exec red1 ping 10.65.10.3
#   scripts/demo.sh ovs H ARGS ovs-vsctl ARGS on host H (h1..h3), e.g. ovs h1 show
#   scripts/demo.sh flows H    ovs-ofctl -O OpenFlow13 dump-flows br-int on host H
#   scripts/demo.sh docker     also run dockerd and Weft's Docker agent on h1..h3, create networks with docker, docker
#                              run on two hosts, a cross-host ping, isolation (starts the demo first if needed)
#   scripts/demo.sh docker H ARGS  the docker CLI on host H, e.g. docker h2 run --rm --network dred busybox:local ...
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
    for h in h1 h2 h3; do
        if [ -f "$STATE/agent-$h.pid" ]; then kill "$(cat "$STATE/agent-$h.pid")" 2>/dev/null || true; fi
        if [ -d "$STATE/docker-$h" ]; then ./scripts/docker-host.sh stop "$STATE/docker-$h" || true; fi
    done
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
  http://127.0.0.1:8080/                      # the live topology page (from another machine: an SSH tunnel to it)
  bin/weft host ls ; bin/weft network ls ; bin/weft endpoint ls
  bin/weft trace red red1 10.65.10.4          # why red1 never reaches green3's address
  bin/weft events                             # follow what Weft does (Ctrl-C to stop)
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

dk() { local h=$1; shift; /usr/bin/docker -H "unix://$STATE/docker-$h/docker.sock" "$@"; }

docker_up() {
    [ -d "$STATE" ] || up
    for h in h1 h2 h3; do
        [ -d "$STATE/docker-$h" ] && continue
        pid=$(bed ".bed.hosts[] | select(.name==\"$h\") | .pid")
        echo "== $h: dockerd in its namespace, and Weft's agent: bin/weft docker-plugin --host $h (log: $STATE/agent-$h.log)"
        ./scripts/docker-host.sh start "$pid" "$STATE/docker-$h"
        setsid bin/weft docker-plugin --controller http://127.0.0.1:8080 --host "$h" \
            --socket "$STATE/docker-$h/plugins/weft.sock" --docker "$STATE/docker-$h/docker.sock" \
            --netns "/proc/$pid/ns/net" --state-dir "$STATE/agent-$h" > "$STATE/agent-$h.log" 2>&1 < /dev/null &
        echo $! > "$STATE/agent-$h.pid"
    done
    echo "== networks made with docker on h1 (Weft mirrors them into every host's dockerd)"
    for _ in $(seq 50); do
        dk h1 network create -d weft --ipam-driver weft --subnet 10.66.0.0/24 --gateway 10.66.0.1 dred >/dev/null 2>&1 \
            && break
        sleep 0.2   # the agent is still starting
    done
    dk h1 network create -d weft --ipam-driver weft --subnet 10.66.0.0/24 -o encap=gre dgreen >/dev/null
    for _ in $(seq 50); do dk h3 network ls --format '{{.Name}}' | grep -qx dgreen && break; sleep 0.1; done
    echo "   on h3: $(dk h3 network ls --filter driver=weft --format '{{.Name}}' | tr '\n' ' ')"
    echo "== docker run on h1 and h2"
    dk h1 run -d --name web1 --network dred --ip 10.66.0.10 busybox:local httpd -f -p 80 >/dev/null
    dk h2 run -d --name green2 --network dgreen --ip 10.66.0.20 busybox:local sleep 3600 >/dev/null
    echo "   web1 on h1 in dred: 10.66.0.10; green2 on h2 in dgreen: 10.66.0.20 (same subnet, other network)"
    if dk h2 run --rm --network dred busybox:local ping -c 1 -W 1 10.66.0.10 >/dev/null; then
        echo "   ok      a new container on h2 in dred -> web1 on h1: its very first ping is answered"
    else echo "   FAILED  h2 (dred) -> web1" >&2; exit 1; fi
    # No container of this bed sent GRE from h3 to h2 yet: OVS may drop the first packet while it resolves the
    # underlay neighbour (see show_ping), so a few tries.
    for try in 1 2 3 4 5; do
        dk h3 run --rm --network dgreen busybox:local ping -c 1 -W 1 10.66.0.20 >/dev/null && break
        [ "$try" = 5 ] && { echo "   FAILED  h3 (dgreen) -> green2" >&2; exit 1; }
    done
    echo "   ok      a new container on h3 in dgreen -> green2 on h2 (GRE, first tunnel h3 -> h2: try $try)"
    if dk h3 run --rm --network dgreen busybox:local ping -c 3 -W 1 10.66.0.10 >/dev/null 2>&1; then
        echo "   LEAK    dgreen reached web1 in dred" >&2; exit 1
    fi
    echo "   blocked h3 in dgreen -> 10.66.0.10 (web1, dred): networks are isolated by VNI, even on equal subnets"
    ip=10.66.0.10
    cat <<EOT

Docker on h1..h3 uses Weft. Try:
  scripts/demo.sh docker h3 network ls
  scripts/demo.sh docker h2 run --rm --network dred busybox:local ping -c 3 $ip
  curl -s $API/networks/dred/endpoints | jq
  scripts/demo.sh docker h1 rm -f web1        # its flows vanish from every host
  scripts/demo.sh down
EOT
}

case "${1:-up}" in
    docker) if [ $# -ge 3 ]; then h=$2; shift 2; dk "$h" "$@"; else docker_up; fi ;;
    up) up ;;
    down) down ;;
    exec) c=$2; shift 2; in_container "$c" "$@" ;;
    ovs) h=$2; shift 2; ovs-vsctl --db="unix:$(host_dir "$h")/db.sock" "$@" ;;
    flows) ovs-ofctl -O OpenFlow13 dump-flows "unix:$(host_dir "$2")/br-int.mgmt" ;;
    *) sed -n '2,9p' "$0"; exit 2 ;;
esac
