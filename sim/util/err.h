/*
 * Library error codes.
 *
 * Every sim/ function that can fail returns 0 or one of these negative codes; the
 * details of invalid input go into a struct diag_list the caller passes in (diag.h).
 * Property violations are never errors: they are findings.
 */
#ifndef SIM_UTIL_ERR_H
#define SIM_UTIL_ERR_H

enum sim_err {
    SIM_OK = 0,
    SIM_ENOMEM = -1,    /* allocation failed */
    SIM_EINVAL = -2,    /* invalid input; the reasons are in the diag_list */
    SIM_ENOTFOUND = -3, /* a named object does not exist */
    SIM_EIO = -4,       /* a file could not be read or written */
};

/* sim_err_str() - a short English name for an error code ("out of memory"). */
const char *sim_err_str(int err);

#endif
