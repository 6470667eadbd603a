/*
 * Internal to the plan: one SKU's LP (plan_build with k == 1, whole units)
 * solved as a min-cost flow on the time-expanded network
 * (docs/PLAN_MODEL.md "The flow solver"), the same optimum as GLPK's
 * simplex in a fraction of the time.
 *
 * Nodes: a root R (suppliers' source and every sink), one per stocking
 * node-day, one per stocking node-day for the shared stock capacity when
 * the network has safety stock, one per capacitated supplier-day. Arcs:
 * shipments (lane capacity / volume), stock carried to the next day (or to
 * R after day H), served demand to R at -stockout cost, R to each
 * capacitated supplier-day. Negative arcs are saturated first, then
 * successive shortest paths (Dijkstra with potentials) move the excess.
 *
 * Owner: a plan_flow is a per-worker workspace; plan_flow_new, then
 * plan_flow_free (NULL does nothing). Deterministic: the same inputs give
 * the same flow whatever the worker.
 */
#ifndef OMNITWIN_PLAN_FLOW_H
#define OMNITWIN_PLAN_FLOW_H

#include "plan_internal.h"

typedef struct plan_flow plan_flow;

plan_flow *plan_flow_new(void);
void plan_flow_free(plan_flow *f);

/* Solves the LP plan_build(net, &s, 1, lane_cap, node_cap, false) would
 * build. x gets plan_block_cols(net) values in that LP's column order and
 * *objective its objective (with the constant), both when OT_LP_OPTIMAL.
 * OT_LP_INFEASIBLE: some stock can go nowhere; OT_LP_FAILED: the model has
 * something the flow form does not cover (a negative cost on an unbounded
 * arc, a negative bound) or memory ran out: solve the LP instead. */
ot_lp_status plan_flow_solve(plan_flow *f, const plan_net *net, ot_sku_ix s,
                             const double *lane_cap, const double *node_cap, double *x,
                             double *objective);

/* Rows of the LP the last solve stood for (balance and capacity rows). */
size_t plan_flow_lp_rows(const plan_flow *f);

#endif
