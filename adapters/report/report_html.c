/* The planner's report (adapters/report/report_html.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omnitwin/forecast.h"
#include "report/report_html.h"
#include "os/out_file.h"

#define W 640
#define CH 200
#define PAD 40

static void esc(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

typedef struct {
    const double *v;
    size_t n, x0;      /* points at x = x0 .. x0+n-1 */
    const char *color;
    bool dashed;
} series;

static double sx(size_t x, size_t xn) { return PAD + (double)x * (W - 2 * PAD) / (double)(xn > 1 ? xn - 1 : 1); }
static double sy(double v, double ymax) { return CH - 25 - v / ymax * (CH - 45); }

/* A line chart of up to 4 series over xn points, with an optional band
 * (lo/hi at x = bx0 ..) and a marker at x = split (day 1 of the plan). */
static void chart(FILE *f, const char *title, const series *s, size_t ns, size_t xn,
                  const double *lo, const double *hi, size_t bn, size_t bx0, size_t split,
                  const char *x_label)
{
    double ymax = 1;
    for (size_t k = 0; k < ns; k++)
        for (size_t i = 0; i < s[k].n; i++)
            ymax = fmax(ymax, s[k].v[i]);
    for (size_t i = 0; hi && i < bn; i++)
        ymax = fmax(ymax, hi[i]);
    ymax *= 1.1;
    fprintf(f, "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\">"
               "<title>", W, CH, W, CH);
    esc(f, title);
    fprintf(f, "</title><text x=\"%d\" y=\"14\" class=\"t\">", PAD);
    esc(f, title);
    fprintf(f, "</text><line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"ax\"/>"
               "<text x=\"4\" y=\"%.1f\" class=\"l\">%.0f</text>"
               "<text x=\"4\" y=\"%.1f\" class=\"l\">0</text>"
               "<text x=\"%d\" y=\"%d\" class=\"l\">%s</text>",
            PAD, sy(0, ymax), W - PAD, sy(0, ymax), sy(ymax / 1.1, ymax) + 4, ymax / 1.1,
            sy(0, ymax), W - PAD - 120, CH - 5, x_label);
    if (lo && hi && bn) {
        fputs("<polygon class=\"band\" points=\"", f);
        for (size_t i = 0; i < bn; i++)
            fprintf(f, "%.1f,%.1f ", sx(bx0 + i, xn), sy(hi[i], ymax));
        for (size_t i = bn; i-- > 0;)
            fprintf(f, "%.1f,%.1f ", sx(bx0 + i, xn), sy(lo[i], ymax));
        fputs("\"/>", f);
    }
    if (split > 0 && split < xn)
        fprintf(f, "<line x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" y2=\"%.1f\" class=\"split\"/>",
                sx(split, xn), sx(split, xn), sy(0, ymax));
    for (size_t k = 0; k < ns; k++) {
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"",
                s[k].color, s[k].dashed ? " stroke-dasharray=\"5,4\"" : "");
        for (size_t i = 0; i < s[k].n; i++)
            fprintf(f, "%.1f,%.1f ", sx(s[k].x0 + i, xn), sy(s[k].v[i], ymax));
        fputs("\"/>", f);
    }
    fputs("</svg>\n", f);
}

static void totals(FILE *f, const ot_plan *plan)
{
    const ot_plan_summary *s = ot_plan_get_summary(plan);
    fprintf(f, "<h2>Plan totals</h2><table>"
               "<tr><th>orders</th><td>%lld (%lld units)</td></tr>"
               "<tr><th>cost of the emitted orders</th><td>%.2f</td></tr>"
               "<tr><th>expected fill rate</th><td>%.2f%% (%.0f of %.0f units lost)</td></tr>"
               "<tr><th>LP</th><td>%s, objective %.2f, bound %.2f; rounding gap %.3f%%, "
               "decomposition gap %.3f%%</td></tr>"
               "<tr><th>solves</th><td>%zu LPs (%zu as min-cost flows, %zu warm-started, "
               "%zu by branch and bound), "
               "%zu SKUs re-solved for shared capacity</td></tr></table>\n",
            (long long)s->orders, (long long)s->units, s->objective, 100 * s->fill_rate,
            s->lost_units, s->demand_units, s->lp_status, s->lp_objective, s->lp_bound,
            100 * s->rounding_gap, 100 * s->decomposition_gap, s->lps, s->flow_lps, s->warm_lps,
            s->mip_lps,
            s->coupled_skus);
    const char *name[] = {"transport", "holding", "stockout", "safety stock"};
    double v[] = {s->transport_cost, s->holding_cost, s->stockout_cost, s->safety_penalty};
    const char *color[] = {"#4477aa", "#66ccee", "#ee6677", "#ccbb44"};
    double vmax = 1;
    for (int i = 0; i < 4; i++)
        vmax = fmax(vmax, v[i]);
    fprintf(f, "<svg viewBox=\"0 0 %d 110\" width=\"%d\" height=\"110\" role=\"img\">"
               "<title>cost by term</title>", W, W);
    for (int i = 0; i < 4; i++)
        fprintf(f, "<text x=\"0\" y=\"%d\" class=\"l\">%s</text><rect x=\"110\" y=\"%d\" "
                   "width=\"%.1f\" height=\"18\" fill=\"%s\"/><text x=\"%.1f\" y=\"%d\" "
                   "class=\"l\">%.2f</text>",
                i * 26 + 16, name[i], i * 26 + 3, v[i] / vmax * (W - 220), color[i],
                115 + v[i] / vmax * (W - 220), i * 26 + 16, v[i]);
    fputs("</svg>\n", f);
}

typedef struct {
    size_t ix;
    double key;
} ranked;

static int by_key_desc(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? 1 : -1;
    return x->ix < y->ix ? -1 : x->ix > y->ix;
}

static ranked *rank(size_t n, const double *key)
{
    ranked *r = ot_malloc((n + 1) * sizeof *r);
    if (!r)
        return NULL;
    for (size_t i = 0; i < n; i++)
        r[i] = (ranked){i, key[i]};
    qsort(r, n, sizeof *r, by_key_desc);
    return r;
}

static ot_err demand_charts(FILE *f, const ot_plan *plan, const ot_plan_forecast *fc)
{
    const ot_twin *twin = ot_plan_twin(plan);
    size_t N = ot_twin_node_count(twin), S = ot_twin_sku_count(twin);
    size_t H = (size_t)ot_plan_horizon(plan), D = OT_REPORT_HISTORY_DAYS;
    ot_day as_of = ot_plan_as_of(plan);
    double *tot = ot_calloc(S + 1, sizeof *tot);
    double *buf = ot_calloc(D + 3 * H + 1, sizeof *buf);
    if (!tot || !buf) {
        ot_free(tot);
        ot_free(buf);
        return OT_ERR_NOMEM;
    }
    for (size_t n = 0; n < N; n++)
        for (size_t s = 0; s < S; s++)
            for (size_t t = 1; t <= H; t++)
                tot[s] += ot_plan_demand(plan, (ot_node_ix)n, (ot_sku_ix)s, (int32_t)t);
    ranked *r = rank(S, tot);
    if (!r) {
        ot_free(tot);
        ot_free(buf);
        return OT_ERR_NOMEM;
    }
    size_t show = S < OT_REPORT_MAX_SKUS ? S : OT_REPORT_MAX_SKUS;
    fprintf(f, "<h2>Demand: history and forecast</h2><p>The %zu SKUs with the most forecast "
               "demand of %zu, summed over nodes: the last %zu days of history (grey), the "
               "forecast the plan used (blue; demand factors and overrides applied) and its "
               "interval band (sum of the nodes' bounds). The line marks day 1.</p>\n",
            show, S, D);
    for (size_t k = 0; k < show; k++) {
        size_t s = r[k].ix;
        double *hist = buf, *mean = buf + D, *lo = mean + H, *hi = lo + H;
        memset(buf, 0, (D + 3 * H) * sizeof *buf);
        for (size_t n = 0; n < N; n++) {
            for (size_t i = 0; i < D; i++)
                hist[i] += (double)ot_twin_demand(twin, (ot_node_ix)n, (ot_sku_ix)s,
                                                  as_of - (ot_day)(D - i));
            size_t p = n * S + s;
            for (size_t t = 0; t < H; t++) {
                double q = ot_plan_demand(plan, (ot_node_ix)n, (ot_sku_ix)s, (int32_t)t + 1);
                double base = fc->mean[p * H + t], scale = base > 0 ? q / base : 1;
                mean[t] += q;
                bool has = fc->method[p] != OT_PLAN_NO_FORECAST;
                lo[t] += has ? fc->lo[p * H + t] * scale : q;
                hi[t] += has ? fc->hi[p * H + t] * scale : q;
            }
        }
        ot_sku_info si;
        ot_twin_sku(twin, (ot_sku_ix)s, &si);
        char title[300];
        snprintf(title, sizeof title, "SKU %s: daily demand, units", si.id);
        series sr[2] = {{hist, D, 0, "#999999", false}, {mean, H, D, "#4477aa", false}};
        chart(f, title, sr, 2, D + H, lo, hi, H, D, D, "days (history | plan)");
    }
    ot_free(r);
    ot_free(tot);
    ot_free(buf);
    return OT_OK;
}

static ot_err stock_charts(FILE *f, const ot_plan *plan)
{
    const ot_twin *twin = ot_plan_twin(plan);
    size_t N = ot_twin_node_count(twin), S = ot_twin_sku_count(twin), H = (size_t)ot_plan_horizon(plan);
    double *key = ot_calloc(N + 1, sizeof *key), *buf = ot_calloc(2 * H + 2, sizeof *buf);
    if (!key || !buf) {
        ot_free(key);
        ot_free(buf);
        return OT_ERR_NOMEM;
    }
    size_t stocking = 0;
    for (size_t n = 0; n < N; n++) {
        ot_node_info ni;
        ot_twin_node(twin, (ot_node_ix)n, &ni);
        if (ni.kind == OT_NODE_SUPPLIER) {
            key[n] = -1;
            continue;
        }
        stocking++;
        for (size_t s = 0; s < S; s++)
            for (size_t t = 1; t <= H; t++)
                key[n] += ot_plan_demand(plan, (ot_node_ix)n, (ot_sku_ix)s, (int32_t)t) + 1e-9 *
                          ot_plan_stock(plan, (ot_node_ix)n, (ot_sku_ix)s, (int32_t)t);
    }
    ranked *r = rank(N, key);
    if (!r) {
        ot_free(key);
        ot_free(buf);
        return OT_ERR_NOMEM;
    }
    size_t show = stocking < OT_REPORT_MAX_NODES ? stocking : OT_REPORT_MAX_NODES;
    fprintf(f, "<h2>Projected stock and safety stock</h2><p>End-of-day stock under the "
               "emitted orders (green) against the safety stock (dashed red), all SKUs in "
               "units, at the %zu busiest of %zu DCs and stores.</p>\n", show, stocking);
    for (size_t k = 0; k < show; k++) {
        size_t n = r[k].ix;
        double *st = buf, *ss = buf + H;
        memset(buf, 0, 2 * H * sizeof *buf);
        for (size_t s = 0; s < S; s++)
            for (size_t t = 0; t < H; t++) {
                st[t] += ot_plan_stock(plan, (ot_node_ix)n, (ot_sku_ix)s, (int32_t)t + 1);
                ss[t] += ot_plan_safety_stock(plan, (ot_node_ix)n, (ot_sku_ix)s);
            }
        ot_node_info ni;
        ot_twin_node(twin, (ot_node_ix)n, &ni);
        char title[300];
        snprintf(title, sizeof title, "%s %s: stock vs safety stock, units",
                 ot_node_kind_name(ni.kind), ni.id);
        series sr[2] = {{st, H, 0, "#228833", false}, {ss, H, 0, "#ee6677", true}};
        chart(f, title, sr, 2, H, NULL, NULL, 0, 0, 0, "plan days");
    }
    ot_free(r);
    ot_free(key);
    ot_free(buf);
    return OT_OK;
}

static ot_err lane_chart(FILE *f, const ot_plan *plan)
{
    const ot_twin *twin = ot_plan_twin(plan);
    size_t L = ot_twin_lane_count(twin), n;
    const ot_order *ord = ot_plan_orders(plan, &n);
    double *units = ot_calloc(L + 1, sizeof *units);
    if (!units)
        return OT_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        units[ord[i].lane] += (double)ord[i].qty;
    ranked *r = rank(L, units);
    if (!r) {
        ot_free(units);
        return OT_ERR_NOMEM;
    }
    size_t used = 0;
    for (size_t l = 0; l < L; l++)
        used += units[l] > 0;
    size_t show = used < OT_REPORT_MAX_LANES ? used : OT_REPORT_MAX_LANES;
    fprintf(f, "<h2>Orders per lane</h2><p>Units ordered on the %zu busiest of %zu lanes in "
               "use.</p>\n<svg viewBox=\"0 0 %d %zu\" width=\"%d\" height=\"%zu\" role=\"img\">"
               "<title>units per lane</title>", show, used, W, show * 20 + 10, W, show * 20 + 10);
    double vmax = show ? r[0].key : 1;
    for (size_t k = 0; k < show; k++) {
        ot_lane_info li;
        ot_node_info a, b;
        ot_twin_lane(twin, (ot_lane_ix)r[k].ix, &li);
        ot_twin_node(twin, li.from, &a);
        ot_twin_node(twin, li.to, &b);
        fprintf(f, "<text x=\"0\" y=\"%zu\" class=\"l\">", k * 20 + 14);
        esc(f, a.id);
        fputs(" &#8594; ", f);
        esc(f, b.id);
        fprintf(f, "</text><rect x=\"200\" y=\"%zu\" width=\"%.1f\" height=\"14\" "
                   "fill=\"#4477aa\"/><text x=\"%.1f\" y=\"%zu\" class=\"l\">%.0f</text>",
                k * 20 + 3, r[k].key / vmax * (W - 280), 205 + r[k].key / vmax * (W - 280),
                k * 20 + 14, r[k].key);
    }
    fputs("</svg>\n", f);
    ot_free(r);
    ot_free(units);
    return OT_OK;
}

static void order_table(FILE *f, const ot_plan *plan)
{
    const ot_twin *twin = ot_plan_twin(plan);
    size_t n;
    const ot_order *ord = ot_plan_orders(plan, &n);
    size_t show = n < OT_REPORT_MAX_ORDERS ? n : OT_REPORT_MAX_ORDERS;
    fprintf(f, "<h2>Orders and why</h2><p>%zu orders%s. Each line says what the order covers: "
               "demand at the destination from its arrival to the horizon's end, the stock "
               "projected there before it arrives, the lead time (and any disruption), the "
               "safety stock and the lane's capacity.</p>\n<table><tr><th>order</th><th>kind"
               "</th><th>sku</th><th>from</th><th>to</th><th>qty</th><th>ship</th><th>arrive"
               "</th><th>why</th></tr>\n", n,
            show < n ? " (the first ones shown; orders.csv has all)" : "");
    for (size_t i = 0; i < show; i++) {
        char id[17], ship[11], arrive[11], why[512];
        ot_node_info a, b;
        ot_sku_info si;
        ot_order_id_format(ord[i].id, id);
        ot_date_format(ord[i].ship_day, ship);
        ot_date_format(ord[i].arrive_day, arrive);
        ot_twin_node(twin, ord[i].from, &a);
        ot_twin_node(twin, ord[i].to, &b);
        ot_twin_sku(twin, ord[i].sku, &si);
        ot_plan_explain(plan, i, why, sizeof why);
        fprintf(f, "<tr><td><code>%s</code></td><td>%s</td><td>", id,
                ot_order_kind_name(ord[i].kind));
        esc(f, si.id);
        fputs("</td><td>", f);
        esc(f, a.id);
        fputs("</td><td>", f);
        esc(f, b.id);
        fprintf(f, "</td><td class=\"n\">%lld</td><td>%s</td><td>%s</td><td>", (long long)ord[i].qty,
                ship, arrive);
        esc(f, why);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

ot_err ot_report_html_write(const char *path, const ot_plan *plan, const ot_plan_forecast *fc,
                            ot_diag *diag)
{
    ot_out_file out;
    ot_err err = ot_out_file_open(&out, path, diag);
    if (err != OT_OK)
        return err;
    FILE *f = out.f;
    char as_of[11];
    ot_date_format(ot_plan_as_of(plan), as_of);
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
               "<title>omnitwin plan %s</title><style>"
               "body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}"
               "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;"
               "padding:2px 6px;text-align:left;vertical-align:top}td.n{text-align:right}"
               "svg{display:block;margin:.6em 0}.t{font-weight:bold;font-size:13px}"
               ".l{font-size:11px;fill:#444}.ax{stroke:#888}.band{fill:#4477aa;opacity:.2}"
               ".split{stroke:#aaa;stroke-dasharray:2,3}"
               "</style></head><body>\n<h1>Plan %s</h1><p>As of %s, %d days. "
               "Model and reading guide: docs/PLAN_MODEL.md.</p>\n",
            ot_plan_id(plan), ot_plan_id(plan), as_of, (int)ot_plan_horizon(plan));
    totals(f, plan);
    err = demand_charts(f, plan, fc);
    if (err == OT_OK)
        err = stock_charts(f, plan);
    if (err == OT_OK)
        err = lane_chart(f, plan);
    if (err == OT_OK)
        order_table(f, plan);
    fputs("</body></html>\n", f);
    ot_err closed = ot_out_file_close(&out, err == OT_OK, diag);
    return err != OT_OK ? err : closed;
}
