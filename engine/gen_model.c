/* The generator's network: parameters, nodes and regions, SKUs and their
 * categories, lanes, opening stock, open shipments and policies
 * (include/omnitwin/gen.h, docs/GENERATOR.md). */
#include <math.h>
#include <string.h>

#include "gen_impl.h"
#include "text.h"

/* The country box nodes are spread over (continental United States). */
#define BOX_LAT_MIN 30.0
#define BOX_LAT_MAX 47.0
#define BOX_LON_MIN (-120.0)
#define BOX_LON_MAX (-75.0)

typedef struct {
    const char *name;
    double weight;              /* share of SKUs */
    double slow_share;          /* share of its SKUs that are slow movers */
    double cost_lo, cost_hi;    /* unit cost range */
    double vol_lo, vol_hi;      /* volume per unit range */
    int32_t pack_fast, pack_slow;
    double weekly;              /* strength of the weekly profile */
    double yearly, peak_doy;    /* yearly cycle: amplitude, day of the peak */
} category;

static const category categories[] = {
    {"grocery", 0.25, 0.15, 0.8, 8.0, 0.4, 2.0, 12, 6, 1.2, 0.05, 355},
    {"beverages", 0.12, 0.10, 0.5, 5.0, 1.0, 6.0, 12, 6, 1.3, 0.25, 196},
    {"household", 0.12, 0.35, 2.0, 15.0, 1.0, 5.0, 6, 4, 0.9, 0.05, 90},
    {"personal_care", 0.12, 0.40, 2.0, 20.0, 0.2, 1.0, 6, 3, 0.8, 0.05, 160},
    {"apparel", 0.10, 0.60, 8.0, 60.0, 1.0, 3.0, 4, 1, 1.5, 0.20, 100},
    {"electronics", 0.07, 0.70, 15.0, 400.0, 1.0, 20.0, 2, 1, 1.4, 0.30, 345},
    {"home", 0.08, 0.60, 5.0, 120.0, 2.0, 30.0, 2, 1, 1.3, 0.10, 300},
    {"toys", 0.07, 0.55, 5.0, 60.0, 1.0, 10.0, 6, 1, 1.5, 0.45, 350},
    {"garden", 0.07, 0.50, 3.0, 80.0, 2.0, 40.0, 4, 1, 1.4, 0.50, 130},
};

void gen_category_shape(int32_t c, double *weekly, double *yearly, double *peak_doy)
{
    *weekly = categories[c].weekly;
    *yearly = categories[c].yearly;
    *peak_doy = categories[c].peak_doy;
}

int32_t ot_gen_category_count(void) { return (int32_t)OT_ARRAY_LEN(categories); }

const char *ot_gen_category_name(int32_t c)
{
    return c >= 0 && c < ot_gen_category_count() ? categories[c].name : "";
}

void ot_gen_params_default(ot_gen_params *p)
{
    *p = (ot_gen_params){.suppliers = 2, .dcs = 2, .stores = 20, .skus = 100,
                         .days = 365, .event_days = 7, .seed = 1,
                         .start = 20089 /* 2025-01-01 */};
}

ot_err ot_gen_params_check(const ot_gen_params *p, char *why, size_t why_size)
{
    const struct {
        const char *flag;
        int32_t value, lo, hi;
    } ranges[] = {
        {"--suppliers", p->suppliers, 1, OT_GEN_MAX_SUPPLIERS},
        {"--dcs", p->dcs, 1, OT_GEN_MAX_DCS},
        {"--stores", p->stores, 1, OT_GEN_MAX_STORES},
        {"--skus", p->skus, 1, OT_GEN_MAX_SKUS},
        {"--days", p->days, 1, OT_GEN_MAX_DAYS},
        {"--event-days", p->event_days, 0, OT_GEN_MAX_EVENT_DAYS},
    };
    for (size_t i = 0; i < OT_ARRAY_LEN(ranges); i++)
        if (ranges[i].value < ranges[i].lo || ranges[i].value > ranges[i].hi) {
            ot_text_format(why, why_size, "%s %ld is out of range (expected %ld to %ld)",
                           ranges[i].flag, (long)ranges[i].value, (long)ranges[i].lo,
                           (long)ranges[i].hi);
            return OT_ERR_USAGE;
        }
    /* Every day written stays a four-digit year (ot_date_format):
     * 1900-01-01 is day -25567, 9989-01-01 day 2928880. */
    if (p->start < -25567 || p->start > 2928880) {
        ot_text_format(why, why_size, "--start is out of range (expected 1900-01-01 to 9989-01-01)");
        return OT_ERR_USAGE;
    }
    long long pairs = (long long)(p->dcs + p->stores) * p->skus;
    if (p->event_days > 0 && pairs > OT_GEN_MAX_EVENT_PAIRS) {
        ot_text_format(why, why_size,
                       "(dcs + stores) x skus = %lld node-SKU pairs is too many to simulate "
                       "events (expected at most %lld, or --event-days 0)",
                       pairs, OT_GEN_MAX_EVENT_PAIRS);
        return OT_ERR_USAGE;
    }
    return OT_OK;
}

/* Zero-padded ids whose width fits the count: SUP01, DC01, S0001. */
static void make_id(char out[OT_GEN_ID_MAX], const char *prefix, int32_t number,
                    int32_t count, int min_width)
{
    int width = 1;
    for (int32_t c = count; c >= 10; c /= 10)
        width++;
    if (width < min_width)
        width = min_width;
    ot_text_format(out, OT_GEN_ID_MAX, "%s%0*d", prefix, width, (int)number);
}

static double distance_km(const ot_gen_node *a, const ot_gen_node *b)
{
    const double rad = 3.14159265358979323846 / 180.0;
    double x = (b->lon - a->lon) * rad * cos((a->lat + b->lat) * 0.5 * rad);
    double y = (b->lat - a->lat) * rad;
    return 6371.0 * sqrt(x * x + y * y);
}

static double round_to(double x, double step) { return ceil(x / step) * step; }

static double round2(double x) { return floor(x * 100.0 + 0.5) / 100.0; }

/* Region r's centre on a grid over the box; `cell` gets the cell size. */
static void region_centre(int32_t r, int32_t regions, double *lat, double *lon,
                          double *cell_lat, double *cell_lon)
{
    int32_t cols = (int32_t)ceil(sqrt((double)regions * 2.0));
    if (cols > regions)
        cols = regions;
    int32_t rows = (regions + cols - 1) / cols;
    *cell_lat = (BOX_LAT_MAX - BOX_LAT_MIN) / rows;
    *cell_lon = (BOX_LON_MAX - BOX_LON_MIN) / cols;
    *lat = BOX_LAT_MIN + (r / cols + 0.5) * *cell_lat;
    *lon = BOX_LON_MIN + (r % cols + 0.5) * *cell_lon;
}

static void build_skus(ot_gen *g)
{
    double total_weight = 0;
    for (int32_t c = 0; c < ot_gen_category_count(); c++)
        total_weight += categories[c].weight;
    for (int32_t s = 0; s < g->p.skus; s++) {
        ot_gen_sku *k = &g->skus[s];
        gen_rng r = {gen_key(g->p.seed, GEN_K_SKU, (uint64_t)s, 0)};
        make_id(k->id, "SKU", s + 1, g->p.skus, 5);
        double pick = gen_unit(&r) * total_weight;
        int32_t c = 0;
        while (c + 1 < ot_gen_category_count() && pick >= categories[c].weight) {
            pick -= categories[c].weight;
            c++;
        }
        const category *cat = &categories[c];
        k->category = c;
        k->slow = gen_unit(&r) < cat->slow_share;
        /* Log-uniform costs and volumes: many cheap items, a few dear ones. */
        k->unit_cost = round2(exp(gen_between(&r, log(cat->cost_lo), log(cat->cost_hi))));
        k->volume = round2(exp(gen_between(&r, log(cat->vol_lo), log(cat->vol_hi))));
        if (k->volume < 0.01)
            k->volume = 0.01;
        /* 25% a year to carry stock; a lost sale costs the margin and some
         * goodwill. */
        k->holding_cost = floor(k->unit_cost * 0.25 / 365.0 * 10000.0 + 0.5) / 10000.0;
        if (k->holding_cost < 0.0001)
            k->holding_cost = 0.0001;
        k->stockout_cost = round2(k->unit_cost * gen_between(&r, 0.4, 1.2));
        double z = g->normal[gen_next(&r) % GEN_NORMAL_TABLE];
        if (k->slow) {
            /* A demand day every 7 to 50 days at an average store. */
            k->rate = exp(gen_between(&r, log(0.02), log(0.14)));
            k->size = 1.0 + gen_between(&r, 0.0, 1.0) * (c < 2 ? 2.0 : 0.6);
            k->case_pack = cat->pack_slow;
        } else {
            /* Long tail: median 1.5 units a day, the top a few dozen. */
            k->rate = 1.5 * exp(1.1 * z);
            if (k->rate < 0.15)
                k->rate = 0.15;
            k->size = 0;
            k->case_pack = k->rate > 3.0 ? cat->pack_fast * 2 : cat->pack_fast;
        }
        k->trend_per_year = gen_between(&r, -0.25, 0.35);
    }
}

static void build_nodes(ot_gen *g)
{
    const ot_gen_params *p = &g->p;
    double cell_lat, cell_lon, lat, lon;
    int32_t n = 0;
    for (int32_t i = 0; i < p->suppliers; i++, n++) {
        ot_gen_node *x = &g->nodes[n];
        gen_rng r = {gen_key(p->seed, GEN_K_NODE, (uint64_t)n, 0)};
        make_id(x->id, "SUP", i + 1, p->suppliers, 2);
        x->kind = OT_NODE_SUPPLIER;
        x->lat = gen_between(&r, BOX_LAT_MIN, BOX_LAT_MAX);
        x->lon = gen_between(&r, BOX_LON_MIN, BOX_LON_MAX);
        x->primary_dc = -1;
    }
    for (int32_t d = 0; d < p->dcs; d++, n++) {
        ot_gen_node *x = &g->nodes[n];
        gen_rng r = {gen_key(p->seed, GEN_K_NODE, (uint64_t)n, 0)};
        int32_t region = (int32_t)((int64_t)d * g->regions / p->dcs);
        region_centre(region, g->regions, &lat, &lon, &cell_lat, &cell_lon);
        make_id(x->id, "DC", d + 1, p->dcs, 2);
        make_id(x->region, "R", region + 1, g->regions, 2);
        x->kind = OT_NODE_DC;
        x->lat = lat + gen_between(&r, -0.2, 0.2) * cell_lat;
        x->lon = lon + gen_between(&r, -0.2, 0.2) * cell_lon;
        x->primary_dc = -1;
    }
    for (int32_t k = 0; k < p->stores; k++, n++) {
        ot_gen_node *x = &g->nodes[n];
        gen_rng r = {gen_key(p->seed, GEN_K_STORE, (uint64_t)k, 0)};
        int32_t region = k % g->regions;
        region_centre(region, g->regions, &lat, &lon, &cell_lat, &cell_lon);
        make_id(x->id, "S", k + 1, p->stores, 4);
        make_id(x->region, "R", region + 1, g->regions, 2);
        x->kind = OT_NODE_STORE;
        x->lat = lat + gen_between(&r, -0.4, 0.4) * cell_lat;
        x->lon = lon + gen_between(&r, -0.4, 0.4) * cell_lon;
        /* 20% big stores, 50% average, 30% small. */
        double u = gen_unit(&r);
        x->scale = u < 0.2 ? gen_between(&r, 1.6, 2.6)
                 : u < 0.7 ? gen_between(&r, 0.8, 1.3) : gen_between(&r, 0.35, 0.7);
        x->scale = round2(x->scale);
    }
    /* Suppliers take the region of the nearest region centre. */
    for (int32_t i = 0; i < p->suppliers; i++) {
        ot_gen_node *x = &g->nodes[i];
        double best = INFINITY;
        for (int32_t reg = 0; reg < g->regions; reg++) {
            region_centre(reg, g->regions, &lat, &lon, &cell_lat, &cell_lon);
            double d = (lat - x->lat) * (lat - x->lat) + (lon - x->lon) * (lon - x->lon);
            if (d < best) {
                best = d;
                make_id(x->region, "R", reg + 1, g->regions, 2);
            }
        }
    }
}

/* The nearest and second nearest DC of store node n (second = -1 with one
 * DC). */
static void nearest_dcs(const ot_gen *g, int32_t n, int32_t *first, int32_t *second)
{
    double d1 = INFINITY, d2 = INFINITY;
    *first = *second = -1;
    for (int32_t d = g->p.suppliers; d < g->p.suppliers + g->p.dcs; d++) {
        double dist = distance_km(&g->nodes[n], &g->nodes[d]);
        if (dist < d1) {
            d2 = d1, *second = *first;
            d1 = dist, *first = d;
        } else if (dist < d2) {
            d2 = dist, *second = d;
        }
    }
}

static void add_lane(ot_gen *g, int32_t from, int32_t to, int32_t lead, double cost,
                     double capacity, const char *mode)
{
    OT_ASSERT(from != to);
    g->lanes[g->lane_count++] = (ot_gen_lane){from, to, lead, cost, capacity, mode};
}

/* Volumes a day drive capacities: generous, so that plans are feasible. */
static void compute_volumes(ot_gen *g)
{
    double sku_volume = 0;
    for (int32_t s = 0; s < g->p.skus; s++) {
        const ot_gen_sku *k = &g->skus[s];
        sku_volume += (k->slow ? k->rate * k->size : k->rate) * k->volume;
    }
    g->unit_store_volume = sku_volume;
    for (int32_t k = 0; k < g->p.stores; k++) {
        ot_gen_node *x = &g->nodes[ot_gen_store_node(g, k)];
        int32_t second;
        nearest_dcs(g, ot_gen_store_node(g, k), &x->primary_dc, &second);
        g->store_volume[k] = x->scale * sku_volume;
        g->dc_scale[x->primary_dc - g->p.suppliers] += x->scale;
        x->capacity = round_to(45.0 * g->store_volume[k], 100.0);
    }
    for (int32_t d = 0; d < g->p.dcs; d++) {
        ot_gen_node *x = &g->nodes[g->p.suppliers + d];
        double v = g->dc_scale[d] * sku_volume;
        x->capacity = round_to(60.0 * (v > 0 ? v : sku_volume), 1000.0);
    }
}

static void build_lanes(ot_gen *g)
{
    const ot_gen_params *p = &g->p;
    double sku_volume = g->unit_store_volume;
    for (int32_t i = 0; i < p->suppliers; i++)
        for (int32_t d = p->suppliers; d < p->suppliers + p->dcs; d++) {
            gen_rng r = {gen_key(p->seed, GEN_K_LANE, (uint64_t)i, (uint64_t)d)};
            double v = (g->dc_scale[d - p->suppliers] + 1.0) * sku_volume;
            double dist = distance_km(&g->nodes[i], &g->nodes[d]);
            add_lane(g, i, d, 5 + (int32_t)(gen_unit(&r) * 6.0),
                     round2(0.02 + dist * 0.0002), round_to(3.0 * v, 100.0), "truckload");
        }
    for (int32_t a = p->suppliers; a < p->suppliers + p->dcs; a++)
        for (int32_t b = p->suppliers; b < p->suppliers + p->dcs; b++)
            if (a != b) {
                double v = (g->dc_scale[b - p->suppliers] + 1.0) * sku_volume;
                add_lane(g, a, b, 2, round2(0.03 + distance_km(&g->nodes[a], &g->nodes[b]) * 0.0003),
                         round_to(v, 100.0), "linehaul");
            }
    for (int32_t k = 0; k < p->stores; k++) {
        int32_t n = ot_gen_store_node(g, k), first, second;
        nearest_dcs(g, n, &first, &second);
        double d1 = distance_km(&g->nodes[n], &g->nodes[first]);
        int32_t lead1 = 1 + (d1 > 400) + (d1 > 1000);
        add_lane(g, first, n, lead1, round2(0.05 + d1 * 0.0004),
                 round_to(4.0 * g->store_volume[k], 10.0), "truck");
        if (second >= 0) {
            double d2 = distance_km(&g->nodes[n], &g->nodes[second]);
            int32_t lead2 = 1 + (d2 > 400) + (d2 > 1000);
            if (lead2 <= lead1)
                lead2 = lead1 + 1 > 3 ? 3 : lead1 + 1;
            double cost2 = round2(0.05 + d2 * 0.0004);
            if (cost2 <= round2(0.05 + d1 * 0.0004))
                cost2 = round2(0.05 + d1 * 0.0004) + 0.05;
            add_lane(g, second, n, lead2, cost2, round_to(2.0 * g->store_volume[k], 10.0),
                     "truck");
        }
    }
    /* Lateral lanes: in each region, stores pair up in number order (the
     * 1st with the 2nd, the 3rd with the 4th, ...), both ways. */
    for (int32_t reg = 0; reg < g->regions; reg++)
        for (int32_t a = reg; a + g->regions < p->stores; a += 2 * g->regions) {
            int32_t b = a + g->regions;
            int32_t na = ot_gen_store_node(g, a), nb = ot_gen_store_node(g, b);
            double dist = distance_km(&g->nodes[na], &g->nodes[nb]);
            double v = g->store_volume[a] < g->store_volume[b] ? g->store_volume[a]
                                                               : g->store_volume[b];
            double cost = round2(0.5 + dist * 0.001);
            add_lane(g, na, nb, 1, cost, round_to(v, 10.0), "van");
            add_lane(g, nb, na, 1, cost, round_to(v, 10.0), "van");
        }
}

static void build_normal_table(ot_gen *g)
{
    /* Box-Muller pairs; the table is then indexed by random bits. */
    gen_rng r = {gen_key(g->p.seed, GEN_K_TABLE, 0, 0)};
    for (int i = 0; i < GEN_NORMAL_TABLE; i += 2) {
        double u1 = (gen_unit(&r) + 0x1.0p-54), u2 = gen_unit(&r);
        double m = sqrt(-2.0 * log(u1));
        g->normal[i] = (float)(m * cos(2.0 * 3.14159265358979323846 * u2));
        g->normal[i + 1] = (float)(m * sin(2.0 * 3.14159265358979323846 * u2));
    }
    /* Monday .. Sunday; mean 1; weekends peak. */
    static const float week[7] = {0.88f, 0.86f, 0.90f, 0.95f, 1.10f, 1.25f, 1.06f};
    memcpy(g->weekday, week, sizeof week);
}

ot_err ot_gen_new(const ot_gen_params *p, ot_gen **out, char *why, size_t why_size)
{
    *out = NULL;
    ot_err err = ot_gen_params_check(p, why, why_size);
    if (err)
        return err;
    ot_gen *g = ot_calloc(1, sizeof *g);
    if (!g)
        return OT_ERR_NOMEM;
    g->p = *p;
    g->regions = 2 * p->dcs;
    size_t nodes = (size_t)p->suppliers + (size_t)p->dcs + (size_t)p->stores;
    size_t lanes = (size_t)p->suppliers * (size_t)p->dcs + (size_t)p->dcs * (size_t)(p->dcs - 1) +
                   2 * (size_t)p->stores + (size_t)p->stores;
    g->nodes = ot_calloc(nodes, sizeof *g->nodes);
    g->skus = ot_calloc((size_t)p->skus, sizeof *g->skus);
    g->lanes = ot_calloc(lanes, sizeof *g->lanes);
    g->dc_scale = ot_calloc((size_t)p->dcs, sizeof *g->dc_scale);
    g->store_volume = ot_calloc((size_t)p->stores, sizeof *g->store_volume);
    if (!g->nodes || !g->skus || !g->lanes || !g->dc_scale || !g->store_volume) {
        ot_gen_free(g);
        return OT_ERR_NOMEM;
    }
    build_normal_table(g);
    if (gen_demand_init(g)) {
        ot_gen_free(g);
        return OT_ERR_NOMEM;
    }
    build_skus(g);
    build_nodes(g);
    compute_volumes(g);
    build_lanes(g);
    OT_ASSERT(g->lane_count <= lanes);
    *out = g;
    return OT_OK;
}

void ot_gen_free(ot_gen *g)
{
    if (!g)
        return;
    ot_free(g->nodes);
    ot_free(g->skus);
    ot_free(g->lanes);
    ot_free(g->dc_scale);
    ot_free(g->store_volume);
    ot_free(g->season);
    ot_free(g);
}

const ot_gen_params *ot_gen_params_of(const ot_gen *g) { return &g->p; }
size_t ot_gen_node_count(const ot_gen *g)
{
    return (size_t)g->p.suppliers + (size_t)g->p.dcs + (size_t)g->p.stores;
}
size_t ot_gen_sku_count(const ot_gen *g) { return (size_t)g->p.skus; }
size_t ot_gen_lane_count(const ot_gen *g) { return g->lane_count; }
size_t ot_gen_region_count(const ot_gen *g) { return (size_t)g->regions; }
const ot_gen_node *ot_gen_node_at(const ot_gen *g, int32_t n) { return &g->nodes[n]; }
const ot_gen_sku *ot_gen_sku_at(const ot_gen *g, int32_t s) { return &g->skus[s]; }
const ot_gen_lane *ot_gen_lane_at(const ot_gen *g, size_t l) { return &g->lanes[l]; }
int32_t ot_gen_store_node(const ot_gen *g, int32_t k) { return g->p.suppliers + g->p.dcs + k; }

int64_t gen_round_case(const ot_gen *g, int32_t s, double qty)
{
    int64_t pack = g->skus[s].case_pack;
    if (qty <= 0)
        return 0;
    return ((int64_t)ceil(qty) + pack - 1) / pack * pack;
}

int32_t gen_primary_lead(const ot_gen *g, int32_t k)
{
    /* Store k's primary lane is the first of its two (or one) DC lanes. */
    const ot_gen_params *p = &g->p;
    size_t first = (size_t)p->suppliers * (size_t)p->dcs + (size_t)p->dcs * (size_t)(p->dcs - 1);
    size_t per_store = p->dcs > 1 ? 2 : 1;
    return g->lanes[first + (size_t)k * per_store].lead_time_days;
}

void gen_store_levels(const ot_gen *g, int32_t k, int32_t s, int64_t *reorder, int64_t *up_to)
{
    double mean = ot_gen_mean_demand(g, k, s, g->p.days);
    double cover = (double)gen_primary_lead(g, k) + 1.0;
    double rop = mean * cover + 1.65 * sqrt(mean * cover);
    *reorder = (int64_t)ceil(rop);
    *up_to = *reorder + (int64_t)ceil(mean * 7.0);
    if (*up_to < *reorder + 1)
        *up_to = *reorder + 1;
}

int64_t ot_gen_opening_stock(const ot_gen *g, int32_t n, int32_t s)
{
    const ot_gen_params *p = &g->p;
    gen_rng r = {gen_key(p->seed, GEN_K_STOCK, (uint64_t)n, (uint64_t)s)};
    double weeks = gen_between(&r, 1.0, 3.0), u = gen_unit(&r);
    int32_t k = gen_store_of(g, n);
    if (k >= 0) {
        if (u < 0.05) /* out of stock */
            return 0;
        ot_gen_policy pol;
        ot_gen_policy_of(g, k, s, &pol);
        int64_t q = (int64_t)floor(ot_gen_mean_demand(g, k, s, p->days) * 7.0 * weeks + 0.5);
        return q > pol.max_units ? pol.max_units : q;
    }
    if (g->nodes[n].kind != OT_NODE_DC || u < 0.03)
        return 0;
    const ot_gen_sku *sku = &g->skus[s];
    double per_store = sku->slow ? sku->rate * sku->size : sku->rate;
    double trend = 1.0 + sku->trend_per_year * (double)p->days / 365.0;
    if (trend < 0.2)
        trend = 0.2;
    return gen_round_case(g, s, per_store * trend * g->dc_scale[n - p->suppliers] * 7.0 * weeks);
}

bool ot_gen_pipeline_line(const ot_gen *g, int32_t n, int32_t s, ot_gen_pipeline *out)
{
    const ot_gen_params *p = &g->p;
    gen_rng r = {gen_key(p->seed, GEN_K_PIPE, (uint64_t)n, (uint64_t)s)};
    int32_t k = gen_store_of(g, n);
    const ot_gen_node *to = &g->nodes[n];
    double mean;
    int32_t from;
    if (k >= 0) {
        if (gen_unit(&r) >= 0.06)
            return false;
        mean = ot_gen_mean_demand(g, k, s, p->days);
        from = to->primary_dc;
    } else if (to->kind == OT_NODE_DC) {
        if (gen_unit(&r) >= 0.30)
            return false;
        const ot_gen_sku *sku = &g->skus[s];
        mean = (sku->slow ? sku->rate * sku->size : sku->rate) * g->dc_scale[n - p->suppliers];
        from = (int32_t)(gen_next(&r) % (uint64_t)p->suppliers);
    } else {
        return false;
    }
    out->qty = gen_round_case(g, s, mean * gen_between(&r, 5.0, 14.0));
    if (out->qty <= 0)
        out->qty = g->skus[s].case_pack;
    out->from = from;
    out->to = n;
    out->sku = s;
    out->arrive_day = p->days + (int32_t)(gen_next(&r) % 7);
    ot_text_format(out->order_id, sizeof out->order_id, "%s-%s-%s", k >= 0 ? "TO" : "PO",
                   to->id, g->skus[s].id);
    return true;
}

void ot_gen_policy_of(const ot_gen *g, int32_t k, int32_t s, ot_gen_policy *out)
{
    const ot_gen_sku *sku = &g->skus[s];
    gen_rng r = {gen_key(g->p.seed, GEN_K_POLICY, (uint64_t)k, (uint64_t)s)};
    /* Fast movers get 0.95-0.99, slow movers 0.90-0.94. */
    int32_t hundredths = (sku->slow ? 90 : 95) + (int32_t)(gen_unit(&r) * 5.0);
    out->service_level = hundredths / 100.0;
    double mean = ot_gen_mean_demand(g, k, s, g->p.days);
    out->min_units = sku->slow ? 1 : sku->case_pack;
    out->max_units = (int64_t)ceil(mean * 35.0) + 2 * sku->case_pack;
}
