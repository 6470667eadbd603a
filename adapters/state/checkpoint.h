/*
 * Checkpoints of `omnitwin stream` (docs/OPERATIONS.md): the twin and the
 * consumed position of every topic partition, in ONE file, so that the two
 * can never disagree. Restarting from a checkpoint and re-reading each
 * partition from its next offset gives the same twin as a run that never
 * stopped.
 *
 * File: DIR/checkpoint.otc, written atomically — DIR/checkpoint.otc.tmp is
 * written and fsync'ed, renamed over the old file, and DIR is fsync'ed — so
 * a crash at any instant leaves either the old or the new checkpoint.
 * Layout (little-endian): magic "OTCKPT1\n"; u32 meta length; meta (u64
 * events, u16 + bytes last plan id, u32 offset count, per offset: u16 + bytes
 * topic, i32 partition, i64 next offset); u64 snapshot length; the twin
 * snapshot (ot_twin_snapshot); u64 hash (ot_hash_bytes, seed 0x636b7074) of
 * everything before it. Any mismatch is reported as corrupt, never
 * guessed around.
 */
#ifndef OMNITWIN_CHECKPOINT_H
#define OMNITWIN_CHECKPOINT_H

#include "omnitwin/twin.h"

#define OT_CHECKPOINT_FILE "checkpoint.otc"
#define OT_CHECKPOINT_TOPIC_MAX 249        /* Kafka's own topic name limit */
#define OT_CHECKPOINT_PLAN_ID_MAX 128      /* bytes, NUL included */
#define OT_CHECKPOINT_OFFSETS_MAX 65536    /* partitions remembered */
#define OT_CHECKPOINT_MAX_BYTES (16ull << 30)

typedef struct {
    char *topic;             /* owned by the meta */
    int32_t partition;
    int64_t next_offset;     /* the first offset not yet applied */
} ot_checkpoint_offset;

/* Everything a checkpoint holds besides the twin. Embedded: _init/_release. */
typedef struct {
    uint64_t events;                             /* messages processed */
    char last_plan_id[OT_CHECKPOINT_PLAN_ID_MAX]; /* "" when none yet */
    ot_checkpoint_offset *offsets;
    size_t count, cap;
} ot_checkpoint_meta;

void ot_checkpoint_meta_init(ot_checkpoint_meta *meta);
void ot_checkpoint_meta_release(ot_checkpoint_meta *meta);

/* Index of (topic, partition) in meta->offsets, or -1. */
long ot_checkpoint_meta_find(const ot_checkpoint_meta *meta, const char *topic,
                             int32_t partition);
/* Sets the next offset of (topic, partition), adding it when new; returns
 * its index through *ix (may be NULL). OT_ERR_LIMIT past
 * OT_CHECKPOINT_OFFSETS_MAX or for a topic name longer than Kafka allows,
 * OT_ERR_NOMEM; on error meta is unchanged. */
ot_err ot_checkpoint_meta_set(ot_checkpoint_meta *meta, const char *topic,
                              int32_t partition, int64_t next_offset, long *ix);

/* Writes DIR/checkpoint.otc atomically (see above); DIR must exist.
 * On failure returns OT_ERR_IO (or OT_ERR_NOMEM), writes the reason with
 * the path into why, and the previous checkpoint is left as it was. */
ot_err ot_checkpoint_write(const char *dir, const ot_twin *twin,
                           const ot_checkpoint_meta *meta, char *why, size_t why_size);

/* Reads DIR/checkpoint.otc into a new twin (owned by the caller) and meta
 * (initialised here; release it). OT_ERR_NOT_FOUND when there is no
 * checkpoint (nothing allocated); OT_ERR_INPUT for a truncated or corrupt
 * file and OT_ERR_IO when it cannot be read, with the reason in why. */
ot_err ot_checkpoint_read(const char *dir, ot_twin **twin, ot_checkpoint_meta *meta,
                          char *why, size_t why_size);

/* Takes an exclusive lock on DIR/lock (flock, released when the process
 * exits, also by SIGKILL) so that two processes never share one state
 * directory. Returns the lock's descriptor through *fd. OT_ERR_IO with the
 * reason in why when the file cannot be opened, OT_ERR_USAGE when another
 * process holds the lock. */
ot_err ot_checkpoint_lock(const char *dir, int *fd, char *why, size_t why_size);

#endif
