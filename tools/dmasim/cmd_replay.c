/* dmasim replay / explore -- run a scenario's replay or explore section and report it. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exit_codes.h"
#include "sim/report/report.h"
#include "sim/util/err.h"

/* Progress of a long exploration, on stderr only: stdout stays the same on every run. */
static void progress(uint64_t states, uint64_t transitions, double seconds, void *data)
{
    (void)data;
    fprintf(stderr, "dmasim explore: %" PRIu64 " states, %" PRIu64 " transitions, %.0f s\n", states,
            transitions, seconds);
}

static int run(const char *name, int argc, char **argv, bool explore)
{
    static const char *const replay_flags[] = { "json", NULL };
    static const char *const explore_flags[] = { "json", "no-reduction", "compare", NULL };
    const struct cli_cmd *cmd = cli_find(name);
    struct strbuf out = STRBUF_INIT;
    struct scenario *s = NULL;
    struct check_result *r = NULL, *full = NULL;
    struct check_input in;
    struct cli_args a;
    bool no_reduction = false, compare = false;
    int rc, err;

    for (int i = 1; explore && i < argc; i++) {
        no_reduction |= strcmp(argv[i], "--no-reduction") == 0;
        compare |= strcmp(argv[i], "--compare") == 0;
    }
    if ((rc = cli_parse(cmd, argc, argv, explore ? explore_flags : replay_flags, 1, 1, &a)) != 0)
        return rc == CLI_DONE ? 0 : rc;
    if ((rc = cli_load(&s, a.pos[0])) != 0)
        goto out;
    scenario_check_input(s, &in);
    if (explore ? !in.explore.present : !in.replay.present) {
        fprintf(stderr, "%s: error: the scenario has no %s section\n", a.pos[0], name);
        rc = DMASIM_EXIT_INVALID;
        goto out;
    }
    in.run_explore = explore;
    if (no_reduction)
        in.explore.reduction = false;
    in.progress = progress;
    if ((err = check_run(&r, &in)) < 0) {
        fprintf(stderr, "%s: error: %s %s\n", a.pos[0], name, sim_err_str(err));
        rc = DMASIM_EXIT_INVALID;
        goto out;
    }
    if (explore && check_explore_result(r)) {
        const struct bar_explore_result *x = check_explore_result(r);

        fprintf(stderr, "dmasim explore: %" PRIu64 " states in %.3f s (%.0f states/s)\n", x->states,
                x->seconds, x->seconds > 0 ? (double)x->states / x->seconds : 0.0);
    }
    if (compare && in.explore.reduction) { /* the same search without reduction */
        in.explore.reduction = false;
        if ((err = check_run(&full, &in)) < 0) {
            fprintf(stderr, "%s: error: %s %s\n", a.pos[0], name, sim_err_str(err));
            rc = DMASIM_EXIT_INVALID;
            goto out;
        }
        in.explore.reduction = true;
    }
    if (a.json)
        rc = (explore ? report_explore_json : report_replay_json)(&out, scenario_name(s), r) < 0
                 ? DMASIM_EXIT_INVALID
                 : 0;
    else
        (explore ? report_explore_text : report_replay_text)(&out, scenario_name(s), r);
    if (full && !a.json)
        report_explore_compare_text(&out, check_explore_result(r), check_explore_result(full));
    if (rc == 0)
        rc = cli_emit(&out);
    if (rc == 0 && check_has_error(r))
        rc = DMASIM_EXIT_FINDINGS;
out:
    strbuf_fini(&out);
    check_result_free(r);
    check_result_free(full);
    scenario_free(s);
    free(a.pos);
    return rc;
}

int cmd_replay(int argc, char **argv)
{
    return run("replay", argc, argv, false);
}

int cmd_explore(int argc, char **argv)
{
    return run("explore", argc, argv, true);
}
