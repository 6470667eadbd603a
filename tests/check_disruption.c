/*
 * The disruption engine: the factor store, geometry, the effects table and
 * resolution of records against a small twin. Every expected number is
 * worked out by hand in the comment next to it.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "disruption_grid.h"
#include "omnitwin/disruption.h"
#include "omnitwin/factors.h"

Suite *ot_suite_disruption(void);

#define KM_PER_DEG (OT_EARTH_RADIUS_KM * 3.14159265358979323846 / 180.0) /* 111.19508 */

/* The tiny network:
 *   SUP1 supplier  region RS  (10, -10)
 *   DC1  dc        region R1  (0, 0)
 *   S1   store     region R1  (0, 1)
 *   S2   store     region R2  (1, 1)
 *   S3   store     region R2  (5, 5)
 * SKUs A (food), B (home), C (no category).
 * Lanes 0 SUP1->DC1 7 d, 1 DC1->S1 1 d, 2 DC1->S2 2 d, 3 DC1->S3 3 d,
 *       4 S1->S2 1 d. */
enum { SUP1, DC1, S1, S2, S3 };
enum { SKU_A, SKU_B, SKU_C };
enum { L_SUP_DC, L_DC_S1, L_DC_S2, L_DC_S3, L_S1_S2 };
#define DAY0 20454 /* 2026-01-01 */

static ot_twin *tiny_twin(void)
{
    ot_twin *t = ot_twin_new(0);
    ck_assert_ptr_nonnull(t);
    const struct {
        const char *id, *region;
        ot_node_kind kind;
        double lat, lon;
    } nodes[] = {{"SUP1", "RS", OT_NODE_SUPPLIER, 10, -10}, {"DC1", "R1", OT_NODE_DC, 0, 0},
                 {"S1", "R1", OT_NODE_STORE, 0, 1},       {"S2", "R2", OT_NODE_STORE, 1, 1},
                 {"S3", "R2", OT_NODE_STORE, 5, 5}};
    for (size_t i = 0; i < OT_ARRAY_LEN(nodes); i++) {
        ot_node_info info = {nodes[i].id, nodes[i].kind, nodes[i].region, true,
                             nodes[i].lat, nodes[i].lon, INFINITY};
        ot_node_ix ix;
        ck_assert_int_eq(ot_twin_add_node(t, &info, &ix), OT_OK);
        ck_assert_int_eq(ix, (int)i);
    }
    const char *skus[][2] = {{"A", "food"}, {"B", "home"}, {"C", ""}};
    for (size_t i = 0; i < 3; i++) {
        ot_sku_info info = {skus[i][0], skus[i][1], 1, 0.01, 1, 1, 1};
        ot_sku_ix ix;
        ck_assert_int_eq(ot_twin_add_sku(t, &info, &ix), OT_OK);
    }
    ck_assert_int_eq(ot_twin_seal_catalog(t, DAY0 - 10, DAY0 - 1), OT_OK);
    const int lanes[][3] = {{SUP1, DC1, 7}, {DC1, S1, 1}, {DC1, S2, 2}, {DC1, S3, 3}, {S1, S2, 1}};
    for (size_t i = 0; i < OT_ARRAY_LEN(lanes); i++) {
        ot_lane_info info = {lanes[i][0], lanes[i][1], lanes[i][2], 1.0, 100.0, ""};
        ot_lane_ix ix;
        ck_assert_int_eq(ot_twin_add_lane(t, &info, &ix), OT_OK);
        ck_assert_int_eq(ix, (int)i);
    }
    return t;
}

/* ---- The factor store ---------------------------------------------------- */

START_TEST(test_factors_neutral)
{
    ot_twin *t = tiny_twin();
    /* NULL store: no disruption. */
    ck_assert_double_eq(ot_factors_demand(NULL, S1, SKU_A, DAY0), 1.0);
    ck_assert_int_eq(ot_factors_lead_time_days(NULL, L_DC_S2, DAY0), 0);
    ck_assert_double_eq(ot_factors_lane_capacity(NULL, L_DC_S2, DAY0), 1.0);
    ck_assert(!ot_factors_node_closed(NULL, S1, DAY0));
    ot_factors *f = ot_factors_new(t, DAY0, 7);
    ck_assert_ptr_nonnull(f);
    ck_assert(!ot_factors_any(f));
    ck_assert_double_eq(ot_factors_demand(f, S1, SKU_A, DAY0 + 3), 1.0);
    ck_assert_int_eq(ot_factors_lead_time_days(f, L_SUP_DC, DAY0), 7);
    ck_assert_double_eq(ot_factors_lane_capacity(f, L_DC_S2, DAY0 + 6), 1.0);
    /* categories: food, home and "" in SKU order */
    ck_assert_uint_eq(ot_factors_category_count(f), 3);
    ck_assert_str_eq(ot_factors_category_name(f, 1), "home");
    ck_assert_int_eq(ot_factors_find_category(f, "", 0), 2);
    ck_assert_int_eq(ot_factors_find_category(f, "toys", 4), OT_NONE);
    ck_assert_int_eq(ot_factors_sku_category(f, SKU_C), 2);
    ot_factors_free(f);
    ot_factors_free(NULL);
    ot_twin_free(t);
}
END_TEST

START_TEST(test_factors_combine)
{
    ot_twin *t = tiny_twin();
    ot_factors *f = ot_factors_new(t, DAY0, 7);
    /* Demand multiplies: 1.5 for every category at S2 on days 1..2, times 2
     * for food on day 2 only: A on day 2 = 3, B on day 2 = 1.5. */
    ck_assert_int_eq(ot_factors_add_demand_category(f, S2, OT_NONE, DAY0 + 1, DAY0 + 2, 1.5), OT_OK);
    ck_assert_int_eq(ot_factors_add_demand_category(f, S2, 0, DAY0 + 2, DAY0 + 2, 2.0), OT_OK);
    ck_assert_double_eq_tol(ot_factors_demand(f, S2, SKU_A, DAY0 + 2), 3.0, 1e-12);
    ck_assert_double_eq_tol(ot_factors_demand(f, S2, SKU_B, DAY0 + 2), 1.5, 1e-12);
    ck_assert_double_eq_tol(ot_factors_demand(f, S2, SKU_A, DAY0 + 1), 1.5, 1e-12);
    ck_assert_double_eq(ot_factors_demand(f, S2, SKU_A, DAY0 + 3), 1.0);
    ck_assert_double_eq(ot_factors_demand(f, S1, SKU_A, DAY0 + 2), 1.0);
    /* A SKU rule for every node multiplies on top: C at S2 day 1 = 1.5 x 0.5. */
    ck_assert_int_eq(ot_factors_add_demand_sku(f, OT_NONE, SKU_C, DAY0 + 1, DAY0 + 1, 0.5), OT_OK);
    ck_assert_double_eq_tol(ot_factors_demand(f, S2, SKU_C, DAY0 + 1), 0.75, 1e-12);
    ck_assert_double_eq_tol(ot_factors_demand(f, S3, SKU_C, DAY0 + 1), 0.5, 1e-12);
    ck_assert_uint_eq(ot_factors_sku_rule_count(f), 1);

    /* Lanes: capacity takes the minimum, lead-time factor and added days the
     * maximum. Lane DC1->S2 (2 days): {0.6, x1.5, +0.25} and {0.8, x1.2,
     * +1} give capacity 0.6 and ceil(2 x 1.5 + 1) = 4 days. */
    ot_lane_effect a = {0.6, 1.5, 0.25}, b = {0.8, 1.2, 1.0};
    ck_assert_int_eq(ot_factors_add_lane(f, L_DC_S2, DAY0, DAY0 + 1, &a), OT_OK);
    ck_assert_int_eq(ot_factors_add_lane(f, L_DC_S2, DAY0 + 1, DAY0 + 1, &b), OT_OK);
    ck_assert_double_eq(ot_factors_lane_capacity(f, L_DC_S2, DAY0 + 1), 0.6);
    ck_assert_int_eq(ot_factors_lead_time_days(f, L_DC_S2, DAY0 + 1), 4);
    /* day 0 only a: ceil(2 x 1.5 + 0.25) = ceil(3.25) = 4; exactly 3.0 stays 3 */
    ck_assert_int_eq(ot_factors_lead_time_days(f, L_DC_S2, DAY0), 4);
    ot_lane_effect c = {1.0, 1.5, 0.0};
    ck_assert_int_eq(ot_factors_add_lane(f, L_DC_S2, DAY0 + 4, DAY0 + 4, &c), OT_OK);
    ck_assert_int_eq(ot_factors_lead_time_days(f, L_DC_S2, DAY0 + 4), 3);
    ck_assert_int_eq(ot_factors_lead_time_days(f, L_DC_S2, DAY0 + 2), 2);

    /* Closing S1 on day 3 closes DC1->S1 and S1->S2 but not DC1->S2. */
    ck_assert_int_eq(ot_factors_close_node(f, S1, DAY0 + 3, DAY0 + 3), OT_OK);
    ck_assert(ot_factors_node_closed(f, S1, DAY0 + 3));
    ck_assert(!ot_factors_node_closed(f, S1, DAY0 + 4));
    ck_assert_double_eq(ot_factors_lane_capacity(f, L_DC_S1, DAY0 + 3), 0.0);
    ck_assert_double_eq(ot_factors_lane_capacity(f, L_S1_S2, DAY0 + 3), 0.0);
    ck_assert_double_eq(ot_factors_lane_capacity(f, L_DC_S2, DAY0 + 3), 1.0);
    ck_assert(ot_factors_any(f));
    ot_factors_free(f);
    ot_twin_free(t);
}
END_TEST

START_TEST(test_factors_window_and_bad_input)
{
    ot_twin *t = tiny_twin();
    ot_factors *f = ot_factors_new(t, DAY0, 3);
    /* Clipped to the window: days -5..+1 cover days 0 and 1 only. */
    ck_assert_int_eq(ot_factors_close_node(f, S3, DAY0 - 5, DAY0 + 1), OT_OK);
    ck_assert(ot_factors_node_closed(f, S3, DAY0));
    ck_assert(ot_factors_node_closed(f, S3, DAY0 + 1));
    ck_assert(!ot_factors_node_closed(f, S3, DAY0 + 2));
    ck_assert(!ot_factors_node_closed(f, S3, DAY0 - 1));
    /* Entirely outside: nothing happens, no error. */
    ck_assert_int_eq(ot_factors_add_demand_category(f, S3, OT_NONE, DAY0 + 3, DAY0 + 9, 2), OT_OK);
    ck_assert_double_eq(ot_factors_demand(f, S3, SKU_A, DAY0 + 3), 1.0);
    /* Bad input changes nothing. */
    ot_lane_effect neg = {-0.5, 1, 0}, nan_lt = {1, NAN, 0};
    ck_assert_int_eq(ot_factors_add_lane(f, L_DC_S3, DAY0, DAY0, &neg), OT_ERR_INPUT);
    ck_assert_int_eq(ot_factors_add_lane(f, L_DC_S3, DAY0, DAY0, &nan_lt), OT_ERR_INPUT);
    ck_assert_int_eq(ot_factors_add_lane(f, 99, DAY0, DAY0, &(ot_lane_effect){1, 1, 0}),
                     OT_ERR_INPUT);
    ck_assert_int_eq(ot_factors_add_demand_category(f, 17, OT_NONE, DAY0, DAY0, 2), OT_ERR_INPUT);
    ck_assert_int_eq(ot_factors_add_demand_category(f, S1, 3, DAY0, DAY0, 2), OT_ERR_INPUT);
    ck_assert_int_eq(ot_factors_add_demand_sku(f, S1, -2, DAY0, DAY0, 2), OT_ERR_INPUT);
    ck_assert_int_eq(ot_factors_add_demand_sku(f, S1, SKU_A, DAY0, DAY0, INFINITY), OT_ERR_INPUT);
    ck_assert_int_eq(ot_factors_close_node(f, -1, DAY0, DAY0), OT_ERR_INPUT);
    ck_assert_double_eq(ot_factors_lane_capacity(f, L_DC_S1, DAY0), 1.0);
    ck_assert_int_eq(ot_factors_lead_time_days(f, L_DC_S3, DAY0), 3);
    /* Readers with out-of-range indexes read neutral. */
    ck_assert_double_eq(ot_factors_demand(f, 99, SKU_A, DAY0), 1.0);
    ck_assert_double_eq(ot_factors_demand(f, S1, 99, DAY0), 1.0);
    ck_assert(!ot_factors_node_closed(f, 99, DAY0));
    ot_factors_free(f);
    ot_twin_free(t);
}
END_TEST

/* ---- Geometry ------------------------------------------------------------ */

START_TEST(test_geo_distance)
{
    /* One degree of a great circle: 2 pi R / 360 = 111.19508 km. */
    ck_assert_double_eq_tol(ot_geo_distance_km((ot_geo_point){0, 0}, (ot_geo_point){0, 1}),
                            KM_PER_DEG, 1e-6);
    ck_assert_double_eq_tol(ot_geo_distance_km((ot_geo_point){10, 0}, (ot_geo_point){11, 0}),
                            KM_PER_DEG, 1e-6);
    /* Across the antimeridian: 179.5 to -179.5 on the equator is 1 degree. */
    ck_assert_double_eq_tol(ot_geo_distance_km((ot_geo_point){0, 179.5},
                                               (ot_geo_point){0, -179.5}), KM_PER_DEG, 1e-6);
    /* Point to arc: the equator from lon 0 to 1; (1, 0.5) is 1 degree north
     * of its middle; (0, 3) is 2 degrees past its end. */
    ck_assert_double_eq_tol(ot_geo_point_segment_km((ot_geo_point){1, 0.5}, (ot_geo_point){0, 0},
                                                    (ot_geo_point){0, 1}), KM_PER_DEG, 1e-6);
    ck_assert_double_eq_tol(ot_geo_point_segment_km((ot_geo_point){0, 3}, (ot_geo_point){0, 0},
                                                    (ot_geo_point){0, 1}), 2 * KM_PER_DEG, 1e-6);
    ck_assert_double_eq_tol(ot_geo_point_segment_km((ot_geo_point){0, 0.25}, (ot_geo_point){0, 0},
                                                    (ot_geo_point){0, 1}), 0, 1e-6);
    /* Crossing arcs: the equator segment and the meridian segment at lon
     * 0.5 from -1 to 1 cross: 0. Parallel ones 1 degree apart: 1 degree. */
    ck_assert_double_eq_tol(ot_geo_segment_segment_km((ot_geo_point){0, 0}, (ot_geo_point){0, 1},
                                                      (ot_geo_point){-1, 0.5},
                                                      (ot_geo_point){1, 0.5}), 0, 1e-9);
    ck_assert_double_eq_tol(ot_geo_segment_segment_km((ot_geo_point){0, 0}, (ot_geo_point){0, 1},
                                                      (ot_geo_point){1, 0.5},
                                                      (ot_geo_point){3, 0.5}), KM_PER_DEG, 1e-6);
}
END_TEST

/* The prepared-arc test agrees with the distance it stands for, on
 * pseudo-random arcs and points (a fixed LCG, so the cases never change)
 * and on hand-made ones: 0.08 degrees = 8.9 km is within 10 km, 0.1
 * degrees = 11.1 km is not. */
START_TEST(test_geo_arcs_within)
{
    const double km = 10, d = km / OT_EARTH_RADIUS_KM;
    ot_geo_arc lane, pt;
    ot_geo_arc_init(&lane, (ot_geo_point){0, 0}, (ot_geo_point){0, 1});
    ot_geo_arc_init(&pt, (ot_geo_point){0.08, 0.5}, (ot_geo_point){0.08, 0.5});
    ck_assert(ot_geo_arcs_within(&pt, &lane, cos(d), sin(d)));
    ot_geo_arc_init(&pt, (ot_geo_point){0.1, 0.5}, (ot_geo_point){0.1, 0.5});
    ck_assert(!ot_geo_arcs_within(&pt, &lane, cos(d), sin(d)));
    ot_geo_arc_init(&pt, (ot_geo_point){0, 1.08}, (ot_geo_point){0, 1.08});
    ck_assert(ot_geo_arcs_within(&pt, &lane, cos(d), sin(d)));
    uint64_t seed = 12345;
    size_t near = 0;
    for (int i = 0; i < 20000; i++) {
        double v[8];
        for (int k = 0; k < 8; k++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            v[k] = (double)(seed >> 11) / 9007199254740992.0; /* [0, 1) */
        }
        ot_geo_point a = {40 + v[0] * 2, -100 + v[1] * 2}, b = {40 + v[2] * 2, -100 + v[3] * 2};
        ot_geo_point c = {40 + v[4] * 2, -100 + v[5] * 2};
        ot_geo_point e = i % 2 ? c : (ot_geo_point){c.lat + (v[6] - 0.5) * 0.3,
                                                    c.lon + (v[7] - 0.5) * 0.3};
        ot_geo_arc x, y;
        ot_geo_arc_init(&x, a, b);
        ot_geo_arc_init(&y, c, e);
        double dist = ot_geo_segment_segment_km(a, b, c, e);
        if (fabs(dist - km) < 1e-6)
            continue; /* too close to call either way */
        ck_assert_int_eq(ot_geo_arcs_within(&x, &y, cos(d), sin(d)), dist <= km);
        ck_assert_int_eq(ot_geo_arcs_within(&y, &x, cos(d), sin(d)), dist <= km);
        near += dist <= km;
    }
    ck_assert_uint_gt(near, 500); /* both answers were exercised */
}
END_TEST

/* The lane grid never misses a lane: for pseudo-random arcs (short and
 * long, high latitudes, across the antimeridian) and points, every arc
 * within 10 km of a point is among the items the grid returns for the
 * point's box grown by 10 km, as the resolver asks. */
typedef struct {
    bool *seen;
} grid_hits;

static void note_hit(void *ctx, int32_t item) { ((grid_hits *)ctx)->seen[item] = true; }

static double lcg(uint64_t *seed)
{
    *seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(*seed >> 11) / 9007199254740992.0;
}

START_TEST(test_grid_complete)
{
    enum { ARCS = 200, POINTS = 1000 };
    ot_geo_point from[ARCS], to[ARCS];
    bool valid[ARCS], seen[ARCS];
    ot_geo_arc arcs[ARCS];
    uint64_t seed = 99;
    for (int i = 0; i < ARCS; i++) {
        double lat = -75 + 150 * lcg(&seed), lon = -180 + 360 * lcg(&seed);
        double span = i % 3 == 0 ? 20 : i % 3 == 1 ? 2 : 0.2;
        from[i] = (ot_geo_point){lat, lon};
        double lon2 = lon + span * (lcg(&seed) - 0.5);
        lon2 = lon2 > 180 ? lon2 - 360 : lon2 < -180 ? lon2 + 360 : lon2;
        double lat2 = fmax(-89, fmin(89, lat + span * (lcg(&seed) - 0.5)));
        to[i] = (ot_geo_point){lat2, lon2};
        valid[i] = i % 17 != 0; /* some lanes have no coordinates */
        ot_geo_arc_init(&arcs[i], from[i], to[i]);
    }
    ot_grid g;
    ck_assert_int_eq(ot_grid_build_arcs(&g, from, to, valid, ARCS, 10.0), OT_OK);
    const double d = 10.0 / OT_EARTH_RADIUS_KM;
    size_t near = 0;
    for (int k = 0; k < POINTS; k++) {
        /* points near some arc: a random fraction along it, nudged */
        int i = (int)(lcg(&seed) * ARCS);
        double t = lcg(&seed);
        ot_geo_point p = {from[i].lat + t * (to[i].lat - from[i].lat) + (lcg(&seed) - 0.5) * 0.3,
                          from[i].lon + t * (to[i].lon - from[i].lon) + (lcg(&seed) - 0.5) * 0.3};
        if (p.lon > 180 || p.lon < -180 || fabs(p.lat) > 89)
            continue;
        ot_geo_arc pa;
        ot_geo_arc_init(&pa, p, p);
        memset(seen, 0, sizeof seen);
        grid_hits hits = {seen};
        double m = 10.0 / 111.0 * 1.01, c = cos((fabs(p.lat) + m) * 3.14159265358979 / 180);
        double mlon = c > 0.01 ? m / c : 360;
        ot_grid_query(&g, p.lat - m, p.lat + m, p.lon - mlon, p.lon + mlon, note_hit, &hits);
        for (int a = 0; a < ARCS; a++)
            if (valid[a] && ot_geo_arcs_within(&pa, &arcs[a], cos(d), sin(d))) {
                near++;
                if (!seen[a])
                    ck_abort_msg("arc %d (%g,%g)-(%g,%g) is within 10 km of (%g,%g) but not "
                                 "in the grid's cells", a, from[a].lat, from[a].lon, to[a].lat,
                                 to[a].lon, p.lat, p.lon);
            }
        for (int a = 0; a < ARCS; a++)
            ck_assert(!seen[a] || valid[a]);
    }
    ck_assert_uint_gt(near, 100); /* the property was exercised */
    ot_grid_release(&g);
}
END_TEST

START_TEST(test_geo_polygon)
{
    /* The unit square (lat 0..1, lon 0..1), closed as CAP writes it. */
    const ot_geo_point sq[] = {{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}};
    ck_assert(ot_geo_in_polygon(sq, 5, (ot_geo_point){0.5, 0.5}));
    ck_assert(!ot_geo_in_polygon(sq, 5, (ot_geo_point){1.5, 0.5}));
    ck_assert(!ot_geo_in_polygon(sq, 5, (ot_geo_point){0.5, -0.0001}));
    /* On a vertex and on an edge: inside. */
    ck_assert(ot_geo_in_polygon(sq, 5, (ot_geo_point){1, 1}));
    ck_assert(ot_geo_in_polygon(sq, 5, (ot_geo_point){0, 0}));
    ck_assert(ot_geo_in_polygon(sq, 5, (ot_geo_point){0.5, 1}));
    ck_assert(ot_geo_in_polygon(sq, 5, (ot_geo_point){0, 0.3}));
    /* A ray through a vertex must not count it twice: (0.5, -1) looking east
     * along lat 0.5 passes no vertex, (1, -1) passes the vertex (1, 0). */
    ck_assert(!ot_geo_in_polygon(sq, 5, (ot_geo_point){1, -1}));
    /* Concave U: the square with a notch from the top, lon 0.4..0.6 above
     * lat 0.3. */
    const ot_geo_point u[] = {{0, 0}, {0, 1}, {1, 1}, {1, 0.6}, {0.3, 0.6}, {0.3, 0.4},
                              {1, 0.4}, {1, 0}, {0, 0}};
    ck_assert(!ot_geo_in_polygon(u, 9, (ot_geo_point){0.8, 0.5}));  /* in the notch */
    ck_assert(ot_geo_in_polygon(u, 9, (ot_geo_point){0.8, 0.2}));   /* left arm */
    ck_assert(ot_geo_in_polygon(u, 9, (ot_geo_point){0.8, 0.8}));   /* right arm */
    ck_assert(ot_geo_in_polygon(u, 9, (ot_geo_point){0.2, 0.5}));   /* below the notch */
    /* Across the antimeridian: lon 179..-179 (2 degrees wide). */
    const ot_geo_point am[] = {{0, 179}, {0, -179}, {1, -179}, {1, 179}, {0, 179}};
    ck_assert(ot_geo_in_polygon(am, 5, (ot_geo_point){0.5, 179.5}));
    ck_assert(ot_geo_in_polygon(am, 5, (ot_geo_point){0.5, -179.5}));
    ck_assert(!ot_geo_in_polygon(am, 5, (ot_geo_point){0.5, 0}));
    ck_assert(!ot_geo_in_polygon(am, 5, (ot_geo_point){0.5, 178}));
    /* Degenerate rings touch nothing. */
    ck_assert(!ot_geo_in_polygon(sq, 2, (ot_geo_point){0, 0.5}));
}
END_TEST

/* ---- Effects table ---------------------------------------------------------- */

static void add_row(ot_effects *e, ot_dialect d, const char *ev, const char *sev,
                    const char *cat, double demand, double lt, double add, double cap, bool closed)
{
    ot_effect_row row = {d, ev, sev, cat, demand, lt, add, cap, closed};
    char why[200];
    ck_assert_int_eq(ot_effects_add(e, &row, why, sizeof why), OT_OK);
}

START_TEST(test_effects_lookup)
{
    ot_effects *e = ot_effects_new();
    add_row(e, OT_DIALECT_CAP, "*", "Severe", "*", 0.9, 1.25, 1, 0.75, false);
    add_row(e, OT_DIALECT_CAP, "*", "Severe", "food", 1.3, 1, 0, 1, false);
    add_row(e, OT_DIALECT_CAP, "Winter Storm Warning", "*", "*", 0.8, 1.5, 1, 0.6, false);
    add_row(e, OT_DIALECT_CAP, "Hurricane Warning", "Extreme", "*", 0.2, 2, 2, 0, true);
    add_row(e, OT_DIALECT_DATEX, "*", "high", "*", 1, 1.25, 0.5, 0.6, false);
    ck_assert_uint_eq(ot_effects_count(e), 5);
    ot_effect_row r;
    /* exact event beats exact severity: Winter Storm / Severe -> row 3 */
    ck_assert(ot_effects_lookup(e, OT_DIALECT_CAP, "winter storm warning", "Severe", "*", &r));
    ck_assert_double_eq(r.capacity, 0.6);
    /* a category row beats generic ones for demand */
    ck_assert(ot_effects_lookup(e, OT_DIALECT_CAP, "Winter Storm Warning", "Severe", "food", &r));
    ck_assert_double_eq(r.demand, 1.3);
    ck_assert(ot_effects_lookup(e, OT_DIALECT_CAP, "Winter Storm Warning", "Severe", "home", &r));
    ck_assert_double_eq(r.demand, 0.8);
    ck_assert(ot_effects_lookup(e, OT_DIALECT_CAP, "Hurricane Warning", "EXTREME", "*", &r));
    ck_assert(r.closed);
    ck_assert(!ot_effects_lookup(e, OT_DIALECT_CAP, "Fog Advisory", "Minor", "*", &r));
    ck_assert(!ot_effects_lookup(e, OT_DIALECT_DATEX, "Accident", "low", "*", &r));
    ck_assert(ot_effects_lookup(e, OT_DIALECT_DATEX, "Accident", "High", "*", &r));
    ck_assert_double_eq(r.added_days, 0.5);
    /* invalid rows are refused with a reason */
    char why[200];
    ot_effect_row bad = {OT_DIALECT_CAP, "*", "*", "food", 1, 1.5, 0, 1, false};
    ck_assert_int_eq(ot_effects_add(e, &bad, why, sizeof why), OT_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(why, "category * rows"));
    bad = (ot_effect_row){OT_DIALECT_CAP, "*", "*", "*", 1, 1, 0, 1.5, false};
    ck_assert_int_eq(ot_effects_add(e, &bad, why, sizeof why), OT_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(why, "capacity_factor"));
    ck_assert_uint_eq(ot_effects_count(e), 5);
    ot_effects_free(e);
}
END_TEST

/* ---- Resolution -------------------------------------------------------------- */

static ot_disruption own(const char *id, ot_ts start, ot_ts end)
{
    return (ot_disruption){.file = "feed.xml", .line = 7, .id = id, .dialect = OT_DIALECT_OWN,
                           .group = "", .event = "", .severity = "", .start = start,
                           .end = end, .end_is_date = true};
}

static ot_factors *resolve(const ot_disruption_set *set, const ot_twin *t, const ot_effects *e,
                           ot_day known, ot_err expect, ot_diag *diag)
{
    ot_resolve_options o = {DAY0, 7, known};
    ot_factors *f = NULL;
    ck_assert_int_eq(ot_disruption_resolve(set, t, e, &o, diag, &f, NULL), expect);
    return f;
}

START_TEST(test_resolve_own_closure_and_capacity)
{
    ot_twin *t = tiny_twin();
    ot_disruption_set *set = ot_disruption_set_new();
    /* S1 closed on days 1..2 (dates, inclusive). */
    ot_disruption r = own("close-S1", (ot_ts)(DAY0 + 1) * 86400, (ot_ts)(DAY0 + 2) * 86400);
    const char *n1[] = {"S1"};
    r.nodes = n1;
    r.node_count = 1;
    r.factors.closed = true;
    ck_assert_int_eq(ot_disruption_set_add(set, &r), OT_OK);
    /* Lane DC1->S2 at half capacity from day 0 00:00 to day 3 00:00 (a
     * date-time end is exclusive: days 0, 1, 2). */
    r = own("cut", (ot_ts)DAY0 * 86400, (ot_ts)(DAY0 + 3) * 86400);
    r.end_is_date = false;
    const ot_lane_ref lane[] = {{"DC1", "S2"}};
    r.lanes = lane;
    r.lane_count = 1;
    r.factors.has_capacity = true;
    r.factors.capacity = 0.5;
    ck_assert_int_eq(ot_disruption_set_add(set, &r), OT_OK);
    /* Region R2 food demand x1.3 on day 4. */
    r = own("promo", (ot_ts)(DAY0 + 4) * 86400, (ot_ts)(DAY0 + 4) * 86400);
    const char *regions[] = {"R2"}, *cats[] = {"food"};
    r.regions = regions;
    r.region_count = 1;
    r.categories = cats;
    r.category_count = 1;
    r.factors.has_demand = true;
    r.factors.demand = 1.3;
    ck_assert_int_eq(ot_disruption_set_add(set, &r), OT_OK);

    ot_diag *diag = ot_diag_new(10);
    ot_factors *f = resolve(set, t, NULL, INT32_MAX, OT_OK, diag);
    ck_assert(!ot_factors_node_closed(f, S1, DAY0));
    ck_assert(ot_factors_node_closed(f, S1, DAY0 + 1));
    ck_assert(ot_factors_node_closed(f, S1, DAY0 + 2));
    ck_assert(!ot_factors_node_closed(f, S1, DAY0 + 3));
    ck_assert_double_eq(ot_factors_lane_capacity(f, L_DC_S1, DAY0 + 1), 0);
    ck_assert_double_eq(ot_factors_lane_capacity(f, L_S1_S2, DAY0 + 2), 0);
    ck_assert_double_eq(ot_factors_lane_capacity(f, L_DC_S2, DAY0), 0.5);
    ck_assert_double_eq(ot_factors_lane_capacity(f, L_DC_S2, DAY0 + 2), 0.5);
    ck_assert_double_eq(ot_factors_lane_capacity(f, L_DC_S2, DAY0 + 3), 1);
    ck_assert_double_eq(ot_factors_lane_capacity(f, L_DC_S3, DAY0), 1);
    ck_assert_double_eq_tol(ot_factors_demand(f, S2, SKU_A, DAY0 + 4), 1.3, 1e-12);
    ck_assert_double_eq_tol(ot_factors_demand(f, S3, SKU_A, DAY0 + 4), 1.3, 1e-12);
    ck_assert_double_eq(ot_factors_demand(f, S2, SKU_B, DAY0 + 4), 1);
    ck_assert_double_eq(ot_factors_demand(f, S1, SKU_A, DAY0 + 4), 1);
    ck_assert_double_eq(ot_factors_demand(f, S2, SKU_A, DAY0 + 5), 1);
    ot_factors_free(f);

    /* Known by day DAY0 - 1 only: records issued at epoch 0 all count; one
     * issued on day 3 does not. */
    r = own("late", (ot_ts)DAY0 * 86400, (ot_ts)(DAY0 + 6) * 86400);
    r.issued = (ot_ts)(DAY0 + 3) * 86400;
    r.nodes = (const char *[]){"S3"};
    r.node_count = 1;
    r.factors.closed = true;
    ck_assert_int_eq(ot_disruption_set_add(set, &r), OT_OK);
    f = resolve(set, t, NULL, DAY0 - 1, OT_OK, diag);
    ck_assert(!ot_factors_node_closed(f, S3, DAY0 + 4));
    ot_factors_free(f);
    f = resolve(set, t, NULL, INT32_MAX, OT_OK, diag);
    ck_assert(ot_factors_node_closed(f, S3, DAY0 + 4));
    ot_factors_free(f);
    ck_assert_uint_eq(ot_diag_errors(diag), 0);
    ot_diag_free(diag);
    ot_disruption_set_free(set);
    ot_twin_free(t);
}
END_TEST

START_TEST(test_resolve_unknown_ids)
{
    ot_twin *t = tiny_twin();
    ot_disruption_set *set = ot_disruption_set_new();
    ot_disruption r = own("bad", (ot_ts)DAY0 * 86400, (ot_ts)DAY0 * 86400);
    r.nodes = (const char *[]){"S9"};
    r.node_count = 1;
    r.lanes = (const ot_lane_ref[]){{"S2", "S1"}};
    r.lane_count = 1;
    r.regions = (const char *[]){"R7"};
    r.region_count = 1;
    r.skus = (const char *[]){"Z"};
    r.sku_count = 1;
    r.factors.has_demand = true;
    r.factors.demand = 2;
    ck_assert_int_eq(ot_disruption_set_add(set, &r), OT_OK);
    ot_diag *diag = ot_diag_new(10);
    ot_factors *f = resolve(set, t, NULL, INT32_MAX, OT_ERR_INPUT, diag);
    ck_assert_ptr_null(f);
    ck_assert_uint_eq(ot_diag_errors(diag), 4);
    ck_assert_str_eq(ot_diag_get(diag, 0)->message,
                     "feed.xml:7: record 'bad': region 'R7' has no node in the network "
                     "(expected a region of nodes.csv)");
    ck_assert_str_eq(ot_diag_get(diag, 1)->message,
                     "feed.xml:7: record 'bad': node 'S9' is not in the network (expected a "
                     "node_id of nodes.csv)");
    ck_assert_ptr_nonnull(strstr(ot_diag_get(diag, 2)->message, "lane 'S2->S1' is not a route"));
    ck_assert_ptr_nonnull(strstr(ot_diag_get(diag, 3)->message, "SKU 'Z' is not in the network"));
    ot_diag_free(diag);
    ot_disruption_set_free(set);
    ot_twin_free(t);
}
END_TEST

START_TEST(test_resolve_cap_and_datex)
{
    ot_twin *t = tiny_twin();
    ot_effects *e = ot_effects_new();
    add_row(e, OT_DIALECT_CAP, "*", "Severe", "*", 0.9, 1.5, 1, 0.5, false);
    add_row(e, OT_DIALECT_CAP, "*", "Severe", "food", 1.4, 1, 0, 1, false);
    add_row(e, OT_DIALECT_DATEX, "Accident", "*", "*", 1, 1, 0, 0.8, false);
    ot_disruption_set *set = ot_disruption_set_new();
    /* A CAP info over a polygon holding S1 (0,1) and S2 (1,1) but not DC1
     * (0,0) nor S3 (5,5), days 0..1 (expires at day 2 00:00). */
    const ot_geo_point ring[] = {{-0.5, 0.5}, {-0.5, 1.5}, {1.5, 1.5}, {1.5, 0.5}, {-0.5, 0.5}};
    const ot_geo_path poly = {ring, 5};
    ot_disruption r = {.file = "cap.xml", .line = 3, .id = "a#1", .dialect = OT_DIALECT_CAP,
                       .group = "s,a", .event = "Winter Storm Warning", .severity = "Severe",
                       .start = (ot_ts)DAY0 * 86400 + 3600,
                       .end = (ot_ts)(DAY0 + 2) * 86400, .polygons = &poly,
                       .polygon_count = 1};
    ck_assert_int_eq(ot_disruption_set_add(set, &r), OT_OK);
    /* A circle of 50 km around (5, 5.3): S3 at (5, 5) is 0.3 degrees of
     * longitude x cos(5 deg) x 111.195 = 33.2 km away: inside. */
    const ot_geo_circle circle = {{5, 5.3}, 50};
    r = (ot_disruption){.file = "cap.xml", .line = 9, .id = "b#1", .dialect = OT_DIALECT_CAP,
                        .group = "s,b", .event = "Flood Warning", .severity = "Severe",
                        .start = (ot_ts)(DAY0 + 5) * 86400, .end = INT64_MAX,
                        .circles = &circle, .circle_count = 1};
    ck_assert_int_eq(ot_disruption_set_add(set, &r), OT_OK);
    /* A cancelled alert: withdrawn, not applied. */
    r = (ot_disruption){.file = "cap.xml", .line = 12, .id = "c#1", .dialect = OT_DIALECT_CAP,
                        .group = "s,c", .event = "x", .severity = "Severe",
                        .start = (ot_ts)DAY0 * 86400, .end = INT64_MAX,
                        .geocodes = (const char *[]){"RS"}, .geocode_count = 1};
    ck_assert_int_eq(ot_disruption_set_add(set, &r), OT_OK);
    ck_assert_uint_eq(ot_disruption_set_withdraw(set, "s,c"), 1);
    /* DATEX: an accident 0.02 degrees (2.2 km) off the lane DC1 (0,0) ->
     * S3 (5,5), with 40 % capacity remaining and a 12-hour delay, on day 6;
     * another one 1 degree off: touches nothing. */
    const ot_geo_point near_pt = {2.5, 2.52}, far_pt = {2.0, 3.0};
    const ot_geo_path near = {&near_pt, 1}, far = {&far_pt, 1};
    r = (ot_disruption){.file = "dx.xml", .line = 20, .id = "acc", .dialect = OT_DIALECT_DATEX,
                        .group = "datex:acc", .event = "Accident", .severity = "high",
                        .start = (ot_ts)(DAY0 + 6) * 86400, .end = INT64_MAX,
                        .locations = &near, .location_count = 1,
                        .factors = {.has_capacity = true, .capacity = 0.4,
                                    .has_added_days = true, .added_days = 0.5}};
    ck_assert_int_eq(ot_disruption_set_add(set, &r), OT_OK);
    r.id = "acc2";
    r.locations = &far;
    ck_assert_int_eq(ot_disruption_set_add(set, &r), OT_OK);
    /* Two locations in one record, the far one first: the near one still
     * finds DC1->S3 (on day 5 only, capacity 0.8 from the table alone). */
    const ot_geo_path both[] = {far, near};
    r = (ot_disruption){.file = "dx.xml", .line = 30, .id = "two", .dialect = OT_DIALECT_DATEX,
                        .group = "", .event = "Accident", .severity = "low",
                        .start = (ot_ts)(DAY0 + 5) * 86400, .end = (ot_ts)(DAY0 + 6) * 86400,
                        .locations = both, .location_count = 2};
    ck_assert_int_eq(ot_disruption_set_add(set, &r), OT_OK);

    ot_diag *diag = ot_diag_new(10);
    ot_resolve_stats st;
    ot_resolve_options o = {DAY0, 7, INT32_MAX};
    ot_factors *f = NULL;
    ck_assert_int_eq(ot_disruption_resolve(set, t, e, &o, diag, &f, &st), OT_OK);
    ck_assert_uint_eq(st.withdrawn, 1);
    ck_assert_uint_eq(st.records, 5);
    /* Polygon: S1, S2 food 1.4, others 0.9, on days 0 and 1 only. */
    ck_assert_double_eq_tol(ot_factors_demand(f, S1, SKU_A, DAY0), 1.4, 1e-12);
    ck_assert_double_eq_tol(ot_factors_demand(f, S2, SKU_B, DAY0 + 1), 0.9, 1e-12);
    ck_assert_double_eq_tol(ot_factors_demand(f, S2, SKU_C, DAY0 + 1), 0.9, 1e-12);
    ck_assert_double_eq(ot_factors_demand(f, S2, SKU_A, DAY0 + 2), 1);
    ck_assert_double_eq(ot_factors_demand(f, DC1, SKU_A, DAY0), 1);
    ck_assert_double_eq(ot_factors_demand(f, S3, SKU_A, DAY0), 1);
    /* Lanes touching S1 or S2: DC1->S1 (1 d), DC1->S2 (2 d), S1->S2 (1 d):
     * capacity 0.5, lead ceil(L x 1.5 + 1): 3, 4, 3. DC1->S3 untouched. */
    ck_assert_double_eq(ot_factors_lane_capacity(f, L_DC_S1, DAY0), 0.5);
    ck_assert_int_eq(ot_factors_lead_time_days(f, L_DC_S1, DAY0), 3);
    ck_assert_int_eq(ot_factors_lead_time_days(f, L_DC_S2, DAY0 + 1), 4);
    ck_assert_int_eq(ot_factors_lead_time_days(f, L_S1_S2, DAY0), 3);
    ck_assert_double_eq(ot_factors_lane_capacity(f, L_DC_S3, DAY0), 1);
    ck_assert_double_eq(ot_factors_lane_capacity(f, L_SUP_DC, DAY0), 1);
    /* Circle from day 5, open-ended: S3 food 1.4 on days 5 and 6. */
    ck_assert_double_eq_tol(ot_factors_demand(f, S3, SKU_A, DAY0 + 6), 1.4, 1e-12);
    ck_assert_double_eq(ot_factors_demand(f, S3, SKU_A, DAY0 + 4), 1);
    ck_assert_double_eq(ot_factors_demand(f, S2, SKU_A, DAY0 + 5), 1);
    /* Cancelled geocode alert on RS: SUP1 untouched. */
    ck_assert_double_eq(ot_factors_lane_capacity(f, L_SUP_DC, DAY0 + 6), 1);
    /* DC1->S3 on day 6: the circle (S3) gives 0.5, x1.5, +1; the accident
     * min(0.8, 0.4) = 0.4, +0.5 day. Combined: 0.4 and ceil(3 x 1.5 + 1) = 6.
     * On day 5 the circle and record "two": min(0.5, 0.8) = 0.5, ceil(5.5) = 6. */
    ck_assert_double_eq(ot_factors_lane_capacity(f, L_DC_S3, DAY0 + 6), 0.4);
    ck_assert_int_eq(ot_factors_lead_time_days(f, L_DC_S3, DAY0 + 6), 6);
    ck_assert_double_eq(ot_factors_lane_capacity(f, L_DC_S3, DAY0 + 5), 0.5);
    /* polygon 3, circle 1, near accident 1, record "two" 1 */
    ck_assert_uint_eq(st.lanes_touched, 3 + 1 + 1 + 1);
    ot_factors_free(f);
    ot_diag_free(diag);
    ot_disruption_set_free(set);
    ot_effects_free(e);
    ot_twin_free(t);
}
END_TEST

START_TEST(test_set_span)
{
    ot_disruption_set *set = ot_disruption_set_new();
    ot_day a, b;
    ck_assert(!ot_disruption_set_span(set, &a, &b));
    ot_disruption r = own("x", (ot_ts)(DAY0 + 2) * 86400, (ot_ts)(DAY0 + 4) * 86400);
    ck_assert_int_eq(ot_disruption_set_add(set, &r), OT_OK);
    r = own("y", (ot_ts)DAY0 * 86400 + 5, (ot_ts)(DAY0 + 3) * 86400);
    r.end_is_date = false; /* ends at day 3 00:00: last day 2 */
    ck_assert_int_eq(ot_disruption_set_add(set, &r), OT_OK);
    ck_assert(ot_disruption_set_span(set, &a, &b));
    ck_assert_int_eq(a, DAY0);
    ck_assert_int_eq(b, DAY0 + 4);
    bool withdrawn;
    ck_assert_str_eq(ot_disruption_set_get(set, 1, &withdrawn)->id, "y");
    ck_assert(!withdrawn);
    ot_disruption_set_free(set);
}
END_TEST

Suite *ot_suite_disruption(void)
{
    Suite *s = suite_create("disruption");
    const struct {
        const char *name;
        const TTest *test;
    } cases[] = {
        {"factors_neutral", test_factors_neutral},
        {"factors_combine", test_factors_combine},
        {"factors_window_bad_input", test_factors_window_and_bad_input},
        {"geo_distance", test_geo_distance},
        {"geo_polygon", test_geo_polygon},
        {"geo_arcs_within", test_geo_arcs_within},
        {"grid_complete", test_grid_complete},
        {"effects_lookup", test_effects_lookup},
        {"resolve_own", test_resolve_own_closure_and_capacity},
        {"resolve_unknown_ids", test_resolve_unknown_ids},
        {"resolve_cap_datex", test_resolve_cap_and_datex},
        {"set_span", test_set_span},
    };
    for (size_t i = 0; i < OT_ARRAY_LEN(cases); i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_set_timeout(tc, 60); /* the property tests run ~1 s under ASan */
        tcase_add_test(tc, cases[i].test);
        suite_add_tcase(s, tc);
    }
    return s;
}
