/*
 * The nightly plan (CONTRACT §5, docs/PLAN_MODEL.md): purchases,
 * replenishment and lateral transfers over a horizon of H days, as one
 * time-phased linear program per SKU (or per group of SKUs that share a
 * binding capacity). A single SKU's LP is solved by the engine's own
 * min-cost flow solver (the same optimum, far faster); joint LPs of coupled
 * SKUs, branch and bound and whatever the flow form does not cover go
 * through an ot_lp_solver (include/omnitwin/lp.h). Solutions are rounded to
 * whole case packs and repaired so that every constraint holds.
 * Pure computation: no files, no solver library, no threads of its own.
 *
 * Owner: ot_plan_run returns a plan the caller frees with ot_plan_free.
 * The plan keeps pointers to the twin, which must outlive it.
 */
#ifndef OMNITWIN_PLAN_H
#define OMNITWIN_PLAN_H

#include "omnitwin/factors.h"
#include "omnitwin/lp.h"
#include "omnitwin/twin.h"

/* Longest horizon accepted, in days. */
#define OT_PLAN_MAX_HORIZON 92

typedef struct {
    const ot_twin *twin;
    const ot_factors *factors;   /* NULL: no disruption */
    ot_day as_of;                /* day 1 of the plan */
    int32_t horizon_days;        /* H, 1..OT_PLAN_MAX_HORIZON */
    /* Base daily demand d[pair][t], pair = n * sku_count + s, t = 0..H-1
     * (day as_of + t), before demand factors (the plan multiplies by
     * ot_factors_demand). NULL: no demand anywhere. Values >= 0, finite. */
    const double *demand;
    /* Safety stock per pair in units (NULL or 0: none): the soft target of
     * CONTRACT §5, penalised per unit-day short at h + (p - h) / 2H
     * (holding h, stockout p; docs/PLAN_MODEL.md). */
    const double *safety_stock;
    /* Joint LPs of coupled SKUs up to this many columns; larger groups are
     * split by capacity allocation (0: default 4000). */
    size_t joint_max_cols;
    /* Case packs by branch and bound (glp_intopt) when an LP has at most
     * this many columns and a case pack above 1 (0: never; rounding and
     * repair instead). */
    size_t mip_max_cols;
    /* Store blocks: with more stores than this, stores are planned in
     * blocks of about this many (stores joined by lateral lanes kept
     * together), every DC's stock and demand split between the blocks by
     * their share of each SKU's demand (docs/PLAN_MODEL.md). 0: never. */
    size_t block_stores;
} ot_plan_input;

typedef enum {
    OT_ORDER_PURCHASE = 0,       /* supplier -> DC (or -> store) */
    OT_ORDER_REPLENISH,          /* DC -> store */
    OT_ORDER_TRANSFER            /* store -> store, DC -> DC, store -> DC */
} ot_order_kind;
const char *ot_order_kind_name(ot_order_kind kind);

typedef struct {
    uint64_t id;                 /* stable: hash of as-of, lane, SKU, ship day */
    ot_order_kind kind;
    ot_lane_ix lane;
    ot_node_ix from, to;
    ot_sku_ix sku;
    int64_t qty;                 /* units, a multiple of the case pack */
    int32_t ship_t;              /* 1..H */
    ot_day ship_day, arrive_day;
} ot_order;

typedef struct {
    double objective;            /* cost of the emitted orders (all terms) */
    double transport_cost, holding_cost, stockout_cost, safety_penalty;
    double lp_objective;         /* LP optimum (or decomposition result) */
    double lp_bound;             /* a lower bound of the joint LP optimum */
    double rounding_gap;         /* (objective - lp_objective) / max(1, |lp_objective|) */
    double decomposition_gap;    /* (lp_objective - lp_bound) / max(1, |lp_objective|) */
    double demand_units, lost_units;
    double fill_rate;            /* 1 - lost / demand (1 when no demand) */
    int64_t orders, units;
    size_t skus;                 /* SKUs planned */
    size_t lps, warm_lps, mip_lps;
    size_t flow_lps;             /* of lps: single-SKU LPs solved as min-cost
                                    flows by the engine (engine/plan_flow.c) */
    size_t coupled_skus;         /* SKUs re-solved for a shared capacity */
    size_t joint_lps;            /* joint LPs of coupled SKUs */
    size_t max_rows, max_cols;   /* largest LP solved */
    size_t store_blocks;         /* 1, or the number of store blocks */
    const char *lp_status;       /* "optimal", "optimal (decomposed)",
                                    "optimal (store blocks)" */
} ot_plan_summary;

typedef struct ot_plan ot_plan;

/* Builds and solves the plan. On OT_ERR_INPUT / OT_ERR_INFEASIBLE /
 * OT_ERR_SOLVER the reasons went to diag and *out stays NULL; warnings
 * (e.g. a node with demand and no inbound lane) may accompany success. */
ot_err ot_plan_run(const ot_plan_input *in, const ot_lp_solver *solver,
                   ot_diag *diag, ot_plan **out);
void ot_plan_free(ot_plan *plan);

const ot_plan_summary *ot_plan_get_summary(const ot_plan *plan);
/* Orders sorted by SKU, ship day, from, to. */
const ot_order *ot_plan_orders(const ot_plan *plan, size_t *count);
int32_t ot_plan_horizon(const ot_plan *plan);
ot_day ot_plan_as_of(const ot_plan *plan);
/* Plan id: "P" and 16 hex digits from the as-of date, horizon and catalog. */
const char *ot_plan_id(const ot_plan *plan);
const ot_twin *ot_plan_twin(const ot_plan *plan);
/* Projected end-of-day stock of (n, s) on day t = 1..H under the emitted
 * orders, and the demand (after factors) and lost units that day. */
double ot_plan_stock(const ot_plan *plan, ot_node_ix n, ot_sku_ix s, int32_t t);
double ot_plan_demand(const ot_plan *plan, ot_node_ix n, ot_sku_ix s, int32_t t);
double ot_plan_lost(const ot_plan *plan, ot_node_ix n, ot_sku_ix s, int32_t t);
double ot_plan_safety_stock(const ot_plan *plan, ot_node_ix n, ot_sku_ix s);

/* Writes "%016llx" of the order id and a NUL (17 bytes). */
void ot_order_id_format(uint64_t id, char buf[17]);
/* One line on why order i exists: the demand it covers, the stock at the
 * destination, lead time, factors, binding capacity. */
void ot_plan_explain(const ot_plan *plan, size_t i, char *buf, size_t size);

/* ---- Demand for the plan --------------------------------------------------
 * The forecast of every stocking node-SKU pair with demand history
 * (include/omnitwin/forecast.h, method chosen per series), over the horizon
 * from as_of, and the safety stock of the pairs whose policy sets a service
 * level (protection period: the shortest lead time into the node + 1 day).
 * Values are before demand factors. Runs on the solver's parallel_for.
 * Owner: the caller frees with ot_plan_forecast_free. */
typedef struct {
    int32_t horizon_days;
    size_t pairs;                /* node_count * sku_count */
    double *mean;                /* [pairs * H], 0 without a forecast */
    float *lo, *hi;              /* [pairs * H] interval bounds */
    uint8_t *method;             /* [pairs]: ot_fc_method, or 255 none */
    double *safety_stock;        /* [pairs], 0 without a service level */
    size_t forecast, failed;     /* series forecast; series that failed */
} ot_plan_forecast;

#define OT_PLAN_NO_FORECAST 255

ot_err ot_plan_forecast_run(const ot_twin *twin, ot_day as_of, int32_t horizon_days,
                               const ot_lp_solver *runner, ot_plan_forecast **out);
void ot_plan_forecast_free(ot_plan_forecast *d);

/* The LP of one SKU with the full network capacities, as the plan builds it
 * (for the GNU MathProg cross-check and for tests). The caller owns lp
 * (ot_lp_init before). */
ot_err ot_plan_build_sku_lp(const ot_plan_input *in, ot_sku_ix s, ot_lp *lp,
                            ot_diag *diag);

#endif
