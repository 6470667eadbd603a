/*
 * DATEX II v2 (namespace http://datex2.eu/schema/2/2_0, versions 2.0–2.3)
 * SituationPublication, the subset of docs/DISRUPTIONS.md: each
 * situationRecord becomes one traffic record keyed by its xsi:type and
 * severity, located by every pointCoordinates under its groupOfLocations
 * (one point, or a polyline for Linear / itinerary locations), with
 * impact/capacityRemaining and delays/delayTimeValue as explicit factors.
 * A later version of the same record id replaces the earlier one.
 */
#include <string.h>

#include "text.h"
#include "xml/feed.h"
#include "xml/xml_safe.h"

#define MAX_LOCATION_POINTS 10000

/* Every pointCoordinates element below node, in document order. */
static size_t collect_points(ot_feed *feed, const xmlNode *node, ot_geo_point *out,
                             size_t cap, bool *bad)
{
    size_t n = 0;
    for (xmlNode *c = node->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (ot_feed_is(c, OT_NS_DATEX, "pointCoordinates")) {
            const char *la = ot_feed_child_text(feed, c, OT_NS_DATEX, "latitude");
            const char *lo = ot_feed_child_text(feed, c, OT_NS_DATEX, "longitude");
            double lat, lon;
            if (!la || !lo || !ot_parse_double(la, strlen(la), &lat) ||
                !ot_parse_double(lo, strlen(lo), &lon) || lat < -90 || lat > 90 ||
                lon < -180 || lon > 180) {
                ot_feed_error(feed, c, "expected <latitude> -90..90 and <longitude> "
                                       "-180..180 in decimal degrees");
                *bad = true;
                continue;
            }
            if (out && n < cap)
                out[n] = (ot_geo_point){lat, lon};
            n++;
        } else {
            n += collect_points(feed, c, out ? out + n : NULL, n < cap ? cap - n : 0, bad);
        }
    }
    return n;
}

static void read_location(ot_feed *feed, const xmlNode *rec_node, ot_disruption *rec)
{
    const xmlNode *loc = ot_feed_child(rec_node, OT_NS_DATEX, "groupOfLocations");
    if (!loc) {
        ot_feed_error(feed, rec_node, "missing <groupOfLocations> (expected a Point or Linear "
                                      "location with pointCoordinates)");
        return;
    }
    bool bad = false;
    size_t n = collect_points(feed, loc, NULL, 0, &bad);
    if (bad)
        return;
    if (n == 0 || n > MAX_LOCATION_POINTS) {
        ot_feed_error(feed, loc, "%zu pointCoordinates (expected 1 to %d: this reader locates "
                                 "situations by coordinates only)", n, MAX_LOCATION_POINTS);
        return;
    }
    ot_geo_point *pts = ot_arena_alloc(feed->tmp, n * sizeof *pts);
    ot_geo_path *path = ot_arena_alloc(feed->tmp, sizeof *path);
    if (!pts || !path)
        return;
    collect_points(feed, loc, pts, n, &bad);
    *path = (ot_geo_path){pts, n};
    rec->locations = path;
    rec->location_count = 1;
}

static void read_impact(ot_feed *feed, const xmlNode *rec_node, ot_disruption *rec)
{
    const xmlNode *impact = ot_feed_child(rec_node, OT_NS_DATEX, "impact");
    if (!impact)
        return;
    const xmlNode *cap = ot_feed_child(impact, OT_NS_DATEX, "capacityRemaining");
    double x;
    if (cap && ot_feed_number(feed, cap, "capacityRemaining", ot_feed_text(feed, cap), 0, 100,
                              &x)) {
        rec->factors.has_capacity = true;
        rec->factors.capacity = x / 100.0;
    }
    const xmlNode *delays = ot_feed_child(impact, OT_NS_DATEX, "delays");
    const xmlNode *delay = delays ? ot_feed_child(delays, OT_NS_DATEX, "delayTimeValue") : NULL;
    if (delay && ot_feed_number(feed, delay, "delayTimeValue (seconds)",
                                ot_feed_text(feed, delay), 0, 365.0 * 86400, &x)) {
        rec->factors.has_added_days = x > 0;
        rec->factors.added_days = x / 86400.0;
    }
}

static void read_record(ot_feed *feed, const xmlNode *node, const char *overall_severity,
                        ot_ts published)
{
    size_t errors = feed->errors;
    const char *rid = ot_feed_attr(feed, node, "id");
    const char *type = ot_feed_xsi_type(feed, node);
    if (!rid || !*rid)
        ot_feed_error(feed, node, "missing id attribute (expected the record's id)");
    if (!type || !*type)
        ot_feed_error(feed, node, "missing xsi:type (expected a record type such as Accident, "
                                  "Roadworks, AbnormalTraffic, PoorEnvironmentConditions)");
    if (feed->errors != errors)
        return;
    char group[300];
    ot_text_format(group, sizeof group, "datex:%s", rid);
    ot_disruption rec = {.file = feed->name, .line = ot_xml_line(node), .id = rid,
                         .dialect = OT_DIALECT_DATEX, .kind = OT_DISR_TRAFFIC, .group = group,
                         .event = type, .issued = published, .end = INT64_MAX};
    const char *sev = ot_feed_child_text(feed, node, OT_NS_DATEX, "severity");
    rec.severity = sev && *sev ? sev : overall_severity ? overall_severity : "unknown";
    ot_ts t;
    if (ot_feed_time_child(feed, node, OT_NS_DATEX, "situationRecordCreationTime", false, &t))
        rec.issued = t;

    const xmlNode *validity = ot_feed_child(node, OT_NS_DATEX, "validity");
    const char *status = validity ? ot_feed_child_text(feed, validity, OT_NS_DATEX,
                                                       "validityStatus") : NULL;
    const xmlNode *spec = validity ? ot_feed_child(validity, OT_NS_DATEX,
                                                   "validityTimeSpecification") : NULL;
    if (!validity || !status || !spec) {
        ot_feed_error(feed, validity ? validity : node,
                      "record '%s': expected <validity> with <validityStatus> and "
                      "<validityTimeSpecification>", rid);
        return;
    }
    if (strcmp(status, "active") != 0 && strcmp(status, "suspended") != 0 &&
        strcmp(status, "definedByValidityTimeSpec") != 0) {
        ot_feed_error(feed, validity, "validityStatus '%.64s' (expected active, suspended or "
                                      "definedByValidityTimeSpec)", status);
        return;
    }
    if (!ot_feed_time_child(feed, spec, OT_NS_DATEX, "overallStartTime", true, &rec.start))
        return;
    if (ot_feed_time_child(feed, spec, OT_NS_DATEX, "overallEndTime", false, &t)) {
        if (t <= rec.start) {
            ot_feed_error(feed, spec, "overallEndTime is not after overallStartTime");
            return;
        }
        rec.end = t;
    }
    read_location(feed, node, &rec);
    read_impact(feed, node, &rec);
    if (feed->errors != errors)
        return;
    /* A new version replaces the old one; a suspended record only withdraws. */
    ot_disruption_set_withdraw(feed->set, group);
    if (strcmp(status, "suspended") == 0)
        return;
    ot_err err = ot_disruption_set_add(feed->set, &rec);
    if (err != OT_OK)
        ot_feed_error(feed, node, "cannot keep the record: %s", ot_err_str(err));
}

void ot_feed_read_datex(ot_feed *feed, xmlNode *root)
{
    const xmlNode *pub = ot_feed_child(root, OT_NS_DATEX, "payloadPublication");
    const char *type = pub ? ot_feed_xsi_type(feed, pub) : NULL;
    if (!pub || !type || strcmp(type, "SituationPublication") != 0) {
        ot_feed_error(feed, pub ? pub : root, "expected <payloadPublication "
                                              "xsi:type=\"SituationPublication\"> (other "
                                              "DATEX II publications carry no situations)");
        return;
    }
    ot_ts published;
    if (!ot_feed_time_child(feed, pub, OT_NS_DATEX, "publicationTime", true, &published))
        return;
    for (xmlNode *s = pub->children; s; s = s->next) {
        if (!ot_feed_is(s, OT_NS_DATEX, "situation"))
            continue;
        const char *overall = ot_feed_child_text(feed, s, OT_NS_DATEX, "overallSeverity");
        if (!ot_feed_child(s, OT_NS_DATEX, "situationRecord"))
            ot_feed_warn(feed, s, "situation without <situationRecord>: nothing to apply");
        for (xmlNode *r = s->children; r; r = r->next)
            if (ot_feed_is(r, OT_NS_DATEX, "situationRecord"))
                read_record(feed, r, overall, published);
    }
}
