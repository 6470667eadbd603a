/* Disruption replay: small networks built in memory, replayed by hand.
 * Every case states the day-by-day reasoning behind its numbers.
 *
 * The network: SUP (supplier, unlimited) -> S1 (store), lead time 1 day,
 * 0.01 a unit, no capacity limit unless given; one SKU, holding 0.1 a
 * unit-day, stockout 10 a unit, case pack 1. S1 sold exactly 10 a day for
 * 28 days before the window and 10 a day in it, so every forecast is 10 a
 * day and every plan ships, on day t, the 10 units that day t+1 needs
 * (holding costs, so nothing earlier), unless it knows it cannot. S1 holds
 * 10 units on the morning of D0 (day 1's demand); nothing is in transit.
 * The "chain" variant puts a DC between them (SUP -> DC 0.01, DC -> S1
 * 0.1 a unit, 1 day each). */
#include <check.h>
#include <math.h>
#include <string.h>

#include "lp/glpk_solver.h"
#include "omnitwin/replay.h"

#define D0 20454 /* 2026-01-01 */
#define DAYS 5
#define EPS 1e-9

Suite *ot_suite_replay(void);

static void node(ot_twin *t, const char *id, ot_node_kind kind)
{
    ot_node_info ni = {.id = id, .kind = kind, .region = "", .capacity = INFINITY};
    ot_node_ix n;
    ck_assert_int_eq(ot_twin_add_node(t, &ni, &n), OT_OK);
}

static void lane(ot_twin *t, ot_node_ix from, ot_node_ix to, double cost, double capacity)
{
    ot_lane_info li = {.from = from, .to = to, .lead_time_days = 1, .cost_per_unit = cost,
                       .capacity_per_day = capacity, .mode = ""};
    ot_lane_ix l;
    ck_assert_int_eq(ot_twin_add_lane(t, &li, &l), OT_OK);
}

/* SUP -> S1 (chain: SUP -> DC -> S1); S1 holds `opening`; the last lane
 * carries `capacity` units a day. */
static ot_twin *network_of(int64_t opening, double capacity, bool chain)
{
    ot_twin *t = ot_twin_new(0);
    ck_assert_ptr_nonnull(t);
    node(t, "SUP", OT_NODE_SUPPLIER);
    if (chain)
        node(t, "DC", OT_NODE_DC);
    node(t, "S1", OT_NODE_STORE);
    ot_sku_info si = {.id = "A", .category = "", .unit_cost = 1, .holding_cost = 0.1,
                      .stockout_cost = 10, .case_pack = 1, .volume = 1};
    ot_sku_ix s;
    ck_assert_int_eq(ot_twin_add_sku(t, &si, &s), OT_OK);
    ck_assert_int_eq(ot_twin_seal_catalog(t, D0 - 28, D0 + DAYS - 1), OT_OK);
    ot_node_ix store = chain ? 2 : 1;
    if (chain)
        lane(t, 0, 1, 0.01, INFINITY);
    lane(t, store - 1, store, chain ? 0.1 : 0.01, capacity);
    for (ot_day d = D0 - 28; d < D0 + DAYS; d++)
        ck_assert_int_eq(ot_twin_add_demand(t, store, 0, d, 10), OT_OK);
    ck_assert_int_eq(ot_twin_set_on_hand(t, store, 0, opening), OT_OK);
    return t;
}

static ot_twin *network(int64_t opening)
{
    return network_of(opening, INFINITY, false);
}

/* An own-feed record on lane SUP->S1 for days first..last (dates,
 * inclusive), issued at the start of day `issued`. */
static ot_disruption lane_record(const char *id, ot_day first, ot_day last, ot_day issued)
{
    static const ot_lane_ref lanes[] = {{"SUP", "S1"}};
    return (ot_disruption){.file = "feed.xml", .line = 3, .id = id, .dialect = OT_DIALECT_OWN,
                           .kind = OT_DISR_TRAFFIC, .group = "", .event = "", .severity = "",
                           .issued = (ot_ts)issued * 86400, .start = (ot_ts)first * 86400,
                           .end = (ot_ts)last * 86400, .end_is_date = true, .lanes = lanes,
                           .lane_count = 1};
}

static ot_disruption closure(ot_day first, ot_day last, ot_day issued)
{
    ot_disruption rec = lane_record("close", first, last, issued);
    rec.kind = OT_DISR_CLOSURE;
    rec.factors.closed = true;
    return rec;
}

/* A replay and everything it was made from (freed together by done()). */
typedef struct {
    ot_twin *twin;
    ot_disruption_set *feed;
    ot_replay *r;
    ot_err err;
    ot_diag *diag;
} outcome;

/* Replays t (taken over) with the feed holding rec (NULL: no feed) over
 * from..to, horizon 7, one solver thread. */
static outcome replay_window(ot_twin *t, const ot_disruption *rec, ot_day from, ot_day to)
{
    outcome o = {.twin = t, .diag = ot_diag_new(20)};
    ck_assert_ptr_nonnull(o.diag);
    if (rec) {
        o.feed = ot_disruption_set_new();
        ck_assert_int_eq(ot_disruption_set_add(o.feed, rec), OT_OK);
    }
    ot_glpk *g = ot_glpk_new(1);
    ck_assert_ptr_nonnull(g);
    ot_lp_solver solver;
    ot_glpk_solver(g, &solver);
    ot_replay_input in = {.history = t, .feed = o.feed, .from = from, .to = to,
                          .horizon_days = 7};
    o.err = ot_replay_run(&in, &solver, o.diag, &o.r);
    ot_glpk_free(g);
    return o;
}

static outcome replay(ot_twin *t, const ot_disruption *rec)
{
    return replay_window(t, rec, D0, D0 + DAYS - 1);
}

static void done(outcome *o)
{
    ot_replay_free(o->r);
    ot_diag_free(o->diag);
    ot_disruption_set_free(o->feed);
    ot_twin_free(o->twin);
}

static const ot_replay_kpis *kpis(const outcome *o, ot_replay_scenario sc)
{
    ck_assert_int_eq(o->err, OT_OK);
    return ot_replay_get_kpis(o->r, sc);
}

static void expect(const ot_replay_kpis *k, double lost, double transport, double holding,
                   int64_t late, int64_t stockout_days)
{
    ck_assert_double_eq_tol(k->demand_units, 50, EPS);
    ck_assert_double_eq_tol(k->lost_units, lost, EPS);
    ck_assert_double_eq_tol(k->fill_rate, 1 - lost / 50, EPS);
    ck_assert_double_eq_tol(k->transport_cost, transport, EPS);
    ck_assert_double_eq_tol(k->holding_cost, holding, EPS);
    ck_assert_int_eq(k->late_shipments, late);
    ck_assert_int_eq(k->stockout_days, stockout_days);
    ck_assert_int_eq(k->plans, DAYS);
    ck_assert_int_eq(k->relaxed_plans, 0);
}

/* The lane closed on D0+1 and D0+2, known since D0-1.
 * baseline: 10 leave every day, 10 arrive every morning from D0+1, each
 *   day's 10 are sold: lost 0, 50 units shipped (0.50), stock 0 every
 *   evening.
 * unforeseen: D0 ships 10 (arrive D0+1). D0+1 and D0+2 the plans ship 10
 *   each but the lane is closed: nothing leaves. D0+2 and D0+3 have no
 *   stock: 20 lost on 2 store-days. D0+3 and D0+4 ship 10 each: 30 units
 *   shipped (0.30), stock 0 every evening.
 * foreseen: D0's plan knows that nothing can leave on D0+1 and D0+2, so
 *   D0 ships 30 (D0+1..D0+3's demand: holding 0.1 beats losing 10).
 *   Evenings: D0 0, D0+1 20, D0+2 10, D0+3 0, D0+4 0: holding 3.0. D0+3
 *   and D0+4 ship 10 each: 50 units (0.50), nothing lost. */
START_TEST(test_closure)
{
    ot_disruption rec = closure(D0 + 1, D0 + 2, D0 - 1);
    outcome o = replay(network(10), &rec);
    expect(kpis(&o, OT_REPLAY_BASELINE), 0, 0.50, 0, 0, 0);
    expect(kpis(&o, OT_REPLAY_UNFORESEEN), 20, 0.30, 0, 0, 2);
    expect(kpis(&o, OT_REPLAY_FORESEEN), 0, 0.50, 3.0, 0, 0);
    ck_assert_int_eq(kpis(&o, OT_REPLAY_UNFORESEEN)->cut_units, 20);
    ck_assert_uint_eq(ot_replay_feed_records(o.r), 1);
    /* unforeseen wakes up as the baseline on D0, on D0+1 (the lane was
     * open on D0) and again on D0+4 (10 on the shelf, nothing on the way)
     * and follows its plans; foreseen plans with the closure until it is
     * past (D0+2), then wakes up as the baseline on D0+3 (10 on the shelf)
     * and D0+4 */
    ck_assert_int_eq(kpis(&o, OT_REPLAY_BASELINE)->shared_plans, 0);
    ck_assert_int_eq(kpis(&o, OT_REPLAY_UNFORESEEN)->shared_plans, 3);
    ck_assert_int_eq(kpis(&o, OT_REPLAY_FORESEEN)->shared_plans, 2);
    /* all of it at S1 */
    ck_assert_uint_eq(ot_replay_node_count(o.r), 2);
    ck_assert_double_eq_tol(ot_replay_node_lost(o.r, OT_REPLAY_UNFORESEEN, 1), 20, EPS);
    ck_assert_double_eq_tol(ot_replay_node_lost(o.r, OT_REPLAY_UNFORESEEN, 0), 0, EPS);
    ck_assert_double_eq_tol(ot_replay_node_lost(o.r, OT_REPLAY_FORESEEN, 1), 0, EPS);
    /* the day series add up to the totals and show where it hurt */
    const ot_replay_day *d = ot_replay_get_days(o.r, OT_REPLAY_UNFORESEEN);
    ck_assert_uint_eq(ot_replay_day_count(o.r), DAYS);
    double lost[DAYS] = {0, 0, 10, 10, 0}, shipped[DAYS] = {10, 0, 0, 10, 10};
    for (int i = 0; i < DAYS; i++) {
        ck_assert_int_eq(d[i].day, D0 + i);
        ck_assert_double_eq_tol(d[i].demand, 10, EPS);
        ck_assert_double_eq_tol(d[i].lost, lost[i], EPS);
        ck_assert_double_eq_tol(d[i].fill_rate, 1 - lost[i] / 10, EPS);
        ck_assert_double_eq_tol(d[i].shipped, shipped[i], EPS);
        ck_assert_double_eq_tol(d[i].stock, 0, EPS);
    }
    const ot_replay_day *f = ot_replay_get_days(o.r, OT_REPLAY_FORESEEN);
    double stock[DAYS] = {0, 20, 10, 0, 0};
    for (int i = 0; i < DAYS; i++)
        ck_assert_double_eq_tol(f[i].stock, stock[i], EPS);
    done(&o);
}
END_TEST

/* A closure issued only on D0+2, the day after it began: the foreseen plan
 * of D0 and D0+1 knew nothing, so foreseen = unforeseen (20 lost). */
START_TEST(test_foresight_starts_when_issued)
{
    ot_disruption rec = closure(D0 + 1, D0 + 2, D0 + 2);
    outcome o = replay(network(10), &rec);
    expect(kpis(&o, OT_REPLAY_UNFORESEEN), 20, 0.30, 0, 0, 2);
    expect(kpis(&o, OT_REPLAY_FORESEEN), 20, 0.30, 0, 0, 2);
    done(&o);
}
END_TEST

/* Goods shipped on D0+1 take 2 days more (3 instead of 1), known since
 * D0-1.
 * unforeseen: D0 ships 10 (arrive D0+1). D0+1 ships 10, expected D0+2,
 *   really D0+4: one late shipment. D0+2: nothing arrives, 10 lost; the
 *   plan counts the overdue 10 as arriving today and ships 10 (arrive
 *   D0+3). D0+3: 10 arrive and are sold; the plan still counts the
 *   overdue 10 as today's, so it holds 20 for D0+3..D0+4 and ships
 *   nothing. D0+4: the late 10 arrive and are sold; 10 leave. Shipped
 *   10+10+10+0+10 = 40 (0.40), lost 10 on 1 store-day, no evening stock.
 * foreseen: D0 ships 20 (D0+1 and D0+2: shipping on D0+1 would arrive on
 *   D0+4), 10 held on the evening of D0+1 (holding 1.0); D0+2 ships D0+3's
 *   10; D0+4's 10 leave on D0+1 (3 days) or D0+3 (1 day), the same cost;
 *   D0+4 ships D0+5's. 50 units (0.50), nothing lost, nothing late. */
START_TEST(test_delay_is_late)
{
    ot_disruption rec = lane_record("slow", D0 + 1, D0 + 1, D0 - 1);
    rec.factors.has_added_days = true;
    rec.factors.added_days = 2;
    outcome o = replay(network(10), &rec);
    expect(kpis(&o, OT_REPLAY_BASELINE), 0, 0.50, 0, 0, 0);
    expect(kpis(&o, OT_REPLAY_UNFORESEEN), 10, 0.40, 0, 1, 1);
    expect(kpis(&o, OT_REPLAY_FORESEEN), 0, 0.50, 1.0, 0, 0);
    ck_assert_int_eq(ot_replay_get_days(o.r, OT_REPLAY_UNFORESEEN)[1].late, 1);
    done(&o);
}
END_TEST

/* A lane of 10 units a day at half capacity on D0+1..D0+4, in a record
 * issued after the window (so foreseen knew nothing either). The plans ship
 * 10 a day; D0 ships 10, D0+1..D0+4 ship 5 each (20 cut). D0+1 sells the
 * 10 shipped on D0; D0+2..D0+4 get 5 each: 15 lost on 3 store-days;
 * shipped 10 + 4 x 5 = 30 (0.30). The baseline ships 10 a day (0.50). */
START_TEST(test_capacity_cut)
{
    ot_disruption rec = lane_record("half", D0 + 1, D0 + 4, D0 + 10);
    rec.factors.has_capacity = true;
    rec.factors.capacity = 0.5;
    outcome o = replay(network_of(10, 10, false), &rec);
    expect(kpis(&o, OT_REPLAY_BASELINE), 0, 0.50, 0, 0, 0);
    expect(kpis(&o, OT_REPLAY_UNFORESEEN), 15, 0.30, 0, 0, 3);
    expect(kpis(&o, OT_REPLAY_FORESEEN), 15, 0.30, 0, 0, 3);
    ck_assert_int_eq(kpis(&o, OT_REPLAY_UNFORESEEN)->cut_units, 20);
    ck_assert_int_eq(kpis(&o, OT_REPLAY_BASELINE)->cut_units, 0);
    done(&o);
}
END_TEST

/* The chain, S1 holding 20 (D0 and D0+1), the DC nothing. Every plan
 * ships just in time: on day t, 10 SUP->DC for S1's demand of t+2 and 10
 * DC->S1 for t+1. Goods leaving SUP on D0 take 2 days more (known since
 * D0-1).
 * baseline: SUP->DC 10 a day (50 units, 0.50), DC->S1 10 a day from D0+1
 *   (40, 4.00): 4.50; S1 holds 10 on the evening of D0: holding 1.0.
 * unforeseen: D0's 10 for the DC leave (expected D0+1, really D0+3: one
 *   late shipment). D0+1: the plan counts them as arriving that day and
 *   sends 10 DC->S1, but the DC holds nothing: cut. D0+2: S1 has nothing,
 *   10 lost; the 10 of D0+1 reached the DC and go on. D0+3: the late 10
 *   reach the DC and go on. SUP->DC 10, 10, 0, 10, 10 (0.40), DC->S1 0,
 *   0, 10, 10, 10 (3.00): 3.40; holding 1.0, 1 stock-out day.
 * foreseen: D0+2's demand cannot be met either (the DC can receive nothing
 *   before D0+3), so the same 10 are lost and the same units shipped
 *   (3.40, holding 1.0), but nothing is late and nothing is cut. */
START_TEST(test_delay_upstream_cuts_at_origin)
{
    static const ot_lane_ref up[] = {{"SUP", "DC"}};
    ot_disruption rec = lane_record("slow-supply", D0, D0, D0 - 1);
    rec.lanes = up;
    rec.factors.has_added_days = true;
    rec.factors.added_days = 2;
    outcome o = replay(network_of(20, INFINITY, true), &rec);
    expect(kpis(&o, OT_REPLAY_BASELINE), 0, 4.50, 1.0, 0, 0);
    expect(kpis(&o, OT_REPLAY_UNFORESEEN), 10, 3.40, 1.0, 1, 1);
    expect(kpis(&o, OT_REPLAY_FORESEEN), 10, 3.40, 1.0, 0, 1);
    ck_assert_int_ge(kpis(&o, OT_REPLAY_UNFORESEEN)->cut_units, 10);
    ck_assert_int_eq(kpis(&o, OT_REPLAY_FORESEEN)->cut_units, 0);
    ck_assert_int_eq(kpis(&o, OT_REPLAY_BASELINE)->cut_units, 0);
    done(&o);
}
END_TEST

/* No feed: the three scenarios are the same replay. */
START_TEST(test_no_feed)
{
    outcome o = replay(network(10), NULL);
    for (int sc = 0; sc < OT_REPLAY_SCENARIOS; sc++)
        expect(kpis(&o, (ot_replay_scenario)sc), 0, 0.50, 0, 0, 0);
    ck_assert_uint_eq(ot_replay_feed_records(o.r), 0);
    /* one plan a day, followed by all three */
    ck_assert_int_eq(kpis(&o, OT_REPLAY_UNFORESEEN)->shared_plans, DAYS);
    ck_assert_int_eq(kpis(&o, OT_REPLAY_FORESEEN)->shared_plans, DAYS);
    done(&o);
}
END_TEST

/* Holding cost and fill rate arithmetic: 25 units on the morning of D0 and
 * the lane closed on every day, known since long ago. Unforeseen and
 * foreseen: the store sells 10, 10, 5 and then nothing: evenings 15, 5, 0,
 * 0, 0 units, holding (15 + 5) x 0.1 = 2.0; lost 5 + 10 + 10 = 25 of 50
 * (fill 0.5) on 3 store-days; nothing leaves.
 * baseline: D0 sells 10 (15 left), D0+1 sells 10 (5 left); the plan of D0
 * ships nothing, D0+1's ships 5 for D0+2, then 10 a day: shipped 0 + 5 +
 * 10 + 10 + 10 = 35 (0.35), the same evenings (holding 2.0), nothing lost. */
START_TEST(test_kpi_arithmetic)
{
    ot_disruption rec = closure(D0 - 10, D0 + 30, D0 - 20);
    outcome o = replay(network(25), &rec);
    expect(kpis(&o, OT_REPLAY_UNFORESEEN), 25, 0, 2.0, 0, 3);
    expect(kpis(&o, OT_REPLAY_FORESEEN), 25, 0, 2.0, 0, 3);
    expect(kpis(&o, OT_REPLAY_BASELINE), 0, 0.35, 2.0, 0, 0);
    ck_assert_str_eq(ot_replay_metric_name(0), "fill_rate");
    ck_assert_str_eq(ot_replay_metric_name(5), "stockout_days");
    ck_assert_double_eq_tol(ot_replay_metric(kpis(&o, OT_REPLAY_FORESEEN), 0), 0.5, EPS);
    ck_assert_double_eq_tol(ot_replay_metric(kpis(&o, OT_REPLAY_FORESEEN), 1), 25, EPS);
    ck_assert_double_eq_tol(ot_replay_metric(kpis(&o, OT_REPLAY_BASELINE), 2), 0.35, EPS);
    ck_assert_double_eq_tol(ot_replay_metric(kpis(&o, OT_REPLAY_FORESEEN), 3), 2.0, EPS);
    ck_assert_double_eq_tol(ot_replay_metric(kpis(&o, OT_REPLAY_FORESEEN), 5), 3, EPS);
    ck_assert(ot_replay_metric_higher_is_better(0));
    ck_assert(!ot_replay_metric_higher_is_better(1));
    done(&o);
}
END_TEST

/* The same inputs give the same numbers, day by day. */
START_TEST(test_deterministic)
{
    ot_disruption rec = closure(D0 + 1, D0 + 2, D0 - 1);
    outcome a = replay(network(10), &rec), b = replay(network(10), &rec);
    for (int sc = 0; sc < OT_REPLAY_SCENARIOS; sc++) {
        ck_assert_mem_eq(ot_replay_get_kpis(a.r, (ot_replay_scenario)sc),
                         ot_replay_get_kpis(b.r, (ot_replay_scenario)sc), sizeof(ot_replay_kpis));
        ck_assert_mem_eq(ot_replay_get_days(a.r, (ot_replay_scenario)sc),
                         ot_replay_get_days(b.r, (ot_replay_scenario)sc),
                         DAYS * sizeof(ot_replay_day));
    }
    done(&a);
    done(&b);
}
END_TEST

static void expect_error(ot_day from, ot_day to, const char *needle)
{
    outcome o = replay_window(network(10), NULL, from, to);
    ck_assert_int_eq(o.err, OT_ERR_INPUT);
    ck_assert_ptr_null(o.r);
    ck_assert_uint_ge(ot_diag_count(o.diag), 1);
    ck_assert_ptr_nonnull(strstr(ot_diag_get(o.diag, 0)->message, needle));
    done(&o);
}

START_TEST(test_bad_window)
{
    /* history: 2025-12-04 .. 2026-01-05 */
    expect_error(D0 + 2, D0 + 1, "--from 2026-01-03 is after --to 2026-01-02");
    expect_error(D0, D0 + DAYS, "the window 2026-01-01..2026-01-06 is not inside the demand "
                                "history 2025-12-04..2026-01-05");
    expect_error(D0 - 40, D0, "is not inside the demand history");
    expect_error(D0 - 28, D0 - 28 + OT_REPLAY_MAX_DAYS, "days (expected at most 366)");
}
END_TEST

/* A window that starts 3 days into the history replays, with a warning. */
START_TEST(test_short_history_warns)
{
    outcome o = replay_window(network(10), NULL, D0 - 25, D0 - 21);
    ck_assert_int_eq(o.err, OT_OK);
    ck_assert_uint_eq(ot_diag_errors(o.diag), 0);
    ck_assert_uint_eq(ot_diag_warnings(o.diag), 1);
    ck_assert_ptr_nonnull(strstr(ot_diag_get(o.diag, 0)->message,
                                 "history starts on 2025-12-04, only 3 days before --from "
                                 "2025-12-07"));
    done(&o);
}
END_TEST

/* A start twin whose network differs is refused; so is a horizon of 0. */
START_TEST(test_start_twin_must_match)
{
    ot_twin *t = network(10), *other = ot_twin_new(0);
    ck_assert_ptr_nonnull(other);
    node(other, "X", OT_NODE_STORE);
    ck_assert_int_eq(ot_twin_seal_catalog(other, 1, 0), OT_OK);
    ot_diag *diag = ot_diag_new(5);
    ot_replay_input in = {.history = t, .start = other, .from = D0, .to = D0, .horizon_days = 7};
    ot_replay *r = NULL;
    ck_assert_int_eq(ot_replay_run(&in, NULL, diag, &r), OT_ERR_INPUT);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(ot_diag_get(diag, 0)->message, "differ"));
    in.start = NULL;
    in.horizon_days = 0;
    ck_assert_int_eq(ot_replay_run(&in, NULL, diag, &r), OT_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(ot_diag_get(diag, 1)->message, "horizon 0 days"));
    ot_diag_free(diag);
    ot_twin_free(other);
    ot_twin_free(t);
}
END_TEST

Suite *ot_suite_replay(void)
{
    Suite *s = suite_create("replay");
    TCase *tc = tcase_create("scenarios");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_closure);
    tcase_add_test(tc, test_foresight_starts_when_issued);
    tcase_add_test(tc, test_delay_is_late);
    tcase_add_test(tc, test_capacity_cut);
    tcase_add_test(tc, test_delay_upstream_cuts_at_origin);
    tcase_add_test(tc, test_no_feed);
    suite_add_tcase(s, tc);
    tc = tcase_create("kpis");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_kpi_arithmetic);
    tcase_add_test(tc, test_deterministic);
    suite_add_tcase(s, tc);
    tc = tcase_create("bad input");
    tcase_add_test(tc, test_bad_window);
    tcase_add_test(tc, test_short_history_warns);
    tcase_add_test(tc, test_start_twin_must_match);
    suite_add_tcase(s, tc);
    return s;
}
