/* http/parser — see parser.h. */
#include "http/parser.h"

#include <string.h>
#include <strings.h>

static http_parser_t *P(llhttp_t *ll)
{
    return (http_parser_t *)ll; /* ll is the first member */
}

static int fail(http_parser_t *p, int status, const char *code, const char *reason)
{
    p->error_status = status;
    p->error_code = code;
    p->error_reason = reason;
    return HPE_USER;
}

/*
 * Counts the header block from its first byte to the end of the span at..n,
 * so separators and padding between spans count as well as the spans.
 */
static int count_head(http_parser_t *p, const char *at, size_t n)
{
    uint64_t start = p->chunk_off + (uint64_t)(at - p->chunk);
    if (p->span_start == UINT64_MAX)
        p->span_start = start;
    p->head_bytes = p->head_done + (size_t)(start + n - p->span_start);
    if (p->head_bytes > p->max_header_bytes)
        return fail(p, 431, "headers_too_large", "the request header block is too large");
    return 0;
}

static int on_method(llhttp_t *ll, const char *at, size_t n)
{
    return count_head(P(ll), at, n) ? HPE_USER : 0;
}

static int on_message_begin(llhttp_t *ll)
{
    P(ll)->stage = HTTP_STAGE_HEAD;
    return 0;
}

static int on_url(llhttp_t *ll, const char *at, size_t n)
{
    http_parser_t *p = P(ll);
    if (count_head(p, at, n))
        return HPE_USER;
    if (p->target.len == 0)
        p->target.off = (uint32_t)p->store.len;
    buf_append(&p->store, at, n);
    p->target.len += (uint32_t)n;
    return 0;
}

static int on_url_complete(llhttp_t *ll)
{
    buf_putc(&P(ll)->store, '\0');
    return 0;
}

static int on_header_field(llhttp_t *ll, const char *at, size_t n)
{
    http_parser_t *p = P(ll);
    if (count_head(p, at, n))
        return HPE_USER;
    if (p->last_was_value || p->nheaders == 0) {
        if (p->nheaders >= p->max_headers)
            return fail(p, 431, "headers_too_large", "the request has too many header fields");
        p->names[p->nheaders] = (http_span_t){(uint32_t)p->store.len, 0};
        p->values[p->nheaders] = (http_span_t){0, 0};
        p->nheaders++;
        p->last_was_value = 0;
    }
    buf_append(&p->store, at, n);
    p->names[p->nheaders - 1].len += (uint32_t)n;
    return 0;
}

static int on_header_field_complete(llhttp_t *ll)
{
    http_parser_t *p = P(ll);
    buf_putc(&p->store, '\0');
    p->values[p->nheaders - 1] = (http_span_t){(uint32_t)p->store.len, 0};
    p->last_was_value = 1;
    return 0;
}

static int on_header_value(llhttp_t *ll, const char *at, size_t n)
{
    http_parser_t *p = P(ll);
    if (count_head(p, at, n))
        return HPE_USER;
    buf_append(&p->store, at, n);
    p->values[p->nheaders - 1].len += (uint32_t)n;
    return 0;
}

static int on_header_value_complete(llhttp_t *ll)
{
    buf_putc(&P(ll)->store, '\0');
    return 0;
}

static void resolve(http_parser_t *p)
{
    http_request_t *r = &p->req;
    char *s = p->store.data;
    r->method = llhttp_method_name((llhttp_method_t)p->ll.method);
    r->method_id = p->ll.method;
    r->target = s ? s + p->target.off : "";
    r->nheaders = p->nheaders;
    for (size_t i = 0; i < p->nheaders; i++) {
        r->header_names[i] = s + p->names[i].off;
        r->header_values[i] = p->values[i].off ? s + p->values[i].off : "";
    }
    r->http_minor = p->ll.http_minor;
}

static int on_headers_complete(llhttp_t *ll)
{
    http_parser_t *p = P(ll);
    if (p->target.len == 0)
        return fail(p, 400, "bad_request", "the request has no target");
    /* trailers, if any, are counted on top of the head */
    p->head_done = p->head_bytes;
    p->span_start = UINT64_MAX;
    resolve(p);
    if (p->ll.http_major != 1)
        return fail(p, 505, "http_version_not_supported", "only HTTP/1.x is supported");
    if ((p->ll.flags & F_CONTENT_LENGTH) && p->ll.content_length > p->max_body)
        return fail(p, 413, "payload_too_large", "the request body is too large");
    const char *expect = http_request_header(&p->req, "expect");
    p->req.expect_continue = expect && strcasecmp(expect, "100-continue") == 0;
    p->stage = HTTP_STAGE_BODY;
    return 0;
}

static int on_body(llhttp_t *ll, const char *at, size_t n)
{
    http_parser_t *p = P(ll);
    if (p->body.len + n > p->max_body)
        return fail(p, 413, "payload_too_large", "the request body is too large");
    buf_append(&p->body, at, n);
    return 0;
}

static int on_message_complete(llhttp_t *ll)
{
    http_parser_t *p = P(ll);
    p->stage = HTTP_STAGE_DONE;
    http_request_t *r = &p->req;
    r->body = p->body.data ? p->body.data : "";
    r->body_len = p->body.len;
    r->keep_alive = llhttp_should_keep_alive(ll);
    r->upgrade = ll->upgrade;
    return HPE_PAUSED;
}

void http_parser_init(http_parser_t *p, size_t max_header_bytes, size_t max_headers,
                      size_t max_body)
{
    memset(p, 0, sizeof *p);
    llhttp_settings_init(&p->settings);
    p->settings.on_message_begin = on_message_begin;
    p->settings.on_method = on_method;
    p->settings.on_url = on_url;
    p->settings.on_url_complete = on_url_complete;
    p->settings.on_header_field = on_header_field;
    p->settings.on_header_field_complete = on_header_field_complete;
    p->settings.on_header_value = on_header_value;
    p->settings.on_header_value_complete = on_header_value_complete;
    p->settings.on_headers_complete = on_headers_complete;
    p->settings.on_body = on_body;
    p->settings.on_message_complete = on_message_complete;
    p->max_header_bytes = max_header_bytes;
    p->max_headers = max_headers < HTTP_MAX_HEADERS_HARD ? max_headers : HTTP_MAX_HEADERS_HARD;
    p->max_body = max_body;
    llhttp_init(&p->ll, HTTP_REQUEST, &p->settings);
    http_parser_reset(p);
}

void http_parser_free(http_parser_t *p)
{
    buf_free(&p->store);
    buf_free(&p->body);
}

void http_parser_reset(http_parser_t *p)
{
    buf_reset(&p->store);
    buf_reset(&p->body);
    p->target = (http_span_t){0, 0};
    p->nheaders = 0;
    p->span_start = UINT64_MAX;
    p->head_done = 0;
    p->head_bytes = 0;
    p->last_was_value = 0;
    p->stage = HTTP_STAGE_IDLE;
    p->error_status = 0;
    p->error_code = NULL;
    p->error_reason = NULL;
    memset(&p->req, 0, sizeof p->req);
    if (llhttp_get_errno(&p->ll) == HPE_PAUSED)
        llhttp_resume(&p->ll);
    else if (llhttp_get_errno(&p->ll) != HPE_OK)
        llhttp_init(&p->ll, HTTP_REQUEST, &p->settings);
}

static void split_target(http_parser_t *p)
{
    /* The path is a NUL-terminated copy kept after the target in store. */
    http_request_t *r = &p->req;
    const char *target = p->store.data + p->target.off;
    const char *q = memchr(target, '?', p->target.len);
    size_t plen = q ? (size_t)(q - target) : p->target.len;
    buf_reserve(&p->store, plen + 1); /* may move store: take pointers after */
    size_t off = p->store.len;
    buf_append(&p->store, p->store.data + p->target.off, plen);
    buf_putc(&p->store, '\0');
    resolve(p);
    r->path = p->store.data + off;
    q = strchr(r->target, '?');
    r->query = q ? q + 1 : "";
    r->body = p->body.data ? p->body.data : "";
}

int http_parser_feed(http_parser_t *p, const char *data, size_t len, size_t *used)
{
    *used = 0;
    if (p->stage == HTTP_STAGE_DONE)
        return HTTP_PARSE_DONE;
    if (p->error_status)
        return HTTP_PARSE_ERROR;
    if (len == 0)
        return HTTP_PARSE_NEED_MORE;
    p->chunk = data;
    llhttp_errno_t e = llhttp_execute(&p->ll, data, len);
    if (e == HPE_OK) {
        *used = len;
        p->chunk_off += len;
        return HTTP_PARSE_NEED_MORE;
    }
    if (e == HPE_PAUSED || e == HPE_PAUSED_UPGRADE) {
        const char *pos = llhttp_get_error_pos(&p->ll);
        *used = pos ? (size_t)(pos - data) : len;
        if (p->stage == HTTP_STAGE_DONE) {
            p->chunk_off += *used;
            split_target(p);
            return HTTP_PARSE_DONE;
        }
        *used = len;
        p->chunk_off += len;
        return HTTP_PARSE_NEED_MORE;
    }
    if (!p->error_status) {
        p->error_status = 400;
        p->error_code = "bad_request";
        p->error_reason = llhttp_get_error_reason(&p->ll);
        if (p->error_reason == NULL)
            p->error_reason = "malformed request";
    }
    return HTTP_PARSE_ERROR;
}

const http_request_t *http_parser_request(const http_parser_t *p)
{
    return &p->req;
}

int http_parser_started(const http_parser_t *p)
{
    return p->stage != HTTP_STAGE_IDLE;
}

const char *http_request_header(const http_request_t *r, const char *name)
{
    for (size_t i = 0; i < r->nheaders; i++)
        if (strcasecmp(r->header_names[i], name) == 0)
            return r->header_values[i];
    return NULL;
}
