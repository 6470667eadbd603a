/* `omnitwin stream`: not built yet (its issue is open). */
#include <stdio.h>

#include "cli/cli.h"

int ot_cli_stream(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "omnitwin stream: not yet built\n");
    return OT_EXIT_INTERNAL;
}
