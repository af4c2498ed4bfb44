/* dmasim groups|iova|aliases|replay|explore|graph|test|import -- commands whose issue has not
 * landed: they say so plainly and exit 2, so no script mistakes them for working. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "exit_codes.h"

int cmd_pending(int argc, char **argv)
{
    const struct cli_cmd *cmd = cli_find(argv[0]);

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(cmd->usage, stdout);
            return 0;
        }
    }
    fprintf(stderr, "dmasim %s: not built yet: %s\n", cmd->name, cmd->summary);
    return DMASIM_EXIT_INVALID;
}
