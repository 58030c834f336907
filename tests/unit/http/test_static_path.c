/*
 * http/static, the pure parts: http_static_clean_path percent-decodes a
 * relative path and refuses anything that could leave the root ("..",
 * hidden segments, backslashes, NULs, absolute or empty paths, empty
 * segments, bad escapes, no room); http_static_content_type maps the
 * extensions the server serves and falls back to application/octet-stream.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "http/static.h"

static void expect_clean(const char *in, const char *want)
{
    char out[256];
    memset(out, 'Z', sizeof out);
    if (http_static_clean_path(in, out, sizeof out) != 0)
        fail_msg("\"%s\" refused, want \"%s\"", in, want);
    assert_string_equal(out, want);
}

static void expect_refused(const char *in)
{
    char out[256];
    if (http_static_clean_path(in, out, sizeof out) == 0)
        fail_msg("\"%s\" accepted as \"%s\"", in, out);
}

static void test_clean_accepts(void **state)
{
    (void)state;
    expect_clean("index.html", "index.html");
    expect_clean("assets/site.css", "assets/site.css");
    expect_clean("a/b/c.js", "a/b/c.js");
    expect_clean("my%20file.txt", "my file.txt");
    expect_clean("%41%62c", "Abc");
    expect_clean("a%2Fb", "a/b"); /* a decoded slash is just a separator */
    expect_clean("x..y", "x..y"); /* dots inside a name are fine */
    expect_clean("a/b.", "a/b.");
    expect_clean("caf%C3%A9.html", "caf\xc3\xa9.html");
    expect_clean("dir/", "dir/");
}

static void test_clean_refuses(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",       "/etc/passwd", "..",      "../x",          "a/../../x", "a/..",     "%2e%2e/x",
        "%2E%2E", "a/%2e%2e/b",  ".hidden", "a/.git/config", "a//b",      "a%2f%2fb", "%2fetc",
        "a\\b",   "a%5cb",       "a%5Cb",   "a%00b",         "%",         "%4",       "%zz",
        "a%g1",   "./x",         "a/./b",   "%2e/x",         "a/.",       "%2e",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_refused(bad[i]);
}

static void test_clean_room(void **state)
{
    (void)state;
    char out[8];
    assert_int_equal(http_static_clean_path("1234567", out, sizeof out), 0);
    assert_string_equal(out, "1234567");
    assert_int_not_equal(http_static_clean_path("12345678", out, sizeof out), 0);
    /* escapes count after decoding */
    assert_int_equal(http_static_clean_path("%31%32%33%34%35%36%37", out, sizeof out), 0);
    assert_string_equal(out, "1234567");
    char one[1];
    assert_int_not_equal(http_static_clean_path("a", one, sizeof one), 0);
}

static void test_content_type(void **state)
{
    (void)state;
    static const char *const map[][2] = {
        {"index.html", "text/html; charset=utf-8"},
        {"a/site.css", "text/css; charset=utf-8"},
        {"app.js", "text/javascript; charset=utf-8"},
        {"mod.mjs", "text/javascript; charset=utf-8"},
        {"openapi.json", "application/json; charset=utf-8"},
        {"app.js.map", "application/json; charset=utf-8"},
        {"favicon.svg", "image/svg+xml"},
        {"x.png", "image/png"},
        {"x.jpg", "image/jpeg"},
        {"favicon.ico", "image/x-icon"},
        {"f.woff", "font/woff"},
        {"f.woff2", "font/woff2"},
        {"robots.txt", "text/plain; charset=utf-8"},
        {"index.m3u8", "application/vnd.apple.mpegurl"},
        {"seg-1.ts", "video/mp2t"},
        {"README", "application/octet-stream"},
        {"archive.tar.gz", "application/octet-stream"},
        {"v1.2/file", "application/octet-stream"},
        {"trailing.", "application/octet-stream"},
        {"", "application/octet-stream"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(http_static_content_type(map[i][0]), map[i][1]) != 0)
            fail_msg("%s: %s, want %s", map[i][0], http_static_content_type(map[i][0]), map[i][1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_accepts),
        cmocka_unit_test(test_clean_refuses),
        cmocka_unit_test(test_clean_room),
        cmocka_unit_test(test_content_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
