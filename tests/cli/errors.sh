#!/usr/bin/env bash
# Proves: a missing input exits 2 with `nzip: FILE: ...`; bad options exit 1; decompressing a
# name without .nz (and no -c/-o) is refused with a message; directories are skipped; with
# several files one bad one does not stop the others and the exit code is the worst one.
source "$(dirname "$0")/common.bash"
run() {  # run cmd... ; sets rc, stderr in err
  set +e; "$@" > out 2> err; rc=$?; set -e
}

run "$NZIP" missing
[[ $rc -eq 2 ]] || fail "missing input: expected exit 2, got $rc"
grep -q "^nzip: missing: " err || fail "missing input message: $(cat err)"

run "$NZIP" --no-such-option
[[ $rc -eq 1 ]] || fail "unknown option: expected exit 1, got $rc"
run "$NZIP" -T notanumber f
[[ $rc -eq 1 ]] || fail "bad -T: expected exit 1, got $rc"
run "$NZIP" --chunk-size 12Q f
[[ $rc -eq 1 ]] || fail "bad --chunk-size: expected exit 1, got $rc"
run "$NZIP" -d -t f
[[ $rc -eq 1 ]] || fail "-d -t: expected exit 1, got $rc"

head -c 10000 "$CORPUS/structured/seaice.csv" > a
cp a b
run "$NZIP" -d a
[[ $rc -eq 1 ]] || fail "-d on a name without .nz: expected exit 1, got $rc"
grep -q "^nzip: a: .*suffix" err || fail "no clear message for a missing .nz suffix: $(cat err)"
[[ -f a ]] || fail "input lost"

mkdir dir
run "$NZIP" dir
[[ $rc -eq 1 ]] || fail "directory: expected exit 1, got $rc"
grep -q "^nzip: dir: " err || fail "directory message: $(cat err)"
[[ ! -e dir.nz ]] || fail "dir.nz written"

# Several files, one missing: the others are compressed, exit code is 2.
run "$NZIP" a nothere b
[[ $rc -eq 2 ]] || fail "mixed batch: expected exit 2, got $rc"
[[ -f a.nz && -f b.nz ]] || fail "good files of a mixed batch not processed"
# Several .nz, one corrupt (exit 3) and one missing (exit 2): worst is 3, good one restored.
mkdir d && cp a.nz d/ && printf 'garbage' > d/c.nz
run "$NZIP" -d d/c.nz d/a.nz d/missing.nz
[[ $rc -eq 3 ]] || fail "mixed -d batch: expected exit 3, got $rc"
cmp d/a a || fail "good file of a mixed -d batch not restored"
[[ ! -e d/c ]] || fail "output of the bad file left behind"

# Unreadable input (skipped when running as root, who can read anything).
if [[ $(id -u) -ne 0 ]]; then
  cp a locked && chmod 000 locked
  run "$NZIP" locked
  [[ $rc -eq 2 ]] || fail "unreadable input: expected exit 2, got $rc"
fi
echo "errors: ok"
