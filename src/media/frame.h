/*
 * media/frame — the codec-neutral unit that flows through a stream's hub.
 *
 * Produced by the ingest side (RTMP session → FLV parsing) once per audio or
 * video message, then shared by every reader (HLS packager, later recording
 * and playback): readers take a reference and never modify it. Only the
 * event-loop thread touches the reference count.
 *
 * Payload conventions (what the FLV tag carried, minus its FLV headers):
 *   video, H.264, config=1: AVCDecoderConfigurationRecord (avcC)
 *   video, H.264, config=0: NAL units, each prefixed by its length
 *                           (nal_length_size bytes from the avcC)
 *   audio, AAC,   config=1: AudioSpecificConfig
 *   audio, AAC,   config=0: one raw AAC access unit (no ADTS header)
 * Timestamps are milliseconds on one unwrapped 64-bit timeline per stream;
 * pts = dts + cts.
 */
#ifndef SIARAN_MEDIA_FRAME_H
#define SIARAN_MEDIA_FRAME_H

#include <stdint.h>

#include "core/rcbuf.h"

enum media_kind { MEDIA_VIDEO = 0, MEDIA_AUDIO = 1 };
enum media_codec { MEDIA_CODEC_NONE = 0, MEDIA_CODEC_H264 = 1, MEDIA_CODEC_AAC = 2 };

typedef struct media_frame {
    unsigned refs;
    uint8_t kind;     /* enum media_kind */
    uint8_t codec;    /* enum media_codec */
    uint8_t config;   /* 1: codec configuration (sequence header), not a picture/sample */
    uint8_t keyframe; /* video: random access point (IDR); audio: always 1 */
    int32_t cts;      /* composition time offset, ms */
    int64_t dts;      /* decode timestamp, ms */
    rcbuf_t *data;    /* payload (see above); the frame holds one reference */
    uint64_t arrival_ns; /* uv_hrtime() when its bytes were read (0 = unknown), for latency */
} media_frame_t;

/* New frame with one reference; takes over the caller's reference to data. */
media_frame_t *media_frame_new(enum media_kind kind, enum media_codec codec, int config,
                               int keyframe, int64_t dts, int32_t cts, rcbuf_t *data);
static inline media_frame_t *media_frame_ref(media_frame_t *f)
{
    f->refs++;
    return f;
}
void media_frame_unref(media_frame_t *f);

#endif
