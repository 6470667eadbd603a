/* Kafka adapter: message values as events (CSV and JSON), and the stream
 * loop against librdkafka's in-process mock cluster (error paths, offsets,
 * dead letters). The real broker is exercised by the integration tests. */
#include <check.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kafka/kafka_event.h"
#include "kafka/kafka_plan.h"
#include "kafka/kafka_stream.h"

Suite *ot_suite_kafka(void);

static void expect_fields(const ot_event_record *r, const char *const want[OT_EVENT_FIELDS])
{
    for (int i = 0; i < OT_EVENT_FIELDS; i++) {
        ck_assert_uint_eq(r->fields.len[i], strlen(want[i]));
        ck_assert_msg(memcmp(r->fields.ptr[i], want[i], r->fields.len[i]) == 0,
                      "field %d: '%.*s' expected '%s'", i, (int)r->fields.len[i],
                      r->fields.ptr[i], want[i]);
    }
}

static ot_err decode(const char *value, ot_event_record *r, char *why)
{
    return ot_kafka_event_decode(value, strlen(value), r, why, 256);
}

START_TEST(csv_plain)
{
    ot_event_record r;
    char why[256];
    const char *want[] = {"e1", "2025-01-02T10:00:00Z", "sale", "ST1", "A", "3", "R9"};
    ck_assert_int_eq(decode("e1,2025-01-02T10:00:00Z,sale,ST1,A,3,R9", &r, why), OT_OK);
    expect_fields(&r, want);
    ck_assert_int_eq(decode("e1,2025-01-02T10:00:00Z,sale,ST1,A,3,R9\n", &r, why), OT_OK);
    expect_fields(&r, want);
    const char *no_ref[] = {"e2", "2025-01-02", "count", "ST1", "A", "40", ""};
    ck_assert_int_eq(decode("e2,2025-01-02,count,ST1,A,40,", &r, why), OT_OK);
    expect_fields(&r, no_ref);
    ck_assert_int_eq(decode("e2,2025-01-02,count,ST1,A,40", &r, why), OT_OK); /* ref left out */
    expect_fields(&r, no_ref);
}
END_TEST

START_TEST(csv_quoted_and_errors)
{
    ot_event_record r;
    char why[256];
    const char *want[] = {"e3", "2025-01-02", "receipt", "ST1", "A", "6", "PO 1, line \"2\""};
    ck_assert_int_eq(decode("e3,2025-01-02,receipt,ST1,A,6,\"PO 1, line \"\"2\"\"\"", &r, why), OT_OK);
    expect_fields(&r, want);
    ck_assert_int_eq(decode("a,b,c", &r, why), OT_ERR_INPUT);
    ck_assert_str_eq(why, "3 fields (expected 7: event_id,ts,type,node_id,sku,qty,ref)");
    ck_assert_int_eq(decode("a,b,c,d,e,f,g,h", &r, why), OT_ERR_INPUT);
    ck_assert_str_eq(why, "8 fields (expected 7: event_id,ts,type,node_id,sku,qty,ref)");
    ck_assert_int_eq(ot_kafka_event_decode("", 0, &r, why, sizeof why), OT_ERR_INPUT);
    ck_assert_str_eq(why, "empty message value (expected an event record)");
    ck_assert_int_eq(ot_kafka_event_decode(NULL, 0, &r, why, sizeof why), OT_ERR_INPUT);
}
END_TEST

START_TEST(json_object)
{
    ot_event_record r;
    char why[256];
    const char *want[] = {"e4", "2025-01-02T10:00:00Z", "adjust", "ST1", "A", "-2", ""};
    ck_assert_int_eq(decode("  {\"event_id\":\"e4\",\"ts\":\"2025-01-02T10:00:00Z\",\"type\":\"adjust\","
                            "\"node_id\":\"ST1\",\"sku\":\"A\",\"qty\":-2,\"ref\":null,\"extra\":[1]}",
                            &r, why), OT_OK);
    expect_fields(&r, want);
    /* qty as a string, ref absent */
    ck_assert_int_eq(decode("{\"event_id\":\"e4\",\"ts\":\"2025-01-02T10:00:00Z\",\"type\":\"adjust\","
                            "\"node_id\":\"ST1\",\"sku\":\"A\",\"qty\":\"-2\"}", &r, why), OT_OK);
    expect_fields(&r, want);
}
END_TEST

START_TEST(json_errors)
{
    ot_event_record r;
    char why[256];
    ck_assert_int_eq(decode("{\"event_id\":\"e5\",\"ts\":\"2025-01-02\"}", &r, why), OT_ERR_INPUT);
    ck_assert_str_eq(why, "JSON member \"type\" is missing (expected a string)");
    ck_assert_int_eq(decode("{\"event_id\":\"e5\",\"ts\":\"x\",\"type\":\"sale\",\"node_id\":\"S\","
                            "\"sku\":\"A\",\"qty\":1.5}", &r, why), OT_ERR_INPUT);
    ck_assert_str_eq(why, "JSON member \"qty\" is of the wrong type (expected an integer or a string)");
    ck_assert_int_eq(decode("{\"event_id\":\"a\",\"event_id\":\"b\"}", &r, why), OT_ERR_INPUT);
    ck_assert_msg(strstr(why, "invalid JSON") && strstr(why, "duplicate"), "%s", why);
    ck_assert_int_eq(decode("{\"event_id\": ", &r, why), OT_ERR_INPUT);
    ck_assert_msg(strncmp(why, "invalid JSON at byte", 20) == 0, "%s", why);
    ck_assert_int_eq(decode("{} trailing", &r, why), OT_ERR_INPUT);
    ck_assert_int_eq(decode("[1,2]", &r, why), OT_ERR_INPUT); /* not '{': read as CSV, 1 field */
    ck_assert_str_eq(why, "2 fields (expected 7: event_id,ts,type,node_id,sku,qty,ref)");
    ck_assert_int_eq(decode("{\"event_id\":\"a\\u0000b\",\"ts\":\"x\",\"type\":\"sale\","
                            "\"node_id\":\"S\",\"sku\":\"A\",\"qty\":1}", &r, why), OT_ERR_INPUT);
    ck_assert_msg(strstr(why, "\\u0000 is not allowed") != NULL, "%s", why);
}
END_TEST

START_TEST(too_long)
{
    static char big[OT_KAFKA_EVENT_MAX_BYTES + 2];
    memset(big, 'x', sizeof big - 1);
    ot_event_record r;
    char why[256];
    ck_assert_int_eq(ot_kafka_event_decode(big, sizeof big - 1, &r, why, sizeof why), OT_ERR_INPUT);
    ck_assert_str_eq(why, "message value of 65537 bytes is too long (expected at most 65536)");
    /* Fields that fit a message but not the record storage. */
    char longid[1200];
    memset(longid, 'e', 1100);
    snprintf(longid + 1100, sizeof longid - 1100, ",t,sale,S,A,1,");
    ck_assert_int_eq(decode(longid, &r, why), OT_ERR_INPUT);
    ck_assert_str_eq(why, "record longer than 1024 bytes");
}
END_TEST

START_TEST(control_messages)
{
    bool has;
    ot_day day, want;
    char why[256];
    ck_assert_int_eq(ot_stream_parse_control("plan", 4, &has, &day, why, sizeof why), OT_OK);
    ck_assert(!has);
    ck_assert_int_eq(ot_stream_parse_control(" plan\n", 6, &has, &day, why, sizeof why), OT_OK);
    ck_assert(!has);
    const char *msg = "plan as_of=2025-02-03\n";
    ck_assert_int_eq(ot_stream_parse_control(msg, strlen(msg), &has, &day, why, sizeof why), OT_OK);
    ck_assert(has);
    ck_assert(ot_date_parse("2025-02-03", 10, &want));
    ck_assert_int_eq(day, want);
    msg = "plan  as_of=2025-02-30";
    ck_assert_int_eq(ot_stream_parse_control(msg, strlen(msg), &has, &day, why, sizeof why), OT_ERR_INPUT);
    ck_assert_str_eq(why, "control message 'plan  as_of=2025-02-30' is not a command (expected 'plan' "
                          "or 'plan as_of=YYYY-MM-DD')");
    ck_assert_int_eq(ot_stream_parse_control("planet", 6, &has, &day, why, sizeof why), OT_ERR_INPUT);
    ck_assert_int_eq(ot_stream_parse_control("plan horizon=3", 14, &has, &day, why, sizeof why), OT_ERR_INPUT);
    ck_assert_int_eq(ot_stream_parse_control("", 0, &has, &day, why, sizeof why), OT_ERR_INPUT);
    ck_assert_int_eq(ot_stream_parse_control(NULL, 0, &has, &day, why, sizeof why), OT_ERR_INPUT);
}
END_TEST

/* ---- The stream loop on librdkafka's mock cluster ---------------------------- */

static rd_kafka_t *mock_rk;
static char mock_brokers[256];

static void mock_up(void)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    char err[256];
    ck_assert_int_eq(rd_kafka_conf_set(conf, "test.mock.num.brokers", "1", err, sizeof err),
                     RD_KAFKA_CONF_OK);
    rd_kafka_conf_set(conf, "log_level", "0", err, sizeof err);
    mock_rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    ck_assert_ptr_nonnull(mock_rk);
    rd_kafka_mock_cluster_t *mc = rd_kafka_handle_mock_cluster(mock_rk);
    ck_assert_ptr_nonnull(mc);
    snprintf(mock_brokers, sizeof mock_brokers, "%s", rd_kafka_mock_cluster_bootstraps(mc));
    ck_assert_int_eq(rd_kafka_mock_topic_create(mc, "m.stock", 2, 1), 0);
    ck_assert_int_eq(rd_kafka_mock_topic_create(mc, "m.orders", 2, 1), 0);
    ck_assert_int_eq(rd_kafka_mock_topic_create(mc, "m.deadletter", 1, 1), 0);
}

static void mock_produce(const char *topic, int32_t partition, const char *value)
{
    ck_assert_int_eq(rd_kafka_producev(mock_rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
                                       RD_KAFKA_V_VALUE((void *)value, strlen(value)),
                                       RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END),
                     RD_KAFKA_RESP_ERR_NO_ERROR);
}

static ot_twin *store_twin(void)
{
    ot_twin *t = ot_twin_new(0);
    const ot_node_info n = {"ST1", OT_NODE_STORE, "", false, 0, 0, INFINITY};
    ck_assert_int_eq(ot_twin_add_node(t, &n, NULL), OT_OK);
    const ot_sku_info a = {"A", "", 1, 0.01, 1, 1, 1}, b = {"B", "", 1, 0.01, 1, 1, 1};
    ck_assert_int_eq(ot_twin_add_sku(t, &a, NULL), OT_OK);
    ck_assert_int_eq(ot_twin_add_sku(t, &b, NULL), OT_OK);
    ck_assert_int_eq(ot_twin_seal_catalog(t, 1, 0), OT_OK);
    ck_assert_int_eq(ot_twin_set_on_hand(t, 0, 0, 10), OT_OK);
    ck_assert_int_eq(ot_twin_set_on_hand(t, 0, 1, 20), OT_OK);
    return t;
}

static void mock_options(ot_stream_options *opt)
{
    ot_stream_options_init(opt);
    opt->brokers = mock_brokers;
    opt->group = "unit";
    opt->topic_prefix = "m";
    opt->status_s = 0;
    opt->retry_budget_s = 10;
    opt->props[opt->prop_count++] = "log_level=0";
    opt->plans = false; /* the mock cluster has no control topic */
}

START_TEST(stream_applies_and_dead_letters)
{
    mock_up();
    mock_produce("m.orders", 0, "e1,2025-01-02T10:00:00Z,sale,ST1,A,3,");
    mock_produce("m.orders", 1, "{\"event_id\":\"e2\",\"ts\":\"2025-01-02T11:00:00Z\",\"type\":\"sale\","
                                "\"node_id\":\"ST1\",\"sku\":\"B\",\"qty\":5}");
    mock_produce("m.stock", 0, "e3,2025-01-02T12:00:00Z,receipt,ST1,A,6,");
    mock_produce("m.stock", 0, "e4,2025-01-02T12:00:00Z,receipt,ST1,NOPE,6,"); /* dead letter */
    mock_produce("m.orders", 0, "e1,2025-01-02T10:00:00Z,sale,ST1,A,3,");     /* duplicate */
    ck_assert_int_eq(rd_kafka_flush(mock_rk, 5000), RD_KAFKA_RESP_ERR_NO_ERROR);

    ot_twin *t = store_twin();
    ot_checkpoint_meta meta;
    ot_checkpoint_meta_init(&meta);
    ot_stream_options opt;
    mock_options(&opt);
    opt.max_events = 5;
    ot_stream_stats stats;
    char why[512] = "";
    ot_err err = ot_stream_run(t, &meta, &opt, &stats, why, sizeof why);
    ck_assert_msg(err == OT_OK, "%s", why);
    ck_assert_uint_eq(stats.messages, 5);
    ck_assert_uint_eq(stats.applied, 3);
    ck_assert_uint_eq(stats.duplicates, 1);
    ck_assert_uint_eq(stats.dead_letters, 1);
    ck_assert_int_eq(ot_twin_on_hand(t, 0, 0), 10 - 3 + 6);
    ck_assert_int_eq(ot_twin_on_hand(t, 0, 1), 20 - 5);
    /* Next offsets: orders/0 read 2 messages, orders/1 one, stock/0 two. */
    ck_assert_int_eq(meta.offsets[ot_checkpoint_meta_find(&meta, "m.orders", 0)].next_offset, 2);
    ck_assert_int_eq(meta.offsets[ot_checkpoint_meta_find(&meta, "m.orders", 1)].next_offset, 1);
    ck_assert_int_eq(meta.offsets[ot_checkpoint_meta_find(&meta, "m.stock", 0)].next_offset, 2);
    ck_assert_uint_eq(meta.events, 5);

    /* Restarting from these offsets reads nothing again. */
    uint64_t digest = ot_twin_digest(t);
    opt.max_events = 0;
    opt.idle_exit_s = 1;
    err = ot_stream_run(t, &meta, &opt, &stats, why, sizeof why);
    ck_assert_msg(err == OT_OK, "%s", why);
    ck_assert_uint_eq(stats.messages, 0);
    ck_assert_uint_eq(ot_twin_digest(t), digest);

    ot_twin_free(t);
    ot_checkpoint_meta_release(&meta);
    rd_kafka_destroy(mock_rk);
}
END_TEST

START_TEST(stream_missing_topic)
{
    mock_up();
    ot_twin *t = store_twin();
    ot_checkpoint_meta meta;
    ot_checkpoint_meta_init(&meta);
    ot_stream_options opt;
    mock_options(&opt);
    opt.topic_prefix = "other";
    char why[512] = "";
    ck_assert_int_eq(ot_stream_run(t, &meta, &opt, NULL, why, sizeof why), OT_ERR_NOT_FOUND);
    ck_assert_msg(strstr(why, "topic 'other.stock' does not exist") != NULL, "%s", why);
    ot_twin_free(t);
    ot_checkpoint_meta_release(&meta);
    rd_kafka_destroy(mock_rk);
}
END_TEST

START_TEST(stream_bad_property)
{
    ot_twin *t = store_twin();
    ot_checkpoint_meta meta;
    ot_checkpoint_meta_init(&meta);
    ot_stream_options opt;
    ot_stream_options_init(&opt);
    opt.brokers = "127.0.0.1:1";
    opt.props[opt.prop_count++] = "no.such.property=1";
    char why[512] = "";
    ck_assert_int_eq(ot_stream_run(t, &meta, &opt, NULL, why, sizeof why), OT_ERR_USAGE);
    ck_assert_msg(strstr(why, "-X no.such.property=1: No such configuration property") != NULL, "%s", why);
    opt.props[0] = "=1";
    ck_assert_int_eq(ot_stream_run(t, &meta, &opt, NULL, why, sizeof why), OT_ERR_USAGE);
    ck_assert_str_eq(why, "-X '=1': expected key=value");
    ot_twin_free(t);
    ot_checkpoint_meta_release(&meta);
}
END_TEST

START_TEST(stream_unreachable)
{
    ot_twin *t = store_twin();
    ot_checkpoint_meta meta;
    ot_checkpoint_meta_init(&meta);
    ot_stream_options opt;
    ot_stream_options_init(&opt);
    opt.brokers = "127.0.0.1:1";
    opt.retry_budget_s = 1;
    opt.props[opt.prop_count++] = "log_level=0";
    char why[512] = "";
    ck_assert_int_eq(ot_stream_run(t, &meta, &opt, NULL, why, sizeof why), OT_ERR_SERVICE);
    ck_assert_msg(strstr(why, "brokers 127.0.0.1:1 unreachable") != NULL, "%s", why);
    ot_twin_free(t);
    ot_checkpoint_meta_release(&meta);
}
END_TEST

/* SUP -> DC -> S1, lane DC->S1 carries 10 units a day; SKUs A and B sell
 * 10 a day each at S1 and are stocked at the DC. */
static ot_twin *shared_lane_twin(void)
{
    ot_twin *t = ot_twin_new(0);
    const ot_node_info nodes[] = {{"SUP", OT_NODE_SUPPLIER, "", false, 0, 0, INFINITY},
                                  {"DC", OT_NODE_DC, "", false, 0, 0, INFINITY},
                                  {"S1", OT_NODE_STORE, "", false, 0, 0, INFINITY}};
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(ot_twin_add_node(t, &nodes[i], NULL), OT_OK);
    const ot_sku_info skus[] = {{"A", "", 1, 0.01, 5, 1, 1}, {"B", "", 1, 0.01, 5, 1, 1}};
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(ot_twin_add_sku(t, &skus[i], NULL), OT_OK);
    ot_day first;
    ot_date_parse("2025-01-01", 10, &first);
    ck_assert_int_eq(ot_twin_seal_catalog(t, first, first + 27), OT_OK);
    const ot_lane_info lanes[] = {{0, 1, 1, 0.1, INFINITY, ""}, {1, 2, 1, 0.1, 10, ""}};
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(ot_twin_add_lane(t, &lanes[i], NULL), OT_OK);
    for (ot_sku_ix s = 0; s < 2; s++) {
        ck_assert_int_eq(ot_twin_set_on_hand(t, 1, s, 1000), OT_OK);
        for (int d = 0; d < 28; d++)
            ck_assert_int_eq(ot_twin_add_demand(t, 2, s, first + d, 10), OT_OK);
    }
    return t;
}

/* Units shipped on lane DC->S1 per ship date, over the orders' records. */
static double max_daily_on_lane(const ot_stream_orders *o, const char *sku_only, size_t *orders)
{
    char dates[64][32];
    double units[64];
    size_t days = 0;
    *orders = 0;
    for (size_t i = 0; i < o->count; i++) {
        char f[9][32];
        const char *p = o->record[i];
        for (int k = 0; k < 9; k++) {
            size_t n = strcspn(p, ",");
            snprintf(f[k], sizeof f[k], "%.*s", (int)n, p);
            p += n + (p[n] == ',');
        }
        if (strcmp(f[4], "DC") != 0 || strcmp(f[5], "S1") != 0)
            continue;
        ck_assert(!sku_only || strcmp(f[3], sku_only) == 0);
        (*orders)++;
        size_t d = 0;
        while (d < days && strcmp(dates[d], f[7]) != 0)
            d++;
        if (d == days) {
            ck_assert_uint_lt(days, 64);
            snprintf(dates[days], sizeof dates[days], "%s", f[7]);
            units[days++] = 0;
        }
        units[d] += strtod(f[6], NULL);
    }
    double max = 0;
    for (size_t d = 0; d < days; d++)
        max = units[d] > max ? units[d] : max;
    return max;
}

START_TEST(instances_divide_a_shared_lane)
{
    ot_twin *t = shared_lane_twin();
    /* the shares: half of the lane into S1, and half of the network for
     * the supplier lane (the DC has no demand of its own) */
    double demand[3 * 2 * 14] = {0}; /* [(node * 2 + sku) * 14 + day] */
    for (size_t d = 0; d < 14; d++) {
        demand[(2 * 2 + 0) * 14 + d] = 10; /* S1, A */
        demand[(2 * 2 + 1) * 14 + d] = 30; /* S1, B */
    }
    bool only_a[2] = {true, false};
    double shares[2];
    ot_stream_lane_shares(t, demand, 14, only_a, shares);
    ck_assert(fabs(shares[0] - 0.25) < 1e-12 && fabs(shares[1] - 0.25) < 1e-12);

    ot_day as_of;
    ot_date_parse("2025-01-29", 10, &as_of);
    ot_stream_orders all, mine;
    char why[512];
    size_t n_all, n_mine;
    ck_assert_int_eq(ot_stream_plan(t, true, as_of, 14, 1, NULL, &all, why, sizeof why), OT_OK);
    ck_assert_int_eq(ot_stream_plan(t, true, as_of, 14, 1, only_a, &mine, why, sizeof why), OT_OK);
    /* alone, the instance fills the lane with both SKUs; owning A only, it
     * ships A alone and within A's half of the lane */
    ck_assert(max_daily_on_lane(&all, NULL, &n_all) <= 10 + 1e-9);
    ck_assert(max_daily_on_lane(&mine, "A", &n_mine) <= 5 + 1e-9);
    ck_assert_uint_gt(n_mine, 0);
    ot_stream_orders_release(&all);
    ot_stream_orders_release(&mine);
    ot_twin_free(t);
}
END_TEST

Suite *ot_suite_kafka(void)
{
    Suite *s = suite_create("kafka");
    TCase *tc = tcase_create("event values");
    tcase_add_test(tc, csv_plain);
    tcase_add_test(tc, csv_quoted_and_errors);
    tcase_add_test(tc, json_object);
    tcase_add_test(tc, json_errors);
    tcase_add_test(tc, too_long);
    tcase_add_test(tc, control_messages);
    suite_add_tcase(s, tc);
    tc = tcase_create("shared lanes");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, instances_divide_a_shared_lane);
    suite_add_tcase(s, tc);
    tc = tcase_create("stream loop");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, stream_applies_and_dead_letters);
    tcase_add_test(tc, stream_missing_topic);
    tcase_add_test(tc, stream_bad_property);
    tcase_add_test(tc, stream_unreachable);
    suite_add_tcase(s, tc);
    return s;
}
