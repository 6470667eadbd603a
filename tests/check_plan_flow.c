/* The plan's min-cost-flow solver (engine/plan_flow.c) against GLPK: for
 * every SKU of hand-made, sample and random networks, the flow solution
 * must satisfy every row and bound of the LP plan_build makes for that SKU
 * and reach GLPK's optimal objective to 1e-6 relative. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "csv/network_csv.h"
#include "lp/glpk_solver.h"
#include "plan_flow.h"
#include "text.h"

#define AS_OF 20000
#define TOL 1e-6

Suite *ot_suite_plan_flow(void);

typedef struct {
    size_t skus, optimal, infeasible;
    double max_rel;
} compare_stats;

/* Checks x against every row and column bound of lp and the objective. */
static void check_primal(const ot_lp *lp, const double *x, double objective)
{
    double obj = lp->obj_const;
    for (size_t j = 0; j < lp->cols; j++) {
        double tol = TOL * (1 + fabs(x[j]));
        ck_assert_msg(x[j] >= lp->col_lo[j] - tol && x[j] <= lp->col_hi[j] + tol,
                      "column %zu = %.9g outside [%g, %g]", j, x[j], lp->col_lo[j],
                      lp->col_hi[j]);
        obj += lp->obj[j] * x[j];
    }
    ck_assert_double_eq_tol(obj, objective, TOL * (1 + fabs(objective)));
    double *act = ot_calloc(lp->rows + 1, sizeof *act), *mag = ot_calloc(lp->rows + 1, sizeof *mag);
    ck_assert_ptr_nonnull(act);
    ck_assert_ptr_nonnull(mag);
    for (size_t k = 0; k < lp->nnz; k++) {
        act[lp->a_row[k]] += lp->a_val[k] * x[lp->a_col[k]];
        mag[lp->a_row[k]] += fabs(lp->a_val[k] * x[lp->a_col[k]]);
    }
    for (size_t i = 0; i < lp->rows; i++) {
        double tol = TOL * (1 + mag[i]);
        ck_assert_msg(act[i] >= lp->row_lo[i] - tol && act[i] <= lp->row_hi[i] + tol,
                      "row %zu = %.9g outside [%g, %g]", i, act[i], lp->row_lo[i],
                      lp->row_hi[i]);
    }
    ot_free(act);
    ot_free(mag);
}

/* Every SKU of in: flow vs GLPK on the LP of plan_build. */
static compare_stats compare_all(const ot_plan_input *in)
{
    compare_stats st = {0};
    plan_net net;
    ck_assert_int_eq(plan_net_init(&net, in, NULL, NULL), OT_OK);
    size_t H = (size_t)net.H, R = (net.A + net.N) * H;
    double *caps = ot_malloc((R + 1) * sizeof *caps);
    ck_assert_ptr_nonnull(caps);
    memcpy(caps, net.cap_lane, net.A * H * sizeof *caps);
    memcpy(caps + net.A * H, net.cap_node, net.N * H * sizeof *caps);
    ot_glpk *g = ot_glpk_new(1);
    ck_assert_ptr_nonnull(g);
    ot_lp_solver solver;
    ot_glpk_solver(g, &solver);
    plan_flow *f = plan_flow_new();
    ck_assert_ptr_nonnull(f);
    ot_lp lp;
    ot_lp_init(&lp);
    size_t B = plan_block_cols(&net);
    double *xg = ot_calloc(B + 1, sizeof *xg), *xf = ot_calloc(B + 1, sizeof *xf);
    ck_assert_ptr_nonnull(xg);
    ck_assert_ptr_nonnull(xf);
    for (size_t s = 0; s < net.S; s++) {
        ot_sku_ix sk = (ot_sku_ix)s;
        ck_assert_int_eq(plan_build(&net, &sk, 1, caps, caps + net.A * H, false, &lp), OT_OK);
        ck_assert_uint_eq(lp.cols, B);
        char why[160] = "";
        ot_lp_result res = {.x = xg};
        ck_assert_int_eq(solver.solve(solver.ctx, 0, &lp, &res, why, sizeof why), OT_OK);
        double obj = NAN;
        ot_lp_status fs = plan_flow_solve(f, &net, sk, caps, caps + net.A * H, xf, &obj);
        st.skus++;
        if (res.status == OT_LP_INFEASIBLE) {
            ck_assert_int_eq(fs, OT_LP_INFEASIBLE);
            st.infeasible++;
            continue;
        }
        ck_assert_int_eq(res.status, OT_LP_OPTIMAL);
        ck_assert_msg(fs == OT_LP_OPTIMAL, "SKU %zu: flow status %d", s, (int)fs);
        double rel = fabs(obj - res.objective) / (1 + fabs(res.objective));
        ck_assert_msg(rel <= TOL, "SKU %zu: flow %.10g, GLPK %.10g", s, obj, res.objective);
        if (rel > st.max_rel)
            st.max_rel = rel;
        check_primal(&lp, xf, obj);
        st.optimal++;
    }
    ot_free(xg);
    ot_free(xf);
    ot_lp_release(&lp);
    plan_flow_free(f);
    ot_glpk_free(g);
    ot_free(caps);
    plan_net_release(&net);
    return st;
}

/* ---- small twins ---------------------------------------------------------- */

typedef struct {
    ot_twin *twin;
    ot_node_ix node[64];
    size_t nodes, skus;
    double *demand, *ss;
    int H;
} fixture;

static void add_node(fixture *f, const char *id, ot_node_kind kind, double capacity)
{
    ot_node_info ni = {.id = id, .kind = kind, .region = "", .capacity = capacity};
    ck_assert_int_eq(ot_twin_add_node(f->twin, &ni, &f->node[f->nodes]), OT_OK);
    f->nodes++;
}

static void add_sku(fixture *f, const char *id, double holding, double stockout, double volume)
{
    ot_sku_info si = {.id = id, .category = "", .unit_cost = 1, .holding_cost = holding,
                      .stockout_cost = stockout, .case_pack = 1, .volume = volume};
    ot_sku_ix s;
    ck_assert_int_eq(ot_twin_add_sku(f->twin, &si, &s), OT_OK);
    f->skus++;
}

static void seal(fixture *f, int H)
{
    ck_assert_int_eq(ot_twin_seal_catalog(f->twin, AS_OF - 7, AS_OF - 1), OT_OK);
    f->H = H;
    f->demand = ot_calloc(f->nodes * f->skus * (size_t)H + 1, sizeof *f->demand);
    f->ss = ot_calloc(f->nodes * f->skus + 1, sizeof *f->ss);
    ck_assert_ptr_nonnull(f->demand);
    ck_assert_ptr_nonnull(f->ss);
}

static void lane(fixture *f, int from, int to, int lead, double cost, double cap)
{
    ot_lane_info li = {.from = f->node[from], .to = f->node[to], .lead_time_days = lead,
                       .cost_per_unit = cost, .capacity_per_day = cap, .mode = ""};
    ot_lane_ix l;
    ck_assert_int_eq(ot_twin_add_lane(f->twin, &li, &l), OT_OK);
}

static double *dem(fixture *f, int node, int sku)
{
    return f->demand + ((size_t)f->node[node] * f->skus + (size_t)sku) * (size_t)f->H;
}

static fixture *new_fixture(void)
{
    fixture *f = ot_calloc(1, sizeof *f);
    ck_assert_ptr_nonnull(f);
    f->twin = ot_twin_new(0);
    ck_assert_ptr_nonnull(f->twin);
    return f;
}

static void free_fixture(fixture *f)
{
    ot_twin_free(f->twin);
    ot_free(f->demand);
    ot_free(f->ss);
    ot_free(f);
}

static compare_stats compare_fixture(fixture *f, bool with_ss)
{
    ot_plan_input in = {.twin = f->twin, .as_of = AS_OF, .horizon_days = f->H,
                        .demand = f->demand, .safety_stock = with_ss ? f->ss : NULL};
    return compare_all(&in);
}

/* The hand-solved cases of check_plan.c, rebuilt: single store (objective
 * 23 there), a DC with two stores sharing scarce stock, a lateral transfer
 * beating a late replenishment, a binding lane capacity, pipeline. */
START_TEST(test_hand_cases)
{
    fixture *f = new_fixture();
    add_node(f, "SUP", OT_NODE_SUPPLIER, INFINITY);
    add_node(f, "S1", OT_NODE_STORE, INFINITY);
    add_sku(f, "A", 1, 10, 1);
    seal(f, 3);
    lane(f, 0, 1, 1, 2, INFINITY);
    memcpy(dem(f, 1, 0), (double[]){4, 6, 6}, 3 * sizeof(double));
    ck_assert_int_eq(ot_twin_set_on_hand(f->twin, f->node[1], 0, 5), OT_OK);
    /* the objective itself, solved by hand in check_plan.c: 2*11 + 1 */
    ot_plan_input in = {.twin = f->twin, .as_of = AS_OF, .horizon_days = 3, .demand = f->demand};
    plan_net net;
    ck_assert_int_eq(plan_net_init(&net, &in, NULL, NULL), OT_OK);
    plan_flow *pf = plan_flow_new();
    double x[16], obj = 0;
    ck_assert_uint_le(plan_block_cols(&net), 16);
    ck_assert_int_eq(plan_flow_solve(pf, &net, 0, net.cap_lane, net.cap_node, x, &obj),
                     OT_LP_OPTIMAL);
    ck_assert_double_eq_tol(obj, 23, 1e-9);
    ck_assert_double_eq_tol(x[0], 5, 1e-9); /* day 1 ships 5 */
    ck_assert_double_eq_tol(x[1], 6, 1e-9); /* day 2 ships 6 */
    plan_flow_free(pf);
    plan_net_release(&net);
    compare_stats st = compare_fixture(f, false);
    ck_assert_uint_eq(st.optimal, 1);
    free_fixture(f);

    /* DC (8 units) and two stores, lateral lane, lane capacities, pipeline */
    f = new_fixture();
    add_node(f, "SUP", OT_NODE_SUPPLIER, INFINITY);
    add_node(f, "DC", OT_NODE_DC, INFINITY);
    add_node(f, "S1", OT_NODE_STORE, INFINITY);
    add_node(f, "S2", OT_NODE_STORE, INFINITY);
    add_sku(f, "A", 1, 10, 1);
    add_sku(f, "B", 0.5, 3, 2);
    seal(f, 5);
    lane(f, 0, 1, 3, 1, INFINITY);
    lane(f, 1, 2, 1, 1, 4);
    lane(f, 1, 3, 2, 1, INFINITY);
    lane(f, 2, 3, 0, 2, 3);
    lane(f, 3, 2, 0, 2, 3);
    ck_assert_int_eq(ot_twin_set_on_hand(f->twin, f->node[1], 0, 8), OT_OK);
    ck_assert_int_eq(ot_twin_set_on_hand(f->twin, f->node[2], 1, 3), OT_OK);
    ot_pipeline_info pi = {.order_id = "PO1", .from = f->node[0], .to = f->node[3], .sku = 0,
                           .qty = 4, .arrive_day = AS_OF + 1, .open = true};
    ck_assert_int_eq(ot_twin_add_pipeline(f->twin, &pi), OT_OK);
    memcpy(dem(f, 2, 0), (double[]){3, 3, 3, 3, 3}, 5 * sizeof(double));
    memcpy(dem(f, 3, 0), (double[]){0, 5, 2, 2, 2}, 5 * sizeof(double));
    memcpy(dem(f, 2, 1), (double[]){1, 1, 2, 1, 1}, 5 * sizeof(double));
    memcpy(dem(f, 3, 1), (double[]){2, 0, 0, 4, 0.5}, 5 * sizeof(double));
    st = compare_fixture(f, false);
    ck_assert_uint_eq(st.optimal, 2);
    /* the same with safety stock at both stores */
    f->ss[(size_t)f->node[2] * 2 + 0] = 2;
    f->ss[(size_t)f->node[3] * 2 + 1] = 1.5;
    st = compare_fixture(f, true);
    ck_assert_uint_eq(st.optimal, 2);
    free_fixture(f);
}
END_TEST

/* Node capacities, a shelf limit, a capacitated supplier, safety stock:
 * the rows the flow form turns into arcs. Stock above a node's capacity
 * that cannot leave makes both solvers say infeasible. */
START_TEST(test_capacities_and_infeasible)
{
    fixture *f = new_fixture();
    add_node(f, "SUP", OT_NODE_SUPPLIER, 6);
    add_node(f, "DC", OT_NODE_DC, 10);
    add_node(f, "S1", OT_NODE_STORE, 4);
    add_sku(f, "A", 0.2, 5, 1.5);
    add_sku(f, "B", 0.1, 1, 0.5);
    seal(f, 6);
    lane(f, 0, 1, 1, 0.5, INFINITY);
    lane(f, 1, 2, 1, 0.3, 3);
    ot_policy_info pol = {.service_level = NAN, .min_units = 1, .max_units = 5};
    ck_assert_int_eq(ot_twin_set_policy(f->twin, f->node[2], 0, &pol), OT_OK);
    for (int t = 0; t < 6; t++) {
        dem(f, 2, 0)[t] = 2 + t % 3;
        dem(f, 2, 1)[t] = 1.25 * t;
    }
    f->ss[(size_t)f->node[1] * 2 + 1] = 3;
    compare_stats st = compare_fixture(f, true);
    ck_assert_uint_eq(st.optimal, 2);
    st = compare_fixture(f, false);
    ck_assert_uint_eq(st.optimal, 2);
    /* 9 units of volume 1.5 at a store holding 4: nowhere to go on day 1 */
    ck_assert_int_eq(ot_twin_set_on_hand(f->twin, f->node[2], 0, 9), OT_OK);
    st = compare_fixture(f, false);
    ck_assert_uint_eq(st.infeasible, 1);
    ck_assert_uint_eq(st.optimal, 1);
    free_fixture(f);
}
END_TEST

/* data/sample with its forecast and safety stock, every SKU. */
START_TEST(test_sample)
{
    ot_twin *twin = NULL;
    ot_diag *diag = ot_diag_new(10);
    ck_assert_int_eq(ot_csv_load_network("data/sample", diag, &twin, NULL), OT_OK);
    ot_day as_of = ot_twin_history_first(twin) + (ot_day)ot_twin_history_days(twin);
    ot_glpk *g = ot_glpk_new(1);
    ot_lp_solver solver;
    ot_glpk_solver(g, &solver);
    ot_plan_forecast *fc = NULL;
    ck_assert_int_eq(ot_plan_forecast_run(twin, as_of, 14, &solver, &fc), OT_OK);
    ot_plan_input in = {.twin = twin, .as_of = as_of, .horizon_days = 14, .demand = fc->mean,
                        .safety_stock = fc->safety_stock};
    compare_stats st = compare_all(&in);
    ck_assert_uint_eq(st.skus, ot_twin_sku_count(twin));
    ck_assert_uint_eq(st.optimal, st.skus);
    in.safety_stock = NULL;
    st = compare_all(&in);
    ck_assert_uint_eq(st.optimal, st.skus);
    ot_plan_forecast_free(fc);
    ot_glpk_free(g);
    ot_twin_free(twin);
    ot_diag_free(diag);
}
END_TEST

/* ---- random networks ------------------------------------------------------ */

static uint64_t rng_state;
static double rnd(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}
static int rndi(int n) { return (int)(rnd() * n); }

static const char *const NAMES[] = {"N0", "N1", "N2", "N3", "N4", "N5", "N6", "N7",
                                    "N8", "N9", "N10", "N11", "N12", "N13"};
static const char *const SKUS[] = {"K0", "K1", "K2", "K3", "K4", "K5"};

/* 1-2 suppliers, 1-2 DCs, 2-8 stores; capacities, lead times 0-3, lateral
 * lanes, pipeline, shelf limits, safety stock on about half the pairs. */
static fixture *random_network(uint64_t seed)
{
    rng_state = seed;
    fixture *f = new_fixture();
    int sup = 1 + rndi(2), dcs = 1 + rndi(2), stores = 2 + rndi(7), skus = 2 + rndi(4);
    int n = 0;
    for (int i = 0; i < sup; i++)
        add_node(f, NAMES[n++], OT_NODE_SUPPLIER, rnd() < 0.3 ? 20 + 40 * rnd() : INFINITY);
    for (int i = 0; i < dcs; i++)
        add_node(f, NAMES[n++], OT_NODE_DC, rnd() < 0.4 ? 30 + 60 * rnd() : INFINITY);
    for (int i = 0; i < stores; i++)
        add_node(f, NAMES[n++], OT_NODE_STORE, rnd() < 0.3 ? 8 + 20 * rnd() : INFINITY);
    for (int k = 0; k < skus; k++)
        add_sku(f, SKUS[k], 0.05 + rnd(), 1 + 10 * rnd(), 0.2 + 2 * rnd());
    int H = 4 + rndi(11);
    seal(f, H);
    for (int d = 0; d < dcs; d++)
        for (int i = 0; i < sup; i++)
            if (i == d % sup || rnd() < 0.5)
                lane(f, i, sup + d, rndi(4), rnd(), rnd() < 0.3 ? 5 + 30 * rnd() : INFINITY);
    if (dcs == 2 && rnd() < 0.5)
        lane(f, sup, sup + 1, 1, 0.2 * rnd(), rnd() < 0.5 ? 10 : INFINITY);
    for (int st = 0; st < stores; st++) {
        int node = sup + dcs + st;
        lane(f, sup + st % dcs, node, rndi(4), rnd(), rnd() < 0.3 ? 2 + 10 * rnd() : INFINITY);
        if (rnd() < 0.2)
            lane(f, rndi(sup), node, 2 + rndi(2), 1.5 * rnd(), INFINITY);
        if (st > 0 && rnd() < 0.3)
            lane(f, node - 1, node, rndi(2), 0.5 * rnd(), rnd() < 0.5 ? 3 : INFINITY);
    }
    for (int node = sup; node < n; node++)
        for (int k = 0; k < skus; k++) {
            if (rnd() < 0.6)
                ck_assert_int_eq(ot_twin_set_on_hand(f->twin, f->node[node], k, rndi(15)), OT_OK);
            if (rnd() < 0.15) {
                ot_policy_info pol = {.service_level = NAN, .min_units = rndi(3),
                                      .max_units = 10 + rndi(30)};
                ck_assert_int_eq(ot_twin_set_policy(f->twin, f->node[node], k, &pol), OT_OK);
            }
            if (rnd() < 0.2) {
                ot_pipeline_info pi = {.order_id = "", .from = f->node[rndi(sup)],
                                       .to = f->node[node], .sku = k, .qty = 1 + rndi(10),
                                       .arrive_day = AS_OF - 1 + rndi(H + 2), .open = true};
                char id[16];
                ot_text_format(id, sizeof id, "P%d-%d", node, k);
                pi.order_id = id;
                ck_assert_int_eq(ot_twin_add_pipeline(f->twin, &pi), OT_OK);
            }
            size_t pair = (size_t)f->node[node] * f->skus + (size_t)k;
            if (node >= sup + dcs || rnd() < 0.2)
                for (int t = 0; t < H; t++)
                    f->demand[pair * (size_t)H + (size_t)t] = rnd() < 0.2 ? 0 : 6 * rnd();
            if (rnd() < 0.5)
                f->ss[pair] = 5 * rnd();
        }
    return f;
}

START_TEST(test_random_networks)
{
    size_t optimal = 0;
    for (uint64_t seed = 1; seed <= 60; seed++) {
        fixture *f = random_network(seed * 7919);
        compare_stats st = compare_fixture(f, seed % 3 != 0);
        ck_assert_uint_eq(st.optimal + st.infeasible, st.skus);
        optimal += st.optimal;
        free_fixture(f);
    }
    ck_assert_uint_gt(optimal, 150);
}
END_TEST

/* Phase 2 shares below what a SKU must hold. Store S1 holds 12 units of
 * volume; lane SUP->S1 (lead 0, cost 1) carries 5 a day. SKU A has 10 at
 * S1, no demand and no way out: it holds 10 every day (holding 40). SKU B
 * (holding 1, stockout 10) needs 15 on day 4: alone it ships 5 on days 2-4
 * and holds 5 and 10, so days 2 and 3 overrun S1 (15 and 20 > 12). Shares
 * in proportion give A 8 on day 2, below its 10: A keeps its own optimum,
 * B gets what is left, 2: it ships 2 on day 3 and 5 on day 4, serves 7 and
 * loses 8. Objective 40 + (7 + 2 + 80) = 129, the joint optimum; the
 * phase-1 bound is 40 + (15 + 15) = 70. */
START_TEST(test_share_below_forced_stock)
{
    fixture *f = new_fixture();
    add_node(f, "SUP", OT_NODE_SUPPLIER, INFINITY);
    add_node(f, "S1", OT_NODE_STORE, 12);
    add_sku(f, "A", 1, 10, 1);
    add_sku(f, "B", 1, 10, 1);
    seal(f, 4);
    lane(f, 0, 1, 0, 1, 5);
    ck_assert_int_eq(ot_twin_set_on_hand(f->twin, f->node[1], 0, 10), OT_OK);
    dem(f, 1, 1)[3] = 15;
    ot_plan_input in = {.twin = f->twin, .as_of = AS_OF, .horizon_days = 4,
                        .demand = f->demand, .joint_max_cols = 1};
    ot_glpk *g = ot_glpk_new(2);
    ot_lp_solver solver;
    ot_glpk_solver(g, &solver);
    ot_diag *diag = ot_diag_new(10);
    ot_plan *plan = NULL;
    ck_assert_int_eq(ot_plan_run(&in, &solver, diag, &plan), OT_OK);
    ck_assert_uint_eq(ot_diag_warnings(diag), 0);
    const ot_plan_summary *sum = ot_plan_get_summary(plan);
    ck_assert_double_eq_tol(sum->lp_objective, 129, 1e-6);
    ck_assert_double_eq_tol(sum->lp_bound, 70, 1e-6);
    ck_assert_double_eq_tol(sum->objective, 129, 1e-6);
    ck_assert_double_eq_tol(sum->lost_units, 8, 1e-6);
    size_t n = 0;
    const ot_order *o = ot_plan_orders(plan, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(o[0].sku, 1);
    ck_assert_int_eq(o[0].ship_t, 3);
    ck_assert_int_eq(o[0].qty, 2);
    ck_assert_int_eq(o[1].ship_t, 4);
    ck_assert_int_eq(o[1].qty, 5);
    for (int t = 1; t <= 4; t++)
        ck_assert_double_le(ot_plan_stock(plan, f->node[1], 0, t) +
                                ot_plan_stock(plan, f->node[1], 1, t), 12 + 1e-9);
    ot_plan_free(plan);
    ot_diag_free(diag);
    ot_glpk_free(g);
    free_fixture(f);
}
END_TEST

Suite *ot_suite_plan_flow(void)
{
    Suite *s = suite_create("plan_flow");
    TCase *tc = tcase_create("flow_vs_glpk");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_hand_cases);
    tcase_add_test(tc, test_capacities_and_infeasible);
    tcase_add_test(tc, test_sample);
    tcase_add_test(tc, test_random_networks);
    tcase_add_test(tc, test_share_below_forced_stock);
    suite_add_tcase(s, tc);
    return s;
}
