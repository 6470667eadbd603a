/* Helpers shared by the subcommands: diagnostics, exit statuses, progress,
 * flags, output directories, timing. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

void ot_cli_print_diag(const ot_diag *diag)
{
    if (!diag)
        return;
    for (size_t i = 0; i < ot_diag_count(diag); i++) {
        const ot_diag_entry *e = ot_diag_get(diag, i);
        fprintf(stderr, "%s%s\n", e->level == OT_DIAG_WARNING ? "warning: " : "",
                e->message);
    }
    size_t shown_errors = 0;
    for (size_t i = 0; i < ot_diag_count(diag); i++)
        shown_errors += ot_diag_get(diag, i)->level == OT_DIAG_ERROR;
    if (ot_diag_errors(diag) > shown_errors)
        fprintf(stderr, "... and %zu more errors not shown\n",
                ot_diag_errors(diag) - shown_errors);
}

int ot_cli_exit_status(ot_err err)
{
    switch (err) {
    case OT_OK: return OT_EXIT_OK;
    case OT_ERR_INPUT:
    case OT_ERR_IO: /* an input that cannot be read is bad input */
    case OT_ERR_NOT_FOUND:
    case OT_ERR_INFEASIBLE:
    case OT_ERR_LIMIT: return OT_EXIT_INPUT;
    case OT_ERR_USAGE: return OT_EXIT_USAGE;
    case OT_ERR_SERVICE: return OT_EXIT_SERVICE;
    default: return OT_EXIT_INTERNAL;
    }
}

bool ot_cli_is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

static int progress_shown;

void ot_cli_progress(const char *label, unsigned long long done, unsigned long long total)
{
    if (!isatty(STDERR_FILENO))
        return;
    if (total)
        fprintf(stderr, "\r%s: %llu/%llu (%.0f%%)   ", label, done, total,
                100.0 * (double)done / (double)total);
    else
        fprintf(stderr, "\r%s: %llu   ", label, done);
    progress_shown = 1;
}

void ot_cli_progress_end(void)
{
    if (progress_shown && isatty(STDERR_FILENO))
        fputc('\n', stderr);
    progress_shown = 0;
}

double ot_cli_now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool ot_cli_parse_long(const char *command, const char *flag, const char *s, long lo, long hi,
                       long *out)
{
    int64_t v;
    if (!ot_parse_int64(s, strlen(s), &v) || v < lo || v > hi) {
        fprintf(stderr, "omnitwin %s: %s '%s' is not a whole number in %ld..%ld\n", command, flag,
                s, lo, hi);
        return false;
    }
    *out = (long)v;
    return true;
}

ot_err ot_cli_make_dir(const char *dir, ot_diag *diag)
{
    if (mkdir(dir, 0777) == 0 || errno == EEXIST) {
        struct stat st;
        if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
            return OT_OK;
        ot_diag_report(diag, OT_DIAG_ERROR, dir, 0, "exists and is not a directory");
        return OT_ERR_IO;
    }
    ot_diag_report(diag, OT_DIAG_ERROR, dir, 0, "cannot create the output directory: %s",
                   strerror(errno));
    return OT_ERR_IO;
}
