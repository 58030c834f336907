/*
 * api/streams — stream resources: create, list, get, start, stop, key rotation.
 *
 * Builds the stream object of API.md from a store row plus live state from
 * the hooks (ingest, viewers). The key and rtmp_url go only to the owner.
 */
#ifndef SIARAN_API_STREAMS_H
#define SIARAN_API_STREAMS_H

#include <jansson.h>

#include "http/server.h"
#include "store/streams.h"

json_t *api_stream_json(const store_stream_t *s, int for_owner);
/* A new random stream key (URL- and RTMP-safe). */
void api_new_stream_key(char out[64]);

void api_stream_create(http_req_t *r);
void api_stream_list(http_req_t *r);
void api_stream_get(http_req_t *r);
void api_stream_start(http_req_t *r);
void api_stream_stop(http_req_t *r);
void api_stream_rotate_key(http_req_t *r);

#endif
