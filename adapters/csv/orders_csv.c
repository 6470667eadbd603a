/* The plan's CSV outputs (adapters/csv/orders_csv.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csv/forecast_csv.h"
#include "csv/orders_csv.h"
#include "os/out_file.h"
#include "omnitwin/forecast.h"

void ot_csv_put_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

ot_err ot_csv_write_orders(const char *path, const ot_plan *plan, ot_diag *diag)
{
    ot_out_file o;
    ot_err err = ot_out_file_open(&o, path, diag);
    if (err != OT_OK)
        return err;
    const ot_twin *twin = ot_plan_twin(plan);
    fputs("order_id,plan_id,kind,sku,from,to,qty,ship_date,arrive_date\n", o.f);
    size_t n;
    const ot_order *ord = ot_plan_orders(plan, &n);
    for (size_t i = 0; i < n; i++) {
        char id[17], ship[11], arrive[11];
        ot_node_info from, to;
        ot_sku_info si;
        ot_order_id_format(ord[i].id, id);
        ot_date_format(ord[i].ship_day, ship);
        ot_date_format(ord[i].arrive_day, arrive);
        ot_twin_node(twin, ord[i].from, &from);
        ot_twin_node(twin, ord[i].to, &to);
        ot_twin_sku(twin, ord[i].sku, &si);
        fprintf(o.f, "%s,%s,%s,", id, ot_plan_id(plan), ot_order_kind_name(ord[i].kind));
        ot_csv_put_field(o.f, si.id);
        fputc(',', o.f);
        ot_csv_put_field(o.f, from.id);
        fputc(',', o.f);
        ot_csv_put_field(o.f, to.id);
        fprintf(o.f, ",%lld,%s,%s\n", (long long)ord[i].qty, ship, arrive);
    }
    return ot_out_file_close(&o, true, diag);
}

ot_err ot_csv_write_summary(const char *path, const ot_plan *plan, double seconds,
                            ot_diag *diag)
{
    ot_out_file o;
    ot_err err = ot_out_file_open(&o, path, diag);
    if (err != OT_OK)
        return err;
    const ot_plan_summary *s = ot_plan_get_summary(plan);
    char as_of[11];
    ot_date_format(ot_plan_as_of(plan), as_of);
    fprintf(o.f,
            "metric,value\n"
            "plan_id,%s\n"
            "as_of,%s\n"
            "horizon_days,%d\n"
            "objective,%.6f\n"
            "lp_status,%s\n"
            "orders,%lld\n"
            "units,%lld\n"
            "transport_cost,%.6f\n"
            "holding_cost,%.6f\n"
            "stockout_cost,%.6f\n"
            "safety_stock_penalty,%.6f\n"
            "expected_demand_units,%.6f\n"
            "expected_lost_units,%.6f\n"
            "expected_fill_rate,%.6f\n"
            "lp_objective,%.6f\n"
            "lp_bound,%.6f\n"
            "rounding_gap,%.6f\n"
            "decomposition_gap,%.6f\n"
            "skus,%zu\n"
            "lps_solved,%zu\n"
            "lps_as_flows,%zu\n"
            "lps_warm_started,%zu\n"
            "lps_integer,%zu\n"
            "coupled_skus,%zu\n"
            "joint_lps,%zu\n"
            "largest_lp_rows,%zu\n"
            "largest_lp_cols,%zu\n"
            "store_blocks,%zu\n"
            "seconds,%.3f\n",
            ot_plan_id(plan), as_of, (int)ot_plan_horizon(plan), s->objective, s->lp_status,
            (long long)s->orders, (long long)s->units, s->transport_cost, s->holding_cost,
            s->stockout_cost, s->safety_penalty, s->demand_units, s->lost_units, s->fill_rate,
            s->lp_objective, s->lp_bound, s->rounding_gap, s->decomposition_gap, s->skus,
            s->lps, s->flow_lps, s->warm_lps, s->mip_lps, s->coupled_skus, s->joint_lps, s->max_rows,
            s->max_cols, s->store_blocks, seconds);
    return ot_out_file_close(&o, true, diag);
}

ot_err ot_csv_write_plan_forecast(const char *path, const ot_plan *plan,
                                  const ot_plan_forecast *fc, const bool *overridden,
                                  const ot_factors *factors, ot_diag *diag)
{
    ot_out_file o;
    ot_err err = ot_out_file_open(&o, path, diag);
    if (err != OT_OK)
        return err;
    const ot_twin *twin = ot_plan_twin(plan);
    size_t S = ot_twin_sku_count(twin), H = (size_t)fc->horizon_days;
    ot_day as_of = ot_plan_as_of(plan);
    fputs(ot_csv_forecast_header, o.f);
    char row[4096 * 2 + 256];
    for (size_t p = 0; p < fc->pairs; p++) {
        bool over = overridden && overridden[p];
        if (fc->method[p] == OT_PLAN_NO_FORECAST && !over)
            continue;
        ot_node_ix n = (ot_node_ix)(p / S);
        ot_sku_ix s = (ot_sku_ix)(p % S);
        ot_node_info ni;
        ot_sku_info si;
        ot_twin_node(twin, n, &ni);
        ot_twin_sku(twin, s, &si);
        const char *method = over ? "override" : ot_fc_method_name((ot_fc_method)fc->method[p]);
        for (size_t t = 0; t < H; t++) {
            /* the demand the plan used: after factors and overrides */
            double qty = ot_plan_demand(plan, n, s, (int32_t)t + 1);
            double f = ot_factors_demand(factors, n, s, as_of + (ot_day)t);
            double base = fc->mean[p * H + t];
            double scale = base > 0 ? qty / base : f;
            double lo = over ? qty : fc->lo[p * H + t] * scale;
            double hi = over ? qty : fc->hi[p * H + t] * scale;
            size_t len = ot_csv_format_forecast_row(row, sizeof row, as_of + (ot_day)t, ni.id,
                                                    si.id, qty, lo, hi, method);
            fwrite(row, 1, len, o.f);
        }
    }
    return ot_out_file_close(&o, true, diag);
}
