/* rtmp/chunk — see chunk.h. */
#include "rtmp/chunk.h"

#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"

/* Reassembly buffers larger than this are freed once their message is done. */
#define KEEP_BUF_MAX (256u << 10)
#define TS_EXTENDED  0xffffffu

static const uint8_t msg_header_len[4] = {11, 7, 3, 0};

void rtmp_chunk_demux_init(rtmp_chunk_demux_t *d, size_t max_message)
{
    memset(d, 0, sizeof *d);
    d->state = RTMP_CHUNK_HEADER;
    d->chunk_size = RTMP_CHUNK_DEFAULT_CHUNK_SIZE;
    d->max_message = max_message ? max_message : RTMP_CHUNK_DEFAULT_MAX_MESSAGE;
    d->hdr_need = 1;
}

void rtmp_chunk_demux_free(rtmp_chunk_demux_t *d)
{
    for (size_t i = 0; i < d->ncs; i++) {
        free(d->cs[i].buf);
        d->cs[i].buf = NULL;
        d->cs[i].cap = 0;
    }
    d->ncs = 0;
}

static int fail(rtmp_chunk_demux_t *d, const char *why)
{
    d->state = RTMP_CHUNK_FAILED;
    d->error = why;
    return RTMP_ERROR;
}

static rtmp_chunk_cs_t *cs_find(rtmp_chunk_demux_t *d, uint32_t csid)
{
    for (size_t i = 0; i < d->ncs; i++)
        if (d->cs[i].csid == csid)
            return &d->cs[i];
    return NULL;
}

/* Forgets cs's current message (complete or aborted). */
static void drop_partial(rtmp_chunk_demux_t *d, rtmp_chunk_cs_t *cs)
{
    d->pending -= cs->got;
    cs->got = 0;
    cs->in_msg = 0;
}

static void trim_buf(rtmp_chunk_cs_t *cs)
{
    if (cs->cap > KEEP_BUF_MAX) {
        free(cs->buf);
        cs->buf = NULL;
        cs->cap = 0;
    }
}

/*
 * Applies a complete chunk header held in d->hdr (basic header of blen
 * bytes, fmt, csid, ext: whether 4 extended timestamp bytes follow the
 * message header). Leaves d ready for the chunk's payload.
 */
static int apply_header(rtmp_chunk_demux_t *d, size_t blen, unsigned fmt, uint32_t csid, int ext)
{
    const uint8_t *h = d->hdr + blen;
    rtmp_chunk_cs_t *cs = cs_find(d, csid);
    if (cs == NULL) {
        if (fmt != 0)
            return fail(d, "chunk stream starts without a type 0 header");
        if (d->ncs >= RTMP_CHUNK_MAX_CSIDS)
            return fail(d, "too many chunk streams");
        cs = &d->cs[d->ncs++];
        memset(cs, 0, sizeof *cs);
        cs->csid = csid;
    }
    if (fmt < 3 && cs->in_msg)
        return fail(d, "new message header inside a message");

    uint32_t field = 0;
    if (fmt < 3) {
        field = ext ? be32_get(h + msg_header_len[fmt]) : be24_get(h);
        cs->ext = (uint8_t)ext;
        cs->ts_field = field;
    }
    if (fmt <= 1) {
        cs->len = be24_get(h + 3);
        cs->type = h[6];
    }
    switch (fmt) {
    case 0:
        cs->stream_id = le32_get(h + 7);
        cs->timestamp = field;
        break;
    case 1:
    case 2:
        cs->timestamp += field;
        break;
    default:
        if (!cs->in_msg) /* a new message repeating the last delta */
            cs->timestamp += cs->ts_field;
        break;
    }
    if (!cs->in_msg) {
        if (cs->len > d->max_message)
            return fail(d, "message too long");
        cs->in_msg = 1;
        cs->got = 0;
    }
    d->cur = (size_t)(cs - d->cs);
    uint32_t rest = cs->len - cs->got;
    d->chunk_left = rest < d->chunk_size ? rest : d->chunk_size;
    return RTMP_OK;
}

/*
 * Works out how long the header being read is from the bytes seen so far.
 * Returns 1 when it is complete (and applied), 0 when d->hdr_need grew, or
 * RTMP_ERROR.
 */
static int header_step(rtmp_chunk_demux_t *d)
{
    const uint8_t *h = d->hdr;
    unsigned fmt = h[0] >> 6;
    size_t blen = (h[0] & 0x3f) == 0 ? 2 : (h[0] & 0x3f) == 1 ? 3 : 1;
    if (d->hdr_len < blen) {
        d->hdr_need = blen;
        return 0;
    }
    uint32_t csid = h[0] & 0x3f;
    if (blen == 2)
        csid = 64u + h[1];
    else if (blen == 3)
        csid = 64u + h[1] + ((uint32_t)h[2] << 8);

    size_t need = blen + msg_header_len[fmt];
    if (d->hdr_len < need) {
        d->hdr_need = need;
        return 0;
    }
    int ext;
    if (fmt < 3) {
        ext = be24_get(h + blen) == TS_EXTENDED;
    } else {
        const rtmp_chunk_cs_t *cs = cs_find(d, csid);
        if (cs == NULL)
            return fail(d, "chunk stream starts without a type 0 header");
        ext = cs->ext;
    }
    if (ext)
        need += 4;
    if (d->hdr_len < need) {
        d->hdr_need = need;
        return 0;
    }
    int rc = apply_header(d, blen, fmt, csid, ext);
    return rc == RTMP_OK ? 1 : rc;
}

/* Protocol control messages the demuxer acts on before delivering them. */
static int control(rtmp_chunk_demux_t *d, const rtmp_chunk_msg_t *m)
{
    switch (m->type) {
    case RTMP_MSG_SET_CHUNK_SIZE: {
        if (m->len < 4)
            return fail(d, "short Set Chunk Size");
        uint32_t size = be32_get(m->payload);
        if (size == 0 || size > RTMP_CHUNK_MAX_CHUNK_SIZE)
            return fail(d, "bad chunk size");
        d->chunk_size = size;
        break;
    }
    case RTMP_MSG_ABORT: {
        if (m->len < 4)
            return fail(d, "short Abort Message");
        rtmp_chunk_cs_t *cs = cs_find(d, be32_get(m->payload));
        if (cs != NULL && cs->in_msg) {
            drop_partial(d, cs);
            trim_buf(cs);
        }
        break;
    }
    case RTMP_MSG_WINDOW_ACK_SIZE:
        if (m->len < 4)
            return fail(d, "short Window Acknowledgement Size");
        d->ack_window = be32_get(m->payload);
        break;
    default:
        break;
    }
    return RTMP_OK;
}

/* Hands cs's complete message to cb; payload is cs->buf or the input. */
static int deliver(rtmp_chunk_demux_t *d, rtmp_chunk_cs_t *cs, const uint8_t *payload,
                   rtmp_chunk_msg_fn cb, void *ud)
{
    rtmp_chunk_msg_t m = {cs->csid, cs->type, cs->stream_id, cs->timestamp, payload, cs->len};
    drop_partial(d, cs); /* done with: an Abort naming this csid is then a no-op */
    int rc = control(d, &m);
    if (rc == RTMP_OK && cb(ud, &m) != 0)
        rc = fail(d, "stopped by handler");
    trim_buf(cs); /* only now: payload may point into the buffer */
    return rc;
}

/* Copies n payload bytes into cs's reassembly buffer, growing it as needed. */
static int stash(rtmp_chunk_demux_t *d, rtmp_chunk_cs_t *cs, const uint8_t *p, size_t n)
{
    if (d->pending + n > 2 * d->max_message)
        return fail(d, "too much partial data");
    size_t need = (size_t)cs->got + n;
    if (need > cs->cap) {
        size_t cap = cs->cap ? cs->cap : 4096;
        while (cap < need)
            cap *= 2;
        if (cap > cs->len)
            cap = cs->len;
        cs->buf = xrealloc(cs->buf, cap);
        cs->cap = cap;
    }
    memcpy(cs->buf + cs->got, p, n);
    cs->got += (uint32_t)n;
    d->pending += n;
    return RTMP_OK;
}

int rtmp_chunk_feed(rtmp_chunk_demux_t *d, const uint8_t *data, size_t len, rtmp_chunk_msg_fn cb,
                    void *ud)
{
    size_t pos = 0;
    d->bytes_in += len;
    while (pos < len || (d->state == RTMP_CHUNK_PAYLOAD && d->chunk_left == 0)) {
        switch (d->state) {
        case RTMP_CHUNK_HEADER: {
            size_t n = d->hdr_need - d->hdr_len;
            if (n > len - pos)
                n = len - pos;
            memcpy(d->hdr + d->hdr_len, data + pos, n);
            d->hdr_len += n;
            pos += n;
            if (d->hdr_len < d->hdr_need)
                break;
            int rc = header_step(d);
            if (rc < 0)
                return rc;
            if (rc == 1) {
                d->state = RTMP_CHUNK_PAYLOAD;
                d->hdr_len = 0;
                d->hdr_need = 1;
            }
            break;
        }
        case RTMP_CHUNK_PAYLOAD: {
            rtmp_chunk_cs_t *cs = &d->cs[d->cur];
            size_t avail = len - pos;
            if (cs->got == 0 && d->chunk_left == cs->len && avail >= cs->len) {
                /* The whole message is in this chunk and in this input: no copy. */
                const uint8_t *p = data + pos;
                pos += cs->len;
                d->state = RTMP_CHUNK_HEADER;
                if (deliver(d, cs, p, cb, ud) != RTMP_OK)
                    return RTMP_ERROR;
                break;
            }
            size_t n = d->chunk_left < avail ? d->chunk_left : avail;
            if (n > 0 && stash(d, cs, data + pos, n) != RTMP_OK)
                return RTMP_ERROR;
            pos += n;
            d->chunk_left -= (uint32_t)n;
            if (d->chunk_left > 0)
                break;
            d->state = RTMP_CHUNK_HEADER;
            if (cs->got == cs->len && deliver(d, cs, cs->buf, cb, ud) != RTMP_OK)
                return RTMP_ERROR;
            break;
        }
        case RTMP_CHUNK_FAILED:
            return RTMP_ERROR;
        }
    }
    return d->state == RTMP_CHUNK_FAILED ? RTMP_ERROR : RTMP_OK;
}

int rtmp_chunk_ack_due(rtmp_chunk_demux_t *d, uint32_t *seq)
{
    if (d->ack_window == 0 || d->bytes_in - d->acked < d->ack_window)
        return 0;
    d->acked = d->bytes_in;
    *seq = (uint32_t)d->bytes_in;
    return 1;
}

void rtmp_chunk_set_ack_window(rtmp_chunk_demux_t *d, uint32_t window)
{
    d->ack_window = window;
}

/* ---- muxer ---- */

void rtmp_chunk_mux_init(rtmp_chunk_mux_t *m)
{
    memset(m, 0, sizeof *m);
    m->chunk_size = RTMP_CHUNK_DEFAULT_CHUNK_SIZE;
}

static size_t put_basic(uint8_t *p, unsigned fmt, uint32_t csid)
{
    if (csid < 64) {
        p[0] = (uint8_t)(fmt << 6 | csid);
        return 1;
    }
    if (csid < 320) {
        p[0] = (uint8_t)(fmt << 6);
        p[1] = (uint8_t)(csid - 64);
        return 2;
    }
    p[0] = (uint8_t)(fmt << 6 | 1);
    p[1] = (uint8_t)((csid - 64) & 0xff);
    p[2] = (uint8_t)((csid - 64) >> 8);
    return 3;
}

static rtmp_chunk_mux_cs_t *mux_slot(rtmp_chunk_mux_t *m, uint32_t csid, int *fresh)
{
    for (size_t i = 0; i < RTMP_CHUNK_MUX_SLOTS; i++)
        if (m->cs[i].csid == csid) {
            *fresh = 0;
            return &m->cs[i];
        }
    *fresh = 1;
    for (size_t i = 0; i < RTMP_CHUNK_MUX_SLOTS; i++)
        if (m->cs[i].csid == 0)
            return &m->cs[i];
    /* All taken: reuse one; its next message simply goes out with fmt 0. */
    rtmp_chunk_mux_cs_t *s = &m->cs[m->evict];
    m->evict = (m->evict + 1) % RTMP_CHUNK_MUX_SLOTS;
    return s;
}

int rtmp_chunk_write(rtmp_chunk_mux_t *m, buf_t *out, uint32_t csid, uint8_t type,
                     uint32_t stream_id, uint32_t timestamp, const uint8_t *payload, size_t len)
{
    if (csid < RTMP_CHUNK_MIN_CSID || csid > RTMP_CHUNK_MAX_CSID || len > 0xffffff)
        return RTMP_ERROR;
    int fresh;
    rtmp_chunk_mux_cs_t *s = mux_slot(m, csid, &fresh);
    unsigned fmt = 0;
    uint32_t field = timestamp;
    if (!fresh && s->stream_id == stream_id && timestamp >= s->timestamp) {
        field = timestamp - s->timestamp;
        if (type != s->type || len != s->len)
            fmt = 1;
        else if (s->delta && field == s->ts_field)
            fmt = 3;
        else
            fmt = 2;
    }
    int ext = field >= TS_EXTENDED;
    uint8_t h[18];
    size_t n = put_basic(h, fmt, csid);
    if (fmt < 3) {
        be24_put(h + n, ext ? TS_EXTENDED : field);
        n += 3;
    }
    if (fmt < 2) {
        be24_put(h + n, (uint32_t)len);
        h[n + 3] = type;
        n += 4;
    }
    if (fmt == 0) {
        le32_put(h + n, stream_id);
        n += 4;
    }
    if (ext) {
        be32_put(h + n, field);
        n += 4;
    }
    buf_append(out, h, n);

    /* Continuation chunks: fmt 3 basic header, plus the extended field again. */
    uint8_t c[7];
    size_t cn = put_basic(c, 3, csid);
    if (ext) {
        be32_put(c + cn, field);
        cn += 4;
    }
    size_t off = 0;
    do {
        size_t take = len - off < m->chunk_size ? len - off : m->chunk_size;
        if (off > 0)
            buf_append(out, c, cn);
        buf_append(out, payload + off, take);
        off += take;
    } while (off < len);

    s->csid = csid;
    s->stream_id = stream_id;
    s->len = (uint32_t)len;
    s->type = type;
    s->timestamp = timestamp;
    if (fmt < 3) {
        s->ts_field = field;
        s->delta = fmt != 0;
    }
    return RTMP_OK;
}

static void write_control(rtmp_chunk_mux_t *m, buf_t *out, uint8_t type, const uint8_t *p,
                          size_t len)
{
    /* Cannot fail: csid 2 and a payload of a few bytes. */
    (void)!rtmp_chunk_write(m, out, RTMP_CHUNK_CSID_CONTROL, type, 0, 0, p, len);
}

void rtmp_chunk_write_set_chunk_size(rtmp_chunk_mux_t *m, buf_t *out, uint32_t size)
{
    if (size < 1)
        size = 1;
    if (size > RTMP_CHUNK_MAX_CHUNK_SIZE)
        size = RTMP_CHUNK_MAX_CHUNK_SIZE;
    uint8_t p[4];
    be32_put(p, size);
    write_control(m, out, RTMP_MSG_SET_CHUNK_SIZE, p, sizeof p);
    m->chunk_size = size;
}

void rtmp_chunk_write_window_ack_size(rtmp_chunk_mux_t *m, buf_t *out, uint32_t size)
{
    uint8_t p[4];
    be32_put(p, size);
    write_control(m, out, RTMP_MSG_WINDOW_ACK_SIZE, p, sizeof p);
}

void rtmp_chunk_write_set_peer_bandwidth(rtmp_chunk_mux_t *m, buf_t *out, uint32_t size,
                                         enum rtmp_bw_limit limit)
{
    uint8_t p[5];
    be32_put(p, size);
    p[4] = (uint8_t)limit;
    write_control(m, out, RTMP_MSG_SET_PEER_BANDWIDTH, p, sizeof p);
}

void rtmp_chunk_write_ack(rtmp_chunk_mux_t *m, buf_t *out, uint32_t seq)
{
    uint8_t p[4];
    be32_put(p, seq);
    write_control(m, out, RTMP_MSG_ACK, p, sizeof p);
}

void rtmp_chunk_write_user_control(rtmp_chunk_mux_t *m, buf_t *out, enum rtmp_user_control ev,
                                   uint32_t value)
{
    uint8_t p[6];
    be16_put(p, (uint16_t)ev);
    be32_put(p + 2, value);
    write_control(m, out, RTMP_MSG_USER_CONTROL, p, sizeof p);
}
