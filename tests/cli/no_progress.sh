#!/usr/bin/env bash
# Proves: when stderr is not a terminal, nothing at all is written to it by a successful run
# (no progress line), for compress, decompress and test; -v is what prints statistics.
source "$(dirname "$0")/common.bash"

# Big enough to take longer than one progress refresh interval (200 ms).
cat "$CORPUS/structured/html" "$CORPUS/structured/html" > f
"$NZIP" f 2> err1
"$NZIP" -d -c f.nz > /dev/null 2> err2
"$NZIP" -t f.nz 2> err3
cat f | "$NZIP" > /dev/null 2> err4
for e in err1 err2 err3 err4; do
  [[ ! -s $e ]] || fail "$e not empty: $(cat -v $e)"
done
"$NZIP" -v -f f 2> err5
grep -q "bpb" err5 || fail "-v prints no statistics"
grep -q $'\r' err5 && fail "-v output contains a carriage return (progress line)"
echo "no_progress: ok"
