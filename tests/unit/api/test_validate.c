/*
 * api/validate: every field problem reported at once (missing, wrong type,
 * length, range, unknown), invalid JSON vs invalid fields, trimming and
 * character counting in UTF-8 (limits are characters, not bytes), nullable
 * and required nulls, integer bounds, the register-like spec, query strings
 * (decoding, truncation), ids up to 2^53, usernames and emails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
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

static const api_field_t register_spec[] = {
    {"username", API_T_STRING, API_F_REQUIRED | API_F_TRIM, 3, 32},
    {"email", API_T_STRING, API_F_REQUIRED | API_F_TRIM, 3, 254},
    {"password", API_T_STRING, API_F_REQUIRED, 8, 128},
};

static int validate_spec(const api_field_t *sp, size_t n, const char *body, json_t **obj,
                         json_t **errors)
{
    char msg[256];
    return api_validate_json(body, strlen(body), sp, n, obj, errors, msg, sizeof msg);
}

static const char *err_of(json_t *errors, const char *field)
{
    return json_string_value(json_object_get(errors, field));
}

static void test_register_like(void **state)
{
    (void)state;
    json_t *obj, *errors;
    assert_int_equal(validate_spec(register_spec, 3,
                                   "{\"username\":\" budi \",\"email\":\"b@example.com\","
                                   "\"password\":\"  secret  \"}",
                                   &obj, &errors),
                     API_VALID);
    assert_string_equal(json_string_value(json_object_get(obj, "username")), "budi");
    /* a field without TRIM is kept as sent (passwords keep their spaces) */
    assert_string_equal(json_string_value(json_object_get(obj, "password")), "  secret  ");
    json_decref(obj);

    assert_int_equal(validate_spec(register_spec, 3,
                                   "{\"username\":\"bu\",\"email\":\"\",\"password\":\"short\"}",
                                   &obj, &errors),
                     API_INVALID_FIELDS);
    assert_string_equal(err_of(errors, "username"), "must be 3 to 32 characters");
    assert_string_equal(err_of(errors, "email"), "must not be empty");
    assert_string_equal(err_of(errors, "password"), "must be 8 to 128 characters");
    json_decref(obj);
    json_decref(errors);
}

static void test_characters_not_bytes(void **state)
{
    (void)state;
    json_t *obj, *errors;
    /* title is 1..5 characters: five CJK characters are 15 bytes but fit */
    assert_int_equal(
        validate("{\"username\":\"abc\",\"title\":\"\\u65e5\\u672c\\u8a9e\\u65e5\\u672c\"}", &obj,
                 &errors),
        API_VALID);
    json_decref(obj);
    assert_int_equal(
        validate("{\"username\":\"abc\",\"title\":\"\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00"
                 "\\ud83d\\ude00\\ud83d\\ude00\"}",
                 &obj, &errors),
        API_VALID); /* five emoji, 20 bytes */
    json_decref(obj);
    assert_int_equal(validate("{\"username\":\"abc\",\"title\":\"éééééé\"}", &obj, &errors),
                     API_INVALID_FIELDS); /* six characters */
    assert_string_equal(err_of(errors, "title"), "must be 1 to 5 characters");
    json_decref(obj);
    json_decref(errors);
    /* the limit applies after trimming */
    assert_int_equal(validate("{\"username\":\"abc\",\"title\":\"   12345   \"}", &obj, &errors),
                     API_VALID);
    json_decref(obj);
}

static void test_bounds_and_nulls(void **state)
{
    (void)state;
    json_t *obj, *errors;
    static const char *const ok[] = {
        "{\"username\":\"abc\",\"title\":\"t\",\"amount\":10}",
        "{\"username\":\"abc\",\"title\":\"t\",\"amount\":100}",
        "{\"username\":\"abc\",\"title\":\"t\",\"note\":null,\"flag\":false}",
        "{\"username\":\"abc\",\"title\":\"t\",\"note\":\"\"}",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        if (validate(ok[i], &obj, &errors) != API_VALID)
            fail_msg("%s refused", ok[i]);
        json_decref(obj);
    }
    static const char *const bad[][3] = {
        {"{\"username\":\"abc\",\"title\":\"t\",\"amount\":9}", "amount", "must be from 10 to 100"},
        {"{\"username\":\"abc\",\"title\":\"t\",\"amount\":101}", "amount",
         "must be from 10 to 100"},
        {"{\"username\":\"abc\",\"title\":\"t\",\"amount\":\"50\"}", "amount",
         "must be an integer"},
        {"{\"username\":\"abc\",\"title\":\"t\",\"amount\":null}", "amount", "must be an integer"},
        {"{\"username\":\"abc\",\"title\":\"t\",\"amount\":1e2}", "amount", "must be an integer"},
        {"{\"username\":\"abc\",\"title\":\"t\",\"amount\":99999999999999999999}", NULL, NULL},
        {"{\"username\":\"abc\",\"title\":\"t\",\"flag\":1}", "flag", "must be true or false"},
        {"{\"username\":\"abc\",\"title\":\"t\",\"flag\":null}", "flag", "must be true or false"},
        {"{\"username\":\"abc\",\"title\":\"t\",\"note\":5}", "note", "must be a string"},
        {"{\"username\":\"abc\",\"title\":null}", "title", "is required"},
        {"{\"username\":[\"abc\"],\"title\":\"t\"}", "username", "must be a string"},
        {"{\"username\":{},\"title\":\"t\"}", "username", "must be a string"},
        {"{\"username\":\"abc\",\"title\":\"t\",\"\":1}", "", "unknown field"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = validate(bad[i][0], &obj, &errors);
        if (bad[i][1] == NULL) { /* jansson refuses integers that do not fit */
            assert_int_equal(rc, API_INVALID_JSON);
            continue;
        }
        if (rc != API_INVALID_FIELDS)
            fail_msg("%s: rc %d", bad[i][0], rc);
        assert_int_equal(json_object_size(errors), 1);
        const char *e = err_of(errors, bad[i][1]);
        if (e == NULL || strcmp(e, bad[i][2]) != 0)
            fail_msg("%s: %s %s, want %s", bad[i][0], bad[i][1], e ? e : "(none)", bad[i][2]);
        json_decref(obj);
        json_decref(errors);
    }
}

static void test_json_messages(void **state)
{
    (void)state;
    json_t *obj, *errors;
    char msg[256] = "";
    assert_int_equal(api_validate_json("", 0, spec, N, &obj, &errors, msg, sizeof msg),
                     API_INVALID_JSON);
    assert_non_null(strstr(msg, "empty"));
    assert_int_equal(api_validate_json("{\"a\":", 5, spec, N, &obj, &errors, msg, sizeof msg),
                     API_INVALID_JSON);
    assert_non_null(strstr(msg, "not valid JSON"));
    assert_int_equal(api_validate_json("[1]", 3, spec, N, &obj, &errors, msg, sizeof msg),
                     API_INVALID_JSON);
    assert_string_equal(msg, "the body must be a JSON object");
    /* the length is honoured: bytes after it are not read */
    assert_int_equal(api_validate_json("{\"username\":\"abc\",\"title\":\"t\"}GARBAGE", 30, spec, N,
                                       &obj, &errors, msg, sizeof msg),
                     API_VALID);
    json_decref(obj);
    /* a body with a NUL byte in it is not JSON */
    assert_int_equal(api_validate_json("{}\0{}", 5, spec, N, &obj, &errors, msg, sizeof msg),
                     API_INVALID_JSON);
    /* a tiny message buffer is still terminated */
    char tiny[8];
    assert_int_equal(api_validate_json("", 0, spec, N, &obj, &errors, tiny, sizeof tiny),
                     API_INVALID_JSON);
    assert_true(strlen(tiny) < sizeof tiny);
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
    t = api_trim("  a \xe2\x80\xa8 b\xe2\x80\x8a");
    assert_string_equal(t, "a \xe2\x80\xa8 b"); /* inner white space stays */
    free(t);
    t = api_trim("");
    assert_string_equal(t, "");
    free(t);
    t = api_trim("x\xe2\x80"); /* a cut sequence is not white space; no read past the end */
    assert_string_equal(t, "x\xe2\x80");
    free(t);
    t = api_trim("\xc2");
    assert_string_equal(t, "\xc2");
    free(t);
    t = api_trim("\xe2\x80\x8b"); /* zero-width space is not white space */
    assert_string_equal(t, "\xe2\x80\x8b");
    free(t);
    assert_int_equal(api_utf8_chars(""), 0);
    assert_int_equal(api_utf8_chars("a\xf0\x9f\x98\x80"
                                    "b"),
                     3);
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
    assert_true(api_query_get("x=%4", "x", v, sizeof v));
    assert_string_equal(v, "%4");
    assert_true(api_query_get("limit=", "limit", v, sizeof v));
    assert_string_equal(v, "");
    assert_true(api_query_get("a=1&a=2", "a", v, sizeof v)); /* the first wins */
    assert_string_equal(v, "1");
    assert_true(api_query_get("&&b=x%26y%3Dz&", "b", v, sizeof v));
    assert_string_equal(v, "x&y=z");
    assert_false(api_query_get("ab=1", "a", v, sizeof v));
    assert_false(api_query_get("=1", "a", v, sizeof v));
    assert_true(api_query_get("=1", "", v, sizeof v));
    char small[4];
    assert_true(api_query_get("q=abcdef", "q", small, sizeof small)); /* truncated */
    assert_string_equal(small, "abc");
    char one[1];
    assert_true(api_query_get("q=abc", "q", one, sizeof one));
    assert_string_equal(one, "");
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
    assert_int_equal(api_parse_id(""), 0);
    assert_int_equal(api_parse_id("+1"), 0);
    assert_int_equal(api_parse_id(" 1"), 0);
    assert_int_equal(api_parse_id("1 "), 0);
    assert_int_equal(api_parse_id("1"), 1);
    /* 1..2^53, as the header says (JSON numbers stay exact) */
    assert_int_equal(api_parse_id("9007199254740992"), INT64_C(9007199254740992));
    assert_int_equal(api_parse_id("9007199254740993"), 0);
    assert_int_equal(api_parse_id("9999999999999999"), 0);
    assert_int_equal(api_parse_id("10000000000000000"), 0);
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
    assert_false(api_valid_email("budi@-example.com"));
    assert_false(api_valid_email("budi@example..com"));
    assert_false(api_valid_email("budi@example."));
    assert_false(api_valid_email("bu\"di@example.com"));
    assert_false(api_valid_email("<budi>@example.com"));
    assert_false(api_valid_email("budi@exa\tmple.com"));
    assert_false(api_valid_email("budi@ex:ample.com"));
    assert_true(api_valid_email("a@b.c"));
    char local[80], addr[300];
    memset(local, 'a', 64);
    local[64] = '\0';
    snprintf(addr, sizeof addr, "%s@example.com", local);
    assert_true(api_valid_email(addr)); /* 64 characters before @ */
    snprintf(addr, sizeof addr, "%sa@example.com", local);
    assert_false(api_valid_email(addr));
    memset(addr, 'd', sizeof addr);
    memcpy(addr, "a@", 2);
    memcpy(addr + 250, ".com", 5); /* 254 characters in all */
    assert_true(api_valid_email(addr));
    memcpy(addr + 251, ".com", 5);
    assert_false(api_valid_email(addr));
    assert_true(api_valid_username("abc"));
    assert_true(api_valid_username("ABCDEFGHIJabcdefghij0123456789__"));
    assert_false(api_valid_username(""));
    assert_false(api_valid_username("bud\xc3\xad"));
    assert_false(api_valid_username("budi-x"));
    assert_false(api_valid_username("budi.x"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_all_errors_at_once),
        cmocka_unit_test(test_invalid_json),
        cmocka_unit_test(test_register_like),
        cmocka_unit_test(test_characters_not_bytes),
        cmocka_unit_test(test_bounds_and_nulls),
        cmocka_unit_test(test_json_messages),
        cmocka_unit_test(test_utf8_and_trim),
        cmocka_unit_test(test_query),
        cmocka_unit_test(test_ids_names_emails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
