/* The CSV adapter: the hand-checked tiny network, its events, diagnostics
 * that are not covered by data/bad, and single event records. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "csv/network_csv.h"

Suite *ot_suite_csv(void);

static ot_twin *load(const char *dir, ot_diag *diag)
{
    ot_twin *t = NULL;
    ot_csv_load_stats stats;
    ck_assert_int_eq(ot_csv_load_network(dir, diag, &t, &stats), OT_OK);
    ck_assert_uint_eq(stats.rows, 20);
    return t;
}

static ot_node_ix node(const ot_twin *t, const char *id) { return ot_twin_find_node(t, id, strlen(id)); }
static ot_sku_ix sku(const ot_twin *t, const char *id) { return ot_twin_find_sku(t, id, strlen(id)); }

START_TEST(tiny_network_loads_with_exact_values)
{
    ot_diag *diag = ot_diag_new(10);
    ot_twin *t = load("tests/data/tiny", diag);
    ck_assert_uint_eq(ot_diag_count(diag), 0);
    ck_assert_uint_eq(ot_twin_node_count(t), 4);
    ck_assert_uint_eq(ot_twin_sku_count(t), 2);
    ck_assert_uint_eq(ot_twin_lane_count(t), 4);
    ot_node_info n;
    ot_twin_node(t, node(t, "S2"), &n);
    ck_assert(isinf(n.capacity) && n.has_coords && n.lat == 52.2);
    ot_twin_node(t, node(t, "SUP1"), &n);
    ck_assert(!n.has_coords && n.kind == OT_NODE_SUPPLIER);
    ot_sku_info s;
    ot_twin_sku(t, sku(t, "A"), &s);
    ck_assert_int_eq(s.case_pack, 6);
    ck_assert(s.unit_cost == 2.5 && s.holding_cost == 0.01 && s.stockout_cost == 5);
    ot_lane_info l;
    ot_twin_lane(t, ot_twin_find_lane(t, node(t, "DC1"), node(t, "S2")), &l);
    ck_assert_int_eq(l.lead_time_days, 2);
    ck_assert(l.capacity_per_day == 1000 && l.cost_per_unit == 0.3);
    ot_twin_lane(t, ot_twin_find_lane(t, node(t, "SUP1"), node(t, "DC1")), &l);
    ck_assert(isinf(l.capacity_per_day));
    ck_assert_int_eq(ot_twin_on_hand(t, node(t, "DC1"), sku(t, "A")), 100);
    ck_assert_int_eq(ot_twin_in_transit(t, node(t, "DC1"), sku(t, "A")), 60);
    ck_assert_uint_eq(ot_twin_history_days(t), 7);
    ot_day d;
    ot_date_parse("2025-01-02", 10, &d);
    ck_assert_int_eq(ot_twin_demand(t, node(t, "S1"), sku(t, "A"), d), 4);
    ot_policy_info pol;
    ot_twin_policy(t, node(t, "S1"), sku(t, "A"), &pol);
    ck_assert(fabs(pol.service_level - 0.95) < 1e-6 && pol.min_units == 2 && pol.max_units == 40);
    ot_twin_policy(t, node(t, "S2"), sku(t, "A"), &pol);
    ck_assert(isnan(pol.service_level) && pol.max_units == INT64_MAX);
    ot_twin_free(t);
    ot_diag_free(diag);
}
END_TEST

START_TEST(tiny_events_give_hand_computed_stock)
{
    ot_diag *diag = ot_diag_new(10);
    ot_twin *t = load("tests/data/tiny", diag);
    ot_event_stats st;
    ck_assert_int_eq(ot_csv_apply_events(t, "tests/data/tiny/events.csv", diag, &st), OT_OK);
    ck_assert_uint_eq(st.read, 9);
    ck_assert_uint_eq(st.applied, 7);
    ck_assert_uint_eq(st.duplicates, 1);
    ck_assert_uint_eq(st.stale, 1);
    ot_node_ix dc = node(t, "DC1"), s1 = node(t, "S1"), s2 = node(t, "S2");
    ot_sku_ix a = sku(t, "A"), b = sku(t, "B");
    ck_assert_int_eq(ot_twin_on_hand(t, s1, a), 8);     /* 10 - 2 - 1 + 1 */
    ck_assert_int_eq(ot_twin_on_hand(t, dc, a), 148);   /* 100 + 60 - 12 */
    ck_assert_int_eq(ot_twin_in_transit(t, dc, a), 0);  /* PO1 closed */
    ck_assert_int_eq(ot_twin_in_transit(t, s1, a), 12); /* e5 shipped */
    ck_assert_int_eq(ot_twin_on_hand(t, s2, b), 3);     /* count 5, stale sale, online 2 */
    ot_day d;
    ot_date_parse("2025-01-08", 10, &d);
    ck_assert_int_eq(ot_twin_demand(t, s2, b, d), 3);
    ck_assert_int_eq(ot_twin_demand(t, s1, a, d), 2);
    /* applying the same file again changes nothing */
    uint64_t digest = ot_twin_digest(t);
    ck_assert_int_eq(ot_csv_apply_events(t, "tests/data/tiny/events.csv", diag, &st), OT_OK);
    ck_assert_uint_eq(st.duplicates, 9);
    ck_assert_uint_eq(ot_twin_digest(t), digest);
    ot_twin_free(t);
    ot_diag_free(diag);
}
END_TEST

START_TEST(a_bad_event_file_changes_nothing)
{
    ot_diag *diag = ot_diag_new(10);
    ot_twin *t = load("tests/data/tiny", diag);
    uint64_t digest = ot_twin_digest(t);
    ot_event_stats st;
    ck_assert_int_eq(ot_csv_apply_events(t, "data/bad/bad_event_type/events.csv", diag, &st),
                     OT_ERR_INPUT);
    ck_assert_uint_eq(ot_twin_digest(t), digest);
    ck_assert_uint_eq(ot_diag_errors(diag), 1);
    ck_assert_str_eq(ot_diag_get(diag, 0)->message,
                     "data/bad/bad_event_type/events.csv:8: type 'theft' is unknown (expected "
                     "sale, online_order, return, receipt, ship, count or adjust)");
    ot_twin_free(t);
    ot_diag_free(diag);
}
END_TEST

START_TEST(crlf_bom_and_quotes_load_the_same_twin)
{
    ot_diag *diag = ot_diag_new(10);
    ot_twin *x = load("tests/data/tiny", diag), *y = load("tests/data/tiny_crlf", diag);
    ck_assert_uint_eq(ot_diag_count(diag), 0);
    ck_assert_uint_eq(ot_twin_digest(x), ot_twin_digest(y));
    ot_sku_info s;
    ot_twin_sku(y, sku(y, "B"), &s);
    ck_assert_str_eq(s.category, "home, garden");
    ot_twin_free(x);
    ot_twin_free(y);
    ot_diag_free(diag);
}
END_TEST

START_TEST(errors_load_nothing_and_are_all_found)
{
    ot_diag *diag = ot_diag_new(100);
    ot_twin *t = NULL;
    ck_assert_int_eq(ot_csv_load_network("data/bad/quoted_newline", diag, &t, NULL), OT_ERR_INPUT);
    ck_assert_ptr_null(t);
    /* the refused store S2 is reported once, not again where routes use it */
    ck_assert_uint_eq(ot_diag_errors(diag), 1);
    ck_assert_str_eq(ot_diag_get(diag, 0)->message,
                     "data/bad/quoted_newline/nodes.csv:6: kind 'shop' is unknown (expected "
                     "supplier, dc or store)");
    ot_diag_free(diag);
    /* two broken files in one network: both reported in one pass */
    diag = ot_diag_new(100);
    ck_assert_int_eq(ot_csv_load_network("data/bad/negative_qty", diag, &t, NULL), OT_ERR_INPUT);
    ck_assert_int_eq(ot_csv_load_network("data/bad/bad_date", diag, &t, NULL), OT_ERR_INPUT);
    ck_assert_uint_eq(ot_diag_errors(diag), 2);
    ot_diag_free(diag);
    /* the cap stops the count of stored messages, not the detection */
    diag = ot_diag_new(1);
    ck_assert_int_eq(ot_csv_load_network("data/bad/duplicate_node", diag, &t, NULL), OT_ERR_INPUT);
    ck_assert(ot_diag_full(diag));
    ot_diag_free(diag);
}
END_TEST

START_TEST(unknown_column_is_a_warning)
{
    ot_diag *diag = ot_diag_new(10);
    ot_twin *t = NULL;
    ck_assert_int_eq(ot_csv_load_network("tests/data/unknown_column", diag, &t, NULL), OT_OK);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(ot_diag_errors(diag), 0);
    ck_assert_uint_eq(ot_diag_warnings(diag), 1);
    ck_assert_str_eq(ot_diag_get(diag, 0)->message,
                     "tests/data/unknown_column/skus.csv:1: column 'colour' is unknown, ignored "
                     "(expected: sku, category, unit_cost, holding_cost, stockout_cost, "
                     "case_pack, volume)");
    ot_twin_free(t);
    ot_diag_free(diag);
}
END_TEST

START_TEST(single_event_records)
{
    ot_event_record rec;
    char why[256];
    const char *ok = "e1,2025-01-08T09:00:00Z,sale,S1,A,2,\n";
    ck_assert_int_eq(ot_csv_split_event(ok, strlen(ok), &rec, why, sizeof why), OT_OK);
    ck_assert_uint_eq(rec.fields.len[0], 2);
    ck_assert(memcmp(rec.fields.ptr[3], "S1", 2) == 0);
    ck_assert_uint_eq(rec.fields.len[6], 0);
    const char *quoted = "\"e,2\",2025-01-08,ship,DC1,A,5,\"S1\"";
    ck_assert_int_eq(ot_csv_split_event(quoted, strlen(quoted), &rec, why, sizeof why), OT_OK);
    ck_assert_str_eq(rec.fields.ptr[0], "e,2");
    ck_assert_str_eq(rec.fields.ptr[6], "S1");
    const char *no_ref = "e1,2025-01-08,sale,S1,A,2"; /* ref may be left out */
    ck_assert_int_eq(ot_csv_split_event(no_ref, strlen(no_ref), &rec, why, sizeof why), OT_OK);
    /* the quick path for unquoted records gives what libcsv gives: blanks
     * around fields trimmed, CRLF dropped, the ref column optional */
    const char *blanks = " e1 ,\t2025-01-08 ,sale,S1,A, 2 ,R9 \r\n";
    ck_assert_int_eq(ot_csv_split_event(blanks, strlen(blanks), &rec, why, sizeof why), OT_OK);
    ck_assert_str_eq(rec.fields.ptr[0], "e1");
    ck_assert_str_eq(rec.fields.ptr[1], "2025-01-08");
    ck_assert_str_eq(rec.fields.ptr[5], "2");
    ck_assert_str_eq(rec.fields.ptr[6], "R9");
    ck_assert_uint_eq(rec.fields.len[6], 2);
    const char *six = "e1,2025-01-08,sale,S1,A,2 ";
    ck_assert_int_eq(ot_csv_split_event(six, strlen(six), &rec, why, sizeof why), OT_OK);
    ck_assert_str_eq(rec.fields.ptr[5], "2");
    ck_assert_str_eq(rec.fields.ptr[6], "");
    const char *eight = "a,b,c,d,e,f,g,h";
    ck_assert_int_eq(ot_csv_split_event(eight, strlen(eight), &rec, why, sizeof why), OT_ERR_INPUT);
    ck_assert_str_eq(why, "8 fields (expected 7: event_id,ts,type,node_id,sku,qty,ref)");
    const char *short_rec = "e1,2025-01-08,sale";
    ck_assert_int_eq(ot_csv_split_event(short_rec, strlen(short_rec), &rec, why, sizeof why), OT_ERR_INPUT);
    ck_assert_str_eq(why, "3 fields (expected 7: event_id,ts,type,node_id,sku,qty,ref)");
    const char *two = "a,b,c,d,e,f,g\nh,i,j,k,l,m,n\n";
    ck_assert_int_eq(ot_csv_split_event(two, strlen(two), &rec, why, sizeof why), OT_ERR_INPUT);
    ck_assert_str_eq(why, "more than one record (expected one event per message)");
    const char *bad_quote = "e1,\"2025";
    ck_assert_int_eq(ot_csv_split_event(bad_quote, strlen(bad_quote), &rec, why, sizeof why), OT_ERR_INPUT);
    ck_assert_str_eq(why, "unterminated quoted field at end of file (expected a closing '\"')");
    ck_assert_int_eq(ot_csv_split_event("", 0, &rec, why, sizeof why), OT_ERR_INPUT);
    ck_assert_str_eq(why, "empty record (expected event_id,ts,type,node_id,sku,qty,ref)");
}
END_TEST

START_TEST(sample_network_round_trip)
{
    /* data/sample is written by omnitwin gen (data/sample/README.md): it
     * loads without a warning and every one of its events applies */
    ot_diag *diag = ot_diag_new(10);
    ot_twin *t = NULL;
    ck_assert_int_eq(ot_csv_load_network("data/sample", diag, &t, NULL), OT_OK);
    ck_assert_uint_eq(ot_diag_count(diag), 0);
    ck_assert_uint_eq(ot_twin_node_count(t), 15);
    ck_assert_uint_eq(ot_twin_sku_count(t), 40);
    ot_event_stats st;
    ck_assert_int_eq(ot_csv_apply_events(t, "data/sample/events.csv", diag, &st), OT_OK);
    ck_assert_uint_gt(st.read, 0);
    ck_assert_uint_eq(st.applied + st.stale, st.read);
    ck_assert_uint_eq(ot_diag_count(diag), 0);
    ot_twin_free(t);
    ot_diag_free(diag);
}
END_TEST

START_TEST(history_dates_across_months_and_years)
{
    ot_diag *diag = ot_diag_new(10);
    ot_twin *t = NULL;
    ck_assert_int_eq(ot_csv_load_network("tests/data/months", diag, &t, NULL), OT_OK);
    const char *dates[] = {"2024-01-31", "2024-02-01", "2024-02-29", "2024-03-01",
                           "2024-12-31", "2025-01-01"};
    for (int i = 0; i < 6; i++) {
        ot_day d;
        ck_assert(ot_date_parse(dates[i], 10, &d));
        ck_assert_int_eq(ot_twin_demand(t, node(t, "S1"), sku(t, "A"), d), i + 1);
    }
    ot_day d;
    ot_date_parse("2024-02-29", 10, &d);
    ck_assert_int_eq(ot_twin_demand(t, node(t, "S2"), sku(t, "B"), d), 7);
    ck_assert_int_eq(ot_twin_demand(t, node(t, "S2"), sku(t, "B"), d - 1), 8);
    ck_assert_uint_eq(ot_twin_history_days(t), 337); /* 2024-01-31 .. 2025-01-01 */
    ot_twin_free(t);
    ot_diag_free(diag);
}
END_TEST

Suite *ot_suite_csv(void)
{
    Suite *s = suite_create("csv");
    struct { const char *name; const TTest *test; } tests[] = {
        {"tiny", tiny_network_loads_with_exact_values},
        {"events", tiny_events_give_hand_computed_stock},
        {"bad_events", a_bad_event_file_changes_nothing},
        {"crlf_bom", crlf_bom_and_quotes_load_the_same_twin},
        {"errors", errors_load_nothing_and_are_all_found},
        {"unknown_column", unknown_column_is_a_warning},
        {"records", single_event_records},
        {"sample", sample_network_round_trip},
        {"months", history_dates_across_months_and_years},
    };
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        TCase *tc = tcase_create(tests[i].name);
        tcase_add_test(tc, tests[i].test);
        suite_add_tcase(s, tc);
    }
    return s;
}
