/*
 * Disruption replay (CONTRACT §7, docs/REPLAY.md): a past window replayed
 * day by day through the twin, three ways —
 *   baseline    plans and reality ignore the disruption feed;
 *   unforeseen  plans ignore the feed, reality follows it;
 *   foreseen    plans use the records issued by the plan day, reality
 *               follows the feed.
 * Each simulated day t: goods due arrive; the day's demand is forecast from
 * the history strictly before t (ot_plan_forecast_run with as_of = t); the
 * plan (ot_plan_run, as_of = t) is solved on the simulated stock and
 * in-transit goods; the orders shipping on day t leave, cut to the origin's
 * stock (suppliers unlimited) and to the lane's real capacity that day, and
 * travel the lane's real lead time; the recorded demand of day t is served
 * from stock, the rest is lost; costs and counts accumulate. All three
 * scenarios plan on the morning's state before any ships; a scenario whose
 * morning equals an earlier one's, neither planning with disruption
 * factors, follows that plan (the same inputs give the same plan).
 * Pure computation: no files, no solver library.
 *
 * Owner: ot_replay_run returns a result the caller frees with
 * ot_replay_free; it keeps no pointer into the input.
 */
#ifndef OMNITWIN_REPLAY_H
#define OMNITWIN_REPLAY_H

#include "omnitwin/disruption.h"
#include "omnitwin/lp.h"
#include "omnitwin/twin.h"

/* Longest window replayed, in days. */
#define OT_REPLAY_MAX_DAYS 366

typedef enum {
    OT_REPLAY_BASELINE = 0,
    OT_REPLAY_UNFORESEEN = 1,
    OT_REPLAY_FORESEEN = 2
} ot_replay_scenario;
#define OT_REPLAY_SCENARIOS 3
/* "baseline", "unforeseen", "foreseen". */
const char *ot_replay_scenario_name(ot_replay_scenario sc);

typedef struct {
    /* The network and the demand history; the recorded demand of the window
     * (ot_twin_demand for from..to) is what the stores are asked for. The
     * window must lie inside the history. */
    const ot_twin *history;
    /* Stock on the morning of `from` (on-hand) and the goods in transit
     * (open pipeline lines), in a twin with the same catalog and lanes as
     * `history` (e.g. the same network before its events were applied).
     * NULL: `history` itself. */
    const ot_twin *start;
    /* The disruption feed and its effects table; both may be NULL. */
    const ot_disruption_set *feed;
    const ot_effects *effects;
    ot_day from, to;             /* inclusive */
    int32_t horizon_days;        /* plan horizon, 1..OT_PLAN_MAX_HORIZON */
    size_t joint_max_cols;       /* as ot_plan_input (0: default) */
    /* Optional progress: called after each simulated day of each
     * scenario with done / total scenario-days. */
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
} ot_replay_input;

typedef struct {
    double demand_units;         /* recorded demand in the window */
    double lost_units;           /* demand not served from stock */
    double fill_rate;            /* 1 - lost / demand (1 when no demand) */
    double transport_cost;       /* shipped units x lane cost_per_unit */
    double holding_cost;         /* end-of-day stock x holding_cost, summed */
    int64_t late_shipments;      /* shipments whose real arrival is later
                                    than the plan's arrive_day */
    int64_t stockout_days;       /* node-SKU-days with lost demand > 0 */
    int64_t shipments;           /* orders that left with qty > 0 */
    int64_t shipped_units;
    int64_t cut_units;           /* planned units that could not leave */
    int64_t plans;               /* daily plans followed (one a day) */
    int64_t shared_plans;        /* of which taken from an earlier scenario
                                    whose morning was the same */
    int64_t relaxed_plans;       /* of which re-planned without node
                                    capacities and shelf limits after the
                                    plan found them infeasible */
} ot_replay_kpis;

typedef struct {
    ot_day day;
    double demand, lost;         /* recorded demand, lost units that day */
    double fill_rate;            /* that day (1 when no demand) */
    double stock;                /* end-of-day units at DCs and stores */
    double shipped;              /* units that left that day */
    int64_t late;                /* shipments that left that day and arrive
                                    later than their plan expected */
} ot_replay_day;

typedef struct ot_replay ot_replay;

/* Replays the window. Bad input (a window outside the history, from > to,
 * a horizon out of range, catalogs that differ, a feed that does not
 * resolve) returns OT_ERR_INPUT with the reasons in diag and *out NULL; a
 * plan failure on a day returns its error, the day named in diag. */
ot_err ot_replay_run(const ot_replay_input *in, const ot_lp_solver *solver, ot_diag *diag,
                     ot_replay **out);
void ot_replay_free(ot_replay *r);

ot_day ot_replay_from(const ot_replay *r);
size_t ot_replay_day_count(const ot_replay *r);
int32_t ot_replay_horizon(const ot_replay *r);
const ot_replay_kpis *ot_replay_get_kpis(const ot_replay *r, ot_replay_scenario sc);
/* Days from..to of one scenario, in order; ot_replay_day_count() long. */
const ot_replay_day *ot_replay_get_days(const ot_replay *r, ot_replay_scenario sc);
/* Lost units of node n over the window (n < the network's node count). */
double ot_replay_node_lost(const ot_replay *r, ot_replay_scenario sc, ot_node_ix n);
size_t ot_replay_node_count(const ot_replay *r);
/* Disruption records of the feed that touched the window (0 without one). */
size_t ot_replay_feed_records(const ot_replay *r);

/* ---- KPI table ------------------------------------------------------------
 * The metrics of OUT/kpis.csv in their order: fill_rate, lost_units,
 * transport_cost, holding_cost, late_shipments, stockout_days. */
#define OT_REPLAY_METRICS 6
const char *ot_replay_metric_name(size_t m);
double ot_replay_metric(const ot_replay_kpis *k, size_t m);
/* True when a higher value of metric m is better (fill_rate). */
bool ot_replay_metric_higher_is_better(size_t m);

#endif
