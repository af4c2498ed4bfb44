/*
 * Check -- private declarations shared by check_*.c. Nothing outside sim/check includes it.
 */
#ifndef SIM_CHECK_INTERNAL_H
#define SIM_CHECK_INTERNAL_H

#include "sim/check/check.h"
#include "sim/util/vec.h"

struct machine_result {
    const struct topology *t;
    struct alias_ctx *ctx;
    struct alias_groups *groups;
    bool *probe_failed;   /* per function: arm-smmu-v3 rejected it (NULL: none did) */
    uint32_t *fail_sid;   /* the StreamID that was taken */
    uint32_t *fail_owner; /* the function that had it (itself for a repeated ID) */
};

struct check_result {
    struct check_input in;
    struct machine_result m[CHECK_MACHINE_COUNT];
    VEC(struct finding) findings;
    struct bar_replay *replay;         /* the replay section's run, or NULL */
    struct bar_explore_result explore; /* the explore section's run */
    bool explored;                     /* explore holds a result */
};

/* check.c */
int check_add(struct check_result *r, enum finding_code code, enum check_machine m,
              const char *subject, const uint32_t *fns, size_t nfns, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* check_add_severity() - the same with a severity other than the code's default. */
int check_add_severity(struct check_result *r, enum finding_code code, enum finding_severity sev,
                       enum check_machine m, const char *subject, const uint32_t *fns, size_t nfns,
                       const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/* check_reported() - whether machine m already has a finding of code with this subject:
 * findings are reported once per subject, however many places trigger them. */
bool check_reported(const struct check_result *r, enum finding_code code, enum check_machine m,
                    const char *subject);
/* check_bdf() - fn's address as findings write it (the segment only on multi-segment machines). */
const char *check_bdf(char buf[BDF_STRLEN], const struct topology *t, uint32_t fn);
/* check_range() - an address range as a subject: "0xSTART-0xEND", inclusive. */
void check_range(char *buf, size_t len, uint64_t start, uint64_t end);

/* check_bar.c */
int check_bars(struct check_result *r);
int check_replay(struct check_result *r);
int check_explore(struct check_result *r);

/* check_iommu.c */
int check_smmu_probe(struct check_result *r, enum check_machine m);
int check_stream_ids(struct check_result *r);
int check_dma_requests(struct check_result *r);
int check_widths(struct check_result *r);
int check_virtio(struct check_result *r);

#endif
