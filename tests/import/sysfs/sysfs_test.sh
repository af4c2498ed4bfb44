#!/bin/sh
# The capture script and the sysfs importer round-trip on a synthetic tree: a fake
# /sys/bus/pci/devices with binary config spaces, captured by tools/dmasim-capture (to a
# directory and to a tar), imported by `dmasim import sysfs`, checked by `dmasim test`.
# Run by ctest from the source directory with DMASIM set.
set -u
DMASIM=${DMASIM:?set DMASIM to the dmasim binary}
. tests/lib.sh

sys=$tmp/sys
devs=$sys/bus/pci/devices

# cfg FILE SIZE OFF/WIDTH=HEX...: a config space of SIZE zero bytes with little-endian
# registers set, written with printf octal escapes.
cfg() {
    file=$1
    size=$2
    shift 2
    # shellcheck disable=SC2059
    printf "$(echo "$*" | awk -v size="$size" '
        function hex(s,   i, v) {
            v = 0
            for (i = 1; i <= length(s); i++)
                v = v * 16 + index("0123456789abcdef", substr(tolower(s), i, 1)) - 1
            return v
        }
        {
            for (i = 1; i <= NF; i++) {
                split($i, kv, "="); split(kv[1], ow, "/")
                off = hex(ow[1]); v = hex(kv[2])
                for (j = 0; j < ow[2]; j++) { b[off + j] = v % 256; v = int(v / 256) }
            }
            for (o = 0; o < size; o++) printf "\\%03o", b[o] + 0
        }')" >"$file"
}

# dev BDF GROUP DRIVER: the sysfs directory of a function, with its links
dev() {
    d=$devs/$1
    mkdir -p "$d" "$sys/kernel/iommu_groups/$2"
    ln -s "$sys/kernel/iommu_groups/$2" "$d/iommu_group"
    if [ "$3" != - ]; then
        mkdir -p "$sys/bus/pci/drivers/$3"
        ln -s "$sys/bus/pci/drivers/$3" "$d/driver"
    fi
    z="0x0000000000000000 0x0000000000000000 0x0000000000000000"
    printf '%s\n' "$z" "$z" "$z" "$z" "$z" "$z" "$z" >"$d/resource"
}

# res BDF LINE "START END FLAGS": one line of the resource file
res() {
    awk -v n="$2" -v l="$3" 'NR == n { $0 = l } { print }' "$devs/$1/resource" >"$tmp/res"
    mv "$tmp/res" "$devs/$1/resource"
}

# 00:00.0 host bridge: conventional, no capabilities
dev 0000:00:00.0 0 -
cfg "$devs/0000:00:00.0/config" 256 0/2=8086 2/2=3e30 8/4=06000000
# 00:1c.0 root port: PCIe cap (type 4) at 0x40, ACS at 0x100 (cap SV RR CR UF DT, ctrl
# SV RR CR UF), buses 01-01, mem and 64-bit prefetchable windows, I/O closed
dev 0000:00:1c.0 1 pcieport
cfg "$devs/0000:00:1c.0/config" 4096 0/2=8086 2/2=a338 6/2=0010 8/4=06040000 e/1=01 \
    18/1=00 19/1=01 1a/1=01 1c/1=f0 1d/1=00 20/2=de00 22/2=df00 24/2=0001 26/2=0ff1 \
    28/4=60 2c/4=60 34/1=40 40/1=10 42/2=0042 100/4=0001000d 104/2=005d 106/2=001d
# 00:1d.0 root port without ACS: buses 02-04, I/O window only
dev 0000:00:1d.0 2 pcieport
cfg "$devs/0000:00:1d.0/config" 4096 0/2=8086 2/2=a330 6/2=0010 8/4=06040000 e/1=01 \
    18/1=00 19/1=02 1a/1=04 1c/1=d0 1d/1=d0 20/2=fff0 22/2=0000 34/1=40 40/1=10 42/2=0042
# 00:1f.3 conventional function whose capability list loops (0x40 -> 0x40)
dev 0000:00:1f.3 3 snd_hda_intel
cfg "$devs/0000:00:1f.3/config" 256 0/2=8086 2/2=a348 6/2=0010 8/4=04030000 34/1=40 \
    40/1=01 41/1=40
# 01:00.0 GPU: multifunction endpoint, BAR0 mem32 16M, BAR1 mem64 pref 256M, a ROM, and a
# Device Serial Number capability the capture must zero
dev 0000:01:00.0 5 nvidia
cfg "$devs/0000:01:00.0/config" 4096 0/2=10de 2/2=1eb8 6/2=0010 8/4=03000000 e/1=80 \
    10/4=de000000 14/4=0000000c 18/4=60 30/4=df000000 34/1=60 60/1=10 62/2=0002 \
    100/4=00010003 104/4=55667788 108/4=11223344
res 0000:01:00.0 1 "0x00000000de000000 0x00000000deffffff 0x0000000000040200"
res 0000:01:00.0 2 "0x0000006000000000 0x000000600fffffff 0x000000000014220c"
res 0000:01:00.0 7 "0x00000000df000000 0x00000000df07ffff 0x0000000000046200"
# 01:00.1 its audio function: 256 bytes of config space, bound to vfio-pci
dev 0000:01:00.1 5 vfio-pci
cfg "$devs/0000:01:00.1/config" 256 0/2=10de 2/2=10fa 6/2=0010 8/4=04030000 e/1=80 \
    10/4=df080000 34/1=60 60/1=10 62/2=0002
res 0000:01:00.1 1 "0x00000000df080000 0x00000000df083fff 0x0000000000040200"
# the chain below 00:1d.0: switch upstream port 02:00.0 (buses 03-04), downstream port
# 03:00.0 with ACS (buses 04-04), endpoint 04:00.0 with an I/O BAR
dev 0000:02:00.0 2 pcieport
cfg "$devs/0000:02:00.0/config" 4096 0/2=10b5 2/2=8724 6/2=0010 8/4=06040000 e/1=01 \
    18/1=02 19/1=03 1a/1=04 1c/1=d0 1d/1=d0 20/2=fff0 34/1=40 40/1=10 42/2=0052
dev 0000:03:00.0 2 pcieport
cfg "$devs/0000:03:00.0/config" 4096 0/2=10b5 2/2=8724 6/2=0010 8/4=06040000 e/1=01 \
    18/1=03 19/1=04 1a/1=04 1c/1=d0 1d/1=d0 20/2=fff0 34/1=40 40/1=10 42/2=0062 \
    100/4=0001000d 104/2=001d 106/2=001d
dev 0000:04:00.0 2 -
cfg "$devs/0000:04:00.0/config" 4096 0/2=1b4b 2/2=9230 6/2=0010 8/4=01060100 \
    10/4=0000d001 34/1=40 40/1=10 42/2=0002
res 0000:04:00.0 1 "0x000000000000d000 0x000000000000d07f 0x0000000000040101"
# one VT-d unit: cap d2008c40660462 has MGAW 0x26, so 39 address bits
mkdir -p "$sys/class/iommu/dmar0/intel-iommu"
echo d2008c40660462 >"$sys/class/iommu/dmar0/intel-iommu/cap"
mkdir -p "$tmp/proc"
printf 'processor\t: 0\naddress sizes\t: 39 bits physical, 48 bits virtual\n' >"$tmp/proc/cpuinfo"

# capture, as a directory
capture() { DMASIM_SYSFS=$sys DMASIM_PROC=$tmp/proc DMASIM_ARCH=x86_64 sh tools/dmasim-capture "$@"; }
if capture "$tmp/cap" 2>"$tmp/err"; then ok; else bad "dmasim-capture exited $?"; cat "$tmp/err"; fi
empty "$tmp/err"
for f in devices/0000:01:00.0/config devices/0000:01:00.0/resource arch cpu_phys_bits \
    iommu/dmar0/cap; do
    if [ -s "$tmp/cap/$f" ]; then ok; else bad "the capture lacks $f"; fi
done
fixed "$tmp/cap/devices/0000:01:00.0/iommu_group" "5"
fixed "$tmp/cap/devices/0000:01:00.1/driver" "vfio-pci"
absent "$tmp/cap/devices/0000:04:00.0/driver"
# the serial number is zeroed, the capability header kept, the size unchanged
dsn=$(od -An -v -tx1 -j 256 -N 12 "$tmp/cap/devices/0000:01:00.0/config" | tr -d ' \n')
if [ "$dsn" = 030001000000000000000000 ]; then ok; else bad "DSN bytes in the capture: $dsn"; fi
sz=$(wc -c <"$tmp/cap/devices/0000:01:00.0/config")
if [ "$sz" -eq 4096 ]; then ok; else bad "captured config is $sz bytes"; fi
# a second capture into a non-empty directory is refused
if capture "$tmp/cap" 2>"$tmp/err"; then bad "capture into a non-empty directory succeeded"; else ok; fi
has "$tmp/err" "exists and is not empty"

# import
run 0 import sysfs "$tmp/cap"
cp "$tmp/out" "$tmp/scn.yaml"
y=$tmp/scn.yaml
# the capture-loop warning names the function
has "$tmp/err" "0000:00:1f.3: capability list loops at 0x40"
fixed "$y" "arch: x86_64  # uname -m"
fixed "$y" "cpu_phys_bits: 39  # /proc/cpuinfo address sizes"
fixed "$y" "# units in the capture: dmar0"
fixed "$y" "kind: vt-d  # from the unit names in the capture"
fixed "$y" "address_bits: 39  # iommu/dmar0/cap MGAW"
fixed "$y" "- id: pci00"
fixed "$y" "- id: f00-1c.0  # 0000:00:1c.0"
fixed "$y" "kind: root-port  # config space 0x42: PCIe port type 4"
fixed "$y" "acs: { cap: [sv, rr, cr, uf, dt], ctrl: [sv, rr, cr, uf] }  # config space 0x100"
fixed "$y" "secondary: 0x01  # config space 0x19"
fixed "$y" "subordinate: 0x04  # config space 0x1a"
fixed "$y" "windows: { mem: [0xde000000, 0xdf0fffff], pref: [0x6000000000, 0x600fffffff] }"
fixed "$y" "windows: { io: [0xd000, 0xdfff] }  # config space 0x1c-0x2f"
fixed "$y" "kind: upstream-port  # config space 0x42: PCIe port type 5"
fixed "$y" "kind: downstream-port  # config space 0x42: PCIe port type 6"
fixed "$y" "acs: none  # no ACS capability in config space"
fixed "$y" "acs: none  # no extended config space captured"
fixed "$y" "kind: pci-device  # config space 0x0e: header type 0, no PCIe capability"
fixed "$y" "kind: endpoint  # config space 0x62: PCIe port type 0"
fixed "$y" "class: 0x030000  # config space 0x08"
fixed "$y" "type: mem64  # config space 0x14"
fixed "$y" "size: 256M  # resource line 2"
fixed "$y" "address: 0x6000000000  # config space 0x14"
fixed "$y" "prefetchable: true  # config space 0x14"
fixed "$y" "size: 16M  # resource line 1"
fixed "$y" "type: io  # config space 0x10"
fixed "$y" "size: 0x80  # resource line 1"
fixed "$y" "os_enables_acs: false  # the captured ACS control registers are what the kernel already enabled"
fixed "$y" "size: 512K  # resource line 7"
fixed "$y" "address: 0xdf000000  # config space 0x30"
fixed "$y" "driver: vfio-pci  # driver vfio-pci"
fixed "$y" "driver: host  # driver nvidia"
fixed "$y" "driver: none  # no driver bound"
fixed "$y" "host: [[f00-00.0], [f00-1c.0], [f00-1d.0, f02-00.0, f03-00.0, f04-00.0], [f00-1f.3], [f01-00.0, f01-00.1]]"
# the tree: 01:00.x under 00:1c.0, 04:00.0 three bridges down
if awk '/- id: f00-1c.0/ { i = index($0, "-") } /- id: f01-00.0/ { j = index($0, "-") }
        /- id: f04-00.0/ { k = index($0, "-") } END { exit !(j == i + 4 && k == i + 12) }' "$y"
then ok; else bad "the functions are not nested by bus number"; fi
# every value carries a note
if awk '/^ +[a-z_]+: [^{]/ && !/#/ && !/(children|bars|rom|iommus|topology|platform|groups):/ &&
        !/^ +(id|devfn|host):/ && !/kind: host-bridge/ { print; n++ } END { exit n > 0 }' "$y" \
    >"$tmp/bare"; then ok; else bad "values without a note: $(cat "$tmp/bare")"; fi

# dmasim test: the recorded groups agree with dmasim's prediction
run 0 test "$y"
# the same capture as a tar gives the same YAML but for the source line; twice: same bytes
if capture -o "$tmp/cap.tar" 2>"$tmp/err"; then ok; else bad "dmasim-capture -o failed"; fi
run 0 import sysfs "$tmp/cap.tar"
grep -v '^# From the sysfs capture' "$tmp/out" >"$tmp/tar.yaml"
grep -v '^# From the sysfs capture' "$y" >"$tmp/dir.yaml"
if cmp -s "$tmp/tar.yaml" "$tmp/dir.yaml"; then ok; else bad "tar and directory differ"; fi
run 0 import sysfs "$tmp/cap"
if cmp -s "$tmp/out" "$y"; then ok; else bad "a second import differs"; fi

# a wrong recorded group: dmasim test fails and names the difference
echo 9 >"$tmp/cap/devices/0000:01:00.1/iommu_group"
run 0 import sysfs "$tmp/cap"
cp "$tmp/out" "$tmp/wrong.yaml"
fixed "$tmp/wrong.yaml" "[f01-00.0], [f01-00.1]]"
run 1 test "$tmp/wrong.yaml"
cp "$tmp/out" "$tmp/wrong.out"
has "$tmp/wrong.out" "^FAIL .*wrong.yaml (sysfs)"
fixed "$tmp/wrong.out" "  host groups: f01-00.0 (01:00.0) and f01-00.1 (01:00.1) are expected apart, but dmasim puts them together"
echo 5 >"$tmp/cap/devices/0000:01:00.1/iommu_group"

# a truncated config file: exit 2, the file named, nothing on stdout
head -c 60 "$devs/0000:00:1c.0/config" >"$tmp/cap/devices/0000:00:1c.0/config"
run 2 import sysfs "$tmp/cap"
fixed "$tmp/err" "devices/0000:00:1c.0/config: 60 bytes: truncated"
empty "$tmp/out"
# not a capture at all
run 2 import sysfs "$tmp/proc"
fixed "$tmp/err" "no devices/ in the capture"
run 2 import sysfs "$tmp/no-such-dir"
fixed "$tmp/err" "cannot open: No such file or directory"

finish sysfs_test
