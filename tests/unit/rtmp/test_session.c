/*
 * rtmp/session: a scripted publisher (handshake, then commands and media
 * written with our muxer and AMF encoder, as ffmpeg sends them) fed whole,
 * byte by byte and split at every offset; what the session writes is
 * decoded with our demuxer and AMF decoder and checked message by message,
 * with the events it reports. Also: BadName and Rejected answers, an
 * asynchronous key check, a wrong app, unknown commands, ping and
 * acknowledgements, AMF3 messages, aggregates, malformed input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"
#include "rtmp/amf.h"
#include "rtmp/chunk.h"
#include "rtmp/handshake.h"
#include "rtmp/session.h"
#include "split.h"

#define HS_OUT (1 + 2 * RTMP_HANDSHAKE_SIZE)

/* ---- the scripted client ---- */

typedef struct client {
    rtmp_chunk_mux_t mux;
    buf_t bytes;
    buf_t amf;
} client_t;

static void client_init(client_t *c, int handshake)
{
    memset(c, 0, sizeof *c);
    rtmp_chunk_mux_init(&c->mux);
    if (!handshake)
        return;
    uint8_t hs[1 + 2 * RTMP_HANDSHAKE_SIZE];
    memset(hs, 0, sizeof hs);
    hs[0] = 3;
    for (size_t i = 9; i < 1 + RTMP_HANDSHAKE_SIZE; i++)
        hs[i] = (uint8_t)(i * 13); /* C1 random; C2 left zero (not an echo) */
    buf_append(&c->bytes, hs, sizeof hs);
}

static void client_free(client_t *c)
{
    buf_free(&c->bytes);
    buf_free(&c->amf);
}

static void send_msg(client_t *c, uint32_t csid, uint8_t type, uint32_t sid, uint32_t ts,
                     const void *p, size_t n)
{
    assert_int_equal(rtmp_chunk_write(&c->mux, &c->bytes, csid, type, sid, ts, p, n), RTMP_OK);
}

/* Sends c->amf as a command (AMF0 type 20, or 17 with its leading 0 byte). */
static void send_amf(client_t *c, uint32_t sid, uint8_t type)
{
    if (type == RTMP_MSG_COMMAND_AMF3 || type == RTMP_MSG_DATA_AMF3) {
        buf_t t = BUF_INIT;
        buf_putc(&t, 0);
        buf_append(&t, c->amf.data, c->amf.len);
        send_msg(c, sid ? 8 : 3, type, sid, 0, t.data, t.len);
        buf_free(&t);
    } else {
        send_msg(c,
                 type == RTMP_MSG_DATA_AMF0 ? 4
                 : sid                      ? 8
                                            : 3,
                 type, sid, 0, c->amf.data, c->amf.len);
    }
    buf_reset(&c->amf);
}

static void cmd_connect(client_t *c, const char *app, double encoding, uint8_t type)
{
    amf_enc_string(&c->amf, "connect");
    amf_enc_number(&c->amf, 1);
    amf_enc_object_begin(&c->amf);
    amf_enc_prop_string(&c->amf, "app", app);
    amf_enc_prop_string(&c->amf, "type", "nonprivate");
    amf_enc_prop_string(&c->amf, "flashVer", "FMLE/3.0 (compatible; Lavf59.27.100)");
    amf_enc_prop_string(&c->amf, "tcUrl", "rtmp://127.0.0.1:1935/live");
    if (encoding >= 0)
        amf_enc_prop_number(&c->amf, "objectEncoding", encoding);
    amf_enc_object_end(&c->amf);
    send_amf(c, 0, type);
}

/* name(tx, null[, string arg]) on message stream sid */
static void cmd_simple(client_t *c, uint32_t sid, const char *name, double tx, const char *arg)
{
    amf_enc_string(&c->amf, name);
    amf_enc_number(&c->amf, tx);
    amf_enc_null(&c->amf);
    if (arg != NULL)
        amf_enc_string(&c->amf, arg);
    send_amf(c, sid, RTMP_MSG_COMMAND_AMF0);
}

static void cmd_publish(client_t *c, double tx, const char *name)
{
    amf_enc_string(&c->amf, "publish");
    amf_enc_number(&c->amf, tx);
    amf_enc_null(&c->amf);
    amf_enc_string(&c->amf, name);
    amf_enc_string(&c->amf, "live");
    send_amf(c, 1, RTMP_MSG_COMMAND_AMF0);
}

static void cmd_delete_stream(client_t *c, double tx, double id)
{
    amf_enc_string(&c->amf, "deleteStream");
    amf_enc_number(&c->amf, tx);
    amf_enc_null(&c->amf);
    amf_enc_number(&c->amf, id);
    send_amf(c, 0, RTMP_MSG_COMMAND_AMF0);
}

static void set_data_frame(client_t *c, uint8_t type)
{
    amf_enc_string(&c->amf, "@setDataFrame");
    amf_enc_string(&c->amf, "onMetaData");
    amf_enc_ecma_begin(&c->amf, 1);
    amf_enc_prop_number(&c->amf, "width", 320);
    amf_enc_object_end(&c->amf);
    send_amf(c, 1, type);
}

/* The opening every publisher sends before publish. */
static void opening(client_t *c)
{
    rtmp_chunk_write_set_chunk_size(&c->mux, &c->bytes, 4096);
    cmd_connect(c, "live", -1, RTMP_MSG_COMMAND_AMF0);
    cmd_simple(c, 0, "releaseStream", 2, "key");
    cmd_simple(c, 0, "FCPublish", 3, "key");
    cmd_simple(c, 0, "createStream", 4, NULL);
}

static const uint8_t aac_config[] = {0xaf, 0x00, 0x12, 0x10};
static const uint8_t avc_config[] = {0x17, 0x00, 0, 0, 0, 1, 0x64, 0, 0x1f, 0xff, 0xe1};
static uint8_t big_frame[10000];

static void media(client_t *c)
{
    send_msg(c, 4, RTMP_MSG_AUDIO, 1, 0, aac_config, sizeof aac_config);
    send_msg(c, 6, RTMP_MSG_VIDEO, 1, 0, avc_config, sizeof avc_config);
    send_msg(c, 6, RTMP_MSG_VIDEO, 1, 33, big_frame, sizeof big_frame);
    send_msg(c, 4, RTMP_MSG_AUDIO, 1, 23, aac_config, 3);
}

/* ---- what the session reports ---- */

typedef struct event {
    char what; /* c onnect, p ublish, m edia, u npublish */
    char text[160];
    uint8_t type;
    uint32_t ts;
    uint8_t *payload;
    size_t len;
} event_t;

typedef struct run {
    rtmp_session_t *s;
    enum rtmp_publish_result answer;
    int answer_now; /* answer inside on_publish */
    event_t ev[32];
    size_t nev;
} run_t;

static event_t *ev_add(run_t *r, char what)
{
    assert_true(r->nev < 32);
    event_t *e = &r->ev[r->nev++];
    memset(e, 0, sizeof *e);
    e->what = what;
    return e;
}

static void on_connect(void *ud, const char *app, const char *tc_url, const char *flash_ver)
{
    event_t *e = ev_add(ud, 'c');
    snprintf(e->text, sizeof e->text, "%s|%s|%s", app, tc_url, flash_ver);
}

static void on_publish(void *ud, const char *name)
{
    run_t *r = ud;
    event_t *e = ev_add(r, 'p');
    snprintf(e->text, sizeof e->text, "%s", name);
    if (r->answer_now)
        rtmp_session_publish_result(r->s, r->answer, NULL);
}

static void on_media(void *ud, uint8_t type, uint32_t ts, const uint8_t *p, size_t len)
{
    event_t *e = ev_add(ud, 'm');
    e->type = type;
    e->ts = ts;
    e->len = len;
    e->payload = malloc(len ? len : 1);
    memcpy(e->payload, p, len);
}

static void on_unpublish(void *ud)
{
    ev_add(ud, 'u');
}

static const rtmp_session_cbs_t cbs = {on_connect, on_publish, on_media, on_unpublish};

static void run_init(run_t *r, enum rtmp_publish_result answer, int now)
{
    memset(r, 0, sizeof *r);
    r->answer = answer;
    r->answer_now = now;
    r->s = rtmp_session_new(&cbs, r);
}

static void run_free(run_t *r)
{
    for (size_t i = 0; i < r->nev; i++)
        free(r->ev[i].payload);
    rtmp_session_free(r->s);
}

/* ---- what the session writes, decoded ---- */

typedef struct smsg {
    uint8_t type;
    uint32_t csid, sid;
    uint8_t payload[16]; /* control messages */
    size_t len;
    amf_value_t *v[6]; /* commands */
    size_t nv;
} smsg_t;

typedef struct sout {
    smsg_t m[32];
    size_t n;
} sout_t;

static int collect(void *ud, const rtmp_chunk_msg_t *m)
{
    sout_t *o = ud;
    assert_true(o->n < 32);
    smsg_t *s = &o->m[o->n++];
    memset(s, 0, sizeof *s);
    s->type = m->type;
    s->csid = m->csid;
    s->sid = m->stream_id;
    s->len = m->len;
    memcpy(s->payload, m->payload, m->len < 16 ? m->len : 16);
    if (m->type == RTMP_MSG_COMMAND_AMF0) {
        size_t pos = 0, used;
        while (pos < m->len && s->nv < 6) {
            assert_int_equal(amf_decode(m->payload + pos, m->len - pos, &used, &s->v[s->nv]),
                             AMF_OK);
            s->nv++;
            pos += used;
        }
        assert_int_equal(pos, m->len);
    }
    return 0;
}

/* Decodes the session's output: S0+S1+S2 (if hs), then chunks. */
static void decode_out(const buf_t *out, int hs, sout_t *o)
{
    memset(o, 0, sizeof *o);
    size_t skip = 0;
    if (hs) {
        assert_true(out->len >= HS_OUT);
        assert_int_equal((uint8_t)out->data[0], 3);
        skip = HS_OUT;
    }
    rtmp_chunk_demux_t d;
    rtmp_chunk_demux_init(&d, 0);
    assert_int_equal(
        rtmp_chunk_feed(&d, (const uint8_t *)out->data + skip, out->len - skip, collect, o),
        RTMP_OK);
    assert_int_equal(d.state, RTMP_CHUNK_HEADER); /* nothing left half written */
    rtmp_chunk_demux_free(&d);
}

static void sout_free(sout_t *o)
{
    for (size_t i = 0; i < o->n; i++)
        for (size_t k = 0; k < o->m[i].nv; k++)
            amf_free(o->m[i].v[k]);
}

/* Checks a command: name, transaction id, and the "code" of its info object if given. */
static void expect_cmd(const smsg_t *m, const char *name, double tx, const char *code)
{
    assert_int_equal(m->type, RTMP_MSG_COMMAND_AMF0);
    assert_true(m->nv >= 3);
    assert_string_equal(amf_string(m->v[0]), name);
    double t = -1;
    assert_true(amf_number(m->v[1], &t));
    if (t != tx)
        fail_msg("%s: transaction %f, want %f", name, t, tx);
    if (code != NULL) {
        assert_true(m->nv >= 4);
        assert_string_equal(amf_string(amf_object_get(m->v[3], "code")), code);
    }
}

static void expect_control(const smsg_t *m, uint8_t type, const char *bytes, size_t n)
{
    assert_int_equal(m->type, type);
    assert_int_equal(m->csid, 2);
    assert_int_equal(m->sid, 0);
    assert_int_equal(m->len, n);
    assert_memory_equal(m->payload, bytes, n);
}

/* The answers to opening(): control messages, then connect/releaseStream/FCPublish/createStream. */
static size_t expect_opening(const sout_t *o)
{
    assert_true(o->n >= 8);
    expect_control(&o->m[0], RTMP_MSG_WINDOW_ACK_SIZE, "\x00\x26\x25\xa0", 4);
    expect_control(&o->m[1], RTMP_MSG_SET_PEER_BANDWIDTH, "\x00\x26\x25\xa0\x02", 5);
    expect_control(&o->m[2], RTMP_MSG_SET_CHUNK_SIZE, "\x00\x00\x10\x00", 4);
    const smsg_t *r = &o->m[3];
    expect_cmd(r, "_result", 1, "NetConnection.Connect.Success");
    assert_string_equal(amf_string(amf_object_get(r->v[2], "fmsVer")), "FMS/3,0,1,123");
    double d = 0;
    assert_true(amf_number(amf_object_get(r->v[2], "capabilities"), &d));
    assert_true(d == 31);
    assert_string_equal(amf_string(amf_object_get(r->v[3], "level")), "status");
    assert_true(amf_number(amf_object_get(r->v[3], "objectEncoding"), &d));
    assert_true(d == 0);
    expect_cmd(&o->m[4], "_result", 2, NULL);
    expect_cmd(&o->m[5], "onFCPublish", 0, NULL);
    assert_string_equal(amf_string(amf_object_get(o->m[5].v[3], "code")),
                        "NetStream.Publish.Start");
    expect_cmd(&o->m[6], "_result", 3, NULL);
    expect_cmd(&o->m[7], "_result", 4, NULL);
    assert_true(amf_number(o->m[7].v[3], &d));
    assert_true(d == 1);
    return 8;
}

/* Feeds the split pieces; returns the last feed result. */
static int feed_all(run_t *r, const split_chunks_t *c)
{
    int rc = RTMP_OK;
    for (size_t i = 0; i < c->count && rc == RTMP_OK; i++)
        rc = rtmp_session_feed(r->s, c->data[i], c->len[i]);
    return rc;
}

/* ---- the publish flow ---- */

static void check_flow(void *ud, const split_chunks_t *c)
{
    (void)ud;
    run_t r;
    run_init(&r, RTMP_PUBLISH_OK, 1);
    if (feed_all(&r, c) != RTMP_OK)
        fail_msg("%s at %zu: %s", c->how, c->at, rtmp_session_error(r.s));
    assert_false(rtmp_session_close_requested(r.s));
    assert_null(rtmp_session_error(r.s));

    /* Events. */
    assert_int_equal(r.nev, 1 + 1 + 5 + 1);
    assert_int_equal(r.ev[0].what, 'c');
    assert_string_equal(r.ev[0].text, "live|rtmp://127.0.0.1:1935/live|FMLE/3.0 (compatible; "
                                      "Lavf59.27.100)");
    assert_int_equal(r.ev[1].what, 'p');
    assert_string_equal(r.ev[1].text, "key"); /* "?foo=bar" stripped */
    const event_t *m = &r.ev[2];
    assert_int_equal(m->what, 'm');
    assert_int_equal(m->type, RTMP_MSG_DATA_AMF0);
    size_t used;
    amf_value_t *v;
    assert_int_equal(amf_decode(m->payload, m->len, &used, &v), AMF_OK);
    assert_string_equal(amf_string(v), "onMetaData"); /* @setDataFrame removed */
    amf_free(v);
    amf_value_t *meta;
    assert_int_equal(amf_decode(m->payload + used, m->len - used, &used, &meta), AMF_OK);
    double w = 0;
    assert_true(amf_number(amf_object_get(meta, "width"), &w));
    assert_true(w == 320);
    amf_free(meta);
    assert_int_equal(r.ev[3].type, RTMP_MSG_AUDIO);
    assert_int_equal(r.ev[3].len, sizeof aac_config);
    assert_memory_equal(r.ev[3].payload, aac_config, sizeof aac_config);
    assert_int_equal(r.ev[4].type, RTMP_MSG_VIDEO);
    assert_memory_equal(r.ev[4].payload, avc_config, sizeof avc_config);
    assert_int_equal(r.ev[5].type, RTMP_MSG_VIDEO);
    assert_int_equal(r.ev[5].ts, 33);
    assert_int_equal(r.ev[5].len, sizeof big_frame);
    assert_memory_equal(r.ev[5].payload, big_frame, sizeof big_frame);
    assert_int_equal(r.ev[6].ts, 23);
    assert_int_equal(r.ev[6].len, 3);
    assert_int_equal(r.ev[7].what, 'u'); /* once, for FCUnpublish + deleteStream */

    /* Answers. */
    sout_t o;
    decode_out(rtmp_session_out(r.s), 1, &o);
    size_t i = expect_opening(&o);
    expect_control(&o.m[i++], RTMP_MSG_USER_CONTROL, "\x00\x00\x00\x00\x00\x01", 6);
    const smsg_t *st = &o.m[i++];
    expect_cmd(st, "onStatus", 0, "NetStream.Publish.Start");
    assert_int_equal(st->sid, 1);
    assert_string_equal(amf_string(amf_object_get(st->v[3], "level")), "status");
    expect_cmd(&o.m[i++], "_result", 6, NULL); /* FCUnpublish */
    assert_int_equal(o.n, i);                  /* deleteStream: no answer */
    assert_string_equal(rtmp_session_app(r.s), "live");
    assert_string_equal(rtmp_session_stream_name(r.s), "key");
    assert_string_equal(rtmp_session_tc_url(r.s), "rtmp://127.0.0.1:1935/live");
    assert_string_equal(rtmp_session_flash_ver(r.s), "FMLE/3.0 (compatible; Lavf59.27.100)");
    assert_false(rtmp_session_publishing(r.s));
    sout_free(&o);
    run_free(&r);
}

static void full_script(client_t *c)
{
    client_init(c, 1);
    opening(c);
    cmd_publish(c, 5, "key?foo=bar");
    set_data_frame(c, RTMP_MSG_DATA_AMF0);
    media(c);
    cmd_simple(c, 0, "FCUnpublish", 6, "key");
    cmd_delete_stream(c, 7, 1);
}

static void test_publish_flow(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof big_frame; i++)
        big_frame[i] = (uint8_t)(i * 31 + 7);
    client_t c;
    full_script(&c);
    /* ~15 KB: whole, bytewise, and every split (the whole flow each time). */
    split_each(c.bytes.data, c.bytes.len, check_flow, NULL);
    client_free(&c);
}

/* BadName or Rejected: one onStatus error, a close, no media, no unpublish. */
static void check_refused(enum rtmp_publish_result answer, const char *code)
{
    client_t c;
    full_script(&c);
    run_t r;
    run_init(&r, answer, 1);
    assert_int_equal(rtmp_session_feed(r.s, (const uint8_t *)c.bytes.data, c.bytes.len), RTMP_OK);
    assert_true(rtmp_session_close_requested(r.s));
    assert_int_equal(r.nev, 2);
    assert_int_equal(r.ev[1].what, 'p');
    sout_t o;
    decode_out(rtmp_session_out(r.s), 1, &o);
    size_t i = expect_opening(&o);
    expect_cmd(&o.m[i], "onStatus", 0, code);
    assert_string_equal(amf_string(amf_object_get(o.m[i].v[3], "level")), "error");
    assert_int_equal(o.n, i + 1);
    /* Once closing, input is ignored. */
    assert_int_equal(rtmp_session_feed(r.s, (const uint8_t *)"junk", 4), RTMP_OK);
    sout_free(&o);
    run_free(&r);
    client_free(&c);
}

static void test_bad_name(void **state)
{
    (void)state;
    check_refused(RTMP_PUBLISH_BADNAME, "NetStream.Publish.BadName");
}

static void test_rejected(void **state)
{
    (void)state;
    check_refused(RTMP_PUBLISH_REJECTED, "NetStream.Publish.Rejected");
}

static void test_async_publish(void **state)
{
    (void)state;
    client_t c;
    client_init(&c, 1);
    opening(&c);
    cmd_publish(&c, 5, "key");
    media(&c); /* sent before the answer: ignored */
    run_t r;
    run_init(&r, RTMP_PUBLISH_OK, 0);
    assert_int_equal(rtmp_session_feed(r.s, (const uint8_t *)c.bytes.data, c.bytes.len), RTMP_OK);
    assert_int_equal(r.nev, 2);
    assert_false(rtmp_session_publishing(r.s));
    size_t before = rtmp_session_out(r.s)->len;

    rtmp_session_publish_result(r.s, RTMP_PUBLISH_OK, "Go.");
    assert_true(rtmp_session_publishing(r.s));
    assert_true(rtmp_session_out(r.s)->len > before);
    rtmp_session_publish_result(r.s, RTMP_PUBLISH_BADNAME, NULL); /* not pending: ignored */
    assert_true(rtmp_session_publishing(r.s));
    sout_t o;
    decode_out(rtmp_session_out(r.s), 1, &o);
    size_t i = expect_opening(&o);
    assert_int_equal(o.n, i + 2);
    expect_control(&o.m[i], RTMP_MSG_USER_CONTROL, "\x00\x00\x00\x00\x00\x01", 6);
    expect_cmd(&o.m[i + 1], "onStatus", 0, "NetStream.Publish.Start");
    assert_string_equal(amf_string(amf_object_get(o.m[i + 1].v[3], "description")), "Go.");
    sout_free(&o);

    buf_reset(&c.bytes);
    media(&c);
    send_msg(&c, 4, RTMP_MSG_AUDIO, 2, 50, "x", 1); /* another message stream: ignored */
    assert_int_equal(rtmp_session_feed(r.s, (const uint8_t *)c.bytes.data, c.bytes.len), RTMP_OK);
    assert_int_equal(r.nev, 2 + 4);
    assert_int_equal(r.ev[4].len, sizeof big_frame);

    /* closeStream on the publishing stream ends it; a new publish starts again. */
    buf_reset(&c.bytes);
    cmd_simple(&c, 1, "closeStream", 0, NULL);
    cmd_publish(&c, 8, "other");
    assert_int_equal(rtmp_session_feed(r.s, (const uint8_t *)c.bytes.data, c.bytes.len), RTMP_OK);
    assert_int_equal(r.nev, 8);
    assert_int_equal(r.ev[6].what, 'u');
    assert_int_equal(r.ev[7].what, 'p');
    assert_string_equal(r.ev[7].text, "other");
    /* The client leaves before the answer: on_unpublish still pairs the on_publish. */
    buf_reset(&c.bytes);
    cmd_delete_stream(&c, 0, 1);
    assert_int_equal(rtmp_session_feed(r.s, (const uint8_t *)c.bytes.data, c.bytes.len), RTMP_OK);
    assert_int_equal(r.nev, 9);
    assert_int_equal(r.ev[8].what, 'u');
    buf_reset(rtmp_session_out(r.s));
    rtmp_session_publish_result(r.s, RTMP_PUBLISH_OK, NULL);
    assert_int_equal(rtmp_session_out(r.s)->len, 0);
    run_free(&r);
    client_free(&c);
}

static void test_apps(void **state)
{
    (void)state;
    static const struct {
        const char *app;
        int ok;
    } apps[] = {{"live", 1}, {"live/", 1}, {"live?token=1", 1}, {"vod", 0}, {"", 0}, {"lives", 0}};
    for (size_t k = 0; k < sizeof apps / sizeof apps[0]; k++) {
        client_t c;
        client_init(&c, 1);
        cmd_connect(&c, apps[k].app, -1, RTMP_MSG_COMMAND_AMF0);
        run_t r;
        run_init(&r, RTMP_PUBLISH_OK, 1);
        assert_int_equal(rtmp_session_feed(r.s, (const uint8_t *)c.bytes.data, c.bytes.len),
                         RTMP_OK);
        assert_int_equal(r.nev, 1); /* on_connect either way */
        sout_t o;
        decode_out(rtmp_session_out(r.s), 1, &o);
        if (apps[k].ok) {
            assert_int_equal(o.n, 4);
            expect_cmd(&o.m[3], "_result", 1, "NetConnection.Connect.Success");
            assert_false(rtmp_session_close_requested(r.s));
        } else {
            assert_int_equal(o.n, 1);
            expect_cmd(&o.m[0], "_error", 1, "NetConnection.Connect.Rejected");
            assert_true(rtmp_session_close_requested(r.s));
        }
        sout_free(&o);
        run_free(&r);
        client_free(&c);
    }
}

static void test_invalid_names(void **state)
{
    (void)state;
    static const char *names[] = {"", "?only=query",
                                  "a\x01"
                                  "b",
                                  "x\x7f"};
    for (size_t k = 0; k < 4; k++) {
        client_t c;
        client_init(&c, 1);
        opening(&c);
        cmd_publish(&c, 5, names[k]);
        run_t r;
        run_init(&r, RTMP_PUBLISH_OK, 1);
        assert_int_equal(rtmp_session_feed(r.s, (const uint8_t *)c.bytes.data, c.bytes.len),
                         RTMP_OK);
        assert_int_equal(r.nev, 1); /* no on_publish */
        assert_true(rtmp_session_close_requested(r.s));
        sout_t o;
        decode_out(rtmp_session_out(r.s), 1, &o);
        expect_cmd(&o.m[o.n - 1], "onStatus", 0, "NetStream.Publish.BadName");
        sout_free(&o);
        run_free(&r);
        client_free(&c);
    }
    /* 255 bytes is the longest name; 256 is refused. */
    char longname[257];
    for (int len = 255; len <= 256; len++) {
        memset(longname, 'k', (size_t)len);
        longname[len] = '\0';
        client_t c;
        client_init(&c, 1);
        opening(&c);
        cmd_publish(&c, 5, longname);
        run_t r;
        run_init(&r, RTMP_PUBLISH_OK, 1);
        assert_int_equal(rtmp_session_feed(r.s, (const uint8_t *)c.bytes.data, c.bytes.len),
                         RTMP_OK);
        assert_int_equal(r.nev, len == 255 ? 2 : 1);
        run_free(&r);
        client_free(&c);
    }
}

static void test_other_commands(void **state)
{
    (void)state;
    client_t c;
    client_init(&c, 1);
    opening(&c);
    cmd_simple(&c, 0, "getStreamLength", 5, "key");
    cmd_simple(&c, 0, "noSuchMethod", 0, NULL); /* transaction 0: no answer */
    cmd_simple(&c, 0, "_checkbw", 6, NULL);
    cmd_simple(&c, 0, "FCUnpublish", 0, "key"); /* nothing published: no event, no answer */
    cmd_simple(&c, 1, "publish", 7, NULL);      /* no name */
    run_t r;
    run_init(&r, RTMP_PUBLISH_OK, 1);
    assert_int_equal(rtmp_session_feed(r.s, (const uint8_t *)c.bytes.data, c.bytes.len), RTMP_OK);
    sout_t o;
    decode_out(rtmp_session_out(r.s), 1, &o);
    size_t i = expect_opening(&o);
    expect_cmd(&o.m[i++], "_error", 5, "NetConnection.Call.Failed");
    expect_cmd(&o.m[i++], "onStatus", 0, "NetStream.Publish.BadName");
    assert_int_equal(o.n, i);
    assert_int_equal(r.nev, 1);
    sout_free(&o);
    run_free(&r);

    /* play: ingest only, refused with a close. */
    buf_reset(&c.bytes);
    client_free(&c);
    client_init(&c, 1);
    opening(&c);
    cmd_simple(&c, 1, "play", 0, "key");
    run_init(&r, RTMP_PUBLISH_OK, 1);
    assert_int_equal(rtmp_session_feed(r.s, (const uint8_t *)c.bytes.data, c.bytes.len), RTMP_OK);
    decode_out(rtmp_session_out(r.s), 1, &o);
    expect_cmd(&o.m[o.n - 1], "onStatus", 0, "NetStream.Play.StreamNotFound");
    assert_true(rtmp_session_close_requested(r.s));
    sout_free(&o);
    run_free(&r);
    client_free(&c);
}

static void test_ping_and_ack(void **state)
{
    (void)state;
    client_t c;
    client_init(&c, 1);
    rtmp_chunk_write_window_ack_size(&c.mux, &c.bytes, 5000);
    cmd_connect(&c, "live", -1, RTMP_MSG_COMMAND_AMF0);
    rtmp_chunk_write_user_control(&c.mux, &c.bytes, RTMP_UC_PING_REQUEST, 0x1234);
    rtmp_chunk_write_user_control(&c.mux, &c.bytes, RTMP_UC_SET_BUFFER_LENGTH, 1); /* ignored */
    static uint8_t junk[6000];
    send_msg(&c, 4, RTMP_MSG_AUDIO, 1, 0, junk, sizeof junk); /* before publish: ignored */
    run_t r;
    run_init(&r, RTMP_PUBLISH_OK, 1);
    /* The handshake is not counted: the window covers the chunk stream. */
    size_t chunk_bytes = c.bytes.len - HS_OUT;
    assert_int_equal(rtmp_session_feed(r.s, (const uint8_t *)c.bytes.data, c.bytes.len), RTMP_OK);
    sout_t o;
    decode_out(rtmp_session_out(r.s), 1, &o);
    assert_int_equal(o.n, 4 + 2);
    expect_control(&o.m[4], RTMP_MSG_USER_CONTROL, "\x00\x07\x00\x00\x12\x34", 6);
    char seq[4];
    be32_put((uint8_t *)seq, (uint32_t)chunk_bytes);
    expect_control(&o.m[5], RTMP_MSG_ACK, seq, 4);
    assert_int_equal(r.nev, 1);
    sout_free(&o);
    run_free(&r);
    client_free(&c);
}

static void test_amf3_messages(void **state)
{
    (void)state;
    client_t c;
    client_init(&c, 1);
    cmd_connect(&c, "live", 3, RTMP_MSG_COMMAND_AMF3);
    /* createStream as AMF3 command, its values behind the avmplus switch where allowed */
    buf_putc(&c.amf, 0x02);
    buf_append(&c.amf,
               "\x00\x0c"
               "createStream",
               14);
    buf_append(&c.amf, "\x11\x04\x02", 3); /* avmplus integer 2 */
    buf_append(&c.amf, "\x11\x01", 2);     /* avmplus null */
    send_amf(&c, 0, RTMP_MSG_COMMAND_AMF3);
    cmd_publish(&c, 3, "k");
    set_data_frame(&c, RTMP_MSG_DATA_AMF3);
    run_t r;
    run_init(&r, RTMP_PUBLISH_OK, 1);
    assert_int_equal(rtmp_session_feed(r.s, (const uint8_t *)c.bytes.data, c.bytes.len), RTMP_OK);
    sout_t o;
    decode_out(rtmp_session_out(r.s), 1, &o);
    double d = 0;
    assert_true(amf_number(amf_object_get(o.m[3].v[3], "objectEncoding"), &d));
    assert_true(d == 3);
    expect_cmd(&o.m[4], "_result", 2, NULL);
    assert_int_equal(r.nev, 3);
    assert_int_equal(r.ev[2].type, RTMP_MSG_DATA_AMF0);
    assert_memory_equal(r.ev[2].payload, "\x02\x00\x0aonMetaData", 13);
    sout_free(&o);
    run_free(&r);
    client_free(&c);
}

/* Aggregate: two FLV tags (timestamps 100 and 133) in a message stamped 1000. */
static void test_aggregate(void **state)
{
    (void)state;
    client_t c;
    client_init(&c, 1);
    opening(&c);
    cmd_publish(&c, 5, "key");
    static const uint8_t agg[] = {
        8, 0, 0, 2, 0, 0, 100, 0, 0, 0, 0, 0xaf, 0x01, 0,    0, 0, 13,     /* audio */
        9, 0, 0, 3, 0, 0, 133, 0, 0, 0, 0, 0x27, 0x01, 0x00, 0, 0, 0,  14, /* video */
    };
    send_msg(&c, 6, RTMP_MSG_AGGREGATE, 1, 1000, agg, sizeof agg);
    run_t r;
    run_init(&r, RTMP_PUBLISH_OK, 1);
    assert_int_equal(rtmp_session_feed(r.s, (const uint8_t *)c.bytes.data, c.bytes.len), RTMP_OK);
    assert_int_equal(r.nev, 4);
    assert_int_equal(r.ev[2].type, RTMP_MSG_AUDIO);
    assert_int_equal(r.ev[2].ts, 1000);
    assert_int_equal(r.ev[2].len, 2);
    assert_int_equal(r.ev[3].type, RTMP_MSG_VIDEO);
    assert_int_equal(r.ev[3].ts, 1033);
    assert_memory_equal(r.ev[3].payload, "\x27\x01\x00", 3);
    run_free(&r);

    /* A tag running past the end is malformed. */
    buf_reset(&c.bytes);
    client_free(&c);
    client_init(&c, 1);
    opening(&c);
    cmd_publish(&c, 5, "key");
    send_msg(&c, 6, RTMP_MSG_AGGREGATE, 1, 1000, agg, sizeof agg - 1);
    run_init(&r, RTMP_PUBLISH_OK, 1);
    assert_int_equal(rtmp_session_feed(r.s, (const uint8_t *)c.bytes.data, c.bytes.len),
                     RTMP_ERROR);
    assert_string_equal(rtmp_session_error(r.s), "malformed aggregate message");
    run_free(&r);
    client_free(&c);
}

static void expect_error(const buf_t *bytes, const char *why)
{
    run_t r;
    run_init(&r, RTMP_PUBLISH_OK, 1);
    assert_int_equal(rtmp_session_feed(r.s, (const uint8_t *)bytes->data, bytes->len), RTMP_ERROR);
    assert_string_equal(rtmp_session_error(r.s), why);
    assert_int_equal(rtmp_session_feed(r.s, (const uint8_t *)"x", 1), RTMP_ERROR);
    run_free(&r);
}

static void test_malformed(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    buf_append(&b, "GET / HTTP/1.1\r\n", 16);
    expect_error(&b, "unsupported RTMP version");
    buf_free(&b);

    client_t c;
    client_init(&c, 1);
    cmd_simple(&c, 0, "createStream", 1, NULL);
    expect_error(&c.bytes, "command before connect");
    client_free(&c);

    client_init(&c, 1);
    amf_enc_number(&c.amf, 1); /* a command without a name */
    send_amf(&c, 0, RTMP_MSG_COMMAND_AMF0);
    expect_error(&c.bytes, "malformed command");
    client_free(&c);

    client_init(&c, 1);
    cmd_connect(&c, "live", -1, RTMP_MSG_COMMAND_AMF0);
    cmd_connect(&c, "live", -1, RTMP_MSG_COMMAND_AMF0);
    expect_error(&c.bytes, "connect twice");
    client_free(&c);

    client_init(&c, 1);
    amf_enc_string(&c.amf, "connect");
    amf_enc_number(&c.amf, 1);
    amf_enc_null(&c.amf);
    send_amf(&c, 0, RTMP_MSG_COMMAND_AMF0);
    expect_error(&c.bytes, "connect without a command object");
    client_free(&c);

    client_init(&c, 1);
    rtmp_chunk_write_set_chunk_size(&c.mux, &c.bytes, 4096);
    c.bytes.data[HS_OUT + 12 + 1] = 0x02; /* the size becomes 0x00021000 */
    expect_error(&c.bytes, "bad chunk size");
    client_free(&c);

    client_init(&c, 1);
    opening(&c);
    cmd_publish(&c, 5, "key");
    send_msg(&c, 4, RTMP_MSG_DATA_AMF0, 1, 0, "\x02\x00\x09on", 5);
    expect_error(&c.bytes, "malformed data message");
    client_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_publish_flow),   cmocka_unit_test(test_bad_name),
        cmocka_unit_test(test_rejected),       cmocka_unit_test(test_async_publish),
        cmocka_unit_test(test_apps),           cmocka_unit_test(test_invalid_names),
        cmocka_unit_test(test_other_commands), cmocka_unit_test(test_ping_and_ack),
        cmocka_unit_test(test_amf3_messages),  cmocka_unit_test(test_aggregate),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
