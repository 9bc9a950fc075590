#!/usr/bin/env bash
# Regenerates tests/pinned_sizes.json: the compressed size of every corpus file at nzip's
# default level, and beside it the size `xz -9e -T1` gives (the baseline the ratio claims
# are measured against). tests/corpus_test.cpp compares the library's output with these
# numbers, so a change that makes any file bigger, or noticeably smaller, must run this
# script and commit the new file on purpose.
#
#   tools/update_pinned_sizes.sh [NZIP_BINARY] [CORPUS_DIR]
#     NZIP_BINARY  default: build/nzip (this script builds nothing)
#     CORPUS_DIR   default: ../shared/corpus relative to the repository
#
# Corpus files are every regular file under CORPUS_DIR except README.md, tools/, and the
# FILE.json sidecars that describe a FILE beside them (the same rule as tests/test_support.h).
# Takes about a minute and a half on 2 cores.
set -euo pipefail
export LC_ALL=C
root=$(cd "$(dirname "$0")/.." && pwd)
nzip=$(readlink -f "${1:-$root/build/nzip}")
corpus=$(readlink -f "${2:-$root/../shared/corpus}")
out="$root/tests/pinned_sizes.json"

[[ -x $nzip ]] || { echo "update_pinned_sizes: no nzip binary at $nzip (build first)" >&2; exit 1; }
[[ -d $corpus ]] || { echo "update_pinned_sizes: no corpus at $corpus" >&2; exit 1; }
command -v xz >/dev/null || { echo "update_pinned_sizes: xz not found (apt-get install xz-utils)" >&2; exit 1; }

# The level nzip uses when given none, as its --help states it ("default -6").
level=$("$nzip" --help | grep -o 'default -[0-9]' | head -n1 | tr -dc '0-9')
[[ -n $level ]] || { echo "update_pinned_sizes: cannot read the default level from nzip --help" >&2; exit 1; }

files=()
while IFS= read -r -d '' f; do
  rel=${f#"$corpus"/}
  case $rel in
    README.md | tools/*) continue ;;
    *.json) [[ -e ${f%.json} ]] && continue ;;  # sidecar of a data file
  esac
  files+=("$rel")
done < <(find "$corpus" -type f -print0 | sort -z)
[[ ${#files[@]} -gt 0 ]] || { echo "update_pinned_sizes: no files in $corpus" >&2; exit 1; }

tmp=$(mktemp "$out.XXXXXX")
trap 'rm -f "$tmp"' EXIT
nz_lines=() xz_lines=()
nz_total=0 xz_total=0 raw_total=0 nz_text=0 xz_text=0 raw_text=0
for rel in "${files[@]}"; do
  raw=$(stat -c %s "$corpus/$rel")
  nz=$("$nzip" -c -T0 "$corpus/$rel" | wc -c)
  xzs=$(xz -9e -T1 -c "$corpus/$rel" | wc -c)
  nz_lines+=("    \"$rel\": $nz")
  xz_lines+=("    \"$rel\": $xzs")
  nz_total=$((nz_total + nz)) xz_total=$((xz_total + xzs)) raw_total=$((raw_total + raw))
  if [[ $rel == text/* ]]; then
    nz_text=$((nz_text + nz)) xz_text=$((xz_text + xzs)) raw_text=$((raw_text + raw))
  fi
  printf '%-45s %10d  nzip %9d  xz -9e %9d\n' "$rel" "$raw" "$nz" "$xzs" >&2
done

join() { local IFS=$'\n'; local s="${*/%/,}"; printf '%s\n' "${s%,}"; }
{
  echo '{'
  echo "  \"generated_by\": \"tools/update_pinned_sizes.sh; do not edit by hand\","
  echo "  \"nzip_version\": \"$("$nzip" --version | head -n1)\","
  echo "  \"xz_version\": \"$(xz --version | head -n1)\","
  echo "  \"level\": $level,"
  echo '  "files": {'
  join "${nz_lines[@]}"
  echo '  },'
  echo '  "xz9e": {'
  join "${xz_lines[@]}"
  echo '  }'
  echo '}'
} >"$tmp"
mv "$tmp" "$out"
trap - EXIT

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f%%", 100 * (1 - a / b) }'; }
echo "wrote $out (level $level, ${#files[@]} files)" >&2
printf 'text:   %d bytes -> nzip %d, xz -9e %d (nzip %s smaller)\n' "$raw_text" "$nz_text" "$xz_text" "$(pct "$nz_text" "$xz_text")" >&2
printf 'corpus: %d bytes -> nzip %d, xz -9e %d (nzip %s smaller)\n' "$raw_total" "$nz_total" "$xz_total" "$(pct "$nz_total" "$xz_total")" >&2
