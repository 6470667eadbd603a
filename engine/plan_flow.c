/* One SKU's plan LP as a min-cost flow (plan_flow.h, docs/PLAN_MODEL.md):
 * negative arcs saturated, then successive shortest paths with Dijkstra on
 * reduced costs; after each Dijkstra every deficit node on the shortest
 * path tree is served along its tree path. */
#include <math.h>
#include <string.h>

#include "plan_flow.h"

/* Arc i is edge 2i (forward) and edge 2i + 1 (its reverse). */
struct plan_flow {
    size_t v_cap, e_cap, h_cap;
    /* arcs as added */
    int32_t *tail, *head, *col;    /* [arcs] col -1: no LP column */
    double *acap, *acost;          /* [arcs] */
    size_t arcs, nodes;
    size_t lp_rows;                /* rows of the equivalent LP */
    /* residual graph */
    int32_t *to;                   /* [2 arcs] */
    double *res, *cost;            /* [2 arcs] */
    int32_t *adj;                  /* [2 arcs] edges by tail */
    size_t *start;                 /* [nodes + 1] */
    double *excess, *pi, *dist;    /* [nodes] */
    int32_t *pred;                 /* [nodes] edge into node, -1 none */
    bool *done;                    /* [nodes] */
    int32_t *sup;                  /* [N*H] supplier-day node, -1 none */
    size_t sup_cap;
    /* heap of (dist, node) */
    double *hd;
    int32_t *hn;
    size_t hn_len;
    bool ok;
};

#define GROW(f, p, n)                                                          \
    do {                                                                       \
        void *np_ = ot_reallocarray((p), (n) + 1, sizeof *(p));               \
        if (!np_)                                                              \
            (f)->ok = false;                                                   \
        else                                                                   \
            (p) = np_;                                                         \
    } while (0)

plan_flow *plan_flow_new(void)
{
    return ot_calloc(1, sizeof(plan_flow));
}

void plan_flow_free(plan_flow *f)
{
    if (!f)
        return;
    ot_free(f->tail);
    ot_free(f->head);
    ot_free(f->col);
    ot_free(f->acap);
    ot_free(f->acost);
    ot_free(f->to);
    ot_free(f->res);
    ot_free(f->cost);
    ot_free(f->adj);
    ot_free(f->start);
    ot_free(f->excess);
    ot_free(f->pi);
    ot_free(f->dist);
    ot_free(f->pred);
    ot_free(f->done);
    ot_free(f->sup);
    ot_free(f->hd);
    ot_free(f->hn);
    ot_free(f);
}

static void reserve(plan_flow *f, size_t nodes, size_t arcs, size_t sup)
{
    if (arcs > f->e_cap) {
        GROW(f, f->tail, arcs);
        GROW(f, f->head, arcs);
        GROW(f, f->col, arcs);
        GROW(f, f->acap, arcs);
        GROW(f, f->acost, arcs);
        GROW(f, f->to, 2 * arcs);
        GROW(f, f->res, 2 * arcs);
        GROW(f, f->cost, 2 * arcs);
        GROW(f, f->adj, 2 * arcs);
        size_t h = 2 * arcs + nodes;
        GROW(f, f->hd, h);
        GROW(f, f->hn, h);
        if (f->ok) {
            f->e_cap = arcs;
            f->h_cap = h;
        }
    }
    if (nodes > f->v_cap) {
        GROW(f, f->start, nodes + 1);
        GROW(f, f->excess, nodes);
        GROW(f, f->pi, nodes);
        GROW(f, f->dist, nodes);
        GROW(f, f->pred, nodes);
        GROW(f, f->done, nodes);
        if (f->ok)
            f->v_cap = nodes;
    }
    if (sup > f->sup_cap) {
        GROW(f, f->sup, sup);
        if (f->ok)
            f->sup_cap = sup;
    }
    if (f->h_cap < 2 * f->e_cap + f->v_cap) {
        size_t h = 2 * f->e_cap + f->v_cap;
        GROW(f, f->hd, h);
        GROW(f, f->hn, h);
        if (f->ok)
            f->h_cap = h;
    }
}

static void arc(plan_flow *f, int32_t from, int32_t to, double cap, double cost, int32_t col)
{
    if (!(cap > 0))
        return; /* nothing can flow: the column stays 0 */
    size_t i = f->arcs++;
    OT_ASSERT(i < f->e_cap);
    f->tail[i] = from;
    f->head[i] = to;
    f->acap[i] = cap;
    f->acost[i] = cost;
    f->col[i] = col;
}

/* ---- heap --------------------------------------------------------------- */

static void heap_push(plan_flow *f, double d, int32_t v)
{
    size_t i = f->hn_len++;
    OT_ASSERT(i < f->h_cap);
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (f->hd[p] < d || (f->hd[p] == d && f->hn[p] <= v))
            break;
        f->hd[i] = f->hd[p];
        f->hn[i] = f->hn[p];
        i = p;
    }
    f->hd[i] = d;
    f->hn[i] = v;
}

static int32_t heap_pop(plan_flow *f, double *d)
{
    int32_t top = f->hn[0];
    *d = f->hd[0];
    size_t n = --f->hn_len, i = 0;
    double ld = f->hd[n];
    int32_t lv = f->hn[n];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && (f->hd[c + 1] < f->hd[c] ||
                          (f->hd[c + 1] == f->hd[c] && f->hn[c + 1] < f->hn[c])))
            c++;
        if (ld < f->hd[c] || (ld == f->hd[c] && lv <= f->hn[c]))
            break;
        f->hd[i] = f->hd[c];
        f->hn[i] = f->hn[c];
        i = c;
    }
    f->hd[i] = ld;
    f->hn[i] = lv;
    return top;
}

/* ---- building the network ---------------------------------------------- */

/* Builds the nodes, arcs and supplies of SKU s; false on an unsupported
 * model. */
static bool build(plan_flow *f, const plan_net *net, ot_sku_ix s, const double *lane_cap,
                  const double *node_cap, double *constant)
{
    size_t H = (size_t)net->H, M = net->M, MH = M * H;
    ot_sku_info si;
    ot_twin_sku(net->twin, s, &si);
    double v = si.volume, pen = plan_ss_penalty(&si, net->H);
    if (!(v > 0) || !isfinite(si.holding_cost) || si.holding_cost < 0 ||
        !isfinite(si.stockout_cost))
        return false;
    size_t nodes = 1 + MH * (net->has_ss ? 2 : 1);
    size_t arcs = net->nx + MH * (net->has_ss ? 4 : 2) + net->N * H;
    f->ok = true;
    reserve(f, nodes + net->N * H, arcs, net->N * H);
    if (!f->ok)
        return false;
    /* capacitated supplier-days get a node */
    for (size_t n = 0; n < net->N; n++)
        for (size_t t = 0; t < H; t++) {
            f->sup[n * H + t] = -1;
            if (net->pos[n] < 0 && net->kept[n] && net->sup_start[n] < net->sup_start[n + 1] &&
                isfinite(node_cap[n * H + t]))
                f->sup[n * H + t] = (int32_t)nodes++;
        }
    f->lp_rows = MH + (nodes - 1 - MH * (net->has_ss ? 2 : 1));
    f->nodes = nodes;
    f->arcs = 0;
    memset(f->excess, 0, nodes * sizeof *f->excess);
    int32_t R = 0;
#define STOCK(m, t) ((int32_t)(1 + (size_t)(m) * H + (size_t)(t)))
#define MID(m, t) ((int32_t)(1 + MH + (size_t)(m) * H + (size_t)(t)))
    double cst = 0, supply = 0;
    for (size_t n = 0; n < net->N; n++)
        for (size_t t = 0; t < H; t++)
            if (f->sup[n * H + t] >= 0)
                arc(f, R, f->sup[n * H + t], node_cap[n * H + t] / v, 0, -1);
    for (size_t j = 0; j < net->nx; j++) {
        size_t a = (size_t)net->x_lane[j], t = (size_t)net->x_t[j];
        int32_t pf = net->pos[net->from[a]], pt = net->pos[net->to[a]];
        int32_t tail = pf >= 0 ? STOCK(pf, t) : f->sup[(size_t)net->from[a] * H + t];
        if (tail < 0)
            tail = R;
        arc(f, tail, STOCK(pt, net->x_arrive[j]), lane_cap[a * H + t] / v, net->cost[a],
            (int32_t)j);
    }
    int32_t ih0 = (int32_t)net->nx, il0 = ih0 + (int32_t)MH,
            y0 = ih0 + (int32_t)(MH * (net->has_ss ? 2 : 1));
    for (size_t m = 0; m < M; m++) {
        size_t ms = plan_ms(net, m, s);
        double ss = net->ss[ms], mx = net->max_units[ms];
        ot_node_ix n = net->stock_node[m];
        if (net->has_ss && !(mx - ss >= 0))
            return false;
        f->excess[STOCK(m, 0)] += net->open[ms];
        supply += net->open[ms];
        for (size_t t = 0; t < H; t++) {
            int32_t c = (int32_t)(m * H + t);
            int32_t next = t + 1 < H ? STOCK(m, t + 1) : R;
            double cap = node_cap[(size_t)n * H + t] / v;
            if (mx < cap)
                cap = mx;
            if (net->has_ss) {
                f->lp_rows += isfinite(cap);
                arc(f, STOCK(m, t), MID(m, t), cap, 0, -1);
                arc(f, MID(m, t), next, mx - ss, si.holding_cost, ih0 + c);
                arc(f, MID(m, t), next, ss, si.holding_cost - pen, il0 + c);
                cst += pen * ss;
            } else {
                arc(f, STOCK(m, t), next, cap, si.holding_cost, ih0 + c);
            }
            double d = net->demand[ms * H + t];
            arc(f, STOCK(m, t), R, d, -si.stockout_cost, y0 + c);
            cst += si.stockout_cost * d;
        }
    }
    for (size_t i = net->pipe_start[s]; i < net->pipe_start[s + 1]; i++) {
        const plan_arrival *pa = &net->pipe[i];
        f->excess[STOCK(pa->pos, pa->t)] += pa->qty;
        supply += pa->qty;
    }
#undef STOCK
#undef MID
    f->excess[R] -= supply;
    *constant = cst;
    /* residual graph in CSR by tail; negative arcs saturated */
    size_t E = 2 * f->arcs;
    memset(f->start, 0, (nodes + 1) * sizeof *f->start);
    for (size_t i = 0; i < f->arcs; i++) {
        double cap = f->acap[i], c = f->acost[i];
        if (!isfinite(c) || isnan(cap))
            return false;
        f->to[2 * i] = f->head[i];
        f->to[2 * i + 1] = f->tail[i];
        f->cost[2 * i] = c;
        f->cost[2 * i + 1] = -c;
        f->res[2 * i] = cap;
        f->res[2 * i + 1] = 0;
        if (c < 0) {
            if (!isfinite(cap))
                return false; /* unbounded below: leave it to the LP */
            f->res[2 * i] = 0;
            f->res[2 * i + 1] = cap;
            f->excess[f->tail[i]] -= cap;
            f->excess[f->head[i]] += cap;
        }
        f->start[f->tail[i] + 1]++;
        f->start[f->head[i] + 1]++;
    }
    for (size_t u = 0; u < nodes; u++)
        f->start[u + 1] += f->start[u];
    /* fill with pi as a cursor, then reset it */
    for (size_t u = 0; u < nodes; u++)
        f->pred[u] = (int32_t)f->start[u];
    for (size_t e = 0; e < E; e++) {
        int32_t u = f->to[e ^ 1];
        f->adj[f->pred[u]++] = (int32_t)e;
    }
    memset(f->pi, 0, nodes * sizeof *f->pi);
    return true;
}

/* ---- successive shortest paths ----------------------------------------- */

/* Dijkstra from every node with excess above eps on reduced costs; true
 * when some deficit node is reached (any deficit, however small: rounding
 * in the capacity shares leaves deficits of 1e-8 units spread over nodes,
 * which together absorb an excess above eps). Potentials then absorb the distances. */
static bool dijkstra(plan_flow *f, double eps)
{
    size_t V = f->nodes;
    f->hn_len = 0;
    for (size_t u = 0; u < V; u++) {
        f->dist[u] = INFINITY;
        f->pred[u] = -1;
        f->done[u] = false;
        if (f->excess[u] > eps) {
            f->dist[u] = 0;
            heap_push(f, 0, (int32_t)u);
        }
    }
    bool reached = false;
    double far = 0;
    while (f->hn_len) {
        double d;
        int32_t u = heap_pop(f, &d);
        if (f->done[u] || d > f->dist[u])
            continue;
        f->done[u] = true;
        far = d;
        if (f->excess[u] < 0)
            reached = true;
        for (size_t k = f->start[u]; k < f->start[u + 1]; k++) {
            int32_t e = f->adj[k];
            if (!(f->res[e] > 0))
                continue;
            int32_t w = f->to[e];
            if (f->done[w])
                continue;
            double rc = f->cost[e] + f->pi[u] - f->pi[w];
            if (rc < 0)
                rc = 0; /* rounding: reduced costs are >= 0 */
            double nd = d + rc;
            if (nd < f->dist[w]) {
                f->dist[w] = nd;
                f->pred[w] = e;
                heap_push(f, nd, w);
            }
        }
    }
    for (size_t u = 0; u < V; u++)
        f->pi[u] += f->done[u] ? f->dist[u] : far;
    return reached;
}

/* Serves every reached deficit node along its tree path (any
 * deficit is served). */
static void augment_tree(plan_flow *f)
{
    for (size_t t = 0; t < f->nodes; t++) {
        if (!(f->excess[t] < 0) || !f->done[t])
            continue;
        double delta = -f->excess[t];
        int32_t u = (int32_t)t;
        while (f->pred[u] >= 0) {
            int32_t e = f->pred[u];
            if (f->res[e] < delta)
                delta = f->res[e];
            u = f->to[e ^ 1];
        }
        if (f->excess[u] < delta)
            delta = f->excess[u];
        if (!(delta > 0))
            continue;
        f->excess[u] -= delta;
        f->excess[t] += delta;
        for (int32_t w = (int32_t)t; f->pred[w] >= 0; w = f->to[f->pred[w] ^ 1]) {
            int32_t e = f->pred[w];
            f->res[e] -= delta;
            f->res[e ^ 1] += delta;
        }
    }
}

size_t plan_flow_lp_rows(const plan_flow *f) { return f->lp_rows; }

ot_lp_status plan_flow_solve(plan_flow *f, const plan_net *net, ot_sku_ix s,
                             const double *lane_cap, const double *node_cap, double *x,
                             double *objective)
{
    double constant = 0;
    if (!build(f, net, s, lane_cap, node_cap, &constant))
        return OT_LP_FAILED;
    double scale = 1;
    for (size_t u = 0; u < f->nodes; u++)
        scale += fabs(f->excess[u]);
    double eps = 1e-11 * scale;
    for (;;) {
        bool pending = false;
        for (size_t u = 0; u < f->nodes && !pending; u++)
            pending = f->excess[u] > eps;
        if (!pending)
            break;
        if (!dijkstra(f, eps))
            return OT_LP_INFEASIBLE;
        augment_tree(f);
    }
    double unmet = 0;
    for (size_t u = 0; u < f->nodes; u++)
        if (f->excess[u] < 0)
            unmet -= f->excess[u];
    if (unmet > 1e-9 * scale)
        return OT_LP_INFEASIBLE;
    memset(x, 0, plan_block_cols(net) * sizeof *x);
    double obj = constant;
    for (size_t i = 0; i < f->arcs; i++) {
        double flow = f->res[2 * i + 1];
        obj += f->acost[i] * flow;
        if (f->col[i] >= 0)
            x[f->col[i]] = flow;
    }
    *objective = obj;
    return OT_LP_OPTIMAL;
}
