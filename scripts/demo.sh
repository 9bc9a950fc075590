#!/usr/bin/env bash
# Quick start 1: install dependencies, build Release, compress a corpus sample and show
# the sizes beside xz -9e, then check the round trip.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/deps.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" -j"$(nproc)" --target nzip
sample=${1:-$root/../shared/corpus/text/alice29.txt}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp "$sample" "$tmp/sample"
"$root/build/nzip" -k "$tmp/sample"
xz -9e -k -T1 "$tmp/sample"
"$root/build/nzip" -d -c "$tmp/sample.nz" | cmp - "$sample"
orig=$(stat -c %s "$sample"); nz=$(stat -c %s "$tmp/sample.nz"); xzs=$(stat -c %s "$tmp/sample.xz")
printf '%-10s %12s\n' original "$orig" "nzip -6" "$nz" "xz -9e" "$xzs"
awk -v a="$nz" -v b="$xzs" 'BEGIN{printf "nzip is %.1f%% smaller than xz -9e (round trip verified)\n", 100*(1-a/b)}'
