#!/bin/sh
# Rewrites flows/src/test/resources/golden/reference-flows.txt from the compiler, after an intended pipeline change.
# GoldenDumpTest fails until the new dump is committed; review `git diff` of the file first: it is the pipeline's
# reviewed reference (see flows/PIPELINE.md).
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
exec "$root/scripts/run-test-main.sh" flows io.weft.flows.GoldenDump "$root/flows"
