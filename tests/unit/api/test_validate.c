/*
 * api/validate: every field problem reported at once (missing, wrong type,
 * length, range, unknown), invalid JSON vs invalid fields, trimming and
 * character counting in UTF-8, query strings, ids, usernames and emails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "api/validate.h"

static const api_field_t spec[] = {
    {"username", API_T_STRING, API_F_REQUIRED, 3, 32},
    {"title", API_T_STRING, API_F_REQUIRED | API_F_TRIM, 1, 5},
    {"amount", API_T_INT, 0, 10, 100},
    {"flag", API_T_BOOL, 0, 0, 0},
    {"note", API_T_STRING, API_F_NULLABLE, 0, 10},
};
#define N (sizeof spec / sizeof spec[0])

static int validate(const char *body, json_t **obj, json_t **errors)
{
    char msg[256];
    return api_validate_json(body, strlen(body), spec, N, obj, errors, msg, sizeof msg);
}

static void test_valid(void **state)
{
    (void)state;
    json_t *obj, *errors;
    assert_int_equal(validate("{\"username\":\"budi\",\"title\":\"  héllo \",\"amount\":10,"
                              "\"flag\":true,\"note\":null}",
                              &obj, &errors),
                     API_VALID);
    assert_null(errors);
    assert_string_equal(json_string_value(json_object_get(obj, "title")), "héllo");
    json_decref(obj);
}

static void test_all_errors_at_once(void **state)
{
    (void)state;
    json_t *obj, *errors;
    assert_int_equal(validate("{\"username\":5,\"title\":\"      \",\"amount\":1000,"
                              "\"flag\":\"yes\",\"note\":\"0123456789x\",\"admin\":true}",
                              &obj, &errors),
                     API_INVALID_FIELDS);
    assert_int_equal(json_object_size(errors), 6);
    assert_string_equal(json_string_value(json_object_get(errors, "username")), "must be a string");
    assert_string_equal(json_string_value(json_object_get(errors, "title")), "must not be empty");
    assert_non_null(json_object_get(errors, "amount"));
    assert_string_equal(json_string_value(json_object_get(errors, "flag")),
                        "must be true or false");
    assert_non_null(json_object_get(errors, "note"));
    assert_string_equal(json_string_value(json_object_get(errors, "admin")), "unknown field");
    json_decref(obj);
    json_decref(errors);

    assert_int_equal(validate("{}", &obj, &errors), API_INVALID_FIELDS);
    assert_string_equal(json_string_value(json_object_get(errors, "username")), "is required");
    assert_string_equal(json_string_value(json_object_get(errors, "title")), "is required");
    assert_int_equal(json_object_size(errors), 2);
    json_decref(obj);
    json_decref(errors);

    assert_int_equal(validate("{\"username\":null,\"title\":\"ok\",\"amount\":1.5}", &obj, &errors),
                     API_INVALID_FIELDS);
    assert_string_equal(json_string_value(json_object_get(errors, "username")), "is required");
    assert_string_equal(json_string_value(json_object_get(errors, "amount")), "must be an integer");
    json_decref(obj);
    json_decref(errors);
}

static void test_invalid_json(void **state)
{
    (void)state;
    json_t *obj, *errors;
    const char *bad[] = {"",
                         "{",
                         "{\"username\":",
                         "[]",
                         "\"str\"",
                         "42",
                         "null",
                         "{\"a\":1,\"a\":2}",
                         "{\"a\":\"\xff\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(validate(bad[i], &obj, &errors), API_INVALID_JSON);
        assert_null(obj);
        assert_null(errors);
    }
    /* jansson refuses a NUL inside a string: no C string is ever cut short */
    assert_int_equal(validate("{\"username\":\"ab\\u0000cd\",\"title\":\"x\"}", &obj, &errors),
                     API_INVALID_JSON);
}

static void test_utf8_and_trim(void **state)
{
    (void)state;
    assert_int_equal(api_utf8_chars("héllo"), 5);
    assert_int_equal(api_utf8_chars("日本語"), 3);
    assert_int_equal(api_utf8_chars("😀"), 1);
    char *t = api_trim(" \t\n x y \xc2\xa0\xe3\x80\x80");
    assert_string_equal(t, "x y");
    free(t);
    t = api_trim("\xe2\x80\x83");
    assert_string_equal(t, "");
    free(t);
    t = api_trim("é");
    assert_string_equal(t, "é");
    free(t);
}

static void test_query(void **state)
{
    (void)state;
    char v[32];
    assert_true(api_query_get("status=live&limit=20", "limit", v, sizeof v));
    assert_string_equal(v, "20");
    assert_true(api_query_get("a=1&q=hello+w%6Frld", "q", v, sizeof v));
    assert_string_equal(v, "hello world");
    assert_true(api_query_get("flag&x=1", "flag", v, sizeof v));
    assert_string_equal(v, "");
    assert_false(api_query_get("limits=3", "limit", v, sizeof v));
    assert_false(api_query_get("", "limit", v, sizeof v));
    assert_true(api_query_get("x=%zz", "x", v, sizeof v));
    assert_string_equal(v, "%zz");
}

static void test_ids_names_emails(void **state)
{
    (void)state;
    assert_int_equal(api_parse_id("42"), 42);
    assert_int_equal(api_parse_id("0"), 0);
    assert_int_equal(api_parse_id("007"), 0);
    assert_int_equal(api_parse_id("-1"), 0);
    assert_int_equal(api_parse_id("12a"), 0);
    assert_int_equal(api_parse_id("99999999999999999999"), 0);
    assert_int_equal(api_parse_id(NULL), 0);
    assert_true(api_valid_username("budi_01"));
    assert_false(api_valid_username("bu"));
    assert_false(api_valid_username("budi santoso"));
    assert_false(api_valid_username("abcdefghijabcdefghijabcdefghijabc"));
    assert_true(api_valid_email("budi@example.com"));
    assert_true(api_valid_email("b.u+d-i@mail.example.co.id"));
    assert_false(api_valid_email("budi"));
    assert_false(api_valid_email("budi@"));
    assert_false(api_valid_email("@example.com"));
    assert_false(api_valid_email("budi@example"));
    assert_false(api_valid_email("bu di@example.com"));
    assert_false(api_valid_email("a@b@c.com"));
    assert_false(api_valid_email("budi@.example.com"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),        cmocka_unit_test(test_all_errors_at_once),
        cmocka_unit_test(test_invalid_json), cmocka_unit_test(test_utf8_and_trim),
        cmocka_unit_test(test_query),        cmocka_unit_test(test_ids_names_emails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
