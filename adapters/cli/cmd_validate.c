/*
 * `omnitwin validate`: loads a network directory, applies event files,
 * and prints the twin's summary; every problem in the inputs is reported
 * as FILE:LINE and the exit status is 65.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "csv/network_csv.h"
#include "xml/disruption_xml.h"

static const char usage_text[] =
    "usage: omnitwin validate --network DIR [--events FILE]... [--disruptions FILE]...\n"
    "                         [--effects FILE] [--max-errors N] [--print-digest] [--quiet]\n"
    "\n"
    "Checks a network directory (nodes.csv, skus.csv, routes.csv and the optional\n"
    "inventory.csv, history.csv, pipeline.csv, policy.csv) and event files, and\n"
    "prints a summary of the twin they make. Every problem is reported on stderr\n"
    "as FILE:LINE: what is wrong (what was expected); nothing is changed.\n"
    "\n"
    "  --network DIR    the network directory (docs/FORMATS.md)\n"
    "  --events FILE    a batch event file to apply after loading (repeatable;\n"
    "                   header event_id,ts,type,node_id,sku,qty,ref)\n"
    "  --disruptions FILE  a disruption feed to check against the network\n"
    "                   (repeatable; omnitwin's own XML, CAP 1.2 or DATEX II;\n"
    "                   docs/DISRUPTIONS.md): parsed safely, schema-checked,\n"
    "                   resolved to factors, every problem reported by line\n"
    "  --effects FILE   the effects table for CAP and DATEX records (default:\n"
    "                   data/disruption-effects.csv of the installation)\n"
    "  --max-errors N   stop after N errors (default 100)\n"
    "  --print-digest   print the twin's state digest (for comparing twins)\n"
    "  --quiet          print nothing but errors\n"
    "\n"
    "exit status: 0 valid, 64 bad usage, 65 invalid input, 70 internal error\n"
    "example: omnitwin validate --network data/sample --events data/sample/events.csv \\\n"
    "           --disruptions data/disruptions/cap-winter-storm.xml\n";

static void print_summary(const char *dir, const ot_twin *twin, const ot_csv_load_stats *load,
                          double load_seconds)
{
    size_t kinds[3] = {0, 0, 0};
    size_t nodes = ot_twin_node_count(twin), skus = ot_twin_sku_count(twin);
    for (size_t n = 0; n < nodes; n++) {
        ot_node_info info;
        ot_twin_node(twin, (ot_node_ix)n, &info);
        kinds[info.kind]++;
    }
    long long on_hand = 0, negative = 0, in_transit = 0, demand = 0;
    size_t with_policy = 0, with_demand = 0;
    ot_day first = ot_twin_history_first(twin);
    size_t days = ot_twin_history_days(twin);
    for (size_t n = 0; n < nodes; n++)
        for (size_t s = 0; s < skus; s++) {
            int64_t oh = ot_twin_on_hand(twin, (ot_node_ix)n, (ot_sku_ix)s);
            on_hand += oh > 0 ? oh : 0;
            negative += oh < 0;
            in_transit += ot_twin_in_transit(twin, (ot_node_ix)n, (ot_sku_ix)s);
            ot_policy_info pol;
            ot_twin_policy(twin, (ot_node_ix)n, (ot_sku_ix)s, &pol);
            with_policy += !isnan(pol.service_level);
            if (ot_twin_has_demand(twin, (ot_node_ix)n, (ot_sku_ix)s)) {
                with_demand++;
                for (size_t d = 0; d < days; d++)
                    demand += ot_twin_demand(twin, (ot_node_ix)n, (ot_sku_ix)s, first + (ot_day)d);
            }
        }
    size_t open_lines = 0;
    for (size_t i = 0; i < ot_twin_pipeline_count(twin); i++) {
        ot_pipeline_info line;
        ot_twin_pipeline(twin, i, &line);
        open_lines += line.open;
    }
    size_t pairs = nodes * skus;
    char a[11], b[11];
    ot_date_format(first, a);
    ot_date_format(first + (ot_day)(days ? days - 1 : 0), b);
    printf("network %s: valid\n", dir);
    printf("  nodes     %zu (%zu supplier, %zu dc, %zu store)\n", nodes, kinds[0], kinds[1], kinds[2]);
    printf("  skus      %zu\n", skus);
    printf("  lanes     %zu\n", ot_twin_lane_count(twin));
    printf("  pairs     %zu node-SKU pairs, %zu with demand history, %zu with a service level\n",
           pairs, with_demand, with_policy);
    printf("  stock     %lld units on hand (%lld pairs below zero), %lld in transit on %zu open "
           "pipeline lines\n", on_hand, negative, in_transit, open_lines);
    if (days)
        printf("  history   %zu days, %s to %s, %lld units of demand\n", days, a, b, demand);
    else
        printf("  history   none\n");
    printf("  load      %.1f MB, %llu rows in %.2f s (%.0f MB/s)\n", (double)load->bytes / 1e6,
           (unsigned long long)load->rows, load_seconds,
           load_seconds > 0 ? (double)load->bytes / 1e6 / load_seconds : 0.0);
    size_t twin_bytes = ot_twin_memory_bytes(twin), hist_bytes = ot_twin_history_bytes(twin);
    printf("  memory    twin %.1f MB (%.1f bytes a pair), history %.1f MB (%.2f bytes a pair-day)\n",
           (double)twin_bytes / 1e6, pairs ? (double)twin_bytes / (double)pairs : 0.0,
           (double)hist_bytes / 1e6,
           pairs && days ? (double)hist_bytes / (double)pairs / (double)days : 0.0);
}

int ot_cli_validate(int argc, char **argv)
{
    static const struct option options[] = {
        {"network", required_argument, NULL, 'n'},
        {"events", required_argument, NULL, 'e'},
        {"disruptions", required_argument, NULL, 'x'},
        {"effects", required_argument, NULL, 'f'},
        {"max-errors", required_argument, NULL, 'm'},
        {"print-digest", no_argument, NULL, 'd'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *network = NULL;
    const char *events[64], *feeds[64], *effects = NULL;
    size_t event_count = 0, feed_count = 0;
    long max_errors = 100;
    bool print_digest = false, quiet = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'n': network = optarg; break;
        case 'e':
            if (event_count == OT_ARRAY_LEN(events)) {
                fprintf(stderr, "omnitwin validate: at most %zu --events files\n",
                        OT_ARRAY_LEN(events));
                return OT_EXIT_USAGE;
            }
            events[event_count++] = optarg;
            break;
        case 'x':
            if (feed_count == OT_ARRAY_LEN(feeds)) {
                fprintf(stderr, "omnitwin validate: at most %zu --disruptions files\n",
                        OT_ARRAY_LEN(feeds));
                return OT_EXIT_USAGE;
            }
            feeds[feed_count++] = optarg;
            break;
        case 'f': effects = optarg; break;
        case 'm': {
            char *end;
            max_errors = strtol(optarg, &end, 10);
            if (*end || max_errors < 1) {
                fprintf(stderr, "omnitwin validate: --max-errors '%s' is not a positive number\n",
                        optarg);
                return OT_EXIT_USAGE;
            }
            break;
        }
        case 'd': print_digest = true; break;
        case 'q': quiet = true; break;
        case 'h': fputs(usage_text, stdout); return OT_EXIT_OK;
        default: fputs(usage_text, stderr); return OT_EXIT_USAGE;
        }
    }
    if (!network || optind != argc) {
        fprintf(stderr, "omnitwin validate: %s\n\n%s",
                network ? "unexpected argument" : "--network DIR is required", usage_text);
        return OT_EXIT_USAGE;
    }
    ot_diag *diag = ot_diag_new((size_t)max_errors);
    if (!diag)
        return OT_EXIT_INTERNAL;
    double start = ot_cli_now_seconds();
    ot_twin *twin = NULL;
    ot_csv_load_stats load;
    ot_err err = ot_csv_load_network(network, diag, &twin, &load);
    double load_seconds = ot_cli_now_seconds() - start;
    ot_event_stats totals[64];
    for (size_t i = 0; !err && i < event_count; i++)
        err = ot_csv_apply_events(twin, events[i], diag, &totals[i]);
    ot_resolve_stats feed_stats = {0};
    if (!err && feed_count)
        err = ot_xml_check_disruptions(feeds, feed_count, twin, effects, diag, &feed_stats);
    ot_cli_print_diag(diag);
    if (!err && !quiet) {
        print_summary(network, twin, &load, load_seconds);
        for (size_t i = 0; i < event_count; i++)
            printf("  events    %s: %llu read, %llu applied, %llu duplicates, %llu before a "
                   "count\n", events[i], (unsigned long long)totals[i].read,
                   (unsigned long long)totals[i].applied,
                   (unsigned long long)totals[i].duplicates, (unsigned long long)totals[i].stale);
        if (feed_count)
            printf("  feeds     %zu file%s: %zu records in force, %zu withdrawn, touching %zu "
                   "node and %zu lane pairs\n", feed_count, feed_count == 1 ? "" : "s",
                   feed_stats.records, feed_stats.withdrawn, feed_stats.nodes_touched,
                   feed_stats.lanes_touched);
    }
    if (!err && print_digest)
        printf("digest %016llx\n", (unsigned long long)ot_twin_digest(twin));
    if (err && !quiet)
        fprintf(stderr, "omnitwin validate: %s: %zu error%s, nothing loaded\n", network,
                ot_diag_errors(diag), ot_diag_errors(diag) == 1 ? "" : "s");
    ot_twin_free(twin);
    ot_diag_free(diag);
    return ot_cli_exit_status(err);
}
