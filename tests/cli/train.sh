#!/usr/bin/env bash
# Proves: `nzip train` trains a tiny model for a few steps on a corpus file and writes a .nzm
# that `nzip model info` reads with the architecture asked for; progress lines (step, loss,
# validation bpb, lr) go to stderr, with the test split beside nzip -9, xz and zstd; a JSONL
# metrics log and an SVG loss curve are written; the model is written packed by default and
# raw with --raw, with the same id; an existing output is refused without -f; bad options
# exit 1 and leave no output or temporary file behind; --dry-run writes nothing.
source "$(dirname "$0")/common.bash"
text="$CORPUS/text/alice29.txt"

"$NZIP" train --data "$text" --out m.nzm -T 2 --d-model 32 --layers 1 --heads 2 --ff 64 --window 32 \
  --steps 20 --eval-every 10 --eval-bytes 4096 --log-every 5 --metrics m.jsonl 2> err || fail "train failed: $(cat err)"
grep -qE "^step +5  loss [0-9.]+ bpb  lr [0-9.e+-]+" err || fail "no progress line: $(cat err)"
grep -qE "^step +20 .*val [0-9.]+ bpb \(float [0-9.]+\)" err || fail "no validation line: $(cat err)"
grep -q "test [0-9.]* bpb integer" err || fail "no test report: $(cat err)"
grep -qE "model [0-9.]+, nzip-9 [0-9.]+, xz-9e [0-9.]+, zstd-19 [0-9.]+" err || fail "no baselines: $(cat err)"
[[ $(wc -l < m.jsonl) -eq 20 ]] || fail "metrics log has $(wc -l < m.jsonl) lines, expected 20"
grep -q '"step":20,.*"val_bpb"' m.jsonl || grep -q '"val_bpb".*"step":20' m.jsonl || fail "no validation in the metrics log"
grep -q "<svg" m.nzm.svg || fail "no loss curve next to the model"
"$NZIP" model info m.nzm > info || fail "model info failed"
grep -q "^architecture: *transformer d_model=32 layers=1 heads=2 ff=64 window=32 vocab=256 element_size=1$" info ||
  fail "architecture: $(cat info)"
grep -qE "^form: *packed \(.*\), [0-9]+ bytes raw$" info || fail "not written packed: $(cat info)"
grep -q "^canonical: *packed" info || fail "packed file not reported as such: $(cat info)"
grep -qE "model file packed: [0-9]+ bytes \(raw form [0-9]+ bytes\)" err || fail "no size report: $(cat err)"

# An existing output is kept unless -f.
set +e
"$NZIP" train --data "$text" --out m.nzm --steps 1 2> err
rc=$?
set -e
[[ $rc -eq 1 ]] || fail "overwrite without -f: exit $rc"
grep -q "already exists" err || fail "no refusal message: $(cat err)"

# Bad options: exit 1, nothing left behind.
mkdir out && cd out
for args in "--heads 3" "--split 0.9,0.2,0.1" "--steps 0" "--max-len 1000000"; do
  set +e
  # shellcheck disable=SC2086
  "$NZIP" train --data "$text" --out bad.nzm -q $args 2> ../err
  rc=$?
  set -e
  [[ $rc -eq 1 ]] || fail "train $args: exit $rc, expected 1 ($(cat ../err))"
  [[ -z $(ls -A) ]] || fail "train $args left files: $(ls -A)"
done

"$NZIP" train --data "$text" --dry-run --steps 10 -T 1 > ../dry || fail "dry run failed"
grep -q "^parameters: *[0-9]" ../dry || fail "dry run: $(cat ../dry)"
[[ -z $(ls -A) ]] || fail "dry run left files: $(ls -A)"

# Checkpoints: resuming a finished run's checkpoint gives the same model, byte for byte.
cd "$work"
args=(--data "$text" -T 2 --d-model 32 --layers 1 --heads 2 --ff 64 --window 32 --steps 12 --eval-every 6 -q
  --checkpoint ck --checkpoint-every 6)
"$NZIP" train "${args[@]}" --out full.nzm || fail "train with checkpoints failed"
[[ -s ck ]] || fail "no checkpoint written"
"$NZIP" train "${args[@]}" --out again.nzm --resume ck || fail "resume failed"
cmp -s full.nzm again.nzm || fail "resumed model differs"
# --raw: the same model in the raw form, with the same id.
"$NZIP" train "${args[@]}" --out raw.nzm --resume ck --raw || fail "resume --raw failed"
"$NZIP" model info raw.nzm > raw.info
grep -q "^form: *raw$" raw.info || fail "--raw did not write the raw form: $(cat raw.info)"
grep -q "^canonical: *yes" raw.info || fail "--raw output not canonical: $(cat raw.info)"
[[ $("$NZIP" model info full.nzm | grep "^model id") == $(grep "^model id" raw.info) ]] || fail "--raw changed the id"
[[ $(stat -c %s full.nzm) -lt $(stat -c %s raw.nzm) ]] || fail "packed model not smaller than raw"
set +e
"$NZIP" train "${args[@]}" --seed 9 --out other.nzm --resume ck 2> err
rc=$?
set -e
[[ $rc -ne 0 && ! -e other.nzm ]] || fail "resume with another seed: exit $rc"
grep -q "other options" err || fail "no message for mismatched resume: $(cat err)"

# YAML: --init-config writes a template; --config reads it; command-line options override it.
"$NZIP" train --init-config t.yaml || fail "--init-config failed"
grep -q "^  d_model: 64 " t.yaml || fail "template lacks model.d_model: $(cat t.yaml)"
sed -i "s|\[\"FILE\"\]|[\"$text\"]|; s|out: \"\"|out: \"cfg.nzm\"|; s|steps: 2000|steps: 6|; s|layers: 2 |layers: 1 |" t.yaml
"$NZIP" train --config t.yaml --d-model 32 --heads 2 --ff 32 --window 16 -T 2 -q || fail "--config run failed"
"$NZIP" model info cfg.nzm | grep -q "d_model=32 layers=1 heads=2 ff=32 window=16 " || fail "config/CLI not combined"
set +e
"$NZIP" train --init-config t.yaml 2> err
rc=$?
set -e
[[ $rc -eq 1 ]] || fail "--init-config over an existing file: exit $rc"
echo "bogus: 1" > bad.yaml
set +e
"$NZIP" train --config bad.yaml --out never.nzm 2> err
rc=$?
set -e
[[ $rc -eq 1 && ! -e never.nzm ]] || fail "bad config: exit $rc"
grep -q "unknown key 'bogus'" err || fail "bad config message: $(cat err)"
