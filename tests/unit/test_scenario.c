/* Unit tests of sim/scenario: small YAML scenarios loaded from memory, good and bad. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "sim/check/check.h"
#include "sim/scenario/scenario.h"
#include "sim/topology/topology.h"
#include "sim/util/err.h"
#include "sim/util/strbuf.h"

/* Load yaml as "t.yaml"; it must succeed. dl is initialised here; the caller finis it. */
static struct scenario *load_ok(const char *yaml, struct diag_list *dl)
{
    struct scenario *s = NULL;
    int err;

    diag_list_init(dl, "t.yaml");
    err = scenario_load_from_memory(&s, "t.yaml", yaml, strlen(yaml), dl);
    if (err != SIM_OK)
        fx_print_diags(dl);
    assert_int_equal(err, SIM_OK);
    assert_non_null(s);
    return s;
}

/* Load yaml as path; it must fail with SIM_EINVAL and leave *out alone. */
static void load_fails(const char *path, const char *yaml, struct diag_list *dl)
{
    struct scenario *s = (struct scenario *)dl; /* any non-NULL marker */

    diag_list_init(dl, path);
    assert_int_equal(scenario_load_from_memory(&s, path, yaml, strlen(yaml), dl), SIM_EINVAL);
    assert_ptr_equal(s, (struct scenario *)dl);
    assert_true(dl->nerrors > 0);
}

/* The one diagnostic of dl, formatted. */
static void assert_only_diag_text(const struct diag_list *dl, const char *text)
{
    struct strbuf sb = STRBUF_INIT;

    if (dl->n != 1)
        fx_print_diags(dl);
    assert_int_equal(dl->n, 1);
    diag_format(&sb, dl, &dl->v[0]);
    assert_string_equal(strbuf_cstr(&sb), text);
    strbuf_fini(&sb);
}

static void assert_bdf_str(struct bdf b, bool with_domain, const char *expect)
{
    char buf[BDF_STRLEN];

    assert_string_equal(bdf_format(buf, b, with_domain), expect);
}

/* --- Valid scenarios --------------------------------------------------------------------- */

static const char minimal_yaml[] =
    "name: tiny\n"
    "description: One root port, one NVMe drive.\n"
    "references:\n"
    "  - \"QEMU docs/pcie.txt\"\n"
    "host:\n"
    "  topology:\n"
    "    - id: pci0\n"
    "      kind: host-bridge\n"
    "      children:\n"
    "        - id: rp0\n"
    "          kind: root-port\n"
    "          devfn: \"1c.0\"\n"
    "          children:\n"
    "            - { id: nvme0, kind: endpoint, devfn: \"0.0\", vendor: 0x8086, device: 0x0953 }\n";

static void test_scenario__minimal(void **state)
{
    struct diag_list dl;
    struct scenario *s = load_ok(minimal_yaml, &dl);
    const struct topology *host = scenario_machine(s, SCN_HOST);
    uint32_t rp0, nvme0;
    uint8_t sec = 0, sub = 0;

    (void)state;
    assert_int_equal(dl.n, 0);
    assert_string_equal(scenario_path(s), "t.yaml");
    assert_string_equal(scenario_name(s), "tiny");
    assert_string_equal(scenario_description(s), "One root port, one NVMe drive.");
    assert_int_equal(scenario_reference_count(s), 1);
    assert_string_equal(scenario_reference(s, 0), "QEMU docs/pcie.txt");
    assert_non_null(host);
    assert_null(scenario_machine(s, SCN_GUEST));
    assert_string_equal(topo_name(host), "host");
    assert_int_equal(topo_hb_count(host), 1);
    assert_string_equal(topo_hb_get(host, 0)->id, "pci0");
    assert_int_equal(topo_fn_count(host), 2);
    rp0 = topo_fn_find(host, "rp0");
    nvme0 = topo_fn_find(host, "nvme0");
    assert_true(rp0 != TOPO_NONE);
    assert_true(nvme0 != TOPO_NONE);
    assert_int_equal(topo_fn_kind(host, rp0), TOPO_ROOT_PORT);
    assert_int_equal(topo_fn_kind(host, nvme0), TOPO_ENDPOINT);
    assert_int_equal(topo_fn_parent(host, nvme0), rp0);
    assert_bdf_str(topo_fn_bdf(host, rp0), false, "00:1c.0");
    assert_bdf_str(topo_fn_bdf(host, nvme0), false, "01:00.0");
    assert_true(topo_fn_bus_range(host, rp0, &sec, &sub));
    assert_int_equal(sec, 1);
    assert_int_equal(sub, 1);
    assert_int_equal(topo_fn_vendor(host, nvme0), 0x8086);
    assert_int_equal(topo_fn_device(host, nvme0), 0x0953);
    /* source positions survive into the model, 1-based */
    assert_int_equal(topo_fn_mark(host, rp0).line, 10);
    assert_int_equal(topo_fn_mark(host, rp0).col, 11);
    assert_int_equal(topo_fn_mark(host, nvme0).line, 14);
    assert_int_equal(topo_fn_mark(host, nvme0).col, 15);
    /* no optional section was given */
    assert_false(scenario_replay(s)->present);
    assert_false(scenario_explore(s)->present);
    assert_false(scenario_expect(s)->has_findings);
    {
        size_t n = 99;

        scenario_dma(s, &n);
        assert_int_equal(n, 0);
    }
    assert_int_equal(scenario_semantics(s)->linux_version.major, 0);
    scenario_free(s);
    diag_list_fini(&dl);
}

static const char sections_yaml[] =
    "name: sections\n"                                                              /*  1 */
    "host:\n"                                                                       /*  2 */
    "  topology:\n"                                                                 /*  3 */
    "    - id: pci0\n"                                                              /*  4 */
    "      kind: host-bridge\n"                                                     /*  5 */
    "      children:\n"                                                             /*  6 */
    "        - id: rp0\n"                                                           /*  7 */
    "          kind: root-port\n"                                                   /*  8 */
    "          devfn: \"1c.0\"\n"                                                   /*  9 */
    "          children:\n"                                                         /* 10 */
    "            - id: nic0\n"                                                      /* 11 */
    "              kind: endpoint\n"                                                /* 12 */
    "              devfn: \"0.0\"\n"                                                /* 13 */
    "              bars:\n"                                                         /* 14 */
    "                - { index: 0, type: mem32, size: 16K, address: 0xfebe0000 }\n" /* 15 */
    "        - { id: ep1, kind: rc-endpoint, devfn: \"2.0\" }\n"                    /* 16 */
    "semantics: { linux: \"6.12\", qemu: \"9.2\" }\n"                               /* 17 */
    "replay:\n"                                                                     /* 18 */
    "  policy: hardware\n"                                                          /* 19 */
    "  listener: vfio\n"                                                            /* 20 */
    "  vfio_filter: false\n"                                                        /* 21 */
    "  ops:\n"                                                                      /* 22 */
    "    - { op: read, dev: nic0, reg: 0x10, len: 4, expect: 0xfebe0000 }\n"        /* 23 */
    "    - { op: write, dev: \"01:00.0\", reg: 0x10, len: 4, value: 0xffffffff }\n" /* 24 */
    "    - { op: read, dev: \"05:00.0\", reg: 0x0, len: 2 }\n"                      /* 25 */
    "dma:\n"                                                                        /* 26 */
    "  - { dev: nic0, iova: 0x7fff0000, size: 64K }\n"                              /* 27 */
    "  - { dev: \"00:02.0\", iova: 0, size: 4K }\n"                                 /* 28 */
    "explore:\n"                                                                    /* 29 */
    "  actors:\n"                                                                   /* 30 */
    "    - { cpu: 0, sequence: { generator: seabios, devices: [nic0] } }\n"         /* 31 */
    "    - cpu: 1\n"                                                                /* 32 */
    "      ops:\n"                                                                  /* 33 */
    "        - { op: write, dev: ep1, reg: 0x4, len: 2, value: 0x6 }\n"             /* 34 */
    "  invariants: [no-bar-overlap, mappings-within-iommu-width]\n"                 /* 35 */
    "  max_states: 1000\n"                                                          /* 36 */
    "  reduction: false\n"                                                          /* 37 */
    "expect:\n"                                                                     /* 38 */
    "  findings:\n"                                                                 /* 39 */
    "    - { code: bar-overlap, subject: \"0xfebe0000-0xfebe3fff\" }\n"             /* 40 */
    "  groups:\n"                                                                   /* 41 */
    "    host: [[rp0], [nic0, \"00:02.0\"]]\n"                                      /* 42 */
    "  aliases:\n"                                                                  /* 43 */
    "    nic0: [\"01:00.0\", 0x0100]\n";                                            /* 44 */

static void test_scenario__replay_section(void **state)
{
    struct diag_list dl;
    struct scenario *s = load_ok(sections_yaml, &dl);
    const struct topology *host = scenario_machine(s, SCN_HOST);
    const struct scn_replay *r = scenario_replay(s);
    uint32_t nic0 = topo_fn_find(host, "nic0");

    (void)state;
    assert_int_equal(dl.n, 0);
    assert_true(r->present);
    assert_int_equal(r->machine, SCN_HOST); /* no guest: the host */
    assert_int_equal(r->policy, SCN_POLICY_HARDWARE);
    assert_true(r->listener_vfio);
    assert_int_equal(r->vfio_filter, 0);
    assert_int_equal(r->source, SCN_SOURCE_OPS);
    assert_int_equal(r->nops, 3);

    assert_int_equal(r->ops[0].op, SCN_OP_READ);
    assert_string_equal(r->ops[0].dev.text, "nic0");
    assert_false(r->ops[0].dev.by_bdf);
    assert_int_equal(r->ops[0].dev.machine, SCN_HOST);
    assert_int_equal(r->ops[0].dev.fn, nic0);
    assert_bdf_str(r->ops[0].dev.bdf, false, "01:00.0");
    assert_int_equal(r->ops[0].reg, 0x10);
    assert_int_equal(r->ops[0].len, 4);
    assert_true(r->ops[0].has_expect);
    assert_int_equal(r->ops[0].expect, 0xfebe0000);
    assert_int_equal(r->ops[0].mark.line, 23);
    assert_int_equal(r->ops[0].mark.col, 7);

    assert_int_equal(r->ops[1].op, SCN_OP_WRITE);
    assert_true(r->ops[1].dev.by_bdf);
    assert_int_equal(r->ops[1].dev.fn, nic0);
    assert_bdf_str(r->ops[1].dev.bdf, false, "01:00.0");
    assert_int_equal(r->ops[1].value, 0xffffffff);
    assert_false(r->ops[1].has_expect);
    assert_int_equal(r->ops[1].dev.mark.line, 24);
    assert_int_equal(r->ops[1].dev.mark.col, 25);

    /* a config access may target an empty BDF: it reads all-ones, as on hardware */
    assert_true(r->ops[2].dev.by_bdf);
    assert_int_equal(r->ops[2].dev.fn, TOPO_NONE);
    assert_bdf_str(r->ops[2].dev.bdf, false, "05:00.0");
    assert_int_equal(r->ops[2].len, 2);

    assert_int_equal(scenario_semantics(s)->linux_version.major, 6);
    assert_int_equal(scenario_semantics(s)->linux_version.minor, 12);
    assert_int_equal(scenario_semantics(s)->qemu_version.major, 9);
    assert_int_equal(scenario_semantics(s)->qemu_version.minor, 2);
    scenario_free(s);
    diag_list_fini(&dl);
}

static void test_scenario__dma_section(void **state)
{
    struct diag_list dl;
    struct scenario *s = load_ok(sections_yaml, &dl);
    const struct topology *host = scenario_machine(s, SCN_HOST);
    size_t n = 0;
    const struct scn_dma *d = scenario_dma(s, &n);

    (void)state;
    assert_int_equal(n, 2);
    assert_int_equal(d[0].dev.fn, topo_fn_find(host, "nic0"));
    assert_false(d[0].dev.by_bdf);
    assert_true(d[0].iova == 0x7fff0000);
    assert_true(d[0].size == 0x10000);
    assert_int_equal(d[0].mark.line, 27);
    assert_true(d[1].dev.by_bdf);
    assert_int_equal(d[1].dev.fn, topo_fn_find(host, "ep1"));
    assert_true(d[1].iova == 0);
    assert_true(d[1].size == 4096);
    scenario_free(s);
    diag_list_fini(&dl);
}

static void test_scenario__explore_section(void **state)
{
    struct diag_list dl;
    struct scenario *s = load_ok(sections_yaml, &dl);
    const struct topology *host = scenario_machine(s, SCN_HOST);
    const struct scn_explore *x = scenario_explore(s);

    (void)state;
    assert_true(x->present);
    assert_int_equal(x->machine, SCN_HOST);
    assert_int_equal(x->policy, SCN_POLICY_QEMU);
    assert_false(x->listener_vfio);
    assert_int_equal(x->vfio_filter, -1); /* decided later by semantics.qemu */
    assert_true(x->max_states == 1000);
    assert_false(x->reduction);
    assert_int_equal(x->ninvariants, 2);
    assert_int_equal(x->invariants[0], CHECK_INV_NO_BAR_OVERLAP);
    assert_int_equal(x->invariants[1], CHECK_INV_MAPPINGS_WITHIN_IOMMU_WIDTH);
    assert_int_equal(x->nactors, 2);

    assert_int_equal(x->actors[0].cpu, 0);
    assert_true(x->actors[0].has_sequence);
    assert_int_equal(x->actors[0].sequence.generator, SCN_GEN_SEABIOS);
    assert_int_equal(x->actors[0].sequence.ndevices, 1);
    assert_int_equal(x->actors[0].sequence.devices[0].fn, topo_fn_find(host, "nic0"));

    assert_int_equal(x->actors[1].cpu, 1);
    assert_false(x->actors[1].has_sequence);
    assert_int_equal(x->actors[1].nops, 1);
    assert_int_equal(x->actors[1].ops[0].op, SCN_OP_WRITE);
    assert_int_equal(x->actors[1].ops[0].dev.fn, topo_fn_find(host, "ep1"));
    assert_int_equal(x->actors[1].ops[0].reg, 4);
    assert_int_equal(x->actors[1].ops[0].len, 2);
    assert_int_equal(x->actors[1].ops[0].value, 6);
    assert_int_equal(x->actors[1].mark.line, 32);
    scenario_free(s);
    diag_list_fini(&dl);
}

static void test_scenario__expect_section(void **state)
{
    struct diag_list dl;
    struct scenario *s = load_ok(sections_yaml, &dl);
    const struct topology *host = scenario_machine(s, SCN_HOST);
    const struct scn_expect *x = scenario_expect(s);
    const struct scn_groups *g = &x->groups[SCN_HOST];

    (void)state;
    assert_true(x->has_findings);
    assert_int_equal(x->nfindings, 1);
    assert_int_equal(x->findings[0].code, FINDING_BAR_OVERLAP);
    assert_string_equal(x->findings[0].subject, "0xfebe0000-0xfebe3fff");
    assert_int_equal(x->findings[0].mark.line, 40);

    assert_true(g->present);
    assert_int_equal(g->ngroups, 2);
    assert_int_equal(g->start[0], 0);
    assert_int_equal(g->start[1], 1);
    assert_int_equal(g->start[2], 3);
    assert_int_equal(g->members[0], topo_fn_find(host, "rp0"));
    assert_int_equal(g->members[1], topo_fn_find(host, "nic0"));
    assert_int_equal(g->members[2], topo_fn_find(host, "ep1")); /* written as 00:02.0 */
    assert_false(x->groups[SCN_GUEST].present);

    assert_int_equal(x->naliases, 1);
    assert_int_equal(x->aliases[0].dev.fn, topo_fn_find(host, "nic0"));
    assert_int_equal(x->aliases[0].nrids, 2);
    assert_bdf_str(x->aliases[0].rids[0], false, "01:00.0");
    assert_false(x->aliases[0].rid_has_domain[0]);
    assert_bdf_str(x->aliases[0].rids[1], false, "01:00.0"); /* 0x0100 as a number */
    assert_int_equal(bdf_rid(x->aliases[0].rids[1]), 0x0100);
    scenario_free(s);
    diag_list_fini(&dl);
}

static const char assign_yaml[] =
    "name: assign\n"
    "host:\n"
    "  topology:\n"
    "    - id: hpci0\n"
    "      kind: host-bridge\n"
    "      children:\n"
    "        - id: hrp0\n"
    "          kind: root-port\n"
    "          devfn: \"1.0\"\n"
    "          children:\n"
    "            - { id: gpu0, kind: endpoint, devfn: \"0.0\" }\n"
    "            - { id: gpu0audio, kind: endpoint, devfn: \"0.1\", driver: vfio-pci }\n"
    "guest:\n"
    "  topology:\n"
    "    - id: gpci0\n"
    "      kind: host-bridge\n"
    "      children:\n"
    "        - { id: vgpu0, kind: rc-endpoint, devfn: \"2.0\", passthrough: gpu0 }\n"
    "        - { id: vaudio, kind: rc-endpoint, devfn: \"3.0\", passthrough: gpu0audio }\n"
    "        - { id: vnic, kind: rc-endpoint, devfn: \"4.0\" }\n"
    "replay:\n"
    "  ops:\n"
    "    - { op: read, dev: vgpu0, reg: 0, len: 4 }\n";

static void test_scenario__guest_passthrough_resolved(void **state)
{
    struct diag_list dl;
    struct scenario *s = load_ok(assign_yaml, &dl);
    const struct topology *host = scenario_machine(s, SCN_HOST);
    const struct topology *guest = scenario_machine(s, SCN_GUEST);
    uint32_t gpu0, audio, vgpu0;

    (void)state;
    assert_int_equal(dl.n, 0);
    assert_non_null(host);
    assert_non_null(guest);
    assert_string_equal(topo_name(guest), "guest");
    gpu0 = topo_fn_find(host, "gpu0");
    audio = topo_fn_find(host, "gpu0audio");
    vgpu0 = topo_fn_find(guest, "vgpu0");
    assert_true(gpu0 != TOPO_NONE && audio != TOPO_NONE && vgpu0 != TOPO_NONE);
    /* ids are per machine */
    assert_int_equal(topo_fn_find(guest, "gpu0"), TOPO_NONE);
    assert_int_equal(topo_fn_find(host, "vgpu0"), TOPO_NONE);
    assert_int_equal(topo_fn_passthrough(guest, vgpu0), gpu0);
    assert_int_equal(topo_fn_passthrough(guest, topo_fn_find(guest, "vaudio")), audio);
    assert_int_equal(topo_fn_passthrough(guest, topo_fn_find(guest, "vnic")), TOPO_NONE);
    assert_int_equal(topo_fn_passthrough(host, gpu0), TOPO_NONE);
    /* an assigned host function is bound to vfio-pci */
    assert_int_equal(topo_fn_driver(host, gpu0), TOPO_DRIVER_VFIO);
    assert_false(topo_fn_driver_given(host, gpu0));
    assert_true(topo_fn_driver_given(host, audio));
    assert_true(topo_fn_is_multifunction(host, gpu0));
    /* replay runs on the guest by default */
    assert_int_equal(scenario_replay(s)->machine, SCN_GUEST);
    assert_int_equal(scenario_replay(s)->ops[0].dev.machine, SCN_GUEST);
    assert_int_equal(scenario_replay(s)->ops[0].dev.fn, vgpu0);
    assert_bdf_str(scenario_replay(s)->ops[0].dev.bdf, false, "00:02.0");
    scenario_free(s);
    diag_list_fini(&dl);
}

static void test_scenario__declared_groups_resolved(void **state)
{
    static const char yaml[] = "name: groups\n"
                               "host:\n"
                               "  topology:\n"
                               "    - id: pci0\n"
                               "      kind: host-bridge\n"
                               "      children:\n"
                               "        - id: rp0\n"
                               "          kind: root-port\n"
                               "          devfn: \"1c.0\"\n"
                               "          children:\n"
                               "            - { id: nic0, kind: endpoint, devfn: \"0.0\" }\n"
                               "            - { id: nic1, kind: endpoint, devfn: \"0.1\" }\n"
                               "  groups: [[rp0], [nic0, \"01:00.1\"]]\n";
    struct diag_list dl;
    struct scenario *s = load_ok(yaml, &dl);
    const struct topology *host = scenario_machine(s, SCN_HOST);
    const uint32_t *m;
    size_t n = 0;

    (void)state;
    assert_int_equal(topo_group_count(host), 2);
    m = topo_group_members(host, 0, &n);
    assert_int_equal(n, 1);
    assert_int_equal(m[0], topo_fn_find(host, "rp0"));
    m = topo_group_members(host, 1, &n);
    assert_int_equal(n, 2);
    assert_int_equal(m[0], topo_fn_find(host, "nic0"));
    assert_int_equal(m[1], topo_fn_find(host, "nic1"));
    /* declared groups are not expectations */
    assert_false(scenario_expect(s)->groups[SCN_HOST].present);
    scenario_free(s);
    diag_list_fini(&dl);
}

static void test_scenario__warning_keeps_scenario(void **state)
{
    static const char yaml[] = "name: nofn0\n"
                               "host:\n"
                               "  topology:\n"
                               "    - id: pci0\n"
                               "      kind: host-bridge\n"
                               "      children:\n"
                               "        - { id: ep, kind: rc-endpoint, devfn: \"3.1\" }\n";
    struct diag_list dl;
    struct scenario *s = load_ok(yaml, &dl);

    (void)state;
    assert_int_equal(dl.nerrors, 0);
    assert_only_diag_text(&dl, "t.yaml:7:47: warning: 'ep' is at 03.1 but slot 03 has no "
                               "function 0: Linux scans a slot only when function 0 exists\n");
    scenario_free(s);
    diag_list_fini(&dl);
}

/* --- Invalid scenarios ------------------------------------------------------------------- */

static void test_scenario__unknown_key_suggests(void **state)
{
    static const char yaml[] = "name: bad\n"
                               "host:\n"
                               "  topology:\n"
                               "    - id: pci0\n"
                               "      kind: host-bridge\n"
                               "      children:\n"
                               "        - id: rp0\n"
                               "          kind: root-port\n"
                               "          devfm: \"1c.0\"\n";
    struct diag_list dl;

    (void)state;
    load_fails("bad.yaml", yaml, &dl);
    fx_assert_diag(&dl, 0, DIAG_ERROR, 9, 11,
                   "unknown key 'devfm' in a function (did you mean 'devfn'?)");
    assert_only_diag_text(&dl, "bad.yaml:9:11: error: unknown key 'devfm' in a function (did "
                               "you mean 'devfn'?)\n");
    diag_list_fini(&dl);
}

static void test_scenario__duplicate_id(void **state)
{
    static const char yaml[] = "name: dup\n"
                               "host:\n"
                               "  topology:\n"
                               "    - id: pci0\n"
                               "      kind: host-bridge\n"
                               "      children:\n"
                               "        - { id: nic0, kind: endpoint, devfn: \"1.0\" }\n"
                               "        - { id: nic0, kind: endpoint, devfn: \"2.0\" }\n";
    struct diag_list dl;

    (void)state;
    load_fails("dup.yaml", yaml, &dl);
    assert_only_diag_text(&dl,
                          "dup.yaml:8:17: error: duplicate id 'nic0' (first defined at line 7)\n");
    diag_list_fini(&dl);
}

static void test_scenario__bad_size_suffix(void **state)
{
    static const char yaml[] = "name: suffix\n"
                               "host:\n"
                               "  topology:\n"
                               "    - id: pci0\n"
                               "      kind: host-bridge\n"
                               "      children:\n"
                               "        - id: nic0\n"
                               "          kind: endpoint\n"
                               "          devfn: \"1.0\"\n"
                               "          bars:\n"
                               "            - { index: 0, type: mem32, size: 16KB }\n";
    struct diag_list dl;

    (void)state;
    load_fails("s.yaml", yaml, &dl);
    assert_only_diag_text(
        &dl, "s.yaml:11:46: error: size '16KB' has a bad size suffix (use K, M, G or T)\n");
    diag_list_fini(&dl);
}

static void test_scenario__unresolved_device(void **state)
{
    static const char yaml[] = "name: ref\n"
                               "host:\n"
                               "  topology:\n"
                               "    - id: pci0\n"
                               "      kind: host-bridge\n"
                               "      children:\n"
                               "        - { id: nic0, kind: rc-endpoint, devfn: \"1.0\" }\n"
                               "dma:\n"
                               "  - { dev: nic9, iova: 0x1000, size: 4K }\n";
    struct diag_list dl;

    (void)state;
    load_fails("r.yaml", yaml, &dl);
    assert_only_diag_text(
        &dl, "r.yaml:9:12: error: device 'nic9' names no function of the host machine\n");
    diag_list_fini(&dl);
}

static void test_scenario__bus_collision_located(void **state)
{
    static const char yaml[] = "name: clash\n"
                               "host:\n"
                               "  topology:\n"
                               "    - id: pci0\n"
                               "      kind: host-bridge\n"
                               "      children:\n"
                               "        - id: rp0\n"
                               "          kind: root-port\n"
                               "          devfn: \"1c.0\"\n"
                               "        - id: rp1\n"
                               "          kind: root-port\n"
                               "          devfn: \"1d.0\"\n"
                               "          secondary: 1\n";
    struct diag_list dl;

    (void)state;
    load_fails("c.yaml", yaml, &dl);
    assert_only_diag_text(&dl, "c.yaml:13:22: error: secondary bus 0x01 of 'rp1' collides with "
                               "the secondary bus assigned to 'rp0'\n");
    diag_list_fini(&dl);
}

static void test_scenario__empty_file(void **state)
{
    struct diag_list dl;

    (void)state;
    load_fails("e.yaml", "", &dl);
    assert_only_diag_text(&dl, "e.yaml:1:1: error: the file is empty: a scenario is a mapping "
                               "with 'name' and 'host' or 'guest'\n");
    diag_list_fini(&dl);
}

static void test_scenario__every_error_reported(void **state)
{
    static const char yaml[] = "name: Two_Errors\n"
                               "host:\n"
                               "  topology:\n"
                               "    - id: pci0\n"
                               "      kind: host-bridge\n"
                               "      bus: 256\n";
    struct diag_list dl;

    (void)state;
    load_fails("m.yaml", yaml, &dl);
    assert_int_equal(dl.n, 2);
    fx_assert_diag(&dl, 0, DIAG_ERROR, 1, 7, "name 'Two_Errors' must match [a-z0-9-]+");
    fx_assert_diag(&dl, 1, DIAG_ERROR, 6, 12, "bus 0x100 does not fit in 8 bits");
    diag_list_fini(&dl);
}

/* The host's warning is found first (finalize), the guest's error later (passthrough), but
 * the list comes back in file order. */
static void test_scenario__diagnostics_sorted_by_position(void **state)
{
    static const char yaml[] =
        "name: order\n"
        "guest:\n"
        "  topology:\n"
        "    - id: gpci0\n"
        "      kind: host-bridge\n"
        "      children:\n"
        "        - { id: vdev, kind: rc-endpoint, devfn: \"2.0\", passthrough: nothing }\n"
        "host:\n"
        "  topology:\n"
        "    - id: hpci0\n"
        "      kind: host-bridge\n"
        "      children:\n"
        "        - { id: ep, kind: rc-endpoint, devfn: \"3.1\" }\n";
    struct diag_list dl;

    (void)state;
    load_fails("o.yaml", yaml, &dl);
    assert_int_equal(dl.n, 2);
    fx_assert_diag(&dl, 0, DIAG_ERROR, 7, 69, "passthrough 'nothing' names no host function");
    fx_assert_diag_has(&dl, 1, DIAG_WARNING, "'ep' is at 03.1 but slot 03 has no function 0");
    assert_int_equal(dl.v[1].mark.line, 13);
    diag_list_fini(&dl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenario__minimal),
        cmocka_unit_test(test_scenario__replay_section),
        cmocka_unit_test(test_scenario__dma_section),
        cmocka_unit_test(test_scenario__explore_section),
        cmocka_unit_test(test_scenario__expect_section),
        cmocka_unit_test(test_scenario__guest_passthrough_resolved),
        cmocka_unit_test(test_scenario__declared_groups_resolved),
        cmocka_unit_test(test_scenario__warning_keeps_scenario),
        cmocka_unit_test(test_scenario__unknown_key_suggests),
        cmocka_unit_test(test_scenario__duplicate_id),
        cmocka_unit_test(test_scenario__bad_size_suffix),
        cmocka_unit_test(test_scenario__unresolved_device),
        cmocka_unit_test(test_scenario__bus_collision_located),
        cmocka_unit_test(test_scenario__empty_file),
        cmocka_unit_test(test_scenario__every_error_reported),
        cmocka_unit_test(test_scenario__diagnostics_sorted_by_position),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
