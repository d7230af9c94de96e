#!/usr/bin/env bash
# docker run -> first cross-host ping and iperf3 between containers: Weft's Docker driver against Docker's swarm
# overlay, in one run on the same two emulated hosts (BENCHMARKS.md). As root, after the README's set-up:
#   docker-driver/bench.sh [--n 30] [--seconds 10]     default: 30 containers per driver, 10 s of iperf3
#   docker-driver/bench.sh --tiny                       3 containers each, 1 s: proves the command runs
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -DskipTests package
exec /usr/bin/python3 docker-driver/bench_docker.py "$@"
