/*
 * http/router: literal and {param} segments, {*rest}, optional trailing
 * slash on either side, GET implying HEAD, 404 vs 405 with the Allow list
 * (every method of the path, HEAD after GET, no duplicates), literal routes
 * beating parameter routes, parameter limits and over-long paths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "http/router.h"

static const router_route_t routes[] = {
    {"GET", "/healthz", NULL, 1},
    {"POST", "/api/register/", NULL, 2},
    {"POST", "/api/streams/create/", NULL, 3},
    {"GET", "/api/streams/", NULL, 4},
    {"GET", "/api/streams/{id}/", NULL, 5},
    {"POST", "/api/streams/{id}/start/", NULL, 6},
    {"DELETE", "/api/streams/{id}/comments/{comment_id}/", NULL, 7},
    {"GET", "/docs/{*path}", NULL, 8},
    {"GET", "/", NULL, 9},
    {"GET", "/api/streams/{id}/comments/", NULL, 10},
    {"POST", "/api/streams/{id}/comments/", NULL, 11},
    {"HEAD", "/api/streams/{id}/comments/", NULL, 12},
    {"GET", "/p/{a}/{b}/{c}/{d}/{e}", NULL, 13},
    {"GET", "/q/{a}/{b}/{c}/{d}", NULL, 14},
    {"PUT", "/healthz", NULL, 15},
};
#define N (sizeof routes / sizeof routes[0])

static unsigned match(const char *method, const char *path, router_match_t *m)
{
    int rc = router_match(routes, N, method, path, m);
    return rc == ROUTER_FOUND ? m->route->flags : 0;
}

static void test_literals_and_slashes(void **state)
{
    (void)state;
    router_match_t m;
    assert_int_equal(match("GET", "/healthz", &m), 1);
    assert_int_equal(match("GET", "/healthz/", &m), 1);
    assert_int_equal(match("POST", "/api/register/", &m), 2);
    assert_int_equal(match("POST", "/api/register", &m), 2);
    assert_int_equal(match("GET", "/", &m), 9);
    assert_int_equal(router_match(routes, N, "GET", "/api/registerx/", &m), ROUTER_NOT_FOUND);
    assert_int_equal(router_match(routes, N, "GET", "/api", &m), ROUTER_NOT_FOUND);
    assert_int_equal(router_match(routes, N, "GET", "", &m), ROUTER_NOT_FOUND);
    assert_int_equal(router_match(routes, N, "GET", "relative", &m), ROUTER_NOT_FOUND);
}

static void test_params(void **state)
{
    (void)state;
    router_match_t m;
    assert_int_equal(match("GET", "/api/streams/42/", &m), 5);
    assert_string_equal(router_param(&m, "id"), "42");
    assert_null(router_param(&m, "nope"));
    assert_int_equal(match("POST", "/api/streams/7/start", &m), 6);
    assert_string_equal(router_param(&m, "id"), "7");
    assert_int_equal(match("DELETE", "/api/streams/3/comments/99/", &m), 7);
    assert_string_equal(router_param(&m, "id"), "3");
    assert_string_equal(router_param(&m, "comment_id"), "99");
    /* a parameter never spans a slash nor is empty */
    assert_int_equal(router_match(routes, N, "GET", "/api/streams//", &m), ROUTER_NOT_FOUND);
    assert_int_equal(router_match(routes, N, "POST", "/api/streams/1/2/start/", &m),
                     ROUTER_NOT_FOUND);
}

static void test_rest(void **state)
{
    (void)state;
    router_match_t m;
    assert_int_equal(match("GET", "/docs/swagger-ui.css", &m), 8);
    assert_string_equal(router_param(&m, "path"), "swagger-ui.css");
    assert_int_equal(match("GET", "/docs/a/b/c.js", &m), 8);
    assert_string_equal(router_param(&m, "path"), "a/b/c.js");
    /* the optional trailing slash is not part of the capture */
    assert_int_equal(match("GET", "/docs/a/b/", &m), 8);
    assert_string_equal(router_param(&m, "path"), "a/b");
    /* the rest may not be empty */
    assert_int_equal(router_match(routes, N, "GET", "/docs/", &m), ROUTER_NOT_FOUND);
    assert_int_equal(router_match(routes, N, "GET", "/docs", &m), ROUTER_NOT_FOUND);
    assert_int_equal(m.nparams, 0);
}

static void test_param_limits(void **state)
{
    (void)state;
    router_match_t m;
    /* four parameters fit, a fifth never matches */
    assert_int_equal(match("GET", "/q/1/2/3/4", &m), 14);
    assert_int_equal(m.nparams, ROUTER_MAX_PARAMS);
    assert_string_equal(router_param(&m, "a"), "1");
    assert_string_equal(router_param(&m, "d"), "4");
    assert_int_equal(router_match(routes, N, "GET", "/p/1/2/3/4/5", &m), ROUTER_NOT_FOUND);
    /* names are compared whole */
    assert_int_equal(match("GET", "/api/streams/42/", &m), 5);
    assert_null(router_param(&m, "i"));
    assert_null(router_param(&m, "idx"));
    /* values are copies: the caller's path may change afterwards */
    char path[] = "/api/streams/77/";
    assert_int_equal(match("GET", path, &m), 5);
    path[13] = '9';
    assert_string_equal(router_param(&m, "id"), "77");
}

static void test_methods(void **state)
{
    (void)state;
    router_match_t m;
    assert_int_equal(match("HEAD", "/healthz", &m), 1);
    assert_int_equal(router_match(routes, N, "GET", "/api/register/", &m),
                     ROUTER_METHOD_NOT_ALLOWED);
    assert_string_equal(m.allow, "POST");
    assert_int_equal(router_match(routes, N, "DELETE", "/healthz", &m), ROUTER_METHOD_NOT_ALLOWED);
    assert_string_equal(m.allow, "GET, HEAD, PUT");
    /* a literal path beats a parameter: GET on the POST-only create path is 405 */
    assert_int_equal(router_match(routes, N, "GET", "/api/streams/create/", &m),
                     ROUTER_METHOD_NOT_ALLOWED);
    assert_string_equal(m.allow, "POST");
    assert_int_equal(router_match(routes, N, "PUT", "/api/streams/5/", &m),
                     ROUTER_METHOD_NOT_ALLOWED);
    assert_string_equal(m.allow, "GET, HEAD");
    assert_int_equal(m.nparams, 0);
    /* every method of the path, HEAD once even when also listed explicitly */
    assert_int_equal(router_match(routes, N, "DELETE", "/api/streams/5/comments", &m),
                     ROUTER_METHOD_NOT_ALLOWED);
    assert_string_equal(m.allow, "GET, HEAD, POST");
    /* routes are tried in table order: the GET route, listed first, answers HEAD */
    assert_int_equal(match("HEAD", "/api/streams/5/comments/", &m), 10);
    assert_int_equal(match("POST", "/api/streams/5/comments/", &m), 11);
    assert_int_equal(router_match(routes, N, "POST", "/healthz", &m), ROUTER_METHOD_NOT_ALLOWED);
    assert_string_equal(m.allow, "GET, HEAD, PUT");
    assert_int_equal(match("PUT", "/healthz/", &m), 15);
    /* methods are case-sensitive tokens */
    assert_int_equal(router_match(routes, N, "get", "/healthz", &m), ROUTER_METHOD_NOT_ALLOWED);
    /* a match clears an Allow list left by an earlier call */
    assert_int_equal(match("GET", "/healthz", &m), 1);
    assert_string_equal(m.allow, "");
}

static void test_long_path(void **state)
{
    (void)state;
    char path[ROUTER_MAX_PATH + 10];
    memset(path, 'a', sizeof path - 1);
    path[0] = '/';
    path[sizeof path - 1] = '\0';
    router_match_t m;
    assert_int_equal(router_match(routes, N, "GET", path, &m), ROUTER_NOT_FOUND);
    /* the longest accepted path still fits the capture store */
    char docs[ROUTER_MAX_PATH + 1];
    memset(docs, 'x', ROUTER_MAX_PATH);
    memcpy(docs, "/docs/", 6);
    docs[ROUTER_MAX_PATH] = '\0';
    assert_int_equal(match("GET", docs, &m), 8);
    assert_int_equal(strlen(router_param(&m, "path")), ROUTER_MAX_PATH - 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literals_and_slashes),
        cmocka_unit_test(test_params),
        cmocka_unit_test(test_rest),
        cmocka_unit_test(test_param_limits),
        cmocka_unit_test(test_methods),
        cmocka_unit_test(test_long_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
