/*
 * hub/hub: registry, fan-out of one frame pointer to every reader, config
 * frames replayed to late readers, lifecycle events, detach during a call.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "hub/hub.h"

struct rec {
    hub_reader_t r;
    media_frame_t *frames[16];
    int nframes;
    int events[8];
    int nevents;
    int closed;
    int detach_on_frame;
};

static void on_frame(hub_reader_t *r, media_frame_t *f)
{
    struct rec *x = r->data;
    x->frames[x->nframes++] = media_frame_ref(f);
    if (x->detach_on_frame)
        hub_detach(r);
}

static void on_event(hub_reader_t *r, enum hub_event ev)
{
    struct rec *x = r->data;
    x->events[x->nevents++] = ev;
}

static void on_close(hub_reader_t *r)
{
    ((struct rec *)r->data)->closed = 1;
}

static const hub_reader_ops_t ops = {on_frame, on_event, on_close};

static void drop(struct rec *x)
{
    for (int i = 0; i < x->nframes; i++)
        media_frame_unref(x->frames[i]);
}

static media_frame_t *frame(int kind, int config, int64_t dts)
{
    return media_frame_new(kind, kind == MEDIA_VIDEO ? MEDIA_CODEC_H264 : MEDIA_CODEC_AAC, config,
                           1, dts, 0, rcbuf_new("abc", 3));
}

static void test_fanout_shares_frames(void **state)
{
    (void)state;
    hub_stream_t *s = hub_open(7);
    assert_ptr_equal(hub_open(7), s);
    assert_ptr_equal(hub_find(7), s);
    assert_null(hub_find(8));
    struct rec a = {0}, b = {0};
    hub_attach(s, &a.r, &ops, &a);
    hub_attach(s, &b.r, &ops, &b);
    hub_publish_start(s);
    media_frame_t *f = frame(MEDIA_VIDEO, 0, 40);
    hub_push(s, f);
    assert_int_equal(a.nframes, 1);
    assert_int_equal(b.nframes, 1);
    assert_ptr_equal(a.frames[0], f); /* the same frame, no copy */
    assert_ptr_equal(b.frames[0], f);
    assert_int_equal(f->refs, 3);
    media_frame_unref(f);
    assert_int_equal(a.events[0], HUB_PUBLISH_START);
    assert_int_equal(s->publishes, 1);
    hub_free(s);
    assert_true(a.closed && b.closed);
    drop(&a);
    drop(&b);
    assert_int_equal(hub_count(), 0);
}

static void test_late_reader_gets_config(void **state)
{
    (void)state;
    hub_stream_t *s = hub_open(1);
    media_frame_t *vc = frame(MEDIA_VIDEO, 1, 0), *ac = frame(MEDIA_AUDIO, 1, 0);
    hub_push(s, vc);
    hub_push(s, ac);
    media_frame_t *v2 = frame(MEDIA_VIDEO, 1, 0); /* a newer sequence header replaces */
    hub_push(s, v2);
    struct rec late = {0};
    hub_attach(s, &late.r, &ops, &late);
    assert_int_equal(late.nframes, 2);
    assert_ptr_equal(late.frames[0], v2);
    assert_ptr_equal(late.frames[1], ac);
    media_frame_unref(vc);
    media_frame_unref(ac);
    media_frame_unref(v2);
    hub_end(s);
    assert_null(s->video_config);
    assert_int_equal(late.events[late.nevents - 1], HUB_STREAM_END);
    hub_detach(&late.r);
    hub_free(s);
    assert_false(late.closed);
    drop(&late);
}

static void test_detach_during_fanout(void **state)
{
    (void)state;
    hub_stream_t *s = hub_open(2);
    struct rec a = {0}, b = {0};
    a.detach_on_frame = 1;
    hub_attach(s, &a.r, &ops, &a);
    hub_attach(s, &b.r, &ops, &b);
    media_frame_t *f = frame(MEDIA_AUDIO, 0, 10);
    hub_push(s, f);
    hub_push(s, f);
    assert_int_equal(a.nframes, 1);
    assert_int_equal(b.nframes, 2);
    media_frame_unref(f);
    hub_publish_stop(s); /* not publishing: no event */
    assert_int_equal(b.nevents, 0);
    hub_close_all();
    assert_true(b.closed);
    drop(&a);
    drop(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fanout_shares_frames),
        cmocka_unit_test(test_late_reader_gets_config),
        cmocka_unit_test(test_detach_during_fanout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
