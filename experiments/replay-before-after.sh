#!/usr/bin/env bash
# The same Azure-format trace replayed against two builds of FaaSCell on fresh daemons with their
# default configuration: an earlier revision (built in a temporary git worktree) and the working tree;
# then one report of both runs (latency CDFs, start kinds, queue).
#   experiments/replay-before-after.sh REVISION [TOP] [MINUTES] [SPEEDUP]     (defaults: 3 30 30)
set -euo pipefail
cd "$(dirname "$0")/.."
REV=${1:?usage: experiments/replay-before-after.sh REVISION [TOP] [MINUTES] [SPEEDUP]}
TOP=${2:-3}; MINUTES=${3:-30}; SPEEDUP=${4:-30}
PORT=${FAASCELL_EXPERIMENT_PORT:-8182}
TRACE=faascell-replay/src/main/resources/traces/sample-d01
OUT=${OUT:-runs/replay-before-after}
mkdir -p "$OUT"
mvn -B -q -DskipTests package
cp faascell-server/target/faascell-all.jar "$OUT/after.jar"
before_tree=$(mktemp -d /var/tmp/fc-before-XXXX)
git worktree add -q --detach "$before_tree" "$REV"
(cd "$before_tree" && mvn -B -q -DskipTests package)
cp "$before_tree/faascell-server/target/faascell-all.jar" "$OUT/before.jar"
git worktree remove --force "$before_tree"
for run in before after; do
  state=$(mktemp -d /var/tmp/fc-experiment-XXXX)
  FAASCELL_STATE_DIR=$state FAASCELL_RUN_DIR=$state/run FAASCELL_SHM_DIR=/dev/shm/$(basename "$state") \
  FAASCELL_API_PORT=$PORT CONFIG_FORCE_faascell_image_cache__dir=/var/tmp/faascell-test/images \
  CONFIG_FORCE_faascell_cgroups_parent=$(basename "$state") \
    java -jar "$OUT/$run.jar" serve > "$OUT/serve-$run.log" 2>&1 &
  daemon=$!
  until curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null; do sleep 1; done
  java -jar "$OUT/after.jar" replay azure --trace "$TRACE" --top "$TOP" --minutes "$MINUTES" --speedup "$SPEEDUP" \
      --spread exponential --seed 1 --url "http://127.0.0.1:$PORT" --out "$OUT/$run"
  kill "$daemon"; wait "$daemon" || true
  rm -rf "$state" "/dev/shm/$(basename "$state")"
done
java -jar "$OUT/after.jar" report "$OUT/before" "$OUT/after" --out "$OUT/report.html"
echo "report: $OUT/report.html; summaries: $OUT/before/summary.json $OUT/after/summary.json"
