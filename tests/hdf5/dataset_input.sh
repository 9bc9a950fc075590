#!/usr/bin/env bash
# Proves `nzip --dataset` (docs/HDF5.md, "Reading a dataset directly") on .h5 files built with
# h5py from corpus data: a 1-D float32 dataset, a 2-D big-endian float64 dataset, a compound,
# integers in nested groups, a fixed-length string, a scalar, empty datasets and one larger
# than a hyperslab piece (4 MiB) each compress to FILE.NAME.h5.nz, test (-t), list with their
# name, type and shape (-l), decompress to a new .h5 whose `h5dump -d` equals the original's
# (type, shape, values), and with --raw-bytes or -c to exactly the bytes h5py reads in the
# file's byte order; the datatype's numeric layout gives the same chunks as --dtype/--record;
# several containers decompress side by side; and a missing dataset, a group, a variable-length
# string, a file that is not HDF5, a missing file, stdin and --rm are refused with the
# documented exit code and no output left behind, as is a damaged dataset section.
# Usage: dataset_input.sh NZIP_BINARY CORPUS_DIR
# NZIP, CORPUS, a temporary working folder and fail(), as for the CLI tests.
source "$(dirname "$0")/../cli/common.bash"
PY=/usr/bin/python3

"$PY" - "$CORPUS" <<'PY'
import sys, numpy as np, h5py
c = sys.argv[1] + "/float"
hzz = np.fromfile(f"{c}/hep_hzz.cols.f32", dtype="<f4")
zmumu = np.fromfile(f"{c}/hep_cms_zmumu.rows.f64", dtype="<f8").reshape(2304, 15)  # shape from its sidecar
taus = np.fromfile(f"{c}/hep_taus_pt.f32", dtype="<f4")
alice = np.fromfile(f"{c}/hep_alice_hyp3o2.cols.f32", dtype="<f4")
rec = np.zeros(len(hzz) // 4, dtype=[("px", "<f4"), ("py", "<f4"), ("pz", "<f8"), ("n", "<i4")])
for i, name in enumerate(("px", "py", "pz")):
    rec[name] = hzz[i::4][: len(rec)]
rec["n"] = hzz.view("<i4")[3::4][: len(rec)]
with h5py.File("data.h5", "w") as h:
    h.create_dataset("hzz", data=hzz)
    h.create_dataset("zmumu/rows_be", data=zmumu.astype(">f8"))
    h.create_dataset("events/compound", data=rec)
    h.create_dataset("a/b/c/ints", data=hzz.view("<i4")[:20000].reshape(100, 200))
    h.create_dataset("a/b/u16_be", data=hzz.view("<u2")[:30000].astype(">u2"))
    h.create_dataset("labels", data=np.array([b"muon", b"electron", b"tau"], dtype="S8"))
    h.create_dataset("scalar", data=np.float64(91.1876))
    h.create_dataset("empty", data=np.zeros(0, "<f4"))
    h.create_dataset("empty2d", data=np.zeros((0, 3), ">i8"))
    h.create_dataset("big", data=np.concatenate([taus, alice]))  # 6.96 MB: two hyperslab pieces
    h.create_dataset("vlen", data=["a", "bb"], dtype=h5py.string_dtype())
    h.create_group("just_a_group")
PY

datasets=(/hzz /zmumu/rows_be /events/compound /a/b/c/ints /a/b/u16_be /labels /scalar /empty /empty2d /big)
for ds in "${datasets[@]}"; do
  flat=$(echo "${ds#/}" | tr / .)
  nz="data.$flat.h5.nz"
  level=-6; [[ $ds == /big ]] && level=-1
  "$NZIP" $level --dataset "$ds" data.h5 || fail "$ds: compression failed"
  [[ -f $nz ]] || fail "$ds: expected $nz"
  "$NZIP" -t "$nz" || fail "$ds: -t"
  "$NZIP" -l "$nz" | grep -q "dataset $ds: " || fail "$ds: -l does not name the dataset: $("$NZIP" -l "$nz")"
  "$NZIP" -d "$nz" || fail "$ds: -d"
  out="data.$flat.h5"
  [[ -f $out ]] || fail "$ds: -d did not write $out"
  diff <(h5dump -d "$ds" data.h5 | tail -n +2) <(h5dump -d "$ds" "$out" | tail -n +2) > /dev/null ||
    fail "$ds: h5dump of the restored dataset differs"
  "$NZIP" -d --raw-bytes -o "$flat.raw" "$nz" || fail "$ds: --raw-bytes"
  "$NZIP" -dc "$nz" > "$flat.stdout" || fail "$ds: -dc"
  "$PY" - data.h5 "$ds" "$flat.raw" "$flat.stdout" <<'PY' || fail "$ds: raw bytes differ from what h5py reads"
import sys, h5py
with h5py.File(sys.argv[1], "r") as h:
    want = h[sys.argv[2]][()]
    want = want.tobytes() if hasattr(want, "tobytes") else bytes(want)
for f in sys.argv[3:]:
    got = open(f, "rb").read()
    assert got == want, (f, len(got), len(want))
PY
done

# What -l shows for a 2-D big-endian dataset and a scalar.
"$NZIP" -l data.zmumu.rows_be.h5.nz | grep -q "dataset /zmumu/rows_be: float64, big-endian, shape (2304, 15)" ||
  fail "-l of the big-endian dataset: $("$NZIP" -l data.zmumu.rows_be.h5.nz)"
"$NZIP" -l data.scalar.h5.nz | grep -q "dataset /scalar: float64, little-endian, shape () scalar" || fail "-l of the scalar"
# The datatype sets the numeric layout: the same chunk as --dtype '>f8' --record (one row).
"$NZIP" --dtype '>f8' --record 120 -o layout.nz zmumu.rows_be.raw
chunk() { "$NZIP" -l -v "$1" | grep "chunk 0:" | sed 's/offset [0-9]*, //'; }
[[ "$(chunk data.zmumu.rows_be.h5.nz)" == "$(chunk layout.nz)" ]] ||
  fail "automatic layout differs from --dtype '>f8' --record 120: $(chunk data.zmumu.rows_be.h5.nz) vs $(chunk layout.nz)"

# -o on both sides; several containers decompress side by side (HDF5 behind one lock).
"$NZIP" --dataset hzz -o custom.nz data.h5 && "$NZIP" -d -o custom.h5 custom.nz
diff <(h5dump -d /hzz data.h5 | tail -n +2) <(h5dump -d /hzz custom.h5 | tail -n +2) > /dev/null || fail "-o round trip"
mkdir side && cp data.hzz.h5.nz data.a.b.c.ints.h5.nz data.events.compound.h5.nz data.labels.h5.nz side/
"$NZIP" -T2 -d side/*.nz || fail "several files at once"
for f in side/*.h5; do h5dump "$f" > /dev/null || fail "$f unreadable"; done
# An existing output is not replaced without -f.
if "$NZIP" -d data.hzz.h5.nz 2> err; then fail "existing .h5 replaced without -f"; fi
"$NZIP" -f -d data.hzz.h5.nz || fail "-f -d"

# Refusals: exit code, message, and nothing left behind.
expect() {  # expect CODE PATTERN -- ARGS...
  local code=$1 pattern=$2; shift 3
  local rc=0
  "$NZIP" "$@" 2> err || rc=$?
  [[ $rc -eq $code ]] || fail "nzip $*: exit $rc, expected $code ($(cat err))"
  grep -q -- "$pattern" err || fail "nzip $*: message '$(cat err)' lacks '$pattern'"
}
before=$(ls -A | sort)
expect 1 "no dataset /nope" -- --dataset /nope data.h5
expect 1 "no dataset /a/x/y" -- --dataset a/x/y data.h5
expect 1 "is a group" -- --dataset /just_a_group data.h5
expect 1 "variable-length strings" -- --dataset /vlen data.h5
echo "plain text" > text.h5
before=$(ls -A | sort)
expect 3 "not an HDF5 file" -- --dataset /x text.h5
expect 2 "No such file" -- --dataset /x missing.h5
expect 1 "not stdin" -- --dataset /x - < data.h5
expect 1 "--rm cannot be combined" -- --rm --dataset /hzz data.h5
expect 1 "--raw-bytes applies to -d" -- --raw-bytes data.h5
[[ "$(ls -A | sort)" == "$before" ]] || fail "a refused run left files: $(comm -13 <(echo "$before") <(ls -A | sort))"

# A damaged dataset section (a byte of the name) is a data error and leaves nothing behind.
cp data.hzz.h5.nz bad.h5.nz
printf 'X' | dd of=bad.h5.nz bs=1 seek=$((48 + 24 + 8 + 1)) conv=notrunc status=none
expect 3 "dataset section" -- -d bad.h5.nz
[[ ! -e bad.h5 ]] || fail "damaged container left bad.h5"
ls -A | grep -q '^\.bad' && fail "temporary file left behind"

echo "dataset_input: ok (${#datasets[@]} datasets)"
