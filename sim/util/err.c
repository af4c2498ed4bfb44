/* Error codes -- their names. */
#include "sim/util/err.h"

const char *sim_err_str(int err)
{
    switch ((enum sim_err)err) {
    case SIM_OK:
        return "success";
    case SIM_ENOMEM:
        return "out of memory";
    case SIM_EINVAL:
        return "invalid input";
    case SIM_ENOTFOUND:
        return "not found";
    case SIM_EIO:
        return "input/output error";
    }
    return "unknown error";
}
