/*
 * hls/ts: CRC-32/MPEG-2, PAT/PMT bytes, PES headers (PTS/DTS bits), PCR and
 * random access on keyframes, AUD + SPS/PPS before IDRs without duplicates,
 * ADTS per AAC frame, adaptation-field stuffing for every payload size,
 * continuity counters across segments, and the error contract.
 *
 * The checks read the output back with a small demuxer written here from
 * ISO/IEC 13818-1 2.4.3 (packets), 2.4.3.4 (adaptation field) and 2.4.3.6
 * (PES header).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"
#include "hls/ts.h"
#include "media/avc.h"
#include "media_fixture.h"

/* ---- a reader for what we wrote ------------------------------------------ */

typedef struct pes {
    uint16_t pid;
    int rai, has_pcr;
    uint64_t pcr_base;
    buf_t bytes; /* the whole PES packet */
} pes_t;

typedef struct demux {
    pes_t pes[64];
    int n;
    int cc[0x2000];
    int packets;
    const uint8_t *psi[4]; /* payloads (after pointer_field) of PSI packets */
    int npsi;
} demux_t;

static void demux_init(demux_t *d)
{
    memset(d, 0, sizeof *d);
    for (int i = 0; i < 0x2000; i++)
        d->cc[i] = -1;
}

static void demux_free(demux_t *d)
{
    for (int i = 0; i < d->n; i++)
        buf_free(&d->pes[i].bytes);
}

static pes_t *last_pes(demux_t *d, uint16_t pid)
{
    for (int i = d->n - 1; i >= 0; i--)
        if (d->pes[i].pid == pid)
            return &d->pes[i];
    fail_msg("continuation without a start on PID %u", pid);
    return NULL;
}

static void demux(demux_t *d, const buf_t *out)
{
    assert_int_equal(out->len % TS_PACKET_SIZE, 0);
    for (size_t off = 0; off < out->len; off += TS_PACKET_SIZE) {
        const uint8_t *p = (const uint8_t *)out->data + off;
        d->packets++;
        assert_int_equal(p[0], 0x47);
        assert_int_equal(p[1] & 0x80, 0); /* transport_error_indicator */
        uint16_t pid = (uint16_t)(((p[1] & 0x1f) << 8) | p[2]);
        int pusi = (p[1] >> 6) & 1;
        assert_int_equal(p[3] >> 6, 0); /* not scrambled */
        unsigned afc = (p[3] >> 4) & 3;
        assert_true(afc == 1 || afc == 3); /* every packet carries payload */
        int cc = p[3] & 0x0f;
        if (d->cc[pid] >= 0)
            assert_int_equal(cc, (d->cc[pid] + 1) & 0x0f);
        d->cc[pid] = cc;
        size_t at = 4;
        int rai = 0, has_pcr = 0;
        uint64_t pcr = 0;
        if (afc == 3) {
            size_t af = p[4];
            assert_true(af <= 182);
            if (af > 0) {
                rai = (p[5] >> 6) & 1;
                has_pcr = (p[5] >> 4) & 1;
                assert_int_equal(p[5] & 0xaf, 0); /* no other flags */
                size_t k = 6;
                if (has_pcr) {
                    pcr = ((uint64_t)be32_get(p + 6) << 1) | (p[10] >> 7);
                    assert_int_equal(p[10] & 0x7e, 0x7e); /* reserved bits */
                    assert_int_equal(((p[10] & 1) << 8) | p[11], 0);
                    k += 6;
                }
                for (; k < 5 + af; k++)
                    assert_int_equal(p[k], 0xff); /* stuffing */
            }
            at = 5 + af;
        }
        const uint8_t *payload = p + at;
        size_t len = TS_PACKET_SIZE - at;
        if (pid == TS_PID_PAT || pid == TS_PID_PMT) {
            assert_true(pusi);
            assert_int_equal(payload[0], 0); /* pointer_field */
            assert_true(d->npsi < 4);
            d->psi[d->npsi++] = payload + 1;
            continue;
        }
        if (pusi) {
            assert_true(d->n < 64);
            pes_t *e = &d->pes[d->n++];
            e->pid = pid;
            e->rai = rai;
            e->has_pcr = has_pcr;
            e->pcr_base = pcr;
        } else {
            assert_false(has_pcr || rai);
        }
        buf_append(&last_pes(d, pid)->bytes, payload, len);
    }
}

static uint64_t get_ts(const uint8_t *p, unsigned prefix)
{
    assert_int_equal(p[0] >> 4, prefix);
    assert_int_equal(p[0] & 1, 1);
    assert_int_equal(p[2] & 1, 1);
    assert_int_equal(p[4] & 1, 1);
    return ((uint64_t)((p[0] >> 1) & 7) << 30) | ((uint64_t)p[1] << 22) |
           ((uint64_t)(p[2] >> 1) << 15) | ((uint64_t)p[3] << 7) | (p[4] >> 1);
}

typedef struct pes_info {
    uint8_t stream_id;
    uint64_t pts, dts; /* dts = pts without a DTS field */
    int has_dts;
    const uint8_t *es;
    size_t es_len;
} pes_info_t;

static pes_info_t parse_pes(const pes_t *e)
{
    const uint8_t *p = (const uint8_t *)e->bytes.data;
    pes_info_t o = {0};
    assert_true(e->bytes.len >= 14);
    assert_memory_equal(p, "\0\0\1", 3);
    o.stream_id = p[3];
    unsigned plen = be16_get(p + 4);
    assert_true(plen == 0 || plen == e->bytes.len - 6);
    assert_int_equal(p[6], 0x84); /* '10', data_alignment_indicator */
    unsigned flags = p[7] >> 6;
    assert_int_equal(p[7] & 0x3f, 0);
    assert_true(flags == 2 || flags == 3);
    o.has_dts = flags == 3;
    assert_int_equal(p[8], o.has_dts ? 10 : 5);
    o.pts = get_ts(p + 9, o.has_dts ? 3 : 2);
    o.dts = o.has_dts ? get_ts(p + 14, 1) : o.pts;
    o.es = p + 9 + p[8];
    o.es_len = e->bytes.len - 9 - p[8];
    return o;
}

/* ---- inputs -------------------------------------------------------------- */

static uint8_t g_sps[256], g_pps[16], g_avcc[512];
static size_t g_sps_len, g_pps_len, g_avcc_len;
static const uint8_t g_asc[] = {0x12, 0x10}; /* AAC-LC 44100 stereo */

static int setup(void **state)
{
    (void)state;
    g_sps_len = fx_sps_640x360(g_sps);
    g_pps_len = fx_pps(g_pps);
    g_avcc_len = fx_avcc(g_sps, g_sps_len, g_pps, g_pps_len, 4, g_avcc);
    return 0;
}

static void mux_av(ts_mux_t *m, int video, int audio)
{
    ts_mux_init(m);
    if (video)
        assert_int_equal(ts_mux_set_video_config(m, g_avcc, g_avcc_len), TS_OK);
    if (audio)
        assert_int_equal(ts_mux_set_audio_config(m, g_asc, sizeof g_asc), TS_OK);
}

/* Length-prefixed AU: [AUD] [SPS PPS] SEI slice(slice_len). */
static media_frame_t *video_frame(int key, int aud, int ps, size_t slice_len, int64_t dts,
                                  int32_t cts)
{
    static uint8_t au[200000], nal[200000];
    size_t n = 0;
    if (aud)
        n = fx_au_add(au, n, 4, (const uint8_t *)"\x09\x10", 2);
    if (ps) {
        n = fx_au_add(au, n, 4, g_sps, g_sps_len);
        n = fx_au_add(au, n, 4, g_pps, g_pps_len);
    }
    n = fx_au_add(au, n, 4, nal, fx_fake_nal(6, 9, nal));
    n = fx_au_add(au, n, 4, nal, fx_fake_nal(key ? 5 : 1, slice_len, nal));
    return media_frame_new(MEDIA_VIDEO, MEDIA_CODEC_H264, 0, key, dts, cts, rcbuf_new(au, n));
}

static media_frame_t *audio_frame(size_t len, int64_t dts)
{
    uint8_t raw[9000];
    for (size_t i = 0; i < len; i++)
        raw[i] = (uint8_t)(i * 13 + 1);
    return media_frame_new(MEDIA_AUDIO, MEDIA_CODEC_AAC, 0, 1, dts, 0, rcbuf_new(raw, len));
}

static void write_ok(ts_mux_t *m, media_frame_t *f, buf_t *out)
{
    assert_int_equal(ts_mux_write_frame(m, f, out), TS_OK);
    media_frame_unref(f);
}

/* Number of Annex B start codes (00 00 00 01) followed by NAL type t. */
static int count_nals(const uint8_t *es, size_t len, unsigned t)
{
    int n = 0;
    for (size_t i = 0; i + 4 < len; i++)
        if (!es[i] && !es[i + 1] && !es[i + 2] && es[i + 3] == 1 && (es[i + 4] & 0x1f) == t)
            n++;
    return n;
}

/* ---- tests --------------------------------------------------------------- */

static void test_crc32_mpeg2(void **state)
{
    (void)state;
    assert_int_equal(ts_crc32((const uint8_t *)"123456789", 9), 0x0376e6e7);
    assert_int_equal(ts_crc32(NULL, 0), 0xffffffff);
    uint8_t d[13] = "123456789";
    be32_put(d + 9, ts_crc32(d, 9));
    assert_int_equal(ts_crc32(d, 13), 0); /* a section checked with its own CRC */
}

static void check_section(const uint8_t *s, const uint8_t *want, size_t want_len)
{
    assert_memory_equal(s, want, want_len);
    size_t section_len = 3 + (((s[1] & 0x0f) << 8) | s[2]);
    assert_int_equal(section_len, want_len + 4);
    assert_int_equal(ts_crc32(s, section_len), 0);
    for (size_t i = section_len; i < TS_PACKET_SIZE - 5; i++)
        assert_int_equal(s[i], 0xff);
}

static void test_pat_pmt(void **state)
{
    (void)state;
    ts_mux_t m;
    buf_t out = BUF_INIT;
    mux_av(&m, 1, 1);
    ts_mux_begin_segment(&m, &out);
    assert_int_equal(out.len, 2 * TS_PACKET_SIZE);
    const uint8_t *p = (const uint8_t *)out.data;
    assert_memory_equal(p, "\x47\x40\x00\x10", 4);
    assert_memory_equal(p + 188, "\x47\x50\x00\x10", 4);
    static const uint8_t pat[] = {0x00, 0xb0, 0x0d, 0x00, 0x01, 0xc1,
                                  0x00, 0x00, 0x00, 0x01, 0xf0, 0x00};
    static const uint8_t pmt[] = {0x02, 0xb0, 0x17, 0x00, 0x01, 0xc1, 0x00, 0x00, 0xe1, 0x00, 0xf0,
                                  0x00, 0x1b, 0xe1, 0x00, 0xf0, 0x00, 0x0f, 0xe1, 0x01, 0xf0, 0x00};
    demux_t d;
    demux_init(&d);
    demux(&d, &out);
    assert_int_equal(d.npsi, 2);
    check_section(d.psi[0], pat, sizeof pat);
    check_section(d.psi[1], pmt, sizeof pmt);

    /* The next segment repeats them with the counters moved on. */
    ts_mux_begin_segment(&m, &out);
    p = (const uint8_t *)out.data;
    assert_int_equal(p[2 * 188 + 3], 0x11);
    assert_int_equal(p[3 * 188 + 3], 0x11);
    ts_mux_free(&m);

    /* Audio only: one stream, PCR on the audio PID. */
    static const uint8_t pmt_a[] = {0x02, 0xb0, 0x12, 0x00, 0x01, 0xc1, 0x00, 0x00, 0xe1,
                                    0x01, 0xf0, 0x00, 0x0f, 0xe1, 0x01, 0xf0, 0x00};
    buf_reset(&out);
    mux_av(&m, 0, 1);
    ts_mux_begin_segment(&m, &out);
    demux_init(&d);
    demux(&d, &out);
    check_section(d.psi[1], pmt_a, sizeof pmt_a);
    ts_mux_free(&m);
    buf_free(&out);
}

static void test_video_keyframe(void **state)
{
    (void)state;
    ts_mux_t m;
    buf_t out = BUF_INIT;
    mux_av(&m, 1, 1);
    ts_mux_begin_segment(&m, &out);
    write_ok(&m, video_frame(1, 0, 0, 1000, 1000, 66), &out);
    demux_t d;
    demux_init(&d);
    demux(&d, &out);
    assert_int_equal(d.n, 1);
    pes_t *e = &d.pes[0];
    assert_int_equal(e->pid, TS_PID_VIDEO);
    assert_true(e->rai);
    assert_true(e->has_pcr);
    assert_int_equal(e->pcr_base, 1000 * 90);
    pes_info_t pi = parse_pes(e);
    assert_int_equal(pi.stream_id, 0xe0);
    assert_true(pi.has_dts);
    assert_int_equal(pi.pts, 1066 * 90 + TS_DELAY_90K);
    assert_int_equal(pi.dts, 1000 * 90 + TS_DELAY_90K);

    /* AUD, then the avcC's SPS and PPS, then the AU's own NAL units. */
    buf_t want = BUF_INIT;
    buf_append(&want, "\0\0\0\1\x09\xf0", 6);
    buf_append(&want, "\0\0\0\1", 4);
    buf_append(&want, g_sps, g_sps_len);
    buf_append(&want, "\0\0\0\1", 4);
    buf_append(&want, g_pps, g_pps_len);
    uint8_t nal[1000];
    buf_append(&want, "\0\0\0\1", 4);
    buf_append(&want, nal, fx_fake_nal(6, 9, nal));
    buf_append(&want, "\0\0\0\1", 4);
    buf_append(&want, nal, fx_fake_nal(5, 1000, nal));
    assert_int_equal(pi.es_len, want.len);
    assert_memory_equal(pi.es, want.data, want.len);
    buf_free(&want);
    demux_free(&d);
    ts_mux_free(&m);
    buf_free(&out);
}

static void test_video_inter_and_in_band(void **state)
{
    (void)state;
    ts_mux_t m;
    buf_t out = BUF_INIT;
    mux_av(&m, 1, 0);
    ts_mux_begin_segment(&m, &out);
    write_ok(&m, video_frame(0, 0, 0, 300, 2000, 0), &out);  /* inter, pts == dts */
    write_ok(&m, video_frame(1, 1, 1, 300, 2033, 33), &out); /* AUD, SPS, PPS in band */
    write_ok(&m, video_frame(0, 1, 0, 300, 2066, 0), &out);  /* AUD in band */
    demux_t d;
    demux_init(&d);
    demux(&d, &out);
    assert_int_equal(d.n, 3);

    pes_info_t a = parse_pes(&d.pes[0]);
    assert_false(a.has_dts);
    assert_int_equal(a.pts, 2000 * 90 + TS_DELAY_90K);
    assert_false(d.pes[0].rai);
    assert_true(d.pes[0].has_pcr); /* on every video PES */
    assert_int_equal(count_nals(a.es, a.es_len, AVC_NAL_AUD), 1);
    assert_int_equal(count_nals(a.es, a.es_len, AVC_NAL_SPS), 0);

    pes_info_t b = parse_pes(&d.pes[1]);
    assert_true(d.pes[1].rai);
    assert_memory_equal(b.es, "\0\0\0\1\x09\xf0", 6); /* ours first, theirs dropped */
    assert_int_equal(count_nals(b.es, b.es_len, AVC_NAL_AUD), 1);
    assert_int_equal(count_nals(b.es, b.es_len, AVC_NAL_SPS), 1);
    assert_int_equal(count_nals(b.es, b.es_len, AVC_NAL_PPS), 1);
    assert_int_equal(count_nals(b.es, b.es_len, AVC_NAL_IDR), 1);

    pes_info_t c = parse_pes(&d.pes[2]);
    assert_int_equal(count_nals(c.es, c.es_len, AVC_NAL_AUD), 1);
    demux_free(&d);
    ts_mux_free(&m);
    buf_free(&out);
}

static void test_audio_pes(void **state)
{
    (void)state;
    ts_mux_t m;
    buf_t out = BUF_INIT;
    mux_av(&m, 1, 1);
    ts_mux_begin_segment(&m, &out);
    write_ok(&m, audio_frame(371, 23), &out);
    demux_t d;
    demux_init(&d);
    demux(&d, &out);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.pes[0].pid, TS_PID_AUDIO);
    assert_false(d.pes[0].has_pcr); /* video carries the PCR */
    pes_info_t a = parse_pes(&d.pes[0]);
    assert_int_equal(a.stream_id, 0xc0);
    assert_false(a.has_dts);
    assert_int_equal(a.pts, 23 * 90 + TS_DELAY_90K);
    assert_int_equal(a.es_len, 7 + 371);
    assert_memory_equal(a.es, "\xff\xf1\x50\x80", 4);
    assert_int_equal(((a.es[3] & 3) << 11) | (a.es[4] << 3) | (a.es[5] >> 5), 7 + 371);
    assert_int_equal(a.es[7], 1);
    demux_free(&d);
    ts_mux_free(&m);

    /* Audio only: the audio PID carries PCR and random access. */
    buf_reset(&out);
    mux_av(&m, 0, 1);
    ts_mux_begin_segment(&m, &out);
    write_ok(&m, audio_frame(10, 5000), &out);
    demux_init(&d);
    demux(&d, &out);
    assert_true(d.pes[0].has_pcr);
    assert_true(d.pes[0].rai);
    assert_int_equal(d.pes[0].pcr_base, 5000 * 90);
    demux_free(&d);
    ts_mux_free(&m);
    buf_free(&out);
}

/* Every PES size from tiny to several packets, with and without PCR: the
 * stuffing always lands the PES exactly in whole packets. */
static void test_stuffing_every_size(void **state)
{
    (void)state;
    for (int pcr = 0; pcr < 2; pcr++) {
        ts_mux_t m;
        mux_av(&m, !pcr, 1); /* audio gets the PCR only when alone */
        buf_t out = BUF_INIT;
        ts_mux_begin_segment(&m, &out);
        for (size_t len = 1; len <= 800; len++) {
            buf_reset(&out);
            write_ok(&m, audio_frame(len, (int64_t)len), &out);
            demux_t d;
            demux_init(&d);
            demux(&d, &out);
            assert_int_equal(d.n, 1);
            assert_int_equal(d.pes[0].has_pcr, pcr);
            pes_info_t a = parse_pes(&d.pes[0]);
            assert_int_equal(a.es_len, 7 + len);
            assert_int_equal(a.es[7 + len - 1], (uint8_t)((len - 1) * 13 + 1));
            size_t pes_len = 14 + 7 + len, room = 184 - (pcr ? 8 : 0);
            size_t packets = pes_len <= room ? 1 : 1 + (pes_len - room + 183) / 184;
            assert_int_equal(d.packets, packets);
            demux_free(&d);
        }
        ts_mux_free(&m);
        buf_free(&out);
    }
}

static void test_continuity_across_segments(void **state)
{
    (void)state;
    ts_mux_t m;
    buf_t out = BUF_INIT;
    mux_av(&m, 1, 1);
    demux_t *d = calloc(1, sizeof *d);
    demux_init(d);
    for (int seg = 0; seg < 3; seg++) {
        buf_reset(&out);
        ts_mux_begin_segment(&m, &out);
        for (int i = 0; i < 10; i++) {
            int64_t t = seg * 1000 + i * 100;
            write_ok(&m, video_frame(i == 0, 0, 0, 400 + (size_t)i * 50, t, 0), &out);
            write_ok(&m, audio_frame(200, t + 10), &out);
        }
        demux(d, &out); /* counters are checked against the previous segment's */
        demux_free(d);
        d->n = 0;
        d->npsi = 0;
    }
    assert_true(d->packets > 3 * 16);
    free(d);
    ts_mux_free(&m);
    buf_free(&out);
}

static void test_reset_config_keeps_counters(void **state)
{
    (void)state;
    ts_mux_t m;
    buf_t out = BUF_INIT;
    mux_av(&m, 1, 1);
    ts_mux_begin_segment(&m, &out);
    write_ok(&m, video_frame(1, 0, 0, 500, 0, 0), &out);
    write_ok(&m, audio_frame(100, 0), &out);
    ts_mux_reset_config(&m);
    media_frame_t *f = audio_frame(100, 10);
    assert_int_equal(ts_mux_write_frame(&m, f, &out), TS_SKIPPED); /* no config now */
    assert_int_equal(ts_mux_set_audio_config(&m, g_asc, sizeof g_asc), TS_OK);
    assert_int_equal(ts_mux_write_frame(&m, f, &out), TS_ESTATE); /* needs a new PMT */
    media_frame_unref(f);
    ts_mux_begin_segment(&m, &out);
    write_ok(&m, audio_frame(100, 20), &out);
    demux_t *d = calloc(1, sizeof *d);
    demux_init(d);
    demux(d, &out); /* counters continue on every PID */
    assert_int_equal(d->npsi, 4);
    assert_int_equal(d->pes[2].pid, TS_PID_AUDIO);
    assert_true(d->pes[2].has_pcr); /* audio alone now */
    demux_free(d);
    free(d);
    ts_mux_free(&m);
    buf_free(&out);
}

static void test_big_frame_and_wrap(void **state)
{
    (void)state;
    ts_mux_t m;
    buf_t out = BUF_INIT;
    mux_av(&m, 1, 0);
    ts_mux_begin_segment(&m, &out);
    /* 2^33 / 90 ms is about 26.5 hours: the 33-bit clock wraps. */
    int64_t wrap_ms = (int64_t)(((uint64_t)1 << 33) / 90);
    write_ok(&m, video_frame(1, 0, 0, 100000, wrap_ms, 40), &out);
    demux_t d;
    demux_init(&d);
    demux(&d, &out);
    const uint8_t *p = (const uint8_t *)d.pes[0].bytes.data;
    assert_int_equal(be16_get(p + 4), 0); /* over 65535 bytes: unbounded length */
    pes_info_t a = parse_pes(&d.pes[0]);
    uint64_t mask = ((uint64_t)1 << 33) - 1;
    assert_int_equal(a.dts, ((uint64_t)wrap_ms * 90 + TS_DELAY_90K) & mask);
    assert_int_equal(a.pts, ((uint64_t)(wrap_ms + 40) * 90 + TS_DELAY_90K) & mask);
    assert_int_equal(d.pes[0].pcr_base, ((uint64_t)wrap_ms * 90) & mask);
    demux_free(&d);
    ts_mux_free(&m);
    buf_free(&out);
}

static void test_errors(void **state)
{
    (void)state;
    ts_mux_t m;
    buf_t out = BUF_INIT;
    media_frame_t *f;
    ts_mux_init(&m);

    f = video_frame(1, 0, 0, 100, 0, 0);
    assert_int_equal(ts_mux_write_frame(&m, f, &out), TS_SKIPPED); /* no avcC yet */
    assert_int_equal(ts_mux_set_video_config(&m, g_avcc, g_avcc_len), TS_OK);
    assert_int_equal(ts_mux_write_frame(&m, f, &out), TS_ESTATE);
    assert_int_equal(out.len, 0);
    ts_mux_begin_segment(&m, &out);
    size_t before = out.len;

    /* Audio configured mid-segment waits for the next PMT. */
    assert_int_equal(ts_mux_set_audio_config(&m, g_asc, sizeof g_asc), TS_OK);
    media_frame_t *a = audio_frame(10, 0);
    assert_int_equal(ts_mux_write_frame(&m, a, &out), TS_SKIPPED);
    assert_int_equal(out.len, before);

    /* An AU whose last NAL runs past the end: nothing written. */
    rcbuf_t *bad = rcbuf_new(f->data->data, f->data->len - 1);
    media_frame_t *g = media_frame_new(MEDIA_VIDEO, MEDIA_CODEC_H264, 0, 1, 0, 0, bad);
    assert_int_equal(ts_mux_write_frame(&m, g, &out), TS_EMALFORMED);
    assert_int_equal(out.len, before);
    media_frame_unref(g);

    /* A bad avcC leaves the previous one in force. */
    assert_int_equal(ts_mux_set_video_config(&m, g_avcc, 5), TS_EMALFORMED);
    assert_int_equal(ts_mux_write_frame(&m, f, &out), TS_OK);
    /* Config frames go through write_frame too, and write nothing. */
    g = media_frame_new(MEDIA_VIDEO, MEDIA_CODEC_H264, 1, 1, 0, 0, rcbuf_new(g_avcc, g_avcc_len));
    before = out.len;
    assert_int_equal(ts_mux_write_frame(&m, g, &out), TS_OK);
    assert_int_equal(out.len, before);
    media_frame_unref(g);

    /* ADTS cannot carry object type 42, nor a frame past 13 bits. */
    static const uint8_t usac[] = {0xf9, 0x46, 0x40};
    assert_int_equal(ts_mux_set_audio_config(&m, usac, sizeof usac), TS_EUNSUPPORTED);
    ts_mux_begin_segment(&m, &out);
    media_frame_t *huge = audio_frame(8185, 0);
    assert_int_equal(ts_mux_write_frame(&m, huge, &out), TS_EUNSUPPORTED);
    media_frame_unref(huge);
    assert_int_equal(ts_mux_write_frame(&m, a, &out), TS_OK);

    media_frame_t *other =
        media_frame_new(MEDIA_VIDEO, MEDIA_CODEC_NONE, 0, 1, 0, 0, rcbuf_new("x", 1));
    assert_int_equal(ts_mux_write_frame(&m, other, &out), TS_EUNSUPPORTED);
    media_frame_unref(other);
    assert_string_equal(ts_strerror(TS_ESTATE), "frame before the first segment");
    media_frame_unref(a);
    media_frame_unref(f);
    ts_mux_free(&m);
    buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32_mpeg2),
        cmocka_unit_test(test_pat_pmt),
        cmocka_unit_test(test_video_keyframe),
        cmocka_unit_test(test_video_inter_and_in_band),
        cmocka_unit_test(test_audio_pes),
        cmocka_unit_test(test_stuffing_every_size),
        cmocka_unit_test(test_continuity_across_segments),
        cmocka_unit_test(test_reset_config_keeps_counters),
        cmocka_unit_test(test_big_frame_and_wrap),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
