/* `omnitwin disruptions`: not built yet (its issue is open). */
#include <stdio.h>

#include "cli/cli.h"

int ot_cli_disruptions(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "omnitwin disruptions: not yet built\n");
    return OT_EXIT_INTERNAL;
}
