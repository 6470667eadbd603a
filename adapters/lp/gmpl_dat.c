/* GNU MathProg data of a plan's instance (adapters/lp/gmpl_dat.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lp/gmpl_dat.h"

/* A MathProg string literal: single quotes, a quote doubled. */
static void sym(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputc('\'', f);
        fputc(*s, f);
    }
    fputs("' ", f);
}

static bool lane_active(const ot_twin *twin, const ot_lane_info *li)
{
    ot_node_info to;
    ot_twin_node(twin, li->to, &to);
    return li->from != li->to && to.kind != OT_NODE_SUPPLIER;
}

static void write_lanes(FILE *f, const ot_twin *twin)
{
    size_t L = ot_twin_lane_count(twin);
    const char *what[] = {"set LANES :=", "param lead :=", "param cost :=", "param lcap :="};
    for (int k = 0; k < 4; k++) {
        fprintf(f, "%s\n", what[k]);
        for (size_t l = 0; l < L; l++) {
            ot_lane_info li;
            ot_node_info a, b;
            ot_twin_lane(twin, (ot_lane_ix)l, &li);
            if (!lane_active(twin, &li) || (k == 3 && !isfinite(li.capacity_per_day)))
                continue;
            ot_twin_node(twin, li.from, &a);
            ot_twin_node(twin, li.to, &b);
            fputs(k == 0 ? "  (" : "  ", f);
            sym(f, a.id);
            fputs(k == 0 ? "," : "", f);
            sym(f, b.id);
            if (k == 0)
                fputs(")", f);
            else if (k == 1)
                fprintf(f, "%d", (int)li.lead_time_days);
            else
                fprintf(f, "%.17g", k == 2 ? li.cost_per_unit : li.capacity_per_day);
            fputc('\n', f);
        }
        fputs(";\n", f);
    }
}

ot_err ot_gmpl_write_dat(const char *path, const ot_plan *plan, ot_diag *diag)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        ot_diag_report(diag, OT_DIAG_ERROR, path, 0, "cannot write: %s", strerror(errno));
        return OT_ERR_IO;
    }
    const ot_twin *twin = ot_plan_twin(plan);
    size_t N = ot_twin_node_count(twin), S = ot_twin_sku_count(twin);
    int32_t H = ot_plan_horizon(plan);
    ot_day as_of = ot_plan_as_of(plan);
    fprintf(f, "data;\nparam H := %d;\n", (int)H);
    for (int k = 0; k < 3; k++) {
        fputs(k == 0 ? "set NODES :=" : k == 1 ? "set STOCK :=" : "param ncap :=", f);
        for (size_t n = 0; n < N; n++) {
            ot_node_info ni;
            ot_twin_node(twin, (ot_node_ix)n, &ni);
            if ((k == 1 && ni.kind == OT_NODE_SUPPLIER) || (k == 2 && !isfinite(ni.capacity)))
                continue;
            fputs("\n  ", f);
            sym(f, ni.id);
            if (k == 2)
                fprintf(f, "%.17g", ni.capacity);
        }
        fputs(";\n", f);
    }
    fputs("param : SKUS : vol hold lost :=", f);
    for (size_t s = 0; s < S; s++) {
        ot_sku_info si;
        ot_twin_sku(twin, (ot_sku_ix)s, &si);
        fputs("\n  ", f);
        sym(f, si.id);
        fprintf(f, "%.17g %.17g %.17g", si.volume, si.holding_cost, si.stockout_cost);
    }
    fputs(";\n", f);
    write_lanes(f, twin);
    /* per pair: opening stock, safety stock, shelf limit */
    const char *pp[] = {"param open :=", "param ss :=", "param maxu :="};
    for (int k = 0; k < 3; k++) {
        fprintf(f, "%s", pp[k]);
        for (size_t n = 0; n < N; n++) {
            ot_node_info ni;
            ot_twin_node(twin, (ot_node_ix)n, &ni);
            if (ni.kind == OT_NODE_SUPPLIER)
                continue;
            for (size_t s = 0; s < S; s++) {
                ot_sku_info si;
                ot_policy_info pol;
                ot_twin_sku(twin, (ot_sku_ix)s, &si);
                ot_twin_policy(twin, (ot_node_ix)n, (ot_sku_ix)s, &pol);
                int64_t oh = ot_twin_on_hand(twin, (ot_node_ix)n, (ot_sku_ix)s);
                double v = k == 0   ? (oh > 0 ? (double)oh : 0)
                           : k == 1 ? ot_plan_safety_stock(plan, (ot_node_ix)n, (ot_sku_ix)s)
                                    : (pol.max_units == INT64_MAX ? 0 : (double)pol.max_units);
                if (v <= 0 && !(k == 2 && pol.max_units != INT64_MAX))
                    continue;
                fputs("\n  ", f);
                sym(f, ni.id);
                sym(f, si.id);
                fprintf(f, "%.17g", v);
            }
        }
        fputs(";\n", f);
    }
    fputs("param d :=", f);
    for (size_t n = 0; n < N; n++) {
        ot_node_info ni;
        ot_twin_node(twin, (ot_node_ix)n, &ni);
        if (ni.kind == OT_NODE_SUPPLIER)
            continue;
        for (size_t s = 0; s < S; s++)
            for (int32_t t = 1; t <= H; t++) {
                double d = ot_plan_demand(plan, (ot_node_ix)n, (ot_sku_ix)s, t);
                if (d <= 0)
                    continue;
                ot_sku_info si;
                ot_twin_sku(twin, (ot_sku_ix)s, &si);
                fputs("\n  ", f);
                sym(f, ni.id);
                sym(f, si.id);
                fprintf(f, "%d %.17g", (int)t, d);
            }
    }
    fputs(";\nparam arr :=", f);
    /* pipeline lines may repeat a (node, sku, day): MathProg wants each
     * once, so sum them here */
    size_t P = ot_twin_pipeline_count(twin);
    for (size_t i = 0; i < P; i++) {
        ot_pipeline_info pi;
        ot_twin_pipeline(twin, i, &pi);
        int64_t t = (int64_t)pi.arrive_day - as_of + 1;
        if (t < 1)
            t = 1;
        ot_node_info to;
        ot_twin_node(twin, pi.to, &to);
        if (!pi.open || pi.qty <= 0 || t > H || to.kind == OT_NODE_SUPPLIER)
            continue;
        bool seen = false;
        double qty = 0;
        for (size_t k = 0; k < P && !seen; k++) {
            ot_pipeline_info pk;
            ot_twin_pipeline(twin, k, &pk);
            int64_t tk = (int64_t)pk.arrive_day - as_of + 1;
            if (tk < 1)
                tk = 1;
            if (!pk.open || pk.qty <= 0 || pk.to != pi.to || pk.sku != pi.sku || tk != t)
                continue;
            if (k < i)
                seen = true;
            else
                qty += (double)pk.qty;
        }
        if (seen)
            continue;
        ot_sku_info si;
        ot_twin_sku(twin, pi.sku, &si);
        fputs("\n  ", f);
        sym(f, to.id);
        sym(f, si.id);
        fprintf(f, "%d %.17g", (int)t, qty);
    }
    fputs(";\nend;\n", f);
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad) {
        ot_diag_report(diag, OT_DIAG_ERROR, path, 0, "cannot write: %s", strerror(errno));
        return OT_ERR_IO;
    }
    return OT_OK;
}
