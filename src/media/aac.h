/*
 * media/aac — AAC configuration: the AudioSpecificConfig (ISO/IEC 14496-3
 * 1.6.2.1) that RTMP/FLV sends as the AAC sequence header, and the 7-byte
 * ADTS header (14496-3 1.A.2, no CRC) that MPEG-TS needs before each raw
 * AAC frame.
 *
 * Sits between media/flv (ASC bytes from the sequence header) and hls/ts
 * (which writes one ADTS header per frame). Pure functions; no allocation;
 * aac_config_t is a plain value.
 *
 * AudioSpecificConfig (bits):
 *   objectType(5) [=31: 32 + objectTypeExt(6)]
 *   freqIndex(4)  [=15: samplingFrequency(24)]
 *   channelConfig(4)
 *   [objectType 5 (SBR) / 29 (PS): extFreqIndex(4) [=15: rate(24)], objectType(5..11)]
 *   ...GASpecificConfig etc. (not read)
 *
 * ADTS header (56 bits):
 *   syncword 0xFFF | ID 0 | layer 00 | protection_absent 1 |
 *   profile(2) = objectType-1 | freqIndex(4) | private 0 | channelConfig(3) |
 *   original 0 | home 0 | copyright bits 00 | frame_length(13, header included) |
 *   buffer_fullness 0x7FF | raw_data_blocks 00
 */
#ifndef SIARAN_MEDIA_AAC_H
#define SIARAN_MEDIA_AAC_H

#include <stddef.h>
#include <stdint.h>

#define AAC_OK           0
#define AAC_EMALFORMED   (-1) /* truncated or reserved value */
#define AAC_EUNSUPPORTED (-2) /* valid, but ADTS cannot express it (object type > 4...) */

#define AAC_ADTS_HEADER_SIZE 7
#define AAC_ADTS_MAX_FRAME   8191 /* frame_length is 13 bits, header included */

typedef struct aac_config {
    uint16_t object_type;     /* core object type: 2 = AAC-LC (after SBR/PS signalling) */
    uint8_t sbr, ps;          /* explicit SBR (HE-AAC) / PS (HE-AACv2) signalling seen */
    uint8_t freq_index;       /* 0..12, or 15 when the rate was explicit */
    uint8_t channel_config;   /* 0 (defined in a PCE), 1..7 */
    uint32_t sample_rate;     /* core sampling rate, Hz */
    uint32_t ext_sample_rate; /* SBR output rate, Hz; 0 without SBR */
} aac_config_t;

__attribute__((warn_unused_result)) int aac_asc_parse(const uint8_t *asc, size_t len,
                                                      aac_config_t *out);

/* Writes the ADTS header for one raw frame of payload_len bytes. Fails with
 * AAC_EUNSUPPORTED when the config cannot be described by ADTS, or when the
 * frame does not fit in its 13-bit length. */
__attribute__((warn_unused_result)) int aac_adts_header(const aac_config_t *c, size_t payload_len,
                                                        uint8_t out[AAC_ADTS_HEADER_SIZE]);

/* Output sampling rate (the SBR rate for HE-AAC) and channel count (0 if
 * defined by a program config element). */
uint32_t aac_sample_rate(const aac_config_t *c);
unsigned aac_channels(const aac_config_t *c);
/* The rate of a sampling frequency index, 0 for reserved/escape indexes. */
uint32_t aac_index_rate(unsigned freq_index);

const char *aac_strerror(int err);

#endif
