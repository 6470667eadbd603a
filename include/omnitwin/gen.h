/*
 * The synthetic network generator (CONTRACT §8, docs/GENERATOR.md): a
 * network of suppliers, DCs and stores with lanes, SKUs, opening stock,
 * open shipments, policies, daily demand and the events of the days after
 * the history. Pure computation: the CLI (adapters/cli/cmd_gen.c) writes
 * the files.
 *
 * Everything is a function of the parameters and the seed. Demand of one
 * store, SKU and day is computed from a counter-based random stream keyed by
 * (seed, store, SKU, day), so any day of any series can be produced alone,
 * in any order, with the same result: series are streamed, never stored.
 *
 * Node indexes: suppliers 0..suppliers-1, then DCs, then stores. A "store
 * number" k is 0..stores-1 (node index suppliers + dcs + k). Days are
 * counted from the first history day (day 0); history is days 0..days-1 and
 * the events cover days days..days+event_days-1.
 *
 * Owner: ot_gen_new's caller frees with ot_gen_free; the simulator of
 * events is owned by its caller (ot_gen_sim_free) and must not outlive the
 * model.
 */
#ifndef OMNITWIN_GEN_H
#define OMNITWIN_GEN_H

#include "omnitwin/common.h"
#include "omnitwin/twin.h"

/* Bounds on the parameters (checked by ot_gen_params_check). */
#define OT_GEN_MAX_SUPPLIERS 999
#define OT_GEN_MAX_DCS 999
#define OT_GEN_MAX_STORES 99999
#define OT_GEN_MAX_SKUS 9999999
#define OT_GEN_MAX_DAYS 3660        /* ten years */
#define OT_GEN_MAX_EVENT_DAYS 60
/* The event simulator keeps two int32 per node-SKU pair. */
#define OT_GEN_MAX_EVENT_PAIRS 50000000LL

typedef struct {
    int32_t suppliers;      /* >= 1 */
    int32_t dcs;            /* >= 1 */
    int32_t stores;         /* >= 1 */
    int32_t skus;           /* >= 1 */
    int32_t days;           /* history days, >= 1 */
    int32_t event_days;     /* days of events after the history, >= 0 */
    uint64_t seed;
    ot_day start;           /* first history day */
} ot_gen_params;

/* Fills the defaults: 2 suppliers, 2 DCs, 20 stores, 100 SKUs, 365 days,
 * 7 event days, seed 1, start 2025-01-01. */
void ot_gen_params_default(ot_gen_params *p);

/* OT_OK, or OT_ERR_USAGE with "what is wrong (expected ...)" in why. */
ot_err ot_gen_params_check(const ot_gen_params *p, char *why, size_t why_size);

typedef struct ot_gen ot_gen;

/* Builds the model (nodes, SKUs, lanes); OT_ERR_USAGE for bad parameters
 * (reason in why), OT_ERR_NOMEM. *out stays NULL on failure. */
ot_err ot_gen_new(const ot_gen_params *p, ot_gen **out, char *why, size_t why_size);
void ot_gen_free(ot_gen *g);
const ot_gen_params *ot_gen_params_of(const ot_gen *g);

/* ---- Master data ---------------------------------------------------------- */

#define OT_GEN_ID_MAX 24

typedef struct {
    char id[OT_GEN_ID_MAX];         /* SUP01, DC01, S0001 */
    ot_node_kind kind;
    char region[OT_GEN_ID_MAX];     /* R01 */
    double lat, lon;                /* degrees */
    double capacity;                /* volume units; 0 = unlimited */
    double scale;                   /* stores: size factor (1 = average) */
    int32_t primary_dc;             /* stores: node index of the serving DC */
} ot_gen_node;

typedef struct {
    char id[OT_GEN_ID_MAX];         /* SKU00001 */
    int32_t category;               /* ot_gen_category_name() */
    double unit_cost, holding_cost, stockout_cost;
    int32_t case_pack;
    double volume;
    bool slow;                      /* intermittent slow mover */
    double rate;                    /* fast: mean units a day at an average
                                       store; slow: chance of a demand day */
    double size;                    /* slow: mean units on a demand day */
    double trend_per_year;          /* relative change of demand a year */
} ot_gen_sku;

typedef struct {
    int32_t from, to;               /* node indexes */
    int32_t lead_time_days;
    double cost_per_unit;
    double capacity_per_day;        /* volume units */
    const char *mode;               /* static string */
} ot_gen_lane;

size_t ot_gen_node_count(const ot_gen *g);
size_t ot_gen_sku_count(const ot_gen *g);
size_t ot_gen_lane_count(const ot_gen *g);
size_t ot_gen_region_count(const ot_gen *g);
const ot_gen_node *ot_gen_node_at(const ot_gen *g, int32_t n);
const ot_gen_sku *ot_gen_sku_at(const ot_gen *g, int32_t s);
/* Lanes in routes.csv order: supplier->DC, DC->DC, DC->store, store->store. */
const ot_gen_lane *ot_gen_lane_at(const ot_gen *g, size_t l);
const char *ot_gen_category_name(int32_t category);
int32_t ot_gen_category_count(void);

/* Node index of store number k. */
int32_t ot_gen_store_node(const ot_gen *g, int32_t k);

/* ---- Demand --------------------------------------------------------------- */

/* Units demanded at store k of SKU s on day t (t >= 0, may lie past the
 * history). Deterministic: same (parameters, seed, k, s, t), same value. */
int64_t ot_gen_demand(const ot_gen *g, int32_t k, int32_t s, int32_t t);
/* out[i] = ot_gen_demand(g, k, s, first + i) for i < n, faster. */
void ot_gen_demand_series(const ot_gen *g, int32_t k, int32_t s, int32_t first,
                          int32_t n, int32_t *out);
/* Expected daily demand of (k, s) around day t (seasonality averaged out). */
double ot_gen_mean_demand(const ot_gen *g, int32_t k, int32_t s, int32_t t);
/* Demand multiplier of the weekday of day t for SKU s (Monday low, Saturday
 * high); and 1 while a promotion of s runs on day t, its uplift otherwise. */
double ot_gen_weekday_factor(const ot_gen *g, int32_t s, int32_t t);
double ot_gen_promo_factor(const ot_gen *g, int32_t s, int32_t t);

/* ---- Stock, open shipments, policy (as of day `days`) ---------------------- */

/* Opening on-hand of node n (a DC or store) and SKU s. */
int64_t ot_gen_opening_stock(const ot_gen *g, int32_t n, int32_t s);

typedef struct {
    char order_id[2 * OT_GEN_ID_MAX + 8];  /* PO-DC01-SKU00001, TO-S0001-... */
    int32_t from, to, sku;
    int64_t qty;
    int32_t arrive_day;                     /* days .. days + 6 */
} ot_gen_pipeline;

/* At most one open shipment toward node n (DC or store) of SKU s: true and
 * *out filled when there is one. */
bool ot_gen_pipeline_line(const ot_gen *g, int32_t n, int32_t s, ot_gen_pipeline *out);

typedef struct {
    double service_level;           /* 0.90 .. 0.99, two decimals */
    int64_t min_units, max_units;   /* shelf limits */
} ot_gen_policy;

/* Policy of store k and SKU s. */
void ot_gen_policy_of(const ot_gen *g, int32_t k, int32_t s, ot_gen_policy *out);

/* ---- Events (CONTRACT §3) ---------------------------------------------------
 * A day-by-day simulation after the history: stores sell (limited by their
 * stock), take online orders, get returns, adjust stock for damage, count
 * it; DCs ship to stores that fall below a reorder point (ref = the store),
 * a store with nothing on hand or on the way gets a lateral transfer from its
 * partner store (a ship from store to store), and receipts arrive for the open shipments of ot_gen_pipeline_line (ref =
 * their order_id) and for the simulator's own ships (ref = the ship's
 * event_id). Unrecorded shrink makes counts differ from the book now and
 * then. Events of a day come sorted by time; event ids are 1, 2, ... over
 * the whole run. Memory: 8 bytes per node-SKU pair plus one day's events.
 */
typedef struct {
    uint64_t id;                    /* event number, from 1 */
    ot_ts ts;
    ot_event_type type;
    int32_t node, sku;
    int64_t qty;                    /* signed for adjust */
    int32_t ref_node;               /* ship: destination (store); else -1 */
    int32_t ref_pipeline_node;      /* receipt of a pipeline line: its `to` */
    uint64_t ref_event;             /* receipt of a simulated ship: its id */
} ot_gen_event;

typedef struct ot_gen_sim ot_gen_sim;

/* OT_ERR_LIMIT when the network has more than OT_GEN_MAX_EVENT_PAIRS pairs,
 * OT_ERR_NOMEM. */
ot_err ot_gen_sim_new(const ot_gen *g, ot_gen_sim **out);
void ot_gen_sim_free(ot_gen_sim *sim);
/* Simulates event day e (0 .. event_days-1, in order: day days + e) and
 * points *events at its events, valid until the next call. */
ot_err ot_gen_sim_day(ot_gen_sim *sim, int32_t e, const ot_gen_event **events,
                      size_t *count);

#endif
