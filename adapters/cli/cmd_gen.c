/* `omnitwin gen`: writes a synthetic network directory (CONTRACT §2, §3,
 * §8; docs/GENERATOR.md). The model is engine/gen_*.c; this file parses the
 * flags and formats the rows itself into a large buffer written with fwrite
 * (history can be hundreds of millions of rows). Each file is written as
 * NAME.tmp and renamed into place when complete. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "omnitwin/gen.h"

#define OUT_BUFFER (1u << 20)
#define ROW_MAX 256                  /* longest row of ours, with slack */
#define PATH_MAX_LEN 4096

static const char usage_text[] =
    "usage: omnitwin gen --out DIR [--dcs N] [--stores N] [--skus N] [--days N]\n"
    "                    [--seed S] [--suppliers N] [--start DATE] [--event-days N]\n"
    "\n"
    "Writes a synthetic network directory (docs/GENERATOR.md): nodes.csv, skus.csv,\n"
    "routes.csv, inventory.csv, history.csv, pipeline.csv, policy.csv and events.csv.\n"
    "The same flags and seed always give the same bytes.\n"
    "\n"
    "  --out DIR         directory to write (created with its parents if missing;\n"
    "                    our files in it are replaced)\n"
    "  --suppliers N     suppliers SUP01.. (default 2)\n"
    "  --dcs N           distribution centres DC01.. (default 2)\n"
    "  --stores N        stores S0001.. (default 20)\n"
    "  --skus N          SKUs SKU00001.. (default 100)\n"
    "  --days N          days of demand history (default 365)\n"
    "  --start DATE      first history day, YYYY-MM-DD (default 2025-01-01)\n"
    "  --event-days N    days of events after the history (default 7, 0: none)\n"
    "  --seed S          random seed, a whole number >= 0 (default 1)\n"
    "\n"
    "Demand (stores only): store sizes, a long tail of SKU popularity, weekend\n"
    "peaks, trends, promotions, and 30-50% intermittent slow movers. history.csv\n"
    "lists only non-zero days, sorted by store, SKU, date. Opening stock is as of\n"
    "the day after the history; open shipments arrive within its first week.\n"
    "\n"
    "example:\n"
    "  omnitwin gen --out data/sample --suppliers 1 --dcs 2 --stores 12 \\\n"
    "               --skus 40 --days 365 --seed 42\n"
    "\n"
    "exit status: 0 written, 64 bad flags, 70 a file could not be written.\n";

/* ---- Buffered file writing ------------------------------------------------ */

typedef struct {
    FILE *f;
    char *buf;
    size_t len;
    char path[PATH_MAX_LEN], tmp[PATH_MAX_LEN];
    uint64_t bytes, rows;
    bool failed;
} writer;

static bool w_open(writer *w, const char *dir, const char *name)
{
    memset(w, 0, sizeof *w);
    int a = snprintf(w->path, sizeof w->path, "%s/%s", dir, name);
    int b = snprintf(w->tmp, sizeof w->tmp, "%s/%s.tmp", dir, name);
    if (a < 0 || b < 0 || (size_t)b >= sizeof w->tmp) {
        fprintf(stderr, "omnitwin gen: output path too long: %s/%s\n", dir, name);
        return false;
    }
    w->buf = malloc(OUT_BUFFER);
    w->f = w->buf ? fopen(w->tmp, "wb") : NULL;
    if (!w->f) {
        fprintf(stderr, "omnitwin gen: cannot create %s: %s\n", w->tmp, strerror(errno));
        free(w->buf);
        w->buf = NULL;
        return false;
    }
    return true;
}

static void w_flush(writer *w)
{
    if (w->len && !w->failed && fwrite(w->buf, 1, w->len, w->f) != w->len)
        w->failed = true;
    w->bytes += w->len;
    w->len = 0;
}

/* Room for one row of up to ROW_MAX bytes at the end of the buffer. */
static char *w_row(writer *w)
{
    if (w->len + ROW_MAX > OUT_BUFFER)
        w_flush(w);
    w->rows++;
    return w->buf + w->len;
}

static void w_end(writer *w, const char *end) { w->len = (size_t)(end - w->buf); }

/* Closes and renames into place; false (reported) on any write error. */
static bool w_close(writer *w, bool keep)
{
    if (!w->f)
        return false;
    w_flush(w);
    int saved = errno;
    bool ok = !w->failed && fflush(w->f) == 0;
    if (!ok)
        saved = errno;
    ok = fclose(w->f) == 0 && ok;
    w->f = NULL;
    free(w->buf);
    w->buf = NULL;
    if (ok && keep && rename(w->tmp, w->path) != 0) {
        saved = errno;
        ok = false;
    }
    if (!ok || !keep)
        remove(w->tmp);
    if (!ok && keep)
        fprintf(stderr, "omnitwin gen: cannot write %s: %s\n", w->path, strerror(saved));
    return ok;
}

static char *put(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

static char *put_uint(char *p, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static char *put_int(char *p, int64_t v)
{
    if (v < 0) {
        *p++ = '-';
        return put_uint(p, (uint64_t)0 - (uint64_t)v);
    }
    return put_uint(p, (uint64_t)v);
}

/* A fixed-point number with at most `decimals` digits, trailing zeros
 * dropped: 12.5, 0.0007, -97.1234, 300. */
static char *put_fixed(char *p, double v, int decimals)
{
    int64_t scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    int64_t q = (int64_t)(v * (double)scale + (v < 0 ? -0.5 : 0.5));
    if (q < 0) {
        *p++ = '-';
        q = -q;
    }
    p = put_uint(p, (uint64_t)(q / scale));
    int64_t frac = q % scale;
    if (frac) {
        *p++ = '.';
        for (int64_t div = scale / 10; frac && div; div /= 10) {
            *p++ = (char)('0' + frac / div);
            frac %= div;
        }
    }
    return p;
}

/* The same, each followed by a comma. */
static char *put_f(char *p, const char *s)
{
    p = put(p, s);
    *p = ',';
    return p + 1;
}

static char *put_int_f(char *p, int64_t v)
{
    p = put_int(p, v);
    *p = ',';
    return p + 1;
}

static char *put_fixed_f(char *p, double v, int decimals)
{
    p = put_fixed(p, v, decimals);
    *p = ',';
    return p + 1;
}

static char *put_event_id(char *p, uint64_t id)
{
    char digits[24];
    char *end = put_uint(digits, id);
    size_t n = (size_t)(end - digits);
    *p++ = 'E';
    for (size_t i = n; i < 10; i++)
        *p++ = '0';
    memcpy(p, digits, n);
    return p + n;
}

/* ---- The files ------------------------------------------------------------- */

typedef struct {
    const ot_gen *g;
    const char *dir;
    char (*dates)[11];               /* day t -> "YYYY-MM-DD" */
    uint64_t bytes, history_rows, events;
} gen_run;

static bool write_nodes(gen_run *run)
{
    writer w;
    if (!w_open(&w, run->dir, "nodes.csv"))
        return false;
    char *p = put(w_row(&w), "node_id,kind,region,lat,lon,capacity\n");
    w_end(&w, p);
    for (size_t n = 0; n < ot_gen_node_count(run->g); n++) {
        const ot_gen_node *x = ot_gen_node_at(run->g, (int32_t)n);
        p = put_f(w_row(&w), x->id);
        p = put_f(p, ot_node_kind_name(x->kind));
        p = put_f(p, x->region);
        p = put_fixed_f(p, x->lat, 4);
        p = put_fixed_f(p, x->lon, 4);
        if (x->capacity > 0)
            p = put_fixed(p, x->capacity, 0);
        *p++ = '\n';
        w_end(&w, p);
    }
    run->bytes += w.bytes + w.len;
    return w_close(&w, true);
}

static bool write_skus(gen_run *run)
{
    writer w;
    if (!w_open(&w, run->dir, "skus.csv"))
        return false;
    w_end(&w, put(w_row(&w),
                  "sku,category,unit_cost,holding_cost,stockout_cost,case_pack,volume\n"));
    for (size_t s = 0; s < ot_gen_sku_count(run->g); s++) {
        const ot_gen_sku *k = ot_gen_sku_at(run->g, (int32_t)s);
        char *p = put_f(w_row(&w), k->id);
        p = put_f(p, ot_gen_category_name(k->category));
        p = put_fixed_f(p, k->unit_cost, 2);
        p = put_fixed_f(p, k->holding_cost, 4);
        p = put_fixed_f(p, k->stockout_cost, 2);
        p = put_int_f(p, k->case_pack);
        p = put_fixed(p, k->volume, 2);
        *p++ = '\n';
        w_end(&w, p);
    }
    run->bytes += w.bytes + w.len;
    return w_close(&w, true);
}

static bool write_routes(gen_run *run)
{
    writer w;
    if (!w_open(&w, run->dir, "routes.csv"))
        return false;
    w_end(&w, put(w_row(&w), "from,to,lead_time_days,cost_per_unit,capacity_per_day,mode\n"));
    for (size_t l = 0; l < ot_gen_lane_count(run->g); l++) {
        const ot_gen_lane *x = ot_gen_lane_at(run->g, l);
        char *p = put_f(w_row(&w), ot_gen_node_at(run->g, x->from)->id);
        p = put_f(p, ot_gen_node_at(run->g, x->to)->id);
        p = put_int_f(p, x->lead_time_days);
        p = put_fixed_f(p, x->cost_per_unit, 2);
        p = put_fixed_f(p, x->capacity_per_day, 0);
        p = put(p, x->mode);
        *p++ = '\n';
        w_end(&w, p);
    }
    run->bytes += w.bytes + w.len;
    return w_close(&w, true);
}

/* inventory.csv (DC and store pairs), pipeline.csv and policy.csv (store
 * pairs) in one pass over the pairs. */
static bool write_stock(gen_run *run)
{
    const ot_gen *g = run->g;
    const ot_gen_params *prm = ot_gen_params_of(g);
    const char *as_of = run->dates[prm->days];
    writer inv, pipe, pol;
    bool ok = w_open(&inv, run->dir, "inventory.csv");
    if (ok && !w_open(&pipe, run->dir, "pipeline.csv")) {
        w_close(&inv, false);
        ok = false;
    }
    if (ok && !w_open(&pol, run->dir, "policy.csv")) {
        w_close(&inv, false);
        w_close(&pipe, false);
        ok = false;
    }
    if (!ok)
        return false;
    w_end(&inv, put(w_row(&inv), "node_id,sku,on_hand,as_of\n"));
    w_end(&pipe, put(w_row(&pipe), "order_id,from,to,sku,qty,arrive_date\n"));
    w_end(&pol, put(w_row(&pol), "node_id,sku,service_level,min_units,max_units\n"));
    int32_t first = prm->suppliers, end = (int32_t)ot_gen_node_count(g);
    for (int32_t n = first; n < end; n++) {
        const char *node = ot_gen_node_at(g, n)->id;
        int32_t k = n - prm->suppliers - prm->dcs;
        for (int32_t s = 0; s < prm->skus; s++) {
            const char *sku = ot_gen_sku_at(g, s)->id;
            char *p = put_f(w_row(&inv), node);
            p = put_f(p, sku);
            p = put_int_f(p, ot_gen_opening_stock(g, n, s));
            p = put(p, as_of);
            *p++ = '\n';
            w_end(&inv, p);
            ot_gen_pipeline line;
            if (ot_gen_pipeline_line(g, n, s, &line)) {
                p = put_f(w_row(&pipe), line.order_id);
                p = put_f(p, ot_gen_node_at(g, line.from)->id);
                p = put_f(p, node);
                p = put_f(p, sku);
                p = put_int_f(p, line.qty);
                p = put(p, run->dates[line.arrive_day]);
                *p++ = '\n';
                w_end(&pipe, p);
            }
            if (k >= 0) {
                ot_gen_policy policy;
                ot_gen_policy_of(g, k, s, &policy);
                p = put_f(w_row(&pol), node);
                p = put_f(p, sku);
                p = put_fixed_f(p, policy.service_level, 2);
                p = put_int_f(p, policy.min_units);
                p = put_int(p, policy.max_units);
                *p++ = '\n';
                w_end(&pol, p);
            }
        }
    }
    run->bytes += inv.bytes + inv.len + pipe.bytes + pipe.len + pol.bytes + pol.len;
    ok = w_close(&inv, true);
    ok = w_close(&pipe, ok) && ok;
    ok = w_close(&pol, ok) && ok;
    return ok;
}

/* history.csv: streamed series by series (store, SKU), non-zero days only. */
static bool write_history(gen_run *run)
{
    const ot_gen *g = run->g;
    const ot_gen_params *prm = ot_gen_params_of(g);
    int32_t *series = malloc((size_t)prm->days * sizeof *series);
    writer w;
    if (!series || !w_open(&w, run->dir, "history.csv")) {
        if (!series)
            fprintf(stderr, "omnitwin gen: out of memory\n");
        free(series);
        return false;
    }
    w_end(&w, put(w_row(&w), "date,node_id,sku,qty\n"));
    w.rows = 0;
    for (int32_t k = 0; k < prm->stores && !w.failed; k++) {
        const char *node = ot_gen_node_at(g, ot_gen_store_node(g, k))->id;
        size_t node_len = strlen(node);
        for (int32_t s = 0; s < prm->skus; s++) {
            const char *sku = ot_gen_sku_at(g, s)->id;
            size_t sku_len = strlen(sku);
            ot_gen_demand_series(g, k, s, 0, prm->days, series);
            for (int32_t t = 0; t < prm->days; t++) {
                if (!series[t])
                    continue;
                char *p = w_row(&w);
                memcpy(p, run->dates[t], 10);
                p[10] = ',';
                memcpy(p + 11, node, node_len);
                p += 11 + node_len;
                *p++ = ',';
                memcpy(p, sku, sku_len);
                p += sku_len;
                *p++ = ',';
                p = put_uint(p, (uint64_t)series[t]);
                *p++ = '\n';
                w_end(&w, p);
            }
        }
        ot_cli_progress("gen: history stores", (unsigned long long)k + 1,
                        (unsigned long long)prm->stores);
    }
    ot_cli_progress_end();
    free(series);
    run->history_rows = w.rows;
    run->bytes += w.bytes + w.len;
    return w_close(&w, true);
}

static char *put_ts(char *p, const gen_run *run, ot_ts ts)
{
    const ot_gen_params *prm = ot_gen_params_of(run->g);
    ot_day day = ot_ts_day(ts);
    int64_t rest = ts - (int64_t)day * 86400;
    memcpy(p, run->dates[day - prm->start], 10);
    p += 10;
    int hh = (int)(rest / 3600), mm = (int)(rest / 60 % 60), ss = (int)(rest % 60);
    *p++ = 'T';
    *p++ = (char)('0' + hh / 10), *p++ = (char)('0' + hh % 10), *p++ = ':';
    *p++ = (char)('0' + mm / 10), *p++ = (char)('0' + mm % 10), *p++ = ':';
    *p++ = (char)('0' + ss / 10), *p++ = (char)('0' + ss % 10), *p++ = 'Z';
    return p;
}

static void put_event(writer *w, const gen_run *run, const ot_gen_event *e)
{
    const ot_gen *g = run->g;
    char *p = put_event_id(w_row(w), e->id);
    *p++ = ',';
    p = put_ts(p, run, e->ts);
    *p++ = ',';
    p = put_f(p, ot_event_type_name(e->type));
    p = put_f(p, ot_gen_node_at(g, e->node)->id);
    p = put_f(p, ot_gen_sku_at(g, e->sku)->id);
    p = put_int_f(p, e->qty);
    ot_gen_pipeline line;
    if (e->ref_node >= 0)
        p = put(p, ot_gen_node_at(g, e->ref_node)->id);
    else if (e->ref_event)
        p = put_event_id(p, e->ref_event);
    else if (e->ref_pipeline_node >= 0 &&
             ot_gen_pipeline_line(g, e->ref_pipeline_node, e->sku, &line))
        p = put(p, line.order_id);
    *p++ = '\n';
    w_end(w, p);
}

static int write_events(gen_run *run)
{
    const ot_gen *g = run->g;
    const ot_gen_params *prm = ot_gen_params_of(g);
    ot_gen_sim *sim = NULL;
    writer w;
    ot_err err = prm->event_days > 0 ? ot_gen_sim_new(g, &sim) : OT_OK;
    if (err) {
        fprintf(stderr, "omnitwin gen: cannot simulate events: %s\n", ot_err_str(err));
        return OT_EXIT_INTERNAL;
    }
    if (!w_open(&w, run->dir, "events.csv")) {
        ot_gen_sim_free(sim);
        return OT_EXIT_INTERNAL;
    }
    w_end(&w, put(w_row(&w), "event_id,ts,type,node_id,sku,qty,ref\n"));
    w.rows = 0;
    for (int32_t e = 0; e < prm->event_days && !err; e++) {
        const ot_gen_event *events;
        size_t count;
        err = ot_gen_sim_day(sim, e, &events, &count);
        for (size_t i = 0; !err && i < count; i++)
            put_event(&w, run, &events[i]);
        ot_cli_progress("gen: event days", (unsigned long long)e + 1,
                        (unsigned long long)prm->event_days);
    }
    ot_cli_progress_end();
    ot_gen_sim_free(sim);
    run->events = w.rows;
    run->bytes += w.bytes + w.len;
    if (err) {
        fprintf(stderr, "omnitwin gen: cannot simulate events: %s\n", ot_err_str(err));
        w_close(&w, false);
        return OT_EXIT_INTERNAL;
    }
    return w_close(&w, true) ? OT_EXIT_OK : OT_EXIT_INTERNAL;
}

/* ---- Flags ------------------------------------------------------------------ */

static bool parse_count(const char *flag, const char *v, int32_t *out)
{
    int64_t x;
    if (!ot_parse_int64(v, strlen(v), &x) || x < 0 || x > INT32_MAX) {
        fprintf(stderr, "omnitwin gen: %s '%s' is not a whole number (expected e.g. %s 10)\n",
                flag, v, flag);
        return false;
    }
    *out = (int32_t)x;
    return true;
}

static int parse_flags(int argc, char **argv, ot_gen_params *p, const char **dir)
{
    *dir = NULL;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (ot_cli_is_help(arg)) {
            fputs(usage_text, stdout);
            return -1;
        }
        static const char *const flags[] = {"--out", "--suppliers", "--dcs", "--stores",
                                            "--skus", "--days", "--seed", "--start",
                                            "--event-days"};
        const char *value = NULL, *name = NULL;
        char flag[32];
        for (size_t f = 0; f < OT_ARRAY_LEN(flags) && !name; f++) {
            size_t n = strlen(flags[f]);
            if (strncmp(arg, flags[f], n) == 0 && arg[n] == '=') {
                name = flags[f];
                value = arg + n + 1;
            } else if (strcmp(arg, flags[f]) == 0) {
                name = flags[f];
                if (i + 1 >= argc) {
                    fprintf(stderr, "omnitwin gen: %s needs a value (see omnitwin gen --help)\n", name);
                    return OT_EXIT_USAGE;
                }
                value = argv[++i];
            }
        }
        if (!name) {
            fprintf(stderr, "omnitwin gen: unknown argument '%s' (see omnitwin gen --help)\n", arg);
            return OT_EXIT_USAGE;
        }
        snprintf(flag, sizeof flag, "%s", name);
        bool ok = true;
        if (strcmp(flag, "--out") == 0) {
            *dir = value;
            ok = *value != '\0';
            if (!ok)
                fprintf(stderr, "omnitwin gen: --out is empty (expected a directory)\n");
        } else if (strcmp(flag, "--suppliers") == 0) {
            ok = parse_count(flag, value, &p->suppliers);
        } else if (strcmp(flag, "--dcs") == 0) {
            ok = parse_count(flag, value, &p->dcs);
        } else if (strcmp(flag, "--stores") == 0) {
            ok = parse_count(flag, value, &p->stores);
        } else if (strcmp(flag, "--skus") == 0) {
            ok = parse_count(flag, value, &p->skus);
        } else if (strcmp(flag, "--days") == 0) {
            ok = parse_count(flag, value, &p->days);
        } else if (strcmp(flag, "--event-days") == 0) {
            ok = parse_count(flag, value, &p->event_days);
        } else if (strcmp(flag, "--seed") == 0) {
            int64_t seed;
            ok = ot_parse_int64(value, strlen(value), &seed) && seed >= 0;
            if (ok)
                p->seed = (uint64_t)seed;
            else
                fprintf(stderr, "omnitwin gen: --seed '%s' is not a whole number >= 0 "
                                "(expected e.g. --seed 42)\n", value);
        } else {
            ok = ot_date_parse(value, strlen(value), &p->start);
            if (!ok)
                fprintf(stderr, "omnitwin gen: --start '%s' is not a date (expected "
                                "YYYY-MM-DD from 1900-01-01 to 9989-01-01)\n", value);
        }
        if (!ok)
            return OT_EXIT_USAGE;
    }
    if (!*dir) {
        fprintf(stderr, "omnitwin gen: --out DIR is required (see omnitwin gen --help)\n");
        return OT_EXIT_USAGE;
    }
    return OT_EXIT_OK;
}

/* mkdir -p: creates dir and its missing parents; false (reported) when one
 * cannot be made. */
static bool make_dirs(const char *dir)
{
    char path[PATH_MAX_LEN];
    size_t len = strlen(dir);
    if (len >= sizeof path) {
        fprintf(stderr, "omnitwin gen: --out path is too long (expected under %d bytes)\n",
                PATH_MAX_LEN);
        return false;
    }
    memcpy(path, dir, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        char saved = path[i];
        path[i] = '\0';
        struct stat st;
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "omnitwin gen: cannot create directory %s: %s\n", path,
                    strerror(errno));
            return false;
        }
        if (saved == '\0' && (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))) {
            fprintf(stderr, "omnitwin gen: %s is not a directory (expected a directory for "
                            "--out)\n", path);
            return false;
        }
        path[i] = saved;
    }
    return true;
}

int ot_cli_gen(int argc, char **argv)
{
    ot_gen_params p;
    const char *dir;
    ot_gen_params_default(&p);
    int status = parse_flags(argc, argv, &p, &dir);
    if (status)
        return status < 0 ? OT_EXIT_OK : status;
    char why[256];
    ot_gen *g = NULL;
    ot_err err = ot_gen_new(&p, &g, why, sizeof why);
    if (err == OT_ERR_USAGE) {
        fprintf(stderr, "omnitwin gen: %s\n", why);
        return OT_EXIT_USAGE;
    }
    if (err) {
        fprintf(stderr, "omnitwin gen: %s\n", ot_err_str(err));
        return ot_cli_exit_status(err);
    }
    if (!make_dirs(dir)) {
        ot_gen_free(g);
        return OT_EXIT_INTERNAL;
    }
    double t0 = ot_cli_now_seconds();
    /* Dates up to the last event day and the last pipeline arrival. */
    int32_t total_days = p.days + (p.event_days > 7 ? p.event_days : 7) + 1;
    gen_run run = {.g = g, .dir = dir, .dates = malloc((size_t)total_days * sizeof *run.dates)};
    if (!run.dates) {
        fprintf(stderr, "omnitwin gen: out of memory\n");
        ot_gen_free(g);
        return OT_EXIT_INTERNAL;
    }
    for (int32_t t = 0; t < total_days; t++)
        ot_date_format(p.start + t, run.dates[t]);
    bool ok = write_nodes(&run) && write_skus(&run) && write_routes(&run) &&
              write_stock(&run) && write_history(&run);
    status = ok ? write_events(&run) : OT_EXIT_INTERNAL;
    double t1 = ot_cli_now_seconds();
    if (status == OT_EXIT_OK)
        printf("wrote %s: %zu nodes, %zu SKUs, %zu lanes, %llu history rows, %llu events, "
               "%.1f MB in %.1f s\n",
               dir, ot_gen_node_count(g), ot_gen_sku_count(g), ot_gen_lane_count(g),
               (unsigned long long)run.history_rows, (unsigned long long)run.events,
               (double)run.bytes / 1e6,
               t1 - t0);
    free(run.dates);
    ot_gen_free(g);
    return status;
}
