#!/usr/bin/env bash
# Installs what FaaSCell needs on a Debian 12 machine, and nothing that is already there:
#   qemu-system-x86 (the VMM), busybox-static + gcc/libc6-dev + lz4 + e2fsprogs + python3 + nodejs (the
#   guest image; nodejs's node also drives the AWS SDK in the Lambda tests, with npm), awscli (the
#   Lambda tests drive a node with the AWS CLI too), iproute2 + nftables (network namespaces, taps and
#   rules for functions deployed with network egress), a JDK 17 and Maven (the build). The guest kernel is a Debian .deb that the image builder
#   downloads with `apt-get download` and extracts; it is never installed into the host's /boot.
# With --bench, also what only the benchmarks compare against: runc (the container baseline).
set -euo pipefail

packages=(qemu-system-x86 busybox-static gcc libc6-dev lz4 e2fsprogs python3 nodejs awscli ca-certificates iproute2 nftables)
# npm fetches the AWS SDK for the Lambda tests; a nodejs from elsewhere (NodeSource) bundles its own
command -v npm >/dev/null 2>&1 || packages+=(npm)
command -v java >/dev/null 2>&1 || packages+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || packages+=(maven)
[[ "${1:-}" == "--bench" ]] && packages+=(runc)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# the image builder resolves linux-image-cloud-amd64 from the package lists: make sure they exist
if ((${#missing[@]})) || ! apt-cache show linux-image-cloud-amd64 >/dev/null 2>&1; then
  echo "faascell: updating package lists" >&2
  as_root apt-get update -q
fi
if ((${#missing[@]})); then
  echo "faascell: installing ${missing[*]}" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
echo "faascell: dependencies are installed" >&2
