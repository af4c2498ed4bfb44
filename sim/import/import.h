/*
 * Import -- scenarios from what users have: a QEMU command line, `lspci -vvv` text, a sysfs
 * snapshot. Each importer fills the same small model of a machine (struct imp_machine), and
 * imp_emit() writes it as scenario YAML with a comment on every value that was assumed or
 * derived, so that `dmasim check` runs on the output at once.
 *
 * Owns: parsing those inputs, the YAML they become. Does not own: validating the scenario
 * (the output is loaded by sim/scenario like any file), any analysis.
 * Uses: sim/util only: the output is text, not a struct topology.
 */
#ifndef SIM_IMPORT_IMPORT_H
#define SIM_IMPORT_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/util/diag.h"
#include "sim/util/strbuf.h"

/*
 * One YAML scalar with where it came from. `value` is written as is (quote it yourself when
 * YAML needs quotes, e.g. "\"1c.0\""); `note`, when set, becomes a trailing `# note` comment
 * ("from lspci line 12", "assumed: QEMU 7.2 e1000e has no ACS"). An empty value is omitted.
 */
struct imp_val {
    char value[128];
    char note[160];
};

struct imp_bar {
    unsigned index;      /* 0..5 */
    struct imp_val type; /* mem32 | mem64 | io */
    struct imp_val size; /* "16K", "0x4000" */
    struct imp_val address;
    struct imp_val prefetchable; /* "true" | "false" | "" */
};

/* A function, with its children (a bridge's secondary bus) as indices into imp_machine.fns. */
struct imp_fn {
    struct imp_val id, kind, devfn, vendor, device, class_code, secondary, subordinate;
    struct imp_val acs;    /* "full", "none", or "{ cap: [...], ctrl: [...] }" */
    struct imp_val driver; /* vfio-pci | host | none */
    struct imp_val passthrough, dma_bits, access_platform; /* access_platform: virtio only */
    struct imp_val windows; /* "{ mem: [0x.., 0x..], pref: [...], io: [...] }" */
    struct imp_val rom_size, rom_address;
    struct imp_bar bars[6];
    size_t nbars;
    char comment[240];  /* a comment line above the function ("unknown device ...") */
    size_t parent;      /* IMP_NONE: on a host bridge's root bus */
    size_t host_bridge; /* index into imp_machine.hbs */
};

#define IMP_NONE SIZE_MAX

struct imp_hb {
    struct imp_val id, segment, bus;
    char comment[240];
};

struct imp_iommu {
    struct imp_val id, kind, address_bits; /* kind: vt-d | amd-vi | smmuv3 | virtio-iommu */
    char comment[240];
};

struct imp_machine {
    const char *name; /* "host" or "guest" */
    struct imp_val arch, cpu_phys_bits, guest_phys_bits;
    /* "false" when the input shows ACS control registers as the kernel left them (lspci,
     * sysfs): dmasim must not enable ACS bits a second time */
    struct imp_val os_enables_acs;
    struct imp_iommu iommus[8];
    size_t niommus;
    struct imp_hb hbs[16];
    size_t nhbs;
    struct imp_fn *fns; /* in the order they should be written among siblings */
    size_t nfns, capfns;
    /* observed IOMMU groups (lspci "IOMMU group: N", sysfs iommu_group links): group[i] of
     * fns[i], -1 when unknown; written as expect.groups */
    int *group;
};

struct imp_scenario {
    char name[64];
    char description[400];
    char source[400]; /* what was imported, for the header comment and references */
    struct imp_machine host;
    bool has_guest;
    struct imp_machine guest;
    char notes[2048]; /* header comment lines: assumptions that apply to the whole file */
};

/* imp_fn_add() - a new function (every value empty, parent IMP_NONE, group -1) in m; returns
 * its index, or IMP_NONE when out of memory. Pointers into m->fns move on the next add. */
size_t imp_fn_add(struct imp_machine *m);

/* imp_set() - v->value = value (truncated to fit) and v->note = note (may be NULL). */
void imp_set(struct imp_val *v, const char *value, const char *note);
void imp_setf(struct imp_val *v, const char *note, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* imp_size() - a size as the scenario format writes it (num_format_size(): "16K", "0x100"). */
void imp_size(struct imp_val *v, uint64_t size, const char *note);

/*
 * imp_emit() - the scenario as YAML: header comments (source, notes), name, description,
 * references, host (and guest) with platform, iommus and topology trees, and when any
 * observed group is known, expect.groups (per machine, the groups of functions whose group
 * is known). Deterministic: same model, same bytes.
 */
void imp_emit(struct strbuf *out, const struct imp_scenario *s);

/* imp_scenario_fini() - free the functions and groups of both machines. */
void imp_scenario_fini(struct imp_scenario *s);

/*
 * The importers. Each reads its input (a path, or "-" for stdin; for sysfs a directory or a
 * .tar made by tools/dmasim-capture), fills *s, and reports problems in dl located at the
 * input's line (and column where it helps). SIM_OK, SIM_EINVAL (input unusable; dl says
 * why), SIM_EIO (cannot read), SIM_ENOMEM. Unknown devices become placeholder endpoints with
 * a comment, never a silent drop.
 */
int import_qemu(struct imp_scenario *s, const char *path, struct diag_list *dl);
int import_lspci(struct imp_scenario *s, const char *path, struct diag_list *dl);
int import_sysfs(struct imp_scenario *s, const char *path, struct diag_list *dl);

#endif
