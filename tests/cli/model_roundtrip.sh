#!/usr/bin/env bash
# Proves: `nzip --model FILE.nzm` (context mixing + network) and `--model --network-only`
# round-trip a corpus excerpt through the CLI with identical bytes for -T1/-T2/-T3 and for
# every SIMD target forced with NZIP_SIMD; `nzip -l` shows the model's hash; decoding
# without the model or with another one fails with exit code 4 (model mismatch) and a
# message naming the expected hash, leaving no output; --network-only alone is a usage
# error; `nzip bench --model` reports KB/s and memory. Needs NZIP_RANDOM_MODEL (the
# nzip_random_model tool, set by CMake).
source "$(dirname "$0")/common.bash"
[[ -n ${NZIP_RANDOM_MODEL:-} ]] || fail "NZIP_RANDOM_MODEL is not set"

"$NZIP_RANDOM_MODEL" --d-model 32 --layers 1 --heads 2 --ff 64 --window 64 --seed 3 -o m.nzm > /dev/null
"$NZIP_RANDOM_MODEL" --d-model 32 --layers 1 --heads 2 --ff 64 --window 64 --seed 4 -o other.nzm > /dev/null
id=$("$NZIP" model info m.nzm | sed -n 's/^model id: *//p')
[[ ${#id} -eq 32 ]] || fail "no model id from model info"

head -c 5000 "$CORPUS/text/alice29.txt" > t
for mode in "" "--network-only"; do
  "$NZIP" -2 -T1 --chunk-size 1K --model m.nzm $mode -c t > t1.nz
  for th in 2 3; do
    "$NZIP" -2 -T$th --chunk-size 1K --model m.nzm $mode -c t > t$th.nz
    cmp -s t1.nz t$th.nz || fail "-T$th output differs from -T1 ($mode)"
  done
  for simd in scalar sse4 avx2 avx512; do
    # A target this CPU lacks is refused with a clear error; skip it.
    NZIP_SIMD=$simd "$NZIP" -2 -T2 --chunk-size 1K --model m.nzm $mode -c t > s.nz 2> /dev/null || continue
    cmp -s t1.nz s.nz || fail "NZIP_SIMD=$simd output differs ($mode)"
    NZIP_SIMD=$simd "$NZIP" -d -T2 --model m.nzm -c t1.nz > back
    cmp -s t back || fail "NZIP_SIMD=$simd round trip differs ($mode)"
  done
  "$NZIP" -d --model m.nzm -c t1.nz > back
  cmp -s t back || fail "round trip differs ($mode)"
done

"$NZIP" bench --model m.nzm --no-baselines --levels 1 -T2 --chunk-size 1K -q t > out
grep -q "nzip-1+nn on t: compress .* KB/s, decompress .* KB/s" out || fail "bench --model: no KB/s line: $(cat out)"
grep -q "peak memory" out || fail "bench --model: no memory line: $(cat out)"

"$NZIP" -l t1.nz > out
grep -q "$id" out || fail "-l does not show the model hash: $(cat out)"

cp t1.nz u.nz
set +e
"$NZIP" -d u.nz 2> err
rc=$?
set -e
[[ $rc -eq 4 ]] || fail "decoding without the model: expected exit 4, got $rc"
grep -q "$id" err || fail "the error does not name the expected hash: $(cat err)"
[[ ! -e u ]] || fail "output left behind after a model mismatch"
set +e
"$NZIP" -d --model other.nzm u.nz 2> err
rc=$?
set -e
[[ $rc -eq 4 ]] || fail "decoding with another model: expected exit 4, got $rc"
grep -q "$id" err || fail "the error does not name the expected hash: $(cat err)"
[[ ! -e u ]] || fail "output left behind after a model mismatch"

set +e
"$NZIP" --network-only -c t > /dev/null 2> err
rc=$?
set -e
[[ $rc -eq 1 ]] || fail "--network-only without --model: expected exit 1, got $rc"
echo "model_roundtrip: ok"
