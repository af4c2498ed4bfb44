/* bench_load FILE -- load a scenario with the dmasim library, then compute every function's
 * requester-ID aliases and the IOMMU groups; print the time of each step, the number of
 * functions, and the peak resident memory per function. */
#include <stdio.h>
#include <time.h>

#include <sys/resource.h>

#include "sim/alias/alias.h"
#include "sim/scenario/scenario.h"

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count_cb(const struct alias_ctx *ctx, uint32_t owner, struct alias_rid rid, void *data)
{
    (void)ctx;
    (void)owner;
    (void)rid;
    ++*(unsigned long *)data;
    return 0;
}

int main(int argc, char **argv)
{
    struct scenario *s = NULL;
    struct alias_ctx *ctx = NULL;
    struct alias_groups *g = NULL;
    struct diag_list dl;
    struct rusage ru;
    const struct topology *t;
    unsigned long naliases = 0;
    double t0, t1, t2, t3, t4;

    if (argc != 2) {
        fprintf(stderr, "usage: bench_load FILE\n");
        return 2;
    }
    diag_list_init(&dl, argv[1]);
    t0 = now();
    if (scenario_load(&s, argv[1], &dl) < 0) {
        fprintf(stderr, "load failed (%zu diagnostics)\n", dl.n);
        return 1;
    }
    t1 = now();
    t = scenario_machine(s, SCN_HOST);
    if (alias_ctx_new(&ctx, t) < 0)
        return 1;
    t2 = now();
    for (uint32_t fn = 0; fn < topo_fn_count(t); fn++)
        alias_for_each(ctx, fn, count_cb, &naliases);
    t3 = now();
    if (alias_groups_compute(&g, ctx) < 0)
        return 1;
    t4 = now();
    getrusage(RUSAGE_SELF, &ru);
    printf("dmasim: %zu functions: load %.3f s, quirks+ACS %.3f s, aliases %.3f s (%lu), groups "
           "%.3f s (%zu); total %.3f s; peak RSS %ld KiB (%.0f bytes/function)\n",
           topo_fn_count(t), t1 - t0, t2 - t1, t3 - t2, naliases, t4 - t3, alias_group_count(g),
           t4 - t0, ru.ru_maxrss, (double)ru.ru_maxrss * 1024.0 / (double)topo_fn_count(t));
    alias_groups_free(g);
    alias_ctx_free(ctx);
    scenario_free(s);
    diag_list_fini(&dl);
    return 0;
}
