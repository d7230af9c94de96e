#!/usr/bin/env bash
# One dockerd per emulated host (a network namespace of the test bed), as the Docker tests, demo and benchmark use
# it. Debian's docker.io (/usr/sbin/dockerd, /usr/bin/docker). Run as root.
#   scripts/docker-host.sh start PID DIR   dockerd in the network namespace of process PID, everything under DIR:
#                                          data, exec root DIR/x, API socket DIR/docker.sock, log DIR/dockerd.log; its own
#                                          mount namespace shows DIR/plugins as /run/docker/plugins, so the host's
#                                          agent serves DIR/plugins/weft.sock to this daemon alone. Imports
#                                          busybox:local (Debian's busybox-static) and waits until the API answers.
#                                          Again after a stop of dockerd alone (kill DIR/docker.pid): the mount
#                                          namespace is kept by a holder process (DIR/mnt.pid), so the restarted
#                                          dockerd finds its containers' namespaces (--live-restore) where it left them.
#   scripts/docker-host.sh start PID DIR swarm   the same without --live-restore, which swarm mode refuses
#   scripts/docker-host.sh stop DIR        removes every container, stops dockerd (SIGTERM, then SIGKILL), removes DIR
#   scripts/docker-host.sh docker DIR ARGS the docker CLI against that daemon
set -euo pipefail
DOCKERD=/usr/sbin/dockerd
DOCKER=/usr/bin/docker

cli() { local dir=$1; shift; "$DOCKER" -H "unix://$dir/docker.sock" "$@"; }

# containerd makes its sockets under the exec root (the longest: containerd/containerd-debug.sock), and a unix socket
# path has at most 104 usable bytes here: check up front rather than let containerd time out.
check_path_length() {
    local longest="$1/x/containerd/containerd-debug.sock"
    if [ "${#longest}" -gt 104 ]; then
        echo "docker-host: $1 is too deep for containerd's sockets (${#longest} > 104 bytes): use a shorter DIR" >&2
        exit 1
    fi
}

start() {
    local pid=$1 dir=$2 restore=--live-restore
    [ "${3:-}" != swarm ] || restore=
    check_path_length "$dir"
    mkdir -p "$dir/plugins" /run/docker/plugins
    if ! { [ -f "$dir/mnt.pid" ] && kill -0 "$(cat "$dir/mnt.pid")" 2>/dev/null; }; then
        rm -f "$dir/mnt.pid"
        setsid nsenter --net="/proc/$pid/ns/net" unshare --mount --propagation private \
            sh -c 'mount --bind "$1/plugins" /run/docker/plugins && echo $$ > "$1/mnt.pid" && exec sleep infinity' \
            sh "$dir" >/dev/null 2>&1 </dev/null &
        for _ in $(seq 50); do [ -s "$dir/mnt.pid" ] && break; sleep 0.1; done
    fi
    # --live-restore: containers keep running while dockerd restarts; no bridge, no iptables: Weft is the network.
    # TMPDIR inside DIR: when dockerd finds its containerd unresponsive (a loaded machine) it has it dump its stacks
    # to a file in TMPDIR before restarting it; that file goes with DIR.
    mkdir -p "$dir/tmp"
    TMPDIR="$dir/tmp" setsid nsenter --net="/proc/$pid/ns/net" --mount="/proc/$(cat "$dir/mnt.pid")/ns/mnt" "$DOCKERD" \
        --data-root "$dir/data" --exec-root "$dir/x" -H "unix://$dir/docker.sock" --pidfile "$dir/docker.pid" \
        --bridge=none --iptables=false --ip-masq=false --storage-driver=vfs $restore \
        --containerd-namespace weft --log-level warn >>"$dir/dockerd.log" 2>&1 </dev/null &
    for _ in $(seq 150); do
        cli "$dir" version >/dev/null 2>&1 && break
        sleep 0.2
    done
    cli "$dir" version >/dev/null 2>&1 || { echo "docker-host: dockerd did not start; $dir/dockerd.log:" >&2
                                             tail -n 20 "$dir/dockerd.log" >&2; exit 1; }
    if ! cli "$dir" image inspect busybox:local >/dev/null 2>&1; then
        local root
        root=$(mktemp -d "$dir/image-XXXXXX")
        mkdir -p "$root/bin"
        cp /bin/busybox "$root/bin/"
        for applet in sh sleep ping ip ifconfig httpd nc nslookup wget cat ls kill true; do
            ln -s busybox "$root/bin/$applet"
        done
        tar -C "$root" -c . | cli "$dir" import - busybox:local >/dev/null
        rm -rf "$root"
    fi
}

stop() {
    local dir=$1 pid
    [ -d "$dir" ] || return 0
    if [ -S "$dir/docker.sock" ] && cli "$dir" version >/dev/null 2>&1; then
        local ids
        ids=$(cli "$dir" ps -aq)
        [ -z "$ids" ] || cli "$dir" rm -f $ids >/dev/null 2>&1 || true
    fi
    if [ -f "$dir/docker.pid" ]; then
        pid=$(cat "$dir/docker.pid")
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    # dockerd stops the containerd it started; if it was killed, that containerd is left: its pidfile names it.
    if [ -f "$dir/x/containerd/containerd.pid" ]; then
        kill -KILL "$(cat "$dir/x/containerd/containerd.pid")" 2>/dev/null || true
    fi
    if [ -f "$dir/mnt.pid" ]; then kill -KILL "$(cat "$dir/mnt.pid")" 2>/dev/null || true; fi
    rm -rf "$dir"
}

case "${1:-}" in
    start) start "$2" "$3" "${4:-}" ;;
    stop) stop "$2" ;;
    docker) dir=$2; shift 2; cli "$dir" "$@" ;;
    *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
