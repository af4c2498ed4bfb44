/*
 * Strbuf -- a growable NUL-terminated string, used to build messages and reports.
 *
 * A strbuf that failed to grow remembers it (sb->oom) and ignores further appends, so a
 * caller appends freely and checks once at the end.
 */
#ifndef SIM_UTIL_STRBUF_H
#define SIM_UTIL_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
    char *s;    /* the text, always NUL-terminated once anything was appended */
    size_t len; /* bytes before the NUL */
    size_t cap; /* bytes allocated */
    bool oom;   /* an append failed; the text is truncated */
};

#define STRBUF_INIT       \
    {                     \
        NULL, 0, 0, false \
    }

void strbuf_init(struct strbuf *sb);
void strbuf_fini(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);

void strbuf_add(struct strbuf *sb, const char *s, size_t n);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_putc(struct strbuf *sb, char c);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* strbuf_cstr() - the text; "" for an empty buffer. Borrowed until the next append. */
const char *strbuf_cstr(const struct strbuf *sb);

/* strbuf_detach() - the text as a malloc'd string the caller frees (NULL on oom); sb is reset. */
char *strbuf_detach(struct strbuf *sb);

#endif
