/* media/flv — see flv.h. */
#include "media/flv.h"

#include <string.h>

#include "core/bytes.h"
#include "core/rcbuf.h"
#include "media/aac.h"
#include "media/avc.h"

/* ---- tag bodies ---------------------------------------------------------- */

int flv_parse_video(const uint8_t *body, size_t len, flv_video_t *out)
{
    memset(out, 0, sizeof *out);
    if (len < 1)
        return FLV_EMALFORMED;
    if (body[0] & 0x80) { /* enhanced RTMP: IsExHeader | FrameType(3) | PacketType(4) | FourCC */
        out->ex_header = 1;
        out->frame_type = (body[0] >> 4) & 7;
        out->packet_type = body[0] & 0x0f;
        if (len < 5)
            return FLV_EMALFORMED;
        out->fourcc = be32_get(body + 1);
        out->data = body + 5;
        out->len = len - 5;
        return FLV_EUNSUPPORTED;
    }
    out->frame_type = body[0] >> 4;
    out->codec_id = body[0] & 0x0f;
    if (out->frame_type < 1 || out->frame_type > 5)
        return FLV_EMALFORMED;
    if (out->codec_id != FLV_CODEC_AVC) {
        out->data = body + 1;
        out->len = len - 1;
        return FLV_EUNSUPPORTED;
    }
    if (out->frame_type == 5) { /* video info/command frame: one UI8, no AVC header */
        out->data = body + 1;
        out->len = len - 1;
        return FLV_OK;
    }
    if (len < 5)
        return FLV_EMALFORMED;
    out->packet_type = body[1];
    uint32_t cts = be24_get(body + 2);
    out->cts = (int32_t)(cts ^ 0x800000u) - 0x800000; /* sign-extend SI24 */
    out->data = body + 5;
    out->len = len - 5;
    if (out->packet_type > FLV_AVC_END_OF_SEQUENCE)
        return FLV_EMALFORMED;
    return FLV_OK;
}

int flv_parse_audio(const uint8_t *body, size_t len, flv_audio_t *out)
{
    memset(out, 0, sizeof *out);
    if (len < 1)
        return FLV_EMALFORMED;
    out->sound_format = body[0] >> 4;
    out->sound_rate = (body[0] >> 2) & 3;
    out->sound_size = (body[0] >> 1) & 1;
    out->sound_type = body[0] & 1;
    if (out->sound_format != FLV_SOUND_AAC) {
        out->data = body + 1;
        out->len = len - 1;
        return FLV_EUNSUPPORTED;
    }
    if (len < 2)
        return FLV_EMALFORMED;
    out->packet_type = body[1];
    out->data = body + 2;
    out->len = len - 2;
    if (out->packet_type > FLV_AAC_RAW)
        return FLV_EMALFORMED;
    return FLV_OK;
}

static media_frame_t *new_frame(enum media_kind kind, enum media_codec codec, int config,
                                int keyframe, int64_t dts, int32_t cts, const uint8_t *data,
                                size_t len)
{
    return media_frame_new(kind, codec, config, keyframe, dts, cts, rcbuf_new(data, len));
}

static int video_to_frame(int64_t ts, const uint8_t *body, size_t len, media_frame_t **out)
{
    flv_video_t v;
    int rc = flv_parse_video(body, len, &v);
    if (rc != FLV_OK)
        return rc;
    if (v.frame_type == 5 || v.packet_type == FLV_AVC_END_OF_SEQUENCE)
        return FLV_NOTHING;
    if (v.packet_type == FLV_AVC_SEQUENCE_HEADER) {
        avc_config_t cfg;
        if (avc_config_parse(v.data, v.len, &cfg) != AVC_OK)
            return FLV_EMALFORMED;
        *out = new_frame(MEDIA_VIDEO, MEDIA_CODEC_H264, 1, 1, ts, 0, v.data, v.len);
        return FLV_OK;
    }
    if (v.len == 0)
        return FLV_NOTHING;
    int key = v.frame_type == 1 || v.frame_type == 4;
    *out = new_frame(MEDIA_VIDEO, MEDIA_CODEC_H264, 0, key, ts, v.cts, v.data, v.len);
    return FLV_OK;
}

static int audio_to_frame(int64_t ts, const uint8_t *body, size_t len, media_frame_t **out)
{
    flv_audio_t a;
    int rc = flv_parse_audio(body, len, &a);
    if (rc != FLV_OK)
        return rc;
    if (a.packet_type == FLV_AAC_SEQUENCE_HEADER) {
        aac_config_t cfg;
        if (aac_asc_parse(a.data, a.len, &cfg) != AAC_OK)
            return FLV_EMALFORMED;
        *out = new_frame(MEDIA_AUDIO, MEDIA_CODEC_AAC, 1, 1, ts, 0, a.data, a.len);
        return FLV_OK;
    }
    if (a.len == 0)
        return FLV_NOTHING;
    *out = new_frame(MEDIA_AUDIO, MEDIA_CODEC_AAC, 0, 1, ts, 0, a.data, a.len);
    return FLV_OK;
}

int flv_to_frame(uint8_t type, int64_t timestamp_ms, const uint8_t *body, size_t len,
                 media_frame_t **out)
{
    *out = NULL;
    switch (type) {
    case FLV_TAG_VIDEO:
        return video_to_frame(timestamp_ms, body, len, out);
    case FLV_TAG_AUDIO:
        return audio_to_frame(timestamp_ms, body, len, out);
    case FLV_TAG_SCRIPT:
        return FLV_NOTHING;
    default:
        return FLV_EUNSUPPORTED;
    }
}

/* ---- file reader --------------------------------------------------------- */

void flv_reader_init(flv_reader_t *r, size_t max_tag, flv_tag_cb cb, void *ud)
{
    memset(r, 0, sizeof *r);
    r->state = FLV_R_HEADER;
    r->max_tag = max_tag ? max_tag : FLV_DEFAULT_MAX_TAG;
    r->cb = cb;
    r->ud = ud;
}

void flv_reader_free(flv_reader_t *r)
{
    buf_free(&r->body);
}

static int fail(flv_reader_t *r, int err)
{
    r->state = FLV_R_FAILED;
    r->error = err;
    buf_free(&r->body);
    return err;
}

/* Gathers up to `want` header bytes into r->hdr; returns 1 once complete. */
static int gather(flv_reader_t *r, size_t want, const uint8_t **p, const uint8_t *end)
{
    size_t n = want - r->have;
    if ((size_t)(end - *p) < n)
        n = (size_t)(end - *p);
    memcpy(r->hdr + r->have, *p, n);
    r->have += n;
    *p += n;
    if (r->have < want)
        return 0;
    r->have = 0;
    return 1;
}

static int on_file_header(flv_reader_t *r)
{
    const uint8_t *h = r->hdr;
    if (h[0] != 'F' || h[1] != 'L' || h[2] != 'V' || h[3] != 1)
        return FLV_EMALFORMED;
    r->has_audio = (h[4] >> 2) & 1;
    r->has_video = h[4] & 1;
    uint32_t offset = be32_get(h + 5);
    if (offset < 9 || offset > 9 + 1024) /* room for a future header extension, not more */
        return FLV_EMALFORMED;
    r->need = offset - 9;
    r->state = r->need ? FLV_R_SKIP : FLV_R_PREV_SIZE;
    return FLV_OK;
}

static int on_prev_size(flv_reader_t *r)
{
    uint32_t prev = be32_get(r->hdr);
    /* Some writers leave it zero; anything else must match the tag just read. */
    if (prev != 0 && prev != r->last_tag_size)
        return FLV_EMALFORMED;
    r->state = FLV_R_TAG_HEADER;
    return FLV_OK;
}

static int on_tag_header(flv_reader_t *r)
{
    const uint8_t *h = r->hdr;
    if (h[0] & 0xc0) /* reserved bits */
        return FLV_EMALFORMED;
    if (h[0] & 0x20) /* Filter: encrypted body */
        return FLV_EUNSUPPORTED;
    r->tag_type = h[0] & 0x1f;
    r->need = be24_get(h + 1);
    r->tag_ts = be24_get(h + 4) | ((uint32_t)h[7] << 24);
    if (r->need > r->max_tag)
        return FLV_ETOOBIG;
    r->last_tag_size = 11 + (uint32_t)r->need;
    buf_reset(&r->body);
    r->state = FLV_R_BODY;
    return FLV_OK;
}

static int deliver(flv_reader_t *r, const uint8_t *body, size_t len)
{
    r->state = FLV_R_PREV_SIZE;
    if (r->cb && r->cb(r->ud, r->tag_type, r->tag_ts, body, len) != 0)
        return FLV_EABORTED;
    return FLV_OK;
}

int flv_reader_feed(flv_reader_t *r, const uint8_t *data, size_t len)
{
    const uint8_t *p = data, *end = data + len;
    int rc = FLV_OK;
    while (p < end && rc == FLV_OK) {
        switch (r->state) {
        case FLV_R_HEADER:
            if (gather(r, 9, &p, end))
                rc = on_file_header(r);
            break;
        case FLV_R_SKIP: {
            size_t n = (size_t)(end - p) < r->need ? (size_t)(end - p) : r->need;
            p += n;
            r->need -= n;
            if (r->need == 0)
                r->state = FLV_R_PREV_SIZE;
            break;
        }
        case FLV_R_PREV_SIZE:
            if (gather(r, 4, &p, end))
                rc = on_prev_size(r);
            break;
        case FLV_R_TAG_HEADER:
            if (gather(r, 11, &p, end)) {
                rc = on_tag_header(r);
                if (rc == FLV_OK && r->need == 0)
                    rc = deliver(r, p, 0);
            }
            break;
        case FLV_R_BODY:
            if (r->body.len == 0 && (size_t)(end - p) >= r->need) { /* contiguous: no copy */
                const uint8_t *body = p;
                p += r->need;
                rc = deliver(r, body, r->need);
                break;
            }
            size_t n = r->need - r->body.len;
            if ((size_t)(end - p) < n)
                n = (size_t)(end - p);
            if (r->body.len == 0)
                buf_reserve(&r->body, r->need);
            buf_append(&r->body, p, n);
            p += n;
            if (r->body.len == r->need) {
                rc = deliver(r, (const uint8_t *)r->body.data, r->body.len);
                buf_reset(&r->body);
            }
            break;
        case FLV_R_FAILED:
            return r->error;
        }
    }
    if (r->state == FLV_R_FAILED)
        return r->error;
    if (rc != FLV_OK)
        return fail(r, rc);
    /* A file may end right after a tag's PreviousTagSize (or the header's). */
    return r->state == FLV_R_TAG_HEADER && r->have == 0 ? FLV_OK : FLV_NEED_MORE;
}

const char *flv_strerror(int err)
{
    switch (err) {
    case FLV_OK:
        return "ok";
    case FLV_NEED_MORE:
        return "need more data";
    case FLV_NOTHING:
        return "nothing to produce";
    case FLV_EMALFORMED:
        return "malformed FLV data";
    case FLV_EUNSUPPORTED:
        return "unsupported FLV codec or feature";
    case FLV_ETOOBIG:
        return "FLV tag too large";
    case FLV_EABORTED:
        return "stopped by the caller";
    default:
        return "unknown error";
    }
}
