/* Strbuf -- growable strings with printf-style appends. */
#include "sim/util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/util/vec.h"

void strbuf_init(struct strbuf *sb)
{
    sb->s = NULL;
    sb->len = sb->cap = 0;
    sb->oom = false;
}

void strbuf_fini(struct strbuf *sb)
{
    free(sb->s);
    strbuf_init(sb);
}

void strbuf_reset(struct strbuf *sb)
{
    sb->len = 0;
    if (sb->s)
        sb->s[0] = '\0';
}

static bool reserve(struct strbuf *sb, size_t extra)
{
    if (sb->oom)
        return false;
    if (vec_grow_(&sb->s, &sb->cap, sb->len + extra + 1, 1) < 0) {
        sb->oom = true;
        return false;
    }
    return true;
}

void strbuf_add(struct strbuf *sb, const char *s, size_t n)
{
    if (!reserve(sb, n))
        return;
    memcpy(sb->s + sb->len, s, n);
    sb->len += n;
    sb->s[sb->len] = '\0';
}

void strbuf_puts(struct strbuf *sb, const char *s)
{
    strbuf_add(sb, s, strlen(s));
}

void strbuf_putc(struct strbuf *sb, char c)
{
    strbuf_add(sb, &c, 1);
}

void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(sb, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

const char *strbuf_cstr(const struct strbuf *sb)
{
    return sb->s ? sb->s : "";
}

char *strbuf_detach(struct strbuf *sb)
{
    char *s = sb->oom ? NULL : sb->s;

    if (sb->oom)
        free(sb->s);
    else if (!s)
        s = calloc(1, 1);
    strbuf_init(sb);
    return s;
}
