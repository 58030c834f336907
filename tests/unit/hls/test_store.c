/*
 * hls/store: the playlist of a sliding window (media sequence grows by one
 * per segment leaving it, discontinuity sequence counts discontinuities that
 * left), segments fetchable a while after leaving, target duration fixed by
 * the first segment (and raised, not violated, by a longer one), ENDLIST,
 * and the epoch in every URI.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "hls/store.h"

static rcbuf_t *seg(void)
{
    return rcbuf_new("\x47", 1);
}

static int count(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_window_and_sequences(void **state)
{
    (void)state;
    hls_store_t *s = hls_store_new(9, 3, 2);
    assert_null(s->playlist);
    int64_t t = 1764000000000;
    hls_store_add(s, seg(), 2000, t, 0);
    assert_non_null(s->playlist);
    assert_non_null(strstr(s->playlist->data, "#EXT-X-TARGETDURATION:2\n"));
    assert_non_null(strstr(s->playlist->data, "#EXT-X-MEDIA-SEQUENCE:0\n"));
    assert_non_null(strstr(s->playlist->data, "#EXT-X-PROGRAM-DATE-TIME:"));
    char uri[64];
    snprintf(uri, sizeof uri, "\n%u-0.ts\n", s->epoch);
    assert_non_null(strstr(s->playlist->data, uri));

    hls_store_add(s, seg(), 2000, t + 2000, 1); /* a reconnect */
    assert_int_equal(count(s->playlist->data, "#EXT-X-DISCONTINUITY\n"), 1);
    for (int i = 2; i < 6; i++)
        hls_store_add(s, seg(), 2000, t + 2000 * i, 0);
    /* six made, three listed: 3, 4, 5; the discontinuity (seq 1) left the window */
    assert_non_null(strstr(s->playlist->data, "#EXT-X-MEDIA-SEQUENCE:3\n"));
    assert_non_null(strstr(s->playlist->data, "#EXT-X-DISCONTINUITY-SEQUENCE:1\n"));
    assert_int_equal(count(s->playlist->data, "#EXTINF:2.000,"), 3);
    assert_int_equal(count(s->playlist->data, "#EXT-X-DISCONTINUITY\n"), 0);
    /* still fetchable after leaving the playlist, up to the ring's size */
    assert_non_null(hls_store_segment(s, 2));
    assert_non_null(hls_store_segment(s, 5));
    assert_null(hls_store_segment(s, 6));
    for (int i = 6; i < 12; i++)
        hls_store_add(s, seg(), 2000, t + 2000 * i, 0);
    assert_null(hls_store_segment(s, 2));
    assert_int_equal(s->bytes, (uint64_t)(3 + HLS_KEEP_EXTRA));

    hls_store_end(s);
    assert_non_null(strstr(s->playlist->data, "#EXT-X-ENDLIST\n"));
    hls_store_free(s);
}

static void test_target_duration(void **state)
{
    (void)state;
    hls_store_t *s = hls_store_new(1, 6, 1);
    hls_store_add(s, seg(), 2002, 1, 0); /* GOP of 2 s with a 1 s setting */
    assert_int_equal(s->target_s, 2);
    hls_store_add(s, seg(), 2400, 2, 0); /* rounds to 2: fits */
    assert_int_equal(s->target_s, 2);
    hls_store_add(s, seg(), 3600, 3, 0); /* a late keyframe: raised, never violated */
    assert_int_equal(s->target_s, 4);
    assert_non_null(strstr(s->playlist->data, "#EXT-X-TARGETDURATION:4\n"));
    assert_non_null(strstr(s->playlist->data, "#EXTINF:3.600,"));
    hls_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_and_sequences),
        cmocka_unit_test(test_target_duration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
