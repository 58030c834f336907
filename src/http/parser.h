/*
 * http/parser — an incremental, bounded HTTP/1.1 request parser on llhttp.
 *
 * Pure: bytes in, requests out, no sockets. Feed any split of the input;
 * http_parser_feed() stops after each complete request (llhttp is paused
 * there) and says how many bytes it used, so pipelined requests are handed
 * out one at a time and a protocol upgrade leaves the rest of the bytes to
 * the new protocol. Limits are checked as bytes arrive, before anything
 * grows: header block (request line + headers) over max_header_bytes or
 * more than max_headers fields → 431; a body over max_body → 413 (known from
 * Content-Length before the body is read, or counted for chunked bodies).
 *
 * The request's strings live in the parser's own storage and stay valid
 * until http_parser_reset() or http_parser_free().
 */
#ifndef SIARAN_HTTP_PARSER_H
#define SIARAN_HTTP_PARSER_H

#include <llhttp.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define HTTP_MAX_HEADERS_HARD 128

enum http_parse_result {
    HTTP_PARSE_NEED_MORE = 0, /* all bytes used, request not complete */
    HTTP_PARSE_DONE = 1,      /* a request is complete; see *used */
    HTTP_PARSE_ERROR = -1,    /* bad input: see error_status/error_code */
};

enum http_parse_stage { HTTP_STAGE_IDLE, HTTP_STAGE_HEAD, HTTP_STAGE_BODY, HTTP_STAGE_DONE };

typedef struct http_span {
    uint32_t off, len;
} http_span_t;

typedef struct http_request {
    const char *method; /* "GET", ... */
    int method_id;      /* llhttp_method_t */
    const char *target; /* raw request-target as sent */
    const char *path;   /* target up to '?' (not decoded) */
    const char *query;  /* after '?' or "" */
    size_t nheaders;
    const char *header_names[HTTP_MAX_HEADERS_HARD];
    const char *header_values[HTTP_MAX_HEADERS_HARD];
    const char *body; /* NUL-terminated for convenience; body_len bytes */
    size_t body_len;
    int http_minor;
    int keep_alive;
    int upgrade;
    int expect_continue;
} http_request_t;

typedef struct http_parser {
    llhttp_t ll;
    llhttp_settings_t settings;
    enum http_parse_stage stage;
    size_t max_header_bytes, max_headers, max_body;
    buf_t store; /* target, then header names and values, NUL-separated */
    buf_t body;
    http_span_t target;
    http_span_t names[HTTP_MAX_HEADERS_HARD], values[HTTP_MAX_HEADERS_HARD];
    size_t nheaders;
    /*
     * Header block size: stream offsets let the white space between stored
     * spans count too (llhttp skips it without a callback).
     */
    const char *chunk;   /* the bytes being fed */
    uint64_t chunk_off;  /* stream offset of chunk[0] */
    uint64_t span_start; /* where counting (re)started; UINT64_MAX: not yet */
    size_t head_done;    /* counted before span_start: the head, once in the trailers */
    size_t head_bytes;
    int last_was_value;
    int error_status;       /* 400, 413, 431, 505 when HTTP_PARSE_ERROR */
    const char *error_code; /* "bad_request", "payload_too_large", ... */
    const char *error_reason;
    http_request_t req;
} http_parser_t;

void http_parser_init(http_parser_t *p, size_t max_header_bytes, size_t max_headers,
                      size_t max_body);
void http_parser_free(http_parser_t *p);
/* Prepares for the next request on the same connection. */
void http_parser_reset(http_parser_t *p);
/*
 * Feeds bytes. On HTTP_PARSE_DONE, *used is how many of them belong to the
 * finished request (the caller keeps the rest for the next one) and
 * http_parser_request() is valid. On NEED_MORE all bytes were used.
 */
int http_parser_feed(http_parser_t *p, const char *data, size_t len, size_t *used)
    __attribute__((warn_unused_result));
const http_request_t *http_parser_request(const http_parser_t *p);
/* True once the first byte of a request arrived (for header timeouts). */
int http_parser_started(const http_parser_t *p);

/* Case-insensitive header lookup; NULL when absent. */
const char *http_request_header(const http_request_t *r, const char *name);

#endif
