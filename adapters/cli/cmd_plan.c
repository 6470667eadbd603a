/*
 * `omnitwin plan` (CONTRACT §5, docs/PLAN_MODEL.md): loads the twin, applies
 * events and disruption feeds, forecasts demand (or takes the planner's
 * overrides), solves the plan with GLPK and writes orders.csv,
 * forecast.csv, summary.csv and report.html into --out. Every input is
 * checked before anything is written: bad input writes nothing (exit 65).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "csv/forecast_csv.h"
#include "csv/network_csv.h"
#include "csv/orders_csv.h"
#include "lp/glpk_solver.h"
#include "lp/gmpl_dat.h"
#include "omnitwin/plan.h"
#include "report/report_html.h"
#include "xml/disruption_xml.h"

#define MAX_FILES 64
#define PATH_LEN 4096

static const char usage_text[] =
    "usage: omnitwin plan --network DIR --out OUT [--events FILE]... [--disruptions FILE]...\n"
    "                     [--demand FILE] [--as-of DATE] [--horizon DAYS] [--threads N]\n"
    "\n"
    "Plans purchases (supplier->DC), replenishment (DC->store) and lateral transfers\n"
    "for the next DAYS days as one time-phased linear program solved with GLPK\n"
    "(docs/PLAN_MODEL.md), in whole case packs, and writes into OUT:\n"
    "  orders.csv    order_id,plan_id,kind,sku,from,to,qty,ship_date,arrive_date\n"
    "  forecast.csv  date,node_id,sku,qty,lo,hi,method: the demand the plan used\n"
    "  summary.csv   metric,value: objective and its parts for the emitted orders,\n"
    "                lp_status, fill rate, rounding and decomposition gaps, seconds\n"
    "  report.html   the planner's report: totals, charts and why each order exists\n"
    "\n"
    "  --network DIR       the network directory (docs/FORMATS.md)\n"
    "  --out OUT           output directory (created if missing; files replaced)\n"
    "  --events FILE       batch event file applied first (repeatable)\n"
    "  --disruptions FILE  disruption feed (own XML, CAP 1.2, DATEX II; repeatable):\n"
    "                      demand factors, lead times, lane capacities, closures\n"
    "  --demand FILE       planner overrides, date,node_id,sku,qty: replace the\n"
    "                      forecast of those days (demand factors still apply)\n"
    "  --as-of DATE        day 1 of the plan, YYYY-MM-DD (default: the day after\n"
    "                      the last history day)\n"
    "  --horizon DAYS      days planned, 1..92 (default 14)\n"
    "  --threads N         solver threads, 1..64 (default 2)\n"
    "  --mip-max-cols N    solve whole case packs by branch and bound when an LP has\n"
    "                      at most N columns (default 600; 0: always round+repair)\n"
    "  --joint-max-cols N  solve SKUs coupled by a shared capacity jointly up to N\n"
    "                      columns, else split the capacity (default 4000)\n"
    "  --block-stores N    with more than N stores, plan stores in blocks of about N,\n"
    "                      each DC's stock split by the blocks' demand (default:\n"
    "                      blocks of 40 above 200 stores; 0: never)\n"
    "  --max-errors N      stop reporting after N errors (default 100)\n"
    "  --write-gmpl FILE   also write the instance as GNU MathProg data for\n"
    "                      tests/gmpl/plan.mod (glpsol cross-check)\n"
    "  --quiet             print nothing but errors\n"
    "\n"
    "exit status: 0 planned, 64 bad usage, 65 bad input or infeasible (nothing\n"
    "written), 70 internal or solver error\n"
    "example: omnitwin plan --network data/sample --events data/sample/events.csv \\\n"
    "           --out build/demo-plan\n";

typedef struct {
    const char *network, *out, *demand, *gmpl;
    const char *events[MAX_FILES], *feeds[MAX_FILES];
    size_t n_events, n_feeds;
    ot_day as_of;
    bool has_as_of, quiet;
    long horizon, threads, max_errors, mip_max_cols, joint_max_cols, block_stores;
} plan_args;

static int parse_args(int argc, char **argv, plan_args *a)
{
    static const struct option options[] = {
        {"network", required_argument, NULL, 'n'},  {"out", required_argument, NULL, 'o'},
        {"events", required_argument, NULL, 'e'},   {"disruptions", required_argument, NULL, 'd'},
        {"demand", required_argument, NULL, 'D'},   {"as-of", required_argument, NULL, 'a'},
        {"horizon", required_argument, NULL, 'H'},  {"threads", required_argument, NULL, 't'},
        {"mip-max-cols", required_argument, NULL, 'M'},
        {"joint-max-cols", required_argument, NULL, 'J'},
        {"block-stores", required_argument, NULL, 'B'},
        {"max-errors", required_argument, NULL, 'm'},
        {"write-gmpl", required_argument, NULL, 'g'}, {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    a->horizon = 14;
    a->threads = 2;
    a->max_errors = 100;
    a->mip_max_cols = 600;
    a->joint_max_cols = 4000;
    a->block_stores = -1;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'n': a->network = optarg; break;
        case 'o': a->out = optarg; break;
        case 'D': a->demand = optarg; break;
        case 'g': a->gmpl = optarg; break;
        case 'q': a->quiet = true; break;
        case 'e':
        case 'd': {
            size_t *n = c == 'e' ? &a->n_events : &a->n_feeds;
            if (*n == MAX_FILES) {
                fprintf(stderr, "omnitwin plan: at most %d --%s files\n", MAX_FILES,
                        c == 'e' ? "events" : "disruptions");
                return OT_EXIT_USAGE;
            }
            (c == 'e' ? a->events : a->feeds)[(*n)++] = optarg;
            break;
        }
        case 'a':
            if (!ot_date_parse(optarg, strlen(optarg), &a->as_of)) {
                fprintf(stderr, "omnitwin plan: --as-of '%s' is not a date (expected YYYY-MM-DD)\n",
                        optarg);
                return OT_EXIT_USAGE;
            }
            a->has_as_of = true;
            break;
        case 'H':
            if (!ot_cli_parse_long("plan", "--horizon", optarg, 1, OT_PLAN_MAX_HORIZON, &a->horizon))
                return OT_EXIT_USAGE;
            break;
        case 't':
            if (!ot_cli_parse_long("plan", "--threads", optarg, 1, OT_GLPK_MAX_THREADS, &a->threads))
                return OT_EXIT_USAGE;
            break;
        case 'M':
            if (!ot_cli_parse_long("plan", "--mip-max-cols", optarg, 0, 100000000, &a->mip_max_cols))
                return OT_EXIT_USAGE;
            break;
        case 'J':
            if (!ot_cli_parse_long("plan", "--joint-max-cols", optarg, 1, 100000000, &a->joint_max_cols))
                return OT_EXIT_USAGE;
            break;
        case 'B':
            if (!ot_cli_parse_long("plan", "--block-stores", optarg, 0, 100000000, &a->block_stores))
                return OT_EXIT_USAGE;
            break;
        case 'm':
            if (!ot_cli_parse_long("plan", "--max-errors", optarg, 1, 1000000, &a->max_errors))
                return OT_EXIT_USAGE;
            break;
        case 'h': fputs(usage_text, stdout); return -1;
        default: fputs(usage_text, stderr); return OT_EXIT_USAGE;
        }
    }
    if (!a->network || !a->out || optind != argc) {
        fprintf(stderr, "omnitwin plan: %s\n\n%s",
                optind != argc ? "unexpected argument"
                : !a->network  ? "--network DIR is required"
                               : "--out OUT is required",
                usage_text);
        return OT_EXIT_USAGE;
    }
    return OT_EXIT_OK;
}

/* Blocks of 40 stores above 200 stores: one LP per SKU grows faster than
 * linearly with stores (docs/PLAN_MODEL.md, docs/BENCHMARKS.md). */
static size_t auto_block_stores(const ot_twin *twin)
{
    size_t stores = 0;
    for (size_t n = 0; n < ot_twin_node_count(twin); n++) {
        ot_node_info ni;
        ot_twin_node(twin, (ot_node_ix)n, &ni);
        stores += ni.kind == OT_NODE_STORE;
    }
    return stores > 200 ? 40 : 0;
}

/* ---- Planner overrides (--demand) ---------------------------------------- */

/* Replaces the forecast of the overridden days inside the horizon; rows
 * outside it are counted in a warning. */
static ot_err apply_overrides(const char *path, const ot_twin *twin, ot_day as_of, size_t H,
                              double *demand, bool *overridden, ot_diag *diag)
{
    ot_demand_overrides ov = {0};
    ot_err err = ot_csv_load_overrides(twin, path, diag, &ov);
    if (err != OT_OK)
        return err;
    size_t S = ot_twin_sku_count(twin), outside = 0;
    for (size_t i = 0; i < ov.count; i++) {
        const ot_demand_override *r = &ov.rows[i];
        int64_t t = (int64_t)r->day - as_of;
        if (t < 0 || t >= (int64_t)H) {
            outside++;
            continue;
        }
        size_t pair = (size_t)r->node * S + (size_t)r->sku;
        demand[pair * H + (size_t)t] = r->qty;
        overridden[pair] = true;
    }
    if (outside)
        ot_diag_report(diag, OT_DIAG_WARNING, path, 0,
                       "%zu rows lie outside the plan's days and were ignored", outside);
    ot_demand_overrides_release(&ov);
    return OT_OK;
}

/* ---- Outputs ------------------------------------------------------------- */

static bool join(char *buf, const char *dir, const char *name)
{
    return (size_t)snprintf(buf, PATH_LEN, "%s/%s", dir, name) < PATH_LEN;
}

static ot_err write_outputs(const plan_args *a, const ot_plan *plan, const ot_plan_forecast *fc,
                            const bool *overridden, const ot_factors *factors, double t0,
                            ot_diag *diag)
{
    char path[PATH_LEN];
    ot_err err = ot_cli_make_dir(a->out, diag);
    if (err == OT_OK)
        err = join(path, a->out, "orders.csv") ? ot_csv_write_orders(path, plan, diag) : OT_ERR_IO;
    if (err == OT_OK)
        err = join(path, a->out, "forecast.csv")
                  ? ot_csv_write_plan_forecast(path, plan, fc, overridden, factors, diag)
                  : OT_ERR_IO;
    if (err == OT_OK)
        err = join(path, a->out, "report.html")
                  ? ot_report_html_write(path, plan, fc, diag)
                  : OT_ERR_IO;
    if (err == OT_OK && a->gmpl)
        err = ot_gmpl_write_dat(a->gmpl, plan, diag);
    /* summary last: its seconds cover everything before it */
    if (err == OT_OK)
        err = join(path, a->out, "summary.csv")
                  ? ot_csv_write_summary(path, plan, ot_cli_now_seconds() - t0, diag)
                  : OT_ERR_IO;
    return err;
}

static void print_result(const plan_args *a, const ot_plan *plan, const ot_plan_forecast *fc,
                         double seconds, const double *phase)
{
    const ot_plan_summary *s = ot_plan_get_summary(plan);
    char as_of[11];
    ot_date_format(ot_plan_as_of(plan), as_of);
    printf("plan %s: as of %s, %d days, %zu SKUs (%zu series forecast)\n", ot_plan_id(plan),
           as_of, (int)ot_plan_horizon(plan), s->skus, fc->forecast);
    printf("  orders     %lld orders, %lld units\n", (long long)s->orders, (long long)s->units);
    printf("  cost       %.2f = transport %.2f + holding %.2f + stockout %.2f + safety %.2f\n",
           s->objective, s->transport_cost, s->holding_cost, s->stockout_cost, s->safety_penalty);
    printf("  service    fill rate %.2f%%, %.0f of %.0f units of demand expected lost\n",
           100 * s->fill_rate, s->lost_units, s->demand_units);
    printf("  lp         %s, LP objective %.2f (rounding gap %.3f%%, decomposition gap %.3f%%), "
           "%zu LPs (%zu as flows, %zu warm, %zu integer), largest %zu x %zu, %zu store block%s\n",
           s->lp_status, s->lp_objective, 100 * s->rounding_gap, 100 * s->decomposition_gap,
           s->lps, s->flow_lps, s->warm_lps, s->mip_lps, s->max_rows, s->max_cols, s->store_blocks,
           s->store_blocks == 1 ? "" : "s");
    printf("  time       %.2f s: load %.2f, forecast %.2f, optimise %.2f, write %.2f\n", seconds,
           phase[0], phase[1], phase[2], phase[3]);
    printf("  wrote      %s/orders.csv, %s/forecast.csv, %s/summary.csv, %s/report.html\n", a->out,
           a->out, a->out, a->out);
}

int ot_cli_plan(int argc, char **argv)
{
    plan_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc != OT_EXIT_OK)
        return rc < 0 ? OT_EXIT_OK : rc;
    double t0 = ot_cli_now_seconds();
    ot_diag *diag = ot_diag_new((size_t)a.max_errors);
    ot_glpk *glpk = ot_glpk_new((int)a.threads);
    if (!diag || !glpk) {
        ot_diag_free(diag);
        ot_glpk_free(glpk);
        return OT_EXIT_INTERNAL;
    }
    ot_lp_solver solver;
    ot_glpk_solver(glpk, &solver);
    ot_twin *twin = NULL;
    ot_factors *factors = NULL;
    ot_plan_forecast *fc = NULL;
    ot_plan *plan = NULL;
    double *demand = NULL;
    bool *overridden = NULL;
    double phase[4] = {0, 0, 0, 0}, mark = t0;
    ot_err err = ot_csv_load_network(a.network, diag, &twin, NULL);
    for (size_t i = 0; err == OT_OK && i < a.n_events; i++)
        err = ot_csv_apply_events(twin, a.events[i], diag, NULL);
    if (err == OT_OK && !a.has_as_of)
        a.as_of = ot_twin_history_first(twin) + (ot_day)ot_twin_history_days(twin);
    if (err == OT_OK && a.n_feeds)
        err = ot_xml_load_disruptions(a.feeds, a.n_feeds, twin, NULL, a.as_of,
                                      (size_t)a.horizon, diag, &factors, NULL);
    phase[0] = ot_cli_now_seconds() - mark;
    mark = ot_cli_now_seconds();
    if (err == OT_OK)
        err = ot_plan_forecast_run(twin, a.as_of, (int32_t)a.horizon, &solver, &fc);
    phase[1] = ot_cli_now_seconds() - mark;
    mark = ot_cli_now_seconds();
    size_t pairs = twin ? ot_twin_node_count(twin) * ot_twin_sku_count(twin) : 0;
    if (err == OT_OK) {
        demand = ot_malloc((pairs * (size_t)a.horizon + 1) * sizeof *demand);
        overridden = ot_calloc(pairs + 1, sizeof *overridden);
        if (!demand || !overridden)
            err = OT_ERR_NOMEM;
        else
            memcpy(demand, fc->mean, pairs * (size_t)a.horizon * sizeof *demand);
    }
    if (err == OT_OK && a.demand)
        err = apply_overrides(a.demand, twin, a.as_of, (size_t)a.horizon, demand, overridden,
                              diag);
    if (err == OT_OK) {
        ot_plan_input in = {.twin = twin, .factors = factors, .as_of = a.as_of,
                            .horizon_days = (int32_t)a.horizon, .demand = demand,
                            .safety_stock = fc->safety_stock,
                            .joint_max_cols = (size_t)a.joint_max_cols,
                            .mip_max_cols = (size_t)a.mip_max_cols,
                            .block_stores = a.block_stores >= 0 ? (size_t)a.block_stores
                                            : auto_block_stores(twin)};
        err = ot_plan_run(&in, &solver, diag, &plan);
    }
    phase[2] = ot_cli_now_seconds() - mark;
    mark = ot_cli_now_seconds();
    if (err == OT_OK)
        err = write_outputs(&a, plan, fc, overridden, factors, t0, diag);
    phase[3] = ot_cli_now_seconds() - mark;
    ot_cli_print_diag(diag);
    if (err == OT_OK && !a.quiet)
        print_result(&a, plan, fc, ot_cli_now_seconds() - t0, phase);
    if (err != OT_OK)
        fprintf(stderr, "omnitwin plan: %s (%zu error%s)%s\n", ot_err_str(err),
                ot_diag_errors(diag), ot_diag_errors(diag) == 1 ? "" : "s",
                err == OT_ERR_IO ? "" : ", nothing written");
    ot_plan_free(plan);
    ot_plan_forecast_free(fc);
    ot_free(demand);
    ot_free(overridden);
    ot_factors_free(factors);
    ot_twin_free(twin);
    ot_diag_free(diag);
    ot_glpk_free(glpk);
    return ot_cli_exit_status(err);
}
