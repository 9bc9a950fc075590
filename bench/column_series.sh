#!/usr/bin/env bash
# Sizes of two smooth numeric series — where chunk method 4's column transforms (differences
# or XOR down the column) apply — with nzip at the default level beside xz -9e, xz with its
# delta filter, and zstd -19 (docs/BENCHMARKS.md, "Column transforms"):
#   sine.f32  300,000 float32 samples of 100·sin(i/1000) plus Gaussian noise of σ 0.01
#   ticks.u32 500,000 increasing uint32 timestamps, steps uniform in 0..1000
# Both are made by python3 from fixed seeds, so every run sees the same bytes.
#
#   bench/column_series.sh [NZIP_BINARY]     (default: build/nzip)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
nzip=$(readlink -f "${1:-$root/build/nzip}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import math, random, struct, sys
out = sys.argv[1]
r = random.Random(1)
sine = [math.sin(i * 0.001) * 100 + r.gauss(0, 0.01) for i in range(300000)]
open(f"{out}/sine.f32", "wb").write(struct.pack(f"<{len(sine)}f", *sine))
r = random.Random(1)
t, ticks = 0, []
for _ in range(500000):
    t += r.randint(0, 1000)
    ticks.append(t)
open(f"{out}/ticks.u32", "wb").write(struct.pack(f"<{len(ticks)}I", *ticks))
PY

size() { wc -c < "$1" | tr -d ' '; }
printf '| file | original | nzip (plan) | nzip --dtype | xz -9e | xz delta + -9e | zstd -19 |\n|---|---:|---|---:|---:|---:|---:|\n'
for f in sine.f32 ticks.u32; do
  in="$work/$f"
  dtype=f4; [[ $f == *.u32 ]] && dtype=u4
  "$nzip" -c "$in" > "$work/a.nz"
  "$nzip" -d -c "$work/a.nz" | cmp - "$in"
  plan=$("$nzip" -l -v "$work/a.nz" | sed -n 's/.*cm planned (\(.*\)), xxh3.*/\1/p' | head -n1)
  hinted=$("$nzip" -c --dtype "$dtype" "$in" | wc -c | tr -d ' ')
  xz9=$(xz -9e -T1 -c "$in" | wc -c | tr -d ' ')
  xzd=$(xz --delta=dist=4 --lzma2=preset=9e -T1 -c "$in" | wc -c | tr -d ' ')
  zs=$(zstd -19 -q -c "$in" | wc -c | tr -d ' ')
  printf '| %s | %s | %s (%s) | %s | %s | %s | %s |\n' "$f" "$(size "$in")" "$(size "$work/a.nz")" "$plan" "$hinted" "$xz9" "$xzd" "$zs"
done
