/*
 * api/ratelimit: a key is blocked once it used its limit within the window
 * (checking never counts), free again when the window ends (exactly at its
 * end), with Retry-After rounded up; keys are independent; forget() clears
 * one; expired entries are dropped as they are walked, and a full table
 * evicts the entry closest to expiry so memory stays within max_keys.
 * Times are explicit milliseconds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>

#include "api/ratelimit.h"

static void test_window(void **state)
{
    (void)state;
    ratelimit_t *rl = ratelimit_new(3, 10, 100);
    int retry = -1;
    uint64_t t = 1000000;
    for (int i = 0; i < 3; i++) {
        assert_false(ratelimit_blocked(rl, "1.2.3.4", t + (uint64_t)i, &retry));
        ratelimit_hit(rl, "1.2.3.4", t + (uint64_t)i);
    }
    /* checking does not count: still blocked the same way */
    for (int i = 0; i < 5; i++)
        assert_true(ratelimit_blocked(rl, "1.2.3.4", t + 2500, &retry));
    assert_int_equal(retry, 8); /* 7.5 s left, rounded up */
    assert_true(ratelimit_blocked(rl, "1.2.3.4", t + 9999, &retry));
    assert_int_equal(retry, 1);
    assert_true(ratelimit_blocked(rl, "1.2.3.4", t, &retry));
    assert_int_equal(retry, 10);
    assert_false(ratelimit_blocked(rl, "5.6.7.8", t + 2500, &retry)); /* keys are independent */
    /* the window starts at the first hit and ends exactly window_s later */
    assert_false(ratelimit_blocked(rl, "1.2.3.4", t + 10000, &retry));
    ratelimit_free(rl);
}

static void test_new_window_after_expiry(void **state)
{
    (void)state;
    ratelimit_t *rl = ratelimit_new(2, 1, 10);
    int retry;
    ratelimit_hit(rl, "k", 0);
    ratelimit_hit(rl, "k", 999); /* same window */
    assert_true(ratelimit_blocked(rl, "k", 999, &retry));
    ratelimit_hit(rl, "k", 1000); /* a new window of one hit */
    assert_false(ratelimit_blocked(rl, "k", 1000, &retry));
    ratelimit_hit(rl, "k", 1500);
    assert_true(ratelimit_blocked(rl, "k", 1500, &retry));
    assert_int_equal(retry, 1);
    assert_false(ratelimit_blocked(rl, "k", 2000, &retry));
    assert_int_equal(ratelimit_size(rl), 0); /* the walk dropped it */
    ratelimit_free(rl);
}

static void test_forget(void **state)
{
    (void)state;
    ratelimit_t *rl = ratelimit_new(1, 60, 10);
    int retry;
    ratelimit_hit(rl, "a", 5);
    ratelimit_hit(rl, "b", 5);
    assert_true(ratelimit_blocked(rl, "a", 6, &retry));
    ratelimit_forget(rl, "a");
    ratelimit_forget(rl, "never-seen");
    assert_false(ratelimit_blocked(rl, "a", 6, &retry));
    assert_true(ratelimit_blocked(rl, "b", 6, &retry));
    assert_int_equal(ratelimit_size(rl), 1);
    ratelimit_free(rl);
    ratelimit_free(NULL);
}

static void test_bounded(void **state)
{
    (void)state;
    ratelimit_t *rl = ratelimit_new(1, 60, 50);
    char key[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        ratelimit_hit(rl, key, (uint64_t)i);
        assert_true(ratelimit_size(rl) <= 50);
    }
    assert_int_equal(ratelimit_size(rl), 50);
    int retry;
    /* the newest survive, the oldest (closest to expiry) went first */
    for (int i = 4950; i < 5000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        assert_true(ratelimit_blocked(rl, key, 5000, &retry));
    }
    assert_false(ratelimit_blocked(rl, "k0", 5000, &retry));
    assert_false(ratelimit_blocked(rl, "k4949", 5000, &retry));
    /* once every window is over, walking each key drops it */
    for (int i = 4950; i < 5000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        assert_false(ratelimit_blocked(rl, key, 5000 + 60000, &retry));
    }
    assert_int_equal(ratelimit_size(rl), 0);
    ratelimit_free(rl);
}

static void test_one_key_table(void **state)
{
    (void)state;
    ratelimit_t *rl = ratelimit_new(2, 60, 1);
    int retry;
    ratelimit_hit(rl, "a", 1);
    ratelimit_hit(rl, "a", 2);
    assert_true(ratelimit_blocked(rl, "a", 3, &retry));
    ratelimit_hit(rl, "b", 3); /* evicts a */
    assert_int_equal(ratelimit_size(rl), 1);
    assert_false(ratelimit_blocked(rl, "a", 4, &retry));
    ratelimit_hit(rl, "b", 4);
    assert_true(ratelimit_blocked(rl, "b", 5, &retry));
    ratelimit_free(rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window),        cmocka_unit_test(test_new_window_after_expiry),
        cmocka_unit_test(test_forget),        cmocka_unit_test(test_bounded),
        cmocka_unit_test(test_one_key_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
