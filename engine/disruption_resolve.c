/*
 * Resolution of disruption records into the factor store
 * (include/omnitwin/disruption.h, docs/DISRUPTIONS.md "Mapping").
 *
 * Per record: the days it covers are clipped to the window; the nodes it
 * targets are marked (regions, ids, geocodes, polygons, circles); the lanes
 * it targets are the listed lanes, every lane touching a marked node, and
 * for traffic locations every lane whose straight segment passes within
 * OT_DISRUPTION_LANE_KM. A 1-degree grid of nodes and one of lanes
 * (engine/disruption_grid.h) and a node -> lanes adjacency keep each record's
 * work proportional to what lies near it, so that 10,000 records against
 * 2,000 stores resolve in a fraction of a second.
 */
#include <math.h>
#include <string.h>

#include "disruption_grid.h"
#include "omnitwin/disruption.h"
#include "strmap.h"

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
    ot_geo_arc *lane_arc;
    ot_grid node_grid, lane_grid;
    uint32_t *adj_start;         /* nodes + 1 offsets into adj: lanes touching */
    ot_lane_ix *adj;
    uint32_t *lane_tested;       /* test_stamp: lane tested against this location */
    uint32_t test_stamp;
    ot_strmap regions;           /* region name -> index (keys in the twin) */
    uint32_t *region_start;      /* CSR: region -> its nodes */
    ot_node_ix *region_nodes;
    /* the shape being tested by a grid query */
    const ot_geo_path *q_poly;
    const ot_geo_circle *q_circle;
    size_t q_arcs;
    double cos_d, sin_d;
    ot_geo_arc *loc_arcs;        /* segments of one location */
    size_t loc_arc_cap;
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

static void check(resolver *r, ot_err err);

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

static void visit_polygon(void *ctx, int32_t n)
{
    resolver *r = ctx;
    const ot_node_info *ni = &r->node[n];
    if (r->node_mark[n] != r->stamp &&
        ot_geo_in_polygon(r->q_poly->points, r->q_poly->count, (ot_geo_point){ni->lat, ni->lon}))
        mark_node(r, n);
}

static void visit_circle(void *ctx, int32_t n)
{
    resolver *r = ctx;
    const ot_node_info *ni = &r->node[n];
    if (r->node_mark[n] != r->stamp &&
        ot_geo_distance_km(r->q_circle->center, (ot_geo_point){ni->lat, ni->lon}) <=
            r->q_circle->radius_km)
        mark_node(r, n);
}

static void visit_lane(void *ctx, int32_t l)
{
    resolver *r = ctx;
    if (r->lane_mark[l] == r->stamp || r->lane_tested[l] == r->test_stamp)
        return;
    r->lane_tested[l] = r->test_stamp;
    for (size_t i = 0; i < r->q_arcs; i++)
        if (ot_geo_arcs_within(&r->loc_arcs[i], &r->lane_arc[l], r->cos_d, r->sin_d)) {
            mark_lane(r, l);
            return;
        }
}

/* Marks every node of the named region; false when no node has it. */
static bool mark_region(resolver *r, const char *name)
{
    int32_t g = *name ? ot_strmap_get(&r->regions, name, strlen(name)) : -1;
    if (g < 0)
        return false;
    for (uint32_t k = r->region_start[g]; k < r->region_start[g + 1]; k++)
        mark_node(r, r->region_nodes[k]);
    return true;
}

static void target_nodes(resolver *r, const ot_disruption *rec)
{
    for (size_t k = 0; k < rec->region_count; k++)
        if (!mark_region(r, rec->regions[k]))
            report(r, rec, "region", rec->regions[k],
                   "has no node in the network (expected a region of nodes.csv)");
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
        mark_region(r, rec->geocodes[k]);
    for (size_t k = 0; k < rec->polygon_count; k++) {
        const ot_geo_path *poly = &rec->polygons[k];
        bbox b = path_box(poly);
        r->q_poly = poly;
        /* A ring across the antimeridian spans more than 180 degrees in
         * its box: ask every longitude. */
        if (b.lon_hi - b.lon_lo > 180)
            ot_grid_query(&r->node_grid, b.lat_lo, b.lat_hi, -180, 180, visit_polygon, r);
        else
            ot_grid_query(&r->node_grid, b.lat_lo, b.lat_hi, b.lon_lo, b.lon_hi, visit_polygon, r);
    }
    for (size_t k = 0; k < rec->circle_count; k++) {
        const ot_geo_circle *c = &rec->circles[k];
        bbox b = grow((bbox){c->center.lat, c->center.lat, c->center.lon, c->center.lon},
                      c->radius_km * 1.01 + 0.01);
        r->q_circle = c;
        ot_grid_query(&r->node_grid, b.lat_lo, b.lat_hi, b.lon_lo, b.lon_hi, visit_circle, r);
    }
}

/* The location's segments as prepared arcs (a point: one degenerate arc);
 * false when out of memory. */
static bool location_arcs(resolver *r, const ot_geo_path *loc, size_t *count)
{
    size_t n = loc->count > 1 ? loc->count - 1 : 1;
    if (n > r->loc_arc_cap) {
        ot_geo_arc *grown = ot_reallocarray(r->loc_arcs, n, sizeof *grown);
        if (!grown)
            return false;
        r->loc_arcs = grown;
        r->loc_arc_cap = n;
    }
    for (size_t i = 0; i < n; i++)
        ot_geo_arc_init(&r->loc_arcs[i], loc->points[i],
                        loc->points[loc->count > 1 ? i + 1 : i]);
    *count = n;
    return true;
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
    for (size_t i = 0; i < r->hit_node_count; i++) {
        ot_node_ix n = r->hit_nodes[i];
        for (uint32_t k = r->adj_start[n]; k < r->adj_start[n + 1]; k++)
            mark_lane(r, r->adj[k]);
    }
    for (size_t k = 0; k < rec->location_count; k++) {
        const ot_geo_path *loc = &rec->locations[k];
        if (!location_arcs(r, loc, &r->q_arcs)) {
            check(r, OT_ERR_NOMEM);
            return;
        }
        bbox b = grow(path_box(loc), OT_DISRUPTION_LANE_KM * 1.01);
        r->test_stamp++;
        ot_grid_query(&r->lane_grid, b.lat_lo, b.lat_hi, b.lon_lo, b.lon_hi, visit_lane, r);
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
    ot_free(r->lane_arc);
    ot_free(r->adj_start);
    ot_free(r->adj);
    ot_free(r->lane_tested);
    ot_grid_release(&r->node_grid);
    ot_strmap_release(&r->regions);
    ot_free(r->region_start);
    ot_free(r->region_nodes);
    ot_grid_release(&r->lane_grid);
    ot_free(r->loc_arcs);
    ot_free(r->node_mark);
    ot_free(r->lane_mark);
    ot_free(r->hit_nodes);
    ot_free(r->hit_lanes);
    ot_free(r->cat_demand);
}

/* node -> lanes touching it, in CSR form: adj[adj_start[n] .. adj_start[n+1]). */
static void build_adjacency(resolver *r)
{
    for (size_t l = 0; l < r->lanes; l++) {
        r->adj_start[r->lane[l].from + 1]++;
        if (r->lane[l].to != r->lane[l].from)
            r->adj_start[r->lane[l].to + 1]++;
    }
    for (size_t n = 0; n < r->nodes; n++)
        r->adj_start[n + 1] += r->adj_start[n];
    /* node_mark (all zero before the first record) is the fill cursor */
    uint32_t *cursor = r->node_mark;
    for (size_t l = 0; l < r->lanes; l++) {
        ot_node_ix a = r->lane[l].from, b = r->lane[l].to;
        r->adj[r->adj_start[a] + cursor[a]++] = (ot_lane_ix)l;
        if (b != a)
            r->adj[r->adj_start[b] + cursor[b]++] = (ot_lane_ix)l;
    }
    memset(cursor, 0, r->nodes * sizeof *cursor);
}

/* Region name -> nodes, in CSR form. */
static bool index_regions(resolver *r)
{
    size_t nn = r->nodes ? r->nodes : 1;
    int32_t *of = ot_malloc(nn * sizeof *of);
    uint32_t *cursor = ot_calloc(nn, sizeof *cursor);
    r->region_start = ot_calloc(nn + 1, sizeof *r->region_start);
    r->region_nodes = ot_malloc(nn * sizeof *r->region_nodes);
    bool ok = of && cursor && r->region_start && r->region_nodes;
    size_t count = 0;
    for (size_t n = 0; ok && n < r->nodes; n++) {
        const char *name = r->node[n].region;
        of[n] = -1;
        if (!*name)
            continue;
        size_t len = strlen(name);
        int32_t g = ot_strmap_get(&r->regions, name, len);
        if (g < 0) {
            g = (int32_t)count++;
            ok = ot_strmap_put(&r->regions, name, len, g) == OT_OK;
        }
        of[n] = g;
        r->region_start[g + 1]++;
    }
    for (size_t g = 0; ok && g < count; g++)
        r->region_start[g + 1] += r->region_start[g];
    for (size_t n = 0; ok && n < r->nodes; n++)
        if (of[n] >= 0)
            r->region_nodes[r->region_start[of[n]] + cursor[of[n]]++] = (ot_node_ix)n;
    ot_free(of);
    ot_free(cursor);
    return ok;
}

/* The spatial indexes: nodes by position, lanes by their arcs. */
static bool build_grids(resolver *r)
{
    size_t nn = r->nodes ? r->nodes : 1, nl = r->lanes ? r->lanes : 1;
    ot_geo_point *pos = ot_calloc(nn, sizeof *pos), *from = ot_calloc(nl, sizeof *from);
    ot_geo_point *to = ot_calloc(nl, sizeof *to);
    bool *has = ot_calloc(nn, sizeof *has);
    bool ok = pos && from && to && has;
    for (size_t n = 0; ok && n < r->nodes; n++) {
        pos[n] = (ot_geo_point){r->node[n].lat, r->node[n].lon};
        has[n] = r->node[n].has_coords;
    }
    for (size_t l = 0; ok && l < r->lanes; l++) {
        from[l] = pos[r->lane[l].from];
        to[l] = pos[r->lane[l].to];
        r->lane_geo[l] = has[r->lane[l].from] && has[r->lane[l].to];
        if (r->lane_geo[l])
            ot_geo_arc_init(&r->lane_arc[l], from[l], to[l]);
    }
    ok = ok && ot_grid_build_points(&r->node_grid, pos, has, r->nodes) == OT_OK &&
         ot_grid_build_arcs(&r->lane_grid, from, to, r->lane_geo, r->lanes,
                            OT_DISRUPTION_LANE_KM) == OT_OK;
    ot_free(pos);
    ot_free(from);
    ot_free(to);
    ot_free(has);
    return ok;
}

static bool resolver_init(resolver *r)
{
    size_t nn = r->nodes ? r->nodes : 1, nl = r->lanes ? r->lanes : 1;
    size_t nc = r->cats ? r->cats : 1;
    r->node = ot_calloc(nn, sizeof *r->node);
    r->lane = ot_calloc(nl, sizeof *r->lane);
    r->lane_geo = ot_calloc(nl, sizeof *r->lane_geo);
    r->lane_arc = ot_calloc(nl, sizeof *r->lane_arc);
    r->lane_tested = ot_calloc(nl, sizeof *r->lane_tested);
    r->adj_start = ot_calloc(nn + 1, sizeof *r->adj_start);
    r->adj = ot_calloc(2 * nl, sizeof *r->adj);
    r->node_mark = ot_calloc(nn, sizeof *r->node_mark);
    r->lane_mark = ot_calloc(nl, sizeof *r->lane_mark);
    r->hit_nodes = ot_calloc(nn, sizeof *r->hit_nodes);
    r->hit_lanes = ot_calloc(nl, sizeof *r->hit_lanes);
    r->cat_demand = ot_calloc(nc, sizeof *r->cat_demand);
    if (!r->node || !r->lane || !r->lane_geo || !r->lane_arc || !r->lane_tested ||
        !r->adj_start || !r->adj || !r->node_mark || !r->lane_mark || !r->hit_nodes ||
        !r->hit_lanes || !r->cat_demand)
        return false;
    for (size_t n = 0; n < r->nodes; n++) {
        ot_twin_node(r->twin, (ot_node_ix)n, &r->node[n]);
        if (!r->node[n].region)
            r->node[n].region = "";
    }
    for (size_t l = 0; l < r->lanes; l++)
        ot_twin_lane(r->twin, (ot_lane_ix)l, &r->lane[l]);
    build_adjacency(r);
    return index_regions(r) && build_grids(r);
}

ot_err ot_disruption_resolve(const ot_disruption_set *set, const ot_twin *twin,
                             const ot_effects *effects, const ot_resolve_options *opts,
                             ot_diag *diag, ot_factors **out, ot_resolve_stats *stats)
{
    OT_ASSERT(set && twin && opts && out);
    *out = NULL;
    resolver r = {.twin = twin, .effects = effects, .diag = diag,
                  .cos_d = cos(OT_DISRUPTION_LANE_KM / OT_EARTH_RADIUS_KM),
                  .sin_d = sin(OT_DISRUPTION_LANE_KM / OT_EARTH_RADIUS_KM)};
    r.f = ot_factors_new(twin, opts->first_day, opts->days);
    if (!r.f)
        return OT_ERR_NOMEM;
    ot_strmap_init(&r.regions);
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
