/*
 * http/static — files from disk (web/, swagger-ui-dist, Video.js), served
 * from an in-memory cache.
 *
 * Owns the cache: path → immutable rcbuf + ETag + content type. A miss or a
 * stale entry (older than a second) is read on the thread pool, never on
 * the loop; a hit is answered at once with the shared buffer. Requests with
 * a matching If-None-Match get 304. The relative path is percent-decoded
 * and refused (404) when it has "..", a backslash, a NUL or a hidden
 * segment, so nothing outside the root is reachable.
 */
#ifndef SIARAN_HTTP_STATIC_H
#define SIARAN_HTTP_STATIC_H

#include "http/server.h"

/*
 * Answers r with root/relpath. cache_control is sent as is. When the file
 * does not exist, calls on_missing(r) if given, else answers a JSON 404.
 */
void http_static_serve(http_req_t *r, const char *root, const char *relpath,
                       const char *cache_control, void (*on_missing)(http_req_t *r));
/* Content type for a file name (by extension). */
const char *http_static_content_type(const char *name);
/* Percent-decodes and checks a relative path; returns 0 if safe. */
int http_static_clean_path(const char *in, char *out, size_t outlen)
    __attribute__((warn_unused_result));
void http_static_cache_clear(void);

#endif
