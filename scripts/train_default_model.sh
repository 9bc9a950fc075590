#!/usr/bin/env bash
# Trains the built-in default model (models/default.nzm; models/README.md) from
# ../shared/corpus, exactly as the committed one was made. Deterministic for this seed,
# step count and thread count (-T 2): the same command gives the same model on any x86-64
# or aarch64 machine with the same nzip sources.
#   scripts/train_default_model.sh [BUILD_DIR] [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
out=${2:-models/default.nzm}
corpus=../shared/corpus
# Text, code, logs, tables and binaries: all of them. Float data: the two small tables only;
# the large float files are mostly full-precision mantissa bytes, noise to a small network
# (the numeric context model handles numbers), and would fill most of the training bytes.
files=(
  "$corpus"/text/{alice29.txt,asyoulik.txt,bible.txt,enwik6,lcet10.txt,plrabn12.txt,world192.txt}
  "$corpus"/structured/{apache_access.log,brain_networks.csv,html,lua-5.4.4_src.c,nginxplus_status.jsonl}
  "$corpus"/structured/{pyhf_atlas_sbottom_bkgonly.json,pylhe_pr29.lhe,seaice.csv,urls.10K}
  "$corpus"/binary/{fireworks.jpeg,geo.protodata,kennedy.xls,kppkn.gtb,libstdc++.so.6.0.30,mapsdatazrh}
  "$corpus"/binary/{paper-100k.pdf,ptt5}
  "$corpus"/float/{hep_hzz.cols.f32,hep_cms_zmumu.rows.f64}
)
exec "$build/nzip" train --data "${files[@]}" --preset tiny --split 0.9,0.05,0.05 --steps 20000 --seed 1 -T 2 \
  --eval-every 2000 --eval-bytes 1048576 --metrics "$out.metrics.jsonl" --out "$out"
