/*
 * Daily demand history in day pages (engine/twin_internal.h): one byte a
 * day a pair, larger counts in an overflow hash, pages added at either end
 * as the window grows so that existing history never moves. With mostly
 * small daily counts this stays below 2 bytes a day a pair
 * (docs/ARCHITECTURE.md); growing by a day costs at most one new page.
 */
#include <string.h>

#include "twin_internal.h"

static int32_t page_of(ot_day day)
{
    return day >= 0 ? day / OT_HIST_PAGE_DAYS : -((-day + OT_HIST_PAGE_DAYS - 1) / OT_HIST_PAGE_DAYS);
}

static uint64_t hist_key(size_t pair, ot_day day)
{
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
    for (size_t i = 0; i < t->page_count; i++)
        ot_free(t->pages[i]);
    ot_free(t->pages);
    ot_free(t->overflow);
    t->pages = NULL;
    t->overflow = NULL;
    t->page_count = t->hist_days = t->overflow_count = t->overflow_cap = 0;
}

/* Makes the window cover first..last, adding pages at either end. */
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
    if ((int64_t)last - first + 1 > OT_TWIN_MAX_HISTORY_DAYS)
        return OT_ERR_LIMIT;
    int32_t want_first = page_of(first), want_last = page_of(last);
    int32_t have_first = t->page_count ? t->page_first : want_first;
    int32_t have_last = t->page_count ? t->page_first + (int32_t)t->page_count - 1 : want_first - 1;
    if (want_first < have_first || want_last > have_last) {
        int32_t new_first = want_first < have_first ? want_first : have_first;
        int32_t new_last = want_last > have_last ? want_last : have_last;
        size_t count = (size_t)(new_last - new_first + 1);
        uint8_t **pages = ot_calloc(count, sizeof *pages);
        if (!pages)
            return OT_ERR_NOMEM;
        size_t shift = (size_t)(have_first - new_first);
        for (size_t i = 0; i < t->page_count; i++)
            pages[shift + i] = t->pages[i];
        for (size_t i = 0; i < count; i++)
            if (!pages[i] && !(pages[i] = ot_calloc(twin_page_bytes(t), 1))) {
                for (size_t k = 0; k < count; k++) /* free only the new pages */
                    if (k < shift || k >= shift + t->page_count)
                        ot_free(pages[k]);
                ot_free(pages);
                return OT_ERR_NOMEM;
            }
        ot_free(t->pages);
        t->pages = pages;
        t->page_first = new_first;
        t->page_count = count;
    }
    t->hist_first = first;
    t->hist_days = (size_t)(last - first) + 1;
    return OT_OK;
}

static uint8_t *cell_of(const ot_twin *t, size_t pair, ot_day day)
{
    int32_t page = page_of(day);
    size_t offset = (size_t)(day - page * OT_HIST_PAGE_DAYS);
    return t->pages[page - t->page_first] + pair * OT_HIST_PAGE_DAYS + offset;
}

static bool in_window(const ot_twin *t, ot_day day)
{
    return t->hist_days && day >= t->hist_first && day < t->hist_first + (ot_day)t->hist_days;
}

ot_err ot_twin_add_demand(ot_twin *t, ot_node_ix n, ot_sku_ix s, ot_day day, int64_t qty)
{
    if (!twin_valid_pair(t, n, s) || qty < 0)
        return OT_ERR_INPUT;
    if (qty == 0)
        return OT_OK;
    if (!in_window(t, day)) {
        ot_err err = twin_history_cover(t, day, day);
        if (err)
            return err;
    }
    size_t p = twin_pair(t, n, s);
    uint8_t *cell = cell_of(t, p, day);
    if (*cell != OT_HIST_ESCAPE && (int64_t)*cell + qty < OT_HIST_ESCAPE) {
        *cell = (uint8_t)(*cell + qty);
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
    if (!in_window(t, day))
        return 0;
    size_t p = twin_pair(t, n, s);
    uint8_t v = *cell_of(t, p, day);
    return v == OT_HIST_ESCAPE ? twin_overflow_get(t, hist_key(p, day)) : v;
}

void ot_twin_demand_series(const ot_twin *t, ot_node_ix n, ot_sku_ix s, double *out)
{
    OT_ASSERT(twin_valid_pair(t, n, s));
    size_t p = twin_pair(t, n, s);
    ot_day day = t->hist_first;
    for (size_t d = 0; d < t->hist_days;) {
        int32_t page = page_of(day);
        size_t offset = (size_t)(day - page * OT_HIST_PAGE_DAYS);
        const uint8_t *row = t->pages[page - t->page_first] + p * OT_HIST_PAGE_DAYS;
        for (; offset < OT_HIST_PAGE_DAYS && d < t->hist_days; offset++, d++, day++)
            out[d] = row[offset] == OT_HIST_ESCAPE ? (double)twin_overflow_get(t, hist_key(p, day))
                                                   : row[offset];
    }
}

bool ot_twin_has_demand(const ot_twin *t, ot_node_ix n, ot_sku_ix s)
{
    OT_ASSERT(twin_valid_pair(t, n, s));
    size_t p = twin_pair(t, n, s);
    for (size_t i = 0; i < t->page_count; i++) {
        const uint8_t *row = t->pages[i] + p * OT_HIST_PAGE_DAYS;
        for (size_t k = 0; k < OT_HIST_PAGE_DAYS; k++)
            if (row[k])
                return true; /* cells outside the window are always zero */
    }
    return false;
}

size_t ot_twin_history_bytes(const ot_twin *t)
{
    return t->page_count * (twin_page_bytes(t) + sizeof *t->pages) +
           t->overflow_cap * sizeof *t->overflow;
}
