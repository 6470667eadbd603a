/*
 * `omnitwin forecast`: loads the network (and events, feeds, overrides),
 * forecasts every node-SKU pair with demand history on N threads and writes
 * forecast.csv in a fixed order, so that the bytes do not depend on the
 * thread count; --backtest K prints rolling-origin accuracy per method and
 * demand class (docs/FORECASTING.md).
 *
 * Work is cut into fixed blocks of series; workers take blocks in order,
 * format their rows into memory and keep per-block backtest sums; the main
 * thread writes blocks and merges sums strictly in block order.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "csv/forecast_csv.h"
#include "csv/network_csv.h"
#include "omnitwin/factors.h"
#include "omnitwin/forecast.h"
#include "text.h"
#include "xml/disruption_xml.h"

static const char usage_text[] =
    "usage: omnitwin forecast --network DIR [--out FILE] [--horizon DAYS]\n"
    "                         [--as-of DATE] [--backtest K] [--demand FILE]\n"
    "                         [--events FILE]... [--disruptions FILE]...\n"
    "                         [--level P] [--method NAME] [--threads N]\n"
    "\n"
    "Forecasts daily demand of every node-SKU pair with demand history over the\n"
    "horizon, with an interval and the method chosen per series, and writes\n"
    "FILE as CSV: date,node_id,sku,qty,lo,hi,method. Each series is classified\n"
    "(smooth, erratic, intermittent, lumpy: Syntetos-Boylan), its class's models\n"
    "are fitted and the one with the least error on rolling holdout windows is\n"
    "kept (docs/FORECASTING.md). The output is the same for any thread count.\n"
    "\n"
    "  --network DIR       the network directory (history.csv gives the demand)\n"
    "  --out FILE          write the forecast here (required unless --backtest)\n"
    "  --horizon DAYS      days to forecast, 1-92 (default 14)\n"
    "  --as-of DATE        first forecast day, YYYY-MM-DD (default: the day after\n"
    "                      the last history day); earlier dates forecast from the\n"
    "                      history before it\n"
    "  --backtest K        also score K rolling origins of DAYS days each (1-52):\n"
    "                      WAPE, MASE and bias per method and for the choice,\n"
    "                      overall and per demand class, printed on stdout\n"
    "  --demand FILE       planner overrides, CSV date,node_id,sku,qty: qty replaces\n"
    "                      the forecast of that day; lo and hi are scaled by the\n"
    "                      same ratio (both become qty when the forecast was 0);\n"
    "                      the row's method becomes 'override'\n"
    "  --events FILE       a batch event file whose sales add to the history\n"
    "                      (repeatable)\n"
    "  --disruptions FILE  a disruption feed whose demand factors multiply qty, lo\n"
    "                      and hi on the days they cover (repeatable)\n"
    "  --level P           central interval probability, 0-1 exclusive (default\n"
    "                      0.8: lo and hi are the 10% and 90% quantiles)\n"
    "  --method NAME       use one method for every series instead of choosing:\n"
    "                      seasonal_naive, ses, holt_damped, hw_additive,\n"
    "                      hw_multiplicative, croston, croston_sba, tsb, adida,\n"
    "                      imapa, mean (series it does not apply to: exit 65)\n"
    "  --threads N         worker threads, 1-64 (default: the online CPUs)\n"
    "\n"
    "exit status: 0 ok, 64 bad usage, 65 bad input, 70 internal error\n"
    "example: omnitwin forecast --network data/sample --out forecast.csv --backtest 4\n";

#define SERIES_PER_BLOCK 256
#define MAX_LIST_ARGS 32

typedef struct {
    ot_node_ix node;
    ot_sku_ix sku;
} series_ref;

typedef struct {
    char *text;
    size_t len, cap;
    ot_fc_backtest *bt;
    uint64_t chosen[OT_FC_CLASS_COUNT][OT_FC_METHOD_COUNT];
    ot_err err;
    size_t err_series;                /* which series failed, when err */
    bool done;
} block_out;

typedef struct {
    /* inputs, read-only while workers run */
    const ot_twin *twin;
    const ot_factors *factors;
    const ot_demand_overrides *overrides;
    const series_ref *series;
    size_t series_count, block_count;
    ot_forecast_options opt;          /* horizon = skip + output days */
    int skip_days;                    /* forecast days before --as-of */
    size_t use_days;                  /* history days given to the models */
    int backtest;                     /* origins, 0 = none */
    int backtest_horizon;
    bool write_rows;
    /* shared state */
    pthread_mutex_t lock;
    pthread_cond_t changed;
    size_t next_block, written_blocks, window;
    block_out *blocks;
} job;

/* ---- Per-series work (worker threads) ------------------------------------- */

static bool append(block_out *b, const char *row, size_t len)
{
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64 * 1024;
        while (cap < b->len + len)
            cap *= 2;
        char *text = ot_realloc(b->text, cap);
        if (!text)
            return false;
        b->text = text;
        b->cap = cap;
    }
    memcpy(b->text + b->len, row, len);
    b->len += len;
    return true;
}

/* Applies overrides and demand factors to the output days and formats them. */
static ot_err emit_rows(const job *J, const series_ref *ref, ot_forecast_result *fc,
                        ot_day first_day, block_out *b)
{
    ot_node_info node;
    ot_sku_info sku;
    ot_twin_node(J->twin, ref->node, &node);
    ot_twin_sku(J->twin, ref->sku, &sku);
    size_t n_over;
    const ot_demand_override *over =
        ot_demand_overrides_of(J->overrides, ref->node, ref->sku, &n_over);
    size_t oi = 0;
    const char *method = ot_fc_method_name(fc->method);
    for (int h = J->skip_days; h < fc->horizon; h++) {
        ot_day day = first_day + (ot_day)h;
        const char *row_method = method;
        while (oi < n_over && over[oi].day < day)
            oi++;
        if (oi < n_over && over[oi].day == day) {
            double q = over[oi].qty, f = fc->mean[h];
            fc->lo[h] = f > 0 ? fc->lo[h] * q / f : q;
            fc->hi[h] = f > 0 ? fc->hi[h] * q / f : q;
            fc->sigma[h] = f > 0 ? fc->sigma[h] * q / f : 0;
            fc->mean[h] = q;
            row_method = "override";
        }
        ot_forecast_result_scale(fc, h, ot_factors_demand(J->factors, ref->node, ref->sku, day));
        char row[OT_CSV_MAX_FIELD * 2 + 256];
        size_t len = ot_csv_format_forecast_row(row, sizeof row, day, node.id, sku.id,
                                                fc->mean[h], fc->lo[h], fc->hi[h], row_method);
        if (!len)
            return OT_ERR_LIMIT;
        if (!append(b, row, len))
            return OT_ERR_NOMEM;
    }
    return OT_OK;
}

static void run_block(const job *J, size_t bi, ot_forecast_workspace *ws, double *history,
                      block_out *b)
{
    size_t first = bi * SERIES_PER_BLOCK;
    size_t last = first + SERIES_PER_BLOCK < J->series_count ? first + SERIES_PER_BLOCK
                                                              : J->series_count;
    ot_day first_day = ot_twin_history_first(J->twin) + (ot_day)J->use_days;
    if (J->backtest) {
        b->bt = ot_malloc(sizeof *b->bt);
        if (!b->bt) {
            b->err = OT_ERR_NOMEM;
            return;
        }
        ot_forecast_backtest_init(b->bt);
    }
    ot_forecast_options bt_opt = J->opt;
    bt_opt.horizon = J->backtest_horizon;
    for (size_t i = first; i < last && !b->err; i++) {
        const series_ref *ref = &J->series[i];
        ot_twin_demand_series(J->twin, ref->node, ref->sku, history);
        if (J->write_rows) {
            ot_forecast_result fc;
            b->err = ot_forecast_series(history, J->use_days, &J->opt, ws, &fc);
            if (!b->err) {
                b->chosen[fc.demand_class][fc.method]++;
                b->err = emit_rows(J, ref, &fc, first_day, b);
            }
        }
        if (!b->err && J->backtest)
            b->err = ot_forecast_backtest(history, J->use_days, &bt_opt, J->backtest, ws, b->bt);
        if (b->err)
            b->err_series = i;
    }
}

static void *worker(void *arg)
{
    job *J = arg;
    size_t days = ot_twin_history_days(J->twin);
    ot_forecast_workspace *ws = ot_forecast_workspace_new(days);
    double *history = ot_reallocarray(NULL, days ? days : 1, sizeof *history);
    for (;;) {
        pthread_mutex_lock(&J->lock);
        /* Bounded look-ahead: at most `window` blocks wait to be written. */
        while (J->next_block < J->block_count &&
               J->next_block >= J->written_blocks + J->window)
            pthread_cond_wait(&J->changed, &J->lock);
        if (J->next_block >= J->block_count) {
            pthread_mutex_unlock(&J->lock);
            break;
        }
        size_t bi = J->next_block++;
        pthread_mutex_unlock(&J->lock);
        block_out *b = &J->blocks[bi];
        if (!ws || !history)
            b->err = OT_ERR_NOMEM;
        else
            run_block(J, bi, ws, history, b);
        pthread_mutex_lock(&J->lock);
        b->done = true;
        pthread_cond_broadcast(&J->changed);
        pthread_mutex_unlock(&J->lock);
    }
    ot_forecast_workspace_free(ws);
    ot_free(history);
    return NULL;
}

/* ---- Report --------------------------------------------------------------- */

static void print_accuracy_row(const char *cls, const char *method, const ot_fc_accuracy *a)
{
    double wape = ot_fc_accuracy_wape(a), mase = ot_fc_accuracy_mase(a),
           bias = ot_fc_accuracy_bias(a);
    printf("| %-12s | %-17s | %8llu | %7.4f | %7.4f | %+8.4f |\n", cls, method,
           (unsigned long long)a->windows, wape, mase, bias);
}

static void print_backtest(const ot_fc_backtest *bt, int origins, int horizon)
{
    printf("backtest: %d origins x %d days, %llu series (%llu too short)\n", origins, horizon,
           (unsigned long long)bt->series, (unsigned long long)bt->skipped);
    printf("| class        | method            |  windows |    WAPE |    MASE |     bias |\n");
    printf("| ------------ | ----------------- | -------: | ------: | ------: | -------: |\n");
    for (int row = 0; row <= OT_FC_CLASS_COUNT; row++) {
        int c = row == 0 ? OT_FC_CLASS_COUNT : row - 1; /* "all" first */
        const char *cls = c == OT_FC_CLASS_COUNT ? "all" : ot_fc_class_name((ot_fc_class)c);
        if (!bt->acc[c][OT_FC_METHOD_COUNT].windows)
            continue;
        print_accuracy_row(cls, "chosen", &bt->acc[c][OT_FC_METHOD_COUNT]);
        for (int m = 0; m < OT_FC_METHOD_COUNT; m++)
            if (bt->acc[c][m].windows)
                print_accuracy_row(cls, ot_fc_method_name((ot_fc_method)m), &bt->acc[c][m]);
    }
}

/* ---- Flags ------------------------------------------------------------------ */

typedef struct {
    const char *network, *out, *demand;
    const char *events[MAX_LIST_ARGS], *feeds[MAX_LIST_ARGS];
    size_t event_count, feed_count;
    long horizon, backtest, threads;
    double level;
    bool has_as_of;
    ot_day as_of;
    ot_fc_method method;
} flags;

static int usage_error(const char *fmt, const char *arg)
{
    fputs("omnitwin forecast: ", stderr);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(see omnitwin forecast --help)\n");
    return OT_EXIT_USAGE;
}

static bool parse_long(const char *s, long lo, long hi, long *out)
{
    int64_t v;
    if (!ot_parse_int64(s, strlen(s), &v) || v < lo || v > hi)
        return false;
    *out = (long)v;
    return true;
}

static int parse_flags(int argc, char **argv, flags *F)
{
    static const struct option options[] = {
        {"network", required_argument, NULL, 'n'},  {"out", required_argument, NULL, 'o'},
        {"horizon", required_argument, NULL, 'H'},  {"as-of", required_argument, NULL, 'a'},
        {"backtest", required_argument, NULL, 'b'}, {"demand", required_argument, NULL, 'd'},
        {"events", required_argument, NULL, 'e'},   {"disruptions", required_argument, NULL, 'x'},
        {"level", required_argument, NULL, 'l'},    {"method", required_argument, NULL, 'm'},
        {"threads", required_argument, NULL, 't'},  {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    memset(F, 0, sizeof *F);
    F->horizon = 14;
    F->level = 0.8;
    F->method = OT_FC_METHOD_COUNT;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    F->threads = cpus < 1 ? 1 : cpus > 64 ? 64 : cpus;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'n': F->network = optarg; break;
        case 'o': F->out = optarg; break;
        case 'd': F->demand = optarg; break;
        case 'H':
            if (!parse_long(optarg, 1, OT_FC_MAX_HORIZON, &F->horizon))
                return usage_error("--horizon '%s' is not a number of days from 1 to 92", optarg);
            break;
        case 'b':
            if (!parse_long(optarg, 1, 52, &F->backtest))
                return usage_error("--backtest '%s' is not a number of origins from 1 to 52",
                                   optarg);
            break;
        case 't':
            if (!parse_long(optarg, 1, 64, &F->threads))
                return usage_error("--threads '%s' is not a number from 1 to 64", optarg);
            break;
        case 'a':
            if (!ot_date_parse(optarg, strlen(optarg), &F->as_of))
                return usage_error("--as-of '%s' is not a date (expected YYYY-MM-DD)", optarg);
            F->has_as_of = true;
            break;
        case 'l':
            if (!ot_parse_double(optarg, strlen(optarg), &F->level) || !(F->level > 0) ||
                !(F->level < 1))
                return usage_error("--level '%s' is not a probability between 0 and 1 "
                                   "(exclusive, e.g. 0.8)", optarg);
            break;
        case 'm':
            if (!ot_fc_method_parse(optarg, strlen(optarg), &F->method))
                return usage_error("--method '%s' is not a method (expected one of "
                                   "seasonal_naive, ses, holt_damped, hw_additive, "
                                   "hw_multiplicative, croston, croston_sba, tsb, adida, "
                                   "imapa, mean)", optarg);
            break;
        case 'e':
        case 'x': {
            size_t *count = c == 'e' ? &F->event_count : &F->feed_count;
            if (*count == MAX_LIST_ARGS)
                return usage_error("at most 32 %s files", c == 'e' ? "--events"
                                                                   : "--disruptions");
            (c == 'e' ? F->events : F->feeds)[(*count)++] = optarg;
            break;
        }
        case 'h': fputs(usage_text, stdout); return -1;
        default: fputs(usage_text, stderr); return OT_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if (!F->network)
        return usage_error("%s", "--network DIR is required");
    if (!F->out && !F->backtest)
        return usage_error("%s", "--out FILE is required (or --backtest K alone)");
    return OT_EXIT_OK;
}

/* ---- The run ------------------------------------------------------------------ */

/* Every non-supplier pair with demand in its history, node-major. */
static series_ref *list_series(const ot_twin *twin, size_t *count)
{
    size_t nodes = ot_twin_node_count(twin), skus = ot_twin_sku_count(twin), k = 0, cap = 0;
    series_ref *list = NULL;
    for (size_t n = 0; n < nodes; n++) {
        ot_node_info info;
        ot_twin_node(twin, (ot_node_ix)n, &info);
        if (info.kind == OT_NODE_SUPPLIER)
            continue;
        for (size_t s = 0; s < skus; s++) {
            if (!ot_twin_has_demand(twin, (ot_node_ix)n, (ot_sku_ix)s))
                continue;
            if (k == cap) {
                cap = cap ? 2 * cap : 1024;
                series_ref *grown = ot_reallocarray(list, cap, sizeof *list);
                if (!grown) {
                    ot_free(list);
                    return NULL;
                }
                list = grown;
            }
            list[k].node = (ot_node_ix)n;
            list[k].sku = (ot_sku_ix)s;
            k++;
        }
    }
    *count = k;
    return list ? list : ot_malloc(sizeof *list);
}

/* Runs the workers and writes blocks in order to out (may be NULL). */
static ot_err run_job(job *J, FILE *out, int threads, ot_fc_backtest *bt,
                      uint64_t chosen[OT_FC_CLASS_COUNT][OT_FC_METHOD_COUNT], const char *path)
{
    pthread_t tid[64];
    int started = 0;
    for (int t = 0; t < threads; t++) {
        if (pthread_create(&tid[t], NULL, worker, J) != 0)
            break;
        started++;
    }
    ot_err err = started ? OT_OK : OT_ERR_INTERNAL;
    for (size_t bi = 0; bi < J->block_count && started; bi++) {
        block_out *b = &J->blocks[bi];
        pthread_mutex_lock(&J->lock);
        while (!b->done)
            pthread_cond_wait(&J->changed, &J->lock);
        pthread_mutex_unlock(&J->lock);
        if (!err && b->err) {
            const series_ref *ref = &J->series[b->err_series];
            ot_node_info node;
            ot_sku_info sku;
            ot_twin_node(J->twin, ref->node, &node);
            ot_twin_sku(J->twin, ref->sku, &sku);
            fprintf(stderr, "omnitwin forecast: node '%s' sku '%s': %s\n", node.id, sku.id,
                    ot_err_str(b->err));
            err = b->err;
        }
        if (!err && out && b->len && fwrite(b->text, 1, b->len, out) != b->len) {
            fprintf(stderr, "omnitwin forecast: %s: write failed: %s\n", path, strerror(errno));
            err = OT_ERR_IO;
        }
        if (b->bt)
            ot_forecast_backtest_merge(bt, b->bt);
        for (int c = 0; c < OT_FC_CLASS_COUNT; c++)
            for (int m = 0; m < OT_FC_METHOD_COUNT; m++)
                chosen[c][m] += b->chosen[c][m];
        ot_free(b->text);
        ot_free(b->bt);
        b->text = NULL;
        b->bt = NULL;
        pthread_mutex_lock(&J->lock);
        J->written_blocks = bi + 1;
        pthread_cond_broadcast(&J->changed);
        pthread_mutex_unlock(&J->lock);
        ot_cli_progress("forecast", (unsigned long long)(bi + 1) * SERIES_PER_BLOCK <
                                            J->series_count
                                        ? (unsigned long long)(bi + 1) * SERIES_PER_BLOCK
                                        : J->series_count,
                        J->series_count);
    }
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    ot_cli_progress_end();
    return err;
}

static void print_summary(const job *J, const flags *F, double seconds,
                          uint64_t chosen[OT_FC_CLASS_COUNT][OT_FC_METHOD_COUNT])
{
    fprintf(stderr, "forecast: %zu series, %zu history days, horizon %ld, %ld thread%s: "
                    "%.2f s (%.0f series/s)\n",
            J->series_count, J->use_days, F->horizon, F->threads, F->threads == 1 ? "" : "s",
            seconds, seconds > 0 ? (double)J->series_count / seconds : 0.0);
    if (!J->write_rows)
        return;
    for (int c = 0; c < OT_FC_CLASS_COUNT; c++) {
        uint64_t total = 0;
        for (int m = 0; m < OT_FC_METHOD_COUNT; m++)
            total += chosen[c][m];
        if (!total)
            continue;
        fprintf(stderr, "  %-12s %7llu:", ot_fc_class_name((ot_fc_class)c),
                (unsigned long long)total);
        for (int m = 0; m < OT_FC_METHOD_COUNT; m++)
            if (chosen[c][m])
                fprintf(stderr, " %s %llu", ot_fc_method_name((ot_fc_method)m),
                        (unsigned long long)chosen[c][m]);
        fputc('\n', stderr);
    }
}

/* Fills the days of J from the twin's history window and the flags. */
static int plan_days(job *J, const flags *F, const ot_twin *twin)
{
    ot_day first = ot_twin_history_first(twin);
    size_t days = ot_twin_history_days(twin);
    ot_day as_of = F->has_as_of ? F->as_of : first + (ot_day)days;
    if (!days || as_of <= first) {
        char a[11], b[11];
        ot_date_format(as_of, a);
        ot_date_format(first, b);
        fprintf(stderr, "omnitwin forecast: no demand history before %s (history %s)\n", a,
                days ? b : "is empty");
        return OT_EXIT_INPUT;
    }
    ot_day end = first + (ot_day)days; /* the day after the history */
    J->use_days = as_of < end ? (size_t)(as_of - first) : days;
    J->skip_days = as_of > end ? (int)(as_of - end) : 0;
    if (J->skip_days + F->horizon > OT_FC_MAX_HORIZON) {
        char a[11], b[11];
        ot_date_format(as_of, a);
        ot_date_format(end - 1, b);
        fprintf(stderr, "omnitwin forecast: --as-of %s lies %d days after the last history "
                        "day %s: with --horizon %ld that is more than 92 days to forecast\n",
                a, J->skip_days, b, F->horizon);
        return OT_EXIT_USAGE;
    }
    J->opt.horizon = J->skip_days + (int)F->horizon;
    J->backtest_horizon = (int)F->horizon;
    return OT_EXIT_OK;
}

static int forecast_twin(const flags *F, const ot_twin *twin, const ot_factors *factors,
                         const ot_demand_overrides *overrides)
{
    job J;
    memset(&J, 0, sizeof J);
    J.twin = twin;
    J.factors = factors;
    J.overrides = overrides;
    ot_forecast_options_init(&J.opt);
    J.opt.interval_level = F->level;
    J.opt.force_method = F->method;
    J.backtest = (int)F->backtest;
    J.write_rows = F->out != NULL;
    int status = plan_days(&J, F, twin);
    if (status)
        return status;
    J.series = list_series(twin, &J.series_count);
    J.block_count = (J.series_count + SERIES_PER_BLOCK - 1) / SERIES_PER_BLOCK;
    J.blocks = ot_calloc(J.block_count ? J.block_count : 1, sizeof *J.blocks);
    J.window = 8 * (size_t)F->threads;
    if (!J.series || !J.blocks) {
        ot_free((void *)J.series);
        ot_free(J.blocks);
        return OT_EXIT_INTERNAL;
    }
    pthread_mutex_init(&J.lock, NULL);
    pthread_cond_init(&J.changed, NULL);

    char tmp[4096];
    FILE *out = NULL;
    ot_err err = OT_OK;
    if (F->out) {
        ot_text_format(tmp, sizeof tmp, "%s.tmp%ld", F->out, (long)getpid());
        out = fopen(tmp, "wb");
        if (!out) {
            fprintf(stderr, "omnitwin forecast: %s: cannot write: %s\n", F->out,
                    strerror(errno));
            err = OT_ERR_IO;
        } else if (fputs(ot_csv_forecast_header, out) < 0) {
            err = OT_ERR_IO;
        }
    }
    ot_fc_backtest *bt = ot_calloc(1, sizeof *bt);
    uint64_t chosen[OT_FC_CLASS_COUNT][OT_FC_METHOD_COUNT];
    memset(chosen, 0, sizeof chosen);
    double start = ot_cli_now_seconds();
    if (!err && !bt)
        err = OT_ERR_NOMEM;
    if (!err)
        err = run_job(&J, out, (int)F->threads, bt, chosen, F->out);
    double seconds = ot_cli_now_seconds() - start;
    if (out) {
        if (fclose(out) != 0 && !err) {
            fprintf(stderr, "omnitwin forecast: %s: write failed: %s\n", F->out,
                    strerror(errno));
            err = OT_ERR_IO;
        }
        if (!err && rename(tmp, F->out) != 0) {
            fprintf(stderr, "omnitwin forecast: %s: cannot replace: %s\n", F->out,
                    strerror(errno));
            err = OT_ERR_IO;
        }
        if (err)
            remove(tmp);
    }
    if (!err) {
        print_summary(&J, F, seconds, chosen);
        if (J.backtest)
            print_backtest(bt, J.backtest, J.backtest_horizon);
    }
    ot_free(bt);
    for (size_t i = 0; i < J.block_count; i++) {
        ot_free(J.blocks[i].text);
        ot_free(J.blocks[i].bt);
    }
    ot_free(J.blocks);
    ot_free((void *)J.series);
    pthread_mutex_destroy(&J.lock);
    pthread_cond_destroy(&J.changed);
    return err == OT_ERR_IO ? OT_EXIT_INTERNAL : ot_cli_exit_status(err);
}

int ot_cli_forecast(int argc, char **argv)
{
    flags F;
    int status = parse_flags(argc, argv, &F);
    if (status)
        return status < 0 ? OT_EXIT_OK : status;
    ot_diag *diag = ot_diag_new(100);
    if (!diag)
        return OT_EXIT_INTERNAL;
    ot_twin *twin = NULL;
    ot_factors *factors = NULL;
    ot_demand_overrides overrides = {NULL, 0};
    ot_err err = ot_csv_load_network(F.network, diag, &twin, NULL);
    for (size_t i = 0; !err && i < F.event_count; i++) {
        ot_event_stats stats;
        err = ot_csv_apply_events(twin, F.events[i], diag, &stats);
    }
    if (!err && F.demand)
        err = ot_csv_load_overrides(twin, F.demand, diag, &overrides);
    if (!err && F.feed_count) {
        ot_day first = ot_twin_history_first(twin);
        size_t days = ot_twin_history_days(twin);
        ot_day from = F.has_as_of ? F.as_of : first + (ot_day)days;
        err = ot_xml_load_disruptions(F.feeds, F.feed_count, twin, NULL, from,
                                      (size_t)OT_FC_MAX_HORIZON, diag, &factors, NULL);
    }
    ot_cli_print_diag(diag);
    if (err) {
        fprintf(stderr, "omnitwin forecast: %zu error%s in the input, nothing written\n",
                ot_diag_errors(diag), ot_diag_errors(diag) == 1 ? "" : "s");
        status = ot_cli_exit_status(err);
    } else {
        status = forecast_twin(&F, twin, factors, &overrides);
    }
    ot_demand_overrides_release(&overrides);
    ot_factors_free(factors);
    ot_twin_free(twin);
    ot_diag_free(diag);
    return status;
}
