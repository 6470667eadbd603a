/*
 * Batch event files and single event records (CONTRACT §3). A file is
 * applied all or nothing: every row is parsed and checked first, then the
 * events are applied in file order.
 */
#include <string.h>

#include "csv/csv_reader.h"
#include "csv/network_csv.h"
#include "text.h"

static const ot_csv_column event_columns[] = {
    {"event_id", true}, {"ts", true}, {"type", true}, {"node_id", true},
    {"sku", true},      {"qty", true}, {"ref", false}};

typedef struct {
    ot_twin *twin;
    ot_diag *diag;
    int col[OT_EVENT_FIELDS];
    ot_arena *arena;
    ot_event *events;
    size_t count, cap;
    bool out_of_memory;
} event_batch;

static bool on_event_row(void *ctx, const ot_csv_row *row, bool is_header)
{
    event_batch *b = ctx;
    if (is_header)
        return ot_csv_header_map(row, event_columns, OT_ARRAY_LEN(event_columns), b->col, b->diag);
    ot_event_fields f;
    for (int i = 0; i < OT_EVENT_FIELDS; i++)
        ot_csv_field(row, b->col[i], &f.ptr[i], &f.len[i]);
    ot_event e;
    char why[256];
    if (ot_event_parse(b->twin, &f, &e, why, sizeof why)) {
        ot_diag_report(b->diag, OT_DIAG_ERROR, row->path, row->line, "%s", why);
        return !ot_diag_full(b->diag);
    }
    if (e.type == OT_EV_SHIP && ot_twin_find_pipeline(b->twin, e.event_id, e.event_id_len) >= 0 &&
        !ot_twin_event_seen(b->twin, e.event_id, e.event_id_len)) {
        ot_diag_report(b->diag, OT_DIAG_ERROR, row->path, row->line,
                       "ship event_id '%s' is already a pipeline order_id (expected a new id: "
                       "the shipment is tracked under it)", row->field[b->col[0]]);
        return !ot_diag_full(b->diag);
    }
    if (b->count == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        ot_event *grown = ot_reallocarray(b->events, cap, sizeof *grown);
        if (!grown) {
            b->out_of_memory = true;
            return false;
        }
        b->events = grown;
        b->cap = cap;
    }
    e.event_id = ot_arena_strndup(b->arena, e.event_id, e.event_id_len);
    e.ref = ot_arena_strndup(b->arena, e.ref, e.ref_len);
    if (!e.event_id || !e.ref) {
        b->out_of_memory = true;
        return false;
    }
    b->events[b->count++] = e;
    return true;
}

ot_err ot_csv_apply_events(ot_twin *twin, const char *path, ot_diag *diag, ot_event_stats *stats)
{
    ot_event_stats local = {0, 0, 0, 0};
    if (!stats)
        stats = &local;
    *stats = local;
    event_batch b = {.twin = twin, .diag = diag, .arena = ot_arena_new(1 << 20)};
    if (!b.arena)
        return OT_ERR_NOMEM;
    size_t errors_before = ot_diag_errors(diag);
    ot_err err = ot_csv_read_file(path, diag, on_event_row, &b, NULL);
    if (!err && b.out_of_memory)
        err = OT_ERR_NOMEM;
    if (!err && ot_diag_errors(diag) > errors_before)
        err = OT_ERR_INPUT;
    stats->read = b.count;
    for (size_t i = 0; !err && i < b.count; i++) {
        ot_apply_outcome outcome;
        char why[256];
        err = ot_twin_apply_event(twin, &b.events[i], &outcome, why, sizeof why);
        if (err) {
            /* only running out of memory gets here: parse checked the rest */
            ot_diag_report(diag, OT_DIAG_ERROR, path, 0, "event '%s': %s", b.events[i].event_id,
                           err == OT_ERR_INPUT ? why : ot_err_str(err));
            break;
        }
        stats->applied += outcome == OT_APPLIED;
        stats->duplicates += outcome == OT_DUPLICATE;
        stats->stale += outcome == OT_STALE;
    }
    ot_free(b.events);
    ot_arena_free(b.arena);
    return err;
}

/* ---- one record ---------------------------------------------------------- */

typedef struct {
    ot_event_record *out;
    size_t used;
    size_t records;
    bool too_long;
    bool wrong_count;
    size_t fields_seen;
} record_split;

static bool on_record(void *ctx, const ot_csv_row *row, bool is_header)
{
    (void)is_header;
    record_split *s = ctx;
    s->records++;
    s->fields_seen = row->count;
    if (s->records > 1)
        return false;
    if (row->count != OT_EVENT_FIELDS && row->count != OT_EVENT_FIELDS - 1) {
        s->wrong_count = true;
        return false;
    }
    for (size_t i = 0; i < OT_EVENT_FIELDS; i++) {
        size_t len = i < row->count ? row->len[i] : 0;
        if (s->used + len + 1 > sizeof s->out->storage) {
            s->too_long = true;
            return false;
        }
        char *dst = s->out->storage + s->used;
        if (len)
            memcpy(dst, row->field[i], len);
        dst[len] = '\0';
        s->out->fields.ptr[i] = dst;
        s->out->fields.len[i] = len;
        s->used += len + 1;
    }
    return true;
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* The common case of a record without quotes, split without libcsv (one
 * pass, no allocation): the same fields libcsv gives, blanks around unquoted
 * fields trimmed as libcsv does. False when the record needs the full parser
 * (quotes) or is not one record of 6 or 7 fields. */
static bool split_plain(const char *data, size_t len, ot_event_record *out)
{
    while (len && (data[len - 1] == '\n' || data[len - 1] == '\r'))
        len--;
    if (len == 0 || len >= sizeof out->storage || memchr(data, '"', len) ||
        memchr(data, '\n', len) || memchr(data, '\r', len))
        return false;
    memcpy(out->storage, data, len);
    out->storage[len] = '\0';
    char *p = out->storage, *end = out->storage + len;
    size_t count = 0;
    for (;;) {
        char *comma = memchr(p, ',', (size_t)(end - p));
        char *stop = comma ? comma : end;
        if (count == OT_EVENT_FIELDS)
            return false;
        char *a = p, *b = stop;
        while (a < b && is_blank(*a))
            a++;
        while (b > a && is_blank(b[-1]))
            b--;
        *b = '\0'; /* b <= stop: the comma (or the end) becomes the terminator */
        out->fields.ptr[count] = a;
        out->fields.len[count] = (size_t)(b - a);
        count++;
        if (!comma)
            break;
        p = comma + 1;
    }
    if (count < OT_EVENT_FIELDS - 1)
        return false;
    if (count == OT_EVENT_FIELDS - 1) { /* ref left out */
        out->fields.ptr[count] = end;
        out->fields.len[count] = 0;
    }
    return true;
}

ot_err ot_csv_split_event(const char *data, size_t len, ot_event_record *out, char *why,
                          size_t why_size)
{
    if (split_plain(data, len, out))
        return OT_OK;
    record_split s = {.out = out};
    ot_diag *diag = ot_diag_new(4);
    if (!diag)
        return OT_ERR_NOMEM;
    ot_err err = ot_csv_read_memory("record", data, len, diag, on_record, &s);
    if (err && ot_diag_count(diag)) {
        const char *msg = ot_diag_get(diag, 0)->message, *text = strstr(msg, ": ");
        ot_text_format(why, why_size, "%s", text ? text + 2 : msg);
    }
    else if (s.records == 0)
        ot_text_format(why, why_size, "empty record (expected event_id,ts,type,node_id,sku,qty,ref)");
    else if (s.records > 1)
        ot_text_format(why, why_size, "more than one record (expected one event per message)");
    else if (s.wrong_count)
        ot_text_format(why, why_size, "%zu fields (expected 7: event_id,ts,type,node_id,sku,qty,ref)",
                       s.fields_seen);
    else if (s.too_long)
        ot_text_format(why, why_size, "record longer than %zu bytes", sizeof out->storage);
    ot_diag_free(diag);
    if (err)
        return err == OT_ERR_NOMEM ? err : OT_ERR_INPUT;
    return s.records == 1 && !s.wrong_count && !s.too_long ? OT_OK : OT_ERR_INPUT;
}
