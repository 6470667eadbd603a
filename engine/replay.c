/* Disruption replay (include/omnitwin/replay.h, docs/REPLAY.md): the
 * window simulated day by day under three scenarios. */
#include <math.h>
#include <string.h>

#include "omnitwin/plan.h"
#include "omnitwin/replay.h"
#include "text.h"

/* Goods on the way from `from` to `to`, arriving at the start of day
 * `arrive` (the real day, after any disruption delay); `expected` is the
 * day the plan that sent them expected, which is all later plans know (as
 * an ERP would). */
typedef struct {
    ot_node_ix from, to;
    ot_sku_ix sku;
    int64_t qty;
    ot_day arrive, expected;
} transit;

typedef struct {
    int64_t *stock;              /* [pairs] end of the previous day */
    transit *tr;
    size_t ntr, cap;
} sim_state;

struct ot_replay {
    ot_day from;
    size_t days;
    int32_t H;
    size_t feed_records;
    ot_replay_kpis kpis[OT_REPLAY_SCENARIOS];
    ot_replay_day *day[OT_REPLAY_SCENARIOS];
    size_t nodes;
    double *node_lost[OT_REPLAY_SCENARIOS]; /* [nodes] */
};

/* Everything one replay run shares across days and scenarios. */
typedef struct {
    const ot_replay_input *in;
    const ot_lp_solver *solver;
    ot_diag *diag;
    const ot_twin *hist, *start;
    size_t N, S, L;
    ot_node_info *node;          /* [N] */
    ot_sku_info *sku;            /* [S] */
    ot_lane_info *lane;          /* [L] */
    ot_factors *reality;         /* NULL without a feed */
    double *lane_used;           /* [L] volume shipped today */
    bool warned;                 /* plan warnings passed on once */
    size_t done, total;
} replay_ctx;

static const char *const scenario_names[OT_REPLAY_SCENARIOS] = {"baseline", "unforeseen",
                                                                 "foreseen"};

const char *ot_replay_scenario_name(ot_replay_scenario sc)
{
    return (unsigned)sc < OT_REPLAY_SCENARIOS ? scenario_names[sc] : "?";
}

static const char *const metric_names[OT_REPLAY_METRICS] = {
    "fill_rate", "lost_units", "transport_cost", "holding_cost", "late_shipments",
    "stockout_days"};

const char *ot_replay_metric_name(size_t m)
{
    return m < OT_REPLAY_METRICS ? metric_names[m] : "?";
}

double ot_replay_metric(const ot_replay_kpis *k, size_t m)
{
    switch (m) {
    case 0: return k->fill_rate;
    case 1: return k->lost_units;
    case 2: return k->transport_cost;
    case 3: return k->holding_cost;
    case 4: return (double)k->late_shipments;
    case 5: return (double)k->stockout_days;
    default: return NAN;
    }
}

bool ot_replay_metric_higher_is_better(size_t m)
{
    return m == 0;
}

/* ---- Result -------------------------------------------------------------- */

void ot_replay_free(ot_replay *r)
{
    if (!r)
        return;
    for (int sc = 0; sc < OT_REPLAY_SCENARIOS; sc++) {
        ot_free(r->day[sc]);
        ot_free(r->node_lost[sc]);
    }
    ot_free(r);
}

ot_day ot_replay_from(const ot_replay *r) { return r->from; }
size_t ot_replay_day_count(const ot_replay *r) { return r->days; }
int32_t ot_replay_horizon(const ot_replay *r) { return r->H; }
size_t ot_replay_feed_records(const ot_replay *r) { return r->feed_records; }

const ot_replay_kpis *ot_replay_get_kpis(const ot_replay *r, ot_replay_scenario sc)
{
    OT_ASSERT((unsigned)sc < OT_REPLAY_SCENARIOS);
    return &r->kpis[sc];
}

size_t ot_replay_node_count(const ot_replay *r) { return r->nodes; }

double ot_replay_node_lost(const ot_replay *r, ot_replay_scenario sc, ot_node_ix n)
{
    OT_ASSERT((unsigned)sc < OT_REPLAY_SCENARIOS && n >= 0 && (size_t)n < r->nodes);
    return r->node_lost[sc][n];
}

const ot_replay_day *ot_replay_get_days(const ot_replay *r, ot_replay_scenario sc)
{
    OT_ASSERT((unsigned)sc < OT_REPLAY_SCENARIOS);
    return r->day[sc];
}

/* ---- Checks -------------------------------------------------------------- */

static void date_of(ot_day d, char buf[11])
{
    ot_date_format(d, buf);
}

static bool same_catalog(const ot_twin *a, const ot_twin *b)
{
    if (ot_twin_node_count(a) != ot_twin_node_count(b) ||
        ot_twin_sku_count(a) != ot_twin_sku_count(b) ||
        ot_twin_lane_count(a) != ot_twin_lane_count(b))
        return false;
    for (size_t l = 0; l < ot_twin_lane_count(a); l++) {
        ot_lane_info x, y;
        ot_twin_lane(a, (ot_lane_ix)l, &x);
        ot_twin_lane(b, (ot_lane_ix)l, &y);
        if (x.from != y.from || x.to != y.to)
            return false;
    }
    return true;
}

static ot_err check_input(const ot_replay_input *in, ot_diag *diag)
{
    char a[11], b[11], c[11], d[11];
    size_t bad = 0;
    ot_day first = ot_twin_history_first(in->history);
    size_t hdays = ot_twin_history_days(in->history);
    ot_day last = first + (ot_day)hdays - 1;
    date_of(in->from, a);
    date_of(in->to, b);
    if (in->from > in->to) {
        ot_diag_report(diag, OT_DIAG_ERROR, NULL, 0,
                       "replay: --from %s is after --to %s (expected from <= to)", a, b);
        bad++;
    } else if ((int64_t)in->to - in->from + 1 > OT_REPLAY_MAX_DAYS) {
        ot_diag_report(diag, OT_DIAG_ERROR, NULL, 0,
                       "replay: the window %s..%s has %lld days (expected at most %d)", a, b,
                       (long long)in->to - in->from + 1, OT_REPLAY_MAX_DAYS);
        bad++;
    }
    if (hdays == 0) {
        ot_diag_report(diag, OT_DIAG_ERROR, NULL, 0,
                       "replay: the network has no demand history (expected the window's "
                       "recorded demand in history.csv or the events)");
        bad++;
    } else if (in->from < first || in->to > last) {
        date_of(first, c);
        date_of(last, d);
        ot_diag_report(diag, OT_DIAG_ERROR, NULL, 0,
                       "replay: the window %s..%s is not inside the demand history %s..%s "
                       "(expected the recorded demand of every replayed day)",
                       a, b, c, d);
        bad++;
    } else if (in->from - first < 14) {
        date_of(first, c);
        ot_diag_report(diag, OT_DIAG_WARNING, NULL, 0,
                       "replay: the demand history starts on %s, only %d days before --from %s: "
                       "the first daily forecasts have little to go on (expected 14 days or more)",
                       c, (int)(in->from - first), a);
    }
    if (in->horizon_days < 1 || in->horizon_days > OT_PLAN_MAX_HORIZON) {
        ot_diag_report(diag, OT_DIAG_ERROR, NULL, 0,
                       "replay: horizon %d days (expected 1..%d)", (int)in->horizon_days,
                       OT_PLAN_MAX_HORIZON);
        bad++;
    }
    if (in->start && !same_catalog(in->start, in->history)) {
        ot_diag_report(diag, OT_DIAG_ERROR, NULL, 0,
                       "replay: the start twin's nodes, SKUs or lanes differ from the history "
                       "twin's (expected the same network)");
        bad++;
    }
    return bad ? OT_ERR_INPUT : OT_OK;
}

/* ---- Set-up -------------------------------------------------------------- */

static void ctx_release(replay_ctx *c)
{
    ot_free(c->node);
    ot_free(c->sku);
    ot_free(c->lane);
    ot_free(c->lane_used);
    ot_factors_free(c->reality);
}

static ot_err ctx_init(replay_ctx *c, const ot_replay_input *in, const ot_lp_solver *solver,
                       ot_diag *diag, size_t *feed_records)
{
    memset(c, 0, sizeof *c);
    c->in = in;
    c->solver = solver;
    c->diag = diag;
    c->hist = in->history;
    c->start = in->start ? in->start : in->history;
    c->N = ot_twin_node_count(c->hist);
    c->S = ot_twin_sku_count(c->hist);
    c->L = ot_twin_lane_count(c->hist);
    c->node = ot_calloc(c->N + 1, sizeof *c->node);
    c->sku = ot_calloc(c->S + 1, sizeof *c->sku);
    c->lane = ot_calloc(c->L + 1, sizeof *c->lane);
    c->lane_used = ot_calloc(c->L + 1, sizeof *c->lane_used);
    if (!c->node || !c->sku || !c->lane || !c->lane_used)
        return OT_ERR_NOMEM;
    for (size_t n = 0; n < c->N; n++)
        ot_twin_node(c->hist, (ot_node_ix)n, &c->node[n]);
    for (size_t s = 0; s < c->S; s++)
        ot_twin_sku(c->hist, (ot_sku_ix)s, &c->sku[s]);
    for (size_t l = 0; l < c->L; l++)
        ot_twin_lane(c->hist, (ot_lane_ix)l, &c->lane[l]);
    *feed_records = 0;
    if (!in->feed)
        return OT_OK;
    /* Reality: every record, over the window and the last plan's horizon. */
    size_t days = (size_t)(in->to - in->from + 1) + (size_t)in->horizon_days;
    ot_resolve_options opt = {.first_day = in->from, .days = days, .known_day = INT32_MAX};
    ot_resolve_stats st;
    ot_err err = ot_disruption_resolve(in->feed, c->hist, in->effects, &opt, diag, &c->reality,
                                       &st);
    if (err == OT_OK)
        *feed_records = st.records >= st.outside ? st.records - st.outside : 0;
    return err;
}

static ot_err state_init(sim_state *st, const replay_ctx *c)
{
    memset(st, 0, sizeof *st);
    st->stock = ot_calloc(c->N * c->S + 1, sizeof *st->stock);
    if (!st->stock)
        return OT_ERR_NOMEM;
    for (size_t n = 0; n < c->N; n++) {
        if (c->node[n].kind == OT_NODE_SUPPLIER)
            continue;
        for (size_t s = 0; s < c->S; s++) {
            int64_t q = ot_twin_on_hand(c->start, (ot_node_ix)n, (ot_sku_ix)s);
            st->stock[n * c->S + s] = q > 0 ? q : 0; /* a book error reads as none */
        }
    }
    size_t P = ot_twin_pipeline_count(c->start);
    st->cap = P + 16;
    st->tr = ot_calloc(st->cap, sizeof *st->tr);
    if (!st->tr)
        return OT_ERR_NOMEM;
    for (size_t i = 0; i < P; i++) {
        ot_pipeline_info pi;
        ot_twin_pipeline(c->start, i, &pi);
        if (!pi.open || pi.qty <= 0)
            continue;
        /* overdue lines arrive on the first morning, as the plan assumes */
        ot_day day = pi.arrive_day < c->in->from ? c->in->from : pi.arrive_day;
        st->tr[st->ntr++] = (transit){pi.from, pi.to, pi.sku, pi.qty, day, day};
    }
    return OT_OK;
}

static void state_release(sim_state *st)
{
    ot_free(st->stock);
    ot_free(st->tr);
}

static ot_err state_push(sim_state *st, const transit *t)
{
    if (st->ntr == st->cap) {
        transit *n = ot_reallocarray(st->tr, st->cap * 2, sizeof *n);
        if (!n)
            return OT_ERR_NOMEM;
        st->tr = n;
        st->cap *= 2;
    }
    st->tr[st->ntr++] = *t;
    return OT_OK;
}

/* ---- One day ------------------------------------------------------------- */

static void receive(sim_state *st, size_t S, ot_day t)
{
    size_t keep = 0;
    for (size_t i = 0; i < st->ntr; i++) {
        transit *x = &st->tr[i];
        if (x->arrive <= t)
            st->stock[(size_t)x->to * S + (size_t)x->sku] += x->qty;
        else
            st->tr[keep++] = *x;
    }
    st->ntr = keep;
}

/* The twin the plan sees on the morning of t: the network's catalog, lanes
 * and policies, the simulated stock and the goods still on the way at the
 * days their plans expected (a delayed shipment is overdue, and the plan
 * counts an overdue line as arriving on its day 1). relax:
 * no node capacity and no shelf limit (the retry of an infeasible day). */
static ot_err plan_twin(const replay_ctx *c, const sim_state *st, bool relax, ot_twin **out)
{
    *out = NULL;
    ot_twin *tw = ot_twin_new(1);
    double *held = ot_calloc(c->N * c->S + 1, sizeof *held);
    if (!tw || !held) {
        ot_twin_free(tw);
        ot_free(held);
        return OT_ERR_NOMEM;
    }
    /* Units on hand and on the way per pair: reality (a delay that bunches
     * arrivals, a closed store) can put more at a node than its shelf limit
     * or capacity allows, which the plan would call infeasible; those limits
     * are raised to what is already there (docs/REPLAY.md). */
    for (size_t p = 0; p < c->N * c->S; p++)
        held[p] = (double)(st->stock[p] > 0 ? st->stock[p] : 0);
    for (size_t i = 0; i < st->ntr; i++)
        held[(size_t)st->tr[i].to * c->S + (size_t)st->tr[i].sku] += (double)st->tr[i].qty;
    ot_err err = OT_OK;
    for (size_t n = 0; err == OT_OK && n < c->N; n++) {
        ot_node_ix ix;
        ot_node_info ni = c->node[n];
        double volume = 0;
        for (size_t s = 0; s < c->S; s++)
            volume += held[n * c->S + s] * c->sku[s].volume;
        if (relax)
            ni.capacity = INFINITY;
        else if (ni.kind != OT_NODE_SUPPLIER && volume > ni.capacity)
            ni.capacity = volume;
        err = ot_twin_add_node(tw, &ni, &ix);
    }
    for (size_t s = 0; err == OT_OK && s < c->S; s++) {
        ot_sku_ix ix;
        err = ot_twin_add_sku(tw, &c->sku[s], &ix);
    }
    if (err == OT_OK)
        err = ot_twin_seal_catalog(tw, 1, 0);
    for (size_t l = 0; err == OT_OK && l < c->L; l++) {
        ot_lane_ix ix;
        err = ot_twin_add_lane(tw, &c->lane[l], &ix);
    }
    for (size_t n = 0; err == OT_OK && n < c->N; n++) {
        for (size_t s = 0; err == OT_OK && s < c->S; s++) {
            ot_policy_info pol;
            ot_twin_policy(c->hist, (ot_node_ix)n, (ot_sku_ix)s, &pol);
            if (relax)
                pol.max_units = INT64_MAX;
            else if ((double)pol.max_units < held[n * c->S + s])
                pol.max_units = (int64_t)held[n * c->S + s];
            err = ot_twin_set_policy(tw, (ot_node_ix)n, (ot_sku_ix)s, &pol);
            int64_t q = st->stock[n * c->S + s];
            if (err == OT_OK && q)
                err = ot_twin_set_on_hand(tw, (ot_node_ix)n, (ot_sku_ix)s, q);
        }
    }
    for (size_t i = 0; err == OT_OK && i < st->ntr; i++) {
        char id[32];
        ot_text_format(id, sizeof id, "R%zu", i);
        const transit *x = &st->tr[i];
        ot_pipeline_info pi = {.order_id = id, .from = x->from, .to = x->to, .sku = x->sku,
                               .qty = x->qty, .arrive_day = x->expected, .open = true};
        err = ot_twin_add_pipeline(tw, &pi);
    }
    ot_free(held);
    if (err != OT_OK) {
        ot_twin_free(tw);
        return err == OT_ERR_NOMEM ? err : OT_ERR_INTERNAL;
    }
    *out = tw;
    return OT_OK;
}

/* Passes a day's plan diagnostics on: errors always, warnings once. */
/* Passes a day's plan diagnostics on: errors always, warnings once. An
 * infeasible first try (retried without node capacities) is passed on as
 * warnings that say so. */
static void pass_diag(replay_ctx *c, const ot_diag *d, ot_replay_scenario sc, ot_day t,
                      bool retried)
{
    char day[11];
    date_of(t, day);
    for (size_t i = 0; i < ot_diag_count(d); i++) {
        const ot_diag_entry *e = ot_diag_get(d, i);
        if (retried && e->level == OT_DIAG_ERROR)
            ot_diag_report(c->diag, OT_DIAG_WARNING, NULL, 0,
                           "replay %s %s: %s; planned again without node capacities and "
                           "shelf limits",
                           ot_replay_scenario_name(sc), day, e->message);
        else if (e->level == OT_DIAG_ERROR || !c->warned)
            ot_diag_report(c->diag, e->level, NULL, 0, "replay %s %s: %s",
                           ot_replay_scenario_name(sc), day, e->message);
    }
    c->warned = true;
}

static ot_err plan_once(replay_ctx *c, const sim_state *st, const ot_plan_forecast *fc,
                        const ot_factors *known, ot_replay_scenario sc, ot_day t, bool relax,
                        ot_plan **plan, ot_twin **tw)
{
    ot_err err = plan_twin(c, st, relax, tw);
    ot_diag *d = err == OT_OK ? ot_diag_new(20) : NULL;
    if (err == OT_OK && !d)
        err = OT_ERR_NOMEM;
    if (err == OT_OK) {
        /* mip_max_cols 0: round and repair, no time-limited branch and
         * bound, so that a replay is deterministic */
        ot_plan_input pin = {.twin = *tw, .factors = known, .as_of = t,
                             .horizon_days = c->in->horizon_days, .demand = fc->mean,
                             .safety_stock = fc->safety_stock,
                             .joint_max_cols = c->in->joint_max_cols, .mip_max_cols = 0};
        err = ot_plan_run(&pin, c->solver, d, plan);
        pass_diag(c, d, sc, t, !relax && err == OT_ERR_INFEASIBLE);
    }
    ot_diag_free(d);
    if (err != OT_OK) {
        ot_twin_free(*tw);
        *tw = NULL;
    }
    return err;
}

/* A scenario's plan of the day. */
typedef struct {
    ot_plan *plan;
    ot_twin *tw;                 /* the plan's twin (the plan points into it) */
    bool own;                    /* false: shared with an earlier scenario */
    bool relaxed;                /* solved without node capacities */
    bool factors;                /* planned with disruption factors */
} day_plan;

static bool same_state(const replay_ctx *c, const sim_state *a, const sim_state *b)
{
    if (a->ntr != b->ntr ||
        memcmp(a->stock, b->stock, c->N * c->S * sizeof *a->stock) != 0)
        return false;
    for (size_t i = 0; i < a->ntr; i++) {
        const transit *x = &a->tr[i], *y = &b->tr[i];
        if (x->from != y->from || x->to != y->to || x->sku != y->sku || x->qty != y->qty ||
            x->expected != y->expected)
            return false;
    }
    return true;
}

/* The plan of day t for scenario sc into dp[sc]. A scenario whose morning
 * (stock, and goods on the way at their expected days) is that of an
 * earlier scenario, both planning without disruption factors, takes that
 * plan: the same inputs give the same plan, once (until the disruption
 * first bites, baseline and unforeseen are the same replay).
 * The plan splits a node's capacity between the SKUs it decomposes into;
 * on simulated stock that split can leave a SKU no feasible plan, so an
 * infeasible day is planned again without node capacities and shelf limits
 * (counted as relaxed_plans). */
static ot_err solve_day(replay_ctx *c, const sim_state *st, const ot_plan_forecast *fc,
                        ot_replay_scenario sc, ot_day t, ot_replay_kpis *k, day_plan *dp)
{
    ot_factors *known = NULL;
    ot_err err = OT_OK;
    if (sc == OT_REPLAY_FORESEEN && c->in->feed) {
        ot_resolve_options opt = {.first_day = t, .days = (size_t)c->in->horizon_days,
                                  .known_day = t};
        err = ot_disruption_resolve(c->in->feed, c->hist, c->in->effects, &opt, c->diag, &known,
                                    NULL);
        if (err == OT_OK && !ot_factors_any(known)) {
            ot_factors_free(known); /* nothing known yet that matters */
            known = NULL;
        }
    }
    day_plan *d = &dp[sc];
    for (int p = 0; err == OT_OK && !known && p < (int)sc; p++) {
        if (dp[p].plan && !dp[p].factors && same_state(c, &st[p], &st[sc])) {
            *d = dp[p];
            d->own = false;
            k->shared_plans++;
            break;
        }
    }
    if (err == OT_OK && !d->plan) {
        d->own = true;
        d->factors = known != NULL;
        err = plan_once(c, &st[sc], fc, known, sc, t, false, &d->plan, &d->tw);
        if (err == OT_ERR_INFEASIBLE) {
            d->relaxed = true;
            err = plan_once(c, &st[sc], fc, known, sc, t, true, &d->plan, &d->tw);
        }
    }
    if (err == OT_OK) {
        k->plans++;
        k->relaxed_plans += d->relaxed;
    }
    ot_factors_free(known);
    return err;
}

/* Ships the orders of day t, cut to the origin's stock and the lane's real
 * capacity, along the real lead time. */
static ot_err ship(replay_ctx *c, sim_state *st, const ot_plan *plan, const ot_factors *real,
                   ot_day t, ot_replay_kpis *k, ot_replay_day *dk)
{
    size_t count;
    const ot_order *o = ot_plan_orders(plan, &count);
    memset(c->lane_used, 0, c->L * sizeof *c->lane_used);
    for (size_t i = 0; i < count; i++) {
        if (o[i].ship_day != t || o[i].qty <= 0)
            continue;
        const ot_lane_info *li = &c->lane[o[i].lane];
        const ot_sku_info *si = &c->sku[o[i].sku];
        int64_t q = o[i].qty;
        size_t from = (size_t)o[i].from * c->S + (size_t)o[i].sku;
        if (c->node[o[i].from].kind != OT_NODE_SUPPLIER && q > st->stock[from])
            q = st->stock[from] > 0 ? st->stock[from] : 0;
        /* the real capacity: 0 when closed, even for an unlimited lane
         * (where INFINITY x 0 would read as NaN) */
        double f = real ? ot_factors_lane_capacity(real, o[i].lane, t) : 1.0;
        double cap = f > 0 ? li->capacity_per_day * f : 0;
        if (isfinite(cap)) {
            double room = (cap - c->lane_used[o[i].lane]) / si->volume;
            int64_t fit = room > 0 ? (int64_t)floor(room + 1e-9) : 0;
            if (q > fit)
                q = fit;
        }
        k->cut_units += o[i].qty - q;
        if (q <= 0)
            continue;
        c->lane_used[o[i].lane] += (double)q * si->volume;
        int32_t lead = real ? ot_factors_lead_time_days(real, o[i].lane, t) : li->lead_time_days;
        ot_day arrive = t + lead;
        if (c->node[o[i].from].kind != OT_NODE_SUPPLIER)
            st->stock[from] -= q;
        k->transport_cost += (double)q * li->cost_per_unit;
        k->shipments++;
        k->shipped_units += q;
        dk->shipped += (double)q;
        if (arrive > o[i].arrive_day) {
            k->late_shipments++;
            dk->late++;
        }
        transit x = {o[i].from, o[i].to, o[i].sku, q, arrive, o[i].arrive_day};
        if (arrive <= t)
            st->stock[(size_t)x.to * c->S + (size_t)x.sku] += q;
        else if (state_push(st, &x) != OT_OK)
            return OT_ERR_NOMEM;
    }
    return OT_OK;
}

/* Serves the recorded demand of day t and counts the end-of-day stock. */
static void serve(const replay_ctx *c, sim_state *st, ot_day t, ot_replay_kpis *k,
                  ot_replay_day *dk, double *node_lost)
{
    for (size_t n = 0; n < c->N; n++) {
        if (c->node[n].kind == OT_NODE_SUPPLIER)
            continue;
        for (size_t s = 0; s < c->S; s++) {
            int64_t *stock = &st->stock[n * c->S + s];
            int64_t d = ot_twin_demand(c->hist, (ot_node_ix)n, (ot_sku_ix)s, t);
            if (d > 0) {
                int64_t served = d < *stock ? d : *stock;
                *stock -= served;
                dk->demand += (double)d;
                dk->lost += (double)(d - served);
                node_lost[n] += (double)(d - served);
                if (served < d)
                    k->stockout_days++;
            }
            dk->stock += (double)*stock;
            k->holding_cost += (double)*stock * c->sku[s].holding_cost;
        }
    }
    dk->fill_rate = dk->demand > 0 ? 1.0 - dk->lost / dk->demand : 1.0;
    k->demand_units += dk->demand;
    k->lost_units += dk->lost;
}

/* Day t of every scenario: goods arrive and plans are made on the
 * morning's states first, then each scenario ships and sells. */
static ot_err run_day(replay_ctx *c, sim_state *st, const ot_plan_forecast *fc, ot_day t,
                      ot_replay *r, size_t i)
{
    day_plan dp[OT_REPLAY_SCENARIOS];
    memset(dp, 0, sizeof dp);
    ot_err err = OT_OK;
    for (int sc = 0; err == OT_OK && sc < OT_REPLAY_SCENARIOS; sc++) {
        receive(&st[sc], c->S, t);
        err = solve_day(c, st, fc, (ot_replay_scenario)sc, t, &r->kpis[sc], dp);
    }
    for (int sc = 0; err == OT_OK && sc < OT_REPLAY_SCENARIOS; sc++) {
        const ot_factors *real = sc == OT_REPLAY_BASELINE ? NULL : c->reality;
        ot_replay_day *dk = &r->day[sc][i];
        dk->day = t;
        err = ship(c, &st[sc], dp[sc].plan, real, t, &r->kpis[sc], dk);
        if (err == OT_OK)
            serve(c, &st[sc], t, &r->kpis[sc], dk, r->node_lost[sc]);
        if (c->in->progress)
            c->in->progress(c->in->progress_ctx, ++c->done, c->total);
    }
    for (int sc = 0; sc < OT_REPLAY_SCENARIOS; sc++) {
        if (!dp[sc].own)
            continue;
        ot_plan_free(dp[sc].plan);
        ot_twin_free(dp[sc].tw);
    }
    return err;
}

ot_err ot_replay_run(const ot_replay_input *in, const ot_lp_solver *solver, ot_diag *diag,
                     ot_replay **out)
{
    *out = NULL;
    ot_err err = check_input(in, diag);
    if (err != OT_OK)
        return err;
    replay_ctx c;
    sim_state st[OT_REPLAY_SCENARIOS];
    memset(st, 0, sizeof st);
    ot_replay *r = ot_calloc(1, sizeof *r);
    if (!r)
        return OT_ERR_NOMEM;
    r->from = in->from;
    r->days = (size_t)(in->to - in->from + 1);
    r->H = in->horizon_days;
    err = ctx_init(&c, in, solver, diag, &r->feed_records);
    r->nodes = c.N;
    c.total = r->days * OT_REPLAY_SCENARIOS;
    for (int sc = 0; err == OT_OK && sc < OT_REPLAY_SCENARIOS; sc++) {
        r->day[sc] = ot_calloc(r->days, sizeof *r->day[sc]);
        r->node_lost[sc] = ot_calloc(c.N + 1, sizeof *r->node_lost[sc]);
        err = r->day[sc] && r->node_lost[sc] ? state_init(&st[sc], &c) : OT_ERR_NOMEM;
    }
    for (size_t i = 0; err == OT_OK && i < r->days; i++) {
        ot_day t = in->from + (ot_day)i;
        /* one forecast a day, from the history before t, for every scenario */
        ot_plan_forecast *fc = NULL;
        err = ot_plan_forecast_run(c.hist, t, in->horizon_days, solver, &fc);
        if (err == OT_OK)
            err = run_day(&c, st, fc, t, r, i);
        ot_plan_forecast_free(fc);
        if (err != OT_OK && err != OT_ERR_NOMEM) {
            char day[11];
            date_of(t, day);
            ot_diag_report(diag, OT_DIAG_ERROR, NULL, 0, "replay: the plan of %s failed: %s",
                           day, ot_err_str(err));
        }
    }
    for (int sc = 0; sc < OT_REPLAY_SCENARIOS; sc++) {
        ot_replay_kpis *k = &r->kpis[sc];
        k->fill_rate = k->demand_units > 0 ? 1.0 - k->lost_units / k->demand_units : 1.0;
        state_release(&st[sc]);
    }
    ctx_release(&c);
    if (err != OT_OK) {
        ot_replay_free(r);
        return err;
    }
    *out = r;
    return OT_OK;
}
