/* hls/segmenter — see segmenter.h. */
#include "hls/segmenter.h"

#include <string.h>

void hls_segmenter_init(hls_segmenter_t *s, int64_t target_ms, size_t max_bytes)
{
    memset(s, 0, sizeof *s);
    s->state = HLS_SEG_WAIT_KEY;
    ts_mux_init(&s->mux);
    s->target_ms = target_ms > 0 ? target_ms : 1;
    s->max_bytes = max_bytes;
    s->last_key_dts = -1;
}

void hls_segmenter_free(hls_segmenter_t *s)
{
    ts_mux_free(&s->mux);
    buf_free(&s->cur);
}

static void open_segment(hls_segmenter_t *s, const media_frame_t *f)
{
    buf_reset(&s->cur);
    ts_mux_begin_segment(&s->mux, &s->cur);
    s->video = s->mux.seg_video;
    s->start_dts = f->dts;
    s->last_dts = f->dts;
    s->clock_dts = f->dts;
    s->last_delta = 0;
    s->state = HLS_SEG_OPEN;
}

/* Hands the open segment out; end_dts is where the next one begins. */
static void close_segment(hls_segmenter_t *s, int64_t end_dts, hls_closed_segment_t *out)
{
    out->data = rcbuf_from_buf(&s->cur);
    out->start_dts_ms = s->start_dts;
    out->duration_ms = end_dts > s->start_dts ? end_dts - s->start_dts : 0;
    out->discontinuity = s->discontinuity;
    s->discontinuity = 0;
    if (s->cur.cap > (8u << 20)) /* kept for the next segment unless outsized */
        buf_free(&s->cur);
    else
        buf_reset(&s->cur);
    s->state = HLS_SEG_WAIT_KEY;
}

/* The track whose frames start and cut segments. */
static int is_clock_frame(const hls_segmenter_t *s, const media_frame_t *f)
{
    return s->video ? f->kind == MEDIA_VIDEO : f->kind == MEDIA_AUDIO;
}

static int can_start(const hls_segmenter_t *s, const media_frame_t *f)
{
    if (s->mux.video_ready)
        return f->kind == MEDIA_VIDEO && f->keyframe;
    return f->kind == MEDIA_AUDIO && s->mux.audio_ready;
}

/* A clock that goes back, or leaps forward by more than a segment, cannot
 * be described by one segment's duration: it starts a discontinuity. */
static int is_jump(const hls_segmenter_t *s, const media_frame_t *f)
{
    int64_t slack = s->target_ms + 1000;
    return f->dts < s->last_dts - slack || f->dts > s->last_dts + slack;
}

static void note_keyframe(hls_segmenter_t *s, const media_frame_t *f)
{
    if (f->kind != MEDIA_VIDEO || !f->keyframe)
        return;
    if (s->last_key_dts >= 0 && f->dts > s->last_key_dts &&
        f->dts - s->last_key_dts > s->max_key_interval)
        s->max_key_interval = f->dts - s->last_key_dts;
    s->last_key_dts = f->dts;
}

int hls_segmenter_push(hls_segmenter_t *s, const media_frame_t *f, hls_closed_segment_t *out)
{
    memset(out, 0, sizeof *out);
    if (f->config) {
        int rc = ts_mux_write_frame(&s->mux, f, &s->cur);
        return rc < 0 ? rc : HLS_SEG_NONE;
    }
    int rc = ts_mux_check_frame(&s->mux, f);
    if (rc < 0 && rc != TS_ESTATE)
        return rc;

    int closed = HLS_SEG_NONE;
    if (s->state == HLS_SEG_OPEN && is_jump(s, f)) {
        close_segment(s, s->last_dts + s->last_delta, out);
        s->discontinuity = 1;
        s->last_key_dts = -1;
        closed = HLS_SEG_CLOSED;
    }
    if (s->state == HLS_SEG_OPEN) {
        int cut = is_clock_frame(s, f) && f->keyframe && f->dts - s->start_dts >= s->target_ms;
        /* Video configured after an audio-only start: switch at its first keyframe. */
        if (!s->video && s->mux.video_ready && f->kind == MEDIA_VIDEO && f->keyframe)
            cut = 1;
        if (cut) {
            close_segment(s, f->dts, out);
            closed = HLS_SEG_CLOSED;
        }
    }
    note_keyframe(s, f);
    if (s->state == HLS_SEG_WAIT_KEY) {
        if (!can_start(s, f)) {
            s->frames_dropped++;
            return closed;
        }
        open_segment(s, f);
    }

    rc = ts_mux_write_frame(&s->mux, f, &s->cur);
    if (rc == TS_SKIPPED) {
        s->frames_dropped++;
        return closed;
    }
    if (rc < 0) /* not reached: checked above */
        return rc;
    if (is_clock_frame(s, f)) {
        if (f->dts > s->clock_dts)
            s->last_delta = f->dts - s->clock_dts;
        s->clock_dts = f->dts;
    }
    if (f->dts > s->last_dts)
        s->last_dts = f->dts;
    if (!closed && s->max_bytes && s->cur.len > s->max_bytes) {
        close_segment(s, s->last_dts + s->last_delta, out);
        closed = HLS_SEG_CLOSED;
    }
    return closed;
}

int hls_segmenter_flush(hls_segmenter_t *s, hls_closed_segment_t *out)
{
    memset(out, 0, sizeof *out);
    if (s->state != HLS_SEG_OPEN)
        return HLS_SEG_NONE;
    close_segment(s, s->last_dts + s->last_delta, out);
    return HLS_SEG_CLOSED;
}

int hls_segmenter_discontinuity(hls_segmenter_t *s, hls_closed_segment_t *out)
{
    int rc = hls_segmenter_flush(s, out);
    s->discontinuity = 1;
    s->last_key_dts = -1;
    return rc;
}
