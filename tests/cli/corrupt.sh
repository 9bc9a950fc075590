#!/usr/bin/env bash
# Proves: -t accepts a good file and rejects one with a byte changed in the middle (exit 3,
# message names the file); decompressing a corrupted or truncated .nz exits 3, leaves neither
# the output nor a temporary file behind, and keeps the input unchanged.
source "$(dirname "$0")/common.bash"
no_leftovers() {
  local extra
  extra=$(ls -A | grep -v -x -e orig -e good.nz -e bad.nz -e short.nz -e err -e good -e bad.sum -e short.sum || true)
  [[ -z $extra ]] || fail "left behind: $extra"
}

head -c 40000 "$CORPUS/structured/pylhe_pr29.lhe" > orig
"$NZIP" -c orig > good.nz
"$NZIP" -t good.nz || fail "-t rejects a good file"
"$NZIP" -t -v good.nz 2>err
grep -q "good.nz" err || fail "-t -v names the file"

# Change one byte in the middle.
cp good.nz bad.nz
size=$(stat -c %s bad.nz)
mid=$((size / 2))
old=$(od -An -tu1 -j "$mid" -N1 bad.nz | tr -d ' ')
new=$(((old + 1) % 256))
printf "\\$(printf '%03o' "$new")" | dd of=bad.nz bs=1 seek="$mid" conv=notrunc status=none
cmp -s bad.nz good.nz && fail "corruption did not change the file"
sha256sum bad.nz > bad.sum

set +e
"$NZIP" -t bad.nz 2>err
rc=$?
set -e
[[ $rc -eq 3 ]] || fail "-t on corrupt file: expected exit 3, got $rc"
grep -q "bad.nz" err || fail "error message does not name the file: $(cat err)"

set +e
"$NZIP" -d bad.nz 2>err
rc=$?
set -e
[[ $rc -eq 3 ]] || fail "-d on corrupt file: expected exit 3, got $rc"
grep -q "^nzip: bad.nz: " err || fail "message format: $(cat err)"
[[ ! -e bad ]] || fail "output of a corrupt file left behind"
sha256sum -c --quiet bad.sum || fail "corrupt input was modified"
no_leftovers

# Truncated: the end (index) is missing.
head -c $((size - 7)) good.nz > short.nz
sha256sum short.nz > short.sum
set +e
"$NZIP" -d short.nz 2>err
rc=$?
set -e
[[ $rc -eq 3 ]] || fail "-d on truncated file: expected exit 3, got $rc"
[[ ! -e short ]] || fail "output of a truncated file left behind"
sha256sum -c --quiet short.sum || fail "truncated input was modified"
no_leftovers

# Truncated to half, and through a pipe: still exit 3.
set +e
head -c $mid good.nz | "$NZIP" -d > /dev/null 2>err
rc=$?
set -e
[[ $rc -eq 3 ]] || fail "-d of a truncated stream: expected exit 3, got $rc"

# Not an nzip file at all.
set +e
"$NZIP" -d -c orig > /dev/null 2>err
rc=$?
set -e
[[ $rc -eq 3 ]] || fail "-d of a non-nzip file: expected exit 3, got $rc"

# The good file still decodes.
"$NZIP" -d good.nz
cmp good orig || fail "good file round trip"
echo "corrupt: ok"
