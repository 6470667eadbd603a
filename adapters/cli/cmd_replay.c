/*
 * `omnitwin replay` (CONTRACT §7, docs/REPLAY.md): loads the network, keeps
 * its stock and open shipments as the morning of --from, applies the event
 * files (their sales become the window's recorded demand), reads the
 * disruption feeds, replays the window day by day as baseline, unforeseen
 * and foreseen, and writes OUT/kpis.csv and OUT/replay.html. Every input is
 * checked before anything is written: bad input writes nothing (exit 65).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "csv/kpis_csv.h"
#include "csv/network_csv.h"
#include "lp/glpk_solver.h"
#include "omnitwin/plan.h"
#include "omnitwin/replay.h"
#include "report/replay_html.h"
#include "xml/disruption_xml.h"

#define MAX_FILES 64
#define PATH_LEN 4096

static const char usage_text[] =
    "usage: omnitwin replay --network DIR --events FILE --disruptions FILE...\n"
    "                       --from DATE --to DATE --out OUT [--horizon DAYS]\n"
    "                       [--effects FILE] [--threads N]\n"
    "\n"
    "Replays a past window day by day through the twin (docs/REPLAY.md). Each day:\n"
    "goods due arrive, the demand is forecast from the history before that day, the\n"
    "plan is solved on the simulated stock, the orders shipping that day leave (cut\n"
    "to the origin's stock and the lane's real capacity) and travel the real lead\n"
    "time, and the recorded demand of the day is served from stock or lost.\n"
    "Three scenarios:\n"
    "  baseline    no disruption: plans and reality ignore the feeds\n"
    "  unforeseen  plans ignore the feeds, reality follows them\n"
    "  foreseen    plans use each record from the day it was issued, reality\n"
    "              follows the feeds\n"
    "and writes into OUT:\n"
    "  kpis.csv     scenario,metric,value: fill_rate, lost_units, transport_cost,\n"
    "               holding_cost, late_shipments, stockout_days\n"
    "  replay.html  the KPI table side by side, what the disruption cost, what\n"
    "               foresight saved, and daily fill rate, lost units and stock\n"
    "\n"
    "  --network DIR       the network directory (docs/FORMATS.md); its inventory.csv\n"
    "                      and pipeline.csv are the stock on the morning of --from\n"
    "  --events FILE       batch event file (repeatable): its sales and online orders\n"
    "                      are the window's recorded demand\n"
    "  --brokers HOST:PORT not built: replay reads events from --events files only\n"
    "  --disruptions FILE  disruption feed (own XML, CAP 1.2, DATEX II; repeatable)\n"
    "  --effects FILE      the CAP/DATEX effects table (default: the installed\n"
    "                      disruption-effects.csv)\n"
    "  --from DATE         first replayed day, YYYY-MM-DD, inside the demand history\n"
    "  --to DATE           last replayed day (inclusive), inside the demand history\n"
    "  --horizon DAYS      days each daily plan looks ahead, 1..92 (default 14)\n"
    "  --threads N         solver threads, 1..64 (default 2)\n"
    "  --max-errors N      stop reporting after N errors (default 100)\n"
    "  --quiet             print nothing but errors\n"
    "\n"
    "exit status: 0 replayed, 64 bad usage, 65 bad input: a bad or reversed date, a\n"
    "window outside the history, a bad network, event file or feed (nothing\n"
    "written), 70 internal or solver error\n"
    "example: omnitwin replay --network data/sample --events data/sample/events.csv \\\n"
    "           --disruptions data/disruptions/omnitwin-feed.xml \\\n"
    "           --from 2026-01-01 --to 2026-01-07 --out build/replay\n";

typedef struct {
    const char *network, *out, *effects;
    const char *events[MAX_FILES], *feeds[MAX_FILES];
    size_t n_events, n_feeds;
    const char *from_text, *to_text;
    bool quiet;
    long horizon, threads, max_errors;
} replay_args;

static int add_file(const char **list, size_t *n, const char *flag, const char *path)
{
    if (*n == MAX_FILES) {
        fprintf(stderr, "omnitwin replay: at most %d %s files\n", MAX_FILES, flag);
        return OT_EXIT_USAGE;
    }
    list[(*n)++] = path;
    return OT_EXIT_OK;
}

static int parse_args(int argc, char **argv, replay_args *a)
{
    static const struct option options[] = {
        {"network", required_argument, NULL, 'n'},  {"out", required_argument, NULL, 'o'},
        {"events", required_argument, NULL, 'e'},   {"disruptions", required_argument, NULL, 'd'},
        {"brokers", required_argument, NULL, 'b'},  {"effects", required_argument, NULL, 'E'},
        {"from", required_argument, NULL, 'f'},     {"to", required_argument, NULL, 'T'},
        {"horizon", required_argument, NULL, 'H'},  {"threads", required_argument, NULL, 't'},
        {"max-errors", required_argument, NULL, 'm'}, {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    a->horizon = 14;
    a->threads = 2;
    a->max_errors = 100;
    int c, rc = OT_EXIT_OK;
    optind = 1;
    while (rc == OT_EXIT_OK && (c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'n': a->network = optarg; break;
        case 'o': a->out = optarg; break;
        case 'E': a->effects = optarg; break;
        case 'f': a->from_text = optarg; break;
        case 'T': a->to_text = optarg; break;
        case 'q': a->quiet = true; break;
        case 'e': rc = add_file(a->events, &a->n_events, "--events", optarg); break;
        case 'd': rc = add_file(a->feeds, &a->n_feeds, "--disruptions", optarg); break;
        case 'b':
            fprintf(stderr, "omnitwin replay: --brokers: the Kafka event source is not built "
                            "for replay (expected --events FILE; docs/REPLAY.md)\n");
            return OT_EXIT_USAGE;
        case 'H':
            if (!ot_cli_parse_long("replay", "--horizon", optarg, 1, OT_PLAN_MAX_HORIZON, &a->horizon))
                return OT_EXIT_USAGE;
            break;
        case 't':
            if (!ot_cli_parse_long("replay", "--threads", optarg, 1, OT_GLPK_MAX_THREADS, &a->threads))
                return OT_EXIT_USAGE;
            break;
        case 'm':
            if (!ot_cli_parse_long("replay", "--max-errors", optarg, 1, 1000000, &a->max_errors))
                return OT_EXIT_USAGE;
            break;
        case 'h': fputs(usage_text, stdout); return -1;
        default: fputs(usage_text, stderr); return OT_EXIT_USAGE;
        }
    }
    if (rc != OT_EXIT_OK)
        return rc;
    const char *missing = optind != argc         ? "unexpected argument"
                          : !a->network          ? "--network DIR is required"
                          : !a->out              ? "--out OUT is required"
                          : !a->from_text        ? "--from DATE is required"
                          : !a->to_text          ? "--to DATE is required"
                          : a->n_events == 0     ? "--events FILE is required (the window's "
                                                   "recorded demand)"
                          : a->n_feeds == 0      ? "--disruptions FILE is required"
                                                 : NULL;
    if (missing) {
        fprintf(stderr, "omnitwin replay: %s\n\n%s", missing, usage_text);
        return OT_EXIT_USAGE;
    }
    return OT_EXIT_OK;
}

/* A bad date is bad input (exit 65), reported like every other problem. */
static bool parse_day(const char *flag, const char *s, ot_day *out, ot_diag *diag)
{
    if (ot_date_parse(s, strlen(s), out))
        return true;
    ot_diag_report(diag, OT_DIAG_ERROR, NULL, 0,
                   "replay: %s '%s' is not a date (expected YYYY-MM-DD)", flag, s);
    return false;
}

/* ---- The twin before and after the events -------------------------------- */

typedef struct {
    unsigned char *data;
    size_t len, cap;
} membuf;

static int membuf_write(void *ctx, const void *data, size_t len)
{
    membuf *b = ctx;
    if (len > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 1 << 16;
        while (len > cap - b->len) {
            if (cap > SIZE_MAX / 2)
                return -1;
            cap *= 2;
        }
        unsigned char *p = ot_realloc(b->data, cap);
        if (!p)
            return -1;
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return 0;
}

/* *start: the network as loaded (stock and pipeline on the morning of
 * --from); *history: a copy with the events applied. */
static ot_err load_twins(const replay_args *a, ot_diag *diag, ot_twin **start, ot_twin **history)
{
    ot_err err = ot_csv_load_network(a->network, diag, start, NULL);
    if (err != OT_OK)
        return err;
    membuf b = {0};
    err = ot_twin_snapshot(*start, membuf_write, &b);
    if (err == OT_OK)
        err = ot_twin_restore(b.data, b.len, history);
    ot_free(b.data);
    for (size_t i = 0; err == OT_OK && i < a->n_events; i++)
        err = ot_csv_apply_events(*history, a->events[i], diag, NULL);
    return err;
}

/* ---- Outputs ------------------------------------------------------------- */

static ot_err write_outputs(const replay_args *a, const ot_replay *r, const ot_twin *twin,
                            const ot_disruption_set *feed, ot_diag *diag)
{
    char path[PATH_LEN];
    ot_err err = ot_cli_make_dir(a->out, diag);
    if (err == OT_OK) {
        if ((size_t)snprintf(path, sizeof path, "%s/kpis.csv", a->out) >= sizeof path)
            return OT_ERR_IO;
        err = ot_csv_write_kpis(path, r, diag);
    }
    if (err == OT_OK) {
        if ((size_t)snprintf(path, sizeof path, "%s/replay.html", a->out) >= sizeof path)
            return OT_ERR_IO;
        err = ot_report_replay_html_write(path, r, twin, feed, a->network, diag);
    }
    return err;
}

static void print_table(const replay_args *a, const ot_replay *r, double seconds)
{
    char from[11], to[11];
    ot_date_format(ot_replay_from(r), from);
    ot_date_format(ot_replay_from(r) + (ot_day)ot_replay_day_count(r) - 1, to);
    printf("replay %s..%s: %zu days, horizon %d, %zu disruption record%s in the window\n", from,
           to, ot_replay_day_count(r), (int)ot_replay_horizon(r), ot_replay_feed_records(r),
           ot_replay_feed_records(r) == 1 ? "" : "s");
    printf("  %-16s", "metric");
    for (int sc = 0; sc < OT_REPLAY_SCENARIOS; sc++)
        printf(" %14s", ot_replay_scenario_name((ot_replay_scenario)sc));
    printf("\n");
    for (size_t m = 0; m < OT_REPLAY_METRICS; m++) {
        printf("  %-16s", ot_replay_metric_name(m));
        for (int sc = 0; sc < OT_REPLAY_SCENARIOS; sc++) {
            char v[64];
            ot_csv_kpi_value(m, ot_replay_metric(ot_replay_get_kpis(r, (ot_replay_scenario)sc), m),
                             v, sizeof v);
            printf(" %14s", v);
        }
        printf("\n");
    }
    const ot_replay_kpis *base = ot_replay_get_kpis(r, OT_REPLAY_BASELINE),
                         *unf = ot_replay_get_kpis(r, OT_REPLAY_UNFORESEEN),
                         *fore = ot_replay_get_kpis(r, OT_REPLAY_FORESEEN);
    printf("  the disruption cost %.0f lost units; foresight saved %.0f of them\n",
           unf->lost_units - base->lost_units, unf->lost_units - fore->lost_units);
    long long plans = (long long)(base->plans + unf->plans + fore->plans);
    long long shared = (long long)(unf->shared_plans + fore->shared_plans);
    long long relaxed = (long long)(base->relaxed_plans + unf->relaxed_plans +
                                    fore->relaxed_plans);
    printf("  %lld plans solved (%lld more shared by scenarios with the same morning, %lld "
           "re-planned without node capacities) in %.2f s\n",
           plans - shared, shared, relaxed, seconds);
    printf("  wrote %s/kpis.csv, %s/replay.html\n", a->out, a->out);
}

static void progress(void *ctx, size_t done, size_t total)
{
    (void)ctx;
    ot_cli_progress("replay", done, total);
}

int ot_cli_replay(int argc, char **argv)
{
    replay_args a;
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
    ot_twin *start = NULL, *history = NULL;
    ot_disruption_set *feed = NULL;
    ot_effects *effects = NULL;
    ot_replay *r = NULL;
    ot_day from = 0, to = 0;
    bool dates_ok = parse_day("--from", a.from_text, &from, diag);
    dates_ok = parse_day("--to", a.to_text, &to, diag) && dates_ok;
    ot_err err = load_twins(&a, diag, &start, &history);
    ot_err err2 = ot_xml_load_effects(a.effects, diag, &effects);
    ot_err err3 = ot_xml_read_disruptions(a.feeds, a.n_feeds, diag, &feed);
    if (err == OT_OK)
        err = err2 != OT_OK ? err2 : err3;
    if (err == OT_OK && !dates_ok)
        err = OT_ERR_INPUT;
    if (err == OT_OK) {
        ot_replay_input in = {.history = history, .start = start, .feed = feed,
                              .effects = effects, .from = from, .to = to,
                              .horizon_days = (int32_t)a.horizon, .progress = progress};
        err = ot_replay_run(&in, &solver, diag, &r);
        ot_cli_progress_end();
    }
    if (err == OT_OK)
        err = write_outputs(&a, r, history, feed, diag);
    ot_cli_print_diag(diag);
    if (err == OT_OK && !a.quiet)
        print_table(&a, r, ot_cli_now_seconds() - t0);
    if (err != OT_OK)
        fprintf(stderr, "omnitwin replay: %s (%zu error%s)%s\n", ot_err_str(err),
                ot_diag_errors(diag), ot_diag_errors(diag) == 1 ? "" : "s",
                err == OT_ERR_IO ? "" : ", nothing written");
    ot_replay_free(r);
    ot_disruption_set_free(feed);
    ot_effects_free(effects);
    ot_twin_free(history);
    ot_twin_free(start);
    ot_diag_free(diag);
    ot_glpk_free(glpk);
    return ot_cli_exit_status(err);
}
