/* Alias -- pci_acs_enabled(): device-specific ACS quirks, then the rules by PCIe type. */
#include "sim/alias/alias.h"

#include "sim/alias/alias_internal.h"
#include "sim/topology/pci_regs.h"

#define ACS_REQ    (PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)
#define NO_OPINION (-1) /* the quirk does not apply: -ENOTTY / -ENODEV */

/* pci_acs_ctrl_enabled(): every requested feature is among the enabled ones. */
static int ctrl_enabled(uint16_t req, uint16_t ena)
{
    return (req & ena) == req;
}

static bool in(uint16_t v, uint16_t lo, uint16_t hi)
{
    return v >= lo && v <= hi;
}

/* The ACS control bits that count: the register, plus what the OS enables at enumeration
 * (pci_std_enable_acs: SV RR CR UF where the capability has them). */
static uint16_t effective_ctrl(const struct alias_ctx *ctx, uint16_t cap, uint16_t ctrl)
{
    return ctx->os_enables_acs ? (uint16_t)(ctrl | (cap & ACS_REQ)) : ctrl;
}

/* One row of pci_dev_acs_enabled[]: 1 enabled, 0 not, NO_OPINION. */
static int quirk_answer(struct alias_ctx *ctx, uint32_t fn, const struct quirk_row *r,
                        bool *not_enabled)
{
    const struct topology *t = ctx->t;
    int type = topo_fn_pcie_type(t, fn);
    uint16_t dev = topo_fn_device(t, fn), cap, ctrl;
    uint16_t flags = ACS_REQ;

    switch (r->kind) {
    case QUIRK_ACS_AMD_SB:
        /* multifunction southbridge devices on the root bus, and only with an IVRS table */
        if (!topo_fn_is_multifunction(t, fn) || topo_fn_parent(t, fn) != TOPO_NONE ||
            !ctx->amd_ivrs)
            return NO_OPINION;
        flags &= PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_EC | PCI_ACS_DT;
        return ctrl_enabled(flags, PCI_ACS_RR | PCI_ACS_CR);
    case QUIRK_ACS_MF_ENDPOINT:
        /* no peer-to-peer between the functions at all: every flag is implied */
        flags &= (uint16_t) ~(PCI_ACS_SV | PCI_ACS_TB | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF |
                              PCI_ACS_DT);
        return flags ? 0 : 1;
    case QUIRK_ACS_RCIEP:
        if (type != PCI_EXP_TYPE_RC_END)
            return NO_OPINION;
        return ctrl_enabled(flags, ACS_REQ); /* VT-d r3.1 §3.16 */
    case QUIRK_ACS_INTEL_PCH:
        if (type != PCI_EXP_TYPE_ROOT_PORT)
            return NO_OPINION;
        if (!ctx->os_enables_acs) { /* PCI_DEV_FLAGS_ACS_ENABLED_QUIRK was never set */
            *not_enabled = true;
            return 0;
        }
        return ctrl_enabled(flags, ACS_REQ);
    case QUIRK_ACS_INTEL_SPT_PCH:
        /* a real capability whose control register sits at cap + 8 (errata); the OS enables
         * it through the quirk, so read it as the standard one */
        if (type != PCI_EXP_TYPE_ROOT_PORT || !topo_fn_acs(t, fn, &cap, &ctrl))
            return NO_OPINION;
        flags &= cap | PCI_ACS_EC;
        return ctrl_enabled(flags, effective_ctrl(ctx, cap, ctrl));
    case QUIRK_ACS_CAVIUM:
    case QUIRK_ACS_AL:
        if (type != PCI_EXP_TYPE_ROOT_PORT)
            return NO_OPINION;
        return ctrl_enabled(flags, ACS_REQ);
    case QUIRK_ACS_ZHAOXIN_PORTS:
        if (type != PCI_EXP_TYPE_ROOT_PORT && type != PCI_EXP_TYPE_DOWNSTREAM)
            return NO_OPINION;
        if (in(dev, 0x0710, 0x071e) || dev == 0x0721 || in(dev, 0x0723, 0x0752))
            return ctrl_enabled(flags, ACS_REQ);
        return 0; /* another Zhaoxin port: no isolation */
    case QUIRK_ACS_WANGXUN_NIC:
        /* registered for the whole vendor; only these multifunction NICs isolate */
        if (in(dev, 0x0100, 0x010f) || dev == 0x1001 || dev == 0x2001 || dev == 0x5010 ||
            dev == 0x5025 || dev == 0x5040 || dev == 0x5110 || dev == 0x5125 || dev == 0x5140)
            return ctrl_enabled(flags, ACS_REQ);
        return 0;
    case QUIRK_ACS_QCOM_RP:
    case QUIRK_ACS_XGENE:
    case QUIRK_ACS_BRCM:
    case QUIRK_ACS_LOONGSON:
    case QUIRK_ACS_NXP_RP:
        return ctrl_enabled(flags, ACS_REQ);
    case QUIRK_DMA_FUNC0:
    case QUIRK_DMA_FUNC1:
    case QUIRK_DMA_FIXED:
    case QUIRK_DMA_MIC_X200:
    case QUIRK_DMA_PEX_VCA:
    case QUIRK_DMA_PLX_NTB:
    case QUIRK_PCIE_BRIDGE_ALIAS:
    case QUIRK_BRIDGE_XLATE_ROOT:
        break;
    }
    return NO_OPINION;
}

static void set(struct fn_alias *fa, bool enabled, enum alias_acs_why why)
{
    fa->acs_enabled = enabled;
    fa->acs_why = (uint8_t)why;
}

/* pci_acs_flags_enabled(): no capability -> no; features the capability does not advertise
 * count as hard-wired on (egress control excepted); the rest must be enabled. */
static void flags_enabled(struct alias_ctx *ctx, uint32_t fn)
{
    struct fn_alias *fa = &ctx->fa[fn];
    uint16_t cap, ctrl, req;

    if (!topo_fn_acs(ctx->t, fn, &cap, &ctrl)) {
        set(fa, false, ALIAS_ACS_NO_CAP);
        return;
    }
    req = ACS_REQ & (cap | PCI_ACS_EC);
    fa->acs_missing = (uint8_t)(req & ~effective_ctrl(ctx, cap, ctrl));
    set(fa, !fa->acs_missing, fa->acs_missing ? ALIAS_ACS_CTRL : ALIAS_ACS_FLAGS_OK);
}

/* acs_evaluate() - decide pci_acs_enabled(fn, REQ_ACS_FLAGS) once, with the reason.
 * acs_rows are the matching ACS rows in table order. */
void acs_evaluate(struct alias_ctx *ctx, uint32_t fn, const int *acs_rows, size_t nacs)
{
    struct fn_alias *fa = &ctx->fa[fn];
    int type = topo_fn_pcie_type(ctx->t, fn);

    fa->acs_quirk = -1;
    for (size_t i = 0; i < nacs; i++) {
        bool not_enabled = false;
        int ans = quirk_answer(ctx, fn, &ctx->rows[acs_rows[i]], &not_enabled);

        if (ans >= 0) {
            fa->acs_quirk = (int16_t)acs_rows[i];
            set(fa, ans == 1, not_enabled ? ALIAS_ACS_QUIRK_NOT_ENABLED : ALIAS_ACS_QUIRK);
            return;
        }
    }
    if (type < 0) {
        set(fa, false, ALIAS_ACS_CONVENTIONAL);
        return;
    }
    switch (type) {
    case PCI_EXP_TYPE_PCIE_BRIDGE:
    case PCI_EXP_TYPE_PCI_BRIDGE:
        set(fa, false, ALIAS_ACS_BRIDGE_TYPE);
        return;
    case PCI_EXP_TYPE_DOWNSTREAM:
    case PCI_EXP_TYPE_ROOT_PORT:
        flags_enabled(ctx, fn);
        return;
    case PCI_EXP_TYPE_ENDPOINT:
    case PCI_EXP_TYPE_UPSTREAM:
    case PCI_EXP_TYPE_LEG_END:
    case PCI_EXP_TYPE_RC_END:
        if (topo_fn_is_multifunction(ctx->t, fn))
            flags_enabled(ctx, fn);
        else
            set(fa, true, ALIAS_ACS_SINGLE_FUNCTION);
        return;
    default:
        set(fa, true, ALIAS_ACS_OTHER_TYPE);
        return;
    }
}

struct alias_acs alias_acs_enabled(const struct alias_ctx *ctx, uint32_t fn)
{
    const struct fn_alias *fa = &ctx->fa[fn];
    struct alias_acs a = {
        fa->acs_enabled, (enum alias_acs_why)fa->acs_why, 0, 0, fa->acs_missing, NULL
    };

    topo_fn_acs(ctx->t, fn, &a.cap, &a.ctrl);
    if (fa->acs_quirk >= 0)
        a.quirk = ctx->rows[fa->acs_quirk].upstream;
    return a;
}

uint32_t alias_acs_path(const struct alias_ctx *ctx, uint32_t fn)
{
    for (uint32_t d = fn; d != TOPO_NONE; d = topo_fn_parent(ctx->t, d))
        if (!ctx->fa[d].acs_enabled)
            return d;
    return TOPO_NONE;
}
