/* Writes the engine's assertion failures to stderr (engine/fatal.h). */
#include <stdio.h>

#include "fatal.h"

void ot_fatal_write(const char *prefix, const char *expr, const char *file, int line)
{
    fprintf(stderr, "%s%s (%s:%d)\n", prefix, expr, file, line);
    fflush(stderr);
}
