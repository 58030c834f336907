/*
 * media/avc: avcC parsing and its bounds, SPS parsing (sizes, cropping,
 * high-profile fields, scaling lists, POC type 1, interlaced, VUI timing,
 * emulation prevention, truncation at every length), and AVCC → Annex B.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "media/avc.h"
#include "media_fixture.h"

/* ---- SPS ----------------------------------------------------------------- */

static void parse_ok(const fx_sps_t *p, avc_sps_t *out)
{
    uint8_t nal[1100];
    size_t n = fx_sps(p, nal);
    assert_int_equal(avc_sps_parse(nal, n, out), AVC_OK);
}

static void test_sps_640x360_high(void **state)
{
    (void)state;
    uint8_t nal[256];
    size_t n = fx_sps_640x360(nal);
    avc_sps_t s;
    assert_int_equal(avc_sps_parse(nal, n, &s), AVC_OK);
    assert_int_equal(s.profile_idc, 100);
    assert_int_equal(s.level_idc, 30);
    assert_int_equal(s.chroma_format_idc, 1);
    assert_int_equal(s.bit_depth_luma, 8);
    assert_int_equal(s.width, 640);
    assert_int_equal(s.height, 360);
    assert_int_equal(s.fps_num, 60);
    assert_int_equal(s.fps_den, 2);
    /* units_in_tick = 1 writes 31 zero bits: the encoder had to escape them. */
    int escaped = 0;
    for (size_t i = 0; i + 2 < n; i++)
        escaped |= nal[i] == 0 && nal[i + 1] == 0 && nal[i + 2] == 3;
    assert_true(escaped);
}

static void test_sps_1280x720_main(void **state)
{
    (void)state;
    fx_sps_t p = {77, 0x40, 31, 0, 0, 0, 2, 80, 45, 1, {0, 0, 0, 0}, 1, 1, 1001, 60000};
    avc_sps_t s;
    parse_ok(&p, &s);
    assert_int_equal(s.profile_idc, 77);
    assert_int_equal(s.constraint_flags, 0x40);
    assert_int_equal(s.width, 1280);
    assert_int_equal(s.height, 720);
    assert_int_equal(s.fps_num, 60000);
    assert_int_equal(s.fps_den, 2002); /* 29.97 */
}

static void test_sps_1080_cropped_poc1(void **state)
{
    (void)state;
    fx_sps_t p = {66, 0xc0, 40, 0, 0, 0, 1, 120, 68, 1, {0, 0, 0, 4}, 0, 0, 0, 0};
    avc_sps_t s;
    parse_ok(&p, &s);
    assert_int_equal(s.width, 1920);
    assert_int_equal(s.height, 1080);
    assert_int_equal(s.fps_num, 0); /* no VUI */
    assert_int_equal(s.fps_den, 0);
}

static void test_sps_interlaced(void **state)
{
    (void)state;
    /* Field coding: map units are pairs of macroblock rows; crop unit is 2 * 2. */
    fx_sps_t p = {77, 0, 40, 0, 0, 0, 0, 120, 34, 0, {0, 0, 0, 2}, 1, 0, 1, 50};
    avc_sps_t s;
    parse_ok(&p, &s);
    assert_int_equal(s.frame_mbs_only, 0);
    assert_int_equal(s.width, 1920);
    assert_int_equal(s.height, 1080);
    assert_int_equal(s.fps_num, 50);
}

static void test_sps_high_scaling_and_444(void **state)
{
    (void)state;
    fx_sps_t p = {100, 0, 41, 1, 0, 1, 0, 40, 23, 1, {0, 0, 0, 4}, 1, 0, 1, 60};
    avc_sps_t s;
    parse_ok(&p, &s);
    assert_int_equal(s.width, 640);
    assert_int_equal(s.height, 360);
    assert_int_equal(s.fps_num, 60);

    /* 4:4:4 (12 scaling lists, crop unit 1), then with separate planes (unit 1 too). */
    fx_sps_t q = {244, 0, 41, 3, 0, 1, 0, 40, 23, 1, {2, 2, 0, 8}, 0, 0, 0, 0};
    parse_ok(&q, &s);
    assert_int_equal(s.chroma_format_idc, 3);
    assert_int_equal(s.width, 636);
    assert_int_equal(s.height, 360);
    q.separate_planes = 1;
    parse_ok(&q, &s);
    assert_int_equal(s.width, 636);

    /* 4:2:2: horizontal crop unit 2, vertical 1. */
    fx_sps_t r = {122, 0, 41, 2, 0, 0, 0, 40, 23, 1, {1, 1, 0, 8}, 0, 0, 0, 0};
    parse_ok(&r, &s);
    assert_int_equal(s.width, 636);
    assert_int_equal(s.height, 360);
}

static void test_sps_truncated_every_length(void **state)
{
    (void)state;
    uint8_t nal[256];
    size_t n = fx_sps_640x360(nal);
    avc_sps_t s;
    size_t first_ok = 0;
    for (size_t len = 0; len <= n; len++) {
        int rc = avc_sps_parse(nal, len, &s);
        assert_true(rc == AVC_OK || rc == AVC_EMALFORMED);
        if (rc == AVC_OK) {
            if (!first_ok)
                first_ok = len;
            /* A cut-short VUI keeps the size and drops the frame rate. */
            assert_int_equal(s.width, 640);
            assert_int_equal(s.height, 360);
            if (len < n - 1)
                assert_int_equal(s.fps_num, 0);
        }
    }
    assert_true(first_ok > 4 && first_ok < n);
    assert_int_equal(avc_sps_parse(nal, n, &s), AVC_OK);
    assert_int_equal(s.fps_num, 60);
}

static void test_sps_rejects(void **state)
{
    (void)state;
    uint8_t nal[256];
    size_t n = fx_sps_640x360(nal);
    avc_sps_t s;
    nal[0] = 0x68; /* a PPS header */
    assert_int_equal(avc_sps_parse(nal, n, &s), AVC_EMALFORMED);
    /* Cropping the whole picture away. */
    fx_sps_t p = {66, 0, 30, 0, 0, 0, 0, 2, 2, 1, {8, 8, 0, 0}, 0, 0, 0, 0};
    n = fx_sps(&p, nal);
    assert_int_equal(avc_sps_parse(nal, n, &s), AVC_EMALFORMED);
    /* A run of zeros longer than any Exp-Golomb code: error, not overflow. */
    uint8_t zeros[] = {0x67, 66, 0, 30, 0, 0, 3, 0, 0, 3, 0, 0, 3, 0, 0, 3, 0, 0, 3, 0, 0, 1};
    assert_int_equal(avc_sps_parse(zeros, sizeof zeros, &s), AVC_EMALFORMED);
}

/* ---- avcC ---------------------------------------------------------------- */

static size_t make_avcc(uint8_t *out, unsigned nls)
{
    uint8_t sps[256], pps[16];
    size_t sn = fx_sps_640x360(sps), pn = fx_pps(pps);
    return fx_avcc(sps, sn, pps, pn, nls, out);
}

static void test_avcc_parse(void **state)
{
    (void)state;
    uint8_t a[512];
    size_t n = make_avcc(a, 4);
    avc_config_t c;
    assert_int_equal(avc_config_parse(a, n, &c), AVC_OK);
    assert_int_equal(c.version, 1);
    assert_int_equal(c.profile, 100);
    assert_int_equal(c.level, 30);
    assert_int_equal(c.nal_length_size, 4);
    assert_int_equal(c.sps_count, 1);
    assert_int_equal(c.pps_count, 1);
    assert_ptr_equal(c.sps[0].data, a + 8);
    assert_int_equal(c.pps[0].len, 6);
    avc_sps_t s;
    assert_int_equal(avc_sps_parse(c.sps[0].data, c.sps[0].len, &s), AVC_OK);
    assert_int_equal(s.width, 640);

    /* High-profile trailer bytes after the PPS list are accepted. */
    uint8_t ext[520];
    memcpy(ext, a, n);
    memcpy(ext + n, "\xfd\xf8\xf8\x00", 4);
    assert_int_equal(avc_config_parse(ext, n + 4, &c), AVC_OK);

    n = make_avcc(a, 2);
    assert_int_equal(avc_config_parse(a, n, &c), AVC_OK);
    assert_int_equal(c.nal_length_size, 2);
    n = make_avcc(a, 1);
    assert_int_equal(avc_config_parse(a, n, &c), AVC_OK);
    assert_int_equal(c.nal_length_size, 1);
}

static void test_avcc_truncated_and_bad(void **state)
{
    (void)state;
    uint8_t a[512];
    size_t n = make_avcc(a, 4);
    avc_config_t c;
    for (size_t len = 0; len < n; len++)
        assert_int_equal(avc_config_parse(a, len, &c), AVC_EMALFORMED);

    uint8_t b[512];
    memcpy(b, a, n);
    b[0] = 0; /* version */
    assert_int_equal(avc_config_parse(b, n, &c), AVC_EMALFORMED);
    memcpy(b, a, n);
    b[4] = 0xfe; /* lengthSizeMinusOne 2 is not defined */
    assert_int_equal(avc_config_parse(b, n, &c), AVC_EMALFORMED);
    memcpy(b, a, n);
    b[5] = 0xe0; /* no SPS */
    assert_int_equal(avc_config_parse(b, n, &c), AVC_EMALFORMED);
    memcpy(b, a, n);
    b[8] = 0x68; /* the "SPS" is a PPS */
    assert_int_equal(avc_config_parse(b, n, &c), AVC_EMALFORMED);
    memcpy(b, a, n);
    b[7] = 0xff; /* SPS length past the end */
    assert_int_equal(avc_config_parse(b, n, &c), AVC_EMALFORMED);

    /* 17 SPS: more than we keep. */
    size_t m = 0;
    b[m++] = 1, b[m++] = 66, b[m++] = 0, b[m++] = 30, b[m++] = 0xff, b[m++] = 0xe0 | 17;
    for (int i = 0; i < 17; i++)
        b[m++] = 0, b[m++] = 2, b[m++] = 0x67, b[m++] = 0x42;
    b[m++] = 1, b[m++] = 0, b[m++] = 2, b[m++] = 0x68, b[m++] = 0xce;
    assert_int_equal(avc_config_parse(b, m, &c), AVC_EUNSUPPORTED);
    assert_string_equal(avc_strerror(AVC_EUNSUPPORTED), "unsupported H.264 configuration");
}

/* ---- access units -------------------------------------------------------- */

static size_t make_au(uint8_t *au, unsigned nls, int aud, int ps, int idr)
{
    uint8_t nal[300];
    size_t n = 0;
    if (aud) {
        uint8_t d[2] = {0x09, 0xf0};
        n = fx_au_add(au, n, nls, d, 2);
    }
    if (ps) {
        n = fx_au_add(au, n, nls, nal, fx_sps_640x360(nal));
        n = fx_au_add(au, n, nls, nal, fx_pps(nal));
    }
    n = fx_au_add(au, n, nls, nal, fx_fake_nal(6, 12, nal)); /* SEI */
    n = fx_au_add(au, n, nls, nal, fx_fake_nal(idr ? 5 : 1, 200, nal));
    return n;
}

static void test_au_scan_flags(void **state)
{
    (void)state;
    uint8_t au[2048];
    unsigned f;
    size_t n = make_au(au, 4, 1, 1, 1);
    assert_int_equal(avc_au_scan(au, n, 4, &f), AVC_OK);
    assert_int_equal(f, AVC_AU_HAS_AUD | AVC_AU_HAS_SPS | AVC_AU_HAS_PPS | AVC_AU_HAS_IDR);
    n = make_au(au, 2, 0, 0, 0);
    assert_int_equal(avc_au_scan(au, n, 2, &f), AVC_OK);
    assert_int_equal(f, 0);
    n = make_au(au, 1, 0, 0, 1);
    assert_int_equal(avc_au_scan(au, n, 1, &f), AVC_OK);
    assert_int_equal(f, AVC_AU_HAS_IDR);
    assert_int_equal(avc_au_scan(au, n, 3, &f), AVC_EMALFORMED);
    assert_int_equal(avc_au_scan(au, 0, 4, &f), AVC_OK); /* empty AU: nothing to do */
}

static void test_au_to_annexb(void **state)
{
    (void)state;
    static const unsigned sizes[] = {1, 2, 4};
    for (size_t k = 0; k < 3; k++) {
        unsigned nls = sizes[k];
        uint8_t au[2048];
        size_t n = make_au(au, nls, 1, 0, 1);
        buf_t out = BUF_INIT;
        buf_append(&out, "xy", 2);
        unsigned f;
        assert_int_equal(avc_au_to_annexb(au, n, nls, 0, &out, &f), AVC_OK);
        assert_int_equal(f, AVC_AU_HAS_AUD | AVC_AU_HAS_IDR);
        /* "xy" + (4 + 2) AUD + (4 + 12) SEI + (4 + 200) IDR */
        assert_int_equal(out.len, 2 + 6 + 16 + 204);
        const uint8_t *o = (const uint8_t *)out.data;
        assert_memory_equal(o + 2, "\0\0\0\1\x09\xf0\0\0\0\1", 10);
        assert_int_equal(o[12] & 0x1f, 6);
        assert_memory_equal(o + 24, "\0\0\0\1", 4);
        assert_int_equal(o[28] & 0x1f, 5);
        assert_int_equal(o[28 + 199], au[n - 1]);

        /* Dropping the AUD. */
        buf_reset(&out);
        assert_int_equal(avc_au_to_annexb(au, n, nls, 1u << AVC_NAL_AUD, &out, NULL), AVC_OK);
        assert_int_equal(out.len, 16 + 204);
        assert_int_equal(((const uint8_t *)out.data)[4] & 0x1f, 6);
        buf_free(&out);
    }
}

static void test_au_malformed_leaves_out(void **state)
{
    (void)state;
    uint8_t au[2048];
    size_t n = make_au(au, 4, 0, 0, 1);
    buf_t out = BUF_INIT;
    buf_append(&out, "keep", 4);
    unsigned f = 99;
    for (size_t len = 1; len < n; len++) {
        int rc = avc_au_to_annexb(au, len, 4, 0, &out, &f);
        /* Only the cut right after the SEI is a whole AU. */
        if (len == 4 + 12) {
            assert_int_equal(rc, AVC_OK);
            out.len = 4;
            continue;
        }
        assert_int_equal(rc, AVC_EMALFORMED);
        assert_int_equal(f, 0);
        assert_int_equal(out.len, 4);
    }
    /* Zero-length NAL units are skipped. */
    uint8_t z[] = {0, 0, 0, 0, 0, 0, 0, 2, 0x41, 0x9a};
    buf_reset(&out);
    assert_int_equal(avc_au_to_annexb(z, sizeof z, 4, 0, &out, &f), AVC_OK);
    assert_int_equal(out.len, 6);
    buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sps_640x360_high),
        cmocka_unit_test(test_sps_1280x720_main),
        cmocka_unit_test(test_sps_1080_cropped_poc1),
        cmocka_unit_test(test_sps_interlaced),
        cmocka_unit_test(test_sps_high_scaling_and_444),
        cmocka_unit_test(test_sps_truncated_every_length),
        cmocka_unit_test(test_sps_rejects),
        cmocka_unit_test(test_avcc_parse),
        cmocka_unit_test(test_avcc_truncated_and_bad),
        cmocka_unit_test(test_au_scan_flags),
        cmocka_unit_test(test_au_to_annexb),
        cmocka_unit_test(test_au_malformed_leaves_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
