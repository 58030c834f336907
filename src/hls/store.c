/* hls/store — see store.h. */
#include "hls/store.h"

#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/log.h"
#include "hls/playlist.h"

hls_store_t *hls_store_new(int64_t stream_id, int window, int segment_seconds)
{
    hls_store_t *s = xcalloc(1, sizeof *s);
    s->stream_id = stream_id;
    s->epoch = randombytes_random() & 0x7fffffff;
    s->window = window;
    s->min_target = segment_seconds;
    s->cap = window + HLS_KEEP_EXTRA;
    s->ring = xcalloc((size_t)s->cap, sizeof *s->ring);
    return s;
}

void hls_store_free(hls_store_t *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < s->count; i++)
        rcbuf_unref(s->ring[(s->head + i) % s->cap].data);
    free(s->ring);
    rcbuf_unref(s->playlist);
    free(s);
}

static const hls_segment_t *at(const hls_store_t *s, int i)
{
    return &s->ring[(s->head + i) % s->cap];
}

rcbuf_t *hls_store_render(const hls_store_t *s)
{
    int listed = s->count < s->window ? s->count : s->window;
    int first = s->count - listed;
    hls_playlist_segment_t segs[HLS_MAX_WINDOW];
    char uris[HLS_MAX_WINDOW][40];
    /* Discontinuities before the window, counted from those still in the ring too. */
    uint64_t disc = s->disc_seq;
    for (int i = 0; i < first; i++)
        disc += at(s, i)->discontinuity != 0;
    for (int i = 0; i < listed; i++) {
        const hls_segment_t *g = at(s, first + i);
        snprintf(uris[i], sizeof uris[i], "%u-%llu.ts", s->epoch, (unsigned long long)g->seq);
        segs[i] = (hls_playlist_segment_t){g->seq, (double)g->duration_ms / 1000.0,
                                           g->discontinuity && i > 0, g->pdt_ms, uris[i]};
    }
    hls_playlist_t pl = {s->target_s, listed ? at(s, first)->seq : s->next_seq,
                         disc,        s->ended,
                         segs,        (size_t)listed};
    buf_t b = BUF_INIT;
    if (hls_playlist_render(&pl, &b) != HLS_PLAYLIST_OK)
        log_warn("hls_playlist_invalid", "stream_id=%lld", (long long)s->stream_id);
    rcbuf_t *r = rcbuf_from_buf(&b);
    buf_free(&b);
    return r;
}

static void publish(hls_store_t *s)
{
    rcbuf_unref(s->playlist);
    s->playlist = hls_store_render(s);
}

void hls_store_add(hls_store_t *s, rcbuf_t *data, int64_t duration_ms, int64_t pdt_ms,
                   int discontinuity)
{
    if (s->count == s->cap) {
        hls_segment_t *old = &s->ring[s->head];
        s->disc_seq += old->discontinuity != 0;
        s->bytes -= old->data->len;
        rcbuf_unref(old->data);
        s->head = (s->head + 1) % s->cap;
        s->count--;
    }
    hls_segment_t *g = &s->ring[(s->head + s->count) % s->cap];
    *g = (hls_segment_t){s->next_seq++, duration_ms, pdt_ms, discontinuity && s->count > 0, data};
    s->count++;
    s->bytes += data->len;
    /* Fixed once: the configured length, or the first segment's (a longer GOP). */
    int rounded = (int)((duration_ms + 500) / 1000);
    if (s->target_s == 0) {
        s->target_s = rounded > s->min_target ? rounded : s->min_target;
    } else if (rounded > s->target_s) {
        /* A keyframe came later than any before: the target must cover every
         * EXTINF, and a grown target is better than a playlist players reject. */
        log_warn("hls_target_duration_raised", "stream_id=%lld from=%d to=%d",
                 (long long)s->stream_id, s->target_s, rounded);
        s->target_s = rounded;
    }
    publish(s);
}

void hls_store_end(hls_store_t *s)
{
    if (s->ended)
        return;
    s->ended = 1;
    if (s->playlist)
        publish(s);
}

const hls_segment_t *hls_store_segment(const hls_store_t *s, uint64_t seq)
{
    for (int i = 0; i < s->count; i++)
        if (at(s, i)->seq == seq)
            return at(s, i);
    return NULL;
}
