/*
 * core/rcbuf — immutable, reference-counted bytes.
 *
 * A frame, a segment, a playlist, a chat broadcast frame or a cached static
 * file is built once into an rcbuf and then shared: every reader or queued
 * write holds one reference and drops it when done (for writes, in the libuv
 * write callback). The bytes never change after creation. Only the event
 * loop thread touches reference counts (they are not atomic); bytes built on
 * the thread pool are handed over whole in the after-work callback.
 *
 *   +-----------+--------------------+
 *   | refs, len | data[len] + '\0'   |   one allocation
 *   +-----------+--------------------+
 */
#ifndef SIARAN_CORE_RCBUF_H
#define SIARAN_CORE_RCBUF_H

#include <stddef.h>

#include "core/buf.h"

typedef struct rcbuf {
    unsigned refs;
    size_t len;
    char data[]; /* len bytes plus a terminating '\0' */
} rcbuf_t;

/* New buffer with one reference; data may be NULL (bytes left zeroed). */
rcbuf_t *rcbuf_new(const void *data, size_t len);
/* Copies b's bytes into a new rcbuf (one reference); b is left untouched. */
rcbuf_t *rcbuf_from_buf(const buf_t *b);
static inline rcbuf_t *rcbuf_ref(rcbuf_t *r)
{
    r->refs++;
    return r;
}
void rcbuf_unref(rcbuf_t *r);

#endif
