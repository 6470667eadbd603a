/*
 * Disruptions (CONTRACT §4, docs/DISRUPTIONS.md): dialect-neutral records
 * that the XML readers (adapters/xml/) produce from omnitwin's own feed,
 * OASIS CAP 1.2 alerts and DATEX II situations, the planner-editable effects
 * table, the geometry that decides what a record touches, and the resolver
 * that turns records into an ot_factors store. Pure computation.
 *
 * Owners: ot_disruption_set_new / ot_effects_new return heap objects the
 * caller frees with the matching _free. A set copies every string and array
 * it is given into its own arena.
 */
#ifndef OMNITWIN_DISRUPTION_H
#define OMNITWIN_DISRUPTION_H

#include "omnitwin/factors.h"
#include "omnitwin/twin.h"

/* ---- Geometry ------------------------------------------------------------ */

typedef struct {
    double lat, lon;             /* degrees */
} ot_geo_point;

#define OT_EARTH_RADIUS_KM 6371.0088

/* Great-circle (haversine) distance in km. */
double ot_geo_distance_km(ot_geo_point a, ot_geo_point b);

/* True when p lies inside the closed polygon ring[0..n-1] or on its
 * boundary (within about a metre). The ring may repeat its first vertex at
 * the end. Edges are straight in latitude/longitude, as CAP specifies; a
 * ring that crosses the antimeridian (an edge spanning more than 180° of
 * longitude) is unwrapped first. n < 3: false. */
bool ot_geo_in_polygon(const ot_geo_point *ring, size_t n, ot_geo_point p);

/* Shortest great-circle distance in km from p to the arc a–b. */
double ot_geo_point_segment_km(ot_geo_point p, ot_geo_point a, ot_geo_point b);

/* Shortest distance in km between the arcs a–b and c–d (0 when they
 * cross). */
double ot_geo_segment_segment_km(ot_geo_point a, ot_geo_point b, ot_geo_point c,
                                 ot_geo_point d);

/* A prepared arc (or a point, when both ends coincide) for fast "within
 * distance" tests: unit vectors and the arc's normal, so that a test costs a
 * few dot products and no trigonometry. */
typedef struct {
    double a[3], b[3], n[3];
    bool point;
} ot_geo_arc;

void ot_geo_arc_init(ot_geo_arc *arc, ot_geo_point a, ot_geo_point b);

/* True when arcs x and y come within the distance whose angle is d
 * (cos_d = cos(d), sin_d = sin(d), d = km / OT_EARTH_RADIUS_KM, d < pi/2):
 * the same answer as ot_geo_segment_segment_km(...) <= km. */
bool ot_geo_arcs_within(const ot_geo_arc *x, const ot_geo_arc *y, double cos_d, double sin_d);

/* ---- Records --------------------------------------------------------------- */

typedef enum {
    OT_DIALECT_OWN = 0,          /* urn:omnitwin:disruption:1 */
    OT_DIALECT_CAP = 1,          /* OASIS CAP 1.2 */
    OT_DIALECT_DATEX = 2         /* DATEX II v2 SituationPublication subset */
} ot_dialect;
const char *ot_dialect_name(ot_dialect dialect);

typedef enum {
    OT_DISR_WEATHER = 0,
    OT_DISR_TRAFFIC,
    OT_DISR_CLOSURE,
    OT_DISR_SUPPLY
} ot_disruption_kind;
const char *ot_disruption_kind_name(ot_disruption_kind kind);

typedef struct {
    const char *from, *to;       /* node ids */
} ot_lane_ref;

typedef struct {
    const ot_geo_point *points;
    size_t count;
} ot_geo_path;                   /* polygon ring, or a traffic point/polyline */

typedef struct {
    ot_geo_point center;
    double radius_km;
} ot_geo_circle;

/* Explicit factors; a field applies only when its has_ flag is set. */
typedef struct {
    bool has_demand, has_lead_time, has_added_days, has_capacity;
    double demand;               /* >= 0 */
    double lead_time_factor;     /* >= 1 */
    double added_days;           /* >= 0 */
    double capacity;             /* 0..1 */
    bool closed;                 /* nodes (or listed lanes) closed */
} ot_disruption_factors;

typedef struct {
    const char *file;            /* where it came from, for diagnostics */
    long line;
    const char *id;
    ot_dialect dialect;
    ot_disruption_kind kind;
    /* CAP alerts are grouped by "sender,identifier" so that Update and
     * Cancel messages can replace them; empty otherwise. */
    const char *group;
    ot_ts issued;                /* when it became known */
    ot_ts start;                 /* validity [start, end); INT64_MAX: open */
    ot_ts end;
    bool end_is_date;            /* own feed: `to` was a date, inclusive */
    /* effects-table keys (CAP event/severity, DATEX record type/severity) */
    const char *event, *severity;

    /* Targets. Nodes are the union of regions, node ids, geocodes (matched
     * against node regions), polygons and circles. Lanes are the listed
     * lanes, every lane touching a targeted node, and for traffic every lane
     * whose straight segment comes within OT_DISRUPTION_LANE_KM of a
     * location. */
    const char *const *regions; size_t region_count;
    const char *const *nodes; size_t node_count;
    const ot_lane_ref *lanes; size_t lane_count;
    const char *const *geocodes; size_t geocode_count;
    const ot_geo_path *polygons; size_t polygon_count;
    const ot_geo_circle *circles; size_t circle_count;
    const ot_geo_path *locations; size_t location_count;
    /* Demand filters (own feed): empty means every SKU. */
    const char *const *skus; size_t sku_count;
    const char *const *categories; size_t category_count;

    ot_disruption_factors factors;
} ot_disruption;

/* A traffic location touches a lane whose segment comes this close. */
#define OT_DISRUPTION_LANE_KM 10.0

typedef struct ot_disruption_set ot_disruption_set;

ot_disruption_set *ot_disruption_set_new(void);
void ot_disruption_set_free(ot_disruption_set *set);
/* Deep-copies rec into the set. OT_ERR_NOMEM on failure, OT_ERR_LIMIT past
 * OT_DISRUPTION_MAX_RECORDS. */
#define OT_DISRUPTION_MAX_RECORDS 1000000
ot_err ot_disruption_set_add(ot_disruption_set *set, const ot_disruption *rec);
/* Withdraws every record of group (CAP Cancel/Update, DATEX versions);
 * returns how many records the group has (withdrawn now or before). */
size_t ot_disruption_set_withdraw(ot_disruption_set *set, const char *group);
/* Records in the order added; withdrawn ones are reported through
 * *withdrawn. */
size_t ot_disruption_set_count(const ot_disruption_set *set);
const ot_disruption *ot_disruption_set_get(const ot_disruption_set *set, size_t i,
                                           bool *withdrawn);
/* Earliest start and latest finite end of the active records, as days;
 * false when there are none. */
bool ot_disruption_set_span(const ot_disruption_set *set, ot_day *first, ot_day *last);

/* ---- Effects table (data/disruption-effects.csv) --------------------------- */

typedef struct {
    ot_dialect dialect;          /* CAP or DATEX */
    const char *event;           /* "*" matches any, else case-insensitive */
    const char *severity;        /* "*" or case-insensitive */
    const char *category;        /* "*" = every SKU category */
    double demand;               /* >= 0 */
    double lead_time_factor;     /* >= 1 */
    double added_days;           /* >= 0 */
    double capacity;             /* 0..1 */
    bool closed;
} ot_effect_row;

typedef struct ot_effects ot_effects;
ot_effects *ot_effects_new(void);
void ot_effects_free(ot_effects *effects);
/* Copies the row in. OT_ERR_INPUT with a reason in why when the row is
 * invalid (a factor out of range, lane factors on a category row,
 * an OWN dialect). */
ot_err ot_effects_add(ot_effects *effects, const ot_effect_row *row, char *why,
                      size_t why_size);
size_t ot_effects_count(const ot_effects *effects);

/* The effect of (dialect, event, severity) on SKU category `category`
 * ("*" for the lane and closure part): the most specific matching row wins
 * (exact event beats "*", then exact severity beats "*"; for demand a row of
 * the exact category beats a "*" row; among equals the later row). False
 * when no row matches (no effect). */
bool ot_effects_lookup(const ot_effects *effects, ot_dialect dialect, const char *event,
                       const char *severity, const char *category, ot_effect_row *out);

/* ---- Resolution ------------------------------------------------------------ */

typedef struct {
    ot_day first_day;            /* the store's window */
    size_t days;
    ot_day known_day;            /* records issued after this day are ignored
                                    (INT32_MAX: all) */
} ot_resolve_options;

typedef struct {
    size_t records;              /* active records resolved */
    size_t withdrawn;            /* cancelled or superseded */
    size_t outside;              /* no day inside the window */
    size_t nodes_touched;        /* (record, node) pairs */
    size_t lanes_touched;        /* (record, lane) pairs */
} ot_resolve_stats;

/* Resolves every active record against the twin into a new store owned by
 * the caller. Unknown node, lane, SKU or category ids in own-feed records
 * are errors ("FILE:LINE: record 'ID': node 'X' is not in the network");
 * unmatched CAP geocodes are not. On error returns OT_ERR_INPUT, *out stays
 * NULL and diag says why. effects may be NULL (no table: CAP and DATEX
 * records then only apply their explicit DATEX impacts). stats may be
 * NULL. */
ot_err ot_disruption_resolve(const ot_disruption_set *set, const ot_twin *twin,
                             const ot_effects *effects, const ot_resolve_options *opts,
                             ot_diag *diag, ot_factors **out, ot_resolve_stats *stats);

#endif
