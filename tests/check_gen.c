/* The generator: determinism, the network's shape counted by hand, lanes,
 * the demand model's properties (slow movers, weekends, promotions, trend,
 * store sizes), the event simulation's bookkeeping, and `omnitwin gen`'s
 * files loaded back through the CSV adapter. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "csv/network_csv.h"
#include "omnitwin/gen.h"

Suite *ot_suite_gen(void);

static ot_gen *make(int32_t suppliers, int32_t dcs, int32_t stores, int32_t skus, int32_t days,
                    uint64_t seed)
{
    ot_gen_params p;
    ot_gen_params_default(&p);
    p.suppliers = suppliers, p.dcs = dcs, p.stores = stores, p.skus = skus, p.days = days;
    p.seed = seed;
    ot_gen *g = NULL;
    char why[200] = "";
    ck_assert_msg(ot_gen_new(&p, &g, why, sizeof why) == OT_OK, "%s", why);
    return g;
}

static const char *id(const ot_gen *g, int32_t n) { return ot_gen_node_at(g, n)->id; }

START_TEST(same_seed_same_series_other_seed_other_series)
{
    ot_gen *a = make(1, 2, 6, 30, 200, 42), *b = make(1, 2, 6, 30, 200, 42);
    ot_gen *c = make(1, 2, 6, 30, 200, 43);
    int32_t sa[200], sb[200], sc[200];
    int differ = 0;
    for (int32_t k = 0; k < 6; k++)
        for (int32_t s = 0; s < 30; s++) {
            ot_gen_demand_series(a, k, s, 0, 200, sa);
            ot_gen_demand_series(b, k, s, 0, 200, sb);
            ot_gen_demand_series(c, k, s, 0, 200, sc);
            ck_assert(memcmp(sa, sb, sizeof sa) == 0);
            differ += memcmp(sa, sc, sizeof sa) != 0;
            /* A day made alone equals the same day inside the series. */
            ck_assert_int_eq(ot_gen_demand(a, k, s, 17 + s), sa[17 + s]);
        }
    ck_assert_int_ge(differ, 170); /* of 180 series */
    /* Master data is equal too. */
    ck_assert_uint_eq(ot_gen_lane_count(a), ot_gen_lane_count(b));
    for (size_t l = 0; l < ot_gen_lane_count(a); l++)
        ck_assert(memcmp(ot_gen_lane_at(a, l), ot_gen_lane_at(b, l), sizeof(ot_gen_lane)) == 0);
    for (int32_t s = 0; s < 30; s++)
        ck_assert(memcmp(ot_gen_sku_at(a, s), ot_gen_sku_at(b, s), sizeof(ot_gen_sku)) == 0);
    ot_gen_free(a);
    ot_gen_free(b);
    ot_gen_free(c);
}
END_TEST

START_TEST(tiny_network_has_the_shape_counted_by_hand)
{
    /* 2 suppliers, 2 DCs, 5 stores: 9 nodes, 4 regions (two per DC), stores
     * in regions by number: R01 = S0001, S0005 (one lateral pair), R02..R04
     * one store each. Lanes: 2x2 supplier->DC + 2 DC->DC + 5x2 DC->store +
     * 2 store->store = 18. */
    ot_gen *g = make(2, 2, 5, 3, 14, 7);
    ck_assert_uint_eq(ot_gen_node_count(g), 9);
    ck_assert_uint_eq(ot_gen_region_count(g), 4);
    ck_assert_uint_eq(ot_gen_lane_count(g), 18);
    const char *ids[] = {"SUP01", "SUP02", "DC01", "DC02", "S0001", "S0002", "S0003", "S0004", "S0005"};
    for (int32_t n = 0; n < 9; n++)
        ck_assert_str_eq(id(g, n), ids[n]);
    ck_assert_str_eq(ot_gen_sku_at(g, 2)->id, "SKU00003");
    ck_assert_str_eq(ot_gen_node_at(g, 8)->region, "R01");
    ck_assert_str_eq(ot_gen_node_at(g, 5)->region, "R02");
    ck_assert_str_eq(ot_gen_node_at(g, 2)->region, "R01"); /* DC01 */
    ck_assert_str_eq(ot_gen_node_at(g, 3)->region, "R03"); /* DC02 */
    const ot_gen_lane *l = ot_gen_lane_at(g, 4);
    ck_assert_str_eq(id(g, l->from), "DC01");
    ck_assert_str_eq(id(g, l->to), "DC02");
    ck_assert_int_eq(l->lead_time_days, 2);
    l = ot_gen_lane_at(g, 16);
    ck_assert_str_eq(id(g, l->from), "S0001");
    ck_assert_str_eq(id(g, l->to), "S0005");
    ck_assert_int_eq(l->lead_time_days, 1);
    ck_assert_str_eq(l->mode, "van");
    l = ot_gen_lane_at(g, 17);
    ck_assert_str_eq(id(g, l->from), "S0005");
    ck_assert_str_eq(id(g, l->to), "S0001");
    ot_gen_free(g);

    /* One DC: 2 regions; R01 = S0001, S0003. 1 + 0 + 3 + 2 = 6 lanes. */
    g = make(1, 1, 3, 2, 14, 7);
    ck_assert_uint_eq(ot_gen_lane_count(g), 6);
    ck_assert_uint_eq(ot_gen_region_count(g), 2);
    ot_gen_free(g);

    /* Widths follow the counts. */
    ot_gen_params p;
    ot_gen_params_default(&p);
    p.suppliers = 3, p.dcs = 12, p.stores = 10000, p.skus = 100000, p.days = 1;
    p.event_days = 0;
    char why[200];
    ck_assert_int_eq(ot_gen_new(&p, &g, why, sizeof why), OT_OK);
    ck_assert_str_eq(id(g, 0), "SUP01");
    ck_assert_str_eq(id(g, 3), "DC01");
    ck_assert_str_eq(id(g, 15), "S00001");
    ck_assert_str_eq(id(g, 15 + 9999), "S10000");
    ck_assert_str_eq(ot_gen_sku_at(g, 0)->id, "SKU000001");
    ck_assert_str_eq(ot_gen_sku_at(g, 99999)->id, "SKU100000");
    ck_assert_str_eq(ot_gen_node_at(g, 15 + 23)->region, "R24");
    ot_gen_free(g);
}
END_TEST

START_TEST(every_store_has_inbound_lanes_and_lanes_are_sane)
{
    ot_gen *g = make(3, 3, 50, 20, 30, 11);
    size_t n = ot_gen_node_count(g), lanes = ot_gen_lane_count(g);
    int *inbound = calloc(n, sizeof *inbound);
    int *seen = calloc(n * n, sizeof *seen);
    for (size_t i = 0; i < lanes; i++) {
        const ot_gen_lane *l = ot_gen_lane_at(g, i);
        ck_assert_int_ne(l->from, l->to);
        ck_assert_int_eq(seen[(size_t)l->from * n + (size_t)l->to]++, 0); /* no duplicate */
        ck_assert(l->capacity_per_day > 0 && l->cost_per_unit > 0);
        ot_node_kind from = ot_gen_node_at(g, l->from)->kind, to = ot_gen_node_at(g, l->to)->kind;
        if (from == OT_NODE_SUPPLIER) {
            ck_assert_int_eq(to, OT_NODE_DC);
            ck_assert(l->lead_time_days >= 5 && l->lead_time_days <= 10);
        } else if (from == OT_NODE_DC && to == OT_NODE_DC) {
            ck_assert_int_eq(l->lead_time_days, 2);
        } else if (from == OT_NODE_DC) {
            ck_assert(l->lead_time_days >= 1 && l->lead_time_days <= 3);
        } else {
            ck_assert(from == OT_NODE_STORE && to == OT_NODE_STORE);
            ck_assert_int_eq(l->lead_time_days, 1);
            ck_assert_str_eq(ot_gen_node_at(g, l->from)->region, ot_gen_node_at(g, l->to)->region);
        }
        inbound[l->to]++;
    }
    for (int32_t k = 0; k < 50; k++) {
        int32_t node = ot_gen_store_node(g, k);
        ck_assert_int_ge(inbound[node], 2); /* the near DC and the far DC */
        /* The near DC's lane is faster or as fast, and cheaper. */
        const ot_gen_lane *near = NULL, *far = NULL;
        for (size_t i = 0; i < lanes; i++) {
            const ot_gen_lane *l = ot_gen_lane_at(g, i);
            if (l->to == node && ot_gen_node_at(g, l->from)->kind == OT_NODE_DC)
                *(l->from == ot_gen_node_at(g, node)->primary_dc ? &near : &far) = l;
        }
        ck_assert(near && far);
        ck_assert_int_le(near->lead_time_days, far->lead_time_days);
        ck_assert(near->cost_per_unit < far->cost_per_unit);
        ck_assert(ot_gen_node_at(g, node)->capacity > 0);
    }
    free(inbound);
    free(seen);
    ot_gen_free(g);
}
END_TEST

/* Slow movers: 30-50% of SKUs; each such series has at least 45% zero
 * days over two years, and 85-97% on average (docs/GENERATOR.md). Fast
 * movers: fewer than half zero days on average. */
START_TEST(slow_movers_have_the_stated_share_of_zero_days)
{
    ot_gen *g = make(1, 2, 20, 2000, 730, 5);
    int32_t *q = malloc(730 * sizeof *q);
    int slow = 0;
    double slow_zero = 0, fast_zero = 0;
    int slow_series = 0, fast_series = 0;
    for (int32_t s = 0; s < 2000; s++) {
        bool is_slow = ot_gen_sku_at(g, s)->slow;
        slow += is_slow;
        for (int32_t k = 0; k < 20; k++) {
            ot_gen_demand_series(g, k, s, 0, 730, q);
            int zero = 0;
            for (int t = 0; t < 730; t++)
                zero += q[t] == 0;
            double share = zero / 730.0;
            if (is_slow) {
                ck_assert_msg(share >= 0.45, "slow series %d/%d has %.3f zero days", k, s, share);
                slow_zero += share, slow_series++;
            } else {
                fast_zero += share, fast_series++;
            }
        }
    }
    ck_assert_msg(slow >= 600 && slow <= 1000, "%d slow movers of 2000", slow);
    slow_zero /= slow_series;
    fast_zero /= fast_series;
    ck_assert_msg(slow_zero >= 0.85 && slow_zero <= 0.97, "slow zero share %.3f", slow_zero);
    ck_assert_msg(fast_zero < 0.5, "fast zero share %.3f", fast_zero);
    free(q);
    ot_gen_free(g);
}
END_TEST

START_TEST(weekends_promotions_trends_and_store_sizes_show)
{
    /* Start on Monday 2024-01-01 (day 19723): t % 7 == 5, 6 are weekends. */
    ot_gen_params p;
    ot_gen_params_default(&p);
    p.stores = 10, p.skus = 200, p.days = 728, p.seed = 9, p.start = 19723;
    ot_gen *g = NULL;
    char why[200];
    ck_assert_int_eq(ot_gen_new(&p, &g, why, sizeof why), OT_OK);
    int32_t q[728];
    double weekend = 0, weekday = 0, promo = 0, normal = 0;
    long promo_days = 0, normal_days = 0;
    double store_total[10] = {0};
    double up[2] = {0}, down[2] = {0}; /* years 1 and 2 of strong trends */
    for (int32_t s = 0; s < 200; s++) {
        const ot_gen_sku *sku = ot_gen_sku_at(g, s);
        double year[2] = {0};
        for (int32_t k = 0; k < 10; k++) {
            ot_gen_demand_series(g, k, s, 0, 728, q);
            for (int32_t t = 0; t < 728; t++) {
                store_total[k] += q[t];
                year[t >= 364] += q[t];
                if (sku->slow)
                    continue;
                *(t % 7 >= 5 ? &weekend : &weekday) += q[t];
                double f = ot_gen_promo_factor(g, s, t);
                if (f > 1.0)
                    promo += q[t], promo_days++;
                else if (f == 1.0)
                    normal += q[t], normal_days++;
            }
        }
        /* Strong trends show from one year to the next. */
        for (int y = 0; y < 2; y++) {
            up[y] += !sku->slow && sku->trend_per_year > 0.2 ? year[y] : 0;
            down[y] += !sku->slow && sku->trend_per_year < -0.15 ? year[y] : 0;
        }
    }
    ck_assert_msg(up[1] > 1.15 * up[0], "rising: %.0f -> %.0f", up[0], up[1]);
    ck_assert_msg(down[1] < 0.9 * down[0], "falling: %.0f -> %.0f", down[0], down[1]);
    ck_assert_msg(weekend / 2.0 > 1.1 * weekday / 5.0, "weekend %.0f weekday %.0f", weekend, weekday);
    ck_assert(promo_days > 0 && normal_days > 0);
    ck_assert_msg(promo / promo_days > 1.4 * normal / normal_days, "promo %.2f normal %.2f",
                  promo / promo_days, normal / normal_days);
    /* The biggest store sells more than the smallest. */
    int32_t big = 0, small = 0;
    for (int32_t k = 1; k < 10; k++) {
        if (ot_gen_node_at(g, ot_gen_store_node(g, k))->scale > ot_gen_node_at(g, ot_gen_store_node(g, big))->scale)
            big = k;
        if (ot_gen_node_at(g, ot_gen_store_node(g, k))->scale < ot_gen_node_at(g, ot_gen_store_node(g, small))->scale)
            small = k;
    }
    ck_assert(ot_gen_node_at(g, ot_gen_store_node(g, big))->scale >= 1.5 * ot_gen_node_at(g, ot_gen_store_node(g, small))->scale);
    ck_assert(store_total[big] > 1.3 * store_total[small]);
    /* Weekday factors: Saturday above Monday for every SKU. */
    for (int32_t s = 0; s < 200; s++)
        ck_assert(ot_gen_weekday_factor(g, s, 5) > ot_gen_weekday_factor(g, s, 0));
    ot_gen_free(g);
}
END_TEST

/* Replays the simulated events on a ledger started from the opening stock:
 * ids run 1, 2, ...; times never go back; stock never goes negative; every
 * receipt closes either a pipeline line of the same pair or an earlier ship
 * of the same SKU and quantity toward that node, exactly once. */
START_TEST(events_keep_a_consistent_ledger)
{
    ot_gen_params p;
    ot_gen_params_default(&p);
    p.suppliers = 1, p.dcs = 2, p.stores = 8, p.skus = 25, p.days = 60, p.event_days = 10;
    p.seed = 3;
    ot_gen *g = NULL;
    char why[200];
    ck_assert_int_eq(ot_gen_new(&p, &g, why, sizeof why), OT_OK);
    int32_t nodes = (int32_t)ot_gen_node_count(g);
    int64_t *stock = calloc((size_t)nodes * 25, sizeof *stock);
    bool *pipe_done = calloc((size_t)nodes * 25, sizeof *pipe_done);
    enum { MAX_SHIPS = 100000 };
    ot_gen_event *ships = calloc(MAX_SHIPS, sizeof *ships);
    bool *ship_done = calloc(MAX_SHIPS, sizeof *ship_done);
    for (int32_t n = 0; n < nodes; n++)
        for (int32_t s = 0; s < 25; s++)
            stock[n * 25 + s] = ot_gen_opening_stock(g, n, s);
    ot_gen_sim *sim;
    ck_assert_int_eq(ot_gen_sim_new(g, &sim), OT_OK);
    uint64_t next = 1;
    ot_ts last = 0;
    int kinds[7] = {0}, lateral = 0;
    for (int32_t e = 0; e < 10; e++) {
        const ot_gen_event *ev;
        size_t count;
        ck_assert_int_eq(ot_gen_sim_day(sim, e, &ev, &count), OT_OK);
        for (size_t i = 0; i < count; i++) {
            const ot_gen_event *x = &ev[i];
            ck_assert_uint_eq(x->id, next++);
            ck_assert(x->ts >= last);
            last = x->ts;
            ck_assert_int_eq(ot_ts_day(x->ts), p.start + p.days + e);
            kinds[x->type]++;
            int64_t *on_hand = &stock[x->node * 25 + x->sku];
            switch (x->type) {
            case OT_EV_SALE:
            case OT_EV_ONLINE_ORDER:
                ck_assert_int_eq(ot_gen_node_at(g, x->node)->kind, OT_NODE_STORE);
                ck_assert_int_gt(x->qty, 0);
                *on_hand -= x->qty;
                break;
            case OT_EV_RETURN:
            case OT_EV_ADJUST:
                ck_assert(x->qty != 0);
                *on_hand += x->qty;
                break;
            case OT_EV_COUNT:
                ck_assert_int_le(x->qty, *on_hand); /* shrink only lowers */
                *on_hand = x->qty;
                break;
            case OT_EV_SHIP:
                ck_assert_int_gt(x->qty, 0);
                if (ot_gen_node_at(g, x->node)->kind == OT_NODE_DC) {
                    /* Replenishment from the primary DC, whole case packs. */
                    ck_assert_int_eq(x->node, ot_gen_node_at(g, x->ref_node)->primary_dc);
                    ck_assert_int_eq(x->qty % ot_gen_sku_at(g, x->sku)->case_pack, 0);
                } else {
                    /* A lateral transfer to the partner store in the region. */
                    ck_assert_str_eq(ot_gen_node_at(g, x->node)->region,
                                     ot_gen_node_at(g, x->ref_node)->region);
                    lateral++;
                }
                ck_assert_uint_lt(x->id, MAX_SHIPS);
                ships[x->id] = *x;
                *on_hand -= x->qty;
                break;
            case OT_EV_RECEIPT:
                if (x->ref_event) {
                    const ot_gen_event *sh = &ships[x->ref_event];
                    ck_assert(!ship_done[x->ref_event] && sh->type == OT_EV_SHIP);
                    ck_assert(sh->ref_node == x->node && sh->sku == x->sku && sh->qty == x->qty);
                    ck_assert(sh->ts < x->ts);
                    ship_done[x->ref_event] = true;
                } else {
                    ot_gen_pipeline line;
                    ck_assert(ot_gen_pipeline_line(g, x->ref_pipeline_node, x->sku, &line));
                    ck_assert(line.to == x->node && line.qty == x->qty);
                    ck_assert_int_eq(line.arrive_day, p.days + e);
                    ck_assert(!pipe_done[x->node * 25 + x->sku]);
                    pipe_done[x->node * 25 + x->sku] = true;
                }
                *on_hand += x->qty;
                break;
            }
            ck_assert_msg(*on_hand >= 0, "event %llu leaves %s %s at %lld",
                          (unsigned long long)x->id, id(g, x->node),
                          ot_gen_sku_at(g, x->sku)->id, (long long)*on_hand);
        }
    }
    /* Every kind of event happens; pipeline lines all arrived (first week). */
    for (int k = 0; k < 7; k++)
        ck_assert_msg(kinds[k] > 0, "no event of type %s", ot_event_type_name((ot_event_type)k));
    ck_assert_int_gt(lateral, 0);
    for (int32_t n = 0; n < nodes; n++)
        for (int32_t s = 0; s < 25; s++) {
            ot_gen_pipeline line;
            ck_assert(ot_gen_pipeline_line(g, n, s, &line) == pipe_done[n * 25 + s]);
        }
    ot_gen_sim_free(sim);
    free(stock);
    free(pipe_done);
    free(ships);
    free(ship_done);
    ot_gen_free(g);
}
END_TEST

START_TEST(bad_parameters_are_refused_with_reasons)
{
    ot_gen_params p;
    ot_gen_params_default(&p);
    char why[200];
    ck_assert_int_eq(ot_gen_params_check(&p, why, sizeof why), OT_OK);
    p.dcs = 0;
    ck_assert_int_eq(ot_gen_params_check(&p, why, sizeof why), OT_ERR_USAGE);
    ck_assert_str_eq(why, "--dcs 0 is out of range (expected 1 to 999)");
    ot_gen_params_default(&p);
    p.days = 3661;
    ck_assert_int_eq(ot_gen_params_check(&p, why, sizeof why), OT_ERR_USAGE);
    ck_assert_str_eq(why, "--days 3661 is out of range (expected 1 to 3660)");
    ot_gen_params_default(&p);
    p.stores = 60000, p.skus = 1000;
    ck_assert_int_eq(ot_gen_params_check(&p, why, sizeof why), OT_ERR_USAGE);
    ck_assert_str_eq(why, "(dcs + stores) x skus = 60002000 node-SKU pairs is too many to "
                          "simulate events (expected at most 50000000, or --event-days 0)");
    p.event_days = 0;
    ck_assert_int_eq(ot_gen_params_check(&p, why, sizeof why), OT_OK);
    ot_gen *g = (ot_gen *)&p;
    p.suppliers = -1;
    ck_assert_int_eq(ot_gen_new(&p, &g, why, sizeof why), OT_ERR_USAGE);
    ck_assert_ptr_null(g);
}
END_TEST

/* ---- The command: files, bytes, and a load through the CSV adapter ------ */

static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    char *data = malloc((size_t)size + 1);
    ck_assert_uint_eq(fread(data, 1, (size_t)size, f), (size_t)size);
    data[size] = '\0';
    fclose(f);
    *len = (size_t)size;
    return data;
}

static size_t lines(const char *data, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += data[i] == '\n';
    return n;
}

static int run_gen(const char *dir, const char *seed)
{
    char *argv[] = {"gen", "--out", (char *)dir, "--suppliers", "2", "--dcs", "2",
                    "--stores", "5", "--skus", "3", "--days", "30", "--seed", (char *)seed,
                    "--event-days=4", NULL};
    return ot_cli_gen(16, argv);
}

static const char *files[] = {"nodes.csv", "skus.csv", "routes.csv", "inventory.csv",
                              "history.csv", "pipeline.csv", "policy.csv", "events.csv"};

static void remove_dir(const char *dir)
{
    char path[512];
    for (size_t i = 0; i < OT_ARRAY_LEN(files); i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

START_TEST(gen_command_writes_identical_bytes_that_load_back)
{
    char a[] = "/tmp/ot_gen_a_XXXXXX", b[] = "/tmp/ot_gen_b_XXXXXX", c[] = "/tmp/ot_gen_c_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(a));
    ck_assert_ptr_nonnull(mkdtemp(b));
    ck_assert_ptr_nonnull(mkdtemp(c));
    ck_assert_int_eq(run_gen(a, "77"), OT_EXIT_OK);
    ck_assert_int_eq(run_gen(b, "77"), OT_EXIT_OK);
    ck_assert_int_eq(run_gen(c, "78"), OT_EXIT_OK);
    size_t header_lines[] = {1 + 9, 1 + 3, 1 + 18, 1 + 7 * 3, 0, 0, 1 + 5 * 3, 0};
    for (size_t i = 0; i < OT_ARRAY_LEN(files); i++) {
        size_t la, lb, lc;
        char *da = slurp(a, files[i], &la), *db = slurp(b, files[i], &lb);
        char *dc = slurp(c, files[i], &lc);
        ck_assert_msg(la == lb && memcmp(da, db, la) == 0, "%s differs for one seed", files[i]);
        if (header_lines[i])
            ck_assert_uint_eq(lines(da, la), header_lines[i]);
        if (strcmp(files[i], "history.csv") == 0) {
            ck_assert(la != lc || memcmp(da, dc, la) != 0);
            /* Sorted by node, SKU, date (ids and dates sort as text). */
            char prev[64] = "", key[64];
            for (char *line = strchr(da, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
                char date[11], node[16], sku[16];
                int qty;
                ck_assert_int_eq(sscanf(line, "%10[^,],%15[^,],%15[^,],%d", date, node, sku, &qty), 4);
                ck_assert_int_gt(qty, 0);
                snprintf(key, sizeof key, "%s %s %s", node, sku, date);
                ck_assert_msg(strcmp(prev, key) < 0, "%s after %s", key, prev);
                memcpy(prev, key, sizeof key);
            }
        }
        free(da);
        free(db);
        free(dc);
    }
    /* Loads through the CSV adapter and takes every event. */
    ot_diag *diag = ot_diag_new(20);
    ot_twin *t = NULL;
    ck_assert_int_eq(ot_csv_load_network(a, diag, &t, NULL), OT_OK);
    ck_assert_uint_eq(ot_diag_count(diag), 0);
    ck_assert_uint_eq(ot_twin_lane_count(t), 18);
    char events[512];
    snprintf(events, sizeof events, "%s/events.csv", a);
    ot_event_stats stats;
    ck_assert_int_eq(ot_csv_apply_events(t, events, diag, &stats), OT_OK);
    ck_assert_uint_eq(ot_diag_errors(diag), 0);
    ck_assert_uint_gt(stats.read, 0);
    ck_assert_uint_eq(stats.applied, stats.read);
    for (size_t n = 0; n < ot_twin_node_count(t); n++)
        for (size_t s = 0; s < ot_twin_sku_count(t); s++)
            ck_assert_int_ge(ot_twin_on_hand(t, (ot_node_ix)n, (ot_sku_ix)s), 0);
    ot_twin_free(t);
    ot_diag_free(diag);
    remove_dir(a);
    remove_dir(b);
    remove_dir(c);
}
END_TEST

START_TEST(gen_command_refuses_bad_flags)
{
    char *no_out[] = {"gen", "--dcs", "2", NULL};
    ck_assert_int_eq(ot_cli_gen(3, no_out), OT_EXIT_USAGE);
    char *bad_count[] = {"gen", "--out", "/tmp/x", "--stores", "many", NULL};
    ck_assert_int_eq(ot_cli_gen(5, bad_count), OT_EXIT_USAGE);
    char *bad_date[] = {"gen", "--out", "/tmp/x", "--start", "2025-02-30", NULL};
    ck_assert_int_eq(ot_cli_gen(5, bad_date), OT_EXIT_USAGE);
    char *zero_dcs[] = {"gen", "--out", "/tmp/x", "--dcs", "0", NULL};
    ck_assert_int_eq(ot_cli_gen(5, zero_dcs), OT_EXIT_USAGE);
    char *unknown[] = {"gen", "--out", "/tmp/x", "--colour", "red", NULL};
    ck_assert_int_eq(ot_cli_gen(5, unknown), OT_EXIT_USAGE);
    char *missing[] = {"gen", "--out", NULL};
    ck_assert_int_eq(ot_cli_gen(2, missing), OT_EXIT_USAGE);
    ck_assert_int_ne(access("/tmp/x/nodes.csv", F_OK), 0);
    /* --out names a file: nothing written, exit 70. */
    char file[] = "/tmp/ot_gen_file_XXXXXX";
    int fd = mkstemp(file);
    ck_assert_int_ge(fd, 0);
    close(fd);
    char *not_dir[] = {"gen", "--out", file, "--stores", "1", "--skus", "1", NULL};
    ck_assert_int_eq(ot_cli_gen(7, not_dir), OT_EXIT_INTERNAL);
    unlink(file);
    /* Missing parents are created (mkdir -p). */
    char top[] = "/tmp/ot_gen_parent_XXXXXX", nested[64], sub[64];
    ck_assert_ptr_nonnull(mkdtemp(top));
    snprintf(sub, sizeof sub, "%s/a", top);
    snprintf(nested, sizeof nested, "%s/a/b", top);
    char *deep[] = {"gen", "--out", nested, "--stores", "1", "--skus", "1", "--days", "2", NULL};
    ck_assert_int_eq(ot_cli_gen(9, deep), OT_EXIT_OK);
    remove_dir(nested);
    rmdir(sub);
    rmdir(top);
    ck_assert_int_ne(access(top, F_OK), 0);
}
END_TEST

Suite *ot_suite_gen(void)
{
    Suite *s = suite_create("gen");
    struct { const char *name; const TTest *test; } tests[] = {
        {"determinism", same_seed_same_series_other_seed_other_series},
        {"shape", tiny_network_has_the_shape_counted_by_hand},
        {"lanes", every_store_has_inbound_lanes_and_lanes_are_sane},
        {"slow_movers", slow_movers_have_the_stated_share_of_zero_days},
        {"patterns", weekends_promotions_trends_and_store_sizes_show},
        {"events", events_keep_a_consistent_ledger},
        {"params", bad_parameters_are_refused_with_reasons},
        {"command", gen_command_writes_identical_bytes_that_load_back},
        {"flags", gen_command_refuses_bad_flags},
    };
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        TCase *tc = tcase_create(tests[i].name);
        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, tests[i].test);
        suite_add_tcase(s, tc);
    }
    return s;
}
