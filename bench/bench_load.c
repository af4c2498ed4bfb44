/* bench_load FILE -- load and finalize a scenario with the dmasim library; print the time,
 * the number of functions and the peak resident memory per function. */
#include <stdio.h>
#include <time.h>

#include <sys/resource.h>

#include "sim/scenario/scenario.h"

int main(int argc, char **argv)
{
    struct scenario *s = NULL;
    struct diag_list dl;
    struct timespec a, b;
    struct rusage ru;
    size_t nfn = 0;
    int err;

    if (argc != 2) {
        fprintf(stderr, "usage: bench_load FILE\n");
        return 2;
    }
    diag_list_init(&dl, argv[1]);
    clock_gettime(CLOCK_MONOTONIC, &a);
    err = scenario_load(&s, argv[1], &dl);
    clock_gettime(CLOCK_MONOTONIC, &b);
    if (err < 0) {
        fprintf(stderr, "load failed (%zu diagnostics)\n", dl.n);
        return 1;
    }
    for (unsigned m = 0; m < SCN_MACHINE_COUNT; m++)
        if (scenario_machine(s, (enum scn_machine)m))
            nfn += topo_fn_count(scenario_machine(s, (enum scn_machine)m));
    getrusage(RUSAGE_SELF, &ru);
    printf("dmasim load: %zu functions in %.3f s, peak RSS %ld KiB (%.0f bytes/function)\n", nfn,
           (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9, ru.ru_maxrss,
           nfn ? (double)ru.ru_maxrss * 1024.0 / (double)nfn : 0.0);
    scenario_free(s);
    diag_list_fini(&dl);
    return 0;
}
