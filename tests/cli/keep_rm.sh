#!/usr/bin/env bash
# Proves: inputs are kept by default and with -k; --rm removes the input only after the output
# is complete (for compression and decompression); a failed run with --rm keeps the input.
source "$(dirname "$0")/common.bash"

head -c 20000 "$CORPUS/structured/urls.10K" > f
cp f orig

"$NZIP" f
[[ -f f && -f f.nz ]] || fail "default must keep the input"
rm f.nz
"$NZIP" -k f
[[ -f f && -f f.nz ]] || fail "-k must keep the input"
rm f.nz

"$NZIP" --rm f
[[ ! -e f && -f f.nz ]] || fail "--rm must remove the input after compressing"
"$NZIP" -d --rm f.nz
[[ -f f && ! -e f.nz ]] || fail "--rm must remove the .nz after decompressing"
cmp f orig || fail "content changed"

# A failure keeps the input: decompressing a damaged file with --rm.
"$NZIP" f
head -c 30 f.nz > bad.nz
set +e
"$NZIP" -d --rm bad.nz 2>/dev/null
rc=$?
set -e
[[ $rc -eq 3 ]] || fail "damaged input: expected exit 3, got $rc"
[[ -f bad.nz && ! -e bad ]] || fail "failed --rm run must keep the input and write nothing"

# -k and --rm contradict each other.
set +e
"$NZIP" -k --rm f 2>/dev/null
rc=$?
set -e
[[ $rc -eq 1 ]] || fail "-k --rm: expected exit 1, got $rc"
echo "keep_rm: ok"
