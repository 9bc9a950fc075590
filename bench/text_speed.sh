#!/usr/bin/env bash
# Issue 2's speed bar as a user meets it: the text corpus compressed with `nzip -k -f FILES`
# (default level and threads, files side by side) and decompressed with `nzip -d -k -f`,
# against `xz -9e -T1 -k -f FILES`. The three commands run interleaved, ROUNDS times; printed
# are the best wall time of each with its speed relative to xz's best, and the ratio within
# each round (xz's time / nzip's, the same minute for both) as median and minimum over the
# rounds. This VM's speed drifts by tens of percent between minutes, so only interleaved
# comparisons mean anything, and the per-round ratios are the steadiest (docs/BENCHMARKS.md).
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
ratios_c="" ratios_d=""
for ((r = 0; r < rounds; r++)); do
  t=$(now); (cd "$work/c" && xz -9e -T1 -k -f -- $(ls | grep -v '\.xz$') && rm -f -- *.xz); x=$(($(now) - t))
  t=$(now); (cd "$work/c" && "$nzip" -k -f -- $(ls | grep -v '\.nz$') && rm -f -- *.nz); c=$(($(now) - t))
  t=$(now); (cd "$work/d" && "$nzip" -d -k -f -- *.nz && find . -type f ! -name '*.nz' -delete); d=$(($(now) - t))
  best_x=$(keep_min "$x" "$best_x") best_c=$(keep_min "$c" "$best_c") best_d=$(keep_min "$d" "$best_d")
  ratios_c+="$x/$c " ratios_d+="$x/$d "
done
bytes=$(cat "$work"/c/* | wc -c)
report() { awk -v n="$1" -v t="$2" -v x="$best_x" -v b="$bytes" 'BEGIN { printf "%-28s %7.3f s  %6.2f MB/s  %5.2fx xz\n", n, t / 1e9, b / (t / 1e9) / 1e6, x / t }'; }
echo "text corpus: $bytes bytes, best of $rounds interleaved rounds"
report "xz -9e -T1 -k FILES" "$best_x"
report "nzip -k FILES" "$best_c"
report "nzip -d -k FILES.nz" "$best_d"
per_round() {
  echo "$2" | tr ' ' '\n' | awk -F/ 'NF == 2 { printf "%.6f\n", $1 / $2 }' | sort -g |
    awk -v n="$1" '{ r[++k] = $1 } END {
      m = k % 2 ? r[(k + 1) / 2] : (r[k / 2] + r[k / 2 + 1]) / 2
      printf "%-28s median %.2fx xz, minimum %.2fx (xz time / nzip time within each round)\n", n, m, r[1] }'
}
per_round "nzip -k FILES" "$ratios_c"
per_round "nzip -d -k FILES.nz" "$ratios_d"
