/* dmasim aliases / groups / iova -- requester IDs, IOMMU groups, IOVA ranges. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "exit_codes.h"
#include "sim/report/report.h"

/* Load, analyse and print one scenario with `print` (text) or the JSON keys. */
static int one(const char *name, int argc, char **argv, const char *const *flags,
               void (*print)(struct strbuf *, const struct check_result *, bool), unsigned keys)
{
    const struct cli_cmd *cmd = cli_find(name);
    struct strbuf out = STRBUF_INIT;
    struct scenario *s = NULL;
    struct check_result *r = NULL;
    struct cli_args a;
    int rc;

    if ((rc = cli_parse(cmd, argc, argv, flags, 1, 1, &a)) != 0)
        return rc == CLI_DONE ? 0 : rc;
    if ((rc = cli_load(&s, a.pos[0])) == 0 && (rc = cli_analyse(&r, s)) == 0) {
        if (a.json)
            rc = report_json(&out, scenario_name(s), r, keys | (a.explain ? REPORT_EXPLAIN : 0)) < 0
                     ? DMASIM_EXIT_INVALID
                     : 0;
        else
            print(&out, r, a.explain);
        if (rc == 0)
            rc = cli_emit(&out);
    }
    strbuf_fini(&out);
    check_result_free(r);
    scenario_free(s);
    free(a.pos);
    return rc;
}

static void print_aliases(struct strbuf *out, const struct check_result *r, bool explain)
{
    (void)explain;
    report_aliases_text(out, r);
}

int cmd_aliases(int argc, char **argv)
{
    static const char *const flags[] = { "json", NULL };

    return one("aliases", argc, argv, flags, print_aliases, REPORT_ALIASES | REPORT_IDS);
}

static void print_iova(struct strbuf *out, const struct check_result *r, bool explain)
{
    (void)explain;
    report_iova_text(out, r);
}

int cmd_iova(int argc, char **argv)
{
    static const char *const flags[] = { "json", NULL };

    return one("iova", argc, argv, flags, print_iova, REPORT_IOVA);
}

int cmd_groups(int argc, char **argv)
{
    static const char *const flags[] = { "json", "explain", NULL };

    return one("groups", argc, argv, flags, report_groups_text, REPORT_GROUPS);
}
