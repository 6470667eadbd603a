/* One line on why an order exists (the planner's report). */
#include <math.h>

#include "plan_internal.h"
#include "text.h"

void ot_plan_explain(const ot_plan *plan, size_t i, char *buf, size_t size)
{
    size_t count;
    const ot_order *orders = ot_plan_orders(plan, &count);
    if (i >= count) {
        ot_text_format(buf, size, "?");
        return;
    }
    const ot_order *o = &orders[i];
    const ot_twin *twin = NULL;
    ot_node_info to, from;
    ot_lane_info li;
    /* The twin is reachable through the plan's input copy. */
    twin = ot_plan_twin(plan);
    ot_twin_node(twin, o->to, &to);
    ot_twin_node(twin, o->from, &from);
    ot_twin_lane(twin, o->lane, &li);
    int32_t H = ot_plan_horizon(plan);
    int32_t arrive_t = (int32_t)(o->arrive_day - ot_plan_as_of(plan)) + 1;
    double need = 0;
    for (int32_t t = arrive_t; t <= H; t++)
        need += ot_plan_demand(plan, o->to, o->sku, t);
    double before = arrive_t > 1 ? ot_plan_stock(plan, o->to, o->sku, arrive_t - 1)
                                 : 0;
    int lead = (int)(o->arrive_day - o->ship_day);
    size_t n = ot_text_format(buf, size, "%s: demand %.0f units from day %d to %d, stock %.0f "
                              "before arrival; lead time %d d",
                              to.id, need, (int)arrive_t, (int)H, before, lead);
    if (lead != li.lead_time_days)
        n += ot_text_format(buf + n, size - n, " (%+d d disruption)", lead - li.lead_time_days);
    double ss = ot_plan_safety_stock(plan, o->to, o->sku);
    if (ss > 0)
        n += ot_text_format(buf + n, size - n, "; safety stock %.0f", ss);
    if (isfinite(li.capacity_per_day))
        n += ot_text_format(buf + n, size - n, "; lane capacity %.0f/day", li.capacity_per_day);
    if (to.kind == OT_NODE_DC)
        ot_text_format(buf + n, size - n, "; restocks %s for its stores", to.id);
}
