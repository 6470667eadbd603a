/*
 * The one Check runner: every tests/check_<module>.c exports
 * `Suite *ot_suite_<module>(void)`; the build lists them in suites.h.
 * Fork mode is on (Check's default); CK_FORK=no runs in-process for gdb.
 * An optional argument runs only the suite of that name.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#define OT_SUITE(fn) Suite *fn(void);
#include "suites.h"
#undef OT_SUITE

int main(int argc, char **argv)
{
    const char *only = argc > 1 ? argv[1] : NULL;
    SRunner *runner = srunner_create(NULL);
#define OT_SUITE(fn)                                                   \
    if (!only || strcmp(only, #fn + strlen("ot_suite_")) == 0)         \
        srunner_add_suite(runner, fn());
#include "suites.h"
#undef OT_SUITE
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
