/*
 * Fuzz target: rtmp/chunk. The first byte seeds the sizes of the pieces the
 * rest is cut into, so every input is also tried at odd boundaries. Every
 * delivered message is touched, written again with a muxer, and the
 * muxer's output must decode to the same messages.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rtmp/chunk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct state {
    rtmp_chunk_mux_t mux;
    buf_t remux;
    size_t count;
    size_t remuxed;
    size_t sum;
} state_t;

static int on_msg(void *ud, const rtmp_chunk_msg_t *m)
{
    state_t *st = ud;
    if (m->len > 0)
        st->sum += m->payload[0] + m->payload[m->len - 1];
    st->count++;
    /* Control messages would change the second demuxer's state: keep media and commands. */
    if (m->type > RTMP_MSG_SET_PEER_BANDWIDTH && m->csid >= RTMP_CHUNK_MIN_CSID &&
        st->remux.len < (1u << 20)) {
        if (rtmp_chunk_write(&st->mux, &st->remux, m->csid, m->type, m->stream_id, m->timestamp,
                             m->payload, m->len) != RTMP_OK)
            __builtin_trap();
        st->remuxed++;
    }
    return 0;
}

static int on_again(void *ud, const rtmp_chunk_msg_t *m)
{
    size_t *n = ud;
    (void)m;
    (*n)++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rtmp_chunk_demux_t d;
    rtmp_chunk_demux_init(&d, 1u << 20);
    state_t st;
    memset(&st, 0, sizeof st);
    rtmp_chunk_mux_init(&st.mux);
    size_t pos = 0;
    unsigned step = size ? data[0] : 1;
    uint32_t seq;
    while (pos < size) {
        size_t piece = (step % 251) + 1;
        step = step * 1103515245u + 12345u;
        if (piece > size - pos)
            piece = size - pos;
        if (rtmp_chunk_feed(&d, data + pos, piece, on_msg, &st) != RTMP_OK) {
            if (d.error == NULL)
                __builtin_trap();
            break;
        }
        (void)rtmp_chunk_ack_due(&d, &seq);
        pos += piece;
    }
    rtmp_chunk_demux_free(&d);

    /* What the muxer wrote decodes cleanly, message for message. */
    if (st.remux.len > 0) {
        rtmp_chunk_demux_t d2;
        rtmp_chunk_demux_init(&d2, 1u << 20);
        size_t n = 0;
        if (rtmp_chunk_feed(&d2, (const uint8_t *)st.remux.data, st.remux.len, on_again, &n) !=
                RTMP_OK ||
            d2.state != RTMP_CHUNK_HEADER || n != st.remuxed)
            __builtin_trap();
        rtmp_chunk_demux_free(&d2);
    }
    buf_free(&st.remux);
    return 0;
}
