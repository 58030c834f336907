/*
 * api/ratelimit: a key is blocked after its limit within the window and
 * free again after it (with a correct Retry-After), keys are independent,
 * forget() clears one, and memory stays within max_keys. Token hashing is
 * checked here too (SHA-256 of the token's text).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>

#include "api/auth.h"
#include "api/ratelimit.h"

static void test_window(void **state)
{
    (void)state;
    ratelimit_t *rl = ratelimit_new(3, 10, 100);
    int retry = 0;
    uint64_t t = 1000000;
    for (int i = 0; i < 3; i++) {
        assert_false(ratelimit_blocked(rl, "1.2.3.4", t, &retry));
        ratelimit_hit(rl, "1.2.3.4", t + (uint64_t)i);
    }
    assert_true(ratelimit_blocked(rl, "1.2.3.4", t + 2500, &retry));
    assert_int_equal(retry, 8); /* 7.5 s left, rounded up */
    assert_false(ratelimit_blocked(rl, "5.6.7.8", t + 2500, &retry));
    assert_false(ratelimit_blocked(rl, "1.2.3.4", t + 10000, &retry)); /* window over */
    ratelimit_hit(rl, "a", t);
    ratelimit_hit(rl, "a", t);
    ratelimit_hit(rl, "a", t);
    assert_true(ratelimit_blocked(rl, "a", t + 1, &retry));
    ratelimit_forget(rl, "a");
    assert_false(ratelimit_blocked(rl, "a", t + 1, &retry));
    ratelimit_free(rl);
}

static void test_bounded(void **state)
{
    (void)state;
    ratelimit_t *rl = ratelimit_new(1, 60, 50);
    char key[32];
    for (int i = 0; i < 500; i++) {
        snprintf(key, sizeof key, "k%d", i);
        ratelimit_hit(rl, key, (uint64_t)i);
    }
    assert_true(ratelimit_size(rl) <= 50);
    int retry;
    assert_true(ratelimit_blocked(rl, "k499", 499, &retry)); /* the newest survive */
    ratelimit_free(rl);
}

static void test_token_hash(void **state)
{
    (void)state;
    assert_true(sodium_init() >= 0);
    uint8_t h[32];
    api_token_hash("abc", h);
    static const uint8_t want[4] = {0xba, 0x78, 0x16, 0xbf};
    assert_memory_equal(h, want, 4);
    uint8_t h2[32];
    api_token_hash("abd", h2);
    assert_memory_not_equal(h, h2, 32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_bounded),
        cmocka_unit_test(test_token_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
