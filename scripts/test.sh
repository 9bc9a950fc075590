#!/usr/bin/env bash
# Quick start 2: install dependencies, build, and run the whole test suite:
# Release tests, the ASan+UBSan build of the tests, and a bounded libFuzzer run of the decoder.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
bash "$root/scripts/deps.sh"

echo "== Release build + tests"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" -j"$jobs"
ctest --test-dir "$root/build" --output-on-failure -j"$jobs"

echo "== ASan+UBSan build + tests (smaller corpus sample)"
cmake -S "$root" -B "$root/build-asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNZIP_SANITIZE=ON >/dev/null
cmake --build "$root/build-asan" -j"$jobs"
NZIP_TEST_SCALE=small ctest --test-dir "$root/build-asan" --output-on-failure -j"$jobs"

echo "== libFuzzer smoke run of the decoder (bounded)"
bash "$root/fuzz/run.sh" "${NZIP_FUZZ_SECONDS:-60}"
