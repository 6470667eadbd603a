/* Plans from the stream: control messages and orders as Kafka records. */
#include <glpk.h>
#include <string.h>

#include "kafka/kafka_plan.h"
#include "lp/glpk_solver.h"
#include "omnitwin/factors.h"
#include "omnitwin/plan.h"
#include "text.h"

static bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

ot_err ot_stream_parse_control(const char *value, size_t len, bool *has_as_of, ot_day *as_of,
                               char *why, size_t why_size)
{
    const char *s = value ? value : "";
    while (len && blank(s[0]))
        s++, len--;
    while (len && blank(s[len - 1]))
        len--;
    *has_as_of = false;
    if (len == 4 && memcmp(s, "plan", 4) == 0)
        return OT_OK;
    if (len > 4 && memcmp(s, "plan", 4) == 0 && blank(s[4])) {
        const char *a = s + 4;
        size_t n = len - 4;
        while (n && blank(a[0]))
            a++, n--;
        if (n > 6 && memcmp(a, "as_of=", 6) == 0 && ot_date_parse(a + 6, n - 6, as_of)) {
            *has_as_of = true;
            return OT_OK;
        }
    }
    char quoted[80];
    ot_text_quote(quoted, sizeof quoted, s, len);
    ot_text_format(why, why_size, "control message '%s' is not a command (expected 'plan' or "
                   "'plan as_of=YYYY-MM-DD')", quoted);
    return OT_ERR_INPUT;
}

void ot_stream_orders_release(ot_stream_orders *o)
{
    if (!o)
        return;
    for (size_t i = 0; o->record && i < o->count; i++)
        ot_free(o->record[i]);
    ot_free(o->record);
    ot_free(o->order_id);
    ot_free(o->sku);
    memset(o, 0, sizeof *o);
}

/* One CSV field, quoted when it holds a comma, quote or line break. */
static size_t put_field(char *buf, size_t size, const char *s)
{
    if (!strpbrk(s, ",\"\r\n"))
        return ot_text_format(buf, size, "%s", s);
    size_t at = ot_text_format(buf, size, "\"");
    for (; *s && at + 3 < size; s++) {
        if (*s == '"')
            buf[at++] = '"';
        buf[at++] = *s;
    }
    buf[at] = '\0';
    return at + ot_text_format(buf + at, size - at, "\"");
}

static ot_err fill(const ot_plan *plan, ot_stream_orders *out)
{
    const ot_twin *twin = ot_plan_twin(plan);
    size_t n;
    const ot_order *ord = ot_plan_orders(plan, &n);
    ot_text_format(out->plan_id, sizeof out->plan_id, "%s", ot_plan_id(plan));
    out->order_id = ot_calloc(n ? n : 1, sizeof *out->order_id);
    out->record = ot_calloc(n ? n : 1, sizeof *out->record);
    out->sku = ot_calloc(n ? n : 1, sizeof *out->sku);
    if (!out->order_id || !out->record || !out->sku)
        return OT_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        char line[1024], ship[11], arrive[11];
        ot_node_info from, to;
        ot_sku_info si;
        ot_order_id_format(ord[i].id, out->order_id[i]);
        ot_date_format(ord[i].ship_day, ship);
        ot_date_format(ord[i].arrive_day, arrive);
        ot_twin_node(twin, ord[i].from, &from);
        ot_twin_node(twin, ord[i].to, &to);
        ot_twin_sku(twin, ord[i].sku, &si);
        size_t at = ot_text_format(line, sizeof line, "%s,%s,%s,", out->order_id[i],
                                   out->plan_id, ot_order_kind_name(ord[i].kind));
        at += put_field(line + at, sizeof line - at, si.id);
        at += ot_text_format(line + at, sizeof line - at, ",");
        at += put_field(line + at, sizeof line - at, from.id);
        at += ot_text_format(line + at, sizeof line - at, ",");
        at += put_field(line + at, sizeof line - at, to.id);
        at += ot_text_format(line + at, sizeof line - at, ",%lld,%s,%s", (long long)ord[i].qty,
                             ship, arrive);
        out->record[i] = ot_strndup(line, at);
        if (!out->record[i])
            return OT_ERR_NOMEM;
        out->sku[i] = ord[i].sku;
        out->count = i + 1;
    }
    return OT_OK;
}

void ot_stream_lane_shares(const ot_twin *twin, const double *demand, int32_t horizon_days,
                           const bool *owned, double *shares)
{
    size_t nodes = ot_twin_node_count(twin), skus = ot_twin_sku_count(twin);
    size_t lanes = ot_twin_lane_count(twin);
    /* volume-weighted demand per node: owned and all */
    double *mine = ot_calloc(nodes * 2, sizeof *mine);
    double total_mine = 0, total_all = 0;
    if (!mine) { /* no memory for the weights: fall back to no cut */
        for (size_t l = 0; l < lanes; l++)
            shares[l] = 1.0;
        return;
    }
    double *all = mine + nodes;
    for (size_t s = 0; s < skus; s++) {
        ot_sku_info si;
        ot_twin_sku(twin, (ot_sku_ix)s, &si);
        for (size_t n = 0; n < nodes; n++) {
            const double *d = demand + (n * skus + s) * (size_t)horizon_days;
            double v = 0;
            for (int32_t t = 0; t < horizon_days; t++)
                v += d[t];
            v *= si.volume;
            all[n] += v;
            total_all += v;
            if (owned[s]) {
                mine[n] += v;
                total_mine += v;
            }
        }
    }
    double network = total_all > 0 ? total_mine / total_all : 1.0;
    for (size_t l = 0; l < lanes; l++) {
        ot_lane_info lane;
        ot_twin_lane(twin, (ot_lane_ix)l, &lane);
        shares[l] = all[lane.to] > 0 ? mine[lane.to] / all[lane.to] : network;
    }
    ot_free(mine);
}

/* Cuts the plan to the owned SKUs: zero demand and safety stock for the
 * others, lanes scaled to this instance's share. *factors stays NULL when
 * every SKU is owned. */
static ot_err own_share(const ot_twin *twin, ot_day as_of, int32_t horizon_days,
                        const bool *owned, ot_plan_forecast *fc, ot_factors **factors)
{
    *factors = NULL;
    size_t nodes = ot_twin_node_count(twin), skus = ot_twin_sku_count(twin);
    size_t lanes = ot_twin_lane_count(twin), owned_count = 0;
    for (size_t s = 0; s < skus; s++)
        owned_count += owned[s];
    if (owned_count == skus)
        return OT_OK;
    double *shares = ot_calloc(lanes ? lanes : 1, sizeof *shares);
    ot_factors *f = ot_factors_new(twin, as_of, (size_t)horizon_days);
    ot_err err = shares && f ? OT_OK : OT_ERR_NOMEM;
    if (!err)
        ot_stream_lane_shares(twin, fc->mean, horizon_days, owned, shares);
    for (size_t l = 0; !err && l < lanes; l++) {
        ot_lane_effect effect = OT_LANE_EFFECT_NEUTRAL;
        effect.capacity_factor = shares[l];
        if (shares[l] < 1.0)
            err = ot_factors_add_lane(f, (ot_lane_ix)l, as_of, as_of + horizon_days - 1, &effect);
    }
    for (size_t n = 0; !err && n < nodes; n++)
        for (size_t s = 0; s < skus; s++)
            if (!owned[s]) {
                size_t pair = n * skus + s;
                memset(fc->mean + pair * (size_t)horizon_days, 0,
                       (size_t)horizon_days * sizeof *fc->mean);
                if (fc->safety_stock)
                    fc->safety_stock[pair] = 0;
            }
    ot_free(shares);
    if (err) {
        ot_factors_free(f);
        return err;
    }
    *factors = f;
    return OT_OK;
}

ot_err ot_stream_plan(const ot_twin *twin, bool has_as_of, ot_day as_of, int32_t horizon_days,
                      int threads, const bool *owned, ot_stream_orders *out, char *why,
                      size_t why_size)
{
    memset(out, 0, sizeof *out);
    if (!has_as_of)
        as_of = ot_twin_history_first(twin) + (ot_day)ot_twin_history_days(twin);
    ot_diag *diag = ot_diag_new(4);
    ot_glpk *glpk = ot_glpk_new(threads);
    ot_plan_forecast *fc = NULL;
    ot_factors *share = NULL;
    ot_plan *plan = NULL;
    ot_err err = diag && glpk ? OT_OK : OT_ERR_NOMEM;
    ot_lp_solver solver;
    if (!err) {
        ot_glpk_solver(glpk, &solver);
        err = ot_plan_forecast_run(twin, as_of, horizon_days, &solver, &fc);
    }
    if (!err && owned)
        err = own_share(twin, as_of, horizon_days, owned, fc, &share);
    if (!err) {
        /* omnitwin plan's defaults (adapters/cli/cmd_plan.c), so that a plan
         * from the stream equals the batch plan of the same events. */
        ot_plan_input in = {.twin = twin, .factors = share, .as_of = as_of,
                            .horizon_days = horizon_days,
                            .demand = fc->mean, .safety_stock = fc->safety_stock,
                            .joint_max_cols = 4000, .mip_max_cols = 600};
        err = ot_plan_run(&in, &solver, diag, &plan);
    }
    if (!err)
        err = fill(plan, out);
    if (err) {
        const char *first = NULL;
        for (size_t i = 0; diag && i < ot_diag_count(diag) && !first; i++)
            if (ot_diag_get(diag, i)->level == OT_DIAG_ERROR)
                first = ot_diag_get(diag, i)->message;
        ot_text_format(why, why_size, "the plan failed: %s%s%s", ot_err_str(err),
                       first ? ": " : "", first ? first : "");
        ot_stream_orders_release(out);
    }
    ot_plan_free(plan);
    ot_factors_free(share);
    ot_plan_forecast_free(fc);
    ot_glpk_free(glpk);
    ot_diag_free(diag);
    return err;
}

void ot_stream_plan_thread_exit(void)
{
    /* GLPK keeps one environment per thread (Debian's is built with TLS);
     * the GLPK adapter frees those of its own workers, this is for the
     * thread that called ot_stream_plan. */
    glp_free_env();
}
