/* The generator's demand model (docs/GENERATOR.md "Demand"):
 *
 *   fast movers:  qty ~ Poisson(rate_s * scale_k * affinity_ks * season_s(t)
 *                               * trend_s(t) * promo_s(t) * noise_k(t))
 *   slow movers:  a demand day with chance p = min(0.45, the same product
 *                 with rate_s a chance), then 1 + Poisson(size_s - 1) units
 *
 * Every draw comes from a stream keyed by (seed, store, SKU, day), so a day
 * is the same whether made alone or inside a series.
 */
#include <math.h>

#include "gen_impl.h"

#define PI 3.14159265358979323846
#define DAY_NOISE 0.15          /* sigma of the store-day log noise */
#define AFFINITY_SIGMA 0.3      /* sigma of the store-SKU log affinity */
#define SLOW_MAX_CHANCE 0.45
#define PROMO_DIP_DAYS 5        /* pantry loading after a promotion */
#define PROMO_DIP 0.85

static int32_t weekday_of(const ot_gen *g, int32_t t)
{
    int64_t d = (int64_t)g->p.start + t + 3; /* 1970-01-01 was a Thursday */
    return (int32_t)(((d % 7) + 7) % 7);     /* Monday = 0 */
}

static double season_direct(const ot_gen *g, int32_t c, int32_t t)
{
    double weekly, yearly, peak;
    gen_category_shape(c, &weekly, &yearly, &peak);
    double w = 1.0 + weekly * (g->weekday[weekday_of(g, t)] - 1.0);
    double doy = fmod((double)g->p.start + t, 365.2425);
    if (doy < 0)
        doy += 365.2425;
    return w * (1.0 + yearly * cos(2.0 * PI * (doy - peak) / 365.2425));
}

ot_err gen_demand_init(ot_gen *g)
{
    double mean = 0;
    for (int i = 0; i < GEN_NORMAL_TABLE; i++)
        mean += exp(DAY_NOISE * g->normal[i]);
    mean /= GEN_NORMAL_TABLE;
    for (int i = 0; i < GEN_NORMAL_TABLE; i++)
        g->lognormal[i] = (float)(exp(DAY_NOISE * g->normal[i]) / mean);
    g->season_days = g->p.days + g->p.event_days;
    int32_t cats = ot_gen_category_count();
    g->season = ot_calloc((size_t)cats * (size_t)g->season_days, sizeof *g->season);
    if (!g->season)
        return OT_ERR_NOMEM;
    for (int32_t c = 0; c < cats; c++)
        for (int32_t t = 0; t < g->season_days; t++)
            g->season[(size_t)c * (size_t)g->season_days + (size_t)t] =
                (float)season_direct(g, c, t);
    return OT_OK;
}

double gen_season(const ot_gen *g, int32_t s, int32_t t)
{
    int32_t c = g->skus[s].category;
    if (t >= 0 && t < g->season_days)
        return g->season[(size_t)c * (size_t)g->season_days + (size_t)t];
    return season_direct(g, c, t);
}

double ot_gen_weekday_factor(const ot_gen *g, int32_t s, int32_t t)
{
    double weekly, yearly, peak;
    gen_category_shape(g->skus[s].category, &weekly, &yearly, &peak);
    return 1.0 + weekly * (g->weekday[weekday_of(g, t)] - 1.0);
}

double gen_affinity(const ot_gen *g, int32_t k, int32_t s)
{
    uint64_t h = gen_key(g->p.seed, GEN_K_PAIR, (uint64_t)k, (uint64_t)s);
    double z = g->normal[h % GEN_NORMAL_TABLE];
    return exp(AFFINITY_SIGMA * z - 0.5 * AFFINITY_SIGMA * AFFINITY_SIGMA);
}

static double trend(const ot_gen *g, const ot_gen_sku *sku, int32_t t)
{
    /* 1 at the end of the history, so the as-of level is the SKU's rate. */
    double f = 1.0 + sku->trend_per_year * (double)(t - g->p.days) / 365.0;
    return f < 0.2 ? 0.2 : f;
}

/* Promotions of SKU s: up to GEN_PROMOS_PER_YEAR windows in each 365-day
 * block of the timeline, drawn from (seed, s, block). Multiplies f[t-first]
 * for t in [first, first+n) by each window's uplift (and the dip after). */
static void promo_apply(const ot_gen *g, int32_t s, int32_t first, int32_t n, double *f)
{
    const ot_gen_sku *sku = &g->skus[s];
    int32_t b0 = (first >= 0 ? first / 365 : -((-first + 364) / 365)) - 1;
    int32_t last = first + n - 1;
    int32_t b1 = last >= 0 ? last / 365 : -((-last + 364) / 365);
    for (int32_t b = b0; b <= b1; b++) {
        gen_rng r = {gen_key(g->p.seed, GEN_K_PROMO, (uint64_t)s, (uint64_t)(int64_t)b)};
        double u = gen_unit(&r);
        int count = sku->slow ? (u < 0.6 ? 0 : 1) : (u < 0.25 ? 0 : 1 + (int)(gen_unit(&r) * 3.0));
        for (int i = 0; i < count && i < GEN_PROMOS_PER_YEAR; i++) {
            int32_t start = b * 365 + (int32_t)(gen_unit(&r) * 365.0);
            int32_t len = 3 + (int32_t)(gen_unit(&r) * 8.0);
            double uplift = sku->slow ? gen_between(&r, 1.5, 2.5) : gen_between(&r, 1.6, 3.5);
            for (int32_t t = start; t < start + len + PROMO_DIP_DAYS; t++)
                if (t >= first && t <= last)
                    f[t - first] *= t < start + len ? uplift : PROMO_DIP;
        }
    }
}

double ot_gen_promo_factor(const ot_gen *g, int32_t s, int32_t t)
{
    double f = 1.0;
    promo_apply(g, s, t, 1, &f);
    return f;
}

static uint64_t series_key(const ot_gen *g, int32_t k, int32_t s)
{
    return gen_key(g->p.seed, GEN_K_PAIR, (uint64_t)s, (uint64_t)k + 0x100000000ULL);
}

static uint64_t store_key(const ot_gen *g, int32_t k)
{
    return gen_key(g->p.seed, GEN_K_STOREDAY, (uint64_t)k, 0);
}

/* Poisson draw by inversion (small means) or the normal approximation. */
static int64_t poisson(const ot_gen *g, gen_rng *r, double mean)
{
    if (mean <= 0)
        return 0;
    if (mean >= 30.0) {
        double z = g->normal[gen_next(r) % GEN_NORMAL_TABLE];
        double q = floor(mean + sqrt(mean) * z + 0.5);
        return q > 0 ? (int64_t)q : 0;
    }
    double u = gen_unit(r), p = exp(-mean), cdf = p;
    int64_t q = 0;
    while (u > cdf && q < 200) {
        q++;
        p *= mean / (double)q;
        cdf += p;
    }
    return q;
}

/* One day's draw given everything but the day's noise and randomness. */
static int64_t draw(const ot_gen *g, const ot_gen_sku *sku, uint64_t skey, uint64_t kkey,
                    int32_t t, double level)
{
    uint64_t tt = (uint64_t)(int64_t)t * 0xD1B54A32D192ED03ULL;
    double noise = g->lognormal[gen_mix(kkey ^ tt) % GEN_NORMAL_TABLE];
    gen_rng r = {skey ^ tt};
    if (!sku->slow)
        return poisson(g, &r, level * noise);
    double chance = level * noise;
    if (chance > SLOW_MAX_CHANCE)
        chance = SLOW_MAX_CHANCE;
    if (gen_unit(&r) >= chance)
        return 0;
    return 1 + poisson(g, &r, sku->size - 1.0);
}

void ot_gen_demand_series(const ot_gen *g, int32_t k, int32_t s, int32_t first, int32_t n,
                          int32_t *out)
{
    const ot_gen_sku *sku = &g->skus[s];
    double base = sku->rate * g->nodes[ot_gen_store_node(g, k)].scale * gen_affinity(g, k, s);
    uint64_t skey = series_key(g, k, s), kkey = store_key(g, k);
    /* Promotions first, over the whole span, in blocks of bounded size. */
    enum { CHUNK = 512 };
    double f[CHUNK];
    for (int32_t done = 0; done < n; done += CHUNK) {
        int32_t m = n - done < CHUNK ? n - done : CHUNK;
        for (int32_t i = 0; i < m; i++)
            f[i] = 1.0;
        promo_apply(g, s, first + done, m, f);
        for (int32_t i = 0; i < m; i++) {
            int32_t t = first + done + i;
            double level = base * gen_season(g, s, t) * trend(g, sku, t) * f[i];
            int64_t q = draw(g, sku, skey, kkey, t, level);
            out[done + i] = q > INT32_MAX ? INT32_MAX : (int32_t)q;
        }
    }
}

int64_t ot_gen_demand(const ot_gen *g, int32_t k, int32_t s, int32_t t)
{
    int32_t q;
    ot_gen_demand_series(g, k, s, t, 1, &q);
    return q;
}

double ot_gen_mean_demand(const ot_gen *g, int32_t k, int32_t s, int32_t t)
{
    const ot_gen_sku *sku = &g->skus[s];
    double level = sku->rate * g->nodes[ot_gen_store_node(g, k)].scale * gen_affinity(g, k, s) *
                   trend(g, sku, t);
    if (!sku->slow)
        return level;
    return (level > SLOW_MAX_CHANCE ? SLOW_MAX_CHANCE : level) * sku->size;
}
