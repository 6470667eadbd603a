/* `omnitwin forecast`: not built yet (its issue is open). */
#include <stdio.h>

#include "cli/cli.h"

int ot_cli_forecast(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "omnitwin forecast: not yet built\n");
    return OT_EXIT_INTERNAL;
}
