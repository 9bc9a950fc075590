#!/usr/bin/env bash
# Proves: a 48 MB stream (a corpus file repeated, through a pipe, so nzip cannot know its
# length) survives `nzip -1 -T2 -c | nzip -d -T2 -c` byte for byte, and neither process's
# peak RSS exceeds 200 MB. The documented bound for -1 with 2 threads
# (nzip::memory_bound(1, 2), docs/FORMAT.md "Memory") is well below that; the measured peaks
# are in docs/TESTING.md. bench/memory_stream.sh runs the same check on 1 GB.
# Under NZIP_TEST_SCALE=small (the sanitizer build, where RSS includes ASan's shadow memory
# and quarantine) it streams 4 MB and only reports the peaks.
set -euo pipefail
NZIP=$(readlink -f "$1")
CORPUS=$(readlink -f "$2")
LIMIT_KB=$((200 * 1024))
TIME=/usr/bin/time

fail() { echo "FAIL: $*" >&2; exit 1; }
if [[ ! -x $TIME ]]; then
  echo "memory_bound: SKIP: $TIME not found (Debian package 'time')"
  exit 0
fi

src="$CORPUS/text/bible.txt"  # 4,047,392 bytes
[[ -f $src ]] || fail "no $src"
copies=12                     # 48.6 MB
small=0
if [[ ${NZIP_TEST_SCALE:-} == small ]]; then copies=1; small=1; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Whole copies only, so no writer in the pipeline is cut off by SIGPIPE.
emit() { for ((i = 0; i < copies; i++)); do cat "$src"; done; }

start_ns=$(date +%s%N)
emit | "$TIME" -f %M -o "$work/c.rss" "$NZIP" -1 -T2 -c |
  "$TIME" -f %M -o "$work/d.rss" "$NZIP" -d -T2 -c |
  cmp - <(emit) || fail "stream differs after nzip -1 -T2 | nzip -d -T2"
ms=$((($(date +%s%N) - start_ns) / 1000000))

c_kb=$(tail -n1 "$work/c.rss")
d_kb=$(tail -n1 "$work/d.rss")
bytes=$(($(stat -c %s "$src") * copies))
echo "memory_bound: $bytes bytes, nzip -1 -T2: compress peak RSS $((c_kb / 1024)) MiB, decompress $((d_kb / 1024)) MiB ($((ms / 1000)).$(printf %03d $((ms % 1000))) s)"
if [[ $small == 1 ]]; then
  echo "memory_bound: NZIP_TEST_SCALE=small: peaks reported, not checked"
  exit 0
fi
((c_kb < LIMIT_KB)) || fail "compress peak RSS ${c_kb} KiB >= $LIMIT_KB KiB"
((d_kb < LIMIT_KB)) || fail "decompress peak RSS ${d_kb} KiB >= $LIMIT_KB KiB"
echo "memory_bound: ok"
