/*
 * hls/playlist: golden playlist text (live window, discontinuities,
 * program date-time, ENDLIST), the RFC 8216 checks it refuses on, the
 * ISO-8601 clock, and the target-duration choice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "hls/playlist.h"

static void test_golden_live_window(void **state)
{
    (void)state;
    const hls_playlist_segment_t segs[] = {
        {41, 2.0, 0, 1714557600000, "7-41.ts"},
        {42, 2.0333, 0, 1714557602000, "7-42.ts"},
        {43, 1.9666, 1, 1714557609500, "7-43.ts"},
        {44, 2.0, 0, 1714557611467, "7-44.ts"},
    };
    hls_playlist_t p = {2, 41, 1, 0, segs, 4};
    buf_t out = BUF_INIT;
    assert_int_equal(hls_playlist_render(&p, &out), HLS_PLAYLIST_OK);
    assert_string_equal(out.data, "#EXTM3U\n"
                                  "#EXT-X-VERSION:3\n"
                                  "#EXT-X-TARGETDURATION:2\n"
                                  "#EXT-X-MEDIA-SEQUENCE:41\n"
                                  "#EXT-X-DISCONTINUITY-SEQUENCE:1\n"
                                  "#EXT-X-PROGRAM-DATE-TIME:2024-05-01T10:00:00.000Z\n"
                                  "#EXTINF:2.000,\n"
                                  "7-41.ts\n"
                                  "#EXTINF:2.033,\n"
                                  "7-42.ts\n"
                                  "#EXT-X-DISCONTINUITY\n"
                                  "#EXT-X-PROGRAM-DATE-TIME:2024-05-01T10:00:09.500Z\n"
                                  "#EXTINF:1.967,\n"
                                  "7-43.ts\n"
                                  "#EXTINF:2.000,\n"
                                  "7-44.ts\n");
    buf_free(&out);
}

static void test_golden_ended_no_clock(void **state)
{
    (void)state;
    const hls_playlist_segment_t segs[] = {
        {0, 4.5, 0, 0, "a.ts"},
        {1, 0.021, 0, 0, "b.ts"},
    };
    hls_playlist_t p = {5, 0, 0, 1, segs, 2};
    buf_t out = BUF_INIT;
    buf_puts(&out, ">"); /* appends */
    assert_int_equal(hls_playlist_render(&p, &out), HLS_PLAYLIST_OK);
    assert_string_equal(out.data, ">#EXTM3U\n"
                                  "#EXT-X-VERSION:3\n"
                                  "#EXT-X-TARGETDURATION:5\n"
                                  "#EXT-X-MEDIA-SEQUENCE:0\n"
                                  "#EXTINF:4.500,\n"
                                  "a.ts\n"
                                  "#EXTINF:0.021,\n"
                                  "b.ts\n"
                                  "#EXT-X-ENDLIST\n");
    buf_free(&out);

    /* No segment yet: just the header. */
    hls_playlist_t empty = {6, 12, 0, 0, NULL, 0};
    assert_int_equal(hls_playlist_render(&empty, &out), HLS_PLAYLIST_OK);
    assert_string_equal(out.data, "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n"
                                  "#EXT-X-MEDIA-SEQUENCE:12\n");
    buf_free(&out);
}

static void test_refuses(void **state)
{
    (void)state;
    buf_t out = BUF_INIT;
    buf_puts(&out, "kept");
    hls_playlist_segment_t segs[] = {{5, 2.0, 0, 0, "a.ts"}, {6, 2.5, 0, 0, "b.ts"}};
    hls_playlist_t p = {2, 5, 0, 0, segs, 2};
    /* 2.5 rounds to 3 > 2: a target duration that lies. */
    assert_int_equal(hls_playlist_render(&p, &out), HLS_PLAYLIST_EINVAL);
    /* 2.4996 prints as 2.500, which players round to 3. */
    segs[1].duration = 2.4996;
    assert_int_equal(hls_playlist_render(&p, &out), HLS_PLAYLIST_EINVAL);
    segs[1].duration = 2.4994;
    p.ended = 1;
    segs[1].seq = 7; /* a gap in sequence numbers */
    assert_int_equal(hls_playlist_render(&p, &out), HLS_PLAYLIST_EINVAL);
    segs[1].seq = 6;
    segs[1].uri = NULL;
    assert_int_equal(hls_playlist_render(&p, &out), HLS_PLAYLIST_EINVAL);
    segs[1].uri = "b.ts";
    segs[1].duration = -1;
    assert_int_equal(hls_playlist_render(&p, &out), HLS_PLAYLIST_EINVAL);
    segs[1].duration = 2.4994;
    p.target_duration = 0;
    assert_int_equal(hls_playlist_render(&p, &out), HLS_PLAYLIST_EINVAL);
    assert_string_equal(out.data, "kept");
    p.target_duration = 2;
    assert_int_equal(hls_playlist_render(&p, &out), HLS_PLAYLIST_OK);
    assert_non_null(strstr(out.data, "#EXTINF:2.499,\nb.ts\n#EXT-X-ENDLIST\n"));
    buf_free(&out);
}

static void test_format_time(void **state)
{
    (void)state;
    char t[32];
    hls_playlist_format_time(0, t);
    assert_string_equal(t, "1970-01-01T00:00:00.000Z");
    hls_playlist_format_time(1700000000123, t);
    assert_string_equal(t, "2023-11-14T22:13:20.123Z");
    hls_playlist_format_time(951782400999, t); /* leap day */
    assert_string_equal(t, "2000-02-29T00:00:00.999Z");
    hls_playlist_format_time(-1, t);
    assert_string_equal(t, "1969-12-31T23:59:59.999Z");
}

static void test_target_duration(void **state)
{
    (void)state;
    /* configured 2 s */
    assert_int_equal(hls_playlist_target_duration(2, 1), 2); /* 30-frame GOP at 30 fps */
    assert_int_equal(hls_playlist_target_duration(2, 2), 2); /* OBS default */
    assert_int_equal(hls_playlist_target_duration(2, 0.5), 2);
    assert_int_equal(hls_playlist_target_duration(2, 2.002), 2); /* 29.97 fps, 60-frame GOP */
    assert_int_equal(hls_playlist_target_duration(2, 0.999), 3); /* cut lands at 2.997 */
    assert_int_equal(hls_playlist_target_duration(2, 1.001), 2); /* cut lands at 2.002 */
    assert_int_equal(hls_playlist_target_duration(2, 2.6), 3);
    assert_int_equal(hls_playlist_target_duration(2, 5), 5); /* long GOP wins */
    assert_int_equal(hls_playlist_target_duration(2, 0), 2); /* audio only / unknown */
    assert_int_equal(hls_playlist_target_duration(6, 4), 8);
    assert_int_equal(hls_playlist_target_duration(1, 0), 1);
    assert_int_equal(hls_playlist_target_duration(0, 0), 1);
    assert_int_equal(hls_playlist_target_duration(2, 100000), 3600);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_live_window),
        cmocka_unit_test(test_golden_ended_no_clock),
        cmocka_unit_test(test_refuses),
        cmocka_unit_test(test_format_time),
        cmocka_unit_test(test_target_duration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
