/* rtmp/server — see server.h. */
#include "rtmp/server.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "hls/packager.h"
#include "hub/hub.h"
#include "media/aac.h"
#include "media/avc.h"
#include "media/flv.h"
#include "net/conn.h"
#include "rtmp/session.h"
#include "store/streams.h"

#define HANDSHAKE_TIMEOUT_MS 10000
#define IDLE_TIMEOUT_MS      30000

typedef struct rtmp_conn {
    conn_t conn; /* first */
    rtmp_session_t *sess;
    int64_t stream_id; /* set while publishing */
    int publishing;
    hub_stream_t *hub;
    int ts_init;
    uint32_t last_ts;
    int64_t last_abs;
    int unsupported_logged;
    /* what the publisher sends, for the stream object's ingest */
    int has_video, has_audio;
    char vcodec[8], acodec[8];
    int width, height, sample_rate, channels;
    double fps;
    uint64_t media_bytes, frames;
    uint64_t rate_mark_bytes, rate_mark_ms;
    double kbps;
    uint64_t started_ms;
    uint64_t read_ns; /* when the bytes being parsed were read */
    struct rtmp_conn *next_pub;
} rtmp_conn_t;

static uv_loop_t *g_loop;
static rtmp_server_opts_t g_opts;
static rtmp_conn_t *g_publishers;
static size_t g_conns;
static uint64_t g_publishes, g_refused_bad_name, g_refused_not_live, g_refused_codec, g_takeovers,
    g_bytes_in, g_frames_in, g_protocol_errors;

static void flush(rtmp_conn_t *rc)
{
    buf_t *out = rtmp_session_out(rc->sess);
    if (out->len) {
        conn_write_copy(&rc->conn, out->data, out->len);
        buf_reset(out);
    }
    if (rtmp_session_close_requested(rc->sess))
        conn_close_after_flush(&rc->conn);
}

static rtmp_conn_t *publisher_of(int64_t stream_id)
{
    for (rtmp_conn_t *p = g_publishers; p; p = p->next_pub)
        if (p->stream_id == stream_id)
            return p;
    return NULL;
}

/* Ends this connection's publish (dropped, unpublished or replaced). */
static void end_publish(rtmp_conn_t *rc, const char *why)
{
    if (!rc->publishing)
        return;
    rc->publishing = 0;
    for (rtmp_conn_t **p = &g_publishers; *p; p = &(*p)->next_pub) {
        if (*p == rc) {
            *p = rc->next_pub;
            break;
        }
    }
    double secs = (double)(uv_now(g_loop) - rc->started_ms) / 1000.0;
    log_info("publish_end",
             "stream_id=%" PRId64 " peer=%s reason=%s seconds=%.1f bytes=%" PRIu64
             " frames=%" PRIu64,
             rc->stream_id, rc->conn.peer, why, secs, rc->media_bytes, rc->frames);
    if (rc->hub)
        hub_publish_stop(rc->hub);
    rc->hub = NULL;
}

static void on_connect(void *ud, const char *app, const char *tc_url, const char *flash_ver)
{
    rtmp_conn_t *rc = ud;
    char a[80], t[200], f[120];
    log_debug("rtmp_connect", "conn=%" PRIu64 " peer=%s app=%s tc_url=%s flash_ver=%s", rc->conn.id,
              rc->conn.peer, log_q(a, sizeof a, app), log_q(t, sizeof t, tc_url),
              log_q(f, sizeof f, flash_ver));
}

static void on_publish(void *ud, const char *name)
{
    rtmp_conn_t *rc = ud;
    char sw[120];
    store_stream_t st;
    int found = store_stream_by_key(g_opts.store, name, &st) == STORE_OK;
    /* Constant-time check of the whole key, beyond the index lookup. */
    if (found && (strlen(st.stream_key) != strlen(name) ||
                  sodium_memcmp(st.stream_key, name, strlen(name)) != 0)) {
        store_stream_clear(&st);
        found = 0;
    }
    if (!found) {
        g_refused_bad_name++;
        log_warn("publish_refused", "peer=%s reason=bad_name software=%s", rc->conn.peer,
                 log_q(sw, sizeof sw, rtmp_session_flash_ver(rc->sess)));
        rtmp_session_publish_result(rc->sess, RTMP_PUBLISH_BADNAME,
                                    "stream key not recognised: copy it from the dashboard");
        return;
    }
    int64_t id = st.id;
    int live = strcmp(st.status, "live") == 0;
    store_stream_clear(&st);
    if (!live) {
        g_refused_not_live++;
        log_warn("publish_refused", "stream_id=%" PRId64 " peer=%s reason=not_live", id,
                 rc->conn.peer);
        rtmp_session_publish_result(rc->sess, RTMP_PUBLISH_REJECTED,
                                    "the stream is not live: press Start in the dashboard first");
        return;
    }
    rtmp_conn_t *old = publisher_of(id);
    if (old && old != rc) {
        /* OBS reconnecting while its old session still looks alive: the new one wins. */
        g_takeovers++;
        log_info("publish_takeover", "stream_id=%" PRId64 " old_peer=%s new_peer=%s", id,
                 old->conn.peer, rc->conn.peer);
        end_publish(old, "replaced");
        conn_close(&old->conn);
    }
    rc->stream_id = id;
    rc->publishing = 1;
    rc->started_ms = uv_now(g_loop);
    rc->rate_mark_ms = rc->started_ms;
    rc->next_pub = g_publishers;
    g_publishers = rc;
    rc->hub = hub_open(id);
    hls_packager_ensure(rc->hub);
    hub_publish_start(rc->hub);
    g_publishes++;
    rtmp_session_publish_result(rc->sess, RTMP_PUBLISH_OK, "publishing");
    log_info("publish_start", "stream_id=%" PRId64 " peer=%s software=%s", id, rc->conn.peer,
             log_q(sw, sizeof sw, rtmp_session_flash_ver(rc->sess)));
}

static void note_config(rtmp_conn_t *rc, const media_frame_t *f)
{
    const uint8_t *p = (const uint8_t *)f->data->data;
    if (f->kind == MEDIA_VIDEO) {
        avc_config_t cfg;
        avc_sps_t sps;
        if (avc_config_parse(p, f->data->len, &cfg) == AVC_OK && cfg.sps_count > 0 &&
            avc_sps_parse(cfg.sps[0].data, cfg.sps[0].len, &sps) == AVC_OK) {
            rc->has_video = 1;
            snprintf(rc->vcodec, sizeof rc->vcodec, "h264");
            rc->width = (int)sps.width;
            rc->height = (int)sps.height;
            rc->fps = sps.fps_den ? (double)sps.fps_num / sps.fps_den : 0;
        }
    } else {
        aac_config_t cfg;
        if (aac_asc_parse(p, f->data->len, &cfg) == AAC_OK) {
            rc->has_audio = 1;
            snprintf(rc->acodec, sizeof rc->acodec, "aac");
            rc->sample_rate = (int)aac_sample_rate(&cfg);
            rc->channels = (int)aac_channels(&cfg);
        }
    }
}

static void on_media(void *ud, uint8_t type, uint32_t ts, const uint8_t *payload, size_t len)
{
    rtmp_conn_t *rc = ud;
    if (!rc->publishing || (type != 8 && type != 9))
        return; /* metadata: nothing needed from it yet */
    /* One unwrapped 64-bit timeline per connection (32-bit RTMP time wraps). */
    if (!rc->ts_init) {
        rc->ts_init = 1;
        rc->last_abs = ts;
    } else {
        rc->last_abs += (int32_t)(ts - rc->last_ts);
    }
    rc->last_ts = ts;
    media_frame_t *f = NULL;
    int r = flv_to_frame(type, rc->last_abs, payload, len, &f);
    rc->media_bytes += len;
    g_bytes_in += len;
    if (r == FLV_EUNSUPPORTED) {
        if (!rc->unsupported_logged) {
            rc->unsupported_logged = 1;
            g_refused_codec++;
            log_warn("publish_unsupported_codec",
                     "stream_id=%" PRId64 " peer=%s kind=%s detail=\"only H.264 video and AAC "
                     "audio are supported\"",
                     rc->stream_id, rc->conn.peer, type == 9 ? "video" : "audio");
        }
        return;
    }
    if (r != FLV_OK)
        return; /* nothing to pass on (end of sequence), or a malformed tag: skipped */
    f->arrival_ns = rc->read_ns;
    if (f->config)
        note_config(rc, f);
    rc->frames++;
    g_frames_in++;
    hub_push(rc->hub, f);
    media_frame_unref(f);
}

static void on_unpublish(void *ud)
{
    end_publish(ud, "unpublished");
}

static const rtmp_session_cbs_t session_cbs = {on_connect, on_publish, on_media, on_unpublish};

static void on_read(conn_t *c, const char *data, size_t len)
{
    rtmp_conn_t *rc = (rtmp_conn_t *)c;
    rc->read_ns = uv_hrtime();
    conn_set_deadline(c, IDLE_TIMEOUT_MS);
    if (rtmp_session_feed(rc->sess, (const uint8_t *)data, len) != RTMP_OK) {
        g_protocol_errors++;
        char e[160];
        log_warn("rtmp_protocol_error", "conn=%" PRIu64 " peer=%s err=%s", c->id, c->peer,
                 log_q(e, sizeof e, rtmp_session_error(rc->sess)));
        end_publish(rc, "protocol_error");
        flush(rc);
        conn_close(c);
        return;
    }
    flush(rc);
}

static void on_eof(conn_t *c)
{
    end_publish((rtmp_conn_t *)c, "disconnected");
    conn_close(c);
}

static void on_timeout(conn_t *c)
{
    log_info("rtmp_timeout", "conn=%" PRIu64 " peer=%s", c->id, c->peer);
    end_publish((rtmp_conn_t *)c, "timeout");
    conn_close(c);
}

static void on_free(conn_t *c)
{
    rtmp_conn_t *rc = (rtmp_conn_t *)c;
    end_publish(rc, "closed");
    rtmp_session_free(rc->sess);
    g_conns--;
    free(rc);
}

static const conn_ops_t rtmp_conn_ops = {
    .on_read = on_read,
    .on_eof = on_eof,
    .on_timeout = on_timeout,
    .on_free = on_free,
};

static void on_accept(net_listener_t *l)
{
    rtmp_conn_t *rc = xcalloc(1, sizeof *rc);
    if (conn_accept(&rc->conn, (uv_stream_t *)&l->tcp, &rtmp_conn_ops) != 0) {
        free(rc);
        return;
    }
    rc->sess = rtmp_session_new(&session_cbs, rc);
    g_conns++;
    conn_set_deadline(&rc->conn, HANDSHAKE_TIMEOUT_MS);
}

int rtmp_server_start(net_listener_t *l, uv_loop_t *loop, const char *addr,
                      const rtmp_server_opts_t *opts)
{
    g_loop = loop;
    g_opts = *opts;
    return net_listener_start(l, loop, addr, 128, on_accept);
}

static void close_one(conn_t *c, void *ud)
{
    (void)ud;
    if (c->ops == &rtmp_conn_ops)
        conn_close(c);
}

void rtmp_server_close_all(void)
{
    conn_foreach(close_one, NULL);
}

json_t *rtmp_server_ingest_json(int64_t stream_id)
{
    rtmp_conn_t *rc = publisher_of(stream_id);
    if (rc == NULL)
        return NULL;
    /* Bitrate over the last couple of seconds of media. */
    uint64_t now = uv_now(g_loop);
    if (now - rc->rate_mark_ms >= 1000) {
        rc->kbps = (double)(rc->media_bytes - rc->rate_mark_bytes) * 8.0 /
                   (double)(now - rc->rate_mark_ms);
        rc->rate_mark_bytes = rc->media_bytes;
        rc->rate_mark_ms = now;
    }
    json_t *video = rc->has_video ? json_pack("{s:s,s:i,s:i,s:f}", "codec", rc->vcodec, "width",
                                              rc->width, "height", rc->height, "fps", rc->fps)
                                  : json_null();
    json_t *audio = rc->has_audio ? json_pack("{s:s,s:i,s:i}", "codec", rc->acodec, "sample_rate",
                                              rc->sample_rate, "channels", rc->channels)
                                  : json_null();
    return json_pack("{s:b,s:o,s:o,s:I}", "connected", 1, "video", video, "audio", audio,
                     "bitrate_kbps", (json_int_t)(rc->kbps + 0.5));
}

void rtmp_server_stream_stopped(int64_t stream_id)
{
    rtmp_conn_t *rc = publisher_of(stream_id);
    if (rc) {
        end_publish(rc, "stream_stopped");
        conn_close(&rc->conn);
    }
    hub_stream_t *h = hub_find(stream_id);
    if (h)
        hub_end(h);
}

void rtmp_server_metrics(buf_t *out)
{
    size_t publishers = 0;
    for (rtmp_conn_t *p = g_publishers; p; p = p->next_pub)
        publishers++;
    buf_printf(out,
               "# HELP siaran_rtmp_connections_open Open RTMP connections.\n"
               "# TYPE siaran_rtmp_connections_open gauge\n"
               "siaran_rtmp_connections_open %zu\n"
               "# HELP siaran_rtmp_publishers Publishers sending media now.\n"
               "# TYPE siaran_rtmp_publishers gauge\n"
               "siaran_rtmp_publishers %zu\n"
               "# HELP siaran_rtmp_publishes_total Accepted publishes.\n"
               "# TYPE siaran_rtmp_publishes_total counter\n"
               "siaran_rtmp_publishes_total %" PRIu64 "\n"
               "# HELP siaran_rtmp_publish_refused_total Publishes refused, by reason.\n"
               "# TYPE siaran_rtmp_publish_refused_total counter\n"
               "siaran_rtmp_publish_refused_total{reason=\"bad_name\"} %" PRIu64 "\n"
               "siaran_rtmp_publish_refused_total{reason=\"not_live\"} %" PRIu64 "\n"
               "siaran_rtmp_publish_refused_total{reason=\"unsupported_codec\"} %" PRIu64 "\n"
               "# HELP siaran_rtmp_takeovers_total Publishes that replaced a stale publisher.\n"
               "# TYPE siaran_rtmp_takeovers_total counter\n"
               "siaran_rtmp_takeovers_total %" PRIu64 "\n"
               "# HELP siaran_rtmp_protocol_errors_total Connections closed for bad input.\n"
               "# TYPE siaran_rtmp_protocol_errors_total counter\n"
               "siaran_rtmp_protocol_errors_total %" PRIu64 "\n"
               "# HELP siaran_ingest_bytes_total Media bytes received from publishers.\n"
               "# TYPE siaran_ingest_bytes_total counter\n"
               "siaran_ingest_bytes_total %" PRIu64 "\n"
               "# HELP siaran_ingest_frames_total Audio and video frames received.\n"
               "# TYPE siaran_ingest_frames_total counter\n"
               "siaran_ingest_frames_total %" PRIu64 "\n",
               g_conns, publishers, g_publishes, g_refused_bad_name, g_refused_not_live,
               g_refused_codec, g_takeovers, g_protocol_errors, g_bytes_in, g_frames_in);
}
