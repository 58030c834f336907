/*
 * hls/http — answers GET /hls/{id}/index.m3u8 and /hls/{id}/<epoch>-<seq>.ts
 * from memory (the stream's hls/store), with HLS content types and caching:
 * a live playlist may be cached for at most one second, an ended one for a
 * minute; segments are immutable. Counts requests and bytes for /metrics.
 */
#ifndef SIARAN_HLS_HTTP_H
#define SIARAN_HLS_HTTP_H

#include <stdint.h>

#include "core/buf.h"
#include "hls/store.h"
#include "http/server.h"

/* How the handlers find a stream's store (installed by the packager registry). */
typedef hls_store_t *(*hls_lookup_fn)(int64_t stream_id);
void hls_http_set_lookup(hls_lookup_fn fn);

void hls_http_playlist(http_req_t *r);
void hls_http_segment(http_req_t *r);
void hls_http_metrics(buf_t *out);

#endif
