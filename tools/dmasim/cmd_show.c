/* dmasim show -- the topology of a scenario as a tree, or as JSON. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "exit_codes.h"
#include "sim/report/report.h"

int cli_show_one(struct strbuf *out, const struct scenario *s, bool json)
{
    const struct topology *machines[SCN_MACHINE_COUNT];
    size_t n = 0;

    for (unsigned m = 0; m < SCN_MACHINE_COUNT; m++)
        if (scenario_machine(s, (enum scn_machine)m))
            machines[n++] = scenario_machine(s, (enum scn_machine)m);
    if (json) {
        struct report_input in = { scenario_name(s), machines, n };

        return report_show_json(out, &in) < 0 ? DMASIM_EXIT_INVALID : 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_putc(out, '\n');
        report_show_text(out, machines[i], scenario_machine(s, SCN_HOST));
    }
    return 0;
}

int cmd_show(int argc, char **argv)
{
    static const char *const flags[] = { "json", NULL };
    const struct cli_cmd *cmd = cli_find("show");
    struct strbuf out = STRBUF_INIT;
    struct scenario *s = NULL;
    struct cli_args a;
    int rc;

    if ((rc = cli_parse(cmd, argc, argv, flags, 1, 1, &a)) != 0)
        return rc == CLI_DONE ? 0 : rc;
    rc = cli_load(&s, a.pos[0]);
    if (rc == 0)
        rc = cli_show_one(&out, s, a.json);
    if (rc == 0)
        rc = cli_emit(&out);
    strbuf_fini(&out);
    scenario_free(s);
    free(a.pos);
    return rc;
}
