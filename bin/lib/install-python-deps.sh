#!/usr/bin/env bash
# Installs the Debian packages the Python package's tests need (python/tests, run by bin/test-python), if missing:
# JPype (the bridge), NumPy, pytest, PyTorch (the DataLoader tests) and boto3 (the comparison benchmark).
set -euo pipefail

packages=(python3-jpype python3-numpy python3-pytest python3-torch python3-boto3)
if /usr/bin/python3 -c 'import jpype, numpy, pytest, torch, boto3' >/dev/null 2>&1; then
  echo "python deps: already installed"
  exit 0
fi
echo "python deps: installing ${packages[*]} with apt-get"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "python deps: need root or sudo to apt-get install" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q "${packages[@]}"
/usr/bin/python3 -c 'import jpype, numpy, pytest, torch, boto3' \
  || { echo "python deps: still not importable by /usr/bin/python3 after apt-get install" >&2; exit 1; }
echo "python deps: installed"
