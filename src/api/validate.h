/*
 * api/validate — strict validation of JSON request bodies and query strings.
 *
 * Pure (no request, no I/O) so it is unit-tested and fuzzed directly. A body
 * must be one JSON object (duplicates keys refused); every problem is
 * reported, not only the first: a missing required field, a wrong type, a
 * length or range violation, and an unknown field each add
 * fields[name] = "what is wrong". String lengths count Unicode characters,
 * after trimming surrounding white space when API_F_TRIM is set.
 */
#ifndef SIARAN_API_VALIDATE_H
#define SIARAN_API_VALIDATE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum api_type { API_T_STRING, API_T_INT, API_T_BOOL };

enum { API_F_REQUIRED = 1u << 0, API_F_TRIM = 1u << 1, API_F_NULLABLE = 1u << 2 };

typedef struct api_field {
    const char *name;
    enum api_type type;
    unsigned flags;
    int64_t min, max; /* string: characters; int: value */
} api_field_t;

enum api_validate_result { API_VALID = 0, API_INVALID_FIELDS = 1, API_INVALID_JSON = 2 };

/*
 * Parses body and checks it against spec. Returns API_VALID with *obj (a new
 * reference; trimmed strings replaced in it), API_INVALID_FIELDS with *obj
 * and *errors (new references), or API_INVALID_JSON with msg filled.
 */
int api_validate_json(const char *body, size_t len, const api_field_t *spec, size_t n, json_t **obj,
                      json_t **errors, char *msg, size_t msglen);

/* Number of Unicode characters in valid UTF-8 s. */
size_t api_utf8_chars(const char *s);
/* Trims ASCII and Unicode white space at both ends into a new string. */
char *api_trim(const char *s);

/* Finds key in an application/x-www-form-urlencoded query; decodes into out. 1 if present. */
int api_query_get(const char *query, const char *key, char *out, size_t outlen);
/* Parses a positive decimal id (1..2^53); 0 on failure. */
int64_t api_parse_id(const char *s);

/* Username: 3–32 of [A-Za-z0-9_]; email: a plausible address. */
int api_valid_username(const char *s);
int api_valid_email(const char *s);

#endif
