/* dmasim check -- analyse scenarios; print the report and every finding. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "cli.h"
#include "exit_codes.h"
#include "sim/report/report.h"

/* Colour when stdout is a terminal, unless NO_COLOR is set (no-color.org) or TERM is dumb;
 * --color and --no-color decide instead. */
static bool want_colour(int argc, char **argv)
{
    const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
    bool colour = isatty(STDOUT_FILENO) && !(no && *no) && !(term && strcmp(term, "dumb") == 0);

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--color") == 0)
            colour = true;
        else if (strcmp(argv[i], "--no-color") == 0)
            colour = false;
    }
    return colour;
}

int cmd_check(int argc, char **argv)
{
    static const char *const flags[] = { "json", "color", "no-color", NULL };
    const struct cli_cmd *cmd = cli_find("check");
    struct strbuf out = STRBUF_INIT;
    struct scenario **s;
    struct check_result **r;
    struct cli_args a;
    int rc, worst = 0;
    bool errors = false, colour;

    if ((rc = cli_parse(cmd, argc, argv, flags, 1, SIZE_MAX, &a)) != 0)
        return rc == CLI_DONE ? 0 : rc;
    colour = want_colour(argc, argv);
    /* Load and analyse everything first: with one invalid file, nothing reaches stdout. */
    s = calloc(a.npos, sizeof(*s));
    r = calloc(a.npos, sizeof(*r));
    if (!s || !r)
        worst = DMASIM_EXIT_INVALID;
    for (size_t i = 0; !worst && i < a.npos; i++)
        if (cli_load(&s[i], a.pos[i]) != 0)
            worst = DMASIM_EXIT_INVALID;
    for (size_t i = 0; !worst && i < a.npos; i++)
        worst = cli_analyse(&r[i], s[i]);
    if (!worst) {
        if (a.json && a.npos > 1)
            strbuf_puts(&out, "[\n");
        for (size_t i = 0; i < a.npos && !worst; i++) {
            errors |= check_has_error(r[i]);
            if (a.json) {
                if (i)
                    strbuf_puts(&out, ",\n");
                if (report_json(&out, scenario_name(s[i]), r[i],
                                REPORT_ALIASES | REPORT_GROUPS | REPORT_ADDRESS_SPACES |
                                    REPORT_EXPLAIN | REPORT_IDS | REPORT_IOVA) < 0)
                    worst = DMASIM_EXIT_INVALID;
                continue;
            }
            if (i)
                strbuf_putc(&out, '\n');
            report_check_text(&out, scenario_path(s[i]), scenario_name(s[i]), r[i], colour);
        }
        if (a.json && a.npos > 1)
            strbuf_puts(&out, "]\n");
        if (!worst)
            worst = cli_emit(&out);
    }
    for (size_t i = 0; i < a.npos; i++) {
        if (r)
            check_result_free(r[i]);
        if (s)
            scenario_free(s[i]);
    }
    free(r);
    free(s);
    strbuf_fini(&out);
    free(a.pos);
    return worst ? worst : errors ? DMASIM_EXIT_FINDINGS : DMASIM_EXIT_OK;
}
