#!/usr/bin/env bash
# Proves: several files given at once run side by side (-T3, files of different sizes) and
# each .nz is byte-identical to a one-file -T1 run; decompressing them all at once restores
# every original; a damaged file among them fails alone (exit 3, named, nothing left behind)
# while the others succeed; -c keeps the files in order on stdout.
source "$(dirname "$0")/common.bash"

head -c 300000 "$CORPUS/text/bible.txt" > a
head -c 70000 "$CORPUS/binary/kennedy.xls" > b
head -c 5000 "$CORPUS/structured/urls.10K" > c
printf 'x' > d
: > e
for f in a b c d e; do "$NZIP" -c -T1 -3 "$f" > "$f.ref"; done

"$NZIP" -T3 -3 -k a b c d e
for f in a b c d e; do cmp "$f.nz" "$f.ref" || fail "$f.nz differs from its one-file -T1 output"; done

mkdir out && cp ./*.nz out/ && cd out
cp ../a.nz bad.nz
printf '\xff' | dd of=bad.nz bs=1 seek=200 conv=notrunc status=none
set +e
"$NZIP" -d -T2 a.nz b.nz bad.nz c.nz d.nz e.nz 2> err
rc=$?
set -e
[[ $rc -eq 3 ]] || fail "a damaged file among many: expected exit 3, got $rc"
grep -q "^nzip: bad.nz: " err || fail "the damaged file is not named: $(cat err)"
[[ ! -e bad ]] || fail "output of the damaged file was left behind"
[[ -z $(ls -A | grep '^\.') ]] || fail "temporary files left behind: $(ls -A)"
for f in a b c d e; do cmp "$f" "../$f" || fail "$f not restored"; done
cd ..

"$NZIP" -c -T2 -3 a b c > cat.nz
cat a.ref b.ref c.ref | cmp - cat.nz || fail "-c with several files is not in order"
echo "many_files: ok"
