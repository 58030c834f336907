/*
 * hls/playlist — renders a live HLS media playlist (RFC 8216) from segment
 * descriptors, and picks the target duration it must keep.
 *
 * Data path: hls/packager (or hls/store) → hls_playlist_render → text that
 * becomes an immutable rcbuf served by hls/http. Pure: the caller owns the
 * descriptors (URIs included) and the output buffer; nothing is kept.
 *
 * Output (EXT-X-DISCONTINUITY-SEQUENCE only when non-zero; PROGRAM-DATE-TIME
 * on the first segment and after each discontinuity, when known):
 *   #EXTM3U
 *   #EXT-X-VERSION:3
 *   #EXT-X-TARGETDURATION:2
 *   #EXT-X-MEDIA-SEQUENCE:41
 *   #EXT-X-DISCONTINUITY-SEQUENCE:1
 *   #EXT-X-PROGRAM-DATE-TIME:2024-05-01T10:00:00.000Z
 *   #EXTINF:2.000,
 *   41.ts
 *   #EXT-X-DISCONTINUITY
 *   #EXT-X-PROGRAM-DATE-TIME:2024-05-01T10:00:09.500Z
 *   #EXTINF:1.967,
 *   42.ts
 *   #EXT-X-ENDLIST
 *
 * Invariants the caller keeps (RFC 8216 6.2.1, 6.2.2): target_duration
 * never changes during a playlist's life and is >= every duration rounded
 * to the nearest integer; media_sequence is segments[0].seq and grows by one
 * per segment removed; discontinuity_sequence counts discontinuities that
 * left the window. hls_playlist_render checks the first two and refuses.
 */
#ifndef SIARAN_HLS_PLAYLIST_H
#define SIARAN_HLS_PLAYLIST_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define HLS_PLAYLIST_OK     0
#define HLS_PLAYLIST_EINVAL (-1) /* a segment longer than the target, or sequence gaps */

typedef struct hls_playlist_segment {
    uint64_t seq;
    double duration; /* seconds */
    int discontinuity;
    int64_t program_date_time_ms; /* wall clock of its first frame, ms since 1970; 0 = unknown */
    const char *uri;
} hls_playlist_segment_t;

typedef struct hls_playlist {
    int target_duration; /* seconds */
    uint64_t media_sequence;
    uint64_t discontinuity_sequence;
    int ended; /* adds #EXT-X-ENDLIST */
    const hls_playlist_segment_t *segments;
    size_t count;
} hls_playlist_t;

/* Appends the playlist text to out; on error out is left as it was. */
__attribute__((warn_unused_result)) int hls_playlist_render(const hls_playlist_t *p, buf_t *out);

/* The target duration for segments cut at the first keyframe at or after
 * segment_seconds, given the keyframe interval seen (0 or less when unknown,
 * or for audio-only streams cut by duration alone): the longest such segment,
 * rounded to the nearest integer, at least 1. */
int hls_playlist_target_duration(double segment_seconds, double keyframe_interval_s);

/* Writes "YYYY-MM-DDTHH:MM:SS.mmmZ" (24 characters + NUL) for a time in ms since 1970. */
void hls_playlist_format_time(int64_t ms, char out[32]);

#endif
