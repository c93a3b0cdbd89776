#!/usr/bin/env bash
# Runs one of FaaSCell's benchmarks on real microVMs and prints the table for docs/BENCHMARKS.md.
#   scripts/bench.sh cold-warm [--cold 5 --warm 2000 --out results.json]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --bench
mvn -B -q -DskipTests package
exec java -jar faascell-bench/target/faascell-bench.jar "$@"
