/* The diagnostics collector (include/omnitwin/common.h). */
#include <stdlib.h>
#include <string.h>

#include "omnitwin/common.h"
#include "text.h"

struct ot_diag {
    ot_diag_entry *entries;
    size_t count, cap;
    size_t max_errors;
    size_t errors, warnings;
};

ot_diag *ot_diag_new(size_t max_errors)
{
    ot_diag *d = ot_calloc(1, sizeof *d);
    if (d)
        d->max_errors = max_errors ? max_errors : 100;
    return d;
}

void ot_diag_free(ot_diag *diag)
{
    if (!diag)
        return;
    for (size_t i = 0; i < diag->count; i++)
        ot_free((void *)diag->entries[i].message);
    ot_free(diag->entries);
    ot_free(diag);
}

void ot_diag_vreport(ot_diag *diag, ot_diag_level level, const char *file,
                     long line, const char *fmt, va_list ap)
{
    if (!diag)
        return;
    size_t *seen = level == OT_DIAG_ERROR ? &diag->errors : &diag->warnings;
    (*seen)++;
    if (*seen > diag->max_errors)
        return;
    char buf[1024];
    size_t n = 0;
    if (file && line > 0)
        n = ot_text_format(buf, sizeof buf, "%s:%ld: ", file, line);
    else if (file)
        n = ot_text_format(buf, sizeof buf, "%s: ", file);
    ot_text_vformat(buf + n, sizeof buf - n, fmt, ap);
    if (diag->count == diag->cap) {
        size_t cap = diag->cap ? diag->cap * 2 : 16;
        ot_diag_entry *grown = ot_reallocarray(diag->entries, cap, sizeof *grown);
        if (!grown)
            return;
        diag->entries = grown;
        diag->cap = cap;
    }
    char *msg = ot_strndup(buf, strlen(buf));
    if (!msg)
        return;
    diag->entries[diag->count++] = (ot_diag_entry){level, msg};
}

void ot_diag_report(ot_diag *diag, ot_diag_level level, const char *file,
                    long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ot_diag_vreport(diag, level, file, line, fmt, ap);
    va_end(ap);
}

size_t ot_diag_errors(const ot_diag *diag) { return diag ? diag->errors : 0; }
size_t ot_diag_warnings(const ot_diag *diag) { return diag ? diag->warnings : 0; }
size_t ot_diag_count(const ot_diag *diag) { return diag ? diag->count : 0; }
bool ot_diag_full(const ot_diag *diag) { return diag && diag->errors >= diag->max_errors; }

const ot_diag_entry *ot_diag_get(const ot_diag *diag, size_t i)
{
    OT_ASSERT(diag && i < diag->count);
    return &diag->entries[i];
}
