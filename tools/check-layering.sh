#!/bin/sh
# Check every #include "sim/<module>/..." in sim/ against the dependency table of
# sim/README.md: a module may include only itself and the modules it may depend on.
# Exit 1 (listing the offending lines) on a violation.
set -eu
cd "$(dirname "$0")/.."

allowed() {
    case $1 in
    util) echo "util" ;;
    topology) echo "topology util" ;;
    alias | bar) echo "$1 topology util" ;;
    import) echo "import util" ;;
    iommu) echo "iommu alias topology util" ;;
    check) echo "check topology alias bar iommu util" ;;
    scenario) echo "scenario topology check bar util" ;;
    report) echo "report topology alias bar iommu check util" ;;
    *) echo "" ;;
    esac
}

status=0
for dir in sim/*/; do
    module=$(basename "$dir")
    ok=$(allowed "$module")
    if [ -z "$ok" ]; then
        echo "check-layering: sim/$module is not in the dependency table (sim/README.md)"
        status=1
        continue
    fi
    for f in "$dir"*.c "$dir"*.h; do
        [ -e "$f" ] || continue
        grep -n '#include "sim/' "$f" | while IFS= read -r line; do
            dep=$(echo "$line" | sed 's|.*#include "sim/\([^/]*\)/.*|\1|')
            case " $ok " in
            *" $dep "*) ;;
            *) echo "check-layering: $f:${line%%:*}: $module may not include sim/$dep" ;;
            esac
        done
    done
done >"${TMPDIR:-/tmp}/dmasim-layering.$$"
if [ -s "${TMPDIR:-/tmp}/dmasim-layering.$$" ]; then
    cat "${TMPDIR:-/tmp}/dmasim-layering.$$"
    status=1
fi
rm -f "${TMPDIR:-/tmp}/dmasim-layering.$$"
[ $status -eq 0 ] && echo "check-layering: every include follows sim/README.md"
exit $status
