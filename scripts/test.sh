#!/usr/bin/env bash
# Quick start 2: install dependencies, build, and run the whole test suite:
# Release tests, the aarch64 cross build checked under qemu (scripts/cross_aarch64_test.sh),
# the ASan+UBSan build of the tests, and a bounded libFuzzer run of the decoder and the model
# file reader.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
bash "$root/scripts/deps.sh"

log=$(mktemp); trap 'rm -f "$log"' EXIT
# Runs ctest, keeps its summary line for the closing count.
run_ctest() { ctest "$@" --output-on-failure -j"$jobs" | tee -a "$log"; }

echo "== Release build + tests"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" -j"$jobs"
run_ctest --test-dir "$root/build"

echo "== aarch64 cross build under qemu: same .nz bytes as x86-64 (NZIP_CROSS_AARCH64=0 skips)"
if [ "${NZIP_CROSS_AARCH64:-1}" != 0 ]; then
  # Its closing "N passed, N failed" line joins the ctest summaries in the count below.
  bash "$root/scripts/cross_aarch64_test.sh" "$root/build" | tee -a "$log"
fi

echo "== ASan+UBSan build + tests (smaller corpus sample)"
cmake -S "$root" -B "$root/build-asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNZIP_SANITIZE=ON >/dev/null
cmake --build "$root/build-asan" -j"$jobs"
NZIP_TEST_SCALE=small run_ctest --test-dir "$root/build-asan"

echo "== libFuzzer smoke run of the decoder and the model file reader (bounded)"
bash "$root/fuzz/run.sh" "${NZIP_FUZZ_SECONDS:-60}"

# One closing line over both ctest runs and the aarch64 checks (the fuzz run above fails the
# script on a finding).
awk '/tests passed, [0-9]+ tests failed out of/ {total += $NF; failed += $4}
     /^[0-9]+ passed, [0-9]+ failed$/ {total += $1 + $3; failed += $3}
     END {printf "%d passed, %d failed\n", total - failed, failed}' "$log"
