/*
 * rtmp/server — RTMP ingest on the event loop: the listener, one
 * rtmp_session per connection, and the publishing rules of API.md.
 *
 * Owns each RTMP connection (net/conn + rtmp/session) and the registry of
 * publishers by stream id. Wiring: bytes → rtmp_session_feed → on_publish:
 * the stream name is the stream key, looked up in the store (constant-time
 * compare of the key); wrong key → BadName, stream not live → Rejected;
 * accepted → the stream's hub starts a publish and the HLS packager is
 * attached. A new publisher with the right key while another one still
 * looks connected (OBS reconnecting) takes over at once: the stale one is
 * closed. on_media → media/flv → media_frame_t → hub_push. Stopping a
 * stream through the API disconnects its publisher and ends the hub.
 *
 * Timeouts: the handshake and connect must finish in 10 s; a connection
 * that sends nothing for 30 s is closed (a publisher sends continuously).
 */
#ifndef SIARAN_RTMP_SERVER_H
#define SIARAN_RTMP_SERVER_H

#include <jansson.h>
#include <stdint.h>
#include <uv.h>

#include "core/buf.h"
#include "net/listen.h"
#include "store/db.h"

typedef struct rtmp_server_opts {
    store_t *store;
} rtmp_server_opts_t;

int rtmp_server_start(net_listener_t *l, uv_loop_t *loop, const char *addr,
                      const rtmp_server_opts_t *opts) __attribute__((warn_unused_result));
/* Closes every RTMP connection (shutdown). */
void rtmp_server_close_all(void);

/* API hooks */
json_t *rtmp_server_ingest_json(int64_t stream_id); /* NULL when no publisher */
void rtmp_server_stream_stopped(int64_t stream_id);
void rtmp_server_metrics(buf_t *out);

#endif
