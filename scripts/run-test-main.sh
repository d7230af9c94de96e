#!/usr/bin/env bash
# Runs a class from a module's test scope (the benchmarks, the golden dump's update) from a plain clone: the module
# and what it depends on are compiled through the reactor (-am), so nothing needs to be installed in ~/.m2 first.
#   scripts/run-test-main.sh MODULE MAIN-CLASS [ARGS...]
# JAVA_OPTS go to the JVM (default -Xmx2g). The working directory stays the repository's root.
# MVN_PHASE=package builds jars too (bin/weft needs them); SKIP_BUILD=1 reuses the last build and classpath.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
if [ "$#" -lt 2 ]; then
    echo "usage: scripts/run-test-main.sh MODULE MAIN-CLASS [ARGS...]" >&2
    exit 2
fi
module=$1
main=$2
shift 2
cd "$root"
# build-classpath runs in every module of the reactor; each writes its own target/test-main.cp.
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f "$module/target/test-main.cp" ]; then
    mvn -B -ntp -q -pl "$module" -am "${MVN_PHASE:-test-compile}" -DskipTests dependency:build-classpath \
        -Dmdep.includeScope=test -Dmdep.outputFile=target/test-main.cp
fi
cp="$module/target/test-classes:$module/target/classes:$(cat "$module/target/test-main.cp")"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java ${JAVA_OPTS:--Xmx2g} -cp "$cp" "$main" "$@"
