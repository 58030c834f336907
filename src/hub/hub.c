/* hub/hub — see hub.h. */
#include "hub/hub.h"

#include <stdlib.h>

#include "core/buf.h"

static hub_stream_t *g_streams;
static size_t g_count;

hub_stream_t *hub_find(int64_t stream_id)
{
    for (hub_stream_t *s = g_streams; s; s = s->next)
        if (s->id == stream_id)
            return s;
    return NULL;
}

hub_stream_t *hub_open(int64_t stream_id)
{
    hub_stream_t *s = hub_find(stream_id);
    if (s)
        return s;
    s = xcalloc(1, sizeof *s);
    s->id = stream_id;
    s->next = g_streams;
    g_streams = s;
    g_count++;
    return s;
}

size_t hub_count(void)
{
    return g_count;
}

void hub_attach(hub_stream_t *s, hub_reader_t *r, const hub_reader_ops_t *ops, void *data)
{
    r->ops = ops;
    r->stream = s;
    r->data = data;
    r->next = s->readers;
    s->readers = r;
    if (s->video_config)
        ops->on_frame(r, s->video_config);
    if (s->audio_config)
        ops->on_frame(r, s->audio_config);
}

void hub_detach(hub_reader_t *r)
{
    hub_stream_t *s = r->stream;
    if (s == NULL)
        return;
    for (hub_reader_t **p = &s->readers; *p; p = &(*p)->next) {
        if (*p == r) {
            *p = r->next;
            break;
        }
    }
    r->stream = NULL;
    r->next = NULL;
}

/* Calls fn on every reader; a reader may detach itself during its call. */
static void each_event(hub_stream_t *s, enum hub_event ev)
{
    hub_reader_t *r = s->readers;
    while (r) {
        hub_reader_t *next = r->next;
        r->ops->on_event(r, ev);
        r = next;
    }
}

void hub_publish_start(hub_stream_t *s)
{
    s->publishing = 1;
    s->publishes++;
    each_event(s, HUB_PUBLISH_START);
}

void hub_push(hub_stream_t *s, media_frame_t *f)
{
    if (f->config) {
        media_frame_t **slot = f->kind == MEDIA_VIDEO ? &s->video_config : &s->audio_config;
        media_frame_unref(*slot);
        *slot = media_frame_ref(f);
    }
    s->frames_in++;
    s->bytes_in += f->data ? f->data->len : 0;
    s->last_dts = f->dts;
    hub_reader_t *r = s->readers;
    while (r) {
        hub_reader_t *next = r->next;
        r->ops->on_frame(r, f);
        r = next;
    }
}

void hub_publish_stop(hub_stream_t *s)
{
    if (!s->publishing)
        return;
    s->publishing = 0;
    each_event(s, HUB_PUBLISH_STOP);
}

void hub_end(hub_stream_t *s)
{
    hub_publish_stop(s);
    each_event(s, HUB_STREAM_END);
    /* A new publish session starts from fresh codec configuration. */
    media_frame_unref(s->video_config);
    media_frame_unref(s->audio_config);
    s->video_config = s->audio_config = NULL;
}

void hub_free(hub_stream_t *s)
{
    for (hub_stream_t **p = &g_streams; *p; p = &(*p)->next) {
        if (*p == s) {
            *p = s->next;
            g_count--;
            break;
        }
    }
    while (s->readers) {
        hub_reader_t *r = s->readers;
        s->readers = r->next;
        r->stream = NULL;
        r->next = NULL;
        if (r->ops->on_close)
            r->ops->on_close(r);
    }
    media_frame_unref(s->video_config);
    media_frame_unref(s->audio_config);
    free(s);
}

void hub_close_all(void)
{
    while (g_streams)
        hub_free(g_streams);
}
