/* bench_explore [K | FILE] -- time bar_explore(): the states per second and bytes per state of
 * the breadth-first search, with the partial-order reduction off and on.
 *
 * Without FILE: K devices (default 5), each with two 64-bit BARs, each sized by its own actor
 * with the decode-on generator (16 accesses per actor, so 17^K states without reduction), on a
 * guest whose devices are assigned behind a 48-bit host IOMMU, QEMU policy, VFIO listener with
 * the bit-63 filter. Every address a BAR passes through is its own, so every invariant but
 * no-transient-mapping holds and each search runs to the end. Runs:
 *   width            mappings-within-iommu-width alone (per-function: the reduction is linear)
 *   width+overlap    and no-bar-overlap (mapping moves of different devices interleave)
 * With FILE: the scenario's explore section, reduction off then on. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/resource.h>

#include "sim/bar/bar.h"
#include "sim/check/check.h"
#include "sim/scenario/scenario.h"
#include "sim/util/vec.h"

typedef VEC(struct bar_op) op_vec;

#define MAX_K 8

static void print(const char *what, const struct bar_explore_result *r)
{
    static const char *const verdicts[] = { "holds", "violated", "incomplete" };

    printf("  %-16s states %10" PRIu64 "  transitions %10" PRIu64 "  pruned %10" PRIu64
           "  depth %4u  %7.3f s  %9.0f states/s  %3zu bytes/state  %s\n",
           what, r->states, r->transitions, r->pruned, r->depth, r->seconds,
           r->seconds > 0 ? (double)r->states / r->seconds : 0.0, r->bytes_per_state,
           verdicts[r->verdict]);
}

/* Progress of a long run, on stderr (stdout keeps the table). */
static void progress(uint64_t states, uint64_t transitions, double seconds, void *data)
{
    fprintf(stderr, "  %s: %" PRIu64 " states, %" PRIu64 " transitions, %.0f s\n",
            (const char *)data, states, transitions, seconds);
}

static int run(const char *what, struct topology *t, const struct bar_actor *actors, size_t n,
               struct bar_explore_config *cfg)
{
    struct bar_explore_result r;

    cfg->progress = progress;
    cfg->progress_data = (void *)(uintptr_t)what;
    if (bar_explore(&r, t, actors, n, cfg) < 0) {
        fprintf(stderr, "bench_explore: bar_explore failed\n");
        return 1;
    }
    print(what, &r);
    bar_explore_result_fini(&r);
    return 0;
}

static struct topology *machine(unsigned k, uint32_t *dev)
{
    static const char *const ids[MAX_K] = { "dev0", "dev1", "dev2", "dev3",
                                            "dev4", "dev5", "dev6", "dev7" };
    struct topology *t = NULL;
    struct diag_list dl;
    struct topo_hb hb;
    uint32_t h = TOPO_NONE;

    diag_list_init(&dl, "bench");
    memset(&hb, 0, sizeof(hb));
    hb.id = "pci0";
    hb.dma_owner = TOPO_NONE;
    if (topo_new(&t, "guest") < 0 || topo_hb_add(t, &hb, &h) < 0)
        goto fail;
    for (unsigned i = 0; i < k; i++) {
        struct topo_bar_desc bars[2];
        struct topo_fn_desc d;

        memset(bars, 0, sizeof(bars));
        memset(&d, 0, sizeof(d));
        /* low dword all-ones, high dword all-ones: addresses no other BAR ever takes */
        bars[0].index = 0;
        bars[0].type = TOPO_BAR_MEM64;
        bars[0].size = 0x4000;
        bars[0].has_address = true;
        bars[0].address = ((uint64_t)(i + 1) << 32) + 0xfe000000u + 0x100000u * i;
        bars[1].index = 2;
        bars[1].type = TOPO_BAR_MEM64;
        bars[1].size = 0x100000;
        bars[1].has_address = true;
        bars[1].address = ((uint64_t)(i + 0x10) << 32) + 0x100000u * i;
        d.id = ids[i];
        d.kind = TOPO_ENDPOINT;
        d.devfn = (uint8_t)((i + 1) << 3);
        d.parent = TOPO_NONE;
        d.hb = h;
        d.vendor_id = d.device_id = d.class_code = -1;
        d.subsystem_vendor_id = d.subsystem_id = -1;
        d.secondary = d.subordinate = -1;
        d.cmd_memory = d.cmd_io = d.cmd_bus_master = TOPO_DEFAULT;
        d.bars = bars;
        d.nbars = 2;
        if (topo_fn_reserve(t, &dev[i]) < 0 || topo_fn_define(t, dev[i], &d, &dl) < 0)
            goto fail;
    }
    if (topo_finalize(t, &dl) < 0)
        goto fail;
    for (unsigned i = 0; i < k; i++)
        topo_fn_set_passthrough(t, dev[i], 0);
    diag_list_fini(&dl);
    return t;
fail:
    fprintf(stderr, "bench_explore: building the machine failed (%zu diagnostics)\n", dl.n);
    diag_list_fini(&dl);
    topo_free(t);
    return NULL;
}

static int builtin(unsigned k)
{
    uint32_t dev[MAX_K];
    uint8_t width[MAX_K + 1];
    op_vec ops[MAX_K];
    struct bar_actor actors[MAX_K];
    struct bar_explore_config cfg;
    struct topology *t = machine(k, dev);
    int rc = 0;

    if (!t)
        return 1;
    memset(ops, 0, sizeof(ops));
    memset(width, 48, sizeof(width));
    for (unsigned i = 0; i < k; i++) {
        if (bar_generate(&ops[i], t, BAR_GEN_DECODE_ON, &dev[i], 1) < 0)
            return 1;
        actors[i] = (struct bar_actor){ i, ops[i].v, ops[i].n };
    }
    printf("bench_explore: %u devices, two 64-bit BARs each, decode-on sizing (%zu accesses per "
           "actor)\n",
           k, ops[0].n);
    memset(&cfg, 0, sizeof(cfg));
    cfg.replay = (struct bar_config){ BAR_POLICY_QEMU, true, true, width };
    cfg.max_states = 100000000;
    cfg.invariants = BAR_INV_WITHIN_IOMMU_WIDTH;
    rc |= run("width, full", t, actors, k, &cfg);
    cfg.reduction = true;
    rc |= run("width, reduced", t, actors, k, &cfg);
    cfg.invariants |= BAR_INV_NO_OVERLAP;
    cfg.reduction = false;
    rc |= run("+overlap, full", t, actors, k, &cfg);
    cfg.reduction = true;
    rc |= run("+overlap, reduced", t, actors, k, &cfg);
    for (unsigned i = 0; i < k; i++)
        vec_free(&ops[i]);
    topo_free(t);
    return rc;
}

static int scenario(const char *path)
{
    struct scenario *s = NULL;
    struct diag_list dl;
    int rc = 0;

    diag_list_init(&dl, path);
    if (scenario_load(&s, path, &dl) < 0) {
        fprintf(stderr, "bench_explore: %s: load failed (%zu diagnostics)\n", path, dl.n);
        diag_list_fini(&dl);
        return 1;
    }
    printf("bench_explore: %s\n", path);
    for (int red = 0; red < 2 && rc == 0; red++) {
        struct check_result *r = NULL;
        struct check_input in;

        scenario_check_input(s, &in);
        if (!in.explore.present) {
            fprintf(stderr, "bench_explore: %s: no explore section\n", path);
            rc = 1;
            break;
        }
        in.run_explore = true;
        in.explore.reduction = red;
        if (check_run(&r, &in) < 0 || !check_explore_result(r))
            rc = 1;
        else
            print(red ? "reduced" : "full", check_explore_result(r));
        check_result_free(r);
    }
    scenario_free(s);
    diag_list_fini(&dl);
    return rc;
}

int main(int argc, char **argv)
{
    struct rusage ru;
    char *end = NULL;
    unsigned long k = 5;
    int rc;

    if (argc > 2) {
        fprintf(stderr, "usage: bench_explore [K | FILE]\n");
        return 2;
    }
    if (argc == 2)
        k = strtoul(argv[1], &end, 10);
    if (argc == 2 && *end)
        rc = scenario(argv[1]);
    else if (k < 1 || k > MAX_K) {
        fprintf(stderr, "bench_explore: K is 1 to %d\n", MAX_K);
        return 2;
    } else
        rc = builtin((unsigned)k);
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS %ld KiB\n", ru.ru_maxrss);
    return rc;
}
