# Sourced by every tests/cli/*.sh (not a test itself: ctest runs only *.sh). Called as
# `bash SCRIPT NZIP_BINARY CORPUS_DIR`: sets NZIP and CORPUS to absolute paths, moves into a
# fresh temporary folder that is removed on exit, and defines fail(). SOURCE_DIR is the
# repository's root.
set -euo pipefail
SOURCE_DIR=$(readlink -f "$(dirname "${BASH_SOURCE[0]}")/../..")
NZIP=$(readlink -f "$1")
CORPUS=$(readlink -f "${2:-.}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
