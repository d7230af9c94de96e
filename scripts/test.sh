#!/usr/bin/env bash
# The whole test suite: unit tests, integration tests on real Open vSwitch in network namespaces, the Mininet
# topology checks, and every benchmark at its smallest size. Run as root on Debian 12. Installs what is missing first.
# Ends by checking that the suite left nothing behind (see leftovers below); exit status 1 if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh || exit 1

# Everything the suite makes goes into a directory of its own ($TMPDIR for scripts and Python, java.io.tmpdir for the
# tests' JVMs) and every process it starts carries WEFT_SUITE in its environment, so what it leaves behind can be told
# apart from what other people's runs have on this machine.
suite=$(mktemp -d /tmp/weft-suite-XXXXXXXX)
export TMPDIR=$suite WEFT_SUITE=$suite

# Network interfaces in the root namespace: the suite creates none there that outlive a test (OVS sandboxes in the
# root namespace remove their tap devices on close).
root_links() {
    ip -o link show 2>/dev/null | awk -F': ' '{sub(/@.*/, "", $2); print $2}' | sort
}
links_before=$(root_links)

status=0
mvn -B -ntp verify -DskipITs=false -Dweft.test.tmpdir="$suite" || status=1
if [ "$status" -eq 0 ]; then
    ./scripts/topology-checks.sh || status=1
    ./scripts/bench-smoke.sh || status=1
fi

# What the suite itself left: files in its directory, processes that carry its mark (daemons, controllers, beds,
# whose namespaces live as long as they do), new interfaces in the root namespace. What is still on its way out (and
# other people's interfaces that came and go meanwhile) gets 10 s.
unset WEFT_SUITE
suite_processes() {
    local environ pid
    # /proc/PID/environ is what a process was started with: this script's own (exported after it started) and the
    # checker's commands (started after the unset) do not carry the mark.
    for environ in $(grep -lzxF "WEFT_SUITE=$suite" /proc/[0-9]*/environ 2>/dev/null); do
        pid=${environ#/proc/}
        pid=${pid%/environ}
        [ "$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -c1)" = Z ] && continue
        echo "process $pid: $(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | cut -c1-200)"
    done
}
new_links() {
    comm -13 <(echo "$links_before") <(root_links) | sed 's/^/interface in the root namespace: /'
}
deadline=$((SECONDS + 10))
while :; do
    left=$(suite_processes; new_links)
    if [ -z "$left" ] || [ "$SECONDS" -ge "$deadline" ]; then break; fi
    sleep 0.5
done
files=$(find "$suite" -mindepth 1 -maxdepth 2 2>/dev/null)
if [ -n "$left" ] || [ -n "$files" ]; then
    echo "test: the suite left things behind:" >&2
    [ -n "$left" ] && echo "$left" >&2
    [ -n "$files" ] && echo "files in $suite:" >&2 && echo "$files" >&2
    status=1
else
    rmdir "$suite"
fi
if [ "$status" -eq 0 ]; then
    echo "test: all passed, nothing left behind"
else
    echo "test: FAILED (see above)" >&2
fi
exit "$status"
