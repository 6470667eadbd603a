/*
 * Internal to the disruption resolver: a uniform 1-degree latitude/longitude
 * grid indexing nodes (by position) and lanes (by every cell their arc
 * passes within a margin of), so that an area or a traffic location is
 * tested only against the nodes and lanes near it. Owner: the resolver
 * (_init by a build function, _release).
 */
#ifndef OMNITWIN_DISRUPTION_GRID_H
#define OMNITWIN_DISRUPTION_GRID_H

#include "omnitwin/disruption.h"

typedef struct {
    uint32_t *start;             /* OT_GRID_CELLS + 1 offsets into items */
    int32_t *items;
    size_t item_count;
} ot_grid;

#define OT_GRID_LAT 180
#define OT_GRID_LON 360
#define OT_GRID_CELLS (OT_GRID_LAT * OT_GRID_LON)

/* Indexes points[i] where valid[i]. OT_ERR_NOMEM on failure (grid empty). */
ot_err ot_grid_build_points(ot_grid *g, const ot_geo_point *points, const bool *valid, size_t n);

/* Indexes the arcs from[i]–to[i] where valid[i], in every cell within
 * margin_km of the arc. */
ot_err ot_grid_build_arcs(ot_grid *g, const ot_geo_point *from, const ot_geo_point *to,
                          const bool *valid, size_t n, double margin_km);

void ot_grid_release(ot_grid *g);

/* Calls visit for every item in the cells overlapping the box (longitudes
 * may run past ±180 to wrap; a span of 360 or more is every longitude).
 * An item may be visited more than once. */
typedef void (*ot_grid_visit_fn)(void *ctx, int32_t item);
void ot_grid_query(const ot_grid *g, double lat_lo, double lat_hi, double lon_lo,
                   double lon_hi, ot_grid_visit_fn visit, void *ctx);

#endif
