/*
 * The exponential-smoothing family and the simple benchmarks: seasonal
 * naive, history mean, SES, Holt's damped trend, Holt-Winters additive and
 * multiplicative with a weekly season. Error-correction form; equations and
 * initial states in docs/FORECASTING.md.
 */
#include <math.h>

#include "forecast_internal.h"

/* Most whole weeks the Holt-Winters initial states are taken from. */
#define HW_INIT_WEEKS 8
/* Robust updates (Gelper, Fried & Croux 2010, simplified): the error that
 * moves the states is clipped to +-ROBUST_K times a running scale of the
 * absolute errors (smoothing ROBUST_L), so that a promotion spike or a
 * stock-out day does not shift the level for weeks. */
#define ROBUST_K 3.0
#define ROBUST_L 0.1
#define INIT_SCALE_DAYS 56

/* The starting scale: mean absolute deviation from the mean of the first
 * INIT_SCALE_DAYS days (at least 1e-9). */
static double initial_scale(const double *y, size_t n)
{
    size_t m = n < INIT_SCALE_DAYS ? n : INIT_SCALE_DAYS;
    double mean = 0, dev = 0;
    for (size_t t = 0; t < m; t++)
        mean += y[t] / (double)m;
    for (size_t t = 0; t < m; t++)
        dev += fabs(y[t] - mean) / (double)m;
    return fmax(dev, 1e-9);
}

/* The clipped error, and the scale updated with it. */
static double robust_error(double e, double *scale)
{
    double lim = ROBUST_K * *scale;
    double c = e > lim ? lim : e < -lim ? -lim : e;
    *scale = fmax(ROBUST_L * fabs(c) + (1 - ROBUST_L) * *scale, 1e-9);
    return c;
}

/* ---- SES --------------------------------------------------------------- */

double ot_forecast_ses_core(const double *x, size_t n, double alpha, double l0, size_t start,
                            double *sse, double *fitted)
{
    double level = l0, sum = 0;
    if (fitted)
        for (size_t t = 0; t < start && t < n; t++)
            fitted[t] = NAN;
    for (size_t t = start; t < n; t++) {
        double e = x[t] - level;
        if (fitted)
            fitted[t] = level;
        sum += e * e;
        level += alpha * e;
    }
    if (sse)
        *sse = sum;
    return level;
}

typedef struct {
    const double *x;
    size_t n, start;
    double l0;
} ses_ctx;

static double ses_objective(double alpha, void *ctx)
{
    const ses_ctx *c = ctx;
    double sse;
    ot_forecast_ses_core(c->x, c->n, alpha, c->l0, c->start, &sse, NULL);
    return sse;
}

double ot_forecast_ses_core_fit(const double *x, size_t n, double l0, size_t start,
                                double lo, double hi)
{
    if (n < start + 2)
        return lo; /* one error or none: the SSE does not depend on alpha */
    ses_ctx c = {x, n, start, l0};
    return ot_forecast_golden(ses_objective, &c, lo, hi, 1e-5);
}

/* The SES model (not the SES inside the intermittent models): robust
 * updates, and fitted to the least absolute one-step error. Returns the
 * final level; *sse and *sae may be NULL. */
static double ses_model_run(const double *x, size_t n, double alpha, double *fitted,
                            double *sse, double *sae)
{
    double level = x[0], sq = 0, ab = 0, scale = initial_scale(x, n);
    if (fitted)
        fitted[0] = NAN;
    for (size_t t = 1; t < n; t++) {
        double e = x[t] - level;
        if (fitted)
            fitted[t] = level;
        sq += e * e;
        ab += fabs(e);
        level += alpha * robust_error(e, &scale);
    }
    if (sse)
        *sse = sq;
    if (sae)
        *sae = ab;
    return level;
}

static double ses_abs_objective(double alpha, void *ctx)
{
    const ses_ctx *c = ctx;
    double sae;
    ses_model_run(c->x, c->n, alpha, NULL, NULL, &sae);
    return sae;
}

static double ses_fit_absolute(const double *x, size_t n, double lo, double hi)
{
    if (n < 3)
        return lo;
    ses_ctx c = {x, n, 1, x[0]};
    return ot_forecast_golden(ses_abs_objective, &c, lo, hi, 1e-5);
}

double ot_forecast_ses_run(const double *x, size_t n, double alpha, double *sse,
                           double *fitted)
{
    OT_ASSERT(n >= 1);
    return ot_forecast_ses_core(x, n, alpha, x[0], 1, sse, fitted);
}

double ot_forecast_ses_fit(const double *x, size_t n, double lo, double hi)
{
    return n ? ot_forecast_ses_core_fit(x, n, x[0], 1, lo, hi) : lo;
}

/* ---- Holt's damped trend -------------------------------------------------- */

/* The runs return the SSE and, through *sae when not NULL, the sum of
 * absolute errors, which the fits minimise (robust to promotion spikes). */
static double holt_run(const double *y, size_t n, const double *par, int h, double *mean,
                       double *fitted, double *sae)
{
    double alpha = par[0], beta = par[1], phi = par[2];
    double level = y[0], trend = 0, sse = 0, abs_sum = 0, scale = initial_scale(y, n);
    if (fitted)
        fitted[0] = NAN;
    for (size_t t = 1; t < n; t++) {
        double f = level + phi * trend;
        double e = y[t] - f;
        if (fitted)
            fitted[t] = f;
        sse += e * e;
        abs_sum += fabs(e);
        e = robust_error(e, &scale);
        level = f + alpha * e;
        trend = phi * trend + alpha * beta * e;
    }
    if (mean) {
        double damp = 0, pk = 1;
        for (int i = 0; i < h; i++) {
            pk *= phi;
            damp += pk;
            mean[i] = fmax(0.0, level + damp * trend);
        }
    }
    if (sae)
        *sae = abs_sum;
    return sse;
}

/* ---- Holt-Winters -------------------------------------------------------- */

static double hw_run(const double *y, size_t n, const double *par, bool mult, int h,
                     double *mean, double *fitted, double *sae)
{
    const double phi = OT_FC_HW_PHI;
    double alpha = par[0], beta = par[1], gamma = par[2];
    /* Initial states from the first K whole weeks (2 <= K <= HW_INIT_WEEKS):
     * level the first week's mean, trend the slope between the first and
     * the K-th week's means, season the mean deviation (or ratio) of each
     * weekday from its week's mean. */
    size_t weeks = n / OT_FC_SEASON < HW_INIT_WEEKS ? n / OT_FC_SEASON : HW_INIT_WEEKS;
    double season[OT_FC_SEASON] = {0}, wmean[HW_INIT_WEEKS] = {0};
    for (size_t w = 0; w < weeks; w++) {
        double sum = 0;
        for (int i = 0; i < OT_FC_SEASON; i++)
            sum += y[w * OT_FC_SEASON + (size_t)i];
        wmean[w] = sum / OT_FC_SEASON;
    }
    double level = wmean[0];
    double trend = (wmean[weeks - 1] - wmean[0]) / ((double)(weeks - 1) * OT_FC_SEASON);
    for (size_t w = 0; w < weeks; w++)
        for (int i = 0; i < OT_FC_SEASON; i++) {
            double v = y[w * OT_FC_SEASON + (size_t)i];
            season[i] += (mult ? v / fmax(wmean[w], 1e-9) : v - wmean[w]) / (double)weeks;
        }
    double scale = initial_scale(y, n);
    double sse = 0, abs_sum = 0;
    for (size_t t = 0; t < n; t++) {
        int k = (int)(t % OT_FC_SEASON);
        double base = level + phi * trend;
        double f = mult ? base * season[k] : base + season[k];
        double e = y[t] - f;
        if (fitted)
            fitted[t] = f;
        sse += e * e;
        abs_sum += fabs(e);
        e = robust_error(e, &scale);
        if (mult) {
            /* Guards keep a zero day from dividing by zero. */
            double sk = fmax(season[k], 1e-6), bk = fmax(base, 1e-9);
            level = base + alpha * e / sk;
            trend = phi * trend + alpha * beta * e / sk;
            season[k] += gamma * e / bk;
        } else {
            level = base + alpha * e;
            trend = phi * trend + alpha * beta * e;
            season[k] += gamma * e;
        }
    }
    if (mean) {
        double damp = 0, pk = 1;
        for (int i = 0; i < h; i++) {
            pk *= phi;
            damp += pk;
            int k = (int)((n + (size_t)i) % OT_FC_SEASON);
            double f = mult ? (level + damp * trend) * season[k]
                            : level + damp * trend + season[k];
            mean[i] = fmax(0.0, f);
        }
    }
    if (sae)
        *sae = isfinite(abs_sum) ? abs_sum : HUGE_VAL;
    return isfinite(sse) ? sse : HUGE_VAL;
}

/* ---- Seasonal naive and mean --------------------------------------------- */

static double snaive_run(const double *y, size_t n, int h, double *mean, double *fitted)
{
    double sse = 0;
    for (size_t t = 0; t < n; t++) {
        double f = t >= OT_FC_SEASON ? y[t - OT_FC_SEASON] : NAN;
        if (fitted)
            fitted[t] = f;
        if (t >= OT_FC_SEASON)
            sse += (y[t] - f) * (y[t] - f);
    }
    if (mean)
        for (int i = 0; i < h; i++)
            mean[i] = y[n - OT_FC_SEASON + (size_t)(i % OT_FC_SEASON)];
    return sse;
}

static double mean_run(const double *y, size_t n, int h, double *mean, double *fitted)
{
    double sum = 0, sse = 0;
    for (size_t t = 0; t < n; t++) {
        double f = t ? sum / (double)t : NAN;
        if (fitted)
            fitted[t] = f;
        if (t)
            sse += (y[t] - f) * (y[t] - f);
        sum += y[t];
    }
    if (mean)
        for (int i = 0; i < h; i++)
            mean[i] = sum / (double)n;
    return sse;
}

/* ---- Fit and run ----------------------------------------------------------- */

typedef struct {
    const double *y;
    size_t n;
    ot_fc_method method;
} ets_ctx;

static double ets_objective(const double *par, void *ctx)
{
    const ets_ctx *c = ctx;
    double sae;
    if (c->method == OT_FC_HOLT_DAMPED)
        holt_run(c->y, c->n, par, 0, NULL, NULL, &sae);
    else
        hw_run(c->y, c->n, par, c->method == OT_FC_HW_MULTIPLICATIVE, 0, NULL, NULL, &sae);
    return sae;
}

/* Fits the three smoothing parameters of model->method within lo..hi by
 * Nelder-Mead from start (120 iterations). */
static void fit_three(ot_fc_model *model, const double *y, size_t n, const double lo[3],
                      const double hi[3], const double start[3])
{
    double x[3] = {start[0], start[1], start[2]};
    ets_ctx c = {y, n, model->method};
    ot_forecast_nelder_mead(ets_objective, &c, 3, lo, hi, x, 120);
    for (int i = 0; i < 3; i++)
        model->par[i] = x[i];
}

bool ot_forecast_ets_fit(const double *y, size_t n, ot_fc_model *model)
{
    ot_fc_method m = model->method;
    if (n < ot_forecast_min_days(m))
        return false;
    model->par[0] = model->par[1] = model->par[2] = 0;
    model->level = 1;
    switch (m) {
    case OT_FC_SES:
        model->par[0] = ses_fit_absolute(y, n, 0.01, 0.99);
        return true;
    case OT_FC_HOLT_DAMPED: {
        static const double lo[3] = {0.01, 0.001, 0.8}, hi[3] = {0.99, 0.3, 0.98};
        static const double start[3] = {0.3, 0.05, 0.9};
        fit_three(model, y, n, lo, hi, start);
        return true;
    }
    case OT_FC_HW_MULTIPLICATIVE:
        for (size_t t = 0; t < n; t++)
            if (!(y[t] > 0))
                return false;
        /* fall through */
    case OT_FC_HW_ADDITIVE: {
        static const double lo[3] = {0.01, 0.001, 0.01}, hi[3] = {0.9, 0.3, 0.5};
        static const double start[3] = {0.2, 0.02, 0.1};
        fit_three(model, y, n, lo, hi, start);
        return true;
    }
    case OT_FC_SEASONAL_NAIVE:
    case OT_FC_MEAN:
        return true;
    default:
        return false;
    }
}

double ot_forecast_ets_run(const ot_fc_model *model, const double *y, size_t n, int h,
                           double *mean, double *fitted)
{
    OT_ASSERT(n >= ot_forecast_min_days(model->method));
    switch (model->method) {
    case OT_FC_SES: {
        double sse;
        double level = ses_model_run(y, n, model->par[0], fitted, &sse, NULL);
        if (mean)
            for (int i = 0; i < h; i++)
                mean[i] = fmax(0.0, level);
        return sse;
    }
    case OT_FC_HOLT_DAMPED:
        return holt_run(y, n, model->par, h, mean, fitted, NULL);
    case OT_FC_HW_ADDITIVE:
    case OT_FC_HW_MULTIPLICATIVE:
        return hw_run(y, n, model->par, model->method == OT_FC_HW_MULTIPLICATIVE, h, mean,
                      fitted, NULL);
    case OT_FC_SEASONAL_NAIVE:
        return snaive_run(y, n, h, mean, fitted);
    case OT_FC_MEAN:
        return mean_run(y, n, h, mean, fitted);
    default:
        OT_ASSERT(!"not an exponential-smoothing method");
        return 0;
    }
}
