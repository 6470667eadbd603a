/*
 * Internal to the plan (engine/plan_*.c): the network as the model sees it,
 * prepared once per run and shared read-only by every worker.
 *
 * Columns of one SKU block, in order: x (one per lane and ship day whose
 * arrival falls inside the horizon), Ih (stock, every stocking node-day),
 * Il (stock counted toward safety stock, only when some pair has one),
 * y (served demand). Stocking nodes are DCs and stores; suppliers have no
 * stock rows (unlimited unless a capacity limits what they ship per day).
 */
#ifndef OMNITWIN_PLAN_INTERNAL_H
#define OMNITWIN_PLAN_INTERNAL_H

#include "omnitwin/plan.h"

typedef struct {
    int32_t pos;       /* stocking node position */
    int32_t t;         /* 0-based day of arrival */
    double qty;
} plan_arrival;

typedef struct plan_block plan_block;

typedef struct {
    const ot_plan_input *in;
    const plan_block *blk;     /* NULL: the whole network */
    const ot_twin *twin;
    int32_t H;
    size_t N, S, M, A, nx;
    int32_t *pos;              /* [N] stocking position, -1 for suppliers
                                  and stores of other blocks */
    bool *kept;                /* [N] in this block */
    ot_node_ix *stock_node;    /* [M] */
    ot_lane_ix *lane;          /* [A] active lanes (into a stocking node) */
    ot_node_ix *from, *to;     /* [A] */
    double *cost;              /* [A] per unit */
    int32_t *lead;             /* [A*H] effective lead time by ship day */
    int32_t *lead_base;        /* [A] lead time without factors */
    int32_t *xoff;             /* [A*H] x column in a block, -1 none */
    int32_t *x_lane, *x_t;     /* [nx] inverse of xoff */
    int32_t *x_arrive;         /* [nx] 0-based arrival day */
    size_t *out_start;         /* [M+1] CSR: lanes leaving stocking node */
    int32_t *out_lane;
    size_t *sup_start;         /* [N+1] CSR: lanes leaving any node */
    int32_t *sup_lane;
    double *cap_lane;          /* [A*H] volume per day, INFINITY none */
    double *cap_node;          /* [N*H] stock volume (stocking) or daily
                                  shipped volume (supplier), INFINITY none */
    bool any_cap;              /* some finite capacity: SKUs may couple */
    bool has_ss;
    double *demand;            /* [M*S*H] after factors, pos-major */
    double *ss;                /* [M*S] effective soft target */
    double *max_units;         /* [M*S] INFINITY none */
    double *open;              /* [M*S] opening stock */
    size_t *pipe_start;        /* [S+1] arrivals by SKU */
    plan_arrival *pipe;
} plan_net;

static inline size_t plan_block_cols(const plan_net *net)
{
    return net->nx + net->M * (size_t)net->H * (net->has_ss ? 3 : 2);
}
static inline size_t plan_ms(const plan_net *net, size_t m, ot_sku_ix s)
{
    return m * net->S + (size_t)s;
}

/* Penalty per unit-day below safety stock, h + (p - h) / 2H: above the
 * holding cost h, so stock is kept up to the target when it can be, and
 * low enough that a unit short for the whole horizon costs less than one
 * lost sale p, so the plan never refuses demand to keep safety stock
 * (docs/PLAN_MODEL.md). */
static inline double plan_ss_penalty(const ot_sku_info *sku, int32_t H)
{
    double gap = sku->stockout_cost - sku->holding_cost;
    return sku->holding_cost + (gap > 0 ? gap / (2.0 * H) : 0);
}

/* A block of stores planned on its own (docs/PLAN_MODEL.md "Store
 * blocks"): the stores with block_of[n] == block, every DC and supplier.
 * The DCs' stock, pipeline, demand and targets of SKU s are scaled by
 * sku_share[s]; DC, supplier and inbound-to-DC capacities by cap_share. */
struct plan_block {
    const int32_t *block_of;   /* [N], -1 for DCs and suppliers */
    int32_t block;
    const double *sku_share;   /* [S] */
    double cap_share;
};

/* blk NULL: the whole network. */
ot_err plan_net_init(plan_net *net, const ot_plan_input *in, const plan_block *blk,
                     ot_diag *diag);
void plan_net_release(plan_net *net);

/* Builds the LP of SKUs skus[0..k-1] with capacities lane_cap [A*H] and
 * node_cap [N*H] in volume units (for k == 1 they become bounds of the
 * SKU's own columns). integer: x counts whole case packs. */
ot_err plan_build(const plan_net *net, const ot_sku_ix *skus, size_t k,
                  const double *lane_cap, const double *node_cap, bool integer,
                  ot_lp *lp);

/* Result of rounding and repairing one SKU. */
typedef struct {
    int64_t *q;                /* [nx] units shipped */
    double transport, holding, stockout, penalty, demand, lost;
} plan_round_out;

/* Rounds LP shipments x [nx] (units) to whole case packs and repairs them
 * so that stock never goes negative and capacities lane_cap / node_cap
 * (this SKU's share, volume units) hold; writes the costs, and leaves the
 * end-of-day stock and lost demand of stocking node m on day t at
 * plan_round_stock(net, work)[m * H + t] and plan_round_lost(...). */
void plan_round_sku(const plan_net *net, ot_sku_ix s, const double *x,
                    const double *lane_cap, const double *node_cap,
                    plan_round_out *out, double *work);
static inline const double *plan_round_stock(const plan_net *net, const double *work)
{
    return work + 4 * net->M;
}
static inline const double *plan_round_lost(const plan_net *net, const double *work)
{
    return work + 4 * net->M + net->M * (size_t)net->H;
}
/* Doubles of scratch plan_round_sku needs. */
size_t plan_round_work(const plan_net *net);

#endif
