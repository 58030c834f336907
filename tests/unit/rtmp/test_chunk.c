/*
 * rtmp/chunk: chunk streams written here byte by byte from the
 * specification (every header type, the three basic header forms, deltas,
 * extended timestamps on continuations, interleaving, chunk size changes
 * mid-stream, abort), each fed whole, byte by byte and split at every
 * offset; every error; the muxer's header compression and its round trip
 * through the demuxer; control message bytes; acknowledgement windows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtmp/chunk.h"
#include "split.h"

/* ---- writing chunks by hand ---- */

static void put_u8(buf_t *b, unsigned v)
{
    uint8_t c = (uint8_t)v;
    buf_append(b, &c, 1);
}

static void put_be(buf_t *b, uint32_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--)
        put_u8(b, (v >> (8 * i)) & 0xff);
}

static void h_basic(buf_t *b, unsigned fmt, uint32_t csid)
{
    if (csid < 64) {
        put_u8(b, fmt << 6 | csid);
    } else if (csid < 320) {
        put_u8(b, fmt << 6);
        put_u8(b, csid - 64);
    } else {
        put_u8(b, fmt << 6 | 1);
        put_u8(b, (csid - 64) & 0xff);
        put_u8(b, (csid - 64) >> 8);
    }
}

/* fmt 0: ts u24 | len u24 | type | stream id u32le [| ext ts] */
static void h0(buf_t *b, uint32_t csid, uint32_t ts, uint32_t len, unsigned type, uint32_t sid)
{
    h_basic(b, 0, csid);
    put_be(b, ts >= 0xffffff ? 0xffffff : ts, 3);
    put_be(b, len, 3);
    put_u8(b, type);
    for (int i = 0; i < 4; i++)
        put_u8(b, (sid >> (8 * i)) & 0xff);
    if (ts >= 0xffffff)
        put_be(b, ts, 4);
}

static void h1(buf_t *b, uint32_t csid, uint32_t delta, uint32_t len, unsigned type)
{
    h_basic(b, 1, csid);
    put_be(b, delta >= 0xffffff ? 0xffffff : delta, 3);
    put_be(b, len, 3);
    put_u8(b, type);
    if (delta >= 0xffffff)
        put_be(b, delta, 4);
}

static void h2(buf_t *b, uint32_t csid, uint32_t delta)
{
    h_basic(b, 2, csid);
    put_be(b, delta >= 0xffffff ? 0xffffff : delta, 3);
    if (delta >= 0xffffff)
        put_be(b, delta, 4);
}

/* fmt 3, with the extended timestamp repeated when ext is not 0 */
static void h3(buf_t *b, uint32_t csid, uint32_t ext)
{
    h_basic(b, 3, csid);
    if (ext)
        put_be(b, ext, 4);
}

/* n payload bytes: seed, seed+1, ... */
static void pay(buf_t *b, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        put_u8(b, (seed + i) & 0xff);
}

static void set_chunk_size(buf_t *b, uint32_t size)
{
    h0(b, 2, 0, 4, RTMP_MSG_SET_CHUNK_SIZE, 0);
    put_be(b, size, 4);
}

/* ---- expectations ---- */

typedef struct exp_msg {
    uint32_t csid;
    uint8_t type;
    uint32_t stream_id;
    uint32_t timestamp;
    size_t len;
    unsigned seed;    /* payload as written by pay() */
    const char *text; /* or this payload, when set */
} exp_msg_t;

typedef struct scenario {
    const exp_msg_t *msgs;
    size_t n;
    int want_error;     /* the stream must fail (after msgs were delivered) */
    size_t max_message; /* 0: default */
    size_t got;
    int stop_after; /* callback returns 1 after this many messages (0: never) */
} scenario_t;

static int check_msg(void *ud, const rtmp_chunk_msg_t *m)
{
    scenario_t *sc = ud;
    if (sc->got >= sc->n)
        fail_msg("unexpected message #%zu type %u", sc->got, m->type);
    const exp_msg_t *e = &sc->msgs[sc->got++];
    assert_int_equal(m->csid, e->csid);
    assert_int_equal(m->type, e->type);
    assert_int_equal(m->stream_id, e->stream_id);
    if (m->timestamp != e->timestamp)
        fail_msg("message #%zu: timestamp %u, want %u", sc->got - 1, m->timestamp, e->timestamp);
    assert_int_equal(m->len, e->len);
    if (e->text != NULL) {
        assert_memory_equal(m->payload, e->text, e->len);
    } else {
        for (size_t i = 0; i < m->len; i++)
            if (m->payload[i] != ((e->seed + i) & 0xff))
                fail_msg("message #%zu: payload byte %zu", sc->got - 1, i);
    }
    return sc->stop_after && sc->got == (size_t)sc->stop_after;
}

static void run_split(void *ud, const split_chunks_t *c)
{
    scenario_t *sc = ud;
    sc->got = 0;
    rtmp_chunk_demux_t d;
    rtmp_chunk_demux_init(&d, sc->max_message);
    int rc = RTMP_OK;
    for (size_t i = 0; i < c->count && rc == RTMP_OK; i++) {
        /* Each piece in its own allocation so ASan catches reads past it. */
        uint8_t *p = malloc(c->len[i]);
        memcpy(p, c->data[i], c->len[i]);
        rc = rtmp_chunk_feed(&d, p, c->len[i], check_msg, sc);
        free(p);
    }
    if (sc->want_error) {
        if (rc != RTMP_ERROR)
            fail_msg("%s at %zu: no error", c->how, c->at);
        assert_non_null(d.error);
        assert_int_equal(rtmp_chunk_feed(&d, (const uint8_t *)"\x03", 1, check_msg, sc),
                         RTMP_ERROR);
    } else if (rc != RTMP_OK) {
        fail_msg("%s at %zu: error %s", c->how, c->at, d.error);
    }
    if (sc->got != sc->n)
        fail_msg("%s at %zu: %zu messages, want %zu", c->how, c->at, sc->got, sc->n);
    rtmp_chunk_demux_free(&d);
}

static void run(const buf_t *b, scenario_t *sc)
{
    split_each(b->data, b->len, run_split, sc);
}

static void run_ok(const buf_t *b, const exp_msg_t *msgs, size_t n)
{
    scenario_t sc = {msgs, n, 0, 0, 0, 0};
    run(b, &sc);
}

/* Runs a stream that must deliver exactly the array msgs and no error. */
#define RUN(b, msgs) run_ok(b, msgs, sizeof msgs / sizeof msgs[0])

/* ---- demuxer ---- */

static void test_fmt0_single(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    h0(&b, 3, 100, 5, RTMP_MSG_COMMAND_AMF0, 1);
    buf_append(&b, "hello", 5);
    static const uint8_t want[] = {0x03, 0, 0, 100, 0,   0,   5,   20, 1,
                                   0,    0, 0, 'h', 'e', 'l', 'l', 'o'};
    assert_memory_equal(b.data, want, sizeof want);
    static const exp_msg_t m[] = {{3, 20, 1, 100, 5, 0, "hello"}};
    RUN(&b, m);
    buf_free(&b);
}

static void test_continuation(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    h0(&b, 4, 7, 300, RTMP_MSG_VIDEO, 1);
    pay(&b, 128, 0);
    h3(&b, 4, 0);
    pay(&b, 128, 128);
    h3(&b, 4, 0);
    pay(&b, 44, 256);
    static const exp_msg_t m[] = {{4, 9, 1, 7, 300, 0, NULL}};
    RUN(&b, m);
    buf_free(&b);
}

static void test_header_types_and_deltas(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    h0(&b, 4, 1000, 4, RTMP_MSG_AUDIO, 1);
    pay(&b, 4, 1);
    h2(&b, 4, 20); /* same length and type */
    pay(&b, 4, 2);
    h3(&b, 4, 0); /* a new message repeating delta 20 */
    pay(&b, 4, 3);
    h1(&b, 4, 30, 6, RTMP_MSG_VIDEO);
    pay(&b, 6, 4);
    h3(&b, 4, 0);
    pay(&b, 6, 5);
    h0(&b, 4, 50, 2, RTMP_MSG_AUDIO, 1);
    pay(&b, 2, 6);
    h3(&b, 4, 0); /* after fmt 0 the repeated field is its absolute 50 */
    pay(&b, 2, 7);
    static const exp_msg_t m[] = {
        {4, 8, 1, 1000, 4, 1, NULL}, {4, 8, 1, 1020, 4, 2, NULL}, {4, 8, 1, 1040, 4, 3, NULL},
        {4, 9, 1, 1070, 6, 4, NULL}, {4, 9, 1, 1100, 6, 5, NULL}, {4, 8, 1, 50, 2, 6, NULL},
        {4, 8, 1, 100, 2, 7, NULL},
    };
    RUN(&b, m);
    buf_free(&b);
}

static void test_basic_header_forms(void **state)
{
    (void)state;
    static const uint32_t ids[] = {2, 63, 64, 319, 320, 65599};
    buf_t b = BUF_INIT;
    exp_msg_t m[6];
    for (size_t i = 0; i < 6; i++) {
        h0(&b, ids[i], (uint32_t)i, 130, RTMP_MSG_DATA_AMF0, 0);
        pay(&b, 128, (unsigned)i);
        h3(&b, ids[i], 0);
        pay(&b, 2, (unsigned)i + 128);
        m[i] = (exp_msg_t){ids[i], 18, 0, (uint32_t)i, 130, (unsigned)i, NULL};
    }
    /* The forms' lengths: 1, 1, 2, 2, 3, 3 basic header bytes, twice each. */
    assert_int_equal(b.len, 6 * (11 + 130) + 2 * (1 + 1 + 2 + 2 + 3 + 3));
    RUN(&b, m);
    buf_free(&b);
}

static void test_interleaved(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    h0(&b, 4, 10, 200, RTMP_MSG_AUDIO, 1);
    pay(&b, 128, 0);
    h0(&b, 6, 20, 300, RTMP_MSG_VIDEO, 1);
    pay(&b, 128, 50);
    h3(&b, 4, 0);
    pay(&b, 72, 128);
    h3(&b, 6, 0);
    pay(&b, 128, 50 + 128);
    h3(&b, 6, 0);
    pay(&b, 44, 50 + 256);
    static const exp_msg_t m[] = {{4, 8, 1, 10, 200, 0, NULL}, {6, 9, 1, 20, 300, 50, NULL}};
    RUN(&b, m);
    buf_free(&b);
}

static void test_extended_timestamps(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    /* fmt 0 with an extended timestamp: continuations repeat the 4 bytes. */
    h0(&b, 5, 0x01000000, 300, RTMP_MSG_VIDEO, 1);
    pay(&b, 128, 0);
    h3(&b, 5, 0x01000000);
    pay(&b, 128, 128);
    h3(&b, 5, 0x01000000);
    pay(&b, 44, 256);
    /* fmt 1 with a delta of exactly 0xffffff: extended too. */
    h1(&b, 5, 0xffffff, 10, RTMP_MSG_VIDEO);
    pay(&b, 10, 1);
    /* A new message by fmt 3 repeats the extended delta. */
    h3(&b, 5, 0xffffff);
    pay(&b, 10, 2);
    /* Back to small deltas: no more extended field. */
    h2(&b, 5, 5);
    pay(&b, 10, 3);
    /* Timestamps wrap modulo 2^32. */
    h0(&b, 6, 0xfffffff0u, 1, RTMP_MSG_AUDIO, 1);
    pay(&b, 1, 4);
    h2(&b, 6, 0x20);
    pay(&b, 1, 5);
    static const exp_msg_t m[] = {
        {5, 9, 1, 0x01000000, 300, 0, NULL}, {5, 9, 1, 0x01ffffff, 10, 1, NULL},
        {5, 9, 1, 0x02fffffe, 10, 2, NULL},  {5, 9, 1, 0x03000003, 10, 3, NULL},
        {6, 8, 1, 0xfffffff0u, 1, 4, NULL},  {6, 8, 1, 0x10, 1, 5, NULL},
    };
    RUN(&b, m);
    buf_free(&b);
}

static void test_chunk_size_mid_stream(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    /* A message half received when the size grows: its rest comes in one chunk. */
    h0(&b, 4, 0, 300, RTMP_MSG_AUDIO, 1);
    pay(&b, 128, 0);
    set_chunk_size(&b, 4096);
    h3(&b, 4, 0);
    pay(&b, 172, 128);
    h0(&b, 6, 0, 5000, RTMP_MSG_VIDEO, 1);
    pay(&b, 4096, 9);
    h3(&b, 6, 0);
    pay(&b, 904, 9 + 4096);
    /* The largest size allowed. */
    set_chunk_size(&b, 65536);
    h0(&b, 6, 1, 70000, RTMP_MSG_VIDEO, 1);
    pay(&b, 65536, 3);
    h3(&b, 6, 0);
    pay(&b, 4464, 3 + 65536);
    /* And down to 1 byte per chunk. */
    set_chunk_size(&b, 1);
    h0(&b, 7, 2, 3, RTMP_MSG_AUDIO, 1);
    pay(&b, 1, 0);
    h3(&b, 7, 0);
    pay(&b, 1, 1);
    h3(&b, 7, 0);
    pay(&b, 1, 2);
    static const exp_msg_t m[] = {
        {2, 1, 0, 0, 4, 0, "\x00\x00\x10\x00"},
        {4, 8, 1, 0, 300, 0, NULL},
        {6, 9, 1, 0, 5000, 9, NULL},
        {2, 1, 0, 0, 4, 0, "\x00\x01\x00\x00"},
        {6, 9, 1, 1, 70000, 3, NULL},
        {2, 1, 0, 0, 4, 0, "\x00\x00\x00\x01"},
        {7, 8, 1, 2, 3, 0, NULL},
    };
    /* Byte by byte and every split of ~80 KB: whole and bytewise are enough here. */
    scenario_t sc = {m, sizeof m / sizeof m[0], 0, 0, 0, 0};
    const uint8_t *one[1] = {(const uint8_t *)b.data};
    size_t onelen[1] = {b.len};
    run_split(&sc, &(split_chunks_t){one, onelen, 1, "whole", 0});
    for (size_t at = 1; at < b.len; at += 97) {
        const uint8_t *two[2] = {(const uint8_t *)b.data, (const uint8_t *)b.data + at};
        size_t twolen[2] = {at, b.len - at};
        run_split(&sc, &(split_chunks_t){two, twolen, 2, "split", at});
    }
    const uint8_t **many = malloc(b.len * sizeof *many);
    size_t *manylen = malloc(b.len * sizeof *manylen);
    for (size_t i = 0; i < b.len; i++) {
        many[i] = (const uint8_t *)b.data + i;
        manylen[i] = 1;
    }
    run_split(&sc, &(split_chunks_t){many, manylen, b.len, "bytewise", 0});
    free(many);
    free(manylen);
    buf_free(&b);
}

static void test_abort(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    h0(&b, 4, 0, 300, RTMP_MSG_VIDEO, 1);
    pay(&b, 128, 0);
    h0(&b, 2, 0, 4, RTMP_MSG_ABORT, 0);
    put_be(&b, 4, 4);
    h0(&b, 2, 0, 4, RTMP_MSG_ABORT, 0); /* a csid never seen: harmless */
    put_be(&b, 999, 4);
    h0(&b, 4, 5, 5, RTMP_MSG_AUDIO, 1); /* a fresh message, no "inside a message" error */
    buf_append(&b, "hello", 5);
    static const exp_msg_t m[] = {
        {2, 2, 0, 0, 4, 0, "\x00\x00\x00\x04"},
        {2, 2, 0, 0, 4, 0, "\x00\x00\x03\xe7"},
        {4, 8, 1, 5, 5, 0, "hello"},
    };
    RUN(&b, m);
    buf_free(&b);
}

static void test_zero_length_message(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    h0(&b, 4, 1, 0, RTMP_MSG_AUDIO, 1);
    h2(&b, 4, 1);
    h0(&b, 5, 9, 2, RTMP_MSG_VIDEO, 1);
    pay(&b, 2, 0);
    static const exp_msg_t m[] = {
        {4, 8, 1, 1, 0, 0, NULL}, {4, 8, 1, 2, 0, 0, NULL}, {5, 9, 1, 9, 2, 0, NULL}};
    RUN(&b, m);
    buf_free(&b);
}

static void test_errors(void **state)
{
    (void)state;
    static const exp_msg_t none[1] = {{0}};
    static const exp_msg_t scs[] = {{2, 1, 0, 0, 4, 0, "\x00\x00\x10\x00"}};
    buf_t b = BUF_INIT;

    /* A message longer than the cap fails on its header. */
    h0(&b, 4, 0, 1001, RTMP_MSG_VIDEO, 1);
    scenario_t sc = {none, 0, 1, 1000, 0, 0};
    run(&b, &sc);
    buf_reset(&b);
    h0(&b, 4, 0, 1000, RTMP_MSG_VIDEO, 1);
    pay(&b, 128, 0);
    sc = (scenario_t){none, 0, 0, 1000, 0, 0};
    run(&b, &sc);

    /* Chunk sizes: beyond 65536, the high bit, zero. */
    static const uint32_t bad_sizes[] = {65537, 0x80000000u, 0x80001000u, 0};
    for (size_t i = 0; i < 4; i++) {
        buf_reset(&b);
        set_chunk_size(&b, bad_sizes[i]);
        sc = (scenario_t){none, 0, 1, 0, 0, 0};
        run(&b, &sc);
    }
    /* A Set Chunk Size too short to hold its value. */
    buf_reset(&b);
    h0(&b, 2, 0, 3, RTMP_MSG_SET_CHUNK_SIZE, 0);
    pay(&b, 3, 0);
    sc = (scenario_t){none, 0, 1, 0, 0, 0};
    run(&b, &sc);

    /* fmt 1, 2 or 3 on a chunk stream never opened by fmt 0. */
    buf_reset(&b);
    h1(&b, 9, 0, 4, RTMP_MSG_AUDIO);
    sc = (scenario_t){none, 0, 1, 0, 0, 0};
    run(&b, &sc);
    buf_reset(&b);
    h3(&b, 9, 0);
    run(&b, &sc);

    /* fmt 0 or 2 interrupting a message in progress. */
    buf_reset(&b);
    h0(&b, 4, 0, 200, RTMP_MSG_AUDIO, 1);
    pay(&b, 128, 0);
    h2(&b, 4, 10);
    sc = (scenario_t){none, 0, 1, 0, 0, 0};
    run(&b, &sc);
    buf_reset(&b);
    h0(&b, 4, 0, 200, RTMP_MSG_AUDIO, 1);
    pay(&b, 128, 0);
    h0(&b, 4, 0, 10, RTMP_MSG_AUDIO, 1);
    run(&b, &sc);

    /* 64 chunk streams are fine, the 65th is not. */
    buf_reset(&b);
    exp_msg_t many[64];
    for (uint32_t i = 0; i < 64; i++) {
        h0(&b, 3 + i, 0, 1, RTMP_MSG_AUDIO, 1);
        pay(&b, 1, i);
        many[i] = (exp_msg_t){3 + i, 8, 1, 0, 1, i, NULL};
    }
    sc = (scenario_t){many, 64, 0, 0, 0, 0};
    run(&b, &sc);
    h0(&b, 3 + 64, 0, 1, RTMP_MSG_AUDIO, 1);
    sc = (scenario_t){many, 64, 1, 0, 0, 0};
    run(&b, &sc);

    /* A handler that stops the feed. */
    buf_reset(&b);
    set_chunk_size(&b, 4096);
    set_chunk_size(&b, 4096);
    sc = (scenario_t){scs, 1, 1, 0, 0, 1};
    run(&b, &sc);
    buf_free(&b);
}

/* Too much partial data: many chunk streams each holding part of a big message. */
static void test_pending_cap(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    set_chunk_size(&b, 50000);
    for (uint32_t i = 0; i < 50; i++) { /* the first chunk of each, 50000 of 60000 bytes */
        h0(&b, 3 + i, 0, 60000, RTMP_MSG_VIDEO, 1);
        pay(&b, 50000, 0);
    }
    rtmp_chunk_demux_t d;
    rtmp_chunk_demux_init(&d, 1 << 20); /* 1 MiB messages, 2 MiB pending */
    static const exp_msg_t m[] = {{2, 1, 0, 0, 4, 0, "\x00\x00\xc3\x50"}};
    scenario_t sc = {m, 1, 0, 0, 0, 0};
    assert_int_equal(rtmp_chunk_feed(&d, (const uint8_t *)b.data, b.len, check_msg, &sc),
                     RTMP_ERROR);
    assert_string_equal(d.error, "too much partial data");
    assert_true(d.pending <= 2u << 20);
    rtmp_chunk_demux_free(&d);
    buf_free(&b);
}

static void test_ack(void **state)
{
    (void)state;
    rtmp_chunk_demux_t d;
    rtmp_chunk_demux_init(&d, 0);
    scenario_t quiet = {NULL, 0, 0, 0, 0, 0};
    uint32_t seq = 0;
    assert_int_equal(rtmp_chunk_ack_due(&d, &seq), 0); /* no window yet */
    rtmp_chunk_set_ack_window(&d, 100);
    buf_t b = BUF_INIT;
    h0(&b, 4, 0, 1000, RTMP_MSG_VIDEO, 1); /* 12 bytes, then 87 of payload */
    pay(&b, 88, 0);
    assert_int_equal(rtmp_chunk_feed(&d, (const uint8_t *)b.data, 99, check_msg, &quiet), RTMP_OK);
    assert_int_equal(rtmp_chunk_ack_due(&d, &seq), 0);
    assert_int_equal(rtmp_chunk_feed(&d, (const uint8_t *)b.data + 99, 1, check_msg, &quiet),
                     RTMP_OK);
    assert_int_equal(rtmp_chunk_ack_due(&d, &seq), 1);
    assert_int_equal(seq, 100);
    assert_int_equal(rtmp_chunk_ack_due(&d, &seq), 0);
    rtmp_chunk_demux_free(&d);

    /* The peer's Window Acknowledgement Size sets the window. */
    rtmp_chunk_demux_init(&d, 0);
    static const exp_msg_t m[] = {{2, 5, 0, 0, 4, 0, "\x00\x00\x00\x20"}};
    scenario_t sc = {m, 1, 0, 0, 0, 0};
    buf_reset(&b);
    h0(&b, 2, 0, 4, RTMP_MSG_WINDOW_ACK_SIZE, 0);
    put_be(&b, 32, 4);
    h0(&b, 4, 0, 100, RTMP_MSG_VIDEO, 1);
    pay(&b, 4, 0); /* 16 + 16 bytes */
    assert_int_equal(b.len, 32);
    assert_int_equal(rtmp_chunk_feed(&d, (const uint8_t *)b.data, 16, check_msg, &sc), RTMP_OK);
    assert_int_equal(d.ack_window, 32);
    assert_int_equal(rtmp_chunk_ack_due(&d, &seq), 0);
    assert_int_equal(rtmp_chunk_feed(&d, (const uint8_t *)b.data + 16, 16, check_msg, &sc),
                     RTMP_OK);
    assert_int_equal(rtmp_chunk_ack_due(&d, &seq), 1);
    assert_int_equal(seq, 32);
    rtmp_chunk_demux_free(&d);
    buf_free(&b);
}

/* ---- muxer ---- */

typedef struct wmsg {
    uint32_t csid;
    uint8_t type;
    uint32_t sid;
    uint32_t ts;
    size_t len;
    unsigned seed;
} wmsg_t;

static void test_mux_round_trip(void **state)
{
    (void)state;
    static const wmsg_t w[] = {
        {3, 20, 0, 0, 40, 1},             /* fmt 0 */
        {4, 8, 1, 0, 10, 2},              /* fmt 0 */
        {4, 8, 1, 23, 10, 3},             /* fmt 2 */
        {4, 8, 1, 46, 10, 4},             /* fmt 3 */
        {4, 8, 1, 69, 10, 5},             /* fmt 3 */
        {4, 9, 1, 70, 1000, 6},           /* fmt 1, continuations */
        {4, 9, 1, 0x01000045, 300, 7},    /* fmt 1, delta exactly 0xffffff: extended */
        {4, 9, 1, 0x12345678, 300, 8},    /* fmt 1, extended delta */
        {4, 9, 1, 0x12345000, 300, 9},    /* backwards: fmt 0, extended */
        {4, 9, 2, 0x12345001, 0, 10},     /* other message stream: fmt 0, empty */
        {64, 18, 1, 5, 200, 11},          /* 2-byte basic header */
        {320, 18, 1, 5, 200, 12},         /* 3-byte basic header */
        {65599, 18, 1, 5, 200, 13},       /* 3-byte basic header */
        {4, 9, 2, 0x12345002, 70000, 14}, /* after the chunk size grows */
    };
    rtmp_chunk_mux_t mux;
    rtmp_chunk_mux_init(&mux);
    buf_t out = BUF_INIT;
    exp_msg_t e[16];
    size_t ne = 0;
    uint8_t *payload = malloc(70000);
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        if (i == 13) {
            rtmp_chunk_write_set_chunk_size(&mux, &out, 4096);
            e[ne++] = (exp_msg_t){2, 1, 0, 0, 4, 0, "\x00\x00\x10\x00"};
        }
        for (size_t k = 0; k < w[i].len; k++)
            payload[k] = (uint8_t)(w[i].seed + k);
        size_t before = out.len;
        assert_int_equal(rtmp_chunk_write(&mux, &out, w[i].csid, w[i].type, w[i].sid, w[i].ts,
                                          payload, w[i].len),
                         RTMP_OK);
        /* The compressed headers, byte for byte. */
        const uint8_t *h = (const uint8_t *)out.data + before;
        if (i == 2)
            assert_memory_equal(h, "\x84\x00\x00\x17", 4);
        if (i == 3 || i == 4)
            assert_int_equal(h[0], 0xc4);
        if (i == 3)
            assert_int_equal(out.len - before, 1 + 10);
        if (i == 5)
            assert_memory_equal(h, "\x44\x00\x00\x01\x00\x03\xe8\x09", 8);
        if (i == 6)
            assert_memory_equal(h, "\x44\xff\xff\xff\x00\x01\x2c\x09\x00\xff\xff\xff", 12);
        if (i == 9)
            assert_int_equal(h[0], 0x04);
        e[ne++] = (exp_msg_t){w[i].csid, w[i].type, w[i].sid, w[i].ts, w[i].len, w[i].seed, NULL};
    }
    free(payload);
    scenario_t sc = {e, ne, 0, 0, 0, 0};
    /* Every split of ~75 KB is slow under ASan: whole, bytewise and a stride of splits. */
    const uint8_t *one[1] = {(const uint8_t *)out.data};
    size_t onelen[1] = {out.len};
    run_split(&sc, &(split_chunks_t){one, onelen, 1, "whole", 0});
    for (size_t at = 1; at < out.len; at += (at < 4000 ? 1 : 61)) {
        const uint8_t *two[2] = {(const uint8_t *)out.data, (const uint8_t *)out.data + at};
        size_t twolen[2] = {at, out.len - at};
        run_split(&sc, &(split_chunks_t){two, twolen, 2, "split", at});
    }
    buf_free(&out);
}

static void test_mux_errors_and_eviction(void **state)
{
    (void)state;
    rtmp_chunk_mux_t mux;
    rtmp_chunk_mux_init(&mux);
    buf_t out = BUF_INIT;
    uint8_t p[4] = {0};
    assert_int_equal(rtmp_chunk_write(&mux, &out, 1, 8, 1, 0, p, 4), RTMP_ERROR);
    assert_int_equal(rtmp_chunk_write(&mux, &out, 65600, 8, 1, 0, p, 4), RTMP_ERROR);
    assert_int_equal(rtmp_chunk_write(&mux, &out, 3, 8, 1, 0, p, 0x1000000), RTMP_ERROR);
    assert_int_equal(out.len, 0);
    /* More chunk streams than slots: evicted ones restart with fmt 0, still decodable. */
    exp_msg_t e[40];
    for (uint32_t i = 0; i < 40; i++) {
        uint32_t csid = 3 + i % 20;
        assert_int_equal(rtmp_chunk_write(&mux, &out, csid, 8, 1, i, p, 4), RTMP_OK);
        e[i] = (exp_msg_t){csid, 8, 1, i, 4, 0, "\0\0\0\0"};
    }
    scenario_t sc = {e, 40, 0, 0, 0, 0};
    run(&out, &sc);
    buf_free(&out);
}

static void test_control_builders(void **state)
{
    (void)state;
    rtmp_chunk_mux_t mux;
    rtmp_chunk_mux_init(&mux);
    buf_t out = BUF_INIT;
    rtmp_chunk_write_window_ack_size(&mux, &out, 2500000);
    static const uint8_t was[] = {0x02, 0, 0, 0, 0, 0, 4, 5, 0, 0, 0, 0, 0x00, 0x26, 0x25, 0xa0};
    assert_int_equal(out.len, sizeof was);
    assert_memory_equal(out.data, was, sizeof was);
    rtmp_chunk_write_set_peer_bandwidth(&mux, &out, 2500000, RTMP_BW_DYNAMIC);
    rtmp_chunk_write_set_chunk_size(&mux, &out, 4096);
    assert_int_equal(mux.chunk_size, 4096);
    rtmp_chunk_write_ack(&mux, &out, 0x01020304);
    rtmp_chunk_write_user_control(&mux, &out, RTMP_UC_STREAM_BEGIN, 1);
    rtmp_chunk_write_user_control(&mux, &out, RTMP_UC_PING_RESPONSE, 0xdeadbeef);
    rtmp_chunk_write_set_chunk_size(&mux, &out, 1 << 20); /* clamped */
    assert_int_equal(mux.chunk_size, 65536);
    static const exp_msg_t e[] = {
        {2, 5, 0, 0, 4, 0, "\x00\x26\x25\xa0"},
        {2, 6, 0, 0, 5, 0, "\x00\x26\x25\xa0\x02"},
        {2, 1, 0, 0, 4, 0, "\x00\x00\x10\x00"},
        {2, 3, 0, 0, 4, 0, "\x01\x02\x03\x04"},
        {2, 4, 0, 0, 6, 0, "\x00\x00\x00\x00\x00\x01"},
        {2, 4, 0, 0, 6, 0, "\x00\x07\xde\xad\xbe\xef"},
        {2, 1, 0, 0, 4, 0, "\x00\x01\x00\x00"},
    };
    RUN(&out, e);
    buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fmt0_single),
        cmocka_unit_test(test_continuation),
        cmocka_unit_test(test_header_types_and_deltas),
        cmocka_unit_test(test_basic_header_forms),
        cmocka_unit_test(test_interleaved),
        cmocka_unit_test(test_extended_timestamps),
        cmocka_unit_test(test_chunk_size_mid_stream),
        cmocka_unit_test(test_abort),
        cmocka_unit_test(test_zero_length_message),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_pending_cap),
        cmocka_unit_test(test_ack),
        cmocka_unit_test(test_mux_round_trip),
        cmocka_unit_test(test_mux_errors_and_eviction),
        cmocka_unit_test(test_control_builders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
