/*
 * Resolution of disruption records into the factor store
 * (include/omnitwin/disruption.h, docs/DISRUPTIONS.md "Mapping").
 *
 * Per record: the days it covers are clipped to the window; the nodes it
 * targets are marked (regions, ids, geocodes, polygons, circles); the lanes
 * it targets are the listed lanes, every lane touching a marked node, and
 * for traffic locations every lane whose straight segment passes within
 * OT_DISRUPTION_LANE_KM. Bounding boxes screen polygons and lanes before the
 * exact tests so that 10,000 records against 2,000 stores stay fast.
 */
#include <math.h>
#include <string.h>

#include "omnitwin/disruption.h"

typedef struct {
    double lat_lo, lat_hi, lon_lo, lon_hi;
} bbox;

typedef struct {
    const ot_twin *twin;
    const ot_effects *effects;
    ot_factors *f;
    ot_diag *diag;
    size_t nodes, lanes, cats;
    ot_node_info *node;          /* per node */
    ot_lane_info *lane;          /* per lane */
    bool *lane_geo;              /* both endpoints have coordinates */
    bbox *lane_box;
    uint32_t *node_mark, *lane_mark, stamp;
    ot_node_ix *hit_nodes;       /* marked this record */
    ot_lane_ix *hit_lanes;
    size_t hit_node_count, hit_lane_count;
    double *cat_demand;          /* per category, this record */
    bool failed;
    ot_resolve_stats stats;
} resolver;

/* "FILE:LINE: record 'ID': KIND 'VALUE' PROBLEM" */
static void report(resolver *r, const ot_disruption *rec, const char *kind,
                   const char *value, const char *problem)
{
    ot_diag_report(r->diag, OT_DIAG_ERROR, rec->file, rec->line, "record '%s': %s '%.200s' %s",
                   rec->id, kind, value, problem);
    r->failed = true;
}

static void mark_node(resolver *r, ot_node_ix n)
{
    if (r->node_mark[n] != r->stamp) {
        r->node_mark[n] = r->stamp;
        r->hit_nodes[r->hit_node_count++] = n;
    }
}

static void mark_lane(resolver *r, ot_lane_ix l)
{
    if (r->lane_mark[l] != r->stamp) {
        r->lane_mark[l] = r->stamp;
        r->hit_lanes[r->hit_lane_count++] = l;
    }
}

static bbox path_box(const ot_geo_path *p)
{
    bbox b = {INFINITY, -INFINITY, INFINITY, -INFINITY};
    for (size_t i = 0; i < p->count; i++) {
        b.lat_lo = fmin(b.lat_lo, p->points[i].lat);
        b.lat_hi = fmax(b.lat_hi, p->points[i].lat);
        b.lon_lo = fmin(b.lon_lo, p->points[i].lon);
        b.lon_hi = fmax(b.lon_hi, p->points[i].lon);
    }
    return b;
}

/* Grows a box by km in every direction (longitude degrees shrink toward the
 * poles; near them the box takes every longitude). */
static bbox grow(bbox b, double km)
{
    double dlat = km / 111.0;
    double c = cos(fmax(fabs(b.lat_lo), fabs(b.lat_hi)) * 3.14159265358979323846 / 180.0);
    double dlon = c > 0.01 ? km / (111.0 * c) : 360;
    return (bbox){b.lat_lo - dlat, b.lat_hi + dlat, b.lon_lo - dlon, b.lon_hi + dlon};
}

static bool overlaps(bbox a, bbox b)
{
    return a.lat_lo <= b.lat_hi && b.lat_lo <= a.lat_hi && a.lon_lo <= b.lon_hi &&
           b.lon_lo <= a.lon_hi;
}

static bool in_box(bbox b, double lat, double lon)
{
    return lat >= b.lat_lo && lat <= b.lat_hi && lon >= b.lon_lo && lon <= b.lon_hi;
}

static void target_nodes(resolver *r, const ot_disruption *rec)
{
    for (size_t k = 0; k < rec->region_count; k++) {
        bool any = false;
        for (size_t n = 0; n < r->nodes; n++)
            if (strcmp(r->node[n].region, rec->regions[k]) == 0) {
                mark_node(r, (ot_node_ix)n);
                any = true;
            }
        if (!any)
            report(r, rec, "region", rec->regions[k],
                   "has no node in the network (expected a region of nodes.csv)");
    }
    for (size_t k = 0; k < rec->node_count; k++) {
        ot_node_ix n = ot_twin_find_node(r->twin, rec->nodes[k], strlen(rec->nodes[k]));
        if (n == OT_NONE)
            report(r, rec, "node", rec->nodes[k],
                   "is not in the network (expected a node_id of nodes.csv)");
        else
            mark_node(r, n);
    }
    /* Geocodes name regions; values that match none (FIPS, EMMA_ID codes of
     * places outside the network) are not errors. */
    for (size_t k = 0; k < rec->geocode_count; k++)
        for (size_t n = 0; n < r->nodes; n++)
            if (r->node[n].region[0] && strcmp(r->node[n].region, rec->geocodes[k]) == 0)
                mark_node(r, (ot_node_ix)n);
    for (size_t k = 0; k < rec->polygon_count; k++) {
        const ot_geo_path *poly = &rec->polygons[k];
        bbox b = path_box(poly);
        bool wraps = b.lon_hi - b.lon_lo > 180;
        for (size_t n = 0; n < r->nodes; n++) {
            const ot_node_info *ni = &r->node[n];
            if (ni->has_coords && (wraps || in_box(b, ni->lat, ni->lon)) &&
                ot_geo_in_polygon(poly->points, poly->count, (ot_geo_point){ni->lat, ni->lon}))
                mark_node(r, (ot_node_ix)n);
        }
    }
    for (size_t k = 0; k < rec->circle_count; k++) {
        const ot_geo_circle *c = &rec->circles[k];
        bbox b = grow((bbox){c->center.lat, c->center.lat, c->center.lon, c->center.lon},
                      c->radius_km * 1.01 + 0.01);
        for (size_t n = 0; n < r->nodes; n++) {
            const ot_node_info *ni = &r->node[n];
            if (ni->has_coords && in_box(b, ni->lat, ni->lon) &&
                ot_geo_distance_km(c->center, (ot_geo_point){ni->lat, ni->lon}) <=
                    c->radius_km)
                mark_node(r, (ot_node_ix)n);
        }
    }
}

static double location_lane_km(const ot_geo_path *loc, const ot_lane_info *lane,
                               const ot_node_info *nodes)
{
    ot_geo_point a = {nodes[lane->from].lat, nodes[lane->from].lon};
    ot_geo_point b = {nodes[lane->to].lat, nodes[lane->to].lon};
    if (loc->count == 1)
        return ot_geo_point_segment_km(loc->points[0], a, b);
    double best = INFINITY;
    for (size_t i = 0; i + 1 < loc->count; i++)
        best = fmin(best, ot_geo_segment_segment_km(loc->points[i], loc->points[i + 1], a, b));
    return best;
}

static void target_lanes(resolver *r, const ot_disruption *rec)
{
    for (size_t k = 0; k < rec->lane_count; k++) {
        const ot_lane_ref *ref = &rec->lanes[k];
        ot_node_ix from = ot_twin_find_node(r->twin, ref->from, strlen(ref->from));
        ot_node_ix to = ot_twin_find_node(r->twin, ref->to, strlen(ref->to));
        ot_lane_ix l = from == OT_NONE || to == OT_NONE ? OT_NONE
                                                        : ot_twin_find_lane(r->twin, from, to);
        if (l == OT_NONE) {
            char what[300];
            size_t a = strlen(ref->from) > 140 ? 140 : strlen(ref->from);
            size_t b = strlen(ref->to) > 140 ? 140 : strlen(ref->to);
            memcpy(what, ref->from, a);
            what[a] = '-';
            what[a + 1] = '>';
            memcpy(what + a + 2, ref->to, b);
            what[a + 2 + b] = '\0';
            report(r, rec, "lane", what,
                   "is not a route (expected a from,to pair of routes.csv)");
        } else {
            mark_lane(r, l);
        }
    }
    if (r->hit_node_count)
        for (size_t l = 0; l < r->lanes; l++)
            if (r->node_mark[r->lane[l].from] == r->stamp ||
                r->node_mark[r->lane[l].to] == r->stamp)
                mark_lane(r, (ot_lane_ix)l);
    for (size_t k = 0; k < rec->location_count; k++) {
        const ot_geo_path *loc = &rec->locations[k];
        bbox b = grow(path_box(loc), OT_DISRUPTION_LANE_KM * 1.01);
        for (size_t l = 0; l < r->lanes; l++)
            if (r->lane_geo[l] && r->lane_mark[l] != r->stamp &&
                overlaps(b, r->lane_box[l]) &&
                location_lane_km(loc, &r->lane[l], r->node) <= OT_DISRUPTION_LANE_KM)
                mark_lane(r, (ot_lane_ix)l);
    }
}

static void check(resolver *r, ot_err err)
{
    if (err != OT_OK && !r->failed) {
        ot_diag_report(r->diag, OT_DIAG_ERROR, NULL, 0,
                       "disruptions: could not store the factors: %s", ot_err_str(err));
        r->failed = true;
    }
}

/* Own feed: demand for the targeted nodes, filtered by SKUs/categories. */
static void apply_own_demand(resolver *r, const ot_disruption *rec, ot_day a, ot_day b)
{
    double x = rec->factors.demand;
    for (size_t i = 0; i < r->hit_node_count; i++) {
        ot_node_ix n = r->hit_nodes[i];
        if (!rec->sku_count && !rec->category_count)
            check(r, ot_factors_add_demand_category(r->f, n, OT_NONE, a, b, x));
        for (size_t k = 0; k < rec->sku_count; k++) {
            ot_sku_ix s = ot_twin_find_sku(r->twin, rec->skus[k], strlen(rec->skus[k]));
            if (s != OT_NONE)
                check(r, ot_factors_add_demand_sku(r->f, n, s, a, b, x));
        }
        for (size_t k = 0; k < rec->category_count; k++) {
            int32_t c = ot_factors_find_category(r->f, rec->categories[k],
                                                 strlen(rec->categories[k]));
            if (c != OT_NONE)
                check(r, ot_factors_add_demand_category(r->f, n, c, a, b, x));
        }
    }
}

static void check_demand_filters(resolver *r, const ot_disruption *rec)
{
    for (size_t k = 0; k < rec->sku_count; k++)
        if (ot_twin_find_sku(r->twin, rec->skus[k], strlen(rec->skus[k])) == OT_NONE)
            report(r, rec, "SKU", rec->skus[k],
                   "is not in the network (expected a sku of skus.csv)");
    for (size_t k = 0; k < rec->category_count; k++)
        if (ot_factors_find_category(r->f, rec->categories[k], strlen(rec->categories[k])) ==
            OT_NONE)
            report(r, rec, "category", rec->categories[k],
                   "is no SKU's category (expected a category of skus.csv)");
}

static void resolve_one(resolver *r, const ot_disruption *rec, const ot_resolve_options *o)
{
    r->stamp++;
    r->hit_node_count = r->hit_lane_count = 0;
    target_nodes(r, rec);
    target_lanes(r, rec);
    check_demand_filters(r, rec);
    ot_day a = ot_ts_day(rec->start);
    ot_day b = rec->end == INT64_MAX ? o->first_day + (ot_day)o->days - 1
               : rec->end_is_date    ? ot_ts_day(rec->end)
                                     : ot_ts_day(rec->end - 1);
    if (b < a)
        b = a;
    if (b < o->first_day || (int64_t)a >= (int64_t)o->first_day + (int64_t)o->days) {
        r->stats.outside++;
        return;
    }
    r->stats.records++;
    r->stats.nodes_touched += r->hit_node_count;
    r->stats.lanes_touched += r->hit_lane_count;
    if (r->failed)
        return;

    ot_disruption_factors fx = rec->factors;
    ot_lane_effect lane = OT_LANE_EFFECT_NEUTRAL;
    bool closed = fx.closed;
    if (rec->dialect == OT_DIALECT_OWN) {
        if (fx.has_demand)
            apply_own_demand(r, rec, a, b);
    } else {
        ot_effect_row row;
        if (ot_effects_lookup(r->effects, rec->dialect, rec->event, rec->severity, "*", &row)) {
            lane = (ot_lane_effect){row.capacity, row.lead_time_factor, row.added_days};
            closed = closed || row.closed;
        }
        bool any = false;
        for (size_t c = 0; c < r->cats; c++) {
            const char *name = ot_factors_category_name(r->f, (int32_t)c);
            r->cat_demand[c] = ot_effects_lookup(r->effects, rec->dialect, rec->event,
                                                 rec->severity, name, &row)
                                   ? row.demand
                                   : 1.0;
            any = any || r->cat_demand[c] != 1.0;
        }
        for (size_t i = 0; any && i < r->hit_node_count; i++)
            for (size_t c = 0; c < r->cats; c++)
                if (r->cat_demand[c] != 1.0)
                    check(r, ot_factors_add_demand_category(r->f, r->hit_nodes[i], (int32_t)c,
                                                            a, b, r->cat_demand[c]));
    }
    if (fx.has_capacity)
        lane.capacity_factor = fmin(lane.capacity_factor, fx.capacity);
    if (fx.has_lead_time)
        lane.lead_time_factor = fmax(lane.lead_time_factor, fx.lead_time_factor);
    if (fx.has_added_days)
        lane.added_days = fmax(lane.added_days, fx.added_days);
    /* A closure closes the targeted nodes; a closure that names only lanes
     * (or a traffic location) closes those lanes. */
    if (closed && !r->hit_node_count)
        lane.capacity_factor = 0;
    if (closed)
        for (size_t i = 0; i < r->hit_node_count; i++)
            check(r, ot_factors_close_node(r->f, r->hit_nodes[i], a, b));
    if (lane.capacity_factor != 1 || lane.lead_time_factor != 1 || lane.added_days != 0)
        for (size_t i = 0; i < r->hit_lane_count; i++)
            check(r, ot_factors_add_lane(r->f, r->hit_lanes[i], a, b, &lane));
}

static void resolver_release(resolver *r)
{
    ot_free(r->node);
    ot_free(r->lane);
    ot_free(r->lane_geo);
    ot_free(r->lane_box);
    ot_free(r->node_mark);
    ot_free(r->lane_mark);
    ot_free(r->hit_nodes);
    ot_free(r->hit_lanes);
    ot_free(r->cat_demand);
}

static bool resolver_init(resolver *r)
{
    size_t nn = r->nodes ? r->nodes : 1, nl = r->lanes ? r->lanes : 1;
    size_t nc = r->cats ? r->cats : 1;
    r->node = ot_calloc(nn, sizeof *r->node);
    r->lane = ot_calloc(nl, sizeof *r->lane);
    r->lane_geo = ot_calloc(nl, sizeof *r->lane_geo);
    r->lane_box = ot_calloc(nl, sizeof *r->lane_box);
    r->node_mark = ot_calloc(nn, sizeof *r->node_mark);
    r->lane_mark = ot_calloc(nl, sizeof *r->lane_mark);
    r->hit_nodes = ot_calloc(nn, sizeof *r->hit_nodes);
    r->hit_lanes = ot_calloc(nl, sizeof *r->hit_lanes);
    r->cat_demand = ot_calloc(nc, sizeof *r->cat_demand);
    if (!r->node || !r->lane || !r->lane_geo || !r->lane_box || !r->node_mark ||
        !r->lane_mark || !r->hit_nodes || !r->hit_lanes || !r->cat_demand)
        return false;
    for (size_t n = 0; n < r->nodes; n++) {
        ot_twin_node(r->twin, (ot_node_ix)n, &r->node[n]);
        if (!r->node[n].region)
            r->node[n].region = "";
    }
    for (size_t l = 0; l < r->lanes; l++) {
        ot_twin_lane(r->twin, (ot_lane_ix)l, &r->lane[l]);
        const ot_node_info *a = &r->node[r->lane[l].from], *b = &r->node[r->lane[l].to];
        r->lane_geo[l] = a->has_coords && b->has_coords;
        if (r->lane_geo[l]) {
            ot_geo_point pts[2] = {{a->lat, a->lon}, {b->lat, b->lon}};
            /* A great-circle arc bulges poleward of its endpoints' box; the
             * 10 km margin of the screen and a 1% widening cover lanes up to
             * a few hundred km, and longer lanes get a generous box. */
            double km = ot_geo_distance_km(pts[0], pts[1]);
            r->lane_box[l] = grow(path_box(&(ot_geo_path){pts, 2}), km > 300 ? km * 0.1 : 3);
        }
    }
    return true;
}

ot_err ot_disruption_resolve(const ot_disruption_set *set, const ot_twin *twin,
                             const ot_effects *effects, const ot_resolve_options *opts,
                             ot_diag *diag, ot_factors **out, ot_resolve_stats *stats)
{
    OT_ASSERT(set && twin && opts && out);
    *out = NULL;
    resolver r = {.twin = twin, .effects = effects, .diag = diag};
    r.f = ot_factors_new(twin, opts->first_day, opts->days);
    if (!r.f)
        return OT_ERR_NOMEM;
    r.nodes = ot_twin_node_count(twin);
    r.lanes = ot_twin_lane_count(twin);
    r.cats = ot_factors_category_count(r.f);
    if (!resolver_init(&r)) {
        resolver_release(&r);
        ot_factors_free(r.f);
        return OT_ERR_NOMEM;
    }
    for (size_t i = 0; i < ot_disruption_set_count(set); i++) {
        bool withdrawn;
        const ot_disruption *rec = ot_disruption_set_get(set, i, &withdrawn);
        if (withdrawn) {
            r.stats.withdrawn++;
            continue;
        }
        if (ot_ts_day(rec->issued) > opts->known_day)
            continue;
        resolve_one(&r, rec, opts);
    }
    resolver_release(&r);
    if (stats)
        *stats = r.stats;
    if (r.failed) {
        ot_factors_free(r.f);
        return OT_ERR_INPUT;
    }
    *out = r.f;
    return OT_OK;
}
