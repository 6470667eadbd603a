/* Demand for the plan: the forecast of every pair with history and its
 * safety stock (include/omnitwin/plan.h, ot_plan_forecast_run). */
#include <math.h>
#include <string.h>

#include "omnitwin/forecast.h"
#include "omnitwin/plan.h"

#define CHUNK 256

typedef struct {
    const ot_twin *twin;
    ot_day as_of;
    int32_t H;
    ot_plan_forecast *d;
    int32_t *min_lead;               /* [nodes] shortest inbound lead, 0 none */
    ot_forecast_workspace **ws;      /* [workers] */
    double **series;                 /* [workers] */
    size_t *done, *failed;           /* [workers] */
    size_t first_ix, days;           /* history days used: first .. first+days-1 */
    int32_t gap;                     /* days between history end and as_of */
} fc_ctx;

void ot_plan_forecast_free(ot_plan_forecast *d)
{
    if (!d)
        return;
    ot_free(d->mean);
    ot_free(d->lo);
    ot_free(d->hi);
    ot_free(d->method);
    ot_free(d->safety_stock);
    ot_free(d);
}

static void forecast_chunk(void *arg, size_t chunk, int worker)
{
    fc_ctx *c = arg;
    size_t S = ot_twin_sku_count(c->twin), pairs = c->d->pairs, H = (size_t)c->H;
    double *y = c->series[worker];
    size_t all = ot_twin_history_days(c->twin);
    ot_forecast_options opt;
    ot_forecast_options_init(&opt);
    opt.horizon = c->H + c->gap;
    for (size_t p = chunk * CHUNK; p < pairs && p < (chunk + 1) * CHUNK; p++) {
        ot_node_ix n = (ot_node_ix)(p / S);
        ot_sku_ix s = (ot_sku_ix)(p % S);
        ot_node_info ni;
        ot_twin_node(c->twin, n, &ni);
        if (ni.kind == OT_NODE_SUPPLIER || !ot_twin_has_demand(c->twin, n, s) || c->days == 0)
            continue;
        /* the whole window, then the days before as_of */
        double *full = y + all;
        ot_twin_demand_series(c->twin, n, s, full);
        memcpy(y, full + c->first_ix, c->days * sizeof *y);
        ot_forecast_result fc;
        if (ot_forecast_series(y, c->days, &opt, c->ws[worker], &fc) != OT_OK) {
            c->failed[worker]++;
            continue;
        }
        c->done[worker]++;
        c->d->method[p] = (uint8_t)fc.method;
        for (size_t t = 0; t < H; t++) {
            size_t h = (size_t)c->gap + t;
            c->d->mean[p * H + t] = fc.mean[h];
            c->d->lo[p * H + t] = (float)fc.lo[h];
            c->d->hi[p * H + t] = (float)fc.hi[h];
        }
        ot_policy_info pol;
        ot_twin_policy(c->twin, n, s, &pol);
        if (!isnan(pol.service_level))
            c->d->safety_stock[p] =
                ot_forecast_safety_stock(&fc, pol.service_level, c->min_lead[n], 1);
    }
}

static void serial_for(const ot_lp_solver *r, size_t n, void (*fn)(void *, size_t, int), void *arg)
{
    if (r && r->parallel_for)
        r->parallel_for(r->ctx, n, fn, arg);
    else
        for (size_t i = 0; i < n; i++)
            fn(arg, i, 0);
}

ot_err ot_plan_forecast_run(const ot_twin *twin, ot_day as_of, int32_t horizon_days,
                               const ot_lp_solver *runner, ot_plan_forecast **out)
{
    *out = NULL;
    if (horizon_days < 1 || horizon_days > OT_PLAN_MAX_HORIZON)
        return OT_ERR_USAGE;
    size_t N = ot_twin_node_count(twin), S = ot_twin_sku_count(twin), H = (size_t)horizon_days;
    int workers = runner && runner->workers > 0 ? runner->workers : 1;
    ot_plan_forecast *d = ot_calloc(1, sizeof *d);
    if (!d)
        return OT_ERR_NOMEM;
    d->horizon_days = horizon_days;
    d->pairs = N * S;
    d->mean = ot_calloc(d->pairs * H + 1, sizeof *d->mean);
    d->lo = ot_calloc(d->pairs * H + 1, sizeof *d->lo);
    d->hi = ot_calloc(d->pairs * H + 1, sizeof *d->hi);
    d->method = ot_malloc(d->pairs + 1);
    d->safety_stock = ot_calloc(d->pairs + 1, sizeof *d->safety_stock);
    fc_ctx c = {.twin = twin, .as_of = as_of, .H = horizon_days, .d = d};
    c.min_lead = ot_calloc(N + 1, sizeof *c.min_lead);
    c.ws = ot_calloc((size_t)workers, sizeof *c.ws);
    c.series = ot_calloc((size_t)workers, sizeof *c.series);
    c.done = ot_calloc((size_t)workers, sizeof *c.done);
    c.failed = ot_calloc((size_t)workers, sizeof *c.failed);
    ot_err err = OT_OK;
    if (!d->mean || !d->lo || !d->hi || !d->method || !d->safety_stock || !c.min_lead ||
        !c.ws || !c.series || !c.done || !c.failed) {
        err = OT_ERR_NOMEM;
        goto done;
    }
    memset(d->method, OT_PLAN_NO_FORECAST, d->pairs + 1);
    /* History used: from the window's first day to the day before as_of;
     * when as_of lies past the window's end, the forecast also covers the
     * gap (at most what a forecast can reach). */
    ot_day first = ot_twin_history_first(twin);
    size_t all = ot_twin_history_days(twin);
    int64_t end = (int64_t)as_of - first; /* days before as_of inside the window */
    c.days = end <= 0 ? 0 : (size_t)end < all ? (size_t)end : all;
    c.first_ix = 0;
    int64_t gap = end > (int64_t)all ? end - (int64_t)all : 0;
    if (gap + horizon_days > OT_FC_MAX_HORIZON)
        gap = OT_FC_MAX_HORIZON - horizon_days;
    c.gap = (int32_t)(gap > 0 ? gap : 0);
    for (size_t l = 0; l < ot_twin_lane_count(twin); l++) {
        ot_lane_info li;
        ot_twin_lane(twin, (ot_lane_ix)l, &li);
        if (c.min_lead[li.to] == 0 || li.lead_time_days < c.min_lead[li.to])
            c.min_lead[li.to] = li.lead_time_days;
    }
    for (int w = 0; w < workers; w++) {
        c.ws[w] = ot_forecast_workspace_new(all + 1);
        c.series[w] = ot_malloc((2 * all + 2) * sizeof **c.series);
        if (!c.ws[w] || !c.series[w]) {
            err = OT_ERR_NOMEM;
            goto done;
        }
    }
    serial_for(runner, (d->pairs + CHUNK - 1) / CHUNK, forecast_chunk, &c);
    for (int w = 0; w < workers; w++) {
        d->forecast += c.done[w];
        d->failed += c.failed[w];
    }
done:
    for (int w = 0; c.ws && w < workers; w++) {
        ot_forecast_workspace_free(c.ws[w]);
        if (c.series)
            ot_free(c.series[w]);
    }
    ot_free(c.ws);
    ot_free(c.series);
    ot_free(c.done);
    ot_free(c.failed);
    ot_free(c.min_lead);
    if (err != OT_OK) {
        ot_plan_forecast_free(d);
        return err;
    }
    *out = d;
    return OT_OK;
}
