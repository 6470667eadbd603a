/* The resolver's spatial grid (engine/disruption_grid.h). */
#include <math.h>
#include <string.h>

#include "disruption_grid.h"

#define DEG (3.14159265358979323846 / 180.0)
/* Arc samples are at most this far apart, in degrees of arc. */
#define STEP_DEG 0.25

typedef void (*emit_fn)(void *ctx, size_t cell);

static int lat_cell(double lat)
{
    int i = (int)floor(lat + 90.0);
    return i < 0 ? 0 : i >= OT_GRID_LAT ? OT_GRID_LAT - 1 : i;
}

/* Every cell of a box, longitudes wrapping. */
static void box_cells(double lat_lo, double lat_hi, double lon_lo, double lon_hi, emit_fn emit,
                      void *ctx)
{
    int a = lat_cell(lat_lo), b = lat_cell(lat_hi);
    long lo = (long)floor(lon_lo + 180.0), hi = (long)floor(lon_hi + 180.0);
    if (hi - lo >= OT_GRID_LON - 1 || !isfinite(lon_lo) || !isfinite(lon_hi)) {
        lo = 0;
        hi = OT_GRID_LON - 1;
    }
    for (int i = a; i <= b; i++)
        for (long j = lo; j <= hi; j++) {
            long w = ((j % OT_GRID_LON) + OT_GRID_LON) % OT_GRID_LON;
            emit(ctx, (size_t)i * OT_GRID_LON + (size_t)w);
        }
}

/* The box of a point grown by m degrees of latitude (longitude widened by
 * 1/cos(lat); near the poles every longitude). */
static void point_cells(double lat, double lon, double m, emit_fn emit, void *ctx)
{
    double c = cos((fabs(lat) + m) * DEG);
    double mlon = c > 0.02 ? m / c : 360;
    box_cells(lat - m, lat + m, lon - mlon, lon + mlon, emit, ctx);
}

typedef struct {
    ot_grid *g;
    uint32_t *count;             /* pass 1: per cell; pass 2: fill cursor */
    int32_t *last;               /* last item emitted in a cell */
    int32_t item;
    bool fill;
} builder;

static void emit(void *ctx, size_t cell)
{
    builder *b = ctx;
    if (b->last[cell] == b->item)
        return;
    b->last[cell] = b->item;
    if (b->fill)
        b->g->items[b->count[cell]++] = b->item;
    else
        b->count[cell]++;
}

typedef void (*cover_fn)(const void *data, size_t i, builder *b);

static ot_err build(ot_grid *g, const void *data, const bool *valid, size_t n, cover_fn cover)
{
    memset(g, 0, sizeof *g);
    builder b = {g, ot_calloc(OT_GRID_CELLS + 1, sizeof(uint32_t)),
                 ot_malloc(OT_GRID_CELLS * sizeof(int32_t)), -1, false};
    g->start = ot_calloc(OT_GRID_CELLS + 1, sizeof *g->start);
    if (!b.count || !b.last || !g->start)
        goto nomem;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t c = 0; c < OT_GRID_CELLS; c++)
            b.last[c] = -1;
        b.fill = pass == 1;
        for (size_t i = 0; i < n; i++)
            if (valid[i]) {
                b.item = (int32_t)i;
                cover(data, i, &b);
            }
        if (pass == 0) {
            size_t total = 0;
            for (size_t c = 0; c < OT_GRID_CELLS; c++) {
                g->start[c] = (uint32_t)total;
                total += b.count[c];
                b.count[c] = g->start[c];
            }
            g->start[OT_GRID_CELLS] = (uint32_t)total;
            if (total > UINT32_MAX)
                goto nomem;
            g->item_count = total;
            g->items = ot_malloc((total ? total : 1) * sizeof *g->items);
            if (!g->items)
                goto nomem;
        }
    }
    ot_free(b.count);
    ot_free(b.last);
    return OT_OK;
nomem:
    ot_free(b.count);
    ot_free(b.last);
    ot_grid_release(g);
    return OT_ERR_NOMEM;
}

static void cover_point(const void *data, size_t i, builder *b)
{
    const ot_geo_point *p = (const ot_geo_point *)data + i;
    box_cells(p->lat, p->lat, p->lon, p->lon, emit, b);
}

ot_err ot_grid_build_points(ot_grid *g, const ot_geo_point *points, const bool *valid, size_t n)
{
    return build(g, points, valid, n, cover_point);
}

typedef struct {
    const ot_geo_point *from, *to;
    double margin_deg;
} arcs_data;

static void cover_arc(const void *data, size_t i, builder *b)
{
    const arcs_data *d = data;
    ot_geo_point p = d->from[i], q = d->to[i];
    double la = p.lat * DEG, lo = p.lon * DEG, lb = q.lat * DEG, lob = q.lon * DEG;
    double a[3] = {cos(la) * cos(lo), cos(la) * sin(lo), sin(la)};
    double v[3] = {cos(lb) * cos(lob), cos(lb) * sin(lob), sin(lb)};
    double cx = a[1] * v[2] - a[2] * v[1], cy = a[2] * v[0] - a[0] * v[2];
    double cz = a[0] * v[1] - a[1] * v[0];
    double theta = atan2(sqrt(cx * cx + cy * cy + cz * cz),
                         a[0] * v[0] + a[1] * v[1] + a[2] * v[2]);
    int steps = (int)ceil(theta / DEG / STEP_DEG);
    if (steps < 1 || sin(theta) < 1e-12) {
        point_cells(p.lat, p.lon, d->margin_deg + STEP_DEG, emit, b);
        point_cells(q.lat, q.lon, d->margin_deg + STEP_DEG, emit, b);
        return;
    }
    /* Samples along the great circle (slerp); any point of the arc is
     * within STEP_DEG / 2 of one. */
    for (int k = 0; k <= steps; k++) {
        double t = (double)k / steps;
        double wa = sin((1 - t) * theta) / sin(theta), wb = sin(t * theta) / sin(theta);
        double x = wa * a[0] + wb * v[0], y = wa * a[1] + wb * v[1], z = wa * a[2] + wb * v[2];
        double lat = atan2(z, sqrt(x * x + y * y)) / DEG, lon = atan2(y, x) / DEG;
        point_cells(lat, lon, d->margin_deg + STEP_DEG, emit, b);
    }
}

ot_err ot_grid_build_arcs(ot_grid *g, const ot_geo_point *from, const ot_geo_point *to,
                          const bool *valid, size_t n, double margin_km)
{
    arcs_data d = {from, to, margin_km / (OT_EARTH_RADIUS_KM * DEG)};
    return build(g, &d, valid, n, cover_arc);
}

void ot_grid_release(ot_grid *g)
{
    ot_free(g->start);
    ot_free(g->items);
    memset(g, 0, sizeof *g);
}

typedef struct {
    const ot_grid *g;
    ot_grid_visit_fn visit;
    void *ctx;
} query;

static void visit_cell(void *ctx, size_t cell)
{
    const query *q = ctx;
    for (uint32_t k = q->g->start[cell]; k < q->g->start[cell + 1]; k++)
        q->visit(q->ctx, q->g->items[k]);
}

void ot_grid_query(const ot_grid *g, double lat_lo, double lat_hi, double lon_lo,
                   double lon_hi, ot_grid_visit_fn visit, void *ctx)
{
    if (!g->start)
        return;
    query q = {g, visit, ctx};
    box_cells(lat_lo, lat_hi, lon_lo, lon_hi, visit_cell, &q);
}
