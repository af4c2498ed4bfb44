/* BAR -- sizing generators: the access lists Linux, SeaBIOS and decode-on guests produce. */
#include "sim/bar/bar.h"

#include "sim/topology/pci_regs.h"
#include "sim/util/vec.h"

typedef VEC(struct bar_op) op_vec;

static int push(op_vec *v, enum bar_op_kind kind, uint32_t fn, uint16_t reg, uint8_t len,
                uint32_t value)
{
    struct bar_op op = { kind, fn, { 0, 0, 0, 0 }, reg, len, value, false, 0, 0 };

    return vec_push(v, op);
}

/* The all-ones probe of one dword: read it, write `probe`, read the size back, restore. */
static int probe_dword(op_vec *v, uint32_t fn, uint16_t reg, uint32_t orig, uint32_t probe)
{
    int err;

    if ((err = push(v, BAR_OP_READ, fn, reg, 4, 0)) < 0 ||
        (err = push(v, BAR_OP_WRITE, fn, reg, 4, probe)) < 0 ||
        (err = push(v, BAR_OP_READ, fn, reg, 4, 0)) < 0)
        return err;
    return push(v, BAR_OP_WRITE, fn, reg, 4, orig);
}

static uint16_t bar_offset(bool bridge, unsigned slot)
{
    if (slot == TOPO_ROM_INDEX)
        return bridge ? PCI_ROM_ADDRESS1 : PCI_ROM_ADDRESS;
    return (uint16_t)(PCI_BASE_ADDRESS_0 + 4 * slot);
}

/* Whether slot holds the low half of a 64-bit BAR, read from the type bits as software does. */
static bool is_mem64(const struct topology *t, uint32_t fn, uint16_t reg)
{
    uint32_t v = topo_cfg_read(t, fn, reg, 4);

    return !(v & PCI_BASE_ADDRESS_SPACE_IO) && (v & PCI_BASE_ADDRESS_MEM_TYPE_64);
}

/*
 * Size one slot: `high_first` probes the upper dword of a 64-bit BAR before the lower;
 * `decode_off` brackets the slot with COMMAND writes turning memory and I/O decode off and
 * back on when they were on (Linux __pci_read_base: a word read of COMMAND first).
 * Returns the number of slots consumed (2 for a 64-bit BAR), or a negative error.
 */
static int size_slot(op_vec *v, const struct topology *t, uint32_t fn, unsigned slot,
                     bool high_first, bool decode_off)
{
    bool bridge = topo_kind_is_bridge(topo_fn_kind(t, fn));
    uint16_t reg = bar_offset(bridge, slot), cmd = topo_fn_command(t, fn);
    bool rom = slot == TOPO_ROM_INDEX, wide = !rom && is_mem64(t, fn, reg);
    uint16_t decode = PCI_COMMAND_IO | PCI_COMMAND_MEMORY;
    uint32_t lo = topo_cfg_read(t, fn, reg, 4);
    uint32_t hi = wide ? topo_cfg_read(t, fn, (uint16_t)(reg + 4), 4) : 0;
    uint32_t probe = rom ? (lo | PCI_ROM_ADDRESS_MASK) : 0xffffffffu;
    int err = SIM_OK;

    if (decode_off && (err = push(v, BAR_OP_READ, fn, PCI_COMMAND, 2, 0)) < 0)
        return err;
    if (decode_off && (cmd & decode) &&
        (err = push(v, BAR_OP_WRITE, fn, PCI_COMMAND, 2, cmd & (uint16_t)~decode)) < 0)
        return err;
    if (wide && high_first)
        err = probe_dword(v, fn, (uint16_t)(reg + 4), hi, 0xffffffffu);
    if (err == 0)
        err = probe_dword(v, fn, reg, lo, probe);
    if (err == 0 && wide && !high_first)
        err = probe_dword(v, fn, (uint16_t)(reg + 4), hi, 0xffffffffu);
    if (err == 0 && decode_off && (cmd & decode))
        err = push(v, BAR_OP_WRITE, fn, PCI_COMMAND, 2, cmd);
    return err < 0 ? err : wide ? 2 : 1;
}

int bar_generate(void *ops_vec, const struct topology *t, enum bar_generator gen,
                 const uint32_t *fns, size_t nfns)
{
    op_vec *v = ops_vec;
    int n = 1;

    for (size_t i = 0; i < nfns; i++) {
        uint32_t fn = fns[i];
        bool bridge = topo_kind_is_bridge(topo_fn_kind(t, fn));
        unsigned nslots = bridge ? 2 : 6;
        struct topo_bar b;

        for (unsigned slot = 0; slot < nslots; slot += (unsigned)n) {
            switch (gen) {
            case BAR_GEN_DECODE_ON:
            case BAR_GEN_DECODE_ON_HIGH_FIRST:
                /* the BARs only, as a guest that leaves decode on sizes them */
                if (!topo_fn_bar(t, fn, slot, &b)) {
                    n = 1;
                    continue;
                }
                n = size_slot(v, t, fn, slot, gen == BAR_GEN_DECODE_ON_HIGH_FIRST, false);
                break;
            case BAR_GEN_LINUX:
                /* every slot, empty ones included, each bracketed by decode off/on */
                n = size_slot(v, t, fn, slot, false, true);
                break;
            case BAR_GEN_SEABIOS:
                /* every slot with decode off, as at power-on: no COMMAND accesses */
                n = size_slot(v, t, fn, slot, false, false);
                break;
            }
            if (n < 0)
                return n;
        }
        if (gen == BAR_GEN_LINUX || gen == BAR_GEN_SEABIOS) {
            n = size_slot(v, t, fn, TOPO_ROM_INDEX, false, gen == BAR_GEN_LINUX);
            if (n < 0)
                return n;
        }
    }
    return SIM_OK;
}
