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
 * ceil(lead_time_days * multiplier + added_days). A NULL store knows no
 * lanes and returns 0: callers without a store use the lane's own
 * lead_time_days. */
int32_t ot_factors_lead_time_days(const ot_factors *f, ot_lane_ix l, ot_day day);

/* Capacity multiplier of lane l on day, in [0, +inf); 0 when the lane is
 * closed or either endpoint node is closed. */
double ot_factors_lane_capacity(const ot_factors *f, ot_lane_ix l, ot_day day);

/* True when node n is closed on day (its lanes carry nothing). */
bool ot_factors_node_closed(const ot_factors *f, ot_node_ix n, ot_day day);

/* ---- Window and introspection ------------------------------------------ */
ot_day ot_factors_first_day(const ot_factors *f);
size_t ot_factors_days(const ot_factors *f);
/* Demand-factor categories: one per distinct SKU category of the twin
 * ("" — uncategorised — included when some SKU has no category). */
size_t ot_factors_category_count(const ot_factors *f);
const char *ot_factors_category_name(const ot_factors *f, int32_t c);
/* Index of a category name, or OT_NONE. */
int32_t ot_factors_find_category(const ot_factors *f, const char *name, size_t len);
/* Category index of SKU s. */
int32_t ot_factors_sku_category(const ot_factors *f, ot_sku_ix s);
/* Demand multiplier of category c at node n on day from category-wide and
 * all-SKU rules only (SKU-specific rules not included). */
double ot_factors_demand_category(const ot_factors *f, ot_node_ix n, int32_t c, ot_day day);
/* Effective lane factors on day, before endpoint closures are applied. */
typedef struct {
    double capacity_factor;      /* >= 0; 0 closes the lane */
    double lead_time_factor;     /* >= 0 */
    double added_days;           /* may be fractional; >= 0 */
} ot_lane_effect;
#define OT_LANE_EFFECT_NEUTRAL ((ot_lane_effect){1.0, 1.0, 0.0})
void ot_factors_lane_effect(const ot_factors *f, ot_lane_ix l, ot_day day, ot_lane_effect *out);
/* SKU-specific demand rules, in the order they were added. */
typedef struct {
    ot_node_ix node;             /* OT_NONE: every node */
    ot_sku_ix sku;
    ot_day first, last;          /* inclusive */
    double factor;
} ot_sku_demand_rule;
size_t ot_factors_sku_rule_count(const ot_factors *f);
void ot_factors_sku_rule(const ot_factors *f, size_t i, ot_sku_demand_rule *out);
/* True when any factor differs from neutral. */
bool ot_factors_any(const ot_factors *f);
/* Bytes held by the store. */
size_t ot_factors_memory_bytes(const ot_factors *f);

/* ---- Writers (used by the disruption resolver) ---------------------------
 * Every writer covers days first..last inclusive, clipped to the store's
 * window (nothing happens for days outside it). Combination rule for
 * overlapping records (docs/DISRUPTIONS.md):
 *   demand factors multiply; capacity factors take the minimum; lead-time
 *   factors and added days take the maximum; a closure is a closure.
 * Returns OT_ERR_INPUT for an index out of range or a negative/non-finite
 * factor (nothing changed), OT_ERR_NOMEM, OT_ERR_LIMIT when the demand
 * table would exceed its bound. */

/* Demand multiplier for node n (OT_NONE: every node) and category c
 * (OT_NONE: every category). */
ot_err ot_factors_add_demand_category(ot_factors *f, ot_node_ix n, int32_t c,
                                      ot_day first, ot_day last, double factor);
/* Demand multiplier for one SKU at node n (OT_NONE: every node). */
ot_err ot_factors_add_demand_sku(ot_factors *f, ot_node_ix n, ot_sku_ix s,
                                 ot_day first, ot_day last, double factor);
/* Lane effect on lane l. */
ot_err ot_factors_add_lane(ot_factors *f, ot_lane_ix l, ot_day first, ot_day last,
                           const ot_lane_effect *effect);
/* Closes node n (its lanes carry nothing). */
ot_err ot_factors_close_node(ot_factors *f, ot_node_ix n, ot_day first, ot_day last);

#endif
