/*
 * api/api — the HTTP API's shared context, route table and dispatcher.
 *
 * Owns the route table (routes.c: one readable array of {method, pattern,
 * handler, flags}) and the dispatcher that runs for every HTTP request:
 * route match (404/405 with Allow), authentication for routes that need it,
 * then the handler. Handlers reach configuration and the store through the
 * one api_ctx_t given to api_init(); it outlives every request.
 */
#ifndef SIARAN_API_API_H
#define SIARAN_API_API_H

#include <jansson.h>
#include <stdint.h>

#include "core/config.h"
#include "http/router.h"
#include "http/server.h"
#include "store/db.h"

/* Route flags */
enum {
    API_AUTH = 1u << 0,     /* a valid token is required (401 otherwise) */
    API_AUTH_OPT = 1u << 1, /* a token is used when given (and must then be valid) */
    API_JSON = 1u << 2,     /* the route takes a JSON body */
};

typedef void (*api_handler_fn)(http_req_t *r);

/* Hooks later modules install: ingest state, publisher control, viewers. */
typedef struct api_hooks {
    /* Returns a new reference to the stream's ingest object, or NULL for "not connected". */
    json_t *(*ingest_json)(int64_t stream_id);
    int64_t (*viewers)(int64_t stream_id);
    void (*stream_started)(int64_t stream_id);
    void (*stream_stopped)(int64_t stream_id);
    void (*key_rotated)(int64_t stream_id);
    /* Appends more Prometheus lines to /metrics. */
    void (*metrics)(buf_t *out);
} api_hooks_t;

typedef struct api_ctx {
    const config_t *cfg;
    store_t *store;
    http_server_t *http;
    uv_loop_t *loop;
    char public_url[512]; /* no trailing slash */
    char rtmp_url[512];   /* rtmp://HOST:PORT/live */
    char web_dir[1024];
    char docs_dir[1024];    /* where openapi.json lives */
    char swagger_dir[1024]; /* node_modules/swagger-ui-dist */
    char vendor_dir[1024];  /* node_modules/video.js/dist */
    api_hooks_t hooks;
    uint64_t started_ms;
} api_ctx_t;

extern api_ctx_t *api;

/* Sets the context (derives URLs and directories from cfg and listen addresses). */
void api_init(api_ctx_t *ctx, const char *http_addr, const char *rtmp_addr);
void api_shutdown(void);
void api_dispatch(http_req_t *r);

const router_route_t *api_routes(size_t *n);

#endif
