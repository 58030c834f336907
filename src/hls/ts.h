/*
 * hls/ts — MPEG-2 transport stream muxer (ISO/IEC 13818-1) for HLS
 * segments: H.264 (Annex B) and AAC (ADTS) elementary streams in PES
 * packets, one program, PAT/PMT at the start of every segment.
 *
 * Data path: hub → hls/packager → ts_mux_write_frame → segment bytes →
 * hls/store. Pure: no I/O, no clock. The muxer owns a copy of the current
 * codec configuration and a scratch buffer; the caller owns every `out`
 * buffer and the frames (only read here). Output is always whole 188-byte
 * packets; on any error `out` is left exactly as it was.
 *
 * Invariants
 *   - PIDs: PAT 0, PMT 0x1000, video 0x100, audio 0x101.
 *   - Continuity counters are per PID and keep running across segments
 *     (one muxer per stream, segments cut with ts_mux_begin_segment).
 *   - PTS/DTS = ms * 90 + TS_DELAY_90K (mod 2^33); PCR = ms * 90, so the PCR
 *     leads each frame's DTS by TS_DELAY_90K. PCR rides the first packet of
 *     every PES on the PCR PID: video, or audio when the segment has no video.
 *   - Every video access unit starts with an AUD (ours; one already in the AU
 *     is dropped, never duplicated); keyframes also get the avcC's SPS/PPS
 *     unless the AU carries them, and random_access_indicator is set.
 *   - A segment lists in its PMT the tracks configured when it began; frames
 *     of a track configured later wait for the next segment (TS_SKIPPED).
 *
 * Packet:
 *   | 0x47 | TEI PUSI prio PID(13) | scrambling(2) AFC(2) CC(4) | [adaptation] | payload |
 *   adaptation: | length | flags (disc RAI prio PCR ...) | [PCR base(33) rsv(6) ext(9)] | 0xFF.. |
 * PES header (video with DTS):
 *   | 00 00 01 | E0 | length(16) | 84 | C0 | 0A | PTS(5 bytes) | DTS(5 bytes) |
 */
#ifndef SIARAN_HLS_TS_H
#define SIARAN_HLS_TS_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "media/aac.h"
#include "media/frame.h"

#define TS_OK           0
#define TS_SKIPPED      1    /* not written: track not configured yet, or not in this PMT */
#define TS_EMALFORMED   (-1) /* payload or configuration does not parse */
#define TS_EUNSUPPORTED (-2) /* codec or configuration TS/ADTS cannot carry */
#define TS_ESTATE       (-3) /* frame written before the first ts_mux_begin_segment */

#define TS_PACKET_SIZE 188
#define TS_PID_PAT     0x0000
#define TS_PID_PMT     0x1000
#define TS_PID_VIDEO   0x0100
#define TS_PID_AUDIO   0x0101
#define TS_PID_NULL    0x1fff

#define TS_STREAM_TYPE_H264 0x1b
#define TS_STREAM_TYPE_AAC  0x0f
#define TS_STREAM_ID_VIDEO  0xe0
#define TS_STREAM_ID_AUDIO  0xc0

#define TS_DELAY_90K 63000u /* 700 ms between a frame's PCR and its DTS */

typedef struct ts_mux {
    uint8_t cc_pat, cc_pmt, cc_video, cc_audio; /* next continuity counter per PID */
    uint8_t video_ready, audio_ready;           /* a configuration has been set */
    uint8_t seg_video, seg_audio;               /* tracks in the current segment's PMT */
    uint8_t in_segment;
    uint8_t nal_length_size;
    buf_t param_sets;   /* every SPS and PPS of the current avcC, Annex B */
    aac_config_t audio; /* current AudioSpecificConfig */
    buf_t pes;          /* scratch: the PES being packetized */
} ts_mux_t;

void ts_mux_init(ts_mux_t *m);
void ts_mux_free(ts_mux_t *m);

/* Replace the codec configuration (avcC / AudioSpecificConfig bytes, copied).
 * On error the previous configuration stays in force. */
__attribute__((warn_unused_result)) int ts_mux_set_video_config(ts_mux_t *m, const uint8_t *avcc,
                                                                size_t len);
__attribute__((warn_unused_result)) int ts_mux_set_audio_config(ts_mux_t *m, const uint8_t *asc,
                                                                size_t len);

/* Forgets the codec configuration (a new publisher brings its own) while
 * keeping the continuity counters running; the next segment must begin
 * with ts_mux_begin_segment. */
void ts_mux_reset_config(ts_mux_t *m);

/* Starts a segment: appends PAT and PMT (listing the configured tracks). */
void ts_mux_begin_segment(ts_mux_t *m, buf_t *out);

/* Appends one frame's packets. Config frames (f->config) update the
 * configuration and write nothing. Returns TS_OK, TS_SKIPPED or an error. */
__attribute__((warn_unused_result)) int ts_mux_write_frame(ts_mux_t *m, const media_frame_t *f,
                                                           buf_t *out);

/* Whether ts_mux_write_frame would accept f with the current configuration
 * (TS_OK, TS_SKIPPED or the error it would return), without writing. */
__attribute__((warn_unused_result)) int ts_mux_check_frame(const ts_mux_t *m,
                                                           const media_frame_t *f);

/* CRC-32/MPEG-2 (poly 0x04C11DB7, init 0xFFFFFFFF, no reflection, no final xor). */
uint32_t ts_crc32(const uint8_t *data, size_t len);

const char *ts_strerror(int err);

#endif
