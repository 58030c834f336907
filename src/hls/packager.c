/* hls/packager — see packager.h. */
#include "hls/packager.h"

#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include "core/log.h"
#include "hls/segmenter.h"

typedef struct hls_packager {
    hub_reader_t reader;
    int64_t stream_id;
    hls_segmenter_t seg;
    hls_store_t *store;
    int64_t next_pdt_ms; /* wall-clock continuation of the previous segment; 0 = none */
    uint64_t ended_at;   /* uv_now() when the stream ended; 0 while going */
    struct hls_packager *next;
} hls_packager_t;

static uv_loop_t *g_loop;
static hls_packager_opts_t g_opts;
static hls_packager_t *g_list;
static uv_timer_t g_sweep;
static uint64_t g_segments, g_segment_bytes, g_frames_refused;
/* From reading the keyframe that closes a segment to the new playlist in place. */
static uint64_t g_delay_count, g_delay_sum_ns, g_delay_max_ns;

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Hands a closed segment to the store; its wall-clock time runs on from the
 * previous one, or (first, or after a discontinuity) from now. */
static void take(hls_packager_t *p, int rc, hls_closed_segment_t *c)
{
    if (rc != HLS_SEG_CLOSED)
        return;
    int64_t pdt =
        c->discontinuity || p->next_pdt_ms == 0 ? wall_ms() - c->duration_ms : p->next_pdt_ms;
    size_t bytes = c->data->len;
    hls_store_add(p->store, c->data, c->duration_ms, pdt, c->discontinuity);
    p->next_pdt_ms = pdt + c->duration_ms;
    g_segments++;
    g_segment_bytes += bytes;
    log_debug("hls_segment", "stream_id=%" PRId64 " seq=%" PRIu64 " ms=%" PRId64 " bytes=%zu",
              p->stream_id, p->store->next_seq - 1, c->duration_ms, bytes);
}

static void on_frame(hub_reader_t *r, media_frame_t *f)
{
    hls_packager_t *p = r->data;
    if (p->store->ended && !f->config)
        return;
    hls_closed_segment_t c;
    int rc = hls_segmenter_push(&p->seg, f, &c);
    if (rc < 0) {
        g_frames_refused++;
        log_debug("hls_frame_refused", "stream_id=%" PRId64 " err=%s", p->stream_id,
                  ts_strerror(rc));
        return;
    }
    take(p, rc, &c);
    if (rc == HLS_SEG_CLOSED && f->arrival_ns) {
        uint64_t d = uv_hrtime() - f->arrival_ns;
        g_delay_count++;
        g_delay_sum_ns += d;
        if (d > g_delay_max_ns)
            g_delay_max_ns = d;
    }
}

static void on_event(hub_reader_t *r, enum hub_event ev)
{
    hls_packager_t *p = r->data;
    hls_closed_segment_t c;
    switch (ev) {
    case HUB_PUBLISH_START:
        if (p->store->ended) {
            /* The stream went live again: a new playlist with a new epoch. */
            hls_store_free(p->store);
            p->store = hls_store_new(p->stream_id, g_opts.window, g_opts.segment_seconds);
            hls_segmenter_free(&p->seg);
            hls_segmenter_init(&p->seg, (int64_t)g_opts.segment_seconds * 1000,
                               HLS_MAX_SEGMENT_BYTES);
            p->ended_at = 0;
            p->next_pdt_ms = 0;
        } else if (p->store->next_seq > 0) {
            take(p, hls_segmenter_discontinuity(&p->seg, &c), &c);
        }
        /* a new publisher brings its own codec configuration; CCs run on */
        ts_mux_reset_config(&p->seg.mux);
        break;
    case HUB_PUBLISH_STOP:
        take(p, hls_segmenter_flush(&p->seg, &c), &c);
        break;
    case HUB_STREAM_END:
        take(p, hls_segmenter_flush(&p->seg, &c), &c);
        hls_store_end(p->store);
        p->ended_at = uv_now(g_loop);
        break;
    }
}

static void packager_free(hls_packager_t *p)
{
    hub_detach(&p->reader);
    hls_segmenter_free(&p->seg);
    hls_store_free(p->store);
    free(p);
}

static void unlink_packager(hls_packager_t *p)
{
    for (hls_packager_t **q = &g_list; *q; q = &(*q)->next) {
        if (*q == p) {
            *q = p->next;
            return;
        }
    }
}

static void on_close(hub_reader_t *r)
{
    hls_packager_t *p = r->data;
    unlink_packager(p);
    packager_free(p);
}

static const hub_reader_ops_t packager_ops = {on_frame, on_event, on_close};

static void on_sweep(uv_timer_t *t)
{
    uint64_t now = uv_now(t->loop);
    hls_packager_t *p = g_list;
    while (p) {
        hls_packager_t *next = p->next;
        if (p->ended_at && now - p->ended_at >= g_opts.release_after_ms) {
            log_info("hls_released", "stream_id=%" PRId64, p->stream_id);
            hub_stream_t *s = p->reader.stream;
            unlink_packager(p);
            packager_free(p);
            if (s && s->readers == NULL && !s->publishing)
                hub_free(s);
        }
        p = next;
    }
}

void hls_packager_module_init(uv_loop_t *loop, const hls_packager_opts_t *opts)
{
    g_loop = loop;
    g_opts = *opts;
    uv_timer_init(loop, &g_sweep);
    uint64_t every = opts->release_after_ms < 10000 ? 250 : 5000;
    uv_timer_start(&g_sweep, on_sweep, every, every);
    uv_unref((uv_handle_t *)&g_sweep);
}

void hls_packager_module_close(void)
{
    while (g_list) {
        hls_packager_t *p = g_list;
        g_list = p->next;
        packager_free(p);
    }
    if (g_loop) {
        uv_timer_stop(&g_sweep);
        uv_close((uv_handle_t *)&g_sweep, NULL);
        g_loop = NULL;
    }
}

static hls_packager_t *find(int64_t id)
{
    for (hls_packager_t *p = g_list; p; p = p->next)
        if (p->stream_id == id)
            return p;
    return NULL;
}

void hls_packager_ensure(hub_stream_t *s)
{
    if (find(s->id))
        return;
    hls_packager_t *p = xcalloc(1, sizeof *p);
    p->stream_id = s->id;
    hls_segmenter_init(&p->seg, (int64_t)g_opts.segment_seconds * 1000, HLS_MAX_SEGMENT_BYTES);
    p->store = hls_store_new(s->id, g_opts.window, g_opts.segment_seconds);
    p->next = g_list;
    g_list = p;
    hub_attach(s, &p->reader, &packager_ops, p);
}

hls_store_t *hls_packager_store(int64_t stream_id)
{
    hls_packager_t *p = find(stream_id);
    return p ? p->store : NULL;
}

void hls_packager_metrics(buf_t *out)
{
    size_t streams = 0;
    uint64_t held = 0;
    for (hls_packager_t *p = g_list; p; p = p->next) {
        streams++;
        held += p->store->bytes + p->seg.cur.cap;
    }
    buf_printf(out,
               "# HELP siaran_hls_segments_total HLS segments made.\n"
               "# TYPE siaran_hls_segments_total counter\n"
               "siaran_hls_segments_total %" PRIu64 "\n"
               "# HELP siaran_hls_segment_bytes_total Bytes of HLS segments made.\n"
               "# TYPE siaran_hls_segment_bytes_total counter\n"
               "siaran_hls_segment_bytes_total %" PRIu64 "\n"
               "# HELP siaran_hls_frames_refused_total Frames the TS muxer could not take.\n"
               "# TYPE siaran_hls_frames_refused_total counter\n"
               "siaran_hls_frames_refused_total %" PRIu64 "\n"
               "# HELP siaran_hls_playlist_delay_seconds From reading the keyframe that closes "
               "a segment to the playlist naming it.\n"
               "# TYPE siaran_hls_playlist_delay_seconds summary\n"
               "siaran_hls_playlist_delay_seconds_sum %.6f\n"
               "siaran_hls_playlist_delay_seconds_count %" PRIu64 "\n"
               "siaran_hls_playlist_delay_seconds_max %.6f\n"
               "# HELP siaran_hls_streams Streams with HLS held in memory.\n"
               "# TYPE siaran_hls_streams gauge\n"
               "siaran_hls_streams %zu\n"
               "# HELP siaran_hls_memory_bytes Bytes held by HLS segments and buffers.\n"
               "# TYPE siaran_hls_memory_bytes gauge\n"
               "siaran_hls_memory_bytes %" PRIu64 "\n",
               g_segments, g_segment_bytes, g_frames_refused, (double)g_delay_sum_ns / 1e9,
               g_delay_count, (double)g_delay_max_ns / 1e9, streams, held);
}
