#!/bin/sh
# tests/import/qemu/qemu_test.sh -- `dmasim import qemu`: QEMU command lines to scenarios.
# Run from the source directory with DMASIM set to the dmasim binary. Each fixture in
# tests/fixtures/import/qemu/ is imported, the output is re-checked by `dmasim check` (exit 0
# or 1, never 2), and key lines of the YAML, `dmasim groups` and `dmasim aliases` are asserted.
. tests/lib.sh
F=tests/fixtures/import/qemu

# imp NAME: import $F/NAME.args into $tmp/NAME.yaml, then check, groups and aliases on it
imp() {
    run 0 import qemu "$F/$1.args"
    cp "$tmp/out" "$tmp/$1.yaml"
    "$DMASIM" check "$tmp/$1.yaml" >"$tmp/$1.check" 2>"$tmp/$1.check.err"
    rc=$?
    if [ "$rc" -le 1 ]; then ok; else bad "check $1 exited $rc"; cat "$tmp/$1.check.err"; fi
    "$DMASIM" groups "$tmp/$1.yaml" >"$tmp/$1.groups" 2>/dev/null
    "$DMASIM" aliases "$tmp/$1.yaml" >"$tmp/$1.aliases" 2>/dev/null
    echo "$rc" >"$tmp/$1.rc"
}

# Seed 001, root port (scenarios/seeds/001-root-port-guest.yaml): guest side alone, the two
# functions keep their own RIDs and get two guest address spaces, as in the seed's
# expect.aliases (gdev0 01:00.0, gdev1 01:00.1) and realcheck boot 2 (VTDAS 01:00.0 01:00.1).
imp seed001-root-port
y=$tmp/seed001-root-port.yaml
fixed "$y" "guest:"
fixed "$y" "passthrough: host-01-00-0"
fixed "$y" "passthrough: host-01-00-1"
fixed "$y" 'devfn: "1e.0"  # addr=1e.0, -device line 5'
fixed "$y" "acs: { cap: [sv, tb, rr, cr, uf, dt], ctrl: [] }"
fixed "$y" "address_bits: 39  # assumed: aw-bits default 39 (QEMU before 9.2)"
fixed "$y" "# assumed: vfio-pci needs a host IOMMU"
fixed "$y" "driver: vfio-pci"
fixed "$tmp/seed001-root-port.aliases" "01:00.0 vfio-pci0: 01:00.0; address space intel-iommu0:01:00.0"
fixed "$tmp/seed001-root-port.aliases" "01:00.1 vfio-pci1: 01:00.1; address space intel-iommu0:01:00.1"
# Linux 6.1's guest groups (realcheck boot 2): the two functions together, the port alone.
fixed "$tmp/seed001-root-port.groups" "01:00.0 vfio-pci0, 01:00.1 vfio-pci1"
fixed "$tmp/seed001-root-port.groups" "(intel-iommu0): 00:1e.0 pcie-1"
# With the placeholder host group (one slot, no ACS: an assumption), the seed's verdict.
fixed "$tmp/seed001-root-port.check" "error group-in-multiple-address-spaces"

# Seed 001, pcie-pci-bridge (scenarios/seeds/001-pcie-pci-bridge-guest.yaml): both functions
# alias to (secondary bus, 00.0) = 02:00.0 and share one guest address space; no finding.
imp seed001-pcie-pci-bridge
y=$tmp/seed001-pcie-pci-bridge.yaml
fixed "$y" "kind: pcie-pci-bridge"
fixed "$y" "kind: pci-device  # no PCIe capability on a conventional bus"
a=$tmp/seed001-pcie-pci-bridge.aliases
fixed "$a" "02:01.0 vfio-pci0: 02:01.0, 02:00.0 (pci-1); address space intel-iommu0:02:00.0"
fixed "$a" "02:01.1 vfio-pci1: 02:01.1, 02:00.0 (pci-1); address space intel-iommu0:02:00.0"
fixed "$tmp/seed001-pcie-pci-bridge.groups" "01:00.0 pci-1, 02:01.0 vfio-pci0, 02:01.1 vfio-pci1"
fixed "$tmp/seed001-pcie-pci-bridge.rc" "0"

# A switch (realcheck switch-dsp-no-acs), first-free slots, pxb-pcie, -cpu widths, virtio.
imp switch-e1000e
y=$tmp/switch-e1000e.yaml
fixed "$y" "cpu_phys_bits: 42  # from -cpu, line 4"
fixed "$y" "guest_phys_bits: 39  # from -cpu, line 4"
fixed "$y" "address_bits: 48  # from -device line 5"
fixed "$y" 'devfn: "01.0"  # assumed: QEMU'"'"'s first free slot on pcie.0 (no addr=, line 6)'
fixed "$y" "kind: upstream-port"
fixed "$y" "device: 0x8233"
fixed "$y" "virtio: { access_platform: true }  # from -device line 13"
fixed "$y" "device: 0x1041  # modern-only"
fixed "$y" "bus: 0x80  # from -device line 14"
hasnt "$y" "secondary:"
g=$tmp/switch-e1000e.groups
fixed "$g" "02:00.0 dsp0, 03:00.0 nic0"
fixed "$g" "02:01.0 dsp1, 04:00.0 nic1"
fixed "$g" "81:00.0 nic2"
fixed "$tmp/switch-e1000e.rc" "0"

# pc: conventional root bus, PIIX functions, a pci-bridge (its own RID is the alias).
imp pc-bridge
y=$tmp/pc-bridge.yaml
fixed "$y" "device: 0x1237"
fixed "$y" "device: 0x7113"
fixed "$y" 'devfn: "03.0"  # assumed: QEMU'"'"'s first free slot on pci.0'
fixed "$y" "device: 0x1001  # transitional (legacy I/O BAR0)"
fixed "$y" "virtio: { access_platform: false }  # assumed: iommu_platform defaults to off"
fixed "$tmp/pc-bridge.aliases" "01:01.0 nic0: 01:01.0, 00:02.0 (br1)"
fixed "$tmp/pc-bridge.aliases" "01:02.0 nic1: 01:02.0, 00:02.0 (br1)"

# arm virt, SMMUv3, two NVMe functions behind a pcie-pci-bridge: one StreamID twice.
imp virt-smmu
y=$tmp/virt-smmu.yaml
fixed "$y" "arch: aarch64"
fixed "$y" "kind: smmuv3"
fixed "$y" "device: 0x0008"
fixed "$tmp/virt-smmu.check" "error duplicate-stream-id [guest] 0x0200"
# FORMAT.md 2: the VM is the machine `guest`, and without vfio-pci there is no host
grep -q '^guest:' "$tmp/virt-smmu.yaml" && ! grep -q '^host:' "$tmp/virt-smmu.yaml" && ok ||
    bad "virt-smmu: the QEMU machine must be the only machine, guest"
fixed "$tmp/virt-smmu.aliases" "02:01.1 nvme1: 02:01.1, 02:00.0 (br0); address space smmu0:02:00.0"
fixed "$tmp/virt-smmu.rc" "1"

# An unknown device is a placeholder with a comment, never dropped; non-PCI devices are noted.
imp unknown
y=$tmp/unknown.yaml
fixed "$y" "# unknown QEMU device 'frobnicator-pci' (line 3): placeholder"
fixed "$y" "- id: frob-0  # QEMU id=Frob.0, -device line 3"
fixed "$y" "kind: endpoint  # placeholder"
fixed "$y" "# unknown QEMU virtio device 'virtio-frob-pci' (line 4)"
fixed "$y" "# line 5: -device usb-tablet is not a PCI function: not modelled"

# An unknown bus= is an input error located at the value.
run 2 import qemu "$F/bad-bus.args"
fixed "$tmp/err" "$F/bad-bus.args:3:20: error: -device e1000e: unknown bus 'rp2'"
empty "$tmp/out"

# Three forms of one command line give the same scenario (comments carry line numbers).
one="-machine q35 -nodefaults -device pcie-root-port,id=rp1,chassis=1 -device e1000e,bus=rp1"
strip() { sed -e 's/  #.*//' -e '/^ *#/d' "$1"; }
echo "qemu-system-x86_64 $one" | "$DMASIM" import qemu - >"$tmp/f1" 2>/dev/null
printf 'qemu-system-x86_64 -machine q35 \\\n  -nodefaults \\\n  -device pcie-root-port,id=rp1,chassis=1 \\\n  -device e1000e,bus=rp1\n' |
    "$DMASIM" import qemu - >"$tmp/f2" 2>/dev/null
printf '# one argument per line\n-machine\nq35\n-nodefaults\n-device\npcie-root-port,id=rp1,chassis=1\n-device\ne1000e,bus=rp1\n' |
    "$DMASIM" import qemu - >"$tmp/f3" 2>/dev/null
strip "$tmp/f1" >"$tmp/s1"
strip "$tmp/f2" >"$tmp/s2"
strip "$tmp/f3" >"$tmp/s3"
if [ -s "$tmp/s1" ] && cmp -s "$tmp/s1" "$tmp/s2" && cmp -s "$tmp/s1" "$tmp/s3"; then ok; else
    bad "one-line, continued and one-per-line forms differ"
    diff "$tmp/s1" "$tmp/s2"
    diff "$tmp/s1" "$tmp/s3"
fi
fixed "$tmp/f1" "kind: endpoint  # PCIe endpoint capability"

# Determinism: byte-identical output twice, for every fixture that imports.
for a in "$F"/*.args; do
    case $a in *bad-bus*) continue ;; esac
    "$DMASIM" import qemu "$a" >"$tmp/d1" 2>/dev/null
    "$DMASIM" import qemu "$a" >"$tmp/d2" 2>/dev/null
    if cmp -s "$tmp/d1" "$tmp/d2"; then ok; else bad "$a: two imports differ"; fi
done

finish qemu_test
