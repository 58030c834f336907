/*
 * hls/segmenter — frames in, closed MPEG-TS segments out: where HLS
 * segments begin and end, and how long they are.
 *
 * Data path: hub frames → hls/packager → hls_segmenter_push → closed segment
 * (rcbuf + timing) → hls/store. Pure state machine over hls/ts: no clock, no
 * I/O. The segmenter owns the TS muxer and the open segment's bytes; a closed
 * segment's data is a new rcbuf whose one reference passes to the caller.
 *
 * Rules
 *   - With video, a segment starts at a video keyframe and is cut at the
 *     first keyframe whose dts is >= target_ms after the segment's start;
 *     frames before the first keyframe are dropped. Audio-only segments are
 *     cut at the first audio frame >= target_ms after the start.
 *   - Duration = next segment's first dts - this one's first dts; the last
 *     segment (flush) adds one frame interval to its last dts.
 *   - A segment past max_bytes is closed and frames are dropped until the
 *     next keyframe (memory per stream stays bounded).
 *   - hls_segmenter_discontinuity: the open segment is closed and the next
 *     one carries discontinuity = 1 (a publisher reconnected). A dts that
 *     goes back, or leaps forward, by more than target_ms + 1 s does the same
 *     by itself, so no segment's duration spans a clock jump.
 *
 *   state:  WAIT_KEY --keyframe--> OPEN --cut--> (segment out) OPEN ...
 *              ^                     |
 *              +---- too big / discontinuity / flush
 */
#ifndef SIARAN_HLS_SEGMENTER_H
#define SIARAN_HLS_SEGMENTER_H

#include <stdint.h>

#include "core/buf.h"
#include "core/rcbuf.h"
#include "hls/ts.h"
#include "media/frame.h"

#define HLS_SEG_NONE   0 /* frame taken (or dropped by rule), no segment closed */
#define HLS_SEG_CLOSED 1 /* *out holds a closed segment */

enum hls_segmenter_state { HLS_SEG_WAIT_KEY, HLS_SEG_OPEN };

typedef struct hls_closed_segment {
    rcbuf_t *data;        /* one reference, the caller's */
    int64_t start_dts_ms; /* dts of its first frame */
    int64_t duration_ms;
    int discontinuity;
} hls_closed_segment_t;

typedef struct hls_segmenter {
    enum hls_segmenter_state state;
    ts_mux_t mux;
    int64_t target_ms;
    size_t max_bytes;
    buf_t cur;                /* bytes of the open segment */
    int64_t start_dts;        /* of the open segment */
    int64_t last_dts;         /* of the last frame written */
    int64_t clock_dts;        /* of the last frame on the clock track (video, else audio) */
    int64_t last_delta;       /* last frame interval on the clock track, ms */
    int video;                /* the open segment has video (cut at keyframes) */
    int discontinuity;        /* the next segment to open is a discontinuity */
    int64_t last_key_dts;     /* -1 before the first keyframe */
    int64_t max_key_interval; /* longest keyframe interval seen, ms (0 = unknown) */
    uint64_t frames_dropped;
} hls_segmenter_t;

void hls_segmenter_init(hls_segmenter_t *s, int64_t target_ms, size_t max_bytes);
void hls_segmenter_free(hls_segmenter_t *s);

/* Takes one frame (config frames update the muxer). Returns HLS_SEG_NONE,
 * HLS_SEG_CLOSED (with *out filled) or a negative TS_E* error (frame
 * refused, state unchanged). At most one segment closes per frame. */
__attribute__((warn_unused_result)) int
hls_segmenter_push(hls_segmenter_t *s, const media_frame_t *f, hls_closed_segment_t *out);

/* Closes the open segment, if any: HLS_SEG_CLOSED or HLS_SEG_NONE. */
__attribute__((warn_unused_result)) int hls_segmenter_flush(hls_segmenter_t *s,
                                                            hls_closed_segment_t *out);

/* Closes the open segment (like flush) and marks the next one as a discontinuity. */
__attribute__((warn_unused_result)) int hls_segmenter_discontinuity(hls_segmenter_t *s,
                                                                    hls_closed_segment_t *out);

#endif
