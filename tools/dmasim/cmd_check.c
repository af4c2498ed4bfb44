/*
 * dmasim check -- analyse scenarios and report. Until the analyses of the later issues land,
 * checking a scenario means validating it completely and printing its tree.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "exit_codes.h"

int cmd_check(int argc, char **argv)
{
    static const char *const flags[] = { "json", NULL };
    const struct cli_cmd *cmd = cli_find("check");
    struct strbuf out = STRBUF_INIT;
    struct scenario **s;
    struct cli_args a;
    int rc, worst = 0;

    if ((rc = cli_parse(cmd, argc, argv, flags, 1, SIZE_MAX, &a)) != 0)
        return rc == CLI_DONE ? 0 : rc;
    /* Load everything first: with one invalid file, nothing reaches stdout. */
    s = calloc(a.npos, sizeof(*s));
    for (size_t i = 0; s && i < a.npos; i++)
        if (cli_load(&s[i], a.pos[i]) != 0)
            worst = DMASIM_EXIT_INVALID;
    if (!s)
        worst = DMASIM_EXIT_INVALID;
    if (!worst) {
        if (a.json && a.npos > 1)
            strbuf_puts(&out, "[\n");
        for (size_t i = 0; i < a.npos && !worst; i++) {
            if (a.json) {
                if (i)
                    strbuf_puts(&out, ",\n");
                worst = cli_show_one(&out, s[i], true);
                continue;
            }
            strbuf_printf(&out, "%s== %s (%s)\n", i ? "\n" : "", scenario_path(s[i]),
                          scenario_name(s[i]));
            worst = cli_show_one(&out, s[i], false);
            strbuf_puts(&out, "findings: none (the analyses arrive with issues 3 to 5)\n");
        }
        if (a.json && a.npos > 1)
            strbuf_puts(&out, "]\n");
        if (!worst)
            worst = cli_emit(&out);
    }
    for (size_t i = 0; s && i < a.npos; i++)
        scenario_free(s[i]);
    free(s);
    strbuf_fini(&out);
    free(a.pos);
    return worst;
}
