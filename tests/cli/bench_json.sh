#!/usr/bin/env bash
# Proves: `nzip bench --json` on a small file round-trips and reports all 8 codecs (nzip and
# the seven baselines) as valid JSON, and prints a table with TOTAL rows.
source "$(dirname "$0")/common.bash"

head -c 20000 "$CORPUS/structured/urls.10K" > small
"$NZIP" bench --json r.json small > table
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' r.json || fail "invalid JSON"
python3 - r.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
want = {"nzip-6", "xz-9e", "zstd-19", "zstd-22-long27", "brotli-11", "bzip2-9", "gzip-9", "shuffle-zstd-19"}
got = {row["codec"] for row in r["results"]}
assert got == want, got
assert len(r["results"]) == 8 and len(r["totals"]) == 8
for row in r["results"]:
    assert row["original_size"] == 20000, row
    assert row["compressed_size"] > 0, row
xz = [row for row in r["results"] if row["codec"] == "xz-9e"][0]
assert abs(xz["ratio_vs_xz"] - 1.0) < 1e-12
PY
grep -q "TOTAL" table || fail "no TOTAL rows"
grep -q "zstd-22-long27" table || fail "table lacks a baseline"

"$NZIP" bench --no-baselines --levels 1,2 small > table2
grep -q "nzip-1" table2 && grep -q "nzip-2" table2 || fail "--levels ignored"
grep -q "xz-9e" table2 && fail "--no-baselines still ran baselines"
"$NZIP" bench --levels 1 --baselines gzip-9,bzip2-9 --json r2.json small > /dev/null
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert {x["codec"] for x in r["results"]}=={"nzip-1","gzip-9","bzip2-9"}' r2.json \
  || fail "--baselines selection"
set +e
"$NZIP" bench --baselines nosuch small > /dev/null 2>&1
rc=$?
set -e
[[ $rc -eq 1 ]] || fail "unknown baseline: expected exit 1, got $rc"
echo "bench_json: ok"
