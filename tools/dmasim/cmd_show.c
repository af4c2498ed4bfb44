/* dmasim show -- the topology of a scenario as a tree, or as JSON. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "exit_codes.h"
#include "sim/report/report.h"

int cmd_show(int argc, char **argv)
{
    static const char *const flags[] = { "json", NULL };
    const struct cli_cmd *cmd = cli_find("show");
    struct strbuf out = STRBUF_INIT;
    struct scenario *s = NULL;
    struct check_result *r = NULL;
    struct cli_args a;
    int rc;

    if ((rc = cli_parse(cmd, argc, argv, flags, 1, 1, &a)) != 0)
        return rc == CLI_DONE ? 0 : rc;
    rc = cli_load(&s, a.pos[0]);
    if (rc == 0 && a.json && (rc = cli_analyse(&r, s)) == 0)
        rc = report_json(&out, scenario_name(s), r, REPORT_TOPOLOGY) < 0 ? DMASIM_EXIT_INVALID : 0;
    if (rc == 0 && !a.json) {
        for (unsigned m = 0; m < SCN_MACHINE_COUNT; m++) {
            const struct topology *t = scenario_machine(s, (enum scn_machine)m);

            if (!t)
                continue;
            if (out.len)
                strbuf_putc(&out, '\n');
            report_show_text(&out, t, scenario_machine(s, SCN_HOST));
        }
    }
    if (rc == 0)
        rc = cli_emit(&out);
    strbuf_fini(&out);
    check_result_free(r);
    scenario_free(s);
    free(a.pos);
    return rc;
}
