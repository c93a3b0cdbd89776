#!/usr/bin/env bash
# The whole test suite: unit tests (fast, in-memory VMM) and integration tests that boot real QEMU
# microVMs with the real guest agent and hit the real HTTP API. Builds the guest image if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
mvn -B verify "$@"
