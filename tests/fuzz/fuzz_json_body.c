/*
 * Fuzz target: api/validate over arbitrary request bodies, with a spec of
 * every field type and flag, plus query-string parsing of the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const api_field_t spec[] = {
    {"username", API_T_STRING, API_F_REQUIRED, 3, 32},
    {"title", API_T_STRING, API_F_REQUIRED | API_F_TRIM, 1, 200},
    {"description", API_T_STRING, API_F_TRIM | API_F_NULLABLE, 0, 5000},
    {"amount", API_T_INT, 0, 10000, 10000000},
    {"anonymous", API_T_BOOL, 0, 0, 0},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *obj = NULL, *errors = NULL;
    char msg[256];
    int rc = api_validate_json((const char *)data, size, spec, sizeof spec / sizeof spec[0], &obj,
                               &errors, msg, sizeof msg);
    if (rc == API_INVALID_JSON && (obj || errors))
        __builtin_trap();
    if (rc == API_VALID && (!obj || errors))
        __builtin_trap();
    json_decref(obj);
    json_decref(errors);

    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    char v[64];
    (void)api_query_get(s, "limit", v, sizeof v);
    (void)api_parse_id(v);
    char *t = api_trim(s);
    (void)api_utf8_chars(t);
    (void)api_valid_email(t);
    (void)api_valid_username(t);
    free(t);
    free(s);
    return 0;
}
