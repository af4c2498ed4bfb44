/* dmasim -- exit codes, FORMAT.md section 2. The one place they are defined. */
#ifndef DMASIM_EXIT_CODES_H
#define DMASIM_EXIT_CODES_H

enum dmasim_exit {
    DMASIM_EXIT_OK = 0, /* no finding of severity error (test: every scenario met its expect) */
    DMASIM_EXIT_FINDINGS = 1, /* at least one error finding (test: some scenario failed) */
    DMASIM_EXIT_INVALID = 2,  /* the input or the command line is invalid, or I/O failed */
};

#endif
