/* Topology -- configuration space: register layout, masked access, decoding. */
#include "sim/topology/topology.h"

#include <assert.h>

#include "sim/topology/pci_regs.h"
#include "sim/topology/topology_internal.h"

/* Where dmasim places the capabilities it models. */
#define CFG_EXP_CAP_OFF 0x40
#define CFG_ACS_OFF     0x100

/* Writable command bits, as QEMU's default wmask for PCI_COMMAND. */
#define CFG_COMMAND_WMASK                                                            \
    (PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_PARITY | \
     PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE)

static int add_block(struct topology *t, uint32_t fn, uint16_t off, uint16_t ndw)
{
    struct cfg_block b = { off, ndw, (uint32_t)t->cfg_val.n };
    int err;

    if ((err = vec_reserve(&t->cfg_val, ndw)) < 0 || (err = vec_reserve(&t->cfg_wmask, ndw)) < 0 ||
        (err = vec_push(&t->blocks, b)) < 0)
        return err;
    for (uint16_t i = 0; i < ndw; i++) {
        t->cfg_val.v[t->cfg_val.n++] = 0;
        t->cfg_wmask.v[t->cfg_wmask.n++] = 0;
    }
    fn_rec(t, fn)->nblk++;
    return SIM_OK;
}

uint32_t *cfg_dword(const struct topology *t, uint32_t fn, uint16_t off, uint32_t **wmask)
{
    const struct topo_fn *f = fn_rec(t, fn);

    for (uint32_t i = f->blk; i < f->blk + f->nblk; i++) {
        const struct cfg_block *b = &t->blocks.v[i];

        if (off >= b->off && off < b->off + 4 * b->ndw) {
            uint32_t k = b->first + (uint32_t)(off - b->off) / 4;

            if (wmask)
                *wmask = &t->cfg_wmask.v[k];
            return &t->cfg_val.v[k];
        }
    }
    return NULL;
}

/* Set a register ignoring the write mask (building and numbering only). */
void cfg_set(struct topology *t, uint32_t fn, uint16_t off, unsigned len, uint32_t val)
{
    if ((off & 3u) + len <= 4) { /* inside one dword: one lookup */
        uint32_t *dw = cfg_dword(t, fn, (uint16_t)(off & ~3u), NULL);
        unsigned shift = 8 * (off & 3u);
        uint32_t mask = (len == 4 ? 0xffffffffu : (1u << (8 * len)) - 1) << shift;

        assert(dw != NULL);
        *dw = (*dw & ~mask) | ((val << shift) & mask);
        return;
    }
    for (unsigned i = 0; i < len; i++) {
        uint16_t o = (uint16_t)(off + i);
        uint32_t *dw = cfg_dword(t, fn, (uint16_t)(o & ~3u), NULL);
        unsigned shift = 8 * (o & 3u);

        assert(dw != NULL);
        *dw = (*dw & ~(0xffu << shift)) | (((val >> (8 * i)) & 0xffu) << shift);
    }
}

static void set_mask(struct topology *t, uint32_t fn, uint16_t off, uint32_t mask)
{
    uint32_t *wm = NULL;

    cfg_dword(t, fn, off, &wm);
    assert(wm != NULL);
    *wm = mask;
}

uint32_t topo_cfg_read(const struct topology *t, uint32_t fn, uint16_t off, unsigned len)
{
    bool conventional;
    uint32_t v = 0;

    assert(len == 1 || len == 2 || len == 4);
    assert(off + len <= PCI_CFG_SPACE_EXP_SIZE);
    /* The common case, an access inside one implemented dword: one lookup, one shift. */
    if ((off & 3u) + len <= 4) {
        const uint32_t *dw = cfg_dword(t, fn, (uint16_t)(off & ~3u), NULL);

        if (dw)
            return (uint32_t)((*dw >> (8 * (off & 3u))) &
                              (len == 4 ? 0xffffffffu : (1u << (8 * len)) - 1));
    }
    conventional = !topo_kind_is_pcie(topo_fn_kind(t, fn));
    for (unsigned i = 0; i < len; i++) {
        uint16_t o = (uint16_t)(off + i);
        const uint32_t *dw = cfg_dword(t, fn, (uint16_t)(o & ~3u), NULL);
        uint32_t byte = 0;

        if (dw)
            byte = (*dw >> (8 * (o & 3u))) & 0xffu;
        else if (conventional && o >= PCI_CFG_SPACE_SIZE)
            byte = 0xff; /* no extended space: the access ends without a completion */
        v |= byte << (8 * i);
    }
    return v;
}

void topo_cfg_write(struct topology *t, uint32_t fn, uint16_t off, unsigned len, uint32_t val)
{
    assert(len == 1 || len == 2 || len == 4);
    assert(off + len <= PCI_CFG_SPACE_EXP_SIZE);
    for (unsigned i = 0; i < len; i++) {
        uint16_t o = (uint16_t)(off + i);
        uint32_t *wm = NULL;
        uint32_t *dw = cfg_dword(t, fn, (uint16_t)(o & ~3u), &wm);
        unsigned shift = 8 * (o & 3u);
        uint32_t mask, byte;

        if (!dw)
            continue;
        mask = *wm & (0xffu << shift);
        byte = ((val >> (8 * i)) & 0xffu) << shift;
        *dw = (*dw & ~mask) | (byte & mask);
    }
}

uint16_t topo_cfg_find_cap(const struct topology *t, uint32_t fn, uint8_t id)
{
    unsigned ttl = 48; /* at most 48 capabilities fit in 192 bytes: stop on loops */
    uint16_t pos;

    if (!(topo_cfg_read(t, fn, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST))
        return 0;
    pos = (uint16_t)(topo_cfg_read(t, fn, PCI_CAPABILITY_LIST, 1) & ~3u);
    while (pos >= PCI_STD_HEADER_SIZEOF && ttl--) {
        uint32_t hdr = topo_cfg_read(t, fn, pos, 2);

        if ((hdr & 0xff) == id)
            return pos;
        pos = (uint16_t)((hdr >> 8) & 0xfc);
    }
    return 0;
}

uint16_t topo_cfg_find_ext_cap(const struct topology *t, uint32_t fn, uint16_t id)
{
    unsigned ttl = (PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / 8;
    uint16_t pos = PCI_CFG_SPACE_SIZE;

    if (!topo_kind_is_pcie(topo_fn_kind(t, fn)))
        return 0;
    while (pos >= PCI_CFG_SPACE_SIZE && ttl--) {
        uint32_t hdr = topo_cfg_read(t, fn, pos, 4);

        if (hdr == 0)
            return 0;
        if ((hdr & 0xffff) == id)
            return pos;
        pos = (uint16_t)((hdr >> PCI_EXT_CAP_NEXT_SHIFT) & 0xffc);
    }
    return 0;
}

/* --- Building ----------------------------------------------------------------------------- */

static uint16_t bar_reg(bool bridge, unsigned index)
{
    if (index == TOPO_ROM_INDEX)
        return bridge ? PCI_ROM_ADDRESS1 : PCI_ROM_ADDRESS;
    return (uint16_t)(PCI_BASE_ADDRESS_0 + 4 * index);
}

static void build_bar(struct topology *t, uint32_t fn, bool bridge, const struct topo_bar_desc *b)
{
    uint16_t reg = bar_reg(bridge, b->index);
    uint64_t addr = b->has_address ? b->address : 0;
    uint64_t mask = ~(b->size - 1);

    switch (b->type) {
    case TOPO_BAR_IO:
        cfg_set(t, fn, reg, 4, (uint32_t)addr | PCI_BASE_ADDRESS_SPACE_IO);
        set_mask(t, fn, reg, (uint32_t)mask & PCI_BASE_ADDRESS_IO_MASK);
        break;
    case TOPO_BAR_MEM32:
        cfg_set(t, fn, reg, 4,
                (uint32_t)addr | (b->prefetchable ? PCI_BASE_ADDRESS_MEM_PREFETCH : 0));
        set_mask(t, fn, reg, (uint32_t)mask & PCI_BASE_ADDRESS_MEM_MASK);
        break;
    case TOPO_BAR_MEM64:
        cfg_set(t, fn, reg, 4,
                (uint32_t)addr | PCI_BASE_ADDRESS_MEM_TYPE_64 |
                    (b->prefetchable ? PCI_BASE_ADDRESS_MEM_PREFETCH : 0));
        set_mask(t, fn, reg, (uint32_t)mask & PCI_BASE_ADDRESS_MEM_MASK);
        cfg_set(t, fn, (uint16_t)(reg + 4), 4, (uint32_t)(addr >> 32));
        set_mask(t, fn, (uint16_t)(reg + 4), (uint32_t)(mask >> 32));
        break;
    }
    if (b->ram)
        fn_rec(t, fn)->bar_ram |= (uint8_t)(1u << b->index);
}

void cfg_window_encode(struct topology *t, uint32_t fn, enum topo_window w, bool open,
                       uint64_t base, uint64_t limit)
{
    if (!open) { /* base above limit: how firmware closes a window */
        base = w == TOPO_WIN_IO ? 0xf000 : 0xfff00000;
        limit = 0;
    }
    switch (w) {
    case TOPO_WIN_IO:
        cfg_set(t, fn, PCI_IO_BASE, 1, (uint32_t)((base >> 8) & 0xf0) | PCI_IO_RANGE_TYPE_32);
        cfg_set(t, fn, PCI_IO_LIMIT, 1, (uint32_t)((limit >> 8) & 0xf0) | PCI_IO_RANGE_TYPE_32);
        cfg_set(t, fn, PCI_IO_BASE_UPPER16, 2, (uint32_t)(base >> 16));
        cfg_set(t, fn, PCI_IO_LIMIT_UPPER16, 2, (uint32_t)(limit >> 16));
        break;
    case TOPO_WIN_MEM:
        cfg_set(t, fn, PCI_MEMORY_BASE, 2, (uint32_t)(base >> 16) & 0xfff0);
        cfg_set(t, fn, PCI_MEMORY_LIMIT, 2, (uint32_t)(limit >> 16) & 0xfff0);
        break;
    case TOPO_WIN_PREF:
        cfg_set(t, fn, PCI_PREF_MEMORY_BASE, 2,
                ((uint32_t)(base >> 16) & 0xfff0) | PCI_PREF_RANGE_TYPE_64);
        cfg_set(t, fn, PCI_PREF_MEMORY_LIMIT, 2,
                ((uint32_t)(limit >> 16) & 0xfff0) | PCI_PREF_RANGE_TYPE_64);
        cfg_set(t, fn, PCI_PREF_BASE_UPPER32, 4, (uint32_t)(base >> 32));
        cfg_set(t, fn, PCI_PREF_LIMIT_UPPER32, 4, (uint32_t)(limit >> 32));
        break;
    }
}

static uint16_t default_device(enum topo_kind k)
{
    switch (k) {
    case TOPO_ROOT_PORT:
        return 0x000c; /* QEMU pcie-root-port */
    case TOPO_PCIE_PCI_BRIDGE:
        return 0x000e; /* QEMU pcie-pci-bridge */
    case TOPO_PCI_BRIDGE:
        return 0x0001; /* QEMU pci-bridge */
    case TOPO_HOST_BRIDGE:
    case TOPO_UPSTREAM_PORT:
    case TOPO_DOWNSTREAM_PORT:
    case TOPO_PCI_PCIE_BRIDGE:
    case TOPO_ENDPOINT:
    case TOPO_LEGACY_ENDPOINT:
    case TOPO_RC_ENDPOINT:
    case TOPO_PCI_DEVICE:
        break;
    }
    return 0x0000;
}

static int pcie_type(enum topo_kind k)
{
    switch (k) {
    case TOPO_ROOT_PORT:
        return PCI_EXP_TYPE_ROOT_PORT;
    case TOPO_UPSTREAM_PORT:
        return PCI_EXP_TYPE_UPSTREAM;
    case TOPO_DOWNSTREAM_PORT:
        return PCI_EXP_TYPE_DOWNSTREAM;
    case TOPO_PCIE_PCI_BRIDGE:
        return PCI_EXP_TYPE_PCI_BRIDGE;
    case TOPO_PCI_PCIE_BRIDGE:
        return PCI_EXP_TYPE_PCIE_BRIDGE;
    case TOPO_ENDPOINT:
        return PCI_EXP_TYPE_ENDPOINT;
    case TOPO_LEGACY_ENDPOINT:
        return PCI_EXP_TYPE_LEG_END;
    case TOPO_RC_ENDPOINT:
        return PCI_EXP_TYPE_RC_END;
    case TOPO_HOST_BRIDGE:
    case TOPO_PCI_BRIDGE:
    case TOPO_PCI_DEVICE:
        break;
    }
    return -1;
}

/* Command register at power-on plus what FORMAT.md 1.4 derives from assigned resources. */
static uint16_t initial_command(const struct topo_fn_desc *d)
{
    bool mem = false, io = false;
    uint16_t cmd = 0;

    for (size_t i = 0; i < d->nbars; i++) {
        if (!d->bars[i].has_address)
            continue;
        if (d->bars[i].type == TOPO_BAR_IO)
            io = true;
        else
            mem = true;
    }
    if (d->rom.present && d->rom.has_address)
        mem = true;
    if (d->has_window[TOPO_WIN_IO])
        io = true;
    if (d->has_window[TOPO_WIN_MEM] || d->has_window[TOPO_WIN_PREF])
        mem = true;
    if (d->cmd_memory != TOPO_DEFAULT)
        mem = d->cmd_memory == TOPO_TRUE;
    if (d->cmd_io != TOPO_DEFAULT)
        io = d->cmd_io == TOPO_TRUE;
    if (mem)
        cmd |= PCI_COMMAND_MEMORY;
    if (io)
        cmd |= PCI_COMMAND_IO;
    if (d->cmd_bus_master == TOPO_DEFAULT ? (mem || io) : d->cmd_bus_master == TOPO_TRUE)
        cmd |= PCI_COMMAND_MASTER;
    return cmd;
}

/*
 * cfg_build() - lay out fn's registers from its description: the header (type 0 or 1), the
 * PCI Express capability at 0x40 for PCIe kinds, the ACS extended capability at 0x100. The
 * description has been validated; bus numbers are written later by numbering.
 */
int cfg_build(struct topology *t, uint32_t fn, const struct topo_fn_desc *d)
{
    bool bridge = topo_kind_is_bridge(d->kind);
    int type = pcie_type(d->kind);
    uint32_t cls = d->class_code >= 0 ? (uint32_t)d->class_code : bridge ? 0x060400u : 0xff0000u;
    int err;

    fn_rec(t, fn)->blk = (uint32_t)t->blocks.n;
    if ((err = add_block(t, fn, 0, PCI_STD_HEADER_SIZEOF / 4)) < 0)
        return err;
    if (type >= 0 && (err = add_block(t, fn, CFG_EXP_CAP_OFF, PCI_CAP_EXP_SIZEOF / 4)) < 0)
        return err;
    if (d->acs != TOPO_ACS_NONE &&
        (err = add_block(t, fn, CFG_ACS_OFF, PCI_EXT_CAP_ACS_SIZEOF / 4)) < 0)
        return err;

    cfg_set(t, fn, PCI_VENDOR_ID, 2, d->vendor_id >= 0 ? (uint32_t)d->vendor_id : 0x1b36);
    cfg_set(t, fn, PCI_DEVICE_ID, 2,
            d->device_id >= 0 ? (uint32_t)d->device_id : default_device(d->kind));
    cfg_set(t, fn, PCI_COMMAND, 2, initial_command(d));
    set_mask(t, fn, PCI_COMMAND, CFG_COMMAND_WMASK);
    cfg_set(t, fn, PCI_CLASS_REVISION, 4, cls << 8);
    if (!bridge) {
        if (d->subsystem_vendor_id >= 0)
            cfg_set(t, fn, PCI_SUBSYSTEM_VENDOR_ID, 2, (uint32_t)d->subsystem_vendor_id);
        if (d->subsystem_id >= 0)
            cfg_set(t, fn, PCI_SUBSYSTEM_ID, 2, (uint32_t)d->subsystem_id);
    }
    cfg_set(t, fn, PCI_HEADER_TYPE, 1, bridge ? PCI_HEADER_TYPE_BRIDGE : PCI_HEADER_TYPE_NORMAL);
    set_mask(t, fn, 0x0c, 0x000000ff);                         /* cache line size */
    set_mask(t, fn, 0x3c, bridge ? 0xffff00ffu : 0x000000ffu); /* interrupt line; bridge control */

    for (size_t i = 0; i < d->nbars; i++)
        build_bar(t, fn, bridge, &d->bars[i]);
    if (d->rom.present) {
        uint16_t reg = bar_reg(bridge, TOPO_ROM_INDEX);
        uint32_t addr = d->rom.has_address ? (uint32_t)d->rom.address : 0;

        cfg_set(t, fn, reg, 4, addr | (d->rom.enabled ? PCI_ROM_ADDRESS_ENABLE : 0));
        set_mask(t, fn, reg,
                 ((uint32_t) ~(d->rom.size - 1) & PCI_ROM_ADDRESS_MASK) | PCI_ROM_ADDRESS_ENABLE);
    }
    if (bridge) {
        set_mask(t, fn, PCI_PRIMARY_BUS, 0x00ffffff);
        set_mask(t, fn, PCI_IO_BASE, 0x0000f0f0);
        set_mask(t, fn, PCI_MEMORY_BASE, 0xfff0fff0);
        set_mask(t, fn, PCI_PREF_MEMORY_BASE, 0xfff0fff0);
        set_mask(t, fn, PCI_PREF_BASE_UPPER32, 0xffffffff);
        set_mask(t, fn, PCI_PREF_LIMIT_UPPER32, 0xffffffff);
        set_mask(t, fn, PCI_IO_BASE_UPPER16, 0xffffffff);
        for (unsigned w = TOPO_WIN_IO; w <= TOPO_WIN_PREF; w++)
            cfg_window_encode(t, fn, (enum topo_window)w, d->has_window[w], d->window_base[w],
                              d->window_limit[w]);
    }
    if (type >= 0) {
        uint32_t flags = 2 | ((uint32_t)type << 4);

        if (d->kind == TOPO_ROOT_PORT || d->kind == TOPO_DOWNSTREAM_PORT)
            flags |= PCI_EXP_FLAGS_SLOT;
        cfg_set(t, fn, PCI_STATUS, 2, PCI_STATUS_CAP_LIST);
        cfg_set(t, fn, PCI_CAPABILITY_LIST, 1, CFG_EXP_CAP_OFF);
        cfg_set(t, fn, CFG_EXP_CAP_OFF, 2, PCI_CAP_ID_EXP);
        cfg_set(t, fn, CFG_EXP_CAP_OFF + PCI_EXP_FLAGS, 2, flags);
    }
    if (d->acs != TOPO_ACS_NONE) {
        uint16_t cap = d->acs == TOPO_ACS_FULL ? (PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)
                                               : d->acs_cap;
        uint16_t ctrl = d->acs == TOPO_ACS_FULL ? cap : d->acs_ctrl;

        cfg_set(t, fn, CFG_ACS_OFF, 4, PCI_EXT_CAP_ID_ACS | 1u << PCI_EXT_CAP_VER_SHIFT);
        cfg_set(t, fn, CFG_ACS_OFF + PCI_ACS_CAP, 2, cap);
        cfg_set(t, fn, CFG_ACS_OFF + PCI_ACS_CTRL, 2, ctrl);
        /* Control bits of features the port lacks are hardwired to 0 (PCIe 6.0 §7.7.8.3). */
        set_mask(t, fn, CFG_ACS_OFF + PCI_ACS_CAP, (uint32_t)(cap & 0x7f) << 16);
    }
    /* Capability pointers are read-only: where the PCIe capability sits never changes. */
    fn_rec(t, fn)->exp_cap = (uint8_t)topo_cfg_find_cap(t, fn, PCI_CAP_ID_EXP);
    return SIM_OK;
}
