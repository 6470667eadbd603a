/*
 * Forecasting engine: each model's filter against values computed by hand
 * (derivations in the comments) or by an independent reference
 * implementation of the equations in docs/FORECASTING.md; the optimisers;
 * the choice recovering the generating model; interval coverage; safety
 * stock; backtests; degenerate series; determinism.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv/forecast_csv.h"
#include "forecast_internal.h"
#include "omnitwin/forecast.h"

#define TOL 1e-9

/* A small deterministic generator (PCG-style LCG), independent of libc. */
typedef struct {
    uint64_t state;
} rng;

static double rng_uniform(rng *r)
{
    r->state = r->state * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((double)(r->state >> 11) + 0.5) / 9007199254740992.0;
}

static double rng_normal(rng *r)
{
    double u = rng_uniform(r), v = rng_uniform(r);
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

static double rng_poisson(rng *r, double lambda)
{
    double limit = exp(-lambda), p = 1;
    int k = 0;
    do {
        k++;
        p *= rng_uniform(r);
    } while (p > limit);
    return k - 1;
}

static ot_forecast_workspace *ws_new(size_t days)
{
    ot_forecast_workspace *ws = ot_forecast_workspace_new(days);
    ck_assert_ptr_nonnull(ws);
    return ws;
}

static ot_fc_model model_of(ot_fc_method m, double a, double b, double c, int level)
{
    ot_fc_model model = {m, {a, b, c}, level};
    return model;
}

/* ---- Models against hand computation --------------------------------------- */

START_TEST(test_ses_by_hand)
{
    /* alpha 0.5, y = 2 4 3 5: level 2; e=2 -> 3; e=0 -> 3; e=2 -> 4.
     * SSE 4+0+4 = 8, forecast 4, fitted NAN 2 3 3. */
    const double y[] = {2, 4, 3, 5};
    ot_forecast_workspace *ws = ws_new(8);
    ot_fc_model m = model_of(OT_FC_SES, 0.5, 0, 0, 1);
    double mean[3], fitted[4];
    double sse = ot_forecast_run(&m, y, 4, 3, ws, mean, fitted);
    ck_assert_double_eq_tol(sse, 8, TOL);
    for (int i = 0; i < 3; i++)
        ck_assert_double_eq_tol(mean[i], 4, TOL);
    ck_assert(isnan(fitted[0]));
    ck_assert_double_eq_tol(fitted[1], 2, TOL);
    ck_assert_double_eq_tol(fitted[2], 3, TOL);
    ck_assert_double_eq_tol(fitted[3], 3, TOL);
    ot_forecast_workspace_free(ws);
}
END_TEST

START_TEST(test_holt_damped_by_hand)
{
    /* alpha .5 beta .2 phi .9, y = 1 3 4; level 1, trend 0.
     * t1: f=1, e=2, l=2, b=0+.5*.2*2=.2
     * t2: f=2+.9*.2=2.18, e=1.82, l=2.18+.91=3.09, b=.18+.1*1.82=.362
     * SSE 4+3.3124; h1 3.09+.9*.362=3.4158; h2 3.09+1.71*.362=3.70902 */
    const double y[] = {1, 3, 4};
    ot_forecast_workspace *ws = ws_new(8);
    ot_fc_model m = model_of(OT_FC_HOLT_DAMPED, 0.5, 0.2, 0.9, 1);
    double mean[2], fitted[3];
    double sse = ot_forecast_run(&m, y, 3, 2, ws, mean, fitted);
    ck_assert_double_eq_tol(sse, 7.3124, TOL);
    ck_assert_double_eq_tol(fitted[2], 2.18, TOL);
    ck_assert_double_eq_tol(mean[0], 3.4158, TOL);
    ck_assert_double_eq_tol(mean[1], 3.70902, TOL);
    ot_forecast_workspace_free(ws);
}
END_TEST

/* Reference values from an independent implementation (Python) of the
 * Holt-Winters equations and initial states of docs/FORECASTING.md with
 * alpha .3, beta .1, gamma .2, phi .98 on 16 days (two whole weeks for the
 * initial states). */
static const double hw_y[16] = {3, 5, 4, 6, 8, 12, 10, 4, 6, 5, 7, 9, 13, 12, 5, 7};

static void check_hw(ot_fc_method method, double want_sse, const double want[8])
{
    ot_forecast_workspace *ws = ws_new(16);
    ot_fc_model m = model_of(method, 0.3, 0.1, 0.2, 1);
    double mean[8];
    double sse = ot_forecast_run(&m, hw_y, 16, 8, ws, mean, NULL);
    ck_assert_double_eq_tol(sse, want_sse, TOL);
    for (int i = 0; i < 8; i++)
        ck_assert_double_eq_tol(mean[i], want[i], TOL);
    ot_forecast_workspace_free(ws);
}

START_TEST(test_hw_additive_reference)
{
    static const double want[8] = {5.911101006681054, 7.98616170253852, 10.074130485818888,
                                   14.171622755627954, 12.795847371861552, 5.720019182727694,
                                   7.713086882227158, 6.712825494593929};
    check_hw(OT_FC_HW_ADDITIVE, 2.681944716120098, want);
}
END_TEST

START_TEST(test_hw_multiplicative_reference)
{
    static const double want[8] = {5.640422890622563, 8.245474883911726, 10.93505037704393,
                                   16.32541420852373, 14.55837054277266, 5.101818267186896,
                                   7.677970086255847, 6.268042751191262};
    check_hw(OT_FC_HW_MULTIPLICATIVE, 3.7279006321985615, want);
}
END_TEST

START_TEST(test_robust_updates_by_hand)
{
    /* SES alpha .5 on 10 10 10 10 50 10: starting scale = mean |y - 16.667|
     * = 11.111; three zero errors shrink it to 10, 9, 8.1; the spike's error
     * 40 is clipped to 3 x 8.1 = 24.3: level 10 + 12.15 = 22.15, scale
     * .1 x 24.3 + .9 x 8.1 = 9.72; then e = -12.15 (within 29.16): level
     * 16.075. SSE counts the raw errors: 40^2 + 12.15^2. */
    const double y[] = {10, 10, 10, 10, 50, 10};
    ot_forecast_workspace *ws = ws_new(8);
    ot_fc_model m = model_of(OT_FC_SES, 0.5, 0, 0, 1);
    double mean[1];
    double sse = ot_forecast_run(&m, y, 6, 1, ws, mean, NULL);
    ck_assert_double_eq_tol(mean[0], 16.075, TOL);
    ck_assert_double_eq_tol(sse, 1600 + 147.6225, TOL);
    /* Holt-Winters additive with a spike on day 11: two clipped updates
     * (reference implementation as above). */
    double spiky[16];
    memcpy(spiky, hw_y, sizeof spiky);
    spiky[11] = 40;
    static const double want[3] = {7.073478084596513, 9.170485787437084, 26.562119281027563};
    ot_fc_model hw = model_of(OT_FC_HW_ADDITIVE, 0.3, 0.1, 0.2, 1);
    double f[3];
    sse = ot_forecast_run(&hw, spiky, 16, 3, ws, f, NULL);
    ck_assert_double_eq_tol(sse, 612.0888156731439, TOL);
    for (int i = 0; i < 3; i++)
        ck_assert_double_eq_tol(f[i], want[i], TOL);
    ot_forecast_workspace_free(ws);
}
END_TEST

START_TEST(test_seasonal_naive_and_mean_by_hand)
{
    const double y[] = {1, 2, 3, 4, 5, 6, 7, 8};
    static const double want[9] = {2, 3, 4, 5, 6, 7, 8, 2, 3};
    ot_forecast_workspace *ws = ws_new(8);
    double mean[9];
    ck_assert_int_eq(ot_forecast_method(OT_FC_SEASONAL_NAIVE, y, 8, 9, ws, mean), OT_OK);
    for (int i = 0; i < 9; i++)
        ck_assert_double_eq_tol(mean[i], want[i], TOL);
    const double z[] = {1, 2, 6};
    ck_assert_int_eq(ot_forecast_method(OT_FC_MEAN, z, 3, 2, ws, mean), OT_OK);
    ck_assert_double_eq_tol(mean[0], 3, TOL);
    ck_assert_double_eq_tol(mean[1], 3, TOL);
    /* Fewer than a week: seasonal naive does not apply. */
    ck_assert_int_eq(ot_forecast_method(OT_FC_SEASONAL_NAIVE, y, 6, 1, ws, mean), OT_ERR_INPUT);
    ot_forecast_workspace_free(ws);
}
END_TEST

START_TEST(test_croston_and_sba_by_hand)
{
    /* alpha .5 for sizes and intervals, y = 0 3 0 0 5 0:
     * first demand day 1: size 3, interval 2 -> 1.5 for days 2..4;
     * day 4: size 3+.5*2 = 4, interval 2+.5*(3-2) = 2.5 -> 1.6.
     * SSE 1.5^2+1.5^2+3.5^2+1.6^2 = 19.31; SBA x (1-.5/2) = 1.2. */
    const double y[] = {0, 3, 0, 0, 5, 0};
    ot_forecast_workspace *ws = ws_new(8);
    ot_fc_model m = model_of(OT_FC_CROSTON, 0.5, 0.5, 0, 1);
    double mean[2], fitted[6];
    double sse = ot_forecast_run(&m, y, 6, 2, ws, mean, fitted);
    ck_assert_double_eq_tol(sse, 19.31, TOL);
    ck_assert_double_eq_tol(mean[0], 1.6, TOL);
    ck_assert(isnan(fitted[1]));
    ck_assert_double_eq_tol(fitted[2], 1.5, TOL);
    ck_assert_double_eq_tol(fitted[5], 1.6, TOL);
    m.method = OT_FC_CROSTON_SBA;
    ot_forecast_run(&m, y, 6, 2, ws, mean, NULL);
    ck_assert_double_eq_tol(mean[1], 1.2, TOL);
    ot_forecast_workspace_free(ws);
}
END_TEST

START_TEST(test_tsb_by_hand)
{
    /* alpha .5 / .5, y = 0 4 0 2: occurrence .5, size 3 (mean of 4, 2).
     * t0 f=1.5 d=.25; t1 f=.75 d=.625 z=3.5; t2 f=2.1875 d=.3125;
     * t3 f=1.09375 d=.65625 z=2.75 -> forecast 1.8046875.
     * SSE 2.25 + 3.25^2 + 2.1875^2 + .90625^2 */
    const double y[] = {0, 4, 0, 2};
    ot_forecast_workspace *ws = ws_new(8);
    ot_fc_model m = model_of(OT_FC_TSB, 0.5, 0.5, 0, 4);
    double mean[1], fitted[4];
    double sse = ot_forecast_run(&m, y, 4, 1, ws, mean, fitted);
    ck_assert_double_eq_tol(mean[0], 1.8046875, TOL);
    ck_assert_double_eq_tol(fitted[2], 2.1875, TOL);
    ck_assert_double_eq_tol(sse, 2.25 + 10.5625 + 4.78515625 + 0.8212890625, TOL);
    ot_forecast_workspace_free(ws);
}
END_TEST

START_TEST(test_adida_by_hand)
{
    /* Level 2, alpha .5, y = 1 0 2 0 0 4 1: buckets from the end
     * (0+2) (0+0) (4+1) = 2 0 5 (day 0 dropped); SES 2 -> 1 -> 3;
     * per day 3/2 = 1.5. Days 3-4 forecast 2/2 = 1, days 5-6 1/2 = .5. */
    const double y[] = {1, 0, 2, 0, 0, 4, 1};
    ot_forecast_workspace *ws = ws_new(8);
    ot_fc_model m = model_of(OT_FC_ADIDA, 0.5, 0, 0, 2);
    double mean[3], fitted[7];
    double sse = ot_forecast_run(&m, y, 7, 3, ws, mean, fitted);
    for (int i = 0; i < 3; i++)
        ck_assert_double_eq_tol(mean[i], 1.5, TOL);
    ck_assert(isnan(fitted[0]) && isnan(fitted[2]));
    ck_assert_double_eq_tol(fitted[3], 1, TOL);
    ck_assert_double_eq_tol(fitted[6], 0.5, TOL);
    ck_assert_double_eq_tol(sse, 1 + 1 + 3.5 * 3.5 + 0.25, TOL);
    ot_forecast_workspace_free(ws);
}
END_TEST

START_TEST(test_imapa_is_mean_of_adida_levels)
{
    /* Mean interval 16/6 -> level 3: IMAPA = mean of the fitted ADIDA
     * forecasts at levels 1, 2, 3, each computed here from its buckets. */
    const double y[] = {0, 2, 0, 0, 3, 0, 1, 0, 0, 0, 4, 0, 2, 0, 0, 1};
    ot_forecast_workspace *ws = ws_new(16);
    ot_fc_model m;
    ck_assert(ot_forecast_fit(OT_FC_IMAPA, y, 16, ws, &m));
    ck_assert_int_eq(m.level, 3);
    double mean[1];
    ot_forecast_run(&m, y, 16, 1, ws, mean, NULL);
    double want = 0;
    for (int k = 1; k <= 3; k++) {
        double b[16];
        size_t nb = 16 / (size_t)k, off = 16 - nb * (size_t)k;
        for (size_t j = 0; j < nb; j++) {
            b[j] = 0;
            for (int i = 0; i < k; i++)
                b[j] += y[off + j * (size_t)k + (size_t)i];
        }
        double alpha = ot_forecast_ses_fit(b, nb, OT_FC_INT_ALPHA_LO, OT_FC_INT_ALPHA_HI);
        want += ot_forecast_ses_run(b, nb, alpha, NULL, NULL) / k / 3;
    }
    ck_assert_double_eq_tol(mean[0], want, TOL);
    ot_forecast_workspace_free(ws);
}
END_TEST

/* ---- Optimisers and fitting ------------------------------------------------- */

static double parabola(double x, void *ctx)
{
    (void)ctx;
    return (x - 0.3) * (x - 0.3);
}

static double rising(double x, void *ctx)
{
    (void)ctx;
    return x;
}

static double bowl(const double *x, void *ctx)
{
    (void)ctx;
    return (x[0] - 0.2) * (x[0] - 0.2) + 3 * (x[1] - 0.7) * (x[1] - 0.7) +
           (x[0] - 0.2) * (x[1] - 0.7);
}

static double outside_bowl(const double *x, void *ctx)
{
    (void)ctx;
    return (x[0] - 2) * (x[0] - 2) + (x[1] + 1) * (x[1] + 1);
}

START_TEST(test_optimisers)
{
    ck_assert_double_eq_tol(ot_forecast_golden(parabola, NULL, 0, 1, 1e-7), 0.3, 1e-6);
    /* A bound optimum comes back exactly. */
    ck_assert_double_eq(ot_forecast_golden(rising, NULL, 0.05, 0.3, 1e-5), 0.05);
    double lo[2] = {0, 0}, hi[2] = {1, 1}, x[2] = {0.5, 0.5};
    ot_forecast_nelder_mead(bowl, NULL, 2, lo, hi, x, 400);
    ck_assert_double_eq_tol(x[0], 0.2, 1e-4);
    ck_assert_double_eq_tol(x[1], 0.7, 1e-4);
    /* The unconstrained optimum (2, -1) lies outside: the corner (1, 0). */
    double y[2] = {0.5, 0.5};
    ot_forecast_nelder_mead(outside_bowl, NULL, 2, lo, hi, y, 400);
    ck_assert_double_eq_tol(y[0], 1, 1e-6);
    ck_assert_double_eq_tol(y[1], 0, 1e-6);
}
END_TEST

START_TEST(test_ses_fit_by_hand)
{
    /* y = 0 2 1 1: alpha .5 gives errors 2, 0, 0 (SSE 4, the least any
     * alpha can give since the first error is always 2): forecast 1. */
    const double y[] = {0, 2, 1, 1};
    ck_assert_double_eq_tol(ot_forecast_ses_fit(y, 4, 0.01, 0.99), 0.5, 1e-4);
    /* y = 1 5 5 5: SSE 16 (1 + (1-a)^2 + (1-a)^4) falls with alpha: the bound. */
    const double z[] = {1, 5, 5, 5};
    ck_assert_double_eq(ot_forecast_ses_fit(z, 4, 0.01, 0.99), 0.99);
    ot_forecast_workspace *ws = ws_new(4);
    double mean[1];
    ck_assert_int_eq(ot_forecast_method(OT_FC_SES, z, 4, 1, ws, mean), OT_OK);
    /* level 1 -> 1+.99*4 = 4.96 -> 4.9996 -> 4.999996 */
    ck_assert_double_eq_tol(mean[0], 4.999996, TOL);
    ot_forecast_workspace_free(ws);
}
END_TEST

START_TEST(test_classify_by_hand)
{
    double adi, cv2;
    const double smooth[] = {4, 5, 6, 5};
    ck_assert_int_eq(ot_forecast_classify(smooth, 4, &adi, &cv2), OT_FC_SMOOTH);
    ck_assert_double_eq_tol(adi, 1, TOL);
    ck_assert_double_eq_tol(cv2, 0.5 / 25, TOL); /* variance .5, mean 5 */
    const double erratic[] = {1, 9, 1, 9};     /* var 16, mean 5: .64 */
    ck_assert_int_eq(ot_forecast_classify(erratic, 4, &adi, &cv2), OT_FC_ERRATIC);
    ck_assert_double_eq_tol(cv2, 0.64, TOL);
    const double intermittent[] = {0, 4, 0, 6}; /* ADI 2, var 1, mean 5 */
    ck_assert_int_eq(ot_forecast_classify(intermittent, 4, &adi, &cv2), OT_FC_INTERMITTENT);
    ck_assert_double_eq_tol(adi, 2, TOL);
    ck_assert_double_eq_tol(cv2, 0.04, TOL);
    const double lumpy[] = {0, 1, 0, 9};
    ck_assert_int_eq(ot_forecast_classify(lumpy, 4, NULL, NULL), OT_FC_LUMPY);
    const double none[] = {0, 0, 0};
    ck_assert_int_eq(ot_forecast_classify(none, 3, &adi, &cv2), OT_FC_INTERMITTENT);
    ck_assert(isinf(adi));
}
END_TEST

START_TEST(test_names)
{
    for (int m = 0; m < OT_FC_METHOD_COUNT; m++) {
        const char *name = ot_fc_method_name((ot_fc_method)m);
        ot_fc_method back;
        ck_assert(ot_fc_method_parse(name, strlen(name), &back));
        ck_assert_int_eq(back, m);
    }
    ot_fc_method back;
    ck_assert(!ot_fc_method_parse("SES", 3, &back));
    ck_assert_str_eq(ot_fc_method_name(OT_FC_METHOD_COUNT), "?");
    ck_assert_str_eq(ot_fc_class_name(OT_FC_LUMPY), "lumpy");
}
END_TEST

/* ---- Selection recovers the generating model ------------------------------- */

enum { SIM_DAYS = 365 };

static void simulate(int kind, rng *r, double *y)
{
    double level = 50, trend = 0.4;
    for (int t = 0; t < SIM_DAYS; t++) {
        switch (kind) {
        case 0: /* weekly season, additive, stable level */
            y[t] = fmax(0, 40 + 15 * sin(2 * M_PI * (t % 7) / 7.0) + 2 * rng_normal(r));
            break;
        case 1: /* damped-free linear trend plus noise, no season */
            y[t] = fmax(0, 20 + trend * t + 2 * rng_normal(r));
            break;
        case 2: { /* local level (SES process), alpha .5 */
            double e = 3 * rng_normal(r);
            y[t] = fmax(0, level + e);
            level += 0.5 * e;
            break;
        }
        default: /* intermittent: occurrence .25, sizes 1 + Poisson(2) */
            y[t] = rng_uniform(r) < 0.25 ? 1 + rng_poisson(r, 2) : 0;
            break;
        }
    }
}

START_TEST(test_selection_recovers_generator)
{
    rng r = {42};
    double y[SIM_DAYS];
    ot_forecast_workspace *ws = ws_new(SIM_DAYS);
    ot_forecast_options opt;
    ot_forecast_options_init(&opt);
    int hits[4] = {0};
    const int draws = 60;
    for (int kind = 0; kind < 4; kind++) {
        for (int i = 0; i < draws; i++) {
            simulate(kind, &r, y);
            ot_forecast_result fc;
            ck_assert_int_eq(ot_forecast_series(y, SIM_DAYS, &opt, ws, &fc), OT_OK);
            ot_fc_method m = fc.method;
            switch (kind) {
            case 0: hits[0] += m == OT_FC_HW_ADDITIVE || m == OT_FC_HW_MULTIPLICATIVE; break;
            case 1: hits[1] += m == OT_FC_HOLT_DAMPED; break;
            case 2: hits[2] += m == OT_FC_SES; break;
            default:
                hits[3] += fc.demand_class == OT_FC_INTERMITTENT &&
                           (m == OT_FC_CROSTON || m == OT_FC_CROSTON_SBA || m == OT_FC_TSB ||
                            m == OT_FC_ADIDA || m == OT_FC_IMAPA);
                break;
            }
        }
    }
    ck_assert_msg(hits[0] >= draws * 9 / 10, "seasonal: %d/%d", hits[0], draws);
    ck_assert_msg(hits[1] >= draws * 3 / 4, "trend: %d/%d", hits[1], draws);
    ck_assert_msg(hits[2] >= draws / 2, "local level: %d/%d", hits[2], draws);
    ck_assert_msg(hits[3] >= draws * 8 / 10, "intermittent: %d/%d", hits[3], draws);
    ot_forecast_workspace_free(ws);
}
END_TEST

/* ---- Interval coverage ---------------------------------------------------------- */

START_TEST(test_interval_coverage)
{
    /* 10,000 local-level series (alpha .3, Gaussian noise sd 2, level 100 so
     * that nothing clips at 0), SES forced, the 80% interval of the day after
     * the history and of the 7th day. */
    enum { DRAWS = 10000, DAYS = 120, H = 7 };
    rng r = {7};
    double y[DAYS + H];
    ot_forecast_workspace *ws = ws_new(DAYS);
    ot_forecast_options opt;
    ot_forecast_options_init(&opt);
    opt.horizon = H;
    opt.force_method = OT_FC_SES;
    int in1 = 0, in7 = 0;
    for (int d = 0; d < DRAWS; d++) {
        double level = 100;
        for (int t = 0; t < DAYS + H; t++) {
            double e = 2 * rng_normal(&r);
            y[t] = level + e;
            level += 0.3 * e;
        }
        ot_forecast_result fc;
        ck_assert_int_eq(ot_forecast_series(y, DAYS, &opt, ws, &fc), OT_OK);
        in1 += y[DAYS] >= fc.lo[0] && y[DAYS] <= fc.hi[0];
        in7 += y[DAYS + H - 1] >= fc.lo[H - 1] && y[DAYS + H - 1] <= fc.hi[H - 1];
    }
    double c1 = (double)in1 / DRAWS, c7 = (double)in7 / DRAWS;
    ck_assert_msg(fabs(c1 - 0.8) <= 0.03, "1-step coverage %.4f", c1);
    ck_assert_msg(fabs(c7 - 0.8) <= 0.03, "7-step coverage %.4f", c7);
    ot_forecast_workspace_free(ws);
}
END_TEST

/* ---- Safety stock and the normal quantile -------------------------------------- */

START_TEST(test_safety_stock_by_hand)
{
    ck_assert_double_eq_tol(ot_forecast_normal_quantile(0.975), 1.959963984540054, 1e-12);
    ck_assert_double_eq_tol(ot_forecast_normal_quantile(0.001), -3.090232306167813, 1e-12);
    ck_assert_double_eq_tol(ot_forecast_normal_quantile(0.5), 0, 1e-15);
    ot_forecast_result fc;
    memset(&fc, 0, sizeof fc);
    fc.horizon = 2;
    fc.sigma[0] = 1;
    fc.sigma[1] = 2;
    /* P = 3 + 1 = 4 days: sqrt(1 + 4 + 4 + 4) = sqrt(13), z(.95) = 1.6448536269514722 */
    ck_assert_double_eq_tol(ot_forecast_safety_stock(&fc, 0.95, 3, 1),
                            1.6448536269514722 * sqrt(13.0), 1e-9);
    ck_assert_double_eq(ot_forecast_safety_stock(&fc, 0.5, 3, 1), 0);
    ck_assert_double_eq(ot_forecast_safety_stock(&fc, NAN, 3, 1), 0);
    /* A zero protection period counts one day. */
    ck_assert_double_eq_tol(ot_forecast_safety_stock(&fc, 0.95, 0, 0), 1.6448536269514722,
                            1e-9);
    ot_forecast_result_scale(&fc, 1, 2.0);
    ck_assert_double_eq(fc.sigma[1], 4);
}
END_TEST

/* ---- Backtest ---------------------------------------------------------------- */

START_TEST(test_backtest_by_hand)
{
    /* 21 days of 2 then 7 days of 4, one origin of 7 days: the training part
     * is constant, so the choice is SES with forecast 2: |error| 14 on 28
     * sold, WAPE .5, bias -.5, MASE undefined (constant training). */
    double y[28];
    for (int t = 0; t < 28; t++)
        y[t] = t < 21 ? 2 : 4;
    ot_forecast_workspace *ws = ws_new(28);
    ot_forecast_options opt;
    ot_forecast_options_init(&opt);
    opt.horizon = 7;
    ot_fc_backtest bt;
    ot_forecast_backtest_init(&bt);
    ck_assert_int_eq(ot_forecast_backtest(y, 28, &opt, 1, ws, &bt), OT_OK);
    const ot_fc_accuracy *chosen = &bt.acc[OT_FC_CLASS_COUNT][OT_FC_METHOD_COUNT];
    ck_assert_int_eq(bt.series, 1);
    ck_assert_int_eq(chosen->windows, 1);
    ck_assert_double_eq_tol(ot_fc_accuracy_wape(chosen), 0.5, TOL);
    ck_assert_double_eq_tol(ot_fc_accuracy_bias(chosen), -0.5, TOL);
    ck_assert(isnan(ot_fc_accuracy_mase(chosen)));
    ck_assert_int_eq(bt.acc[OT_FC_SMOOTH][OT_FC_SES].windows, 1);
    ck_assert_double_eq_tol(ot_fc_accuracy_wape(&bt.acc[OT_FC_SMOOTH][OT_FC_MEAN]), 0.5, TOL);
    /* Holt-Winters needs 14 training days: it was scored. Too short: skipped. */
    ck_assert_int_eq(bt.acc[OT_FC_SMOOTH][OT_FC_HW_ADDITIVE].windows, 1);
    ck_assert_int_eq(ot_forecast_backtest(y, 10, &opt, 1, ws, &bt), OT_OK);
    ck_assert_int_eq(bt.skipped, 1);
    ot_fc_backtest sum;
    ot_forecast_backtest_init(&sum);
    ot_forecast_backtest_merge(&sum, &bt);
    ot_forecast_backtest_merge(&sum, &bt);
    ck_assert_int_eq(sum.acc[OT_FC_CLASS_COUNT][OT_FC_METHOD_COUNT].windows, 2);
    ck_assert_double_eq_tol(sum.acc[OT_FC_CLASS_COUNT][OT_FC_METHOD_COUNT].abs_error, 28, TOL);
    ck_assert_int_eq(ot_forecast_backtest(y, 28, &opt, 0, ws, &bt), OT_ERR_USAGE);
    ot_forecast_workspace_free(ws);
}
END_TEST

START_TEST(test_backtest_mase_by_hand)
{
    /* Weekly pattern 1..7 repeated with one outlier day in the training
     * part (day 10, +7), scored on days 28..34. */
    double y[35];
    for (int t = 0; t < 35; t++)
        y[t] = 1 + t % 7;
    y[10] += 7; /* seasonal differences of days 7..27: |7| at t=10 and t=17 */
    ot_forecast_workspace *ws = ws_new(35);
    ot_forecast_options opt;
    ot_forecast_options_init(&opt);
    opt.horizon = 7;
    ot_fc_backtest bt;
    ot_forecast_backtest_init(&bt);
    ck_assert_int_eq(ot_forecast_backtest(y, 35, &opt, 1, ws, &bt), OT_OK);
    /* Seasonal naive on days 21..27 is exact on days 28..34: error 0. */
    const ot_fc_accuracy *sn = &bt.acc[OT_FC_CLASS_COUNT][OT_FC_SEASONAL_NAIVE];
    ck_assert_double_eq_tol(ot_fc_accuracy_wape(sn), 0, TOL);
    ck_assert_int_eq(sn->mase_windows, 1);
    /* The mean of days 0..27 (112+7)/28 = 4.25 against 1..7: |e| sum
     * 3.25+2.25+1.25+.25+.75+1.75+2.75 = 12.25, MAE 1.75, scale 14/21. */
    const ot_fc_accuracy *mean = &bt.acc[OT_FC_CLASS_COUNT][OT_FC_MEAN];
    ck_assert_double_eq_tol(ot_fc_accuracy_mase(mean), 1.75 / (14.0 / 21.0), TOL);
    ot_forecast_workspace_free(ws);
}
END_TEST

/* ---- Degenerate series, errors ------------------------------------------------ */

START_TEST(test_degenerate_series)
{
    ot_forecast_workspace *ws = ws_new(400);
    ot_forecast_options opt;
    ot_forecast_options_init(&opt);
    double y[400];
    ot_forecast_result fc;
    size_t lengths[] = {1, 2, 3, 4, 5, 13, 14, 27, 28, 60, 400};
    for (size_t li = 0; li < OT_ARRAY_LEN(lengths); li++) {
        size_t n = lengths[li];
        /* All zero. */
        memset(y, 0, sizeof y);
        ck_assert_int_eq(ot_forecast_series(y, n, &opt, ws, &fc), OT_OK);
        for (int i = 0; i < opt.horizon; i++) {
            ck_assert_double_eq(fc.mean[i], 0);
            ck_assert_double_eq(fc.lo[i], 0);
            ck_assert_double_eq(fc.hi[i], 0);
            ck_assert_double_eq(fc.sigma[i], 0);
        }
        /* Constant 5: exactly 5, no spread. */
        for (size_t t = 0; t < n; t++)
            y[t] = 5;
        ck_assert_int_eq(ot_forecast_series(y, n, &opt, ws, &fc), OT_OK);
        ck_assert_int_eq(fc.method, n < 4 ? OT_FC_MEAN : OT_FC_SES);
        ck_assert_int_eq(fc.demand_class, OT_FC_SMOOTH);
        for (int i = 0; i < opt.horizon; i++) {
            ck_assert_double_eq_tol(fc.mean[i], 5, TOL);
            ck_assert_double_eq_tol(fc.lo[i], 5, TOL);
            ck_assert_double_eq_tol(fc.hi[i], 5, TOL);
        }
        /* One spike on the last day: finite, non-negative, ordered. */
        memset(y, 0, sizeof y);
        y[n - 1] = 1000;
        ck_assert_int_eq(ot_forecast_series(y, n, &opt, ws, &fc), OT_OK);
        for (int i = 0; i < opt.horizon; i++) {
            ck_assert(isfinite(fc.mean[i]) && isfinite(fc.hi[i]));
            ck_assert(0 <= fc.lo[i] && fc.lo[i] <= fc.mean[i] && fc.mean[i] <= fc.hi[i]);
        }
    }
    /* Lengths 1-3 use the mean: 1 3 -> 2. */
    const double two[] = {1, 3};
    ck_assert_int_eq(ot_forecast_series(two, 2, &opt, ws, &fc), OT_OK);
    ck_assert_int_eq(fc.method, OT_FC_MEAN);
    ck_assert_double_eq_tol(fc.mean[13], 2, TOL);
    ot_forecast_workspace_free(ws);
}
END_TEST

START_TEST(test_bad_input)
{
    ot_forecast_workspace *ws = ws_new(10);
    ot_forecast_options opt;
    ot_forecast_options_init(&opt);
    ot_forecast_result fc;
    double y[11] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    ck_assert_int_eq(ot_forecast_series(y, 0, &opt, ws, &fc), OT_ERR_INPUT);
    ck_assert_int_eq(ot_forecast_series(y, 11, &opt, ws, &fc), OT_ERR_LIMIT);
    y[2] = -1;
    ck_assert_int_eq(ot_forecast_series(y, 5, &opt, ws, &fc), OT_ERR_INPUT);
    y[2] = NAN;
    ck_assert_int_eq(ot_forecast_series(y, 5, &opt, ws, &fc), OT_ERR_INPUT);
    y[2] = INFINITY;
    ck_assert_int_eq(ot_forecast_series(y, 5, &opt, ws, &fc), OT_ERR_INPUT);
    y[2] = 3;
    opt.horizon = 0;
    ck_assert_int_eq(ot_forecast_series(y, 5, &opt, ws, &fc), OT_ERR_USAGE);
    opt.horizon = OT_FC_MAX_HORIZON + 1;
    ck_assert_int_eq(ot_forecast_series(y, 5, &opt, ws, &fc), OT_ERR_USAGE);
    ot_forecast_options_init(&opt);
    opt.interval_level = 1;
    ck_assert_int_eq(ot_forecast_series(y, 5, &opt, ws, &fc), OT_ERR_USAGE);
    ot_forecast_options_init(&opt);
    /* Multiplicative seasons need every day above zero. */
    double z[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 0};
    double mean[1];
    ck_assert_int_eq(ot_forecast_method(OT_FC_HW_ADDITIVE, z, 10, 1, ws, mean), OT_ERR_INPUT);
    opt.force_method = OT_FC_HW_MULTIPLICATIVE;
    ck_assert_int_eq(ot_forecast_series(z, 10, &opt, ws, &fc), OT_ERR_INPUT);
    ot_forecast_workspace_free(ws);
}
END_TEST

/* ---- Determinism ------------------------------------------------------------ */

START_TEST(test_determinism)
{
    rng r = {99};
    double y[4][SIM_DAYS];
    for (int k = 0; k < 4; k++)
        simulate(k, &r, y[k]);
    ot_forecast_options opt;
    ot_forecast_options_init(&opt);
    ot_forecast_workspace *a = ws_new(SIM_DAYS), *b = ws_new(SIM_DAYS);
    ot_forecast_result first[4], again;
    for (int k = 0; k < 4; k++)
        ck_assert_int_eq(ot_forecast_series(y[k], SIM_DAYS, &opt, a, &first[k]), OT_OK);
    /* Another workspace, the other order: the same bits. */
    for (int k = 3; k >= 0; k--) {
        memset(&again, 0xA5, sizeof again);
        ck_assert_int_eq(ot_forecast_series(y[k], SIM_DAYS, &opt, b, &again), OT_OK);
        ck_assert_int_eq(again.method, first[k].method);
        ck_assert(memcmp(again.mean, first[k].mean, sizeof again.mean[0] * 14) == 0);
        ck_assert(memcmp(again.lo, first[k].lo, sizeof again.lo[0] * 14) == 0);
        ck_assert(memcmp(again.hi, first[k].hi, sizeof again.hi[0] * 14) == 0);
    }
    ot_forecast_workspace_free(a);
    ot_forecast_workspace_free(b);
}
END_TEST


/* ---- CSV: overrides and forecast rows -------------------------------------- */

static ot_twin *small_twin(void)
{
    ot_twin *twin = ot_twin_new(0);
    ck_assert_ptr_nonnull(twin);
    ot_node_info nodes[] = {{"SUP", OT_NODE_SUPPLIER, "", false, 0, 0, INFINITY},
                            {"S1", OT_NODE_STORE, "", false, 0, 0, INFINITY},
                            {"S2", OT_NODE_STORE, "", false, 0, 0, INFINITY}};
    for (size_t i = 0; i < OT_ARRAY_LEN(nodes); i++) {
        ot_node_ix ix;
        ck_assert_int_eq(ot_twin_add_node(twin, &nodes[i], &ix), OT_OK);
    }
    ot_sku_info skus[] = {{"A", "", 1, 0.1, 5, 1, 1}, {"B", "", 1, 0.1, 5, 1, 1}};
    for (size_t i = 0; i < OT_ARRAY_LEN(skus); i++) {
        ot_sku_ix ix;
        ck_assert_int_eq(ot_twin_add_sku(twin, &skus[i], &ix), OT_OK);
    }
    ck_assert_int_eq(ot_twin_seal_catalog(twin, 20000, 20009), OT_OK);
    return twin;
}

static void write_file(char *path, const char *text)
{
    const char *tmpl = "/tmp/ot_forecast_XXXXXX";
    memcpy(path, tmpl, strlen(tmpl) + 1);
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static bool diag_has(const ot_diag *diag, const char *needle)
{
    for (size_t i = 0; i < ot_diag_count(diag); i++)
        if (strstr(ot_diag_get(diag, i)->message, needle))
            return true;
    return false;
}

START_TEST(test_overrides_read)
{
    ot_twin *twin = small_twin();
    char path[64];
    write_file(path, "node_id,date,sku,qty\n"
                     "S2,2024-10-03,A,7\n"
                     "S1,2024-10-02,B,0\n"
                     "S1,2024-10-01,B,2.5\n");
    ot_diag *diag = ot_diag_new(10);
    ot_demand_overrides o;
    ck_assert_int_eq(ot_csv_load_overrides(twin, path, diag, &o), OT_OK);
    ck_assert_uint_eq(o.count, 3);
    size_t k;
    const ot_demand_override *rows = ot_demand_overrides_of(&o, 1, 1, &k);
    ck_assert_uint_eq(k, 2);
    ot_day day;
    ck_assert(ot_date_parse("2024-10-01", 10, &day));
    ck_assert_int_eq(rows[0].day, day); /* sorted by day */
    ck_assert_double_eq(rows[0].qty, 2.5);
    ck_assert_int_eq(rows[0].line, 4);
    ck_assert_double_eq(rows[1].qty, 0);
    ck_assert_ptr_null(ot_demand_overrides_of(&o, 1, 0, &k));
    ck_assert_uint_eq(k, 0);
    rows = ot_demand_overrides_of(&o, 2, 0, &k);
    ck_assert_uint_eq(k, 1);
    ck_assert_double_eq(rows[0].qty, 7);
    ot_demand_overrides_release(&o);
    ot_diag_free(diag);
    unlink(path);
    ot_twin_free(twin);
}
END_TEST

START_TEST(test_overrides_errors)
{
    ot_twin *twin = small_twin();
    char path[64], where[192];
    write_file(path, "date,node_id,sku,qty\n"
                     "2024-13-01,S1,A,1\n"   /* line 2: no such month */
                     "2024-10-01,S9,A,1\n"   /* 3: unknown node */
                     "2024-10-01,SUP,A,1\n"  /* 4: a supplier */
                     "2024-10-01,S1,Z,1\n"   /* 5: unknown sku */
                     "2024-10-01,S1,A,-2\n"  /* 6: negative */
                     "2024-10-01,S1,A,x\n"   /* 7: not a number */
                     "2024-10-02,S1,A,1\n"   /* 8: fine */
                     "2024-10-02,S1,A,3\n"); /* 9: repeats line 8 */
    ot_diag *diag = ot_diag_new(20);
    ot_demand_overrides o;
    ck_assert_int_eq(ot_csv_load_overrides(twin, path, diag, &o), OT_ERR_INPUT);
    ck_assert_ptr_null(o.rows);
    ck_assert_uint_eq(o.count, 0);
    ck_assert_uint_eq(ot_diag_errors(diag), 7);
    snprintf(where, sizeof where, "%s:2: date '2024-13-01' is not a date", path);
    ck_assert_msg(diag_has(diag, where), "missing: %s", where);
    snprintf(where, sizeof where, "%s:3: node_id 'S9' is not in nodes.csv", path);
    ck_assert_msg(diag_has(diag, where), "missing: %s", where);
    snprintf(where, sizeof where, "%s:4: node_id 'SUP' is a supplier", path);
    ck_assert_msg(diag_has(diag, where), "missing: %s", where);
    snprintf(where, sizeof where, "%s:5: sku 'Z' is not in skus.csv", path);
    ck_assert_msg(diag_has(diag, where), "missing: %s", where);
    snprintf(where, sizeof where, "%s:6: qty '-2' is not a quantity", path);
    ck_assert_msg(diag_has(diag, where), "missing: %s", where);
    snprintf(where, sizeof where, "%s:7: qty 'x' is not a quantity", path);
    ck_assert_msg(diag_has(diag, where), "missing: %s", where);
    snprintf(where, sizeof where, "%s:9: override for 2024-10-02 repeats line 8", path);
    ck_assert_msg(diag_has(diag, where), "missing: %s", where);
    unlink(path);
    /* A missing column and a missing file. */
    ot_diag_free(diag);
    diag = ot_diag_new(20);
    write_file(path, "date,node_id,qty\n2024-10-01,S1,1\n");
    ck_assert_int_eq(ot_csv_load_overrides(twin, path, diag, &o), OT_ERR_INPUT);
    ck_assert(diag_has(diag, "sku"));
    unlink(path);
    ck_assert_int_eq(ot_csv_load_overrides(twin, path, diag, &o), OT_ERR_IO);
    ot_diag_free(diag);
    ot_twin_free(twin);
}
END_TEST

START_TEST(test_forecast_row_format)
{
    char buf[128];
    ot_day day;
    ck_assert(ot_date_parse("2025-01-31", 10, &day));
    size_t n = ot_csv_format_forecast_row(buf, sizeof buf, day, "S1", "A,\"x\"", 1.23456,
                                          -0.0, 2, "tsb");
    const char *want = "2025-01-31,S1,\"A,\"\"x\"\"\",1.235,0.000,2.000,tsb\n";
    ck_assert_str_eq(buf, want);
    ck_assert_uint_eq(n, strlen(want));
    /* Too small a buffer: 0, never a cut row. */
    ck_assert_uint_eq(ot_csv_format_forecast_row(buf, 20, day, "S1", "A", 1, 0, 2, "tsb"), 0);
    ck_assert_str_eq(ot_csv_forecast_header, "date,node_id,sku,qty,lo,hi,method\n");
}
END_TEST

Suite *ot_suite_forecast(void);
Suite *ot_suite_forecast(void)
{
    Suite *s = suite_create("forecast");
    struct {
        const char *name;
        const TTest *test;
    } cases[] = {
        {"ses", test_ses_by_hand},
        {"holt_damped", test_holt_damped_by_hand},
        {"hw_additive", test_hw_additive_reference},
        {"hw_multiplicative", test_hw_multiplicative_reference},
        {"robust_updates", test_robust_updates_by_hand},
        {"seasonal_naive_mean", test_seasonal_naive_and_mean_by_hand},
        {"croston_sba", test_croston_and_sba_by_hand},
        {"tsb", test_tsb_by_hand},
        {"adida", test_adida_by_hand},
        {"imapa", test_imapa_is_mean_of_adida_levels},
        {"optimisers", test_optimisers},
        {"ses_fit", test_ses_fit_by_hand},
        {"classify", test_classify_by_hand},
        {"names", test_names},
        {"selection", test_selection_recovers_generator},
        {"coverage", test_interval_coverage},
        {"safety_stock", test_safety_stock_by_hand},
        {"backtest", test_backtest_by_hand},
        {"backtest_mase", test_backtest_mase_by_hand},
        {"degenerate", test_degenerate_series},
        {"bad_input", test_bad_input},
        {"determinism", test_determinism},
        {"overrides_read", test_overrides_read},
        {"overrides_errors", test_overrides_errors},
        {"forecast_row_format", test_forecast_row_format},
    };
    for (size_t i = 0; i < OT_ARRAY_LEN(cases); i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, cases[i].test);
        suite_add_tcase(s, tc);
    }
    return s;
}
