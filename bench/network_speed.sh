#!/usr/bin/env bash
# End-to-end speed and memory of coding with a network model (issue 3's bar: a ~2 M-parameter
# model at >= 100 KB/s compressing and decompressing with 2 threads). Random-weight models
# of the 0.5m, 2m and 8m presets (nzip_random_model, window 128) do exactly the arithmetic
# of trained ones of the same shape. Not run in CI (minutes); run it by hand on an otherwise
# idle Release build:
#
#   bench/network_speed.sh BUILD [THREADS] [DATA] [BYTES] [CHUNK] [LEVELS] [PRESETS]
#     BUILD    the build folder holding nzip and nzip_random_model (build)
#     THREADS  -T value, default 2
#     DATA     input file, default ../shared/corpus/text/enwik6
#     BYTES    bytes of DATA to code, default 524288
#     CHUNK    --chunk-size, default 64K, or "default" for the level's own (4 MiB at -6).
#              Chunks are the decoder's lockstep lanes: a 512 KiB sample in 64 KiB chunks
#              has 8 lanes. A model of 1 MiB of weights or more (2m, 8m) decodes up to 3
#              default-sized lanes per thread, so 24 MiB at -6 -T2 ("default") is 6 lanes
#     LEVELS   context-mixing levels beside the network, default "6 9" (6 = `nzip --model M`)
#     PRESETS  default "0.5m 2m 8m"
#
# Prints one line per preset and level: parameters, compressed size, compress and decompress
# KB/s (1 KB = 1000 bytes of input, wall clock) and peak RSS, then xz -9e -T1 on the same
# bytes for scale. Each direction is run twice and the faster run kept (this VM's speed
# drifts); the decompressed bytes are compared with the input every time.
set -euo pipefail
BUILD=$(readlink -f "$1")
THREADS=${2:-2}
DATA=$(readlink -f "${3:-$(dirname "$0")/../../shared/corpus/text/enwik6}")
BYTES=${4:-524288}
CHUNK=${5:-64K}
LEVELS=${6:-6 9}
PRESETS=${7:-0.5m 2m 8m}
NZIP=$BUILD/nzip
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c "$BYTES" "$DATA" > "$work/in"
n=$(stat -c %s "$work/in")

# best_of_two OUT CMD...: runs CMD twice (stdout to OUT), prints "seconds peak_kib" of the faster.
best_of_two() {
  local out=$1 best="" rss=""
  shift
  for _ in 1 2; do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$out"
    read -r t m < "$work/time"
    if [[ -z $best ]] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t rss=$m; fi
  done
  echo "$best $rss"
}

kbps() { awk -v n="$n" -v t="$1" 'BEGIN { printf "%.1f", (t > 0 ? n / t / 1000 : 0) }'; }

chunk_option=()
[[ $CHUNK == default ]] || chunk_option=(--chunk-size "$CHUNK")

echo "input: $n bytes of $(basename "$DATA"), --chunk-size $CHUNK, -T $THREADS"
for preset in $PRESETS; do
  "$BUILD/nzip_random_model" --preset "$preset" --window 128 -o "$work/m.nzm" > /dev/null
  params=$("$NZIP" model info "$work/m.nzm" | awk '/^parameters:/ { print $2 }')
  for level in $LEVELS; do
    read -r ct cm < <(best_of_two "$work/c.nz" "$NZIP" "-$level" -T "$THREADS" "${chunk_option[@]}" --model "$work/m.nzm" -c "$work/in")
    read -r dt dm < <(best_of_two "$work/d" "$NZIP" -d -T "$THREADS" --model "$work/m.nzm" -c "$work/c.nz")
    cmp -s "$work/d" "$work/in" || { echo "round trip failed: $preset -$level" >&2; exit 1; }
    echo "$preset ($params parameters) -$level: $(stat -c %s "$work/c.nz") bytes; compress $(kbps "$ct") KB/s (${ct} s, peak ${cm} KiB); decompress $(kbps "$dt") KB/s (${dt} s, peak ${dm} KiB)"
  done
done
read -r xt _ < <(best_of_two "$work/x.xz" xz -9e -T1 -c "$work/in")
echo "xz -9e -T1: $(stat -c %s "$work/x.xz") bytes; compress $(kbps "$xt") KB/s (${xt} s)"
