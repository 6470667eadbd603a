/*
 * `omnitwin stream` (CONTRACT §6, docs/OPERATIONS.md): keeps the twin live
 * from Kafka, checkpointing it with the consumed offsets in --state DIR.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "csv/network_csv.h"
#include "kafka/kafka_stream.h"

static const char usage_text[] =
    "usage: omnitwin stream --brokers HOST:PORT [--network DIR] [--state DIR]\n"
    "                       [--group ID] [--topic-prefix P] [-X key=value]...\n"
    "                       [--checkpoint-events N] [--checkpoint-interval S]\n"
    "                       [--retry-budget S] [--status-interval S]\n"
    "                       [--max-events N] [--idle-exit S] [--print-digest]\n"
    "                       [--no-plans] [--plan-horizon DAYS] [--plan-threads N]\n"
    "                       [--transactional-id ID] [--sku-partitioner NAME]\n"
    "\n"
    "Consumes the event topics P.stock and P.orders (P is 'omnitwin' by default)\n"
    "in a consumer group and applies every message to the twin: a CSV record\n"
    "event_id,ts,type,node_id,sku,qty,ref without header, or a JSON object with\n"
    "those members. A message that cannot be applied goes to P.deadletter with\n"
    "headers reason, source.topic, source.partition, source.offset; processing\n"
    "goes on. With --state the twin and the next offset of every partition are\n"
    "saved together, atomically, every N messages or S seconds, when partitions\n"
    "are revoked and on SIGTERM/SIGINT; a restart resumes from that checkpoint,\n"
    "so a process killed at any instant ends in the same state as one that never\n"
    "stopped. Several processes with one --group split the partitions (SKUs).\n"
    "\n"
    "A message 'plan' or 'plan as_of=YYYY-MM-DD' on P.control runs the plan on\n"
    "the live twin (as omnitwin plan does) and produces the orders of the SKUs\n"
    "this process owns to P.transfer-orders (key order_id, value the orders.csv\n"
    "record) in one Kafka transaction, once, also across crashes.\n"
    "\n"
    "  --brokers LIST          bootstrap brokers, host:port[,host:port]\n"
    "  --network DIR           the network directory to start from when --state\n"
    "                          holds no checkpoint yet (required then)\n"
    "  --state DIR             checkpoint directory (created if missing); without\n"
    "                          it nothing survives the process\n"
    "  --group ID              consumer group id (default omnitwin)\n"
    "  --topic-prefix P        topic names P.stock, P.orders, P.deadletter,\n"
    "                          P.control, P.transfer-orders\n"
    "  -X key=value            a librdkafka property, for consumer and producer\n"
    "                          (repeatable; e.g. -X security.protocol=SASL_SSL\n"
    "                          -X sasl.mechanisms=PLAIN -X sasl.username=U ...);\n"
    "                          enable.auto.commit and enable.auto.offset.store are\n"
    "                          always false\n"
    "  --checkpoint-events N   checkpoint after N messages (default 100000)\n"
    "  --checkpoint-interval S checkpoint at least every S seconds (default 5)\n"
    "  --retry-budget S        give up (exit 69) when the brokers stay unreachable\n"
    "                          for S seconds (default 60)\n"
    "  --status-interval S     a status line on stderr every S seconds: messages,\n"
    "                          events/s, lag, dead letters, last checkpoint\n"
    "                          (default 5; 0 for none)\n"
    "  --max-events N          stop after N messages (tests, benchmarks)\n"
    "  --idle-exit S           stop after S seconds without a message, once\n"
    "                          nothing is left to read (tests)\n"
    "  --print-digest          print 'digest HEX' of the twin at exit (compare with\n"
    "                          omnitwin validate --print-digest)\n"
    "  --no-plans              do not read P.control (no plans, no orders)\n"
    "  --plan-horizon DAYS     plan horizon (default 14)\n"
    "  --plan-threads N        GLPK worker threads for a plan (default 1)\n"
    "  --transactional-id ID   the orders producer's transactional.id: stable per\n"
    "                          instance (default omnitwin-GROUP-HASH of --state)\n"
    "  --sku-partitioner NAME  how event producers map the SKU key to a partition:\n"
    "                          consistent_random (librdkafka, kcat; default) or\n"
    "                          murmur2_random (Java clients)\n"
    "\n"
    "exit status: 0 stopped cleanly, 64 bad usage, 65 bad network, checkpoint or\n"
    "missing topic, 69 brokers unreachable past the retry budget, 70 internal error\n"
    "example: omnitwin stream --brokers 127.0.0.1:9092 --network data/sample \\\n"
    "           --state /var/lib/omnitwin/stream\n";

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void print_note(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "%s\n", line);
}

static bool parse_count(const char *flag, const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || v > (1ull << 62)) {
        fprintf(stderr, "omnitwin stream: %s '%s' is not a whole number (expected 0 to 2^62)\n",
                flag, s);
        return false;
    }
    *out = v;
    return true;
}

static bool parse_seconds(const char *flag, const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < 0 || v > 1e7) {
        fprintf(stderr, "omnitwin stream: %s '%s' is not a number of seconds (expected 0 to "
                        "10000000)\n", flag, s);
        return false;
    }
    *out = v;
    return true;
}

/* Loads the checkpoint of state_dir, or the network when there is none. */
static int load_twin(const char *network, const char *state_dir, ot_twin **twin,
                     ot_checkpoint_meta *meta)
{
    char why[1024];
    ot_checkpoint_meta_init(meta);
    if (state_dir) {
        if (mkdir(state_dir, 0755) != 0 && errno != EEXIST) {
            fprintf(stderr, "omnitwin stream: %s: cannot create the state directory (%s)\n",
                    state_dir, strerror(errno));
            return OT_EXIT_INPUT;
        }
        int lock_fd; /* held until exit */
        ot_err err = ot_checkpoint_lock(state_dir, &lock_fd, why, sizeof why);
        if (err) {
            fprintf(stderr, "omnitwin stream: %s\n", why);
            return ot_cli_exit_status(err);
        }
        err = ot_checkpoint_read(state_dir, twin, meta, why, sizeof why);
        if (err == OT_OK) {
            fprintf(stderr, "stream: resumed from %s/%s: %llu messages, %zu partitions%s%s\n",
                    state_dir, OT_CHECKPOINT_FILE, (unsigned long long)meta->events, meta->count,
                    network ? " (--network ignored: the checkpoint holds the twin)" : "", "");
            return OT_EXIT_OK;
        }
        if (err != OT_ERR_NOT_FOUND) {
            fprintf(stderr, "omnitwin stream: %s\n", why);
            return ot_cli_exit_status(err);
        }
    }
    if (!network) {
        fprintf(stderr, "omnitwin stream: --network DIR is required when %s\n\n%s",
                state_dir ? "--state holds no checkpoint yet" : "there is no --state", usage_text);
        return OT_EXIT_USAGE;
    }
    ot_diag *diag = ot_diag_new(100);
    if (!diag)
        return OT_EXIT_INTERNAL;
    ot_err err = ot_csv_load_network(network, diag, twin, NULL);
    ot_cli_print_diag(diag);
    ot_diag_free(diag);
    if (err) {
        fprintf(stderr, "omnitwin stream: %s: the network does not load\n", network);
        return ot_cli_exit_status(err);
    }
    return OT_EXIT_OK;
}

int ot_cli_stream(int argc, char **argv)
{
    static const struct option options[] = {
        {"brokers", required_argument, NULL, 'b'},
        {"network", required_argument, NULL, 'n'},
        {"state", required_argument, NULL, 's'},
        {"group", required_argument, NULL, 'g'},
        {"topic-prefix", required_argument, NULL, 'p'},
        {"checkpoint-events", required_argument, NULL, 'E'},
        {"checkpoint-interval", required_argument, NULL, 'I'},
        {"retry-budget", required_argument, NULL, 'R'},
        {"status-interval", required_argument, NULL, 'S'},
        {"max-events", required_argument, NULL, 'M'},
        {"idle-exit", required_argument, NULL, 'i'},
        {"print-digest", no_argument, NULL, 'd'},
        {"no-plans", no_argument, NULL, 'P'},
        {"plan-horizon", required_argument, NULL, 'H'},
        {"plan-threads", required_argument, NULL, 'T'},
        {"transactional-id", required_argument, NULL, 't'},
        {"sku-partitioner", required_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    ot_stream_options opt;
    ot_stream_options_init(&opt);
    const char *network = NULL;
    bool print_digest = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "hX:", options, NULL)) != -1) {
        bool ok = true;
        switch (c) {
        case 'b': opt.brokers = optarg; break;
        case 'n': network = optarg; break;
        case 's': opt.state_dir = optarg; break;
        case 'g': opt.group = optarg; break;
        case 'p': opt.topic_prefix = optarg; break;
        case 'X':
            if (opt.prop_count == OT_STREAM_MAX_PROPS || !strchr(optarg, '=') || optarg[0] == '=') {
                fprintf(stderr, "omnitwin stream: -X '%s': expected key=value (at most %d)\n",
                        optarg, OT_STREAM_MAX_PROPS);
                return OT_EXIT_USAGE;
            }
            opt.props[opt.prop_count++] = optarg;
            break;
        case 'E':
            ok = parse_count("--checkpoint-events", optarg, &opt.checkpoint_events);
            if (ok && opt.checkpoint_events == 0) {
                fprintf(stderr, "omnitwin stream: --checkpoint-events must be at least 1\n");
                ok = false;
            }
            break;
        case 'I': ok = parse_seconds("--checkpoint-interval", optarg, &opt.checkpoint_s); break;
        case 'R': ok = parse_seconds("--retry-budget", optarg, &opt.retry_budget_s); break;
        case 'S': ok = parse_seconds("--status-interval", optarg, &opt.status_s); break;
        case 'M': ok = parse_count("--max-events", optarg, &opt.max_events); break;
        case 'i': ok = parse_seconds("--idle-exit", optarg, &opt.idle_exit_s); break;
        case 'd': print_digest = true; break;
        case 'P': opt.plans = false; break;
        case 'H':
        case 'T': {
            uint64_t v = 0;
            ok = parse_count(c == 'H' ? "--plan-horizon" : "--plan-threads", optarg, &v);
            uint64_t hi = c == 'H' ? 92 : 64;
            if (ok && (v < 1 || v > hi)) {
                fprintf(stderr, "omnitwin stream: %s %s is out of range (expected 1 to %llu)\n",
                        c == 'H' ? "--plan-horizon" : "--plan-threads", optarg,
                        (unsigned long long)hi);
                ok = false;
            }
            if (c == 'H')
                opt.plan_horizon_days = (int32_t)v;
            else
                opt.plan_threads = (int)v;
            break;
        }
        case 't': opt.transactional_id = optarg; break;
        case 'k': opt.sku_partitioner = optarg; break;
        case 'h': fputs(usage_text, stdout); return OT_EXIT_OK;
        default: fputs(usage_text, stderr); return OT_EXIT_USAGE;
        }
        if (!ok)
            return OT_EXIT_USAGE;
    }
    if (!opt.brokers || optind != argc) {
        fprintf(stderr, "omnitwin stream: %s\n\n%s",
                opt.brokers ? "unexpected argument" : "--brokers HOST:PORT is required", usage_text);
        return OT_EXIT_USAGE;
    }

    ot_twin *twin = NULL;
    ot_checkpoint_meta meta;
    int status = load_twin(network, opt.state_dir, &twin, &meta);
    if (status != OT_EXIT_OK) {
        ot_checkpoint_meta_release(&meta);
        return status;
    }

    /* A transactional id that stays the same for this instance across
     * restarts (it fences a zombie of the same instance). */
    char tid[300];
    if (!opt.transactional_id) {
        char real[4096];
        if (opt.state_dir && realpath(opt.state_dir, real))
            snprintf(tid, sizeof tid, "omnitwin-%s-%016llx", opt.group,
                     (unsigned long long)ot_hash_bytes(real, strlen(real), 0x747864));
        else
            snprintf(tid, sizeof tid, "omnitwin-%s-pid%ld", opt.group, (long)getpid());
        for (char *p = tid; *p; p++)
            if (*p == ' ')
                *p = '_';
        opt.transactional_id = tid;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    opt.stop = &stop_requested;
    opt.note = print_note;

    char why[1024] = "";
    ot_stream_stats stats;
    ot_err err = ot_stream_run(twin, &meta, &opt, &stats, why, sizeof why);
    fprintf(stderr, "stream: %s: %llu messages (%llu applied, %llu duplicates, %llu before a count, "
                    "%llu dead letters), %llu checkpoints, %.1f s, %.0f messages/s\n",
            err ? "stopped on error" : "done", (unsigned long long)stats.messages,
            (unsigned long long)stats.applied, (unsigned long long)stats.duplicates,
            (unsigned long long)stats.stale, (unsigned long long)stats.dead_letters,
            (unsigned long long)stats.checkpoints, stats.seconds,
            stats.first_to_last_s > 0 ? (double)stats.messages / stats.first_to_last_s : 0.0);
    if (opt.plans)
        fprintf(stderr, "stream: plans: %llu emitted (%llu orders), %llu answered before a restart\n",
                (unsigned long long)stats.plans, (unsigned long long)stats.orders,
                (unsigned long long)stats.plans_skipped);
    fprintf(stderr, "stream: owned at exit: %s\n", stats.owned[0] ? stats.owned : "(nothing)");
    if (err)
        fprintf(stderr, "omnitwin stream: %s\n", why[0] ? why : ot_err_str(err));
    if (print_digest)
        printf("digest %016llx\n", (unsigned long long)ot_twin_digest(twin));
    ot_twin_free(twin);
    ot_checkpoint_meta_release(&meta);
    return ot_cli_exit_status(err);
}
