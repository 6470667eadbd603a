/*
 * Rolling-origin backtests: every method and the per-series choice scored
 * against the days that followed each origin, summed per demand class.
 */
#include <math.h>
#include <string.h>

#include "forecast_internal.h"

void ot_forecast_backtest_init(ot_fc_backtest *bt) { memset(bt, 0, sizeof *bt); }

void ot_forecast_backtest_merge(ot_fc_backtest *into, const ot_fc_backtest *from)
{
    for (int c = 0; c <= OT_FC_CLASS_COUNT; c++) {
        for (int m = 0; m <= OT_FC_METHOD_COUNT; m++) {
            ot_fc_accuracy *a = &into->acc[c][m];
            const ot_fc_accuracy *b = &from->acc[c][m];
            a->abs_error += b->abs_error;
            a->error += b->error;
            a->actual += b->actual;
            a->mase_sum += b->mase_sum;
            a->mase_windows += b->mase_windows;
            a->windows += b->windows;
        }
    }
    into->series += from->series;
    into->skipped += from->skipped;
}

/* In-sample mean absolute error of the seasonal naive forecast (0 when the
 * series is shorter than two weeks' worth of differences). */
static double mase_scale(const double *y, size_t n)
{
    if (n <= OT_FC_SEASON)
        return 0;
    double sum = 0;
    for (size_t t = OT_FC_SEASON; t < n; t++)
        sum += fabs(y[t] - y[t - OT_FC_SEASON]);
    return sum / (double)(n - OT_FC_SEASON);
}

static void score(ot_fc_backtest *bt, ot_fc_class cls, int column, const double *mean,
                  const double *actual, int h, double scale)
{
    double abs_err = 0, err = 0, sum = 0;
    for (int i = 0; i < h; i++) {
        abs_err += fabs(mean[i] - actual[i]);
        err += mean[i] - actual[i];
        sum += actual[i];
    }
    int rows[2] = {(int)cls, OT_FC_CLASS_COUNT};
    for (int r = 0; r < 2; r++) {
        ot_fc_accuracy *a = &bt->acc[rows[r]][column];
        a->abs_error += abs_err;
        a->error += err;
        a->actual += sum;
        a->windows++;
        if (scale > 0) {
            a->mase_sum += abs_err / h / scale;
            a->mase_windows++;
        }
    }
}

ot_err ot_forecast_backtest(const double *y, size_t n, const ot_forecast_options *opt,
                            int origins, ot_forecast_workspace *ws, ot_fc_backtest *bt)
{
    if (origins < 1 || origins > 52)
        return OT_ERR_USAGE;
    ot_err err = ot_forecast_options_check(opt);
    if (err)
        return err;
    int h = opt->horizon;
    bool any = false;
    for (int k = origins; k >= 1; k--) {
        if (n < (size_t)k * (size_t)h + OT_FC_SEASON)
            continue;
        size_t origin = n - (size_t)k * (size_t)h;
        ot_forecast_result fc;
        if ((err = ot_forecast_series(y, origin, opt, ws, &fc)))
            return err;
        any = true;
        double scale = mase_scale(y, origin);
        score(bt, fc.demand_class, OT_FC_METHOD_COUNT, fc.mean, y + origin, h, scale);
        for (int m = 0; m < OT_FC_METHOD_COUNT; m++) {
            double mean[OT_FC_MAX_HORIZON];
            if (ot_forecast_method((ot_fc_method)m, y, origin, h, ws, mean) == OT_OK)
                score(bt, fc.demand_class, m, mean, y + origin, h, scale);
        }
    }
    if (any)
        bt->series++;
    else
        bt->skipped++;
    return OT_OK;
}

double ot_fc_accuracy_wape(const ot_fc_accuracy *a)
{
    return a->windows && a->actual > 0 ? a->abs_error / a->actual : NAN;
}

double ot_fc_accuracy_bias(const ot_fc_accuracy *a)
{
    return a->windows && a->actual > 0 ? a->error / a->actual : NAN;
}

double ot_fc_accuracy_mase(const ot_fc_accuracy *a)
{
    return a->mase_windows ? a->mase_sum / (double)a->mase_windows : NAN;
}
