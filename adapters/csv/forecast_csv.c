/* Forecast CSV: planner overrides in, forecast.csv rows out
 * (adapters/csv/forecast_csv.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv/csv_reader.h"
#include "csv/forecast_csv.h"
#include "text.h"

const char ot_csv_forecast_header[] = "date,node_id,sku,qty,lo,hi,method\n";

enum { COL_DATE, COL_NODE, COL_SKU, COL_QTY, COL_COUNT };

static const ot_csv_column columns[COL_COUNT] = {
    {"date", true}, {"node_id", true}, {"sku", true}, {"qty", true}};

typedef struct {
    const ot_twin *twin;
    ot_diag *diag;
    int col[COL_COUNT];
    ot_demand_override *rows;
    size_t count, cap, errors;
    bool header_ok, stop;
    ot_err fatal;
} reader;

static void bad(reader *r, const ot_csv_row *row, const char *what, const char *field,
                size_t len, const char *expected)
{
    char quoted[120];
    ot_text_quote(quoted, sizeof quoted, field, len);
    ot_diag_report(r->diag, OT_DIAG_ERROR, row->path, row->line, "%s '%s' %s", what, quoted,
                   expected);
    r->errors++;
}

static bool push(reader *r, const ot_demand_override *o)
{
    if (r->count == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 1024;
        ot_demand_override *rows = ot_reallocarray(r->rows, cap, sizeof *rows);
        if (!rows) {
            r->fatal = OT_ERR_NOMEM;
            return false;
        }
        r->rows = rows;
        r->cap = cap;
    }
    r->rows[r->count++] = *o;
    return true;
}

static bool on_row(void *ctx, const ot_csv_row *row, bool is_header)
{
    reader *r = ctx;
    if (is_header) {
        r->header_ok = ot_csv_header_map(row, columns, COL_COUNT, r->col, r->diag);
        return r->header_ok;
    }
    if (r->count >= OT_OVERRIDE_MAX_ROWS) {
        ot_diag_report(r->diag, OT_DIAG_ERROR, row->path, row->line,
                       "more than %u override rows (expected at most that many)",
                       OT_OVERRIDE_MAX_ROWS);
        r->fatal = OT_ERR_LIMIT;
        return false;
    }
    ot_demand_override o = {OT_NONE, OT_NONE, 0, 0, row->line};
    bool ok = true;
    const char *p;
    size_t n;
    ot_csv_field(row, r->col[COL_DATE], &p, &n);
    if (!ot_date_parse(p, n, &o.day)) {
        bad(r, row, "date", p, n, "is not a date (expected YYYY-MM-DD)");
        ok = false;
    }
    ot_csv_field(row, r->col[COL_NODE], &p, &n);
    o.node = ot_twin_find_node(r->twin, p, n);
    if (o.node == OT_NONE) {
        bad(r, row, "node_id", p, n, "is not in nodes.csv (expected a known store or dc)");
        ok = false;
    } else {
        ot_node_info info;
        ot_twin_node(r->twin, o.node, &info);
        if (info.kind == OT_NODE_SUPPLIER) {
            bad(r, row, "node_id", p, n, "is a supplier (expected a store or dc: "
                                         "suppliers have no demand)");
            ok = false;
        }
    }
    ot_csv_field(row, r->col[COL_SKU], &p, &n);
    o.sku = ot_twin_find_sku(r->twin, p, n);
    if (o.sku == OT_NONE) {
        bad(r, row, "sku", p, n, "is not in skus.csv (expected a known sku)");
        ok = false;
    }
    ot_csv_field(row, r->col[COL_QTY], &p, &n);
    if (!ot_parse_double(p, n, &o.qty) || !(o.qty >= 0) || !isfinite(o.qty)) {
        bad(r, row, "qty", p, n, "is not a quantity (expected a number >= 0)");
        ok = false;
    }
    if (ok && !push(r, &o))
        return false;
    return !ot_diag_full(r->diag);
}

static int compare_override(const void *a, const void *b)
{
    const ot_demand_override *x = a, *y = b;
    if (x->node != y->node)
        return x->node < y->node ? -1 : 1;
    if (x->sku != y->sku)
        return x->sku < y->sku ? -1 : 1;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

ot_err ot_csv_load_overrides(const ot_twin *twin, const char *path, ot_diag *diag,
                             ot_demand_overrides *out)
{
    out->rows = NULL;
    out->count = 0;
    reader r = {.twin = twin, .diag = diag};
    ot_err err = ot_csv_read_file(path, diag, on_row, &r, NULL);
    if (!err && r.fatal)
        err = r.fatal;
    if (!err && (r.errors || !r.header_ok))
        err = OT_ERR_INPUT;
    if ((!err || err == OT_ERR_INPUT) && r.count) {
        qsort(r.rows, r.count, sizeof *r.rows, compare_override);
        for (size_t i = 1; i < r.count; i++) {
            const ot_demand_override *a = &r.rows[i - 1], *b = &r.rows[i];
            if (a->node == b->node && a->sku == b->sku && a->day == b->day) {
                char date[11];
                ot_date_format(b->day, date);
                ot_diag_report(diag, OT_DIAG_ERROR, path, b->line,
                               "override for %s repeats line %ld (expected one row per "
                               "date, node_id and sku)", date, a->line);
                err = OT_ERR_INPUT;
            }
        }
    }
    if (err) {
        ot_free(r.rows);
        return err;
    }
    out->rows = r.rows;
    out->count = r.count;
    return OT_OK;
}

void ot_demand_overrides_release(ot_demand_overrides *overrides)
{
    if (!overrides)
        return;
    ot_free(overrides->rows);
    overrides->rows = NULL;
    overrides->count = 0;
}

const ot_demand_override *ot_demand_overrides_of(const ot_demand_overrides *overrides,
                                                 ot_node_ix n, ot_sku_ix s, size_t *count)
{
    *count = 0;
    size_t lo = 0, hi = overrides ? overrides->count : 0;
    while (lo < hi) { /* first row at or after (n, s) */
        size_t mid = lo + (hi - lo) / 2;
        const ot_demand_override *o = &overrides->rows[mid];
        if (o->node < n || (o->node == n && o->sku < s))
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < (overrides ? overrides->count : 0) && overrides->rows[end].node == n &&
           overrides->rows[end].sku == s)
        end++;
    *count = end - lo;
    return *count ? &overrides->rows[lo] : NULL;
}

/* Writes s as one CSV field; returns bytes written or SIZE_MAX when full. */
static size_t put_field(char *buf, size_t size, const char *s)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    size_t w = 0;
    if (quote) {
        if (w >= size)
            return SIZE_MAX;
        buf[w++] = '"';
    }
    for (const char *p = s; *p; p++) {
        if (quote && *p == '"') {
            if (w >= size)
                return SIZE_MAX;
            buf[w++] = '"';
        }
        if (w >= size)
            return SIZE_MAX;
        buf[w++] = *p;
    }
    if (quote) {
        if (w >= size)
            return SIZE_MAX;
        buf[w++] = '"';
    }
    return w;
}

size_t ot_csv_format_forecast_row(char *buf, size_t size, ot_day day, const char *node_id,
                                  const char *sku, double qty, double lo, double hi,
                                  const char *method)
{
    char date[11];
    ot_date_format(day, date);
    size_t w = 0, k;
    if (size < 12)
        return 0;
    memcpy(buf, date, 10);
    buf[10] = ',';
    w = 11;
    if ((k = put_field(buf + w, size - w, node_id)) == SIZE_MAX)
        return 0;
    w += k;
    if (w >= size)
        return 0;
    buf[w++] = ',';
    if ((k = put_field(buf + w, size - w, sku)) == SIZE_MAX)
        return 0;
    w += k;
    /* + 0.0 turns a negative zero into 0.000, never -0.000 */
    int m = snprintf(buf + w, size - w, ",%.3f,%.3f,%.3f,%s\n", qty + 0.0, lo + 0.0,
                     hi + 0.0, method);
    if (m < 0 || (size_t)m >= size - w)
        return 0;
    return w + (size_t)m;
}
