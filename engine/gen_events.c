/* The generator's event simulation (include/omnitwin/gen.h, "Events"):
 * day by day after the history, in the order a day happens —
 *
 *   05:00-07:59  receipts: open shipments and earlier ships arrive
 *   08:00-08:29  stores count a few SKUs (cycle counts)
 *   08:30-17:59  sales and online orders, limited by the stock on hand
 *   09:00-11:59  DCs count a few SKUs
 *   12:00-15:59  DCs ship to stores at or below their reorder point
 *                (arriving lead-time days later, in the morning)
 *   16:00-16:59  a store with no stock and nothing on the way gets a
 *                lateral transfer from its partner store
 *   18:00-21:59  damage adjustments and customer returns
 *
 * so that a twin applying the events in time order never sees negative
 * stock. Unrecorded shrink (a unit gone overnight) makes a later count
 * lower than the book.
 */
#include <math.h>
#include <stdlib.h>

#include "gen_impl.h"

#define STORE_COUNT_CHANCE (1.0 / 45.0)
#define DC_COUNT_CHANCE (1.0 / 60.0)
#define SHRINK_CHANCE 0.003
#define ADJUST_CHANCE 0.002
#define RETURN_CHANCE 0.02
#define ONLINE_CHANCE 0.15

typedef struct {
    int32_t arrive;             /* event day */
    int32_t node, sku;
    int32_t qty;
    uint64_t ship_id;           /* 0: an open shipment of pipeline.csv */
} arrival;

struct ot_gen_sim {
    const ot_gen *g;
    int32_t *stock;             /* [(dc or store) * skus + sku] */
    int32_t *transit;           /* toward stores, same layout */
    arrival *arrivals;          /* pending, pipeline first */
    size_t arrival_count, arrival_cap;
    /* The day's events. Until they are sorted and numbered, `id` holds the
     * generation order (to break ties in time) and a ship's `ref_event`
     * holds 1 + the index of its arrival. */
    ot_gen_event *events;
    size_t count, cap;
    uint64_t next_id;
    int32_t next_day;
};

static size_t pair_of(const ot_gen *g, int32_t n, int32_t s)
{
    return (size_t)(n - g->p.suppliers) * (size_t)g->p.skus + (size_t)s;
}

static ot_err push_arrival(ot_gen_sim *sim, arrival a)
{
    if (sim->arrival_count == sim->arrival_cap) {
        size_t cap = sim->arrival_cap ? 2 * sim->arrival_cap : 1024;
        arrival *grown = ot_reallocarray(sim->arrivals, cap, sizeof *grown);
        if (!grown)
            return OT_ERR_NOMEM;
        sim->arrivals = grown;
        sim->arrival_cap = cap;
    }
    sim->arrivals[sim->arrival_count++] = a;
    return OT_OK;
}

ot_err ot_gen_sim_new(const ot_gen *g, ot_gen_sim **out)
{
    *out = NULL;
    size_t pairs = (size_t)(g->p.dcs + g->p.stores) * (size_t)g->p.skus;
    if ((long long)pairs > OT_GEN_MAX_EVENT_PAIRS)
        return OT_ERR_LIMIT;
    ot_gen_sim *sim = ot_calloc(1, sizeof *sim);
    if (!sim)
        return OT_ERR_NOMEM;
    sim->g = g;
    sim->next_id = 1;
    sim->stock = ot_calloc(pairs, sizeof *sim->stock);
    sim->transit = ot_calloc(pairs, sizeof *sim->transit);
    if (!sim->stock || !sim->transit) {
        ot_gen_sim_free(sim);
        return OT_ERR_NOMEM;
    }
    int32_t first = g->p.suppliers, end = (int32_t)ot_gen_node_count(g);
    for (int32_t n = first; n < end; n++)
        for (int32_t s = 0; s < g->p.skus; s++) {
            size_t ix = pair_of(g, n, s);
            int64_t q = ot_gen_opening_stock(g, n, s);
            sim->stock[ix] = q > INT32_MAX ? INT32_MAX : (int32_t)q;
            ot_gen_pipeline line;
            if (!ot_gen_pipeline_line(g, n, s, &line))
                continue;
            int32_t qty = line.qty > INT32_MAX / 4 ? INT32_MAX / 4 : (int32_t)line.qty;
            sim->transit[ix] += qty;
            if (push_arrival(sim, (arrival){line.arrive_day - g->p.days, n, s, qty, 0})) {
                ot_gen_sim_free(sim);
                return OT_ERR_NOMEM;
            }
        }
    *out = sim;
    return OT_OK;
}

void ot_gen_sim_free(ot_gen_sim *sim)
{
    if (!sim)
        return;
    ot_free(sim->stock);
    ot_free(sim->transit);
    ot_free(sim->arrivals);
    ot_free(sim->events);
    ot_free(sim);
}

/* A time in [from_min, to_min) minutes of the day, whole minutes. */
static ot_ts at(ot_ts base, gen_rng *r, int from_min, int to_min)
{
    return base + 60 * (ot_ts)(from_min + (int)(gen_unit(r) * (to_min - from_min)));
}

static ot_err emit(ot_gen_sim *sim, ot_ts ts, ot_event_type type, int32_t node, int32_t sku,
                   int64_t qty, ot_gen_event **made)
{
    if (sim->count == sim->cap) {
        size_t cap = sim->cap ? 2 * sim->cap : 4096;
        ot_gen_event *grown = ot_reallocarray(sim->events, cap, sizeof *grown);
        if (!grown)
            return OT_ERR_NOMEM;
        sim->events = grown;
        sim->cap = cap;
    }
    ot_gen_event *e = &sim->events[sim->count];
    *e = (ot_gen_event){.id = sim->count, .ts = ts, .type = type, .node = node, .sku = sku,
                        .qty = qty, .ref_node = -1, .ref_pipeline_node = -1};
    sim->count++;
    if (made)
        *made = e;
    return OT_OK;
}

static int by_time(const void *a, const void *b)
{
    const ot_gen_event *x = a, *y = b;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Ships qty of s from node `from` at ts toward `to`, arriving on event day
 * `arrive`: stock leaves now, the destination's transit grows. */
static ot_err ship(ot_gen_sim *sim, int32_t from, int32_t to, int32_t s, int64_t qty,
                   int32_t arrive, ot_ts ts)
{
    const ot_gen *g = sim->g;
    sim->stock[pair_of(g, from, s)] -= (int32_t)qty;
    sim->transit[pair_of(g, to, s)] += (int32_t)qty;
    if (push_arrival(sim, (arrival){arrive, to, s, (int32_t)qty, 0}))
        return OT_ERR_NOMEM;
    ot_gen_event *made;
    if (emit(sim, ts, OT_EV_SHIP, from, s, qty, &made))
        return OT_ERR_NOMEM;
    made->ref_node = to;
    made->ref_event = sim->arrival_count; /* 1 + its arrival's index */
    return OT_OK;
}

/* 12:00-15:59: each store's primary DC ships what brings the store's
 * position (stock + in transit) back to its order-up-to level. */
static ot_err ship_day(ot_gen_sim *sim, int32_t e, ot_ts base)
{
    const ot_gen *g = sim->g;
    int32_t t = g->p.days + e;
    for (int32_t k = 0; k < g->p.stores; k++) {
        int32_t node = ot_gen_store_node(g, k), dc = g->nodes[node].primary_dc;
        int32_t lead = gen_primary_lead(g, k);
        for (int32_t s = 0; s < g->p.skus; s++) {
            size_t ix = pair_of(g, node, s), dix = pair_of(g, dc, s);
            int64_t reorder, up_to;
            int64_t position = (int64_t)sim->stock[ix] + sim->transit[ix];
            gen_store_levels(g, k, s, &reorder, &up_to);
            if (position > reorder)
                continue;
            int64_t qty = gen_round_case(g, s, (double)(up_to - position));
            int64_t pack = g->skus[s].case_pack;
            if (qty > sim->stock[dix])
                qty = sim->stock[dix] / pack * pack;
            if (qty <= 0)
                continue;
            gen_rng r = {gen_key(g->p.seed, GEN_K_EVENT, ix, (uint64_t)t * 2)};
            if (ship(sim, dc, node, s, qty, e + lead, at(base, &r, 720, 960)))
                return OT_ERR_NOMEM;
        }
    }
    return OT_OK;
}

/* 16:00-16:59: a store with nothing on hand or on the way gets a lateral
 * transfer from its partner store when the partner holds at least twice its
 * own reorder point: the partner's surplus above its reorder point, up to
 * the needy store's order-up-to level, arriving the next morning. */
static ot_err transfer_day(ot_gen_sim *sim, int32_t e, ot_ts base)
{
    const ot_gen *g = sim->g;
    int32_t t = g->p.days + e;
    for (size_t l = 0; l < g->lane_count; l++) {
        const ot_gen_lane *lane = &g->lanes[l];
        int32_t from = gen_store_of(g, lane->from), to = gen_store_of(g, lane->to);
        if (from < 0 || to < 0)
            continue;
        for (int32_t s = 0; s < g->p.skus; s++) {
            size_t fix = pair_of(g, lane->from, s), tix = pair_of(g, lane->to, s);
            if (sim->stock[tix] != 0 || sim->transit[tix] != 0)
                continue;
            int64_t from_reorder, from_up_to, to_reorder, to_up_to;
            gen_store_levels(g, from, s, &from_reorder, &from_up_to);
            if (sim->stock[fix] < 2 * from_reorder || from_reorder <= 0)
                continue;
            gen_store_levels(g, to, s, &to_reorder, &to_up_to);
            int64_t qty = sim->stock[fix] - from_reorder;
            if (qty > to_up_to)
                qty = to_up_to;
            gen_rng r = {gen_key(g->p.seed, GEN_K_EVENT, tix, (uint64_t)t * 2 + 0x30000000ULL)};
            if (ship(sim, lane->from, lane->to, s, qty, e + lane->lead_time_days,
                     at(base, &r, 960, 1020)))
                return OT_ERR_NOMEM;
        }
    }
    return OT_OK;
}

/* 05:00-07:59: everything due today arrives; the rest stays pending. */
static ot_err receive_day(ot_gen_sim *sim, int32_t e, ot_ts base)
{
    const ot_gen *g = sim->g;
    size_t kept = 0;
    for (size_t i = 0; i < sim->arrival_count; i++) {
        arrival a = sim->arrivals[i];
        if (a.arrive != e) {
            if (a.arrive > e)
                sim->arrivals[kept++] = a;
            continue;
        }
        size_t ix = pair_of(g, a.node, a.sku);
        sim->stock[ix] += a.qty;
        sim->transit[ix] -= a.qty;
        gen_rng r = {gen_key(g->p.seed, GEN_K_EVENT, ix, (uint64_t)(g->p.days + e) * 2 + 1)};
        ot_gen_event *made;
        if (emit(sim, at(base, &r, 300, 480), OT_EV_RECEIPT, a.node, a.sku, a.qty, &made))
            return OT_ERR_NOMEM;
        if (a.ship_id)
            made->ref_event = a.ship_id;
        else
            made->ref_pipeline_node = a.node;
    }
    sim->arrival_count = kept;
    return OT_OK;
}

/* One store-SKU day after the receipts: shrink, count, sales, online
 * orders, adjustments, returns. */
static ot_err store_pair_day(ot_gen_sim *sim, int32_t k, int32_t s, int32_t t, ot_ts base)
{
    const ot_gen *g = sim->g;
    int32_t node = ot_gen_store_node(g, k);
    size_t ix = pair_of(g, node, s);
    int32_t *stock = &sim->stock[ix];
    gen_rng r = {gen_key(g->p.seed, GEN_K_EVENT, ix, (uint64_t)t * 2 + 0x10000000ULL)};
    if (gen_unit(&r) < SHRINK_CHANCE && *stock > 0)
        (*stock)--; /* gone without a record: the next count shows it */
    if (gen_unit(&r) < STORE_COUNT_CHANCE &&
        emit(sim, at(base, &r, 480, 510), OT_EV_COUNT, node, s, *stock, NULL))
        return OT_ERR_NOMEM;
    int64_t demand = ot_gen_demand(g, k, s, t), online = 0;
    if (demand > 0 && gen_unit(&r) < ONLINE_CHANCE)
        online = 1 + (int64_t)(gen_unit(&r) * 0.3 * (double)(demand - 1));
    int64_t sale = demand - online;
    if (sale > *stock)
        sale = *stock;
    *stock -= (int32_t)sale;
    if (online > *stock)
        online = *stock;
    *stock -= (int32_t)online;
    if (sale > 0 && emit(sim, at(base, &r, 510, 1080), OT_EV_SALE, node, s, sale, NULL))
        return OT_ERR_NOMEM;
    if (online > 0 &&
        emit(sim, at(base, &r, 510, 1080), OT_EV_ONLINE_ORDER, node, s, online, NULL))
        return OT_ERR_NOMEM;
    if (gen_unit(&r) < ADJUST_CHANCE) {
        int64_t qty = gen_unit(&r) < 0.8 ? -(1 + (gen_unit(&r) < 0.3)) : 1;
        if (qty < 0 && -qty > *stock)
            qty = -(int64_t)*stock;
        *stock += (int32_t)qty;
        if (qty != 0 &&
            emit(sim, at(base, &r, 1080, 1320), OT_EV_ADJUST, node, s, qty, NULL))
            return OT_ERR_NOMEM;
    }
    if (sale > 0 && gen_unit(&r) < RETURN_CHANCE) {
        (*stock)++;
        if (emit(sim, at(base, &r, 1080, 1320), OT_EV_RETURN, node, s, 1, NULL))
            return OT_ERR_NOMEM;
    }
    return OT_OK;
}

ot_err ot_gen_sim_day(ot_gen_sim *sim, int32_t e, const ot_gen_event **events, size_t *count)
{
    const ot_gen *g = sim->g;
    OT_ASSERT(e == sim->next_day && e < g->p.event_days);
    sim->next_day++;
    sim->count = 0;
    int32_t t = g->p.days + e;
    ot_ts base = ((ot_ts)g->p.start + t) * 86400;
    /* Receipts first: they compact the pending arrivals, which the ships
     * then append to (their indexes must hold until numbering). */
    ot_err err = receive_day(sim, e, base);
    for (int32_t d = 0; !err && d < g->p.dcs; d++) {
        int32_t node = g->p.suppliers + d;
        for (int32_t s = 0; !err && s < g->p.skus; s++) {
            size_t ix = pair_of(g, node, s);
            gen_rng r = {gen_key(g->p.seed, GEN_K_EVENT, ix, (uint64_t)t * 2 + 0x20000000ULL)};
            if (gen_unit(&r) < DC_COUNT_CHANCE)
                err = emit(sim, at(base, &r, 540, 720), OT_EV_COUNT, node, s, sim->stock[ix],
                           NULL);
        }
    }
    if (!err)
        err = ship_day(sim, e, base);
    if (!err)
        err = transfer_day(sim, e, base);
    for (int32_t k = 0; !err && k < g->p.stores; k++)
        for (int32_t s = 0; !err && s < g->p.skus; s++)
            err = store_pair_day(sim, k, s, t, base);
    if (err)
        return err;
    qsort(sim->events, sim->count, sizeof *sim->events, by_time);
    /* Number the day's events; a ship's id becomes its receipt's ref. */
    for (size_t i = 0; i < sim->count; i++) {
        ot_gen_event *x = &sim->events[i];
        x->id = sim->next_id++;
        if (x->type == OT_EV_SHIP) {
            sim->arrivals[x->ref_event - 1].ship_id = x->id;
            x->ref_event = 0;
        }
    }
    *events = sim->events;
    *count = sim->count;
    return OT_OK;
}
