#!/usr/bin/env bash
# The main job: install what is missing, build, build the guest image, and run the daemon on
# 127.0.0.1:8080 with the embedded default config and the sample functions deployed.
# Extra arguments go to `faascell serve` (e.g. --config my.conf). Stop it with Ctrl-C or SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
echo "faascell: building" >&2
mvn -B -q -DskipTests package
java -jar faascell-server/target/faascell-all.jar image build
exec java -jar faascell-server/target/faascell-all.jar serve "$@"
