#!/bin/sh
# Replays a real boot: QEMU 7.2's trace of SeaBIOS and Linux 6.1 enumerating q35 with a
# two-function e1000e (tests/fixtures/traces/q35-mf-nic-boot.*, recorded with
# ../shared/realcheck -t), and requires dmasim's map/unmap events to be exactly the
# pci_update_mappings_add/del events QEMU logged, in order. Needs only zcat, sed, cmp.
# Run by ctest (test "realtrace") from the source directory with DMASIM set.
set -eu
DMASIM=${DMASIM:?set DMASIM to the dmasim binary}
. tests/lib.sh
fx=tests/fixtures/traces
cp "$fx/q35-mf-nic-boot.yaml" "$tmp/"
zcat "$fx/q35-mf-nic-boot.log.gz" >"$tmp/q35-mf-nic-boot.log"

# QEMU's events: "add|del BDF BAR BASE SIZE"
sed -n 's/.*pci_update_mappings_\(add\|del\) [^ ]* \([0-9a-f:.]*\) \([0-9]\),\(0x[0-9a-f]*\)+\(0x[0-9a-f]*\).*/\1 \2 \3 \4 \5/p' \
    "$tmp/q35-mf-nic-boot.log" >"$tmp/qemu.txt"
# dmasim's, from replay --json (one key per line; "size" closes an event)
rc=0
"$DMASIM" replay --json "$tmp/q35-mf-nic-boot.yaml" >"$tmp/out.json" 2>"$tmp/err" || rc=$?
if [ "$rc" -gt 1 ]; then
    echo "FAIL: dmasim replay exited $rc"
    cat "$tmp/err"
    exit 1
fi
sed -n -e 's/^ *"event": "map",$/E add/p' -e 's/^ *"event": "unmap",$/E del/p' \
    -e 's/^ *"bdf": "\(.*\)",$/B \1/p' -e 's/^ *"bar": \([0-9]\),$/N \1/p' \
    -e 's/^ *"base": "\(.*\)",$/A \1/p' -e 's/^ *"size": "\(.*\)"$/S \1/p' "$tmp/out.json" |
    while read -r k v; do
        case $k in
        E) ev=$v bdf= bar= base= ;;
        B) bdf=$v ;;
        N) bar=$v ;;
        A) base=$v ;;
        S) [ -n "${ev:-}" ] && echo "$ev $bdf $bar $base $v" && ev= ;;
        esac
    done >"$tmp/dmasim.txt"

n=$(wc -l <"$tmp/qemu.txt")
if [ "$n" -lt 100 ]; then
    echo "FAIL: only $n QEMU events in the fixture"
    exit 1
fi
if cmp -s "$tmp/qemu.txt" "$tmp/dmasim.txt"; then
    echo "realtrace: $n map/unmap events, identical to QEMU's"
else
    echo "FAIL: dmasim's events differ from QEMU's (< QEMU, > dmasim)"
    diff "$tmp/qemu.txt" "$tmp/dmasim.txt" | head -20
    exit 1
fi
