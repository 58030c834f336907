/* hls/playlist — see playlist.h. */
#include "hls/playlist.h"

#include <math.h>
#include <stdio.h>
#include <time.h>

/* Rounds to the nearest integer as RFC 8216 4.3.3.1 compares durations. */
static long round_nearest(double s)
{
    return (long)floor(s + 0.5);
}

void hls_playlist_format_time(int64_t ms, char out[32])
{
    int64_t secs = ms / 1000, frac = ms % 1000;
    if (frac < 0) {
        frac += 1000;
        secs--;
    }
    time_t t = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(out, 32, "1970-01-01T00:00:00.000Z");
        return;
    }
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03dZ", (int)frac);
}

static int valid(const hls_playlist_t *p)
{
    if (p->target_duration < 1)
        return 0;
    for (size_t i = 0; i < p->count; i++) {
        const hls_playlist_segment_t *s = &p->segments[i];
        if (!s->uri || !(s->duration >= 0 && s->duration < 1e6))
            return 0;
        /* Compare what players will read: the 3-decimal EXTINF value. */
        if (round_nearest(floor(s->duration * 1000 + 0.5) / 1000) > p->target_duration)
            return 0;
        if (s->seq != p->media_sequence + i)
            return 0;
    }
    return 1;
}

int hls_playlist_render(const hls_playlist_t *p, buf_t *out)
{
    if (!valid(p))
        return HLS_PLAYLIST_EINVAL;
    buf_puts(out, "#EXTM3U\n#EXT-X-VERSION:3\n");
    buf_printf(out, "#EXT-X-TARGETDURATION:%d\n", p->target_duration);
    buf_printf(out, "#EXT-X-MEDIA-SEQUENCE:%llu\n", (unsigned long long)p->media_sequence);
    if (p->discontinuity_sequence)
        buf_printf(out, "#EXT-X-DISCONTINUITY-SEQUENCE:%llu\n",
                   (unsigned long long)p->discontinuity_sequence);
    for (size_t i = 0; i < p->count; i++) {
        const hls_playlist_segment_t *s = &p->segments[i];
        if (s->discontinuity)
            buf_puts(out, "#EXT-X-DISCONTINUITY\n");
        if ((i == 0 || s->discontinuity) && s->program_date_time_ms != 0) {
            char when[32];
            hls_playlist_format_time(s->program_date_time_ms, when);
            buf_printf(out, "#EXT-X-PROGRAM-DATE-TIME:%s\n", when);
        }
        buf_printf(out, "#EXTINF:%.3f,\n%s\n", s->duration, s->uri);
    }
    if (p->ended)
        buf_puts(out, "#EXT-X-ENDLIST\n");
    return HLS_PLAYLIST_OK;
}

int hls_playlist_target_duration(double segment_seconds, double keyframe_interval_s)
{
    if (!(segment_seconds > 0))
        segment_seconds = 1;
    double longest = segment_seconds;
    if (keyframe_interval_s > 0) {
        /* The cut lands on the first keyframe at or after the target length;
         * the small epsilon keeps 2.0 / 1.0 from becoming 3 keyframes. */
        double k = ceil(segment_seconds / keyframe_interval_s - 1e-9);
        if (k < 1)
            k = 1;
        longest = k * keyframe_interval_s;
    }
    long t = round_nearest(longest);
    if (t < 1)
        t = 1;
    if (t > 3600)
        t = 3600;
    return (int)t;
}
