/* Fuzz target -- the scenario loader must survive any bytes: no crash, leak or UB, and every
 * rejection must carry at least one error diagnostic. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sim/scenario/scenario.h"
#include "sim/util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct scenario *s = NULL;
    struct diag_list dl;
    int err;

    diag_list_init(&dl, "fuzz.yaml");
    err = scenario_load_from_memory(&s, "fuzz.yaml", (const char *)data, size, &dl);
    if (err == SIM_EINVAL && dl.nerrors == 0)
        abort(); /* rejected without saying why */
    if (err == 0 && dl.nerrors != 0)
        abort(); /* accepted despite errors */
    scenario_free(s);
    diag_list_fini(&dl);
    return 0;
}
