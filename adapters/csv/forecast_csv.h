/*
 * CSV for forecasts (docs/FORECASTING.md, docs/FORMATS.md):
 * - planner overrides, `--demand FILE` (CONTRACT §5): header
 *   date,node_id,sku,qty — read all or nothing, every bad row reported as
 *   "FILE:LINE: what is wrong (expected ...)";
 * - forecast.csv rows `date,node_id,sku,qty,lo,hi,method`, formatted into
 *   memory so that threads can format while one writer writes in order.
 */
#ifndef OMNITWIN_FORECAST_CSV_H
#define OMNITWIN_FORECAST_CSV_H

#include "omnitwin/forecast.h"
#include "omnitwin/twin.h"

/* Most override rows one file may hold. */
#define OT_OVERRIDE_MAX_ROWS 50000000u

typedef struct {
    ot_node_ix node;
    ot_sku_ix sku;
    ot_day day;
    double qty;             /* >= 0 */
    long line;              /* where it was given */
} ot_demand_override;

/* Overrides sorted by node, SKU and day (one row per triple). Owned by the
 * caller: ot_demand_overrides_release frees the rows. */
typedef struct {
    ot_demand_override *rows;
    size_t count;
} ot_demand_overrides;

/* Reads path against the twin: known node (not a supplier) and SKU, a real
 * date, a finite qty >= 0, each (date, node, sku) once. On any problem
 * returns OT_ERR_INPUT (or OT_ERR_IO, OT_ERR_LIMIT, OT_ERR_NOMEM), reports
 * every problem to diag, and *out is left empty. */
ot_err ot_csv_load_overrides(const ot_twin *twin, const char *path, ot_diag *diag,
                             ot_demand_overrides *out);
void ot_demand_overrides_release(ot_demand_overrides *overrides);

/* The override rows of pair (n, s): a pointer to the first and their count
 * (0 when none). */
const ot_demand_override *ot_demand_overrides_of(const ot_demand_overrides *overrides,
                                                 ot_node_ix n, ot_sku_ix s, size_t *count);

/* The header line of forecast.csv, with its newline. */
extern const char ot_csv_forecast_header[];

/* Formats one forecast.csv row (with newline) into buf: RFC 4180 quoting of
 * the ids when needed, quantities with 3 decimals. Returns the bytes
 * written, or 0 when buf (size bytes) is too small (nothing usable). */
size_t ot_csv_format_forecast_row(char *buf, size_t size, ot_day day, const char *node_id,
                                  const char *sku, double qty, double lo, double hi,
                                  const char *method);

#endif
