/*
 * Demand forecasting: daily demand of one node-SKU series over a horizon,
 * with prediction intervals, the demand class, the method chosen per series,
 * rolling-origin backtests and safety stock. Pure computation on memory,
 * thread-safe (no global state): give each thread its own workspace.
 *
 * docs/FORECASTING.md states every model, the selection rule, the intervals
 * and the safety-stock formula.
 *
 * Typical use (the plan, per node-SKU pair):
 *
 *     ot_forecast_options opt;
 *     ot_forecast_options_init(&opt);          // horizon 14, 80% interval
 *     ot_forecast_workspace *ws = ot_forecast_workspace_new(days);
 *     ot_forecast_result fc;
 *     ot_twin_demand_series(twin, n, s, history);
 *     if (ot_forecast_series(history, days, &opt, ws, &fc) == OT_OK)
 *         ss = ot_forecast_safety_stock(&fc, 0.95, lead_time_days, 7);
 *     ot_forecast_workspace_free(ws);
 *
 * Demand factors (include/omnitwin/factors.h) and planner overrides are
 * applied by the caller to the result: mean, lo and hi are multiplied by the
 * day's factor (ot_forecast_result_scale does that for one step).
 */
#ifndef OMNITWIN_FORECAST_H
#define OMNITWIN_FORECAST_H

#include "omnitwin/common.h"

/* Longest horizon, in days, a forecast can cover. */
#define OT_FC_MAX_HORIZON 92
/* The weekly season, in days. */
#define OT_FC_SEASON 7

/* Forecasting methods. Appended, never renumbered. */
typedef enum {
    OT_FC_SEASONAL_NAIVE = 0,   /* the same weekday last week */
    OT_FC_SES,                  /* simple exponential smoothing */
    OT_FC_HOLT_DAMPED,          /* Holt's linear trend, damped */
    OT_FC_HW_ADDITIVE,          /* Holt-Winters, additive weekly season */
    OT_FC_HW_MULTIPLICATIVE,    /* Holt-Winters, multiplicative weekly season */
    OT_FC_CROSTON,              /* Croston, sizes and intervals smoothed */
    OT_FC_CROSTON_SBA,          /* Syntetos-Boylan approximation */
    OT_FC_TSB,                  /* Teunter-Syntetos-Babai */
    OT_FC_ADIDA,                /* aggregate, SES, disaggregate */
    OT_FC_IMAPA,                /* mean of ADIDA over aggregation levels */
    OT_FC_MEAN,                 /* history mean: series of fewer than 4 days */
    OT_FC_METHOD_COUNT
} ot_fc_method;

/* "seasonal_naive", "ses", "holt_damped", "hw_additive",
 * "hw_multiplicative", "croston", "croston_sba", "tsb", "adida", "imapa",
 * "mean"; "?" for a value out of range. */
const char *ot_fc_method_name(ot_fc_method method);
/* Parses a name above (exact, case-sensitive). */
bool ot_fc_method_parse(const char *s, size_t len, ot_fc_method *out);

/* Syntetos-Boylan demand classes from ADI (average inter-demand interval)
 * and CV² (squared coefficient of variation of the non-zero sizes), cut-offs
 * ADI 1.32 and CV² 0.49. A series with no demand at all is intermittent. */
typedef enum {
    OT_FC_SMOOTH = 0,           /* ADI <  1.32, CV² <  0.49 */
    OT_FC_ERRATIC,              /* ADI <  1.32, CV² >= 0.49 */
    OT_FC_INTERMITTENT,         /* ADI >= 1.32, CV² <  0.49 */
    OT_FC_LUMPY,                /* ADI >= 1.32, CV² >= 0.49 */
    OT_FC_CLASS_COUNT
} ot_fc_class;

/* "smooth", "erratic", "intermittent", "lumpy"; "?" out of range. */
const char *ot_fc_class_name(ot_fc_class cls);

/* Classifies y[0..n-1]. ADI = n / (number of non-zero days) (INFINITY when
 * none), CV² = variance / mean² of the non-zero values (population
 * variance; 0 with fewer than two). adi and cv2 may be NULL. */
ot_fc_class ot_forecast_classify(const double *y, size_t n, double *adi, double *cv2);

typedef struct {
    int horizon;                /* days to forecast, 1..OT_FC_MAX_HORIZON (14) */
    double interval_level;      /* central interval, (0, 1) (0.8: lo/hi are
                                   the 10% and 90% quantiles) */
    int holdout_windows;        /* rolling origins for the choice, 0..8 (4) */
    int holdout_days;           /* days per origin, 1..OT_FC_MAX_HORIZON
                                   (0: min(horizon, 14)) */
    /* Force one method (skips classification-based choice), or
     * OT_FC_METHOD_COUNT to choose per series (the default). */
    ot_fc_method force_method;
} ot_forecast_options;

/* Fills the defaults above. */
void ot_forecast_options_init(ot_forecast_options *opt);

/* Returns OT_ERR_USAGE when an option is out of range, OT_OK otherwise. */
ot_err ot_forecast_options_check(const ot_forecast_options *opt);

typedef struct {
    int horizon;                        /* steps filled below */
    ot_fc_method method;                /* the chosen method */
    ot_fc_class demand_class;
    double adi, cv2;                    /* the classification inputs */
    double mean[OT_FC_MAX_HORIZON];     /* point forecast, day as-of + h */
    double lo[OT_FC_MAX_HORIZON];       /* lower interval bound, >= 0 */
    double hi[OT_FC_MAX_HORIZON];       /* upper interval bound, >= mean */
    double sigma[OT_FC_MAX_HORIZON];    /* error standard deviation per step */
    double holdout_error;               /* the choice's holdout mean absolute
                                           error per day (NAN when no holdout
                                           was possible) */
} ot_forecast_result;

/* Scratch memory for one thread; holds series of up to max_days days.
 * NULL when out of memory. The caller owns it. */
typedef struct ot_forecast_workspace ot_forecast_workspace;
ot_forecast_workspace *ot_forecast_workspace_new(size_t max_days);
void ot_forecast_workspace_free(ot_forecast_workspace *ws);

/* Forecasts y[0..n-1] (daily demand, oldest first, values >= 0, the last
 * day the day before the as-of date) opt->horizon days ahead into *out.
 * Returns OT_ERR_INPUT when n is 0 or a value is negative or not finite,
 * OT_ERR_LIMIT when n exceeds the workspace, OT_ERR_USAGE for bad options;
 * *out is then unspecified. Deterministic: the same input gives the same
 * bits on any thread. */
ot_err ot_forecast_series(const double *y, size_t n, const ot_forecast_options *opt,
                          ot_forecast_workspace *ws, ot_forecast_result *out);

/* Forecasts y[0..n-1] with one method, parameters fitted on y, into
 * mean[0..horizon-1] (no interval). Same errors as ot_forecast_series, plus
 * OT_ERR_INPUT for a method that does not apply (Holt-Winters on fewer than
 * two weeks, multiplicative on a series with zeros). */
ot_err ot_forecast_method(ot_fc_method method, const double *y, size_t n, int horizon,
                          ot_forecast_workspace *ws, double *mean);

/* Multiplies step h (0-based) of the result by factor (>= 0): mean, lo, hi
 * and sigma. For demand factors (ot_factors_demand). */
void ot_forecast_result_scale(ot_forecast_result *fc, int h, double factor);

/* Safety stock for a target cycle service level over the protection period
 * P = lead_time_days + review_days (at least 1 day):
 *     ss = z(service_level) * sqrt(sigma[0]^2 + ... + sigma[P-1]^2)
 * with sigma beyond the horizon taken equal to the last step's. 0 when the
 * service level is 0.5 or less (or NAN); service levels are capped at
 * 0.9999. */
double ot_forecast_safety_stock(const ot_forecast_result *fc, double service_level,
                                int lead_time_days, int review_days);

/* The standard normal quantile (inverse CDF) at p in (0, 1): Acklam's
 * rational approximation (relative error 1.2e-9) refined by one Halley
 * step; -INFINITY / INFINITY at 0 / 1. */
double ot_forecast_normal_quantile(double p);

/* ---- Backtests --------------------------------------------------------------
 * Rolling-origin accuracy: for origins n - k*horizon, k = K..1, the series
 * before the origin is forecast horizon days ahead with every method that
 * applies and with the per-series choice, against the days that followed.
 * Sums accumulate per demand class (of the training part) and method.
 */
typedef struct {
    double abs_error;       /* sum |forecast - actual| */
    double error;           /* sum (forecast - actual) */
    double actual;          /* sum actual */
    double mase_sum;        /* sum over windows of MAE / in-sample seasonal
                               naive MAE (windows with a zero scale skipped) */
    uint64_t mase_windows;
    uint64_t windows;       /* forecast windows scored */
} ot_fc_accuracy;

/* Column OT_FC_METHOD_COUNT is the per-series choice; row
 * OT_FC_CLASS_COUNT is every class together. */
typedef struct {
    ot_fc_accuracy acc[OT_FC_CLASS_COUNT + 1][OT_FC_METHOD_COUNT + 1];
    uint64_t series;        /* series backtested */
    uint64_t skipped;       /* too short for a single origin */
} ot_fc_backtest;

void ot_forecast_backtest_init(ot_fc_backtest *bt);
/* Adds from into into (sums), for merging per-thread results in a fixed
 * order. */
void ot_forecast_backtest_merge(ot_fc_backtest *into, const ot_fc_backtest *from);

/* Backtests y[0..n-1] at `origins` origins (1..52) of opt->horizon days;
 * origins that leave fewer than OT_FC_SEASON training days are dropped (a
 * series with none counts as skipped). Errors as ot_forecast_series. */
ot_err ot_forecast_backtest(const double *y, size_t n, const ot_forecast_options *opt,
                            int origins, ot_forecast_workspace *ws, ot_fc_backtest *bt);

/* WAPE = sum|e| / sum actual; bias = sum e / sum actual; MASE = mean of
 * the per-window scaled errors. NAN when undefined (nothing scored). */
double ot_fc_accuracy_wape(const ot_fc_accuracy *a);
double ot_fc_accuracy_bias(const ot_fc_accuracy *a);
double ot_fc_accuracy_mase(const ot_fc_accuracy *a);

#endif
