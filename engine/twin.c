/* The twin: catalog, pairs, lanes, pipeline and readers (include/omnitwin/twin.h). */
#include <math.h>
#include <string.h>

#include "twin_internal.h"

static const char *const node_kind_names[] = {"supplier", "dc", "store"};

const char *ot_node_kind_name(ot_node_kind kind)
{
    return (unsigned)kind < OT_ARRAY_LEN(node_kind_names) ? node_kind_names[kind] : "?";
}

bool ot_node_kind_parse(const char *s, size_t len, ot_node_kind *out)
{
    for (size_t k = 0; k < OT_ARRAY_LEN(node_kind_names); k++)
        if (strlen(node_kind_names[k]) == len && memcmp(node_kind_names[k], s, len) == 0) {
            *out = (ot_node_kind)k;
            return true;
        }
    return false;
}

ot_twin *ot_twin_new(size_t dedup_window)
{
    ot_twin *t = ot_calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->strings = ot_arena_new(64 * 1024);
    if (!t->strings) {
        ot_free(t);
        return NULL;
    }
    ot_strmap_init(&t->node_ids);
    ot_strmap_init(&t->sku_ids);
    ot_strmap_init(&t->pipeline_ids);
    t->dedup_window = dedup_window ? dedup_window : OT_TWIN_DEFAULT_DEDUP_WINDOW;
    t->change_window = OT_TWIN_CHANGE_WINDOW;
    return t;
}

void ot_twin_free(ot_twin *t)
{
    if (!t)
        return;
    ot_free(t->nodes);
    ot_free(t->skus);
    ot_strmap_release(&t->node_ids);
    ot_strmap_release(&t->sku_ids);
    ot_strmap_release(&t->pipeline_ids);
    ot_arena_free(t->strings);
    ot_free(t->lanes);
    ot_free(t->lane_keys);
    ot_free(t->lane_slots);
    ot_free(t->on_hand);
    ot_free(t->in_transit);
    ot_free(t->last_count);
    ot_free(t->service_level);
    ot_free(t->min_units);
    ot_free(t->max_units);
    ot_free(t->last_change);
    ot_free(t->pipeline);
    twin_history_release(t);
    twin_dedup_release(t);
    ot_free(t);
}

/* Grows *items (of *cap elements of size) to hold one more. */
static ot_err grow(void **items, size_t *cap, size_t count, size_t size)
{
    if (count < *cap)
        return OT_OK;
    size_t new_cap = *cap ? *cap * 2 : 16;
    void *grown = ot_reallocarray(*items, new_cap, size);
    if (!grown)
        return OT_ERR_NOMEM;
    *items = grown;
    *cap = new_cap;
    return OT_OK;
}

static const char *keep(ot_twin *t, const char *s)
{
    return ot_arena_strndup(t->strings, s ? s : "", s ? strlen(s) : 0);
}

ot_err ot_twin_add_node(ot_twin *t, const ot_node_info *info, ot_node_ix *out_ix)
{
    if (t->sealed)
        return OT_ERR_INTERNAL;
    size_t len = strlen(info->id);
    if (ot_strmap_get(&t->node_ids, info->id, len) >= 0)
        return OT_ERR_INPUT;
    if (t->node_count >= INT32_MAX - 1 ||
        grow((void **)&t->nodes, &t->node_cap, t->node_count, sizeof *t->nodes))
        return OT_ERR_NOMEM;
    twin_node *n = &t->nodes[t->node_count];
    n->id = keep(t, info->id);
    n->region = keep(t, info->region);
    if (!n->id || !n->region)
        return OT_ERR_NOMEM;
    n->kind = info->kind;
    n->has_coords = info->has_coords;
    n->lat = info->lat;
    n->lon = info->lon;
    n->capacity = info->capacity;
    if (ot_strmap_put(&t->node_ids, n->id, len, (int32_t)t->node_count))
        return OT_ERR_NOMEM;
    if (out_ix)
        *out_ix = (ot_node_ix)t->node_count;
    t->node_count++;
    return OT_OK;
}

ot_err ot_twin_add_sku(ot_twin *t, const ot_sku_info *info, ot_sku_ix *out_ix)
{
    if (t->sealed)
        return OT_ERR_INTERNAL;
    size_t len = strlen(info->id);
    if (ot_strmap_get(&t->sku_ids, info->id, len) >= 0)
        return OT_ERR_INPUT;
    if (t->sku_count >= INT32_MAX - 1 ||
        grow((void **)&t->skus, &t->sku_cap, t->sku_count, sizeof *t->skus))
        return OT_ERR_NOMEM;
    twin_sku *s = &t->skus[t->sku_count];
    s->id = keep(t, info->id);
    s->category = keep(t, info->category);
    if (!s->id || !s->category)
        return OT_ERR_NOMEM;
    s->unit_cost = info->unit_cost;
    s->holding_cost = info->holding_cost;
    s->stockout_cost = info->stockout_cost;
    s->case_pack = info->case_pack >= 1 ? info->case_pack : 1;
    s->volume = info->volume > 0 ? info->volume : 1.0;
    if (ot_strmap_put(&t->sku_ids, s->id, len, (int32_t)t->sku_count))
        return OT_ERR_NOMEM;
    if (out_ix)
        *out_ix = (ot_sku_ix)t->sku_count;
    t->sku_count++;
    return OT_OK;
}

ot_err ot_twin_seal_catalog(ot_twin *t, ot_day history_first, ot_day history_last)
{
    if (t->sealed)
        return OT_ERR_INTERNAL;
    if (t->sku_count && t->node_count > SIZE_MAX / 64 / t->sku_count)
        return OT_ERR_LIMIT;
    size_t pairs = t->node_count * t->sku_count;
    t->pair_count = pairs;
    t->on_hand = ot_calloc(pairs, sizeof *t->on_hand);
    t->in_transit = ot_calloc(pairs, sizeof *t->in_transit);
    t->last_count = ot_malloc(pairs * sizeof *t->last_count);
    t->service_level = ot_malloc(pairs * sizeof *t->service_level);
    t->min_units = ot_calloc(pairs, sizeof *t->min_units);
    t->max_units = ot_malloc(pairs * sizeof *t->max_units);
    t->last_change = ot_malloc(pairs * sizeof *t->last_change);
    if (!t->on_hand || !t->in_transit || !t->last_count || !t->service_level ||
        !t->min_units || !t->max_units || !t->last_change)
        return OT_ERR_NOMEM;
    for (size_t p = 0; p < pairs; p++) {
        t->last_count[p] = INT64_MIN;
        t->service_level[p] = NAN;
        t->max_units[p] = INT32_MAX;
        t->last_change[p] = -1;
    }
    t->sealed = true;
    if (history_first <= history_last)
        return twin_history_cover(t, history_first, history_last);
    return OT_OK;
}

bool ot_twin_is_sealed(const ot_twin *t) { return t->sealed; }

/* ---- Lanes --------------------------------------------------------------- */

static uint64_t lane_key(ot_node_ix from, ot_node_ix to)
{
    return ((uint64_t)(uint32_t)(from + 1) << 32) | (uint32_t)to;
}

static size_t lane_slot(const ot_twin *t, uint64_t key)
{
    size_t mask = t->lane_index_cap - 1;
    size_t i = (size_t)(key * 0x9e3779b97f4a7c15ull >> 17) & mask;
    while (t->lane_keys[i] && t->lane_keys[i] != key)
        i = (i + 1) & mask;
    return i;
}

static ot_err lane_index_grow(ot_twin *t)
{
    if ((t->lane_count + 1) * 2 <= t->lane_index_cap)
        return OT_OK;
    size_t cap = t->lane_index_cap ? t->lane_index_cap * 2 : 64;
    uint64_t *keys = ot_calloc(cap, sizeof *keys);
    int32_t *slots = ot_calloc(cap, sizeof *slots);
    if (!keys || !slots) {
        ot_free(keys);
        ot_free(slots);
        return OT_ERR_NOMEM;
    }
    uint64_t *old_keys = t->lane_keys;
    int32_t *old_slots = t->lane_slots;
    size_t old_cap = t->lane_index_cap;
    t->lane_keys = keys;
    t->lane_slots = slots;
    t->lane_index_cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old_keys[i]) {
            size_t j = lane_slot(t, old_keys[i]);
            keys[j] = old_keys[i];
            slots[j] = old_slots[i];
        }
    ot_free(old_keys);
    ot_free(old_slots);
    return OT_OK;
}

ot_lane_ix ot_twin_find_lane(const ot_twin *t, ot_node_ix from, ot_node_ix to)
{
    if (!t->lane_index_cap)
        return OT_NONE;
    size_t i = lane_slot(t, lane_key(from, to));
    return t->lane_keys[i] ? t->lane_slots[i] : OT_NONE;
}

ot_err ot_twin_add_lane(ot_twin *t, const ot_lane_info *info, ot_lane_ix *out_ix)
{
    if (!t->sealed)
        return OT_ERR_INTERNAL;
    if (info->from < 0 || (size_t)info->from >= t->node_count || info->to < 0 ||
        (size_t)info->to >= t->node_count || info->from == info->to ||
        info->lead_time_days < 0 || ot_twin_find_lane(t, info->from, info->to) != OT_NONE)
        return OT_ERR_INPUT;
    if (lane_index_grow(t) ||
        grow((void **)&t->lanes, &t->lane_cap, t->lane_count, sizeof *t->lanes))
        return OT_ERR_NOMEM;
    twin_lane *l = &t->lanes[t->lane_count];
    l->from = info->from;
    l->to = info->to;
    l->lead_time_days = info->lead_time_days;
    l->cost_per_unit = info->cost_per_unit;
    l->capacity_per_day = info->capacity_per_day;
    l->mode = keep(t, info->mode);
    if (!l->mode)
        return OT_ERR_NOMEM;
    size_t slot = lane_slot(t, lane_key(info->from, info->to));
    t->lane_keys[slot] = lane_key(info->from, info->to);
    t->lane_slots[slot] = (int32_t)t->lane_count;
    if (out_ix)
        *out_ix = (ot_lane_ix)t->lane_count;
    t->lane_count++;
    return OT_OK;
}

/* ---- Stock, pipeline, policy --------------------------------------------- */

ot_err ot_twin_set_on_hand(ot_twin *t, ot_node_ix n, ot_sku_ix s, int64_t qty)
{
    if (!twin_valid_pair(t, n, s))
        return OT_ERR_INPUT;
    t->on_hand[twin_pair(t, n, s)] = qty;
    return OT_OK;
}

ot_err twin_pipeline_append(ot_twin *t, const ot_pipeline_info *info)
{
    size_t len = strlen(info->order_id);
    if (ot_strmap_get(&t->pipeline_ids, info->order_id, len) >= 0)
        return OT_ERR_INPUT;
    if (t->pipeline_count >= INT32_MAX - 1 ||
        grow((void **)&t->pipeline, &t->pipeline_cap, t->pipeline_count, sizeof *t->pipeline))
        return OT_ERR_NOMEM;
    twin_pipeline *p = &t->pipeline[t->pipeline_count];
    p->order_id = ot_arena_strndup(t->strings, info->order_id, len);
    if (!p->order_id)
        return OT_ERR_NOMEM;
    p->from = info->from;
    p->to = info->to;
    p->sku = info->sku;
    p->qty = info->qty;
    p->arrive_day = info->arrive_day;
    p->open = info->open;
    if (ot_strmap_put(&t->pipeline_ids, p->order_id, len, (int32_t)t->pipeline_count))
        return OT_ERR_NOMEM;
    t->pipeline_count++;
    if (p->open)
        t->in_transit[twin_pair(t, p->to, p->sku)] += p->qty;
    return OT_OK;
}

ot_err ot_twin_add_pipeline(ot_twin *t, const ot_pipeline_info *info)
{
    if (!twin_valid_pair(t, info->to, info->sku) || info->from < 0 ||
        (size_t)info->from >= t->node_count || info->qty < 0)
        return OT_ERR_INPUT;
    return twin_pipeline_append(t, info);
}

ot_err ot_twin_set_policy(ot_twin *t, ot_node_ix n, ot_sku_ix s, const ot_policy_info *policy)
{
    if (!twin_valid_pair(t, n, s) || policy->min_units < 0 || policy->min_units >= INT32_MAX ||
        policy->max_units < policy->min_units)
        return OT_ERR_INPUT;
    size_t p = twin_pair(t, n, s);
    t->service_level[p] = (float)policy->service_level;
    t->min_units[p] = (int32_t)policy->min_units;
    t->max_units[p] = policy->max_units >= INT32_MAX ? INT32_MAX : (int32_t)policy->max_units;
    return OT_OK;
}

/* ---- Readers ------------------------------------------------------------- */

ot_node_ix ot_twin_find_node(const ot_twin *t, const char *id, size_t len)
{
    return ot_strmap_get(&t->node_ids, id, len);
}

ot_sku_ix ot_twin_find_sku(const ot_twin *t, const char *id, size_t len)
{
    return ot_strmap_get(&t->sku_ids, id, len);
}

int64_t ot_twin_find_pipeline(const ot_twin *t, const char *order_id, size_t len)
{
    return ot_strmap_get(&t->pipeline_ids, order_id, len);
}

size_t ot_twin_node_count(const ot_twin *t) { return t->node_count; }
size_t ot_twin_sku_count(const ot_twin *t) { return t->sku_count; }
size_t ot_twin_lane_count(const ot_twin *t) { return t->lane_count; }
size_t ot_twin_pipeline_count(const ot_twin *t) { return t->pipeline_count; }

void ot_twin_node(const ot_twin *t, ot_node_ix n, ot_node_info *out)
{
    OT_ASSERT(n >= 0 && (size_t)n < t->node_count);
    const twin_node *x = &t->nodes[n];
    *out = (ot_node_info){x->id, x->kind, x->region, x->has_coords, x->lat, x->lon, x->capacity};
}

void ot_twin_sku(const ot_twin *t, ot_sku_ix s, ot_sku_info *out)
{
    OT_ASSERT(s >= 0 && (size_t)s < t->sku_count);
    const twin_sku *x = &t->skus[s];
    *out = (ot_sku_info){x->id, x->category, x->unit_cost, x->holding_cost,
                         x->stockout_cost, x->case_pack, x->volume};
}

void ot_twin_lane(const ot_twin *t, ot_lane_ix l, ot_lane_info *out)
{
    OT_ASSERT(l >= 0 && (size_t)l < t->lane_count);
    const twin_lane *x = &t->lanes[l];
    *out = (ot_lane_info){x->from, x->to, x->lead_time_days, x->cost_per_unit,
                          x->capacity_per_day, x->mode};
}

void ot_twin_pipeline(const ot_twin *t, size_t i, ot_pipeline_info *out)
{
    OT_ASSERT(i < t->pipeline_count);
    const twin_pipeline *x = &t->pipeline[i];
    *out = (ot_pipeline_info){x->order_id, x->from, x->to, x->sku, x->qty, x->arrive_day, x->open};
}

void ot_twin_policy(const ot_twin *t, ot_node_ix n, ot_sku_ix s, ot_policy_info *out)
{
    OT_ASSERT(twin_valid_pair(t, n, s));
    size_t p = twin_pair(t, n, s);
    out->service_level = t->service_level[p];
    out->min_units = t->min_units[p];
    out->max_units = t->max_units[p] == INT32_MAX ? INT64_MAX : t->max_units[p];
}

int64_t ot_twin_on_hand(const ot_twin *t, ot_node_ix n, ot_sku_ix s)
{
    OT_ASSERT(twin_valid_pair(t, n, s));
    return t->on_hand[twin_pair(t, n, s)];
}

int64_t ot_twin_in_transit(const ot_twin *t, ot_node_ix n, ot_sku_ix s)
{
    OT_ASSERT(twin_valid_pair(t, n, s));
    return t->in_transit[twin_pair(t, n, s)];
}

ot_ts ot_twin_last_count(const ot_twin *t, ot_node_ix n, ot_sku_ix s)
{
    OT_ASSERT(twin_valid_pair(t, n, s));
    return t->last_count[twin_pair(t, n, s)];
}

size_t ot_twin_memory_bytes(const ot_twin *t)
{
    size_t per_pair = sizeof *t->on_hand + sizeof *t->in_transit + sizeof *t->last_count +
                      sizeof *t->service_level + sizeof *t->min_units + sizeof *t->max_units +
                      sizeof *t->last_change;
    return t->pair_count * per_pair + t->node_cap * sizeof *t->nodes +
           t->sku_cap * sizeof *t->skus + t->lane_cap * sizeof *t->lanes +
           t->lane_index_cap * (sizeof *t->lane_keys + sizeof *t->lane_slots) +
           t->pipeline_cap * sizeof *t->pipeline +
           (t->node_ids.cap + t->sku_ids.cap + t->pipeline_ids.cap) * sizeof(ot_strmap_slot) +
           ot_arena_bytes(t->strings) + t->dedup_ring_cap * sizeof *t->dedup_ring +
           t->dedup_set_cap * sizeof *t->dedup_set + t->change_cap * sizeof *t->changes;
}
