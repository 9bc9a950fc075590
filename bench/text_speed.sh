#!/usr/bin/env bash
# Issue 2's speed bar as a user meets it: the text corpus compressed with `nzip -k -f FILES`
# (default level and threads, files side by side) and decompressed with `nzip -d -k -f`,
# against `xz -9e -T1 -k -f FILES`. The three commands run interleaved, ROUNDS times, and the
# best wall time of each is printed with its speed relative to xz (this VM's speed drifts
# between minutes, so only interleaved comparisons mean anything; docs/BENCHMARKS.md).
#
#   bench/text_speed.sh [ROUNDS] [NZIP_BINARY] [CORPUS_DIR]   (defaults: 5, build/nzip, ../shared/corpus)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-5}
nzip=$(readlink -f "${2:-$root/build/nzip}")
corpus=$(readlink -f "${3:-$root/../shared/corpus}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/c" "$work/d"
cp "$corpus"/text/* "$work/c/"
(cd "$work/c" && "$nzip" -k -f -- * && mv -- *.nz "$work/d/")

now() { date +%s%N; }
best_c=0 best_d=0 best_x=0
keep_min() { local v=$1 cur=$2; if ((cur == 0 || v < cur)); then echo "$v"; else echo "$cur"; fi; }
for ((r = 0; r < rounds; r++)); do
  t=$(now); (cd "$work/c" && xz -9e -T1 -k -f -- $(ls | grep -v '\.xz$') && rm -f -- *.xz); best_x=$(keep_min $(($(now) - t)) "$best_x")
  t=$(now); (cd "$work/c" && "$nzip" -k -f -- $(ls | grep -v '\.nz$') && rm -f -- *.nz); best_c=$(keep_min $(($(now) - t)) "$best_c")
  t=$(now); (cd "$work/d" && "$nzip" -d -k -f -- *.nz && find . -type f ! -name '*.nz' -delete); best_d=$(keep_min $(($(now) - t)) "$best_d")
done
bytes=$(cat "$work"/c/* | wc -c)
report() { awk -v n="$1" -v t="$2" -v x="$best_x" -v b="$bytes" 'BEGIN { printf "%-28s %7.3f s  %6.2f MB/s  %5.2fx xz\n", n, t / 1e9, b / (t / 1e9) / 1e6, x / t }'; }
echo "text corpus: $bytes bytes, best of $rounds interleaved rounds"
report "xz -9e -T1 -k FILES" "$best_x"
report "nzip -k FILES" "$best_c"
report "nzip -d -k FILES.nz" "$best_d"
