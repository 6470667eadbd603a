/*
 * CSV adapter (libcsv): the network directory of CONTRACT §2 and batch
 * event files of CONTRACT §3, as implemented in docs/FORMATS.md.
 *
 * Every problem is reported to the caller's ot_diag as
 * "FILE:LINE: what is wrong (expected ...)", the whole input is checked in
 * one pass (up to the collector's cap), and on any error nothing is loaded
 * or applied.
 */
#ifndef OMNITWIN_NETWORK_CSV_H
#define OMNITWIN_NETWORK_CSV_H

#include "omnitwin/twin.h"

/* Longest field accepted, in bytes; longer is an error. */
#define OT_CSV_MAX_FIELD 4096

typedef struct {
    uint64_t bytes;          /* bytes read from every file */
    uint64_t rows;           /* data rows read */
} ot_csv_load_stats;

/* Loads DIR/nodes.csv, skus.csv, routes.csv (required) and inventory.csv,
 * history.csv, pipeline.csv, policy.csv (optional) into a new twin owned by
 * the caller (ot_twin_free). On error returns OT_ERR_INPUT or OT_ERR_IO,
 * *out stays NULL and diag holds every problem. stats may be NULL. */
ot_err ot_csv_load_network(const char *dir, ot_diag *diag, ot_twin **out,
                           ot_csv_load_stats *stats);

typedef struct {
    uint64_t read;           /* event rows read */
    uint64_t applied;        /* changed the twin */
    uint64_t duplicates;     /* event_id seen before */
    uint64_t stale;          /* at or before the latest count: on-hand kept */
} ot_event_stats;

/* Reads a batch event file (header event_id,ts,type,node_id,sku,qty,ref)
 * and applies it to the twin, all or nothing: every row is checked first;
 * on any error returns OT_ERR_INPUT and the twin is unchanged. */
ot_err ot_csv_apply_events(ot_twin *twin, const char *path, ot_diag *diag,
                           ot_event_stats *stats);

/* One event record without header (a Kafka message value in CSV form):
 * fields copied into `storage` so that the spans outlive the input. */
typedef struct {
    ot_event_fields fields;
    char storage[1024];
} ot_event_record;

/* Splits one CSV record of exactly 7 fields (or 6: ref left out; RFC 4180,
 * trailing newline optional). A record without quotes is split in one pass
 * without allocating (the streaming hot path); others go through libcsv.
 * Returns OT_ERR_INPUT with a reason in why otherwise. */
ot_err ot_csv_split_event(const char *data, size_t len, ot_event_record *out,
                          char *why, size_t why_size);

#endif
