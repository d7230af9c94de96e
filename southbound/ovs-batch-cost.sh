#!/bin/bash
# What one small OpenFlow 1.4 batch costs ovs-vswitchd in CPU (userspace datapath), by number of internal ports
# (0, 221), flows already installed (0, 5000), and how the batch is sent (ovs-ofctl with and without --bundle and
# --no-names; a persistent-connection client sending raw bundles or flow-mods plus a barrier). BENCHMARKS.md.
# Usage, as root: southbound/ovs-batch-cost.sh [ITER]   (default 300 iterations = 600 batches per case; ~4 min)
#        southbound/ovs-batch-cost.sh --tiny: 1 iteration, 0 and 2 ports, 10 flows, no settling pauses (proves the
#        script works; its figures mean nothing)
# Creates netns ovscost-PID and ${TMPDIR:-/tmp}/ovscost-PID and removes both on exit, also on failure.
set -u
ITER=${1:-300}
PORT_COUNTS="0 221" FLOWS=5000 IDLE_S=10 SETTLE_S=2 COV_ITER=100 IDLE_COV_S=5
if [ "$ITER" = --tiny ]; then
  ITER=1 PORT_COUNTS="0 2" FLOWS=10 IDLE_S=1 SETTLE_S=0 COV_ITER=2 IDLE_COV_S=1
fi
NS=ovscost-$$
D=${TMPDIR:-/tmp}/ovscost-$$
OVS_HOST=$(cd "$(dirname "$0")/.." && pwd)/test-topologies/src/main/python/weftbed/ovs-host.sh
HZ=$(getconf CLK_TCK)
export OVS_RUNDIR=$D OVS_LOGDIR=$D OVS_DBDIR=$D
DBP= VSP=

cleanup() {
  [ -d "$D" ] && sh "$OVS_HOST" stop "$D"
  VSP= DBP=
  ip netns del "$NS" 2>/dev/null
  rm -rf "$D"
}
trap cleanup EXIT

cpu()  { awk '{print $14+$15}' /proc/$VSP/stat; }        # vswitchd utime+stime, ticks
now()  { date +%s%N; }
vsctl(){ ovs-vsctl --db=unix:$D/db.sock --timeout=120 "$@"; }
OFC="ovs-ofctl -O OpenFlow14"
BR=unix:$D/br-int.mgmt

start_host() {   # $1 = number of internal ports
  ip netns add "$NS"
  mkdir -p "$D"
  ip netns exec "$NS" sh "$OVS_HOST" start-ovsdb "$D"
  DBP=$(cat "$D/ovsdb.pid")
  ip netns exec "$NS" sh "$OVS_HOST" start-vswitchd "$D"
  VSP=$(cat "$D/vswitchd.pid")
  vsctl add-br br-int -- set Bridge br-int datapath_type=netdev fail_mode=secure \
        protocols=OpenFlow13,OpenFlow14
  if [ "$1" -gt 0 ]; then
    args=()
    for i in $(seq 1 "$1"); do
      args+=(-- add-port br-int p$i -- set Interface p$i type=internal)
    done
    t0=$(now); vsctl "${args[@]}"; t1=$(now)
    echo "# added $1 internal ports in one transaction: $(( (t1-t0)/1000000 )) ms"
  fi
  sleep "$SETTLE_S"
}

load_flows() {   # $1 = count
  awk -v n="$1" 'BEGIN{for(i=0;i<n;i++) printf "table=0,priority=100,dl_dst=02:42:0a:00:%02x:%02x,actions=output:1\n", int(i/256), i%256}' > $D/bulk.txt
  $OFC --bundle add-flows $BR $D/bulk.txt
  sleep "$SETTLE_S"
}

# 3 new flows, and their strict delete
mkfiles() {
  printf 'table=0,priority=200,dl_dst=02:99:00:00:00:0%d,actions=output:1\n' 1 2 3 > $D/add.txt
  printf 'table=0,priority=200,dl_dst=02:99:00:00:00:0%d\n' 1 2 3 > $D/del.txt
}

idle() {   # $1 = seconds
  c0=$(cpu); sleep "$1"; c1=$(cpu)
  awk -v c=$((c1-c0)) -v s="$1" -v hz=$HZ 'BEGIN{printf "%.2f", c*1000/hz/s}'   # ms CPU per s
}

covsnap() { ovs-appctl -t $D/vswitchd.ctl coverage/show | awk '/total:/{print $1, $NF}' | sort; }


# Minimal persistent OpenFlow 1.4 client (like a controller's long-lived connection): HELLO once, then per
# iteration one bundle (OPEN, 3x ADD flow_mod, COMMIT) adding 3 flows and one bundle deleting them (strict).
# mode "plain": the same 6 flow-mods as plain FLOW_MODs, each batch followed by one BARRIER.
write_client() {
cat > $D/ofclient.py <<'PY'
import socket, struct, sys
path, iters, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
cmds = (0,) if mode.endswith('-addonly') else (0, 4)   # self-test: leave the flows in place
mode = mode.replace('-addonly', '')
V = 5  # OF1.4
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(path)
xid = [0]
def msg(t, body):
    xid[0] += 1
    return struct.pack('!BBHI', V, t, 8 + len(body), xid[0]) + body
buf = b''
def recv_until(t):
    global buf
    while True:
        while len(buf) >= 8:
            v, mt, ln, x = struct.unpack('!BBHI', buf[:8])
            if len(buf) < ln: break
            m, buf = buf[:ln], buf[ln:]
            if mt == 1: raise SystemExit('OFPT_ERROR %r' % m.hex())
            if mt == 2: s.sendall(struct.pack('!BBHI', V, 3, ln, x) + m[8:]); continue
            if mt == t: return m
        d = s.recv(65536)
        if not d: raise SystemExit('closed')
        buf += d
def flow_mod(cmd, mac):
    oxm = struct.pack('!I', 0x80000606) + mac                       # OXM eth_dst
    match = struct.pack('!HH', 1, 4 + len(oxm)) + oxm; match += b'\0' * (-len(match) % 8)
    inst = b''
    if cmd == 0:  # ADD: apply_actions(output:1)
        out = struct.pack('!HHIH6x', 0, 16, 1, 0xffff)
        inst = struct.pack('!HH4x', 4, 8 + len(out)) + out
    body = struct.pack('!QQBBHHHIIIHH', 0, 0, 0, cmd, 0, 0, 200, 0xffffffff, 0xffffffff, 0xffffffff, 0, 0)
    return msg(14, body + match + inst)
macs = [bytes([2, 0x99, 0, 0, 0, i]) for i in (1, 2, 3)]
s.sendall(msg(0, b'')); recv_until(0)
bid = 0
for it in range(iters):
    for cmd in cmds:                                                # ADD, DELETE_STRICT
        fms = [flow_mod(cmd, m) for m in macs]
        if mode == 'bundle':
            bid += 1
            s.sendall(msg(33, struct.pack('!IHH', bid, 0, 1))); recv_until(33)          # OPEN, atomic
            adds = []
            for fm in fms:                      # BUNDLE_ADD must carry the inner message's xid
                body = struct.pack('!IHH', bid, 0, 1) + fm
                adds.append(struct.pack('!BBHI', V, 34, 8 + len(body), struct.unpack('!I', fm[4:8])[0]) + body)
            s.sendall(b''.join(adds))
            s.sendall(msg(33, struct.pack('!IHH', bid, 4, 1))); recv_until(33)          # COMMIT
        else:
            s.sendall(b''.join(fms) + msg(20, b'')); recv_until(21)                     # BARRIER
s.close()
PY
}

measure() {   # $1=label  $2=mode: bundle|plain|bundle-nn|plain-nn|probe  (-nn = ovs-ofctl --no-names)
  local opt=
  case $2 in bundle) opt=--bundle;; plain) opt=;; bundle-nn) opt="--bundle --no-names";; plain-nn) opt=--no-names;; esac
  local c0 t0 c1 t1 it=$ITER
  case $2 in pers-*) it=$((ITER*10));; esac   # cheap per op: more ops for tick resolution
  c0=$(cpu); t0=$(now)
  for ((i=0;i<it;i++)); do
    if [ "$2" = probe ]; then
      $OFC probe $BR >/dev/null; $OFC probe $BR >/dev/null
    elif [ "$2" = pers-bundle ] || [ "$2" = pers-plain ]; then
      python3 $D/ofclient.py $D/br-int.mgmt $it ${2#pers-} || echo "ofclient failed"; break
    else
      $OFC $opt add-flows $BR $D/add.txt
      $OFC $opt --strict del-flows $BR - < $D/del.txt
    fi
  done
  t1=$(now); c1=$(cpu)
  local n=$((it*2))
  local nflows; nflows=$($OFC dump-aggregate $BR | sed -n 's/.*flow_count=\([0-9]*\).*/\1/p')
  awk -v l="$1" -v m="$2" -v c=$((c1-c0)) -v w=$((t1-t0)) -v n=$n -v hz=$HZ -v ir="$IDLE_RATE" -v f="$nflows" 'BEGIN{
    cpu_ms=c*1000/hz; wall_ms=w/1e6;
    net=cpu_ms-ir*wall_ms/1000; if(net<0)net=0;
    printf "%-20s %-9s ops=%d wall/op=%6.2fms  vswitchd cpu/op=%6.3fms  net-of-idle=%6.3fms  util=%3.0f%%  flows_after=%s\n",
      l, m, n, wall_ms/n, cpu_ms/n, net/n, 100*cpu_ms/wall_ms, f }'
}

run_config() {   # $1 = ports
  start_host "$1"
  mkfiles; write_client
  IDLE_RATE=$(idle "$IDLE_S")
  echo "# ports=$1 idle vswitchd CPU over $IDLE_S s: $IDLE_RATE ms/s"
  for m in bundle plain bundle-nn plain-nn probe pers-bundle pers-plain; do measure "ports=$1 flows=0" $m; done
  load_flows "$FLOWS"
  for m in bundle plain bundle-nn plain-nn pers-bundle pers-plain; do measure "ports=$1 flows=$FLOWS" $m; done
  if [ "$1" -gt 0 ]; then
    # coverage counters around COV_ITER iterations (2 bundles each) only, and around IDLE_COV_S s idle for
    # reference (coverage totals are folded in about once a second: settle before each snapshot)
    for opt in "--bundle --no-names" "--bundle"; do
      sleep "$SETTLE_S"; covsnap > $D/cov0; t0=$(now)
      for ((i=0;i<COV_ITER;i++)); do
        $OFC $opt add-flows $BR $D/add.txt; $OFC $opt --strict del-flows $BR - < $D/del.txt
      done
      t1=$(now); sleep "$SETTLE_S"; covsnap > $D/cov1
      echo "# coverage deltas, ports=$1 flows=$FLOWS, $((2 * COV_ITER)) x 'ovs-ofctl $opt' in $(( (t1-t0)/1000000 )) ms + settle (top 20):"
      join -a2 -e 0 -o 0,1.2,2.2 $D/cov0 $D/cov1 | awk -v n=$((2 * COV_ITER)) '{d=$3-$2; if(d>0) printf "   %-32s %10d  %10.2f/bundle\n", $1, d, d/n}' | sort -k2 -nr | head -20
    done
    sleep "$SETTLE_S"
    covsnap > $D/cov2; sleep "$IDLE_COV_S"; covsnap > $D/cov3
    echo "# coverage deltas, same host idle for $IDLE_COV_S s (top 10):"
    join -a2 -e 0 -o 0,1.2,2.2 $D/cov2 $D/cov3 | awk '{d=$3-$2; if(d>0) printf "   %-32s %10d\n", $1, d}' | sort -k2 -nr | head -10
  fi
  cleanup
}

threads() { for t in /proc/$VSP/task/*; do echo "$(cat $t/comm) $(awk '{print $14+$15}' $t/stat)"; done | sort; }

diag() {   # MODE=diag: where does the time go? per-thread CPU and a perf profile, ports=$1
  start_host "$1"; mkfiles; load_flows 5000
  threads > $D/th0
  ( perf record -q -g -p $VSP -o $D/perf.data -- sleep 8 >/dev/null 2>&1 ) &
  local pp=$!
  sleep 0.5
  for ((i=0;i<100;i++)); do
    $OFC --bundle add-flows $BR $D/add.txt; $OFC --bundle --strict del-flows $BR - < $D/del.txt
  done
  threads > $D/th1
  wait $pp
  echo "# per-thread vswitchd CPU ticks for 200 bundles (ports=$1):"
  join $D/th0 $D/th1 | awk '{d=$3-$2; if(d>0) printf "   %-20s %5d ticks\n", $1, d}'
  echo "# perf top symbols (self):"
  perf report -i $D/perf.data --no-children --sort comm,dso,sym --stdio 2>/dev/null | grep -v '^#' | grep '%' | head -25
  echo "# perf top symbols (children):"
  perf report -i $D/perf.data --children --sort sym --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -30
  cleanup
}

trace() {   # MODE=trace: which OpenFlow messages does one ovs-ofctl call exchange?
  start_host "$1"; mkfiles
  for opt in --bundle "" "--bundle --no-names" --no-names; do
    echo "# messages of one 'ovs-ofctl $opt add-flows' (ports=$1): count direction type"
    $OFC $opt -vvconn:dbg -vconsole:dbg add-flows $BR $D/add.txt 2>&1 > /dev/null |
      grep -oE '(sent \(Success\)|received): [A-Z_0-9]+( (request|reply))?' | sort | uniq -c
    $OFC $opt --strict del-flows $BR - < $D/del.txt
  done
  cleanup
}

selftest() {   # MODE=selftest: the raw client really adds and deletes the flows
  start_host 0; mkfiles; write_client
  for m in bundle plain; do
    python3 $D/ofclient.py $D/br-int.mgmt 1 $m-addonly
    echo "# after $m add-only: $($OFC dump-flows --no-stats $BR | grep -c 02:99)"
    python3 $D/ofclient.py $D/br-int.mgmt 1 $m
    echo "# after $m add+delete: $($OFC dump-flows --no-stats $BR | grep -c 02:99)"
    $OFC del-flows $BR
  done
  cleanup
}

if [ "${MODE:-all}" = selftest ]; then
  selftest
elif [ "${MODE:-all}" = trace ]; then
  trace "${PORTS:-221}"
elif [ "${MODE:-all}" = diag ]; then
  diag "${PORTS:-221}"
else
  for ports in $PORT_COUNTS; do run_config "$ports"; done
fi
