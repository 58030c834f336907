/*
 * media/flv — FLV tag bodies (as carried in RTMP audio/video messages), an
 * incremental FLV file reader, and the step from a tag body to a
 * codec-neutral media_frame_t.
 *
 * Data path: rtmp/session (message type 8/9 + timestamp + body) or an FLV
 * file (tests, benchmarks) → flv → media_frame_t → hub. Parsing is pure:
 * flv_video_t / flv_audio_t point into the caller's body; flv_to_frame
 * copies the payload once into a new rcbuf owned by the returned frame (one
 * reference, the caller's). The reader keeps all state in flv_reader_t so a
 * file may arrive in any split; a tag body is handed to the callback
 * straight from the input when it is contiguous there, else from the
 * reader's own buffer (valid only during the callback).
 *
 * Video tag body (FLV 10.1 E.4.3):
 *   | FrameType(4) CodecID(4) | AVCPacketType(8) | CompositionTime(SI24) | data |
 *     FrameType 1 key, 2 inter, 3 disposable, 4 generated key, 5 info/command
 *     CodecID 7 AVC; AVCPacketType 0 avcC, 1 NAL units, 2 end of sequence
 *   enhanced RTMP: bit 7 set = IsExHeader | FrameType(3) PacketType(4) | FourCC(32) | ...
 * Audio tag body (E.4.2):
 *   | SoundFormat(4) Rate(2) Size(1) Type(1) | AACPacketType(8) | data |
 *     SoundFormat 10 AAC; AACPacketType 0 AudioSpecificConfig, 1 raw frame
 * File (E.2, E.3):
 *   "FLV" ver(8) flags(8) dataOffset(32) | PrevTagSize0(32) |
 *   { type(8) size(24) ts(24) tsExt(8) streamId(24) | body[size] | PrevTagSize(32) } ...
 *   (timestamp = tsExt << 24 | ts, milliseconds)
 */
#ifndef SIARAN_MEDIA_FLV_H
#define SIARAN_MEDIA_FLV_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "media/frame.h"

/* Results. Non-negative values are outcomes, negative ones errors. */
#define FLV_OK           0
#define FLV_NEED_MORE    1    /* reader: input ended inside the header or a tag */
#define FLV_NOTHING      2    /* flv_to_frame: valid, nothing to produce (end of sequence…) */
#define FLV_EMALFORMED   (-1) /* truncated body, bad header, bad size */
#define FLV_EUNSUPPORTED (-2) /* valid FLV, codec or feature we do not take (id reported) */
#define FLV_ETOOBIG      (-3) /* tag larger than the reader's cap */
#define FLV_EABORTED     (-4) /* the reader's callback asked to stop */

#define FLV_TAG_AUDIO  8
#define FLV_TAG_VIDEO  9
#define FLV_TAG_SCRIPT 18

#define FLV_CODEC_AVC 7
#define FLV_SOUND_AAC 10

#define FLV_AVC_SEQUENCE_HEADER 0
#define FLV_AVC_NALU            1
#define FLV_AVC_END_OF_SEQUENCE 2
#define FLV_AAC_SEQUENCE_HEADER 0
#define FLV_AAC_RAW             1

#define FLV_DEFAULT_MAX_TAG (8u * 1024 * 1024)

typedef struct flv_video {
    uint8_t frame_type;  /* 1..5 (see above) */
    uint8_t codec_id;    /* 7 = AVC; legacy header only */
    uint8_t ex_header;   /* enhanced RTMP header: codec named by fourcc, unsupported here */
    uint8_t packet_type; /* AVCPacketType, or the enhanced PacketType */
    uint32_t fourcc;     /* enhanced RTMP only, e.g. 'hvc1' as 0x68766331 */
    int32_t cts;         /* composition time offset, ms (AVC only) */
    const uint8_t *data; /* payload after the headers; points into the body */
    size_t len;
} flv_video_t;

typedef struct flv_audio {
    uint8_t sound_format; /* 10 = AAC */
    uint8_t sound_rate;   /* 0 5.5 kHz, 1 11 kHz, 2 22 kHz, 3 44 kHz (AAC: always 3) */
    uint8_t sound_size;   /* 0 8-bit, 1 16-bit */
    uint8_t sound_type;   /* 0 mono, 1 stereo */
    uint8_t packet_type;  /* AACPacketType (AAC only) */
    const uint8_t *data;  /* payload after the headers; points into the body */
    size_t len;
} flv_audio_t;

/* Both return FLV_OK, FLV_EUNSUPPORTED (the header fields are still filled
 * in, so the caller can name the codec it refuses) or FLV_EMALFORMED. */
__attribute__((warn_unused_result)) int flv_parse_video(const uint8_t *body, size_t len,
                                                        flv_video_t *out);
__attribute__((warn_unused_result)) int flv_parse_audio(const uint8_t *body, size_t len,
                                                        flv_audio_t *out);

/* Builds a frame from an audio (8) or video (9) tag body. Returns FLV_OK
 * with *out set (the caller owns that reference), FLV_NOTHING (script data,
 * end of sequence, video info frames, empty payloads), FLV_EUNSUPPORTED or
 * FLV_EMALFORMED (also for a sequence header whose avcC/ASC does not
 * parse); *out is NULL unless FLV_OK. */
__attribute__((warn_unused_result)) int flv_to_frame(uint8_t type, int64_t timestamp_ms,
                                                     const uint8_t *body, size_t len,
                                                     media_frame_t **out);

/* Called once per complete tag; returning non-zero stops the reader (its
 * feed returns FLV_EABORTED). body is valid only during the call. */
typedef int (*flv_tag_cb)(void *ud, uint8_t type, uint32_t timestamp_ms, const uint8_t *body,
                          size_t len);

enum flv_reader_state {
    FLV_R_HEADER,     /* 9-byte file header */
    FLV_R_SKIP,       /* bytes between the header and dataOffset */
    FLV_R_PREV_SIZE,  /* PreviousTagSize */
    FLV_R_TAG_HEADER, /* 11-byte tag header */
    FLV_R_BODY,       /* tag body */
    FLV_R_FAILED,     /* sticky error */
};

typedef struct flv_reader {
    enum flv_reader_state state;
    int error;       /* the sticky error once FAILED */
    uint8_t hdr[11]; /* header bytes gathered so far */
    size_t have;     /* bytes gathered for the current field */
    size_t need;     /* bytes still to skip (SKIP) or body size (BODY) */
    size_t max_tag;
    uint8_t has_audio, has_video; /* from the file header flags */
    uint8_t tag_type;
    uint32_t tag_ts;
    uint32_t last_tag_size; /* 11 + body size of the previous tag, 0 before the first */
    buf_t body;
    flv_tag_cb cb;
    void *ud;
} flv_reader_t;

/* max_tag 0 = FLV_DEFAULT_MAX_TAG. The reader holds no memory until a tag
 * body arrives split; flv_reader_free releases it. */
void flv_reader_init(flv_reader_t *r, size_t max_tag, flv_tag_cb cb, void *ud);
void flv_reader_free(flv_reader_t *r);
/* Consumes all of data. FLV_OK: input ended on a tag boundary; FLV_NEED_MORE:
 * inside the header or a tag; negative: error (sticky, no more callbacks). */
__attribute__((warn_unused_result)) int flv_reader_feed(flv_reader_t *r, const uint8_t *data,
                                                        size_t len);

const char *flv_strerror(int err);

#endif
