/*
 * store/streams — the streams table: create, get, list, state changes, keys.
 *
 * A row is copied into store_stream_t; description is malloc'd (may be long)
 * and released with store_stream_clear(). State rules (created → live →
 * ended → live) are enforced here with conditional UPDATEs, so two racing
 * requests cannot both start a stream.
 */
#ifndef SIARAN_STORE_STREAMS_H
#define SIARAN_STORE_STREAMS_H

#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

typedef struct store_stream {
    int64_t id;
    int64_t owner_id;
    char owner_username[40];
    char title[804]; /* 200 characters of up to 4 bytes */
    char *description;
    char status[8];
    char stream_key[64];
    char created_at[32];
    char started_at[32]; /* "" = null */
    char ended_at[32];
} store_stream_t;

typedef struct store_stream_filter {
    const char *status; /* NULL = any */
    int64_t owner_id;   /* 0 = any */
    int64_t before_id;  /* 0 = from the newest */
    int limit;
} store_stream_filter_t;

void store_stream_clear(store_stream_t *st);

int store_stream_create(store_t *s, int64_t owner_id, const char *title, const char *description,
                        const char *stream_key, store_stream_t *out)
    __attribute__((warn_unused_result));
int store_stream_get(store_t *s, int64_t id, store_stream_t *out)
    __attribute__((warn_unused_result));
int store_stream_by_key(store_t *s, const char *key, store_stream_t *out)
    __attribute__((warn_unused_result));
/*
 * Lists up to f->limit + 1 rows newest first into a malloc'd array (*out,
 * *n); the extra row tells the caller a next page exists.
 */
int store_stream_list(store_t *s, const store_stream_filter_t *f, store_stream_t **out, size_t *n)
    __attribute__((warn_unused_result));
void store_stream_list_free(store_stream_t *rows, size_t n);
/* created|ended → live; STORE_CONFLICT when already live. */
int store_stream_start(store_t *s, int64_t id) __attribute__((warn_unused_result));
/* live → ended; STORE_CONFLICT when not live. */
int store_stream_stop(store_t *s, int64_t id) __attribute__((warn_unused_result));
int store_stream_set_key(store_t *s, int64_t id, const char *key)
    __attribute__((warn_unused_result));
/* Counts by status into created/live/ended. */
int store_stream_counts(store_t *s, int64_t counts[3]) __attribute__((warn_unused_result));

#endif
