/* dmasim -- option parsing, scenario loading and output shared by the subcommands. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <sys/stat.h>

#include "exit_codes.h"
#include "sim/util/err.h"
#include "sim/util/vec.h"

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
                if (strcmp(*f, "explain") == 0)
                    args->explain = true; /* other flags are read by their command */
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
    return cli_load_keep(out, path, NULL);
}

int cli_load_keep(struct scenario **out, const char *path, struct strbuf *failed)
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
    if (failed && err < 0)
        strbuf_puts(failed, strbuf_cstr(&sb));
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

int cli_analyse(struct check_result **out, struct scenario *s)
{
    struct check_input in;

    scenario_check_input(s, &in);
    if (check_run(out, &in) < 0) {
        fprintf(stderr, "%s: error: out of memory while analysing\n", scenario_path(s));
        return DMASIM_EXIT_INVALID;
    }
    return 0;
}

struct files {
    char **v;
    size_t n, cap;
};

static int push_file(struct files *f, const char *path)
{
    char *copy = strdup(path);

    if (!copy || vec_grow_(&f->v, &f->cap, f->n + 1, sizeof(char *)) < 0) {
        free(copy);
        return -1;
    }
    f->v[f->n++] = copy;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_yaml(const char *name)
{
    size_t len = strlen(name);

    return len > 5 && strcmp(name + len - 5, ".yaml") == 0;
}

/* Append dir's *.yaml files and subdirectories' files, entries in byte order. */
static int walk_dir(struct files *f, const char *dir)
{
    struct files names = { NULL, 0, 0 };
    DIR *d = opendir(dir);
    struct dirent *e;
    int rc = 0;

    if (!d) {
        fprintf(stderr, "%s: error: cannot open directory\n", dir);
        return -1;
    }
    while ((e = readdir(d)))
        if (e->d_name[0] != '.' && push_file(&names, e->d_name) < 0)
            rc = -1;
    closedir(d);
    if (names.n > 1)
        qsort(names.v, names.n, sizeof(char *), cmp_str);
    for (size_t i = 0; i < names.n && rc == 0; i++) {
        struct strbuf p = STRBUF_INIT;
        struct stat st;

        strbuf_printf(&p, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names.v[i]);
        if (stat(strbuf_cstr(&p), &st) == 0 && S_ISDIR(st.st_mode))
            rc = walk_dir(f, strbuf_cstr(&p));
        else if (is_yaml(names.v[i]))
            rc = push_file(f, strbuf_cstr(&p));
        strbuf_fini(&p);
    }
    cli_collect_free(names.v, names.n);
    return rc;
}

int cli_collect(char ***out, size_t *n, char *const *paths, size_t npaths)
{
    struct files f = { NULL, 0, 0 };

    for (size_t i = 0; i < npaths; i++) {
        struct stat st;
        int rc;

        if (stat(paths[i], &st) != 0) {
            fprintf(stderr, "%s: error: cannot open: %s\n", paths[i], strerror(errno));
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            rc = walk_dir(&f, paths[i]);
        } else {
            rc = push_file(&f, paths[i]);
        }
        if (rc < 0) {
            cli_collect_free(f.v, f.n);
            return DMASIM_EXIT_INVALID;
        }
    }
    *out = f.v;
    *n = f.n;
    return 0;
}

void cli_collect_free(char **files, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(files[i]);
    free(files);
}
