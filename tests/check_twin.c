/* The twin: events applied exactly once, counts, pipeline, history,
 * de-duplication window, snapshots. Built in memory: no files. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omnitwin/twin.h"

Suite *ot_suite_twin(void);

enum { SUP, DC, S1, S2 };
enum { A, B };

static ot_twin *tiny(size_t window)
{
    ot_twin *t = ot_twin_new(window);
    ck_assert_ptr_nonnull(t);
    const ot_node_info nodes[] = {
        {"SUP1", OT_NODE_SUPPLIER, "", false, 0, 0, INFINITY},
        {"DC1", OT_NODE_DC, "R1", true, 52.0, 5.0, 100000},
        {"S1", OT_NODE_STORE, "R1", true, 52.1, 5.1, 500},
        {"S2", OT_NODE_STORE, "R1", true, 52.2, 5.2, INFINITY}};
    for (size_t i = 0; i < 4; i++) {
        ot_node_ix ix;
        ck_assert_int_eq(ot_twin_add_node(t, &nodes[i], &ix), OT_OK);
        ck_assert_int_eq(ix, (int)i);
    }
    const ot_sku_info skus[] = {{"A", "food", 2.5, 0.01, 5, 6, 1}, {"B", "home", 10, 0.05, 20, 1, 2}};
    for (size_t i = 0; i < 2; i++)
        ck_assert_int_eq(ot_twin_add_sku(t, &skus[i], NULL), OT_OK);
    ot_day first;
    ck_assert(ot_date_parse("2025-01-01", 10, &first));
    ck_assert_int_eq(ot_twin_seal_catalog(t, first, first + 6), OT_OK);
    const ot_lane_info lanes[] = {{SUP, DC, 7, 0.5, INFINITY, "truck"},
                                  {DC, S1, 1, 0.2, 1000, "truck"},
                                  {DC, S2, 2, 0.3, 1000, "truck"}};
    for (size_t i = 0; i < 3; i++)
        ck_assert_int_eq(ot_twin_add_lane(t, &lanes[i], NULL), OT_OK);
    ck_assert_int_eq(ot_twin_set_on_hand(t, DC, A, 100), OT_OK);
    ck_assert_int_eq(ot_twin_set_on_hand(t, S1, A, 10), OT_OK);
    ot_pipeline_info po = {"PO1", SUP, DC, A, 60, first + 9, true};
    ck_assert_int_eq(ot_twin_add_pipeline(t, &po), OT_OK);
    return t;
}

/* Applies one event given as text; returns the outcome or -1 on error. */
static int apply(ot_twin *t, const char *id, const char *ts, const char *type, const char *node,
                 const char *sku, const char *qty, const char *ref)
{
    const char *v[OT_EVENT_FIELDS] = {id, ts, type, node, sku, qty, ref};
    ot_event_fields f;
    for (int i = 0; i < OT_EVENT_FIELDS; i++) {
        f.ptr[i] = v[i];
        f.len[i] = strlen(v[i]);
    }
    ot_event e;
    char why[256];
    if (ot_event_parse(t, &f, &e, why, sizeof why) != OT_OK)
        return -1;
    ot_apply_outcome outcome;
    if (ot_twin_apply_event(t, &e, &outcome, why, sizeof why) != OT_OK)
        return -1;
    return (int)outcome;
}

static ot_day day_of(const char *date)
{
    ot_day d;
    ck_assert(ot_date_parse(date, strlen(date), &d));
    return d;
}

START_TEST(sale_lowers_stock_and_records_demand)
{
    ot_twin *t = tiny(0);
    ck_assert_int_eq(apply(t, "e1", "2025-01-08T09:00:00Z", "sale", "S1", "A", "3", ""), OT_APPLIED);
    ck_assert_int_eq(ot_twin_on_hand(t, S1, A), 7);
    ck_assert_int_eq(ot_twin_demand(t, S1, A, day_of("2025-01-08")), 3);
    ck_assert_int_eq(ot_twin_history_days(t), 8); /* grew by one day */
    ck_assert_uint_eq(ot_twin_events_applied(t), 1);
    ot_twin_free(t);
}
END_TEST

START_TEST(repeated_event_id_changes_nothing)
{
    ot_twin *t = tiny(0);
    ck_assert_int_eq(apply(t, "e1", "2025-01-08T09:00:00Z", "sale", "S1", "A", "3", ""), OT_APPLIED);
    uint64_t digest = ot_twin_digest(t);
    ck_assert_int_eq(apply(t, "e1", "2025-01-08T09:00:00Z", "sale", "S1", "A", "3", ""), OT_DUPLICATE);
    /* same id, different content: still a duplicate (the id is the identity) */
    ck_assert_int_eq(apply(t, "e1", "2025-01-08T10:00:00Z", "return", "S1", "A", "9", ""), OT_DUPLICATE);
    ck_assert_int_eq(ot_twin_on_hand(t, S1, A), 7);
    ck_assert_int_eq(ot_twin_demand(t, S1, A, day_of("2025-01-08")), 3);
    ck_assert_uint_eq(ot_twin_digest(t), digest);
    ot_twin_free(t);
}
END_TEST

START_TEST(count_wins_over_older_events)
{
    ot_twin *t = tiny(0);
    /* count at 11:00 says 20; a sale stamped 10:30 arrives after it */
    ck_assert_int_eq(apply(t, "c1", "2025-01-08T11:00:00Z", "count", "S1", "A", "20", ""), OT_APPLIED);
    ck_assert_int_eq(apply(t, "s1", "2025-01-08T10:30:00Z", "sale", "S1", "A", "4", ""), OT_STALE);
    ck_assert_int_eq(ot_twin_on_hand(t, S1, A), 20);
    ck_assert_int_eq(ot_twin_demand(t, S1, A, day_of("2025-01-08")), 4); /* demand still counts */
    /* an event stamped exactly at the count is part of it */
    ck_assert_int_eq(apply(t, "s2", "2025-01-08T11:00:00Z", "sale", "S1", "A", "1", ""), OT_STALE);
    ck_assert_int_eq(ot_twin_on_hand(t, S1, A), 20);
    /* a later sale applies */
    ck_assert_int_eq(apply(t, "s3", "2025-01-08T12:00:00Z", "sale", "S1", "A", "5", ""), OT_APPLIED);
    ck_assert_int_eq(ot_twin_on_hand(t, S1, A), 15);
    /* an older count changes nothing */
    ck_assert_int_eq(apply(t, "c0", "2025-01-08T08:00:00Z", "count", "S1", "A", "99", ""), OT_STALE);
    ck_assert_int_eq(ot_twin_on_hand(t, S1, A), 15);
    ot_twin_free(t);
}
END_TEST

START_TEST(same_events_in_any_order_around_a_count_agree)
{
    /* sale before count, applied in either order, ends at the count minus
     * later sales */
    ot_twin *x = tiny(0), *y = tiny(0);
    apply(x, "s1", "2025-01-08T09:00:00Z", "sale", "S1", "A", "2", "");
    apply(x, "c1", "2025-01-08T10:00:00Z", "count", "S1", "A", "6", "");
    apply(x, "s2", "2025-01-08T11:00:00Z", "sale", "S1", "A", "1", "");
    apply(y, "c1", "2025-01-08T10:00:00Z", "count", "S1", "A", "6", "");
    apply(y, "s1", "2025-01-08T09:00:00Z", "sale", "S1", "A", "2", "");
    apply(y, "s2", "2025-01-08T11:00:00Z", "sale", "S1", "A", "1", "");
    ck_assert_int_eq(ot_twin_on_hand(x, S1, A), 5);
    ck_assert_int_eq(ot_twin_on_hand(y, S1, A), 5);
    ot_twin_free(x);
    ot_twin_free(y);
}
END_TEST

START_TEST(a_late_count_keeps_later_events)
{
    /* the stock topic's count and the orders topic's sales are not ordered
     * by Kafka: a count may arrive after sales stamped later than it */
    ot_twin *t = tiny(0);
    ck_assert_int_eq(apply(t, "s1", "2025-01-08T12:00:00Z", "sale", "S1", "A", "2", ""), OT_APPLIED);
    ck_assert_int_eq(ot_twin_on_hand(t, S1, A), 8);
    ck_assert_int_eq(apply(t, "c1", "2025-01-08T11:00:00Z", "count", "S1", "A", "20", ""), OT_APPLIED);
    ck_assert_int_eq(ot_twin_on_hand(t, S1, A), 18); /* 20 counted at 11:00, minus the 12:00 sale */
    ck_assert_int_eq(apply(t, "s0", "2025-01-08T10:30:00Z", "sale", "S1", "A", "5", ""), OT_STALE);
    ck_assert_int_eq(apply(t, "s2", "2025-01-08T13:00:00Z", "sale", "S1", "A", "1", ""), OT_APPLIED);
    ck_assert_int_eq(ot_twin_on_hand(t, S1, A), 17);
    /* a second, later count: only the 13:00 sale is after it */
    ck_assert_int_eq(apply(t, "c2", "2025-01-08T12:30:00Z", "count", "S1", "A", "30", ""), OT_APPLIED);
    ck_assert_int_eq(ot_twin_on_hand(t, S1, A), 29);
    /* other pairs' changes do not leak into this pair's count */
    ck_assert_int_eq(apply(t, "a9", "2025-01-08T14:00:00Z", "adjust", "S2", "A", "-4", ""), OT_APPLIED);
    ck_assert_int_eq(apply(t, "c3", "2025-01-08T13:30:00Z", "count", "S1", "A", "7", ""), OT_APPLIED);
    ck_assert_int_eq(ot_twin_on_hand(t, S1, A), 7);
    ot_twin_free(t);
}
END_TEST

/* Every order of these events gives the same twin. */
static const char *const shuffled[][7] = {
    {"p1", "2025-01-08T09:00:00Z", "sale", "S1", "A", "2", ""},
    {"p2", "2025-01-08T10:00:00Z", "count", "S1", "A", "12", ""},
    {"p3", "2025-01-08T11:00:00Z", "sale", "S1", "A", "3", ""},
    {"p4", "2025-01-08T12:00:00Z", "receipt", "S1", "A", "6", ""},
    {"p5", "2025-01-08T13:00:00Z", "count", "S1", "A", "40", ""},
    {"p6", "2025-01-08T14:00:00Z", "adjust", "S1", "A", "-1", ""},
};

START_TEST(any_arrival_order_gives_the_same_twin)
{
    enum { N = 6 };
    int order[N] = {0, 1, 2, 3, 4, 5};
    uint64_t digest = 0;
    int permutations = 0;
    for (;;) {
        ot_twin *t = tiny(0);
        for (int i = 0; i < N; i++) {
            const char *const *e = shuffled[order[i]];
            ck_assert_int_ge(apply(t, e[0], e[1], e[2], e[3], e[4], e[5], e[6]), 0);
        }
        ck_assert_int_eq(ot_twin_on_hand(t, S1, A), 39); /* the 13:00 count, then -1 */
        if (permutations++ == 0)
            digest = ot_twin_digest(t);
        ck_assert_uint_eq(ot_twin_digest(t), digest);
        ot_twin_free(t);
        /* next permutation (lexicographic) */
        int i = N - 2;
        while (i >= 0 && order[i] >= order[i + 1])
            i--;
        if (i < 0)
            break;
        int j = N - 1;
        while (order[j] <= order[i])
            j--;
        int tmp = order[i]; order[i] = order[j]; order[j] = tmp;
        for (int a = i + 1, b = N - 1; a < b; a++, b--) {
            tmp = order[a]; order[a] = order[b]; order[b] = tmp;
        }
    }
    ck_assert_int_eq(permutations, 720);
}
END_TEST

START_TEST(receipt_closes_its_pipeline_line)
{
    ot_twin *t = tiny(0);
    ck_assert_int_eq(ot_twin_in_transit(t, DC, A), 60);
    ck_assert_int_eq(apply(t, "r1", "2025-01-10T08:00:00Z", "receipt", "DC1", "A", "58", "PO1"), OT_APPLIED);
    ck_assert_int_eq(ot_twin_on_hand(t, DC, A), 158);
    ck_assert_int_eq(ot_twin_in_transit(t, DC, A), 0);
    ot_pipeline_info line;
    ot_twin_pipeline(t, 0, &line);
    ck_assert(!line.open);
    /* a second receipt naming the closed line adds stock, transit stays 0 */
    ck_assert_int_eq(apply(t, "r2", "2025-01-10T09:00:00Z", "receipt", "DC1", "A", "2", "PO1"), OT_APPLIED);
    ck_assert_int_eq(ot_twin_on_hand(t, DC, A), 160);
    ck_assert_int_eq(ot_twin_in_transit(t, DC, A), 0);
    ot_twin_free(t);
}
END_TEST

START_TEST(ship_moves_stock_into_transit)
{
    ot_twin *t = tiny(0);
    ck_assert_int_eq(apply(t, "sh1", "2025-01-08T12:00:00Z", "ship", "DC1", "A", "12", "S1"), OT_APPLIED);
    ck_assert_int_eq(ot_twin_on_hand(t, DC, A), 88);
    ck_assert_int_eq(ot_twin_in_transit(t, S1, A), 12);
    ck_assert_uint_eq(ot_twin_pipeline_count(t), 2);
    ot_pipeline_info line;
    ot_twin_pipeline(t, 1, &line);
    ck_assert_str_eq(line.order_id, "sh1");
    ck_assert_int_eq(line.arrive_day, day_of("2025-01-09")); /* lane DC1->S1 takes 1 day */
    /* its receipt closes it */
    ck_assert_int_eq(apply(t, "rc1", "2025-01-09T07:00:00Z", "receipt", "S1", "A", "12", "sh1"), OT_APPLIED);
    ck_assert_int_eq(ot_twin_on_hand(t, S1, A), 22);
    ck_assert_int_eq(ot_twin_in_transit(t, S1, A), 0);
    ot_twin_free(t);
}
END_TEST

START_TEST(adjust_return_online_order_and_negative_stock)
{
    ot_twin *t = tiny(0);
    ck_assert_int_eq(apply(t, "a1", "2025-01-08T09:00:00Z", "adjust", "S1", "A", "-3", ""), OT_APPLIED);
    ck_assert_int_eq(apply(t, "r1", "2025-01-08T09:10:00Z", "return", "S1", "A", "1", ""), OT_APPLIED);
    ck_assert_int_eq(ot_twin_on_hand(t, S1, A), 8);
    ck_assert_int_eq(apply(t, "o1", "2025-01-08T09:20:00Z", "online_order", "S2", "B", "2", ""), OT_APPLIED);
    ck_assert_int_eq(ot_twin_on_hand(t, S2, B), -2); /* allowed: the next count fixes it */
    ck_assert_int_eq(ot_twin_demand(t, S2, B, day_of("2025-01-08")), 2);
    ot_twin_free(t);
}
END_TEST

START_TEST(bad_events_are_refused_with_reasons)
{
    ot_twin *t = tiny(0);
    struct {
        const char *v[OT_EVENT_FIELDS];
        const char *why;
    } cases[] = {
        {{"", "2025-01-08", "sale", "S1", "A", "1", ""}, "event_id is empty (expected a unique id)"},
        {{"x", "2025-13-08", "sale", "S1", "A", "1", ""},
         "ts '2025-13-08' is not a timestamp (expected ISO-8601 UTC like 2025-01-31T09:30:00Z)"},
        {{"x", "2025-01-08", "theft", "S1", "A", "1", ""},
         "type 'theft' is unknown (expected sale, online_order, return, receipt, ship, count or adjust)"},
        {{"x", "2025-01-08", "sale", "S9", "A", "1", ""}, "node_id 'S9' is not in nodes.csv"},
        {{"x", "2025-01-08", "sale", "S1", "Z", "1", ""}, "sku 'Z' is not in skus.csv"},
        {{"x", "2025-01-08", "sale", "S1", "A", "1.5", ""},
         "qty '1.5' is not a whole number (expected units, e.g. 3)"},
        {{"x", "2025-01-08", "sale", "S1", "A", "-1", ""},
         "qty '-1' is negative (expected >= 0; only adjust takes a sign)"},
        {{"x", "2025-01-08", "sale", "DC1", "A", "1", ""}, "sale at dc 'DC1' (expected a store node)"},
        {{"x", "2025-01-08", "ship", "DC1", "A", "1", "NOWHERE"},
         "ship ref 'NOWHERE' names no node (expected the destination node_id)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ot_event_fields f;
        for (int k = 0; k < OT_EVENT_FIELDS; k++) {
            f.ptr[k] = cases[i].v[k];
            f.len[k] = strlen(cases[i].v[k]);
        }
        ot_event e;
        char why[256];
        ck_assert_int_eq(ot_event_parse(t, &f, &e, why, sizeof why), OT_ERR_INPUT);
        ck_assert_str_eq(why, cases[i].why);
    }
    ot_twin_free(t);
}
END_TEST

START_TEST(dedup_window_is_bounded_and_exact_within)
{
    ot_twin *t = tiny(3);
    apply(t, "e1", "2025-01-08T09:00:00Z", "return", "S1", "A", "1", "");
    apply(t, "e2", "2025-01-08T09:00:01Z", "return", "S1", "A", "1", "");
    apply(t, "e3", "2025-01-08T09:00:02Z", "return", "S1", "A", "1", "");
    ck_assert_int_eq(apply(t, "e1", "2025-01-08T09:00:00Z", "return", "S1", "A", "1", ""), OT_DUPLICATE);
    apply(t, "e4", "2025-01-08T09:00:03Z", "return", "S1", "A", "1", ""); /* forgets e1 */
    ck_assert_int_eq(apply(t, "e2", "2025-01-08T09:00:01Z", "return", "S1", "A", "1", ""), OT_DUPLICATE);
    ck_assert_int_eq(apply(t, "e1", "2025-01-08T09:00:00Z", "return", "S1", "A", "1", ""), OT_APPLIED);
    ck_assert_int_eq(ot_twin_on_hand(t, S1, A), 15);
    ot_twin_free(t);
}
END_TEST

START_TEST(dedup_survives_growth_past_initial_ring)
{
    ot_twin *t = tiny(5000);
    char id[32];
    for (int i = 0; i < 3000; i++) {
        snprintf(id, sizeof id, "r%d", i);
        ck_assert_int_eq(apply(t, id, "2025-01-08T09:00:00Z", "return", "S2", "A", "1", ""), OT_APPLIED);
    }
    for (int i = 0; i < 3000; i += 7) {
        snprintf(id, sizeof id, "r%d", i);
        ck_assert_int_eq(apply(t, id, "2025-01-08T09:00:00Z", "return", "S2", "A", "1", ""), OT_DUPLICATE);
    }
    ck_assert_int_eq(ot_twin_on_hand(t, S2, A), 3000);
    ot_twin_free(t);
}
END_TEST

START_TEST(history_grows_both_ways_and_keeps_large_counts)
{
    ot_twin *t = tiny(0);
    ot_day d = day_of("2025-01-03");
    ck_assert_int_eq(ot_twin_add_demand(t, S1, A, d, 70000), OT_OK);
    ck_assert_int_eq(ot_twin_add_demand(t, S1, A, d, 10), OT_OK);
    ck_assert_int_eq(ot_twin_add_demand(t, S2, B, d, 65534), OT_OK);
    ck_assert_int_eq(ot_twin_add_demand(t, S2, B, d, 1), OT_OK);
    ck_assert_int_eq(ot_twin_add_demand(t, S2, A, d, 254), OT_OK);
    ck_assert_int_eq(ot_twin_add_demand(t, S2, A, d, 1), OT_OK); /* reaches the escape value */
    ck_assert_int_eq(ot_twin_demand(t, S2, A, d), 255);
    ck_assert_int_eq(ot_twin_add_demand(t, S2, A, d, 1), OT_OK);
    ck_assert_int_eq(ot_twin_demand(t, S2, A, d), 256);
    ck_assert_int_eq(ot_twin_add_demand(t, S1, B, day_of("2024-12-01"), 4), OT_OK);
    ck_assert_int_eq(ot_twin_add_demand(t, S1, B, day_of("2025-06-30"), 6), OT_OK);
    ck_assert_int_eq(ot_twin_history_first(t), day_of("2024-12-01"));
    ck_assert_int_eq(ot_twin_history_days(t), 212);
    ck_assert_int_eq(ot_twin_demand(t, S1, A, d), 70010);
    ck_assert_int_eq(ot_twin_demand(t, S2, B, d), 65535);
    ck_assert_int_eq(ot_twin_demand(t, S1, B, day_of("2024-12-01")), 4);
    ck_assert_int_eq(ot_twin_demand(t, S1, B, day_of("2025-06-30")), 6);
    double series[212];
    ot_twin_demand_series(t, S1, A, series);
    ck_assert(series[d - day_of("2024-12-01")] == 70010.0);
    ck_assert(ot_twin_has_demand(t, S1, A));
    ck_assert(!ot_twin_has_demand(t, DC, A));
    ck_assert_int_eq(ot_twin_add_demand(t, S1, A, day_of("2040-01-01"), 1), OT_ERR_LIMIT);
    ot_twin_free(t);
}
END_TEST

static int collect(void *ctx, const void *data, size_t len)
{
    struct { unsigned char *p; size_t len, cap; } *buf = ctx;
    if (buf->len + len > buf->cap) {
        buf->cap = (buf->len + len) * 2;
        buf->p = realloc(buf->p, buf->cap);
    }
    memcpy(buf->p + buf->len, data, len);
    buf->len += len;
    return 0;
}

START_TEST(snapshot_round_trip_and_corruption)
{
    ot_twin *t = tiny(0);
    apply(t, "e1", "2025-01-08T09:00:00Z", "sale", "S1", "A", "3", "");
    apply(t, "sh", "2025-01-08T12:00:00Z", "ship", "DC1", "A", "12", "S1");
    apply(t, "c1", "2025-01-08T13:00:00Z", "count", "S2", "B", "9", "");
    ot_twin_add_demand(t, S2, B, day_of("2025-01-02"), 80000);
    struct { unsigned char *p; size_t len, cap; } buf = {NULL, 0, 0};
    ck_assert_int_eq(ot_twin_snapshot(t, collect, &buf), OT_OK);
    ot_twin *r = NULL;
    ck_assert_int_eq(ot_twin_restore(buf.p, buf.len, &r), OT_OK);
    ck_assert_uint_eq(ot_twin_digest(r), ot_twin_digest(t));
    ck_assert_int_eq(ot_twin_on_hand(r, DC, A), 88);
    ck_assert_int_eq(ot_twin_in_transit(r, S1, A), 12);
    ck_assert_int_eq(ot_twin_demand(r, S2, B, day_of("2025-01-02")), 80000);
    /* the restored twin remembers applied ids and pipeline ids */
    ck_assert_int_eq(apply(r, "e1", "2025-01-08T09:00:00Z", "sale", "S1", "A", "3", ""), OT_DUPLICATE);
    ck_assert_int_eq(apply(r, "rc", "2025-01-09T09:00:00Z", "receipt", "S1", "A", "12", "sh"), OT_APPLIED);
    ck_assert_int_eq(ot_twin_in_transit(r, S1, A), 0);
    /* the restored twin still knows the changes before it: a late count
     * keeps the 12:00 ship of 12 units from DC1 */
    ck_assert_int_eq(apply(r, "c9", "2025-01-08T11:00:00Z", "count", "DC1", "A", "50", ""), OT_APPLIED);
    ck_assert_int_eq(ot_twin_on_hand(r, DC, A), 38);
    ot_twin_free(r);
    /* truncated and altered snapshots are refused */
    ck_assert_int_eq(ot_twin_restore(buf.p, buf.len - 1, &r), OT_ERR_INPUT);
    ck_assert_ptr_null(r);
    buf.p[buf.len / 2] ^= 0x40;
    ck_assert_int_eq(ot_twin_restore(buf.p, buf.len, &r), OT_ERR_INPUT);
    ck_assert_int_eq(ot_twin_restore("OTWINSN1", 8, &r), OT_ERR_INPUT);
    free(buf.p);
    ot_twin_free(t);
}
END_TEST

START_TEST(catalog_rules)
{
    ot_twin *t = ot_twin_new(0);
    ot_node_info n = {"X", OT_NODE_STORE, "", false, 0, 0, INFINITY};
    ck_assert_int_eq(ot_twin_add_node(t, &n, NULL), OT_OK);
    ck_assert_int_eq(ot_twin_add_node(t, &n, NULL), OT_ERR_INPUT);
    n.id = "Y";
    ck_assert_int_eq(ot_twin_add_node(t, &n, NULL), OT_OK);
    ot_sku_info s = {"K", "", 0, 0, 0, 0, 0};
    ck_assert_int_eq(ot_twin_add_sku(t, &s, NULL), OT_OK);
    ck_assert_int_eq(ot_twin_seal_catalog(t, 1, 0), OT_OK);
    ot_sku_info back;
    ot_twin_sku(t, 0, &back);
    ck_assert_int_eq(back.case_pack, 1); /* defaults */
    ck_assert(back.volume == 1.0);
    ck_assert_int_eq(ot_twin_add_node(t, &n, NULL), OT_ERR_INTERNAL); /* sealed */
    ot_lane_info self = {0, 0, 1, 0, INFINITY, ""};
    ck_assert_int_eq(ot_twin_add_lane(t, &self, NULL), OT_ERR_INPUT);
    ot_lane_info neg = {0, 1, -1, 0, INFINITY, ""};
    ck_assert_int_eq(ot_twin_add_lane(t, &neg, NULL), OT_ERR_INPUT);
    ot_lane_info ok = {0, 1, 2, 0, INFINITY, ""};
    ck_assert_int_eq(ot_twin_add_lane(t, &ok, NULL), OT_OK);
    ck_assert_int_eq(ot_twin_add_lane(t, &ok, NULL), OT_ERR_INPUT);
    ck_assert_int_eq(ot_twin_find_lane(t, 0, 1), 0);
    ck_assert_int_eq(ot_twin_find_lane(t, 1, 0), OT_NONE);
    ot_twin_free(t);
    ot_twin_free(NULL);
}
END_TEST

START_TEST(dates_and_timestamps)
{
    ot_day d;
    ck_assert(ot_date_parse("1970-01-01", 10, &d) && d == 0);
    ck_assert(ot_date_parse("2024-02-29", 10, &d) && d == 19782);
    ck_assert(!ot_date_parse("2023-02-29", 10, &d));
    ck_assert(!ot_date_parse("2024-2-29", 9, &d));
    char buf[21];
    ot_date_format(19782, buf);
    ck_assert_str_eq(buf, "2024-02-29");
    ot_ts ts;
    ck_assert(ot_ts_parse("2024-02-29T23:59:59Z", 20, &ts) && ts == 19782LL * 86400 + 86399);
    ck_assert(ot_ts_parse("2024-02-29T23:59:59.125Z", 24, &ts) && ts == 19782LL * 86400 + 86399);
    ck_assert(ot_ts_parse("2024-03-01T01:00:00+02:00", 25, &ts) && ts == 19782LL * 86400 + 82800);
    ck_assert(ot_ts_parse("2024-02-29", 10, &ts) && ts == 19782LL * 86400);
    ck_assert(!ot_ts_parse("2024-02-29T24:00:00Z", 20, &ts));
    ck_assert(!ot_ts_parse("2024-02-29T10:00:00Q", 20, &ts));
    ot_ts_format(19782LL * 86400 + 3661, buf);
    ck_assert_str_eq(buf, "2024-02-29T01:01:01Z");
    ck_assert_int_eq(ot_ts_day(-1), -1);
}
END_TEST

Suite *ot_suite_twin(void)
{
    Suite *s = suite_create("twin");
    struct { const char *name; const TTest *test; } tests[] = {
        {"sale", sale_lowers_stock_and_records_demand},
        {"duplicates", repeated_event_id_changes_nothing},
        {"count", count_wins_over_older_events},
        {"count_order", same_events_in_any_order_around_a_count_agree},
        {"late_count", a_late_count_keeps_later_events},
        {"any_order", any_arrival_order_gives_the_same_twin},
        {"receipt", receipt_closes_its_pipeline_line},
        {"ship", ship_moves_stock_into_transit},
        {"adjust", adjust_return_online_order_and_negative_stock},
        {"bad_events", bad_events_are_refused_with_reasons},
        {"dedup_window", dedup_window_is_bounded_and_exact_within},
        {"dedup_growth", dedup_survives_growth_past_initial_ring},
        {"history", history_grows_both_ways_and_keeps_large_counts},
        {"snapshot", snapshot_round_trip_and_corruption},
        {"catalog", catalog_rules},
        {"dates", dates_and_timestamps},
    };
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        TCase *tc = tcase_create(tests[i].name);
        tcase_add_test(tc, tests[i].test);
        suite_add_tcase(s, tc);
    }
    return s;
}
