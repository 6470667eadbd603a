/*
 * The plan's CSV outputs (CONTRACT §5, docs/FORMATS.md):
 *   orders.csv   order_id,plan_id,kind,sku,from,to,qty,ship_date,arrive_date
 *   summary.csv  metric,value
 *   forecast.csv date,node_id,sku,qty,lo,hi,method (demand factors applied)
 * Each writer writes PATH.tmp and renames it onto PATH only when complete,
 * so a failed run leaves no half-written file. Text fields are quoted per
 * RFC 4180 when they hold a comma, quote or line break.
 * Return OT_ERR_IO with the reason in diag when a file cannot be written.
 */
#ifndef OMNITWIN_ORDERS_CSV_H
#define OMNITWIN_ORDERS_CSV_H

#include <stdio.h>

#include "omnitwin/plan.h"

ot_err ot_csv_write_orders(const char *path, const ot_plan *plan, ot_diag *diag);

/* seconds: wall time of the run, written as the `seconds` metric. */
ot_err ot_csv_write_summary(const char *path, const ot_plan *plan, double seconds,
                            ot_diag *diag);

/* Rows for the pairs with a forecast and the pairs a --demand file set
 * (overridden[pair], may be NULL), whose method is written as "override". */
ot_err ot_csv_write_plan_forecast(const char *path, const ot_plan *plan,
                                  const ot_plan_forecast *fc, const bool *overridden,
                                  const ot_factors *factors, ot_diag *diag);

/* Writes s as one CSV field (quoted when needed). */
void ot_csv_put_field(FILE *f, const char *s);

#endif
