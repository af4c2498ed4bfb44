#!/bin/sh
# Check that every C file is formatted as .clang-format says (clang-format 14, Debian 12).
#   tools/check-format.sh          report unformatted files, exit 1 if any
#   tools/check-format.sh --fix    reformat them in place (commit that on its own)
set -eu
cd "$(dirname "$0")/.."
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find sim tools tests bench -name '*.[ch]')
if [ "${1:-}" = "--fix" ]; then
    # shellcheck disable=SC2086
    clang-format -i $files
    exit 0
fi
# shellcheck disable=SC2086
clang-format --dry-run -Werror $files
echo "check-format: $(echo "$files" | wc -w) files formatted as .clang-format says"
