/* Unit tests of sim/bar trace parsing: vfio and pci_cfg lines, sizes, prefixes, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unistd.h>

#include "fixtures.h"
#include "sim/bar/bar.h"
#include "sim/topology/bdf.h"
#include "sim/topology/topology.h"
#include "sim/util/err.h"
#include "sim/util/vec.h"

/*
 * Where the trace fixtures are. The build may define TRACE_FIXTURE_DIR as an absolute path;
 * without it the path is relative to the repository root, ctest's working directory.
 */
#ifndef TRACE_FIXTURE_DIR
#define TRACE_FIXTURE_DIR "tests/fixtures/traces"
#endif
#define FIXTURE(name) TRACE_FIXTURE_DIR "/" name

typedef VEC(struct bar_op) op_vec;

/*
 * The host of seed 002: a conventional PCI bridge 00:1e.0 with the assigned NIC 01:10.0 and
 * a second NIC 01:11.0 below it; the guest: a root port 00:1c.0 and the NIC's guest function
 * 01:00.0. host_to_fn maps host nic0 to guest nic0, and nothing else.
 */
struct machines {
    struct fx *host, *guest;
    uint32_t nic0, nic1, guest_nic0; /* function indices */
    uint32_t *host_to_fn;            /* per host function */
};

static void machines_init(struct machines *m, bool with_nic0)
{
    uint32_t hb, br, rp;

    m->host = fx_new();
    hb = fx_hb(m->host, "pci0", 0, 0);
    br = fx_fn(m->host, "br0", TOPO_PCI_BRIDGE, TOPO_NONE, hb, "1e.0");
    m->nic0 = with_nic0 ? fx_fn(m->host, "nic0", TOPO_PCI_DEVICE, br, hb, "10.0") : TOPO_NONE;
    m->nic1 = fx_fn(m->host, "nic1", TOPO_PCI_DEVICE, br, hb, "11.0");
    fx_finalize(m->host);

    m->guest = fx_new();
    hb = fx_hb(m->guest, "pcie.0", 0, 0);
    rp = fx_fn(m->guest, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    m->guest_nic0 = fx_fn(m->guest, "nic0", TOPO_ENDPOINT, rp, hb, "0.0");
    fx_finalize(m->guest);

    m->host_to_fn = malloc(topo_fn_count(m->host->t) * sizeof(uint32_t));
    assert_non_null(m->host_to_fn);
    for (size_t i = 0; i < topo_fn_count(m->host->t); i++)
        m->host_to_fn[i] = TOPO_NONE;
    if (with_nic0)
        m->host_to_fn[m->nic0] = m->guest_nic0;
}

static void machines_fini(struct machines *m)
{
    free(m->host_to_fn);
    fx_free(m->host);
    fx_free(m->guest);
}

/* parse() - bar_trace_parse() of path into *ops with fresh diags (file "trace.log"). */
static int parse(op_vec *ops, struct bar_trace_stats *st, const char *path,
                 const struct topology *host, const uint32_t *host_to_fn, struct diag_list *dl)
{
    diag_list_init(dl, "trace.log");
    return bar_trace_parse(ops, st, path, host, host_to_fn, dl);
}

/* temp_trace() - write text to a fresh temporary file; its path goes into path[]. */
static void temp_trace(char path[64], const char *text)
{
    size_t n = strlen(text);
    int fd;

    strcpy(path, "/tmp/test_bar_trace.XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    assert_int_equal(close(fd), 0);
}

static void assert_read(const struct bar_op *op, uint32_t fn, uint16_t reg, uint8_t len,
                        bool has_expect, uint32_t expect, uint32_t line)
{
    assert_int_equal(op->kind, BAR_OP_READ);
    assert_int_equal(op->fn, fn);
    assert_int_equal(op->reg, reg);
    assert_int_equal(op->len, len);
    assert_int_equal(op->has_expect, has_expect);
    assert_int_equal(op->expect, expect);
    assert_int_equal(op->line, line);
}

static void assert_write(const struct bar_op *op, uint32_t fn, uint16_t reg, uint8_t len,
                         uint32_t value, uint32_t line)
{
    assert_int_equal(op->kind, BAR_OP_WRITE);
    assert_int_equal(op->fn, fn);
    assert_int_equal(op->reg, reg);
    assert_int_equal(op->len, len);
    assert_int_equal(op->value, value);
    assert_false(op->has_expect);
    assert_int_equal(op->line, line);
}

/* assert_routed() - op is addressed by BDF (pci_cfg form): fn TOPO_NONE, bdf bus:dev.fn. */
static void assert_routed(const struct bar_op *op, uint8_t bus, uint8_t dev, uint8_t fn)
{
    struct bdf b = { 0, bus, dev, fn };

    assert_int_equal(op->fn, TOPO_NONE);
    assert_true(bdf_eq(op->bdf, b));
}

/* The six accesses of seed 002's thread (seed lines 96-110), in order. */
static void assert_seed002_ops(const op_vec *ops, uint32_t fn)
{
    assert_int_equal(ops->n, 6);
    assert_read(&ops->v[0], fn, 0x10, 4, true, 0xfebe0004, 1);
    assert_write(&ops->v[1], fn, 0x10, 4, 0xffffffff, 2);
    assert_read(&ops->v[2], fn, 0x10, 4, true, 0xffffc004, 4);
    assert_write(&ops->v[3], fn, 0x10, 4, 0xfebe0004, 5);
    assert_read(&ops->v[4], fn, 0x14, 4, true, 0, 7);
    assert_write(&ops->v[5], fn, 0x14, 4, 0xffffffff, 8);
}

/* --- vfio lines ------------------------------------------------------------------------- */

static void test_bar_trace__seed002_vfio_mapped_to_guest(void **state)
{
    struct machines m;
    struct bar_trace_stats st;
    struct diag_list dl;
    op_vec ops = { 0 };

    (void)state;
    machines_init(&m, true);
    assert_int_equal(parse(&ops, &st, FIXTURE("seed002-vfio.log"), m.host->t, m.host_to_fn, &dl),
                     SIM_OK);
    if (dl.n)
        fx_print_diags(&dl);
    assert_int_equal(dl.n, 0);
    assert_seed002_ops(&ops, m.guest_nic0);
    /* region_del x2, region_add x2 and qemu's vfio_dma_map error are not accesses */
    assert_int_equal(st.lines, 11);
    assert_int_equal(st.accesses, 6);
    assert_int_equal(st.skipped, 5);
    assert_int_equal(st.inferred_sizes, 0);
    vec_free(&ops);
    diag_list_fini(&dl);
    machines_fini(&m);
}

static void test_bar_trace__vfio_on_host_itself(void **state)
{
    struct machines m;
    struct bar_trace_stats st;
    struct diag_list dl;
    op_vec ops = { 0 };

    (void)state;
    machines_init(&m, true);
    assert_int_equal(parse(&ops, &st, FIXTURE("seed002-vfio.log"), m.host->t, NULL, &dl), SIM_OK);
    assert_int_equal(dl.n, 0);
    assert_seed002_ops(&ops, m.nic0);
    vec_free(&ops);
    diag_list_fini(&dl);
    machines_fini(&m);
}

static void test_bar_trace__vfio_unassigned_host_function(void **state)
{
    struct machines m;
    struct bar_trace_stats st;
    struct diag_list dl;
    op_vec ops = { 0 };

    (void)state;
    machines_init(&m, true);
    m.host_to_fn[m.nic0] = TOPO_NONE;
    assert_int_equal(parse(&ops, &st, FIXTURE("seed002-vfio.log"), m.host->t, m.host_to_fn, &dl),
                     SIM_EINVAL);
    /* one error per access line, nothing produced */
    assert_int_equal(dl.nerrors, 6);
    fx_assert_diag(&dl, 0, DIAG_ERROR, 1, 1,
                   "vfio_pci_read_config names 0000:01:10.0, which no guest function passes "
                   "through");
    fx_assert_diag(&dl, 1, DIAG_ERROR, 2, 1,
                   "vfio_pci_write_config names 0000:01:10.0, which no guest function passes "
                   "through");
    assert_int_equal(dl.v[5].mark.line, 8);
    assert_int_equal(ops.n, 0);
    assert_int_equal(st.lines, 11);
    vec_free(&ops);
    diag_list_fini(&dl);
    machines_fini(&m);
}

static void test_bar_trace__vfio_no_host_function_there(void **state)
{
    struct machines m;
    struct bar_trace_stats st;
    struct diag_list dl;
    op_vec ops = { 0 };

    (void)state;
    machines_init(&m, false);
    assert_int_equal(parse(&ops, &st, FIXTURE("seed002-vfio.log"), m.host->t, NULL, &dl),
                     SIM_EINVAL);
    assert_int_equal(dl.nerrors, 6);
    fx_assert_diag(&dl, 0, DIAG_ERROR, 1, 1, "no host function at 0000:01:10.0");
    assert_int_equal(ops.n, 0);
    vec_free(&ops);
    diag_list_fini(&dl);
    machines_fini(&m);
}

/* The trace-events form (blanks before '(', 0x on the value), "0x2B" lengths, no value. */
static void test_bar_trace__vfio_trace_events_form(void **state)
{
    struct machines m;
    struct bar_trace_stats st;
    struct diag_list dl;
    op_vec ops = { 0 };
    char path[64];

    (void)state;
    machines_init(&m, true);
    temp_trace(path, "vfio_pci_read_config  (0000:01:10.0, @0x4, len=0x2) 0x7\n"
                     "vfio_pci_write_config  (0000:01:10.0, @0x4, 0x6, 0x2B)\n"
                     "vfio_pci_read_config (01:10.0, @0x3c, len=0x1)\n");
    assert_int_equal(parse(&ops, &st, path, m.host->t, m.host_to_fn, &dl), SIM_OK);
    assert_int_equal(dl.n, 0);
    assert_int_equal(ops.n, 3);
    assert_read(&ops.v[0], m.guest_nic0, 0x4, 2, true, 0x7, 1);
    assert_write(&ops.v[1], m.guest_nic0, 0x4, 2, 0x6, 2);
    assert_read(&ops.v[2], m.guest_nic0, 0x3c, 1, false, 0, 3);
    unlink(path);
    vec_free(&ops);
    diag_list_fini(&dl);
    machines_fini(&m);
}

/* --- pci_cfg lines ------------------------------------------------------------------------ */

static void test_bar_trace__pci_cfg_sizes_from_memory_region_ops(void **state)
{
    struct bar_trace_stats st;
    struct diag_list dl;
    op_vec ops = { 0 };

    (void)state;
    /* no vfio lines: neither machine is needed */
    assert_int_equal(parse(&ops, &st, FIXTURE("qemu-trace.log"), NULL, NULL, &dl), SIM_OK);
    if (dl.n)
        fx_print_diags(&dl);
    assert_int_equal(dl.n, 0);
    assert_int_equal(ops.n, 10);
    /* CF8/CFC: the pci-conf-data read after each read, the write before each write */
    assert_read(&ops.v[0], TOPO_NONE, 0x0, 4, true, 0x29c08086, 3);
    assert_routed(&ops.v[0], 0, 0, 0);
    assert_read(&ops.v[1], TOPO_NONE, 0xe, 1, true, 0x81, 6);
    assert_routed(&ops.v[1], 0, 2, 0);
    assert_write(&ops.v[2], TOPO_NONE, 0x18, 1, 0x0, 10); /* a byte, though dword aligned */
    assert_write(&ops.v[3], TOPO_NONE, 0x19, 1, 0x1, 12);
    /* no memory_region_ops line: inferred from the alignment */
    assert_write(&ops.v[4], TOPO_NONE, 0x1a, 2, 0xff, 13);
    assert_read(&ops.v[5], TOPO_NONE, 0x19, 1, true, 0x1, 14);
    /* ECAM: pcie-mmcfg-mmio */
    assert_write(&ops.v[6], TOPO_NONE, 0x10, 4, 0xffffffff, 16);
    assert_routed(&ops.v[6], 1, 0, 0);
    assert_read(&ops.v[7], TOPO_NONE, 0x10, 4, true, 0xfffe0000, 17);
    assert_write(&ops.v[8], TOPO_NONE, 0x4, 2, 0x7, 20);
    /* the last line: a read whose region line never came */
    assert_read(&ops.v[9], TOPO_NONE, 0x6, 2, true, 0x10, 22);
    assert_int_equal(st.lines, 22);
    assert_int_equal(st.accesses, 10);
    assert_int_equal(st.skipped, 12);
    assert_int_equal(st.inferred_sizes, 3);
    vec_free(&ops);
    diag_list_fini(&dl);
}

/* A region line that disagrees with the access (value, offset bits) is not its size. */
static void test_bar_trace__pci_cfg_ignores_disagreeing_region_line(void **state)
{
    struct bar_trace_stats st;
    struct diag_list dl;
    op_vec ops = { 0 };
    char path[64];

    (void)state;
    temp_trace(path, "memory_region_ops_write cpu 0 mr 0x1 addr 0xcfc value 0x5 size 1 name "
                     "'pci-conf-data'\n"
                     "pci_cfg_write pcie-root-port 00:02.0 @0x4 <- 0x7\n"
                     "memory_region_ops_write cpu 0 mr 0x1 addr 0xcfc value 0x7 size 2 name "
                     "'pci-conf-data'\n"
                     "pci_cfg_write pcie-root-port 00:02.0 @0x6 <- 0x7\n"
                     "memory_region_ops_write cpu -1 mr (nil) addr 0x1000 value 0x7 size 2 name "
                     "'some-other-region'\n"
                     "pci_cfg_write pcie-root-port 00:02.0 @0x8 <- 0x7\n"
                     "pci_cfg_read pcie-root-port 00:02.0 @0x4 -> 0x7\n"
                     "memory_region_ops_read cpu 0 mr 0x1 addr 0xcfc value 0x7 size 2 name "
                     "'pci-conf-data'\n");
    assert_int_equal(parse(&ops, &st, path, NULL, NULL, &dl), SIM_OK);
    assert_int_equal(ops.n, 4);
    assert_write(&ops.v[0], TOPO_NONE, 0x4, 4, 0x7, 2); /* value 0x5 is another access */
    assert_write(&ops.v[1], TOPO_NONE, 0x6, 2, 0x7, 4); /* 0xcfc & 3 != 0x6 & 3 */
    assert_write(&ops.v[2], TOPO_NONE, 0x8, 4, 0x7, 6); /* not a config region */
    assert_read(&ops.v[3], TOPO_NONE, 0x4, 2, true, 0x7, 7);
    assert_int_equal(st.inferred_sizes, 3);
    unlink(path);
    vec_free(&ops);
    diag_list_fini(&dl);
}

/* PID@TIME prefixes (with or without blanks), "word: " prefixes; broken prefixes are skipped. */
static void test_bar_trace__prefixes(void **state)
{
    struct machines m;
    struct bar_trace_stats st;
    struct diag_list dl;
    op_vec ops = { 0 };
    char path[64];

    (void)state;
    machines_init(&m, true);
    temp_trace(path, "123@1700000000.000001:pci_cfg_read mch 00:00.0 @0x0 -> 0x29c08086\n"
                     "123@1700000000.000002:  vfio: vfio_pci_read_config(0000:01:10.0, @0x10, "
                     "len=0x4) febe0004\n"
                     "qemu: pci_cfg_write mch 00:00.0 @0x4 <- 0x6\n"
                     "123@17x:pci_cfg_read mch 00:00.0 @0x0 -> 0x29c08086\n"
                     "> vfio: vfio_pci_read_config(0000:01:10.0, @0x10, len=0x4) febe0004\n"
                     "vfio: region_del febe0000 - febe3fff\n"
                     "\n");
    assert_int_equal(parse(&ops, &st, path, m.host->t, m.host_to_fn, &dl), SIM_OK);
    assert_int_equal(dl.n, 0);
    assert_int_equal(ops.n, 3);
    assert_read(&ops.v[0], TOPO_NONE, 0x0, 4, true, 0x29c08086, 1);
    assert_read(&ops.v[1], m.guest_nic0, 0x10, 4, true, 0xfebe0004, 2);
    assert_write(&ops.v[2], TOPO_NONE, 0x4, 4, 0x6, 3);
    assert_int_equal(st.lines, 7);
    assert_int_equal(st.skipped, 4);
    assert_int_equal(st.inferred_sizes, 2);
    unlink(path);
    vec_free(&ops);
    diag_list_fini(&dl);
    machines_fini(&m);
}

/* An access traced both by vfio_pci_*_config and by pci_cfg_* becomes one op. */
static void test_bar_trace__access_traced_twice_counts_once(void **state)
{
    struct machines m;
    struct bar_trace_stats st;
    struct diag_list dl;
    op_vec ops = { 0 };
    char path[64];

    (void)state;
    machines_init(&m, true);
    temp_trace(path, "vfio_pci_read_config  (0000:01:10.0, @0x10, len=0x4) 0xfebe0004\n"
                     "pci_cfg_read e1000e 01:00.0 @0x10 -> 0xfebe0004\n"
                     "memory_region_ops_read cpu 0 mr 0x1 addr 0xb0100010 value 0xfebe0004 "
                     "size 4 name 'pcie-mmcfg-mmio'\n"
                     "pci_cfg_write e1000e 01:00.0 @0x10 <- 0xffffffff\n"
                     "vfio_pci_write_config  (0000:01:10.0, @0x10, 0xffffffff, len=0x4)\n"
                     "pci_cfg_write e1000e 01:00.0 @0x10 <- 0xfebe0004\n"
                     "pci_update_mappings_add d=0x1 01:00.0 0,0xfebe0000+0x4000\n"
                     "vfio_pci_write_config  (0000:01:10.0, @0x10, 0xfebe0004, len=0x4)\n");
    assert_int_equal(parse(&ops, &st, path, m.host->t, m.host_to_fn, &dl), SIM_OK);
    assert_int_equal(dl.n, 0);
    assert_int_equal(ops.n, 4);
    assert_read(&ops.v[0], m.guest_nic0, 0x10, 4, true, 0xfebe0004, 1);
    assert_write(&ops.v[1], m.guest_nic0, 0x10, 4, 0xffffffff, 5);
    /* not adjacent: two accesses */
    assert_write(&ops.v[2], TOPO_NONE, 0x10, 4, 0xfebe0004, 6);
    assert_write(&ops.v[3], m.guest_nic0, 0x10, 4, 0xfebe0004, 8);
    assert_int_equal(st.accesses, 4);
    assert_int_equal(st.skipped, 4);
    assert_int_equal(st.inferred_sizes, 1);
    unlink(path);
    vec_free(&ops);
    diag_list_fini(&dl);
    machines_fini(&m);
}

/* --- Errors ------------------------------------------------------------------------------- */

static void test_bar_trace__malformed_lines_located(void **state)
{
    struct machines m;
    struct bar_trace_stats st;
    struct diag_list dl;
    op_vec ops = { 0 };
    struct bar_op keep = { BAR_OP_READ, 0, { 0, 0, 0, 0 }, 0, 4, 0, false, 0, 0 };

    (void)state;
    machines_init(&m, true);
    assert_int_equal(vec_push(&ops, keep), SIM_OK); /* the caller's ops stay as they were */
    assert_int_equal(parse(&ops, &st, FIXTURE("malformed.log"), m.host->t, m.host_to_fn, &dl),
                     SIM_EINVAL);
    /* every bad line is reported, in file order */
    assert_int_equal(dl.n, 7);
    assert_int_equal(dl.nerrors, 7);
    fx_assert_diag(&dl, 0, DIAG_ERROR, 2, 1, "vfio_pci_read_config: len=0x3 is not 1, 2 or 4");
    fx_assert_diag(&dl, 1, DIAG_ERROR, 3, 1,
                   "vfio_pci_write_config: offset 0x1000 is beyond configuration space (0xfff)");
    fx_assert_diag(&dl, 2, DIAG_ERROR, 4, 1,
                   "pci_cfg_write: value is not a 32-bit hex number: '0xzz'");
    fx_assert_diag(&dl, 3, DIAG_ERROR, 5, 1,
                   "vfio_pci_read_config: value is not a 32-bit hex number: 'nothex'");
    fx_assert_diag(&dl, 4, DIAG_ERROR, 6, 1,
                   "pci_cfg_read: expected 'DEVICE BB:DD.F @0xOFFSET -> 0xVALUE', found 'mch "
                   "00:00.0 @0x0'");
    fx_assert_diag(&dl, 5, DIAG_ERROR, 8, 1,
                   "vfio_pci_write_config: value 0x12345 does not fit in 2 bytes");
    fx_assert_diag(&dl, 6, DIAG_ERROR, 9, 1,
                   "pci_cfg_write: value 0x12345 is wider than any access at offset 0x12 can "
                   "be, and no memory_region_ops line gives the size");
    assert_int_equal(ops.n, 1);
    assert_int_equal(st.lines, 9);
    assert_int_equal(st.skipped, 1);
    vec_free(&ops);
    diag_list_fini(&dl);
    machines_fini(&m);
}

static void test_bar_trace__missing_file_is_eio(void **state)
{
    struct bar_trace_stats st;
    struct diag_list dl;
    op_vec ops = { 0 };

    (void)state;
    assert_int_equal(parse(&ops, &st, FIXTURE("no-such-trace.log"), NULL, NULL, &dl), SIM_EIO);
    fx_assert_diag(
        &dl, 0, DIAG_ERROR, 0, 0,
        "cannot read trace file '" FIXTURE("no-such-trace.log") "': No such file or directory");
    assert_int_equal(ops.n, 0);
    assert_int_equal(st.lines, 0);
    vec_free(&ops);
    diag_list_fini(&dl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bar_trace__seed002_vfio_mapped_to_guest),
        cmocka_unit_test(test_bar_trace__vfio_on_host_itself),
        cmocka_unit_test(test_bar_trace__vfio_unassigned_host_function),
        cmocka_unit_test(test_bar_trace__vfio_no_host_function_there),
        cmocka_unit_test(test_bar_trace__vfio_trace_events_form),
        cmocka_unit_test(test_bar_trace__pci_cfg_sizes_from_memory_region_ops),
        cmocka_unit_test(test_bar_trace__pci_cfg_ignores_disagreeing_region_line),
        cmocka_unit_test(test_bar_trace__prefixes),
        cmocka_unit_test(test_bar_trace__access_traced_twice_counts_once),
        cmocka_unit_test(test_bar_trace__malformed_lines_located),
        cmocka_unit_test(test_bar_trace__missing_file_is_eio),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
