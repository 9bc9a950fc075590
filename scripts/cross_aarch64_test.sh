#!/usr/bin/env bash
# Proves that nzip is portable between x86-64 and aarch64: cross-builds the nzip executable
# for aarch64 (cmake/aarch64-linux-gnu.cmake), runs it under qemu-aarch64, and checks that it
# writes byte-identical .nz files to the x86-64 build (build/nzip) for a text, a binary and a
# float file at the default level, -1 and -9, and with a random-weight model (--model, method
# 2, and --network-only, method 3); that each build decodes the other's output exactly; and
# that NZIP_SIMD=scalar and the default (NEON) target agree on aarch64, while NZIP_SIMD=avx2
# is refused there with a clear error.
#
# Usage: scripts/cross_aarch64_test.sh [X86_BUILD_DIR]   (default: build, already built)
# Installs what is missing (as root, or through sudo): the cross compiler, qemu-user, and the
# :arm64 multiarch libraries nzip links. Prints "N passed, N failed"; exit status 1 on failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
x86_build=$(readlink -f "${1:-$root/build}")
cross_build=$root/build-aarch64
corpus=$(readlink -f "$root/../shared/corpus")
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

# --- what is missing gets installed (like scripts/deps.sh) -------------------------------
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $SUDO dpkg --add-architecture arm64
  $SUDO apt-get update -qq
fi
# libyaml-cpp-dev is not Multi-Arch: same (its :arm64 package would remove the host's), so
# only its runtime library comes through multiarch; the -dev package is unpacked below.
pkgs=(g++-aarch64-linux-gnu qemu-user
      libc6:arm64 libhwy-dev:arm64 libxxhash-dev:arm64 libyaml-cpp0.7:arm64
      libzstd-dev:arm64 liblzma-dev:arm64 libbrotli-dev:arm64 libbz2-dev:arm64 zlib1g-dev:arm64)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "cross_aarch64_test: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
yaml_root=$cross_build/arm64-yaml-cpp
if [ ! -f "$yaml_root/usr/lib/aarch64-linux-gnu/cmake/yaml-cpp/yaml-cpp-config.cmake" ]; then
  dl=$(mktemp -d); chmod 755 "$dl"
  (cd "$dl" && apt-get download -qq libyaml-cpp-dev:arm64 libyaml-cpp0.7:arm64 2>/dev/null)
  mkdir -p "$yaml_root"
  for deb in "$dl"/*.deb; do dpkg-deb -x "$deb" "$yaml_root"; done
  rm -rf "$dl"
fi

# --- cross build of the nzip executable -----------------------------------------------------
cmake -S "$root" -B "$cross_build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_TOOLCHAIN_FILE="$root/cmake/aarch64-linux-gnu.cmake" -DNZIP_TESTS=OFF \
  -DCMAKE_DISABLE_FIND_PACKAGE_HDF5=ON -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON \
  -Dyaml-cpp_DIR="$yaml_root/usr/lib/aarch64-linux-gnu/cmake/yaml-cpp" > /dev/null
cmake --build "$cross_build" --target nzip -j"$(nproc)"
[ -x "$x86_build/nzip" ] && [ -x "$x86_build/nzip_random_model" ] || {
  echo "cross_aarch64_test: build $x86_build/nzip and nzip_random_model first" >&2; exit 1; }

# The aarch64 loader and libraries come from multiarch (libc6:arm64 in /lib/aarch64-linux-gnu).
# Not `-L /usr/aarch64-linux-gnu`: its libc mixed with the multiarch libraries hangs in
# pthread_create under Debian 12's qemu 7.2.
arm=(qemu-aarch64 "$cross_build/nzip")
x86=("$x86_build/nzip")

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
passed=0; failed=0
check() {  # check NAME COMMAND... : one counted result
  local name=$1; shift
  if "$@" > /dev/null 2> err; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: $name: $(head -c 300 err)" >&2; fi
}
# same_bytes FILE ARGS... : x86-64 and aarch64 (default target and scalar) encode FILE
# alike with ARGS, and each decodes the other's output to FILE.
same_bytes() {
  local f=$1; shift
  local tag="$f $*" dec=()
  [[ " $* " == *" --model "* ]] && dec=(--model m.nzm)
  "${x86[@]}" "$@" -c "$f" > x.nz
  check "aarch64 encode ($tag)" bash -c '"$@" > a.nz && cmp x.nz a.nz' _ "${arm[@]}" "$@" -c "$f"
  check "aarch64 scalar encode ($tag)" bash -c 'NZIP_SIMD=scalar "$@" > s.nz && cmp x.nz s.nz' _ "${arm[@]}" "$@" -c "$f"
  check "aarch64 decodes x86-64 ($tag)" bash -c '"$@" > back && cmp back "$0"' "$f" "${arm[@]}" -d "${dec[@]}" -c x.nz
  check "x86-64 decodes aarch64 ($tag)" bash -c '"$@" > back && cmp back "$0"' "$f" "${x86[@]}" -d "${dec[@]}" -c a.nz
}
head -c 65536 "$corpus/text/alice29.txt" > text
head -c 65536 "$corpus/binary/kppkn.gtb" > binary
head -c 65536 "$corpus/float/hep_hzz.cols.f32" > float
# Under qemu the network runs at about 1 KB/s: small excerpts for the model runs.
for f in text binary float; do head -c 3000 "$f" > "$f.small"; done
"$x86_build/nzip_random_model" --preset 0.5m --window 64 -o m.nzm > /dev/null

start=$SECONDS
for f in text binary float; do
  for level in "" -1 -9; do same_bytes "$f" $level; done
  same_bytes "$f.small" --model m.nzm
  same_bytes "$f.small" --model m.nzm --network-only
done
# NEON is what the aarch64 build picks by default, and it can be named; avx2 cannot.
check "NZIP_SIMD=neon encodes like x86-64" bash -c \
  '"$@" > n.nz && "$0" --model m.nzm -c text.small | cmp - n.nz' "${x86[0]}" env NZIP_SIMD=neon "${arm[@]}" --model m.nzm -c text.small
check "NZIP_SIMD=avx2 is a clear error on aarch64" bash -c \
  '! NZIP_SIMD=avx2 "$@" 2> e && grep -q "NZIP_SIMD=avx2: not built for this architecture" e' _ "${arm[@]}" --model m.nzm -c text.small
echo "cross_aarch64_test: qemu runs took $((SECONDS - start)) s" >&2

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
