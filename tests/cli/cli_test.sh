#!/bin/sh
# CLI behaviour of dmasim: usage, --help, --version, exit codes, stdout staying empty on bad
# input, --json parsing, and byte-identical output across runs and environments.
# Run by ctest (test "cli") from the source directory with DMASIM and JSON_CHECK set.
set -u
DMASIM=${DMASIM:?set DMASIM to the dmasim binary}
JSON_CHECK=${JSON_CHECK:?set JSON_CHECK to the json_check binary}
. tests/lib.sh

# --version, --help, no arguments
run 0 --version
has "$tmp/out" "^dmasim [0-9][0-9.]*$"
run 0 --help
for c in check show groups iova aliases replay explore graph test import; do has "$tmp/out" "^  $c "; done
run 2
has "$tmp/err" "^usage: dmasim"
empty "$tmp/out"
run 0 show --help
has "$tmp/out" "^usage: dmasim show"
run 0 help check
has "$tmp/out" "^usage: dmasim check"

# unknown commands and options
run 2 shwo scenarios/basic/minimal.yaml
has "$tmp/err" "unknown command 'shwo' (did you mean 'show'?)"
empty "$tmp/out"
run 2 show --frobnicate scenarios/basic/minimal.yaml
has "$tmp/err" "unknown option '--frobnicate'"
empty "$tmp/out"
run 2 show
has "$tmp/err" "expects exactly one scenario file"
run 2 show scenarios/basic/minimal.yaml scenarios/topology/q35.yaml
run 2 check
has "$tmp/err" "expects at least one scenario file"

# import: an unknown KIND is a usage error; nothing on stdout
run 2 import frob scenarios/basic/minimal.yaml
has "$tmp/err" "unknown KIND 'frob': use qemu, lspci or sysfs"
empty "$tmp/out"
run 0 import --help
has "$tmp/out" "^usage: dmasim import"

# invalid input: located error on stderr, nothing on stdout, exit 2
run 2 show tests/invalid/bar_not_pow2.yaml
has "$tmp/err" "^tests/invalid/bar_not_pow2.yaml:[0-9]*:[0-9]*: error: "
empty "$tmp/out"
run 2 show no/such/file.yaml
has "$tmp/err" "^no/such/file.yaml: error: cannot open: No such file or directory"
empty "$tmp/out"
# one invalid file among valid ones: still nothing on stdout
run 2 check scenarios/basic/minimal.yaml tests/invalid/bar_not_pow2.yaml
empty "$tmp/out"
# a warning alone does not fail the command
run 0 show tests/invalid/warn_pci_device_under_root_port.yaml
has "$tmp/err" ": warning: "

# check over every bundled scenario (exit 1: some reproduce bugs on purpose)
scenarios=$(find scenarios -name '*.yaml' | LC_ALL=C sort)
# shellcheck disable=SC2086
"$DMASIM" check $scenarios >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -le 1 ]; then ok; else bad "check over all scenarios exited $rc"; cat "$tmp/err"; fi
has "$tmp/out" "^== scenarios/basic/minimal.yaml (minimal)"
run 0 check scenarios/basic/minimal.yaml
has "$tmp/out" "^findings: none"
run 1 check scenarios/topology/host-guest.yaml
has "$tmp/out" "^error group-in-multiple-address-spaces \\[guest\\] group 0: vfio 0000:01:00.1: group 0 used in multiple address spaces"

# the report for people: rule, reasoning and reference per finding; colour only on request
# here (stdout is a file), never with --no-color or NO_COLOR
run 1 check scenarios/seeds/001-root-port-guest.yaml
has "$tmp/out" "^  rule: VFIO attaches a whole IOMMU group to one container"
has "$tmp/out" "^  why:  host group 1 (dmar0): 00:01.0 hrp1, 01:00.0 hdev0, 01:00.1 hdev1$"
has "$tmp/out" "^         because root port 00:01.0 has no ACS capability"
has "$tmp/out" "^  see:  QEMU hw/vfio/common.c vfio_get_group()"
if grep -q "$(printf '\033')" "$tmp/out"; then bad "colour in piped output"; else ok; fi
run 1 check scenarios/seeds/001-smmu-duplicate-stream-id.yaml
has "$tmp/out" "^  why:  02:01.1 nic1: its DMA carries 02:01.1, 02:00.0 (br0)$"
run 1 check scenarios/topology/q35.yaml
has "$tmp/out" "^host: 8 functions, 6 IOMMU groups; dmar0 vt-d 39-bit; CPU 40-bit$"
run 1 check --color scenarios/seeds/001-root-port-guest.yaml
if grep -q "$(printf '\033')\[1;31merror" "$tmp/out"; then ok; else bad "--color gives no colour"; fi
NO_COLOR=1 "$DMASIM" check --color --no-color scenarios/seeds/001-root-port-guest.yaml >"$tmp/out" 2>&1
if grep -q "$(printf '\033')" "$tmp/out"; then bad "colour with --no-color"; else ok; fi

# aliases, groups, test
run 0 aliases scenarios/topology/pcie-pci-bridge.yaml
has "$tmp/out" "^03:01.0 nic2: 03:01.0, 02:03.0 (pbr0), 02:00.0 (br0); address space smmu0:02:00.0$"
run 0 groups --explain scenarios/topology/pcie-pci-bridge.yaml
has "$tmp/out" "^  because root port 00:1c.0 has no ACS capability"
run 2 groups --frob scenarios/topology/pcie-pci-bridge.yaml
run 2 test no/such/dir
has "$tmp/err" "cannot open"
mkdir "$tmp/empty"
run 2 test "$tmp/empty"
has "$tmp/err" "no scenario files (\*.yaml) in"

# --json parses, for one file and for several (an array)
for f in $scenarios; do
    for c in show aliases groups iova; do
        run 0 "$c" --json "$f"
        if "$JSON_CHECK" "$tmp/out"; then ok; else bad "$c --json $f does not parse"; fi
    done
done
# shellcheck disable=SC2086
"$DMASIM" check --json $scenarios >"$tmp/out"
if "$JSON_CHECK" "$tmp/out"; then ok; else bad "check --json (several files) does not parse"; fi
has "$tmp/out" '^\['

# replay and explore: --json parses; a scenario without the section is refused
for f in $(grep -l '^replay:' $scenarios); do
    "$DMASIM" replay --json "$f" >"$tmp/out" 2>"$tmp/err"
    if [ $? -le 1 ] && "$JSON_CHECK" "$tmp/out"; then ok; else bad "replay --json $f"; fi
done
for f in $(grep -l '^explore:' $scenarios); do
    "$DMASIM" explore --json "$f" >"$tmp/out" 2>"$tmp/err"
    if [ $? -le 1 ] && "$JSON_CHECK" "$tmp/out"; then ok; else bad "explore --json $f"; fi
done
run 2 replay scenarios/basic/minimal.yaml
has "$tmp/err" "the scenario has no replay section"
empty "$tmp/out"
run 1 replay scenarios/seeds/002-vfio-trace.yaml
has "$tmp/out" "map   BAR 0 0xfffffffffebe0000-0xfffffffffebe3fff  vfio: DMA map FAILED"
has "$tmp/out" "trace: 11 lines, 6 accesses, 5 skipped, 0 sizes inferred"
# seed 002: the thread's own event sequence, in order (plus QEMU's map at 0xffffc000 that
# the listener never sees), and what QEMU 2.0's filter and Linux's sizing make of it
grep -E '^ +(unmap|map) ' "$tmp/out" >"$tmp/events"
cat >"$tmp/want" <<'END'
       unmap BAR 0 0xfebe0000-0xfebe3fff
       map   BAR 0 0xffffc000-0xffffffff  vfio: not visible (outside the MMIO windows)
       unmap BAR 0 0xffffc000-0xffffffff
       map   BAR 0 0xfebe0000-0xfebe3fff  vfio: DMA-mapped
       unmap BAR 0 0xfebe0000-0xfebe3fff
       map   BAR 0 0xfffffffffebe0000-0xfffffffffebe3fff  vfio: DMA map FAILED (above the host IOMMU width)
END
if cmp -s "$tmp/events" "$tmp/want"; then ok; else bad "seed 002 events differ"; diff "$tmp/want" "$tmp/events"; fi
run 0 replay scenarios/seeds/002-vfio-trace-filter.yaml
has "$tmp/out" "map   BAR 0 0xfffffffffebe0000-0xfffffffffebe3fff  vfio: skipped (bit 63 set)"
run 0 replay scenarios/seeds/002-linux-sizing.yaml
has "$tmp/out" "map   BAR 0 0xfebe0000-0xfebe3fff  vfio: DMA-mapped" # decode back on
if grep -E '^ +map ' "$tmp/out" | grep -qv '0xfebe0000-0xfebe3fff'; then
    bad "linux sizing maps the BAR somewhere else"
else
    ok
fi
run 0 replay scenarios/bar/qemu-trace-renumber.yaml
has "$tmp/out" "sizes inferred"

# every counterexample explore prints replays to the finding its invariant stands for: the
# scenario with its explore section replaced by the printed replay section
for pair in explore-decode-on:mapping-outside-iommu-width explore-decode-on-overlap:bar-overlap \
    explore-transient:transient-bar-mapping; do
    f=scenarios/bar/${pair%%:*}.yaml
    code=${pair#*:}
    for red in "" --no-reduction; do
        # shellcheck disable=SC2086
        run 1 explore $red "$f"
        has "$tmp/out" "^verdict: violated"
        sed '/^explore:/,$d' "$f" >"$tmp/ce.yaml"
        sed -n '/^replay:/,/^findings:/p' "$tmp/out" | sed '$d' >>"$tmp/ce.yaml"
        "$DMASIM" replay "$tmp/ce.yaml" >"$tmp/ce.out" 2>"$tmp/ce.err"
        has "$tmp/ce.out" "^[a-z]* $code "
    done
done
# --compare runs both searches and says what the reduction saved
run 0 explore --compare scenarios/bar/explore-linux.yaml
has "$tmp/out" "^without reduction: verdict holds, states 2209, transitions 4324; the reduction saved 452 states and 1892 transitions$"
# the two searches agree on the verdict where the invariant holds
for red in "" --no-reduction; do
    # shellcheck disable=SC2086
    run 0 explore $red scenarios/bar/explore-linux.yaml
    has "$tmp/out" "^verdict: holds"
done

# byte-identical output: twice, and under another locale and malloc perturbation
for f in $scenarios; do
    "$DMASIM" check --json "$f" >"$tmp/a" 2>&1
    "$DMASIM" check --json "$f" >"$tmp/b" 2>&1
    LC_ALL=C.UTF-8 LANG=de_DE.UTF-8 MALLOC_PERTURB_=165 "$DMASIM" check --json "$f" >"$tmp/c" 2>&1
    "$DMASIM" show "$f" >"$tmp/d" 2>&1
    MALLOC_PERTURB_=90 "$DMASIM" show "$f" >"$tmp/e" 2>&1
    if grep -q '^explore:' "$f"; then # stdout only: stderr has the timing
        "$DMASIM" explore --json "$f" >>"$tmp/a" 2>/dev/null
        MALLOC_PERTURB_=77 "$DMASIM" explore --json "$f" >>"$tmp/b" 2>/dev/null
        "$DMASIM" explore --json "$f" >>"$tmp/c" 2>/dev/null
    fi
    if grep -q '^replay:' "$f"; then
        "$DMASIM" replay --json "$f" >>"$tmp/a" 2>&1
        MALLOC_PERTURB_=77 "$DMASIM" replay --json "$f" >>"$tmp/b" 2>&1
        "$DMASIM" replay --json "$f" >>"$tmp/c" 2>&1
    fi
    if cmp -s "$tmp/a" "$tmp/b" && cmp -s "$tmp/a" "$tmp/c" && cmp -s "$tmp/d" "$tmp/e"; then
        ok
    else
        bad "output of $f differs between runs"
    fi
done

finish cli
