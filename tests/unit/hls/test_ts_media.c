/*
 * hls/ts with real media and real peers: the shared test FLV files are read
 * with media/flv, cut by hls/segmenter into TS segments plus a playlist from
 * hls/playlist, and then ffprobe must see the right streams and ffmpeg must
 * decode every segment and the playlist without a single error line.
 * SIARAN_KEEP_TMP=1 keeps the output folder. Skipped when the media cannot be found or made, or
 * ffmpeg is missing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/bytes.h"
#include "hls/playlist.h"
#include "hls/segmenter.h"
#include "hls/ts.h"
#include "media/aac.h"
#include "media/avc.h"
#include "media/flv.h"

#define MAX_SEGMENTS 64

static char media_dir[1024];
static char tmp_dir[64];

static int file_exists(const char *dir, const char *name)
{
    char path[1200];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0 && st.st_size > 0;
}

static int have_all(const char *dir)
{
    return file_exists(dir, "small.flv") && file_exists(dir, "video-only.flv") &&
           file_exists(dir, "audio-only.flv");
}

/* Runs cmd and returns what it printed (stdout and stderr) in out. */
static int run(const char *cmd, buf_t *out)
{
    char full[4096];
    snprintf(full, sizeof full, "%s 2>&1", cmd);
    FILE *p = popen(full, "r");
    if (!p)
        return -1;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        buf_append(out, chunk, n);
    return pclose(p);
}

static int setup(void **state)
{
    (void)state;
    const char *env = getenv("SIARAN_MEDIA_DIR");
    const char *home = getenv("HOME");
    if (env && *env)
        snprintf(media_dir, sizeof media_dir, "%s", env);
    else
        snprintf(media_dir, sizeof media_dir, "%s/.cache/siaran-media", home ? home : "/tmp");
    const char *src = getenv("SIARAN_SOURCE_DIR");
    if (!have_all(media_dir) && src) {
        char cmd[3000];
        buf_t out = BUF_INIT;
        snprintf(cmd, sizeof cmd, "'%s/../shared/media/make-test-media.sh' '%s'", src, media_dir);
        (void)run(cmd, &out);
        buf_free(&out);
    }
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/siaran-ts-XXXXXX");
    if (!mkdtemp(tmp_dir))
        tmp_dir[0] = '\0';
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (tmp_dir[0] && getenv("SIARAN_KEEP_TMP")) {
        fprintf(stderr, "kept %s\n", tmp_dir);
    } else if (tmp_dir[0]) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmp_dir);
    }
    return 0;
}

static void skip_unless_ready(void)
{
    buf_t out = BUF_INIT;
    int ok = have_all(media_dir) && tmp_dir[0] && run("ffprobe -version", &out) == 0;
    buf_free(&out);
    if (!ok) {
        print_message("test media or ffmpeg missing; skipping\n");
        skip();
    }
}

/* ---- FLV file → segments ------------------------------------------------- */

struct job {
    const char *name;
    hls_segmenter_t seg;
    hls_closed_segment_t segs[MAX_SEGMENTS];
    int nsegs;
    int frames, video_frames, audio_frames, refused;
    avc_sps_t sps;
    int have_sps;
};

static void keep(struct job *j, const hls_closed_segment_t *c)
{
    assert_true(j->nsegs < MAX_SEGMENTS);
    j->segs[j->nsegs++] = *c;
}

static int on_tag(void *ud, uint8_t type, uint32_t ts, const uint8_t *body, size_t len)
{
    struct job *j = ud;
    media_frame_t *f;
    int rc = flv_to_frame(type, ts, body, len, &f);
    if (rc == FLV_NOTHING)
        return 0;
    assert_int_equal(rc, FLV_OK);
    if (f->config && f->kind == MEDIA_VIDEO) {
        avc_config_t cfg;
        assert_int_equal(avc_config_parse((const uint8_t *)f->data->data, f->data->len, &cfg),
                         AVC_OK);
        assert_int_equal(avc_sps_parse(cfg.sps[0].data, cfg.sps[0].len, &j->sps), AVC_OK);
        j->have_sps = 1;
    }
    if (!f->config) {
        j->frames++;
        j->video_frames += f->kind == MEDIA_VIDEO;
        j->audio_frames += f->kind == MEDIA_AUDIO;
    }
    hls_closed_segment_t c;
    rc = hls_segmenter_push(&j->seg, f, &c);
    assert_true(rc >= 0);
    if (rc == HLS_SEG_CLOSED)
        keep(j, &c);
    media_frame_unref(f);
    return 0;
}

static void mux_file(struct job *j, const char *name)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", media_dir, name);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    memset(j, 0, sizeof *j);
    j->name = name;
    hls_segmenter_init(&j->seg, 2000, 32u << 20);
    flv_reader_t r;
    flv_reader_init(&r, 0, on_tag, j);
    uint8_t chunk[3001]; /* an odd size, so tags straddle reads */
    size_t n;
    int rc = FLV_OK;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        rc = flv_reader_feed(&r, chunk, n);
    fclose(fp);
    assert_int_equal(rc, FLV_OK);
    flv_reader_free(&r);
    hls_closed_segment_t c;
    if (hls_segmenter_flush(&j->seg, &c) == HLS_SEG_CLOSED)
        keep(j, &c);
    assert_true(j->nsegs >= 2);
}

static void free_job(struct job *j)
{
    for (int i = 0; i < j->nsegs; i++)
        rcbuf_unref(j->segs[i].data);
    hls_segmenter_free(&j->seg);
}

/* ---- structure of the bytes ---------------------------------------------- */

/* Sync bytes, continuity per PID across all segments, PAT first in each
 * segment, and a PCR on every keyframe PES start of the PCR PID. */
static void check_structure(const struct job *j, uint16_t pcr_pid)
{
    int cc[0x2000];
    for (int i = 0; i < 0x2000; i++)
        cc[i] = -1;
    int pcrs = 0, rais = 0;
    for (int s = 0; s < j->nsegs; s++) {
        const uint8_t *d = (const uint8_t *)j->segs[s].data->data;
        size_t len = j->segs[s].data->len;
        assert_int_equal(len % TS_PACKET_SIZE, 0);
        assert_int_equal(((d[1] & 0x1f) << 8) | d[2], TS_PID_PAT);
        assert_int_equal(((d[189] & 0x1f) << 8) | d[190], TS_PID_PMT);
        for (size_t off = 0; off < len; off += TS_PACKET_SIZE) {
            const uint8_t *p = d + off;
            assert_int_equal(p[0], 0x47);
            uint16_t pid = (uint16_t)(((p[1] & 0x1f) << 8) | p[2]);
            int c = p[3] & 0x0f;
            if (cc[pid] >= 0)
                assert_int_equal(c, (cc[pid] + 1) & 0x0f);
            cc[pid] = c;
            int af = (p[3] >> 4) & 2;
            if (pid == pcr_pid && (p[1] & 0x40)) {
                assert_true(af && p[4] >= 7 && (p[5] & 0x10)); /* PCR on every PES start */
                pcrs++;
                rais += (p[5] & 0x40) != 0;
            }
        }
        /* The segment begins at a random access point. */
        const uint8_t *first = d + 2 * TS_PACKET_SIZE;
        assert_int_equal(((first[1] & 0x1f) << 8) | first[2], pcr_pid);
        assert_true(first[5] & 0x40);
    }
    assert_true(pcrs > 0);
    assert_true(rais >= j->nsegs);
}

/* ---- files and peers ----------------------------------------------------- */

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

/* Writes NAME-<seq>.ts, NAME.ts (all segments) and NAME.m3u8; returns the
 * path of NAME.ts in all_path. */
static void write_outputs(const struct job *j, char *all_path, size_t all_len)
{
    char base[256], path[512];
    snprintf(base, sizeof base, "%.*s", (int)(strcspn(j->name, ".")), j->name);
    snprintf(all_path, all_len, "%s/%s.ts", tmp_dir, base);
    buf_t all = BUF_INIT, pl = BUF_INIT;
    hls_playlist_segment_t ps[MAX_SEGMENTS];
    char uris[MAX_SEGMENTS][300];
    for (int i = 0; i < j->nsegs; i++) {
        snprintf(uris[i], sizeof uris[i], "%s-%d.ts", base, i);
        snprintf(path, sizeof path, "%s/%s", tmp_dir, uris[i]);
        write_file(path, j->segs[i].data->data, j->segs[i].data->len);
        buf_append(&all, j->segs[i].data->data, j->segs[i].data->len);
        ps[i] =
            (hls_playlist_segment_t){(uint64_t)i, j->segs[i].duration_ms / 1000.0,
                                     j->segs[i].discontinuity, 1700000000000 + i * 2000, uris[i]};
    }
    write_file(all_path, all.data, all.len);
    double key_s = (double)j->seg.max_key_interval / 1000.0;
    hls_playlist_t p = {hls_playlist_target_duration(2.0, key_s), 0, 0, 1, ps, (size_t)j->nsegs};
    assert_int_equal(hls_playlist_render(&p, &pl), HLS_PLAYLIST_OK);
    snprintf(path, sizeof path, "%s/%s.m3u8", tmp_dir, base);
    write_file(path, pl.data, pl.len);
    buf_free(&all);
    buf_free(&pl);
}

static void assert_decodes(const char *path)
{
    char cmd[1200];
    buf_t out = BUF_INIT;
    snprintf(cmd, sizeof cmd, "ffmpeg -nostdin -v error -i '%s' -f null -", path);
    int rc = run(cmd, &out);
    if (rc != 0 || out.len > 0)
        fail_msg("%s: exit %d: %s", path, rc, out.data ? out.data : "");
    buf_free(&out);
}

static void probe(const char *path, buf_t *out)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "ffprobe -v error -show_streams -show_format -of json '%s'", path);
    assert_int_equal(run(cmd, out), 0);
}

static void assert_has(const buf_t *b, const char *needle)
{
    if (!b->data || !strstr(b->data, needle))
        fail_msg("missing %s in:\n%s", needle, b->data ? b->data : "");
}

static void decode_all(const struct job *j, const char *all_path)
{
    char path[600];
    assert_decodes(all_path);
    for (int i = 0; i < j->nsegs; i++) {
        snprintf(path, sizeof path, "%s/%.*s-%d.ts", tmp_dir, (int)strcspn(j->name, "."), j->name,
                 i);
        assert_decodes(path);
    }
    snprintf(path, sizeof path, "%s/%.*s.m3u8", tmp_dir, (int)strcspn(j->name, "."), j->name);
    assert_decodes(path);
}

static void check_durations(const struct job *j, int64_t total_ms)
{
    int64_t sum = 0;
    for (int i = 0; i < j->nsegs; i++) {
        sum += j->segs[i].duration_ms;
        if (i + 1 < j->nsegs) {
            assert_true(j->segs[i].duration_ms >= 2000);
            assert_true(j->segs[i].duration_ms <= 2100);
            assert_int_equal(j->segs[i].start_dts_ms + j->segs[i].duration_ms,
                             j->segs[i + 1].start_dts_ms);
        }
    }
    assert_true(sum >= total_ms - 100 && sum <= total_ms + 100);
}

static void test_small_flv(void **state)
{
    (void)state;
    skip_unless_ready();
    struct job *j = calloc(1, sizeof *j);
    char all[600];
    mux_file(j, "small.flv");
    assert_true(j->have_sps);
    assert_int_equal(j->sps.width, 640);
    assert_int_equal(j->sps.height, 360);
    assert_int_equal(j->sps.fps_num / j->sps.fps_den, 30);
    assert_int_equal(j->seg.max_key_interval, 1000);
    assert_true(j->seg.frames_dropped <= 1); /* audio ahead of the first keyframe */
    assert_int_equal(j->video_frames, 300);
    check_durations(j, 10000);
    check_structure(j, TS_PID_VIDEO);
    write_outputs(j, all, sizeof all);

    buf_t out = BUF_INIT;
    probe(all, &out);
    assert_has(&out, "\"codec_name\": \"h264\"");
    assert_has(&out, "\"width\": 640");
    assert_has(&out, "\"height\": 360");
    assert_has(&out, "\"codec_name\": \"aac\"");
    assert_has(&out, "\"sample_rate\": \"44100\"");
    assert_has(&out, "\"channels\": 2");
    assert_has(&out, "\"format_name\": \"mpegts\"");
    buf_free(&out);
    decode_all(j, all);
    free_job(j);
    free(j);
}

static void test_video_only_flv(void **state)
{
    (void)state;
    skip_unless_ready();
    struct job *j = calloc(1, sizeof *j);
    char all[600];
    mux_file(j, "video-only.flv");
    assert_int_equal(j->audio_frames, 0);
    check_durations(j, 6000);
    check_structure(j, TS_PID_VIDEO);
    write_outputs(j, all, sizeof all);
    buf_t out = BUF_INIT;
    probe(all, &out);
    assert_has(&out, "\"codec_name\": \"h264\"");
    assert_has(&out, "\"width\": 640");
    assert_true(strstr(out.data, "\"codec_type\": \"audio\"") == NULL);
    buf_free(&out);
    decode_all(j, all);
    free_job(j);
    free(j);
}

static void test_audio_only_flv(void **state)
{
    (void)state;
    skip_unless_ready();
    struct job *j = calloc(1, sizeof *j);
    char all[600];
    mux_file(j, "audio-only.flv");
    assert_int_equal(j->video_frames, 0);
    assert_int_equal(j->seg.frames_dropped, 0);
    check_structure(j, TS_PID_AUDIO);
    write_outputs(j, all, sizeof all);
    buf_t out = BUF_INIT;
    probe(all, &out);
    assert_has(&out, "\"codec_name\": \"aac\"");
    assert_has(&out, "\"sample_rate\": \"44100\"");
    assert_true(strstr(out.data, "\"codec_type\": \"video\"") == NULL);
    buf_free(&out);
    decode_all(j, all);
    free_job(j);
    free(j);
}

struct configs {
    avc_sps_t sps;
    aac_config_t asc;
    int found;
};

/* Stops the reader once both sequence headers were seen. */
static int on_config(void *ud, uint8_t type, uint32_t ts, const uint8_t *body, size_t len)
{
    struct configs *c = ud;
    media_frame_t *f;
    if (flv_to_frame(type, ts, body, len, &f) != FLV_OK)
        return 0;
    const uint8_t *d = (const uint8_t *)f->data->data;
    if (f->config && f->kind == MEDIA_VIDEO) {
        avc_config_t cfg;
        assert_int_equal(avc_config_parse(d, f->data->len, &cfg), AVC_OK);
        assert_int_equal(avc_sps_parse(cfg.sps[0].data, cfg.sps[0].len, &c->sps), AVC_OK);
        c->found |= 1;
    } else if (f->config) {
        assert_int_equal(aac_asc_parse(d, f->data->len, &c->asc), AAC_OK);
        c->found |= 2;
    }
    media_frame_unref(f);
    return c->found == 3;
}

/* The 1280x720 stream's SPS and ASC, read from the real file. */
static void test_hd_configs(void **state)
{
    (void)state;
    skip_unless_ready();
    char path[1200];
    snprintf(path, sizeof path, "%s/hd.flv", media_dir);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        skip();
    static uint8_t head[65536];
    size_t n = fread(head, 1, sizeof head, fp);
    fclose(fp);
    struct configs c = {0};
    flv_reader_t r;
    flv_reader_init(&r, 0, on_config, &c);
    assert_int_equal(flv_reader_feed(&r, head, n), FLV_EABORTED);
    flv_reader_free(&r);
    assert_int_equal(c.sps.width, 1280);
    assert_int_equal(c.sps.height, 720);
    assert_int_equal(c.sps.profile_idc, 100);
    assert_int_equal(c.sps.fps_num / c.sps.fps_den, 30);
    assert_int_equal(aac_sample_rate(&c.asc), 48000);
    assert_int_equal(aac_channels(&c.asc), 2);
    assert_int_equal(c.asc.object_type, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_flv),
        cmocka_unit_test(test_video_only_flv),
        cmocka_unit_test(test_audio_only_flv),
        cmocka_unit_test(test_hd_configs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
