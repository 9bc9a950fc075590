#!/usr/bin/env bash
# Proves: `nzip model info` prints the format version, architecture, parameter count, tensor
# count, file size and model id of a .nzm file (and the tensors with -v, JSON with --json,
# from stdin with -); the id equals the one tools/nzm_reference.py, a second implementation
# written from docs/MODEL_FORMAT.md, computes, for the canonical worked example, for a
# non-canonical rewrite of it and for a plain safetensors file; and damaged, missing or
# unsupported files give `nzip: FILE: message` with the documented exit codes.
tools=$(readlink -f "$(dirname "$0")/../../tools")
source "$(dirname "$0")/common.bash"
py=/usr/bin/python3
[[ -x $py ]] || py=python3
ref() { "$py" "$tools/nzm_reference.py" "$@"; }
expected_id=5061cbe9e1dddf4850a9af32489e1134  # docs/MODEL_FORMAT.md, worked example

ref example ex.nzm
ref variant var.nzm
ref plain plain.safetensors

"$NZIP" model info ex.nzm > out
grep -q "^format: *nzm version 1$" out || fail "no format version: $(cat out)"
grep -q "^architecture: *transformer d_model=4 layers=1 heads=2 ff=8 window=16 vocab=256 element_size=1$" out ||
  fail "no architecture: $(cat out)"
grep -q "^parameters: *6$" out || fail "parameter count (scales excluded) is not 6: $(cat out)"
grep -q "^tensors: *2$" out || fail "no tensor count: $(cat out)"
grep -q "^file size: *$(stat -c %s ex.nzm) bytes$" out || fail "no file size: $(cat out)"
grep -q "^model id: *$expected_id$" out || fail "model id is not the worked example's: $(cat out)"
grep -q "^canonical: *yes" out || fail "the written example is not canonical: $(cat out)"
[[ $(ref id ex.nzm) == "$expected_id" ]] || fail "reference implementation disagrees on the example"

# Same content, other key order, whitespace and data order: same id, not canonical.
"$NZIP" model info var.nzm > out
grep -q "^model id: *$expected_id$" out || fail "variant has another id: $(cat out)"
grep -q "^canonical: *no$" out || fail "variant reported canonical: $(cat out)"
ref canonical var.nzm var2.nzm
cmp -s var2.nzm ex.nzm || fail "reference canonical rewrite differs from the example"

# A plain safetensors file is shown, with the id the reference computes.
"$NZIP" model info plain.safetensors > out
grep -q "not an nzip model" out || fail "plain file not flagged: $(cat out)"
grep -q "^model id: *$(ref id plain.safetensors)$" out || fail "plain id differs from the reference: $(cat out)"

"$NZIP" model info -v ex.nzm > out
grep -qE "^  w +I8 +\[2,3\] +6 bytes$" out || fail "-v does not list tensor w: $(cat out)"
grep -qE "^  w.scale +I32 +\[2\] +8 bytes +\(scale\)$" out || fail "-v does not list w.scale: $(cat out)"

"$NZIP" model info --json ex.nzm plain.safetensors > out
"$py" - out "$expected_id" <<'PY' || fail "--json output wrong: $(cat out)"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
a, b = (json.loads(l) for l in lines)
assert a["model_id"] == sys.argv[2] and a["nzip_model"] and a["parameters"] == 6, a
assert a["architecture"]["kind"] == "transformer" and a["architecture"]["d_model"] == 4, a
assert a["tensor_count"] == 2 and a["file_size"] == 334 and a["format_version"] == "1", a
assert not b["nzip_model"] and b["architecture"] is None, b
PY

"$NZIP" model info - < ex.nzm > out
grep -q "^model id: *$expected_id$" out || fail "stdin: $(cat out)"

# Errors and exit codes (docs/CLI.md).
expect_exit() {  # CODE PATTERN ARGS...
  local code=$1 pattern=$2
  shift 2
  set +e
  "$NZIP" model "$@" > /dev/null 2> err
  local rc=$?
  set -e
  [[ $rc -eq $code ]] || fail "nzip model $*: expected exit $code, got $rc ($(cat err))"
  grep -q -- "$pattern" err || fail "nzip model $*: stderr lacks '$pattern': $(cat err)"
}
head -c 200 ex.nzm > cut.nzm
expect_exit 3 "^nzip: cut.nzm: .*" info cut.nzm
printf 'not a model file at all' > text.nzm
expect_exit 3 "^nzip: text.nzm: model header" info text.nzm
sed 's/"format_version":"1"/"format_version":"2"/' ex.nzm > v2.nzm
expect_exit 4 "^nzip: v2.nzm: .*format version 2" info v2.nzm
expect_exit 2 "^nzip: missing.nzm: " info missing.nzm
mkdir d
expect_exit 1 "^nzip: d: is a directory" info d
expect_exit 1 "" info
expect_exit 1 "" bogus ex.nzm
# Several files: the good ones are still shown, the exit code is the highest met.
set +e
"$NZIP" model info ex.nzm cut.nzm v2.nzm > out 2> err
rc=$?
set -e
[[ $rc -eq 4 ]] || fail "several files: expected exit 4, got $rc"
grep -q "$expected_id" out || fail "several files: the good one is not shown"
echo "model_info: ok"
