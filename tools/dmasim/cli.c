/* dmasim -- option parsing, scenario loading and output shared by the subcommands. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"
#include "sim/util/err.h"

int cli_usage_error(const struct cli_cmd *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "dmasim %s: ", cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'dmasim %s --help'.\n", cmd->name);
    return DMASIM_EXIT_INVALID;
}

int cli_parse(const struct cli_cmd *cmd, int argc, char **argv, const char *const *flags,
              size_t min_pos, size_t max_pos, struct cli_args *args)
{
    bool options_done = false;

    memset(args, 0, sizeof(*args));
    args->pos = calloc((size_t)argc + 1, sizeof(char *));
    if (!args->pos) {
        fprintf(stderr, "dmasim: out of memory\n");
        return DMASIM_EXIT_INVALID;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool known = false;

        if (options_done || a[0] != '-' || strcmp(a, "-") == 0) {
            args->pos[args->npos++] = argv[i];
            continue;
        }
        if (strcmp(a, "--") == 0) {
            options_done = true;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            args->help = true;
            continue;
        }
        for (const char *const *f = flags; f && *f; f++) {
            if (a[0] == '-' && a[1] == '-' && strcmp(a + 2, *f) == 0) {
                known = true;
                if (strcmp(*f, "json") == 0)
                    args->json = true;
            }
        }
        if (!known) {
            free(args->pos);
            args->pos = NULL;
            return cli_usage_error(cmd, "unknown option '%s'", a);
        }
    }
    if (args->help) {
        fputs(cmd->usage, stdout);
        free(args->pos);
        args->pos = NULL;
        return CLI_DONE;
    }
    if (args->npos < min_pos || args->npos > max_pos) {
        free(args->pos);
        args->pos = NULL;
        if (min_pos == max_pos)
            return cli_usage_error(cmd, "expects exactly %s scenario file%s",
                                   min_pos == 1 ? "one" : "more than one", min_pos == 1 ? "" : "s");
        return cli_usage_error(cmd, "expects at least %s scenario file%s",
                               min_pos == 1 ? "one" : "several", min_pos == 1 ? "" : "s");
    }
    return 0;
}

int cli_load(struct scenario **out, const char *path)
{
    struct diag_list dl;
    struct strbuf sb = STRBUF_INIT;
    int err;

    diag_list_init(&dl, path);
    err = scenario_load(out, path, &dl);
    for (size_t i = 0; i < dl.n; i++)
        diag_format(&sb, &dl, &dl.v[i]);
    if (err == SIM_ENOMEM)
        strbuf_printf(&sb, "%s: error: out of memory\n", path);
    fputs(strbuf_cstr(&sb), stderr);
    strbuf_fini(&sb);
    diag_list_fini(&dl);
    return err < 0 ? DMASIM_EXIT_INVALID : 0;
}

int cli_emit(struct strbuf *sb)
{
    if (sb->oom) {
        fprintf(stderr, "dmasim: out of memory\n");
        return DMASIM_EXIT_INVALID;
    }
    if (fwrite(strbuf_cstr(sb), 1, sb->len, stdout) != sb->len || fflush(stdout) != 0) {
        fprintf(stderr, "dmasim: cannot write the output\n");
        return DMASIM_EXIT_INVALID;
    }
    return 0;
}
