/*
 * net/conn — a TCP connection on the event loop: reads, a batched write
 * queue, deadlines and deferred close. HTTP, WebSocket and RTMP sit on it.
 *
 * Reads: every read lands in one loop-wide 64 KiB buffer and is handed to
 * ops->on_read at once; the bytes are valid only during the call, so a
 * protocol that must keep some copies them (idle connections hold no read
 * buffer). Writes: conn_write_*() append to the connection's queue; a
 * uv_check handler flushes every connection with pending output once per
 * loop turn as one writev (a system call costs ~1.5 µs here, so a burst of
 * messages to one client costs one call, not one each). Shared bytes go in
 * as rcbuf references, released in the write callback.
 *
 * Lifetime: the owner embeds conn_t in its own struct, calls conn_accept(),
 * and frees its struct in ops->on_free, which runs from uv_close's callback
 * after every queued buffer was released. conn_close() never frees inline.
 * Deadlines: conn_set_deadline(); a sweep every 250 ms calls ops->on_timeout
 * (default: close) for connections past theirs.
 */
#ifndef SIARAN_NET_CONN_H
#define SIARAN_NET_CONN_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "core/rcbuf.h"

typedef struct conn conn_t;

typedef struct conn_ops {
    void (*on_read)(conn_t *c, const char *data, size_t len);
    void (*on_eof)(conn_t *c);     /* peer closed or read error; default: close */
    void (*on_timeout)(conn_t *c); /* deadline passed; default: close */
    void (*on_drain)(conn_t *c);   /* optional: the queue emptied after a write */
    void (*on_free)(conn_t *c);    /* required: the handle is closed; free the owner */
} conn_ops_t;

struct conn_item {
    rcbuf_t *rc; /* shared bytes, or NULL when owned is set */
    char *owned; /* malloc'd bytes freed after the write */
    const char *base;
    size_t len;
};

struct conn {
    uv_tcp_t tcp;
    const conn_ops_t *ops;
    uint64_t id;
    char peer[64];     /* "ip:port" */
    uint64_t deadline; /* uv_now() ms; 0 = none */
    uint64_t bytes_in, bytes_out;
    /* write queue: items[head .. count) pending, the first inflight of them in a uv_write */
    struct conn_item *items;
    size_t head, count, cap, inflight;
    size_t queued_bytes;
    uv_write_t wreq;
    uv_shutdown_t sreq;
    conn_t *flush_next;
    conn_t *all_prev, *all_next;
    unsigned in_flush : 1, closing : 1, close_after_flush : 1, reading : 1, writing : 1,
        lingering : 1;
};

/* Once per loop: installs the flush check and the deadline sweep. */
void conn_module_init(uv_loop_t *loop);
void conn_module_close(void);
size_t conn_count(void);

/* Accepts a pending connection on server into c; returns 0 or a uv error. */
int conn_accept(conn_t *c, uv_stream_t *server, const conn_ops_t *ops)
    __attribute__((warn_unused_result));

void conn_read_start(conn_t *c);
void conn_read_stop(conn_t *c);

/* Queue writes. Copy: bytes copied. Owned: takes a malloc'd pointer. Rc: takes a new reference. */
void conn_write_copy(conn_t *c, const void *data, size_t len);
void conn_write_owned(conn_t *c, char *data, size_t len);
void conn_write_rc(conn_t *c, rcbuf_t *rc, size_t off, size_t len);

void conn_set_deadline(conn_t *c, uint64_t ms_from_now); /* 0 clears */

/* Closes now (queued output dropped) or after the queue is written. */
void conn_close(conn_t *c);
void conn_close_after_flush(conn_t *c);
/*
 * Like conn_close_after_flush, then half-closes and discards what the peer
 * still sends (for up to 2 s) before closing, so a client in the middle of
 * sending a body it was refused reads the answer instead of a reset.
 */
void conn_close_lingering(conn_t *c);

/* Calls fn for every open connection (e.g. to close idle ones on shutdown). */
void conn_foreach(void (*fn)(conn_t *c, void *ud), void *ud);

#endif
