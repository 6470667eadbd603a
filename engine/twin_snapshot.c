/*
 * Twin snapshots (for checkpoints) and the state digest.
 *
 * Snapshot layout, little-endian host order, version 1:
 *   "OTWINSN1" | catalog (nodes, SKUs, lanes) | pair arrays | history
 *   window, rows and overflow | pipeline | de-duplication ring (oldest
 *   first) | events_applied | checksum
 * The checksum chains ot_hash_bytes over 64 KiB blocks of everything before
 * it, so a truncated or altered snapshot is refused.
 */
#include <stdlib.h>
#include <string.h>

#include "twin_internal.h"

enum { BLOCK = 64 * 1024 };
static const char MAGIC[8] = {'O', 'T', 'W', 'I', 'N', 'S', 'N', '1'};

/* ---- Writing ------------------------------------------------------------- */

typedef struct {
    ot_write_fn write;
    void *ctx;
    unsigned char buf[BLOCK];
    size_t used;
    uint64_t checksum;
    int failed;
} snap_writer;

static void flush_block(snap_writer *w)
{
    if (!w->used || w->failed)
        return;
    w->checksum = ot_hash_bytes(w->buf, w->used, w->checksum);
    if (w->write(w->ctx, w->buf, w->used))
        w->failed = 1;
    w->used = 0;
}

static void put(snap_writer *w, const void *data, size_t len)
{
    const unsigned char *p = data;
    while (len && !w->failed) {
        size_t n = BLOCK - w->used < len ? BLOCK - w->used : len;
        memcpy(w->buf + w->used, p, n);
        w->used += n;
        p += n;
        len -= n;
        if (w->used == BLOCK)
            flush_block(w);
    }
}

static void put_u64(snap_writer *w, uint64_t v) { put(w, &v, sizeof v); }
static void put_i32(snap_writer *w, int32_t v) { put(w, &v, sizeof v); }
static void put_f64(snap_writer *w, double v) { put(w, &v, sizeof v); }
static void put_u8(snap_writer *w, uint8_t v) { put(w, &v, 1); }

static void put_str(snap_writer *w, const char *s)
{
    uint32_t len = (uint32_t)strlen(s);
    put(w, &len, sizeof len);
    put(w, s, len);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = ((const hist_overflow_slot *)a)->key, y = ((const hist_overflow_slot *)b)->key;
    return x < y ? -1 : x > y;
}

ot_err ot_twin_snapshot(const ot_twin *t, ot_write_fn write, void *ctx)
{
    if (!t->sealed)
        return OT_ERR_INTERNAL;
    snap_writer *w = ot_calloc(1, sizeof *w);
    if (!w)
        return OT_ERR_NOMEM;
    w->write = write;
    w->ctx = ctx;
    put(w, MAGIC, sizeof MAGIC);

    put_u64(w, t->node_count);
    for (size_t i = 0; i < t->node_count; i++) {
        const twin_node *n = &t->nodes[i];
        put_str(w, n->id);
        put_str(w, n->region);
        put_u8(w, (uint8_t)n->kind);
        put_u8(w, n->has_coords);
        put_f64(w, n->lat);
        put_f64(w, n->lon);
        put_f64(w, n->capacity);
    }
    put_u64(w, t->sku_count);
    for (size_t i = 0; i < t->sku_count; i++) {
        const twin_sku *s = &t->skus[i];
        put_str(w, s->id);
        put_str(w, s->category);
        put_f64(w, s->unit_cost);
        put_f64(w, s->holding_cost);
        put_f64(w, s->stockout_cost);
        put_f64(w, s->volume);
        put_i32(w, s->case_pack);
    }
    put_u64(w, t->lane_count);
    for (size_t i = 0; i < t->lane_count; i++) {
        const twin_lane *l = &t->lanes[i];
        put_i32(w, l->from);
        put_i32(w, l->to);
        put_i32(w, l->lead_time_days);
        put_f64(w, l->cost_per_unit);
        put_f64(w, l->capacity_per_day);
        put_str(w, l->mode);
    }
    size_t pc = t->pair_count;
    put(w, t->on_hand, pc * sizeof *t->on_hand);
    put(w, t->in_transit, pc * sizeof *t->in_transit);
    put(w, t->last_count, pc * sizeof *t->last_count);
    put(w, t->service_level, pc * sizeof *t->service_level);
    put(w, t->min_units, pc * sizeof *t->min_units);
    put(w, t->max_units, pc * sizeof *t->max_units);

    put_i32(w, t->hist_first);
    put_u64(w, t->hist_days);
    put_i32(w, t->page_first);
    put_u64(w, t->page_count);
    for (size_t i = 0; i < t->page_count; i++)
        put(w, t->pages[i], twin_page_bytes(t));
    hist_overflow_slot *entries = ot_calloc(t->overflow_count, sizeof *entries);
    if (!entries) {
        ot_free(w);
        return OT_ERR_NOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < t->overflow_cap; i++)
        if (t->overflow[i].key)
            entries[k++] = t->overflow[i];
    qsort(entries, k, sizeof *entries, cmp_u64);
    put_u64(w, k);
    put(w, entries, k * sizeof *entries);
    ot_free(entries);

    put_u64(w, t->pipeline_count);
    for (size_t i = 0; i < t->pipeline_count; i++) {
        const twin_pipeline *l = &t->pipeline[i];
        put_str(w, l->order_id);
        put_i32(w, l->from);
        put_i32(w, l->to);
        put_i32(w, l->sku);
        put(w, &l->qty, sizeof l->qty);
        put_i32(w, l->arrive_day);
        put_u8(w, l->open);
    }
    put_u64(w, t->dedup_window);
    put_u64(w, t->dedup_count);
    size_t start = t->dedup_count == t->dedup_ring_cap ? t->dedup_head : 0;
    for (size_t i = 0; i < t->dedup_count; i++)
        put_u64(w, t->dedup_ring[(start + i) % t->dedup_ring_cap]);
    /* the change log, oldest first, and each pair's latest change */
    uint64_t live = t->change_seq < t->change_cap ? t->change_seq : t->change_cap;
    put_u64(w, t->change_window);
    put_u64(w, t->change_seq);
    put_u64(w, live);
    for (uint64_t seq = t->change_seq - live; seq < t->change_seq; seq++)
        put(w, &t->changes[seq % t->change_cap], sizeof *t->changes);
    put(w, t->last_change, pc * sizeof *t->last_change);
    put_u64(w, t->events_applied);

    flush_block(w);
    uint64_t checksum = w->checksum;
    put_u64(w, checksum);
    w->checksum = 0;
    if (!w->failed && w->used && w->write(w->ctx, w->buf, w->used))
        w->failed = 1;
    ot_err err = w->failed ? OT_ERR_IO : OT_OK;
    ot_free(w);
    return err;
}

/* ---- Reading ------------------------------------------------------------- */

typedef struct {
    const unsigned char *p, *end;
    int bad;
} snap_reader;

static void get(snap_reader *r, void *out, size_t len)
{
    if (r->bad || (size_t)(r->end - r->p) < len) {
        r->bad = 1;
        memset(out, 0, len);
        return;
    }
    memcpy(out, r->p, len);
    r->p += len;
}

static uint64_t get_u64(snap_reader *r) { uint64_t v; get(r, &v, sizeof v); return v; }
static int32_t get_i32(snap_reader *r) { int32_t v; get(r, &v, sizeof v); return v; }
static double get_f64(snap_reader *r) { double v; get(r, &v, sizeof v); return v; }
static uint8_t get_u8(snap_reader *r) { uint8_t v; get(r, &v, 1); return v; }

/* A NUL-terminated copy in buf (cap bytes) or "" and bad on overflow. */
static const char *get_str(snap_reader *r, char *buf, size_t cap)
{
    uint32_t len;
    get(r, &len, sizeof len);
    if (r->bad || len >= cap) {
        r->bad = 1;
        buf[0] = '\0';
        return buf;
    }
    get(r, buf, len);
    buf[r->bad ? 0 : len] = '\0';
    return buf;
}

static bool count_ok(snap_reader *r, uint64_t count, size_t min_item_bytes)
{
    if (r->bad || count > (uint64_t)(r->end - r->p) / (min_item_bytes ? min_item_bytes : 1)) {
        r->bad = 1;
        return false;
    }
    return true;
}

static bool checksum_ok(const unsigned char *data, size_t len)
{
    if (len < sizeof MAGIC + 8 || memcmp(data, MAGIC, sizeof MAGIC) != 0)
        return false;
    size_t body = len - 8;
    uint64_t h = 0;
    for (size_t off = 0; off < body; off += BLOCK)
        h = ot_hash_bytes(data + off, body - off < BLOCK ? body - off : BLOCK, h);
    uint64_t stored;
    memcpy(&stored, data + body, 8);
    return h == stored;
}

ot_err ot_twin_restore(const void *data, size_t len, ot_twin **out)
{
    *out = NULL;
    if (!checksum_ok(data, len))
        return OT_ERR_INPUT;
    snap_reader r = {(const unsigned char *)data + sizeof MAGIC,
                     (const unsigned char *)data + len - 8, 0};
    char s1[4096], s2[4096];
    uint64_t nodes = get_u64(&r);
    if (!count_ok(&r, nodes, 34))
        return OT_ERR_INPUT;
    ot_twin *t = NULL;
    ot_err err = OT_ERR_INPUT;
    /* dedup window is read later; start with the default and fix it then */
    t = ot_twin_new(0);
    if (!t)
        return OT_ERR_NOMEM;
    for (uint64_t i = 0; i < nodes && !r.bad; i++) {
        ot_node_info n;
        n.id = get_str(&r, s1, sizeof s1);
        n.region = get_str(&r, s2, sizeof s2);
        n.kind = (ot_node_kind)get_u8(&r);
        n.has_coords = get_u8(&r) != 0;
        n.lat = get_f64(&r);
        n.lon = get_f64(&r);
        n.capacity = get_f64(&r);
        if (!r.bad && (n.kind > OT_NODE_STORE || ot_twin_add_node(t, &n, NULL)))
            r.bad = 1;
    }
    uint64_t skus = get_u64(&r);
    if (!count_ok(&r, skus, 44))
        goto fail;
    for (uint64_t i = 0; i < skus && !r.bad; i++) {
        ot_sku_info s;
        s.id = get_str(&r, s1, sizeof s1);
        s.category = get_str(&r, s2, sizeof s2);
        s.unit_cost = get_f64(&r);
        s.holding_cost = get_f64(&r);
        s.stockout_cost = get_f64(&r);
        s.volume = get_f64(&r);
        s.case_pack = get_i32(&r);
        if (!r.bad && ot_twin_add_sku(t, &s, NULL))
            r.bad = 1;
    }
    if (r.bad || (err = ot_twin_seal_catalog(t, 1, 0)) != OT_OK)
        goto fail;
    err = OT_ERR_INPUT;
    uint64_t lanes = get_u64(&r);
    if (!count_ok(&r, lanes, 32))
        goto fail;
    for (uint64_t i = 0; i < lanes && !r.bad; i++) {
        ot_lane_info l;
        l.from = get_i32(&r);
        l.to = get_i32(&r);
        l.lead_time_days = get_i32(&r);
        l.cost_per_unit = get_f64(&r);
        l.capacity_per_day = get_f64(&r);
        l.mode = get_str(&r, s1, sizeof s1);
        if (!r.bad && ot_twin_add_lane(t, &l, NULL))
            r.bad = 1;
    }
    size_t pc = t->pair_count;
    if (!count_ok(&r, pc, 36))
        goto fail;
    get(&r, t->on_hand, pc * sizeof *t->on_hand);
    get(&r, t->in_transit, pc * sizeof *t->in_transit);
    get(&r, t->last_count, pc * sizeof *t->last_count);
    get(&r, t->service_level, pc * sizeof *t->service_level);
    get(&r, t->min_units, pc * sizeof *t->min_units);
    get(&r, t->max_units, pc * sizeof *t->max_units);

    ot_day first = get_i32(&r);
    uint64_t days = get_u64(&r);
    int32_t page_first = get_i32(&r);
    uint64_t pages = get_u64(&r);
    if (r.bad || days > OT_TWIN_MAX_HISTORY_DAYS || !count_ok(&r, pages, twin_page_bytes(t)))
        goto fail;
    if (days) {
        if ((err = twin_history_cover(t, first, first + (ot_day)days - 1)) != OT_OK)
            goto fail;
        err = OT_ERR_INPUT;
        if (t->page_first != page_first || t->page_count != pages)
            goto fail;
        for (size_t i = 0; i < pages; i++)
            get(&r, t->pages[i], twin_page_bytes(t));
    } else if (pages) {
        goto fail;
    }
    uint64_t overflow = get_u64(&r);
    if (!count_ok(&r, overflow, sizeof(hist_overflow_slot)))
        goto fail;
    for (uint64_t i = 0; i < overflow && !r.bad; i++) {
        hist_overflow_slot e;
        get(&r, &e, sizeof e);
        if (!r.bad && (!e.key || twin_overflow_put(t, e.key, e.qty)))
            r.bad = 1;
    }
    uint64_t lines = get_u64(&r);
    if (!count_ok(&r, lines, 29))
        goto fail;
    for (uint64_t i = 0; i < lines && !r.bad; i++) {
        ot_pipeline_info l;
        l.order_id = get_str(&r, s1, sizeof s1);
        l.from = get_i32(&r);
        l.to = get_i32(&r);
        l.sku = get_i32(&r);
        get(&r, &l.qty, sizeof l.qty);
        l.arrive_day = get_i32(&r);
        l.open = get_u8(&r) != 0;
        if (r.bad || !twin_valid_pair(t, l.to, l.sku) || l.from < 0 ||
            (size_t)l.from >= t->node_count) {
            r.bad = 1;
            break;
        }
        /* in_transit was restored with the pair arrays: keep it */
        int64_t transit = t->in_transit[twin_pair(t, l.to, l.sku)];
        if (twin_pipeline_append(t, &l))
            r.bad = 1;
        t->in_transit[twin_pair(t, l.to, l.sku)] = transit;
    }
    uint64_t window = get_u64(&r), remembered = get_u64(&r);
    if (r.bad || window == 0 || remembered > window || !count_ok(&r, remembered, 8))
        goto fail;
    t->dedup_window = window;
    for (uint64_t i = 0; i < remembered && !r.bad; i++)
        if (twin_dedup_add(t, get_u64(&r)))
            r.bad = 1;
    uint64_t change_window = get_u64(&r), change_seq = get_u64(&r), live = get_u64(&r);
    if (r.bad || change_window == 0 || live > change_window || live > change_seq ||
        !count_ok(&r, live, sizeof(twin_change)))
        goto fail;
    t->change_window = change_window;
    /* the live changes go back at their own seqs, in a ring of the full
     * window (seq % cap must stay the position of every later change) */
    if (change_seq) {
        t->changes = ot_calloc(change_window, sizeof *t->changes);
        if (!t->changes) {
            err = OT_ERR_NOMEM;
            goto fail;
        }
        t->change_cap = change_window;
    }
    t->change_seq = change_seq;
    for (uint64_t seq = change_seq - live; seq < change_seq && !r.bad; seq++) {
        twin_change c;
        get(&r, &c, sizeof c);
        if (r.bad || c.pair >= pc || c.prev >= (int64_t)seq) {
            r.bad = 1;
            break;
        }
        t->changes[seq % t->change_cap] = c;
    }
    get(&r, t->last_change, pc * sizeof *t->last_change);
    t->events_applied = get_u64(&r);
    if (r.bad || r.p != r.end)
        goto fail;
    *out = t;
    return OT_OK;
fail:
    ot_twin_free(t);
    return err == OT_OK ? OT_ERR_INPUT : err;
}

/* ---- Digest -------------------------------------------------------------- */

static uint64_t mix(uint64_t h, const void *data, size_t len) { return ot_hash_bytes(data, len, h); }

uint64_t ot_twin_digest(const ot_twin *t)
{
    uint64_t h = mix(0, &t->node_count, sizeof t->node_count);
    h = mix(h, &t->sku_count, sizeof t->sku_count);
    if (!t->sealed)
        return h;
    size_t pc = t->pair_count;
    h = mix(h, t->on_hand, pc * sizeof *t->on_hand);
    h = mix(h, t->in_transit, pc * sizeof *t->in_transit);
    h = mix(h, t->last_count, pc * sizeof *t->last_count);
    h = mix(h, &t->hist_first, sizeof t->hist_first);
    h = mix(h, &t->hist_days, sizeof t->hist_days);
    for (size_t i = 0; i < t->page_count; i++)
        h = mix(h, t->pages[i], twin_page_bytes(t));
    /* Sets whose order depends on arrival order across SKUs (overflow,
     * pipeline lines, remembered ids) combine commutatively. */
    uint64_t sum = 0;
    for (size_t i = 0; i < t->overflow_cap; i++)
        if (t->overflow[i].key)
            sum += mix(1, &t->overflow[i], sizeof t->overflow[i]);
    for (size_t i = 0; i < t->pipeline_count; i++) {
        const twin_pipeline *l = &t->pipeline[i];
        uint64_t lh = mix(2, l->order_id, strlen(l->order_id));
        int64_t fields[6] = {l->from, l->to, l->sku, l->qty, l->arrive_day, l->open};
        sum += mix(lh, fields, sizeof fields);
    }
    for (size_t i = 0; i < t->dedup_count; i++)
        sum += mix(3, &t->dedup_ring[i], sizeof t->dedup_ring[i]);
    h = mix(h, &sum, sizeof sum);
    return mix(h, &t->events_applied, sizeof t->events_applied);
}
