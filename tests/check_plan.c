/* The nightly plan: small twins built in memory, solved by hand. Every
 * case states the reasoning that gives its expected orders and objective. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "lp/glpk_solver.h"
#include "omnitwin/plan.h"

#define AS_OF 20000 /* 2024-10-04 */

Suite *ot_suite_plan(void);

typedef struct {
    ot_twin *twin;
    ot_node_ix node[8];
    ot_sku_ix sku[4];
    size_t nodes, skus;
    double *demand;
    int H;
} fixture;

static void add_node(fixture *f, const char *id, ot_node_kind kind, double capacity)
{
    ot_node_info ni = {.id = id, .kind = kind, .region = "", .capacity = capacity};
    ck_assert_int_eq(ot_twin_add_node(f->twin, &ni, &f->node[f->nodes]), OT_OK);
    f->nodes++;
}

static void add_sku(fixture *f, const char *id, double holding, double stockout, int pack)
{
    ot_sku_info si = {.id = id, .category = "", .unit_cost = 1, .holding_cost = holding,
                      .stockout_cost = stockout, .case_pack = pack, .volume = 1};
    ck_assert_int_eq(ot_twin_add_sku(f->twin, &si, &f->sku[f->skus]), OT_OK);
    f->skus++;
}

static void seal(fixture *f, int H)
{
    ck_assert_int_eq(ot_twin_seal_catalog(f->twin, AS_OF - 7, AS_OF - 1), OT_OK);
    f->H = H;
    f->demand = ot_calloc(f->nodes * f->skus * (size_t)H, sizeof *f->demand);
    ck_assert_ptr_nonnull(f->demand);
}

static void lane(fixture *f, int from, int to, int lead, double cost, double cap)
{
    ot_lane_info li = {.from = f->node[from], .to = f->node[to], .lead_time_days = lead,
                       .cost_per_unit = cost, .capacity_per_day = cap, .mode = ""};
    ot_lane_ix l;
    ck_assert_int_eq(ot_twin_add_lane(f->twin, &li, &l), OT_OK);
}

static void demand(fixture *f, int node, int sku, const double *d)
{
    size_t pair = (size_t)f->node[node] * f->skus + (size_t)f->sku[sku];
    memcpy(f->demand + pair * (size_t)f->H, d, (size_t)f->H * sizeof *d);
}

static void stock(fixture *f, int node, int sku, int64_t qty)
{
    ck_assert_int_eq(ot_twin_set_on_hand(f->twin, f->node[node], f->sku[sku], qty), OT_OK);
}

static fixture *new_fixture(void)
{
    fixture *f = ot_calloc(1, sizeof *f);
    f->twin = ot_twin_new(0);
    ck_assert_ptr_nonnull(f->twin);
    return f;
}

static void free_fixture(fixture *f)
{
    ot_twin_free(f->twin);
    ot_free(f->demand);
    ot_free(f);
}

typedef struct {
    ot_plan *plan;
    ot_err err;
    ot_diag *diag;
} outcome;

static outcome run_blocks(fixture *f, size_t joint_max_cols, size_t mip_max_cols, int threads,
                          size_t block_stores)
{
    outcome o = {0};
    ot_plan_input in = {.twin = f->twin, .as_of = AS_OF, .horizon_days = f->H,
                        .demand = f->demand, .joint_max_cols = joint_max_cols,
                        .mip_max_cols = mip_max_cols, .block_stores = block_stores};
    ot_glpk *g = ot_glpk_new(threads);
    ck_assert_ptr_nonnull(g);
    ot_lp_solver solver;
    ot_glpk_solver(g, &solver);
    o.diag = ot_diag_new(50);
    o.err = ot_plan_run(&in, &solver, o.diag, &o.plan);
    ot_glpk_free(g);
    return o;
}

static outcome run_plan(fixture *f, size_t joint_max_cols, size_t mip_max_cols, int threads)
{
    return run_blocks(f, joint_max_cols, mip_max_cols, threads, 0);
}

static void done(outcome *o)
{
    ot_plan_free(o->plan);
    ot_diag_free(o->diag);
}

static void expect_order(const ot_order *o, const fixture *f, int from, int to, int sku,
                         int64_t qty, int ship_t, int lead, ot_order_kind kind)
{
    ck_assert_int_eq(o->from, f->node[from]);
    ck_assert_int_eq(o->to, f->node[to]);
    ck_assert_int_eq(o->sku, f->sku[sku]);
    ck_assert_int_eq(o->qty, qty);
    ck_assert_int_eq(o->ship_t, ship_t);
    ck_assert_int_eq(o->ship_day, AS_OF + ship_t - 1);
    ck_assert_int_eq(o->arrive_day, AS_OF + ship_t - 1 + lead);
    ck_assert_int_eq(o->kind, kind);
}

#define EXPECT_NEAR(a, b) ck_assert_double_eq_tol((a), (b), 1e-6)

/* Store with 5 on hand, demand 4, 6, 6; supplier lane lead 1 day, 2 per
 * unit; holding 1, stockout 10. Day 1 uses stock (1 left, holding 1); day 2
 * needs 5 more shipped on day 1, day 3 needs 6 shipped on day 2; a shipment
 * on day 3 would arrive after the horizon. Objective 2*11 + 1 = 23. */
static fixture *single_store(int pack)
{
    fixture *f = new_fixture();
    add_node(f, "SUP", OT_NODE_SUPPLIER, INFINITY);
    add_node(f, "S1", OT_NODE_STORE, INFINITY);
    add_sku(f, "A", 1, 10, pack);
    seal(f, 3);
    lane(f, 0, 1, 1, 2, INFINITY);
    stock(f, 1, 0, 5);
    demand(f, 1, 0, (double[]){4, 6, 6});
    return f;
}

START_TEST(test_single_store)
{
    fixture *f = single_store(1);
    outcome o = run_plan(f, 0, 0, 1);
    ck_assert_int_eq(o.err, OT_OK);
    size_t n;
    const ot_order *ord = ot_plan_orders(o.plan, &n);
    ck_assert_uint_eq(n, 2);
    expect_order(&ord[0], f, 0, 1, 0, 5, 1, 1, OT_ORDER_PURCHASE);
    expect_order(&ord[1], f, 0, 1, 0, 6, 2, 1, OT_ORDER_PURCHASE);
    const ot_plan_summary *s = ot_plan_get_summary(o.plan);
    EXPECT_NEAR(s->objective, 23);
    EXPECT_NEAR(s->lp_objective, 23);
    EXPECT_NEAR(s->transport_cost, 22);
    EXPECT_NEAR(s->holding_cost, 1);
    EXPECT_NEAR(s->stockout_cost, 0);
    EXPECT_NEAR(s->fill_rate, 1);
    ck_assert_int_eq(s->units, 11);
    EXPECT_NEAR(ot_plan_stock(o.plan, f->node[1], f->sku[0], 1), 1);
    EXPECT_NEAR(ot_plan_stock(o.plan, f->node[1], f->sku[0], 3), 0);
    done(&o);
    free_fixture(f);
}
END_TEST

/* A DC holding dc_stock and two stores wanting `want` each on day 2 of 2,
 * lanes lead 1 costing cost1 and cost2. */
static fixture *dc_two_stores(double holding, int pack, int64_t dc_stock, double want,
                              double cost1, double cost2)
{
    fixture *f = new_fixture();
    add_node(f, "DC", OT_NODE_DC, INFINITY);
    add_node(f, "S1", OT_NODE_STORE, INFINITY);
    add_node(f, "S2", OT_NODE_STORE, INFINITY);
    add_sku(f, "A", holding, 10, pack);
    seal(f, 2);
    lane(f, 0, 1, 1, cost1, INFINITY);
    lane(f, 0, 2, 1, cost2, INFINITY);
    stock(f, 0, 0, dc_stock);
    demand(f, 1, 0, (double[]){0, want});
    demand(f, 2, 0, (double[]){0, want});
    return f;
}

/* DC with 10 units, two stores wanting 8 each on day 2, lanes lead 1, cost
 * 1 to S1 and 3 to S2, stockout 10, holding 0.5. Both lanes pay; the cheap
 * one first: 8 to S1, the last 2 to S2, 6 lost at S2. No stock is held at
 * any day's end. Objective 8 + 6 + 60 = 74. */
START_TEST(test_dc_two_stores_scarce)
{
    fixture *f = dc_two_stores(0.5, 1, 10, 8, 1, 3);
    outcome o = run_plan(f, 0, 0, 2);
    ck_assert_int_eq(o.err, OT_OK);
    size_t n;
    const ot_order *ord = ot_plan_orders(o.plan, &n);
    ck_assert_uint_eq(n, 2);
    expect_order(&ord[0], f, 0, 1, 0, 8, 1, 1, OT_ORDER_REPLENISH);
    expect_order(&ord[1], f, 0, 2, 0, 2, 1, 1, OT_ORDER_REPLENISH);
    const ot_plan_summary *s = ot_plan_get_summary(o.plan);
    EXPECT_NEAR(s->objective, 74);
    EXPECT_NEAR(s->stockout_cost, 60);
    EXPECT_NEAR(s->lost_units, 6);
    EXPECT_NEAR(s->fill_rate, 10.0 / 16.0);
    done(&o);
    free_fixture(f);
}
END_TEST

/* S1 needs 5 on day 2. The DC's lane takes 2 days (arrives day 3: late);
 * S2 holds 5 it does not need, lateral lane lead 1 cost 2. Transfer 5 on
 * day 1 (10) beats losing 5 (50). The DC keeps its 10 units all 3 days at
 * holding 0.1 (3). Objective 13. */
START_TEST(test_lateral_transfer)
{
    fixture *f = new_fixture();
    add_node(f, "DC", OT_NODE_DC, INFINITY);
    add_node(f, "S1", OT_NODE_STORE, INFINITY);
    add_node(f, "S2", OT_NODE_STORE, INFINITY);
    add_sku(f, "A", 0.1, 10, 1);
    seal(f, 3);
    lane(f, 0, 1, 2, 1, INFINITY);
    lane(f, 2, 1, 1, 2, INFINITY);
    stock(f, 0, 0, 10);
    stock(f, 2, 0, 5);
    demand(f, 1, 0, (double[]){0, 5, 0});
    outcome o = run_plan(f, 0, 0, 1);
    ck_assert_int_eq(o.err, OT_OK);
    size_t n;
    const ot_order *ord = ot_plan_orders(o.plan, &n);
    ck_assert_uint_eq(n, 1);
    expect_order(&ord[0], f, 2, 1, 0, 5, 1, 1, OT_ORDER_TRANSFER);
    EXPECT_NEAR(ot_plan_get_summary(o.plan)->objective, 13);
    done(&o);
    free_fixture(f);
}
END_TEST

/* Lane capacity 4 a day, lead 0, demand 5 a day for 3 days, stockout 10:
 * 4 a day moves (no day has room to ship ahead), 1 a day is lost.
 * Objective 12 + 30 = 42. */
START_TEST(test_binding_lane_capacity)
{
    fixture *f = new_fixture();
    add_node(f, "SUP", OT_NODE_SUPPLIER, INFINITY);
    add_node(f, "S1", OT_NODE_STORE, INFINITY);
    add_sku(f, "A", 0.5, 10, 1);
    seal(f, 3);
    lane(f, 0, 1, 0, 1, 4);
    demand(f, 1, 0, (double[]){5, 5, 5});
    outcome o = run_plan(f, 0, 0, 1);
    ck_assert_int_eq(o.err, OT_OK);
    size_t n;
    const ot_order *ord = ot_plan_orders(o.plan, &n);
    ck_assert_uint_eq(n, 3);
    for (int t = 0; t < 3; t++)
        expect_order(&ord[t], f, 0, 1, 0, 4, t + 1, 0, OT_ORDER_PURCHASE);
    const ot_plan_summary *s = ot_plan_get_summary(o.plan);
    EXPECT_NEAR(s->objective, 42);
    EXPECT_NEAR(s->lost_units, 3);
    ck_assert_uint_eq(s->coupled_skus, 0);
    done(&o);
    free_fixture(f);
}
END_TEST

/* Two SKUs share a lane of 4 a day (lead 0, cost 1); each wants 3 a day
 * for 3 days; stockout 10 for A, 20 for B. Alone each ships 3 a day (bound
 * 18); together they overrun the lane, so the group is solved jointly:
 * B gets 3 a day, A 1 a day, A loses 6. Objective 12 + 60 = 72. */
static fixture *shared_lane(void)
{
    fixture *f = new_fixture();
    add_node(f, "SUP", OT_NODE_SUPPLIER, INFINITY);
    add_node(f, "S1", OT_NODE_STORE, INFINITY);
    add_sku(f, "A", 0.5, 10, 1);
    add_sku(f, "B", 0.5, 20, 1);
    seal(f, 3);
    lane(f, 0, 1, 0, 1, 4);
    demand(f, 1, 0, (double[]){3, 3, 3});
    demand(f, 1, 1, (double[]){3, 3, 3});
    return f;
}

START_TEST(test_shared_capacity_joint)
{
    fixture *f = shared_lane();
    outcome o = run_plan(f, 0, 0, 2);
    ck_assert_int_eq(o.err, OT_OK);
    const ot_plan_summary *s = ot_plan_get_summary(o.plan);
    EXPECT_NEAR(s->lp_bound, 18);
    EXPECT_NEAR(s->lp_objective, 72);
    EXPECT_NEAR(s->objective, 72);
    EXPECT_NEAR(s->lost_units, 6);
    ck_assert_uint_eq(s->coupled_skus, 2);
    ck_assert_uint_eq(s->joint_lps, 1);
    ck_assert_str_eq(s->lp_status, "optimal");
    size_t n;
    const ot_order *ord = ot_plan_orders(o.plan, &n);
    ck_assert_uint_eq(n, 6);
    for (int t = 0; t < 3; t++) {
        expect_order(&ord[t], f, 0, 1, 0, 1, t + 1, 0, OT_ORDER_PURCHASE);
        expect_order(&ord[3 + t], f, 0, 1, 1, 3, t + 1, 0, OT_ORDER_PURCHASE);
    }
    done(&o);
    free_fixture(f);
}
END_TEST

/* The same with joint LPs forbidden: each SKU gets the lane in proportion
 * to its independent use (3:3, so 2 a day each); A loses 3 (30), B loses 3
 * (60), transport 12: 102; the gap to the bound 18 is reported. */
START_TEST(test_shared_capacity_split)
{
    fixture *f = shared_lane();
    outcome o = run_plan(f, 1, 0, 2);
    ck_assert_int_eq(o.err, OT_OK);
    const ot_plan_summary *s = ot_plan_get_summary(o.plan);
    EXPECT_NEAR(s->lp_objective, 102);
    EXPECT_NEAR(s->objective, 102);
    EXPECT_NEAR(s->decomposition_gap, (102.0 - 18.0) / 102.0);
    ck_assert_str_eq(s->lp_status, "optimal (decomposed)");
    ck_assert_uint_eq(s->joint_lps, 0);
    done(&o);
    free_fixture(f);
}
END_TEST

/* Supplier -> DC lead 2, DC -> S1 lead 1 (cost 1 each), nothing in stock,
 * 4 units in transit to S1 arriving on day 2, S1 demand 0, 4, 4, 4.
 * Day 2 is the pipeline's; day 3 cannot be reached (the earliest DC stock
 * arrives day 3, reaching S1 on day 4): 4 lost; day 4 from a purchase on
 * day 1 and a replenishment on day 3. Objective 4 + 4 + 40 = 48. */
START_TEST(test_lead_times_and_pipeline)
{
    fixture *f = new_fixture();
    add_node(f, "SUP", OT_NODE_SUPPLIER, INFINITY);
    add_node(f, "DC", OT_NODE_DC, INFINITY);
    add_node(f, "S1", OT_NODE_STORE, INFINITY);
    add_sku(f, "A", 0.1, 10, 1);
    seal(f, 4);
    lane(f, 0, 1, 2, 1, INFINITY);
    lane(f, 1, 2, 1, 1, INFINITY);
    ot_pipeline_info pi = {.order_id = "PO-1", .from = f->node[1], .to = f->node[2],
                           .sku = f->sku[0], .qty = 4, .arrive_day = AS_OF + 1, .open = true};
    ck_assert_int_eq(ot_twin_add_pipeline(f->twin, &pi), OT_OK);
    demand(f, 2, 0, (double[]){0, 4, 4, 4});
    outcome o = run_plan(f, 0, 0, 1);
    ck_assert_int_eq(o.err, OT_OK);
    size_t n;
    const ot_order *ord = ot_plan_orders(o.plan, &n);
    ck_assert_uint_eq(n, 2);
    expect_order(&ord[0], f, 0, 1, 0, 4, 1, 2, OT_ORDER_PURCHASE);
    expect_order(&ord[1], f, 1, 2, 0, 4, 3, 1, OT_ORDER_REPLENISH);
    const ot_plan_summary *s = ot_plan_get_summary(o.plan);
    EXPECT_NEAR(s->objective, 48);
    EXPECT_NEAR(s->lost_units, 4);
    EXPECT_NEAR(ot_plan_lost(o.plan, f->node[2], f->sku[0], 3), 4);
    done(&o);
    free_fixture(f);
}
END_TEST

/* An overdue shipment (due before the as-of date) arrives on day 1. */
START_TEST(test_overdue_pipeline_day_one)
{
    fixture *f = single_store(1);
    ot_pipeline_info pi = {.order_id = "PO-9", .from = f->node[0], .to = f->node[1],
                           .sku = f->sku[0], .qty = 6, .arrive_day = AS_OF - 3, .open = true};
    ck_assert_int_eq(ot_twin_add_pipeline(f->twin, &pi), OT_OK);
    outcome o = run_plan(f, 0, 0, 1);
    ck_assert_int_eq(o.err, OT_OK);
    /* 11 on day 1: 7 left, day 2 leaves 1 (holding 7 + 1), day 3 needs 5
     * shipped on day 2 (10). Objective 18. */
    size_t n;
    const ot_order *ord = ot_plan_orders(o.plan, &n);
    ck_assert_uint_eq(n, 1);
    expect_order(&ord[0], f, 0, 1, 0, 5, 2, 1, OT_ORDER_PURCHASE);
    EXPECT_NEAR(ot_plan_get_summary(o.plan)->objective, 18);
    done(&o);
    free_fixture(f);
}
END_TEST

/* Case packs of 6 on the single store: the LP ships 5 and 6; rounding to
 * the nearest pack ships 6 and 6, leaving 1 a day: transport 24, holding
 * 3, objective 27, 4 above the LP's 23. */
START_TEST(test_case_pack_rounding)
{
    fixture *f = single_store(6);
    outcome o = run_plan(f, 0, 0, 1);
    ck_assert_int_eq(o.err, OT_OK);
    size_t n;
    const ot_order *ord = ot_plan_orders(o.plan, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(ord[0].qty, 6);
    ck_assert_int_eq(ord[1].qty, 6);
    const ot_plan_summary *s = ot_plan_get_summary(o.plan);
    EXPECT_NEAR(s->objective, 27);
    EXPECT_NEAR(s->lp_objective, 23);
    EXPECT_NEAR(s->rounding_gap, 4.0 / 23.0);
    ck_assert_uint_eq(s->mip_lps, 0);
    done(&o);
    free_fixture(f);
}
END_TEST

/* The same by branch and bound: packs (1, 1) is the integer optimum (27);
 * (2, 0) costs 33, (1, 0) 64. */
START_TEST(test_case_pack_mip)
{
    fixture *f = single_store(6);
    outcome o = run_plan(f, 0, 100000, 1);
    ck_assert_int_eq(o.err, OT_OK);
    const ot_plan_summary *s = ot_plan_get_summary(o.plan);
    ck_assert_uint_eq(s->mip_lps, 1);
    EXPECT_NEAR(s->objective, 27);
    EXPECT_NEAR(s->lp_objective, 23);
    done(&o);
    free_fixture(f);
}
END_TEST

/* Rounding up must not ship stock a DC does not have: 7 units at the DC,
 * two stores wanting 3.5 each (pack 2, so 4 + 4 by nearest rounding):
 * repair takes a pack back from one store. */
START_TEST(test_round_repair_keeps_stock)
{
    fixture *f = dc_two_stores(0.1, 2, 7, 3.5, 1, 1);
    outcome o = run_plan(f, 0, 0, 1);
    ck_assert_int_eq(o.err, OT_OK);
    size_t n;
    const ot_order *ord = ot_plan_orders(o.plan, &n);
    int64_t shipped = 0;
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(ord[i].qty % 2, 0);
        shipped += ord[i].qty;
    }
    ck_assert_int_le(shipped, 7);
    ck_assert_int_eq(shipped, 6);
    ck_assert(ot_plan_stock(o.plan, f->node[0], f->sku[0], 1) >= 0);
    done(&o);
    free_fixture(f);
}
END_TEST

/* The scarce DC of dc_two_stores_scarce with one store a block: each block
 * gets the DC's 10 units in proportion to its demand (8 of 16: 5 each), so
 * S1 receives 5 and S2 5: transport 5 + 15, lost 3 + 3 (60), objective 80
 * against the joint 74 (the price of splitting). */
START_TEST(test_store_blocks_split_dc)
{
    fixture *f = dc_two_stores(0.5, 1, 10, 8, 1, 3);
    outcome o = run_blocks(f, 0, 0, 1, 1);
    ck_assert_int_eq(o.err, OT_OK);
    const ot_plan_summary *s = ot_plan_get_summary(o.plan);
    ck_assert_uint_eq(s->store_blocks, 2);
    ck_assert_str_eq(s->lp_status, "optimal (store blocks)");
    EXPECT_NEAR(s->objective, 80);
    EXPECT_NEAR(ot_plan_stock(o.plan, f->node[0], f->sku[0], 1), 0);
    size_t n;
    const ot_order *ord = ot_plan_orders(o.plan, &n);
    ck_assert_uint_eq(n, 2);
    expect_order(&ord[0], f, 0, 1, 0, 5, 1, 1, OT_ORDER_REPLENISH);
    expect_order(&ord[1], f, 0, 2, 0, 5, 1, 1, OT_ORDER_REPLENISH);
    done(&o);
    free_fixture(f);
}
END_TEST

/* Both blocks buy for the shared DC on the same day: one purchase order of
 * 4 + 4. Lead 0 everywhere, purchase 1 and delivery 0.5 a unit: 12. */
START_TEST(test_store_blocks_merge_purchases)
{
    fixture *f = new_fixture();
    add_node(f, "SUP", OT_NODE_SUPPLIER, INFINITY);
    add_node(f, "DC", OT_NODE_DC, INFINITY);
    add_node(f, "S1", OT_NODE_STORE, INFINITY);
    add_node(f, "S2", OT_NODE_STORE, INFINITY);
    add_sku(f, "A", 0.1, 10, 1);
    seal(f, 1);
    lane(f, 0, 1, 0, 1, INFINITY);
    lane(f, 1, 2, 0, 0.5, INFINITY);
    lane(f, 1, 3, 0, 0.5, INFINITY);
    demand(f, 2, 0, (double[]){4});
    demand(f, 3, 0, (double[]){4});
    outcome o = run_blocks(f, 0, 0, 2, 1);
    ck_assert_int_eq(o.err, OT_OK);
    size_t n;
    const ot_order *ord = ot_plan_orders(o.plan, &n);
    ck_assert_uint_eq(n, 3);
    expect_order(&ord[0], f, 0, 1, 0, 8, 1, 0, OT_ORDER_PURCHASE);
    expect_order(&ord[1], f, 1, 2, 0, 4, 1, 0, OT_ORDER_REPLENISH);
    expect_order(&ord[2], f, 1, 3, 0, 4, 1, 0, OT_ORDER_REPLENISH);
    EXPECT_NEAR(ot_plan_get_summary(o.plan)->objective, 12);
    EXPECT_NEAR(ot_plan_demand(o.plan, f->node[2], f->sku[0], 1), 4);
    done(&o);
    free_fixture(f);
}
END_TEST

/* The formulation's size: a shipment arriving after the horizon has no
 * column. Single store, H = 3, one lane of lead 1: x on days 1-2 only,
 * stock and served demand on 3 days, 3 balance rows; coefficients: stock
 * 3 + 2 (yesterday's), served 3, arrivals 2. */
START_TEST(test_lp_size)
{
    fixture *f = single_store(1);
    ot_plan_input in = {.twin = f->twin, .as_of = AS_OF, .horizon_days = 3, .demand = f->demand};
    ot_lp lp;
    ot_lp_init(&lp);
    ck_assert_int_eq(ot_plan_build_sku_lp(&in, f->sku[0], &lp, NULL), OT_OK);
    ck_assert_uint_eq(lp.cols, 8);
    ck_assert_uint_eq(lp.rows, 3);
    ck_assert_uint_eq(lp.nnz, 10);
    char why[128];
    ck_assert_int_eq(ot_lp_check(&lp, why, sizeof why), OT_OK);
    /* day 1: stock 5 = opening; costs: holding 1, served -10, lane 2 */
    EXPECT_NEAR(lp.row_lo[0], 5);
    EXPECT_NEAR(lp.obj[0], 2);
    EXPECT_NEAR(lp.obj_const, 10 * (4 + 6 + 6));
    ck_assert_int_eq(ot_plan_build_sku_lp(&in, 7, &lp, NULL), OT_ERR_NOT_FOUND);
    ot_lp_release(&lp);
    free_fixture(f);
}
END_TEST

START_TEST(test_zero_demand)
{
    fixture *f = single_store(1);
    memset(f->demand, 0, 3 * f->nodes * sizeof *f->demand);
    outcome o = run_plan(f, 0, 0, 1);
    ck_assert_int_eq(o.err, OT_OK);
    size_t n;
    ot_plan_orders(o.plan, &n);
    ck_assert_uint_eq(n, 0);
    /* 5 units held 3 days at 1 */
    EXPECT_NEAR(ot_plan_get_summary(o.plan)->objective, 15);
    EXPECT_NEAR(ot_plan_get_summary(o.plan)->fill_rate, 1);
    done(&o);
    free_fixture(f);
}
END_TEST

/* No lanes: served from stock only, with a warning. 3 on hand, demand 2
 * and 2: holding 1 (day 1), 1 lost (10). */
START_TEST(test_no_lanes)
{
    fixture *f = new_fixture();
    add_node(f, "S1", OT_NODE_STORE, INFINITY);
    add_sku(f, "A", 1, 10, 1);
    seal(f, 2);
    stock(f, 0, 0, 3);
    demand(f, 0, 0, (double[]){2, 2});
    outcome o = run_plan(f, 0, 0, 1);
    ck_assert_int_eq(o.err, OT_OK);
    ck_assert_uint_eq(ot_diag_warnings(o.diag), 1);
    ck_assert_ptr_nonnull(strstr(ot_diag_get(o.diag, 0)->message, "no lane"));
    EXPECT_NEAR(ot_plan_get_summary(o.plan)->objective, 11);
    done(&o);
    free_fixture(f);
}
END_TEST

/* A store of capacity 2 holding 5 it can neither sell nor ship. */
START_TEST(test_infeasible_capacity)
{
    fixture *f = new_fixture();
    add_node(f, "S1", OT_NODE_STORE, 2);
    add_sku(f, "A", 1, 10, 1);
    seal(f, 2);
    stock(f, 0, 0, 5);
    outcome o = run_plan(f, 0, 0, 1);
    ck_assert_int_eq(o.err, OT_ERR_INFEASIBLE);
    ck_assert_ptr_null(o.plan);
    ck_assert_uint_eq(ot_diag_errors(o.diag), 1);
    ck_assert_uint_eq(ot_diag_count(o.diag), 2); /* and the "no lane" warning */
    ck_assert_int_eq(ot_diag_get(o.diag, 1)->level, OT_DIAG_ERROR);
    ck_assert_ptr_nonnull(strstr(ot_diag_get(o.diag, 1)->message, "SKU A has no feasible plan"));
    done(&o);
    free_fixture(f);
}
END_TEST

START_TEST(test_bad_input)
{
    fixture *f = single_store(1);
    f->demand[f->node[1] * 3 + 1] = -2;
    outcome o = run_plan(f, 0, 0, 1);
    ck_assert_int_eq(o.err, OT_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(ot_diag_get(o.diag, 0)->message,
                                 "demand of A at S1 on 2024-10-05 is -2 (expected a finite number >= 0)"));
    done(&o);
    f->demand[f->node[1] * 3 + 1] = 6;
    f->H = 0;
    o = run_plan(f, 0, 0, 1);
    ck_assert_int_eq(o.err, OT_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(ot_diag_get(o.diag, 0)->message, "expected 1..92"));
    done(&o);
    free_fixture(f);
}
END_TEST

/* Same inputs, same ids; another as-of date, other ids. */
START_TEST(test_stable_order_ids)
{
    fixture *f = single_store(1);
    outcome a = run_plan(f, 0, 0, 1), b = run_plan(f, 0, 0, 2);
    size_t na, nb;
    const ot_order *oa = ot_plan_orders(a.plan, &na), *ob = ot_plan_orders(b.plan, &nb);
    ck_assert_uint_eq(na, nb);
    for (size_t i = 0; i < na; i++)
        ck_assert_uint_eq(oa[i].id, ob[i].id);
    ck_assert_uint_ne(oa[0].id, oa[1].id);
    ck_assert_str_eq(ot_plan_id(a.plan), ot_plan_id(b.plan));
    char buf[17];
    ot_order_id_format(0x1234abcdULL, buf);
    ck_assert_str_eq(buf, "000000001234abcd");
    char why[256];
    ot_plan_explain(a.plan, 0, why, sizeof why);
    ck_assert_ptr_nonnull(strstr(why, "S1"));
    done(&a);
    done(&b);
    free_fixture(f);
}
END_TEST

/* Safety stock 2 at the store, H = 3: penalty 1 + (10 - 1) / 6 = 2.5 per
 * unit-day short. Two more units shipped on day 1 (arrive day 2) cost 4
 * and keep day 2 at the target (saves 5); on day 3 they serve demand, so
 * day 2 ships 4 instead of 6: keeping the target on day 3 too would cost
 * 2 + 1 a unit against 2.5 saved. Day 1 ends 1 short, day 3 ends 2 short.
 * Transport 22, holding 1 + 2 + 0, penalty 2.5 * 3: objective 32.5. */
START_TEST(test_safety_stock)
{
    fixture *f = single_store(1);
    double *ss = ot_calloc(f->nodes * f->skus, sizeof *ss);
    ss[f->node[1]] = 2;
    ot_plan_input in = {.twin = f->twin, .as_of = AS_OF, .horizon_days = 3,
                        .demand = f->demand, .safety_stock = ss};
    ot_glpk *g = ot_glpk_new(1);
    ot_lp_solver solver;
    ot_glpk_solver(g, &solver);
    ot_diag *diag = ot_diag_new(10);
    ot_plan *plan = NULL;
    ck_assert_int_eq(ot_plan_run(&in, &solver, diag, &plan), OT_OK);
    const ot_plan_summary *s = ot_plan_get_summary(plan);
    EXPECT_NEAR(s->objective, 32.5);
    EXPECT_NEAR(s->safety_penalty, 7.5);
    EXPECT_NEAR(ot_plan_stock(plan, f->node[1], f->sku[0], 2), 2);
    EXPECT_NEAR(ot_plan_stock(plan, f->node[1], f->sku[0], 3), 0);
    ot_plan_free(plan);
    ot_diag_free(diag);
    ot_glpk_free(g);
    ot_free(ss);
    free_fixture(f);
}
END_TEST

Suite *ot_suite_plan(void)
{
    Suite *s = suite_create("plan");
    struct {
        const char *name;
        const TTest *test;
    } cases[] = {
        {"single_store", test_single_store},
        {"dc_two_stores_scarce", test_dc_two_stores_scarce},
        {"lateral_transfer", test_lateral_transfer},
        {"binding_lane_capacity", test_binding_lane_capacity},
        {"shared_capacity_joint", test_shared_capacity_joint},
        {"shared_capacity_split", test_shared_capacity_split},
        {"lead_times_and_pipeline", test_lead_times_and_pipeline},
        {"overdue_pipeline_day_one", test_overdue_pipeline_day_one},
        {"case_pack_rounding", test_case_pack_rounding},
        {"case_pack_mip", test_case_pack_mip},
        {"round_repair_keeps_stock", test_round_repair_keeps_stock},
        {"store_blocks_split_dc", test_store_blocks_split_dc},
        {"store_blocks_merge_purchases", test_store_blocks_merge_purchases},
        {"lp_size", test_lp_size},
        {"zero_demand", test_zero_demand},
        {"no_lanes", test_no_lanes},
        {"infeasible_capacity", test_infeasible_capacity},
        {"bad_input", test_bad_input},
        {"stable_order_ids", test_stable_order_ids},
        {"safety_stock", test_safety_stock},
    };
    for (size_t i = 0; i < OT_ARRAY_LEN(cases); i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_add_test(tc, cases[i].test);
        suite_add_tcase(s, tc);
    }
    return s;
}
