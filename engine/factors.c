/*
 * The disruption factor store (include/omnitwin/factors.h).
 *
 * Storage is proportional to what is disrupted, never node × SKU × day:
 * - demand: a (node, day) index of int32 row numbers (0 = neutral) into rows
 *   of one double per SKU category, created on first write to that
 *   (node, day); SKU-specific rules are a list chained per SKU;
 * - lanes: three doubles per lane × day, allocated on the first lane write;
 * - closures: one byte per node × day, allocated on the first closure.
 * Category and closure tables are created lazily so that a store without
 * disruptions costs a few hundred bytes plus the SKU → category map.
 */
#include <math.h>
#include <string.h>

#include "omnitwin/factors.h"

/* The (node, day) demand rows may hold at most this many doubles (512 MiB). */
#define DEMAND_MAX_CELLS ((size_t)64 << 20)
/* A demand factor above this is certainly a typo in the feed. */
#define FACTOR_MAX 1000.0

typedef struct {
    ot_node_ix node;
    ot_day first, last;
    double factor;
    ot_sku_ix sku;
    int32_t next;                /* next rule of the same SKU, or -1 */
} sku_rule;

struct ot_factors {
    const ot_twin *twin;
    ot_day first_day;
    size_t days;
    size_t nodes, skus, lanes;

    /* categories */
    char **cat_names;
    size_t cat_count;
    int32_t *sku_cat;            /* skus entries */

    /* demand rows */
    int32_t *row_of;             /* nodes * days, 0 = neutral; lazily */
    double *rows;                /* (row_count + 1) * cat_count; row 0 unused */
    size_t row_count, row_cap;

    sku_rule *rules;
    size_t rule_count, rule_cap;
    int32_t *rule_head;          /* skus entries, lazily; -1 = none */
    int32_t *rule_tail;

    /* lanes */
    ot_node_ix *lane_from, *lane_to;
    ot_lane_effect *lane_fx;     /* lanes * days, lazily */

    uint8_t *closed;             /* nodes * days, lazily */
};

static uint64_t name_hash(const char *s, size_t len)
{
    return ot_hash_bytes(s, len, 7);
}

/* Interns the SKU categories with a small open-addressing table. */
static bool build_categories(ot_factors *f)
{
    size_t cap = 16;
    while (cap < f->skus * 2 + 16)
        cap *= 2;
    int32_t *slot = ot_malloc(cap * sizeof *slot);
    f->sku_cat = ot_malloc((f->skus ? f->skus : 1) * sizeof *f->sku_cat);
    if (!slot || !f->sku_cat) {
        ot_free(slot);
        return false;
    }
    for (size_t i = 0; i < cap; i++)
        slot[i] = -1;
    size_t names_cap = 0;
    bool ok = true;
    for (size_t s = 0; s < f->skus && ok; s++) {
        ot_sku_info info;
        ot_twin_sku(f->twin, (ot_sku_ix)s, &info);
        const char *name = info.category ? info.category : "";
        size_t len = strlen(name);
        size_t h = (size_t)name_hash(name, len) & (cap - 1);
        while (slot[h] >= 0 && strcmp(f->cat_names[slot[h]], name) != 0)
            h = (h + 1) & (cap - 1);
        if (slot[h] < 0) {
            if (f->cat_count == names_cap) {
                names_cap = names_cap ? names_cap * 2 : 8;
                char **grown = ot_reallocarray(f->cat_names, names_cap, sizeof *grown);
                if (!grown) {
                    ok = false;
                    break;
                }
                f->cat_names = grown;
            }
            char *copy = ot_strndup(name, len);
            if (!copy) {
                ok = false;
                break;
            }
            f->cat_names[f->cat_count] = copy;
            slot[h] = (int32_t)f->cat_count++;
        }
        f->sku_cat[s] = slot[h];
    }
    ot_free(slot);
    return ok;
}

ot_factors *ot_factors_new(const ot_twin *twin, ot_day first_day, size_t days)
{
    OT_ASSERT(twin != NULL);
    ot_factors *f = ot_calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->twin = twin;
    f->first_day = first_day;
    f->days = days;
    f->nodes = ot_twin_node_count(twin);
    f->skus = ot_twin_sku_count(twin);
    f->lanes = ot_twin_lane_count(twin);
    if (!build_categories(f))
        goto fail;
    f->lane_from = ot_malloc((f->lanes ? f->lanes : 1) * sizeof *f->lane_from);
    f->lane_to = ot_malloc((f->lanes ? f->lanes : 1) * sizeof *f->lane_to);
    if (!f->lane_from || !f->lane_to)
        goto fail;
    for (size_t l = 0; l < f->lanes; l++) {
        ot_lane_info info;
        ot_twin_lane(twin, (ot_lane_ix)l, &info);
        f->lane_from[l] = info.from;
        f->lane_to[l] = info.to;
    }
    return f;
fail:
    ot_factors_free(f);
    return NULL;
}

void ot_factors_free(ot_factors *f)
{
    if (!f)
        return;
    for (size_t c = 0; c < f->cat_count; c++)
        ot_free(f->cat_names[c]);
    ot_free(f->cat_names);
    ot_free(f->sku_cat);
    ot_free(f->row_of);
    ot_free(f->rows);
    ot_free(f->rules);
    ot_free(f->rule_head);
    ot_free(f->rule_tail);
    ot_free(f->lane_from);
    ot_free(f->lane_to);
    ot_free(f->lane_fx);
    ot_free(f->closed);
    ot_free(f);
}

/* Day offset inside the window, or -1. */
static long day_offset(const ot_factors *f, ot_day day)
{
    if (!f || day < f->first_day)
        return -1;
    int64_t off = (int64_t)day - f->first_day;
    return (uint64_t)off < f->days ? (long)off : -1;
}

/* ---- Readers ------------------------------------------------------------ */

ot_day ot_factors_first_day(const ot_factors *f) { return f ? f->first_day : 0; }
size_t ot_factors_days(const ot_factors *f) { return f ? f->days : 0; }
size_t ot_factors_category_count(const ot_factors *f) { return f ? f->cat_count : 0; }

const char *ot_factors_category_name(const ot_factors *f, int32_t c)
{
    return f && c >= 0 && (size_t)c < f->cat_count ? f->cat_names[c] : NULL;
}

int32_t ot_factors_find_category(const ot_factors *f, const char *name, size_t len)
{
    if (!f)
        return OT_NONE;
    for (size_t c = 0; c < f->cat_count; c++)
        if (strlen(f->cat_names[c]) == len && memcmp(f->cat_names[c], name, len) == 0)
            return (int32_t)c;
    return OT_NONE;
}

int32_t ot_factors_sku_category(const ot_factors *f, ot_sku_ix s)
{
    return f && s >= 0 && (size_t)s < f->skus ? f->sku_cat[s] : OT_NONE;
}

double ot_factors_demand_category(const ot_factors *f, ot_node_ix n, int32_t c, ot_day day)
{
    long d = day_offset(f, day);
    if (d < 0 || !f->row_of || n < 0 || (size_t)n >= f->nodes || c < 0 ||
        (size_t)c >= f->cat_count)
        return 1.0;
    int32_t row = f->row_of[(size_t)n * f->days + (size_t)d];
    return row ? f->rows[(size_t)row * f->cat_count + (size_t)c] : 1.0;
}

double ot_factors_demand(const ot_factors *f, ot_node_ix n, ot_sku_ix s, ot_day day)
{
    if (!f || s < 0 || (size_t)s >= f->skus)
        return 1.0;
    double factor = ot_factors_demand_category(f, n, f->sku_cat[s], day);
    if (f->rule_head && day_offset(f, day) >= 0)
        for (int32_t r = f->rule_head[s]; r >= 0; r = f->rules[r].next) {
            const sku_rule *rule = &f->rules[r];
            if ((rule->node == OT_NONE || rule->node == n) && day >= rule->first &&
                day <= rule->last)
                factor *= rule->factor;
        }
    return factor;
}

void ot_factors_lane_effect(const ot_factors *f, ot_lane_ix l, ot_day day, ot_lane_effect *out)
{
    long d = day_offset(f, day);
    if (d < 0 || !f->lane_fx || l < 0 || (size_t)l >= f->lanes)
        *out = OT_LANE_EFFECT_NEUTRAL;
    else
        *out = f->lane_fx[(size_t)l * f->days + (size_t)d];
}

bool ot_factors_node_closed(const ot_factors *f, ot_node_ix n, ot_day day)
{
    long d = day_offset(f, day);
    if (d < 0 || !f->closed || n < 0 || (size_t)n >= f->nodes)
        return false;
    return f->closed[(size_t)n * f->days + (size_t)d] != 0;
}

int32_t ot_factors_lead_time_days(const ot_factors *f, ot_lane_ix l, ot_day day)
{
    const ot_twin *twin = f ? f->twin : NULL;
    if (!twin || l < 0 || (size_t)l >= f->lanes)
        return 0;
    ot_lane_info info;
    ot_twin_lane(twin, l, &info);
    ot_lane_effect fx;
    ot_factors_lane_effect(f, l, day, &fx);
    if (fx.lead_time_factor == 1.0 && fx.added_days == 0.0)
        return info.lead_time_days;
    /* The small epsilon keeps 2 × 1.5 = 3.0000000001 from becoming 4. */
    double days = ceil(info.lead_time_days * fx.lead_time_factor + fx.added_days - 1e-9);
    if (days < 0)
        days = 0;
    if (days > INT32_MAX)
        days = INT32_MAX;
    return (int32_t)days;
}

double ot_factors_lane_capacity(const ot_factors *f, ot_lane_ix l, ot_day day)
{
    if (!f || l < 0 || (size_t)l >= f->lanes)
        return 1.0;
    if (ot_factors_node_closed(f, f->lane_from[l], day) ||
        ot_factors_node_closed(f, f->lane_to[l], day))
        return 0.0;
    ot_lane_effect fx;
    ot_factors_lane_effect(f, l, day, &fx);
    return fx.capacity_factor;
}

size_t ot_factors_sku_rule_count(const ot_factors *f) { return f ? f->rule_count : 0; }

void ot_factors_sku_rule(const ot_factors *f, size_t i, ot_sku_demand_rule *out)
{
    OT_ASSERT(f && i < f->rule_count);
    const sku_rule *r = &f->rules[i];
    *out = (ot_sku_demand_rule){r->node, r->sku, r->first, r->last, r->factor};
}

bool ot_factors_any(const ot_factors *f)
{
    return f && (f->row_count || f->rule_count || f->lane_fx || f->closed);
}

size_t ot_factors_memory_bytes(const ot_factors *f)
{
    if (!f)
        return 0;
    size_t bytes = sizeof *f + f->skus * sizeof(int32_t) + 2 * f->lanes * sizeof(ot_node_ix);
    if (f->row_of)
        bytes += f->nodes * f->days * sizeof(int32_t);
    bytes += f->row_cap * f->cat_count * sizeof(double);
    bytes += f->rule_cap * sizeof(sku_rule);
    if (f->rule_head)
        bytes += 2 * f->skus * sizeof(int32_t);
    if (f->lane_fx)
        bytes += f->lanes * f->days * sizeof(ot_lane_effect);
    if (f->closed)
        bytes += f->nodes * f->days;
    return bytes;
}

/* ---- Writers ------------------------------------------------------------ */

/* Clips first..last to the window as offsets; false when nothing is left. */
static bool clip(const ot_factors *f, ot_day first, ot_day last, size_t *lo, size_t *hi)
{
    if (f->days == 0 || last < first)
        return false;
    int64_t a = (int64_t)first - f->first_day;
    int64_t b = (int64_t)last - f->first_day;
    if (b < 0 || a >= (int64_t)f->days)
        return false;
    *lo = a < 0 ? 0 : (size_t)a;
    *hi = b >= (int64_t)f->days ? f->days - 1 : (size_t)b;
    return true;
}

static bool factor_ok(double x)
{
    return isfinite(x) && x >= 0.0 && x <= FACTOR_MAX;
}

/* Row number of (n, d), creating a neutral private row; the caller has
 * reserved room for it. */
static int32_t demand_row(ot_factors *f, size_t n, size_t d)
{
    size_t cell = n * f->days + d;
    if (f->row_of[cell])
        return f->row_of[cell];
    OT_ASSERT(f->row_count + 1 < f->row_cap);
    int32_t row = (int32_t)++f->row_count;
    double *values = f->rows + (size_t)row * f->cat_count;
    for (size_t c = 0; c < f->cat_count; c++)
        values[c] = 1.0;
    f->row_of[cell] = row;
    return row;
}

ot_err ot_factors_add_demand_category(ot_factors *f, ot_node_ix n, int32_t c,
                                      ot_day first, ot_day last, double factor)
{
    if (!f || !factor_ok(factor) || (n != OT_NONE && (n < 0 || (size_t)n >= f->nodes)) ||
        (c != OT_NONE && (c < 0 || (size_t)c >= f->cat_count)))
        return OT_ERR_INPUT;
    size_t lo, hi;
    if (!clip(f, first, last, &lo, &hi) || f->cat_count == 0 || factor == 1.0)
        return OT_OK;
    if (!f->row_of) {
        if (f->nodes && f->days > SIZE_MAX / sizeof(int32_t) / f->nodes)
            return OT_ERR_LIMIT;
        f->row_of = ot_calloc(f->nodes * f->days, sizeof *f->row_of);
        if (!f->row_of)
            return OT_ERR_NOMEM;
    }
    size_t n_lo = n == OT_NONE ? 0 : (size_t)n;
    size_t n_hi = n == OT_NONE ? f->nodes : (size_t)n + 1;
    /* Check the bound before changing anything, so that a failure leaves
     * the store as it was. */
    size_t need = 0;
    for (size_t node = n_lo; node < n_hi; node++)
        for (size_t d = lo; d <= hi; d++)
            need += f->row_of[node * f->days + d] == 0;
    if (need && (f->row_count + need + 1 > DEMAND_MAX_CELLS / f->cat_count ||
                 f->row_count + need + 1 > INT32_MAX))
        return OT_ERR_LIMIT;
    if (need && f->row_count + need + 1 > f->row_cap) {
        size_t cap = f->row_cap ? f->row_cap : 64;
        while (cap < f->row_count + need + 1)
            cap *= 2;
        double *grown = ot_reallocarray(f->rows, cap * f->cat_count, sizeof *grown);
        if (!grown)
            return OT_ERR_NOMEM;
        f->rows = grown;
        f->row_cap = cap;
    }
    for (size_t node = n_lo; node < n_hi; node++)
        for (size_t d = lo; d <= hi; d++) {
            int32_t row = demand_row(f, node, d);
            double *values = f->rows + (size_t)row * f->cat_count;
            if (c == OT_NONE) {
                for (size_t k = 0; k < f->cat_count; k++)
                    values[k] *= factor;
            } else {
                values[c] *= factor;
            }
        }
    return OT_OK;
}

ot_err ot_factors_add_demand_sku(ot_factors *f, ot_node_ix n, ot_sku_ix s,
                                 ot_day first, ot_day last, double factor)
{
    if (!f || !factor_ok(factor) || (n != OT_NONE && (n < 0 || (size_t)n >= f->nodes)) ||
        s < 0 || (size_t)s >= f->skus)
        return OT_ERR_INPUT;
    size_t lo, hi;
    if (!clip(f, first, last, &lo, &hi) || factor == 1.0)
        return OT_OK;
    if (!f->rule_head) {
        f->rule_head = ot_malloc(f->skus * sizeof *f->rule_head);
        f->rule_tail = ot_malloc(f->skus * sizeof *f->rule_tail);
        if (!f->rule_head || !f->rule_tail) {
            ot_free(f->rule_head);
            ot_free(f->rule_tail);
            f->rule_head = f->rule_tail = NULL;
            return OT_ERR_NOMEM;
        }
        for (size_t i = 0; i < f->skus; i++)
            f->rule_head[i] = f->rule_tail[i] = -1;
    }
    if (f->rule_count == f->rule_cap) {
        size_t cap = f->rule_cap ? f->rule_cap * 2 : 16;
        if (cap > INT32_MAX)
            return OT_ERR_LIMIT;
        sku_rule *grown = ot_reallocarray(f->rules, cap, sizeof *grown);
        if (!grown)
            return OT_ERR_NOMEM;
        f->rules = grown;
        f->rule_cap = cap;
    }
    int32_t r = (int32_t)f->rule_count++;
    f->rules[r] = (sku_rule){n, f->first_day + (ot_day)lo, f->first_day + (ot_day)hi,
                             factor, s, -1};
    if (f->rule_tail[s] >= 0)
        f->rules[f->rule_tail[s]].next = r;
    else
        f->rule_head[s] = r;
    f->rule_tail[s] = r;
    return OT_OK;
}

ot_err ot_factors_add_lane(ot_factors *f, ot_lane_ix l, ot_day first, ot_day last,
                           const ot_lane_effect *effect)
{
    if (!f || !effect || l < 0 || (size_t)l >= f->lanes ||
        !factor_ok(effect->capacity_factor) || !factor_ok(effect->lead_time_factor) ||
        !isfinite(effect->added_days) || effect->added_days < 0 ||
        effect->added_days > 3650)
        return OT_ERR_INPUT;
    size_t lo, hi;
    if (!clip(f, first, last, &lo, &hi))
        return OT_OK;
    if (!f->lane_fx) {
        if (f->days > SIZE_MAX / sizeof(ot_lane_effect) / f->lanes)
            return OT_ERR_LIMIT;
        f->lane_fx = ot_malloc(f->lanes * f->days * sizeof *f->lane_fx);
        if (!f->lane_fx)
            return OT_ERR_NOMEM;
        for (size_t i = 0; i < f->lanes * f->days; i++)
            f->lane_fx[i] = OT_LANE_EFFECT_NEUTRAL;
    }
    for (size_t d = lo; d <= hi; d++) {
        ot_lane_effect *fx = &f->lane_fx[(size_t)l * f->days + d];
        fx->capacity_factor = fmin(fx->capacity_factor, effect->capacity_factor);
        fx->lead_time_factor = fmax(fx->lead_time_factor, effect->lead_time_factor);
        fx->added_days = fmax(fx->added_days, effect->added_days);
    }
    return OT_OK;
}

ot_err ot_factors_close_node(ot_factors *f, ot_node_ix n, ot_day first, ot_day last)
{
    if (!f || n < 0 || (size_t)n >= f->nodes)
        return OT_ERR_INPUT;
    size_t lo, hi;
    if (!clip(f, first, last, &lo, &hi))
        return OT_OK;
    if (!f->closed) {
        if (f->days > SIZE_MAX / f->nodes)
            return OT_ERR_LIMIT;
        f->closed = ot_calloc(f->nodes * f->days, 1);
        if (!f->closed)
            return OT_ERR_NOMEM;
    }
    memset(f->closed + (size_t)n * f->days + lo, 1, hi - lo + 1);
    return OT_OK;
}
