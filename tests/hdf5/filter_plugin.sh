#!/usr/bin/env bash
# Proves: the HDF5 filter plugin (H5Z_FILTER_NZIP = 360) loaded through HDF5_PLUGIN_PATH lets
# h5repack compress real datasets (corpus float32 columns, float64 records little- and
# big-endian, which the plugin marks for nzip's numeric model) and h5dump of the
# repacked file equals h5dump of the original; h5py reads the repacked values bit for bit and
# writes new nzip-filtered datasets; without the plugin the data cannot be read (so the filter
# really is in the pipeline); a level out of range is refused with a message.
# Usage: filter_plugin.sh PLUGIN_DIR CORPUS_DIR
set -euo pipefail
PLUGIN_DIR=$(readlink -f "$1")
CORPUS=$(readlink -f "$2")
PY=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$PY" - "$CORPUS" <<'PY'
import sys, numpy as np, h5py
corpus = sys.argv[1]
f32 = np.fromfile(f"{corpus}/float/hep_hzz.cols.f32", dtype="<f4")
f64 = np.fromfile(f"{corpus}/float/hep_cms_zmumu.rows.f64", dtype="<f8").reshape(-1, 8)
with h5py.File("in.h5", "w") as h:
    h.create_dataset("hzz/columns", data=f32, chunks=(16384,))
    h.create_dataset("zmumu/rows", data=f64, chunks=(1024, 8))
    h.create_dataset("small", data=np.arange(10, dtype="<i4"), chunks=(10,))
    h.create_dataset("zmumu/big_endian", data=f64[:2000].astype(">f8"), chunks=(500, 8))
PY

export HDF5_PLUGIN_PATH="$PLUGIN_DIR"
h5repack -f UD=360,0,1,6 in.h5 out.h5 || fail "h5repack with the nzip filter failed"
h5dump -p -H out.h5 | grep -q "FILTER_ID 360" || fail "repacked datasets do not name filter 360"
# The plugin records level, element size, its version and the numbers' byte order.
h5dump -p -H -d zmumu/rows out.h5 | grep -q "PARAMS { 6 8 2 1 }" || fail "little-endian float64 parameters: $(h5dump -p -H -d zmumu/rows out.h5 | grep PARAMS)"
h5dump -p -H -d zmumu/big_endian out.h5 | grep -q "PARAMS { 6 8 2 2 }" || fail "big-endian float64 parameters"
diff <(h5dump in.h5 | tail -n +2) <(h5dump out.h5 | tail -n +2) > /dev/null || fail "h5dump differs after repacking"
in_size=$(stat -c %s in.h5); out_size=$(stat -c %s out.h5)
(( out_size < in_size * 9 / 10 )) || fail "repacked file is not smaller ($out_size vs $in_size)"

"$PY" - <<'PY'
import numpy as np, h5py
with h5py.File("in.h5", "r") as a, h5py.File("out.h5", "r") as b:
    for name in ("hzz/columns", "zmumu/rows", "zmumu/big_endian", "small"):
        x, y = a[name][...], b[name][...]
        assert x.dtype == y.dtype and x.shape == y.shape, name
        assert x.tobytes() == y.tobytes(), name
        assert 360 in b[name]._filters or "360" in b[name]._filters, b[name]._filters
    data = np.frombuffer(a["hzz/columns"][...].tobytes(), dtype="<u4")
with h5py.File("new.h5", "w") as h:
    h.create_dataset("u32", data=data, chunks=(4096,), compression=360, compression_opts=(9,))
with h5py.File("new.h5", "r") as h:
    assert h["u32"][...].tobytes() == data.tobytes()
PY
[[ $? -eq 0 ]] || fail "h5py round trip"

unset HDF5_PLUGIN_PATH
export HDF5_PLUGIN_PATH="$work/nowhere"
if h5dump -d hzz/columns out.h5 > /dev/null 2>&1; then fail "data read without the plugin"; fi
export HDF5_PLUGIN_PATH="$PLUGIN_DIR"
# (h5repack itself copies a dataset unfiltered when a filter refuses, so ask h5py.)
if "$PY" -c 'import h5py, numpy as np
with h5py.File("bad.h5", "w") as h:
    h.create_dataset("x", data=np.zeros(100, "<f4"), chunks=(50,), compression=360, compression_opts=(12,))' 2> err; then
  fail "level 12 accepted"
fi
grep -q "out of range" err || fail "level 12 refused without saying why: $(tail -3 err)"
echo "filter_plugin: ok (in.h5 $in_size bytes, repacked $out_size)"
