#!/usr/bin/env bash
# Proves: -l prints the original size in bytes, the compressed size and the chunk count of a
# .nz file (from a file and from stdin), a total line for several files, with -v each chunk's
# method and plan (prose text, a CSV as general text, float32 records as numeric), and exits 3
# on a file that is not an nzip container.
source "$(dirname "$0")/common.bash"

head -c 12345 "$CORPUS/structured/brain_networks.csv" > f
: > e
"$NZIP" -3 f e
csize=$(stat -c %s f.nz)

"$NZIP" -l f.nz > out
grep -qw 12345 out || fail "-l does not show the original size: $(cat out)"
grep -qw "$csize" out || fail "-l does not show the compressed size: $(cat out)"
grep -q "f.nz" out || fail "-l does not name the file"
"$NZIP" -l < f.nz > out
grep -qw 12345 out || fail "-l from stdin does not show the original size: $(cat out)"

"$NZIP" -l f.nz e.nz > out
grep -q "2 files" out || fail "no total line: $(cat out)"
"$NZIP" -l -v f.nz > out
grep -q "chunk 0" out || fail "-l -v shows no chunks: $(cat out)"
grep -q "chunk 0: .*, cm planned (general)," out || fail "-l -v does not show a CSV's plan: $(cat out)"

head -c 20000 "$CORPUS/text/alice29.txt" > prose
head -c 29600 "$CORPUS/float/hep_alice_hyp3o2.rows.f32" > rows
"$NZIP" -k prose
"$NZIP" -k --dtype f4 --record 148 rows
"$NZIP" -l -v prose.nz rows.nz > out
grep -q "cm planned (prose (lean, no APM))" out || fail "-l -v does not show the default level's direct prose plan: $(cat out)"
grep -q "cm planned (numeric: 4-byte elements, 37 per record, byte-reversed)" out ||
  fail "-l -v does not show the numeric plan: $(cat out)"

set +e
"$NZIP" -l f > /dev/null 2>err
rc=$?
set -e
[[ $rc -eq 3 ]] || fail "-l on a non-nzip file: expected exit 3, got $rc"
echo "list: ok"
