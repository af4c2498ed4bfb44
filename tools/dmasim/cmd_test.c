/*
 * dmasim test -- run scenario files against their expect sections: one line per scenario,
 * what is missing and what is extra on a mismatch, and "N passed, M failed" at the end.
 * For CI the same results go out as TAP version 13 on stdout (--tap) and as JUnit XML into
 * a file (--junit FILE); --filter PATTERN keeps the scenarios whose path matches.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fnmatch.h>
#include <unistd.h>

#include "cli.h"
#include "exit_codes.h"
#include "sim/util/diag.h"
#include "sim/util/err.h"

/* The options cli_parse() does not read: it knows flags, not options with a value. */
struct test_opts {
    bool tap;           /* --tap: TAP version 13 on stdout instead of the text lines */
    const char *junit;  /* --junit FILE: JUnit XML written to FILE, or NULL */
    const char *filter; /* --filter PATTERN: only matching paths, or NULL */
};

enum outcome {
    OUTCOME_PASS,      /* met its expect section */
    OUTCOME_UNCHECKED, /* no expect section: loaded and analysed */
    OUTCOME_FAIL,      /* did not meet its expect section */
    OUTCOME_INVALID,   /* did not load, or could not be analysed */
};

/* One scenario's run. */
struct result {
    const char *path;   /* as printed (borrowed from the file list) */
    struct scenario *s; /* NULL when it did not load */
    struct check_result *r;
    enum outcome outcome;
    const char *message;  /* FAIL and INVALID: what went wrong, in a few words */
    struct strbuf detail; /* FAIL: the differences, two spaces before each; INVALID: the
                           * diagnostics */
};

struct tally {
    size_t passed, unchecked, failed, invalid; /* failed: FAIL only */
};

static bool expects_something(const struct check_expect *x)
{
    return x->has_findings || x->groups[CHECK_HOST].present || x->groups[CHECK_GUEST].present ||
           x->naliases;
}

/*
 * Take --tap, --junit FILE and --filter PATTERN (also --junit=FILE, --filter=PATTERN) out of
 * argv, up to a "--"; everything else, argv[0] first, goes to rest for cli_parse(). Returns
 * 0, or 2 after a usage error.
 */
static int take_options(struct test_opts *o, char **rest, int *nrest, const struct cli_cmd *cmd,
                        int argc, char **argv)
{
    bool options_done = false;

    *nrest = 0;
    rest[(*nrest)++] = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *opt, *what, *v;
        const char **slot;
        size_t len;

        if (options_done || strcmp(a, "--") == 0) {
            options_done = true;
            rest[(*nrest)++] = argv[i];
            continue;
        }
        if (strcmp(a, "--tap") == 0) {
            o->tap = true;
            continue;
        }
        if (strncmp(a, "--junit", 7) == 0) {
            opt = "--junit";
            what = "a file name";
            slot = &o->junit;
        } else if (strncmp(a, "--filter", 8) == 0) {
            opt = "--filter";
            what = "a pattern";
            slot = &o->filter;
        } else {
            rest[(*nrest)++] = argv[i];
            continue;
        }
        len = strlen(opt);
        if (a[len] == '=') {
            v = a + len + 1;
        } else if (a[len] != '\0') {
            rest[(*nrest)++] = argv[i]; /* --junitx: cli_parse() calls it unknown */
            continue;
        } else if (i + 1 < argc) {
            v = argv[++i];
        } else {
            return cli_usage_error(cmd, "option '%s' needs %s", opt, what);
        }
        if (*v == '\0')
            return cli_usage_error(cmd, "option '%s' needs %s", opt, what);
        if (*slot)
            return cli_usage_error(cmd, "option '%s' is given twice", opt);
        *slot = v;
    }
    rest[*nrest] = NULL;
    return 0;
}

/* The path matches the shell glob ('*' matches '/' too: no FNM_PATHNAME) or contains it. */
static bool path_matches(const char *path, const char *pattern)
{
    return fnmatch(pattern, path, 0) == 0 || strstr(path, pattern) != NULL;
}

/* Keep the files whose path matches; 2 after saying so when none does. */
static int filter_files(char **files, size_t *nfiles, const char *pattern)
{
    size_t kept = 0, n = *nfiles;

    for (size_t i = 0; i < n; i++) {
        if (path_matches(files[i], pattern))
            files[kept++] = files[i];
        else
            free(files[i]);
    }
    *nfiles = kept;
    if (kept == 0) {
        fprintf(stderr, "dmasim test: --filter '%s' matched nothing (%zu scenario file%s)\n",
                pattern, n, n == 1 ? "" : "s");
        return DMASIM_EXIT_INVALID;
    }
    return 0;
}

static void run_one(struct result *res, const char *path)
{
    memset(res, 0, sizeof(*res));
    res->path = path;
    strbuf_init(&res->detail);
    fflush(stdout); /* diagnostics on stderr stay next to their scenario's line */
    if (cli_load_keep(&res->s, path, &res->detail) != 0) {
        res->outcome = OUTCOME_INVALID;
        res->message = "does not load";
    } else if (cli_analyse(&res->r, res->s) != 0) {
        strbuf_printf(&res->detail, "%s: error: out of memory while analysing\n", path);
        res->outcome = OUTCOME_INVALID;
        res->message = "could not be analysed";
    } else if (!expects_something(scenario_check_expect(res->s))) {
        res->outcome = OUTCOME_UNCHECKED;
    } else if (check_expect_compare(&res->detail, res->r, scenario_check_expect(res->s))) {
        res->outcome = OUTCOME_PASS;
    } else {
        res->outcome = OUTCOME_FAIL;
        res->message = "expect section not met";
    }
}

static void result_fini(struct result *res)
{
    strbuf_fini(&res->detail);
    check_result_free(res->r);
    scenario_free(res->s);
}

static void text_format(struct strbuf *out, const struct result *res)
{
    switch (res->outcome) {
    case OUTCOME_PASS:
        strbuf_printf(out, "PASS    %s (%s)\n", res->path, scenario_name(res->s));
        break;
    case OUTCOME_UNCHECKED:
        strbuf_printf(out, "ok      %s (%s): no expect section, loaded and analysed\n", res->path,
                      scenario_name(res->s));
        break;
    case OUTCOME_FAIL:
        strbuf_printf(out, "FAIL    %s (%s)\n%s", res->path, scenario_name(res->s),
                      strbuf_cstr(&res->detail));
        break;
    case OUTCOME_INVALID:
        strbuf_printf(out, "INVALID %s\n", res->path);
        break;
    }
}

/* A test point's description: '#' would start a directive and '\' escapes (TAP 14), a line
 * break would end the line. */
static void tap_escape(struct strbuf *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '#' || *s == '\\')
            strbuf_putc(out, '\\');
        strbuf_putc(out, *s == '\n' || *s == '\r' ? ' ' : *s);
    }
}

/*
 * "  KEY: |" and text's lines below it as a YAML literal block, each without the two spaces
 * the text output puts first. A first line that still starts with a space needs the
 * indentation given (|2: two more than the keys) or YAML would take it for the block's.
 */
static void yaml_block(struct strbuf *out, const char *key, const char *text)
{
    bool first = true;

    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        size_t skip = len >= 2 && p[0] == ' ' && p[1] == ' ' ? 2 : 0;

        if (first)
            strbuf_printf(out, "  %s: |%s\n", key, len > skip && p[skip] == ' ' ? "2" : "");
        first = false;
        strbuf_puts(out, "    ");
        strbuf_add(out, p + skip, len - skip);
        strbuf_putc(out, '\n');
        p += len + (nl ? 1 : 0);
    }
}

static void tap_format(struct strbuf *out, size_t n, const struct result *res)
{
    bool ok = res->outcome == OUTCOME_PASS || res->outcome == OUTCOME_UNCHECKED;

    strbuf_printf(out, "%s %zu - ", ok ? "ok" : "not ok", n);
    tap_escape(out, res->path);
    if (res->s) {
        strbuf_puts(out, " (");
        tap_escape(out, scenario_name(res->s));
        strbuf_putc(out, ')');
    }
    if (res->outcome == OUTCOME_UNCHECKED)
        strbuf_puts(out, ": no expect section, loaded and analysed");
    strbuf_putc(out, '\n');
    if (ok)
        return;
    strbuf_printf(out, "  ---\n  message: %s\n", res->message);
    yaml_block(out, res->outcome == OUTCOME_FAIL ? "differences" : "diagnostics",
               strbuf_cstr(&res->detail));
    strbuf_puts(out, "  ...\n");
}

/* The length of the valid UTF-8 sequence of an XML 1.0 character at p, or 0. */
static size_t utf8_char(const unsigned char *p, const unsigned char *end)
{
    size_t n;
    uint32_t cp;

    if (*p < 0x80)
        return 1;
    if (*p >= 0xc2 && *p <= 0xdf) {
        n = 2;
        cp = *p & 0x1fu;
    } else if ((*p & 0xf0) == 0xe0) {
        n = 3;
        cp = *p & 0x0fu;
    } else if (*p >= 0xf0 && *p <= 0xf4) {
        n = 4;
        cp = *p & 0x07u;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3fu);
    }
    if (n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff) || cp >= 0xfffe))
        return 0;
    if (n == 4 && (cp < 0x10000 || cp > 0x10ffff))
        return 0;
    return n;
}

/*
 * Append len bytes of s as XML character data or, with attr, an attribute value: & < > " '
 * as entities; in attributes tab and line breaks as character references (a parser would
 * turn them into spaces); what XML 1.0 cannot hold (other control characters, bytes that
 * are not UTF-8) as U+FFFD.
 */
static void xml_escape(struct strbuf *out, const char *s, size_t len, bool attr)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;

    while (p < end) {
        size_t n = utf8_char(p, end);

        if (n == 0 || (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')) {
            strbuf_puts(out, "\xef\xbf\xbd");
            p++;
            continue;
        }
        switch (*p) {
        case '&':
            strbuf_puts(out, "&amp;");
            break;
        case '<':
            strbuf_puts(out, "&lt;");
            break;
        case '>':
            strbuf_puts(out, "&gt;");
            break;
        case '"':
            strbuf_puts(out, "&quot;");
            break;
        case '\'':
            strbuf_puts(out, "&apos;");
            break;
        case '\r':
            strbuf_puts(out, "&#13;");
            break;
        case '\t':
            strbuf_puts(out, attr ? "&#9;" : "\t");
            break;
        case '\n':
            strbuf_puts(out, attr ? "&#10;" : "\n");
            break;
        default:
            strbuf_add(out, (const char *)p, n);
            break;
        }
        p += n;
    }
}

static void xml_escape_str(struct strbuf *out, const char *s, bool attr)
{
    xml_escape(out, s, strlen(s), attr);
}

/* The JUnit classname of a path: its directory with '.' for '/' (scenarios.seeds), leaving out
 * empty and "." components; "dmasim" for a file given without a directory. */
static void junit_classname(struct strbuf *out, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *p = path, *end = slash ? slash : path;
    bool any = false;

    while (p < end) {
        const char *q = memchr(p, '/', (size_t)(end - p));
        size_t len = q ? (size_t)(q - p) : (size_t)(end - p);

        if (len && !(len == 1 && *p == '.')) {
            if (any)
                strbuf_putc(out, '.');
            xml_escape(out, p, len, true);
            any = true;
        }
        p += len + 1;
    }
    if (!any)
        strbuf_puts(out, "dmasim");
}

/* message="WHAT: FIRST LINE (and N more)" and the whole detail as the element's text. */
static void junit_problem(struct strbuf *out, const char *element, const char *type,
                          const struct result *res)
{
    const char *text = strbuf_cstr(&res->detail), *first = text + strspn(text, " ");
    const char *nl = strchr(first, '\n');
    size_t more = 0;

    for (const char *p = nl; p && p[1]; p = strchr(p + 1, '\n'))
        more++;
    strbuf_printf(out, "      <%s message=\"", element);
    xml_escape_str(out, res->message, true);
    if (*first) {
        strbuf_puts(out, ": ");
        xml_escape(out, first, nl ? (size_t)(nl - first) : strlen(first), true);
    }
    if (more)
        strbuf_printf(out, " (and %zu more)", more);
    strbuf_printf(out, "\" type=\"%s\">", type);
    xml_escape_str(out, text, false);
    strbuf_printf(out, "</%s>\n", element);
}

static void junit_case(struct strbuf *out, const struct result *res)
{
    const char *slash = strrchr(res->path, '/');

    strbuf_puts(out, "    <testcase classname=\"");
    junit_classname(out, res->path);
    strbuf_puts(out, "\" name=\"");
    xml_escape_str(out, slash ? slash + 1 : res->path, true);
    strbuf_putc(out, '"');
    switch (res->outcome) {
    case OUTCOME_PASS:
        strbuf_puts(out, "/>\n");
        return;
    case OUTCOME_UNCHECKED:
        strbuf_puts(out, ">\n      <system-out>no expect section: loaded and analysed"
                         "</system-out>\n");
        break;
    case OUTCOME_FAIL:
        strbuf_puts(out, ">\n");
        junit_problem(out, "failure", "expect", res);
        break;
    case OUTCOME_INVALID:
        strbuf_puts(out, ">\n");
        junit_problem(out, "error", "invalid", res);
        break;
    }
    strbuf_puts(out, "    </testcase>\n");
}

/* Write the document to FILE.tmp, then rename it to FILE: no half-written FILE, ever. */
static int junit_write(const char *file, const struct tally *t, size_t ntests,
                       const struct strbuf *cases)
{
    struct strbuf doc = STRBUF_INIT, tmp = STRBUF_INIT;
    FILE *f = NULL;
    int rc = DMASIM_EXIT_INVALID, err = 0;

    strbuf_printf(&doc,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<testsuites tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n"
                  "  <testsuite name=\"dmasim\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\""
                  " skipped=\"0\">\n",
                  ntests, t->failed, t->invalid, ntests, t->failed, t->invalid);
    strbuf_add(&doc, strbuf_cstr(cases), cases->len);
    strbuf_puts(&doc, "  </testsuite>\n</testsuites>\n");
    strbuf_printf(&tmp, "%s.tmp", file);
    if (doc.oom || tmp.oom || cases->oom) {
        fprintf(stderr, "dmasim: out of memory\n");
        goto out;
    }
    f = fopen(strbuf_cstr(&tmp), "w");
    if (!f) {
        err = errno;
    } else {
        errno = 0;
        if (fwrite(doc.s, 1, doc.len, f) != doc.len || fflush(f) != 0 || fsync(fileno(f)) != 0)
            err = errno ? errno : EIO;
        if (fclose(f) != 0 && !err)
            err = errno;
        if (!err && rename(strbuf_cstr(&tmp), file) != 0)
            err = errno;
        if (err)
            remove(strbuf_cstr(&tmp));
    }
    if (err)
        fprintf(stderr, "dmasim test: cannot write %s: %s\n", file, strerror(err));
    else
        rc = 0;
out:
    strbuf_fini(&doc);
    strbuf_fini(&tmp);
    return rc;
}

int cmd_test(int argc, char **argv)
{
    static const char *const flags[] = { NULL };
    const struct cli_cmd *cmd = cli_find("test");
    struct test_opts o = { false, NULL, NULL };
    struct tally t = { 0, 0, 0, 0 };
    struct strbuf cases = STRBUF_INIT, line = STRBUF_INIT;
    size_t nfiles = 0;
    char **files = NULL, **rest;
    struct cli_args a;
    int rc, nrest;
    bool oom = false;

    rest = calloc((size_t)argc + 1, sizeof(char *));
    if (!rest) {
        fprintf(stderr, "dmasim: out of memory\n");
        return DMASIM_EXIT_INVALID;
    }
    rc = take_options(&o, rest, &nrest, cmd, argc, argv);
    if (rc == 0)
        rc = cli_parse(cmd, nrest, rest, flags, 1, SIZE_MAX, &a);
    free(rest);
    if (rc)
        return rc == CLI_DONE ? 0 : rc;
    rc = cli_collect(&files, &nfiles, a.pos, a.npos);
    if (rc == 0 && nfiles == 0) { /* a CI job pointed at the wrong directory must not pass */
        fprintf(stderr, "dmasim test: no scenario files (*.yaml) in %s%s\n", a.pos[0],
                a.npos > 1 ? " and the other paths" : "");
        rc = DMASIM_EXIT_INVALID;
    }
    free(a.pos);
    if (rc) {
        cli_collect_free(files, nfiles);
        return rc;
    }
    if (o.filter && (rc = filter_files(files, &nfiles, o.filter)) != 0) {
        cli_collect_free(files, nfiles);
        return rc;
    }
    if (o.tap)
        printf("TAP version 13\n1..%zu\n", nfiles);
    for (size_t i = 0; i < nfiles; i++) {
        struct result res;

        run_one(&res, files[i]);
        switch (res.outcome) {
        case OUTCOME_PASS:
            t.passed++;
            break;
        case OUTCOME_UNCHECKED:
            t.unchecked++;
            break;
        case OUTCOME_FAIL:
            t.failed++;
            break;
        case OUTCOME_INVALID:
            t.invalid++;
            break;
        }
        strbuf_reset(&line);
        if (o.tap)
            tap_format(&line, i + 1, &res);
        else
            text_format(&line, &res);
        oom |= line.oom || res.detail.oom;
        fputs(strbuf_cstr(&line), stdout);
        if (o.junit)
            junit_case(&cases, &res);
        result_fini(&res);
    }
    cli_collect_free(files, nfiles);
    strbuf_fini(&line);
    if (t.unchecked)
        printf("%s%zu scenario%s without expectations\n", o.tap ? "# " : "", t.unchecked,
               t.unchecked == 1 ? "" : "s");
    printf("%s%zu passed, %zu failed\n", o.tap ? "# " : "", t.passed, t.failed + t.invalid);
    rc = t.invalid ? DMASIM_EXIT_INVALID : t.failed ? DMASIM_EXIT_FINDINGS : DMASIM_EXIT_OK;
    if (fflush(stdout) != 0)
        rc = DMASIM_EXIT_INVALID;
    if (oom) {
        fprintf(stderr, "dmasim: out of memory\n");
        rc = DMASIM_EXIT_INVALID;
    }
    if (o.junit && junit_write(o.junit, &t, nfiles, &cases) != 0)
        rc = DMASIM_EXIT_INVALID;
    strbuf_fini(&cases);
    return rc;
}
