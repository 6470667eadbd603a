/*
 * `omnitwin disruptions show`: reads disruption feeds, resolves them against
 * a network and prints the factors per node, lane and day as CSV
 * (docs/DISRUPTIONS.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "csv/network_csv.h"
#include "xml/disruption_xml.h"

static const char usage_text[] =
    "usage: omnitwin disruptions show FEED... --network DIR [--from DATE] [--to DATE]\n"
    "                                 [--effects FILE] [--issued-by DATE] [--max-errors N]\n"
    "\n"
    "Reads disruption feeds — omnitwin's own XML (urn:omnitwin:disruption:1), OASIS\n"
    "CAP 1.2 alerts, DATEX II v2 situation publications; the dialect is detected\n"
    "from the root element — resolves them against the network and prints, as CSV\n"
    "on stdout, every factor that differs from normal:\n"
    "\n"
    "  date,scope,target,item,factor,value\n"
    "  2026-01-02,node,S0001,,closed,1\n"
    "  2026-01-02,node,S0004,category=beverages,demand,1.4\n"
    "  2026-01-05,node,S0003,sku=SKU00001,demand,2\n"
    "  2026-01-02,lane,DC02->S0003,,capacity,0.25\n"
    "  2026-01-02,lane,DC01->S0004,,lead_time_days,4\n"
    "\n"
    "A closed node's lanes show capacity 0. lead_time_days is the effective lead\n"
    "time, ceil(lead_time_days x factor + added days). A CAP Update or Cancel\n"
    "withdraws the alerts it references in any of the feeds; a DATEX record\n"
    "replaces an earlier version. Any error in any feed: every problem is\n"
    "reported as FILE:LINE and nothing is printed.\n"
    "\n"
    "  --network DIR     the network directory (docs/FORMATS.md)\n"
    "  --from DATE       first day shown (default: the earliest record start)\n"
    "  --to DATE         last day shown (default: the latest record end; at most\n"
    "                    3660 days after --from)\n"
    "  --effects FILE    the effects table mapping CAP/DATEX events and severities\n"
    "                    to factors (default: disruption-effects.csv from\n"
    "                    $OMNITWIN_DATA_DIR, the build tree's data/ or\n"
    "                    PREFIX/share/omnitwin/)\n"
    "  --issued-by DATE  only records issued on or before DATE (what a planner knew)\n"
    "  --max-errors N    stop after N errors (default 100)\n"
    "\n"
    "The own format is validated against disruption.xsd, found in\n"
    "$OMNITWIN_SCHEMA_DIR, the build tree's data/schemas/ or\n"
    "PREFIX/share/omnitwin/schemas/.\n"
    "\n"
    "exit status: 0 ok, 64 bad usage, 65 invalid input, 70 internal error\n"
    "example: omnitwin disruptions show data/disruptions/*.xml --network data/sample\n";

#define MAX_FEEDS 256
#define MAX_DAYS 3660

static bool parse_date_arg(const char *flag, const char *s, ot_day *out)
{
    if (ot_date_parse(s, strlen(s), out))
        return true;
    fprintf(stderr, "omnitwin disruptions: %s '%s' is not a date (expected YYYY-MM-DD)\n",
            flag, s);
    return false;
}

static void lane_name(const ot_twin *twin, ot_lane_ix l, char *buf, size_t size)
{
    ot_lane_info lane;
    ot_node_info a, b;
    ot_twin_lane(twin, l, &lane);
    ot_twin_node(twin, lane.from, &a);
    ot_twin_node(twin, lane.to, &b);
    snprintf(buf, size, "%s->%s", a.id, b.id);
}

/* Prints every non-neutral factor; returns the number of lines. */
static size_t print_factors(const ot_twin *twin, const ot_factors *f)
{
    size_t lines = 0;
    size_t nodes = ot_twin_node_count(twin), lanes = ot_twin_lane_count(twin);
    size_t cats = ot_factors_category_count(f), rules = ot_factors_sku_rule_count(f);
    ot_day first = ot_factors_first_day(f);
    printf("date,scope,target,item,factor,value\n");
    for (size_t d = 0; d < ot_factors_days(f); d++) {
        ot_day day = first + (ot_day)d;
        char date[11];
        ot_date_format(day, date);
        for (size_t n = 0; n < nodes; n++) {
            ot_node_info node;
            ot_twin_node(twin, (ot_node_ix)n, &node);
            if (ot_factors_node_closed(f, (ot_node_ix)n, day)) {
                printf("%s,node,%s,,closed,1\n", date, node.id);
                lines++;
            }
            for (size_t c = 0; c < cats; c++) {
                double x = ot_factors_demand_category(f, (ot_node_ix)n, (int32_t)c, day);
                if (x != 1.0) {
                    printf("%s,node,%s,category=%s,demand,%.6g\n", date, node.id,
                           ot_factors_category_name(f, (int32_t)c), x);
                    lines++;
                }
            }
            for (size_t i = 0; i < rules; i++) {
                ot_sku_demand_rule r;
                ot_factors_sku_rule(f, i, &r);
                if ((r.node == OT_NONE || r.node == (ot_node_ix)n) && day >= r.first &&
                    day <= r.last) {
                    ot_sku_info sku;
                    ot_twin_sku(twin, r.sku, &sku);
                    printf("%s,node,%s,sku=%s,demand,%.6g\n", date, node.id, sku.id,
                           ot_factors_demand(f, (ot_node_ix)n, r.sku, day));
                    lines++;
                }
            }
        }
        for (size_t l = 0; l < lanes; l++) {
            char name[300];
            double cap = ot_factors_lane_capacity(f, (ot_lane_ix)l, day);
            ot_lane_info lane;
            ot_twin_lane(twin, (ot_lane_ix)l, &lane);
            int32_t lead = ot_factors_lead_time_days(f, (ot_lane_ix)l, day);
            if (cap == 1.0 && lead == lane.lead_time_days)
                continue;
            lane_name(twin, (ot_lane_ix)l, name, sizeof name);
            if (cap != 1.0) {
                printf("%s,lane,%s,,capacity,%.6g\n", date, name, cap);
                lines++;
            }
            if (lead != lane.lead_time_days) {
                printf("%s,lane,%s,,lead_time_days,%d\n", date, name, (int)lead);
                lines++;
            }
        }
    }
    return lines;
}

static int show(const char *network, const char *const *feeds, size_t feed_count,
                const char *effects_path, const ot_day *from, const ot_day *to,
                ot_day issued_by, long max_errors)
{
    double t0 = 0, t1 = 0, t2 = 0;
    ot_diag *diag = ot_diag_new((size_t)max_errors);
    if (!diag)
        return OT_EXIT_INTERNAL;
    ot_twin *twin = NULL;
    ot_effects *effects = NULL;
    ot_disruption_set *set = NULL;
    ot_factors *factors = NULL;
    ot_err err = ot_csv_load_network(network, diag, &twin, NULL);
    if (err == OT_OK)
        err = ot_xml_load_effects(effects_path, diag, &effects);
    t0 = ot_cli_now_seconds();
    if (err == OT_OK)
        err = ot_xml_read_disruptions(feeds, feed_count, diag, &set);
    t1 = ot_cli_now_seconds();
    ot_resolve_stats stats = {0};
    if (err == OT_OK) {
        ot_day a = 0, b = 0;
        bool any = ot_disruption_set_span(set, &a, &b);
        if (from)
            a = *from;
        if (to)
            b = *to;
        else if (!any || b < a)
            b = a;
        if ((int64_t)b - a + 1 > MAX_DAYS) {
            ot_diag_report(diag, OT_DIAG_ERROR, NULL, 0,
                           "the window spans %lld days (expected at most %d: pass --from and "
                           "--to)", (long long)b - a + 1, MAX_DAYS);
            err = OT_ERR_LIMIT;
        } else if (b < a) {
            ot_diag_report(diag, OT_DIAG_ERROR, NULL, 0, "--to is before --from");
            err = OT_ERR_USAGE;
        } else {
            ot_resolve_options opts = {a, (size_t)(b - a + 1), issued_by};
            err = ot_disruption_resolve(set, twin, effects, &opts, diag, &factors, &stats);
        }
    }
    t2 = ot_cli_now_seconds();
    ot_cli_print_diag(diag);
    if (err == OT_OK) {
        size_t lines = print_factors(twin, factors);
        fprintf(stderr, "disruptions: %zu records applied, %zu withdrawn, %zu outside the "
                        "window; %zu node and %zu lane targets; %zu factor lines; parse %.3f s, "
                        "resolve %.3f s\n",
                stats.records, stats.withdrawn, stats.outside, stats.nodes_touched,
                stats.lanes_touched, lines,
                t1 - t0,
                t2 - t1);
    }
    ot_factors_free(factors);
    ot_disruption_set_free(set);
    ot_effects_free(effects);
    ot_twin_free(twin);
    ot_diag_free(diag);
    return ot_cli_exit_status(err);
}

int ot_cli_disruptions(int argc, char **argv)
{
    if (argc < 2 || ot_cli_is_help(argv[1])) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? OT_EXIT_USAGE : OT_EXIT_OK;
    }
    if (strcmp(argv[1], "show") != 0) {
        fprintf(stderr, "omnitwin disruptions: unknown action '%s' (expected show)\n", argv[1]);
        return OT_EXIT_USAGE;
    }
    static const struct option options[] = {
        {"network", required_argument, NULL, 'n'}, {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},      {"effects", required_argument, NULL, 'e'},
        {"issued-by", required_argument, NULL, 'i'},
        {"max-errors", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    const char *network = NULL, *effects = NULL;
    ot_day from = 0, to = 0, issued_by = INT32_MAX;
    bool has_from = false, has_to = false;
    long max_errors = 100;
    int c;
    argc--;
    argv++;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'n': network = optarg; break;
        case 'e': effects = optarg; break;
        case 'f':
            if (!parse_date_arg("--from", optarg, &from))
                return OT_EXIT_USAGE;
            has_from = true;
            break;
        case 't':
            if (!parse_date_arg("--to", optarg, &to))
                return OT_EXIT_USAGE;
            has_to = true;
            break;
        case 'i':
            if (!parse_date_arg("--issued-by", optarg, &issued_by))
                return OT_EXIT_USAGE;
            break;
        case 'm': {
            int64_t v;
            if (!ot_parse_int64(optarg, strlen(optarg), &v) || v < 1 || v > 1000000) {
                fprintf(stderr, "omnitwin disruptions: --max-errors '%s' (expected 1..1000000)\n",
                        optarg);
                return OT_EXIT_USAGE;
            }
            max_errors = (long)v;
            break;
        }
        case 'h': fputs(usage_text, stdout); return OT_EXIT_OK;
        default: fputs(usage_text, stderr); return OT_EXIT_USAGE;
        }
    }
    size_t feed_count = (size_t)(argc - optind);
    if (!network || feed_count == 0 || feed_count > MAX_FEEDS) {
        fprintf(stderr, "omnitwin disruptions show: %s\n\n",
                !network ? "--network DIR is required"
                : feed_count == 0 ? "at least one FEED file is required"
                                  : "too many feeds (expected at most 256)");
        fputs(usage_text, stderr);
        return OT_EXIT_USAGE;
    }
    return show(network, (const char *const *)argv + optind, feed_count, effects,
                has_from ? &from : NULL, has_to ? &to : NULL, issued_by, max_errors);
}
