/*
 * The per-series forecast: validation, classification, the shortlist of
 * each demand class, the rolling-origin holdout choice, the refit on the
 * whole history and the prediction intervals from the residuals
 * (docs/FORECASTING.md).
 */
#include <math.h>
#include <stdlib.h>

#include "forecast_internal.h"


/* Fewest training days left before the first holdout origin. */
#define MIN_TRAIN_DAYS (3 * OT_FC_SEASON)
/* Fewest residuals for empirical quantiles (below: normal quantiles). */
#define MIN_QUANTILE_RESIDUALS 10

void ot_forecast_options_init(ot_forecast_options *opt)
{
    opt->horizon = 14;
    opt->interval_level = 0.8;
    opt->holdout_windows = 4;
    opt->holdout_days = 0;
    opt->force_method = OT_FC_METHOD_COUNT;
}

ot_err ot_forecast_options_check(const ot_forecast_options *opt)
{
    if (opt->horizon < 1 || opt->horizon > OT_FC_MAX_HORIZON)
        return OT_ERR_USAGE;
    if (!(opt->interval_level > 0 && opt->interval_level < 1))
        return OT_ERR_USAGE;
    if (opt->holdout_windows < 0 || opt->holdout_windows > 8)
        return OT_ERR_USAGE;
    if (opt->holdout_days < 0 || opt->holdout_days > OT_FC_MAX_HORIZON)
        return OT_ERR_USAGE;
    if ((unsigned)opt->force_method > OT_FC_METHOD_COUNT)
        return OT_ERR_USAGE;
    return OT_OK;
}

ot_forecast_workspace *ot_forecast_workspace_new(size_t max_days)
{
    ot_forecast_workspace *ws = ot_calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->max_days = max_days;
    for (int i = 0; i < OT_FC_WS_ARRAYS; i++) {
        ws->arr[i] = ot_reallocarray(NULL, max_days ? max_days : 1, sizeof(double));
        if (!ws->arr[i]) {
            ot_forecast_workspace_free(ws);
            return NULL;
        }
    }
    return ws;
}

void ot_forecast_workspace_free(ot_forecast_workspace *ws)
{
    if (!ws)
        return;
    for (int i = 0; i < OT_FC_WS_ARRAYS; i++)
        ot_free(ws->arr[i]);
    ot_free(ws);
}

static ot_err check_series(const double *y, size_t n, const ot_forecast_workspace *ws)
{
    if (n == 0)
        return OT_ERR_INPUT;
    if (n > ws->max_days)
        return OT_ERR_LIMIT;
    for (size_t t = 0; t < n; t++)
        if (!isfinite(y[t]) || y[t] < 0)
            return OT_ERR_INPUT;
    return OT_OK;
}

ot_err ot_forecast_method(ot_fc_method method, const double *y, size_t n, int horizon,
                          ot_forecast_workspace *ws, double *mean)
{
    if (horizon < 1 || horizon > OT_FC_MAX_HORIZON || (unsigned)method >= OT_FC_METHOD_COUNT)
        return OT_ERR_USAGE;
    ot_err err = check_series(y, n, ws);
    if (err)
        return err;
    ot_fc_model model;
    if (!ot_forecast_fit(method, y, n, ws, &model))
        return OT_ERR_INPUT;
    ot_forecast_run(&model, y, n, horizon, ws, mean, NULL);
    return OT_OK;
}

/* Candidates, the favoured first: a later candidate is chosen only when its
 * holdout error is below the best earlier one's by more than PRIOR_MARGIN
 * (a prior against the noise of a short holdout). Smooth and erratic
 * series favour the weekly-seasonal models when the series shows a weekly
 * season, level models otherwise; intermittent and lumpy series have no
 * prior (margin 0) and list their own models first. */
#define PRIOR_MARGIN 0.15
#define SEASON_Z 1.0
static const ot_fc_method list_seasonal[] = {OT_FC_HW_ADDITIVE, OT_FC_HW_MULTIPLICATIVE,
                                             OT_FC_SES, OT_FC_HOLT_DAMPED,
                                             OT_FC_SEASONAL_NAIVE};
static const ot_fc_method list_level[] = {OT_FC_SES, OT_FC_HOLT_DAMPED, OT_FC_HW_ADDITIVE,
                                          OT_FC_HW_MULTIPLICATIVE, OT_FC_SEASONAL_NAIVE};
static const ot_fc_method list_erratic[] = {OT_FC_SES, OT_FC_HW_ADDITIVE, OT_FC_HOLT_DAMPED,
                                            OT_FC_SEASONAL_NAIVE};
static const ot_fc_method list_intermittent[] = {OT_FC_CROSTON, OT_FC_CROSTON_SBA, OT_FC_TSB,
                                                 OT_FC_ADIDA, OT_FC_IMAPA};
static const ot_fc_method list_lumpy[] = {OT_FC_CROSTON_SBA, OT_FC_TSB, OT_FC_ADIDA,
                                          OT_FC_IMAPA};

/* Weekly season test: the lag-7 autocorrelation of the series minus its
 * centred 7-day moving average (which removes level and trend, keeps the
 * weekday pattern; kept in the workspace) exceeds 1.645 / sqrt(m), the
 * one-sided 95% bound for white noise of m values. */
static bool weekly_season(const double *y, size_t n, double *d)
{
    if (n < 4 * OT_FC_SEASON)
        return false;
    size_t m = n - 6;
    double window = 0, mean = 0;
    for (size_t t = 0; t < 7; t++)
        window += y[t];
    for (size_t i = 0; i < m; i++) {
        if (i)
            window += y[i + 6] - y[i - 1];
        d[i] = y[i + 3] - window / 7.0;
        mean += d[i];
    }
    mean /= (double)m;
    double r0 = 0, r7 = 0;
    for (size_t i = 0; i < m; i++) {
        r0 += (d[i] - mean) * (d[i] - mean);
        if (i >= OT_FC_SEASON)
            r7 += (d[i] - mean) * (d[i - OT_FC_SEASON] - mean);
    }
    return r0 > 0 && r7 / r0 > SEASON_Z / sqrt((double)m);
}

static const ot_fc_method *shortlist(ot_fc_class cls, const double *y, size_t n,
                                     ot_forecast_workspace *ws, size_t *count, double *margin)
{
    *margin = PRIOR_MARGIN;
    switch (cls) {
    case OT_FC_SMOOTH:
        if (weekly_season(y, n, ws->arr[OT_FC_WS_A])) {
            *count = OT_ARRAY_LEN(list_seasonal);
            return list_seasonal;
        }
        *count = OT_ARRAY_LEN(list_level);
        return list_level;
    case OT_FC_ERRATIC: *count = OT_ARRAY_LEN(list_erratic); return list_erratic;
    case OT_FC_INTERMITTENT:
        *margin = 0;
        *count = OT_ARRAY_LEN(list_intermittent);
        return list_intermittent;
    default:
        *margin = 0;
        *count = OT_ARRAY_LEN(list_lumpy);
        return list_lumpy;
    }
}

/* The method when no holdout is possible (too short a history). */
static ot_fc_method class_default(ot_fc_class cls)
{
    return cls == OT_FC_INTERMITTENT ? OT_FC_CROSTON_SBA : cls == OT_FC_LUMPY ? OT_FC_TSB
                                                                             : OT_FC_SES;
}

/* Mean absolute error per day of method over `windows` origins of `days`
 * days at the end of y, parameters fitted once before the first origin;
 * INFINITY when the method does not apply. */
static double holdout_error(ot_fc_method method, const double *y, size_t n, int windows,
                            int days, ot_forecast_workspace *ws)
{
    size_t first = n - (size_t)windows * (size_t)days;
    ot_fc_model model;
    if (!ot_forecast_fit(method, y, first, ws, &model))
        return INFINITY;
    double mean[OT_FC_MAX_HORIZON], abs_err = 0;
    for (int w = 0; w < windows; w++) {
        size_t origin = first + (size_t)w * (size_t)days;
        ot_forecast_run(&model, y, origin, days, ws, mean, NULL);
        for (int i = 0; i < days; i++)
            abs_err += fabs(mean[i] - y[origin + (size_t)i]);
    }
    return abs_err / ((double)windows * days);
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double ot_forecast_quantile_sorted(const double *v, size_t n, double q)
{
    OT_ASSERT(n > 0);
    double pos = q * (double)(n - 1);
    size_t i = (size_t)floor(pos);
    if (i + 1 >= n)
        return v[n - 1];
    double frac = pos - (double)i;
    return v[i] + frac * (v[i + 1] - v[i]);
}

/* Refits `method` on the whole series and fills mean, lo, hi and sigma;
 * false (nothing filled) when the method does not apply to the series. */
static bool finish(ot_fc_method method, const double *y, size_t n,
                   const ot_forecast_options *opt, ot_forecast_workspace *ws,
                   ot_forecast_result *out)
{
    int h = opt->horizon;
    ot_fc_model model;
    if (!ot_forecast_fit(method, y, n, ws, &model))
        return false;
    double *fitted = ws->arr[OT_FC_WS_FITTED], *resid = ws->arr[OT_FC_WS_RESID];
    ot_forecast_run(&model, y, n, h, ws, out->mean, fitted);
    /* The first week's errors are shrunk by initial states taken from it. */
    size_t start = n >= 4 * OT_FC_SEASON ? OT_FC_SEASON : 0, m = 0;
    double sumsq = 0;
    for (size_t t = start; t < n; t++) {
        if (isfinite(fitted[t])) {
            resid[m] = y[t] - fitted[t];
            sumsq += resid[m] * resid[m];
            m++;
        }
    }
    double rmse = m ? sqrt(sumsq / (double)m) : 0.0;
    double q_lo, q_hi;
    double tail = (1.0 - opt->interval_level) / 2.0;
    if (m >= MIN_QUANTILE_RESIDUALS) {
        qsort(resid, m, sizeof *resid, compare_double);
        q_lo = ot_forecast_quantile_sorted(resid, m, tail);
        q_hi = ot_forecast_quantile_sorted(resid, m, 1.0 - tail);
    } else {
        double z = ot_forecast_normal_quantile(1.0 - tail);
        q_lo = -z * rmse;
        q_hi = z * rmse;
    }
    double mult[OT_FC_MAX_HORIZON];
    ot_forecast_variance_multipliers(&model, h, mult);
    for (int i = 0; i < h; i++) {
        double s = sqrt(mult[i]), f = out->mean[i];
        out->sigma[i] = rmse * s;
        out->lo[i] = fmin(f, fmax(0.0, f + q_lo * s));
        out->hi[i] = fmax(f, f + q_hi * s);
    }
    out->method = method;
    return true;
}

ot_err ot_forecast_series(const double *y, size_t n, const ot_forecast_options *opt,
                          ot_forecast_workspace *ws, ot_forecast_result *out)
{
    ot_err err = ot_forecast_options_check(opt);
    if (err)
        return err;
    if ((err = check_series(y, n, ws)))
        return err;
    out->horizon = opt->horizon;
    out->demand_class = ot_forecast_classify(y, n, &out->adi, &out->cv2);
    out->holdout_error = NAN;

    bool constant = true;
    for (size_t t = 1; t < n && constant; t++)
        constant = y[t] == y[0];
    if (opt->force_method != OT_FC_METHOD_COUNT)
        return finish(opt->force_method, y, n, opt, ws, out) ? OT_OK : OT_ERR_INPUT;
    if (n < 4 || constant) {
        /* Nothing to choose: the mean, and SES (exact) for a constant. */
        bool ok = finish(n < 4 ? OT_FC_MEAN : OT_FC_SES, y, n, opt, ws, out);
        OT_ASSERT(ok);
        return OT_OK;
    }

    int days = opt->holdout_days ? opt->holdout_days
                                 : (opt->horizon < 14 ? opt->horizon : 14);
    int windows = opt->holdout_windows;
    while (windows > 0 && n < (size_t)windows * (size_t)days + MIN_TRAIN_DAYS)
        windows--;
    ot_fc_method best = class_default(out->demand_class);
    if (windows > 0) {
        size_t count;
        double margin;
        const ot_fc_method *list = shortlist(out->demand_class, y, n, ws, &count, &margin);
        double best_mae = INFINITY;
        for (size_t i = 0; i < count; i++) {
            if (n < ot_forecast_min_days(list[i]))
                continue;
            double mae = holdout_error(list[i], y, n, windows, days, ws);
            if (mae < best_mae * (1.0 - margin)) {
                best_mae = mae;
                best = list[i];
            }
        }
        if (isfinite(best_mae))
            out->holdout_error = best_mae;
    }
    /* The holdout may pick a method the whole series rules out (a zero day
     * after the holdout start for multiplicative seasons): fall back. */
    if (!finish(best, y, n, opt, ws, out)) {
        bool ok = finish(OT_FC_SES, y, n, opt, ws, out);
        OT_ASSERT(ok);
    }
    return OT_OK;
}

void ot_forecast_result_scale(ot_forecast_result *fc, int h, double factor)
{
    OT_ASSERT(h >= 0 && h < OT_FC_MAX_HORIZON && factor >= 0);
    fc->mean[h] *= factor;
    fc->lo[h] *= factor;
    fc->hi[h] *= factor;
    fc->sigma[h] *= factor;
}
