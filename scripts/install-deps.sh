#!/usr/bin/env bash
# Installs what Weft's build, demo and tests need on Debian 12, only what is missing, without prompts.
# Safe to run again: a machine that has everything gets no apt-get call at all.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: run as root (it installs Debian packages and the tests create network namespaces)" >&2
    exit 1
fi

packages=(
    openvswitch-switch openvswitch-common   # ovsdb-server, ovs-vswitchd, ovs-vsctl, ovs-ofctl
    mininet                                 # test bed and topology scripts (system python3)
    ovn-central ovn-host                    # OVN 23.03, the side-by-side reference of test-topologies/bench-vs-ovn.sh
    openvswitch-testcontroller              # Mininet's default learning controller, beside Weft in bench_plain.py
    iproute2 iputils-ping iperf3 procps util-linux psmisc
    openssl                                 # certificates for the TLS tests
    socat                                   # TLS end-to-end test: relays between the root and hosts' namespaces
    curl jq                                 # the demo's REST calls
    docker.io busybox-static                # the Docker driver's tests, demo and benchmark (dockerd per host)
    ethtool                                 # the Docker agent on userspace-datapath hosts: veths' TX checksums
    etcd-server etcd-client                 # the etcd store and controller replicas' tests (a 3-member cluster)
    chromium chromium-driver                # the topology page's browser test (Selenium), the README's screenshot
    openjdk-17-jdk-headless maven
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A JDK 17+ and Maven found on PATH are fine too (e.g. an SDK-managed install).
if command -v javac >/dev/null && javac -version 2>&1 | grep -Eq 'javac (1[7-9]|[2-9][0-9])'; then
    missing=("${missing[@]/openjdk-17-jdk-headless}")
fi
if command -v mvn >/dev/null; then
    missing=("${missing[@]/maven}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))

if [ ${#missing[@]} -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
    # Like the packaged OVS service, the packaged OVN services are not used (the bench runs its own daemons per
    # test bed); on a machine with systemd they would start and ovn-controller would act on the system's OVS.
    if [[ " ${missing[*]} " == *" ovn-"* ]] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
        systemctl disable --now ovn-host ovn-controller ovn-central ovn-northd ovn-ovsdb-server-nb \
            ovn-ovsdb-server-sb >/dev/null 2>&1 || true
    fi
    # Nor the packaged etcd: the tests start their own members on loopback ports.
    if [[ " ${missing[*]} " == *" etcd-server "* ]] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
        systemctl disable --now etcd >/dev/null 2>&1 || true
    fi
fi

# The packaged OVS service is not used: every emulated host runs its own ovsdb-server/ovs-vswitchd.
# /usr/bin/python3 is the interpreter Mininet is installed for (a pyenv or venv python3 on PATH is not).
/usr/bin/python3 -c 'import mininet.net' || { echo "install-deps: mininet is not importable by /usr/bin/python3" >&2; exit 1; }
echo "install-deps: ok"
