/*
 * http/server — HTTP/1.1 connections on net/conn: keep-alive, pipelining,
 * timeouts, request ids, access log, responses.
 *
 * Owns each http_conn and its one active request (requests on a connection
 * are handled strictly one after another, so pipelined responses leave in
 * order; bytes of later requests wait in the connection's pending buffer
 * and reading stops while a handler works). A handler gets an http_req_t
 * and must answer it exactly once, now or later from a callback (e.g. after
 * thread-pool work). If the client disconnects meanwhile the request stays
 * valid until answered; the answer is then dropped and the memory freed.
 *
 * Timeouts: header block (from its first byte, or from accept), body, and
 * keep-alive idle; a partial request past its deadline gets 408 and close.
 */
#ifndef SIARAN_HTTP_SERVER_H
#define SIARAN_HTTP_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "core/buf.h"
#include "core/rcbuf.h"
#include "http/parser.h"
#include "http/router.h"
#include "net/listen.h"

typedef struct http_server http_server_t;
typedef struct http_req http_req_t;
typedef struct http_conn http_conn_t;

typedef void (*http_dispatch_fn)(http_req_t *r);

typedef struct http_server_opts {
    uint64_t header_timeout_ms, body_timeout_ms, idle_timeout_ms;
    size_t max_header_bytes, max_headers, max_body;
    http_dispatch_fn dispatch;
} http_server_opts_t;

struct http_req {
    http_server_t *srv;
    http_conn_t *hc;
    const http_request_t *msg; /* valid until the answer */
    char id[72];               /* X-Request-Id */
    uint64_t start_ns;
    router_match_t match; /* filled by the dispatcher */
    buf_t headers;        /* extra response header lines, "Name: value\r\n" each */
    int64_t user_id;      /* set by auth, 0 = anonymous */
    char username[40];
    void *ctx; /* handler state across async steps */
    int head_only;
};

typedef struct http_metrics {
    uint64_t requests_by_class[6]; /* index status/100 (1xx..5xx) */
    uint64_t bytes_out;
} http_metrics_t;

struct http_server {
    uv_loop_t *loop;
    net_listener_t listener;
    http_server_opts_t opts;
    http_metrics_t metrics;
    size_t open_conns;
    size_t active_requests;
    int shutting_down;
    void (*on_drained)(http_server_t *s); /* shutdown finished: no connection left */
    void *data;
};

int http_server_start(http_server_t *s, uv_loop_t *loop, const char *addr,
                      const http_server_opts_t *opts) __attribute__((warn_unused_result));
/* Stops accepting, closes idle connections, lets active requests finish. */
void http_server_shutdown(http_server_t *s, void (*on_drained)(http_server_t *s));
/* Closes every remaining connection at once (after the shutdown timeout). */
void http_server_close_all(http_server_t *s);

/* Adds a response header line for the coming answer. */
void http_req_add_header(http_req_t *r, const char *name, const char *value);
/* Remote address "ip:port" of the request's client ("" when gone). */
const char *http_req_peer(const http_req_t *r);
/* The client's IP without port (for rate limiting). */
void http_req_peer_ip(const http_req_t *r, char *out, size_t len);

/* Answer with a copy of body. */
void http_respond(http_req_t *r, int status, const char *content_type, const void *body,
                  size_t len);
/* Answer with len bytes of a shared buffer from off (a reference is taken). */
void http_respond_rc(http_req_t *r, int status, const char *content_type, rcbuf_t *body, size_t off,
                     size_t len);
/* Answer with malloc'd bytes the server takes over. */
void http_respond_owned(http_req_t *r, int status, const char *content_type, char *body,
                        size_t len);
/* Answer with the API error shape, no fields. */
void http_respond_error(http_req_t *r, int status, const char *code, const char *message);

const char *http_status_text(int status);

#endif
