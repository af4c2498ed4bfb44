/* dmasim graph -- draw a scenario's machines with Graphviz into a .dot, .svg or .png file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exit_codes.h"
#include "sim/report/report_graph.h"

/* The options cli_parse() does not know (they take a value): -o/--output and --what. */
struct graph_opts {
    const char *out;  /* -o OUT */
    const char *what; /* --what LAYERS; NULL: all */
    char **rest;      /* argv without them, for cli_parse() */
    int nrest;
};

/* Take "-o X", "-oX", "--output X", "--output=X", "--what X" and "--what=X" out of argv.
 * Returns 0, or 2 after a usage error. */
static int take_options(const struct cli_cmd *cmd, int argc, char **argv, struct graph_opts *o)
{
    bool done = false;

    memset(o, 0, sizeof(*o));
    if (!(o->rest = calloc((size_t)argc + 1, sizeof(char *)))) {
        fprintf(stderr, "dmasim: out of memory\n");
        return DMASIM_EXIT_INVALID;
    }
    o->rest[o->nrest++] = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        const char **slot = NULL;

        if (done || strcmp(a, "--") == 0) {
            done = true;
            o->rest[o->nrest++] = argv[i];
            continue;
        }
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            slot = &o->out;
        } else if (strncmp(a, "-o", 2) == 0 && a[2] != '-') {
            slot = &o->out;
            val = a + 2;
        } else if (strncmp(a, "--output=", 9) == 0) {
            slot = &o->out;
            val = a + 9;
        } else if (strcmp(a, "--what") == 0) {
            slot = &o->what;
        } else if (strncmp(a, "--what=", 7) == 0) {
            slot = &o->what;
            val = a + 7;
        }
        if (!slot) {
            o->rest[o->nrest++] = argv[i];
            continue;
        }
        if (!val && (i + 1 >= argc || !*(val = argv[++i]))) {
            free(o->rest);
            return cli_usage_error(cmd, "option '%s' needs a value", a);
        }
        if (*slot) {
            free(o->rest);
            return cli_usage_error(cmd, "option '%s' given twice",
                                   slot == &o->out ? "-o" : "--what");
        }
        *slot = val;
    }
    return 0;
}

int cmd_graph(int argc, char **argv)
{
    static const char *const flags[] = { NULL };
    const struct cli_cmd *cmd = cli_find("graph");
    struct strbuf err = STRBUF_INIT;
    struct scenario *s = NULL;
    struct check_result *r = NULL;
    struct graph_opts o;
    struct cli_args a;
    enum report_graph_format fmt;
    unsigned layers = REPORT_GRAPH_ALL;
    int rc;

    if ((rc = take_options(cmd, argc, argv, &o)) != 0)
        return rc;
    rc = cli_parse(cmd, o.nrest, o.rest, flags, 1, 1, &a);
    free(o.rest);
    if (rc != 0)
        return rc == CLI_DONE ? 0 : rc;
    if (!o.out)
        rc = cli_usage_error(cmd, "needs -o OUT (a .dot, .svg or .png file)");
    else if (report_graph_format_parse(&fmt, o.out) < 0)
        rc = cli_usage_error(
            cmd, "cannot tell the format of '%s': OUT must end in .dot, .svg or .png", o.out);
    else if (o.what && report_graph_layers_parse(&layers, o.what) < 0)
        rc = cli_usage_error(cmd,
                             "unknown layer in --what '%s' (use groups, aliases, "
                             "address-spaces or all, comma-separated)",
                             o.what);
    if (rc == 0 && (rc = cli_load(&s, a.pos[0])) == 0 && (rc = cli_analyse(&r, s)) == 0 &&
        report_graph(r, scenario_name(s), layers, o.out, &err) < 0) {
        fprintf(stderr, "dmasim graph: %s\n", strbuf_cstr(&err));
        rc = DMASIM_EXIT_INVALID;
    }
    strbuf_fini(&err);
    check_result_free(r);
    scenario_free(s);
    free(a.pos);
    return rc;
}
