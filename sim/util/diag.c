/* Diag -- collecting, ordering and formatting input diagnostics. */
#include "sim/util/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim/util/vec.h"

void diag_list_init(struct diag_list *dl, const char *file)
{
    dl->file = file;
    dl->v = NULL;
    dl->n = dl->cap = dl->nerrors = 0;
    dl->oom = false;
}

void diag_list_fini(struct diag_list *dl)
{
    for (size_t i = 0; i < dl->n; i++)
        free(dl->v[i].msg);
    free(dl->v);
    diag_list_init(dl, dl->file);
}

__attribute__((format(printf, 4, 0))) static void
add(struct diag_list *dl, struct src_mark at, enum diag_severity sev, const char *fmt, va_list ap)
{
    char *msg;

    if (vec_grow_(&dl->v, &dl->cap, dl->n + 1, sizeof(*dl->v)) < 0) {
        dl->oom = true;
        if (sev == DIAG_ERROR)
            dl->nerrors++;
        return;
    }
    {
        va_list copy;
        int len;

        va_copy(copy, ap);
        len = vsnprintf(NULL, 0, fmt, copy);
        va_end(copy);
        msg = len < 0 ? NULL : malloc((size_t)len + 1);
        if (msg)
            vsnprintf(msg, (size_t)len + 1, fmt, ap);
    }
    if (!msg)
        dl->oom = true;
    dl->v[dl->n] = (struct diag){ at, sev, (uint32_t)dl->n, msg };
    dl->n++;
    if (sev == DIAG_ERROR)
        dl->nerrors++;
}

void diag_error(struct diag_list *dl, struct src_mark at, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    add(dl, at, DIAG_ERROR, fmt, ap);
    va_end(ap);
}

void diag_warning(struct diag_list *dl, struct src_mark at, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    add(dl, at, DIAG_WARNING, fmt, ap);
    va_end(ap);
}

static int cmp_diag(const void *a, const void *b)
{
    const struct diag *x = a, *y = b;

    if (x->mark.line != y->mark.line)
        return x->mark.line < y->mark.line ? -1 : 1;
    if (x->mark.col != y->mark.col)
        return x->mark.col < y->mark.col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void diag_list_sort(struct diag_list *dl)
{
    if (dl->n > 1)
        qsort(dl->v, dl->n, sizeof(*dl->v), cmp_diag);
}

void diag_format(struct strbuf *out, const struct diag_list *dl, const struct diag *d)
{
    const char *sev = d->severity == DIAG_ERROR ? "error" : "warning";

    if (d->mark.line)
        strbuf_printf(out, "%s:%u:%u: %s: %s\n", dl->file, d->mark.line, d->mark.col, sev,
                      d->msg ? d->msg : "(out of memory)");
    else
        strbuf_printf(out, "%s: %s: %s\n", dl->file, sev, d->msg ? d->msg : "(out of memory)");
}
