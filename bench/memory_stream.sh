#!/usr/bin/env bash
# How the claim "a 1 GB stream through stdin -> stdout stays under the documented memory
# bound" is checked. Not run in CI (it takes minutes): run it by hand on a Release build.
#
#   bench/memory_stream.sh NZIP [LEVEL] [THREADS] [MB] [FILE]
#     NZIP     the nzip binary (build/nzip)
#     LEVEL    1..9, default 6 (the default level)
#     THREADS  -T value, default 0 (all cores)
#     MB       stream length in MB (10^6 bytes), default 1000
#     FILE     what the stream is made of, repeated: default ../shared/corpus/text/bible.txt
#   BOUND_MIB=N in the environment: fail if a peak RSS reaches N MiB. Take N from
#     nzip::memory_bound(LEVEL, THREADS) (docs/FORMAT.md "Memory"; values at this commit in
#     docs/TESTING.md). The bound counts the threads' tables and the chunks in flight, not
#     the executable and C library themselves (a few MiB).
#
# Phase 1 pipes the stream into `nzip -LEVEL -T THREADS -c` (nzip cannot know its length)
# and keeps the container in a temporary file; phase 2 pipes that file into `nzip -d -c` and
# compares the output with the stream regenerated. Peak RSS comes from /usr/bin/time
# (Debian package `time`). Prints one line per phase: bytes, seconds, MB/s, peak RSS.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
NZIP=$(readlink -f "${1:?usage: bench/memory_stream.sh NZIP [LEVEL] [THREADS] [MB] [FILE]}")
level=${2:-6}
threads=${3:-0}
mb=${4:-1000}
src=$(readlink -f "${5:-$root/../shared/corpus/text/bible.txt}")
TIME=/usr/bin/time
[[ -x $TIME ]] || { echo "memory_stream: $TIME not found (apt-get install time)" >&2; exit 1; }
[[ -f $src ]] || { echo "memory_stream: no $src" >&2; exit 1; }

total=$((mb * 1000000))
src_size=$(stat -c %s "$src")
work=$(mktemp -d "${TMPDIR:-/tmp}/nzip-memstream.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Exactly `total` bytes: whole copies of FILE, then a prefix (head reads its input to the end
# of what it needs; the copy loop stops on its own, so nothing is killed by SIGPIPE).
emit() {
  local full=$((total / src_size)) rest=$((total % src_size))
  for ((i = 0; i < full; i++)); do cat "$src"; done
  head -c "$rest" "$src"
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
report() {  # phase bytes ms rss_kb
  local mbs
  mbs=$(awk -v b="$2" -v ms="$3" 'BEGIN { printf "%.2f", (ms > 0) ? b / 1000 / ms : 0 }')
  printf '%-10s %14d bytes %9.1f s %8s MB/s   peak RSS %6d MiB\n' "$1" "$2" "$(awk -v ms="$3" 'BEGIN{print ms/1000}')" "$mbs" $(($4 / 1024))
}

echo "nzip -$level -T$threads, $total bytes of $(basename "$src") repeated, $(nproc) cores, $("$NZIP" --version)"
t0=$(now_ms)
emit | "$TIME" -f %M -o "$work/c.rss" "$NZIP" -"$level" -T"$threads" -c >"$work/stream.nz"
t1=$(now_ms)
"$TIME" -f %M -o "$work/d.rss" "$NZIP" -d -T"$threads" -c <"$work/stream.nz" | cmp - <(emit) ||
  { echo "memory_stream: FAIL: decompressed stream differs" >&2; exit 1; }
t2=$(now_ms)

c_kb=$(tail -n1 "$work/c.rss") d_kb=$(tail -n1 "$work/d.rss")
report compress "$total" $((t1 - t0)) "$c_kb"
report decompress "$total" $((t2 - t1)) "$d_kb"
echo "container: $(stat -c %s "$work/stream.nz") bytes"

if [[ -n ${BOUND_MIB:-} ]]; then
  for kb in "$c_kb" "$d_kb"; do
    if ((kb / 1024 >= BOUND_MIB)); then
      echo "memory_stream: FAIL: peak RSS $((kb / 1024)) MiB >= bound $BOUND_MIB MiB" >&2
      exit 1
    fi
  done
  echo "memory_stream: both peaks under the bound of $BOUND_MIB MiB"
else
  echo "memory_stream: no BOUND_MIB given; compare with nzip::memory_bound($level, $threads)"
fi
