#!/bin/sh
# Starts and stops one Open vSwitch "host" whose files all live in one directory DIR: conf.db, db.sock,
# ovsdb.{pid,ctl,log}, vswitchd.{pid,ctl,log} and the bridges' .mgmt sockets. The one start-up shared by the Java
# fixture (io.weft.testbed.OvsSandbox), the Mininet bed (weftbed/nodes.py) and the shell benchmarks.
# Run it inside the network namespace the daemon belongs in: paths are the same from every namespace.
#
#   ovs-host.sh start-ovsdb DIR [--system-id=ID] [OVSDB-SERVER OPTION...]
#       creates DIR/conf.db unless it exists, starts ovsdb-server on unix:DIR/db.sock (plus the managers in the
#       database and any --remote=, --private-key=, --certificate=, --ca-cert= given) and initialises the database
#   ovs-host.sh start-vswitchd DIR
#   ovs-host.sh stop DIR [vswitchd|ovsdb]...
#       by pidfile (never by name: other people's OVS runs on the same machine): ovs-vswitchd through
#       `ovs-appctl exit --cleanup`, ovsdb-server by SIGTERM; SIGKILL after 5 s. Without a daemon named, both.
set -eu
SCHEMA=${OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}

if [ $# -lt 2 ]; then
    echo "usage: ovs-host.sh start-ovsdb|start-vswitchd|stop DIR [...]" >&2
    exit 2
fi
cmd=$1
dir=$2
shift 2
# Else the bridges' .mgmt sockets of every host collide in /var/run/openvswitch.
export OVS_RUNDIR="$dir" OVS_LOGDIR="$dir" OVS_DBDIR="$dir"

start_ovsdb() {
    system_id=
    n=$#
    while [ "$n" -gt 0 ]; do   # take --system-id out, pass everything else to ovsdb-server
        arg=$1
        shift
        n=$((n - 1))
        case $arg in
            --system-id=*) system_id=${arg#--system-id=} ;;
            *) set -- "$@" "$arg" ;;
        esac
    done
    [ -f "$dir/conf.db" ] || ovsdb-tool create "$dir/conf.db" "$SCHEMA"
    ovsdb-server "$dir/conf.db" --remote=punix:"$dir/db.sock" --remote=db:Open_vSwitch,Open_vSwitch,manager_options \
        --pidfile="$dir/ovsdb.pid" --unixctl="$dir/ovsdb.ctl" --log-file="$dir/ovsdb.log" -vconsole:off --detach "$@"
    if [ -n "$system_id" ]; then
        ovs-vsctl --db=unix:"$dir/db.sock" --timeout=30 --no-wait init \
            -- set Open_vSwitch . external_ids:system-id="$system_id"
    else
        ovs-vsctl --db=unix:"$dir/db.sock" --timeout=30 --no-wait init
    fi
}

start_vswitchd() {
    ovs-vswitchd unix:"$dir/db.sock" --pidfile="$dir/vswitchd.pid" --unixctl="$dir/vswitchd.ctl" \
        --log-file="$dir/vswitchd.log" -vconsole:off --detach
}

running() {   # alive and not a zombie
    kill -0 "$1" 2>/dev/null || return 1
    state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
    [ "$state" != Z ]
}

stop_one() {   # $1 = vswitchd | ovsdb
    pidfile=$dir/$1.pid
    pid=$(cat "$pidfile" 2>/dev/null) || return 0
    case $pid in '' | *[!0-9]*) return 0 ;; esac
    # A pidfile left by a killed daemon may name a pid the system gave to someone else since.
    case $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) in
        *"--pidfile=$pidfile"*) ;;
        *) rm -f "$pidfile"; return 0 ;;
    esac
    # ovs-vswitchd is asked to exit --cleanup first: it then deletes the tap devices it made for internal ports and
    # the userspace datapath, which would otherwise outlive it (they persist) in the root namespace.
    if [ "$1" != vswitchd ] || ! ovs-appctl -t "$dir/vswitchd.ctl" --timeout=5 exit --cleanup >/dev/null 2>&1; then
        kill -TERM "$pid" 2>/dev/null || return 0
    fi
    i=0
    while running "$pid"; do
        i=$((i + 1))
        if [ "$i" -eq 250 ]; then kill -KILL "$pid" 2>/dev/null || true; fi
        if [ "$i" -ge 500 ]; then
            echo "ovs-host.sh: $1 (pid $pid) does not exit" >&2
            return 1
        fi
        sleep 0.02
    done
    rm -f "$pidfile"
}

case $cmd in
    start-ovsdb) start_ovsdb "$@" ;;
    start-vswitchd) start_vswitchd ;;
    stop)
        [ $# -gt 0 ] || set -- vswitchd ovsdb
        status=0
        for daemon; do
            case $daemon in
                vswitchd | ovsdb) stop_one "$daemon" || status=1 ;;
                *) echo "ovs-host.sh: unknown daemon '$daemon' (vswitchd, ovsdb)" >&2; status=2 ;;
            esac
        done
        exit $status
        ;;
    *)
        echo "ovs-host.sh: unknown command '$cmd' (start-ovsdb, start-vswitchd, stop)" >&2
        exit 2
        ;;
esac
