/* Unit tests of sim/util: numbers, strbuf, strmap, suggestions, vec, arena, diagnostics. */
#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "sim/util/arena.h"
#include "sim/util/diag.h"
#include "sim/util/err.h"
#include "sim/util/num.h"
#include "sim/util/strbuf.h"
#include "sim/util/strmap.h"
#include "sim/util/suggest.h"
#include "sim/util/vec.h"

#define SENTINEL UINT64_C(0x5a5a5a5a5a5a5a5a)

/* Parse s expecting NUM_OK and return the value. */
static uint64_t parse_ok(const char *s, bool allow_suffix)
{
    uint64_t v = SENTINEL;
    enum num_status st = num_parse_u64(&v, s, allow_suffix);

    if (st != NUM_OK)
        print_message("'%s': %s\n", s, num_status_str(st));
    assert_int_equal(st, NUM_OK);
    return v;
}

/* Parse s expecting a failure st, and check *out was left alone. */
static void parse_fails(const char *s, bool allow_suffix, enum num_status st)
{
    uint64_t v = SENTINEL;

    assert_int_equal(num_parse_u64(&v, s, allow_suffix), st);
    assert_true(v == SENTINEL);
}

/* --- num --------------------------------------------------------------------------------- */

static void test_util__num_parse_decimal(void **state)
{
    (void)state;
    assert_true(parse_ok("0", false) == 0);
    assert_true(parse_ok("7", false) == 7);
    assert_true(parse_ok("4096", false) == 4096);
    assert_true(parse_ok("007", false) == 7);
    assert_true(parse_ok("18446744073709551615", false) == UINT64_MAX);
}

static void test_util__num_parse_hex(void **state)
{
    (void)state;
    assert_true(parse_ok("0x0", false) == 0);
    assert_true(parse_ok("0x1F", false) == 0x1f);
    assert_true(parse_ok("0xfebe0000", false) == 0xfebe0000u);
    assert_true(parse_ok("0XaB", false) == 0xab);
    assert_true(parse_ok("0xffffffffffffffff", false) == UINT64_MAX);
    assert_true(parse_ok("0x380000000000", true) == UINT64_C(0x380000000000));
}

static void test_util__num_parse_each_suffix(void **state)
{
    (void)state;
    assert_true(parse_ok("4K", true) == 4096);
    assert_true(parse_ok("16K", true) == 16384);
    assert_true(parse_ok("2M", true) == UINT64_C(2) << 20);
    assert_true(parse_ok("1G", true) == UINT64_C(1) << 30);
    assert_true(parse_ok("64G", true) == UINT64_C(64) << 30);
    assert_true(parse_ok("1T", true) == UINT64_C(1) << 40);
    assert_true(parse_ok("0K", true) == 0);
    /* the largest value a suffix can reach: (2^24 - 1) * 2^40 */
    assert_true(parse_ok("16777215T", true) == UINT64_C(0xffffff0000000000));
}

static void test_util__num_parse_overflow(void **state)
{
    (void)state;
    /* 2^64 exactly, in decimal and in hex */
    parse_fails("18446744073709551616", false, NUM_OVERFLOW);
    parse_fails("0x10000000000000000", false, NUM_OVERFLOW);
    parse_fails("99999999999999999999999", false, NUM_OVERFLOW);
    /* 2^64 reached only by the suffix multiplication */
    parse_fails("16777216T", true, NUM_OVERFLOW);
    parse_fails("17179869184G", true, NUM_OVERFLOW);
    parse_fails("17592186044416M", true, NUM_OVERFLOW);
    parse_fails("18014398509481984K", true, NUM_OVERFLOW);
    /* one unit less fits */
    assert_true(parse_ok("18014398509481983K", true) == UINT64_C(18014398509481983) << 10);
}

static void test_util__num_parse_bad_suffix(void **state)
{
    (void)state;
    parse_fails("4Q", true, NUM_BAD_SUFFIX);
    parse_fails("16KB", true, NUM_BAD_SUFFIX);
    parse_fails("16KiB", true, NUM_BAD_SUFFIX);
    parse_fails("4k", true, NUM_BAD_SUFFIX); /* suffixes are upper case */
    parse_fails("2MM", true, NUM_BAD_SUFFIX);
    parse_fails("4Q", false, NUM_BAD_DIGIT);   /* no suffix here: just not a number */
    parse_fails("10de", false, NUM_BAD_DIGIT); /* hex without 0x */
}

static void test_util__num_parse_bad_digit(void **state)
{
    (void)state;
    parse_fails("abc", true, NUM_BAD_DIGIT);
    parse_fails("1.5K", true, NUM_BAD_DIGIT);
    parse_fails("12 ", false, NUM_BAD_DIGIT);
    parse_fails(" 12", false, NUM_BAD_DIGIT);
    parse_fails("0xg", false, NUM_BAD_DIGIT);
}

static void test_util__num_parse_negative(void **state)
{
    (void)state;
    parse_fails("-1", false, NUM_NEGATIVE);
    parse_fails("-0x10", true, NUM_NEGATIVE);
    parse_fails("-4K", true, NUM_NEGATIVE);
}

static void test_util__num_parse_empty(void **state)
{
    (void)state;
    parse_fails("", true, NUM_EMPTY);
    parse_fails("0x", true, NUM_EMPTY);
    parse_fails("K", true, NUM_EMPTY);
}

static void test_util__num_parse_suffix_not_allowed(void **state)
{
    (void)state;
    parse_fails("4K", false, NUM_NO_SUFFIX);
    parse_fails("1G", false, NUM_NO_SUFFIX);
    parse_fails("0x10M", false, NUM_NO_SUFFIX);
    /* without a suffix the same call parses */
    assert_true(parse_ok("4096", false) == 4096);
}

static void test_util__num_status_str_names_the_reason(void **state)
{
    (void)state;
    assert_string_equal(num_status_str(NUM_OVERFLOW), "does not fit in 64 bits");
    assert_string_equal(num_status_str(NUM_NEGATIVE), "is negative");
    assert_string_equal(num_status_str(NUM_BAD_SUFFIX), "has a bad size suffix (use K, M, G or T)");
    assert_string_equal(num_status_str(NUM_EMPTY), "has no digits");
}

static void check_size(uint64_t v, const char *expect)
{
    char buf[24];

    memset(buf, 'x', sizeof(buf));
    num_format_size(buf, v);
    assert_string_equal(buf, expect);
}

static void test_util__num_format_size_shortest_exact(void **state)
{
    (void)state;
    check_size(0, "0");
    check_size(1, "0x1");
    check_size(16, "0x10");
    check_size(1024, "1K");
    check_size(16384, "16K");
    check_size(0x1800, "6K");
    check_size(0x1c00, "7K");
    check_size(0x1801, "0x1801");
    check_size(1536, "0x600");
    check_size(UINT64_C(3) << 20, "3M");
    check_size(UINT64_C(2) << 30, "2G");
    check_size(UINT64_C(1536) << 20, "1536M");
    check_size(UINT64_C(1) << 40, "1T");
    check_size(UINT64_C(1) << 63, "8388608T");
    check_size(UINT64_MAX, "0xffffffffffffffff");
}

static void test_util__num_format_size_round_trips(void **state)
{
    static const uint64_t values[] = { 1024, 4096, UINT64_C(64) << 30, UINT64_C(3) << 40,
                                       UINT64_C(0xffffff0000000000) };
    char buf[24];

    (void)state;
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        num_format_size(buf, values[i]);
        assert_true(parse_ok(buf, true) == values[i]);
    }
}

static void test_util__num_is_pow2(void **state)
{
    (void)state;
    assert_false(num_is_pow2(0));
    assert_true(num_is_pow2(1));
    assert_true(num_is_pow2(2));
    assert_false(num_is_pow2(3));
    assert_true(num_is_pow2(4096));
    assert_false(num_is_pow2(0x3000));
    assert_true(num_is_pow2(UINT64_C(1) << 63));
    assert_false(num_is_pow2(UINT64_MAX));
    assert_false(num_is_pow2((UINT64_C(1) << 63) + 1));
}

/* --- err --------------------------------------------------------------------------------- */

static void test_util__sim_err_str(void **state)
{
    (void)state;
    assert_string_equal(sim_err_str(SIM_OK), "success");
    assert_string_equal(sim_err_str(SIM_ENOMEM), "out of memory");
    assert_string_equal(sim_err_str(SIM_EINVAL), "invalid input");
    assert_string_equal(sim_err_str(-99), "unknown error");
}

/* --- strbuf ------------------------------------------------------------------------------ */

static void test_util__strbuf_appends(void **state)
{
    struct strbuf sb = STRBUF_INIT;

    (void)state;
    assert_string_equal(strbuf_cstr(&sb), "");
    strbuf_puts(&sb, "bus ");
    strbuf_printf(&sb, "%02x:%02x.%x", 2u, 0x1cu, 3u);
    strbuf_putc(&sb, '!');
    strbuf_add(&sb, "xyz", 2);
    assert_string_equal(strbuf_cstr(&sb), "bus 02:1c.3!xy");
    assert_int_equal(sb.len, strlen("bus 02:1c.3!xy"));
    assert_false(sb.oom);
    strbuf_reset(&sb);
    assert_string_equal(strbuf_cstr(&sb), "");
    assert_int_equal(sb.len, 0);
    strbuf_puts(&sb, "again");
    assert_string_equal(strbuf_cstr(&sb), "again");
    strbuf_fini(&sb);
    assert_null(sb.s);
    assert_string_equal(strbuf_cstr(&sb), "");
}

static void test_util__strbuf_grows(void **state)
{
    struct strbuf sb;

    (void)state;
    strbuf_init(&sb);
    for (unsigned i = 0; i < 5000; i++)
        strbuf_printf(&sb, "%u,", i % 10);
    assert_int_equal(sb.len, 10000);
    assert_true(sb.cap > sb.len);
    assert_int_equal(sb.s[sb.len], '\0');
    for (size_t i = 0; i < sb.len; i += 2) {
        assert_int_equal(sb.s[i], (char)('0' + (i / 2) % 10));
        assert_int_equal(sb.s[i + 1], ',');
    }
    strbuf_fini(&sb);
}

static void test_util__strbuf_detach(void **state)
{
    struct strbuf sb = STRBUF_INIT;
    char *s;

    (void)state;
    strbuf_puts(&sb, "owned");
    s = strbuf_detach(&sb);
    assert_string_equal(s, "owned");
    assert_null(sb.s);
    assert_int_equal(sb.len, 0);
    free(s);
    /* an empty buffer still detaches to a string the caller frees */
    s = strbuf_detach(&sb);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
}

/* --- strmap ------------------------------------------------------------------------------ */

static void test_util__strmap_put_get(void **state)
{
    struct strmap m;
    uint32_t v = 0;

    (void)state;
    strmap_init(&m);
    assert_int_equal(strmap_get(&m, "nic0", &v), SIM_ENOTFOUND); /* empty table */
    assert_int_equal(strmap_put(&m, "nic0", 7, NULL), 0);
    assert_int_equal(strmap_put(&m, "nic1", 8, NULL), 0);
    assert_int_equal(strmap_get(&m, "nic0", &v), 0);
    assert_int_equal(v, 7);
    assert_int_equal(strmap_get(&m, "nic1", &v), 0);
    assert_int_equal(v, 8);
    assert_int_equal(strmap_get(&m, "nic2", &v), SIM_ENOTFOUND);
    assert_int_equal(strmap_get(&m, "", &v), SIM_ENOTFOUND);
    assert_int_equal(m.n, 2);
    strmap_fini(&m);
}

static void test_util__strmap_duplicate_returns_old_value(void **state)
{
    struct strmap m;
    char again[] = "rp0"; /* a different pointer with the same text */
    uint32_t old = 0, v = 0;

    (void)state;
    strmap_init(&m);
    assert_int_equal(strmap_put(&m, "rp0", 3, NULL), 0);
    assert_int_equal(strmap_put(&m, again, 99, &old), 1);
    assert_int_equal(old, 3);
    assert_int_equal(strmap_put(&m, "rp0", 100, NULL), 1);
    assert_int_equal(strmap_get(&m, "rp0", &v), 0);
    assert_int_equal(v, 3); /* nothing changed */
    assert_int_equal(m.n, 1);
    strmap_fini(&m);
}

#define MANY_KEYS 5000

static void test_util__strmap_grows_past_thousands(void **state)
{
    char(*keys)[16] = malloc(MANY_KEYS * sizeof(*keys));
    struct strmap m;
    uint32_t v = 0;

    (void)state;
    assert_non_null(keys);
    strmap_init(&m);
    for (uint32_t i = 0; i < MANY_KEYS; i++) {
        snprintf(keys[i], sizeof(keys[i]), "fn%u", i);
        assert_int_equal(strmap_put(&m, keys[i], i * 3, NULL), 0);
    }
    assert_int_equal(m.n, MANY_KEYS);
    assert_true(m.mask + 1 >= MANY_KEYS); /* the table grew */
    assert_true((m.mask & (m.mask + 1)) == 0);
    for (uint32_t i = 0; i < MANY_KEYS; i++) {
        assert_int_equal(strmap_get(&m, keys[i], &v), 0);
        assert_int_equal(v, i * 3);
    }
    for (uint32_t i = 0; i < MANY_KEYS; i += 97) {
        uint32_t old = 0;

        assert_int_equal(strmap_put(&m, keys[i], 1, &old), 1);
        assert_int_equal(old, i * 3);
    }
    assert_int_equal(strmap_get(&m, "fn5000", &v), SIM_ENOTFOUND);
    assert_int_equal(strmap_get(&m, "fn", &v), SIM_ENOTFOUND);
    strmap_fini(&m);
    free(keys);
}

/* --- suggest ----------------------------------------------------------------------------- */

static void test_util__suggest_closest(void **state)
{
    static const char *const keys[] = { "id", "kind", "devfn", "secondary", "subordinate" };
    static const char *const ties[] = { "ac", "ad" };

    (void)state;
    assert_string_equal(suggest_closest("devfm", keys, 5), "devfn");
    assert_string_equal(suggest_closest("secondry", keys, 5), "secondary");
    assert_string_equal(suggest_closest("kind", keys, 5), "kind");
    assert_string_equal(suggest_closest("ip", keys, 5), "id");
    /* too far from anything: no suggestion (limit max(1, len / 3)) */
    assert_null(suggest_closest("zzzzz", keys, 5));
    assert_null(suggest_closest("dvfm", keys, 5)); /* distance 2, limit 1 */
    assert_null(suggest_closest("devfn", keys, 0));
    /* ties go to the earlier candidate */
    assert_string_equal(suggest_closest("ab", ties, 2), "ac");
    /* two neighbouring letters swapped cost one edit, not two */
    assert_string_equal(suggest_closest("dvefn", keys, 5), "devfn");
    assert_string_equal(suggest_closest("knid", keys, 5), "kind");
}

/* --- vec --------------------------------------------------------------------------------- */

static void test_util__vec_grows(void **state)
{
    VEC(uint32_t) ids = { 0 };

    (void)state;
    for (uint32_t i = 0; i < 1000; i++)
        assert_int_equal(vec_push(&ids, i * 2), SIM_OK);
    assert_int_equal(ids.n, 1000);
    assert_true(ids.cap >= 1000);
    assert_true((ids.cap & (ids.cap - 1)) == 0);
    for (uint32_t i = 0; i < 1000; i++)
        assert_int_equal(ids.v[i], i * 2);
    assert_int_equal(vec_reserve(&ids, 5000), SIM_OK);
    assert_true(ids.cap >= 6000);
    assert_int_equal(ids.n, 1000);
    assert_int_equal(ids.v[999], 1998);
    vec_free(&ids);
    assert_null(ids.v);
    assert_int_equal(ids.n, 0);
    assert_int_equal(ids.cap, 0);
}

static void test_util__vec_grow_overflow_is_enomem(void **state)
{
    uint64_t *p = NULL;
    size_t cap = 0;

    (void)state;
    assert_int_equal(vec_grow_(&p, &cap, SIZE_MAX, sizeof(*p)), SIM_ENOMEM);
    assert_null(p);
    assert_int_equal(cap, 0);
    assert_int_equal(vec_grow_(&p, &cap, SIZE_MAX / 4, 16), SIM_ENOMEM);
    assert_null(p);
    assert_int_equal(vec_grow_(&p, &cap, 3, sizeof(*p)), SIM_OK);
    assert_int_equal(cap, 8);
    assert_int_equal(vec_grow_(&p, &cap, 8, sizeof(*p)), SIM_OK);
    assert_int_equal(cap, 8); /* already enough */
    free(p);
}

/* --- arena ------------------------------------------------------------------------------- */

static void test_util__arena_allocations_are_zeroed_aligned_and_stable(void **state)
{
    struct arena a;
    unsigned char *first;
    unsigned char *p[2000];

    (void)state;
    arena_init(&a);
    first = arena_alloc(&a, 100);
    assert_non_null(first);
    memset(first, 0xab, 100);
    /* 2000 * 200 bytes: several 64K chunks */
    for (unsigned i = 0; i < 2000; i++) {
        size_t n = 1 + (i * 37) % 200;

        p[i] = arena_alloc(&a, n);
        assert_non_null(p[i]);
        assert_true((uintptr_t)p[i] % alignof(max_align_t) == 0);
        for (size_t k = 0; k < n; k++)
            assert_int_equal(p[i][k], 0);
        memset(p[i], (int)(i & 0x7f), n);
    }
    for (unsigned i = 0; i < 2000; i++)
        assert_int_equal(p[i][0], (unsigned char)(i & 0x7f));
    for (unsigned k = 0; k < 100; k++)
        assert_int_equal(first[k], 0xab);
    arena_fini(&a);
    assert_null(a.head);
    assert_int_equal(a.used, 0);
}

static void test_util__arena_large_allocation(void **state)
{
    struct arena a;
    unsigned char *small, *big;
    size_t n = (size_t)1 << 20;

    (void)state;
    arena_init(&a);
    small = arena_alloc(&a, 8);
    big = arena_alloc(&a, n);
    assert_non_null(small);
    assert_non_null(big);
    assert_int_equal(big[0], 0);
    assert_int_equal(big[n - 1], 0);
    memset(big, 0xff, n);
    small[0] = 1;
    assert_int_equal(small[0], 1);
    assert_int_equal(big[n - 1], 0xff);
    arena_fini(&a);
}

static void test_util__arena_strdup(void **state)
{
    struct arena a;
    const char *src = "pcie-root-port";
    char *s, *t;

    (void)state;
    arena_init(&a);
    s = arena_strdup(&a, src);
    t = arena_strndup(&a, src, 4);
    assert_non_null(s);
    assert_non_null(t);
    assert_ptr_not_equal(s, src);
    assert_string_equal(s, "pcie-root-port");
    assert_string_equal(t, "pcie");
    assert_string_equal(arena_strdup(&a, ""), "");
    arena_fini(&a);
}

/* --- diag -------------------------------------------------------------------------------- */

static struct src_mark at(uint32_t line, uint32_t col)
{
    struct src_mark m = { line, col };

    return m;
}

static void test_util__diag_collects_and_counts(void **state)
{
    struct diag_list dl;

    (void)state;
    diag_list_init(&dl, "f.yaml");
    diag_error(&dl, at(3, 7), "bus 0x%02x is taken by '%s'", 4u, "rp0");
    diag_warning(&dl, at(1, 1), "slot %02x has no function 0", 2u);
    assert_int_equal(dl.n, 2);
    assert_int_equal(dl.nerrors, 1);
    assert_false(dl.oom);
    fx_assert_diag(&dl, 0, DIAG_ERROR, 3, 7, "bus 0x04 is taken by 'rp0'");
    fx_assert_diag(&dl, 1, DIAG_WARNING, 1, 1, "slot 02 has no function 0");
    diag_list_fini(&dl);
    assert_int_equal(dl.n, 0);
    assert_int_equal(dl.nerrors, 0);
    assert_string_equal(dl.file, "f.yaml");
}

static void test_util__diag_sort_by_position_then_emission(void **state)
{
    struct diag_list dl;

    (void)state;
    diag_list_init(&dl, "f.yaml");
    diag_error(&dl, at(3, 7), "a");
    diag_error(&dl, at(1, 2), "b");
    diag_warning(&dl, at(3, 7), "c");
    diag_error(&dl, at(0, 0), "d");
    diag_error(&dl, at(3, 1), "e");
    diag_error(&dl, at(10, 1), "f"); /* line 10 after line 3: numeric, not textual */
    diag_error(&dl, at(3, 7), "g");
    diag_list_sort(&dl);
    assert_int_equal(dl.n, 7);
    assert_string_equal(dl.v[0].msg, "d");
    assert_string_equal(dl.v[1].msg, "b");
    assert_string_equal(dl.v[2].msg, "e");
    assert_string_equal(dl.v[3].msg, "a");
    assert_string_equal(dl.v[4].msg, "c");
    assert_string_equal(dl.v[5].msg, "g");
    assert_string_equal(dl.v[6].msg, "f");
    diag_list_fini(&dl);
}

static void test_util__diag_format(void **state)
{
    struct diag_list dl;
    struct strbuf sb = STRBUF_INIT;

    (void)state;
    diag_list_init(&dl, "f.yaml");
    diag_error(&dl, at(3, 7), "msg");
    diag_error(&dl, at(0, 0), "msg");
    diag_warning(&dl, at(12, 1), "careful");
    diag_format(&sb, &dl, &dl.v[0]);
    assert_string_equal(strbuf_cstr(&sb), "f.yaml:3:7: error: msg\n");
    strbuf_reset(&sb);
    diag_format(&sb, &dl, &dl.v[1]);
    assert_string_equal(strbuf_cstr(&sb), "f.yaml: error: msg\n");
    strbuf_reset(&sb);
    diag_format(&sb, &dl, &dl.v[2]);
    assert_string_equal(strbuf_cstr(&sb), "f.yaml:12:1: warning: careful\n");
    /* diag_format appends */
    diag_format(&sb, &dl, &dl.v[0]);
    assert_string_equal(strbuf_cstr(&sb),
                        "f.yaml:12:1: warning: careful\nf.yaml:3:7: error: msg\n");
    strbuf_fini(&sb);
    diag_list_fini(&dl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util__num_parse_decimal),
        cmocka_unit_test(test_util__num_parse_hex),
        cmocka_unit_test(test_util__num_parse_each_suffix),
        cmocka_unit_test(test_util__num_parse_overflow),
        cmocka_unit_test(test_util__num_parse_bad_suffix),
        cmocka_unit_test(test_util__num_parse_bad_digit),
        cmocka_unit_test(test_util__num_parse_negative),
        cmocka_unit_test(test_util__num_parse_empty),
        cmocka_unit_test(test_util__num_parse_suffix_not_allowed),
        cmocka_unit_test(test_util__num_status_str_names_the_reason),
        cmocka_unit_test(test_util__num_format_size_shortest_exact),
        cmocka_unit_test(test_util__num_format_size_round_trips),
        cmocka_unit_test(test_util__num_is_pow2),
        cmocka_unit_test(test_util__sim_err_str),
        cmocka_unit_test(test_util__strbuf_appends),
        cmocka_unit_test(test_util__strbuf_grows),
        cmocka_unit_test(test_util__strbuf_detach),
        cmocka_unit_test(test_util__strmap_put_get),
        cmocka_unit_test(test_util__strmap_duplicate_returns_old_value),
        cmocka_unit_test(test_util__strmap_grows_past_thousands),
        cmocka_unit_test(test_util__suggest_closest),
        cmocka_unit_test(test_util__vec_grows),
        cmocka_unit_test(test_util__vec_grow_overflow_is_enomem),
        cmocka_unit_test(test_util__arena_allocations_are_zeroed_aligned_and_stable),
        cmocka_unit_test(test_util__arena_large_allocation),
        cmocka_unit_test(test_util__arena_strdup),
        cmocka_unit_test(test_util__diag_collects_and_counts),
        cmocka_unit_test(test_util__diag_sort_by_position_then_emission),
        cmocka_unit_test(test_util__diag_format),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
