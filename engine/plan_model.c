/* The plan's time-phased model (docs/PLAN_MODEL.md): the network as the
 * model sees it and the LP of one SKU or of a group of coupled SKUs. */
#include <math.h>
#include <string.h>

#include "plan_internal.h"

#define NEW(p, n) ((p) = ot_calloc((n), sizeof *(p)))

void plan_net_release(plan_net *net)
{
    ot_free(net->pos);
    ot_free(net->kept);
    ot_free(net->stock_node);
    ot_free(net->lane);
    ot_free(net->from);
    ot_free(net->to);
    ot_free(net->cost);
    ot_free(net->lead);
    ot_free(net->lead_base);
    ot_free(net->xoff);
    ot_free(net->x_lane);
    ot_free(net->x_t);
    ot_free(net->x_arrive);
    ot_free(net->out_start);
    ot_free(net->out_lane);
    ot_free(net->sup_start);
    ot_free(net->sup_lane);
    ot_free(net->cap_lane);
    ot_free(net->cap_node);
    ot_free(net->demand);
    ot_free(net->ss);
    ot_free(net->max_units);
    ot_free(net->open);
    ot_free(net->pipe_start);
    ot_free(net->pipe);
    memset(net, 0, sizeof *net);
}

static void date_of(ot_day day, char buf[11]) { ot_date_format(day, buf); }

static ot_node_kind node_kind(const plan_net *net, ot_node_ix n)
{
    ot_node_info ni;
    ot_twin_node(net->twin, n, &ni);
    return ni.kind;
}

/* The part of a DC's stock and demand of SKU s this block plans with. */
static double dc_share(const plan_net *net, ot_node_ix n, ot_sku_ix s)
{
    if (!net->blk || node_kind(net, n) == OT_NODE_STORE)
        return 1.0;
    return net->blk->sku_share[s];
}

/* Checks the caller's demand and safety stock and copies the demand of the
 * stocking nodes, multiplied by the day's factor. */
static ot_err load_demand(plan_net *net, ot_diag *diag)
{
    const ot_plan_input *in = net->in;
    size_t H = (size_t)net->H, bad = 0;
    for (size_t m = 0; m < net->M; m++) {
        ot_node_ix n = net->stock_node[m];
        for (size_t s = 0; s < net->S; s++) {
            size_t pair = (size_t)n * net->S + s, ms = m * net->S + s;
            double share = dc_share(net, n, (ot_sku_ix)s);
            for (size_t t = 0; in->demand && t < H; t++) {
                double d = in->demand[pair * H + t];
                if (!isfinite(d) || d < 0) {
                    if (bad++ < 20) {
                        ot_node_info ni;
                        ot_sku_info si;
                        char date[11];
                        ot_twin_node(net->twin, n, &ni);
                        ot_twin_sku(net->twin, (ot_sku_ix)s, &si);
                        date_of(in->as_of + (ot_day)t, date);
                        ot_diag_report(diag, OT_DIAG_ERROR, NULL, 0,
                                       "plan: demand of %s at %s on %s is %g (expected a finite number >= 0)",
                                       si.id, ni.id, date, d);
                    }
                    continue;
                }
                double f = ot_factors_demand(in->factors, n, (ot_sku_ix)s, in->as_of + (ot_day)t);
                net->demand[ms * H + t] = share * d * (isfinite(f) && f >= 0 ? f : 1.0);
            }
            ot_policy_info pol;
            ot_twin_policy(net->twin, n, (ot_sku_ix)s, &pol);
            double ss = in->safety_stock ? in->safety_stock[pair] : 0;
            if (isnan(ss))
                ss = 0;
            if (!isfinite(ss) || ss < 0) {
                bad++;
                ot_diag_report(diag, OT_DIAG_ERROR, NULL, 0,
                               "plan: safety stock of pair %zu is %g (expected a finite number >= 0)",
                               pair, ss);
                continue;
            }
            if ((double)pol.min_units > ss)
                ss = (double)pol.min_units;
            net->max_units[ms] = pol.max_units == INT64_MAX ? INFINITY : share * (double)pol.max_units;
            ss *= share;
            if (ss > net->max_units[ms])
                ss = net->max_units[ms];
            net->ss[ms] = ss;
            if (ss > 0)
                net->has_ss = true;
            int64_t oh = ot_twin_on_hand(net->twin, n, (ot_sku_ix)s);
            net->open[ms] = oh > 0 ? share * (double)oh : 0;
        }
    }
    return bad ? OT_ERR_INPUT : OT_OK;
}

static ot_err load_pipeline(plan_net *net)
{
    size_t P = ot_twin_pipeline_count(net->twin);
    if (!NEW(net->pipe_start, net->S + 1) || !NEW(net->pipe, P + 1))
        return OT_ERR_NOMEM;
    ot_pipeline_info pi;
    for (size_t i = 0; i < P; i++) {
        ot_twin_pipeline(net->twin, i, &pi);
        if (pi.open && pi.qty > 0 && net->pos[pi.to] >= 0 &&
            pi.arrive_day - net->in->as_of < net->H)
            net->pipe_start[pi.sku + 1]++;
    }
    for (size_t s = 0; s < net->S; s++)
        net->pipe_start[s + 1] += net->pipe_start[s];
    size_t *fill = ot_calloc(net->S, sizeof *fill);
    if (!fill)
        return OT_ERR_NOMEM;
    for (size_t i = 0; i < P; i++) {
        ot_twin_pipeline(net->twin, i, &pi);
        int64_t t = (int64_t)pi.arrive_day - net->in->as_of;
        if (!(pi.open && pi.qty > 0 && net->pos[pi.to] >= 0 && t < net->H))
            continue;
        plan_arrival *a = &net->pipe[net->pipe_start[pi.sku] + fill[pi.sku]++];
        a->pos = net->pos[pi.to];
        a->t = t < 0 ? 0 : (int32_t)t; /* overdue: arrives on day 1 */
        a->qty = dc_share(net, pi.to, pi.sku) * (double)pi.qty;
    }
    ot_free(fill);
    return OT_OK;
}

/* Lanes that can carry something: into a stocking node, not a loop. */
static ot_err load_lanes(plan_net *net, ot_diag *diag)
{
    const ot_plan_input *in = net->in;
    size_t L = ot_twin_lane_count(net->twin), H = (size_t)net->H;
    if (!NEW(net->lane, L + 1) || !NEW(net->from, L + 1) || !NEW(net->to, L + 1) ||
        !NEW(net->cost, L + 1) || !NEW(net->lead_base, L + 1))
        return OT_ERR_NOMEM;
    ot_lane_info li;
    for (size_t l = 0; l < L; l++) {
        ot_twin_lane(net->twin, (ot_lane_ix)l, &li);
        if (li.from == li.to || net->pos[li.to] < 0 || !net->kept[li.from])
            continue;
        if (!isfinite(li.cost_per_unit) || li.cost_per_unit < 0) {
            ot_diag_report(diag, OT_DIAG_ERROR, NULL, 0,
                           "plan: lane %zu has cost %g (expected a finite number >= 0)", l,
                           li.cost_per_unit);
            return OT_ERR_INPUT;
        }
        size_t a = net->A++;
        net->lane[a] = (ot_lane_ix)l;
        net->from[a] = li.from;
        net->to[a] = li.to;
        net->cost[a] = li.cost_per_unit;
        net->lead_base[a] = li.lead_time_days;
    }
    size_t A = net->A;
    if (!NEW(net->lead, A * H + 1) || !NEW(net->xoff, A * H + 1) ||
        !NEW(net->cap_lane, A * H + 1))
        return OT_ERR_NOMEM;
    for (size_t a = 0; a < A; a++) {
        ot_twin_lane(net->twin, net->lane[a], &li);
        for (size_t t = 0; t < H; t++) {
            ot_day day = in->as_of + (ot_day)t;
            /* A NULL factor store knows no twin: it reads lead time 0. */
            int32_t lead = in->factors
                               ? ot_factors_lead_time_days(in->factors, net->lane[a], day)
                               : li.lead_time_days;
            double f = ot_factors_lane_capacity(in->factors, net->lane[a], day);
            if (lead < 0)
                lead = 0;
            net->lead[a * H + t] = lead;
            double cap = li.capacity_per_day;
            if (net->blk && isfinite(cap) && node_kind(net, li.to) != OT_NODE_STORE)
                cap *= net->blk->cap_share;
            if (!(f > 0))
                cap = 0; /* closed lane or endpoint: nothing moves */
            else if (isfinite(cap))
                cap *= f;
            if (ot_factors_node_closed(in->factors, li.from, day) ||
                ot_factors_node_closed(in->factors, li.to, day))
                cap = 0;
            net->cap_lane[a * H + t] = cap;
            if (isfinite(cap))
                net->any_cap = true;
            /* A shipment that arrives after the horizon cannot serve any
             * demand the model sees: no column. */
            net->xoff[a * H + t] = (int64_t)t + lead < (int64_t)H ? (int32_t)net->nx++ : -1;
        }
    }
    if (!NEW(net->x_lane, net->nx + 1) || !NEW(net->x_t, net->nx + 1) ||
        !NEW(net->x_arrive, net->nx + 1))
        return OT_ERR_NOMEM;
    for (size_t a = 0; a < A; a++)
        for (size_t t = 0; t < H; t++) {
            int32_t j = net->xoff[a * H + t];
            if (j < 0)
                continue;
            net->x_lane[j] = (int32_t)a;
            net->x_t[j] = (int32_t)t;
            net->x_arrive[j] = (int32_t)t + net->lead[a * H + t];
        }
    /* CSR of lanes by origin: per stocking node and per any node. */
    if (!NEW(net->out_start, net->M + 2) || !NEW(net->out_lane, A + 1) ||
        !NEW(net->sup_start, net->N + 2) || !NEW(net->sup_lane, A + 1))
        return OT_ERR_NOMEM;
    for (size_t a = 0; a < A; a++) {
        net->sup_start[net->from[a] + 1]++;
        if (net->pos[net->from[a]] >= 0)
            net->out_start[net->pos[net->from[a]] + 1]++;
    }
    for (size_t m = 0; m < net->M; m++)
        net->out_start[m + 1] += net->out_start[m];
    for (size_t n = 0; n < net->N; n++)
        net->sup_start[n + 1] += net->sup_start[n];
    size_t *fo = ot_calloc(net->M + 1, sizeof *fo), *fs = ot_calloc(net->N + 1, sizeof *fs);
    if (!fo || !fs) {
        ot_free(fo);
        ot_free(fs);
        return OT_ERR_NOMEM;
    }
    for (size_t a = 0; a < A; a++) {
        ot_node_ix n = net->from[a];
        net->sup_lane[net->sup_start[n] + fs[n]++] = (int32_t)a;
        if (net->pos[n] >= 0)
            net->out_lane[net->out_start[net->pos[n]] + fo[net->pos[n]]++] = (int32_t)a;
    }
    ot_free(fo);
    ot_free(fs);
    return OT_OK;
}

ot_err plan_net_init(plan_net *net, const ot_plan_input *in, const plan_block *blk,
                     ot_diag *diag)
{
    memset(net, 0, sizeof *net);
    net->in = in;
    net->blk = blk;
    net->twin = in->twin;
    if (!in->twin) {
        ot_diag_report(diag, OT_DIAG_ERROR, NULL, 0, "plan: no network given");
        return OT_ERR_INPUT;
    }
    if (in->horizon_days < 1 || in->horizon_days > OT_PLAN_MAX_HORIZON) {
        ot_diag_report(diag, OT_DIAG_ERROR, NULL, 0,
                       "plan: horizon of %d days is out of range (expected 1..%d)",
                       (int)in->horizon_days, OT_PLAN_MAX_HORIZON);
        return OT_ERR_INPUT;
    }
    net->H = in->horizon_days;
    net->N = ot_twin_node_count(in->twin);
    net->S = ot_twin_sku_count(in->twin);
    size_t H = (size_t)net->H;
    if (!NEW(net->pos, net->N + 1) || !NEW(net->stock_node, net->N + 1) ||
        !NEW(net->cap_node, net->N * H + 1))
        goto nomem;
    ot_node_info ni;
    if (!NEW(net->kept, net->N + 1))
        goto nomem;
    for (size_t n = 0; n < net->N; n++) {
        ot_twin_node(in->twin, (ot_node_ix)n, &ni);
        net->pos[n] = -1;
        net->kept[n] = !blk || ni.kind != OT_NODE_STORE || blk->block_of[n] == blk->block;
        if (!net->kept[n])
            continue;
        if (ni.kind != OT_NODE_SUPPLIER) {
            net->pos[n] = (int32_t)net->M;
            net->stock_node[net->M++] = (ot_node_ix)n;
        }
        double cap = ni.capacity;
        if (blk && ni.kind != OT_NODE_STORE && isfinite(cap))
            cap *= blk->cap_share;
        for (size_t t = 0; t < H; t++)
            net->cap_node[n * H + t] = cap;
        if (isfinite(cap))
            net->any_cap = true;
    }
    size_t MS = net->M * net->S;
    if (!NEW(net->demand, MS * H + 1) || !NEW(net->ss, MS + 1) ||
        !NEW(net->max_units, MS + 1) || !NEW(net->open, MS + 1))
        goto nomem;
    ot_err err = load_demand(net, diag);
    if (err == OT_OK)
        err = load_lanes(net, diag);
    if (err == OT_OK)
        err = load_pipeline(net);
    if (err != OT_OK) {
        plan_net_release(net);
        return err;
    }
    if (net->A == 0 && net->M > 0)
        ot_diag_report(diag, OT_DIAG_WARNING, NULL, 0,
                       "plan: the network has no lane into a DC or store: nothing can be "
                       "shipped, demand is served from stock on hand and in transit only");
    return OT_OK;
nomem:
    plan_net_release(net);
    return OT_ERR_NOMEM;
}

/* ---- Building the LP ----------------------------------------------------- */

typedef struct {
    ot_lp *lp;
    bool ok;
} builder;

static int32_t col(builder *b, double lo, double hi, double cost)
{
    int32_t j = ot_lp_add_col(b->lp, lo, hi, cost);
    if (j < 0)
        b->ok = false;
    return j;
}

static void coef(builder *b, int32_t row, int32_t c, double v)
{
    if (b->ok && !ot_lp_add_coef(b->lp, row, c, v))
        b->ok = false;
}

static int32_t row(builder *b, double lo, double hi)
{
    int32_t i = ot_lp_add_row(b->lp, lo, hi);
    if (i < 0)
        b->ok = false;
    return i;
}

ot_err plan_build(const plan_net *net, const ot_sku_ix *skus, size_t k,
                  const double *lane_cap, const double *node_cap, bool integer,
                  ot_lp *lp)
{
    ot_lp_clear(lp);
    builder b = {lp, true};
    size_t H = (size_t)net->H, M = net->M, B = plan_block_cols(net);
    size_t MH = M * H;
    bool single = k == 1;
    for (size_t g = 0; g < k && b.ok; g++) {
        ot_sku_ix s = skus[g];
        ot_sku_info si;
        ot_twin_sku(net->twin, s, &si);
        double pack = integer ? (double)si.case_pack : 1.0;
        double pen = plan_ss_penalty(&si, net->H);
        size_t base = g * B;
        /* Columns, in the block order of plan_internal.h. */
        for (size_t j = 0; j < net->nx && b.ok; j++) {
            size_t a = (size_t)net->x_lane[j], t = (size_t)net->x_t[j];
            double hi = INFINITY, cap = lane_cap[a * H + t];
            if (single || cap == 0)
                hi = cap / (si.volume * pack);
            if (integer && isfinite(hi))
                hi = floor(hi + 1e-9);
            OT_ASSERT((size_t)col(&b, 0, hi, net->cost[a] * pack) == base + j || !b.ok);
            if (integer && b.ok)
                lp->col_int[base + j] = lp->has_int = true;
        }
        for (size_t m = 0; m < M && b.ok; m++) {
            size_t ms = plan_ms(net, m, s);
            double ss = net->ss[ms], mx = net->max_units[ms];
            double hi = mx - ss;
            ot_node_ix n = net->stock_node[m];
            for (size_t t = 0; t < H; t++) {
                double h = hi;
                if (single && !net->has_ss) {
                    double c = node_cap[(size_t)n * H + t] / si.volume;
                    h = c < mx ? c : mx;
                }
                col(&b, 0, h, si.holding_cost);
            }
        }
        if (net->has_ss)
            for (size_t m = 0; m < M && b.ok; m++) {
                double ss = net->ss[plan_ms(net, m, s)];
                for (size_t t = 0; t < H; t++)
                    col(&b, 0, ss, si.holding_cost - pen);
                lp->obj_const += pen * ss * (double)H;
            }
        for (size_t m = 0; m < M && b.ok; m++)
            for (size_t t = 0; t < H; t++) {
                double d = net->demand[plan_ms(net, m, s) * H + t];
                col(&b, 0, d, -si.stockout_cost);
                lp->obj_const += si.stockout_cost * d;
            }
        if (!b.ok)
            break;
        /* Balance rows: Ih + Il - I(t-1) + out - in + y = open + arrivals. */
        size_t r0 = lp->rows;
        for (size_t m = 0; m < M; m++)
            for (size_t t = 0; t < H; t++) {
                double rhs = t == 0 ? net->open[plan_ms(net, m, s)] : 0;
                row(&b, rhs, rhs);
            }
        for (size_t i = net->pipe_start[s]; i < net->pipe_start[s + 1]; i++) {
            const plan_arrival *pa = &net->pipe[i];
            size_t r = r0 + (size_t)pa->pos * H + (size_t)pa->t;
            lp->row_lo[r] += pa->qty;
            lp->row_hi[r] += pa->qty;
        }
        for (size_t m = 0; m < M && b.ok; m++)
            for (size_t t = 0; t < H; t++) {
                int32_t r = (int32_t)(r0 + m * H + t);
                int32_t ih = (int32_t)(base + net->nx + m * H + t);
                coef(&b, r, ih, 1);
                if (t > 0)
                    coef(&b, r, ih - 1, -1);
                if (net->has_ss) {
                    coef(&b, r, ih + (int32_t)MH, 1);
                    if (t > 0)
                        coef(&b, r, ih + (int32_t)MH - 1, -1);
                }
                coef(&b, r, ih + (int32_t)(MH * (net->has_ss ? 2 : 1)), 1);
            }
        for (size_t j = 0; j < net->nx && b.ok; j++) {
            size_t a = (size_t)net->x_lane[j];
            int32_t pf = net->pos[net->from[a]], pt = net->pos[net->to[a]];
            if (pf >= 0)
                coef(&b, (int32_t)(r0 + (size_t)pf * H + (size_t)net->x_t[j]),
                     (int32_t)(base + j), pack);
            coef(&b, (int32_t)(r0 + (size_t)pt * H + (size_t)net->x_arrive[j]),
                 (int32_t)(base + j), -pack);
        }
        /* With safety stock the two stock columns share one capacity row. */
        if (single && net->has_ss)
            for (size_t m = 0; m < M && b.ok; m++) {
                ot_node_ix n = net->stock_node[m];
                for (size_t t = 0; t < H; t++) {
                    double cap = node_cap[(size_t)n * H + t] / si.volume;
                    double mx = net->max_units[plan_ms(net, m, s)];
                    if (mx < cap)
                        cap = mx;
                    if (!isfinite(cap))
                        continue;
                    int32_t r = row(&b, -INFINITY, cap);
                    int32_t ih = (int32_t)(base + net->nx + m * H + t);
                    coef(&b, r, ih, 1);
                    coef(&b, r, ih + (int32_t)MH, 1);
                }
            }
    }
    /* Shared capacities: per node-day (stock, or shipments of a supplier)
     * and per lane-day when several SKUs are planned together. */
    for (size_t n = 0; n < net->N && b.ok; n++) {
        int32_t m = net->pos[n];
        for (size_t t = 0; t < H && b.ok; t++) {
            double cap = node_cap[n * H + t];
            if (!isfinite(cap))
                continue;
            if (m >= 0 && single)
                continue; /* bounds or the row above */
            if (m < 0 && net->sup_start[n] == net->sup_start[n + 1])
                continue;
            int32_t r = -1;
            for (size_t g = 0; g < k && b.ok; g++) {
                ot_sku_info si;
                ot_twin_sku(net->twin, skus[g], &si);
                double pack = integer ? (double)si.case_pack : 1.0;
                double v = single ? 1.0 : si.volume;
                if (r < 0)
                    r = row(&b, -INFINITY, single ? cap / si.volume : cap);
                size_t base = g * B;
                if (m >= 0) {
                    int32_t ih = (int32_t)(base + net->nx + (size_t)m * H + t);
                    coef(&b, r, ih, v);
                    if (net->has_ss)
                        coef(&b, r, ih + (int32_t)MH, v);
                } else {
                    for (size_t i = net->sup_start[n]; i < net->sup_start[n + 1]; i++) {
                        int32_t j = net->xoff[(size_t)net->sup_lane[i] * H + t];
                        if (j >= 0)
                            coef(&b, r, (int32_t)(base + (size_t)j), v * pack);
                    }
                }
            }
        }
    }
    if (!single)
        for (size_t j = 0; j < net->nx && b.ok; j++) {
            size_t a = (size_t)net->x_lane[j], t = (size_t)net->x_t[j];
            double cap = lane_cap[a * H + t];
            if (!isfinite(cap) || cap == 0)
                continue;
            int32_t r = row(&b, -INFINITY, cap);
            for (size_t g = 0; g < k; g++) {
                ot_sku_info si;
                ot_twin_sku(net->twin, skus[g], &si);
                double pack = integer ? (double)si.case_pack : 1.0;
                coef(&b, r, (int32_t)(g * B + j), si.volume * pack);
            }
        }
    if (!b.ok)
        return OT_ERR_NOMEM;
    ot_lp_seal(lp);
    lp->reuse_expected = single;
    return OT_OK;
}
