#!/usr/bin/env bash
# Proves: an existing output is never overwritten without -f (exit 1, file untouched, input
# kept), for compression, decompression and -o; with -f it is replaced; compressing a name
# that already ends in .nz is refused without -f.
source "$(dirname "$0")/common.bash"
expect_rc() {  # expect_rc CODE cmd...
  local want=$1; shift
  set +e; "$@" 2>err; local rc=$?; set -e
  [[ $rc -eq $want ]] || { cat err >&2; fail "'$*': expected exit $want, got $rc"; }
}

head -c 20000 "$CORPUS/structured/seaice.csv" > f
echo "precious" > f.nz
expect_rc 1 "$NZIP" f
grep -q "f.nz" err || fail "message should name the existing output"
[[ $(cat f.nz) == precious ]] || fail "f.nz was overwritten without -f"
[[ -f f ]] || fail "input lost"

expect_rc 0 "$NZIP" -f f
"$NZIP" -dc f.nz | cmp - f || fail "-f output wrong"

# Decompression onto an existing file.
cp f.nz g.nz
echo "keep me" > g
expect_rc 1 "$NZIP" -d g.nz
[[ $(cat g) == "keep me" ]] || fail "g overwritten without -f"
expect_rc 0 "$NZIP" -d -f g.nz
cmp g f || fail "-d -f output wrong"

# -o onto an existing file.
echo "keep me" > out
expect_rc 1 "$NZIP" -o out f
[[ $(cat out) == "keep me" ]] || fail "-o target overwritten without -f"
expect_rc 0 "$NZIP" -f -o out f
cmp out f.nz || fail "-o -f output differs from the normal output"

# Output = input is refused even with -f.
cp f same
expect_rc 1 "$NZIP" -f -o same same
cmp same f || fail "input damaged by -o onto itself"

# Already compressed: warned and skipped without -f.
expect_rc 1 "$NZIP" f.nz
grep -q "suffix" err || fail "no warning about the .nz suffix"
[[ ! -e f.nz.nz ]] || fail "f.nz.nz written without -f"
expect_rc 0 "$NZIP" -f f.nz
[[ -f f.nz.nz ]] || fail "-f should compress f.nz"
[[ -z $(ls -A | grep '^\.') ]] || fail "temporary files left: $(ls -A)"
echo "overwrite: ok"
