#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) into build-fuzz and runs each on a
# copy of its seeds, SECONDS (default 60) in all: half for the container decoder
# (decoder_fuzz, fuzz/seeds), half for the model file reader (model_file_fuzz,
# fuzz/model_seeds). Exits non-zero on a finding; the crashing input is left in fuzz-out/.
# See fuzz/README.md to run longer or in parallel.
#   usage: fuzz/run.sh [SECONDS]
set -euo pipefail
secs=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"
out="$root/fuzz-out"

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNZIP_FUZZ=ON -DNZIP_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target decoder_fuzz model_file_fuzz
mkdir -p "$out"

# TARGET SEEDS CORPUS SECONDS MAX_LEN: fuzzes a fresh copy of SEEDS merged into CORPUS, so
# the committed seeds never change and what a run learns stays for the next one.
fuzz_one() {
  local target=$1 seeds=$2 corpus=$3 t=$4 max_len=$5
  mkdir -p "$corpus"
  cp "$seeds"/* "$corpus"/
  echo "== fuzzing $target for ${t}s (artifacts: $out)"
  "$build/$target" "$corpus" \
    -max_total_time="$t" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
    -artifact_prefix="$out/" -print_final_stats=1
}

# The total budget is shared, so CI time does not grow with the number of targets.
decoder_secs=$(( (secs + 1) / 2 ))
model_secs=$(( secs - decoder_secs ))
(( model_secs > 0 )) || model_secs=1
fuzz_one decoder_fuzz "$root/fuzz/seeds" "$build/corpus" "$decoder_secs" 65536
fuzz_one model_file_fuzz "$root/fuzz/model_seeds" "$build/corpus-model" "$model_secs" 16384
