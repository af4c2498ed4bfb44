/*
 * Diag -- diagnostics about invalid input, collected rather than printed.
 *
 * Every library function that reads user input takes a struct diag_list and appends one
 * struct diag per problem, with the source position it concerns. The caller decides how to
 * show them; diag_format() writes the one form editors parse:
 *
 *     scenarios/alias/pcie_to_pci.yaml:14:7: error: devfn '20.0' is out of range
 *
 * Positions are 1-based. A position of 0:0 means "the file as a whole" and is printed as
 * `FILE: error: ...`.
 */
#ifndef SIM_UTIL_DIAG_H
#define SIM_UTIL_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/util/strbuf.h"

/* A position in a source file, 1-based; {0, 0} when unknown. */
struct src_mark {
    uint32_t line; /* 1-based line */
    uint32_t col;  /* 1-based column */
};

enum diag_severity {
    DIAG_ERROR,   /* the input is invalid: nothing is produced from it */
    DIAG_WARNING, /* the input is valid but probably not what was meant */
};

struct diag {
    struct src_mark mark;        /* where */
    enum diag_severity severity; /* error or warning */
    uint32_t seq;                /* emission order, the tie-break when sorting */
    char *msg;                   /* malloc'd message, no trailing newline */
};

struct diag_list {
    const char *file; /* file name printed before every position (borrowed) */
    struct diag *v;   /* diagnostics in emission order until diag_list_sort() */
    size_t n;         /* number of diagnostics */
    size_t cap;       /* allocated */
    size_t nerrors;   /* how many have DIAG_ERROR */
    bool oom;         /* a diagnostic was lost for lack of memory */
};

void diag_list_init(struct diag_list *dl, const char *file);
void diag_list_fini(struct diag_list *dl);

void diag_error(struct diag_list *dl, struct src_mark at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_warning(struct diag_list *dl, struct src_mark at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* diag_list_sort() - order by position, then emission order (a total order). */
void diag_list_sort(struct diag_list *dl);

/* diag_format() - append "FILE:LINE:COL: error: MSG\n" for d to out. */
void diag_format(struct strbuf *out, const struct diag_list *dl, const struct diag *d);

#endif
