/* Case-pack rounding and repair (docs/PLAN_MODEL.md "Rounding"): LP
 * shipments go to the nearest whole pack, then a forward pass over the days
 * takes packs back wherever a node would ship more than it holds or a
 * capacity would be exceeded. Quantities only ever decrease, so the repair
 * ends, and shipping nothing is always feasible for the stock rows. */
#include <math.h>
#include <string.h>

#include "plan_internal.h"

#define EPS 1e-6

size_t plan_round_work(const plan_net *net)
{
    return 4 * net->M + 2 * net->M * (size_t)net->H + 2;
}

/* Takes packs back from shipments among lanes lanes[0..n) shipped on day t
 * until `need` units (or all) are gone: first from the one rounded up the
 * most above the LP's flow x, so that the LP's allocation of scarce stock
 * survives rounding. */
static void take_back(const plan_net *net, int64_t *q, const double *x, const int32_t *lanes,
                      size_t n, size_t t, int64_t pack, double need)
{
    size_t H = (size_t)net->H;
    while (need > EPS) {
        int32_t best = -1;
        double best_excess = 0;
        for (size_t i = 0; i < n; i++) {
            int32_t j = net->xoff[(size_t)lanes[i] * H + t];
            double excess = j >= 0 ? (double)q[j] - (x ? x[j] : 0) : 0;
            if (j >= 0 && q[j] > 0 && (best < 0 || excess > best_excess)) {
                best = j;
                best_excess = excess;
            }
        }
        if (best < 0)
            return;
        int64_t packs = best_excess >= (double)pack ? (int64_t)floor(best_excess / (double)pack) : 1;
        int64_t need_packs = (int64_t)ceil((need - EPS) / (double)pack);
        if (packs > need_packs)
            packs = need_packs;
        int64_t cut = packs * pack;
        if (cut > q[best])
            cut = q[best];
        q[best] -= cut;
        need -= (double)cut;
    }
}

/* Takes one pack back from the latest shipment into stocking node m that
 * arrives on or before day t; false when there is none. */
static bool take_inbound(const plan_net *net, int64_t *q, int32_t m, int32_t t,
                         int64_t pack, double need)
{
    int32_t best = -1;
    for (size_t j = 0; j < net->nx; j++)
        if (q[j] > 0 && net->pos[net->to[net->x_lane[j]]] == m && net->x_arrive[j] <= t &&
            (best < 0 || net->x_arrive[j] > net->x_arrive[best] ||
             (net->x_arrive[j] == net->x_arrive[best] && q[j] > q[best])))
            best = (int32_t)j;
    if (best < 0)
        return false;
    int64_t cut = (int64_t)ceil((need - EPS) / (double)pack) * pack;
    q[best] -= cut < q[best] ? cut : q[best];
    return true;
}

/* Change in cost of shipping one more pack on column j (INFINITY when a
 * constraint forbids it), given end stock E and lost demand Lo. */
static double fill_delta(const plan_net *net, ot_sku_ix s, const ot_sku_info *si, const int64_t *q,
                         int32_t j, const double *lane_cap, const double *node_cap,
                         const double *E, const double *Lo)
{
    size_t H = (size_t)net->H, a = (size_t)net->x_lane[j], t = (size_t)net->x_t[j];
    double pack = (double)si->case_pack, pen = plan_ss_penalty(si, net->H);
    if (((double)q[j] + pack) * si->volume > lane_cap[a * H + t] + EPS)
        return INFINITY;
    size_t src = (size_t)net->pos[net->from[a]], dst = (size_t)net->pos[net->to[a]];
    double ss_src = net->ss[plan_ms(net, src, s)], ss_dst = net->ss[plan_ms(net, dst, s)];
    double delta = net->cost[a] * pack;
    for (size_t v = t; v < H; v++) {
        double e = E[src * H + v];
        if (e < pack - EPS)
            return INFINITY; /* the source needs that pack itself */
        delta -= si->holding_cost * pack;
        delta += pen * (fmax(0, ss_src - (e - pack)) - fmax(0, ss_src - e));
    }
    double extra = pack;
    ot_node_ix n = net->to[a];
    double mx = net->max_units[plan_ms(net, dst, s)];
    for (size_t v = (size_t)net->x_arrive[j]; v < H && extra > EPS; v++) {
        double got = fmin(extra, Lo[dst * H + v]);
        delta -= si->stockout_cost * got;
        extra -= got;
        double e = E[dst * H + v];
        if ((e + extra) * si->volume > node_cap[(size_t)n * H + v] + EPS || e + extra > mx + EPS)
            return INFINITY;
        delta += si->holding_cost * extra;
        delta -= pen * (fmax(0, ss_dst - e) - fmax(0, ss_dst - (e + extra)));
    }
    return delta;
}

/* A pass after the repair: where demand is still lost, ship one more pack
 * from a DC or store that keeps enough stock for itself, when that lowers
 * the cost (rounding and repair take packs away; this gives back the ones
 * that pay). Each change is applied to E and Lo exactly, day by day. */
static void fill_lost(const plan_net *net, ot_sku_ix s, const ot_sku_info *si, int64_t *q,
                      const double *lane_cap, const double *node_cap, double *E, double *Lo)
{
    size_t H = (size_t)net->H;
    double pack = (double)si->case_pack;
    for (int round = 0; round < 64; round++) {
        bool improved = false;
        for (size_t m = 0; m < net->M; m++) {
            size_t u = 0;
            while (u < H && Lo[m * H + u] <= EPS)
                u++;
            if (u == H)
                continue;
            int32_t best = -1;
            double best_delta = -1e-9;
            for (size_t a = 0; a < net->A; a++) {
                if (net->pos[net->to[a]] != (int32_t)m || net->pos[net->from[a]] < 0)
                    continue;
                for (size_t t = 0; t < H; t++) {
                    int32_t j = net->xoff[a * H + t];
                    if (j < 0 || (size_t)net->x_arrive[j] > u)
                        continue;
                    double d = fill_delta(net, s, si, q, j, lane_cap, node_cap, E, Lo);
                    if (d < best_delta) {
                        best_delta = d;
                        best = j;
                    }
                }
            }
            if (best < 0)
                continue;
            size_t a = (size_t)net->x_lane[best], t = (size_t)net->x_t[best];
            size_t src = (size_t)net->pos[net->from[a]];
            q[best] += (int64_t)pack;
            for (size_t v = t; v < H; v++)
                E[src * H + v] -= pack;
            double extra = pack;
            for (size_t v = (size_t)net->x_arrive[best]; v < H; v++) {
                double got = fmin(extra, Lo[m * H + v]);
                Lo[m * H + v] -= got;
                extra -= got;
                E[m * H + v] += extra;
            }
            improved = true;
        }
        if (!improved)
            return;
    }
}

void plan_round_sku(const plan_net *net, ot_sku_ix s, const double *x,
                    const double *lane_cap, const double *node_cap,
                    plan_round_out *out, double *work)
{
    size_t H = (size_t)net->H, M = net->M;
    ot_sku_info si;
    ot_twin_sku(net->twin, s, &si);
    int64_t pack = si.case_pack > 0 ? si.case_pack : 1;
    int64_t *q = out->q;
    /* Cumulative rounding along each lane: the packs shipped up to day t
     * are the LP's cumulative packs up to t, rounded up when the fraction
     * reaches the critical ratio r = hR / (hR + p), clamped to [0.1, 0.5]
     * (holding the rest of a pack for the R days left against losing it),
     * so a lane carrying half a pack a day ships a pack every other day
     * instead of nothing and slow movers that are costly to lose round
     * up. The repair below takes back the roundings up first. */
    for (size_t a = 0; a < net->A; a++) {
        double cum = 0;
        int64_t sent = 0;
        for (size_t t = 0; t < H; t++) {
            int32_t j = net->xoff[a * H + t];
            if (j < 0)
                continue;
            cum += x ? x[j] / (double)pack : 0;
            double hold = si.holding_cost * (double)pack * (double)(H - t);
            double r = hold + si.stockout_cost > 0 ? hold / (hold + si.stockout_cost) : 0.5;
            r = r < 0.1 ? 0.1 : r > 0.5 ? 0.5 : r;
            int64_t whole = (int64_t)floor(cum + EPS);
            int64_t want = whole + (cum - (double)whole >= r - EPS ? 1 : 0) - sent;
            q[j] = want > 0 ? want * pack : 0;
            double cap = lane_cap[a * H + t];
            if (isfinite(cap)) {
                int64_t most = (int64_t)floor(cap / (si.volume * (double)pack) + EPS) * pack;
                if (q[j] > most)
                    q[j] = most;
            }
            sent += q[j] / pack;
        }
    }
    /* Suppliers with a daily capacity. */
    for (size_t n = 0; n < net->N; n++) {
        if (net->pos[n] >= 0)
            continue;
        const int32_t *lanes = net->sup_lane + net->sup_start[n];
        size_t nl = net->sup_start[n + 1] - net->sup_start[n];
        for (size_t t = 0; t < H && nl; t++) {
            double cap = node_cap[n * H + t];
            if (!isfinite(cap))
                continue;
            double used = 0;
            for (size_t i = 0; i < nl; i++) {
                int32_t j = net->xoff[(size_t)lanes[i] * H + t];
                used += j >= 0 ? (double)q[j] * si.volume : 0;
            }
            if (used > cap + EPS)
                take_back(net, q, x, lanes, nl, t, pack, (used - cap) / si.volume);
        }
    }
    double *level = work, *inflow = work + M, *outflow = work + 2 * M;
    double *E = work + 4 * M, *Lo = E + M * H; /* end stock, lost: [m * H + t] */
    double pen = plan_ss_penalty(&si, net->H);
    int restarts = 0;
restart:
    out->transport = out->holding = out->stockout = out->penalty = 0;
    out->demand = out->lost = 0;
    for (size_t m = 0; m < M; m++)
        level[m] = net->open[plan_ms(net, m, s)];
    for (size_t t = 0; t < H; t++) {
        for (;;) {
            memset(inflow, 0, M * sizeof *inflow);
            memset(outflow, 0, M * sizeof *outflow);
            for (size_t i = net->pipe_start[s]; i < net->pipe_start[s + 1]; i++)
                if ((size_t)net->pipe[i].t == t)
                    inflow[net->pipe[i].pos] += net->pipe[i].qty;
            for (size_t j = 0; j < net->nx; j++) {
                if (!q[j])
                    continue;
                size_t a = (size_t)net->x_lane[j];
                if ((size_t)net->x_arrive[j] == t)
                    inflow[net->pos[net->to[a]]] += (double)q[j];
                if ((size_t)net->x_t[j] == t && net->pos[net->from[a]] >= 0)
                    outflow[net->pos[net->from[a]]] += (double)q[j];
            }
            bool changed = false;
            for (size_t m = 0; m < M; m++) {
                double have = level[m] + inflow[m] - outflow[m];
                if (have < -EPS) {
                    take_back(net, q, x, net->out_lane + net->out_start[m],
                              net->out_start[m + 1] - net->out_start[m], t, pack, -have);
                    changed = true;
                }
            }
            if (!changed)
                break;
        }
        for (size_t m = 0; m < M; m++) {
            size_t ms = plan_ms(net, m, s);
            double have = level[m] + inflow[m] - outflow[m];
            if (have < 0)
                have = 0;
            double d = net->demand[ms * H + t];
            double served = d < have ? d : have;
            double end = have - served;
            ot_node_ix n = net->stock_node[m];
            double cap = node_cap[(size_t)n * H + t] / si.volume;
            if (net->max_units[ms] < cap)
                cap = net->max_units[ms];
            if (end > cap + EPS && restarts < 10000 &&
                take_inbound(net, q, (int32_t)m, (int32_t)t, pack, end - cap)) {
                restarts++;
                goto restart;
            }
            level[m] = end;
            out->demand += d;
            E[m * H + t] = end;
            Lo[m * H + t] = d - served;
        }
    }
    fill_lost(net, s, &si, q, lane_cap, node_cap, E, Lo);
    out->holding = out->stockout = out->penalty = out->lost = out->transport = 0;
    for (size_t m = 0; m < M; m++) {
        size_t ms = plan_ms(net, m, s);
        for (size_t t = 0; t < H; t++) {
            double end = E[m * H + t];
            out->lost += Lo[m * H + t];
            out->holding += si.holding_cost * end;
            out->stockout += si.stockout_cost * Lo[m * H + t];
            if (end < net->ss[ms])
                out->penalty += pen * (net->ss[ms] - end);
        }
    }
    for (size_t j = 0; j < net->nx; j++)
        out->transport += net->cost[net->x_lane[j]] * (double)q[j];
}
