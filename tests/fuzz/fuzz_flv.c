/*
 * Fuzz target: media/flv. The input is read as an FLV file fed in chunks
 * whose sizes come from the first byte (so splits vary), every tag goes
 * through the body parsers and flv_to_frame, and the frames go on into the
 * segmenter (TS muxer) as they would in the server. The same bytes are also
 * tried directly as an audio and a video tag body.
 */
#include <stdint.h>
#include <stdlib.h>

#include "hls/segmenter.h"
#include "media/flv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_tag(void *ud, uint8_t type, uint32_t ts, const uint8_t *body, size_t len)
{
    hls_segmenter_t *seg = ud;
    flv_video_t v;
    flv_audio_t a;
    if (type == FLV_TAG_VIDEO && flv_parse_video(body, len, &v) == FLV_OK && v.len > len)
        __builtin_trap();
    if (type == FLV_TAG_AUDIO && flv_parse_audio(body, len, &a) == FLV_OK && a.len > len)
        __builtin_trap();
    media_frame_t *f;
    int rc = flv_to_frame(type, ts, body, len, &f);
    if ((rc == FLV_OK) != (f != NULL))
        __builtin_trap();
    if (rc != FLV_OK)
        return 0;
    hls_closed_segment_t c;
    if (hls_segmenter_push(seg, f, &c) == HLS_SEG_CLOSED) {
        if (c.data->len % TS_PACKET_SIZE != 0)
            __builtin_trap();
        rcbuf_unref(c.data);
    }
    media_frame_unref(f);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    media_frame_t *f;
    if (flv_to_frame(FLV_TAG_VIDEO, 0, data, size, &f) == FLV_OK)
        media_frame_unref(f);
    if (flv_to_frame(FLV_TAG_AUDIO, 0, data, size, &f) == FLV_OK)
        media_frame_unref(f);

    hls_segmenter_t seg;
    hls_segmenter_init(&seg, 1000, 1u << 20);
    flv_reader_t r;
    flv_reader_init(&r, 1u << 20, on_tag, &seg);
    size_t step = size ? (size_t)(data[0] % 64) + 1 : 1;
    for (size_t off = 0; off < size; off += step) {
        size_t n = size - off < step ? size - off : step;
        int rc = flv_reader_feed(&r, data + off, n);
        if (rc < 0)
            break;
        if (rc != FLV_OK && rc != FLV_NEED_MORE)
            __builtin_trap();
    }
    flv_reader_free(&r);
    hls_closed_segment_t c;
    if (hls_segmenter_flush(&seg, &c) == HLS_SEG_CLOSED)
        rcbuf_unref(c.data);
    hls_segmenter_free(&seg);
    return 0;
}
