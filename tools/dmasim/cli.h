/*
 * dmasim -- what the subcommands share: the command table entry, option parsing, loading a
 * scenario with its diagnostics on stderr, and writing output all at once.
 */
#ifndef DMASIM_CLI_H
#define DMASIM_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/scenario/scenario.h"
#include "sim/util/strbuf.h"

struct cli_cmd {
    const char *name;                  /* "show" */
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
    const char *summary;               /* one line for `dmasim --help` */
    const char *usage;                 /* the text of `dmasim NAME --help` */
};

/* Parsed common options. Positional arguments are collected in order. */
struct cli_args {
    bool json;    /* --json */
    bool explain; /* --explain */
    bool help;    /* --help / -h */
    char **pos;   /* positional arguments (borrowed from argv) */
    size_t npos;
};

/*
 * cli_parse() - parse argv[1..argc) of a subcommand. flags lists the long options the
 * command accepts besides --help ("json"), NULL-terminated; the command takes from min_pos
 * to max_pos positional arguments. Returns 0 to go on (args->pos must then be freed with
 * free()), CLI_DONE after printing --help, or DMASIM_EXIT_INVALID after a usage error.
 */
#define CLI_DONE (-1)
int cli_parse(const struct cli_cmd *cmd, int argc, char **argv, const char *const *flags,
              size_t min_pos, size_t max_pos, struct cli_args *args);

/* cli_usage_error() - "dmasim NAME: MSG" and a pointer to --help, on stderr; returns 2. */
int cli_usage_error(const struct cli_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * cli_load() - load a scenario, printing its diagnostics (warnings too) to stderr.
 * Returns 0 with *out set, or DMASIM_EXIT_INVALID. cli_load_keep() also appends the
 * diagnostics of a file that does not load to *failed (for `dmasim test`'s reports).
 */
int cli_load(struct scenario **out, const char *path);
int cli_load_keep(struct scenario **out, const char *path, struct strbuf *failed);

/* cli_emit() - write the buffer to stdout; DMASIM_EXIT_INVALID if it could not be written. */
int cli_emit(struct strbuf *sb);

/* cli_find() - the command of that name, or NULL. */
const struct cli_cmd *cli_find(const char *name);

/* cli_analyse() - run every check on a loaded scenario; 0, or 2 after printing why. */
int cli_analyse(struct check_result **out, struct scenario *s);

/* cli_collect() - the scenario files named by paths: files as given, directories searched
 * recursively for *.yaml, each directory's entries in byte order. *out is a malloc'd array
 * of malloc'd strings. Returns 0, or 2 after printing why. */
int cli_collect(char ***out, size_t *n, char *const *paths, size_t npaths);
void cli_collect_free(char **files, size_t n);

/* The subcommands, one file each. */
int cmd_aliases(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_groups(int argc, char **argv);
int cmd_iova(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_explore(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_test(int argc, char **argv);

#endif
