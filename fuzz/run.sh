#!/usr/bin/env bash
# Builds the libFuzzer decoder target with clang (ASan + UBSan) into build-fuzz and runs it
# for SECONDS (default 60) on a copy of fuzz/seeds. Exits non-zero on a finding; the
# crashing input is left in fuzz-out/. See fuzz/README.md to run longer or in parallel.
#   usage: fuzz/run.sh [SECONDS]
set -euo pipefail
secs=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"
out="$root/fuzz-out"

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNZIP_FUZZ=ON -DNZIP_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target decoder_fuzz

# Fuzz a fresh copy so the committed seeds never change; what it learns stays in
# build-fuzz/corpus for the next run.
corpus="$build/corpus"
mkdir -p "$corpus" "$out"
cp "$root"/fuzz/seeds/* "$corpus"/

echo "== fuzzing decoder_fuzz for ${secs}s (artifacts: $out)"
"$build/decoder_fuzz" "$corpus" \
  -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$out/" -print_final_stats=1
