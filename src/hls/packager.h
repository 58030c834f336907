/*
 * hls/packager — the hub reader that turns a stream's frames into MPEG-TS
 * segments and an HLS playlist in memory (hls/store).
 *
 * Owns one packager per stream that has published since start-up: its
 * hls/segmenter (cutting rules, TS muxer, the open segment) and its
 * hls/store. This module adds the lifecycle: a publisher that drops closes
 * the open segment and the next one is a discontinuity (codec configuration
 * starts afresh, continuity counters run on); the stream's end adds
 * #EXT-X-ENDLIST; a stream started again gets a new playlist; some minutes
 * after the end the packager and its memory are released. Segments get
 * their wall-clock time (EXT-X-PROGRAM-DATE-TIME) here. Memory per stream
 * is bounded by the store's ring and HLS_MAX_SEGMENT_BYTES.
 */
#ifndef SIARAN_HLS_PACKAGER_H
#define SIARAN_HLS_PACKAGER_H

#include <stdint.h>
#include <uv.h>

#include "core/buf.h"
#include "hls/store.h"
#include "hub/hub.h"

#define HLS_MAX_SEGMENT_BYTES (32u * 1024 * 1024)

typedef struct hls_packager_opts {
    int segment_seconds;
    int window;
    uint64_t release_after_ms; /* after the stream ends */
} hls_packager_opts_t;

void hls_packager_module_init(uv_loop_t *loop, const hls_packager_opts_t *opts);
/* Frees every packager (at shutdown). */
void hls_packager_module_close(void);

/* The packager of hub stream s, attached now if it had none. */
void hls_packager_ensure(hub_stream_t *s);
/* The store of a stream, or NULL. */
hls_store_t *hls_packager_store(int64_t stream_id);
void hls_packager_metrics(buf_t *out);

#endif
