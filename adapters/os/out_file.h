/*
 * Output files that appear whole or not at all: written as PATH.tmp and
 * renamed into place when complete, so that the ERP or a planner never
 * reads half an orders.csv or report.html.
 */
#ifndef OMNITWIN_OUT_FILE_H
#define OMNITWIN_OUT_FILE_H

#include <stdbool.h>
#include <stdio.h>

#include "omnitwin/common.h"

typedef struct {
    FILE *f;            /* write here between open and close */
    const char *path;   /* the caller's string; must outlive the close */
    char tmp[4200];
} ot_out_file;

/* Opens PATH.tmp for writing. On failure reports "PATH: cannot write: why"
 * to diag and returns OT_ERR_IO (nothing to close). */
ot_err ot_out_file_open(ot_out_file *out, const char *path, ot_diag *diag);

/* Closes the file; when keep is true and every write succeeded, renames it
 * into place and returns OT_OK; otherwise removes the temporary file and
 * returns OT_ERR_IO (a write error is reported to diag). */
ot_err ot_out_file_close(ot_out_file *out, bool keep, ot_diag *diag);

#endif
