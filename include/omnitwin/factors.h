/*
 * The disruption factor store: time-indexed multipliers that disruption
 * feeds (CONTRACT §4) resolve to, read by the forecast (demand factors) and
 * the plan (lead times, lane capacity, closures). Pure computation.
 *
 * Every reader accepts a NULL store, meaning "no disruption": demand factor
 * 1, lead time unchanged, capacity factor 1, nothing closed.
 * Days outside the store's window also read as "no disruption".
 *
 * Owner: the caller of ot_factors_new frees with ot_factors_free. The store
 * keeps a pointer to the twin, which must outlive it.
 */
#ifndef OMNITWIN_FACTORS_H
#define OMNITWIN_FACTORS_H

#include "omnitwin/twin.h"

typedef struct ot_factors ot_factors;

/* A store covering days first_day .. first_day + days - 1, every factor
 * neutral. NULL when out of memory. */
ot_factors *ot_factors_new(const ot_twin *twin, ot_day first_day, size_t days);
void ot_factors_free(ot_factors *factors);

/* ---- Readers --------------------------------------------------------- */

/* Demand multiplier for (n, s) on day (>= 0). */
double ot_factors_demand(const ot_factors *f, ot_node_ix n, ot_sku_ix s, ot_day day);

/* Effective lead time in whole days of lane l for goods shipped on day:
 * ceil(lead_time_days * multiplier + added_days). */
int32_t ot_factors_lead_time_days(const ot_factors *f, ot_lane_ix l, ot_day day);

/* Capacity multiplier of lane l on day, in [0, +inf); 0 when the lane is
 * closed or either endpoint node is closed. */
double ot_factors_lane_capacity(const ot_factors *f, ot_lane_ix l, ot_day day);

/* True when node n is closed on day (its lanes carry nothing). */
bool ot_factors_node_closed(const ot_factors *f, ot_node_ix n, ot_day day);

#endif
