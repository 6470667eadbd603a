/*
 * Bounded optimisers for fitting smoothing parameters: golden-section search
 * for one parameter and Nelder-Mead with projection for two to four.
 * Deterministic: no randomness, a fixed evaluation order.
 */
#include <math.h>

#include "forecast_internal.h"

double ot_forecast_golden(ot_fc_objective1 f, void *ctx, double lo, double hi, double tol)
{
    OT_ASSERT(lo <= hi && tol > 0);
    const double inv_phi = 0.6180339887498949;
    double a = lo, b = hi;
    double c = b - inv_phi * (b - a), d = a + inv_phi * (b - a);
    double fc = f(c, ctx), fd = f(d, ctx);
    while (b - a > tol) {
        if (fc <= fd) {
            b = d;
            d = c;
            fd = fc;
            c = b - inv_phi * (b - a);
            fc = f(c, ctx);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + inv_phi * (b - a);
            fd = f(d, ctx);
        }
    }
    /* The minimum of a smoothing SSE often lies on a bound: check both, so
     * that a bound optimum is returned exactly. */
    double best_x = fc <= fd ? c : d, best_f = fc <= fd ? fc : fd;
    double flo = f(lo, ctx), fhi = f(hi, ctx);
    if (fhi <= best_f) {
        best_x = hi;
        best_f = fhi;
    }
    if (flo <= best_f)
        best_x = lo;
    return best_x;
}

static void project(int dim, const double *lo, const double *hi, double *x)
{
    for (int i = 0; i < dim; i++)
        x[i] = x[i] < lo[i] ? lo[i] : x[i] > hi[i] ? hi[i] : x[i];
}

enum { NM_MAX_DIM = 4 };

double ot_forecast_nelder_mead(ot_fc_objective f, void *ctx, int dim, const double *lo,
                               const double *hi, double *x, int max_evals)
{
    OT_ASSERT(dim >= 1 && dim <= NM_MAX_DIM);
    double pts[NM_MAX_DIM + 1][NM_MAX_DIM], val[NM_MAX_DIM + 1];
    int evals = 0;
    project(dim, lo, hi, x);
    for (int p = 0; p <= dim; p++) {
        for (int i = 0; i < dim; i++)
            pts[p][i] = x[i];
        if (p > 0) {
            double step = 0.25 * (hi[p - 1] - lo[p - 1]);
            pts[p][p - 1] += pts[p][p - 1] + step <= hi[p - 1] ? step : -step;
        }
        val[p] = f(pts[p], ctx);
        evals++;
    }
    double trial[NM_MAX_DIM], trial2[NM_MAX_DIM], centroid[NM_MAX_DIM];
    while (evals < max_evals) {
        /* Order: best first (stable insertion sort keeps ties in place). */
        for (int p = 1; p <= dim; p++) {
            for (int q = p; q > 0 && val[q] < val[q - 1]; q--) {
                double tv = val[q];
                val[q] = val[q - 1];
                val[q - 1] = tv;
                for (int i = 0; i < dim; i++) {
                    double t = pts[q][i];
                    pts[q][i] = pts[q - 1][i];
                    pts[q - 1][i] = t;
                }
            }
        }
        double spread = val[dim] - val[0];
        double size = 0;
        for (int p = 1; p <= dim; p++)
            for (int i = 0; i < dim; i++)
                size = fmax(size, fabs(pts[p][i] - pts[0][i]));
        if (spread <= 1e-10 * (fabs(val[0]) + 1e-10) || size < 1e-6)
            break;
        for (int i = 0; i < dim; i++) {
            centroid[i] = 0;
            for (int p = 0; p < dim; p++)
                centroid[i] += pts[p][i];
            centroid[i] /= dim;
        }
        for (int i = 0; i < dim; i++)
            trial[i] = centroid[i] + (centroid[i] - pts[dim][i]);
        project(dim, lo, hi, trial);
        double fr = f(trial, ctx);
        evals++;
        if (fr < val[0]) {
            for (int i = 0; i < dim; i++)
                trial2[i] = centroid[i] + 2.0 * (centroid[i] - pts[dim][i]);
            project(dim, lo, hi, trial2);
            double fe = f(trial2, ctx);
            evals++;
            const double *keep = fe < fr ? trial2 : trial;
            for (int i = 0; i < dim; i++)
                pts[dim][i] = keep[i];
            val[dim] = fe < fr ? fe : fr;
            continue;
        }
        if (fr < val[dim - 1]) {
            for (int i = 0; i < dim; i++)
                pts[dim][i] = trial[i];
            val[dim] = fr;
            continue;
        }
        /* Contraction, outside when the reflection improved on the worst. */
        bool outside = fr < val[dim];
        for (int i = 0; i < dim; i++)
            trial2[i] = outside ? centroid[i] + 0.5 * (trial[i] - centroid[i])
                                : centroid[i] + 0.5 * (pts[dim][i] - centroid[i]);
        double fcn = f(trial2, ctx);
        evals++;
        if (fcn < (outside ? fr : val[dim])) {
            for (int i = 0; i < dim; i++)
                pts[dim][i] = trial2[i];
            val[dim] = fcn;
            continue;
        }
        /* Shrink toward the best point. */
        for (int p = 1; p <= dim && evals < max_evals; p++) {
            for (int i = 0; i < dim; i++)
                pts[p][i] = pts[0][i] + 0.5 * (pts[p][i] - pts[0][i]);
            val[p] = f(pts[p], ctx);
            evals++;
        }
    }
    int best = 0;
    for (int p = 1; p <= dim; p++)
        if (val[p] < val[best])
            best = p;
    for (int i = 0; i < dim; i++)
        x[i] = pts[best][i];
    return val[best];
}
