/* OUT/replay.html of `omnitwin replay` (adapters/report/replay_html.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csv/kpis_csv.h"
#include "report/replay_html.h"
#include "os/out_file.h"

#define CW 640   /* chart width */
#define CHT 190  /* chart height */
#define CPAD 44

static const char *const scenario_color[OT_REPLAY_SCENARIOS] = {"#228833", "#ee6677",
                                                                "#4477aa"};

/* Writes text with the five HTML-special characters escaped. */
static void put_text(FILE *f, const char *s)
{
    static const char *const ent[] = {['<'] = "&lt;", ['>'] = "&gt;", ['&'] = "&amp;",
                                      ['"'] = "&quot;", ['\''] = "&#39;"};
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < OT_ARRAY_LEN(ent) && ent[*p])
            fputs(ent[*p], f);
        else
            fputc(*p, f);
    }
}

typedef enum { DAY_FILL_RATE, DAY_LOST, DAY_STOCK } day_value;

static double value_of(const ot_replay_day *d, day_value v)
{
    return v == DAY_FILL_RATE ? 100 * d->fill_rate : v == DAY_LOST ? d->lost : d->stock;
}

static double px(size_t i, size_t n)
{
    return CPAD + (double)i * (CW - 2 * CPAD) / (double)(n > 1 ? n - 1 : 1);
}

static double py(double v, double lo, double hi)
{
    return CHT - 28 - (v - lo) / (hi - lo) * (CHT - 52);
}

/* One line per scenario over the window's days. */
static void day_chart(FILE *f, const ot_replay *r, const char *title, day_value v)
{
    size_t n = ot_replay_day_count(r);
    double lo = INFINITY, hi = -INFINITY;
    for (int sc = 0; sc < OT_REPLAY_SCENARIOS; sc++) {
        const ot_replay_day *d = ot_replay_get_days(r, (ot_replay_scenario)sc);
        for (size_t i = 0; i < n; i++) {
            lo = fmin(lo, value_of(&d[i], v));
            hi = fmax(hi, value_of(&d[i], v));
        }
    }
    /* fill rate from 90% (or lower), lost units from 0, stock zoomed to
     * its range so that the scenarios' differences show */
    if (v == DAY_FILL_RATE)
        lo = fmin(lo, 90);
    else if (v == DAY_LOST)
        lo = 0;
    else
        lo = fmax(0, floor(lo - 0.1 * (hi - lo) - 1));
    if (hi - lo < 1)
        hi = lo + 1;
    fprintf(f, "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\"><title>",
            CW, CHT, CW, CHT);
    put_text(f, title);
    fprintf(f, "</title><text x=\"%d\" y=\"14\" class=\"t\">", CPAD);
    put_text(f, title);
    fprintf(f, "</text><line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"ax\"/>"
               "<text x=\"2\" y=\"%.1f\" class=\"l\">%.0f</text>"
               "<text x=\"2\" y=\"%.1f\" class=\"l\">%.0f</text>",
            CPAD, py(lo, lo, hi), CW - CPAD, py(lo, lo, hi), py(hi, lo, hi) + 4, hi,
            py(lo, lo, hi), lo);
    for (size_t i = 0; i < n; i++) {
        char date[11];
        size_t step = (n + 9) / 10; /* at most about 10 labels */
        if (i != n - 1 && (i % step != 0 || n - 1 - i < step))
            continue;
        ot_date_format(ot_replay_from(r) + (ot_day)i, date);
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" class=\"l\" text-anchor=\"middle\">%s</text>",
                px(i, n), CHT - 10, date + 5);
    }
    for (int sc = 0; sc < OT_REPLAY_SCENARIOS; sc++) {
        const ot_replay_day *d = ot_replay_get_days(r, (ot_replay_scenario)sc);
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"",
                scenario_color[sc], sc == OT_REPLAY_BASELINE ? " stroke-dasharray=\"5,4\"" : "");
        for (size_t i = 0; i < n; i++)
            fprintf(f, "%.1f,%.1f ", px(i, n), py(value_of(&d[i], v), lo, hi));
        fputs("\"/>", f);
        for (size_t i = 0; n == 1 && i < n; i++)
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", px(i, n),
                    py(value_of(&d[i], v), lo, hi), scenario_color[sc]);
    }
    fputs("</svg>\n", f);
}

static void legend(FILE *f)
{
    fputs("<p>", f);
    for (int sc = 0; sc < OT_REPLAY_SCENARIOS; sc++)
        fprintf(f, "<span style=\"color:%s\">&#9632; %s</span> ", scenario_color[sc],
                ot_replay_scenario_name((ot_replay_scenario)sc));
    fputs("(baseline dashed)</p>\n", f);
}

static void kpi_cell(FILE *f, size_t m, double value)
{
    char v[64];
    ot_csv_kpi_value(m, value, v, sizeof v);
    fprintf(f, "<td class=\"n\">%s</td>", v);
}

/* The KPI table, and the two differences the replay is for. */
static void kpi_table(FILE *f, const ot_replay *r)
{
    const ot_replay_kpis *k[OT_REPLAY_SCENARIOS];
    for (int sc = 0; sc < OT_REPLAY_SCENARIOS; sc++)
        k[sc] = ot_replay_get_kpis(r, (ot_replay_scenario)sc);
    fputs("<h2>KPIs</h2><table><tr><th>metric</th>", f);
    for (int sc = 0; sc < OT_REPLAY_SCENARIOS; sc++)
        fprintf(f, "<th>%s</th>", ot_replay_scenario_name((ot_replay_scenario)sc));
    fputs("<th>disruption cost<br><small>unforeseen &minus; baseline</small></th>"
          "<th>foresight saved<br><small>unforeseen &minus; foreseen</small></th></tr>\n", f);
    for (size_t m = 0; m < OT_REPLAY_METRICS; m++) {
        fprintf(f, "<tr><th>%s</th>", ot_replay_metric_name(m));
        for (int sc = 0; sc < OT_REPLAY_SCENARIOS; sc++)
            kpi_cell(f, m, ot_replay_metric(k[sc], m));
        /* both columns read "how much worse / better", whatever the metric's
         * direction: positive is a cost, resp. a saving */
        double sign = ot_replay_metric_higher_is_better(m) ? -1 : 1;
        kpi_cell(f, m, sign * (ot_replay_metric(k[OT_REPLAY_UNFORESEEN], m) -
                               ot_replay_metric(k[OT_REPLAY_BASELINE], m)));
        kpi_cell(f, m, sign * (ot_replay_metric(k[OT_REPLAY_UNFORESEEN], m) -
                               ot_replay_metric(k[OT_REPLAY_FORESEEN], m)));
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
    double cost = k[OT_REPLAY_UNFORESEEN]->lost_units - k[OT_REPLAY_BASELINE]->lost_units;
    double saved = k[OT_REPLAY_UNFORESEEN]->lost_units - k[OT_REPLAY_FORESEEN]->lost_units;
    fprintf(f, "<p>Unforeseen, the disruption cost <b>%.0f</b> units of lost demand against "
               "the baseline; planning with the feed as it was issued saved <b>%.0f</b> of "
               "them. Recorded demand: %.0f units. Shipments: %lld, %lld and %lld; planned "
               "units that could not leave (stock or real capacity): %lld, %lld and %lld.</p>\n",
            cost, saved, k[OT_REPLAY_BASELINE]->demand_units,
            (long long)k[0]->shipments, (long long)k[1]->shipments, (long long)k[2]->shipments,
            (long long)k[0]->cut_units, (long long)k[1]->cut_units, (long long)k[2]->cut_units);
}

/* Worst node-lost first; ties by node index, so the order is stable. */
static double node_key(const ot_replay *r, ot_node_ix n)
{
    double k = 0;
    for (int sc = 0; sc < OT_REPLAY_SCENARIOS; sc++)
        k = fmax(k, ot_replay_node_lost(r, (ot_replay_scenario)sc, n));
    return k;
}

/* The nodes that lost the most demand in any scenario. */
static void lost_by_node(FILE *f, const ot_replay *r, const ot_twin *twin)
{
    ot_node_ix top[OT_REPLAY_HTML_MAX_NODES];
    size_t shown = 0, more = 0;
    for (size_t n = 0; n < ot_replay_node_count(r); n++) {
        double k = node_key(r, (ot_node_ix)n);
        if (k <= 0)
            continue;
        /* insertion into the short sorted list */
        size_t at = shown;
        while (at > 0 && node_key(r, top[at - 1]) < k)
            at--;
        if (at == OT_REPLAY_HTML_MAX_NODES) {
            more++;
            continue;
        }
        if (shown == OT_REPLAY_HTML_MAX_NODES)
            more++;
        else
            shown++;
        memmove(&top[at + 1], &top[at], (shown - 1 - at) * sizeof *top);
        top[at] = (ot_node_ix)n;
    }
    fputs("<h2>Where demand was lost</h2>\n", f);
    if (shown == 0) {
        fputs("<p>No demand was lost in any scenario.</p>\n", f);
        return;
    }
    fputs("<table><tr><th>node</th><th>kind</th><th>region</th>", f);
    for (int sc = 0; sc < OT_REPLAY_SCENARIOS; sc++)
        fprintf(f, "<th>%s</th>", ot_replay_scenario_name((ot_replay_scenario)sc));
    fputs("</tr>\n", f);
    for (size_t i = 0; i < shown; i++) {
        ot_node_info ni;
        ot_twin_node(twin, top[i], &ni);
        fputs("<tr><td>", f);
        put_text(f, ni.id);
        fprintf(f, "</td><td>%s</td><td>", ot_node_kind_name(ni.kind));
        put_text(f, ni.region);
        fputs("</td>", f);
        for (int sc = 0; sc < OT_REPLAY_SCENARIOS; sc++)
            fprintf(f, "<td class=\"n\">%.0f</td>",
                    ot_replay_node_lost(r, (ot_replay_scenario)sc, top[i]));
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
    if (more)
        fprintf(f, "<p>%zu more node%s lost demand.</p>\n", more, more == 1 ? "" : "s");
}

static void put_ts(FILE *f, ot_ts ts)
{
    char buf[21];
    if (ts == INT64_MAX) {
        fputs("open", f);
        return;
    }
    ot_ts_format(ts, buf);
    fputs(buf, f);
}

/* The records whose validity meets the window, in feed order. */
static void records(FILE *f, const ot_replay *r, const ot_disruption_set *feed)
{
    ot_ts lo = (ot_ts)ot_replay_from(r) * 86400;
    ot_ts hi = (ot_ts)(ot_replay_from(r) + (ot_day)ot_replay_day_count(r)) * 86400;
    size_t shown = 0, more = 0;
    for (size_t i = 0; feed && i < ot_disruption_set_count(feed); i++) {
        bool withdrawn;
        const ot_disruption *d = ot_disruption_set_get(feed, i, &withdrawn);
        /* an own-feed date end is inclusive: the record runs through it */
        ot_ts end = d->end_is_date && d->end != INT64_MAX ? d->end + 86400 : d->end;
        if (withdrawn || d->start >= hi || end <= lo)
            continue;
        if (shown == OT_REPLAY_HTML_MAX_RECORDS) {
            more++;
            continue;
        }
        if (shown++ == 0)
            fputs("<h2>Disruption records in the window</h2><table><tr><th>id</th>"
                  "<th>dialect</th><th>kind</th><th>issued</th><th>valid from</th>"
                  "<th>until</th><th>where</th></tr>\n", f);
        fputs("<tr><td>", f);
        put_text(f, d->id ? d->id : "");
        fprintf(f, "</td><td>%s</td><td>%s</td><td>", ot_dialect_name(d->dialect),
                ot_disruption_kind_name(d->kind));
        put_ts(f, d->issued);
        fputs("</td><td>", f);
        put_ts(f, d->start);
        fputs("</td><td>", f);
        if (d->end_is_date && d->end != INT64_MAX) {
            char date[11];
            ot_date_format(ot_ts_day(d->end), date);
            fprintf(f, "%s (the whole day)", date);
        } else {
            put_ts(f, d->end);
        }
        fputs("</td><td>", f);
        put_text(f, d->file ? d->file : "");
        fprintf(f, ":%ld</td></tr>\n", d->line);
    }
    if (shown)
        fputs("</table>\n", f);
    else
        fputs("<h2>Disruption records in the window</h2><p>None.</p>\n", f);
    if (more)
        fprintf(f, "<p>%zu more record%s.</p>\n", more, more == 1 ? "" : "s");
}

ot_err ot_report_replay_html_write(const char *path, const ot_replay *r, const ot_twin *twin,
                                   const ot_disruption_set *feed, const char *title,
                                   ot_diag *diag)
{
    ot_out_file out;
    ot_err err = ot_out_file_open(&out, path, diag);
    if (err != OT_OK)
        return err;
    FILE *f = out.f;
    char from[11], to[11];
    ot_date_format(ot_replay_from(r), from);
    ot_date_format(ot_replay_from(r) + (ot_day)ot_replay_day_count(r) - 1, to);
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>omnitwin "
          "replay ", f);
    put_text(f, title ? title : "");
    fprintf(f, " %s..%s</title><style>"
               "body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}"
               "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;"
               "padding:2px 8px;text-align:left}td.n{text-align:right}"
               "svg{display:block;margin:.6em 0}.t{font-weight:bold;font-size:13px}"
               ".l{font-size:11px;fill:#444}.ax{stroke:#888}"
               "</style></head><body>\n<h1>Disruption replay ",
            from, to);
    put_text(f, title ? title : "");
    fprintf(f, "</h1><p>%s to %s, %zu days, plans of %d days, %zu disruption record%s in the "
               "window. How the replay works: docs/REPLAY.md.</p>\n",
            from, to, ot_replay_day_count(r), (int)ot_replay_horizon(r),
            ot_replay_feed_records(r), ot_replay_feed_records(r) == 1 ? "" : "s");
    kpi_table(f, r);
    fputs("<h2>Day by day</h2>\n", f);
    legend(f);
    day_chart(f, r, "fill rate (%)", DAY_FILL_RATE);
    day_chart(f, r, "lost units", DAY_LOST);
    day_chart(f, r, "end-of-day stock at DCs and stores (units)", DAY_STOCK);
    lost_by_node(f, r, twin);
    records(f, r, feed);
    fputs("</body></html>\n", f);
    return ot_out_file_close(&out, true, diag);
}
