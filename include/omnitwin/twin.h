/*
 * The network twin: suppliers, DCs, stores, SKUs, lanes, and per node-SKU
 * pair the stock on hand, stock in transit toward it, the latest stock count,
 * the policy and the daily demand history. Pure computation on memory.
 *
 * Layout (docs/ARCHITECTURE.md): nodes and SKUs get dense integer indexes in
 * the order they are added; pair (n, s) lives at n * sku_count + s in
 * struct-of-arrays storage (44 bytes a pair); history is kept in day pages
 * of one byte a day a pair, with an overflow table for larger counts.
 *
 * Building happens in two phases: add every node and SKU, then
 * ot_twin_seal_catalog() allocates the pairs; after that lanes, stock,
 * pipeline, history, policy and events may be added. The twin owns every
 * string it is given (copied in).
 */
#ifndef OMNITWIN_TWIN_H
#define OMNITWIN_TWIN_H

#include "omnitwin/common.h"

typedef struct ot_twin ot_twin;

typedef int32_t ot_node_ix;
typedef int32_t ot_sku_ix;
typedef int32_t ot_lane_ix;
#define OT_NONE (-1)

typedef enum { OT_NODE_SUPPLIER = 0, OT_NODE_DC = 1, OT_NODE_STORE = 2 } ot_node_kind;
const char *ot_node_kind_name(ot_node_kind kind);
bool ot_node_kind_parse(const char *s, size_t len, ot_node_kind *out);

typedef struct {
    const char *id;
    ot_node_kind kind;
    const char *region;          /* "" when not given */
    bool has_coords;
    double lat, lon;             /* degrees, when has_coords */
    double capacity;             /* volume units; INFINITY = unlimited */
} ot_node_info;

typedef struct {
    const char *id;
    const char *category;        /* "" when not given */
    double unit_cost;            /* per unit */
    double holding_cost;         /* per unit per day */
    double stockout_cost;        /* per unit of lost demand */
    int32_t case_pack;           /* >= 1 */
    double volume;               /* per unit, > 0 */
} ot_sku_info;

typedef struct {
    ot_node_ix from, to;
    int32_t lead_time_days;      /* >= 0 */
    double cost_per_unit;
    double capacity_per_day;     /* volume units; INFINITY = unlimited */
    const char *mode;            /* "" when not given */
} ot_lane_info;

typedef struct {
    const char *order_id;
    ot_node_ix from, to;
    ot_sku_ix sku;
    int64_t qty;
    ot_day arrive_day;
    bool open;                   /* false once a receipt closed it */
} ot_pipeline_info;

typedef struct {
    double service_level;        /* NAN when not set */
    int64_t min_units;           /* 0 when not set */
    int64_t max_units;           /* INT64_MAX when not set */
} ot_policy_info;

/* ---- Lifecycle ---------------------------------------------------------- */

/* A new empty twin, or NULL when out of memory. dedup_window is the number
 * of most recent distinct event ids remembered for de-duplication (0: the
 * default, OT_TWIN_DEFAULT_DEDUP_WINDOW). */
#define OT_TWIN_DEFAULT_DEDUP_WINDOW (1u << 22)
ot_twin *ot_twin_new(size_t dedup_window);
void ot_twin_free(ot_twin *twin);

/* ---- Catalog (before sealing) --------------------------------------------
 * Add returns OT_ERR_INPUT for a duplicate id (nothing added), OT_ERR_NOMEM,
 * or OT_ERR_INTERNAL after sealing. The index is written to *out_ix. */
ot_err ot_twin_add_node(ot_twin *twin, const ot_node_info *info, ot_node_ix *out_ix);
ot_err ot_twin_add_sku(ot_twin *twin, const ot_sku_info *info, ot_sku_ix *out_ix);
/* Allocates the node-SKU pairs. history_first..history_last (inclusive) is
 * the initial history window; pass first > last for none. */
ot_err ot_twin_seal_catalog(ot_twin *twin, ot_day history_first, ot_day history_last);
bool ot_twin_is_sealed(const ot_twin *twin);

/* ---- Network data (after sealing) --------------------------------------- */
ot_err ot_twin_add_lane(ot_twin *twin, const ot_lane_info *info, ot_lane_ix *out_ix);
ot_err ot_twin_set_on_hand(ot_twin *twin, ot_node_ix n, ot_sku_ix s, int64_t qty);
/* Adds an open shipment: in transit toward `to` grows by qty. */
ot_err ot_twin_add_pipeline(ot_twin *twin, const ot_pipeline_info *info);
/* Adds qty (>= 0) to the demand of (n, s) on day, growing the history window
 * to include the day; OT_ERR_LIMIT when the window would pass
 * OT_TWIN_MAX_HISTORY_DAYS (3,660 days), nothing changed. */
ot_err ot_twin_add_demand(ot_twin *twin, ot_node_ix n, ot_sku_ix s, ot_day day, int64_t qty);
ot_err ot_twin_set_policy(ot_twin *twin, ot_node_ix n, ot_sku_ix s, const ot_policy_info *policy);

/* ---- Lookups and reading ------------------------------------------------- */
ot_node_ix ot_twin_find_node(const ot_twin *twin, const char *id, size_t len);
ot_sku_ix ot_twin_find_sku(const ot_twin *twin, const char *id, size_t len);
/* The lane from -> to, or OT_NONE. */
ot_lane_ix ot_twin_find_lane(const ot_twin *twin, ot_node_ix from, ot_node_ix to);
/* Index of the pipeline line with that order_id, or -1. */
int64_t ot_twin_find_pipeline(const ot_twin *twin, const char *order_id, size_t len);

size_t ot_twin_node_count(const ot_twin *twin);
size_t ot_twin_sku_count(const ot_twin *twin);
size_t ot_twin_lane_count(const ot_twin *twin);
size_t ot_twin_pipeline_count(const ot_twin *twin);

/* The info structs point into the twin; valid until it changes or is freed. */
void ot_twin_node(const ot_twin *twin, ot_node_ix n, ot_node_info *out);
void ot_twin_sku(const ot_twin *twin, ot_sku_ix s, ot_sku_info *out);
void ot_twin_lane(const ot_twin *twin, ot_lane_ix l, ot_lane_info *out);
void ot_twin_pipeline(const ot_twin *twin, size_t i, ot_pipeline_info *out);
void ot_twin_policy(const ot_twin *twin, ot_node_ix n, ot_sku_ix s, ot_policy_info *out);

int64_t ot_twin_on_hand(const ot_twin *twin, ot_node_ix n, ot_sku_ix s);
int64_t ot_twin_in_transit(const ot_twin *twin, ot_node_ix n, ot_sku_ix s);
/* Timestamp of the latest applied count, or INT64_MIN when none. */
ot_ts ot_twin_last_count(const ot_twin *twin, ot_node_ix n, ot_sku_ix s);

/* History window: days first..first+days-1. */
ot_day ot_twin_history_first(const ot_twin *twin);
size_t ot_twin_history_days(const ot_twin *twin);
/* Demand of (n, s) on one day (0 outside the window). */
int64_t ot_twin_demand(const ot_twin *twin, ot_node_ix n, ot_sku_ix s, ot_day day);
/* Copies the whole window of (n, s) into out[0..days-1] as doubles. */
void ot_twin_demand_series(const ot_twin *twin, ot_node_ix n, ot_sku_ix s, double *out);
/* True when (n, s) has any demand in its history. */
bool ot_twin_has_demand(const ot_twin *twin, ot_node_ix n, ot_sku_ix s);

/* ---- Events (CONTRACT §3) ------------------------------------------------ */
typedef enum {
    OT_EV_SALE = 0,
    OT_EV_ONLINE_ORDER,
    OT_EV_RETURN,
    OT_EV_RECEIPT,
    OT_EV_SHIP,
    OT_EV_COUNT,
    OT_EV_ADJUST
} ot_event_type;
const char *ot_event_type_name(ot_event_type type);
bool ot_event_type_parse(const char *s, size_t len, ot_event_type *out);

typedef struct {
    const char *event_id;
    size_t event_id_len;
    ot_ts ts;
    ot_event_type type;
    ot_node_ix node;
    ot_sku_ix sku;
    int64_t qty;                 /* >= 0, except adjust (any sign) */
    const char *ref;             /* may be empty */
    size_t ref_len;
} ot_event;

typedef enum {
    OT_APPLIED = 0,     /* state changed */
    OT_DUPLICATE,       /* event_id seen before: nothing changed */
    OT_STALE            /* older than the latest count: on-hand unchanged
                           (demand still recorded for sales/online orders) */
} ot_apply_outcome;

/* Fields of one event record as text spans, in CONTRACT §3 order:
 * event_id, ts, type, node_id, sku, qty, ref. */
enum { OT_EVENT_FIELDS = 7 };
typedef struct {
    const char *ptr[OT_EVENT_FIELDS];
    size_t len[OT_EVENT_FIELDS];
} ot_event_fields;

/* Turns text fields into an event checked against the twin (known node and
 * SKU, valid timestamp, whole non-negative quantity, type allowed at that
 * node). On failure returns OT_ERR_INPUT and writes a one-line reason, with
 * what was expected, into why (why_size bytes). String spans of *out point
 * into the fields. */
ot_err ot_event_parse(const ot_twin *twin, const ot_event_fields *fields,
                      ot_event *out, char *why, size_t why_size);

/* Applies one event exactly once (CONTRACT §3, docs/FORMATS.md):
 * - a repeated event_id within the de-duplication window: OT_DUPLICATE;
 * - an event at or before the latest count of its pair: on-hand unchanged,
 *   OT_STALE (a sale still adds to demand history);
 * - a count sets on-hand to its quantity plus the changes already applied
 *   that are stamped after it (within the last 1,048,576 changes), so
 *   arrival order does not matter;
 * - on-hand may go negative (a book error the next count fixes); the plan
 *   starts from max(0, on_hand).
 * Returns OT_ERR_INPUT (nothing changed) for an event that cannot apply,
 * e.g. a ship whose ref names no destination; the reason goes to why. */
ot_err ot_twin_apply_event(ot_twin *twin, const ot_event *event,
                           ot_apply_outcome *outcome, char *why, size_t why_size);

/* True when an event with this id was applied and is still remembered
 * (within the de-duplication window). */
bool ot_twin_event_seen(const ot_twin *twin, const char *event_id, size_t len);

/* Number of events applied (OT_APPLIED or OT_STALE) since creation. */
uint64_t ot_twin_events_applied(const ot_twin *twin);

/* ---- State -------------------------------------------------------------- */

/* A 64-bit digest of the twin's whole mutable state (stock, transit, counts,
 * pipeline, history, de-duplication memory): equal digests mean equal twins
 * for tests and crash-recovery checks. */
uint64_t ot_twin_digest(const ot_twin *twin);

/* Bytes held by the twin: pairs and catalog, and the history separately. */
size_t ot_twin_memory_bytes(const ot_twin *twin);
size_t ot_twin_history_bytes(const ot_twin *twin);

/* Serialisation for checkpoints, I/O-free: the writer callback receives the
 * bytes in order and returns 0 on success. The snapshot holds the whole
 * twin (catalog included), so ot_twin_restore alone rebuilds it.
 * ot_twin_restore returns OT_ERR_INPUT for a truncated or corrupt snapshot. */
typedef int (*ot_write_fn)(void *ctx, const void *data, size_t len);
ot_err ot_twin_snapshot(const ot_twin *twin, ot_write_fn write, void *ctx);
ot_err ot_twin_restore(const void *data, size_t len, ot_twin **out);

#endif
