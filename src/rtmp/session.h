/*
 * rtmp/session — the server side of one RTMP publishing connection, without
 * a socket: bytes in, bytes to send and events out.
 *
 * Data path: net/conn reads -> rtmp_session_feed -> rtmp/handshake ->
 * rtmp/chunk (demux) -> commands here (rtmp/amf) -> callbacks: on_publish
 * (the caller checks the key), on_media (audio/video/metadata for
 * media/flv and the hub). Everything to send (S0-S2, control messages,
 * command answers) is appended to rtmp_session_out(), which the caller
 * flushes to the socket after each feed or publish_result and then resets.
 *
 * Publisher dialogue (ffmpeg, OBS/librtmp, GStreamer rtmp2):
 *
 *   client                           server
 *   connect(app "live")       ------>  Window Ack Size 2500000, Set Peer
 *                                      Bandwidth 2500000 dynamic, Set Chunk
 *                             <------  Size 4096, _result Connect.Success
 *   releaseStream(name)       ------>  _result
 *   FCPublish(name)           ------>  onFCPublish Publish.Start, _result
 *   createStream              ------>  _result(stream id 1)
 *   publish(name)             ------>  on_publish(name without "?query")
 *                                      rtmp_session_publish_result(OK)
 *                             <------  StreamBegin, onStatus Publish.Start
 *   @setDataFrame, audio, video ---->  on_media
 *   FCUnpublish, deleteStream ------>  on_unpublish
 *   or closeStream
 *
 * Rules: an app other than "live" gets NetConnection.Connect.Rejected and a
 * close. Audio, video and data are ignored until the publish is accepted
 * (and when on another message stream); this is not an error because
 * clients may send them while the answer is pending. A publish name that
 * is empty, longer than RTMP_SESSION_MAX_NAME or holds control bytes gets
 * NetStream.Publish.BadName and a close without reaching on_publish.
 * Unknown commands get _error when their transaction id is not 0; play
 * gets NetStream.Play.StreamNotFound and a close (ingest only).
 * Acknowledgements are sent at the client's window, or at ours (2500000)
 * if it announced none; their sequence numbers count the bytes after the
 * handshake. Anything malformed moves the session to an error state: feed
 * returns RTMP_ERROR and rtmp_session_error() says why.
 *
 * Ownership: the session owns its buffers and the strings its accessors
 * return (valid until the session is freed; the stream name until the next
 * publish). Payloads passed to on_media are valid during the callback only.
 * Callbacks must not free the session or feed it; they may call
 * rtmp_session_publish_result.
 */
#ifndef SIARAN_RTMP_SESSION_H
#define SIARAN_RTMP_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "rtmp/chunk.h"

#define RTMP_SESSION_APP        "live"
#define RTMP_SESSION_WINDOW     2500000u
#define RTMP_SESSION_CHUNK_SIZE 4096u
#define RTMP_SESSION_MAX_NAME   255

enum rtmp_publish_result {
    RTMP_PUBLISH_OK,
    RTMP_PUBLISH_BADNAME,  /* wrong key: NetStream.Publish.BadName, then close */
    RTMP_PUBLISH_REJECTED, /* e.g. stream not live: NetStream.Publish.Rejected, then close */
};

typedef struct rtmp_session_cbs {
    /* After connect, whatever the app (informational; strings "" if absent). */
    void (*on_connect)(void *ud, const char *app, const char *tc_url, const char *flash_ver);
    /* A publish to answer with rtmp_session_publish_result, now or later. */
    void (*on_publish)(void *ud, const char *stream_name);
    /* type: 8 audio, 9 video, 18 data (AMF0: "onMetaData" + object, with
       @setDataFrame removed); the FLV tag body, timestamp in ms (32-bit). */
    void (*on_media)(void *ud, uint8_t type, uint32_t timestamp, const uint8_t *payload,
                     size_t len);
    /* The client stopped a publish that was accepted or is still unanswered;
       at most once per on_publish. Not called after BadName/Rejected (the
       session closes) nor when the connection just drops. */
    void (*on_unpublish)(void *ud);
} rtmp_session_cbs_t;

typedef struct rtmp_session rtmp_session_t;

/* cbs is copied; any callback may be NULL. */
rtmp_session_t *rtmp_session_new(const rtmp_session_cbs_t *cbs, void *ud);
void rtmp_session_free(rtmp_session_t *s);

/*
 * Processes received bytes; appends what to send to rtmp_session_out().
 * Returns RTMP_OK or RTMP_ERROR (malformed input; see rtmp_session_error;
 * later calls fail too). After a close was requested, input is ignored.
 */
int rtmp_session_feed(rtmp_session_t *s, const uint8_t *data, size_t len)
    __attribute__((warn_unused_result));

/* Bytes to send; the caller takes them and resets (or consumes) the buffer. */
buf_t *rtmp_session_out(rtmp_session_t *s);

/*
 * Answers the pending on_publish; description (may be NULL) goes into the
 * onStatus. Ignored if no publish is pending (e.g. the client already
 * unpublished). Flush rtmp_session_out() afterwards.
 */
void rtmp_session_publish_result(rtmp_session_t *s, enum rtmp_publish_result r,
                                 const char *description);

/* 1 once the session wants the connection closed after a flush. */
int rtmp_session_close_requested(const rtmp_session_t *s);
/* 1 while a publish is accepted and media flows. */
int rtmp_session_publishing(const rtmp_session_t *s);
/* The reason of the error state, or NULL. */
const char *rtmp_session_error(const rtmp_session_t *s);

/* From connect and publish; "" until known. */
const char *rtmp_session_app(const rtmp_session_t *s);
const char *rtmp_session_tc_url(const rtmp_session_t *s);
const char *rtmp_session_flash_ver(const rtmp_session_t *s);
const char *rtmp_session_stream_name(const rtmp_session_t *s);

#endif
