#!/usr/bin/env bash
# Installs Ceph's radosgw and the daemons a single-node test cluster needs (Debian packages), if missing.
# The radosgw test suite (./mvnw -Pradosgw test, tests tagged "radosgw") starts its own cluster with them.
set -euo pipefail

missing=()
for tool in ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "radosgw: already installed ($(ceph --version 2>/dev/null | head -n 1))"
  exit 0
fi
echo "radosgw: missing ${missing[*]}; installing ceph-mon ceph-osd radosgw with apt-get"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "radosgw: need root or sudo to apt-get install" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends ceph-mon ceph-osd radosgw
for tool in ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph; do
  command -v "$tool" >/dev/null 2>&1 || { echo "radosgw: $tool still missing after apt-get install" >&2; exit 1; }
done
echo "radosgw: installed ($(ceph --version | head -n 1))"
