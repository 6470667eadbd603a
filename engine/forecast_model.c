/*
 * Method and class names, demand classification, and the dispatch from a
 * method to its family's fit and run, with each method's variance
 * multipliers for the prediction intervals.
 */
#include <math.h>
#include <string.h>

#include "forecast_internal.h"

static const char *const method_names[OT_FC_METHOD_COUNT] = {
    "seasonal_naive", "ses", "holt_damped", "hw_additive", "hw_multiplicative",
    "croston", "croston_sba", "tsb", "adida", "imapa", "mean",
};

const char *ot_fc_method_name(ot_fc_method method)
{
    return (unsigned)method < OT_FC_METHOD_COUNT ? method_names[method] : "?";
}

bool ot_fc_method_parse(const char *s, size_t len, ot_fc_method *out)
{
    for (int m = 0; m < OT_FC_METHOD_COUNT; m++) {
        if (strlen(method_names[m]) == len && memcmp(method_names[m], s, len) == 0) {
            *out = (ot_fc_method)m;
            return true;
        }
    }
    return false;
}

const char *ot_fc_class_name(ot_fc_class cls)
{
    static const char *const names[OT_FC_CLASS_COUNT] = {"smooth", "erratic", "intermittent",
                                                          "lumpy"};
    return (unsigned)cls < OT_FC_CLASS_COUNT ? names[cls] : "?";
}

ot_fc_class ot_forecast_classify(const double *y, size_t n, double *adi, double *cv2)
{
    size_t nz = 0;
    double sum = 0, sumsq = 0;
    for (size_t t = 0; t < n; t++) {
        if (y[t] > 0) {
            nz++;
            sum += y[t];
            sumsq += y[t] * y[t];
        }
    }
    double a = nz ? (double)n / (double)nz : INFINITY, c = 0;
    if (nz >= 2) {
        double mean = sum / (double)nz;
        double var = sumsq / (double)nz - mean * mean;
        c = var > 0 ? var / (mean * mean) : 0;
    }
    if (adi)
        *adi = a;
    if (cv2)
        *cv2 = c;
    bool intermittent = a >= 1.32, variable = c >= 0.49;
    return intermittent ? (variable ? OT_FC_LUMPY : OT_FC_INTERMITTENT)
                        : (variable ? OT_FC_ERRATIC : OT_FC_SMOOTH);
}

size_t ot_forecast_min_days(ot_fc_method method)
{
    switch (method) {
    case OT_FC_SEASONAL_NAIVE: return OT_FC_SEASON;
    case OT_FC_HOLT_DAMPED: return 3;
    case OT_FC_HW_ADDITIVE:
    case OT_FC_HW_MULTIPLICATIVE: return 2 * OT_FC_SEASON;
    default: return 1;
    }
}

static bool is_intermittent_method(ot_fc_method m)
{
    return m == OT_FC_CROSTON || m == OT_FC_CROSTON_SBA || m == OT_FC_TSB ||
           m == OT_FC_ADIDA || m == OT_FC_IMAPA;
}

bool ot_forecast_fit(ot_fc_method method, const double *y, size_t n,
                     ot_forecast_workspace *ws, ot_fc_model *model)
{
    model->method = method;
    if ((unsigned)method >= OT_FC_METHOD_COUNT || n == 0)
        return false;
    return is_intermittent_method(method) ? ot_forecast_intermittent_fit(y, n, ws, model)
                                          : ot_forecast_ets_fit(y, n, model);
}

double ot_forecast_run(const ot_fc_model *model, const double *y, size_t n, int h,
                       ot_forecast_workspace *ws, double *mean, double *fitted)
{
    return is_intermittent_method(model->method)
               ? ot_forecast_intermittent_run(model, y, n, h, ws, mean, fitted)
               : ot_forecast_ets_run(model, y, n, h, mean, fitted);
}

void ot_forecast_variance_multipliers(const ot_fc_model *model, int h, double *mult)
{
    const double *par = model->par;
    double alpha = par[0], beta = 0, gamma = 0, phi = 1;
    switch (model->method) {
    case OT_FC_SEASONAL_NAIVE:
        /* Each weekday is a random walk with one step a week. */
        for (int i = 0; i < h; i++)
            mult[i] = 1.0 + (double)(i / OT_FC_SEASON);
        return;
    case OT_FC_MEAN:
        for (int i = 0; i < h; i++)
            mult[i] = 1.0;
        return;
    case OT_FC_HOLT_DAMPED:
        beta = par[1];
        phi = par[2];
        break;
    case OT_FC_HW_ADDITIVE:
    case OT_FC_HW_MULTIPLICATIVE:
        beta = par[1];
        gamma = par[2];
        phi = OT_FC_HW_PHI;
        break;
    case OT_FC_SES:
        break;
    case OT_FC_TSB:
        alpha = fmax(par[0], par[1]);
        break;
    case OT_FC_IMAPA:
        alpha = OT_FC_INT_ALPHA_HI;
        break;
    default: /* Croston, SBA, ADIDA: the size constant */
        break;
    }
    /* Linear innovations state space: var_h = sigma^2 (1 + sum_{j<h} c_j^2),
     * c_j = alpha (1 + beta phi_j) + gamma [j divisible by the season]. */
    double acc = 1.0, damp = 0, pk = 1;
    mult[0] = 1.0;
    for (int j = 1; j < h; j++) {
        pk *= phi;
        damp += pk;
        double c = alpha * (1.0 + beta * damp) + (j % OT_FC_SEASON == 0 ? gamma : 0.0);
        acc += c * c;
        mult[j] = acc;
    }
}
