/*
 * The planner's report (CONTRACT §5): OUT/report.html, one self-contained
 * file (inline CSS and SVG, no script, no network) with the plan totals,
 * per-SKU demand history and forecast band, projected stock against safety
 * stock per node, units per lane, and every order (up to a bound) with one
 * line on why it exists. Large plans show the largest SKUs, nodes and
 * lanes and say how many more there are.
 * Written as PATH.tmp and renamed when complete; OT_ERR_IO in diag when it
 * cannot be written.
 */
#ifndef OMNITWIN_REPORT_HTML_H
#define OMNITWIN_REPORT_HTML_H

#include "omnitwin/plan.h"

#define OT_REPORT_MAX_ORDERS 2000
#define OT_REPORT_MAX_SKUS 6
#define OT_REPORT_MAX_NODES 8
#define OT_REPORT_MAX_LANES 20
#define OT_REPORT_HISTORY_DAYS 42

ot_err ot_report_html_write(const char *path, const ot_plan *plan, const ot_plan_forecast *fc,
                            ot_diag *diag);

#endif
