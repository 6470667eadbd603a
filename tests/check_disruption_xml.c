/*
 * Disruption feeds from XML: the three dialects, CAP Update/Cancel, the
 * effects table, hostile files, and the whole chain against the network in
 * tests/data/disruptions/net (the same network as check_disruption.c:
 * SUP1 (10,-10), DC1 (0,0), S1 (0,1), S2 (1,1), S3 (5,5); SKUs A food,
 * B home, C none; lanes SUP1->DC1 7 d, DC1->S1 1 d, DC1->S2 2 d, DC1->S3 3 d,
 * S1->S2 1 d). Run from the source root, as `make test` does.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv/effects_csv.h"
#include "csv/network_csv.h"
#include "xml/disruption_xml.h"

Suite *ot_suite_disruption_xml(void);

#define DIR "tests/data/disruptions/"
#define DAY0 20454 /* 2026-01-01 */

/* Reads feeds into a set; checks the returned code. */
static ot_disruption_set *read_feeds(const char *const *paths, size_t n, ot_err expect,
                                     ot_diag *diag)
{
    ot_disruption_set *set = NULL;
    ck_assert_int_eq(ot_xml_read_disruptions(paths, n, diag, &set), expect);
    if (expect != OT_OK)
        ck_assert_ptr_null(set);
    return set;
}

static bool diag_has(const ot_diag *diag, const char *text)
{
    for (size_t i = 0; i < ot_diag_count(diag); i++)
        if (strstr(ot_diag_get(diag, i)->message, text))
            return true;
    return false;
}

static void dump(const ot_diag *diag)
{
    for (size_t i = 0; i < ot_diag_count(diag); i++)
        fprintf(stderr, "  diag: %s\n", ot_diag_get(diag, i)->message);
}

START_TEST(test_cap_alert)
{
    ot_diag *diag = ot_diag_new(20);
    const char *paths[] = {DIR "cap-storm.xml"};
    ot_disruption_set *set = read_feeds(paths, 1, OT_OK, diag);
    /* Four infos: en-US storm, es-US (other language: skipped), en-US flood,
     * en-US fog with urgency Past (skipped): two records. */
    ck_assert_uint_eq(ot_disruption_set_count(set), 2);
    bool withdrawn;
    const ot_disruption *r = ot_disruption_set_get(set, 0, &withdrawn);
    ck_assert(!withdrawn);
    ck_assert_str_eq(r->id, "NWS-IDP-PROD-1001#1");
    ck_assert_str_eq(r->group, "w-nws.webmaster@noaa.gov,NWS-IDP-PROD-1001");
    ck_assert_str_eq(r->event, "Winter Storm Warning");
    ck_assert_str_eq(r->severity, "Severe");
    ck_assert_int_eq(r->line, 10);
    /* onset 2026-01-01T19:00-05:00 = 2026-01-02T00:00Z; expires
     * 2026-01-02T19:00-05:00 = 2026-01-03T00:00Z; sent 06:00-05:00 = 11:00Z */
    ck_assert_int_eq(r->start, (ot_ts)(DAY0 + 1) * 86400);
    ck_assert_int_eq(r->end, (ot_ts)(DAY0 + 2) * 86400);
    ck_assert_int_eq(r->issued, (ot_ts)DAY0 * 86400 + 11 * 3600);
    ck_assert_uint_eq(r->polygon_count, 1);
    ck_assert_uint_eq(r->polygons[0].count, 5);
    ck_assert_double_eq(r->polygons[0].points[2].lat, 1.5);
    ck_assert_double_eq(r->polygons[0].points[2].lon, 1.5);
    ck_assert_uint_eq(r->geocode_count, 1);
    ck_assert_str_eq(r->geocodes[0], "XXZ001");
    r = ot_disruption_set_get(set, 1, &withdrawn);
    ck_assert_str_eq(r->id, "NWS-IDP-PROD-1001#3");
    ck_assert_int_eq(r->end, INT64_MAX); /* no expires: open-ended */
    ck_assert_uint_eq(r->circle_count, 1);
    ck_assert_double_eq(r->circles[0].center.lon, 5.3);
    ck_assert_double_eq(r->circles[0].radius_km, 50);
    ck_assert_str_eq(r->geocodes[0], "RS");
    ck_assert_uint_eq(ot_diag_errors(diag), 0);
    ot_disruption_set_free(set);
    ot_diag_free(diag);
}
END_TEST

START_TEST(test_cap_update_cancel)
{
    ot_diag *diag = ot_diag_new(20);
    const char *paths[] = {DIR "cap-storm.xml", DIR "cap-update.xml"};
    ot_disruption_set *set = read_feeds(paths, 2, OT_OK, diag);
    /* The update withdraws both records of alert 1001 and adds its own. */
    ck_assert_uint_eq(ot_disruption_set_count(set), 3);
    bool w0, w1, w2;
    ot_disruption_set_get(set, 0, &w0);
    ot_disruption_set_get(set, 1, &w1);
    const ot_disruption *r = ot_disruption_set_get(set, 2, &w2);
    ck_assert(w0 && w1 && !w2);
    ck_assert_str_eq(r->event, "Hurricane Warning");
    ot_disruption_set_free(set);

    const char *three[] = {DIR "cap-storm.xml", DIR "cap-update.xml", DIR "cap-cancel.xml"};
    set = read_feeds(three, 3, OT_OK, diag);
    ot_disruption_set_get(set, 2, &w2);
    ck_assert(w2); /* cancelled */
    ot_disruption_set_free(set);
    ck_assert_uint_eq(ot_diag_warnings(diag), 0);

    /* A Cancel whose alert was never loaded: a warning, nothing else. */
    const char *alone[] = {DIR "cap-cancel.xml"};
    set = read_feeds(alone, 1, OT_OK, diag);
    ck_assert_uint_eq(ot_disruption_set_count(set), 0);
    ck_assert_uint_eq(ot_diag_warnings(diag), 1);
    ck_assert(diag_has(diag, "cap-cancel.xml:9: element <references>: alert "
                             "'NWS-IDP-PROD-1003' references "
                             "'w-nws.webmaster@noaa.gov,NWS-IDP-PROD-1002', which is in none "
                             "of the feeds read (nothing withdrawn)"));
    ot_disruption_set_free(set);
    /* The order of the files does not matter: an update listed before its
     * alert still withdraws it. */
    const char *reversed[] = {DIR "cap-update.xml", DIR "cap-storm.xml"};
    set = read_feeds(reversed, 2, OT_OK, diag);
    ck_assert_uint_eq(ot_disruption_set_count(set), 3);
    ot_disruption_set_get(set, 0, &w0);
    ot_disruption_set_get(set, 1, &w1);
    ot_disruption_set_get(set, 2, &w2);
    ck_assert(!w0 && w1 && w2); /* the hurricane stays, both storm infos go */
    ck_assert_uint_eq(ot_diag_warnings(diag), 1);
    ot_disruption_set_free(set);
    /* Exercise alerts are ignored with a warning. */
    const char *ex[] = {DIR "cap-exercise.xml"};
    set = read_feeds(ex, 1, OT_OK, diag);
    ck_assert_uint_eq(ot_disruption_set_count(set), 0);
    ck_assert(diag_has(diag, "has status Exercise: ignored"));
    ot_disruption_set_free(set);
    ot_diag_free(diag);
}
END_TEST

START_TEST(test_cap_invalid)
{
    ot_diag *diag = ot_diag_new(20);
    const char *paths[] = {DIR "cap-invalid.xml"};
    read_feeds(paths, 1, OT_ERR_INPUT, diag);
    ck_assert_uint_eq(ot_diag_errors(diag), 4);
    ck_assert_str_eq(ot_diag_get(diag, 0)->message,
                     DIR "cap-invalid.xml:13: element <severity>: 'Awful' is not a CAP severity "
                     "(expected one of Extreme, Severe, Moderate, Minor, Unknown)");
    ck_assert(diag_has(diag, "cap-invalid.xml:15: element <onset>: 'yesterday' is not a "
                             "date-time"));
    ck_assert(diag_has(diag, "cap-invalid.xml:18: element <polygon>: polygon is not closed"));
    ck_assert(diag_has(diag, "cap-invalid.xml:19: element <circle>: '95,0 10' is not a circle"));
    ot_diag_free(diag);
}
END_TEST

START_TEST(test_datex)
{
    ot_diag *diag = ot_diag_new(20);
    const char *paths[] = {DIR "datex.xml"};
    ot_disruption_set *set = read_feeds(paths, 1, OT_OK, diag);
    /* ACC-1 and RW-1; AT-1 is suspended. */
    ck_assert_uint_eq(ot_disruption_set_count(set), 2);
    bool w;
    const ot_disruption *r = ot_disruption_set_get(set, 0, &w);
    ck_assert_str_eq(r->id, "ACC-1");
    ck_assert_str_eq(r->event, "Accident");
    ck_assert_str_eq(r->severity, "high"); /* from overallSeverity */
    ck_assert_int_eq(r->kind, OT_DISR_TRAFFIC);
    ck_assert_int_eq(r->start, (ot_ts)(DAY0 + 6) * 86400);
    ck_assert_int_eq(r->end, INT64_MAX);
    /* created 07:30+01:00 = 06:30Z */
    ck_assert_int_eq(r->issued, (ot_ts)DAY0 * 86400 + 6 * 3600 + 1800);
    ck_assert(r->factors.has_capacity);
    ck_assert_double_eq(r->factors.capacity, 0.4);
    ck_assert(r->factors.has_added_days);
    ck_assert_double_eq(r->factors.added_days, 0.5); /* 43200 s */
    ck_assert_uint_eq(r->location_count, 1);
    ck_assert_uint_eq(r->locations[0].count, 1);
    ck_assert_double_eq(r->locations[0].points[0].lon, 2.52);
    r = ot_disruption_set_get(set, 1, &w);
    ck_assert_str_eq(r->event, "Roadworks"); /* prefix d2: stripped */
    ck_assert_str_eq(r->severity, "medium");
    ck_assert_uint_eq(r->locations[0].count, 2);
    ck_assert_double_eq(r->locations[0].points[1].lat, 0.5);
    ck_assert(!r->factors.has_capacity);
    ot_disruption_set_free(set);
    ot_diag_free(diag);
}
END_TEST

START_TEST(test_own_feed)
{
    ot_diag *diag = ot_diag_new(20);
    const char *paths[] = {DIR "own-ok.xml"};
    ot_disruption_set *set = read_feeds(paths, 1, OT_OK, diag);
    if (ot_diag_count(diag))
        dump(diag);
    ck_assert_uint_eq(ot_disruption_set_count(set), 4);
    bool w;
    const ot_disruption *r = ot_disruption_set_get(set, 2, &w);
    ck_assert_str_eq(r->id, "promo-R2");
    ck_assert_int_eq(r->issued, (ot_ts)(DAY0 + 2) * 86400);
    ck_assert(r->end_is_date);
    ck_assert_uint_eq(r->region_count, 1);
    ck_assert_uint_eq(r->category_count, 1);
    ck_assert_uint_eq(r->sku_count, 1);
    ck_assert_double_eq(r->factors.demand, 1.3);
    r = ot_disruption_set_get(set, 3, &w);
    ck_assert_int_eq(r->kind, OT_DISR_SUPPLY);
    ck_assert_int_eq(r->issued, (ot_ts)(DAY0 - 1) * 86400 + 12 * 3600); /* the feed's */
    ck_assert_double_eq(r->factors.lead_time_factor, 1.5);
    ck_assert_double_eq(r->factors.added_days, 2);
    ot_disruption_set_free(set);
    ot_diag_free(diag);
}
END_TEST

START_TEST(test_own_invalid)
{
    ot_diag *diag = ot_diag_new(20);
    const char *paths[] = {DIR "own-invalid.xml"};
    read_feeds(paths, 1, OT_ERR_INPUT, diag);
    ck_assert_uint_eq(ot_diag_errors(diag), 5);
    ck_assert_str_eq(ot_diag_get(diag, 0)->message,
                     DIR "own-invalid.xml:6: element <capacity>: attribute 'factor': [facet "
                     "'maxInclusive'] The value '1.5' is greater than the maximum value allowed "
                     "('1').");
    ck_assert(diag_has(diag, "own-invalid.xml:8: element <record>: attribute 'kind': "
                             "[facet 'enumeration'] The value 'flood' is not an element of the "
                             "set {'weather', 'traffic', 'closure', 'supply'}."));
    ck_assert(diag_has(diag, "own-invalid.xml:9: element <valid>: attribute 'to': '2026-13-03'"));
    ck_assert(diag_has(diag, "own-invalid.xml:14: element <target>: This element is not "
                             "expected. Expected is ( valid )."));
    ck_assert(diag_has(diag, "own-invalid.xml:13: element <record>: Duplicate key-sequence "
                             "['r1']"));
    ot_diag_free(diag);

    diag = ot_diag_new(20);
    const char *sem[] = {DIR "own-semantic.xml"};
    read_feeds(sem, 1, OT_ERR_INPUT, diag);
    ck_assert_uint_eq(ot_diag_errors(diag), 3);
    ck_assert_str_eq(ot_diag_get(diag, 0)->message,
                     DIR "own-semantic.xml:4: element <valid>: record 'backwards': to is before "
                     "from (expected a window that ends after it starts)");
    ck_assert(diag_has(diag, "own-semantic.xml:8: element <record>: record 'no-effect' has no "
                             "effect"));
    ck_assert(diag_has(diag, "own-semantic.xml:12: element <record>: record 'lane-demand': "
                             "<demand> needs a <region> or <node> target"));
    ot_diag_free(diag);
}
END_TEST

/* Hostile and broken files: each refused with the problem named, and a good
 * file read together with it yields nothing. */
START_TEST(test_hostile)
{
    static const struct {
        const char *file;
        ot_err err;
        const char *message;
    } cases[] = {
        {"xxe.xml", OT_ERR_INPUT, "xxe.xml:2: DOCTYPE declaration refused"},
        {"billion-laughs.xml", OT_ERR_INPUT, "billion-laughs.xml:2: DOCTYPE declaration refused"},
        {"wrong-namespace.xml", OT_ERR_INPUT,
         "wrong-namespace.xml:2: element <alert>: root element <alert> in namespace "
         "'urn:oasis:names:tc:emergency:cap:1.1' is not a known feed"},
        {"bad-utf8.xml", OT_ERR_INPUT,
         "bad-utf8.xml:3: invalid UTF-8 (byte 0xE9 at offset 112"},
        {"utf16.xml", OT_ERR_INPUT, "utf16.xml:1: UTF-16 byte order mark (expected a UTF-8 feed)"},
        {"oversized-attr.xml", OT_ERR_LIMIT,
         "oversized-attr.xml:3: element <record>: attribute 'id' is 5000 bytes (expected at "
         "most 4096)"},
        {"deep.xml", OT_ERR_LIMIT, "deep.xml:3: element <info>: nested 65 deep (expected at "
                                   "most 64 levels)"},
        {"not-well-formed.xml", OT_ERR_INPUT,
         "not-well-formed.xml:4: XML: Opening and ending tag mismatch: record line 3 and "
         "disruptions"},
        {"no-such-file.xml", OT_ERR_IO, "no-such-file.xml: cannot open: No such file"},
    };
    for (size_t i = 0; i < OT_ARRAY_LEN(cases); i++) {
        char path[256];
        snprintf(path, sizeof path, DIR "%s", cases[i].file);
        const char *paths[] = {DIR "own-ok.xml", path};
        ot_diag *diag = ot_diag_new(20);
        read_feeds(paths, 2, cases[i].err, diag);
        if (!diag_has(diag, cases[i].message)) {
            dump(diag);
            ck_abort_msg("%s: expected a message containing \"%s\"", cases[i].file,
                         cases[i].message);
        }
        ot_diag_free(diag);
    }
}
END_TEST

START_TEST(test_memory_bounds)
{
    /* One byte over 64 MiB is refused before parsing. */
    size_t len = ((size_t)64 << 20) + 1;
    char *big = malloc(len);
    ck_assert_ptr_nonnull(big);
    memset(big, ' ', len);
    ot_disruption_set *set = ot_disruption_set_new();
    ot_diag *diag = ot_diag_new(5);
    ck_assert_int_eq(ot_xml_parse_disruptions(big, len, "big.xml", set, diag), OT_ERR_LIMIT);
    ck_assert_str_eq(ot_diag_get(diag, 0)->message,
                     "big.xml: file is 67108865 bytes (expected at most 64 MiB)");
    free(big);
    /* Empty input and a NUL byte. */
    ck_assert_int_eq(ot_xml_parse_disruptions("", 0, "empty.xml", set, diag), OT_ERR_INPUT);
    ck_assert(diag_has(diag, "empty.xml: empty file"));
    ck_assert_int_eq(ot_xml_parse_disruptions("<a>\0</a>", 8, "nul.xml", set, diag),
                     OT_ERR_INPUT);
    ck_assert(diag_has(diag, "nul.xml:1: invalid UTF-8 (byte 0x00 at offset 3"));
    ck_assert_uint_eq(ot_disruption_set_count(set), 0);
    ot_diag_free(diag);
    ot_disruption_set_free(set);
}
END_TEST

START_TEST(test_effects_csv)
{
    ot_diag *diag = ot_diag_new(20);
    ot_effects *e = NULL;
    ck_assert_int_eq(ot_csv_load_effects("data/disruption-effects.csv", diag, &e), OT_OK);
    ck_assert_uint_gt(ot_effects_count(e), 20);
    ot_effect_row row;
    ck_assert(ot_effects_lookup(e, OT_DIALECT_CAP, "Hurricane Warning", "Extreme", "*", &row));
    ck_assert(row.closed);
    ot_effects_free(e);
    ck_assert_int_eq(ot_csv_load_effects(DIR "effects.csv", diag, &e), OT_OK);
    ck_assert_uint_eq(ot_effects_count(e), 5);
    ot_effects_free(e);
    ck_assert_uint_eq(ot_diag_errors(diag), 0);

    ck_assert_int_eq(ot_csv_load_effects(DIR "effects-bad.csv", diag, &e), OT_ERR_INPUT);
    ck_assert_ptr_null(e);
    ck_assert_uint_eq(ot_diag_errors(diag), 5);
    ck_assert_str_eq(ot_diag_get(diag, 0)->message,
                     DIR "effects-bad.csv:3: dialect 'weather' is not cap or datex");
    ck_assert(diag_has(diag, "effects-bad.csv:4: demand_factor 'lots' is not a number"));
    ck_assert(diag_has(diag, "effects-bad.csv:5: a row for one SKU category may only set "
                             "demand_factor"));
    ck_assert(diag_has(diag, "effects-bad.csv:6: capacity_factor must lie in 0..1"));
    ck_assert(diag_has(diag, "effects-bad.csv:7: closed 'maybe' is not a flag"));
    ot_diag_free(diag);
}
END_TEST

/* The whole chain on the test network: every number below is the one
 * worked out in docs/DISRUPTIONS.md's example and in check_disruption.c. */
START_TEST(test_load_end_to_end)
{
    ot_diag *diag = ot_diag_new(20);
    ot_twin *twin = NULL;
    ck_assert_int_eq(ot_csv_load_network(DIR "net", diag, &twin, NULL), OT_OK);
    const char *paths[] = {DIR "cap-storm.xml", DIR "cap-update.xml", DIR "datex.xml",
                           DIR "own-ok.xml"};
    ot_factors *f = NULL;
    ot_resolve_stats st;
    ck_assert_int_eq(ot_xml_load_disruptions(paths, 4, twin, DIR "effects.csv", DAY0, 7, diag,
                                             &f, &st), OT_OK);
    ck_assert_uint_eq(st.records, 7);
    ck_assert_uint_eq(st.withdrawn, 2);
    ot_node_ix s1 = ot_twin_find_node(twin, "S1", 2), s2 = ot_twin_find_node(twin, "S2", 2);
    ot_node_ix s3 = ot_twin_find_node(twin, "S3", 2), dc = ot_twin_find_node(twin, "DC1", 3);
    ot_node_ix sup = ot_twin_find_node(twin, "SUP1", 4);
    ot_sku_ix a = ot_twin_find_sku(twin, "A", 1), b = ot_twin_find_sku(twin, "B", 1);
    ot_sku_ix c = ot_twin_find_sku(twin, "C", 1);
    ot_lane_ix dc_s1 = ot_twin_find_lane(twin, dc, s1), dc_s2 = ot_twin_find_lane(twin, dc, s2);
    ot_lane_ix dc_s3 = ot_twin_find_lane(twin, dc, s3), sup_dc = ot_twin_find_lane(twin, sup, dc);
    /* Hurricane (update) on S2, 2026-01-02: closed, demand 0.2. */
    ck_assert(ot_factors_node_closed(f, s2, DAY0 + 1));
    ck_assert(!ot_factors_node_closed(f, s2, DAY0 + 2));
    ck_assert_double_eq_tol(ot_factors_demand(f, s2, c, DAY0 + 1), 0.2, 1e-12);
    /* Own closure of S1 on 01-02..01-03. */
    ck_assert(ot_factors_node_closed(f, s1, DAY0 + 2));
    ck_assert_double_eq(ot_factors_lane_capacity(f, dc_s1, DAY0 + 2), 0);
    /* Roadworks RW-1 crosses DC1->S1 on 01-01..01-02: capacity 0.7, lead
     * ceil(1 x 1.5) = 2. */
    ck_assert_double_eq(ot_factors_lane_capacity(f, dc_s1, DAY0), 0.7);
    ck_assert_int_eq(ot_factors_lead_time_days(f, dc_s1, DAY0), 2);
    /* DC1->S2: own cut 0.5 (01-01..01-03) with roadworks 0.7: 0.5. */
    ck_assert_double_eq(ot_factors_lane_capacity(f, dc_s2, DAY0 + 2), 0.5);
    ck_assert_double_eq(ot_factors_lane_capacity(f, dc_s2, DAY0 + 3), 1);
    /* Supplier: ceil(7 x 1.5 + 2) = 13 days all week. */
    ck_assert_int_eq(ot_factors_lead_time_days(f, sup_dc, DAY0 + 6), 13);
    /* Promo on R2 (S2, S3) 01-05: food and SKU B x1.3; C untouched. */
    ck_assert_double_eq_tol(ot_factors_demand(f, s3, a, DAY0 + 4), 1.3, 1e-12);
    ck_assert_double_eq_tol(ot_factors_demand(f, s3, b, DAY0 + 4), 1.3, 1e-12);
    ck_assert_double_eq(ot_factors_demand(f, s3, c, DAY0 + 4), 1);
    /* Accident near DC1->S3 from 01-07: min(0.8, 0.4) = 0.4, ceil(3 + 0.5) = 4. */
    ck_assert_double_eq(ot_factors_lane_capacity(f, dc_s3, DAY0 + 6), 0.4);
    ck_assert_int_eq(ot_factors_lead_time_days(f, dc_s3, DAY0 + 6), 4);
    ot_factors_free(f);

    /* Nothing applied when one feed is bad. */
    const char *bad[] = {DIR "own-ok.xml", DIR "own-unknown.xml"};
    f = NULL;
    ck_assert_int_eq(ot_xml_load_disruptions(bad, 2, twin, DIR "effects.csv", DAY0, 7, diag,
                                             &f, NULL), OT_ERR_INPUT);
    ck_assert_ptr_null(f);
    ck_assert(diag_has(diag, "own-unknown.xml:3: record 'ghost': node 'S404' is not in the "
                             "network"));
    ck_assert(diag_has(diag, "own-unknown.xml:3: record 'ghost': lane 'S3->S1' is not a route"));

    /* validate's check: over the records' own span (2026-01-01 .. open
     * ended -> the latest start), the same records. */
    ck_assert_int_eq(ot_xml_check_disruptions(paths, 4, twin, DIR "effects.csv", diag, &st),
                     OT_OK);
    ck_assert_uint_eq(st.records, 7);
    ck_assert_int_eq(ot_xml_check_disruptions(bad, 2, twin, DIR "effects.csv", diag, NULL),
                     OT_ERR_INPUT);
    ck_assert_int_eq(ot_xml_check_disruptions(paths, 1, twin, DIR "no-such.csv", diag, NULL),
                     OT_ERR_IO);
    ot_twin_free(twin);
    ot_diag_free(diag);
}
END_TEST

Suite *ot_suite_disruption_xml(void)
{
    Suite *s = suite_create("disruption_xml");
    const struct {
        const char *name;
        const TTest *test;
    } cases[] = {
        {"cap_alert", test_cap_alert},       {"cap_update_cancel", test_cap_update_cancel},
        {"cap_invalid", test_cap_invalid},   {"datex", test_datex},
        {"own_feed", test_own_feed},         {"own_invalid", test_own_invalid},
        {"hostile", test_hostile},           {"memory_bounds", test_memory_bounds},
        {"effects_csv", test_effects_csv},   {"load_end_to_end", test_load_end_to_end},
    };
    for (size_t i = 0; i < OT_ARRAY_LEN(cases); i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_set_timeout(tc, 30);
        tcase_add_test(tc, cases[i].test);
        suite_add_tcase(s, tc);
    }
    return s;
}
