/*
 * The twin's representation, shared by the engine files that implement
 * include/omnitwin/twin.h (twin.c, twin_history.c, twin_events.c,
 * twin_snapshot.c). Nothing outside engine/twin*.c includes this.
 */
#ifndef OMNITWIN_TWIN_INTERNAL_H
#define OMNITWIN_TWIN_INTERNAL_H

#include "omnitwin/twin.h"
#include "strmap.h"

typedef struct {
    const char *id, *region;
    ot_node_kind kind;
    bool has_coords;
    double lat, lon, capacity;
} twin_node;

typedef struct {
    const char *id, *category;
    double unit_cost, holding_cost, stockout_cost, volume;
    int32_t case_pack;
} twin_sku;

typedef struct {
    ot_node_ix from, to;
    int32_t lead_time_days;
    double cost_per_unit, capacity_per_day;
    const char *mode;
} twin_lane;

typedef struct {
    const char *order_id;
    ot_node_ix from, to;
    ot_sku_ix sku;
    int64_t qty;
    ot_day arrive_day;
    bool open;
} twin_pipeline;

/* One logged change of on-hand. */
typedef struct {
    uint64_t pair;
    ot_ts ts;
    int64_t delta;
    int64_t prev;                 /* seq of the pair's previous change, -1 none */
} twin_change;

/* History: pages of OT_HIST_PAGE_DAYS days, each holding every pair's
 * counts for those days (pair-major within the page) as one byte a day; a
 * count of OT_HIST_ESCAPE or more is kept in the overflow table under key
 * ((pair + 1) << 32 | (uint32_t)day). Pages are aligned to absolute days
 * (page = floor(day / OT_HIST_PAGE_DAYS)), so the window grows at either end
 * by adding pages, never by moving the existing ones. */
#define OT_HIST_PAGE_DAYS 8
#define OT_HIST_ESCAPE 0xFFu
#define OT_TWIN_MAX_HISTORY_DAYS 3660

typedef struct {
    uint64_t key;     /* 0: empty */
    int64_t qty;
} hist_overflow_slot;

struct ot_twin {
    /* catalog */
    twin_node *nodes;
    size_t node_count, node_cap;
    twin_sku *skus;
    size_t sku_count, sku_cap;
    ot_strmap node_ids, sku_ids;
    ot_arena *strings;
    bool sealed;

    /* lanes: lookup by (from, to) through lane_index */
    twin_lane *lanes;
    size_t lane_count, lane_cap;
    uint64_t *lane_keys;          /* open addressing on (from+1) << 32 | to; 0 empty */
    int32_t *lane_slots;          /* the lane index at the same slot */
    size_t lane_index_cap;

    /* pairs, index n * sku_count + s */
    size_t pair_count;
    int64_t *on_hand;
    int64_t *in_transit;
    ot_ts *last_count;
    float *service_level;         /* NAN: not set */
    int32_t *min_units;
    int32_t *max_units;           /* INT32_MAX: not set */

    /* pipeline */
    twin_pipeline *pipeline;
    size_t pipeline_count, pipeline_cap;
    ot_strmap pipeline_ids;

    /* history: the window hist_first .. hist_first + hist_days - 1 lies in
     * pages page_first .. page_first + page_count - 1 */
    uint8_t **pages;
    int32_t page_first;
    size_t page_count;
    ot_day hist_first;
    size_t hist_days;
    hist_overflow_slot *overflow;
    size_t overflow_count, overflow_cap;

    /* event de-duplication: the last dedup_window event-id hashes in a ring
     * (oldest first from dedup_head once full), and the same hashes in an
     * open-addressing set for one-probe lookups (0 is stored as 1) */
    size_t dedup_window;
    uint64_t *dedup_ring;
    size_t dedup_ring_cap;        /* grows up to dedup_window */
    size_t dedup_head;            /* next slot to write */
    size_t dedup_count;
    uint64_t *dedup_set;          /* 0 empty */
    size_t dedup_set_cap;
    /* recent on-hand changes, so that a count arriving after events stamped
     * later than it keeps their effect (twin_events.c) */
    int64_t *last_change;         /* per pair: seq of its latest change, -1 none */
    twin_change *changes;         /* ring indexed by seq % change_cap */
    size_t change_cap;            /* grows up to change_window */
    size_t change_window;
    uint64_t change_seq;          /* changes logged so far */
    uint64_t events_applied;
};

static inline size_t twin_pair(const ot_twin *t, ot_node_ix n, ot_sku_ix s)
{
    return (size_t)n * t->sku_count + (size_t)s;
}

static inline bool twin_valid_pair(const ot_twin *t, ot_node_ix n, ot_sku_ix s)
{
    return t->sealed && n >= 0 && (size_t)n < t->node_count && s >= 0 &&
           (size_t)s < t->sku_count;
}

/* twin_history.c */
ot_err twin_history_cover(ot_twin *t, ot_day first, ot_day last);
void twin_history_release(ot_twin *t);
ot_err twin_overflow_put(ot_twin *t, uint64_t key, int64_t qty);
static inline size_t twin_page_bytes(const ot_twin *t) { return t->pair_count * OT_HIST_PAGE_DAYS; }
int64_t twin_overflow_get(const ot_twin *t, uint64_t key);

/* twin_events.c */
bool twin_dedup_contains(const ot_twin *t, uint64_t id_hash);
ot_err twin_dedup_add(ot_twin *t, uint64_t id_hash);
void twin_dedup_release(ot_twin *t);
ot_err twin_change_reserve(ot_twin *t);
void twin_change_log(ot_twin *t, size_t pair, ot_ts ts, int64_t delta);
#define OT_TWIN_CHANGE_WINDOW (1u << 20)

/* twin.c */
ot_err twin_pipeline_append(ot_twin *t, const ot_pipeline_info *info);

#endif
