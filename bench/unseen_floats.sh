#!/usr/bin/env bash
# Float files nzip was never tuned on (issue 5: "float files of the corpus plus float files it
# has never seen, in total, at the default level: >= 15% smaller than xz -9e, and every file
# smaller than byte-shuffle + zstd -19"). The files come from Debian packages, fetched with
# `apt-get download` (nothing is installed) and unpacked with dpkg-deb:
#
#   de200_cheb.rows.f64   casacore-data-jpl-de200: JPL DE200 Chebyshev coefficients, every
#                         record of DE200/table.f0i (826 float64 each), read as the corpus
#                         tool reads DE405 (casacore array file: 16-byte file header, then
#                         per array u32 1, u32 1, u32 count, the values and 4 more bytes)
#   sst_nino3.cols.f64    python3-pywt: pywt/data/sst_nino3.npz, 800 x 10 float64 sea-surface
#                         temperatures, column-major as stored
#   membrane.f32          python-matplotlib-data: sample_data/membrane.dat, 12,000 float32
#   topobathy.f32         python-matplotlib-data: sample_data/topobathy.npz topo, 91 x 120
#                         float32 heights
#   goog_prices.rows      python-matplotlib-data: sample_data/goog.npz price_data, 1047
#                         records of 56 bytes (date i8, open/high/low/close f8, volume i8,
#                         adjusted close f8)
#
# Not run in CI (it needs the Debian mirror). Usage:
#
#   bench/unseen_floats.sh BUILD [WORKDIR]
#
# Runs `nzip bench -T 2 --baselines xz-9e,shuffle-zstd-19` on the files (every output is
# decompressed and compared by nzip bench; its TOTAL rows are the sums), then issue 5's two
# checks: nzip's total against xz -9e in percent, and any file not smaller than
# shuffle-zstd-19 (tools/benchmarks_md.py makes the same checks for the corpus). The files,
# the table (unseen.txt) and its JSON stay in WORKDIR.
set -euo pipefail
BUILD=$(readlink -f "$1")
WORK=${2:-$(mktemp -d)}
mkdir -p "$WORK/deb" "$WORK/files"
WORK=$(readlink -f "$WORK")
cd "$WORK/deb"
apt-get download casacore-data-jpl-de200 python3-pywt python-matplotlib-data 2>&1 | grep -v '^W:' || true
for deb in *.deb; do dpkg-deb -x "$deb" tree; done

python3 - "$WORK/deb/tree" "$WORK/files" <<'EOF'
import pathlib, struct, sys, zipfile

tree, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])

def npy(raw):
    # The .npy format: magic, version, header length, a dict literal, then the raw array.
    assert raw[:6] == b'\x93NUMPY', 'not an .npy array'
    if raw[6] == 1:
        n, start = struct.unpack('<H', raw[8:10])[0], 10
    else:
        n, start = struct.unpack('<I', raw[8:12])[0], 12
    return raw[start:start + n].decode('latin-1'), raw[start + n:]

def from_npz(path, member, expect):
    header, data = npy(zipfile.ZipFile(path).read(member))
    assert expect in header, f'{path}:{member}: unexpected header {header}'
    return data

# DE200: arrays of 826 float64, each after a 12-byte header (1, 1, 826) and followed by 4
# bytes before the next (a stride of 6624 bytes, as DE405's 8160 for 1018 values).
b = (tree / 'usr/share/casacore/data/ephemerides/DE200/table.f0i').read_bytes()
recs, off = [], 16
while off + 12 + 8 * 826 <= len(b) and struct.unpack('<III', b[off:off + 12]) == (1, 1, 826):
    recs.append(b[off + 12:off + 12 + 8 * 826])
    off += 12 + 8 * 826 + 4
assert len(recs) > 1000, f'DE200: only {len(recs)} records read'
(out / 'de200_cheb.rows.f64').write_bytes(b''.join(recs))

pywt = tree / 'usr/lib/python3/dist-packages/pywt/data'
(out / 'sst_nino3.cols.f64').write_bytes(from_npz(pywt / 'sst_nino3.npz', 'sst_csv.npy', "'<f8'"))

mpl = tree / 'usr/share/matplotlib/mpl-data/sample_data'
(out / 'membrane.f32').write_bytes((mpl / 'membrane.dat').read_bytes())
(out / 'topobathy.f32').write_bytes(from_npz(mpl / 'topobathy.npz', 'topo.npy', "'<f4'"))
(out / 'goog_prices.rows').write_bytes(from_npz(mpl / 'goog.npz', 'price_data.npy', "('close', '<f8')"))
for f in sorted(out.iterdir()):
    print(f'{f.name}: {f.stat().st_size} bytes')
EOF

cd "$WORK/files"
files=(de200_cheb.rows.f64 goog_prices.rows membrane.f32 sst_nino3.cols.f64 topobathy.f32)
"$BUILD/nzip" bench -q -T 2 --baselines xz-9e,shuffle-zstd-19 --json "$WORK/unseen.json" "${files[@]}" |
  tee "$WORK/unseen.txt"
python3 - "$WORK/unseen.json" <<'EOF'
import json, sys
res = json.load(open(sys.argv[1]))['results']
total = {}
for r in res:
    total[r['codec']] = total.get(r['codec'], 0) + r['compressed_size']
nz = [c for c in total if c.startswith('nzip')][0]
print(f'{nz} vs xz -9e: {100 * (1 - total[nz] / total["xz-9e"]):.1f}% smaller')
worse = [r['file'] for r in res if r['codec'] == nz and r['compressed_size'] >=
         next(s['compressed_size'] for s in res if s['codec'] == 'shuffle-zstd-19' and s['file'] == r['file'])]
print('files not smaller than shuffle-zstd-19: ' + (', '.join(worse) if worse else 'none'))
EOF
