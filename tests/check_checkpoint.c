/* Checkpoints: twin and partition offsets in one atomic file; corrupt,
 * truncated and missing files; the state-directory lock. */
#include <check.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state/checkpoint.h"

Suite *ot_suite_checkpoint(void);

/* Two stores, one SKU; store S1 holds 7 units, S2 holds 3. */
static ot_twin *small_twin(void)
{
    ot_twin *t = ot_twin_new(0);
    ck_assert_ptr_nonnull(t);
    const ot_node_info nodes[] = {{"S1", OT_NODE_STORE, "", false, 0, 0, INFINITY},
                                  {"S2", OT_NODE_STORE, "", false, 0, 0, INFINITY}};
    for (size_t i = 0; i < 2; i++)
        ck_assert_int_eq(ot_twin_add_node(t, &nodes[i], NULL), OT_OK);
    const ot_sku_info sku = {"A", "", 1, 0.01, 1, 1, 1};
    ck_assert_int_eq(ot_twin_add_sku(t, &sku, NULL), OT_OK);
    ck_assert_int_eq(ot_twin_seal_catalog(t, 1, 0), OT_OK);
    ck_assert_int_eq(ot_twin_set_on_hand(t, 0, 0, 7), OT_OK);
    ck_assert_int_eq(ot_twin_set_on_hand(t, 1, 0, 3), OT_OK);
    return t;
}

static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/ot-ckpt-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static char *path_in(const char *name)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

START_TEST(meta_set_find_update)
{
    ot_checkpoint_meta m;
    ot_checkpoint_meta_init(&m);
    long ix = -7;
    ck_assert_int_eq(ot_checkpoint_meta_find(&m, "omnitwin.stock", 0), -1);
    ck_assert_int_eq(ot_checkpoint_meta_set(&m, "omnitwin.stock", 0, 10, &ix), OT_OK);
    ck_assert_int_eq(ix, 0);
    ck_assert_int_eq(ot_checkpoint_meta_set(&m, "omnitwin.stock", 1, 20, &ix), OT_OK);
    ck_assert_int_eq(ix, 1);
    ck_assert_int_eq(ot_checkpoint_meta_set(&m, "omnitwin.orders", 0, 30, &ix), OT_OK);
    ck_assert_int_eq(ix, 2);
    /* Updating keeps the slot. */
    ck_assert_int_eq(ot_checkpoint_meta_set(&m, "omnitwin.stock", 1, 21, &ix), OT_OK);
    ck_assert_int_eq(ix, 1);
    ck_assert_uint_eq(m.count, 3);
    ck_assert_int_eq(m.offsets[1].next_offset, 21);
    ck_assert_int_eq(ot_checkpoint_meta_find(&m, "omnitwin.orders", 0), 2);
    ck_assert_int_eq(ot_checkpoint_meta_find(&m, "omnitwin.orders", 1), -1);
    ot_checkpoint_meta_release(&m);
    ck_assert_uint_eq(m.count, 0);
}
END_TEST

START_TEST(meta_bounds)
{
    ot_checkpoint_meta m;
    ot_checkpoint_meta_init(&m);
    char topic[OT_CHECKPOINT_TOPIC_MAX + 2];
    memset(topic, 't', sizeof topic - 1);
    topic[sizeof topic - 1] = '\0';
    ck_assert_int_eq(ot_checkpoint_meta_set(&m, topic, 0, 1, NULL), OT_ERR_LIMIT);
    ck_assert_int_eq(ot_checkpoint_meta_set(&m, "", 0, 1, NULL), OT_ERR_LIMIT);
    topic[OT_CHECKPOINT_TOPIC_MAX] = '\0'; /* exactly the limit: accepted */
    ck_assert_int_eq(ot_checkpoint_meta_set(&m, topic, 0, 1, NULL), OT_OK);
    ck_assert_uint_eq(m.count, 1);
    ot_checkpoint_meta_release(&m);
}
END_TEST

START_TEST(round_trip)
{
    make_dir();
    ot_twin *t = small_twin();
    ot_checkpoint_meta m;
    ot_checkpoint_meta_init(&m);
    m.events = 12345;
    snprintf(m.last_plan_id, sizeof m.last_plan_id, "P00000000deadbeef");
    ck_assert_int_eq(ot_checkpoint_meta_set(&m, "p.stock", 3, 1000, NULL), OT_OK);
    ck_assert_int_eq(ot_checkpoint_meta_set(&m, "p.orders", 0, 42, NULL), OT_OK);
    char why[512] = "";
    ck_assert_int_eq(ot_checkpoint_write(dir, t, &m, why, sizeof why), OT_OK);
    ck_assert_int_eq(file_size(path_in("checkpoint.otc.tmp")), -1); /* renamed away */

    ot_twin *back = NULL;
    ot_checkpoint_meta m2;
    ck_assert_int_eq(ot_checkpoint_read(dir, &back, &m2, why, sizeof why), OT_OK);
    ck_assert_ptr_nonnull(back);
    ck_assert_uint_eq(ot_twin_digest(back), ot_twin_digest(t));
    ck_assert_int_eq(ot_twin_on_hand(back, 0, 0), 7);
    ck_assert_int_eq(ot_twin_on_hand(back, 1, 0), 3);
    ck_assert_uint_eq(m2.events, 12345);
    ck_assert_str_eq(m2.last_plan_id, "P00000000deadbeef");
    ck_assert_uint_eq(m2.count, 2);
    ck_assert_str_eq(m2.offsets[0].topic, "p.stock");
    ck_assert_int_eq(m2.offsets[0].partition, 3);
    ck_assert_int_eq(m2.offsets[0].next_offset, 1000);
    ck_assert_str_eq(m2.offsets[1].topic, "p.orders");
    ck_assert_int_eq(m2.offsets[1].next_offset, 42);

    /* A second write replaces the first. */
    ck_assert_int_eq(ot_twin_set_on_hand(t, 0, 0, 8), OT_OK);
    m.offsets[1].next_offset = 43;
    ck_assert_int_eq(ot_checkpoint_write(dir, t, &m, why, sizeof why), OT_OK);
    ot_twin_free(back);
    ot_checkpoint_meta_release(&m2);
    ck_assert_int_eq(ot_checkpoint_read(dir, &back, &m2, why, sizeof why), OT_OK);
    ck_assert_int_eq(ot_twin_on_hand(back, 0, 0), 8);
    ck_assert_int_eq(m2.offsets[1].next_offset, 43);

    ot_twin_free(back);
    ot_twin_free(t);
    ot_checkpoint_meta_release(&m);
    ot_checkpoint_meta_release(&m2);
    remove_dir();
}
END_TEST

START_TEST(missing_is_not_found)
{
    make_dir();
    ot_twin *t = (ot_twin *)1;
    ot_checkpoint_meta m;
    char why[512];
    ck_assert_int_eq(ot_checkpoint_read(dir, &t, &m, why, sizeof why), OT_ERR_NOT_FOUND);
    ck_assert_ptr_null(t);
    ck_assert_uint_eq(m.count, 0);
    remove_dir();
}
END_TEST

/* Writes a good checkpoint, damages it with `damage`, expects `reason`. */
static void expect_corrupt(void (*damage)(const char *path), const char *reason)
{
    make_dir();
    ot_twin *t = small_twin();
    ot_checkpoint_meta m;
    ot_checkpoint_meta_init(&m);
    ck_assert_int_eq(ot_checkpoint_meta_set(&m, "p.stock", 0, 5, NULL), OT_OK);
    char why[512];
    ck_assert_int_eq(ot_checkpoint_write(dir, t, &m, why, sizeof why), OT_OK);
    damage(path_in("checkpoint.otc"));
    ot_twin *back = NULL;
    ot_checkpoint_meta m2;
    ck_assert_int_eq(ot_checkpoint_read(dir, &back, &m2, why, sizeof why), OT_ERR_INPUT);
    ck_assert_ptr_null(back);
    ck_assert_uint_eq(m2.count, 0);
    ck_assert_msg(strstr(why, reason) != NULL, "why: %s", why);
    ck_assert_msg(strstr(why, "checkpoint.otc: corrupt checkpoint") != NULL, "why: %s", why);
    ot_twin_free(t);
    ot_checkpoint_meta_release(&m);
    remove_dir();
}

static void flip_middle(const char *path)
{
    long size = file_size(path);
    FILE *f = fopen(path, "r+b");
    ck_assert_ptr_nonnull(f);
    fseek(f, size / 2, SEEK_SET);
    int c = fgetc(f);
    fseek(f, size / 2, SEEK_SET);
    fputc(c ^ 0x40, f);
    fclose(f);
}

static void cut_tail(const char *path)
{
    ck_assert_int_eq(truncate(path, file_size(path) - 9), 0);
}

static void cut_to_header(const char *path)
{
    ck_assert_int_eq(truncate(path, 10), 0);
}

static void bad_magic(const char *path)
{
    FILE *f = fopen(path, "r+b");
    ck_assert_ptr_nonnull(f);
    fputs("NOTCKPT", f);
    fclose(f);
}

START_TEST(corrupt_flipped_byte) { expect_corrupt(flip_middle, "checksum mismatch"); }
END_TEST
START_TEST(corrupt_truncated) { expect_corrupt(cut_tail, "checksum mismatch"); }
END_TEST
START_TEST(corrupt_header_only) { expect_corrupt(cut_to_header, "shorter than its header"); }
END_TEST
START_TEST(corrupt_magic) { expect_corrupt(bad_magic, "bad magic bytes"); }
END_TEST

START_TEST(write_failure_keeps_old)
{
    make_dir();
    ot_twin *t = small_twin();
    ot_checkpoint_meta m;
    ot_checkpoint_meta_init(&m);
    char why[512];
    char missing[128];
    snprintf(missing, sizeof missing, "%s/no/such/dir", dir);
    ck_assert_int_eq(ot_checkpoint_write(missing, t, &m, why, sizeof why), OT_ERR_IO);
    ck_assert_msg(strstr(why, "no/such/dir/checkpoint.otc.tmp: cannot create") != NULL, "why: %s", why);

    /* A directory in place of the temp file: the write fails, the old
     * checkpoint stays readable. */
    ck_assert_int_eq(ot_checkpoint_write(dir, t, &m, why, sizeof why), OT_OK);
    ck_assert_int_eq(mkdir(path_in("checkpoint.otc.tmp"), 0755), 0);
    ck_assert_int_eq(ot_twin_set_on_hand(t, 0, 0, 99), OT_OK);
    ck_assert_int_eq(ot_checkpoint_write(dir, t, &m, why, sizeof why), OT_ERR_IO);
    ot_twin *back = NULL;
    ot_checkpoint_meta m2;
    ck_assert_int_eq(ot_checkpoint_read(dir, &back, &m2, why, sizeof why), OT_OK);
    ck_assert_int_eq(ot_twin_on_hand(back, 0, 0), 7);
    ot_twin_free(back);
    ot_checkpoint_meta_release(&m2);
    ot_twin_free(t);
    ot_checkpoint_meta_release(&m);
    remove_dir();
}
END_TEST

START_TEST(lock_is_exclusive)
{
    make_dir();
    int fd1 = -1, fd2 = -1;
    char why[512];
    ck_assert_int_eq(ot_checkpoint_lock(dir, &fd1, why, sizeof why), OT_OK);
    ck_assert_int_ge(fd1, 0);
    ck_assert_int_eq(ot_checkpoint_lock(dir, &fd2, why, sizeof why), OT_ERR_USAGE);
    ck_assert_int_eq(fd2, -1);
    ck_assert_msg(strstr(why, "another omnitwin stream uses this state directory") != NULL, "%s", why);
    close(fd1);
    ck_assert_int_eq(ot_checkpoint_lock(dir, &fd2, why, sizeof why), OT_OK); /* released */
    close(fd2);
    remove_dir();
}
END_TEST

Suite *ot_suite_checkpoint(void)
{
    Suite *s = suite_create("checkpoint");
    TCase *tc = tcase_create("meta");
    tcase_add_test(tc, meta_set_find_update);
    tcase_add_test(tc, meta_bounds);
    suite_add_tcase(s, tc);
    tc = tcase_create("file");
    tcase_add_test(tc, round_trip);
    tcase_add_test(tc, missing_is_not_found);
    tcase_add_test(tc, write_failure_keeps_old);
    suite_add_tcase(s, tc);
    tc = tcase_create("corrupt");
    tcase_add_test(tc, corrupt_flipped_byte);
    tcase_add_test(tc, corrupt_truncated);
    tcase_add_test(tc, corrupt_header_only);
    tcase_add_test(tc, corrupt_magic);
    suite_add_tcase(s, tc);
    tc = tcase_create("lock");
    tcase_add_test(tc, lock_is_exclusive);
    suite_add_tcase(s, tc);
    return s;
}
