/* Output files renamed into place when complete (adapters/os/out_file.h). */
#include <errno.h>
#include <string.h>

#include "os/out_file.h"
#include "text.h"

ot_err ot_out_file_open(ot_out_file *out, const char *path, ot_diag *diag)
{
    out->path = path;
    out->f = NULL;
    size_t n = strlen(path);
    if (n + sizeof ".tmp" > sizeof out->tmp) {
        ot_diag_report(diag, OT_DIAG_ERROR, path, 0, "path too long (expected under %zu bytes)",
                       sizeof out->tmp - sizeof ".tmp");
        return OT_ERR_IO;
    }
    ot_text_format(out->tmp, sizeof out->tmp, "%s.tmp", path);
    out->f = fopen(out->tmp, "w");
    if (!out->f) {
        ot_diag_report(diag, OT_DIAG_ERROR, path, 0, "cannot write: %s", strerror(errno));
        return OT_ERR_IO;
    }
    return OT_OK;
}

ot_err ot_out_file_close(ot_out_file *out, bool keep, ot_diag *diag)
{
    bool bad = ferror(out->f) != 0;
    if (fclose(out->f) != 0)
        bad = true;
    out->f = NULL;
    if (keep && !bad && rename(out->tmp, out->path) == 0)
        return OT_OK;
    if (keep)
        ot_diag_report(diag, OT_DIAG_ERROR, out->path, 0, "cannot write: %s", strerror(errno));
    remove(out->tmp);
    return OT_ERR_IO;
}
