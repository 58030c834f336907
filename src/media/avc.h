/*
 * media/avc — H.264 bitstream helpers: the AVCDecoderConfigurationRecord
 * (avcC, ISO/IEC 14496-15 5.2.4.1), the sequence parameter set (H.264
 * 7.3.2.1.1 and the VUI's timing info, E.1.1), and the conversion of a
 * length-prefixed access unit (what RTMP/FLV and MP4 carry) into Annex B
 * byte-stream form (what MPEG-TS carries).
 *
 * Sits between media/flv (which hands over avcC and AU payloads) and the
 * muxers (hls/ts). Pure functions over caller-owned bytes: nothing here
 * allocates except avc_au_to_annexb, which appends to the caller's buf_t.
 * avc_config_t points INTO the avcC bytes it was parsed from; those bytes
 * must outlive it.
 *
 * avcC:
 *   +---------+---------+--------+-------+-------------------------+
 *   | version | profile | compat | level | 111111 lengthSizeMinus1 |
 *   +---------+---------+--------+-------+-------------------------+
 *   | 111 numSPS(5) | { len(16) SPS NAL } x numSPS                 |
 *   | numPPS(8)     | { len(16) PPS NAL } x numPPS                 |
 *   | [high profiles: chroma, bit depths, SPS-ext list] (optional)  |
 *   +---------------------------------------------------------------+
 *
 * Access unit, length-prefixed (nal_length_size = 1, 2 or 4):
 *   | len | NAL | len | NAL | ...      →   | 00 00 00 01 | NAL | 00 00 00 01 | NAL | ...
 *
 * Invariants: every parser checks each length against the bytes it has
 * before reading; the SPS bit reader's error flag is sticky (a read past the
 * end yields zeros and is reported once, at the end).
 */
#ifndef SIARAN_MEDIA_AVC_H
#define SIARAN_MEDIA_AVC_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define AVC_OK           0
#define AVC_EMALFORMED   (-1) /* truncated or out-of-range field */
#define AVC_EUNSUPPORTED (-2) /* valid but outside what we handle (e.g. > AVC_MAX_PARAM_SETS) */

#define AVC_NAL_SLICE 1
#define AVC_NAL_IDR   5
#define AVC_NAL_SEI   6
#define AVC_NAL_SPS   7
#define AVC_NAL_PPS   8
#define AVC_NAL_AUD   9

/* Parameter sets kept per kind; real encoders send one SPS and one PPS. */
#define AVC_MAX_PARAM_SETS 16

typedef struct avc_nal_ref {
    const uint8_t *data; /* points into the parsed avcC */
    uint16_t len;
} avc_nal_ref_t;

typedef struct avc_config {
    uint8_t version; /* always 1 */
    uint8_t profile, compat, level;
    uint8_t nal_length_size; /* 1, 2 or 4 */
    uint8_t sps_count, pps_count;
    avc_nal_ref_t sps[AVC_MAX_PARAM_SETS];
    avc_nal_ref_t pps[AVC_MAX_PARAM_SETS];
} avc_config_t;

typedef struct avc_sps {
    uint8_t profile_idc, constraint_flags, level_idc;
    uint8_t sps_id;
    uint8_t chroma_format_idc; /* 0..3; 1 (4:2:0) unless a high profile says otherwise */
    uint8_t bit_depth_luma, bit_depth_chroma;
    uint8_t frame_mbs_only;
    uint32_t width, height; /* displayed size, after frame cropping */
    /* Frame rate from the VUI timing info: fps = fps_num / fps_den; both 0 when absent. */
    uint32_t fps_num, fps_den;
} avc_sps_t;

/* AU flags (avc_au_scan, avc_au_to_annexb). */
#define AVC_AU_HAS_AUD 1u
#define AVC_AU_HAS_IDR 2u
#define AVC_AU_HAS_SPS 4u
#define AVC_AU_HAS_PPS 8u

/* Parses an avcC; *out points into avcc. */
__attribute__((warn_unused_result)) int avc_config_parse(const uint8_t *avcc, size_t len,
                                                         avc_config_t *out);

/* Parses an SPS NAL unit (starting at its one-byte NAL header, type 7), with
 * emulation-prevention bytes still in place. A VUI that is cut short leaves
 * fps at 0 rather than failing: the picture size is what matters. */
__attribute__((warn_unused_result)) int avc_sps_parse(const uint8_t *nal, size_t len,
                                                      avc_sps_t *out);

/* Walks a length-prefixed AU, checking every length; *flags gets the
 * AVC_AU_* bits of the NAL types present (0 on error). Zero-length NAL units
 * are allowed and ignored. */
__attribute__((warn_unused_result)) int avc_au_scan(const uint8_t *au, size_t len,
                                                    unsigned nal_length_size, unsigned *flags);

/* Appends the AU to out in Annex B form (4-byte start codes), leaving out
 * the NAL unit types whose bit is set in skip_types (bit n = type n; e.g.
 * 1u << AVC_NAL_AUD to drop access unit delimiters). On error out is left
 * as it was. flags may be NULL. */
__attribute__((warn_unused_result)) int avc_au_to_annexb(const uint8_t *au, size_t len,
                                                         unsigned nal_length_size,
                                                         uint32_t skip_types, buf_t *out,
                                                         unsigned *flags);

const char *avc_strerror(int err);

#endif
