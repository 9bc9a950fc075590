#!/usr/bin/env bash
# Proves: a corpus file and an empty file survive compress -> decompress byte for byte at the
# default level, -1 and -9; FILE.nz is created next to FILE and FILE is kept; the restored
# file gets the input's permissions and modification time.
source "$(dirname "$0")/common.bash"

cp "$CORPUS/structured/html" sample
chmod 640 sample
touch -d '2001-02-03 04:05:06' sample
: > empty

for level in "" -1 -9; do
  rm -f sample.nz empty.nz
  "$NZIP" $level sample empty
  [[ -f sample && -f empty ]] || fail "input removed (level '$level')"
  [[ -f sample.nz && -f empty.nz ]] || fail "no .nz written (level '$level')"
  mkdir out
  cp -p sample.nz empty.nz out/
  "$NZIP" -d out/sample.nz out/empty.nz
  cmp sample out/sample || fail "sample differs after round trip (level '$level')"
  cmp empty out/empty || fail "empty differs after round trip (level '$level')"
  [[ $(stat -c %a out/sample) == 640 ]] || fail "mode not copied: $(stat -c %a out/sample)"
  [[ $(stat -c %Y out/sample) == $(stat -c %Y sample) ]] || fail "mtime not copied"
  rm -rf out
done

# The .nz itself carries the input's mode and time too.
[[ $(stat -c %a sample.nz) == 640 ]] || fail ".nz mode not copied"
[[ $(stat -c %Y sample.nz) == $(stat -c %Y sample) ]] || fail ".nz mtime not copied"

# Chunk size and thread count options are accepted and round-trip.
"$NZIP" -f -T 2 --chunk-size 16K sample
"$NZIP" -dc sample.nz | cmp - sample || fail "--chunk-size 16K round trip"
[[ -z $(ls -A | grep -v -x -e sample -e sample.nz -e empty -e empty.nz) ]] || fail "stray files: $(ls -A)"
echo "roundtrip: ok"
