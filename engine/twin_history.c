/*
 * Daily demand history: a pair-major matrix of uint16 day counts, hist_cap
 * days a row (slack so that new days rarely move memory), with counts of
 * 65,535 or more kept in an overflow hash keyed by pair and absolute day.
 * 2 bytes a day a pair plus slack; docs/ARCHITECTURE.md.
 */
#include <string.h>

#include "twin_internal.h"

static uint64_t hist_key(size_t pair, ot_day day)
{
    /* +1 keeps key 0 free to mean "empty slot" */
    return ((uint64_t)(pair + 1) << 32) | (uint32_t)day;
}

static size_t overflow_slot(const ot_twin *t, uint64_t key)
{
    size_t mask = t->overflow_cap - 1;
    size_t i = (size_t)(key * 0x9e3779b97f4a7c15ull >> 20) & mask;
    while (t->overflow[i].key && t->overflow[i].key != key)
        i = (i + 1) & mask;
    return i;
}

int64_t twin_overflow_get(const ot_twin *t, uint64_t key)
{
    if (!t->overflow_cap)
        return 0;
    const hist_overflow_slot *s = &t->overflow[overflow_slot(t, key)];
    return s->key ? s->qty : 0;
}

ot_err twin_overflow_put(ot_twin *t, uint64_t key, int64_t qty)
{
    if ((t->overflow_count + 1) * 2 > t->overflow_cap) {
        size_t cap = t->overflow_cap ? t->overflow_cap * 2 : 64;
        hist_overflow_slot *grown = ot_calloc(cap, sizeof *grown);
        if (!grown)
            return OT_ERR_NOMEM;
        hist_overflow_slot *old = t->overflow;
        size_t old_cap = t->overflow_cap;
        t->overflow = grown;
        t->overflow_cap = cap;
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].key)
                t->overflow[overflow_slot(t, old[i].key)] = old[i];
        ot_free(old);
    }
    hist_overflow_slot *s = &t->overflow[overflow_slot(t, key)];
    if (!s->key) {
        s->key = key;
        t->overflow_count++;
    }
    s->qty = qty;
    return OT_OK;
}

void twin_history_release(ot_twin *t)
{
    ot_free(t->hist);
    ot_free(t->overflow);
    t->hist = NULL;
    t->overflow = NULL;
    t->hist_days = t->hist_cap = t->overflow_count = t->overflow_cap = 0;
}

/* Makes the window cover first..last, moving rows when it must. */
ot_err twin_history_cover(ot_twin *t, ot_day first, ot_day last)
{
    if (!t->sealed || first > last)
        return OT_ERR_INTERNAL;
    if (t->hist_days) {
        ot_day cur_last = t->hist_first + (ot_day)t->hist_days - 1;
        if (first > t->hist_first)
            first = t->hist_first;
        if (last < cur_last)
            last = cur_last;
    }
    size_t days = (size_t)(last - first) + 1;
    if (days > OT_TWIN_MAX_HISTORY_DAYS)
        return OT_ERR_LIMIT;
    if (t->hist_days && first == t->hist_first && days <= t->hist_cap) {
        t->hist_days = days; /* the slack already holds zeros */
        return OT_OK;
    }
    /* Move: new capacity with room for about two more months of days. */
    size_t cap = days + 64;
    if (t->hist_cap && cap < t->hist_cap + t->hist_cap / 2)
        cap = t->hist_cap + t->hist_cap / 2;
    if (cap > OT_TWIN_MAX_HISTORY_DAYS)
        cap = OT_TWIN_MAX_HISTORY_DAYS;
    if (t->pair_count && cap > SIZE_MAX / sizeof(uint16_t) / t->pair_count)
        return OT_ERR_LIMIT;
    uint16_t *rows = ot_calloc(t->pair_count * cap, sizeof *rows);
    if (!rows)
        return OT_ERR_NOMEM;
    if (t->hist_days) {
        size_t shift = (size_t)(t->hist_first - first);
        for (size_t p = 0; p < t->pair_count; p++)
            memcpy(rows + p * cap + shift, t->hist + p * t->hist_cap,
                   t->hist_days * sizeof *rows);
    }
    ot_free(t->hist);
    t->hist = rows;
    t->hist_cap = cap;
    t->hist_first = first;
    t->hist_days = days;
    return OT_OK;
}

ot_err ot_twin_add_demand(ot_twin *t, ot_node_ix n, ot_sku_ix s, ot_day day, int64_t qty)
{
    if (!twin_valid_pair(t, n, s) || qty < 0)
        return OT_ERR_INPUT;
    if (qty == 0)
        return OT_OK;
    if (!t->hist_days || day < t->hist_first ||
        day >= t->hist_first + (ot_day)t->hist_days) {
        ot_err err = twin_history_cover(t, day, day);
        if (err)
            return err;
    }
    size_t p = twin_pair(t, n, s);
    uint16_t *cell = &t->hist[p * t->hist_cap + (size_t)(day - t->hist_first)];
    if (*cell != OT_HIST_ESCAPE && (int64_t)*cell + qty < OT_HIST_ESCAPE) {
        *cell = (uint16_t)(*cell + qty);
        return OT_OK;
    }
    uint64_t key = hist_key(p, day);
    int64_t total = (*cell == OT_HIST_ESCAPE ? twin_overflow_get(t, key) : *cell) + qty;
    ot_err err = twin_overflow_put(t, key, total);
    if (!err)
        *cell = OT_HIST_ESCAPE;
    return err;
}

ot_day ot_twin_history_first(const ot_twin *t) { return t->hist_first; }
size_t ot_twin_history_days(const ot_twin *t) { return t->hist_days; }

int64_t ot_twin_demand(const ot_twin *t, ot_node_ix n, ot_sku_ix s, ot_day day)
{
    OT_ASSERT(twin_valid_pair(t, n, s));
    if (!t->hist_days || day < t->hist_first || day >= t->hist_first + (ot_day)t->hist_days)
        return 0;
    size_t p = twin_pair(t, n, s);
    uint16_t v = t->hist[p * t->hist_cap + (size_t)(day - t->hist_first)];
    return v == OT_HIST_ESCAPE ? twin_overflow_get(t, hist_key(p, day)) : v;
}

void ot_twin_demand_series(const ot_twin *t, ot_node_ix n, ot_sku_ix s, double *out)
{
    OT_ASSERT(twin_valid_pair(t, n, s));
    if (!t->hist_days)
        return;
    size_t p = twin_pair(t, n, s);
    const uint16_t *row = t->hist + p * t->hist_cap;
    for (size_t d = 0; d < t->hist_days; d++)
        out[d] = row[d] == OT_HIST_ESCAPE
                     ? (double)twin_overflow_get(t, hist_key(p, t->hist_first + (ot_day)d))
                     : row[d];
}

bool ot_twin_has_demand(const ot_twin *t, ot_node_ix n, ot_sku_ix s)
{
    OT_ASSERT(twin_valid_pair(t, n, s));
    if (!t->hist_days)
        return false;
    const uint16_t *row = t->hist + twin_pair(t, n, s) * t->hist_cap;
    for (size_t d = 0; d < t->hist_days; d++)
        if (row[d])
            return true;
    return false;
}

size_t ot_twin_history_bytes(const ot_twin *t)
{
    return t->pair_count * t->hist_cap * sizeof *t->hist +
           t->overflow_cap * sizeof *t->overflow;
}
