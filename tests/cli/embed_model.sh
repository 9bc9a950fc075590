#!/usr/bin/env bash
# Proves: `nzip model pack|unpack` convert a model file between the raw and packed forms
# with the same id (unpack gives back the raw file byte for byte; stdin/stdout work; an
# existing OUT is refused without -f; a damaged input exits 3 and leaves no OUT);
# `nzip model info` reports the form and both sizes; `--embed-model` writes a container
# that plain `nzip -d` / `-t` decode (also from a pipe), `-l` says "model embedded, N bytes"
# with N the packed model's size; `--model` at decompression must be the embedded one
# (another: exit 4); a damaged embedded model exits 3 and leaves no output; `--no-model`
# gives the default's bytes at levels 1-7, pure context mixing at -9 where the default
# uses the built-in model, excludes --model, and is accepted by -d and bench; misused
# options exit 1. Needs NZIP_RANDOM_MODEL (set by CMake).
source "$(dirname "$0")/common.bash"
[[ -n ${NZIP_RANDOM_MODEL:-} ]] || fail "NZIP_RANDOM_MODEL is not set"

expect_exit() {  # CODE PATTERN COMMAND...
  local code=$1 pattern=$2
  shift 2
  set +e
  "$@" > /dev/null 2> err
  local rc=$?
  set -e
  [[ $rc -eq $code ]] || fail "$*: expected exit $code, got $rc ($(cat err))"
  grep -q -- "$pattern" err || fail "$*: stderr lacks '$pattern': $(cat err)"
}

"$NZIP_RANDOM_MODEL" --d-model 32 --layers 1 --heads 2 --ff 64 --window 64 --seed 3 -o m.nzm > /dev/null
"$NZIP_RANDOM_MODEL" --d-model 32 --layers 1 --heads 2 --ff 64 --window 64 --seed 4 -o other.nzm > /dev/null
id=$("$NZIP" model info m.nzm | sed -n 's/^model id: *//p')

# pack / unpack
"$NZIP" model pack m.nzm p.nzm
"$NZIP" model unpack p.nzm u.nzm
cmp -s m.nzm u.nzm || fail "unpack does not give back the raw file"
"$NZIP" model pack - - < m.nzm > p2.nzm
cmp -s p.nzm p2.nzm || fail "pack through stdin/stdout differs"
"$NZIP" model pack p.nzm p3.nzm
cmp -s p.nzm p3.nzm || fail "packing a packed file changes it"
packed=$(stat -c %s p.nzm)
raw=$(stat -c %s m.nzm)
[[ $packed -lt $raw ]] || fail "packed ($packed) not smaller than raw ($raw)"
"$NZIP" model info p.nzm > info
grep -q "^model id: *$id$" info || fail "packed file has another id: $(cat info)"
grep -q "^file size: *$packed bytes$" info || fail "no packed size: $(cat info)"
grep -qE "^form: *packed \(.+\), $raw bytes raw$" info || fail "no form line: $(cat info)"
"$NZIP" model info m.nzm | grep -q "^form: *raw$" || fail "raw file not reported raw"
"$NZIP" model info --json p.nzm | grep -q "\"form\":\"packed\"" || fail "--json lacks the form"
expect_exit 1 "already exists" "$NZIP" model pack m.nzm p.nzm
"$NZIP" model pack -f m.nzm p.nzm
head -c $((packed / 2)) p.nzm > cut.nzm
expect_exit 3 "^nzip: cut.nzm: " "$NZIP" model unpack cut.nzm out.nzm
[[ ! -e out.nzm ]] || fail "unpack of a damaged file left output"
expect_exit 1 "" "$NZIP" model pack m.nzm

# --embed-model
head -c 8000 "$CORPUS/text/alice29.txt" > t
"$NZIP" -2 --chunk-size 2K --model m.nzm --embed-model t
"$NZIP" -2 --chunk-size 2K --model m.nzm -c t > plain.nz
[[ $(stat -c %s t.nz) -eq $(( $(stat -c %s plain.nz) + 20 + packed )) ]] || fail "embedded container size is not plain + 20 + packed model"
"$NZIP" -2 --chunk-size 2K --model p.nzm --embed-model -c t | cmp -s - t.nz || fail "packed or raw --model file embeds differently"
mv t t.orig
"$NZIP" -d t.nz
cmp -s t t.orig || fail "embedded round trip differs"
"$NZIP" -t t.nz || fail "-t of an embedded container failed"
"$NZIP" -d < t.nz | cmp -s - t.orig || fail "decoding from a pipe differs"
"$NZIP" -dc --model m.nzm t.nz | cmp -s - t.orig || fail "decoding with the same --model differs"
"$NZIP" -l t.nz > out
grep -q "$id (model embedded, $packed bytes)" out || fail "-l does not report the embedded model: $(cat out)"
expect_exit 4 "embeds network model $id" "$NZIP" -dc --model other.nzm t.nz
# Damage inside the embedded model: a data error, no output.
cp t.nz bad.nz
printf '\x55' | dd of=bad.nz bs=1 seek=$((48 + 20 + 200)) conv=notrunc status=none
rm t
expect_exit 3 "^nzip: bad.nz: " "$NZIP" -d -o t bad.nz
[[ ! -e t ]] || fail "output left behind after a damaged embedded model"
expect_exit 3 "^nzip: bad.nz: " "$NZIP" -t bad.nz
expect_exit 1 "needs --model" "$NZIP" --embed-model -c t.orig
expect_exit 1 "compression only" "$NZIP" -d --model m.nzm --embed-model t.nz

# --no-model
for level in 1 6; do
  "$NZIP" -$level -c t.orig > a.nz
  "$NZIP" -$level --no-model -c t.orig > b.nz
  cmp -s a.nz b.nz || fail "--no-model changes the bytes at -$level"
done
"$NZIP" -9 -c t.orig > a.nz
"$NZIP" -9 --no-model -c t.orig > b.nz
"$NZIP" -l a.nz | grep -q "$("$NZIP" model info "$SOURCE_DIR/models/default.nzm" | sed -n 's/^model id: *//p')" ||
  fail "-9 does not name the built-in model: $("$NZIP" -l a.nz)"
"$NZIP" -l b.nz | grep -q "none (context mixing)" || fail "-9 --no-model names a model: $("$NZIP" -l b.nz)"
"$NZIP" -dc a.nz | cmp -s - t.orig || fail "-9 with the built-in model does not decode without --model"
"$NZIP" -dc --no-model b.nz | cmp -s - t.orig || fail "-d --no-model failed"
expect_exit 1 "exclude each other" "$NZIP" --no-model --model m.nzm -c t.orig
"$NZIP" bench --no-model --no-baselines --levels 1 -q t.orig > out || fail "bench --no-model failed"
expect_exit 1 "exclude each other" "$NZIP" bench --no-model --model m.nzm --no-baselines t.orig
echo "embed_model: ok"
