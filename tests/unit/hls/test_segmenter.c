/*
 * hls/segmenter: cuts at the first keyframe at/after the target, durations
 * that tile the timeline, frames before the first keyframe dropped,
 * audio-only cutting, discontinuities, the size cap, keyframe intervals,
 * and refused frames leaving the state alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "hls/segmenter.h"
#include "media_fixture.h"

static uint8_t g_avcc[512];
static size_t g_avcc_len;
static const uint8_t g_asc[] = {0x12, 0x10};

static int setup(void **state)
{
    (void)state;
    uint8_t sps[256], pps[16];
    size_t sn = fx_sps_640x360(sps), pn = fx_pps(pps);
    g_avcc_len = fx_avcc(sps, sn, pps, pn, 4, g_avcc);
    return 0;
}

typedef struct run {
    hls_segmenter_t s;
    hls_closed_segment_t segs[32];
    int n;
} run_t;

static void take(run_t *r, int rc, const hls_closed_segment_t *c)
{
    assert_true(rc == HLS_SEG_NONE || rc == HLS_SEG_CLOSED);
    if (rc == HLS_SEG_CLOSED) {
        assert_non_null(c->data);
        assert_true(r->n < 32);
        r->segs[r->n++] = *c;
    } else {
        assert_null(c->data);
    }
}

static void push(run_t *r, media_frame_t *f)
{
    hls_closed_segment_t c;
    take(r, hls_segmenter_push(&r->s, f, &c), &c);
    media_frame_unref(f);
}

static void config(run_t *r, int video, int audio)
{
    if (video)
        push(r, media_frame_new(MEDIA_VIDEO, MEDIA_CODEC_H264, 1, 1, 0, 0,
                                rcbuf_new(g_avcc, g_avcc_len)));
    if (audio)
        push(r, media_frame_new(MEDIA_AUDIO, MEDIA_CODEC_AAC, 1, 1, 0, 0,
                                rcbuf_new(g_asc, sizeof g_asc)));
}

static media_frame_t *video(int key, int64_t dts, size_t size)
{
    static uint8_t au[70000], nal[70000];
    size_t n = fx_au_add(au, 0, 4, nal, fx_fake_nal(key ? 5 : 1, size, nal));
    return media_frame_new(MEDIA_VIDEO, MEDIA_CODEC_H264, 0, key, dts, 0, rcbuf_new(au, n));
}

static media_frame_t *audio(int64_t dts)
{
    return media_frame_new(MEDIA_AUDIO, MEDIA_CODEC_AAC, 0, 1, dts, 0, rcbuf_new("\x21\x10", 2));
}

static void finish(run_t *r)
{
    for (int i = 0; i < r->n; i++)
        rcbuf_unref(r->segs[i].data);
    hls_segmenter_free(&r->s);
}

/* The first PES after PAT/PMT is on `pid` with random_access_indicator. */
static void assert_starts_with(const hls_closed_segment_t *c, unsigned pid)
{
    const uint8_t *p = (const uint8_t *)c->data->data + 2 * TS_PACKET_SIZE;
    assert_true(c->data->len > 2 * TS_PACKET_SIZE);
    assert_int_equal(((p[1] & 0x1f) << 8) | p[2], pid);
    assert_true(p[5] & 0x40);
}

static void test_cuts_at_keyframes(void **state)
{
    (void)state;
    run_t r = {0};
    hls_segmenter_init(&r.s, 2000, 0);
    config(&r, 1, 1);
    push(&r, audio(0)); /* before the first keyframe: dropped */
    push(&r, video(0, 5, 100));
    /* 30 fps for 7 s, keyframe every 1.5 s (45 frames), audio every ~23 ms. */
    int64_t next_audio = 23;
    for (int i = 0; i < 210; i++) {
        int64_t t = 10 + i * 100 / 3;
        while (next_audio <= t) {
            push(&r, audio(next_audio));
            next_audio += 23;
        }
        push(&r, video(i % 45 == 0, t, 300));
    }
    assert_int_equal(r.s.frames_dropped, 2);
    assert_int_equal(r.s.max_key_interval, 1500);
    /* keyframes at 10, 1510, 3010, 4510, 6010: cuts where >= 2 s have passed */
    assert_int_equal(r.n, 2);
    assert_int_equal(r.segs[0].start_dts_ms, 10);
    assert_int_equal(r.segs[0].duration_ms, 3000);
    assert_int_equal(r.segs[1].start_dts_ms, 3010);
    assert_int_equal(r.segs[1].duration_ms, 3000);
    hls_closed_segment_t c;
    take(&r, hls_segmenter_flush(&r.s, &c), &c);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.segs[2].start_dts_ms, 6010);
    /* last frame at 10 + 209 * 100 / 3 = 6976, plus one frame interval */
    assert_int_equal(r.segs[2].duration_ms, 6976 + 33 - 6010);
    for (int i = 0; i < r.n; i++) {
        assert_int_equal(r.segs[i].data->len % TS_PACKET_SIZE, 0);
        assert_int_equal(r.segs[i].discontinuity, 0);
        assert_starts_with(&r.segs[i], TS_PID_VIDEO);
    }
    /* Nothing open any more. */
    take(&r, hls_segmenter_flush(&r.s, &c), &c);
    assert_int_equal(r.n, 3);
    finish(&r);
}

static void test_audio_only(void **state)
{
    (void)state;
    run_t r = {0};
    hls_segmenter_init(&r.s, 2000, 0);
    push(&r, audio(0)); /* no config yet: dropped */
    config(&r, 0, 1);
    for (int i = 0; i < 300; i++)
        push(&r, audio(i * 1024 * 1000 / 44100));
    assert_int_equal(r.n, 3);
    for (int i = 0; i < r.n; i++) {
        assert_true(r.segs[i].duration_ms >= 2000 && r.segs[i].duration_ms < 2024);
        assert_starts_with(&r.segs[i], TS_PID_AUDIO);
    }
    assert_int_equal(r.s.frames_dropped, 1);
    finish(&r);
}

static void test_discontinuity(void **state)
{
    (void)state;
    run_t r = {0};
    hls_closed_segment_t c;
    hls_segmenter_init(&r.s, 2000, 0);
    config(&r, 1, 0);
    push(&r, video(1, 0, 100));
    push(&r, video(0, 40, 100));
    take(&r, hls_segmenter_discontinuity(&r.s, &c), &c);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.segs[0].duration_ms, 80);
    assert_int_equal(r.segs[0].discontinuity, 0);
    /* The publisher is back with a new clock: wait for its keyframe. */
    push(&r, video(0, 7, 100));
    push(&r, video(1, 10, 100));
    push(&r, video(1, 2010, 100));
    assert_int_equal(r.n, 2);
    assert_int_equal(r.segs[1].discontinuity, 1);
    assert_int_equal(r.segs[1].start_dts_ms, 10);
    take(&r, hls_segmenter_flush(&r.s, &c), &c);
    assert_int_equal(r.segs[2].discontinuity, 0);
    assert_int_equal(r.s.frames_dropped, 1);
    finish(&r);
}

static void test_clock_jumps(void **state)
{
    (void)state;
    run_t r = {0};
    hls_segmenter_init(&r.s, 2000, 0);
    config(&r, 1, 1);
    push(&r, video(1, 100000, 100));
    push(&r, audio(100010));
    push(&r, video(0, 100040, 100));
    /* The encoder restarted its clock: back to 0. */
    push(&r, video(0, 0, 100));
    assert_int_equal(r.n, 1);
    assert_int_equal(r.segs[0].duration_ms, 80);
    push(&r, video(1, 40, 100));
    /* A leap forward past target + 1 s, on a keyframe: closed, then reopened. */
    push(&r, video(0, 80, 100));
    push(&r, video(1, 3081, 100));
    assert_int_equal(r.n, 2);
    assert_int_equal(r.segs[1].discontinuity, 1);
    assert_int_equal(r.segs[1].start_dts_ms, 40);
    assert_int_equal(r.segs[1].duration_ms, 80);
    hls_closed_segment_t c;
    take(&r, hls_segmenter_flush(&r.s, &c), &c);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.segs[2].discontinuity, 1);
    assert_int_equal(r.segs[2].start_dts_ms, 3081);
    /* Small audio/video skew is not a jump. */
    push(&r, video(1, 5000, 100));
    push(&r, audio(4800));
    push(&r, video(0, 5040, 100));
    take(&r, hls_segmenter_flush(&r.s, &c), &c);
    assert_int_equal(r.n, 4);
    assert_int_equal(r.segs[3].discontinuity, 0);
    finish(&r);
}

static void test_size_cap(void **state)
{
    (void)state;
    run_t r = {0};
    hls_segmenter_init(&r.s, 2000, 20000);
    config(&r, 1, 0);
    push(&r, video(1, 0, 8000));
    push(&r, video(0, 100, 8000));
    assert_int_equal(r.n, 0);
    push(&r, video(0, 200, 8000)); /* past 20000 bytes: closed */
    assert_int_equal(r.n, 1);
    assert_int_equal(r.segs[0].duration_ms, 300);
    push(&r, video(0, 300, 8000)); /* dropped until a keyframe */
    push(&r, video(1, 400, 100));
    assert_int_equal(r.s.frames_dropped, 1);
    hls_closed_segment_t c;
    take(&r, hls_segmenter_flush(&r.s, &c), &c);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.segs[1].start_dts_ms, 400);
    finish(&r);
}

static void test_refused_frames(void **state)
{
    (void)state;
    run_t r = {0};
    hls_closed_segment_t c;
    hls_segmenter_init(&r.s, 1000, 0);
    config(&r, 1, 0);
    push(&r, video(1, 0, 100));
    /* A keyframe past the target whose AU is truncated: refused, no cut. */
    media_frame_t *f = video(1, 1500, 100);
    rcbuf_t *bad = rcbuf_new(f->data->data, 50);
    media_frame_t *g = media_frame_new(MEDIA_VIDEO, MEDIA_CODEC_H264, 0, 1, 1500, 0, bad);
    assert_int_equal(hls_segmenter_push(&r.s, g, &c), TS_EMALFORMED);
    assert_null(c.data);
    assert_int_equal(r.s.state, HLS_SEG_OPEN);
    media_frame_unref(g);
    push(&r, f);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.segs[0].duration_ms, 1500);
    /* A bad config is refused too. */
    g = media_frame_new(MEDIA_VIDEO, MEDIA_CODEC_H264, 1, 1, 0, 0, rcbuf_new("\x01", 1));
    assert_int_equal(hls_segmenter_push(&r.s, g, &c), TS_EMALFORMED);
    media_frame_unref(g);
    finish(&r);
}

static void test_video_joins_audio_only(void **state)
{
    (void)state;
    run_t r = {0};
    hls_segmenter_init(&r.s, 2000, 0);
    config(&r, 0, 1);
    push(&r, audio(0));
    push(&r, audio(23));
    config(&r, 1, 0);
    push(&r, video(0, 30, 100)); /* not in this segment's PMT */
    push(&r, audio(46));
    push(&r, video(1, 60, 100)); /* switch now */
    assert_int_equal(r.n, 1);
    assert_int_equal(r.segs[0].duration_ms, 60);
    push(&r, audio(69));
    hls_closed_segment_t c;
    take(&r, hls_segmenter_flush(&r.s, &c), &c);
    assert_int_equal(r.n, 2);
    assert_starts_with(&r.segs[1], TS_PID_VIDEO);
    assert_int_equal(r.s.frames_dropped, 1);
    finish(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cuts_at_keyframes),
        cmocka_unit_test(test_audio_only),
        cmocka_unit_test(test_discontinuity),
        cmocka_unit_test(test_clock_jumps),
        cmocka_unit_test(test_size_cap),
        cmocka_unit_test(test_refused_frames),
        cmocka_unit_test(test_video_joins_audio_only),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
