/*
 * hub/hub — the per-stream fan-out point between ingest and readers.
 *
 * Owns the registry of live streams (stream id → hub_stream_t) and, per
 * stream, the list of readers and the codec configuration frames in force.
 * The hub knows no codec and no protocol: a publisher (RTMP session) pushes
 * media_frame_t's in, and every reader (HLS packager today; recording,
 * RTMP/HTTP-FLV playback later) gets the same frame pointer synchronously
 * and takes its own reference if it keeps it — one allocation per frame,
 * never a copy per reader. A reader attached mid-stream first receives the
 * current configuration frames, so it can start at the next keyframe.
 *
 * Lifecycle events tell readers when a publisher starts (with a flag when
 * it is a reconnect: a discontinuity), stops (dropped, stream still live),
 * and when the stream ends (owner stopped it). Loop thread only.
 */
#ifndef SIARAN_HUB_HUB_H
#define SIARAN_HUB_HUB_H

#include <stddef.h>
#include <stdint.h>

#include "media/frame.h"

typedef struct hub_stream hub_stream_t;
typedef struct hub_reader hub_reader_t;

enum hub_event {
    HUB_PUBLISH_START = 1, /* a publisher began; hub_stream_t.reconnects tells if it is again */
    HUB_PUBLISH_STOP = 2,  /* the publisher went away; the stream may resume */
    HUB_STREAM_END = 3,    /* the stream ended (stopped by its owner) */
};

typedef struct hub_reader_ops {
    void (*on_frame)(hub_reader_t *r, media_frame_t *f);
    void (*on_event)(hub_reader_t *r, enum hub_event ev);
    /* The stream is being freed: detach (the reader must not call the hub for it again). */
    void (*on_close)(hub_reader_t *r);
} hub_reader_ops_t;

struct hub_reader {
    const hub_reader_ops_t *ops;
    hub_stream_t *stream;
    hub_reader_t *next;
    void *data;
};

struct hub_stream {
    int64_t id;
    hub_reader_t *readers;
    media_frame_t *video_config, *audio_config; /* latest sequence headers, or NULL */
    int publishing;
    unsigned publishes; /* how many publish sessions this stream has seen */
    int64_t last_dts;   /* of the last frame, ms */
    uint64_t frames_in, bytes_in;
    hub_stream_t *next;
};

/* Finds the stream's hub, or NULL. */
hub_stream_t *hub_find(int64_t stream_id);
/* Finds or creates it. */
hub_stream_t *hub_open(int64_t stream_id);
/* Frees every stream (readers get on_close). */
void hub_close_all(void);
size_t hub_count(void);

void hub_attach(hub_stream_t *s, hub_reader_t *r, const hub_reader_ops_t *ops, void *data);
void hub_detach(hub_reader_t *r);

void hub_publish_start(hub_stream_t *s);
/* Fans f out to every reader; configuration frames are also kept for later readers. */
void hub_push(hub_stream_t *s, media_frame_t *f);
void hub_publish_stop(hub_stream_t *s);
void hub_end(hub_stream_t *s);
/* Removes the stream from the registry and frees it (readers get on_close). */
void hub_free(hub_stream_t *s);

#endif
