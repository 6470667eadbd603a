/*
 * Plans from the stream (CONTRACT §6, docs/OPERATIONS.md §7): the control
 * message grammar, and one plan run on the live twin turned into the
 * orders.csv records that go to PREFIX.transfer-orders.
 */
#ifndef OMNITWIN_KAFKA_PLAN_H
#define OMNITWIN_KAFKA_PLAN_H

#include "omnitwin/twin.h"

#define OT_STREAM_PLAN_ID_MAX 128

/* A control message: "plan", or "plan as_of=YYYY-MM-DD" (blanks around the
 * words and a trailing newline allowed). OT_ERR_INPUT with the reason
 * otherwise. *has_as_of false means: the day after the twin's history. */
ot_err ot_stream_parse_control(const char *value, size_t len, bool *has_as_of, ot_day *as_of,
                               char *why, size_t why_size);

/* The orders of one plan as records ready to produce. Owned: release. */
typedef struct {
    char plan_id[OT_STREAM_PLAN_ID_MAX];
    size_t count;
    char (*order_id)[17];   /* message keys */
    char **record;          /* orders.csv line, no newline: message values */
    ot_sku_ix *sku;         /* the SKU of each order (for ownership) */
} ot_stream_orders;

void ot_stream_orders_release(ot_stream_orders *orders);

/* Forecasts and plans the twin as `omnitwin plan` does (GLPK with `threads`
 * workers, horizon_days, no disruption feed) and fills *out (initialised
 * here). owned[s] is true for the SKUs this instance plans (NULL: all of
 * them): the others get no demand and no safety stock, and every lane's
 * daily capacity is cut to this instance's share of it (see
 * ot_stream_lane_shares), so that instances in one group together stay
 * within the lane. On failure returns the plan's error with its first
 * diagnostic in why; *out is empty. */
ot_err ot_stream_plan(const ot_twin *twin, bool has_as_of, ot_day as_of, int32_t horizon_days,
                      int threads, const bool *owned, ot_stream_orders *out, char *why,
                      size_t why_size);

/* This instance's share of each lane's capacity (docs/OPERATIONS.md §7):
 * the volume-weighted forecast demand of the owned SKUs over that of all
 * SKUs, at the lane's destination when it is a store with demand, else over
 * the whole network; 1 when no SKU has demand. demand is
 * [node_count * sku_count * horizon_days] as in ot_plan_input; shares has
 * one entry a lane. */
void ot_stream_lane_shares(const ot_twin *twin, const double *demand, int32_t horizon_days,
                           const bool *owned, double *shares);

/* To be called by a thread that ran ot_stream_plan, before it exits:
 * releases the solver's per-thread environment. */
void ot_stream_plan_thread_exit(void);

#endif
