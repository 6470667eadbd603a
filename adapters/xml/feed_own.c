/*
 * omnitwin's own feed (urn:omnitwin:disruption:1): validated against
 * data/schemas/disruption.xsd first, then read record by record with the
 * checks the schema cannot express.
 */
#include <string.h>

#include "xml/feed.h"
#include "xml/xml_safe.h"

static ot_disruption_kind kind_of(const char *s)
{
    static const char *const names[] = {"weather", "traffic", "closure", "supply"};
    for (size_t i = 0; i < OT_ARRAY_LEN(names); i++)
        if (strcmp(s, names[i]) == 0)
            return (ot_disruption_kind)i;
    return OT_DISR_WEATHER; /* the schema admits nothing else */
}

static bool time_attr(ot_feed *feed, const xmlNode *node, const char *name, ot_ts *out,
                      bool *is_date)
{
    const char *v = ot_feed_attr(feed, node, name);
    if (!v)
        return false;
    if (!ot_feed_parse_time(v, out, is_date)) {
        ot_feed_error(feed, node, "%s '%.64s' is not a date or date-time (expected "
                                  "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)", name, v);
        return false;
    }
    return true;
}

static void read_target(ot_feed *feed, const xmlNode *target, ot_disruption *rec)
{
    size_t nr = ot_feed_count(target, OT_NS_OWN, "region");
    size_t nn = ot_feed_count(target, OT_NS_OWN, "node");
    size_t nl = ot_feed_count(target, OT_NS_OWN, "lane");
    const char **regions = ot_feed_strs(feed, nr), **nodes = ot_feed_strs(feed, nn);
    ot_lane_ref *lanes = ot_arena_alloc(feed->tmp, (nl ? nl : 1) * sizeof *lanes);
    if (!regions || !nodes || !lanes)
        return;
    for (xmlNode *c = target->children; c; c = c->next) {
        if (ot_feed_is(c, OT_NS_OWN, "region"))
            regions[rec->region_count++] = ot_feed_text(feed, c);
        else if (ot_feed_is(c, OT_NS_OWN, "node"))
            nodes[rec->node_count++] = ot_feed_text(feed, c);
        else if (ot_feed_is(c, OT_NS_OWN, "lane"))
            lanes[rec->lane_count++] = (ot_lane_ref){ot_feed_attr(feed, c, "from"),
                                                     ot_feed_attr(feed, c, "to")};
    }
    rec->regions = regions;
    rec->nodes = nodes;
    rec->lanes = lanes;
}

static void read_items(ot_feed *feed, const xmlNode *items, ot_disruption *rec)
{
    const char **skus = ot_feed_strs(feed, ot_feed_count(items, OT_NS_OWN, "sku"));
    const char **cats = ot_feed_strs(feed, ot_feed_count(items, OT_NS_OWN, "category"));
    if (!skus || !cats)
        return;
    for (xmlNode *c = items->children; c; c = c->next) {
        if (ot_feed_is(c, OT_NS_OWN, "sku"))
            skus[rec->sku_count++] = ot_feed_text(feed, c);
        else if (ot_feed_is(c, OT_NS_OWN, "category"))
            cats[rec->category_count++] = ot_feed_text(feed, c);
    }
    rec->skus = skus;
    rec->categories = cats;
}

static void read_effects(ot_feed *feed, const xmlNode *node, ot_disruption *rec)
{
    ot_disruption_factors *fx = &rec->factors;
    const xmlNode *e;
    const char *v;
    /* The schema has checked the ranges; ot_feed_number re-checks them so
     * that this reader stays safe on its own. */
    if ((e = ot_feed_child(node, OT_NS_OWN, "demand")) && (v = ot_feed_attr(feed, e, "factor")))
        fx->has_demand = ot_feed_number(feed, e, "factor", v, 0, 100, &fx->demand);
    if ((e = ot_feed_child(node, OT_NS_OWN, "leadTime"))) {
        if ((v = ot_feed_attr(feed, e, "factor")))
            fx->has_lead_time = ot_feed_number(feed, e, "factor", v, 1, 100,
                                               &fx->lead_time_factor);
        if ((v = ot_feed_attr(feed, e, "addDays")))
            fx->has_added_days = ot_feed_number(feed, e, "addDays", v, 0, 365,
                                                &fx->added_days);
        if (!fx->has_lead_time && !fx->has_added_days)
            ot_feed_error(feed, e, "no factor or addDays attribute (expected at least one)");
    }
    if ((e = ot_feed_child(node, OT_NS_OWN, "capacity")) &&
        (v = ot_feed_attr(feed, e, "factor")))
        fx->has_capacity = ot_feed_number(feed, e, "factor", v, 0, 1, &fx->capacity);
    fx->closed = ot_feed_child(node, OT_NS_OWN, "closed") != NULL;
}

static void read_record(ot_feed *feed, const xmlNode *node, ot_ts feed_issued)
{
    size_t errors = feed->errors;
    ot_disruption rec = {.file = feed->name, .line = ot_xml_line(node),
                         .dialect = OT_DIALECT_OWN, .event = "", .severity = "",
                         .group = "", .issued = feed_issued};
    rec.id = ot_feed_attr(feed, node, "id");
    const char *kind = ot_feed_attr(feed, node, "kind");
    if (!rec.id || !kind)
        return; /* the schema reported it */
    rec.kind = kind_of(kind);
    bool is_date;
    time_attr(feed, node, "issued", &rec.issued, &is_date);

    const xmlNode *valid = ot_feed_child(node, OT_NS_OWN, "valid");
    bool from_date = false;
    if (!valid || !time_attr(feed, valid, "from", &rec.start, &from_date) ||
        !time_attr(feed, valid, "to", &rec.end, &rec.end_is_date))
        return;
    if (rec.end_is_date ? rec.end < rec.start : rec.end <= rec.start) {
        ot_feed_error(feed, valid, "record '%s': to is before from (expected a window "
                                   "that ends after it starts)", rec.id);
        return;
    }

    const xmlNode *target = ot_feed_child(node, OT_NS_OWN, "target");
    if (target)
        read_target(feed, target, &rec);
    const xmlNode *items = ot_feed_child(node, OT_NS_OWN, "items");
    if (items)
        read_items(feed, items, &rec);
    read_effects(feed, node, &rec);

    const ot_disruption_factors *fx = &rec.factors;
    if (!fx->has_demand && !fx->has_lead_time && !fx->has_added_days && !fx->has_capacity &&
        !fx->closed)
        ot_feed_error(feed, node, "record '%s' has no effect (expected <demand>, "
                                  "<leadTime>, <capacity> or <closed>)", rec.id);
    if (items && !fx->has_demand)
        ot_feed_error(feed, items, "record '%s': <items> only filters <demand>, which is "
                                   "missing (expected a <demand factor=...>)", rec.id);
    if (fx->has_demand && !rec.region_count && !rec.node_count)
        ot_feed_error(feed, node, "record '%s': <demand> needs a <region> or <node> target "
                                  "(lanes have no demand)", rec.id);
    if (feed->errors != errors)
        return;
    ot_err err = ot_disruption_set_add(feed->set, &rec);
    if (err != OT_OK)
        ot_feed_error(feed, node, "cannot keep the record: %s", ot_err_str(err));
}

void ot_feed_read_own(ot_feed *feed, xmlNode *root, const char *xsd_path)
{
    if (!xsd_path) {
        ot_feed_error(feed, NULL, "cannot find disruption.xsd to validate the feed (set "
                                  "OMNITWIN_SCHEMA_DIR to the directory holding it)");
        return;
    }
    ot_err err = ot_xml_validate(root->doc, xsd_path, feed->name, feed->diag);
    if (err != OT_OK) {
        feed->errors++;
        return;
    }
    ot_ts issued = 0;
    bool is_date;
    time_attr(feed, root, "issued", &issued, &is_date);
    for (xmlNode *c = root->children; c; c = c->next)
        if (ot_feed_is(c, OT_NS_OWN, "record"))
            read_record(feed, c, issued);
}
