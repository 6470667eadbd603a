/*
 * Models for intermittent demand: Croston (sizes and intervals smoothed
 * separately), its Syntetos-Boylan correction, TSB (occurrence probability
 * and size), ADIDA (aggregate to the mean interval, SES, spread back) and
 * IMAPA (ADIDA averaged over aggregation levels 1..K). Every smoothing
 * constant is fitted within [OT_FC_INT_ALPHA_LO, OT_FC_INT_ALPHA_HI].
 */
#include <math.h>

#include "forecast_internal.h"

#define ALO OT_FC_INT_ALPHA_LO
#define AHI OT_FC_INT_ALPHA_HI
/* IMAPA's highest aggregation level. */
#define IMAPA_MAX_LEVEL 28

/* Non-zero sizes into z[] and the intervals before each into p[] (the first
 * interval counts from the day before the series: index + 1). */
static size_t demand_sizes(const double *y, size_t n, double *z, double *p)
{
    size_t k = 0, prev = 0;
    for (size_t t = 0; t < n; t++) {
        if (y[t] > 0) {
            z[k] = y[t];
            p[k] = (double)(k ? t - prev : t + 1);
            prev = t;
            k++;
        }
    }
    return k;
}

static size_t nonzero_days(const double *y, size_t n)
{
    size_t k = 0;
    for (size_t t = 0; t < n; t++)
        k += y[t] > 0;
    return k;
}

/* Aggregation level from the mean interval n / non-zero days, at least 1. */
static int mean_interval_level(const double *y, size_t n, int cap)
{
    size_t nz = nonzero_days(y, n);
    if (!nz)
        return 1;
    long k = lround((double)n / (double)nz);
    return (int)(k < 1 ? 1 : k > cap ? cap : k);
}

/* ---- Croston and SBA ------------------------------------------------------ */

static double croston_run(const ot_fc_model *model, const double *y, size_t n, int h,
                          double *mean, double *fitted)
{
    double az = model->par[0], ap = model->par[1];
    double factor = model->method == OT_FC_CROSTON_SBA ? 1.0 - ap / 2.0 : 1.0;
    double lz = 0, lp = 1, sse = 0;
    bool started = false;
    size_t prev = 0;
    for (size_t t = 0; t < n; t++) {
        double f = started ? factor * lz / lp : NAN;
        if (fitted)
            fitted[t] = f;
        if (started)
            sse += (y[t] - f) * (y[t] - f);
        if (y[t] > 0) {
            if (!started) {
                lz = y[t];
                lp = (double)(t + 1);
                started = true;
            } else {
                lz += az * (y[t] - lz);
                lp += ap * ((double)(t - prev) - lp);
            }
            prev = t;
        }
    }
    double f = started ? factor * lz / lp : 0.0;
    if (mean)
        for (int i = 0; i < h; i++)
            mean[i] = f;
    return sse;
}

/* ---- TSB ----------------------------------------------------------------- */

/* Initial states: occurrence = share of non-zero days, size = mean non-zero
 * size, over the days the model was fitted on (model->level days: a
 * holdout run over a longer series starts from the same states). */
static void tsb_init(const double *y, size_t n, double *d0, double *z0)
{
    size_t nz = 0;
    double sum = 0;
    for (size_t t = 0; t < n; t++) {
        if (y[t] > 0) {
            nz++;
            sum += y[t];
        }
    }
    *d0 = n ? (double)nz / (double)n : 0;
    *z0 = nz ? sum / (double)nz : 0;
}

static double tsb_run(const ot_fc_model *model, const double *y, size_t n, int h,
                      double *mean, double *fitted)
{
    double ad = model->par[0], az = model->par[1], d, z;
    /* model->level holds the number of days the initial states come from. */
    size_t init_days = model->level > 0 && (size_t)model->level < n ? (size_t)model->level : n;
    tsb_init(y, init_days, &d, &z);
    double sse = 0;
    for (size_t t = 0; t < n; t++) {
        double f = d * z;
        double e = y[t] - f;
        if (fitted)
            fitted[t] = f;
        sse += e * e;
        if (y[t] > 0) {
            d += ad * (1.0 - d);
            z += az * (y[t] - z);
        } else {
            d -= ad * d;
        }
    }
    if (mean)
        for (int i = 0; i < h; i++)
            mean[i] = d * z;
    return sse;
}

/* ---- ADIDA and IMAPA ------------------------------------------------------ */

/* Sums of k-day buckets aligned to the end of y (an incomplete oldest
 * bucket is dropped) into b[]; returns the number of buckets. */
static size_t buckets(const double *y, size_t n, int k, double *b, size_t *offset)
{
    size_t count = n / (size_t)k;
    *offset = n - count * (size_t)k;
    for (size_t j = 0; j < count; j++) {
        double s = 0;
        for (int i = 0; i < k; i++)
            s += y[*offset + j * (size_t)k + (size_t)i];
        b[j] = s;
    }
    return count;
}

/* One ADIDA level: the daily forecast, and per day the one-step forecast
 * added into fsum[] with count[] incremented (when fsum is not NULL).
 * alpha < 0: fitted on the buckets. */
static double adida_level(const double *y, size_t n, int k, double alpha,
                          ot_forecast_workspace *ws, double *fsum, double *count,
                          double *alpha_out)
{
    double *b = ws->arr[OT_FC_WS_A], *bf = ws->arr[OT_FC_WS_B];
    size_t offset;
    size_t nb = buckets(y, n, k, b, &offset);
    if (!nb)
        return 0;
    if (alpha < 0)
        alpha = ot_forecast_ses_fit(b, nb, ALO, AHI);
    if (alpha_out)
        *alpha_out = alpha;
    double level = ot_forecast_ses_run(b, nb, alpha, NULL, fsum ? bf : NULL);
    if (fsum) {
        for (size_t j = 1; j < nb; j++) {
            for (int i = 0; i < k; i++) {
                size_t t = offset + j * (size_t)k + (size_t)i;
                fsum[t] += bf[j] / k;
                count[t] += 1;
            }
        }
    }
    return level / k;
}

static double finish_average(const double *y, size_t n, double *fitted, const double *count)
{
    double sse = 0;
    for (size_t t = 0; t < n; t++) {
        if (count[t] > 0) {
            fitted[t] /= count[t];
            sse += (y[t] - fitted[t]) * (y[t] - fitted[t]);
        } else {
            fitted[t] = NAN;
        }
    }
    return sse;
}

static double aggregate_run(const ot_fc_model *model, const double *y, size_t n, int h,
                            ot_forecast_workspace *ws, double *mean, double *fitted)
{
    double *count = ws->arr[OT_FC_WS_C];
    double *fsum = fitted;
    if (fsum) {
        for (size_t t = 0; t < n; t++)
            fsum[t] = count[t] = 0;
    }
    double f = 0;
    if (model->method == OT_FC_ADIDA) {
        int k = model->level <= (int)n ? model->level : (int)n;
        f = adida_level(y, n, k, model->par[0], ws, fsum, count, NULL);
    } else {
        int levels = model->level <= (int)n ? model->level : (int)n;
        for (int k = 1; k <= levels; k++)
            f += adida_level(y, n, k, -1, ws, fsum, count, NULL);
        f /= levels;
    }
    if (mean)
        for (int i = 0; i < h; i++)
            mean[i] = f;
    if (!fsum)
        return NAN; /* the SSE needs the per-day forecasts */
    return finish_average(y, n, fitted, count);
}

/* ---- Fit and run ----------------------------------------------------------- */

bool ot_forecast_intermittent_fit(const double *y, size_t n, ot_forecast_workspace *ws,
                                  ot_fc_model *model)
{
    if (n < ot_forecast_min_days(model->method))
        return false;
    model->par[0] = model->par[1] = model->par[2] = 0;
    model->level = 1;
    double *z = ws->arr[OT_FC_WS_A], *p = ws->arr[OT_FC_WS_B];
    switch (model->method) {
    case OT_FC_CROSTON:
    case OT_FC_CROSTON_SBA: {
        size_t k = demand_sizes(y, n, z, p);
        model->par[0] = ot_forecast_ses_fit(z, k, ALO, AHI);
        model->par[1] = ot_forecast_ses_fit(p, k, ALO, AHI);
        return true;
    }
    case OT_FC_TSB: {
        double d0, z0;
        tsb_init(y, n, &d0, &z0);
        size_t k = 0;
        for (size_t t = 0; t < n; t++) {
            p[t] = y[t] > 0;
            if (y[t] > 0)
                z[k++] = y[t];
        }
        model->par[0] = ot_forecast_ses_core_fit(p, n, d0, 0, ALO, AHI);
        model->par[1] = ot_forecast_ses_core_fit(z, k, z0, 0, ALO, AHI);
        model->level = (int)n;
        return true;
    }
    case OT_FC_ADIDA: {
        model->level = mean_interval_level(y, n, (int)n);
        double alpha = ALO;
        adida_level(y, n, model->level, -1, ws, NULL, NULL, &alpha);
        model->par[0] = alpha;
        return true;
    }
    case OT_FC_IMAPA:
        model->level = mean_interval_level(y, n, IMAPA_MAX_LEVEL);
        return true;
    default:
        return false;
    }
}

double ot_forecast_intermittent_run(const ot_fc_model *model, const double *y, size_t n,
                                    int h, ot_forecast_workspace *ws, double *mean,
                                    double *fitted)
{
    switch (model->method) {
    case OT_FC_CROSTON:
    case OT_FC_CROSTON_SBA:
        return croston_run(model, y, n, h, mean, fitted);
    case OT_FC_TSB:
        return tsb_run(model, y, n, h, mean, fitted);
    case OT_FC_ADIDA:
    case OT_FC_IMAPA:
        return aggregate_run(model, y, n, h, ws, mean, fitted);
    default:
        OT_ASSERT(!"not an intermittent-demand method");
        return 0;
    }
}
