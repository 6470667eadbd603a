/*
 * Loading a network directory (CONTRACT §2) into a twin, every problem
 * reported as FILE:LINE, nothing returned on error. docs/FORMATS.md lists
 * the checks and defaults.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "csv/csv_reader.h"
#include "csv/network_csv.h"
#include "strmap.h"
#include "text.h"

enum { ID_MAX = 128 };

/* Defaults for optional SKU columns (docs/FORMATS.md). */
#define DEFAULT_HOLDING_COST 0.01
#define DEFAULT_STOCKOUT_COST 1.0

typedef struct {
    ot_twin *twin;
    ot_diag *diag;
    int col[8];
    /* first line of each node / SKU, for "repeated (first at line N)" */
    long *node_line;
    size_t node_line_cap;
    long *sku_line;
    size_t sku_line_cap;
    unsigned char *pair_seen;   /* inventory / policy duplicate detection */
    /* ids of node and SKU rows that were refused: later references to them
     * are not reported again (the refused row is the problem to fix) */
    ot_strmap refused_nodes, refused_skus;
    ot_arena *refused_ids;
    uint64_t rows;
    /* history.csv lookup caches: rows come sorted by node and SKU */
    char last_node[ID_MAX + 1], last_sku[ID_MAX + 1], last_date[16];
    ot_node_ix cached_node;
    ot_sku_ix cached_sku;
    ot_day month_first;         /* day number of the 1st of last_date's month */
    int month_days;              /* days in that month */
} loader;

#define ERR(row, ...) ot_diag_report(L->diag, OT_DIAG_ERROR, (row)->path, (row)->line, __VA_ARGS__)

static bool keep_going(const loader *L) { return !ot_diag_full(L->diag); }

/* Quoted copy of a field for messages. */
typedef struct { char s[72]; } quoted;
static quoted q(const char *p, size_t n)
{
    quoted out;
    ot_text_quote(out.s, sizeof out.s, p, n);
    return out;
}

/* Copies an id field into buf (ID_MAX+1 bytes); false (reported) when it is
 * empty or too long. */
static bool take_id(loader *L, const ot_csv_row *row, int col, const char *what, char *buf)
{
    const char *p;
    size_t n;
    ot_csv_field(row, col, &p, &n);
    if (n == 0) {
        ERR(row, "%s is empty (expected an id)", what);
        return false;
    }
    if (n > ID_MAX) {
        ERR(row, "%s is %zu bytes long (expected at most %d)", what, n, ID_MAX);
        return false;
    }
    memcpy(buf, p, n);
    buf[n] = '\0';
    return true;
}

/* Optional number: empty gives def. Checks the lower bound (inclusive or
 * not) and reports with the column name. */
static bool take_number(loader *L, const ot_csv_row *row, int col, const char *what, double def,
                        double min, bool min_inclusive, double *out)
{
    const char *p;
    size_t n;
    ot_csv_field(row, col, &p, &n);
    if (n == 0) {
        *out = def;
        return true;
    }
    double v;
    if (!ot_parse_double(p, n, &v)) {
        ERR(row, "%s '%s' is not a number (expected e.g. 12.5)", what, q(p, n).s);
        return false;
    }
    if (v < min || (!min_inclusive && v == min)) {
        ERR(row, "%s '%s' is %s (expected %s %g)", what, q(p, n).s,
            v < 0 ? "negative" : "too small", min_inclusive ? ">=" : ">", min);
        return false;
    }
    *out = v;
    return true;
}

/* Required whole number >= min. */
static bool take_int(loader *L, const ot_csv_row *row, int col, const char *what, int64_t min,
                     int64_t *out)
{
    const char *p;
    size_t n;
    ot_csv_field(row, col, &p, &n);
    if (n == 0) {
        ERR(row, "%s is empty (expected a whole number)", what);
        return false;
    }
    if (!ot_parse_int64(p, n, out)) {
        ERR(row, "%s '%s' is not a whole number (expected e.g. 12)", what, q(p, n).s);
        return false;
    }
    if (*out < min) {
        ERR(row, "%s '%s' is %s (expected >= %lld)", what, q(p, n).s,
            *out < 0 ? "negative" : "too small", (long long)min);
        return false;
    }
    return true;
}

static bool take_date(loader *L, const ot_csv_row *row, int col, const char *what, ot_day *out)
{
    const char *p;
    size_t n;
    ot_csv_field(row, col, &p, &n);
    if (!ot_date_parse(p, n, out)) {
        ERR(row, "%s '%s' is not a date (expected YYYY-MM-DD)", what, q(p, n).s);
        return false;
    }
    return true;
}

static bool find_node(loader *L, const ot_csv_row *row, int col, const char *what,
                      ot_node_ix *out)
{
    const char *p;
    size_t n;
    ot_csv_field(row, col, &p, &n);
    *out = ot_twin_find_node(L->twin, p, n);
    if (*out < 0) {
        if (n && ot_strmap_get(&L->refused_nodes, p, n) >= 0)
            return false;
        if (n == 0)
            ERR(row, "%s is empty (expected a node_id from nodes.csv)", what);
        else
            ERR(row, "%s '%s' is not in nodes.csv", what, q(p, n).s);
        return false;
    }
    return true;
}

static bool find_sku(loader *L, const ot_csv_row *row, int col, ot_sku_ix *out)
{
    const char *p;
    size_t n;
    ot_csv_field(row, col, &p, &n);
    *out = ot_twin_find_sku(L->twin, p, n);
    if (*out < 0) {
        if (n && ot_strmap_get(&L->refused_skus, p, n) >= 0)
            return false;
        if (n == 0)
            ERR(row, "sku is empty (expected a sku from skus.csv)");
        else
            ERR(row, "sku '%s' is not in skus.csv", q(p, n).s);
        return false;
    }
    return true;
}

/* Remembers the id of a refused row (when it has one). */
static void refuse(loader *L, ot_strmap *refused, const char *id)
{
    size_t n = strlen(id);
    if (!n || ot_strmap_get(refused, id, n) >= 0)
        return;
    const char *copy = ot_arena_strndup(L->refused_ids, id, n);
    if (copy)
        ot_strmap_put(refused, copy, n, 0);
}

static bool remember_line(long **lines, size_t *cap, size_t index, long line)
{
    if (index >= *cap) {
        size_t new_cap = *cap ? *cap * 2 : 256;
        while (new_cap <= index)
            new_cap *= 2;
        long *grown = ot_reallocarray(*lines, new_cap, sizeof *grown);
        if (!grown)
            return false;
        *lines = grown;
        *cap = new_cap;
    }
    (*lines)[index] = line;
    return true;
}

/* ---- nodes.csv ----------------------------------------------------------- */

static const ot_csv_column node_columns[] = {
    {"node_id", true}, {"kind", true}, {"region", false},
    {"lat", false},    {"lon", false}, {"capacity", false}};

static bool on_node(void *ctx, const ot_csv_row *row, bool is_header)
{
    loader *L = ctx;
    if (is_header)
        return ot_csv_header_map(row, node_columns, OT_ARRAY_LEN(node_columns), L->col, L->diag);
    L->rows++;
    char id[ID_MAX + 1] = "", region[ID_MAX + 1] = "";
    ot_node_info info = {.id = id, .region = region, .capacity = INFINITY};
    bool ok = take_id(L, row, L->col[0], "node_id", id);
    const char *p;
    size_t n;
    ot_csv_field(row, L->col[1], &p, &n);
    if (!ot_node_kind_parse(p, n, &info.kind)) {
        ERR(row, "kind '%s' is unknown (expected supplier, dc or store)", q(p, n).s);
        ok = false;
    }
    ot_csv_field(row, L->col[2], &p, &n);
    if (n > ID_MAX) {
        ERR(row, "region is %zu bytes long (expected at most %d)", n, ID_MAX);
        ok = false;
    } else {
        memcpy(region, p, n);
        region[n] = '\0';
    }
    const char *lat_p, *lon_p;
    size_t lat_n, lon_n;
    ot_csv_field(row, L->col[3], &lat_p, &lat_n);
    ot_csv_field(row, L->col[4], &lon_p, &lon_n);
    if (lat_n || lon_n) {
        if (!lat_n || !lon_n) {
            ERR(row, "only one of lat and lon is given (expected both or neither)");
            ok = false;
        } else if (!ot_parse_double(lat_p, lat_n, &info.lat) || fabs(info.lat) > 90) {
            ERR(row, "lat '%s' is not a latitude (expected degrees in [-90, 90])",
                q(lat_p, lat_n).s);
            ok = false;
        } else if (!ot_parse_double(lon_p, lon_n, &info.lon) || fabs(info.lon) > 180) {
            ERR(row, "lon '%s' is not a longitude (expected degrees in [-180, 180])",
                q(lon_p, lon_n).s);
            ok = false;
        } else {
            info.has_coords = true;
        }
    }
    ok &= take_number(L, row, L->col[5], "capacity", INFINITY, 0, true, &info.capacity);
    if (!ok) {
        refuse(L, &L->refused_nodes, id);
        return keep_going(L);
    }
    ot_node_ix ix = ot_twin_find_node(L->twin, id, strlen(id));
    if (ix >= 0) {
        ERR(row, "node_id '%s' is repeated (first at line %ld)", id, L->node_line[ix]);
        return keep_going(L);
    }
    if (ot_twin_add_node(L->twin, &info, &ix) ||
        !remember_line(&L->node_line, &L->node_line_cap, (size_t)ix, row->line)) {
        ERR(row, "out of memory");
        return false;
    }
    return keep_going(L);
}

/* ---- skus.csv ------------------------------------------------------------ */

static const ot_csv_column sku_columns[] = {
    {"sku", true},           {"category", false},  {"unit_cost", false}, {"holding_cost", false},
    {"stockout_cost", false}, {"case_pack", false}, {"volume", false}};

static bool on_sku(void *ctx, const ot_csv_row *row, bool is_header)
{
    loader *L = ctx;
    if (is_header)
        return ot_csv_header_map(row, sku_columns, OT_ARRAY_LEN(sku_columns), L->col, L->diag);
    L->rows++;
    char id[ID_MAX + 1] = "", category[ID_MAX + 1] = "";
    ot_sku_info info = {.id = id, .category = category};
    bool ok = take_id(L, row, L->col[0], "sku", id);
    const char *p;
    size_t n;
    ot_csv_field(row, L->col[1], &p, &n);
    if (n > ID_MAX) {
        ERR(row, "category is %zu bytes long (expected at most %d)", n, ID_MAX);
        ok = false;
    } else {
        memcpy(category, p, n);
        category[n] = '\0';
    }
    ok &= take_number(L, row, L->col[2], "unit_cost", 0, 0, true, &info.unit_cost);
    ok &= take_number(L, row, L->col[3], "holding_cost", DEFAULT_HOLDING_COST, 0, true,
                      &info.holding_cost);
    ok &= take_number(L, row, L->col[4], "stockout_cost", DEFAULT_STOCKOUT_COST, 0, true,
                      &info.stockout_cost);
    int64_t pack = 1;
    ot_csv_field(row, L->col[5], &p, &n);
    if (n)
        ok &= take_int(L, row, L->col[5], "case_pack", 1, &pack);
    if (pack > 1000000) {
        ERR(row, "case_pack %lld is too large (expected at most 1000000)", (long long)pack);
        ok = false;
    }
    info.case_pack = (int32_t)pack;
    ok &= take_number(L, row, L->col[6], "volume", 1.0, 0, false, &info.volume);
    if (!ok) {
        refuse(L, &L->refused_skus, id);
        return keep_going(L);
    }
    ot_sku_ix ix = ot_twin_find_sku(L->twin, id, strlen(id));
    if (ix >= 0) {
        ERR(row, "sku '%s' is repeated (first at line %ld)", id, L->sku_line[ix]);
        return keep_going(L);
    }
    if (ot_twin_add_sku(L->twin, &info, &ix) ||
        !remember_line(&L->sku_line, &L->sku_line_cap, (size_t)ix, row->line)) {
        ERR(row, "out of memory");
        return false;
    }
    return keep_going(L);
}

/* ---- routes.csv ---------------------------------------------------------- */

static const ot_csv_column route_columns[] = {
    {"from", true}, {"to", true}, {"lead_time_days", true}, {"cost_per_unit", false},
    {"capacity_per_day", false}, {"mode", false}};

static bool on_route(void *ctx, const ot_csv_row *row, bool is_header)
{
    loader *L = ctx;
    if (is_header)
        return ot_csv_header_map(row, route_columns, OT_ARRAY_LEN(route_columns), L->col, L->diag);
    L->rows++;
    char mode[ID_MAX + 1] = "";
    ot_lane_info info = {.mode = mode};
    bool ok = find_node(L, row, L->col[0], "from", &info.from);
    ok &= find_node(L, row, L->col[1], "to", &info.to);
    int64_t lead = 0;
    ok &= take_int(L, row, L->col[2], "lead_time_days", 0, &lead);
    if (lead > 365) {
        ERR(row, "lead_time_days %lld is too long (expected at most 365)", (long long)lead);
        ok = false;
    }
    info.lead_time_days = (int32_t)lead;
    ok &= take_number(L, row, L->col[3], "cost_per_unit", 0, 0, true, &info.cost_per_unit);
    ok &= take_number(L, row, L->col[4], "capacity_per_day", INFINITY, 0, true,
                      &info.capacity_per_day);
    const char *p;
    size_t n;
    ot_csv_field(row, L->col[5], &p, &n);
    if (n > ID_MAX) {
        ERR(row, "mode is %zu bytes long (expected at most %d)", n, ID_MAX);
        ok = false;
    } else {
        memcpy(mode, p, n);
        mode[n] = '\0';
    }
    if (!ok)
        return keep_going(L);
    ot_node_info from, to;
    ot_twin_node(L->twin, info.from, &from);
    ot_twin_node(L->twin, info.to, &to);
    if (info.from == info.to) {
        ERR(row, "lane from '%s' to itself (expected two different nodes)", from.id);
    } else if (ot_twin_find_lane(L->twin, info.from, info.to) != OT_NONE) {
        ERR(row, "lane %s -> %s is repeated (expected one row per lane)", from.id, to.id);
    } else if (to.kind == OT_NODE_SUPPLIER) {
        ERR(row, "lane %s -> %s goes into a supplier (expected lanes out of suppliers only)",
            from.id, to.id);
    } else if (ot_twin_add_lane(L->twin, &info, NULL)) {
        ERR(row, "out of memory");
        return false;
    }
    return keep_going(L);
}

/* ---- inventory.csv ------------------------------------------------------- */

static const ot_csv_column inventory_columns[] = {
    {"node_id", true}, {"sku", true}, {"on_hand", true}, {"as_of", false}};

/* Marks a pair seen in the current file; false when it already was. */
static bool first_sighting(loader *L, ot_node_ix n, ot_sku_ix s)
{
    size_t p = (size_t)n * ot_twin_sku_count(L->twin) + (size_t)s;
    unsigned char bit = (unsigned char)(1u << (p & 7));
    if (L->pair_seen[p >> 3] & bit)
        return false;
    L->pair_seen[p >> 3] |= bit;
    return true;
}

static bool on_inventory(void *ctx, const ot_csv_row *row, bool is_header)
{
    loader *L = ctx;
    if (is_header)
        return ot_csv_header_map(row, inventory_columns, OT_ARRAY_LEN(inventory_columns), L->col,
                                 L->diag);
    L->rows++;
    ot_node_ix n;
    ot_sku_ix s;
    int64_t qty;
    bool ok = find_node(L, row, L->col[0], "node_id", &n);
    ok &= find_sku(L, row, L->col[1], &s);
    ok &= take_int(L, row, L->col[2], "on_hand", 0, &qty);
    const char *p;
    size_t len;
    ot_csv_field(row, L->col[3], &p, &len);
    ot_day as_of;
    if (len)
        ok &= take_date(L, row, L->col[3], "as_of", &as_of);
    if (ok && !first_sighting(L, n, s))
        ERR(row, "stock of node '%s' sku '%s' is repeated (expected one row per node and sku)",
            row->field[L->col[0]], row->field[L->col[1]]);
    else if (ok)
        ot_twin_set_on_hand(L->twin, n, s, qty);
    return keep_going(L);
}

/* ---- pipeline.csv -------------------------------------------------------- */

static const ot_csv_column pipeline_columns[] = {
    {"order_id", true}, {"from", true}, {"to", true},
    {"sku", true},      {"qty", true},  {"arrive_date", true}};

static bool on_pipeline(void *ctx, const ot_csv_row *row, bool is_header)
{
    loader *L = ctx;
    if (is_header)
        return ot_csv_header_map(row, pipeline_columns, OT_ARRAY_LEN(pipeline_columns), L->col,
                                 L->diag);
    L->rows++;
    char id[ID_MAX + 1];
    ot_pipeline_info info = {.order_id = id, .open = true};
    bool ok = take_id(L, row, L->col[0], "order_id", id);
    ok &= find_node(L, row, L->col[1], "from", &info.from);
    ok &= find_node(L, row, L->col[2], "to", &info.to);
    ok &= find_sku(L, row, L->col[3], &info.sku);
    ok &= take_int(L, row, L->col[4], "qty", 0, &info.qty);
    ok &= take_date(L, row, L->col[5], "arrive_date", &info.arrive_day);
    if (!ok)
        return keep_going(L);
    if (ot_twin_find_pipeline(L->twin, id, strlen(id)) >= 0)
        ERR(row, "order_id '%s' is repeated (expected one row per open shipment)", id);
    else if (info.from == info.to)
        ERR(row, "shipment from '%s' to itself (expected two different nodes)", id);
    else if (ot_twin_add_pipeline(L->twin, &info)) {
        ERR(row, "out of memory");
        return false;
    }
    return keep_going(L);
}

/* ---- policy.csv ---------------------------------------------------------- */

static const ot_csv_column policy_columns[] = {
    {"node_id", true}, {"sku", true}, {"service_level", false},
    {"min_units", false}, {"max_units", false}};

static bool on_policy(void *ctx, const ot_csv_row *row, bool is_header)
{
    loader *L = ctx;
    if (is_header)
        return ot_csv_header_map(row, policy_columns, OT_ARRAY_LEN(policy_columns), L->col,
                                 L->diag);
    L->rows++;
    ot_node_ix n;
    ot_sku_ix s;
    ot_policy_info pol = {NAN, 0, INT64_MAX};
    bool ok = find_node(L, row, L->col[0], "node_id", &n);
    ok &= find_sku(L, row, L->col[1], &s);
    const char *p;
    size_t len;
    ot_csv_field(row, L->col[2], &p, &len);
    if (len && (!ot_parse_double(p, len, &pol.service_level) || pol.service_level <= 0 ||
                pol.service_level >= 1)) {
        ERR(row, "service_level '%s' is not a probability (expected a number between 0 and 1, "
                 "e.g. 0.95)", q(p, len).s);
        ok = false;
    }
    ot_csv_field(row, L->col[3], &p, &len);
    if (len)
        ok &= take_int(L, row, L->col[3], "min_units", 0, &pol.min_units);
    ot_csv_field(row, L->col[4], &p, &len);
    if (len)
        ok &= take_int(L, row, L->col[4], "max_units", 0, &pol.max_units);
    if (ok && pol.max_units < pol.min_units) {
        ERR(row, "max_units %lld is below min_units %lld (expected min_units <= max_units)",
            (long long)pol.max_units, (long long)pol.min_units);
        ok = false;
    }
    if (ok && (pol.min_units >= INT32_MAX || (pol.max_units != INT64_MAX && pol.max_units >= INT32_MAX))) {
        ERR(row, "min_units or max_units is too large (expected below 2147483647)");
        ok = false;
    }
    if (ok && !first_sighting(L, n, s))
        ERR(row, "policy of node '%s' sku '%s' is repeated (expected one row per node and sku)",
            row->field[L->col[0]], row->field[L->col[1]]);
    else if (ok)
        ot_twin_set_policy(L->twin, n, s, &pol);
    return keep_going(L);
}

/* ---- history.csv --------------------------------------------------------- */

static const ot_csv_column history_columns[] = {
    {"date", true}, {"node_id", true}, {"sku", true}, {"qty", true}};

/* Cached lookup: history rows arrive sorted by node and SKU, so the last id
 * usually matches. */
static int32_t cached_find(loader *L, char *last, int32_t *cached, const char *p, size_t n,
                           bool is_node)
{
    if (n <= ID_MAX && strlen(last) == n && memcmp(last, p, n) == 0)
        return *cached;
    int32_t ix = is_node ? ot_twin_find_node(L->twin, p, n) : ot_twin_find_sku(L->twin, p, n);
    if (ix >= 0 && n <= ID_MAX) {
        memcpy(last, p, n);
        last[n] = '\0';
        *cached = ix;
    }
    return ix;
}

static bool on_history(void *ctx, const ot_csv_row *row, bool is_header)
{
    loader *L = ctx;
    if (is_header)
        return ot_csv_header_map(row, history_columns, OT_ARRAY_LEN(history_columns), L->col,
                                 L->diag);
    L->rows++;
    const char *p;
    size_t n;
    bool ok = true;
    ot_day day = 0;
    ot_csv_field(row, L->col[0], &p, &n);
    /* Dates repeat by month: reuse the parsed "YYYY-MM-" and read the day. */
    if (n == 10 && memcmp(L->last_date, p, 8) == 0 && p[8] >= '0' && p[8] <= '3' &&
        p[9] >= '0' && p[9] <= '9' && (p[8] - '0') * 10 + (p[9] - '0') >= 1 &&
        (p[8] - '0') * 10 + (p[9] - '0') <= L->month_days) {
        day = L->month_first + (p[8] - '0') * 10 + (p[9] - '0') - 1;
    } else if (take_date(L, row, L->col[0], "date", &day)) {
        memcpy(L->last_date, p, 10);
        ot_day next_month;
        char first[11];
        memcpy(first, p, 8);
        memcpy(first + 8, "01", 3);
        ot_date_parse(first, 10, &L->month_first);
        /* days in this month: the first day that does not parse ends it */
        L->month_days = 28;
        for (int d = 29; d <= 31; d++) {
            char probe[11];
            memcpy(probe, first, 8);
            probe[8] = (char)('0' + d / 10);
            probe[9] = (char)('0' + d % 10);
            if (!ot_date_parse(probe, 10, &next_month))
                break;
            L->month_days = d;
        }
    } else {
        ok = false;
    }
    ot_csv_field(row, L->col[1], &p, &n);
    ot_node_ix node = cached_find(L, L->last_node, &L->cached_node, p, n, true);
    if (node < 0)
        ok &= find_node(L, row, L->col[1], "node_id", &node);
    ot_csv_field(row, L->col[2], &p, &n);
    ot_sku_ix sku = cached_find(L, L->last_sku, &L->cached_sku, p, n, false);
    if (sku < 0)
        ok &= find_sku(L, row, L->col[2], &sku);
    int64_t qty;
    ok &= take_int(L, row, L->col[3], "qty", 0, &qty);
    if (ok) {
        ot_err err = ot_twin_add_demand(L->twin, node, sku, day, qty);
        if (err == OT_ERR_LIMIT)
            ERR(row, "date %s widens the history past %d days (expected dates within 10 years)",
                L->last_date, 3660);
        else if (err) {
            ERR(row, "out of memory");
            return false;
        }
    }
    return keep_going(L);
}

/* ---- the directory ------------------------------------------------------- */

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static ot_err read_table(loader *L, const char *dir, const char *name, bool required,
                         ot_csv_row_fn fn, ot_csv_load_stats *stats)
{
    char path[4096];
    ot_text_format(path, sizeof path, "%s/%s", dir, name);
    if (!required && !file_exists(path))
        return OT_OK;
    uint64_t bytes = 0;
    L->rows = 0;
    ot_err err = ot_csv_read_file(path, L->diag, fn, L, &bytes);
    stats->bytes += bytes;
    stats->rows += L->rows;
    return err;
}

/* Every store needs a way in. */
static void check_inbound(loader *L, const char *dir)
{
    size_t nodes = ot_twin_node_count(L->twin);
    unsigned char *has_in = ot_calloc(nodes, 1);
    if (!has_in)
        return;
    for (size_t l = 0; l < ot_twin_lane_count(L->twin); l++) {
        ot_lane_info lane;
        ot_twin_lane(L->twin, (ot_lane_ix)l, &lane);
        has_in[lane.to] = 1;
    }
    char path[4096];
    ot_text_format(path, sizeof path, "%s/nodes.csv", dir);
    for (size_t n = 0; n < nodes && !ot_diag_full(L->diag); n++) {
        ot_node_info info;
        ot_twin_node(L->twin, (ot_node_ix)n, &info);
        if (info.kind == OT_NODE_STORE && !has_in[n])
            ot_diag_report(L->diag, OT_DIAG_ERROR, path, L->node_line[n],
                           "store '%s' has no inbound lane (expected a row in routes.csv with "
                           "to=%s)", info.id, info.id);
    }
    ot_free(has_in);
}

ot_err ot_csv_load_network(const char *dir, ot_diag *diag, ot_twin **out,
                           ot_csv_load_stats *stats)
{
    ot_csv_load_stats local = {0, 0};
    if (!stats)
        stats = &local;
    *stats = local;
    *out = NULL;
    loader L = {.diag = diag, .cached_node = -1, .cached_sku = -1};
    ot_strmap_init(&L.refused_nodes);
    ot_strmap_init(&L.refused_skus);
    L.refused_ids = ot_arena_new(4096);
    L.twin = ot_twin_new(0);
    if (!L.twin || !L.refused_ids) {
        ot_twin_free(L.twin);
        ot_arena_free(L.refused_ids);
        return OT_ERR_NOMEM;
    }
    size_t errors_before = ot_diag_errors(diag);
    ot_err err = OT_OK, e;
    size_t before = ot_diag_errors(diag);
    if ((e = read_table(&L, dir, "nodes.csv", true, on_node, stats)))
        err = e;
    if (!e && ot_diag_errors(diag) == before && ot_twin_node_count(L.twin) == 0)
        ot_diag_report(diag, OT_DIAG_ERROR, dir, 0,
                       "nodes.csv has no nodes (expected at least one row)");
    bool catalog_unusable = ot_twin_node_count(L.twin) == 0;
    before = ot_diag_errors(diag);
    if ((e = read_table(&L, dir, "skus.csv", true, on_sku, stats)) && !err)
        err = e;
    if (!e && ot_diag_errors(diag) == before && ot_twin_sku_count(L.twin) == 0)
        ot_diag_report(diag, OT_DIAG_ERROR, dir, 0, "skus.csv has no SKUs (expected at least one row)");
    catalog_unusable |= ot_twin_sku_count(L.twin) == 0 || err;
    if ((e = ot_twin_seal_catalog(L.twin, 1, 0))) {
        ot_diag_report(diag, OT_DIAG_ERROR, dir, 0, "cannot hold the network: %s", ot_err_str(e));
        err = e;
    } else {
        size_t pairs = ot_twin_node_count(L.twin) * ot_twin_sku_count(L.twin);
        L.pair_seen = ot_calloc(pairs / 8 + 1, 1);
        if (!L.pair_seen)
            err = OT_ERR_NOMEM;
    }
    /* A catalog file that could not be read at all (missing, empty, a
     * missing column, broken quoting) would make every later row an unknown
     * node or SKU: check the other files once the catalog loads. */
    if (catalog_unusable && L.pair_seen) {
        ot_diag_report(diag, OT_DIAG_WARNING, dir, 0,
                       "routes.csv and the other files are checked once nodes.csv and skus.csv "
                       "load");
    } else if (L.pair_seen && !ot_diag_full(diag)) {
        struct {
            const char *name;
            bool required;
            ot_csv_row_fn fn;
        } tables[] = {{"routes.csv", true, on_route},
                      {"inventory.csv", false, on_inventory},
                      {"pipeline.csv", false, on_pipeline},
                      {"policy.csv", false, on_policy},
                      {"history.csv", false, on_history}};
        for (size_t i = 0; i < OT_ARRAY_LEN(tables) && !ot_diag_full(diag); i++) {
            if (strcmp(tables[i].name, "policy.csv") == 0)
                memset(L.pair_seen, 0, ot_twin_node_count(L.twin) * ot_twin_sku_count(L.twin) / 8 + 1);
            if ((e = read_table(&L, dir, tables[i].name, tables[i].required, tables[i].fn, stats)) &&
                !err)
                err = e;
        }
        if (!ot_diag_full(diag))
            check_inbound(&L, dir);
    }
    if (!err && ot_diag_errors(diag) > errors_before)
        err = OT_ERR_INPUT;
    ot_free(L.node_line);
    ot_free(L.sku_line);
    ot_strmap_release(&L.refused_nodes);
    ot_strmap_release(&L.refused_skus);
    ot_arena_free(L.refused_ids);
    ot_free(L.pair_seen);
    if (err) {
        ot_twin_free(L.twin);
        return err;
    }
    *out = L.twin;
    return OT_OK;
}
