#!/bin/sh
# dmasim graph: what the DOT holds (group clusters, alias edges, findings in red, the
# passthrough edge, layers), byte-identical DOT and SVG across runs, SVG and PNG rendered,
# and command-line errors (exit 2, no file written).
# Run by ctest (test "graph") from the source directory with DMASIM set.
set -u
DMASIM=${DMASIM:?set DMASIM to the dmasim binary}
. tests/lib.sh

count() { # count FILE PATTERN N: exactly N lines match
    n=$(grep -c -- "$2" "$1")
    if [ "$n" -eq "$3" ]; then ok; else bad "$1: $n lines match '$2', expected $3"; fi
}
nonempty() { if [ -s "$1" ]; then ok; else bad "$1 is missing or empty"; fi; }
same() { if cmp -s "$1" "$2"; then ok; else bad "$1 and $2 differ"; diff "$1" "$2" | head -5; fi; }

# Graphviz 2.43's dot layout and the pango renderer leak; DOT output (cgraph only) does not.
render_env() { ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0" "$@"; }

# --- a PCIe-to-PCI bridge on an SMMUv3: groups, dashed alias edges, duplicate StreamIDs ---
scn=scenarios/topology/pcie-pci-bridge.yaml
run 0 graph "$scn" -o "$tmp/b.dot"
has "$tmp/b.dot" "^digraph \"pcie-pci-bridge\""
# one cluster per IOMMU group (dmasim groups lists them) inside the host cluster
ngroups=$("$DMASIM" groups "$scn" | grep -c "^group ")
count "$tmp/b.dot" "subgraph cluster_host_group[0-9]" "$ngroups"
has "$tmp/b.dot" "subgraph cluster_host {"
has "$tmp/b.dot" 'label="group 1 (smmu0)"'
# the bridge's bus range, node names from BDFs, tree edges parent -> child
has "$tmp/b.dot" 'pcie-pci-bridge bus=02-03'
has "$tmp/b.dot" "^	host_d0000_b01_d00_f0 -> host_d0000_b02_d01_f0;$"
# a dashed alias edge from 02:01.0 to the bridge whose RID (02:00.0) its DMA carries
has "$tmp/b.dot" "^	host_d0000_b02_d01_f0 -> host_d0000_b01_d00_f0	\\[color=red3,$"
has "$tmp/b.dot" 'label="DMA as 02:00.0\\nsid 0x0200"'
has "$tmp/b.dot" "style=dashed"
# StreamIDs on the SMMU-covered function, the finding in red with its code
has "$tmp/b.dot" 'sid 0x0208 0x0200'
has "$tmp/b.dot" 'ERROR duplicate-stream-id 0x0200'
has "$tmp/b.dot" "color=red3"
# no pointer or HTML names: every node is named by machine and BDF
hasnt "$tmp/b.dot" "<host_"
hasnt "$tmp/b.dot" "0x[0-9a-f]\\{12\\}[^0-9a-f-]"

# the same input gives the same bytes
run 0 graph "$scn" -o "$tmp/b2.dot"
same "$tmp/b.dot" "$tmp/b2.dot"
MALLOC_PERTURB_=165 LC_ALL=C "$DMASIM" graph "$scn" -o "$tmp/b3.dot" 2>"$tmp/err" && ok || bad "perturbed run failed"
same "$tmp/b.dot" "$tmp/b3.dot"

# --- layers -------------------------------------------------------------------------------
run 0 graph "$scn" --what groups -o "$tmp/g.dot"
has "$tmp/g.dot" "subgraph cluster_host_group1"
hasnt "$tmp/g.dot" "style=dashed"
hasnt "$tmp/g.dot" '\\nas smmu0:'
run 0 graph "$scn" --what=aliases -o "$tmp/a.dot"
hasnt "$tmp/a.dot" "cluster_host_group"
has "$tmp/a.dot" "style=dashed"
run 0 graph "$scn" --what address-spaces -o "$tmp/s.dot"
has "$tmp/s.dot" '\\nas smmu0:02:00.0'
hasnt "$tmp/s.dot" "style=dashed"
run 0 graph "$scn" --what groups,aliases,address-spaces -o "$tmp/all.dot"
same "$tmp/b.dot" "$tmp/all.dot"

# --- guest and host: two clusters, the passthrough edge, findings ----------------------------
scn=scenarios/seeds/001-root-port-guest.yaml
run 0 graph "$scn" -o "$tmp/r.dot"
has "$tmp/r.dot" "subgraph cluster_host {"
has "$tmp/r.dot" "subgraph cluster_guest {"
count "$tmp/r.dot" "subgraph cluster_guest_group[0-9]" 4
# the assigned guest function points at its host function, red: a finding involves it
has "$tmp/r.dot" "^	guest_d0000_b01_d00_f0 -> host_d0000_b01_d00_f0	\\[color=red3,$"
has "$tmp/r.dot" "^	guest_d0000_b01_d00_f1 -> host_d0000_b01_d00_f1	\\[color=red3,$"
has "$tmp/r.dot" 'ERROR group-in-multiple-address-spaces group 1'
# the host group the finding names carries its code
has "$tmp/r.dot" 'label="group 1 (dmar0)\\ngroup-in-multiple-address-spaces"'
has "$tmp/r.dot" '\\nas vdmar0:01:00.1'
# a scenario without findings: nothing red, passthrough edges drawn
run 0 graph scenarios/seeds/001-pcie-pci-bridge-guest.yaml -o "$tmp/ok.dot"
hasnt "$tmp/ok.dot" "red3"
count "$tmp/ok.dot" "^	guest_.* -> host_" 2
# findings that name no function go in a note
run 0 graph scenarios/seeds/000-cpu-wider-than-iommu.yaml -o "$tmp/w.dot"
has "$tmp/w.dot" "host_findings"
has "$tmp/w.dot" "warning cpu-phys-bits-exceed-iommu-width dmar0"

# --- SVG and PNG -------------------------------------------------------------------------------
render_env "$DMASIM" graph "$scn" -o "$tmp/r.svg" 2>"$tmp/err" && ok || bad "svg: $(cat "$tmp/err")"
nonempty "$tmp/r.svg"
has "$tmp/r.svg" "<svg"
has "$tmp/r.svg" "group&#45;in&#45;multiple&#45;address&#45;spaces"
render_env "$DMASIM" graph "$scn" -o "$tmp/r2.svg" 2>"$tmp/err" && ok || bad "svg again failed"
same "$tmp/r.svg" "$tmp/r2.svg"
render_env "$DMASIM" graph "$scn" -o "$tmp/r.png" 2>"$tmp/err" && ok || bad "png: $(cat "$tmp/err")"
nonempty "$tmp/r.png"
if head -c 8 "$tmp/r.png" | od -An -c | grep -q "P   N   G"; then ok; else bad "$tmp/r.png is not a PNG"; fi

# --- command-line and input errors: exit 2, nothing written ---------------------------------
run 2 graph "$scn" -o "$tmp/x.jpg"
has "$tmp/err" "OUT must end in .dot, .svg or .png"
if [ -e "$tmp/x.jpg" ]; then bad "x.jpg written"; else ok; fi
run 2 graph "$scn"
has "$tmp/err" "needs -o OUT"
run 2 graph "$scn" -o
has "$tmp/err" "needs a value"
run 2 graph "$scn" --what nothing -o "$tmp/x.dot"
has "$tmp/err" "unknown layer"
run 2 graph "$scn" -o "$tmp/x.dot" -o "$tmp/y.dot"
run 2 graph -o "$tmp/x.dot"
run 2 graph tests/invalid/bar_not_pow2.yaml -o "$tmp/x.dot"
has "$tmp/err" "bar_not_pow2.yaml:[0-9]*:[0-9]*: error:"
if [ -e "$tmp/x.dot" ]; then bad "x.dot written for bad input"; else ok; fi
run 2 graph "$scn" -o "$tmp/no/such/dir/x.dot"
has "$tmp/err" "cannot write"
run 0 graph --help
has "$tmp/out" "^usage: dmasim graph FILE -o OUT"

finish graph
