#!/usr/bin/env bash
# Training throughput of `nzip train`: bytes of training sequences per second, for the tiny
# preset (127 k parameters) and a ~2 M-parameter model, on a corpus text file. Not run in
# CI (minutes); run it by hand on an otherwise idle Release build:
#
#   bench/train_throughput.sh NZIP [THREADS] [DATA]
#     NZIP     the nzip binary (build/nzip)
#     THREADS  -T value, default 2
#     DATA     training file, default ../shared/corpus/text/enwik6
#
# Prints one line per model: parameters, steps, seconds, bytes/s (from nzip train's own
# summary line, which counts the bytes of every sequence trained on). Validation is left
# out of the timed run (--eval-every larger than the run), so the figure is training alone.
set -euo pipefail
NZIP=$(readlink -f "$1")
THREADS=${2:-2}
DATA=$(readlink -f "${3:-$(dirname "$0")/../../shared/corpus/text/enwik6}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() {
  local name=$1 steps=$2
  shift 2
  "$NZIP" train -f --data "$DATA" --out "$work/m.nzm" -T "$THREADS" --steps "$steps" --eval-every 100000 \
    --no-curve "$@" 2> "$work/err" || { cat "$work/err" >&2; exit 1; }
  # "nzip train: wrote M: P parameters, B bytes; best step S of N; T s, R bytes/s"
  local line
  line=$(grep "nzip train: wrote" "$work/err" || true)
  [[ -n $line ]] || { echo "no summary line from nzip train" >&2; cat "$work/err" >&2; exit 1; }
  echo "$name: $(sed -E 's/.*: ([0-9]+) parameters.*of ([0-9]+); ([0-9.]+) s, ([0-9]+) bytes\/s/\1 parameters, \2 steps, \3 s, \4 bytes\/s/' <<< "$line") (-T $THREADS)"
}

run "tiny preset" 400 --preset tiny
run "2M model (d 192, 5 layers, 4 heads, ff 576, window 128)" 60 --d-model 192 --layers 5 --heads 4 --ff 576 --window 128
