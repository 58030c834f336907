/* rtmp/session — see session.h. */
#include "rtmp/session.h"

#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"
#include "rtmp/amf.h"
#include "rtmp/handshake.h"

/* Outgoing chunk streams, as Flash Media Server numbers them. */
#define CSID_COMMAND 3
#define CSID_STREAM  5

#define MAX_ARGS    6  /* command values decoded: name, transaction, object, 3 more */
#define MAX_STREAMS 16 /* createStream answers per connection */

enum state {
    ST_HANDSHAKE,
    ST_WAIT_CONNECT,
    ST_CONNECTED,
    ST_PUBLISH_PENDING,
    ST_PUBLISHING,
    ST_CLOSING,
    ST_FAILED,
};

struct rtmp_session {
    enum state state;
    rtmp_session_cbs_t cbs;
    void *ud;
    rtmp_handshake_t hs;
    rtmp_chunk_demux_t dmx;
    rtmp_chunk_mux_t mux;
    buf_t out;
    buf_t amf; /* scratch for building command payloads */
    char *app, *tc_url, *flash_ver, *stream_name;
    double object_encoding;
    uint32_t streams_created;
    uint32_t publish_stream; /* message stream id of the publish */
    const char *error;
};

/* A decoded command: values[0] name, [1] transaction id, [2] object, ... */
typedef struct cmd {
    amf_value_t *v[MAX_ARGS];
    size_t n;
    const char *name;
    double tx;
    uint32_t stream_id;
} cmd_t;

rtmp_session_t *rtmp_session_new(const rtmp_session_cbs_t *cbs, void *ud)
{
    rtmp_session_t *s = xcalloc(1, sizeof *s);
    s->state = ST_HANDSHAKE;
    if (cbs != NULL)
        s->cbs = *cbs;
    s->ud = ud;
    rtmp_handshake_init(&s->hs);
    rtmp_chunk_demux_init(&s->dmx, 0);
    rtmp_chunk_mux_init(&s->mux);
    s->app = xstrdup("");
    s->tc_url = xstrdup("");
    s->flash_ver = xstrdup("");
    s->stream_name = xstrdup("");
    return s;
}

void rtmp_session_free(rtmp_session_t *s)
{
    if (s == NULL)
        return;
    rtmp_chunk_demux_free(&s->dmx);
    buf_free(&s->out);
    buf_free(&s->amf);
    free(s->app);
    free(s->tc_url);
    free(s->flash_ver);
    free(s->stream_name);
    free(s);
}

static int fail(rtmp_session_t *s, const char *why)
{
    s->state = ST_FAILED;
    s->error = why;
    return RTMP_ERROR;
}

static void set_str(char **dst, const char *src)
{
    free(*dst);
    *dst = xstrdup(src != NULL ? src : "");
}

/* ---- answers ---- */

static void send_amf(rtmp_session_t *s, uint32_t csid, uint32_t stream_id)
{
    /* Cannot fail: fixed csid, payloads far below 16 MiB. */
    (void)!rtmp_chunk_write(&s->mux, &s->out, csid, RTMP_MSG_COMMAND_AMF0, stream_id, 0,
                            (const uint8_t *)s->amf.data, s->amf.len);
    buf_reset(&s->amf);
}

static void send_result(rtmp_session_t *s, double tx)
{
    amf_enc_string(&s->amf, "_result");
    amf_enc_number(&s->amf, tx);
    amf_enc_null(&s->amf);
    amf_enc_undefined(&s->amf);
    send_amf(s, CSID_COMMAND, 0);
}

static void send_error(rtmp_session_t *s, double tx, const char *code, const char *desc)
{
    amf_enc_string(&s->amf, "_error");
    amf_enc_number(&s->amf, tx);
    amf_enc_null(&s->amf);
    amf_enc_object_begin(&s->amf);
    amf_enc_prop_string(&s->amf, "level", "error");
    amf_enc_prop_string(&s->amf, "code", code);
    amf_enc_prop_string(&s->amf, "description", desc);
    amf_enc_object_end(&s->amf);
    send_amf(s, CSID_COMMAND, 0);
}

static void send_status(rtmp_session_t *s, uint32_t stream_id, const char *level, const char *code,
                        const char *desc)
{
    amf_enc_string(&s->amf, "onStatus");
    amf_enc_number(&s->amf, 0);
    amf_enc_null(&s->amf);
    amf_enc_object_begin(&s->amf);
    amf_enc_prop_string(&s->amf, "level", level);
    amf_enc_prop_string(&s->amf, "code", code);
    amf_enc_prop_string(&s->amf, "description", desc);
    amf_enc_prop_string(&s->amf, "details", s->stream_name);
    amf_enc_object_end(&s->amf);
    send_amf(s, CSID_STREAM, stream_id);
}

/* ---- commands ---- */

static void cmd_free(cmd_t *c)
{
    for (size_t i = 0; i < c->n; i++)
        amf_free(c->v[i]);
    c->n = 0;
}

static const amf_value_t *arg(const cmd_t *c, size_t i)
{
    return i < c->n ? c->v[i] : NULL;
}

/* Decodes name, transaction id and up to MAX_ARGS - 2 more values. */
static int cmd_decode(const uint8_t *p, size_t len, cmd_t *c)
{
    size_t pos = 0;
    while (c->n < MAX_ARGS && pos < len) {
        size_t used;
        if (amf_decode(p + pos, len - pos, &used, &c->v[c->n]) != AMF_OK)
            return RTMP_ERROR;
        c->n++;
        pos += used;
    }
    c->name = amf_string(arg(c, 0));
    if (c->name == NULL)
        return RTMP_ERROR;
    c->tx = 0;
    (void)amf_number(arg(c, 1), &c->tx);
    return RTMP_OK;
}

static const char *prop_string(const amf_value_t *obj, const char *key)
{
    const char *v = amf_string(amf_object_get(obj, key));
    return v != NULL ? v : "";
}

/* "live", "live/", "live?x=1" all name the app "live". */
static int app_matches(const char *app)
{
    size_t n = strcspn(app, "?");
    while (n > 0 && app[n - 1] == '/')
        n--;
    return n == strlen(RTMP_SESSION_APP) && memcmp(app, RTMP_SESSION_APP, n) == 0;
}

static int on_connect_cmd(rtmp_session_t *s, const cmd_t *c)
{
    if (s->state != ST_WAIT_CONNECT)
        return fail(s, "connect twice");
    const amf_value_t *obj = arg(c, 2);
    if (obj == NULL || obj->type != AMF_OBJECT)
        return fail(s, "connect without a command object");
    set_str(&s->app, prop_string(obj, "app"));
    set_str(&s->tc_url, prop_string(obj, "tcUrl"));
    set_str(&s->flash_ver, prop_string(obj, "flashVer"));
    s->object_encoding = 0;
    (void)amf_number(amf_object_get(obj, "objectEncoding"), &s->object_encoding);
    if (s->cbs.on_connect)
        s->cbs.on_connect(s->ud, s->app, s->tc_url, s->flash_ver);

    if (!app_matches(s->app)) {
        send_error(s, c->tx, "NetConnection.Connect.Rejected", "Unknown application.");
        s->state = ST_CLOSING;
        return RTMP_OK;
    }
    rtmp_chunk_write_window_ack_size(&s->mux, &s->out, RTMP_SESSION_WINDOW);
    rtmp_chunk_write_set_peer_bandwidth(&s->mux, &s->out, RTMP_SESSION_WINDOW, RTMP_BW_DYNAMIC);
    rtmp_chunk_write_set_chunk_size(&s->mux, &s->out, RTMP_SESSION_CHUNK_SIZE);
    if (s->dmx.ack_window == 0)
        rtmp_chunk_set_ack_window(&s->dmx, RTMP_SESSION_WINDOW);

    amf_enc_string(&s->amf, "_result");
    amf_enc_number(&s->amf, c->tx);
    amf_enc_object_begin(&s->amf);
    amf_enc_prop_string(&s->amf, "fmsVer", "FMS/3,0,1,123");
    amf_enc_prop_number(&s->amf, "capabilities", 31);
    amf_enc_object_end(&s->amf);
    amf_enc_object_begin(&s->amf);
    amf_enc_prop_string(&s->amf, "level", "status");
    amf_enc_prop_string(&s->amf, "code", "NetConnection.Connect.Success");
    amf_enc_prop_string(&s->amf, "description", "Connection succeeded.");
    amf_enc_prop_number(&s->amf, "objectEncoding", s->object_encoding);
    amf_enc_object_end(&s->amf);
    send_amf(s, CSID_COMMAND, 0);
    s->state = ST_CONNECTED;
    return RTMP_OK;
}

/* Printable ASCII or UTF-8 bytes only, 1..RTMP_SESSION_MAX_NAME of them. */
static int name_ok(const char *name, size_t n)
{
    if (n == 0 || n > RTMP_SESSION_MAX_NAME)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)name[i];
        if (ch < 0x20 || ch == 0x7f)
            return 0;
    }
    return 1;
}

static void unpublish(rtmp_session_t *s)
{
    if (s->state != ST_PUBLISH_PENDING && s->state != ST_PUBLISHING)
        return;
    s->state = ST_CONNECTED;
    if (s->cbs.on_unpublish)
        s->cbs.on_unpublish(s->ud);
}

static int on_publish_cmd(rtmp_session_t *s, const cmd_t *c)
{
    const amf_value_t *nv = arg(c, 3);
    if (s->state != ST_CONNECTED) {
        send_status(s, c->stream_id, "error", "NetStream.Publish.BadName", "Already publishing.");
        return RTMP_OK;
    }
    const char *raw = amf_string(nv);
    size_t n = 0;
    if (raw != NULL) { /* the key ends at a query string ("key?foo=bar") */
        const char *q = memchr(raw, '?', nv->u.str.len);
        n = q != NULL ? (size_t)(q - raw) : nv->u.str.len;
    } else {
        raw = "";
    }
    free(s->stream_name);
    s->stream_name = xstrndup(raw, n);
    s->publish_stream = c->stream_id;
    if (!name_ok(raw, n)) {
        send_status(s, c->stream_id, "error", "NetStream.Publish.BadName", "Invalid stream name.");
        s->state = ST_CLOSING;
        return RTMP_OK;
    }
    s->state = ST_PUBLISH_PENDING;
    if (s->cbs.on_publish)
        s->cbs.on_publish(s->ud, s->stream_name);
    return RTMP_OK;
}

static int on_command(rtmp_session_t *s, const cmd_t *c)
{
    const char *name = c->name;
    if (strcmp(name, "connect") == 0)
        return on_connect_cmd(s, c);
    if (s->state == ST_WAIT_CONNECT)
        return fail(s, "command before connect");

    if (strcmp(name, "releaseStream") == 0) {
        if (c->tx != 0)
            send_result(s, c->tx);
    } else if (strcmp(name, "FCPublish") == 0) {
        /* OBS and librtmp ignore onFCPublish, some older encoders wait for it. */
        const char *sname = amf_string(arg(c, 3));
        amf_enc_string(&s->amf, "onFCPublish");
        amf_enc_number(&s->amf, 0);
        amf_enc_null(&s->amf);
        amf_enc_object_begin(&s->amf);
        amf_enc_prop_string(&s->amf, "code", "NetStream.Publish.Start");
        amf_enc_prop_string(&s->amf, "description", sname != NULL ? sname : "");
        amf_enc_object_end(&s->amf);
        send_amf(s, CSID_COMMAND, 0);
        if (c->tx != 0)
            send_result(s, c->tx);
    } else if (strcmp(name, "createStream") == 0) {
        if (s->streams_created >= MAX_STREAMS) {
            send_error(s, c->tx, "NetConnection.Call.Failed", "Too many streams.");
            return RTMP_OK;
        }
        s->streams_created++;
        amf_enc_string(&s->amf, "_result");
        amf_enc_number(&s->amf, c->tx);
        amf_enc_null(&s->amf);
        amf_enc_number(&s->amf, s->streams_created);
        send_amf(s, CSID_COMMAND, 0);
    } else if (strcmp(name, "publish") == 0) {
        return on_publish_cmd(s, c);
    } else if (strcmp(name, "FCUnpublish") == 0) {
        unpublish(s);
        if (c->tx != 0)
            send_result(s, c->tx);
    } else if (strcmp(name, "deleteStream") == 0) {
        double id = -1;
        if (amf_number(arg(c, 3), &id) && id == (double)s->publish_stream)
            unpublish(s);
    } else if (strcmp(name, "closeStream") == 0) {
        if (c->stream_id == s->publish_stream)
            unpublish(s);
    } else if (strcmp(name, "play") == 0) {
        send_status(s, c->stream_id, "error", "NetStream.Play.StreamNotFound",
                    "Playback is not offered over RTMP.");
        s->state = ST_CLOSING;
    } else if (strcmp(name, "_checkbw") == 0 || strcmp(name, "_result") == 0 ||
               strcmp(name, "_error") == 0 || strcmp(name, "onStatus") == 0) {
        /* nothing to answer */
    } else if (c->tx != 0) {
        send_error(s, c->tx, "NetConnection.Call.Failed", "Method not found.");
    }
    return RTMP_OK;
}

static int handle_command(rtmp_session_t *s, const rtmp_chunk_msg_t *m)
{
    const uint8_t *p = m->payload;
    size_t len = m->len;
    if (m->type == RTMP_MSG_COMMAND_AMF3) { /* a format byte, then AMF0 */
        if (len < 1)
            return fail(s, "empty AMF3 command");
        p++;
        len--;
    }
    cmd_t c = {0};
    c.stream_id = m->stream_id;
    int rc = cmd_decode(p, len, &c);
    if (rc != RTMP_OK)
        rc = fail(s, "malformed command");
    else
        rc = on_command(s, &c);
    cmd_free(&c);
    return rc;
}

/* ---- media ---- */

static void media_out(rtmp_session_t *s, uint8_t type, uint32_t ts, const uint8_t *p, size_t n)
{
    if (s->cbs.on_media)
        s->cbs.on_media(s->ud, type, ts, p, n);
}

/* Data messages: "@setDataFrame" is removed so "onMetaData" leads. */
static int handle_data(rtmp_session_t *s, uint32_t ts, const uint8_t *p, size_t len)
{
    amf_value_t *first = NULL;
    size_t used;
    if (amf_decode(p, len, &used, &first) != AMF_OK)
        return fail(s, "malformed data message");
    const char *name = amf_string(first);
    if (name != NULL && strcmp(name, "@setDataFrame") == 0) {
        p += used;
        len -= used;
    }
    amf_free(first);
    media_out(s, RTMP_MSG_DATA_AMF0, ts, p, len);
    return RTMP_OK;
}

/*
 * Aggregate: FLV tags back to back, each
 *   | type u8 | size u24 | ts u24 | ts high u8 | stream u24 | data | back pointer u32 |
 * with timestamps relative to the first tag, which takes the message's.
 */
static int handle_aggregate(rtmp_session_t *s, uint32_t ts, const uint8_t *p, size_t len)
{
    size_t pos = 0;
    uint32_t base = 0;
    int first = 1;
    while (pos < len) {
        if (len - pos < 11)
            return fail(s, "malformed aggregate message");
        uint8_t type = p[pos];
        size_t size = be24_get(p + pos + 1);
        uint32_t tts = be24_get(p + pos + 4) | ((uint32_t)p[pos + 7] << 24);
        if (size > len - pos - 11 || len - pos - 11 - size < 4)
            return fail(s, "malformed aggregate message");
        if (first) {
            base = tts;
            first = 0;
        }
        const uint8_t *body = p + pos + 11;
        uint32_t at = ts + (tts - base);
        if (type == RTMP_MSG_AUDIO || type == RTMP_MSG_VIDEO)
            media_out(s, type, at, body, size);
        else if (type == RTMP_MSG_DATA_AMF0 && handle_data(s, at, body, size) != RTMP_OK)
            return RTMP_ERROR;
        pos += 11 + size + 4;
    }
    return RTMP_OK;
}

static int handle_media(rtmp_session_t *s, const rtmp_chunk_msg_t *m)
{
    /* Before the publish is accepted, or on another stream: ignored (see session.h). */
    if (s->state != ST_PUBLISHING || m->stream_id != s->publish_stream)
        return RTMP_OK;
    switch (m->type) {
    case RTMP_MSG_AUDIO:
    case RTMP_MSG_VIDEO:
        media_out(s, m->type, m->timestamp, m->payload, m->len);
        return RTMP_OK;
    case RTMP_MSG_DATA_AMF3:
        if (m->len < 1)
            return fail(s, "empty AMF3 data message");
        return handle_data(s, m->timestamp, m->payload + 1, m->len - 1);
    case RTMP_MSG_DATA_AMF0:
        return handle_data(s, m->timestamp, m->payload, m->len);
    default:
        return handle_aggregate(s, m->timestamp, m->payload, m->len);
    }
}

/* ---- dispatch ---- */

static int on_message(void *ud, const rtmp_chunk_msg_t *m)
{
    rtmp_session_t *s = ud;
    if (s->state == ST_CLOSING || s->state == ST_FAILED)
        return s->state == ST_FAILED;
    switch (m->type) {
    case RTMP_MSG_USER_CONTROL:
        if (m->len >= 6 && be16_get(m->payload) == RTMP_UC_PING_REQUEST)
            rtmp_chunk_write_user_control(&s->mux, &s->out, RTMP_UC_PING_RESPONSE,
                                          be32_get(m->payload + 2));
        return 0;
    case RTMP_MSG_COMMAND_AMF0:
    case RTMP_MSG_COMMAND_AMF3:
        return handle_command(s, m) != RTMP_OK;
    case RTMP_MSG_AUDIO:
    case RTMP_MSG_VIDEO:
    case RTMP_MSG_DATA_AMF0:
    case RTMP_MSG_DATA_AMF3:
    case RTMP_MSG_AGGREGATE:
        return handle_media(s, m) != RTMP_OK;
    default:
        /* Set Chunk Size, Abort and Window Ack Size are applied by the demuxer;
           Acknowledgement, Set Peer Bandwidth and shared objects need nothing. */
        return 0;
    }
}

int rtmp_session_feed(rtmp_session_t *s, const uint8_t *data, size_t len)
{
    if (s->state == ST_FAILED)
        return RTMP_ERROR;
    if (s->state == ST_CLOSING)
        return RTMP_OK;
    if (s->state == ST_HANDSHAKE) {
        size_t used = 0;
        int rc = rtmp_handshake_feed(&s->hs, data, len, &used, &s->out);
        if (rc == RTMP_HS_ERROR)
            return fail(s, s->hs.error);
        if (rc == RTMP_HS_NEED_MORE)
            return RTMP_OK;
        s->state = ST_WAIT_CONNECT;
        data += used;
        len -= used;
    }
    if (rtmp_chunk_feed(&s->dmx, data, len, on_message, s) != RTMP_OK)
        return s->state == ST_FAILED ? RTMP_ERROR : fail(s, s->dmx.error);
    uint32_t seq;
    if (s->state != ST_CLOSING && rtmp_chunk_ack_due(&s->dmx, &seq))
        rtmp_chunk_write_ack(&s->mux, &s->out, seq);
    return RTMP_OK;
}

buf_t *rtmp_session_out(rtmp_session_t *s)
{
    return &s->out;
}

void rtmp_session_publish_result(rtmp_session_t *s, enum rtmp_publish_result r,
                                 const char *description)
{
    if (s->state != ST_PUBLISH_PENDING)
        return;
    switch (r) {
    case RTMP_PUBLISH_OK:
        rtmp_chunk_write_user_control(&s->mux, &s->out, RTMP_UC_STREAM_BEGIN, s->publish_stream);
        send_status(s, s->publish_stream, "status", "NetStream.Publish.Start",
                    description != NULL ? description : "Publishing started.");
        s->state = ST_PUBLISHING;
        break;
    case RTMP_PUBLISH_BADNAME:
        send_status(s, s->publish_stream, "error", "NetStream.Publish.BadName",
                    description != NULL ? description : "Invalid stream key.");
        s->state = ST_CLOSING;
        break;
    case RTMP_PUBLISH_REJECTED:
        send_status(s, s->publish_stream, "error", "NetStream.Publish.Rejected",
                    description != NULL ? description : "Publishing is not allowed now.");
        s->state = ST_CLOSING;
        break;
    }
}

int rtmp_session_close_requested(const rtmp_session_t *s)
{
    return s->state == ST_CLOSING;
}

int rtmp_session_publishing(const rtmp_session_t *s)
{
    return s->state == ST_PUBLISHING;
}

const char *rtmp_session_error(const rtmp_session_t *s)
{
    return s->state == ST_FAILED ? s->error : NULL;
}

const char *rtmp_session_app(const rtmp_session_t *s)
{
    return s->app;
}

const char *rtmp_session_tc_url(const rtmp_session_t *s)
{
    return s->tc_url;
}

const char *rtmp_session_flash_ver(const rtmp_session_t *s)
{
    return s->flash_ver;
}

const char *rtmp_session_stream_name(const rtmp_session_t *s)
{
    return s->stream_name;
}
