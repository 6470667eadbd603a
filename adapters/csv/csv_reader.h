/*
 * Reading CSV files row by row with libcsv (RFC 4180 strict quoting; CRLF,
 * a UTF-8 BOM and blank lines accepted), with the line number each record
 * starts on, the header mapped to column indexes, and bounded fields.
 */
#ifndef OMNITWIN_CSV_READER_H
#define OMNITWIN_CSV_READER_H

#include "omnitwin/common.h"

enum { OT_CSV_MAX_FIELDS = 64 };

typedef struct {
    const char *path;
    long line;                          /* line the record starts on */
    size_t count;                       /* fields in this record */
    const char *field[OT_CSV_MAX_FIELDS];
    size_t len[OT_CSV_MAX_FIELDS];
} ot_csv_row;

/* Called for the header row (is_header) and every data row; return false
 * to stop reading. */
typedef bool (*ot_csv_row_fn)(void *ctx, const ot_csv_row *row, bool is_header);

/* Reads path, reporting I/O errors, malformed quoting, over-long fields and
 * too many fields to diag. Returns OT_ERR_IO when the file cannot be read,
 * OT_ERR_INPUT when the file itself is malformed (the rows before the
 * problem were delivered), OT_OK otherwise. An empty file (no header) is
 * reported as an error. *bytes gets the bytes read (may be NULL). */
ot_err ot_csv_read_file(const char *path, ot_diag *diag, ot_csv_row_fn fn, void *ctx,
                        uint64_t *bytes);

/* Parses one record held in memory (no header): the same row callback. */
ot_err ot_csv_read_memory(const char *label, const char *data, size_t len, ot_diag *diag,
                          ot_csv_row_fn fn, void *ctx);

/* Columns of a file: names, whether required; header_map fills index[i]
 * (-1 when absent), reports missing required columns (error), unknown
 * columns (warning) and repeated columns (error) at the header's line.
 * Returns false when an error was reported. */
typedef struct {
    const char *name;
    bool required;
} ot_csv_column;

bool ot_csv_header_map(const ot_csv_row *header, const ot_csv_column *columns, size_t count,
                       int *index, ot_diag *diag);

/* Field i of row, or an empty span when the column is absent (index < 0)
 * or the row is short. */
static inline void ot_csv_field(const ot_csv_row *row, int index, const char **ptr, size_t *len)
{
    if (index >= 0 && (size_t)index < row->count) {
        *ptr = row->field[index];
        *len = row->len[index];
    } else {
        *ptr = "";
        *len = 0;
    }
}

#endif
