#!/usr/bin/env bash
# Installs Open MPI's mpirun (Debian's openmpi-bin), if missing: the CLI's MPI test (MpiLoadTest) runs
# `mpirun -np 3 s3-cli load ...` with it.
set -euo pipefail

if command -v mpirun >/dev/null 2>&1; then
  echo "openmpi: already installed ($(mpirun --version 2>/dev/null | head -n 1))"
  exit 0
fi
echo "openmpi: mpirun missing; installing openmpi-bin with apt-get"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "openmpi: need root or sudo to apt-get install" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends openmpi-bin
command -v mpirun >/dev/null 2>&1 || { echo "openmpi: mpirun still missing after apt-get install" >&2; exit 1; }
echo "openmpi: installed ($(mpirun --version | head -n 1))"
