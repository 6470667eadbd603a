/*
 * Geometry for disruption areas (include/omnitwin/disruption.h): polygons
 * are tested in the latitude/longitude plane (CAP defines polygon edges as
 * straight lines between WGS 84 points); distances are great-circle, on a
 * sphere of the mean Earth radius, with unit vectors so that arcs need no
 * special cases near the poles.
 */
#include <math.h>

#include "omnitwin/disruption.h"

#define DEG (3.14159265358979323846 / 180.0)
/* Boundary tolerance in degrees (about 1.1 m of latitude). */
#define EDGE_EPS 1e-5

typedef struct {
    double x, y, z;
} vec3;

static vec3 to_vec(ot_geo_point p)
{
    double la = p.lat * DEG, lo = p.lon * DEG;
    return (vec3){cos(la) * cos(lo), cos(la) * sin(lo), sin(la)};
}

static double dot(vec3 a, vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }

static vec3 cross(vec3 a, vec3 b)
{
    return (vec3){a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}

static double norm(vec3 a) { return sqrt(dot(a, a)); }

/* Angle between unit vectors, robust for small and large angles. */
static double angle(vec3 a, vec3 b) { return atan2(norm(cross(a, b)), dot(a, b)); }

double ot_geo_distance_km(ot_geo_point a, ot_geo_point b)
{
    double dlat = (b.lat - a.lat) * DEG, dlon = (b.lon - a.lon) * DEG;
    double h = sin(dlat / 2) * sin(dlat / 2) +
               cos(a.lat * DEG) * cos(b.lat * DEG) * sin(dlon / 2) * sin(dlon / 2);
    if (h > 1)
        h = 1;
    return 2 * OT_EARTH_RADIUS_KM * asin(sqrt(h));
}

static double unit_point_segment(vec3 p, vec3 a, vec3 b)
{
    vec3 n = cross(a, b);
    double len = norm(n);
    if (len < 1e-15) /* a and b coincide (or are antipodal): a point */
        return angle(p, a);
    n = (vec3){n.x / len, n.y / len, n.z / len};
    double s = dot(p, n);
    /* The foot of the perpendicular from p on the great circle through a, b. */
    vec3 c = {p.x - s * n.x, p.y - s * n.y, p.z - s * n.z};
    if (norm(c) > 1e-15 && dot(cross(a, c), n) >= 0 && dot(cross(c, b), n) >= 0)
        return fabs(asin(s > 1 ? 1 : s < -1 ? -1 : s));
    double da = angle(p, a), db = angle(p, b);
    return da < db ? da : db;
}

double ot_geo_point_segment_km(ot_geo_point p, ot_geo_point a, ot_geo_point b)
{
    return OT_EARTH_RADIUS_KM * unit_point_segment(to_vec(p), to_vec(a), to_vec(b));
}

static int side(vec3 n, vec3 p)
{
    double s = dot(n, p);
    return s > 0 ? 1 : s < 0 ? -1 : 0;
}

double ot_geo_segment_segment_km(ot_geo_point a, ot_geo_point b, ot_geo_point c,
                                 ot_geo_point d)
{
    vec3 va = to_vec(a), vb = to_vec(b), vc = to_vec(c), vd = to_vec(d);
    vec3 nab = cross(va, vb), ncd = cross(vc, vd);
    /* The arcs cross when each one's ends lie on opposite sides of the
     * other's great circle, and the arcs face the same hemisphere. */
    vec3 mab = {va.x + vb.x, va.y + vb.y, va.z + vb.z};
    vec3 mcd = {vc.x + vd.x, vc.y + vd.y, vc.z + vd.z};
    if (norm(nab) > 1e-15 && norm(ncd) > 1e-15 && side(nab, vc) * side(nab, vd) < 0 &&
        side(ncd, va) * side(ncd, vb) < 0 && dot(mab, mcd) > 0)
        return 0.0;
    double best = unit_point_segment(va, vc, vd);
    double x = unit_point_segment(vb, vc, vd);
    if (x < best)
        best = x;
    x = unit_point_segment(vc, va, vb);
    if (x < best)
        best = x;
    x = unit_point_segment(vd, va, vb);
    if (x < best)
        best = x;
    return OT_EARTH_RADIUS_KM * best;
}

bool ot_geo_in_polygon(const ot_geo_point *ring, size_t n, ot_geo_point p)
{
    if (n >= 2 && ring[0].lat == ring[n - 1].lat && ring[0].lon == ring[n - 1].lon)
        n--;
    if (n < 3)
        return false;
    bool wraps = false;
    for (size_t i = 0; i < n; i++)
        if (fabs(ring[(i + 1) % n].lon - ring[i].lon) > 180)
            wraps = true;
    /* Across the antimeridian, work in longitudes 0..360 and test the point
     * there too. */
    double px = wraps && p.lon < 0 ? p.lon + 360 : p.lon, py = p.lat;
    bool inside = false;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        double xi = ring[i].lon, yi = ring[i].lat, xj = ring[j].lon, yj = ring[j].lat;
        if (wraps) {
            xi += xi < 0 ? 360 : 0;
            xj += xj < 0 ? 360 : 0;
        }
        /* On the edge: within EDGE_EPS of the segment, in the plane. */
        double ex = xj - xi, ey = yj - yi, len2 = ex * ex + ey * ey;
        double t = len2 > 0 ? ((px - xi) * ex + (py - yi) * ey) / len2 : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        double dx = xi + t * ex - px, dy = yi + t * ey - py;
        if (dx * dx + dy * dy <= EDGE_EPS * EDGE_EPS)
            return true;
        if ((yi > py) != (yj > py) && px < ex * (py - yi) / ey + xi)
            inside = !inside;
    }
    return inside;
}

/* ---- Prepared arcs ------------------------------------------------------ */

static vec3 v3(const double a[3]) { return (vec3){a[0], a[1], a[2]}; }

static void put(double out[3], vec3 v)
{
    out[0] = v.x;
    out[1] = v.y;
    out[2] = v.z;
}

void ot_geo_arc_init(ot_geo_arc *arc, ot_geo_point a, ot_geo_point b)
{
    vec3 va = to_vec(a), vb = to_vec(b), n = cross(va, vb);
    double len = norm(n);
    put(arc->a, va);
    put(arc->b, vb);
    arc->point = len < 1e-15;
    put(arc->n, arc->point ? (vec3){0, 0, 0} : (vec3){n.x / len, n.y / len, n.z / len});
}

/* Is unit vector p within angle d of the arc? */
static bool point_near(vec3 p, const ot_geo_arc *arc, double cos_d, double sin_d)
{
    vec3 a = v3(arc->a), b = v3(arc->b);
    if (dot(p, a) >= cos_d || dot(p, b) >= cos_d)
        return true;
    if (arc->point)
        return false;
    vec3 n = v3(arc->n);
    double s = dot(p, n);
    if (fabs(s) > sin_d)
        return false; /* farther than d from the whole great circle */
    /* The foot of the perpendicular lies on the arc: the cross-track
     * distance asin(|s|) <= d is the distance. */
    vec3 c = {p.x - s * n.x, p.y - s * n.y, p.z - s * n.z};
    return norm(c) > 1e-15 && dot(cross(a, c), n) >= 0 && dot(cross(c, b), n) >= 0;
}

bool ot_geo_arcs_within(const ot_geo_arc *x, const ot_geo_arc *y, double cos_d, double sin_d)
{
    if (point_near(v3(x->a), y, cos_d, sin_d) || point_near(v3(x->b), y, cos_d, sin_d))
        return true;
    if (x->point)
        return false;
    if (point_near(v3(y->a), x, cos_d, sin_d) || point_near(v3(y->b), x, cos_d, sin_d))
        return true;
    if (y->point)
        return false;
    vec3 xn = v3(x->n), yn = v3(y->n);
    vec3 mx = {x->a[0] + x->b[0], x->a[1] + x->b[1], x->a[2] + x->b[2]};
    vec3 my = {y->a[0] + y->b[0], y->a[1] + y->b[1], y->a[2] + y->b[2]};
    return side(xn, v3(y->a)) * side(xn, v3(y->b)) < 0 &&
           side(yn, v3(x->a)) * side(yn, v3(x->b)) < 0 && dot(mx, my) > 0;
}
