/*
 * omnitwin — common definitions shared by every module: error codes,
 * the diagnostics collector, memory wrappers, the per-run arena and the
 * always-on assertion.
 *
 * Memory strategy (said once, here): bulk data that lives for one run
 * (parsed rows, LP rows, series) goes into an ot_arena and is released with
 * it; long-lived objects (the twin, its arrays) use ot_malloc/ot_calloc/
 * ot_realloc/ot_free. Every allocation has the owner its header names.
 */
#ifndef OMNITWIN_COMMON_H
#define OMNITWIN_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Error codes. Appended, never renumbered. ot_err_str() names them. */
typedef enum {
    OT_OK = 0,
    OT_ERR_NOMEM = 1,      /* an allocation failed */
    OT_ERR_INPUT = 2,      /* bad input; details went to the ot_diag */
    OT_ERR_IO = 3,         /* a file could not be read or written */
    OT_ERR_NOT_FOUND = 4,  /* a named thing does not exist */
    OT_ERR_SOLVER = 5,     /* the LP solver failed */
    OT_ERR_SERVICE = 6,    /* a service (broker) stayed unreachable */
    OT_ERR_INTERNAL = 7,   /* a bug of ours */
    OT_ERR_INFEASIBLE = 8, /* the model has no feasible solution */
    OT_ERR_LIMIT = 9,      /* a size bound was exceeded */
    OT_ERR_USAGE = 10      /* bad command-line usage */
} ot_err;

const char *ot_err_str(ot_err err);

/* ---- Diagnostics ---------------------------------------------------------
 * A collector the caller passes in. Parsers report every problem they find
 * as "FILE:LINE: what is wrong (what was expected)" and keep going until the
 * collector is full; only main() prints the collected messages.
 */
typedef enum { OT_DIAG_ERROR, OT_DIAG_WARNING } ot_diag_level;

typedef struct {
    ot_diag_level level;
    const char *message; /* "FILE:LINE: text", owned by the collector */
} ot_diag_entry;

typedef struct ot_diag ot_diag;

/* A collector that keeps at most max_errors errors (and as many warnings).
 * Returns NULL when out of memory. */
ot_diag *ot_diag_new(size_t max_errors);
void ot_diag_free(ot_diag *diag);

/* Records one message. file may be NULL (no location), line 0 (no line).
 * Messages past the cap are counted but not stored. */
void ot_diag_report(ot_diag *diag, ot_diag_level level, const char *file,
                    long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void ot_diag_vreport(ot_diag *diag, ot_diag_level level, const char *file,
                     long line, const char *fmt, va_list ap);

size_t ot_diag_errors(const ot_diag *diag);   /* errors seen, stored or not */
size_t ot_diag_warnings(const ot_diag *diag);
size_t ot_diag_count(const ot_diag *diag);    /* stored entries */
const ot_diag_entry *ot_diag_get(const ot_diag *diag, size_t i);
bool ot_diag_full(const ot_diag *diag);       /* error cap reached */

/* ---- Memory ---------------------------------------------------------------
 * Thin wrappers so that every allocation goes through one place; they
 * return NULL on failure like malloc and check size overflow.
 */
void *ot_malloc(size_t size);
void *ot_calloc(size_t count, size_t size);
void *ot_realloc(void *ptr, size_t size);
void *ot_reallocarray(void *ptr, size_t count, size_t size);
void ot_free(void *ptr);
char *ot_strndup(const char *s, size_t len);

/* A per-run arena: allocations are never freed one by one, all at once by
 * ot_arena_free. Blocks are at least block_size bytes. */
typedef struct ot_arena ot_arena;
ot_arena *ot_arena_new(size_t block_size);
void ot_arena_free(ot_arena *arena);
void *ot_arena_alloc(ot_arena *arena, size_t size); /* 16-byte aligned */
char *ot_arena_strndup(ot_arena *arena, const char *s, size_t len);
size_t ot_arena_bytes(const ot_arena *arena);

/* ---- Assertions -----------------------------------------------------------
 * Always on, for invariants of our own code only (never for outside data):
 * prints expression, file and line, then aborts.
 */
void ot_assert_fail(const char *expr, const char *file, int line)
    __attribute__((noreturn));
#define OT_ASSERT(expr) \
    ((expr) ? (void)0 : ot_assert_fail(#expr, __FILE__, __LINE__))

#define OT_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Dates ----------------------------------------------------------------
 * Days are counted from 1970-01-01 (day 0); timestamps are seconds since the
 * epoch, UTC.
 */
typedef int32_t ot_day;
typedef int64_t ot_ts;

/* Parses exactly "YYYY-MM-DD" (a real calendar date, years 1900–9999). */
bool ot_date_parse(const char *s, size_t len, ot_day *out);
/* Parses ISO-8601 UTC: "YYYY-MM-DDTHH:MM:SS[.fff]Z", also with "+00:00" or
 * no zone (taken as UTC), or a bare date (midnight). */
bool ot_ts_parse(const char *s, size_t len, ot_ts *out);
/* Writes "YYYY-MM-DD" and a NUL into buf (at least 11 bytes). */
void ot_date_format(ot_day day, char buf[11]);
/* Writes "YYYY-MM-DDTHH:MM:SSZ" and a NUL into buf (at least 21 bytes). */
void ot_ts_format(ot_ts ts, char buf[21]);
static inline ot_day ot_ts_day(ot_ts ts)
{
    return (ot_day)(ts >= 0 ? ts / 86400 : -((-ts + 86399) / 86400));
}

/* Parses a whole decimal integer (optional sign), the full span only. */
bool ot_parse_int64(const char *s, size_t len, int64_t *out);
/* Parses a finite decimal number, the full span only. */
bool ot_parse_double(const char *s, size_t len, double *out);

/* 64-bit FNV-1a-like mixing hash of a byte span (stable across runs and
 * machines: used for order ids and state digests). */
uint64_t ot_hash_bytes(const void *data, size_t len, uint64_t seed);

#endif
