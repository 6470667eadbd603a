/* The streaming loop: consumer group, dead letters, checkpoints. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <librdkafka/rdkafka.h>
#include <string.h>
#include <time.h>

#include "kafka/kafka_event.h"
#include "kafka/kafka_plan.h"
#include "kafka/kafka_stream.h"
#include "text.h"

typedef struct {
    const ot_stream_options *opt;
    ot_twin *twin;
    ot_checkpoint_meta *meta;
    ot_stream_stats *stats;
    rd_kafka_t *consumer, *producer;
    rd_kafka_topic_partition_list_t *owned;
    char topic_stock[256], topic_orders[256], topic_dead[256];
    bool cooperative;
    bool assigned_once;
    bool dirty;                  /* applied since the last checkpoint */
    double last_checkpoint, last_message, last_status, started, first_message;
    uint64_t status_messages;    /* messages at the last status line */
    double down_since;           /* 0: brokers reachable */
    double last_probe;
    uint64_t delivery_failures;
    char delivery_error[256];
    ot_err fatal;                /* set in a callback: stop the loop */
    char *why;
    size_t why_size;
    /* Plans: the control consumer (assign, no group), the transactional
     * producer of orders, and the done-markers seen while catching up. */
    rd_kafka_t *control, *orders_producer;
    char topic_control[256], topic_out[256];
    int32_t control_partitions, sku_partitions;
    bool control_caught_up;
    double last_control_poll;
    struct done_marker { int32_t partition; int64_t offset; char plan_id[OT_STREAM_PLAN_ID_MAX]; } *done;
    size_t done_count;
    bool planning;               /* a plan thread reads the twin: no event applied */
    /* The applier thread (docs/OPERATIONS.md §2): this thread polls and
     * pushes messages into a ring, the applier decodes and applies them.
     * Whatever reads the twin or the offsets here first drains the ring
     * (drain(): every pushed message applied), which also orders the
     * applier's writes before those reads. */
    pthread_t applier;
    bool applier_running;
    rd_kafka_message_t **ring;
    atomic_size_t ring_tail;     /* pushed (this thread) */
    atomic_size_t ring_head;     /* applied (the applier) */
    atomic_int applier_sleeping, applier_stop, apply_failed;
    pthread_mutex_t applier_mu;
    pthread_cond_t applier_cv;
    uint64_t pushed, pushed_since_checkpoint;
    uint64_t produce_failures;   /* dead letters refused (applier thread) */
    char apply_why[256];
    /* Cache of the partition slot of the previous message. */
    const rd_kafka_topic_t *last_rkt;
    int32_t last_partition;
    long last_ix;
} stream;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void note(const stream *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(const stream *st, const char *fmt, ...)
{
    if (!st->opt->note)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    ot_text_vformat(line, sizeof line, fmt, ap);
    va_end(ap);
    st->opt->note(st->opt->note_ctx, line);
}

void ot_stream_options_init(ot_stream_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->group = "omnitwin";
    opt->topic_prefix = "omnitwin";
    opt->checkpoint_events = 100000;
    opt->checkpoint_s = 5;
    opt->retry_budget_s = 60;
    opt->status_s = 5;
    opt->plans = true;
    opt->plan_horizon_days = 14;
    opt->plan_threads = 1;
    opt->sku_partitioner = "consistent_random";
}

/* ---- Configuration ------------------------------------------------------- */

static bool conf_set(rd_kafka_conf_t *conf, const char *key, const char *value,
                     char *why, size_t why_size)
{
    char err[512];
    if (rd_kafka_conf_set(conf, key, value, err, sizeof err) == RD_KAFKA_CONF_OK)
        return true;
    ot_text_format(why, why_size, "-X %s=%s: %s", key, value, err);
    return false;
}

/* Defaults, then the user's -X properties, then the settings the exactly-
 * once design depends on (which -X may not change). */
static rd_kafka_conf_t *make_conf(const ot_stream_options *opt, const char *const *defaults,
                                  const char *const *forced, char *why, size_t why_size)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    bool ok = conf_set(conf, "bootstrap.servers", opt->brokers, why, why_size);
    for (size_t i = 0; ok && defaults[i]; i += 2)
        ok = conf_set(conf, defaults[i], defaults[i + 1], why, why_size);
    for (size_t i = 0; ok && i < opt->prop_count; i++) {
        const char *eq = strchr(opt->props[i], '=');
        char key[256];
        if (!eq || eq == opt->props[i] || (size_t)(eq - opt->props[i]) >= sizeof key) {
            ot_text_format(why, why_size, "-X '%s': expected key=value", opt->props[i]);
            ok = false;
            break;
        }
        memcpy(key, opt->props[i], (size_t)(eq - opt->props[i]));
        key[eq - opt->props[i]] = '\0';
        ok = conf_set(conf, key, eq + 1, why, why_size);
    }
    for (size_t i = 0; ok && forced && forced[i]; i += 2)
        ok = conf_set(conf, forced[i], forced[i + 1], why, why_size);
    if (!ok) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    return conf;
}

/* A client from the defaults, the user's -X and the forced settings, with
 * this stream as opaque and its error callback; `customise` adds more
 * callbacks. NULL with the reason in st->why. */
static rd_kafka_t *new_client(stream *st, rd_kafka_type_t type, const char *const *defaults,
                              const char *const *forced, void (*customise)(rd_kafka_conf_t *),
                              const char *what);

/* ---- Checkpoints ------------------------------------------------------- */

static void commit_to_kafka(stream *st)
{
    if (!st->owned || st->owned->cnt == 0)
        return;
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(st->owned->cnt);
    for (int i = 0; i < st->owned->cnt; i++) {
        const rd_kafka_topic_partition_t *tp = &st->owned->elems[i];
        long ix = ot_checkpoint_meta_find(st->meta, tp->topic, tp->partition);
        if (ix >= 0)
            rd_kafka_topic_partition_list_add(list, tp->topic, tp->partition)->offset =
                st->meta->offsets[ix].next_offset;
    }
    if (list->cnt > 0)
        rd_kafka_commit(st->consumer, list, 1); /* informational: async */
    rd_kafka_topic_partition_list_destroy(list);
}

static void drain(stream *st);

/* Waits for the applier, flushes the dead letters, then writes the
 * checkpoint. Returns false when the checkpoint could not be written now
 * (it is retried later, or st->fatal says why not). */
static bool checkpoint(stream *st)
{
    drain(st);
    st->pushed_since_checkpoint = 0;
    double t = now_s();
    if (!st->dirty) {
        st->last_checkpoint = t;
        return true;
    }
    /* Dead letters produced before the checkpoint must be delivered before
     * it claims their source messages as done. */
    if (rd_kafka_flush(st->producer, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        note(st, "stream: warning: dead letters not yet delivered; checkpoint postponed");
        st->last_checkpoint = t;
        return false;
    }
    if (st->delivery_failures || st->produce_failures) {
        st->fatal = OT_ERR_SERVICE;
        ot_text_format(st->why, st->why_size, "%llu dead letter(s) could not be delivered to %s: %s",
                       (unsigned long long)(st->delivery_failures + st->produce_failures),
                       st->topic_dead, st->delivery_error);
        return false;
    }
    if (st->opt->state_dir) {
        ot_err err = ot_checkpoint_write(st->opt->state_dir, st->twin, st->meta, st->why, st->why_size);
        if (err) {
            st->fatal = err;
            return false;
        }
        st->stats->checkpoints++;
    }
    st->dirty = false;
    st->last_checkpoint = now_s();
    commit_to_kafka(st);
    return true;
}

/* ---- Rebalancing ----------------------------------------------------------- */

static void describe(const rd_kafka_topic_partition_list_t *parts, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int i = 0; i < parts->cnt && at + 1 < size; i++)
        at += ot_text_format(buf + at, size - at, "%s%s:%d", i ? " " : "", parts->elems[i].topic,
                             (int)parts->elems[i].partition);
}

static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                         rd_kafka_topic_partition_list_t *parts, void *opaque)
{
    stream *st = opaque;
    drain(st); /* the applier is idle while partitions change hands */
    char list[768];
    describe(parts, list, sizeof list);
    const char *protocol = rd_kafka_rebalance_protocol(rk);
    st->cooperative = protocol && strcmp(protocol, "COOPERATIVE") == 0;
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        /* Start each partition where the checkpoint says; a partition the
         * checkpoint has never seen is read from its beginning, because the
         * twin holds none of its events. */
        for (int i = 0; i < parts->cnt; i++) {
            long ix = ot_checkpoint_meta_find(st->meta, parts->elems[i].topic, parts->elems[i].partition);
            parts->elems[i].offset = ix >= 0 ? st->meta->offsets[ix].next_offset
                                             : RD_KAFKA_OFFSET_BEGINNING;
        }
        if (st->cooperative)
            rd_kafka_error_destroy(rd_kafka_incremental_assign(rk, parts));
        else
            rd_kafka_assign(rk, parts);
        if (!st->cooperative && st->owned) {
            rd_kafka_topic_partition_list_destroy(st->owned);
            st->owned = NULL;
        }
        if (!st->owned)
            st->owned = rd_kafka_topic_partition_list_new(parts->cnt);
        for (int i = 0; i < parts->cnt; i++)
            rd_kafka_topic_partition_list_add(st->owned, parts->elems[i].topic, parts->elems[i].partition);
        if (st->planning)
            rd_kafka_pause_partitions(rk, parts);
        st->assigned_once = true;
        st->last_message = now_s();
        note(st, "stream: assigned %s", parts->cnt ? list : "(nothing)");
    } else {
        /* Revoked (or lost): save the twin and positions before another
         * member may start on these partitions. */
        checkpoint(st);
        if (st->cooperative) {
            rd_kafka_error_destroy(rd_kafka_incremental_unassign(rk, parts));
            for (int i = 0; st->owned && i < parts->cnt; i++)
                rd_kafka_topic_partition_list_del(st->owned, parts->elems[i].topic, parts->elems[i].partition);
        } else {
            rd_kafka_assign(rk, NULL);
            if (st->owned)
                rd_kafka_topic_partition_list_destroy(st->owned);
            st->owned = NULL;
        }
        st->last_rkt = NULL;
        note(st, "stream: %s %s", err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS ? "revoked" : "lost",
             parts->cnt ? list : "(nothing)");
    }
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    stream *st = opaque;
    if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
        if (st->down_since == 0)
            st->down_since = now_s();
        note(st, "stream: warning: all brokers down (%s); retrying for up to %.0f s",
             reason, st->opt->retry_budget_s);
    } else if (err == RD_KAFKA_RESP_ERR__FATAL) {
        char fatal[512];
        rd_kafka_fatal_error(rk, fatal, sizeof fatal);
        st->fatal = OT_ERR_SERVICE;
        ot_text_format(st->why, st->why_size, "fatal Kafka client error: %s", fatal);
    } else if (err != RD_KAFKA_RESP_ERR__TRANSPORT) {
        note(st, "stream: warning: %s: %s", rd_kafka_err2name(err), reason);
    }
}

static void delivery_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    stream *st = opaque;
    if (m->err) {
        st->delivery_failures++;
        ot_text_format(st->delivery_error, sizeof st->delivery_error, "%s", rd_kafka_err2str(m->err));
    }
}

/* ---- Messages ---------------------------------------------------------------- */

static void dead_letter(stream *st, const rd_kafka_message_t *m, const char *reason)
{
    char partition[16], offset[24];
    ot_text_format(partition, sizeof partition, "%d", (int)m->partition);
    ot_text_format(offset, sizeof offset, "%lld", (long long)m->offset);
    const char *topic = rd_kafka_topic_name(m->rkt);
    for (;;) {
        rd_kafka_resp_err_t err = rd_kafka_producev(
            st->producer, RD_KAFKA_V_TOPIC(st->topic_dead),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
            RD_KAFKA_V_KEY(m->key, m->key_len), RD_KAFKA_V_VALUE(m->payload, m->len),
            RD_KAFKA_V_HEADER("reason", reason, (ssize_t)strlen(reason)),
            RD_KAFKA_V_HEADER("source.topic", topic, (ssize_t)strlen(topic)),
            RD_KAFKA_V_HEADER("source.partition", partition, (ssize_t)strlen(partition)),
            RD_KAFKA_V_HEADER("source.offset", offset, (ssize_t)strlen(offset)),
            RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            /* The polling thread serves the delivery reports that free room. */
            struct timespec pause = {0, 1000000};
            nanosleep(&pause, NULL);
            continue;
        }
        if (err) {
            st->produce_failures++;
            ot_text_format(st->apply_why, sizeof st->apply_why, "%s", rd_kafka_err2str(err));
        }
        break;
    }
    st->stats->dead_letters++;
}

/* The slot of (topic, partition) in the checkpoint meta, cached. */
static long offset_slot(stream *st, const rd_kafka_message_t *m)
{
    if (m->rkt == st->last_rkt && m->partition == st->last_partition)
        return st->last_ix;
    const char *topic = rd_kafka_topic_name(m->rkt);
    long ix = ot_checkpoint_meta_find(st->meta, topic, m->partition);
    if (ix < 0) {
        ot_err err = ot_checkpoint_meta_set(st->meta, topic, m->partition, 0, &ix);
        if (err) {
            ot_text_format(st->apply_why, sizeof st->apply_why, "cannot track partition %s:%d (%s)",
                           topic, (int)m->partition, ot_err_str(err));
            atomic_store(&st->apply_failed, (int)err);
            return -1;
        }
    }
    st->last_rkt = m->rkt;
    st->last_partition = m->partition;
    st->last_ix = ix;
    return ix;
}

/* On the applier thread. */
static void handle_message(stream *st, const rd_kafka_message_t *m)
{
    long ix = offset_slot(st, m);
    if (ix < 0)
        return;
    ot_checkpoint_offset *pos = &st->meta->offsets[ix];
    if (m->offset < pos->next_offset)
        return; /* delivered again (e.g. after a broker restart): applied already */

    char why[512];
    ot_event_record rec;
    ot_event ev;
    ot_apply_outcome outcome;
    if (ot_kafka_event_decode(m->payload, m->len, &rec, why, sizeof why) == OT_OK &&
        ot_event_parse(st->twin, &rec.fields, &ev, why, sizeof why) == OT_OK &&
        ot_twin_apply_event(st->twin, &ev, &outcome, why, sizeof why) == OT_OK) {
        if (outcome == OT_APPLIED)
            st->stats->applied++;
        else if (outcome == OT_DUPLICATE)
            st->stats->duplicates++;
        else
            st->stats->stale++;
    } else {
        dead_letter(st, m, why);
    }
    pos->next_offset = m->offset + 1;
    st->meta->events++;
    st->stats->messages++;
    st->dirty = true;
}

/* ---- The applier thread ------------------------------------------------------ */

#define RING_SIZE 8192u /* messages in flight between the two threads */

static void *applier_main(void *arg)
{
    stream *st = arg;
    size_t head = atomic_load(&st->ring_head);
    for (;;) {
        if (head != atomic_load(&st->ring_tail)) {
            rd_kafka_message_t *m = st->ring[head % RING_SIZE];
            if (!atomic_load(&st->apply_failed))
                handle_message(st, m);
            rd_kafka_message_destroy(m);
            atomic_store(&st->ring_head, ++head);
            continue;
        }
        if (atomic_load(&st->applier_stop))
            break;
        pthread_mutex_lock(&st->applier_mu);
        atomic_store(&st->applier_sleeping, 1);
        while (head == atomic_load(&st->ring_tail) && !atomic_load(&st->applier_stop))
            pthread_cond_wait(&st->applier_cv, &st->applier_mu);
        atomic_store(&st->applier_sleeping, 0);
        pthread_mutex_unlock(&st->applier_mu);
    }
    return NULL;
}

static void wake_applier(stream *st)
{
    if (atomic_load(&st->applier_sleeping)) {
        pthread_mutex_lock(&st->applier_mu);
        pthread_cond_signal(&st->applier_cv);
        pthread_mutex_unlock(&st->applier_mu);
    }
}

/* Hands a message to the applier (or applies it here when there is none). */
static void push(stream *st, rd_kafka_message_t *m)
{
    st->pushed++;
    st->pushed_since_checkpoint++;
    if (!st->applier_running) {
        handle_message(st, m);
        rd_kafka_message_destroy(m);
        return;
    }
    size_t tail = atomic_load(&st->ring_tail);
    while (tail - atomic_load(&st->ring_head) >= RING_SIZE) { /* full */
        wake_applier(st);
        rd_kafka_poll(st->producer, 1); /* delivery reports free dead-letter room */
    }
    st->ring[tail % RING_SIZE] = m;
    atomic_store(&st->ring_tail, tail + 1);
    wake_applier(st);
}

/* Waits until every pushed message is applied. */
static void drain(stream *st)
{
    if (!st->applier_running)
        return;
    while (atomic_load(&st->ring_head) != atomic_load(&st->ring_tail)) {
        wake_applier(st);
        sched_yield();
    }
    int failed = atomic_load(&st->apply_failed);
    if (failed && !st->fatal) {
        st->fatal = (ot_err)failed;
        ot_text_format(st->why, st->why_size, "%s", st->apply_why);
    }
}

static bool start_applier(stream *st)
{
    st->ring = ot_calloc(RING_SIZE, sizeof *st->ring);
    if (!st->ring || pthread_mutex_init(&st->applier_mu, NULL) != 0)
        return false;
    if (pthread_cond_init(&st->applier_cv, NULL) != 0) {
        pthread_mutex_destroy(&st->applier_mu);
        return false;
    }
    if (pthread_create(&st->applier, NULL, applier_main, st) != 0) {
        pthread_cond_destroy(&st->applier_cv);
        pthread_mutex_destroy(&st->applier_mu);
        return false;
    }
    st->applier_running = true;
    return true;
}

static void stop_applier(stream *st)
{
    if (st->applier_running) {
        drain(st);
        atomic_store(&st->applier_stop, 1);
        pthread_mutex_lock(&st->applier_mu);
        pthread_cond_signal(&st->applier_cv);
        pthread_mutex_unlock(&st->applier_mu);
        pthread_join(st->applier, NULL);
        pthread_cond_destroy(&st->applier_cv);
        pthread_mutex_destroy(&st->applier_mu);
        st->applier_running = false;
    }
    ot_free(st->ring);
    st->ring = NULL;
}

/* ---- Status --------------------------------------------------------------------- */

static int64_t lag(stream *st)
{
    int64_t total = 0;
    for (int i = 0; st->owned && i < st->owned->cnt; i++) {
        const rd_kafka_topic_partition_t *tp = &st->owned->elems[i];
        int64_t lo = 0, hi = 0;
        if (rd_kafka_get_watermark_offsets(st->consumer, tp->topic, tp->partition, &lo, &hi) ||
            hi < 0)
            continue;
        long ix = ot_checkpoint_meta_find(st->meta, tp->topic, tp->partition);
        int64_t pos = ix >= 0 ? st->meta->offsets[ix].next_offset : lo;
        if (hi > pos)
            total += hi - pos;
    }
    return total;
}

static void status(stream *st, double t)
{
    drain(st);
    double span = t - st->last_status;
    uint64_t n = st->stats->messages - st->status_messages;
    note(st, "stream: %llu messages (%.0f/s), lag %lld, %llu dead letters, last checkpoint %.1f s ago%s",
         (unsigned long long)st->stats->messages, span > 0 ? (double)n / span : 0.0,
         (long long)lag(st), (unsigned long long)st->stats->dead_letters,
         t - st->last_checkpoint, st->down_since ? ", brokers DOWN" : "");
    st->last_status = t;
    st->status_messages = st->stats->messages;
}

static rd_kafka_t *new_client(stream *st, rd_kafka_type_t type, const char *const *defaults,
                              const char *const *forced, void (*customise)(rd_kafka_conf_t *),
                              const char *what)
{
    rd_kafka_conf_t *conf = make_conf(st->opt, defaults, forced, st->why, st->why_size);
    if (!conf)
        return NULL;
    rd_kafka_conf_set_opaque(conf, st);
    rd_kafka_conf_set_error_cb(conf, error_cb);
    if (customise)
        customise(conf);
    char err[512];
    rd_kafka_t *rk = rd_kafka_new(type, conf, err, sizeof err);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        ot_text_format(st->why, st->why_size, "cannot create the %s: %s", what, err);
    }
    return rk;
}

static void group_callbacks(rd_kafka_conf_t *conf) { rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb); }
static void delivery_callbacks(rd_kafka_conf_t *conf) { rd_kafka_conf_set_dr_msg_cb(conf, delivery_cb); }

/* ---- Plans from the control topic ------------------------------------------------ */

/* The slot of (topic, partition) in meta, added at offset `start` when new. */
static long meta_slot(stream *st, const char *topic, int32_t partition, int64_t start)
{
    long ix = ot_checkpoint_meta_find(st->meta, topic, partition);
    if (ix >= 0)
        return ix;
    ot_err err = ot_checkpoint_meta_set(st->meta, topic, partition, start, &ix);
    if (err) {
        st->fatal = err;
        ot_text_format(st->why, st->why_size, "cannot track partition %s:%d (%s)", topic,
                       (int)partition, ot_err_str(err));
        return -1;
    }
    st->dirty = true;
    return ix;
}

static ot_err setup_plans(stream *st)
{
    const ot_stream_options *opt = st->opt;
    if (!opt->transactional_id || !*opt->transactional_id || strchr(opt->transactional_id, ' ')) {
        ot_text_format(st->why, st->why_size, "plans need a transactional id without blanks "
                       "(stable for this instance)");
        return OT_ERR_USAGE;
    }
    if (strcmp(opt->sku_partitioner, "consistent_random") != 0 &&
        strcmp(opt->sku_partitioner, "murmur2_random") != 0) {
        ot_text_format(st->why, st->why_size, "SKU partitioner '%s' is unknown (expected "
                       "consistent_random or murmur2_random)", opt->sku_partitioner);
        return OT_ERR_USAGE;
    }
    static const char *const control_defaults[] = {"auto.offset.reset", "earliest",
                                                   "fetch.wait.max.ms", "100", NULL};
    static const char *const txn_defaults[] = {"linger.ms", "5", NULL};
    char group[300];
    ot_text_format(group, sizeof group, "%s.control", opt->group); /* assign only: never joins */
    const char *const control_forced[] = {
        "enable.auto.commit", "false", "enable.auto.offset.store", "false",
        "isolation.level", "read_committed", "group.id", group, NULL};
    const char *const txn_forced[] = {"transactional.id", opt->transactional_id,
                                      "enable.idempotence", "true", NULL};
    st->control = new_client(st, RD_KAFKA_CONSUMER, control_defaults, control_forced, NULL,
                             "control consumer");
    if (!st->control)
        return OT_ERR_USAGE;
    st->orders_producer = new_client(st, RD_KAFKA_PRODUCER, txn_defaults, txn_forced, NULL,
                                     "orders producer");
    if (!st->orders_producer)
        return OT_ERR_USAGE;
    /* Fences an older process with the same id and aborts its open
     * transaction: orders of an interrupted plan are never visible. */
    rd_kafka_error_t *e = rd_kafka_init_transactions(st->orders_producer, 60000);
    if (e) {
        ot_text_format(st->why, st->why_size, "cannot start transactions (transactional.id %s): %s",
                       opt->transactional_id, rd_kafka_error_string(e));
        rd_kafka_error_destroy(e);
        return OT_ERR_SERVICE;
    }
    /* Control partitions start at the checkpoint; a fresh instance starts
     * at the end (only requests from now on), written down at once. */
    rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(st->control_partitions);
    for (int32_t p = 0; p < st->control_partitions; p++) {
        long ix = ot_checkpoint_meta_find(st->meta, st->topic_control, p);
        if (ix < 0) {
            int64_t lo = 0, hi = 0;
            rd_kafka_resp_err_t r = rd_kafka_query_watermark_offsets(st->control, st->topic_control,
                                                                     p, &lo, &hi, 10000);
            if (r) {
                rd_kafka_topic_partition_list_destroy(parts);
                ot_text_format(st->why, st->why_size, "cannot read the end of %s:%d: %s",
                               st->topic_control, (int)p, rd_kafka_err2str(r));
                return OT_ERR_SERVICE;
            }
            ix = meta_slot(st, st->topic_control, p, hi);
            if (ix < 0) {
                rd_kafka_topic_partition_list_destroy(parts);
                return st->fatal;
            }
        }
        rd_kafka_topic_partition_list_add(parts, st->topic_control, p)->offset =
            st->meta->offsets[ix].next_offset;
    }
    rd_kafka_resp_err_t r = rd_kafka_assign(st->control, parts);
    rd_kafka_topic_partition_list_destroy(parts);
    if (r) {
        ot_text_format(st->why, st->why_size, "cannot assign %s: %s", st->topic_control,
                       rd_kafka_err2str(r));
        return OT_ERR_SERVICE;
    }
    if (st->dirty)
        checkpoint(st);
    return st->fatal;
}

/* A NUL-terminated copy of a message value, cut at size - 1 bytes. */
static void value_text(const rd_kafka_message_t *m, char *buf, size_t size)
{
    size_t n = m->len < size - 1 ? m->len : size - 1;
    if (n)
        memcpy(buf, m->payload, n);
    buf[n] = '\0';
}

/* "planned partition=P offset=O by=TID plan_id=ID orders=N": the marker a
 * plan's transaction ends with. True when m is one written by us. */
static bool our_marker(const stream *st, const rd_kafka_message_t *m, struct done_marker *out)
{
    char text[1024], by[300];
    value_text(m, text, sizeof text);
    int partition;
    long long offset;
    if (sscanf(text, "planned partition=%d offset=%lld by=%299s plan_id=%127s", &partition,
               &offset, by, out->plan_id) != 4)
        return false;
    out->partition = partition;
    out->offset = offset;
    return strcmp(by, st->opt->transactional_id) == 0;
}

static bool is_marker(const rd_kafka_message_t *m)
{
    return m->len >= 8 && memcmp(m->payload, "planned ", 8) == 0;
}

/* True when SKU s belongs to a partition of PREFIX.orders that we own
 * (producers key events by SKU, with opt->sku_partitioner). */
static bool sku_owned(const stream *st, const bool *owned, const char *sku)
{
    if (!owned)
        return true;
    size_t len = strlen(sku);
    int32_t p = strcmp(st->opt->sku_partitioner, "murmur2_random") == 0
                    ? rd_kafka_msg_partitioner_murmur2_random(NULL, sku, len, st->sku_partitions, NULL, NULL)
                    : rd_kafka_msg_partitioner_consistent_random(NULL, sku, len, st->sku_partitions, NULL, NULL);
    return p >= 0 && p < st->sku_partitions && owned[p];
}

static ot_err txn_fail(stream *st, rd_kafka_error_t *e, const char *what)
{
    ot_text_format(st->why, st->why_size, "cannot %s the plan's orders: %s", what,
                   rd_kafka_error_string(e));
    if (rd_kafka_error_txn_requires_abort(e)) {
        rd_kafka_error_t *a = rd_kafka_abort_transaction(st->orders_producer, 30000);
        if (a)
            rd_kafka_error_destroy(a);
    }
    rd_kafka_error_destroy(e);
    return OT_ERR_SERVICE;
}

/* The partitions of PREFIX.orders we own, one flag each, in *out; NULL
 * when we own them all (or the topic is not partitioned by SKU). */
static ot_err owned_partitions(const stream *st, bool **out)
{
    *out = NULL;
    if (st->sku_partitions <= 0)
        return OT_OK;
    bool *owned = ot_calloc((size_t)st->sku_partitions, sizeof *owned);
    if (!owned)
        return OT_ERR_NOMEM;
    int owned_count = 0;
    for (int i = 0; st->owned && i < st->owned->cnt; i++) {
        const rd_kafka_topic_partition_t *tp = &st->owned->elems[i];
        if (strcmp(tp->topic, st->topic_orders) == 0 && tp->partition >= 0 &&
            tp->partition < st->sku_partitions && !owned[tp->partition]) {
            owned[tp->partition] = true;
            owned_count++;
        }
    }
    if (owned_count == st->sku_partitions) /* everything: no need to ask */
        ot_free(owned);
    else
        *out = owned;
    return OT_OK;
}

/* Which SKUs this instance plans, one flag a SKU in *out; NULL when all. */
static ot_err owned_skus(const stream *st, bool **out)
{
    bool *parts;
    *out = NULL;
    ot_err err = owned_partitions(st, &parts);
    if (err || !parts)
        return err;
    size_t skus = ot_twin_sku_count(st->twin);
    bool *owned = ot_calloc(skus ? skus : 1, sizeof *owned);
    if (!owned) {
        ot_free(parts);
        return OT_ERR_NOMEM;
    }
    for (size_t s = 0; s < skus; s++) {
        ot_sku_info si;
        ot_twin_sku(st->twin, (ot_sku_ix)s, &si);
        owned[s] = sku_owned(st, parts, si.id);
    }
    ot_free(parts);
    *out = owned;
    return OT_OK;
}

/* Produces the orders of our SKUs and the done-marker in one transaction. */
static ot_err emit_orders(stream *st, const rd_kafka_message_t *request, const ot_stream_orders *o,
                          size_t *emitted)
{
    bool *owned;
    ot_err oerr = owned_partitions(st, &owned);
    if (oerr)
        return oerr;
    *emitted = 0;
    rd_kafka_error_t *e = rd_kafka_begin_transaction(st->orders_producer);
    if (e) {
        ot_free(owned);
        return txn_fail(st, e, "begin a transaction for");
    }
    for (size_t i = 0; i < o->count; i++) {
        ot_sku_info si;
        ot_twin_sku(st->twin, o->sku[i], &si);
        if (!sku_owned(st, owned, si.id))
            continue;
        rd_kafka_resp_err_t r;
        while ((r = rd_kafka_producev(st->orders_producer, RD_KAFKA_V_TOPIC(st->topic_out),
                                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                      RD_KAFKA_V_KEY(o->order_id[i], strlen(o->order_id[i])),
                                      RD_KAFKA_V_VALUE(o->record[i], strlen(o->record[i])),
                                      RD_KAFKA_V_END)) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
            rd_kafka_poll(st->orders_producer, 100);
        if (r) {
            ot_free(owned);
            return txn_fail(st, rd_kafka_error_new(r, "%s", rd_kafka_err2str(r)), "produce");
        }
        (*emitted)++;
    }
    ot_free(owned);
    char marker[600];
    size_t n = ot_text_format(marker, sizeof marker, "planned partition=%d offset=%lld by=%s "
                              "plan_id=%s orders=%zu", (int)request->partition,
                              (long long)request->offset, st->opt->transactional_id, o->plan_id,
                              *emitted);
    rd_kafka_resp_err_t r = rd_kafka_producev(
        st->orders_producer, RD_KAFKA_V_TOPIC(st->topic_control),
        RD_KAFKA_V_PARTITION(request->partition), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_VALUE(marker, n), RD_KAFKA_V_END);
    if (r)
        return txn_fail(st, rd_kafka_error_new(r, "%s", rd_kafka_err2str(r)), "mark");
    e = rd_kafka_commit_transaction(st->orders_producer, 120000);
    if (e)
        return txn_fail(st, e, "commit");
    return OT_OK;
}

typedef struct {
    const ot_twin *twin;
    const bool *owned;      /* per SKU; NULL: all */
    bool has_as_of;
    ot_day as_of;
    int32_t horizon_days;
    int threads;
    ot_stream_orders orders;
    ot_err err;
    char why[512];
    atomic_int done;
} plan_job;

static void *plan_main(void *p)
{
    plan_job *j = p;
    j->err = ot_stream_plan(j->twin, j->has_as_of, j->as_of, j->horizon_days, j->threads,
                            j->owned, &j->orders, j->why, sizeof j->why);
    ot_stream_plan_thread_exit();
    atomic_store(&j->done, 1);
    return NULL;
}

/* Plans on a thread while this one keeps polling the group, so that a long
 * plan never exceeds max.poll.interval.ms. The twin is only read meanwhile:
 * the owned partitions are paused (and any partition assigned during the
 * plan), and a message that still arrives is sought back to be read again. */
static ot_err plan_while_polling(stream *st, plan_job *job)
{
    pthread_t tid;
    if (pthread_create(&tid, NULL, plan_main, job) != 0) {
        plan_main(job);
        return job->err;
    }
    st->planning = true;
    if (st->owned)
        rd_kafka_pause_partitions(st->consumer, st->owned);
    while (!atomic_load(&job->done)) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(st->consumer, 100);
        if (m) {
            if (!m->err)
                rd_kafka_seek(m->rkt, m->partition, m->offset, 0);
            rd_kafka_message_destroy(m);
        }
        rd_kafka_poll(st->producer, 0);
    }
    pthread_join(tid, NULL);
    st->planning = false;
    if (st->owned)
        rd_kafka_resume_partitions(st->consumer, st->owned);
    st->last_message = now_s(); /* planning is not idling */
    return job->err;
}

static bool already_done(const stream *st, const rd_kafka_message_t *m, const char **plan_id)
{
    for (size_t i = 0; i < st->done_count; i++)
        if (st->done[i].partition == m->partition && st->done[i].offset == m->offset) {
            *plan_id = st->done[i].plan_id;
            return true;
        }
    return false;
}

/* Handles one control message. Returns false when it was left unanswered
 * (stopping, or a checkpoint failed): nothing after it may be handled. */
static bool handle_control(stream *st, const rd_kafka_message_t *m)
{
    if (m->err) {
        if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
            note(st, "stream: warning: control: %s", rd_kafka_message_errstr(m));
        return true;
    }
    long ix = meta_slot(st, st->topic_control, m->partition, 0);
    if (ix < 0)
        return false;
    if (m->offset < st->meta->offsets[ix].next_offset)
        return true;
    char why[512];
    bool has_as_of;
    ot_day as_of;
    const char *done_id = NULL;
    if (is_marker(m)) {
        /* a plan's marker: nothing to do */
    } else if (ot_stream_parse_control(m->payload, m->len, &has_as_of, &as_of, why, sizeof why)) {
        dead_letter(st, m, why);
    } else if (already_done(st, m, &done_id)) {
        st->stats->plans_skipped++;
        ot_text_format(st->meta->last_plan_id, sizeof st->meta->last_plan_id, "%s", done_id);
        note(st, "stream: plan request %s:%lld was answered before the restart (plan %s)",
             st->topic_control, (long long)m->offset, done_id);
    } else {
        /* Save the twin exactly as the plan sees it: a crash from here on
         * replans from this state, to the same orders. */
        st->dirty = true;
        if (!checkpoint(st) && st->fatal)
            return false; /* not advanced: the restart reads this request again */
        double t0 = now_s();
        bool *owned = NULL;
        ot_err err = owned_skus(st, &owned);
        plan_job job = {.twin = st->twin, .owned = owned, .has_as_of = has_as_of,
                        .as_of = as_of, .horizon_days = st->opt->plan_horizon_days,
                        .threads = st->opt->plan_threads};
        if (!err)
            err = plan_while_polling(st, &job);
        ot_free(owned);
        ot_stream_orders orders = job.orders;
        if (st->opt->stop && *st->opt->stop) {
            /* Stopping: not emitted, not advanced; the next start plans again. */
            ot_stream_orders_release(&orders);
            return false;
        }
        if (err) {
            ot_text_format(why, sizeof why, "%s", job.why);
            dead_letter(st, m, why);
            note(st, "stream: warning: plan request %s:%lld: %s", st->topic_control,
                 (long long)m->offset, why);
        } else {
            size_t emitted = 0;
            err = emit_orders(st, m, &orders, &emitted);
            if (err) {
                ot_stream_orders_release(&orders);
                st->fatal = err;
                return false;
            }
            st->stats->plans++;
            st->stats->orders += emitted;
            ot_text_format(st->meta->last_plan_id, sizeof st->meta->last_plan_id, "%s", orders.plan_id);
            note(st, "stream: plan %s: %zu orders (%zu of our SKUs) to %s in %.1f s",
                 orders.plan_id, orders.count, emitted, st->topic_out, now_s() - t0);
            ot_stream_orders_release(&orders);
        }
    }
    st->meta->offsets[ix].next_offset = m->offset + 1;
    st->dirty = true;
    if (!is_marker(m))
        checkpoint(st);
    return true;
}

/* Reads the control topic up to its end before any plan is made, keeping
 * the markers of our earlier plans so that none is emitted twice. */
static void catch_up_control(stream *st)
{
    enum { MAX_PENDING = 100000 };
    drain(st);
    rd_kafka_message_t **pending = ot_calloc(MAX_PENDING, sizeof *pending);
    if (!pending) {
        st->fatal = OT_ERR_NOMEM;
        return;
    }
    size_t n = 0;
    int64_t *high = ot_calloc((size_t)st->control_partitions + 1, sizeof *high);
    int64_t *seen = ot_calloc((size_t)st->control_partitions + 1, sizeof *seen);
    for (int32_t p = 0; high && seen && p < st->control_partitions; p++) {
        int64_t lo = 0;
        if (rd_kafka_query_watermark_offsets(st->control, st->topic_control, p, &lo, &high[p], 10000))
            high[p] = 0;
        long ix = ot_checkpoint_meta_find(st->meta, st->topic_control, p);
        seen[p] = ix >= 0 ? st->meta->offsets[ix].next_offset : 0;
    }
    double start = now_s(), last = start;
    /* The high watermark may lie past the last message (a transaction's
     * commit marker is never delivered): a quiet spell also ends it. */
    while (high && seen && n < MAX_PENDING && now_s() - start < 30 && now_s() - last < 0.6) {
        bool behind = false;
        for (int32_t p = 0; p < st->control_partitions; p++)
            behind |= seen[p] < high[p];
        if (!behind)
            break;
        rd_kafka_message_t *m = rd_kafka_consumer_poll(st->control, 200);
        if (!m)
            continue;
        last = now_s();
        if (!m->err && m->partition >= 0 && m->partition < st->control_partitions)
            seen[m->partition] = m->offset + 1;
        pending[n++] = m;
    }
    for (size_t i = 0; i < n; i++) {
        struct done_marker d;
        if (pending[i]->err || !our_marker(st, pending[i], &d))
            continue;
        struct done_marker *grown = ot_reallocarray(st->done, st->done_count + 1, sizeof *grown);
        if (!grown) {
            st->fatal = OT_ERR_NOMEM;
            break;
        }
        st->done = grown;
        st->done[st->done_count++] = d;
    }
    bool go_on = true;
    for (size_t i = 0; i < n; i++) {
        if (go_on && !st->fatal)
            go_on = handle_control(st, pending[i]);
        rd_kafka_message_destroy(pending[i]);
    }
    ot_free(pending);
    ot_free(high);
    ot_free(seen);
    st->control_caught_up = true;
}

static void poll_control(stream *st, double t)
{
    st->last_control_poll = t;
    for (int i = 0; i < 100 && !st->fatal; i++) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(st->control, 0);
        if (!m)
            break;
        drain(st);
        bool go_on = handle_control(st, m);
        rd_kafka_message_destroy(m);
        if (!go_on)
            break; /* the loop is stopping; the checkpoint still points here */
    }
}

/* ---- Setup ---------------------------------------------------------------------- */

/* Waits (bounded by the retry budget) until the brokers answer, and checks
 * that the topics exist. */
static ot_err probe(stream *st)
{
    double start = now_s();
    for (;;) {
        const struct rd_kafka_metadata *md = NULL;
        rd_kafka_resp_err_t err = rd_kafka_metadata(st->consumer, 1, NULL, &md, 2000);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            const char *need[] = {st->topic_stock, st->topic_orders, st->topic_dead,
                                  st->topic_control, st->topic_out};
            size_t needed = st->opt->plans ? OT_ARRAY_LEN(need) : 3;
            ot_err result = OT_OK;
            for (size_t k = 0; k < needed && !result; k++) {
                bool found = false;
                for (int i = 0; i < md->topic_cnt; i++) {
                    if (strcmp(md->topics[i].topic, need[k]) != 0 || md->topics[i].err != 0)
                        continue;
                    found = true;
                    if (k == 1)
                        st->sku_partitions = md->topics[i].partition_cnt;
                    if (k == 3)
                        st->control_partitions = md->topics[i].partition_cnt;
                }
                if (!found) {
                    ot_text_format(st->why, st->why_size,
                                   "topic '%s' does not exist on %s (expected the topics that "
                                   "scripts/kafka/topics.sh creates%s)", need[k], st->opt->brokers,
                                   k >= 3 ? "; --no-plans does without the control and orders topics" : "");
                    result = OT_ERR_NOT_FOUND;
                }
            }
            rd_kafka_metadata_destroy(md);
            return result;
        }
        if (now_s() - start >= st->opt->retry_budget_s) {
            ot_text_format(st->why, st->why_size, "brokers %s unreachable for %.0f s (%s)",
                           st->opt->brokers, now_s() - start, rd_kafka_err2str(err));
            return OT_ERR_SERVICE;
        }
        note(st, "stream: waiting for brokers %s (%s)", st->opt->brokers, rd_kafka_err2str(err));
        if (st->opt->stop && *st->opt->stop)
            return OT_ERR_SERVICE;
    }
}

static ot_err setup(stream *st)
{
    const ot_stream_options *opt = st->opt;
    size_t plen = strlen(opt->topic_prefix);
    if (plen == 0 || plen > 200) {
        ot_text_format(st->why, st->why_size, "topic prefix '%s' must be 1 to 200 bytes", opt->topic_prefix);
        return OT_ERR_USAGE;
    }
    ot_text_format(st->topic_stock, sizeof st->topic_stock, "%s.stock", opt->topic_prefix);
    ot_text_format(st->topic_orders, sizeof st->topic_orders, "%s.orders", opt->topic_prefix);
    ot_text_format(st->topic_dead, sizeof st->topic_dead, "%s.deadletter", opt->topic_prefix);
    ot_text_format(st->topic_control, sizeof st->topic_control, "%s.control", opt->topic_prefix);
    ot_text_format(st->topic_out, sizeof st->topic_out, "%s.transfer-orders", opt->topic_prefix);

    static const char *const consumer_defaults[] = {
        "auto.offset.reset", "earliest",
        /* Fail over within seconds when an instance is killed. */
        "session.timeout.ms", "6000", "heartbeat.interval.ms", "1500",
        "enable.partition.eof", "false",
        /* Keep a deep prefetch queue: measured 2-3x throughput over the
         * default 100000 (docs/BENCHMARKS.md section 5). */
        "queued.min.messages", "1000000",
        NULL};
    const char *const consumer_forced[] = {
        "enable.auto.commit", "false", "enable.auto.offset.store", "false",
        "group.id", opt->group, NULL};
    static const char *const producer_defaults[] = {"linger.ms", "5", NULL};
    static const char *const producer_forced[] = {"enable.idempotence", "true", NULL};
    st->consumer = new_client(st, RD_KAFKA_CONSUMER, consumer_defaults, consumer_forced,
                              group_callbacks, "Kafka consumer");
    if (!st->consumer)
        return OT_ERR_USAGE;
    st->producer = new_client(st, RD_KAFKA_PRODUCER, producer_defaults, producer_forced,
                              delivery_callbacks, "Kafka producer");
    if (!st->producer)
        return OT_ERR_USAGE;
    rd_kafka_poll_set_consumer(st->consumer);

    ot_err e = probe(st);
    if (!e && opt->plans)
        e = setup_plans(st);
    if (e)
        return e;
    rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(2);
    rd_kafka_topic_partition_list_add(topics, st->topic_stock, RD_KAFKA_PARTITION_UA);
    rd_kafka_topic_partition_list_add(topics, st->topic_orders, RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t rerr = rd_kafka_subscribe(st->consumer, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (rerr) {
        ot_text_format(st->why, st->why_size, "cannot subscribe: %s", rd_kafka_err2str(rerr));
        return OT_ERR_SERVICE;
    }
    return OT_OK;
}

/* ---- The loop ---------------------------------------------------------------------- */

/* True when the loop should stop; sets st->fatal for an error stop. */
static bool should_stop(stream *st, double t)
{
    const ot_stream_options *opt = st->opt;
    if (st->fatal || (opt->stop && *opt->stop) || atomic_load(&st->apply_failed))
        return true;
    if (opt->max_events && st->pushed >= opt->max_events)
        return true;
    /* Idle means no message while the brokers are reachable and nothing
     * is left to read. */
    if (opt->idle_exit_s > 0 && st->assigned_once && !st->down_since &&
        t - st->last_message >= opt->idle_exit_s) {
        drain(st);
        if (lag(st) == 0)
            return true;
        st->last_message = t; /* lag left: look again after another spell */
    }
    if (st->down_since && t - st->down_since >= opt->retry_budget_s) {
        st->fatal = OT_ERR_SERVICE;
        ot_text_format(st->why, st->why_size, "brokers %s unreachable for %.0f s (retry budget %.0f s)",
                       opt->brokers, t - st->down_since, opt->retry_budget_s);
        return true;
    }
    return false;
}

/* While brokers are down, ask for metadata now and then to see them back. */
static void probe_recovery(stream *st, double t)
{
    if (!st->down_since || t - st->last_probe < 1.0)
        return;
    st->last_probe = t;
    const struct rd_kafka_metadata *md = NULL;
    if (rd_kafka_metadata(st->consumer, 0, NULL, &md, 500) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        rd_kafka_metadata_destroy(md);
        note(st, "stream: brokers reachable again after %.1f s", now_s() - st->down_since);
        st->down_since = 0;
        st->last_message = now_s();
    }
}

ot_err ot_stream_run(ot_twin *twin, ot_checkpoint_meta *meta, const ot_stream_options *opt,
                     ot_stream_stats *stats, char *why, size_t why_size)
{
    ot_stream_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    stream st = {.opt = opt, .twin = twin, .meta = meta, .stats = stats, .why = why,
                 .why_size = why_size, .last_ix = -1};
    st.started = st.last_checkpoint = st.last_status = st.last_message = now_s();
    ot_err err = setup(&st);
    if (!err && !start_applier(&st))
        note(&st, "stream: warning: no applier thread; applying on the polling thread");
    double t = now_s();
    while (!err && !should_stop(&st, t)) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(st.consumer, 100);
        /* The clock is read once per 64 messages in a flood (it costs as
         * much as a tenth of an event); status and checkpoint timing need
         * no better. */
        if (!m || (st.pushed & 63) == 0)
            t = now_s();
        /* Plans wait for the first assignment (the SKUs we own) and for
         * the control topic to be read up to its end. */
        if (opt->plans && st.assigned_once && !st.control_caught_up && !st.fatal)
            catch_up_control(&st);
        else if (opt->plans && st.control_caught_up && t - st.last_control_poll >= 0.1)
            poll_control(&st, t);
        if (m) {
            if (!m->err) {
                if (st.pushed == 0)
                    st.first_message = t;
                st.last_message = t;
                push(&st, m); /* the applier destroys it */
                if (st.down_since) {
                    note(&st, "stream: brokers reachable again after %.1f s", t - st.down_since);
                    st.down_since = 0;
                }
            } else {
                if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
                    note(&st, "stream: warning: %s", rd_kafka_message_errstr(m));
                rd_kafka_message_destroy(m);
            }
        } else {
            probe_recovery(&st, t);
        }
        if (!m || (st.pushed & 1023) == 0)
            rd_kafka_poll(st.producer, 0); /* delivery reports of dead letters */
        if (st.pushed_since_checkpoint >= opt->checkpoint_events ||
            (st.pushed_since_checkpoint && t - st.last_checkpoint >= opt->checkpoint_s))
            checkpoint(&st);
        if (opt->status_s > 0 && t - st.last_status >= opt->status_s)
            status(&st, t);
    }
    drain(&st);
    if (st.fatal && !err)
        err = st.fatal;
    if (st.consumer && st.producer && (!err || err == OT_ERR_SERVICE)) {
        /* Final checkpoint while the partitions are still ours. */
        if (st.owned)
            describe(st.owned, stats->owned, sizeof stats->owned);
        ot_err before = st.fatal;
        checkpoint(&st);
        if (!err && st.fatal && st.fatal != before)
            err = st.fatal;
    }
    if (st.consumer) {
        if (!err) {
            /* revoke: nothing dirty left (the applier is still there for
             * the drain of the rebalance callback) */
            rd_kafka_consumer_close(st.consumer);
            rd_kafka_destroy(st.consumer);
        } else {
            /* Leaving the group needs the broker that may be gone. */
            rd_kafka_destroy_flags(st.consumer, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
        }
    }
    if (st.producer) {
        rd_kafka_flush(st.producer, 5000);
        rd_kafka_destroy(st.producer);
    }
    if (st.control) {
        if (!err)
            rd_kafka_consumer_close(st.control);
        rd_kafka_destroy_flags(st.control, err ? RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE : 0);
    }
    if (st.orders_producer)
        rd_kafka_destroy(st.orders_producer);
    stop_applier(&st);
    ot_free(st.done);
    if (st.owned)
        rd_kafka_topic_partition_list_destroy(st.owned);
    stats->seconds = now_s() - st.started;
    stats->first_to_last_s = stats->messages ? st.last_message - st.first_message : 0;
    return err;
}
