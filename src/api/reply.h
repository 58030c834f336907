/*
 * api/reply — JSON answers and the API's error shape.
 *
 *   {"error": {"code": "snake_case", "message": "sentence", "fields": {...}}}
 *
 * Every function answers the request (exactly once) and takes over the
 * json_t references it is given.
 */
#ifndef SIARAN_API_REPLY_H
#define SIARAN_API_REPLY_H

#include <jansson.h>

#include "http/server.h"

void api_json(http_req_t *r, int status, json_t *body);
void api_error(http_req_t *r, int status, const char *code, const char *message);
/* 400 validation_failed with a fields object (taken over). */
void api_error_fields(http_req_t *r, json_t *fields);
/* 429 with Retry-After. */
void api_rate_limited(http_req_t *r, int retry_after_s);
void api_internal_error(http_req_t *r, const char *what);

#include "api/validate.h"

/*
 * Reads the request's JSON body against spec. Returns the object (a new
 * reference) when it is valid; otherwise answers (415, 400 invalid_json or
 * 400 validation_failed) and returns NULL. extra_check, when given, may add
 * more field errors for the valid-typed object before the answer is chosen.
 */
json_t *api_parse_body(http_req_t *r, const api_field_t *spec, size_t n,
                       void (*extra_check)(json_t *obj, json_t *errors));

#endif
