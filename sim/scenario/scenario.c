/* Scenario -- loading entry points, life cycle and accessors. */
#include "sim/scenario/scenario.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/scenario_internal.h"

const char *const scn_machine_names[SCN_MACHINE_COUNT] = { "host", "guest" };
const char *const scn_generator_names[SCN_GENERATOR_COUNT] = { "decode-on", "decode-on-high-first",
                                                               "linux", "seabios" };
const char *const scn_policy_names[2] = { "qemu", "hardware" };

/* The loader shared by both entry points: parse, then resolve. */
static int load(struct scenario **out, const char *path, struct diag_list *diags,
                const struct scn_input *in)
{
    struct scenario *s = calloc(1, sizeof(*s));
    struct loader ld;
    int err;

    if (!s)
        return SIM_ENOMEM;
    arena_init(&s->arena);
    s->path = arena_strdup(&s->arena, path);
    if (!s->path) {
        scenario_free(s);
        return SIM_ENOMEM;
    }
    memset(&ld, 0, sizeof(ld));
    ld.s = s;
    ld.diags = diags;
    strmap_init(&ld.ids);
    /* Names are resolved and buses numbered only once the file reads cleanly: a half-read
     * machine would give errors about things the first errors already explain. */
    err = scn_yaml_parse(&ld, in);
    if (err == 0)
        err = scn_resolve(&ld);
    scn_pending_fini(&ld);
    diag_list_sort(diags);
    if (err == 0 && diags->nerrors)
        err = SIM_EINVAL;
    if (err < 0) {
        scenario_free(s);
        return err;
    }
    *out = s;
    return SIM_OK;
}

int scenario_load_from_memory(struct scenario **out, const char *path, const char *buf, size_t len,
                              struct diag_list *diags)
{
    struct scn_input in = { buf, len, NULL };

    return load(out, path, diags, &in);
}

/* The file is streamed through libyaml, never held whole in memory. */
int scenario_load(struct scenario **out, const char *path, struct diag_list *diags)
{
    struct scn_input in = { NULL, 0, fopen(path, "rb") };
    FILE *f = in.file;
    int err;

    if (!f) {
        diag_error(diags, (struct src_mark){ 0, 0 }, "cannot open: %s", strerror(errno));
        return SIM_EIO;
    }
    err = load(out, path, diags, &in);
    if (ferror(f)) {
        diag_error(diags, (struct src_mark){ 0, 0 }, "read error: %s", strerror(errno));
        if (err == 0) {
            scenario_free(*out);
            *out = NULL;
        }
        err = SIM_EIO;
    }
    fclose(f);
    return err;
}

void scenario_free(struct scenario *s)
{
    if (!s)
        return;
    for (unsigned m = 0; m < SCN_MACHINE_COUNT; m++)
        topo_free(s->machine[m]);
    arena_fini(&s->arena);
    free(s);
}

const char *scenario_path(const struct scenario *s)
{
    return s->path;
}

const char *scenario_name(const struct scenario *s)
{
    return s->name;
}

const char *scenario_description(const struct scenario *s)
{
    return s->description;
}

size_t scenario_reference_count(const struct scenario *s)
{
    return s->nreferences;
}

const char *scenario_reference(const struct scenario *s, size_t i)
{
    return s->references[i];
}

const struct topology *scenario_machine(const struct scenario *s, enum scn_machine m)
{
    return s->machine[m];
}

const struct scn_semantics *scenario_semantics(const struct scenario *s)
{
    return &s->semantics;
}

const struct scn_replay *scenario_replay(const struct scenario *s)
{
    return &s->replay;
}

const struct scn_dma *scenario_dma(const struct scenario *s, size_t *n)
{
    *n = s->ndma;
    return s->dma;
}

const struct scn_explore *scenario_explore(const struct scenario *s)
{
    return &s->explore;
}

const struct scn_expect *scenario_expect(const struct scenario *s)
{
    return &s->expect;
}

void scenario_check_input(struct scenario *s, struct check_input *out)
{
    memset(out, 0, sizeof(*out));
    out->scenario = s->name;
    out->machine[CHECK_HOST] = s->machine[SCN_HOST];
    out->machine[CHECK_GUEST] = s->machine[SCN_GUEST];
    out->linux_version.major = s->semantics.linux_version.major;
    out->linux_version.minor = s->semantics.linux_version.minor;
    out->qemu_version.major = s->semantics.qemu_version.major;
    out->qemu_version.minor = s->semantics.qemu_version.minor;
    out->dma = s->check_dma;
    out->ndma = s->ndma;
    out->replay = s->check_replay;
    out->explore = s->check_explore;
    out->run_explore = true;
}

const struct check_expect *scenario_check_expect(const struct scenario *s)
{
    return &s->check_expect;
}
