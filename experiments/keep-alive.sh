#!/usr/bin/env bash
# The worked experiment of docs/EXPERIMENTS.md: the same 10-minute Azure-format trace replayed against
# two fresh daemons that differ only in their keep-alive policy, then one report of both runs.
#   experiments/keep-alive.sh [POLICY_A] [POLICY_B] [SPEEDUP]     (defaults: ttl none 2)
set -euo pipefail
cd "$(dirname "$0")/.."
A=${1:-ttl}; B=${2:-none}; SPEEDUP=${3:-2}
PORT=${FAASCELL_EXPERIMENT_PORT:-8181}
JAR=faascell-server/target/faascell-all.jar
TRACE=faascell-replay/src/main/resources/traces/demo-10min
OUT=${OUT:-runs/keep-alive}
[ -f "$JAR" ] || mvn -B -q -DskipTests package
mkdir -p "$OUT"
# run a copy, so that a rebuild during the (long) experiment cannot pull the jar from under the JVMs
cp "$JAR" "$OUT/faascell-all.jar"
JAR=$OUT/faascell-all.jar
for policy in "$A" "$B"; do
  state=$(mktemp -d /var/tmp/fc-experiment-XXXX)
  # a state, run and shm dir per run (no snapshots or VMs carried over), one shared guest image cache
  FAASCELL_STATE_DIR=$state FAASCELL_RUN_DIR=$state/run FAASCELL_SHM_DIR=/dev/shm/$(basename "$state") \
  FAASCELL_API_PORT=$PORT CONFIG_FORCE_faascell_image_cache__dir=/var/tmp/faascell-test/images \
  CONFIG_FORCE_faascell_keep__alive_policy=$policy CONFIG_FORCE_faascell_node_memory__mb=1400 \
    java -jar "$JAR" serve > "$OUT/serve-$policy.log" 2>&1 &
  daemon=$!
  until curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null; do sleep 1; done
  java -jar "$JAR" replay azure --trace "$TRACE" --top 6 --minutes 10 --speedup "$SPEEDUP" --spread exponential \
      --seed 1 --url "http://127.0.0.1:$PORT" --out "$OUT/$policy"
  kill "$daemon"; wait "$daemon" || true
  rm -rf "$state" "/dev/shm/$(basename "$state")"
done
java -jar "$JAR" report "$OUT/$A" "$OUT/$B" --out "$OUT/report.html"
# every plot in the report is a complete SVG; the latency CDF also as a file of its own, for docs
python3 - "$OUT/report.html" "$OUT/latency-cdf.svg" <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
open(sys.argv[2], "w", encoding="utf-8").write(re.search(r'<svg[^>]*aria-label="Latency CDF by start kind".*?</svg>', html, re.S).group(0))
PY
echo "report: $OUT/report.html (latency CDF: $OUT/latency-cdf.svg)"
