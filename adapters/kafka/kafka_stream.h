/*
 * The streaming loop of `omnitwin stream` (CONTRACT §6, docs/OPERATIONS.md):
 * a librdkafka consumer group on PREFIX.stock and PREFIX.orders applies each
 * message to the twin, sends what it cannot apply to PREFIX.deadletter, and
 * checkpoints the twin with the next offset of every partition in one file
 * (adapters/state/checkpoint.h).
 *
 * Exactly once across crashes: the checkpoint is the only source of truth
 * for positions. Partitions are assigned in the rebalance callback at their
 * checkpointed offsets (the beginning of the partition when the checkpoint
 * has none: the twin has seen none of it); Kafka's committed offsets are
 * written after each checkpoint for monitoring only. Offsets are never
 * auto-stored or auto-committed. Dead letters are at least once: each
 * carries its source topic, partition and offset, so a duplicate after a
 * crash is recognisable.
 */
#ifndef OMNITWIN_KAFKA_STREAM_H
#define OMNITWIN_KAFKA_STREAM_H

#include <signal.h>

#include "omnitwin/twin.h"
#include "state/checkpoint.h"

/* Longest -X property list accepted. */
#define OT_STREAM_MAX_PROPS 64

typedef void (*ot_stream_note_fn)(void *ctx, const char *line);

typedef struct {
    const char *brokers;          /* "host:port[,host:port]" */
    const char *group;            /* consumer group id */
    const char *topic_prefix;     /* topics PREFIX.stock, PREFIX.orders, ... */
    const char *state_dir;        /* NULL: no checkpoints */
    const char *props[OT_STREAM_MAX_PROPS]; /* "key=value" for librdkafka */
    size_t prop_count;
    uint64_t max_events;          /* stop after this many messages (0: never) */
    double idle_exit_s;           /* stop after this long without a message
                                     once partitions are assigned (0: never) */
    uint64_t checkpoint_events;   /* checkpoint every N messages ... */
    double checkpoint_s;          /* ... or every T seconds */
    double retry_budget_s;        /* broker unreachable this long: OT_ERR_SERVICE */
    double status_s;              /* a status line this often (0: never) */
    volatile sig_atomic_t *stop;  /* set by a signal handler: drain and stop */
    /* Plans from PREFIX.control (docs/OPERATIONS.md §7). */
    bool plans;                   /* false: PREFIX.control is not read */
    int32_t plan_horizon_days;    /* default 14 */
    int plan_threads;             /* GLPK workers, default 1 */
    const char *transactional_id; /* stable per instance: required for plans */
    const char *sku_partitioner;  /* how producers map a SKU key to a
                                     partition: "consistent_random"
                                     (librdkafka, kcat) or "murmur2_random"
                                     (Java clients) */
    ot_stream_note_fn note;       /* status and warning lines (may be NULL) */
    void *note_ctx;
} ot_stream_options;

typedef struct {
    uint64_t messages;            /* messages consumed (all outcomes) */
    uint64_t applied, duplicates, stale;
    uint64_t dead_letters;
    uint64_t checkpoints;
    uint64_t plans;               /* plan requests answered with orders */
    uint64_t plans_skipped;       /* already emitted before a restart */
    uint64_t orders;              /* orders produced (committed) */
    double seconds;               /* wall time of the run */
    double first_to_last_s;       /* first message to last message */
    /* Partitions of the stock and orders topics owned at the end, as
     * "topic:partition" separated by spaces (for tests and operators). */
    char owned[1024];
} ot_stream_stats;

/* Sets the defaults: group "omnitwin", prefix "omnitwin", checkpoints every
 * 100000 messages or 5 s, retry budget 60 s, status every 5 s, plans on
 * with a 14-day horizon, SKU keys partitioned by consistent_random. */
void ot_stream_options_init(ot_stream_options *opt);

/* Runs the loop on *twin, starting from the positions in meta (empty for a
 * fresh start; meta->offsets is updated as messages are applied). Returns
 * when *opt->stop is set, max_events or idle_exit_s is reached, after a
 * final checkpoint. Errors: OT_ERR_SERVICE when the broker stayed
 * unreachable for retry_budget_s (a checkpoint was written if anything was
 * applied), OT_ERR_USAGE for a bad -X property, OT_ERR_IO when a checkpoint
 * cannot be written (the loop stops: going on would lose the guarantee);
 * the reason is in why. stats may be NULL. */
ot_err ot_stream_run(ot_twin *twin, ot_checkpoint_meta *meta, const ot_stream_options *opt,
                     ot_stream_stats *stats, char *why, size_t why_size);

#endif
