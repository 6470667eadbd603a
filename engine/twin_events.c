/*
 * Events (CONTRACT §3): parsing text fields into an event, and applying it
 * exactly once. Rules, also in docs/FORMATS.md:
 * - de-duplication by event_id over the last dedup_window distinct ids (a
 *   64-bit hash of the id is remembered; a collision chance of about
 *   window² / 2^65, i.e. 5e-7 for 4M ids);
 * - a pair's latest count wins: an event stamped at or before it leaves
 *   on-hand as the count set it (sales still count as demand, ships still
 *   put goods in transit, receipts still close their pipeline line);
 * - on-hand may go negative: the records say what happened, the next count
 *   corrects it, and the plan starts from max(0, on_hand).
 */
#include <string.h>

#include "text.h"
#include "twin_internal.h"

enum { EVENT_ID_MAX = 128, REF_MAX = 128 };

static const char *const event_type_names[] = {
    "sale", "online_order", "return", "receipt", "ship", "count", "adjust"};

const char *ot_event_type_name(ot_event_type type)
{
    return (unsigned)type < OT_ARRAY_LEN(event_type_names) ? event_type_names[type] : "?";
}

bool ot_event_type_parse(const char *s, size_t len, ot_event_type *out)
{
    for (size_t k = 0; k < OT_ARRAY_LEN(event_type_names); k++)
        if (strlen(event_type_names[k]) == len && memcmp(event_type_names[k], s, len) == 0) {
            *out = (ot_event_type)k;
            return true;
        }
    return false;
}

ot_err ot_event_parse(const ot_twin *t, const ot_event_fields *f, ot_event *out,
                      char *why, size_t why_size)
{
    char quoted[72];
#define FIELD(i) f->ptr[i], f->len[i]
#define QUOTE(i) (ot_text_quote(quoted, sizeof quoted, FIELD(i)), quoted)
#define FAIL(...) do { ot_text_format(why, why_size, __VA_ARGS__); return OT_ERR_INPUT; } while (0)
    memset(out, 0, sizeof *out);
    if (f->len[0] == 0)
        FAIL("event_id is empty (expected a unique id)");
    if (f->len[0] > EVENT_ID_MAX)
        FAIL("event_id is %zu bytes long (expected at most %d)", f->len[0], EVENT_ID_MAX);
    out->event_id = f->ptr[0];
    out->event_id_len = f->len[0];
    if (!ot_ts_parse(FIELD(1), &out->ts))
        FAIL("ts '%s' is not a timestamp (expected ISO-8601 UTC like 2025-01-31T09:30:00Z)",
             QUOTE(1));
    if (!ot_event_type_parse(FIELD(2), &out->type))
        FAIL("type '%s' is unknown (expected sale, online_order, return, receipt, ship, "
             "count or adjust)", QUOTE(2));
    out->node = ot_twin_find_node(t, FIELD(3));
    if (out->node < 0)
        FAIL("node_id '%s' is not in nodes.csv", QUOTE(3));
    out->sku = ot_twin_find_sku(t, FIELD(4));
    if (out->sku < 0)
        FAIL("sku '%s' is not in skus.csv", QUOTE(4));
    if (!ot_parse_int64(FIELD(5), &out->qty))
        FAIL("qty '%s' is not a whole number (expected units, e.g. 3)", QUOTE(5));
    if (out->qty < 0 && out->type != OT_EV_ADJUST)
        FAIL("qty '%s' is negative (expected >= 0; only adjust takes a sign)", QUOTE(5));
    if (f->len[6] > REF_MAX)
        FAIL("ref is %zu bytes long (expected at most %d)", f->len[6], REF_MAX);
    out->ref = f->ptr[6];
    out->ref_len = f->len[6];
    if (out->type == OT_EV_SALE && t->nodes[out->node].kind != OT_NODE_STORE)
        FAIL("sale at %s '%s' (expected a store node)",
             ot_node_kind_name(t->nodes[out->node].kind), QUOTE(3));
    if (out->type == OT_EV_SHIP && ot_twin_find_node(t, FIELD(6)) < 0)
        FAIL("ship ref '%s' names no node (expected the destination node_id)", QUOTE(6));
    if (out->type == OT_EV_SHIP && ot_twin_find_node(t, FIELD(6)) == out->node)
        FAIL("ship from '%s' to itself (expected another destination node)", QUOTE(3));
    return OT_OK;
#undef FIELD
#undef QUOTE
#undef FAIL
}

/* ---- De-duplication ------------------------------------------------------ */

static uint64_t set_key(uint64_t h) { return h ? h : 1; }

static size_t set_home(const ot_twin *t, uint64_t key)
{
    return (size_t)(key >> 7) & (t->dedup_set_cap - 1);
}

bool twin_dedup_contains(const ot_twin *t, uint64_t h)
{
    if (!t->dedup_set_cap)
        return false;
    uint64_t key = set_key(h);
    size_t mask = t->dedup_set_cap - 1;
    for (size_t i = set_home(t, key); t->dedup_set[i]; i = (i + 1) & mask)
        if (t->dedup_set[i] == key)
            return true;
    return false;
}

static void set_insert(ot_twin *t, uint64_t key)
{
    size_t mask = t->dedup_set_cap - 1;
    size_t i = set_home(t, key);
    while (t->dedup_set[i])
        i = (i + 1) & mask;
    t->dedup_set[i] = key;
}

/* Removes key from the set (backward-shift deletion keeps probes short). */
static void set_remove(ot_twin *t, uint64_t key)
{
    size_t mask = t->dedup_set_cap - 1;
    size_t i = set_home(t, key);
    while (t->dedup_set[i] != key)
        i = (i + 1) & mask;
    for (size_t j = (i + 1) & mask; t->dedup_set[j]; j = (j + 1) & mask) {
        size_t home = set_home(t, t->dedup_set[j]);
        /* move j back to i when its home does not lie in (i, j] cyclically */
        bool between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!between) {
            t->dedup_set[i] = t->dedup_set[j];
            i = j;
        }
    }
    t->dedup_set[i] = 0;
}

/* Grows ring and set (ring doubling up to the window) keeping the order of
 * the remembered ids. */
static ot_err dedup_grow(ot_twin *t)
{
    size_t ring_cap = t->dedup_ring_cap ? t->dedup_ring_cap * 2 : 1024;
    if (ring_cap > t->dedup_window)
        ring_cap = t->dedup_window;
    size_t set_cap = 1;
    while (set_cap < ring_cap * 2)
        set_cap <<= 1;
    uint64_t *ring = ot_malloc(ring_cap * sizeof *ring);
    uint64_t *set = ot_calloc(set_cap, sizeof *set);
    if (!ring || !set) {
        ot_free(ring);
        ot_free(set);
        return OT_ERR_NOMEM;
    }
    /* oldest first: the ring is full or has never wrapped */
    size_t start = t->dedup_count == t->dedup_ring_cap ? t->dedup_head : 0;
    for (size_t k = 0; k < t->dedup_count; k++)
        ring[k] = t->dedup_ring[(start + k) % t->dedup_ring_cap];
    ot_free(t->dedup_ring);
    ot_free(t->dedup_set);
    t->dedup_ring = ring;
    t->dedup_set = set;
    t->dedup_ring_cap = ring_cap;
    t->dedup_set_cap = set_cap;
    t->dedup_head = t->dedup_count % ring_cap;
    for (size_t k = 0; k < t->dedup_count; k++)
        set_insert(t, set_key(ring[k]));
    return OT_OK;
}

ot_err twin_dedup_add(ot_twin *t, uint64_t h)
{
    if (t->dedup_count == t->dedup_ring_cap && t->dedup_ring_cap < t->dedup_window) {
        ot_err err = dedup_grow(t);
        if (err)
            return err;
    }
    size_t pos = t->dedup_head;
    if (t->dedup_count == t->dedup_ring_cap)
        set_remove(t, set_key(t->dedup_ring[pos])); /* forget the oldest id */
    else
        t->dedup_count++;
    t->dedup_ring[pos] = h;
    set_insert(t, set_key(h));
    t->dedup_head = (t->dedup_head + 1) % t->dedup_ring_cap;
    return OT_OK;
}

void twin_dedup_release(ot_twin *t)
{
    ot_free(t->dedup_ring);
    ot_free(t->dedup_set);
    t->dedup_ring = NULL;
    t->dedup_set = NULL;
    t->dedup_ring_cap = t->dedup_set_cap = t->dedup_count = t->dedup_head = 0;
    ot_free(t->changes);
    t->changes = NULL;
    t->change_cap = 0;
    t->change_seq = 0;
}

/* ---- Changes of on-hand, for late counts --------------------------------- */

/* A change is still in the ring when fewer than change_cap came after it. */
static bool change_alive(const ot_twin *t, int64_t seq)
{
    return seq >= 0 && (uint64_t)seq < t->change_seq &&
           t->change_seq - (uint64_t)seq <= t->change_cap;
}

/* Makes room for one more change before anything is applied. */
ot_err twin_change_reserve(ot_twin *t)
{
    if (t->change_seq == t->change_cap && t->change_cap < t->change_window) {
        /* not wrapped yet: positions equal seqs and survive a realloc */
        size_t cap = t->change_cap ? t->change_cap * 2 : 1024;
        if (cap > t->change_window)
            cap = t->change_window;
        twin_change *grown = ot_reallocarray(t->changes, cap, sizeof *grown);
        if (!grown)
            return OT_ERR_NOMEM;
        t->changes = grown;
        t->change_cap = cap;
    }
    return OT_OK;
}

void twin_change_log(ot_twin *t, size_t pair, ot_ts ts, int64_t delta)
{
    OT_ASSERT(t->change_cap > 0 && (t->change_seq < t->change_cap || t->change_cap == t->change_window));
    uint64_t seq = t->change_seq++;
    t->changes[seq % t->change_cap] = (twin_change){pair, ts, delta, t->last_change[pair]};
    t->last_change[pair] = (int64_t)seq;
}

/* The sum of the logged changes of pair stamped after ts. */
static int64_t changes_after(const ot_twin *t, size_t pair, ot_ts ts)
{
    int64_t sum = 0;
    for (int64_t seq = t->last_change[pair]; change_alive(t, seq);) {
        const twin_change *c = &t->changes[(uint64_t)seq % t->change_cap];
        if (c->pair != pair)
            break;
        if (c->ts > ts)
            sum += c->delta;
        seq = c->prev;
    }
    return sum;
}

uint64_t ot_twin_events_applied(const ot_twin *t) { return t->events_applied; }

static uint64_t id_hash(const char *id, size_t len) { return ot_hash_bytes(id, len, 0xe7); }

bool ot_twin_event_seen(const ot_twin *t, const char *event_id, size_t len)
{
    return twin_dedup_contains(t, id_hash(event_id, len));
}

/* ---- Applying ------------------------------------------------------------ */

ot_err ot_twin_apply_event(ot_twin *t, const ot_event *e, ot_apply_outcome *outcome,
                           char *why, size_t why_size)
{
    OT_ASSERT(twin_valid_pair(t, e->node, e->sku));
    uint64_t h = id_hash(e->event_id, e->event_id_len);
    if (twin_dedup_contains(t, h)) {
        *outcome = OT_DUPLICATE;
        return OT_OK;
    }
    size_t p = twin_pair(t, e->node, e->sku);
    bool stale = e->ts <= t->last_count[p];
    int64_t *on_hand = &t->on_hand[p];

    /* Everything that can fail is checked or reserved before any change. */
    ot_node_ix dest = OT_NONE;
    int64_t line = -1;
    if (e->type == OT_EV_SHIP) {
        dest = ot_twin_find_node(t, e->ref, e->ref_len);
        if (dest < 0 || dest == e->node) {
            ot_text_format(why, why_size, "ship ref names no other node (expected the destination node_id)");
            return OT_ERR_INPUT;
        }
        char id[160];
        ot_text_format(id, sizeof id, "%.*s", (int)e->event_id_len, e->event_id);
        if (ot_twin_find_pipeline(t, id, strlen(id)) >= 0) {
            ot_text_format(why, why_size, "ship event_id '%s' is already a pipeline order_id", id);
            return OT_ERR_INPUT;
        }
    }
    if (e->type == OT_EV_RECEIPT && e->ref_len)
        line = ot_twin_find_pipeline(t, e->ref, e->ref_len);
    if ((e->type == OT_EV_SALE || e->type == OT_EV_ONLINE_ORDER) && e->qty > 0) {
        ot_day day = ot_ts_day(e->ts);
        if (!t->hist_days || day < t->hist_first || day >= t->hist_first + (ot_day)t->hist_days) {
            ot_err err = twin_history_cover(t, day, day);
            if (err) {
                ot_text_format(why, why_size, "cannot extend the demand history to this day (%s)",
                               ot_err_str(err));
                return err;
            }
        }
    }
    ot_err err = twin_change_reserve(t);
    if (!err)
        err = twin_dedup_add(t, h);
    if (err)
        return err;
    int64_t before = *on_hand;

    switch (e->type) {
    case OT_EV_SALE:
    case OT_EV_ONLINE_ORDER:
        err = ot_twin_add_demand(t, e->node, e->sku, ot_ts_day(e->ts), e->qty);
        OT_ASSERT(err == OT_OK || err == OT_ERR_NOMEM);
        if (!stale)
            *on_hand -= e->qty;
        break;
    case OT_EV_RETURN:
        if (!stale)
            *on_hand += e->qty;
        break;
    case OT_EV_RECEIPT:
        if (!stale)
            *on_hand += e->qty;
        if (line >= 0 && t->pipeline[line].open) {
            twin_pipeline *pl = &t->pipeline[line];
            pl->open = false;
            t->in_transit[twin_pair(t, pl->to, pl->sku)] -= pl->qty;
        }
        break;
    case OT_EV_SHIP: {
        if (!stale)
            *on_hand -= e->qty;
        ot_lane_ix lane = ot_twin_find_lane(t, e->node, dest);
        char id[160];
        ot_text_format(id, sizeof id, "%.*s", (int)e->event_id_len, e->event_id);
        ot_pipeline_info info = {id, e->node, dest, e->sku, e->qty,
                                 ot_ts_day(e->ts) + (lane >= 0 ? t->lanes[lane].lead_time_days : 0),
                                 true};
        err = twin_pipeline_append(t, &info);
        OT_ASSERT(err == OT_OK || err == OT_ERR_NOMEM);
        break;
    }
    case OT_EV_COUNT:
        if (!stale) {
            /* events stamped after the count may have been applied before
             * it arrived: they still count on top of it */
            *on_hand = e->qty + changes_after(t, p, e->ts);
            t->last_count[p] = e->ts;
        }
        break;
    case OT_EV_ADJUST:
        if (!stale)
            *on_hand += e->qty;
        break;
    }
    if (!err && e->type != OT_EV_COUNT && *on_hand != before)
        twin_change_log(t, p, e->ts, *on_hand - before);
    if (err)
        return err;
    t->events_applied++;
    *outcome = stale ? OT_STALE : OT_APPLIED;
    return OT_OK;
}
