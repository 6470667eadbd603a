/*
 * Internals of the forecasting engine (engine/forecast_*.c), shared with
 * tests/check_forecast.c: the per-model fit and filter, the optimisers and
 * the workspace layout. Not a public interface.
 */
#ifndef OMNITWIN_FORECAST_INTERNAL_H
#define OMNITWIN_FORECAST_INTERNAL_H

#include "omnitwin/forecast.h"

/* Scratch arrays of the workspace, each max_days doubles. */
enum {
    OT_FC_WS_FITTED = 0,   /* one-step in-sample forecasts */
    OT_FC_WS_RESID,        /* residuals, then sorted */
    OT_FC_WS_A,            /* model scratch (sizes, buckets, sums) */
    OT_FC_WS_B,            /* model scratch (intervals, counts) */
    OT_FC_WS_C,            /* model scratch (IMAPA per-level fitted) */
    OT_FC_WS_ARRAYS
};

struct ot_forecast_workspace {
    size_t max_days;
    double *arr[OT_FC_WS_ARRAYS];
};

/* Parameters of one fitted model. par[] by method:
 *   ses: alpha; holt_damped: alpha, beta, phi; hw_*: alpha, beta, gamma
 *   (phi = OT_FC_HW_PHI); croston, croston_sba: alpha of sizes, alpha of
 *   intervals; tsb: alpha of occurrence, alpha of sizes; adida: alpha, with
 *   `level` the aggregation level; imapa: `level` the highest level (each
 *   level's alpha is fitted inside the run). */
typedef struct {
    ot_fc_method method;
    double par[3];
    int level;
} ot_fc_model;

/* Damping of the Holt-Winters trend (fixed, docs/FORECASTING.md). */
#define OT_FC_HW_PHI 0.98
/* Bounds of the smoothing constants of the intermittent models. */
#define OT_FC_INT_ALPHA_LO 0.05
#define OT_FC_INT_ALPHA_HI 0.3
/* Fewest days a method needs (below: it does not apply). */
size_t ot_forecast_min_days(ot_fc_method method);

/* Fits method's parameters on y[0..n-1] (minimum in-sample one-step squared
 * error, bounded). Returns false when the method does not apply to y. */
bool ot_forecast_fit(ot_fc_method method, const double *y, size_t n,
                     ot_forecast_workspace *ws, ot_fc_model *model);

/* Runs a fitted model over y[0..n-1]: writes the forecasts of the h days
 * after it into mean[0..h-1] (clamped at 0) and, when fitted is not NULL,
 * the one-step in-sample forecast of each day into fitted[0..n-1] (NAN where
 * the model has none yet). Returns the sum of squared one-step errors over
 * the days that have a forecast (NAN for ADIDA and IMAPA when fitted is
 * NULL). Uses the workspace's model scratch. */
double ot_forecast_run(const ot_fc_model *model, const double *y, size_t n, int h,
                       ot_forecast_workspace *ws, double *mean, double *fitted);

/* Variance multipliers per step, mult[0] = 1 (docs/FORECASTING.md). */
void ot_forecast_variance_multipliers(const ot_fc_model *model, int h, double *mult);

/* Simple exponential smoothing of x[0..n-1] with level initialised to x[0]:
 * returns the final level; *sse gets the sum of squared one-step errors
 * (may be NULL); fitted (may be NULL) gets fitted[0] = NAN and the one-step
 * forecasts. */
double ot_forecast_ses_run(const double *x, size_t n, double alpha, double *sse,
                           double *fitted);
/* alpha in [lo, hi] minimising that SSE (lo when n < 3). */
double ot_forecast_ses_fit(const double *x, size_t n, double lo, double hi);

/* Per family (engine/forecast_ets.c: seasonal naive, SES, Holt, Holt-Winters,
 * mean; engine/forecast_intermittent.c: Croston, SBA, TSB, ADIDA, IMAPA),
 * dispatched by ot_forecast_fit and ot_forecast_run
 * (engine/forecast_model.c). */
bool ot_forecast_ets_fit(const double *y, size_t n, ot_fc_model *model);
double ot_forecast_ets_run(const ot_fc_model *model, const double *y, size_t n, int h,
                           double *mean, double *fitted);
bool ot_forecast_intermittent_fit(const double *y, size_t n, ot_forecast_workspace *ws,
                                  ot_fc_model *model);
double ot_forecast_intermittent_run(const ot_fc_model *model, const double *y, size_t n,
                                    int h, ot_forecast_workspace *ws, double *mean,
                                    double *fitted);

/* SES with level l0 before x[start]: errors of x[start..n-1]. */
double ot_forecast_ses_core(const double *x, size_t n, double alpha, double l0, size_t start,
                            double *sse, double *fitted);
/* alpha in [lo, hi] minimising ot_forecast_ses_core's SSE (lo when fewer
 * than two errors). */
double ot_forecast_ses_core_fit(const double *x, size_t n, double l0, size_t start,
                                double lo, double hi);

/* ---- Optimisers (engine/forecast_optim.c) ---------------------------------- */
typedef double (*ot_fc_objective1)(double x, void *ctx);
typedef double (*ot_fc_objective)(const double *x, void *ctx);

/* Minimises f on [lo, hi] by golden-section search to width tol, then
 * compares with both bounds; returns the argmin (the lowest x on ties). */
double ot_forecast_golden(ot_fc_objective1 f, void *ctx, double lo, double hi, double tol);

/* Minimises f over the box lo[i] <= x[i] <= hi[i] (dim <= 4) by Nelder-Mead
 * with points projected into the box, starting at x (overwritten with the
 * best point), at most max_evals evaluations. Returns the best value. */
double ot_forecast_nelder_mead(ot_fc_objective f, void *ctx, int dim, const double *lo,
                               const double *hi, double *x, int max_evals);

/* ---- Intervals (engine/forecast_select.c) ---------------------------------- */
/* The q-quantile (0..1) of v[0..n-1] sorted ascending, linear interpolation
 * between order statistics (Hyndman-Fan type 7). */
double ot_forecast_quantile_sorted(const double *v, size_t n, double q);

#endif
