/*
 * dmasim test -- run scenario files against their expect sections: one line per scenario,
 * what is missing and what is extra on a mismatch, and "N passed, M failed" at the end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "exit_codes.h"

static bool expects_something(const struct check_expect *x)
{
    return x->has_findings || x->groups[CHECK_HOST].present || x->groups[CHECK_GUEST].present ||
           x->naliases;
}

int cmd_test(int argc, char **argv)
{
    static const char *const flags[] = { NULL };
    const struct cli_cmd *cmd = cli_find("test");
    size_t passed = 0, failed = 0, unchecked = 0, invalid = 0, nfiles = 0;
    char **files = NULL;
    struct cli_args a;
    int rc;

    if ((rc = cli_parse(cmd, argc, argv, flags, 1, SIZE_MAX, &a)) != 0)
        return rc == CLI_DONE ? 0 : rc;
    rc = cli_collect(&files, &nfiles, a.pos, a.npos);
    free(a.pos);
    if (rc)
        return rc;
    for (size_t i = 0; i < nfiles; i++) {
        struct strbuf out = STRBUF_INIT;
        struct scenario *s = NULL;
        struct check_result *r = NULL;

        fflush(stdout); /* diagnostics on stderr stay next to their scenario's line */
        if (cli_load(&s, files[i]) != 0 || cli_analyse(&r, s) != 0) {
            printf("INVALID %s\n", files[i]);
            invalid++;
            failed++;
        } else if (!expects_something(scenario_check_expect(s))) {
            printf("ok      %s (%s): no expect section, loaded and analysed\n", files[i],
                   scenario_name(s));
            unchecked++;
        } else if (check_expect_compare(&out, r, scenario_check_expect(s))) {
            printf("PASS    %s (%s)\n", files[i], scenario_name(s));
            passed++;
        } else {
            printf("FAIL    %s (%s)\n%s", files[i], scenario_name(s), strbuf_cstr(&out));
            failed++;
        }
        strbuf_fini(&out);
        check_result_free(r);
        scenario_free(s);
    }
    cli_collect_free(files, nfiles);
    if (unchecked)
        printf("%zu scenario%s without expectations\n", unchecked, unchecked == 1 ? "" : "s");
    printf("%zu passed, %zu failed\n", passed, failed);
    if (fflush(stdout) != 0)
        return DMASIM_EXIT_INVALID;
    return invalid ? DMASIM_EXIT_INVALID : failed ? DMASIM_EXIT_FINDINGS : DMASIM_EXIT_OK;
}
