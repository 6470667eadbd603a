/*
 * The planner-editable effects table, data/disruption-effects.csv
 * (docs/DISRUPTIONS.md "Effects table"):
 *
 *   dialect,event,severity,category,demand_factor,lead_time_factor,
 *   added_days,capacity_factor,closed
 *
 * dialect is cap or datex; event, severity and category are names or "*";
 * the factor columns are optional (empty: neutral — 1, 1, 0, 1); closed is
 * 0/1 or false/true. Lines starting with '#' in the first field are
 * comments.
 */
#ifndef OMNITWIN_EFFECTS_CSV_H
#define OMNITWIN_EFFECTS_CSV_H

#include "omnitwin/disruption.h"

/* Reads the table into a new ot_effects (caller frees with
 * ot_effects_free). Every bad row is reported as "FILE:LINE: ..."; on any
 * error returns OT_ERR_INPUT (or OT_ERR_IO) and *out stays NULL. */
ot_err ot_csv_load_effects(const char *path, ot_diag *diag, ot_effects **out);

#endif
