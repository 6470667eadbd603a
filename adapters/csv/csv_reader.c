/* Row-by-row CSV reading on libcsv (adapters/csv/csv_reader.h). */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "csv/csv_reader.h"
#include "csv/network_csv.h"
#include "text.h"

enum { READ_CHUNK = 1 << 20, ROW_BUF = OT_CSV_MAX_FIELDS * 256 };

typedef struct {
    const char *path;
    ot_diag *diag;
    ot_csv_row_fn fn;
    void *ctx;
    ot_csv_row row;
    char *buf;                /* field bytes of the current row */
    size_t buf_used, buf_cap;
    long line;                /* current physical line */
    long pending_newlines;    /* newlines inside quoted fields of this row */
    bool header_done;
    bool row_bad;             /* a field of this row was refused */
    bool stop;
    bool failed;              /* a structural error was reported */
} reader;

static void on_field(void *data, size_t len, void *vr)
{
    reader *r = vr;
    if (r->stop)
        return;
    if (r->row.count == 0 && !r->row_bad)
        r->row.line = r->line;
    /* newlines inside a quoted field move the next record's line */
    for (const char *nl = len ? memchr(data, '\n', len) : NULL; nl;
         nl = memchr(nl + 1, '\n', len - (size_t)(nl + 1 - (const char *)data)))
        r->pending_newlines++;
    if (r->row_bad)
        return;
    if (r->row.count == OT_CSV_MAX_FIELDS) {
        ot_diag_report(r->diag, OT_DIAG_ERROR, r->path, r->row.line,
                       "more than %d fields (expected one field per column)", OT_CSV_MAX_FIELDS);
        r->row_bad = true;
        r->failed = true;
        return;
    }
    if (len > OT_CSV_MAX_FIELD) {
        ot_diag_report(r->diag, OT_DIAG_ERROR, r->path, r->row.line,
                       "field %zu is %zu bytes long (expected at most %d)", r->row.count + 1,
                       len, OT_CSV_MAX_FIELD);
        r->row_bad = true;
        r->failed = true;
        return;
    }
    if (r->buf_used + len + 1 > r->buf_cap) {
        size_t cap = r->buf_cap * 2;
        while (cap < r->buf_used + len + 1)
            cap *= 2;
        char *grown = ot_realloc(r->buf, cap);
        if (!grown) {
            r->stop = r->failed = true;
            ot_diag_report(r->diag, OT_DIAG_ERROR, r->path, r->row.line, "out of memory");
            return;
        }
        /* fields point into buf: move them */
        for (size_t i = 0; i < r->row.count; i++)
            r->row.field[i] = grown + (r->row.field[i] - r->buf);
        r->buf = grown;
        r->buf_cap = cap;
    }
    char *dst = r->buf + r->buf_used;
    if (len)
        memcpy(dst, data, len);
    dst[len] = '\0';
    r->row.field[r->row.count] = dst;
    r->row.len[r->row.count] = len;
    r->row.count++;
    r->buf_used += len + 1;
}

static void on_row_end(int c, void *vr)
{
    reader *r = vr;
    if (!r->stop && r->row.count > 0 && !r->row_bad) {
        bool is_header = !r->header_done;
        r->header_done = true;
        if (!r->fn(r->ctx, &r->row, is_header))
            r->stop = true;
    }
    r->line += r->pending_newlines + (c == '\n');
    r->pending_newlines = 0;
    r->row.count = 0;
    r->buf_used = 0;
    r->row_bad = false;
}

static bool reader_init(reader *r, const char *path, ot_diag *diag, ot_csv_row_fn fn,
                        void *ctx, struct csv_parser *parser)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->diag = diag;
    r->fn = fn;
    r->ctx = ctx;
    r->row.path = path;
    r->line = 1;
    r->buf_cap = ROW_BUF;
    r->buf = ot_malloc(r->buf_cap);
    if (!r->buf)
        return false;
    if (csv_init(parser, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI) != 0) {
        ot_free(r->buf);
        return false;
    }
    return true;
}

/* Feeds bytes; false on a parse error (reported). */
static bool feed(reader *r, struct csv_parser *parser, const char *data, size_t len)
{
    if (r->stop)
        return true;
    if (csv_parse(parser, data, len, on_field, on_row_end, r) != len && !r->stop) {
        ot_diag_report(r->diag, OT_DIAG_ERROR, r->path, r->row.count ? r->row.line : r->line,
                       "malformed quoting: %s (expected RFC 4180: a quoted field starts and ends "
                       "with '\"', and '\"' inside it is doubled)",
                       csv_strerror(csv_error(parser)));
        r->failed = true;
        return false;
    }
    return true;
}

static bool finish(reader *r, struct csv_parser *parser)
{
    if (r->stop)
        return true;
    if (csv_fini(parser, on_field, on_row_end, r) != 0) {
        ot_diag_report(r->diag, OT_DIAG_ERROR, r->path, r->row.count ? r->row.line : r->line,
                       "unterminated quoted field at end of file (expected a closing '\"')");
        r->failed = true;
        return false;
    }
    return true;
}

ot_err ot_csv_read_file(const char *path, ot_diag *diag, ot_csv_row_fn fn, void *ctx,
                        uint64_t *bytes)
{
    if (bytes)
        *bytes = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        ot_diag_report(diag, OT_DIAG_ERROR, path, 0, "cannot open: %s", strerror(errno));
        return OT_ERR_IO;
    }
    struct csv_parser parser;
    reader r;
    char *chunk = ot_malloc(READ_CHUNK);
    if (!chunk || !reader_init(&r, path, diag, fn, ctx, &parser)) {
        ot_free(chunk);
        fclose(f);
        return OT_ERR_NOMEM;
    }
    uint64_t total = 0;
    bool ok = true, first = true;
    size_t n;
    while (ok && !r.stop && (n = fread(chunk, 1, READ_CHUNK, f)) > 0) {
        const char *p = chunk;
        if (first && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
            p += 3; /* UTF-8 byte order mark */
            n -= 3;
            total += 3;
        }
        first = false;
        total += n;
        ok = feed(&r, &parser, p, n);
    }
    ot_err err = OT_OK;
    if (ferror(f)) {
        ot_diag_report(diag, OT_DIAG_ERROR, path, 0, "read error: %s", strerror(errno));
        err = OT_ERR_IO;
    }
    if (ok)
        finish(&r, &parser);
    if (!err && !r.header_done && !r.failed) {
        ot_diag_report(diag, OT_DIAG_ERROR, path, 1,
                       "file is empty (expected a header row naming the columns)");
        r.failed = true;
    }
    if (!err && r.failed)
        err = OT_ERR_INPUT;
    csv_free(&parser);
    ot_free(r.buf);
    ot_free(chunk);
    fclose(f);
    if (bytes)
        *bytes = total;
    return err;
}

ot_err ot_csv_read_memory(const char *label, const char *data, size_t len, ot_diag *diag,
                          ot_csv_row_fn fn, void *ctx)
{
    struct csv_parser parser;
    reader r;
    if (!reader_init(&r, label, diag, fn, ctx, &parser))
        return OT_ERR_NOMEM;
    r.header_done = true; /* records only */
    if (feed(&r, &parser, data, len))
        finish(&r, &parser);
    csv_free(&parser);
    ot_free(r.buf);
    return r.failed ? OT_ERR_INPUT : OT_OK;
}

bool ot_csv_header_map(const ot_csv_row *header, const ot_csv_column *columns, size_t count,
                       int *index, ot_diag *diag)
{
    bool ok = true;
    char expected[512];
    size_t n = 0;
    for (size_t c = 0; c < count; c++) {
        index[c] = -1;
        n += ot_text_format(expected + n, sizeof expected - n, "%s%s", c ? ", " : "",
                            columns[c].name);
    }
    for (size_t i = 0; i < header->count; i++) {
        size_t c = 0;
        while (c < count && !(strlen(columns[c].name) == header->len[i] &&
                              memcmp(columns[c].name, header->field[i], header->len[i]) == 0))
            c++;
        char name[72];
        ot_text_quote(name, sizeof name, header->field[i], header->len[i]);
        if (c == count) {
            ot_diag_report(diag, OT_DIAG_WARNING, header->path, header->line,
                           "column '%s' is unknown, ignored (expected: %s)", name, expected);
        } else if (index[c] >= 0) {
            ot_diag_report(diag, OT_DIAG_ERROR, header->path, header->line,
                           "column '%s' appears twice (expected each column once)", name);
            ok = false;
        } else {
            index[c] = (int)i;
        }
    }
    for (size_t c = 0; c < count; c++)
        if (columns[c].required && index[c] < 0) {
            ot_diag_report(diag, OT_DIAG_ERROR, header->path, header->line,
                           "required column '%s' is missing (expected columns: %s)",
                           columns[c].name, expected);
            ok = false;
        }
    return ok;
}
