/* Internals of the generator (include/omnitwin/gen.h) shared by
 * engine/gen_model.c, gen_demand.c and gen_events.c. */
#ifndef OMNITWIN_GEN_IMPL_H
#define OMNITWIN_GEN_IMPL_H

#include "omnitwin/gen.h"

/* Counter-based randomness: every stream starts from a hash of its key, so
 * a value depends only on (seed, what, which) and not on the order of work.
 * splitmix64 (Steele, Lea, Flood 2014) for both mixing and stepping. */
static inline uint64_t gen_mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

static inline uint64_t gen_key(uint64_t seed, uint64_t what, uint64_t a, uint64_t b)
{
    return gen_mix(gen_mix(gen_mix(seed ^ (what << 56)) ^ a) + b);
}

typedef struct {
    uint64_t state;
} gen_rng;

static inline uint64_t gen_next(gen_rng *r)
{
    r->state += 0x9E3779B97F4A7C15ULL;
    uint64_t z = r->state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static inline double gen_unit(gen_rng *r)
{
    return (double)(gen_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform in [lo, hi). */
static inline double gen_between(gen_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * gen_unit(r);
}

/* Stream kinds (the `what` of gen_key). */
enum {
    GEN_K_SKU = 1, GEN_K_STORE, GEN_K_NODE, GEN_K_PAIR, GEN_K_DAY, GEN_K_STOREDAY,
    GEN_K_PROMO, GEN_K_STOCK, GEN_K_PIPE, GEN_K_POLICY, GEN_K_EVENT, GEN_K_LANE,
    GEN_K_TABLE
};

#define GEN_NORMAL_TABLE 4096   /* standard normal quantiles for cheap noise */
#define GEN_PROMOS_PER_YEAR 4

struct ot_gen {
    ot_gen_params p;
    int32_t regions;
    ot_gen_node *nodes;         /* suppliers, DCs, stores */
    ot_gen_sku *skus;
    ot_gen_lane *lanes;
    size_t lane_count;
    double *dc_scale;           /* per DC: sum of its stores' scale */
    double *store_volume;       /* per store: expected volume a day */
    double unit_store_volume;   /* expected volume a day at a scale-1 store */
    float normal[GEN_NORMAL_TABLE];
    float weekday[7];           /* Monday .. Sunday */
    float lognormal[GEN_NORMAL_TABLE]; /* exp(0.15 z), mean 1: day noise */
    float *season;              /* [category][day]: weekly x yearly factor */
    int32_t season_days;        /* days .. of the table: days + event_days */
};

/* Store number of node n, or -1 when n is not a store. */
static inline int32_t gen_store_of(const ot_gen *g, int32_t n)
{
    int32_t first = g->p.suppliers + g->p.dcs;
    return n >= first ? n - first : -1;
}

/* Category shape: weekly strength, yearly amplitude and peak day. */
void gen_category_shape(int32_t c, double *weekly, double *yearly, double *peak_doy);
/* Allocates and fills the demand tables of g (after the normal table);
 * OT_ERR_NOMEM. */
ot_err gen_demand_init(ot_gen *g);
/* Per-(store, SKU) affinity multiplier, mean about 1. */
double gen_affinity(const ot_gen *g, int32_t k, int32_t s);
/* Category seasonality weight of the weekly profile and the yearly cycle. */
double gen_season(const ot_gen *g, int32_t s, int32_t t);
/* Reorder point and order-up-to level of store pair (k, s) (units). */
void gen_store_levels(const ot_gen *g, int32_t k, int32_t s, int64_t *reorder,
                      int64_t *up_to);
/* Lead time of the lane from the primary DC to store k. */
int32_t gen_primary_lead(const ot_gen *g, int32_t k);
/* Whole case packs of s at least qty. */
int64_t gen_round_case(const ot_gen *g, int32_t s, double qty);

#endif
