/*
 * hls/store — one stream's HLS output held in memory: closed segments and
 * the current media playlist, served by hls/http.
 *
 * Owns a ring of the last `window + HLS_KEEP_EXTRA` closed segments (a
 * segment stays fetchable for a while after it leaves the playlist) and the
 * rendered playlist. Segments and the playlist are immutable rcbufs: adding
 * a segment renders a new playlist and swaps the pointer, so responses in
 * flight keep the buffers they reference. Segment URIs carry the store's
 * epoch ("<epoch>-<seq>.ts"), so a URI never names two different segments
 * across restarts of a stream and can be cached as immutable.
 *
 * RFC 8216 rules kept here: EXT-X-TARGETDURATION is fixed when the first
 * playlist is published and is ≥ every EXTINF rounded; MEDIA-SEQUENCE grows
 * by one per segment leaving the window; each discontinuity that leaves the
 * window bumps DISCONTINUITY-SEQUENCE.
 */
#ifndef SIARAN_HLS_STORE_H
#define SIARAN_HLS_STORE_H

#include <stdint.h>

#include "core/rcbuf.h"

#define HLS_KEEP_EXTRA 4
#define HLS_MAX_WINDOW 100 /* the largest SIARAN_HLS_WINDOW accepted */

typedef struct hls_segment {
    uint64_t seq;
    int64_t duration_ms;
    int64_t pdt_ms; /* wall clock of its first frame, ms since the epoch */
    int discontinuity;
    rcbuf_t *data;
} hls_segment_t;

typedef struct hls_store {
    int64_t stream_id;
    uint32_t epoch;
    int window;
    int target_s;   /* 0 until the first playlist is published */
    int min_target; /* configured segment length, seconds */
    hls_segment_t *ring;
    int cap, count; /* ring holds count segments, oldest at head */
    int head;
    uint64_t next_seq;
    uint64_t disc_seq; /* discontinuities that left the window */
    int ended;
    rcbuf_t *playlist; /* NULL until the first segment */
    uint64_t bytes;    /* bytes held in segments */
} hls_store_t;

hls_store_t *hls_store_new(int64_t stream_id, int window, int segment_seconds);
void hls_store_free(hls_store_t *s);
/* Adds a closed segment (takes the caller's reference to data) and renders the playlist. */
void hls_store_add(hls_store_t *s, rcbuf_t *data, int64_t duration_ms, int64_t pdt_ms,
                   int discontinuity);
/* Marks the stream ended: the playlist gets #EXT-X-ENDLIST. */
void hls_store_end(hls_store_t *s);
/* The segment with that sequence number, or NULL when it is gone (or never was). */
const hls_segment_t *hls_store_segment(const hls_store_t *s, uint64_t seq);
/* Renders the playlist text into a new rcbuf (exposed for tests). */
rcbuf_t *hls_store_render(const hls_store_t *s);

#endif
