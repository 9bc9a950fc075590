#!/usr/bin/env bash
# Proves: --dtype, --record and --layout (the corpus's JSON sidecars) compress float records
# that decompress exactly with plain `nzip -d` (the layout travels in the container), give
# the same bytes for -T1 and -T2, and a sidecar, a hand-written description and the options
# give the same container; big-endian elements round-trip; a bad dtype, a record that is
# not whole elements, --record without a dtype, a broken layout file, or a layout on
# decompression exit 1 and leave no output behind.
source "$(dirname "$0")/common.bash"
run() {  # run cmd... ; sets rc, stderr in err
  set +e; "$@" > out 2> err; rc=$?; set -e
}

src="$CORPUS/float/hep_cms_zmumu.rows.f64"
head -c 65520 "$src" > z.f64   # 546 records of 15 float64
"$NZIP" -T1 --dtype f8 --record 120 -c z.f64 > given1.nz
"$NZIP" -T2 --dtype f8 --record 120 -c z.f64 > given2.nz
cmp -s given1.nz given2.nz || fail "--dtype output differs between -T1 and -T2"
"$NZIP" -dc given1.nz | cmp -s - z.f64 || fail "--dtype f8 --record 120 does not round-trip"

"$NZIP" --layout "$src.json" -c z.f64 > sidecar.nz
cmp -s sidecar.nz given1.nz || fail "--layout sidecar should equal --dtype f8 --record 120"

# Big-endian elements: the same numbers byte-swapped, told with >f8.
python3 - z.f64 > z.be.f64 <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
sys.stdout.buffer.write(b''.join(d[i:i + 8][::-1] for i in range(0, len(d), 8)))
PY
"$NZIP" --dtype '>f8' -c z.be.f64 > be.nz
"$NZIP" -dc be.nz | cmp -s - z.be.f64 || fail "--dtype >f8 does not round-trip"

# A JSON description written by hand: record from record_bytes.
printf '{"dtype": "<f8", "record_bytes": 120}\n' > layout.json
"$NZIP" --layout layout.json -c z.f64 > hand.nz
cmp -s hand.nz given1.nz || fail "record_bytes in a layout file should equal --record"

cp z.f64 keep.f64
for args in "--dtype x4" "--dtype f8 --record 100" "--record 120" "--layout missing.json" "--layout z.f64"; do
  # shellcheck disable=SC2086
  run "$NZIP" $args keep.f64
  [[ $rc -eq 1 ]] || fail "$args: expected exit 1, got $rc"
  grep -q "^nzip: " err || fail "$args: no message: $(cat err)"
  [[ ! -e keep.f64.nz ]] || fail "$args: left keep.f64.nz behind"
  cmp -s keep.f64 z.f64 || fail "$args: input changed"
done
run "$NZIP" -d --dtype f8 given1.nz
[[ $rc -eq 1 ]] || fail "-d --dtype: expected exit 1, got $rc"
echo "numeric layout options ok"
