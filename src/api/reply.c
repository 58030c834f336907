/* api/reply — see reply.h. */
#include "api/reply.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"

static const char json_ctype[] = "application/json; charset=utf-8";

void api_json(http_req_t *r, int status, json_t *body)
{
    char *s = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(body);
    if (s == NULL) {
        http_respond_error(r, 500, "internal_error", "could not encode the answer");
        return;
    }
    http_respond_owned(r, status, json_ctype, s, strlen(s));
}

void api_error(http_req_t *r, int status, const char *code, const char *message)
{
    http_respond_error(r, status, code, message);
}

void api_error_fields(http_req_t *r, json_t *fields)
{
    api_json(r, 400,
             json_pack("{s:{s:s,s:s,s:o}}", "error", "code", "validation_failed", "message",
                       "some fields are missing or invalid", "fields", fields));
}

void api_rate_limited(http_req_t *r, int retry_after_s)
{
    char v[16];
    snprintf(v, sizeof v, "%d", retry_after_s > 0 ? retry_after_s : 1);
    http_req_add_header(r, "Retry-After", v);
    api_error(r, 429, "rate_limited", "too many attempts; try again later");
}

void api_internal_error(http_req_t *r, const char *what)
{
    log_error("internal_error", "id=%s what=%s", r->id, what);
    api_error(r, 500, "internal_error", "something went wrong on our side");
}

static int is_json_type(const char *ct)
{
    if (ct == NULL)
        return 0;
    while (*ct == ' ')
        ct++;
    size_t n = strcspn(ct, "; ");
    return (n == 16 && strncasecmp(ct, "application/json", 16) == 0);
}

json_t *api_parse_body(http_req_t *r, const api_field_t *spec, size_t n,
                       void (*extra_check)(json_t *obj, json_t *errors))
{
    const http_request_t *m = r->msg;
    if (m->body_len > 0 && !is_json_type(http_request_header(m, "content-type"))) {
        api_error(r, 415, "unsupported_media_type",
                  "send the body as JSON with Content-Type: application/json");
        return NULL;
    }
    json_t *obj, *errors;
    char msg[256];
    int rc = api_validate_json(m->body, m->body_len, spec, n, &obj, &errors, msg, sizeof msg);
    if (rc == API_INVALID_JSON) {
        api_error(r, 400, "invalid_json", msg);
        return NULL;
    }
    if (extra_check) {
        if (errors == NULL)
            errors = json_object();
        extra_check(obj, errors);
    }
    if (errors && json_object_size(errors) > 0) {
        json_decref(obj);
        api_error_fields(r, errors);
        return NULL;
    }
    json_decref(errors);
    return obj;
}
