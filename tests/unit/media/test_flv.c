/*
 * media/flv: video/audio tag bodies (AVC, AAC, other codecs, enhanced RTMP,
 * signed composition time, malformed), flv_to_frame's four outcomes, and
 * the file reader fed whole, byte by byte and split at every offset, with
 * its limits and sticky errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "media/flv.h"
#include "media_fixture.h"
#include "split.h"

/* ---- tag bodies ---------------------------------------------------------- */

static void test_video_avc(void **state)
{
    (void)state;
    flv_video_t v;
    static const uint8_t key[] = {0x17, 0x01, 0x00, 0x00, 0x42, 0xaa, 0xbb};
    assert_int_equal(flv_parse_video(key, sizeof key, &v), FLV_OK);
    assert_int_equal(v.frame_type, 1);
    assert_int_equal(v.codec_id, FLV_CODEC_AVC);
    assert_int_equal(v.packet_type, FLV_AVC_NALU);
    assert_int_equal(v.cts, 0x42);
    assert_int_equal(v.len, 2);
    assert_ptr_equal(v.data, key + 5);

    static const uint8_t neg[] = {0x27, 0x01, 0xff, 0xff, 0xdf, 0x01};
    assert_int_equal(flv_parse_video(neg, sizeof neg, &v), FLV_OK);
    assert_int_equal(v.frame_type, 2);
    assert_int_equal(v.cts, -33);
    static const uint8_t min[] = {0x27, 0x01, 0x80, 0x00, 0x00};
    assert_int_equal(flv_parse_video(min, sizeof min, &v), FLV_OK);
    assert_int_equal(v.cts, -8388608);
    assert_int_equal(v.len, 0);

    static const uint8_t seq[] = {0x17, 0x00, 0x00, 0x00, 0x00, 0x01};
    assert_int_equal(flv_parse_video(seq, sizeof seq, &v), FLV_OK);
    assert_int_equal(v.packet_type, FLV_AVC_SEQUENCE_HEADER);
    static const uint8_t eos[] = {0x17, 0x02, 0x00, 0x00, 0x00};
    assert_int_equal(flv_parse_video(eos, sizeof eos, &v), FLV_OK);
    assert_int_equal(v.packet_type, FLV_AVC_END_OF_SEQUENCE);
    static const uint8_t info[] = {0x57, 0x00};
    assert_int_equal(flv_parse_video(info, sizeof info, &v), FLV_OK);
    assert_int_equal(v.frame_type, 5);
}

static void test_video_unsupported_and_bad(void **state)
{
    (void)state;
    flv_video_t v;
    static const uint8_t vp6[] = {0x14, 0x00, 0x01};
    assert_int_equal(flv_parse_video(vp6, sizeof vp6, &v), FLV_EUNSUPPORTED);
    assert_int_equal(v.codec_id, 4);
    assert_int_equal(v.frame_type, 1);
    static const uint8_t hevc12[] = {0x1c, 0x00, 0x00, 0x00, 0x00};
    assert_int_equal(flv_parse_video(hevc12, sizeof hevc12, &v), FLV_EUNSUPPORTED);
    assert_int_equal(v.codec_id, 12);
    /* Enhanced RTMP: IsExHeader, key frame, SequenceStart, 'hvc1'. */
    static const uint8_t ex[] = {0x90, 'h', 'v', 'c', '1', 0x01};
    assert_int_equal(flv_parse_video(ex, sizeof ex, &v), FLV_EUNSUPPORTED);
    assert_int_equal(v.ex_header, 1);
    assert_int_equal(v.frame_type, 1);
    assert_int_equal(v.packet_type, 0);
    assert_int_equal(v.fourcc, 0x68766331);
    assert_int_equal(flv_parse_video(ex, 4, &v), FLV_EMALFORMED);

    static const uint8_t key[] = {0x17, 0x01, 0x00, 0x00, 0x00};
    for (size_t len = 0; len < sizeof key; len++)
        assert_int_equal(flv_parse_video(key, len, &v), FLV_EMALFORMED);
    static const uint8_t type0[] = {0x07, 0x01, 0x00, 0x00, 0x00};
    assert_int_equal(flv_parse_video(type0, sizeof type0, &v), FLV_EMALFORMED);
    static const uint8_t pkt3[] = {0x17, 0x03, 0x00, 0x00, 0x00};
    assert_int_equal(flv_parse_video(pkt3, sizeof pkt3, &v), FLV_EMALFORMED);
}

static void test_audio(void **state)
{
    (void)state;
    flv_audio_t a;
    static const uint8_t raw[] = {0xaf, 0x01, 0x21, 0x10};
    assert_int_equal(flv_parse_audio(raw, sizeof raw, &a), FLV_OK);
    assert_int_equal(a.sound_format, FLV_SOUND_AAC);
    assert_int_equal(a.sound_rate, 3);
    assert_int_equal(a.sound_size, 1);
    assert_int_equal(a.sound_type, 1);
    assert_int_equal(a.packet_type, FLV_AAC_RAW);
    assert_int_equal(a.len, 2);
    static const uint8_t cfg[] = {0xae, 0x00, 0x12, 0x10};
    assert_int_equal(flv_parse_audio(cfg, sizeof cfg, &a), FLV_OK);
    assert_int_equal(a.packet_type, FLV_AAC_SEQUENCE_HEADER);
    assert_int_equal(a.sound_type, 0);
    static const uint8_t mp3[] = {0x2f, 0xff, 0xfb};
    assert_int_equal(flv_parse_audio(mp3, sizeof mp3, &a), FLV_EUNSUPPORTED);
    assert_int_equal(a.sound_format, 2);
    static const uint8_t opus_ex[] = {0x90, 'O', 'p', 'u', 's'}; /* enhanced audio: format 9 */
    assert_int_equal(flv_parse_audio(opus_ex, sizeof opus_ex, &a), FLV_EUNSUPPORTED);
    assert_int_equal(a.sound_format, 9);
    assert_int_equal(flv_parse_audio(raw, 0, &a), FLV_EMALFORMED);
    assert_int_equal(flv_parse_audio(raw, 1, &a), FLV_EMALFORMED);
    static const uint8_t pkt2[] = {0xaf, 0x02};
    assert_int_equal(flv_parse_audio(pkt2, sizeof pkt2, &a), FLV_EMALFORMED);
}

/* ---- flv_to_frame -------------------------------------------------------- */

static size_t video_seq_header(uint8_t *body)
{
    uint8_t sps[256], pps[16];
    size_t sn = fx_sps_640x360(sps), pn = fx_pps(pps);
    memcpy(body, "\x17\x00\x00\x00\x00", 5);
    return 5 + fx_avcc(sps, sn, pps, pn, 4, body + 5);
}

static void test_to_frame(void **state)
{
    (void)state;
    media_frame_t *f;
    uint8_t body[512];
    size_t n = video_seq_header(body);
    assert_int_equal(flv_to_frame(FLV_TAG_VIDEO, 1000, body, n, &f), FLV_OK);
    assert_int_equal(f->kind, MEDIA_VIDEO);
    assert_int_equal(f->codec, MEDIA_CODEC_H264);
    assert_int_equal(f->config, 1);
    assert_int_equal(f->dts, 1000);
    assert_int_equal(f->data->len, n - 5);
    assert_memory_equal(f->data->data, body + 5, n - 5);
    media_frame_unref(f);
    body[5] = 0; /* avcC version 0 */
    assert_int_equal(flv_to_frame(FLV_TAG_VIDEO, 0, body, n, &f), FLV_EMALFORMED);
    assert_null(f);

    static const uint8_t inter[] = {0x27, 0x01, 0x00, 0x00, 0x21, 0, 0, 0, 1, 0x41};
    assert_int_equal(flv_to_frame(FLV_TAG_VIDEO, 5000000000, inter, sizeof inter, &f), FLV_OK);
    assert_int_equal(f->keyframe, 0);
    assert_int_equal(f->config, 0);
    assert_int_equal(f->cts, 33);
    assert_int_equal(f->dts, 5000000000);
    assert_int_equal(f->data->len, 5);
    media_frame_unref(f);
    static const uint8_t gen_key[] = {0x47, 0x01, 0x00, 0x00, 0x00, 0, 0, 0, 1, 0x65};
    assert_int_equal(flv_to_frame(FLV_TAG_VIDEO, 0, gen_key, sizeof gen_key, &f), FLV_OK);
    assert_int_equal(f->keyframe, 1);
    media_frame_unref(f);

    static const uint8_t eos[] = {0x17, 0x02, 0x00, 0x00, 0x00};
    assert_int_equal(flv_to_frame(FLV_TAG_VIDEO, 0, eos, sizeof eos, &f), FLV_NOTHING);
    static const uint8_t empty[] = {0x17, 0x01, 0x00, 0x00, 0x00};
    assert_int_equal(flv_to_frame(FLV_TAG_VIDEO, 0, empty, sizeof empty, &f), FLV_NOTHING);
    static const uint8_t info[] = {0x57, 0x01};
    assert_int_equal(flv_to_frame(FLV_TAG_VIDEO, 0, info, sizeof info, &f), FLV_NOTHING);
    assert_int_equal(flv_to_frame(FLV_TAG_SCRIPT, 0, info, sizeof info, &f), FLV_NOTHING);
    assert_int_equal(flv_to_frame(7, 0, info, sizeof info, &f), FLV_EUNSUPPORTED);
    static const uint8_t vp6[] = {0x14, 0x00};
    assert_int_equal(flv_to_frame(FLV_TAG_VIDEO, 0, vp6, sizeof vp6, &f), FLV_EUNSUPPORTED);
    assert_null(f);

    static const uint8_t asc[] = {0xaf, 0x00, 0x12, 0x10};
    assert_int_equal(flv_to_frame(FLV_TAG_AUDIO, 7, asc, sizeof asc, &f), FLV_OK);
    assert_int_equal(f->kind, MEDIA_AUDIO);
    assert_int_equal(f->codec, MEDIA_CODEC_AAC);
    assert_int_equal(f->config, 1);
    assert_int_equal(f->data->len, 2);
    media_frame_unref(f);
    static const uint8_t bad_asc[] = {0xaf, 0x00, 0x02};
    assert_int_equal(flv_to_frame(FLV_TAG_AUDIO, 7, bad_asc, sizeof bad_asc, &f), FLV_EMALFORMED);
    static const uint8_t raw[] = {0xaf, 0x01, 0xde, 0xad};
    assert_int_equal(flv_to_frame(FLV_TAG_AUDIO, 23, raw, sizeof raw, &f), FLV_OK);
    assert_int_equal(f->keyframe, 1);
    assert_int_equal(f->dts, 23);
    assert_memory_equal(f->data->data, "\xde\xad", 2);
    media_frame_unref(f);
    assert_int_equal(flv_to_frame(FLV_TAG_AUDIO, 0, raw, 2, &f), FLV_NOTHING);
    static const uint8_t mp3[] = {0x2f, 0xff};
    assert_int_equal(flv_to_frame(FLV_TAG_AUDIO, 0, mp3, sizeof mp3, &f), FLV_EUNSUPPORTED);
}

/* ---- file reader --------------------------------------------------------- */

static void put_tag(buf_t *b, uint8_t type, uint32_t ts, const uint8_t *body, size_t len)
{
    uint8_t h[11] = {type,
                     (uint8_t)(len >> 16),
                     (uint8_t)(len >> 8),
                     (uint8_t)len,
                     (uint8_t)(ts >> 16),
                     (uint8_t)(ts >> 8),
                     (uint8_t)ts,
                     (uint8_t)(ts >> 24),
                     0,
                     0,
                     0};
    uint32_t prev = (uint32_t)(11 + len);
    uint8_t p[4] = {(uint8_t)(prev >> 24), (uint8_t)(prev >> 16), (uint8_t)(prev >> 8),
                    (uint8_t)prev};
    buf_append(b, h, sizeof h);
    buf_append(b, body, len);
    buf_append(b, p, sizeof p);
}

struct tag {
    uint8_t type;
    uint32_t ts;
    size_t len;
    uint8_t first, last;
};

static const struct tag want_tags[] = {
    {FLV_TAG_SCRIPT, 0, 20, 0x02, 0x09}, {FLV_TAG_VIDEO, 0, 0, 0x17, 0},
    {FLV_TAG_AUDIO, 0, 4, 0xaf, 0x10},   {FLV_TAG_VIDEO, 0, 10, 0x17, 0x65},
    {FLV_TAG_AUDIO, 23, 4, 0xaf, 0xad},  {FLV_TAG_VIDEO, 0x01020304, 10, 0x27, 0x41},
    {FLV_TAG_AUDIO, 50, 0, 0, 0},        {FLV_TAG_VIDEO, 100, 5, 0x17, 0x00},
};
#define NTAGS (sizeof want_tags / sizeof want_tags[0])

static size_t build_file(buf_t *b, uint32_t data_offset)
{
    static const uint8_t script[20] = {0x02, 0,   10,  'o', 'n', 'M', 'e', 't', 'a', 'D',
                                       'a',  't', 'a', 8,   0,   0,   0,   0,   0,   0x09};
    static const uint8_t asc[] = {0xaf, 0x00, 0x12, 0x10};
    static const uint8_t key[] = {0x17, 0x01, 0x00, 0x00, 0x42, 0, 0, 0, 1, 0x65};
    static const uint8_t raw[] = {0xaf, 0x01, 0xde, 0xad};
    static const uint8_t inter[] = {0x27, 0x01, 0xff, 0xff, 0xdf, 0, 0, 0, 1, 0x41};
    static const uint8_t eos[] = {0x17, 0x02, 0x00, 0x00, 0x00};
    uint8_t seq[512];
    size_t seq_len = video_seq_header(seq);
    uint8_t hdr[9] = {'F', 'L', 'V', 1, 0x05, 0, 0, 0, (uint8_t)data_offset};
    buf_append(b, hdr, sizeof hdr);
    for (uint32_t i = 9; i < data_offset; i++)
        buf_putc(b, 'x');
    buf_append(b, "\0\0\0\0", 4);
    put_tag(b, FLV_TAG_SCRIPT, 0, script, sizeof script);
    put_tag(b, FLV_TAG_VIDEO, 0, seq, seq_len);
    put_tag(b, FLV_TAG_AUDIO, 0, asc, sizeof asc);
    put_tag(b, FLV_TAG_VIDEO, 0, key, sizeof key);
    put_tag(b, FLV_TAG_AUDIO, 23, raw, sizeof raw);
    put_tag(b, FLV_TAG_VIDEO, 0x01020304, inter, sizeof inter);
    put_tag(b, FLV_TAG_AUDIO, 50, NULL, 0);
    put_tag(b, FLV_TAG_VIDEO, 100, eos, sizeof eos);
    return seq_len;
}

struct rec {
    struct tag got[16];
    size_t n;
    size_t seq_len;
    int frames, nothing, malformed, abort_at;
};

static int on_tag(void *ud, uint8_t type, uint32_t ts, const uint8_t *body, size_t len)
{
    struct rec *r = ud;
    if (r->abort_at && (int)r->n + 1 == r->abort_at)
        return 1;
    assert_true(r->n < 16);
    r->got[r->n++] = (struct tag){type, ts, len, len ? body[0] : 0, len ? body[len - 1] : 0};
    media_frame_t *f;
    int rc = flv_to_frame(type, ts, body, len, &f);
    if (rc == FLV_OK) {
        r->frames++;
        media_frame_unref(f);
    } else {
        r->nothing += rc == FLV_NOTHING;
        r->malformed += rc == FLV_EMALFORMED;
    }
    return 0;
}

static void check_tags(const struct rec *r)
{
    assert_int_equal(r->n, NTAGS);
    for (size_t i = 0; i < NTAGS; i++) {
        struct tag w = want_tags[i];
        if (i == 1) { /* the sequence header's size depends on the fixture SPS */
            w.len = r->seq_len;
            w.last = r->got[i].last;
        }
        assert_int_equal(r->got[i].type, w.type);
        assert_int_equal(r->got[i].ts, w.ts);
        assert_int_equal(r->got[i].len, w.len);
        assert_int_equal(r->got[i].first, w.first);
        assert_int_equal(r->got[i].last, w.last);
    }
    /* seq, asc, key, raw, inter make frames; script and eos nothing; the empty
     * audio tag lacks even its header byte: malformed. */
    assert_int_equal(r->frames, 5);
    assert_int_equal(r->nothing, 2);
    assert_int_equal(r->malformed, 1);
}

static void feed_split(void *ud, const split_chunks_t *c)
{
    size_t seq_len = *(size_t *)ud;
    struct rec r = {.seq_len = seq_len};
    flv_reader_t rd;
    flv_reader_init(&rd, 0, on_tag, &r);
    int rc = FLV_NEED_MORE;
    for (size_t i = 0; i < c->count; i++) {
        rc = flv_reader_feed(&rd, c->data[i], c->len[i]);
        assert_true(rc == FLV_OK || rc == FLV_NEED_MORE);
    }
    assert_int_equal(rc, FLV_OK);
    check_tags(&r);
    flv_reader_free(&rd);
}

static void test_reader_splits(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    size_t seq_len = build_file(&b, 9);
    split_each(b.data, b.len, feed_split, &seq_len);
    buf_free(&b);
    /* A header with a longer dataOffset: the extra bytes are skipped. */
    seq_len = build_file(&b, 17);
    split_each(b.data, b.len, feed_split, &seq_len);
    buf_free(&b);
}

static void test_reader_truncated(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    build_file(&b, 9);
    /* Tag boundaries: after the header + PreviousTagSize0, and after each tag. */
    size_t boundaries = 0;
    for (size_t len = 0; len <= b.len; len++) {
        struct rec r = {0};
        flv_reader_t rd;
        flv_reader_init(&rd, 0, on_tag, &r);
        int rc = flv_reader_feed(&rd, (const uint8_t *)b.data, len);
        if (len == 0) {
            assert_int_equal(rc, FLV_NEED_MORE);
        } else {
            assert_true(rc == FLV_OK || rc == FLV_NEED_MORE);
            boundaries += rc == FLV_OK;
        }
        flv_reader_free(&rd);
    }
    assert_int_equal(boundaries, 1 + NTAGS);
    buf_free(&b);
}

static int feed_all(flv_reader_t *rd, const buf_t *b)
{
    return flv_reader_feed(rd, (const uint8_t *)b->data, b->len);
}

static void test_reader_errors(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    struct rec r = {0};
    flv_reader_t rd;

    build_file(&b, 9);
    b.data[2] = 'X';
    flv_reader_init(&rd, 0, on_tag, &r);
    assert_int_equal(feed_all(&rd, &b), FLV_EMALFORMED);
    assert_int_equal(flv_reader_feed(&rd, (const uint8_t *)"\0", 1), FLV_EMALFORMED);
    assert_int_equal(r.n, 0);
    flv_reader_free(&rd);
    buf_free(&b);

    build_file(&b, 9);
    b.data[8] = 8; /* dataOffset below the header size */
    flv_reader_init(&rd, 0, on_tag, &r);
    assert_int_equal(feed_all(&rd, &b), FLV_EMALFORMED);
    flv_reader_free(&rd);
    buf_free(&b);

    /* The first tag (script, 20 bytes) is over a 19-byte cap. */
    build_file(&b, 9);
    flv_reader_init(&rd, 19, on_tag, &r);
    assert_int_equal(feed_all(&rd, &b), FLV_ETOOBIG);
    flv_reader_free(&rd);

    /* Wrong PreviousTagSize after the first tag; zero is tolerated. */
    size_t prev_at = 13 + 11 + 20;
    b.data[prev_at + 3] = 0x7f;
    memset(&r, 0, sizeof r);
    flv_reader_init(&rd, 0, on_tag, &r);
    assert_int_equal(feed_all(&rd, &b), FLV_EMALFORMED);
    assert_int_equal(r.n, 1);
    flv_reader_free(&rd);
    memset(b.data + prev_at, 0, 4);
    memset(&r, 0, sizeof r);
    flv_reader_init(&rd, 0, on_tag, &r);
    assert_int_equal(feed_all(&rd, &b), FLV_OK);
    assert_int_equal(r.n, NTAGS);
    flv_reader_free(&rd);

    /* Encrypted (Filter bit) tags are refused; reserved bits are malformed. */
    b.data[13] = 0x20 | FLV_TAG_SCRIPT;
    flv_reader_init(&rd, 0, on_tag, &r);
    assert_int_equal(feed_all(&rd, &b), FLV_EUNSUPPORTED);
    flv_reader_free(&rd);
    b.data[13] = 0x40 | FLV_TAG_SCRIPT;
    flv_reader_init(&rd, 0, on_tag, &r);
    assert_int_equal(feed_all(&rd, &b), FLV_EMALFORMED);
    flv_reader_free(&rd);
    buf_free(&b);

    /* The callback stops the reader at the third tag; the error sticks. */
    build_file(&b, 9);
    memset(&r, 0, sizeof r);
    r.abort_at = 3;
    flv_reader_init(&rd, 0, on_tag, &r);
    assert_int_equal(feed_all(&rd, &b), FLV_EABORTED);
    assert_int_equal(r.n, 2);
    assert_int_equal(feed_all(&rd, &b), FLV_EABORTED);
    assert_int_equal(r.n, 2);
    flv_reader_free(&rd);
    buf_free(&b);
    assert_string_equal(flv_strerror(FLV_ETOOBIG), "FLV tag too large");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_video_avc),     cmocka_unit_test(test_video_unsupported_and_bad),
        cmocka_unit_test(test_audio),         cmocka_unit_test(test_to_frame),
        cmocka_unit_test(test_reader_splits), cmocka_unit_test(test_reader_truncated),
        cmocka_unit_test(test_reader_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
