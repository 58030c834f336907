/*
 * store (db, users, tokens, streams): migrations on a fresh file (user_version), case-insensitive
 * username/email conflicts, login by username or email, tokens, stream
 * create/get/list (filters, limit+1 paging) and the state rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/streams.h"
#include "store/tokens.h"
#include "store/users.h"

static char g_dir[64];
static store_t *g_s;

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "/tmp/siaran-store-XXXXXX");
    assert_non_null(mkdtemp(g_dir));
    char path[128], err[256];
    snprintf(path, sizeof path, "%s/t.db", g_dir);
    assert_int_equal(store_open(&g_s, path, err, sizeof err), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(g_s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

static void test_migrations(void **state)
{
    (void)state;
    assert_int_equal(store_schema_version(g_s), store_migrations_count);
    char err[256];
    assert_int_equal(store_migrate(g_s, err, sizeof err), 0); /* nothing left to run */
}

static void test_users_and_tokens(void **state)
{
    (void)state;
    store_user_t u, v;
    int which;
    assert_int_equal(store_user_create(g_s, "Budi", "budi@example.com", "h", &u, &which), STORE_OK);
    assert_true(u.id > 0);
    assert_int_equal(store_user_create(g_s, "budi", "other@example.com", "h", &v, &which),
                     STORE_CONFLICT);
    assert_int_equal(which, STORE_USER_USERNAME_TAKEN);
    assert_int_equal(store_user_create(g_s, "siti", "BUDI@example.com", "h", &v, &which),
                     STORE_CONFLICT);
    assert_int_equal(which, STORE_USER_EMAIL_TAKEN);
    assert_int_equal(store_user_by_login(g_s, "BUDI", &v), STORE_OK);
    assert_int_equal(v.id, u.id);
    assert_int_equal(store_user_by_login(g_s, "budi@EXAMPLE.com", &v), STORE_OK);
    assert_int_equal(v.id, u.id);
    assert_int_equal(store_user_by_login(g_s, "nobody", &v), STORE_NOT_FOUND);
    assert_int_equal(store_user_count(g_s), 1);

    uint8_t hash[32] = {1, 2, 3};
    int64_t uid = 0;
    assert_int_equal(store_token_lookup(g_s, hash, &uid), STORE_NOT_FOUND);
    assert_int_equal(store_token_create(g_s, hash, u.id), STORE_OK);
    assert_int_equal(store_token_lookup(g_s, hash, &uid), STORE_OK);
    assert_int_equal(uid, u.id);
    assert_int_equal(store_token_delete(g_s, hash), STORE_OK);
    assert_int_equal(store_token_lookup(g_s, hash, &uid), STORE_NOT_FOUND);
}

static void test_streams(void **state)
{
    (void)state;
    store_user_t u;
    int which;
    assert_int_equal(store_user_create(g_s, "owner1", "o1@example.com", "h", &u, &which), STORE_OK);
    int64_t ids[5];
    for (int i = 0; i < 5; i++) {
        store_stream_t s;
        char key[32], title[32];
        snprintf(key, sizeof key, "sk_test_%d", i);
        snprintf(title, sizeof title, "Stream %d", i);
        assert_int_equal(store_stream_create(g_s, u.id, title, NULL, key, &s), STORE_OK);
        assert_string_equal(s.status, "created");
        assert_string_equal(s.owner_username, "owner1");
        assert_string_equal(s.description, "");
        assert_string_equal(s.started_at, "");
        ids[i] = s.id;
        store_stream_clear(&s);
    }
    /* paging: newest first, limit + 1 rows tell that more exist */
    store_stream_filter_t f = {NULL, u.id, 0, 2};
    store_stream_t *rows;
    size_t n;
    assert_int_equal(store_stream_list(g_s, &f, &rows, &n), STORE_OK);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].id, ids[4]);
    assert_int_equal(rows[1].id, ids[3]);
    f.before_id = rows[1].id;
    store_stream_list_free(rows, n);
    assert_int_equal(store_stream_list(g_s, &f, &rows, &n), STORE_OK);
    assert_int_equal(rows[0].id, ids[2]);
    store_stream_list_free(rows, n);

    assert_int_equal(store_stream_start(g_s, ids[0]), STORE_OK);
    assert_int_equal(store_stream_start(g_s, ids[0]), STORE_CONFLICT);
    assert_int_equal(store_stream_start(g_s, 999999), STORE_NOT_FOUND);
    store_stream_filter_t live = {"live", 0, 0, 10};
    assert_int_equal(store_stream_list(g_s, &live, &rows, &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].status, "live");
    assert_true(rows[0].started_at[0] != '\0');
    store_stream_list_free(rows, n);
    assert_int_equal(store_stream_stop(g_s, ids[0]), STORE_OK);
    assert_int_equal(store_stream_stop(g_s, ids[0]), STORE_CONFLICT);
    assert_int_equal(store_stream_stop(g_s, ids[1]), STORE_CONFLICT); /* created, not live */
    assert_int_equal(store_stream_start(g_s, ids[0]), STORE_OK);      /* ended → live again */
    int64_t counts[3];
    assert_int_equal(store_stream_counts(g_s, counts), STORE_OK);
    assert_int_equal(counts[0], 4);
    assert_int_equal(counts[1], 1);
    assert_int_equal(counts[2], 0);

    store_stream_t s;
    assert_int_equal(store_stream_set_key(g_s, ids[0], "sk_new"), STORE_OK);
    assert_int_equal(store_stream_by_key(g_s, "sk_new", &s), STORE_OK);
    assert_int_equal(s.id, ids[0]);
    store_stream_clear(&s);
    assert_int_equal(store_stream_by_key(g_s, "sk_test_0", &s), STORE_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrations),
        cmocka_unit_test(test_users_and_tokens),
        cmocka_unit_test(test_streams),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
