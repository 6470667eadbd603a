/*
 * OASIS CAP 1.2 alerts (urn:oasis:names:tc:emergency:cap:1.2), the subset
 * of docs/DISRUPTIONS.md: one record per <info> (in the language of the
 * first info), with every area of that info; Update and Cancel withdraw the
 * alerts their <references> name.
 */
#include <string.h>

#include "text.h"
#include "xml/feed.h"
#include "xml/xml_safe.h"

#define MAX_POLYGON_POINTS 100000

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* The next whitespace-separated token at *p: false at the end. */
static bool next_token(const char **p, const char **start, size_t *len)
{
    while (is_space(**p))
        (*p)++;
    if (!**p)
        return false;
    *start = *p;
    while (**p && !is_space(**p))
        (*p)++;
    *len = (size_t)(*p - *start);
    return true;
}

/* "lat,lon lat,lon ..." — at least 4 pairs, first equal to last. */
static bool read_polygon(ot_feed *feed, const xmlNode *node, ot_geo_path *out)
{
    const char *s = ot_feed_text(feed, node);
    size_t n = 0, len;
    const char *start;
    for (const char *p = s; next_token(&p, &start, &len);)
        n++;
    if (n < 4 || n > MAX_POLYGON_POINTS) {
        ot_feed_error(feed, node, "%zu points (expected 4 to %d \"lat,lon\" pairs, the first "
                                  "repeated last)", n, MAX_POLYGON_POINTS);
        return false;
    }
    ot_geo_point *pts = ot_arena_alloc(feed->tmp, n * sizeof *pts);
    if (!pts)
        return false;
    size_t i = 0;
    for (const char *p = s; next_token(&p, &start, &len); i++)
        if (!ot_feed_parse_point(start, len, &pts[i])) {
            ot_feed_error(feed, node, "point %zu '%.*s' is not \"lat,lon\" (expected WGS 84 "
                                      "degrees, latitude -90..90, longitude -180..180)",
                          i + 1, (int)(len > 60 ? 60 : len), start);
            return false;
        }
    if (pts[0].lat != pts[n - 1].lat || pts[0].lon != pts[n - 1].lon) {
        ot_feed_error(feed, node, "polygon is not closed (expected the first point repeated "
                                  "as the last)");
        return false;
    }
    *out = (ot_geo_path){pts, n};
    return true;
}

/* "lat,lon radius_km" */
static bool read_circle(ot_feed *feed, const xmlNode *node, ot_geo_circle *out)
{
    const char *s = ot_feed_text(feed, node);
    const char *sp = s;
    while (*sp && !is_space(*sp))
        sp++;
    const char *r = sp;
    while (is_space(*r))
        r++;
    double radius;
    if (!ot_feed_parse_point(s, (size_t)(sp - s), &out->center) || !*r ||
        !ot_parse_double(r, strlen(r), &radius) || radius < 0 || radius > 20000) {
        ot_feed_error(feed, node, "'%.64s' is not a circle (expected \"lat,lon radius\" with "
                                  "the radius in km, 0..20000)", s);
        return false;
    }
    out->radius_km = radius;
    return true;
}

typedef struct {
    size_t polygons, circles, geocodes;
} area_counts;

static area_counts count_areas(const xmlNode *info)
{
    area_counts c = {0, 0, 0};
    for (xmlNode *a = info->children; a; a = a->next)
        if (ot_feed_is(a, OT_NS_CAP, "area")) {
            c.polygons += ot_feed_count(a, OT_NS_CAP, "polygon");
            c.circles += ot_feed_count(a, OT_NS_CAP, "circle");
            c.geocodes += ot_feed_count(a, OT_NS_CAP, "geocode");
        }
    return c;
}

static void read_areas(ot_feed *feed, const xmlNode *info, ot_disruption *rec)
{
    area_counts n = count_areas(info);
    ot_geo_path *polys = ot_arena_alloc(feed->tmp, (n.polygons + 1) * sizeof *polys);
    ot_geo_circle *circles = ot_arena_alloc(feed->tmp, (n.circles + 1) * sizeof *circles);
    const char **codes = ot_feed_strs(feed, n.geocodes);
    if (!polys || !circles || !codes)
        return;
    for (xmlNode *a = info->children; a; a = a->next) {
        if (!ot_feed_is(a, OT_NS_CAP, "area"))
            continue;
        if (!ot_feed_child(a, OT_NS_CAP, "areaDesc"))
            ot_feed_error(feed, a, "missing <areaDesc> (CAP 1.2 requires it)");
        for (xmlNode *c = a->children; c; c = c->next) {
            if (ot_feed_is(c, OT_NS_CAP, "polygon")) {
                if (read_polygon(feed, c, &polys[rec->polygon_count]))
                    rec->polygon_count++;
            } else if (ot_feed_is(c, OT_NS_CAP, "circle")) {
                if (read_circle(feed, c, &circles[rec->circle_count]))
                    rec->circle_count++;
            } else if (ot_feed_is(c, OT_NS_CAP, "geocode")) {
                const char *value = ot_feed_child_text(feed, c, OT_NS_CAP, "value");
                if (!value || !ot_feed_child(c, OT_NS_CAP, "valueName"))
                    ot_feed_error(feed, c, "expected <valueName> and <value>");
                else
                    codes[rec->geocode_count++] = value;
            }
        }
    }
    rec->polygons = polys;
    rec->circles = circles;
    rec->geocodes = codes;
}

static bool one_of(const char *s, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return true;
    return false;
}

static const char *const SEVERITIES[] = {"Extreme", "Severe", "Moderate", "Minor", "Unknown"};
static const char *const URGENCIES[] = {"Immediate", "Expected", "Future", "Past", "Unknown"};
static const char *const CERTAINTIES[] = {"Observed", "Likely", "Possible", "Unlikely",
                                          "Unknown"};

/* Checks an enumerated child; returns its value or NULL (reported). */
static const char *enum_child(ot_feed *feed, const xmlNode *parent, const char *local,
                              const char *const *names, size_t n, const char *expected)
{
    const char *v = ot_feed_child_text(feed, parent, OT_NS_CAP, local);
    if (!v)
        ot_feed_error(feed, parent, "missing <%s> (expected one of %s)", local, expected);
    else if (!one_of(v, names, n))
        ot_feed_error(feed, ot_feed_child(parent, OT_NS_CAP, local),
                      "'%.64s' is not a CAP %s (expected one of %s)", v, local, expected);
    else
        return v;
    return NULL;
}

static void read_info(ot_feed *feed, const xmlNode *info, const char *id, size_t index,
                      const char *group, ot_ts sent)
{
    size_t errors = feed->errors;
    char rec_id[300];
    ot_text_format(rec_id, sizeof rec_id, "%s#%zu", id, index);
    ot_disruption rec = {.file = feed->name, .line = ot_xml_line(info), .id = rec_id,
                         .dialect = OT_DIALECT_CAP, .kind = OT_DISR_WEATHER, .group = group,
                         .issued = sent, .start = sent, .end = INT64_MAX};
    rec.event = ot_feed_child_text(feed, info, OT_NS_CAP, "event");
    if (!rec.event || !*rec.event)
        ot_feed_error(feed, info, "missing <event> (expected the event type, e.g. Winter "
                                  "Storm Warning)");
    const char *urgency = enum_child(feed, info, "urgency", URGENCIES, 5,
                                     "Immediate, Expected, Future, Past, Unknown");
    rec.severity = enum_child(feed, info, "severity", SEVERITIES, 5,
                              "Extreme, Severe, Moderate, Minor, Unknown");
    const char *certainty = enum_child(feed, info, "certainty", CERTAINTIES, 5,
                                       "Observed, Likely, Possible, Unlikely, Unknown");
    ot_ts t;
    if (ot_feed_time_child(feed, info, OT_NS_CAP, "effective", false, &t))
        rec.start = t;
    if (ot_feed_time_child(feed, info, OT_NS_CAP, "onset", false, &t))
        rec.start = t;
    if (ot_feed_time_child(feed, info, OT_NS_CAP, "expires", false, &t))
        rec.end = t;
    if (rec.end != INT64_MAX && rec.end <= rec.start)
        ot_feed_error(feed, ot_feed_child(info, OT_NS_CAP, "expires"),
                      "expires is not after onset (expected a later time)");
    if (!ot_feed_child(info, OT_NS_CAP, "area"))
        ot_feed_warn(feed, info, "alert '%s' info %zu has no <area>: it touches nothing", id,
                     index);
    read_areas(feed, info, &rec);
    if (feed->errors != errors)
        return;
    /* Past or unlikely threats change no plan. */
    if (strcmp(urgency, "Past") == 0 || strcmp(certainty, "Unlikely") == 0)
        return;
    ot_err err = ot_disruption_set_add(feed->set, &rec);
    if (err != OT_OK)
        ot_feed_error(feed, info, "cannot keep the record: %s", ot_err_str(err));
}

/* <references>: "sender,identifier,sent" triples separated by spaces,
 * withdrawn once every feed is read (ot_feed_refs_apply). */
static void withdraw_references(ot_feed *feed, const xmlNode *alert, const char *id)
{
    const xmlNode *node = ot_feed_child(alert, OT_NS_CAP, "references");
    if (!node) {
        ot_feed_error(feed, alert, "Update/Cancel without <references> (expected "
                                   "\"sender,identifier,sent\" of the alerts it replaces)");
        return;
    }
    const char *s = ot_feed_text(feed, node);
    const char *start;
    size_t len;
    for (const char *p = s; next_token(&p, &start, &len);) {
        const char *c1 = memchr(start, ',', len);
        const char *c2 = c1 ? memchr(c1 + 1, ',', len - (size_t)(c1 + 1 - start)) : NULL;
        if (!c1 || !c2 || c1 == start || c2 == c1 + 1) {
            ot_feed_error(feed, node, "reference '%.*s' is not \"sender,identifier,sent\"",
                          (int)(len > 80 ? 80 : len), start);
            continue;
        }
        char *group = ot_arena_strndup(feed->tmp, start, (size_t)(c2 - start));
        if (!group || !ot_feed_refs_add(feed->refs, group, feed->name, id, ot_xml_line(node)))
            ot_feed_error(feed, node, "out of memory");
    }
}

void ot_feed_read_cap(ot_feed *feed, xmlNode *alert)
{
    static const char *const required[] = {"identifier", "sender", "sent", "status",
                                           "msgType", "scope"};
    for (size_t i = 0; i < OT_ARRAY_LEN(required); i++)
        if (!ot_feed_child(alert, OT_NS_CAP, required[i]))
            ot_feed_error(feed, alert, "missing <%s> (CAP 1.2 requires it)", required[i]);
    if (feed->errors)
        return;
    const char *id = ot_feed_child_text(feed, alert, OT_NS_CAP, "identifier");
    const char *sender = ot_feed_child_text(feed, alert, OT_NS_CAP, "sender");
    const char *status = ot_feed_child_text(feed, alert, OT_NS_CAP, "status");
    const char *type = ot_feed_child_text(feed, alert, OT_NS_CAP, "msgType");
    ot_ts sent;
    if (!ot_feed_time_child(feed, alert, OT_NS_CAP, "sent", true, &sent))
        return;
    static const char *const statuses[] = {"Actual", "Exercise", "System", "Test", "Draft"};
    static const char *const types[] = {"Alert", "Update", "Cancel", "Ack", "Error"};
    if (!one_of(status, statuses, OT_ARRAY_LEN(statuses)))
        ot_feed_error(feed, ot_feed_child(alert, OT_NS_CAP, "status"),
                      "'%.64s' is not a CAP status (expected Actual, Exercise, System, Test "
                      "or Draft)", status);
    if (!one_of(type, types, OT_ARRAY_LEN(types)))
        ot_feed_error(feed, ot_feed_child(alert, OT_NS_CAP, "msgType"),
                      "'%.64s' is not a CAP msgType (expected Alert, Update, Cancel, Ack or "
                      "Error)", type);
    if (feed->errors)
        return;
    if (strcmp(status, "Actual") != 0) {
        ot_feed_warn(feed, alert, "alert '%s' has status %s: ignored (only Actual alerts "
                                  "apply)", id, status);
        return;
    }
    if (strcmp(type, "Ack") == 0 || strcmp(type, "Error") == 0)
        return;
    if (strcmp(type, "Update") == 0 || strcmp(type, "Cancel") == 0)
        withdraw_references(feed, alert, id);
    if (strcmp(type, "Cancel") == 0)
        return;
    size_t glen = strlen(sender) + strlen(id) + 2;
    char *group = ot_arena_alloc(feed->tmp, glen);
    if (!group)
        return;
    ot_text_format(group, glen, "%s,%s", sender, id);
    /* The same alert often repeats each info in several languages; only
     * the language of the first info counts, or factors would compound. */
    const char *language = NULL;
    size_t index = 0;
    for (xmlNode *c = alert->children; c; c = c->next) {
        if (!ot_feed_is(c, OT_NS_CAP, "info"))
            continue;
        index++;
        const char *lang = ot_feed_child_text(feed, c, OT_NS_CAP, "language");
        if (!lang || !*lang)
            lang = "en-US"; /* CAP's default */
        if (!language)
            language = lang;
        else if (strcmp(lang, language) != 0)
            continue;
        read_info(feed, c, id, index, group, sent);
    }
}
