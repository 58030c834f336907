/*
 * tests/unit/media_fixture — builders for H.264 test inputs, written from
 * the H.264 syntax tables rather than copied from captures: an MSB-first
 * bit writer with Exp-Golomb codes, an SPS encoder (with emulation
 * prevention), an avcC and length-prefixed access units. Header-only
 * (static inline) so any test may include it.
 */
#ifndef SIARAN_TEST_MEDIA_FIXTURE_H
#define SIARAN_TEST_MEDIA_FIXTURE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct fx_bits {
    uint8_t buf[1024];
    size_t bits;
} fx_bits_t;

static inline void fx_u(fx_bits_t *w, unsigned n, uint64_t v)
{
    for (unsigned i = n; i-- > 0;) {
        size_t byte = w->bits / 8;
        uint8_t mask = (uint8_t)(0x80 >> (w->bits % 8));
        if ((v >> i) & 1)
            w->buf[byte] |= mask;
        else
            w->buf[byte] &= (uint8_t)~mask;
        w->bits++;
    }
}

static inline void fx_ue(fx_bits_t *w, uint32_t v)
{
    uint64_t x = (uint64_t)v + 1;
    unsigned len = 0;
    while ((x >> len) > 1)
        len++;
    fx_u(w, len, 0);
    fx_u(w, len + 1, x);
}

static inline void fx_se(fx_bits_t *w, int32_t v)
{
    fx_ue(w, v > 0 ? (uint32_t)(2 * (int64_t)v - 1) : (uint32_t)(-2 * (int64_t)v));
}

/* rbsp_trailing_bits; returns the byte length. */
static inline size_t fx_trailing(fx_bits_t *w)
{
    fx_u(w, 1, 1);
    while (w->bits % 8)
        fx_u(w, 1, 0);
    return w->bits / 8;
}

/* NAL header byte + RBSP with emulation-prevention bytes inserted. */
static inline size_t fx_nal(uint8_t header, const uint8_t *rbsp, size_t len, uint8_t *out)
{
    size_t n = 0;
    int zeros = 0;
    out[n++] = header;
    for (size_t i = 0; i < len; i++) {
        if (zeros >= 2 && rbsp[i] <= 3) {
            out[n++] = 3;
            zeros = 0;
        }
        out[n++] = rbsp[i];
        zeros = rbsp[i] == 0 ? zeros + 1 : 0;
    }
    return n;
}

typedef struct fx_sps {
    unsigned profile, constraint, level;
    unsigned chroma_format_idc; /* high profiles only */
    unsigned separate_planes;
    unsigned scaling; /* high profiles: write a scaling matrix */
    unsigned poc_type;
    unsigned width_mbs, height_units; /* pic_width_in_mbs, pic_height_in_map_units */
    unsigned frame_mbs_only;
    unsigned crop[4]; /* left, right, top, bottom; all 0 = no cropping */
    unsigned vui;
    unsigned sar;                       /* VUI: write aspect_ratio_idc 255 and a SAR */
    uint32_t units_in_tick, time_scale; /* VUI timing when units_in_tick != 0 */
} fx_sps_t;

static inline int fx_is_high(unsigned profile)
{
    return profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 ||
           profile == 83 || profile == 86 || profile == 118 || profile == 128;
}

/* Encodes an SPS NAL unit (header 0x67) into out; returns its length. */
static inline size_t fx_sps(const fx_sps_t *p, uint8_t *out)
{
    fx_bits_t w;
    memset(&w, 0, sizeof w);
    fx_u(&w, 8, p->profile);
    fx_u(&w, 8, p->constraint);
    fx_u(&w, 8, p->level);
    fx_ue(&w, 0); /* seq_parameter_set_id */
    if (fx_is_high(p->profile)) {
        fx_ue(&w, p->chroma_format_idc);
        if (p->chroma_format_idc == 3)
            fx_u(&w, 1, p->separate_planes);
        fx_ue(&w, 0); /* bit_depth_luma_minus8 */
        fx_ue(&w, 0); /* bit_depth_chroma_minus8 */
        fx_u(&w, 1, 0);
        fx_u(&w, 1, p->scaling);
        if (p->scaling) {
            unsigned lists = p->chroma_format_idc != 3 ? 8 : 12;
            for (unsigned i = 0; i < lists; i++) {
                int present = i % 2 == 0;
                fx_u(&w, 1, (unsigned)present);
                if (!present)
                    continue;
                unsigned size = i < 6 ? 16 : 64;
                if (i == 2) { /* delta -8 → next scale 0: "use the default list" */
                    fx_se(&w, -8);
                    continue;
                }
                for (unsigned j = 0; j < size; j++)
                    fx_se(&w, j % 2 == 0 ? 1 : -1); /* scales 9, 8, 9, ...: never 0 */
            }
        }
    }
    fx_ue(&w, 0); /* log2_max_frame_num_minus4 */
    fx_ue(&w, p->poc_type);
    if (p->poc_type == 0) {
        fx_ue(&w, 2);
    } else if (p->poc_type == 1) {
        fx_u(&w, 1, 0);
        fx_se(&w, -3);
        fx_se(&w, 5);
        fx_ue(&w, 3);
        fx_se(&w, 1);
        fx_se(&w, -1);
        fx_se(&w, 2);
    }
    fx_ue(&w, 4); /* max_num_ref_frames */
    fx_u(&w, 1, 0);
    fx_ue(&w, p->width_mbs - 1);
    fx_ue(&w, p->height_units - 1);
    fx_u(&w, 1, p->frame_mbs_only);
    if (!p->frame_mbs_only)
        fx_u(&w, 1, 1);
    fx_u(&w, 1, 1); /* direct_8x8_inference_flag */
    int crop = p->crop[0] || p->crop[1] || p->crop[2] || p->crop[3];
    fx_u(&w, 1, (unsigned)crop);
    if (crop)
        for (int i = 0; i < 4; i++)
            fx_ue(&w, p->crop[i]);
    fx_u(&w, 1, p->vui);
    if (p->vui) {
        fx_u(&w, 1, p->sar);
        if (p->sar) {
            fx_u(&w, 8, 255);
            fx_u(&w, 16, 4);
            fx_u(&w, 16, 3);
        }
        fx_u(&w, 1, 0); /* overscan */
        fx_u(&w, 1, 1); /* video_signal_type */
        fx_u(&w, 3, 5);
        fx_u(&w, 1, 0);
        fx_u(&w, 1, 1); /* colour description */
        fx_u(&w, 24, 0x010101);
        fx_u(&w, 1, 0); /* chroma_loc */
        fx_u(&w, 1, p->units_in_tick != 0);
        if (p->units_in_tick) {
            fx_u(&w, 32, p->units_in_tick);
            fx_u(&w, 32, p->time_scale);
            fx_u(&w, 1, 1);
        }
        fx_u(&w, 1, 0); /* nal_hrd */
        fx_u(&w, 1, 0); /* vcl_hrd */
        fx_u(&w, 1, 0); /* pic_struct_present */
        fx_u(&w, 1, 0); /* bitstream_restriction */
    }
    size_t n = fx_trailing(&w);
    return fx_nal(0x67, w.buf, n, out);
}

/* The High-profile 640x360 SPS of a typical x264 stream (30 fps). */
static inline size_t fx_sps_640x360(uint8_t *out)
{
    fx_sps_t p = {100, 0, 30, 1, 0, 0, 0, 40, 23, 1, {0, 0, 0, 4}, 1, 0, 1, 60};
    return fx_sps(&p, out);
}

/* A PPS is opaque to us: any bytes after the 0x68 header will do. */
static inline size_t fx_pps(uint8_t *out)
{
    static const uint8_t pps[] = {0x68, 0xeb, 0xe3, 0xcb, 0x22, 0xc0};
    memcpy(out, pps, sizeof pps);
    return sizeof pps;
}

/* avcC with one SPS and one PPS. */
static inline size_t fx_avcc(const uint8_t *sps, size_t sps_len, const uint8_t *pps, size_t pps_len,
                             unsigned nal_length_size, uint8_t *out)
{
    size_t n = 0;
    out[n++] = 1;
    out[n++] = sps[1];
    out[n++] = sps[2];
    out[n++] = sps[3];
    out[n++] = (uint8_t)(0xfc | (nal_length_size - 1));
    out[n++] = 0xe1;
    out[n++] = (uint8_t)(sps_len >> 8);
    out[n++] = (uint8_t)sps_len;
    memcpy(out + n, sps, sps_len);
    n += sps_len;
    out[n++] = 1;
    out[n++] = (uint8_t)(pps_len >> 8);
    out[n++] = (uint8_t)pps_len;
    memcpy(out + n, pps, pps_len);
    return n + pps_len;
}

/* Appends one NAL unit with its length prefix; returns the new length. */
static inline size_t fx_au_add(uint8_t *au, size_t at, unsigned nal_length_size, const uint8_t *nal,
                               size_t len)
{
    for (unsigned i = nal_length_size; i-- > 0;)
        au[at++] = (uint8_t)(len >> (8 * i));
    memcpy(au + at, nal, len);
    return at + len;
}

/* A NAL unit of type `type` and `len` bytes (header included) with a
 * recognisable body that never contains a start code. */
static inline size_t fx_fake_nal(unsigned type, size_t len, uint8_t *out)
{
    out[0] = (uint8_t)(type == 5 || type == 7 || type == 8 ? 0x60 | type : 0x40 | type);
    for (size_t i = 1; i < len; i++)
        out[i] = (uint8_t)(0x10 + (i * 7) % 0xe0);
    return len;
}

#endif
