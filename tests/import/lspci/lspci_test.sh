# tests/import/lspci/lspci_test.sh -- dmasim import lspci on hand-written `lspci -vvv -nn`
# output (pciutils 3.9 format) in tests/fixtures/import/lspci/:
#   desktop.txt         no -D; root port without ACS above a GPU + audio pair bound to vfio-pci,
#                       a root port with ACS enabled above a two-function NIC without ACS, a root
#                       port whose ACS capability advertises nothing (control 0) above a
#                       PCIe-to-PCI bridge with two conventional devices, multifunction PCH
#                       slots; followed by `lspci -tv`
#   server-domains.txt  -D; three root buses, a PCIe switch (upstream port without ACS,
#                       downstream ports with ACS), a root port on a type 0 header (SKX DMI3)
#   malformed.txt       a bad Region line at line 8
# The recorded IOMMU groups of both are the ones Linux forms for those topologies, so `dmasim
# test` passes; a copy with one wrong group line must fail and name the difference.
# Run from the source directory with DMASIM set.
. tests/lib.sh
fx=tests/fixtures/import/lspci

# import FIXTURE: import it into $tmp/NAME.yaml and require exit 0
import() {
    run 0 import lspci "$fx/$1.txt"
    cp "$tmp/out" "$tmp/$1.yaml"
    empty "$tmp/err"
}

import desktop
y=$tmp/desktop.yaml
fixed "$y" 'name: desktop'
fixed "$y" '- id: hb_00'
fixed "$y" 'bus: 0x00  # lspci line 1: no bridge has bus 00 as secondary'
fixed "$y" 'kind: root-port  # lspci line 29: Express Root Port'
fixed "$y" 'kind: legacy-endpoint  # lspci line 204: Express Legacy Endpoint'
fixed "$y" 'kind: pcie-pci-bridge  # lspci line 335: Express PCI-Express to PCI/PCI-X Bridge'
fixed "$y" 'kind: pci-device  # no Express capability'
fixed "$y" 'class: 0x0c0330'
fixed "$y" 'class: 0x0c0010'
fixed "$y" 'devfn: "1c.4"'
# ACS: enabled on 00:1c.0, advertising nothing on 00:1c.4, absent on 00:01.0
fixed "$y" 'acs: { cap: [sv, rr, cr, uf], ctrl: [sv, rr, cr, uf] }  # lspci line 106'
fixed "$y" 'acs: { cap: [], ctrl: [] }  # lspci line 145'
fixed "$y" 'acs: none  # no Access Control Services capability'
# explicit bus numbers
fixed "$y" 'secondary: 0x03  # from lspci line 119'
fixed "$y" 'subordinate: 0x04  # from lspci line 119'
# windows: open ones only ([disabled] left out)
fixed "$y" 'windows: { pref: [0xd2000000, 0xd20fffff] }'
fixed "$y" 'windows: { io: [0xd000, 0xdfff], mem: [0xdf300000, 0xdf3fffff] }'
# BARs: 64-bit prefetchable, I/O, ROM; ids from class and BDF; drivers
fixed "$y" '- id: gpu_01_00_0'
fixed "$y" '- id: audio_01_00_1'
fixed "$y" '- id: nic_02_00_1'
fixed "$y" 'type: mem64  # lspci line 196'
fixed "$y" 'size: 256M'
fixed "$y" 'address: 0xc0000000'
fixed "$y" 'type: io  # lspci line 198'
fixed "$y" 'size: 512K  # lspci line 199'
fixed "$y" 'driver: vfio-pci  # lspci line 222: vfio-pci'
fixed "$y" 'driver: host  # lspci line 280: tg3'
fixed "$y" "driver: none  # no 'Kernel driver in use' line"
fixed "$y" 'kind: vt-d'
fixed "$y" 'assumed: lspci does not show the IOMMU'
fixed "$y" 'arch: x86_64  # assumed'
fixed "$y" 'host: [[host_00_00_0], [rp_00_01_0, gpu_01_00_0, audio_01_00_1], [usb_00_14_0, pci_00_14_2], [rp_00_1c_0], [rp_00_1c_4], [isa_00_1f_0, audio_00_1f_3, smbus_00_1f_4, pci_00_1f_5], [nic_02_00_0, nic_02_00_1], [p2p_03_00_0, pci_04_00_0, pci_04_01_0]]'

import server-domains
y=$tmp/server-domains.yaml
fixed "$y" '- id: hb_16'
fixed "$y" 'bus: 0x80'
fixed "$y" 'kind: upstream-port  # lspci line 98: Express Upstream Port'
fixed "$y" 'kind: downstream-port  # lspci line 136: Express Downstream Port'
fixed "$y" 'kind: rc-endpoint  # lspci line 7: Express Root Port'
fixed "$y" 'modelled as an rc-endpoint'
fixed "$y" 'acs: { cap: [sv, rr, cr, uf, ec, dt], ctrl: [sv, rr, cr, uf] }  # lspci line 152'
fixed "$y" 'secondary: 0x1a  # from lspci line 164'
fixed "$y" 'windows: { mem: [0xc5000000, 0xc54fffff], pref: [0x38bffe000000, 0x38bfffffffff] }'
fixed "$y" 'address: 0x38bffe000000'
fixed "$y" '- id: nvme_19_00_0'
fixed "$y" 'class: 0x010802'
fixed "$y" 'driver: vfio-pci  # lspci line 249: vfio-pci'

# Observed vs predicted: the recorded groups are Linux's, so dmasim agrees.
for f in desktop server-domains; do
    run 0 test "$tmp/$f.yaml"
    fixed "$tmp/out" "PASS"
    "$DMASIM" check "$tmp/$f.yaml" >"$tmp/check.out" 2>"$tmp/check.err"
    rc=$?
    if [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; then ok; else bad "check $f exited $rc"; fi
    empty "$tmp/check.err"
done

# A copy whose ConnectX-5 (1a:00.0) claims the NVMe's group 38: dmasim must disagree, by name.
sed 's/IOMMU group: 39/IOMMU group: 38/' "$fx/server-domains.txt" >"$tmp/wrong-group.txt"
run 0 import lspci "$tmp/wrong-group.txt"
cp "$tmp/out" "$tmp/wrong.yaml"
fixed "$tmp/wrong.yaml" '[nvme_19_00_0, nic_1a_00_0]'
run 1 test "$tmp/wrong.yaml"
fixed "$tmp/out" 'FAIL'
fixed "$tmp/out" 'host groups: nvme_19_00_0 (19:00.0) and nic_1a_00_0 (1a:00.0) are expected together, but dmasim puts them apart'
# the observed groups are also the machine's declared groups (FORMAT.md 1): check reports
# the disagreement as a group-mismatch
"$DMASIM" check "$tmp/wrong.yaml" >"$tmp/wrong.check" 2>&1
fixed "$tmp/wrong.check" "warning group-mismatch [host]"
"$DMASIM" check "$tmp/wrong.yaml" >/dev/null 2>&1
rc=$?
if [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; then ok; else bad "check wrong.yaml exited $rc"; fi

# Standard input, and byte-identical output across runs.
"$DMASIM" import lspci - <"$fx/desktop.txt" >"$tmp/stdin.yaml" 2>"$tmp/err"
fixed "$tmp/stdin.yaml" 'name: lspci'
fixed "$tmp/stdin.yaml" 'standard input'
for f in desktop server-domains; do
    "$DMASIM" import lspci "$fx/$f.txt" >"$tmp/again.yaml" 2>/dev/null
    if cmp -s "$tmp/again.yaml" "$tmp/$f.yaml"; then ok; else bad "$f: output differs between runs"; fi
done

# Errors: exit 2, nothing on stdout, FILE:LINE:COL.
run 2 import lspci "$fx/malformed.txt"
empty "$tmp/out"
fixed "$tmp/err" "$fx/malformed.txt:8:26: error: bad Region line"
run 2 import lspci "$tmp/nope.txt"
fixed "$tmp/err" "nope.txt: error: cannot open"
printf '00:1c.0 PCI bridge: Intel Corporation Device a338\n' >"$tmp/no-nn.txt"
run 2 import lspci "$tmp/no-nn.txt"
fixed "$tmp/err" "no-nn.txt:1:9: error: no [CLASS] after the class name: run lspci with -nn"
printf '00:1c.0 PCI bridge [0604]: Intel Corporation Device [8086:a338]\n\tCapabilities: <access denied>\n' >"$tmp/denied.txt"
run 2 import lspci "$tmp/denied.txt"
fixed "$tmp/err" "denied.txt:2:16: error: capabilities are not readable"
: >"$tmp/empty.txt"
run 2 import lspci "$tmp/empty.txt"
fixed "$tmp/err" "empty.txt: error: no lspci -vvv -nn device blocks found"

# ACSCtl is what the kernel left: the import says os_enables_acs: false, so a root port whose
# ACS is advertised but switched off groups with the NIC below it (with dmasim's default, the
# OS would switch it on again and the port would isolate)
awk 'NR==108 { sub(/ACSCtl:.*/, "ACSCtl:\tSrcValid- TransBlk- ReqRedir- CmpltRedir- UpstreamFwd- EgressCtrl- DirectTrans-") } 1' \
    tests/fixtures/import/lspci/desktop.txt >"$tmp/acs-off.txt"
run 0 import lspci "$tmp/acs-off.txt"
cp "$tmp/out" "$tmp/acs-off.yaml"
has "$tmp/acs-off.yaml" "^    os_enables_acs: false  # ACSCtl lines show what the kernel already enabled$"
run 0 groups "$tmp/acs-off.yaml"
has "$tmp/out" "00:1c.0 rp_00_1c_0, 02:00.0 nic_02_00_0, 02:00.1 nic_02_00_1$"
run 0 import lspci tests/fixtures/import/lspci/desktop.txt
cp "$tmp/out" "$tmp/acs-on.yaml"
run 0 groups "$tmp/acs-on.yaml"
has "$tmp/out" "00:1c.0 rp_00_1c_0$"

finish lspci-import
