#!/usr/bin/env bash
# Proves: -c writes to stdout and keeps the input; no argument and "-" mean stdin -> stdout
# in both directions; -o names the output; -o with two inputs is a usage error; the bytes
# produced through a pipe are the same as those of a file.
source "$(dirname "$0")/common.bash"

head -c 30000 "$CORPUS/structured/lua-5.4.4_src.c" > f

"$NZIP" -c f > c.nz
[[ -f f && ! -e f.nz ]] || fail "-c must keep the input and write no file"
"$NZIP" -d -c c.nz > c.out
cmp c.out f || fail "-c round trip"
[[ -f c.nz ]] || fail "-dc must keep the input"

"$NZIP" < f > p.nz
"$NZIP" -d < p.nz > p.out
cmp p.out f || fail "stdin/stdout round trip"
cat f | "$NZIP" - | "$NZIP" -d - > q.out
cmp q.out f || fail "'-' pipe round trip"
"$NZIP" f
cmp p.nz f.nz || fail "pipe output differs from file output"

"$NZIP" -o named.nz f
cmp named.nz f.nz || fail "-o output differs"
"$NZIP" -d -o named.out named.nz
cmp named.out f || fail "-d -o round trip"
# -o accepts a name without .nz when decompressing, and reads stdin.
"$NZIP" -d -o fromstdin < f.nz
cmp fromstdin f || fail "-d -o from stdin"

set +e
"$NZIP" -o x.nz f named.out 2>err
rc=$?
set -e
[[ $rc -eq 1 ]] || fail "-o with two inputs: expected exit 1, got $rc"
[[ ! -e x.nz ]] || fail "-o with two inputs wrote something"

# -t reads stdin too.
"$NZIP" -t < f.nz || fail "-t from stdin"
echo "stdio: ok"
