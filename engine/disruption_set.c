/*
 * Disruption record sets and the effects table
 * (include/omnitwin/disruption.h). Records are deep-copied into the set's
 * arena; the record array itself grows with ot_reallocarray.
 */
#include <math.h>
#include <string.h>

#include "omnitwin/disruption.h"
#include "strmap.h"
#include "text.h"

/* Groups (CAP "sender,identifier", DATEX record ids) are interned to numbers
 * so that withdrawing one walks only its own records: group_last[g] is the
 * newest record of group g and prev[i] the one before record i in its
 * group (-1: none). */
struct ot_disruption_set {
    ot_arena *arena;
    ot_disruption *recs;
    bool *withdrawn;
    int32_t *prev;
    size_t count, cap;
    ot_strmap groups;
    int32_t *group_last;
    size_t group_count, group_cap;
};

const char *ot_dialect_name(ot_dialect dialect)
{
    switch (dialect) {
    case OT_DIALECT_OWN: return "omnitwin";
    case OT_DIALECT_CAP: return "cap";
    case OT_DIALECT_DATEX: return "datex";
    }
    return "?";
}

const char *ot_disruption_kind_name(ot_disruption_kind kind)
{
    static const char *const names[] = {"weather", "traffic", "closure", "supply"};
    return (size_t)kind < OT_ARRAY_LEN(names) ? names[kind] : "?";
}

ot_disruption_set *ot_disruption_set_new(void)
{
    ot_disruption_set *set = ot_calloc(1, sizeof *set);
    if (!set)
        return NULL;
    ot_strmap_init(&set->groups);
    set->arena = ot_arena_new(1 << 16);
    if (!set->arena) {
        ot_free(set);
        return NULL;
    }
    return set;
}

void ot_disruption_set_free(ot_disruption_set *set)
{
    if (!set)
        return;
    ot_arena_free(set->arena);
    ot_free(set->recs);
    ot_free(set->withdrawn);
    ot_free(set->prev);
    ot_strmap_release(&set->groups);
    ot_free(set->group_last);
    ot_free(set);
}

static const char *copy_str(ot_arena *arena, const char *s)
{
    return ot_arena_strndup(arena, s ? s : "", s ? strlen(s) : 0);
}

/* Copies an array of count elements of size bytes; NULL count 0 is fine. */
static void *copy_array(ot_arena *arena, const void *src, size_t count, size_t size,
                        bool *ok)
{
    if (!count)
        return NULL;
    if (count > SIZE_MAX / size) {
        *ok = false;
        return NULL;
    }
    void *dst = ot_arena_alloc(arena, count * size);
    if (!dst) {
        *ok = false;
        return NULL;
    }
    memcpy(dst, src, count * size);
    return dst;
}

static const char *const *copy_strs(ot_arena *arena, const char *const *src, size_t count,
                                    bool *ok)
{
    const char **dst = copy_array(arena, src, count, sizeof *src, ok);
    for (size_t i = 0; dst && i < count; i++)
        if (!(dst[i] = copy_str(arena, src[i])))
            *ok = false;
    return dst;
}

static const ot_geo_path *copy_paths(ot_arena *arena, const ot_geo_path *src, size_t count,
                                     bool *ok)
{
    ot_geo_path *dst = copy_array(arena, src, count, sizeof *src, ok);
    for (size_t i = 0; dst && i < count; i++)
        dst[i].points = copy_array(arena, src[i].points, src[i].count,
                                   sizeof *src[i].points, ok);
    return dst;
}

ot_err ot_disruption_set_add(ot_disruption_set *set, const ot_disruption *rec)
{
    OT_ASSERT(set && rec);
    if (set->count >= OT_DISRUPTION_MAX_RECORDS)
        return OT_ERR_LIMIT;
    if (set->count == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 16;
        ot_disruption *recs = ot_reallocarray(set->recs, cap, sizeof *recs);
        if (!recs)
            return OT_ERR_NOMEM;
        set->recs = recs;
        bool *withdrawn = ot_reallocarray(set->withdrawn, cap, sizeof *withdrawn);
        if (!withdrawn)
            return OT_ERR_NOMEM;
        set->withdrawn = withdrawn;
        int32_t *prev = ot_reallocarray(set->prev, cap, sizeof *prev);
        if (!prev)
            return OT_ERR_NOMEM;
        set->prev = prev;
        set->cap = cap;
    }
    ot_arena *a = set->arena;
    bool ok = true;
    ot_disruption c = *rec;
    c.file = copy_str(a, rec->file);
    c.id = copy_str(a, rec->id);
    c.group = copy_str(a, rec->group);
    c.event = copy_str(a, rec->event);
    c.severity = copy_str(a, rec->severity);
    ok = ok && c.file && c.id && c.group && c.event && c.severity;
    c.regions = copy_strs(a, rec->regions, rec->region_count, &ok);
    c.nodes = copy_strs(a, rec->nodes, rec->node_count, &ok);
    c.geocodes = copy_strs(a, rec->geocodes, rec->geocode_count, &ok);
    c.skus = copy_strs(a, rec->skus, rec->sku_count, &ok);
    c.categories = copy_strs(a, rec->categories, rec->category_count, &ok);
    ot_lane_ref *lanes = copy_array(a, rec->lanes, rec->lane_count, sizeof *lanes, &ok);
    for (size_t i = 0; lanes && i < rec->lane_count; i++) {
        lanes[i].from = copy_str(a, rec->lanes[i].from);
        lanes[i].to = copy_str(a, rec->lanes[i].to);
        ok = ok && lanes[i].from && lanes[i].to;
    }
    c.lanes = lanes;
    c.polygons = copy_paths(a, rec->polygons, rec->polygon_count, &ok);
    c.locations = copy_paths(a, rec->locations, rec->location_count, &ok);
    c.circles = copy_array(a, rec->circles, rec->circle_count, sizeof *rec->circles, &ok);
    if (!ok)
        return OT_ERR_NOMEM;
    int32_t prev = -1;
    if (*c.group) {
        size_t len = strlen(c.group);
        int32_t g = ot_strmap_get(&set->groups, c.group, len);
        if (g < 0) {
            if (set->group_count == set->group_cap) {
                size_t cap = set->group_cap ? set->group_cap * 2 : 16;
                int32_t *last = ot_reallocarray(set->group_last, cap, sizeof *last);
                if (!last)
                    return OT_ERR_NOMEM;
                set->group_last = last;
                set->group_cap = cap;
            }
            g = (int32_t)set->group_count;
            if (ot_strmap_put(&set->groups, c.group, len, g) != OT_OK)
                return OT_ERR_NOMEM;
            set->group_count++;
            set->group_last[g] = -1;
        }
        prev = set->group_last[g];
        set->group_last[g] = (int32_t)set->count;
    }
    set->recs[set->count] = c;
    set->withdrawn[set->count] = false;
    set->prev[set->count] = prev;
    set->count++;
    return OT_OK;
}

size_t ot_disruption_set_withdraw(ot_disruption_set *set, const char *group)
{
    size_t n = 0;
    if (!group || !*group)
        return 0;
    int32_t g = ot_strmap_get(&set->groups, group, strlen(group));
    for (int32_t i = g < 0 ? -1 : set->group_last[g]; i >= 0; i = set->prev[i]) {
        set->withdrawn[i] = true;
        n++;
    }
    return n;
}

size_t ot_disruption_set_count(const ot_disruption_set *set) { return set ? set->count : 0; }

const ot_disruption *ot_disruption_set_get(const ot_disruption_set *set, size_t i,
                                           bool *withdrawn)
{
    OT_ASSERT(set && i < set->count);
    if (withdrawn)
        *withdrawn = set->withdrawn[i];
    return &set->recs[i];
}

bool ot_disruption_set_span(const ot_disruption_set *set, ot_day *first, ot_day *last)
{
    bool any = false;
    ot_day lo = INT32_MAX, hi = INT32_MIN;
    for (size_t i = 0; set && i < set->count; i++) {
        if (set->withdrawn[i])
            continue;
        const ot_disruption *r = &set->recs[i];
        ot_day a = ot_ts_day(r->start);
        ot_day b = r->end == INT64_MAX ? a : r->end_is_date ? ot_ts_day(r->end)
                                                               : ot_ts_day(r->end - 1);
        lo = a < lo ? a : lo;
        hi = b > hi ? b : hi;
        any = true;
    }
    if (any) {
        *first = lo;
        *last = hi < lo ? lo : hi;
    }
    return any;
}

/* ---- Effects table ------------------------------------------------------ */

struct ot_effects {
    ot_arena *arena;
    ot_effect_row *rows;
    size_t count, cap;
};

ot_effects *ot_effects_new(void)
{
    ot_effects *e = ot_calloc(1, sizeof *e);
    if (e && !(e->arena = ot_arena_new(1 << 12))) {
        ot_free(e);
        return NULL;
    }
    return e;
}

void ot_effects_free(ot_effects *effects)
{
    if (!effects)
        return;
    ot_arena_free(effects->arena);
    ot_free(effects->rows);
    ot_free(effects);
}

size_t ot_effects_count(const ot_effects *effects) { return effects ? effects->count : 0; }

static bool is_star(const char *s) { return strcmp(s, "*") == 0; }

ot_err ot_effects_add(ot_effects *effects, const ot_effect_row *row, char *why,
                      size_t why_size)
{
    const char *bad = NULL;
    if (row->dialect != OT_DIALECT_CAP && row->dialect != OT_DIALECT_DATEX)
        bad = "dialect must be cap or datex";
    else if (!row->event || !*row->event || !row->severity || !*row->severity ||
             !row->category || !*row->category)
        bad = "event, severity and category must not be empty (use * for any)";
    else if (!isfinite(row->demand) || row->demand < 0 || row->demand > 100)
        bad = "demand_factor must lie in 0..100";
    else if (!isfinite(row->lead_time_factor) || row->lead_time_factor < 1 ||
             row->lead_time_factor > 100)
        bad = "lead_time_factor must lie in 1..100";
    else if (!isfinite(row->added_days) || row->added_days < 0 || row->added_days > 365)
        bad = "added_days must lie in 0..365";
    else if (!isfinite(row->capacity) || row->capacity < 0 || row->capacity > 1)
        bad = "capacity_factor must lie in 0..1";
    else if (!is_star(row->category) &&
             (row->lead_time_factor != 1 || row->added_days != 0 || row->capacity != 1 ||
              row->closed))
        bad = "a row for one SKU category may only set demand_factor (lane factors and "
              "closed belong on category * rows)";
    if (bad) {
        ot_text_format(why, why_size, "%s", bad);
        return OT_ERR_INPUT;
    }
    if (effects->count == effects->cap) {
        size_t cap = effects->cap ? effects->cap * 2 : 32;
        ot_effect_row *rows = ot_reallocarray(effects->rows, cap, sizeof *rows);
        if (!rows)
            return OT_ERR_NOMEM;
        effects->rows = rows;
        effects->cap = cap;
    }
    ot_effect_row c = *row;
    c.event = copy_str(effects->arena, row->event);
    c.severity = copy_str(effects->arena, row->severity);
    c.category = copy_str(effects->arena, row->category);
    if (!c.event || !c.severity || !c.category)
        return OT_ERR_NOMEM;
    effects->rows[effects->count++] = c;
    return OT_OK;
}

static bool same_ci(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

bool ot_effects_lookup(const ot_effects *effects, ot_dialect dialect, const char *event,
                       const char *severity, const char *category, ot_effect_row *out)
{
    int best = -1;
    for (size_t i = 0; effects && i < effects->count; i++) {
        const ot_effect_row *r = &effects->rows[i];
        if (r->dialect != dialect)
            continue;
        bool ev = !is_star(r->event), sev = !is_star(r->severity);
        bool cat = !is_star(r->category);
        if ((ev && !same_ci(r->event, event)) || (sev && !same_ci(r->severity, severity)))
            continue;
        if (cat && (is_star(category) || strcmp(r->category, category) != 0))
            continue;
        /* Category first (a demand row for the exact category beats any
         * generic row), then event, then severity. */
        int score = cat * 4 + ev * 2 + sev;
        if (score >= best) {
            best = score;
            *out = *r;
        }
    }
    return best >= 0;
}
