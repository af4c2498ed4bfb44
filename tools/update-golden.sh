#!/bin/sh
# Regenerate tests/golden/<area>/<name>.txt and .json from `dmasim show` of every
# scenarios/<area>/<name>.yaml, then show what changed. Review the diff before committing:
# a golden file is the contract that output stays byte-identical.
#   usage: tools/update-golden.sh [BUILD_DIR]     (default: build)
set -eu
cd "$(dirname "$0")/.."
dmasim=${1:-build}/tools/dmasim/dmasim
[ -x "$dmasim" ] || { echo "no $dmasim: build first (make build)" >&2; exit 2; }

find scenarios -name '*.yaml' | LC_ALL=C sort | while read -r scn; do
    rel=${scn#scenarios/}
    stem=tests/golden/${rel%.yaml}
    mkdir -p "$(dirname "$stem")"
    "$dmasim" show "$scn" >"$stem.txt"
    "$dmasim" show --json "$scn" >"$stem.json"
done
git status --short tests/golden
git --no-pager diff --stat tests/golden
