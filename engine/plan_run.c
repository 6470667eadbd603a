/* The plan driver (docs/PLAN_MODEL.md "Decomposition"): one LP per SKU in
 * parallel; SKUs whose independent optima overrun a shared capacity are
 * re-solved together (or, past a size, each with a share of the capacity);
 * then case-pack rounding, repair, costs and orders. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan_flow.h"
#include "plan_internal.h"
#include "text.h"

#define DEFAULT_JOINT_MAX_COLS 4000

typedef struct {
    double lp_obj, relaxed;
    ot_err err;
    ot_lp_status status;
    char why[160];
    size_t nz;                 /* nonzero shipments */
    int32_t *xi;
    double *xv;                /* units */
    size_t nu;                 /* usage of finite resources */
    int32_t *ur;
    double *uv;                /* volume */
    plan_round_out cost;
    ot_order *orders;
    size_t n_orders;
} sku_sol;

typedef struct {
    size_t lps, warm, mip, max_rows, max_cols;
    ot_lp lp;
    double *x;                 /* [max cols seen] */
    size_t x_cap;
    double *caps;              /* [(A+N)*H] */
    double *dense;             /* [nx] */
    double *work;
    plan_flow *flow;           /* min-cost flow workspace */
    size_t flows;              /* LPs solved as flows */
} worker_state;

struct ot_plan {
    ot_plan_input in;
    plan_net net;              /* the block being planned (during the run) */
    const ot_twin *twin;
    int32_t H;
    size_t N, S;
    ot_plan_summary sum;
    ot_order *orders;
    size_t n_orders;
    /* per pair n * S + s of the whole network, summed over store blocks */
    float *stock, *lost;       /* [pairs * H] */
    double *demand;            /* [pairs * H] after factors */
    double *ss;                /* [pairs] */
    size_t blocks;
    char id[18];
};

typedef struct {
    ot_plan *plan;
    const ot_lp_solver *solver;
    sku_sol *sol;
    worker_state *ws;
    const double *caps;        /* full capacities [(A+N)*H] */
    double *slack;             /* after the LPs, for rounding shares */
    /* capacity shares of a coupled group */
    const ot_sku_ix *group;
    size_t k;
    const double *resid, *gusage;
    int phase;                 /* 1 independent, 2 shares, 3 rounding */
} run_ctx;

static size_t n_res(const plan_net *net) { return (net->A + net->N) * (size_t)net->H; }

static void sol_release(sku_sol *s)
{
    ot_free(s->xi);
    ot_free(s->xv);
    ot_free(s->ur);
    ot_free(s->uv);
    s->xi = s->ur = NULL;
    s->xv = s->uv = NULL;
    s->nz = s->nu = 0;
}

/* Keeps the nonzero shipments of block g of the solution and the volume
 * each uses of a finite capacity. */
static ot_err keep_solution(const plan_net *net, const double *caps, ot_sku_ix s,
                            const double *x, bool integer, sku_sol *out)
{
    size_t H = (size_t)net->H, M = net->M, MH = M * H;
    ot_sku_info si;
    ot_twin_sku(net->twin, s, &si);
    double pack = integer ? (double)si.case_pack : 1.0;
    sol_release(out);
    size_t nz = 0, nu = 0;
    for (size_t j = 0; j < net->nx; j++)
        nz += x[j] > 1e-9;
    const double *node_cap = caps + net->A * H;
    if (net->any_cap)
        nu = 2 * nz + MH;
    out->xi = ot_malloc((nz + 1) * sizeof *out->xi);
    out->xv = ot_malloc((nz + 1) * sizeof *out->xv);
    out->ur = ot_malloc((nu + 1) * sizeof *out->ur);
    out->uv = ot_malloc((nu + 1) * sizeof *out->uv);
    if (!out->xi || !out->xv || !out->ur || !out->uv)
        return OT_ERR_NOMEM;
    for (size_t j = 0; j < net->nx; j++) {
        if (!(x[j] > 1e-9))
            continue;
        size_t a = (size_t)net->x_lane[j], t = (size_t)net->x_t[j];
        double units = x[j] * pack;
        out->xi[out->nz] = (int32_t)j;
        out->xv[out->nz++] = units;
        if (!net->any_cap)
            continue;
        if (isfinite(caps[a * H + t])) {
            out->ur[out->nu] = (int32_t)(a * H + t);
            out->uv[out->nu++] = units * si.volume;
        }
        ot_node_ix f = net->from[a];
        if (net->pos[f] < 0 && isfinite(node_cap[(size_t)f * H + t])) {
            /* merged below: several lanes of one supplier-day */
            out->ur[out->nu] = (int32_t)(net->A * H + (size_t)f * H + t);
            out->uv[out->nu++] = units * si.volume;
        }
    }
    if (net->any_cap)
        for (size_t m = 0; m < M; m++) {
            ot_node_ix n = net->stock_node[m];
            for (size_t t = 0; t < H; t++) {
                if (!isfinite(node_cap[(size_t)n * H + t]))
                    continue;
                size_t c = net->nx + m * H + t;
                double v = x[c] + (net->has_ss ? x[c + MH] : 0);
                if (v > 1e-9 && out->nu < nu) {
                    out->ur[out->nu] = (int32_t)(net->A * H + (size_t)n * H + t);
                    out->uv[out->nu++] = v * si.volume;
                }
            }
        }
    return OT_OK;
}

static bool use_mip(const ot_plan *plan, const ot_sku_ix *skus, size_t k)
{
    size_t cols = k * plan_block_cols(&plan->net);
    if (plan->in.mip_max_cols == 0 || cols > plan->in.mip_max_cols)
        return false;
    for (size_t g = 0; g < k; g++) {
        ot_sku_info si;
        ot_twin_sku(plan->net.twin, skus[g], &si);
        if (si.case_pack > 1)
            return true;
    }
    return false;
}

/* One SKU in whole units, solved as a min-cost flow (plan_flow.h): the
 * same optimum as the LP in far less time. false: the flow form does not
 * cover this model or finds it infeasible, and the LP decides. */
static bool solve_flow(run_ctx *c, worker_state *w, ot_sku_ix s, const double *caps)
{
    const plan_net *net = &c->plan->net;
    size_t cols = plan_block_cols(net);
    if (cols > w->x_cap) {
        double *nx = ot_reallocarray(w->x, cols, sizeof *nx);
        if (!nx)
            return false;
        w->x = nx;
        w->x_cap = cols;
    }
    double obj = 0;
    if (plan_flow_solve(w->flow, net, s, caps, caps + net->A * (size_t)net->H, w->x, &obj) !=
        OT_LP_OPTIMAL)
        return false;
    sku_sol *sol = &c->sol[s];
    w->lps++;
    w->flows++;
    size_t rows = plan_flow_lp_rows(w->flow);
    if (rows > w->max_rows)
        w->max_rows = rows;
    if (cols > w->max_cols)
        w->max_cols = cols;
    sol->status = OT_LP_OPTIMAL;
    sol->lp_obj = sol->relaxed = obj;
    sol->err = keep_solution(net, c->caps, s, w->x, false, sol);
    return true;
}

/* Builds and solves the LP of skus[0..k) and keeps each SKU's part. */
static void solve_group(run_ctx *c, int worker, const ot_sku_ix *skus, size_t k,
                        const double *caps)
{
    const plan_net *net = &c->plan->net;
    worker_state *w = &c->ws[worker];
    sku_sol *first = &c->sol[skus[0]];
    bool integer = use_mip(c->plan, skus, k);
    if (k == 1 && !integer && solve_flow(c, w, skus[0], caps))
        return;
    ot_err err = plan_build(net, skus, k, caps, caps + net->A * (size_t)net->H, integer, &w->lp);
    if (err == OT_OK && w->lp.cols > w->x_cap) {
        double *nx = ot_reallocarray(w->x, w->lp.cols, sizeof *nx);
        if (!nx)
            err = OT_ERR_NOMEM;
        else {
            w->x = nx;
            w->x_cap = w->lp.cols;
        }
    }
    if (err != OT_OK) {
        first->err = err;
        ot_text_format(first->why, sizeof first->why, "building the LP: %s", ot_err_str(err));
        return;
    }
    ot_lp_result res = {.x = w->x};
    err = c->solver->solve(c->solver->ctx, worker, &w->lp, &res, first->why, sizeof first->why);
    w->lps++;
    w->warm += res.warm;
    w->mip += res.integer;
    if (w->lp.rows > w->max_rows)
        w->max_rows = w->lp.rows;
    if (w->lp.cols > w->max_cols)
        w->max_cols = w->lp.cols;
    first->status = res.status;
    if (err != OT_OK || res.status != OT_LP_OPTIMAL) {
        first->err = err != OT_OK ? err
                     : res.status == OT_LP_INFEASIBLE ? OT_ERR_INFEASIBLE
                                                     : OT_ERR_SOLVER;
        return;
    }
    size_t B = plan_block_cols(net);
    for (size_t g = 0; g < k; g++) {
        sku_sol *sol = &c->sol[skus[g]];
        /* A group's objective belongs to the group: kept on its first SKU. */
        sol->lp_obj = g == 0 ? res.objective : 0;
        sol->relaxed = g == 0 ? res.relaxed : 0;
        /* columns count packs when the LP was built for whole packs, even
         * when the solver fell back to the relaxation */
        sol->err = keep_solution(net, c->caps, skus[g], w->x + g * B, w->lp.has_int, sol);
    }
}

/* This SKU's share of every finite capacity: its own use plus an equal part
 * of what is left (phase 3), or its part of the group's residual (phase 2). */
static const double *sku_caps(run_ctx *c, worker_state *w, ot_sku_ix s)
{
    const plan_net *net = &c->plan->net;
    if (!net->any_cap)
        return c->caps;
    size_t R = n_res(net);
    sku_sol *sol = &c->sol[s];
    if (c->phase == 3) {
        for (size_t r = 0; r < R; r++)
            w->caps[r] = isfinite(c->caps[r]) ? c->slack[r] / (double)net->S : INFINITY;
        for (size_t i = 0; i < sol->nu; i++)
            w->caps[sol->ur[i]] += sol->uv[i];
        return w->caps;
    }
    for (size_t r = 0; r < R; r++)
        w->caps[r] = isfinite(c->resid[r])
                         ? (c->gusage[r] > 0 ? 0 : c->resid[r] / (double)c->k)
                         : INFINITY;
    for (size_t i = 0; i < sol->nu; i++) {
        size_t r = (size_t)sol->ur[i];
        if (c->gusage[r] > 0)
            w->caps[r] += c->resid[r] * sol->uv[i] / c->gusage[r];
    }
    return w->caps;
}

static int cmp_order(const void *pa, const void *pb)
{
    const ot_order *a = pa, *b = pb;
    if (a->ship_t != b->ship_t)
        return a->ship_t < b->ship_t ? -1 : 1;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    return (a->to > b->to) - (a->to < b->to);
}

static ot_order_kind kind_of(const ot_twin *twin, ot_node_ix from, ot_node_ix to)
{
    ot_node_info f, t;
    ot_twin_node(twin, from, &f);
    ot_twin_node(twin, to, &t);
    if (f.kind == OT_NODE_SUPPLIER)
        return OT_ORDER_PURCHASE;
    if (f.kind == OT_NODE_DC && t.kind == OT_NODE_STORE)
        return OT_ORDER_REPLENISH;
    return OT_ORDER_TRANSFER;
}

static uint64_t hash_str(const char *s, uint64_t h)
{
    size_t len = strlen(s);
    h = ot_hash_bytes(&len, sizeof len, h);
    return ot_hash_bytes(s, len, h);
}

static void round_sku(run_ctx *c, int worker, ot_sku_ix s)
{
    ot_plan *plan = c->plan;
    const plan_net *net = &plan->net;
    worker_state *w = &c->ws[worker];
    sku_sol *sol = &c->sol[s];
    size_t H = (size_t)net->H;
    memset(w->dense, 0, (net->nx + 1) * sizeof *w->dense);
    for (size_t i = 0; i < sol->nz; i++)
        w->dense[sol->xi[i]] = sol->xv[i];
    const double *caps = sku_caps(c, w, s);
    int64_t *q = ot_calloc(net->nx + 1, sizeof *q);
    if (!q) {
        sol->err = OT_ERR_NOMEM;
        return;
    }
    sol->cost.q = q;
    plan_round_sku(net, s, w->dense, caps, caps + net->A * H, &sol->cost, w->work);
    /* other workers hold other SKUs: these pairs are this worker's alone */
    const double *E = plan_round_stock(net, w->work), *Lo = plan_round_lost(net, w->work);
    for (size_t m = 0; m < net->M; m++) {
        size_t pair = (size_t)net->stock_node[m] * plan->S + (size_t)s;
        for (size_t t = 0; t < H; t++) {
            plan->stock[pair * H + t] += (float)E[m * H + t];
            plan->lost[pair * H + t] += (float)Lo[m * H + t];
        }
    }
    size_t n = 0;
    for (size_t j = 0; j < net->nx; j++)
        n += q[j] > 0;
    sol->orders = ot_calloc(n + 1, sizeof *sol->orders);
    if (!sol->orders) {
        sol->err = OT_ERR_NOMEM;
        return;
    }
    ot_sku_info si;
    ot_twin_sku(net->twin, s, &si);
    for (size_t j = 0; j < net->nx; j++) {
        if (q[j] <= 0)
            continue;
        size_t a = (size_t)net->x_lane[j];
        ot_order *o = &sol->orders[sol->n_orders++];
        o->lane = net->lane[a];
        o->from = net->from[a];
        o->to = net->to[a];
        o->sku = s;
        o->qty = q[j];
        o->ship_t = net->x_t[j] + 1;
        o->ship_day = plan->in.as_of + net->x_t[j];
        o->arrive_day = plan->in.as_of + net->x_arrive[j];
        o->kind = kind_of(net->twin, o->from, o->to);
        ot_node_info fi, ti;
        ot_twin_node(net->twin, o->from, &fi);
        ot_twin_node(net->twin, o->to, &ti);
        uint64_t h = ot_hash_bytes(&plan->in.as_of, sizeof plan->in.as_of, 0x6f6d6e69ULL);
        h = hash_str(fi.id, h);
        h = hash_str(ti.id, h);
        h = hash_str(si.id, h);
        o->id = ot_hash_bytes(&o->ship_day, sizeof o->ship_day, h);
    }
    qsort(sol->orders, sol->n_orders, sizeof *sol->orders, cmp_order);
    ot_free(q);
    sol->cost.q = NULL;
}

static void work_fn(void *arg, size_t i, int worker)
{
    run_ctx *c = arg;
    if (c->phase == 1) {
        ot_sku_ix s = (ot_sku_ix)i;
        solve_group(c, worker, &s, 1, c->caps);
    } else if (c->phase == 2) {
        ot_sku_ix s = c->group[i];
        solve_group(c, worker, &s, 1, sku_caps(c, &c->ws[worker], s));
    } else {
        round_sku(c, worker, (ot_sku_ix)i);
    }
}

static void run_all(run_ctx *c, size_t n)
{
    if (c->solver->parallel_for)
        c->solver->parallel_for(c->solver->ctx, n, work_fn, c);
    else
        for (size_t i = 0; i < n; i++)
            work_fn(c, i, 0);
}

/* Reports the first failures; returns the first error. */
static ot_err collect_errors(run_ctx *c, ot_diag *diag)
{
    ot_err first = OT_OK;
    size_t shown = 0;
    for (size_t s = 0; s < c->plan->net.S; s++) {
        sku_sol *sol = &c->sol[s];
        if (sol->err == OT_OK)
            continue;
        if (first == OT_OK)
            first = sol->err;
        if (shown++ < 10) {
            ot_sku_info si;
            ot_twin_sku(c->plan->net.twin, (ot_sku_ix)s, &si);
            if (sol->err == OT_ERR_INFEASIBLE)
                ot_diag_report(diag, OT_DIAG_ERROR, NULL, 0,
                               "plan: SKU %s has no feasible plan: a node's capacity or shelf "
                               "limit is below the stock already there or arriving that can "
                               "neither be sold nor shipped out (expected capacities that hold "
                               "the opening stock and the pipeline)", si.id);
            else
                ot_diag_report(diag, OT_DIAG_ERROR, NULL, 0, "plan: SKU %s: %s (%s)", si.id,
                               ot_err_str(sol->err), sol->why[0] ? sol->why : "no detail");
        }
    }
    return first;
}

/* A share can be below what a SKU must hold (stock already at a node that
 * can neither be sold nor leave in time): such a SKU keeps its phase-1
 * solution, its use is taken out of the residual, and the others are
 * re-solved with shares of what is left, a few rounds at most. Says so when
 * the kept solutions still overrun a capacity. */
static void reshare(run_ctx *c, ot_sku_ix *group, size_t k, double *resid, double *gusage,
                    size_t R, ot_diag *diag)
{
    size_t failed = 0;
    for (int round = 0; round < 8; round++) {
        size_t kept = 0, now = 0;
        for (size_t g = 0; g < k; g++) {
            sku_sol *sol = &c->sol[group[g]];
            if (sol->err != OT_ERR_INFEASIBLE) {
                group[kept++] = group[g];
                continue;
            }
            now++;
            sol->err = OT_OK;
            for (size_t i = 0; i < sol->nu; i++)
                resid[sol->ur[i]] -= sol->uv[i];
        }
        failed += now;
        if (now == 0 || kept == 0)
            break;
        k = kept;
        memset(gusage, 0, R * sizeof *gusage);
        for (size_t g = 0; g < k; g++)
            for (size_t i = 0; i < c->sol[group[g]].nu; i++)
                gusage[c->sol[group[g]].ur[i]] += c->sol[group[g]].uv[i];
        for (size_t r = 0; r < R; r++)
            if (resid[r] < 0)
                resid[r] = 0;
        c->k = k;
        run_all(c, k);
    }
    if (failed == 0)
        return;
    /* the residual is spent: reuse it for the use of every SKU */
    memset(resid, 0, R * sizeof *resid);
    for (size_t s = 0; s < c->plan->net.S; s++)
        for (size_t i = 0; i < c->sol[s].nu; i++)
            resid[c->sol[s].ur[i]] += c->sol[s].uv[i];
    size_t over = 0;
    for (size_t r = 0; r < R; r++)
        over += isfinite(c->caps[r]) && resid[r] > c->caps[r] * (1 + 1e-9) + 1e-6;
    if (over)
        ot_diag_report(diag, OT_DIAG_WARNING, NULL, 0,
                       "plan: %zu SKUs could not fit in their share of a shared capacity and "
                       "kept their own optimum; %zu capacity-days stay overrun by it",
                       failed, over);
}

/* Phase 2: capacities that the independent optima overrun. */
static ot_err couple(run_ctx *c, ot_diag *diag)
{
    ot_plan *plan = c->plan;
    plan_net *net = &plan->net;
    size_t R = n_res(net), S = net->S;
    double *total = ot_calloc(R + 1, sizeof *total), *gusage = ot_calloc(R + 1, sizeof *gusage);
    double *resid = ot_calloc(R + 1, sizeof *resid);
    bool *violated = ot_calloc(R + 1, sizeof *violated);
    ot_sku_ix *group = ot_calloc(S + 1, sizeof *group);
    ot_err err = OT_OK;
    if (!total || !gusage || !resid || !violated || !group) {
        err = OT_ERR_NOMEM;
        goto done;
    }
    for (size_t s = 0; s < S; s++)
        for (size_t i = 0; i < c->sol[s].nu; i++)
            total[c->sol[s].ur[i]] += c->sol[s].uv[i];
    size_t nviol = 0;
    for (size_t r = 0; r < R; r++)
        if (isfinite(c->caps[r]) && total[r] > c->caps[r] * (1 + 1e-9) + 1e-6) {
            violated[r] = true;
            nviol++;
        }
    size_t k = 0;
    for (size_t s = 0; s < S && nviol; s++) {
        bool in = false;
        for (size_t i = 0; i < c->sol[s].nu && !in; i++)
            in = violated[c->sol[s].ur[i]];
        if (in)
            group[k++] = (ot_sku_ix)s;
    }
    plan->sum.coupled_skus += k;
    if (k == 0)
        goto done;
    for (size_t r = 0; r < R; r++)
        resid[r] = c->caps[r];
    for (size_t s = 0, g = 0; s < S; s++) {
        bool in = g < k && group[g] == (ot_sku_ix)s;
        g += in;
        for (size_t i = 0; i < c->sol[s].nu; i++)
            (in ? gusage : resid)[c->sol[s].ur[i]] += in ? c->sol[s].uv[i] : -c->sol[s].uv[i];
    }
    for (size_t r = 0; r < R; r++)
        if (resid[r] < 0)
            resid[r] = 0;
    size_t joint_max = plan->in.joint_max_cols ? plan->in.joint_max_cols : DEFAULT_JOINT_MAX_COLS;
    if (k * plan_block_cols(net) <= joint_max) {
        for (size_t g = 1; g < k; g++)
            c->sol[group[g]].err = OT_OK;
        solve_group(c, 0, group, k, resid);
        plan->sum.joint_lps++;
        plan->sum.lp_status = "optimal";
    } else {
        c->phase = 2;
        c->group = group;
        c->k = k;
        c->resid = resid;
        c->gusage = gusage;
        run_all(c, k);
        plan->sum.lp_status = "optimal (decomposed)";
        reshare(c, group, k, resid, gusage, R, diag);
    }
    err = collect_errors(c, diag);
done:
    ot_free(total);
    ot_free(gusage);
    ot_free(resid);
    ot_free(violated);
    ot_free(group);
    c->group = NULL;
    c->resid = c->gusage = NULL;
    return err;
}

static ot_err prepare_workers(run_ctx *c, int workers)
{
    const plan_net *net = &c->plan->net;
    c->ws = ot_calloc((size_t)workers, sizeof *c->ws);
    if (!c->ws)
        return OT_ERR_NOMEM;
    for (int i = 0; i < workers; i++) {
        worker_state *w = &c->ws[i];
        ot_lp_init(&w->lp);
        w->caps = ot_malloc((n_res(net) + 1) * sizeof *w->caps);
        w->dense = ot_malloc((net->nx + 1) * sizeof *w->dense);
        w->work = ot_malloc((plan_round_work(net) + 1) * sizeof *w->work);
        w->flow = plan_flow_new();
        if (!w->caps || !w->dense || !w->work || !w->flow)
            return OT_ERR_NOMEM;
    }
    return OT_OK;
}

static void release_workers(run_ctx *c, int workers)
{
    for (int i = 0; c->ws && i < workers; i++) {
        ot_lp_release(&c->ws[i].lp);
        ot_free(c->ws[i].x);
        ot_free(c->ws[i].caps);
        ot_free(c->ws[i].dense);
        ot_free(c->ws[i].work);
        plan_flow_free(c->ws[i].flow);
    }
    ot_free(c->ws);
}

static ot_err gather(run_ctx *c)
{
    ot_plan *plan = c->plan;
    ot_plan_summary *sum = &plan->sum;
    size_t total = plan->n_orders;
    for (size_t s = 0; s < plan->net.S; s++)
        total += c->sol[s].n_orders;
    ot_order *grown = ot_reallocarray(plan->orders, total + 1, sizeof *plan->orders);
    if (!grown)
        return OT_ERR_NOMEM;
    plan->orders = grown;
    for (size_t s = 0; s < plan->net.S; s++) {
        sku_sol *sol = &c->sol[s];
        if (sol->n_orders)
            memcpy(plan->orders + plan->n_orders, sol->orders, sol->n_orders * sizeof *sol->orders);
        plan->n_orders += sol->n_orders;
        for (size_t i = 0; i < sol->n_orders; i++)
            sum->units += sol->orders[i].qty;
        sum->transport_cost += sol->cost.transport;
        sum->holding_cost += sol->cost.holding;
        sum->stockout_cost += sol->cost.stockout;
        sum->safety_penalty += sol->cost.penalty;
        sum->demand_units += sol->cost.demand;
        sum->lost_units += sol->cost.lost;
        sum->lp_objective += sol->relaxed;
    }
    for (int i = 0; i < c->solver->workers; i++) {
        sum->lps += c->ws[i].lps;
        sum->warm_lps += c->ws[i].warm;
        sum->mip_lps += c->ws[i].mip;
        sum->flow_lps += c->ws[i].flows;
        if (c->ws[i].max_rows > sum->max_rows)
            sum->max_rows = c->ws[i].max_rows;
        if (c->ws[i].max_cols > sum->max_cols)
            sum->max_cols = c->ws[i].max_cols;
    }
    return OT_OK;
}

static int cmp_plan_order(const void *pa, const void *pb)
{
    const ot_order *a = pa, *b = pb;
    if (a->sku != b->sku)
        return a->sku < b->sku ? -1 : 1;
    return cmp_order(pa, pb);
}

/* Sorts the orders and merges those of the same lane, SKU and day that
 * several store blocks placed (purchases into a shared DC). */
static void finish(ot_plan *plan)
{
    ot_plan_summary *sum = &plan->sum;
    qsort(plan->orders, plan->n_orders, sizeof *plan->orders, cmp_plan_order);
    size_t k = 0;
    for (size_t i = 0; i < plan->n_orders; i++) {
        if (k > 0 && plan->orders[k - 1].sku == plan->orders[i].sku &&
            plan->orders[k - 1].lane == plan->orders[i].lane &&
            plan->orders[k - 1].ship_t == plan->orders[i].ship_t)
            plan->orders[k - 1].qty += plan->orders[i].qty;
        else
            plan->orders[k++] = plan->orders[i];
    }
    plan->n_orders = k;
    sum->orders = (int64_t)plan->n_orders;
    sum->objective = sum->transport_cost + sum->holding_cost + sum->stockout_cost +
                     sum->safety_penalty;
    double scale = fabs(sum->lp_objective) > 1 ? fabs(sum->lp_objective) : 1;
    sum->rounding_gap = (sum->objective - sum->lp_objective) / scale;
    sum->decomposition_gap = (sum->lp_objective - sum->lp_bound) / scale;
    if (sum->decomposition_gap < 0 && sum->decomposition_gap > -1e-9)
        sum->decomposition_gap = 0;
    sum->fill_rate = sum->demand_units > 0 ? 1 - sum->lost_units / sum->demand_units : 1;
    sum->store_blocks = plan->blocks;
}

static void set_id(ot_plan *plan)
{
    uint64_t h = ot_hash_bytes(&plan->in.as_of, sizeof plan->in.as_of, 0x706c616eULL);
    h = ot_hash_bytes(&plan->in.horizon_days, sizeof plan->in.horizon_days, h);
    ot_node_info ni;
    ot_sku_info si;
    for (size_t n = 0; n < plan->N; n++) {
        ot_twin_node(plan->twin, (ot_node_ix)n, &ni);
        h = hash_str(ni.id, h);
    }
    for (size_t s = 0; s < plan->S; s++) {
        ot_twin_sku(plan->twin, (ot_sku_ix)s, &si);
        h = hash_str(si.id, h);
    }
    plan->id[0] = 'P';
    ot_order_id_format(h, plan->id + 1);
}

/* Plans the network of plan->net (the whole network or one store block):
 * phase 1, coupling, rounding; adds orders, costs and projections to plan. */
static ot_err run_net(ot_plan *plan, const ot_lp_solver *solver, ot_diag *diag)
{
    plan_net *net = &plan->net;
    size_t H = (size_t)net->H, R = n_res(net), S = net->S;
    ot_err err = OT_OK;
    for (size_t m = 0; m < net->M; m++)
        for (size_t s = 0; s < S; s++) {
            size_t pair = (size_t)net->stock_node[m] * S + s, ms = plan_ms(net, m, (ot_sku_ix)s);
            plan->ss[pair] += net->ss[ms];
            for (size_t t = 0; t < H; t++)
                plan->demand[pair * H + t] += net->demand[ms * H + t];
        }
    run_ctx c = {.plan = plan, .solver = solver};
    double *caps = ot_malloc((R + 1) * sizeof *caps), *slack = ot_calloc(R + 1, sizeof *slack);
    c.sol = ot_calloc(S + 1, sizeof *c.sol);
    c.caps = caps;
    c.slack = slack;
    if (!caps || !slack || !c.sol || (err = prepare_workers(&c, solver->workers)) != OT_OK) {
        err = OT_ERR_NOMEM;
        goto done;
    }
    memcpy(caps, net->cap_lane, net->A * H * sizeof *caps);
    memcpy(caps + net->A * H, net->cap_node, net->N * H * sizeof *caps);
    c.phase = 1;
    run_all(&c, S);
    if ((err = collect_errors(&c, diag)) != OT_OK)
        goto done;
    for (size_t s = 0; s < S; s++)
        plan->sum.lp_bound += c.sol[s].relaxed;
    if (net->any_cap && (err = couple(&c, diag)) != OT_OK)
        goto done;
    for (size_t r = 0; r < R; r++)
        slack[r] = caps[r];
    for (size_t s = 0; s < S; s++)
        for (size_t i = 0; i < c.sol[s].nu; i++)
            slack[c.sol[s].ur[i]] -= c.sol[s].uv[i];
    for (size_t r = 0; r < R; r++)
        if (!(slack[r] > 0))
            slack[r] = 0;
    c.phase = 3;
    run_all(&c, S);
    if ((err = collect_errors(&c, diag)) != OT_OK)
        goto done;
    err = gather(&c);
done:
    for (size_t s = 0; c.sol && s < S; s++) {
        sol_release(&c.sol[s]);
        ot_free(c.sol[s].orders);
    }
    ot_free(c.sol);
    release_workers(&c, solver->workers);
    ot_free(caps);
    ot_free(slack);
    return err;
}

/* Store blocks (docs/PLAN_MODEL.md): stores joined by lateral lanes stay
 * together; blocks of about block_stores stores; every DC's stock and
 * demand of a SKU split by the blocks' share of that SKU's store demand. */
typedef struct {
    int32_t *block_of;         /* [N] */
    size_t count;
    double *sku_share;         /* [count * S] */
    double *cap_share;         /* [count] */
} block_plan;

static int32_t find_root(int32_t *parent, int32_t x)
{
    while (parent[x] != x)
        x = parent[x] = parent[parent[x]];
    return x;
}

static ot_err make_blocks(const ot_plan_input *in, size_t block_stores, block_plan *bp)
{
    const ot_twin *twin = in->twin;
    size_t N = ot_twin_node_count(twin), S = ot_twin_sku_count(twin), H = (size_t)in->horizon_days;
    memset(bp, 0, sizeof *bp);
    int32_t *parent = ot_malloc((N + 1) * sizeof *parent);
    int32_t *size = ot_calloc(N + 1, sizeof *size), *root_block = ot_malloc((N + 1) * sizeof *root_block);
    bp->block_of = ot_malloc((N + 1) * sizeof *bp->block_of);
    ot_err err = OT_OK;
    if (!parent || !size || !root_block || !bp->block_of) {
        err = OT_ERR_NOMEM;
        goto done;
    }
    ot_node_info ni, nj;
    for (size_t n = 0; n < N; n++) {
        parent[n] = (int32_t)n;
        root_block[n] = -1;
    }
    for (size_t l = 0; l < ot_twin_lane_count(twin); l++) {
        ot_lane_info li;
        ot_twin_lane(twin, (ot_lane_ix)l, &li);
        ot_twin_node(twin, li.from, &ni);
        ot_twin_node(twin, li.to, &nj);
        if (ni.kind == OT_NODE_STORE && nj.kind == OT_NODE_STORE)
            parent[find_root(parent, li.from)] = find_root(parent, li.to);
    }
    /* components in order of their first store, packed into blocks */
    size_t in_block = 0;
    for (size_t n = 0; n < N; n++) {
        ot_twin_node(twin, (ot_node_ix)n, &ni);
        bp->block_of[n] = -1;
        if (ni.kind != OT_NODE_STORE)
            continue;
        int32_t r = find_root(parent, (int32_t)n);
        if (root_block[r] < 0) {
            if (bp->count == 0 || in_block >= block_stores) {
                bp->count++;
                in_block = 0;
            }
            root_block[r] = (int32_t)bp->count - 1;
        }
        bp->block_of[n] = root_block[r];
        in_block++;
    }
    bp->sku_share = ot_calloc(bp->count * S + 1, sizeof *bp->sku_share);
    bp->cap_share = ot_calloc(bp->count + 1, sizeof *bp->cap_share);
    double *total = ot_calloc(S + 1, sizeof *total);
    if (!bp->sku_share || !bp->cap_share || !total) {
        ot_free(total);
        err = OT_ERR_NOMEM;
        goto done;
    }
    double all = 0;
    for (size_t n = 0; n < N && in->demand; n++) {
        if (bp->block_of[n] < 0)
            continue;
        size_t b = (size_t)bp->block_of[n];
        for (size_t s = 0; s < S; s++) {
            ot_sku_info si;
            double d = 0;
            for (size_t t = 0; t < H; t++) {
                double v = in->demand[(n * S + s) * H + t];
                d += isfinite(v) && v > 0 ? v : 0;
            }
            ot_twin_sku(twin, (ot_sku_ix)s, &si);
            bp->sku_share[b * S + s] += d;
            total[s] += d;
            bp->cap_share[b] += d * si.volume;
            all += d * si.volume;
        }
    }
    for (size_t b = 0; b < bp->count; b++) {
        for (size_t s = 0; s < S; s++)
            bp->sku_share[b * S + s] = total[s] > 0 ? bp->sku_share[b * S + s] / total[s]
                                                    : 1.0 / (double)bp->count;
        bp->cap_share[b] = all > 0 ? bp->cap_share[b] / all : 1.0 / (double)bp->count;
    }
    ot_free(total);
done:
    ot_free(parent);
    ot_free(size);
    ot_free(root_block);
    return err;
}

static void release_blocks(block_plan *bp)
{
    ot_free(bp->block_of);
    ot_free(bp->sku_share);
    ot_free(bp->cap_share);
}

ot_err ot_plan_run(const ot_plan_input *in, const ot_lp_solver *solver, ot_diag *diag,
                   ot_plan **out)
{
    *out = NULL;
    if (!solver || !solver->solve || solver->workers < 1)
        return OT_ERR_INTERNAL;
    ot_plan *plan = ot_calloc(1, sizeof *plan);
    if (!plan)
        return OT_ERR_NOMEM;
    plan->in = *in;
    /* the whole network first: it checks every input and says how many
     * stores there are */
    ot_err err = plan_net_init(&plan->net, &plan->in, NULL, diag);
    if (err != OT_OK) {
        ot_free(plan);
        return err;
    }
    plan->twin = in->twin;
    plan->H = in->horizon_days;
    plan->N = plan->net.N;
    plan->S = plan->net.S;
    size_t pairs = plan->N * plan->S, H = (size_t)plan->H, stores = 0;
    for (size_t n = 0; n < plan->N; n++) {
        ot_node_info ni;
        ot_twin_node(in->twin, (ot_node_ix)n, &ni);
        stores += ni.kind == OT_NODE_STORE;
    }
    plan->sum.lp_status = "optimal";
    plan->sum.skus = plan->S;
    plan->stock = ot_calloc(pairs * H + 1, sizeof *plan->stock);
    plan->lost = ot_calloc(pairs * H + 1, sizeof *plan->lost);
    plan->demand = ot_calloc(pairs * H + 1, sizeof *plan->demand);
    plan->ss = ot_calloc(pairs + 1, sizeof *plan->ss);
    block_plan bp = {0};
    if (!plan->stock || !plan->lost || !plan->demand || !plan->ss) {
        err = OT_ERR_NOMEM;
        goto done;
    }
    if (in->block_stores == 0 || stores <= in->block_stores) {
        plan->blocks = 1;
        err = run_net(plan, solver, diag);
    } else {
        plan_net_release(&plan->net);
        if ((err = make_blocks(&plan->in, in->block_stores, &bp)) != OT_OK)
            goto done;
        plan->blocks = bp.count;
        for (size_t b = 0; b < bp.count && err == OT_OK; b++) {
            plan_block blk = {bp.block_of, (int32_t)b, bp.sku_share + b * plan->S,
                              bp.cap_share[b]};
            /* warnings were given for the whole network above */
            ot_diag *quiet = ot_diag_new(1);
            err = plan_net_init(&plan->net, &plan->in, &blk, quiet ? quiet : diag);
            ot_diag_free(quiet);
            if (err == OT_OK)
                err = run_net(plan, solver, diag);
            plan_net_release(&plan->net);
        }
        if (err == OT_OK && plan->sum.lp_status[0] == 'o' && plan->blocks > 1)
            plan->sum.lp_status = "optimal (store blocks)";
    }
    if (err == OT_OK) {
        finish(plan);
        set_id(plan);
    }
done:
    release_blocks(&bp);
    plan_net_release(&plan->net);
    if (err != OT_OK) {
        ot_plan_free(plan);
        return err;
    }
    plan->in.demand = NULL;
    plan->in.safety_stock = NULL;
    *out = plan;
    return OT_OK;
}

void ot_plan_free(ot_plan *plan)
{
    if (!plan)
        return;
    plan_net_release(&plan->net);
    ot_free(plan->orders);
    ot_free(plan->stock);
    ot_free(plan->lost);
    ot_free(plan->demand);
    ot_free(plan->ss);
    ot_free(plan);
}

const ot_plan_summary *ot_plan_get_summary(const ot_plan *plan) { return &plan->sum; }

const ot_order *ot_plan_orders(const ot_plan *plan, size_t *count)
{
    *count = plan->n_orders;
    return plan->orders;
}

int32_t ot_plan_horizon(const ot_plan *plan) { return plan->H; }
ot_day ot_plan_as_of(const ot_plan *plan) { return plan->in.as_of; }
const char *ot_plan_id(const ot_plan *plan) { return plan->id; }
const ot_twin *ot_plan_twin(const ot_plan *plan) { return plan->twin; }

static bool cell(const ot_plan *plan, ot_node_ix n, ot_sku_ix s, int32_t t, size_t *pair)
{
    if (n < 0 || (size_t)n >= plan->N || s < 0 || (size_t)s >= plan->S || t < 1 || t > plan->H)
        return false;
    *pair = (size_t)n * plan->S + (size_t)s;
    return true;
}

double ot_plan_stock(const ot_plan *plan, ot_node_ix n, ot_sku_ix s, int32_t t)
{
    size_t p;
    return cell(plan, n, s, t, &p) ? plan->stock[p * (size_t)plan->H + (size_t)(t - 1)] : 0;
}

double ot_plan_demand(const ot_plan *plan, ot_node_ix n, ot_sku_ix s, int32_t t)
{
    size_t p;
    return cell(plan, n, s, t, &p) ? plan->demand[p * (size_t)plan->H + (size_t)(t - 1)] : 0;
}

double ot_plan_lost(const ot_plan *plan, ot_node_ix n, ot_sku_ix s, int32_t t)
{
    size_t p;
    return cell(plan, n, s, t, &p) ? plan->lost[p * (size_t)plan->H + (size_t)(t - 1)] : 0;
}

double ot_plan_safety_stock(const ot_plan *plan, ot_node_ix n, ot_sku_ix s)
{
    size_t p;
    return cell(plan, n, s, 1, &p) ? plan->ss[p] : 0;
}

const char *ot_order_kind_name(ot_order_kind kind)
{
    switch (kind) {
    case OT_ORDER_PURCHASE: return "purchase";
    case OT_ORDER_REPLENISH: return "replenish";
    case OT_ORDER_TRANSFER: return "transfer";
    }
    return "?";
}

void ot_order_id_format(uint64_t id, char buf[17])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--, id >>= 4)
        buf[i] = hex[id & 15];
    buf[16] = '\0';
}

ot_err ot_plan_build_sku_lp(const ot_plan_input *in, ot_sku_ix s, ot_lp *lp, ot_diag *diag)
{
    plan_net net;
    ot_err err = plan_net_init(&net, in, NULL, diag);
    if (err != OT_OK)
        return err;
    if (s < 0 || (size_t)s >= net.S) {
        plan_net_release(&net);
        return OT_ERR_NOT_FOUND;
    }
    size_t H = (size_t)net.H;
    double *caps = ot_malloc((n_res(&net) + 1) * sizeof *caps);
    if (!caps) {
        plan_net_release(&net);
        return OT_ERR_NOMEM;
    }
    memcpy(caps, net.cap_lane, net.A * H * sizeof *caps);
    memcpy(caps + net.A * H, net.cap_node, net.N * H * sizeof *caps);
    err = plan_build(&net, &s, 1, caps, caps + net.A * H, false, lp);
    ot_free(caps);
    plan_net_release(&net);
    return err;
}
