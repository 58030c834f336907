/*
 * rtmp/chunk — the RTMP chunk stream: a demuxer that reassembles messages
 * from received chunks, and a muxer that splits outgoing messages into
 * chunks, plus builders for the protocol control messages.
 *
 * Data path: rtmp/handshake -> here (demux) -> rtmp/session (commands, media).
 * Answers go rtmp/session -> here (mux) -> the connection's write buffer.
 *
 * A chunk (integers big-endian, except the message stream id):
 *
 *   basic header, 1 to 3 bytes        fmt = top 2 bits
 *     | fmt | csid 2..63 |                               1 byte
 *     | fmt | 0 | csid-64 (u8) |                         2 bytes (64..319)
 *     | fmt | 1 | csid-64 (u16, little-endian) |         3 bytes (64..65599)
 *   message header, by fmt
 *     0: | timestamp u24 | length u24 | type u8 | stream id u32le |   11 bytes
 *     1: | delta u24     | length u24 | type u8 |                      7 bytes
 *     2: | delta u24     |                                             3 bytes
 *     3: (nothing: continuation, or a new message repeating the last)
 *   extended timestamp u32, when the 24-bit field is 0xffffff; fmt 3 chunks
 *     carry it too when the last fmt 0/1/2 header of their chunk stream did
 *   payload, at most the chunk size (128 until Set Chunk Size)
 *
 * Timestamps: fmt 0 sets the chunk stream's timestamp, fmt 1 and 2 add
 * their delta, a fmt 3 that starts a new message adds the last timestamp
 * field again (fmt 0's absolute value, or the last delta). All arithmetic is
 * modulo 2^32; messages carry that 32-bit value and the caller unwraps it.
 *
 * The demuxer applies Set Chunk Size (1..65536; more, 0 or the high bit set
 * is an error), Abort Message (drops that chunk stream's partial message)
 * and Window Acknowledgement Size (the peer's window, see ack_due) itself,
 * and still delivers them. Invariants: at most RTMP_CHUNK_MAX_CSIDS chunk
 * streams per connection; a message longer than max_message is an error
 * before anything is allocated for it; reassembly buffers grow only with
 * bytes actually received, and all partial messages together stay under
 * twice max_message. A chunk stream's first chunk must be fmt 0, and fmt
 * 0/1/2 may not interrupt a message in progress: both are errors.
 *
 * Ownership: a delivered message's payload is valid only during the
 * callback. The demuxer owns its reassembly buffers (freed by
 * rtmp_chunk_demux_free); the muxer holds no heap memory and appends to the
 * caller's buf_t.
 */
#ifndef SIARAN_RTMP_CHUNK_H
#define SIARAN_RTMP_CHUNK_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

enum rtmp_result {
    RTMP_OK = 0,
    RTMP_ERROR = -1,
};

enum rtmp_msg_type {
    RTMP_MSG_SET_CHUNK_SIZE = 1,
    RTMP_MSG_ABORT = 2,
    RTMP_MSG_ACK = 3,
    RTMP_MSG_USER_CONTROL = 4,
    RTMP_MSG_WINDOW_ACK_SIZE = 5,
    RTMP_MSG_SET_PEER_BANDWIDTH = 6,
    RTMP_MSG_AUDIO = 8,
    RTMP_MSG_VIDEO = 9,
    RTMP_MSG_DATA_AMF3 = 15,
    RTMP_MSG_SHARED_OBJECT_AMF3 = 16,
    RTMP_MSG_COMMAND_AMF3 = 17,
    RTMP_MSG_DATA_AMF0 = 18,
    RTMP_MSG_SHARED_OBJECT_AMF0 = 19,
    RTMP_MSG_COMMAND_AMF0 = 20,
    RTMP_MSG_AGGREGATE = 22,
};

/* User Control events (type 4): | event u16 | value u32 (| u32 for SetBufferLength) | */
enum rtmp_user_control {
    RTMP_UC_STREAM_BEGIN = 0,
    RTMP_UC_STREAM_EOF = 1,
    RTMP_UC_STREAM_DRY = 2,
    RTMP_UC_SET_BUFFER_LENGTH = 3,
    RTMP_UC_STREAM_IS_RECORDED = 4,
    RTMP_UC_PING_REQUEST = 6,
    RTMP_UC_PING_RESPONSE = 7,
};

/* Set Peer Bandwidth limit types. */
enum rtmp_bw_limit {
    RTMP_BW_HARD = 0,
    RTMP_BW_SOFT = 1,
    RTMP_BW_DYNAMIC = 2,
};

#define RTMP_CHUNK_MAX_CSIDS           64
#define RTMP_CHUNK_MAX_CHUNK_SIZE      65536
#define RTMP_CHUNK_DEFAULT_CHUNK_SIZE  128
#define RTMP_CHUNK_DEFAULT_MAX_MESSAGE (8u << 20)
#define RTMP_CHUNK_MIN_CSID            2
#define RTMP_CHUNK_MAX_CSID            65599
#define RTMP_CHUNK_CSID_CONTROL        2 /* protocol control messages */

typedef struct rtmp_chunk_msg {
    uint32_t csid;
    uint8_t type;
    uint32_t stream_id;
    uint32_t timestamp;
    const uint8_t *payload; /* valid during the callback only */
    size_t len;
} rtmp_chunk_msg_t;

/* Called once per complete message; return 0 to go on, nonzero to stop the
   feed (the demuxer then enters its error state with "stopped by handler"). */
typedef int (*rtmp_chunk_msg_fn)(void *ud, const rtmp_chunk_msg_t *m);

/* Per chunk stream state of the demuxer (internal; in the header so the
   demuxer can be embedded without allocation). */
typedef struct rtmp_chunk_cs {
    uint32_t csid;
    uint32_t stream_id;
    uint32_t len;       /* message length */
    uint32_t timestamp; /* current (or last) message */
    uint32_t ts_field;  /* last timestamp field: absolute (fmt 0) or delta */
    uint32_t got;       /* payload bytes of the current message so far */
    uint8_t type;
    uint8_t ext;    /* last fmt 0/1/2 header had an extended timestamp */
    uint8_t in_msg; /* a message is partially received */
    uint8_t *buf;
    size_t cap;
} rtmp_chunk_cs_t;

enum rtmp_chunk_state {
    RTMP_CHUNK_HEADER,
    RTMP_CHUNK_PAYLOAD,
    RTMP_CHUNK_FAILED,
};

typedef struct rtmp_chunk_demux {
    enum rtmp_chunk_state state;
    uint32_t chunk_size;
    size_t max_message;
    size_t pending; /* bytes held in partial messages */
    uint8_t hdr[18];
    size_t hdr_len, hdr_need;
    size_t cur;          /* index of the chunk stream whose payload is arriving */
    uint32_t chunk_left; /* payload bytes left in the current chunk */
    rtmp_chunk_cs_t cs[RTMP_CHUNK_MAX_CSIDS];
    size_t ncs;
    uint64_t bytes_in;
    uint64_t acked;
    uint32_t ack_window; /* 0: no acknowledgements */
    const char *error;   /* static reason once FAILED */
} rtmp_chunk_demux_t;

/* max_message 0 means RTMP_CHUNK_DEFAULT_MAX_MESSAGE. */
void rtmp_chunk_demux_init(rtmp_chunk_demux_t *d, size_t max_message);
void rtmp_chunk_demux_free(rtmp_chunk_demux_t *d);

/*
 * Consumes all of data[0..len), calling cb for each complete message in
 * order. Returns RTMP_OK (any incomplete chunk is kept for the next call)
 * or RTMP_ERROR (d->error says why; every later call fails too).
 */
int rtmp_chunk_feed(rtmp_chunk_demux_t *d, const uint8_t *data, size_t len, rtmp_chunk_msg_fn cb,
                    void *ud) __attribute__((warn_unused_result));

/*
 * Acknowledgement bookkeeping. Every byte fed counts. Returns 1 and the
 * sequence number to send (bytes received, modulo 2^32) when the bytes
 * since the last acknowledgement reach the window, else 0. The window is
 * set by the peer's Window Acknowledgement Size or by the caller.
 */
int rtmp_chunk_ack_due(rtmp_chunk_demux_t *d, uint32_t *seq);
void rtmp_chunk_set_ack_window(rtmp_chunk_demux_t *d, uint32_t window);

/* Muxer state for one outgoing chunk stream (internal). */
typedef struct rtmp_chunk_mux_cs {
    uint32_t csid; /* 0: slot unused */
    uint32_t stream_id;
    uint32_t len;
    uint32_t timestamp;
    uint32_t ts_field;
    uint8_t type;
    uint8_t delta; /* ts_field is a delta (last header was fmt 1 or 2) */
} rtmp_chunk_mux_cs_t;

#define RTMP_CHUNK_MUX_SLOTS 8

typedef struct rtmp_chunk_mux {
    uint32_t chunk_size;
    unsigned evict; /* next slot to reuse when all are taken */
    rtmp_chunk_mux_cs_t cs[RTMP_CHUNK_MUX_SLOTS];
} rtmp_chunk_mux_t;

void rtmp_chunk_mux_init(rtmp_chunk_mux_t *m);

/*
 * Appends one message as chunks to out, using the muxer's chunk size: fmt 0
 * for a chunk stream's first message (or after a different message stream
 * or a timestamp going backwards), else fmt 1, 2 or 3 as the header allows;
 * extended timestamps from 0xffffff. Returns RTMP_ERROR (nothing written)
 * for a csid outside 2..65599 or a payload of 2^24 bytes or more.
 */
int rtmp_chunk_write(rtmp_chunk_mux_t *m, buf_t *out, uint32_t csid, uint8_t type,
                     uint32_t stream_id, uint32_t timestamp, const uint8_t *payload, size_t len)
    __attribute__((warn_unused_result));

/*
 * Protocol control messages, written on chunk stream 2, message stream 0,
 * timestamp 0. set_chunk_size also switches the muxer to that size for
 * what follows (size is clamped to 1..65536).
 */
void rtmp_chunk_write_set_chunk_size(rtmp_chunk_mux_t *m, buf_t *out, uint32_t size);
void rtmp_chunk_write_window_ack_size(rtmp_chunk_mux_t *m, buf_t *out, uint32_t size);
void rtmp_chunk_write_set_peer_bandwidth(rtmp_chunk_mux_t *m, buf_t *out, uint32_t size,
                                         enum rtmp_bw_limit limit);
void rtmp_chunk_write_ack(rtmp_chunk_mux_t *m, buf_t *out, uint32_t seq);
/* StreamBegin/StreamEOF (value: message stream id), PingResponse (value: the ping's time). */
void rtmp_chunk_write_user_control(rtmp_chunk_mux_t *m, buf_t *out, enum rtmp_user_control ev,
                                   uint32_t value);

#endif
