/* The disruption effects table (adapters/csv/effects_csv.h). */
#include <string.h>

#include "csv/csv_reader.h"
#include "csv/effects_csv.h"
#include "text.h"

enum { COL_DIALECT, COL_EVENT, COL_SEVERITY, COL_CATEGORY, COL_DEMAND, COL_LEAD,
       COL_ADDED, COL_CAPACITY, COL_CLOSED, COL_COUNT };

static const ot_csv_column columns[COL_COUNT] = {
    {"dialect", true},          {"event", true},           {"severity", true},
    {"category", true},         {"demand_factor", false},  {"lead_time_factor", false},
    {"added_days", false},      {"capacity_factor", false}, {"closed", false},
};

typedef struct {
    ot_effects *effects;
    ot_diag *diag;
    int col[COL_COUNT];
    bool header_ok;
    size_t errors;
} reader;

static void bad(reader *r, const ot_csv_row *row, const char *fmt, const char *field,
                size_t len)
{
    char quoted[80];
    ot_text_quote(quoted, sizeof quoted, field, len);
    ot_diag_report(r->diag, OT_DIAG_ERROR, row->path, row->line, fmt, quoted);
    r->errors++;
}

static bool number(reader *r, const ot_csv_row *row, int c, double def, double *out)
{
    const char *p;
    size_t n;
    ot_csv_field(row, r->col[c], &p, &n);
    if (n == 0) {
        *out = def;
        return true;
    }
    if (!ot_parse_double(p, n, out)) {
        char fmt[160];
        ot_text_format(fmt, sizeof fmt, "%s '%%s' is not a number (expected e.g. 1.25, or "
                                        "empty for %g)", columns[c].name, def);
        bad(r, row, fmt, p, n);
        return false;
    }
    return true;
}

/* A name column copied into buf; empty is an error. */
static bool text(reader *r, const ot_csv_row *row, int c, char *buf, size_t size)
{
    const char *p;
    size_t n;
    ot_csv_field(row, r->col[c], &p, &n);
    if (n == 0 || n >= size) {
        char fmt[160];
        ot_text_format(fmt, sizeof fmt, "%s '%%s' is empty or longer than %zu bytes "
                                        "(expected a name or *)", columns[c].name, size - 1);
        bad(r, row, fmt, p, n);
        return false;
    }
    memcpy(buf, p, n);
    buf[n] = '\0';
    return true;
}

static bool on_row(void *ctx, const ot_csv_row *row, bool is_header)
{
    reader *r = ctx;
    if (is_header) {
        r->header_ok = ot_csv_header_map(row, columns, COL_COUNT, r->col, r->diag);
        return r->header_ok;
    }
    const char *p;
    size_t n;
    ot_csv_field(row, r->col[COL_DIALECT], &p, &n);
    if (n > 0 && p[0] == '#')
        return true;
    ot_effect_row e;
    if (n == 3 && memcmp(p, "cap", 3) == 0) {
        e.dialect = OT_DIALECT_CAP;
    } else if (n == 5 && memcmp(p, "datex", 5) == 0) {
        e.dialect = OT_DIALECT_DATEX;
    } else {
        bad(r, row, "dialect '%s' is not cap or datex", p, n);
        return !ot_diag_full(r->diag);
    }
    char event[256], severity[64], category[256];
    bool ok = text(r, row, COL_EVENT, event, sizeof event);
    ok = text(r, row, COL_SEVERITY, severity, sizeof severity) && ok;
    ok = text(r, row, COL_CATEGORY, category, sizeof category) && ok;
    ok = number(r, row, COL_DEMAND, 1, &e.demand) && ok;
    ok = number(r, row, COL_LEAD, 1, &e.lead_time_factor) && ok;
    ok = number(r, row, COL_ADDED, 0, &e.added_days) && ok;
    ok = number(r, row, COL_CAPACITY, 1, &e.capacity) && ok;
    ot_csv_field(row, r->col[COL_CLOSED], &p, &n);
    if (n == 0 || (n == 1 && p[0] == '0') || (n == 5 && memcmp(p, "false", 5) == 0)) {
        e.closed = false;
    } else if ((n == 1 && p[0] == '1') || (n == 4 && memcmp(p, "true", 4) == 0)) {
        e.closed = true;
    } else {
        bad(r, row, "closed '%s' is not a flag (expected 0, 1, false or true)", p, n);
        ok = false;
    }
    if (!ok)
        return !ot_diag_full(r->diag);
    e.event = event;
    e.severity = severity;
    e.category = category;
    char why[200];
    ot_err err = ot_effects_add(r->effects, &e, why, sizeof why);
    if (err == OT_ERR_INPUT) {
        ot_diag_report(r->diag, OT_DIAG_ERROR, row->path, row->line, "%s", why);
        r->errors++;
    } else if (err != OT_OK) {
        ot_diag_report(r->diag, OT_DIAG_ERROR, row->path, row->line, "%s", ot_err_str(err));
        r->errors++;
        return false;
    }
    return !ot_diag_full(r->diag);
}

ot_err ot_csv_load_effects(const char *path, ot_diag *diag, ot_effects **out)
{
    *out = NULL;
    reader r = {.effects = ot_effects_new(), .diag = diag};
    if (!r.effects)
        return OT_ERR_NOMEM;
    ot_err err = ot_csv_read_file(path, diag, on_row, &r, NULL);
    if (err == OT_OK && (r.errors || !r.header_ok))
        err = OT_ERR_INPUT;
    if (err != OT_OK) {
        ot_effects_free(r.effects);
        return err;
    }
    *out = r.effects;
    return OT_OK;
}
