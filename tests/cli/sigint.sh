#!/usr/bin/env bash
# Proves: SIGINT (and SIGTERM) in the middle of compressing leaves no .nz and no temporary file,
# exits 130 (143), and leaves the input intact. Skips a case when nzip finished before the
# signal arrived.
source "$(dirname "$0")/common.bash"

head -c 50000000 /dev/urandom > big
sum=$(sha256sum < big)

for sig in INT TERM; do
  want=130
  [[ $sig == TERM ]] && want=143
  "$NZIP" -9 -T1 big 2>err &
  pid=$!
  sleep 0.5
  if ! kill -"$sig" "$pid" 2>/dev/null; then
    wait "$pid" || true
    echo "sigint: SIG$sig skipped (nzip finished in under 0.5 s)"
    rm -f big.nz
    continue
  fi
  set +e
  wait "$pid"
  rc=$?
  set -e
  if [[ $rc -eq 0 ]]; then
    echo "sigint: SIG$sig skipped (nzip finished before the signal)"
    rm -f big.nz
    continue
  fi
  [[ $rc -eq $want ]] || fail "SIG$sig: expected exit $want, got $rc"
  [[ ! -e big.nz ]] || fail "SIG$sig: big.nz left behind"
  leftovers=$(ls -A | grep -v -x -e big -e err || true)
  [[ -z $leftovers ]] || fail "SIG$sig: left behind: $leftovers"
  [[ $(sha256sum < big) == "$sum" ]] || fail "SIG$sig: input changed"
done
echo "sigint: ok"
