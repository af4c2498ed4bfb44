/* dmasim import -- a scenario from a QEMU command line, lspci -vvv text or a sysfs snapshot. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "cli.h"
#include "exit_codes.h"
#include "sim/import/import.h"
#include "sim/scenario/scenario.h"
#include "sim/util/err.h"

/*
 * Load the generated text as dmasim would, so that what import prints always loads: a
 * scenario that does not is an importer bug, reported as such instead of printed.
 */
static int validate(const struct strbuf *yaml)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    int fd, rc = 0;
    struct scenario *s = NULL;
    struct diag_list dl;
    FILE *f;

    snprintf(path, sizeof(path), "%s/dmasim-import-XXXXXX", dir && *dir ? dir : "/tmp");
    fd = mkstemp(path);
    if (fd < 0 || !(f = fdopen(fd, "w"))) {
        if (fd >= 0)
            close(fd);
        fprintf(stderr, "dmasim import: cannot write a temporary file to check the output\n");
        return DMASIM_EXIT_INVALID;
    }
    fwrite(strbuf_cstr(yaml), 1, yaml->len, f);
    fclose(f);
    diag_list_init(&dl, path);
    if (scenario_load(&s, path, &dl) < 0) {
        struct strbuf sb = STRBUF_INIT;

        for (size_t i = 0; i < dl.n; i++)
            diag_format(&sb, &dl, &dl.v[i]);
        fprintf(stderr, "dmasim import: internal error: the scenario written does not load:\n%s",
                strbuf_cstr(&sb));
        strbuf_fini(&sb);
        rc = DMASIM_EXIT_INVALID;
    }
    scenario_free(s);
    diag_list_fini(&dl);
    unlink(path);
    return rc;
}

int cmd_import(int argc, char **argv)
{
    static const char *const flags[] = { NULL };
    const struct cli_cmd *cmd = cli_find("import");
    struct imp_scenario s;
    struct strbuf out = STRBUF_INIT, diags = STRBUF_INIT;
    struct diag_list dl;
    struct cli_args a;
    const char *kind;
    int rc, err;

    if ((rc = cli_parse(cmd, argc, argv, flags, 2, 2, &a)) != 0)
        return rc == CLI_DONE ? 0 : rc;
    kind = a.pos[0];
    memset(&s, 0, sizeof(s));
    s.host.name = "host";
    s.guest.name = "guest";
    diag_list_init(&dl, strcmp(a.pos[1], "-") == 0 ? "<stdin>" : a.pos[1]);
    if (strcmp(kind, "qemu") == 0) {
        err = import_qemu(&s, a.pos[1], &dl);
    } else if (strcmp(kind, "lspci") == 0) {
        err = import_lspci(&s, a.pos[1], &dl);
    } else if (strcmp(kind, "sysfs") == 0) {
        err = import_sysfs(&s, a.pos[1], &dl);
    } else {
        rc = cli_usage_error(cmd, "unknown KIND '%s': use qemu, lspci or sysfs", kind);
        goto out;
    }
    for (size_t i = 0; i < dl.n; i++)
        diag_format(&diags, &dl, &dl.v[i]);
    fputs(strbuf_cstr(&diags), stderr);
    if (err < 0) {
        if (err == SIM_ENOMEM || err == SIM_EIO)
            fprintf(stderr, "dmasim import: %s: %s\n", a.pos[1], sim_err_str(err));
        rc = DMASIM_EXIT_INVALID;
        goto out;
    }
    imp_emit(&out, &s);
    if ((rc = validate(&out)) == 0)
        rc = cli_emit(&out);
out:
    imp_scenario_fini(&s);
    diag_list_fini(&dl);
    strbuf_fini(&out);
    strbuf_fini(&diags);
    free(a.pos);
    return rc;
}
