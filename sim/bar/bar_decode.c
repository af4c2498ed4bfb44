/* BAR -- decoding: where a BAR's registers make it decode, by QEMU's rules or hardware's. */
#include "sim/bar/bar.h"

#include "sim/topology/pci_regs.h"

/*
 * QEMU's pci_bar_address(), rule by rule: decode off, a ROM without its enable bit, a range
 * that wraps or ends on the all-ones "unmapped" address, address 0 where the machine does not
 * allow it, and a 32-bit BAR (or I/O BAR) whose end reaches 4 GiB all give no mapping.
 */
uint64_t bar_decode(const struct bar_slot *s, uint16_t cmd, enum bar_policy policy, bool allow0)
{
    uint64_t addr, last;

    if (s->type == TOPO_BAR_IO) {
        if (!(cmd & PCI_COMMAND_IO))
            return BAR_UNMAPPED;
        addr = (uint32_t)s->value & ~(uint32_t)(s->size - 1);
        if (policy == BAR_POLICY_HARDWARE)
            return addr;
        last = addr + s->size - 1;
        if (last <= addr || last >= UINT32_MAX || (!allow0 && addr == 0))
            return BAR_UNMAPPED;
        return addr;
    }
    if (!(cmd & PCI_COMMAND_MEMORY))
        return BAR_UNMAPPED;
    if (s->rom && !(s->value & PCI_ROM_ADDRESS_ENABLE))
        return BAR_UNMAPPED;
    addr = s->value & ~(s->size - 1);
    if (policy == BAR_POLICY_HARDWARE)
        return addr;
    last = addr + s->size - 1;
    if (last <= addr || last == BAR_UNMAPPED) /* "we do not support wrapping" */
        return BAR_UNMAPPED;
    if (!allow0 && addr == 0)
        return BAR_UNMAPPED;
    if (s->type != TOPO_BAR_MEM64 && last >= UINT32_MAX) /* 32-bit BAR (and ROM) at 4 GiB */
        return BAR_UNMAPPED;
    return addr;
}

bool bar_slot_read(const struct topology *t, uint32_t fn, unsigned index, struct bar_slot *out)
{
    struct topo_bar b;

    if (!topo_fn_bar(t, fn, index, &b))
        return false;
    out->type = b.type;
    out->rom = index == TOPO_ROM_INDEX;
    out->size = b.size;
    out->value = b.address | (out->rom && b.enabled ? PCI_ROM_ADDRESS_ENABLE : 0);
    return true;
}

static bool overlaps(uint16_t off, unsigned len, uint16_t start, unsigned n)
{
    return off < start + n && start < off + len;
}

/* QEMU pci_default_write_config(): BAR0-5 (24 bytes), either ROM register, the COMMAND low
 * byte. On a type 1 header the same offsets cover its two BARs and bus numbers. */
bool bar_reg_touches_mappings(bool bridge, uint16_t off, unsigned len)
{
    (void)bridge;
    return overlaps(off, len, PCI_BASE_ADDRESS_0, 24) || overlaps(off, len, PCI_ROM_ADDRESS, 4) ||
           overlaps(off, len, PCI_ROM_ADDRESS1, 4) || overlaps(off, len, PCI_COMMAND, 1);
}
