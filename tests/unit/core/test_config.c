/*
 * core/config: defaults, environment, flags (both forms) winning over the
 * environment, range and format errors with a clear reason, --help, and
 * host:port splitting (IPv4, IPv6, port 0).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "core/config.h"

static const char *const *g_env;

static const char *fake_getenv(const char *name)
{
    for (const char *const *e = g_env; e && *e; e += 2)
        if (strcmp(e[0], name) == 0)
            return e[1];
    return NULL;
}

static int load(config_t *c, const char *const *env, int argc, char **argv, char *err)
{
    g_env = env;
    int help;
    int rc = config_load(c, argc, argv, fake_getenv, &help, err, 256);
    return rc;
}

static void test_defaults(void **state)
{
    (void)state;
    config_t c;
    char err[256];
    assert_int_equal(load(&c, NULL, 0, NULL, err), 0);
    assert_string_equal(c.http_addr, "127.0.0.1:8000");
    assert_string_equal(c.rtmp_addr, "127.0.0.1:1935");
    assert_string_equal(c.data_dir, "./data");
    assert_int_equal(c.hls_segment_seconds, 2);
    assert_int_equal(c.hls_window, 6);
    assert_string_equal(c.chat_rate, "5/5");
    assert_int_equal(c.ws_queue_bytes, 1048576);
    assert_int_equal(c.donation_min, 10000);
    assert_int_equal(c.donation_max, 10000000);
    assert_string_equal(c.public_url, "");
    config_free(&c);
}

static void test_env_then_flags(void **state)
{
    (void)state;
    const char *env[] = {
        "SIARAN_HTTP_ADDR",        "127.0.0.1:0", "SIARAN_HLS_WINDOW", "8", "SIARAN_PUBLIC_URL",
        "https://tv.example.com/", NULL};
    char *argv[] = {"--hls-window", "10", "--data-dir=/tmp/x", "--log-level=debug"};
    config_t c;
    char err[256];
    assert_int_equal(load(&c, env, 4, argv, err), 0);
    assert_string_equal(c.http_addr, "127.0.0.1:0");
    assert_int_equal(c.hls_window, 10);
    assert_string_equal(c.data_dir, "/tmp/x");
    assert_string_equal(c.log_level, "debug");
    assert_string_equal(c.public_url, "https://tv.example.com"); /* trailing slash dropped */
    config_free(&c);
}

static void test_errors(void **state)
{
    (void)state;
    config_t c;
    char err[256];
    const char *bad_int[] = {"SIARAN_HLS_WINDOW", "lots", NULL};
    assert_int_equal(load(&c, bad_int, 0, NULL, err), -1);
    assert_non_null(strstr(err, "SIARAN_HLS_WINDOW"));
    config_free(&c);
    const char *range[] = {"SIARAN_HLS_SEGMENT_SECONDS", "0", NULL};
    assert_int_equal(load(&c, range, 0, NULL, err), -1);
    config_free(&c);
    const char *addr[] = {"SIARAN_RTMP_ADDR", "nowhere", NULL};
    assert_int_equal(load(&c, addr, 0, NULL, err), -1);
    assert_non_null(strstr(err, "SIARAN_RTMP_ADDR"));
    config_free(&c);
    const char *level[] = {"SIARAN_LOG_LEVEL", "loud", NULL};
    assert_int_equal(load(&c, level, 0, NULL, err), -1);
    config_free(&c);
    const char *url[] = {"SIARAN_PUBLIC_URL", "ftp://x", NULL};
    assert_int_equal(load(&c, url, 0, NULL, err), -1);
    config_free(&c);
    const char *money[] = {"SIARAN_DONATION_MIN", "500", "SIARAN_DONATION_MAX", "100", NULL};
    assert_int_equal(load(&c, money, 0, NULL, err), -1);
    config_free(&c);
    char *unknown[] = {"--bogus", "1"};
    assert_int_equal(load(&c, NULL, 2, unknown, err), -1);
    assert_non_null(strstr(err, "--bogus"));
    config_free(&c);
    char *novalue[] = {"--http-addr"};
    assert_int_equal(load(&c, NULL, 1, novalue, err), -1);
    config_free(&c);
}

static void test_help(void **state)
{
    (void)state;
    config_t c;
    char err[256];
    int help = 0;
    char *argv[] = {"--help"};
    g_env = NULL;
    assert_int_equal(config_load(&c, 1, argv, fake_getenv, &help, err, sizeof err), 0);
    assert_true(help);
    config_free(&c);
}

static void test_split_addr(void **state)
{
    (void)state;
    char host[64];
    int port;
    assert_int_equal(config_split_addr("127.0.0.1:8000", host, sizeof host, &port), 0);
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 8000);
    assert_int_equal(config_split_addr("[::1]:0", host, sizeof host, &port), 0);
    assert_string_equal(host, "::1");
    assert_int_equal(port, 0);
    assert_int_equal(config_split_addr("localhost:70000", host, sizeof host, &port), -1);
    assert_int_equal(config_split_addr(":80", host, sizeof host, &port), -1);
    assert_int_equal(config_split_addr("[::1]80", host, sizeof host, &port), -1);
    assert_int_equal(config_split_addr("host:", host, sizeof host, &port), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),   cmocka_unit_test(test_env_then_flags),
        cmocka_unit_test(test_errors),     cmocka_unit_test(test_help),
        cmocka_unit_test(test_split_addr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
