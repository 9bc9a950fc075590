#!/usr/bin/env bash
# Installs the Debian 12 packages nzip needs to build, test and benchmark; only what is missing.
set -euo pipefail
pkgs=(cmake g++ make pkg-config git clang libclang-rt-14-dev
      libxxhash-dev libcli11-dev nlohmann-json3-dev libyaml-cpp-dev
      libzstd-dev liblzma-dev libbrotli-dev libbz2-dev zlib1g-dev
      libhwy-dev googletest libgtest-dev libgmock-dev libbenchmark-dev
      libhdf5-dev hdf5-tools python3-h5py python3-numpy
      xz-utils zstd brotli bzip2 gzip time)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "nzip setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
