/*
 * The OpenAPI document (docs/openapi.json) and the router's table agree:
 * every API route (pages and files excluded) is documented with its method,
 * and every documented path and method exists in the router.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"

#define PAGE_FLAG (1u << 8) /* see api/routes.c */

static json_t *load_doc(void)
{
    const char *dir = getenv("SIARAN_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/docs/openapi.json", dir ? dir : SIARAN_SOURCE_DIR);
    json_error_t err;
    json_t *doc = json_load_file(path, 0, &err);
    if (doc == NULL)
        fail_msg("cannot load %s: %s", path, err.text);
    return doc;
}

static void lower(const char *in, char *out, size_t n)
{
    size_t i = 0;
    for (; in[i] && i + 1 < n; i++)
        out[i] = (char)tolower((unsigned char)in[i]);
    out[i] = '\0';
}

static void test_routes_documented(void **state)
{
    (void)state;
    json_t *doc = load_doc();
    assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
    json_t *paths = json_object_get(doc, "paths");
    assert_non_null(paths);
    size_t n;
    const router_route_t *routes = api_routes(&n);
    int missing = 0, api_routes_seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (routes[i].flags & PAGE_FLAG)
            continue;
        api_routes_seen++;
        char m[16];
        lower(routes[i].method, m, sizeof m);
        json_t *item = json_object_get(paths, routes[i].pattern);
        if (item == NULL || json_object_get(item, m) == NULL) {
            print_error("route %s %s is not in docs/openapi.json\n", routes[i].method,
                        routes[i].pattern);
            missing++;
        }
    }
    assert_true(api_routes_seen > 10);
    assert_int_equal(missing, 0);
    json_decref(doc);
}

static void test_documented_routes_exist(void **state)
{
    (void)state;
    json_t *doc = load_doc();
    json_t *paths = json_object_get(doc, "paths");
    size_t n;
    const router_route_t *routes = api_routes(&n);
    const char *path;
    json_t *item;
    int extra = 0;
    json_object_foreach(paths, path, item)
    {
        const char *method;
        json_t *op;
        json_object_foreach(item, method, op)
        {
            if (strcmp(method, "parameters") == 0 || strcmp(method, "summary") == 0 ||
                strcmp(method, "description") == 0)
                continue;
            int found = 0;
            for (size_t i = 0; i < n && !found; i++) {
                char m[16];
                lower(routes[i].method, m, sizeof m);
                found = !(routes[i].flags & PAGE_FLAG) && strcmp(routes[i].pattern, path) == 0 &&
                        strcmp(m, method) == 0;
            }
            if (!found) {
                print_error("docs/openapi.json has %s %s but the router does not\n", method, path);
                extra++;
            }
        }
    }
    assert_int_equal(extra, 0);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes_documented),
        cmocka_unit_test(test_documented_routes_exist),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
