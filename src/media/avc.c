/* media/avc — see avc.h. */
#include "media/avc.h"

#include <string.h>

#include "core/bytes.h"

/* ---- avcC ---------------------------------------------------------------- */

static int read_param_sets(const uint8_t **pp, const uint8_t *end, unsigned count,
                           avc_nal_ref_t *out, uint8_t want_type)
{
    const uint8_t *p = *pp;
    if (count > AVC_MAX_PARAM_SETS)
        return AVC_EUNSUPPORTED;
    for (unsigned i = 0; i < count; i++) {
        if (end - p < 2)
            return AVC_EMALFORMED;
        uint16_t n = be16_get(p);
        p += 2;
        if (n == 0 || (size_t)(end - p) < n || (p[0] & 0x1f) != want_type)
            return AVC_EMALFORMED;
        out[i].data = p;
        out[i].len = n;
        p += n;
    }
    *pp = p;
    return AVC_OK;
}

int avc_config_parse(const uint8_t *avcc, size_t len, avc_config_t *out)
{
    memset(out, 0, sizeof *out);
    if (len < 7)
        return AVC_EMALFORMED;
    const uint8_t *p = avcc, *end = avcc + len;
    out->version = p[0];
    out->profile = p[1];
    out->compat = p[2];
    out->level = p[3];
    if (out->version != 1)
        return AVC_EMALFORMED;
    unsigned lsm1 = p[4] & 3;
    if (lsm1 == 2) /* lengthSizeMinusOne: only 0, 1 and 3 are defined */
        return AVC_EMALFORMED;
    out->nal_length_size = (uint8_t)(lsm1 + 1);
    out->sps_count = p[5] & 0x1f;
    p += 6;
    int rc = read_param_sets(&p, end, out->sps_count, out->sps, AVC_NAL_SPS);
    if (rc != AVC_OK)
        return rc;
    if (p == end)
        return AVC_EMALFORMED;
    out->pps_count = *p++;
    rc = read_param_sets(&p, end, out->pps_count, out->pps, AVC_NAL_PPS);
    if (rc != AVC_OK)
        return rc;
    if (out->sps_count == 0 || out->pps_count == 0)
        return AVC_EMALFORMED;
    /* The high-profile extension that may follow is informational (the SPS
     * says the same) and many writers omit or truncate it: not read. */
    return AVC_OK;
}

/* ---- bit reader over an RBSP, skipping emulation-prevention bytes ------- */

typedef struct bitreader {
    const uint8_t *p, *end;
    unsigned cur; /* current byte */
    int bits;     /* bits left in cur */
    int zeros;    /* consecutive 0x00 bytes just read */
    int err;      /* sticky: set on any read past the end or out-of-range value */
} bitreader_t;

static void br_init(bitreader_t *br, const uint8_t *p, size_t len)
{
    br->p = p;
    br->end = p + len;
    br->cur = 0;
    br->bits = 0;
    br->zeros = 0;
    br->err = 0;
}

static int br_next_byte(bitreader_t *br)
{
    if (br->p == br->end)
        goto fail;
    unsigned b = *br->p++;
    if (br->zeros >= 2 && b == 3) { /* 00 00 03 → 00 00 */
        br->zeros = 0;
        if (br->p == br->end)
            goto fail;
        b = *br->p++;
    }
    br->zeros = b == 0 ? br->zeros + 1 : 0;
    br->cur = b;
    br->bits = 8;
    return 0;
fail:
    br->err = 1;
    return -1;
}

static unsigned br_bit(bitreader_t *br)
{
    if (br->err)
        return 0;
    if (br->bits == 0 && br_next_byte(br) != 0)
        return 0;
    br->bits--;
    return (br->cur >> br->bits) & 1;
}

static uint32_t br_bits(bitreader_t *br, int n)
{
    uint32_t v = 0;
    for (int i = 0; i < n; i++)
        v = (v << 1) | br_bit(br);
    return v;
}

/* Exp-Golomb ue(v); values needing more than 31 leading zeros are errors. */
static uint32_t br_ue(bitreader_t *br)
{
    int lz = 0;
    while (!br->err && br_bit(br) == 0) {
        if (++lz > 31) {
            br->err = 1;
            return 0;
        }
    }
    if (br->err)
        return 0;
    return (uint32_t)(((uint64_t)1 << lz) - 1 + br_bits(br, lz));
}

static int32_t br_se(bitreader_t *br)
{
    uint32_t k = br_ue(br);
    int64_t v = (k & 1) ? ((int64_t)k + 1) / 2 : -((int64_t)k / 2);
    return (int32_t)v;
}

/* ue(v) with an upper bound; out of range sets the sticky error. */
static uint32_t br_ue_max(bitreader_t *br, uint32_t max)
{
    uint32_t v = br_ue(br);
    if (v > max) {
        br->err = 1;
        return 0;
    }
    return v;
}

/* ---- SPS ----------------------------------------------------------------- */

static void skip_scaling_list(bitreader_t *br, int size)
{
    int last = 8, next = 8;
    for (int j = 0; j < size && !br->err; j++) {
        if (next != 0) {
            int32_t delta = br_se(br);
            if (delta < -128 || delta > 127) {
                br->err = 1;
                return;
            }
            next = (last + delta + 256) % 256;
        }
        last = next == 0 ? last : next;
    }
}

static int profile_has_chroma_info(unsigned profile)
{
    switch (profile) {
    case 100:
    case 110:
    case 122:
    case 244:
    case 44:
    case 83:
    case 86:
    case 118:
    case 128:
    case 138:
    case 139:
    case 134:
    case 135:
        return 1;
    default:
        return 0;
    }
}

/* The VUI up to timing_info (E.1.1); fills fps when present. */
static void parse_vui_timing(bitreader_t *br, avc_sps_t *out)
{
    if (br_bit(br)) {              /* aspect_ratio_info_present_flag */
        if (br_bits(br, 8) == 255) /* Extended_SAR */
            br_bits(br, 32);
    }
    if (br_bit(br)) /* overscan_info_present_flag */
        br_bit(br);
    if (br_bit(br)) { /* video_signal_type_present_flag */
        br_bits(br, 4);
        if (br_bit(br)) /* colour_description_present_flag */
            br_bits(br, 24);
    }
    if (br_bit(br)) { /* chroma_loc_info_present_flag */
        br_ue(br);
        br_ue(br);
    }
    if (!br_bit(br)) /* timing_info_present_flag */
        return;
    uint32_t units = br_bits(br, 32);
    uint32_t scale = br_bits(br, 32);
    if (br->err || units == 0 || scale == 0 || units > UINT32_MAX / 2)
        return;
    out->fps_num = scale;
    out->fps_den = 2 * units;
}

int avc_sps_parse(const uint8_t *nal, size_t len, avc_sps_t *out)
{
    memset(out, 0, sizeof *out);
    if (len < 4 || (nal[0] & 0x1f) != AVC_NAL_SPS)
        return AVC_EMALFORMED;
    bitreader_t br;
    br_init(&br, nal + 1, len - 1);
    out->profile_idc = (uint8_t)br_bits(&br, 8);
    out->constraint_flags = (uint8_t)br_bits(&br, 8);
    out->level_idc = (uint8_t)br_bits(&br, 8);
    out->sps_id = (uint8_t)br_ue_max(&br, 31);
    out->chroma_format_idc = 1;
    out->bit_depth_luma = out->bit_depth_chroma = 8;
    unsigned separate_planes = 0;
    if (profile_has_chroma_info(out->profile_idc)) {
        out->chroma_format_idc = (uint8_t)br_ue_max(&br, 3);
        if (out->chroma_format_idc == 3)
            separate_planes = br_bit(&br);
        out->bit_depth_luma = (uint8_t)(8 + br_ue_max(&br, 6));
        out->bit_depth_chroma = (uint8_t)(8 + br_ue_max(&br, 6));
        br_bit(&br);       /* qpprime_y_zero_transform_bypass_flag */
        if (br_bit(&br)) { /* seq_scaling_matrix_present_flag */
            int lists = out->chroma_format_idc != 3 ? 8 : 12;
            for (int i = 0; i < lists && !br.err; i++)
                if (br_bit(&br))
                    skip_scaling_list(&br, i < 6 ? 16 : 64);
        }
    }
    br_ue_max(&br, 12); /* log2_max_frame_num_minus4 */
    uint32_t poc_type = br_ue_max(&br, 2);
    if (poc_type == 0) {
        br_ue_max(&br, 12); /* log2_max_pic_order_cnt_lsb_minus4 */
    } else if (poc_type == 1) {
        br_bit(&br); /* delta_pic_order_always_zero_flag */
        br_se(&br);  /* offset_for_non_ref_pic */
        br_se(&br);  /* offset_for_top_to_bottom_field */
        uint32_t cycle = br_ue_max(&br, 255);
        for (uint32_t i = 0; i < cycle && !br.err; i++)
            br_se(&br);
    }
    br_ue(&br);                                /* max_num_ref_frames */
    br_bit(&br);                               /* gaps_in_frame_num_value_allowed_flag */
    uint32_t w_mbs = br_ue_max(&br, 1023) + 1; /* up to 16384 luma samples */
    uint32_t h_units = br_ue_max(&br, 1023) + 1;
    out->frame_mbs_only = (uint8_t)br_bit(&br);
    if (!out->frame_mbs_only)
        br_bit(&br);                 /* mb_adaptive_frame_field_flag */
    br_bit(&br);                     /* direct_8x8_inference_flag */
    uint32_t crop[4] = {0, 0, 0, 0}; /* left, right, top, bottom */
    if (br_bit(&br))
        for (int i = 0; i < 4; i++)
            crop[i] = br_ue_max(&br, 16384);
    unsigned vui = br_bit(&br);
    if (br.err)
        return AVC_EMALFORMED;

    unsigned chroma_array_type = separate_planes ? 0 : out->chroma_format_idc;
    unsigned sub_w = chroma_array_type == 3 ? 1 : 2;
    unsigned sub_h = chroma_array_type == 1 ? 2 : 1;
    unsigned field = 2 - out->frame_mbs_only;
    unsigned crop_x = chroma_array_type == 0 ? 1 : sub_w;
    unsigned crop_y = chroma_array_type == 0 ? field : sub_h * field;
    uint32_t w = w_mbs * 16, h = field * h_units * 16;
    uint32_t cw = crop_x * (crop[0] + crop[1]), ch = crop_y * (crop[2] + crop[3]);
    if (cw >= w || ch >= h)
        return AVC_EMALFORMED;
    out->width = w - cw;
    out->height = h - ch;

    if (vui) {
        parse_vui_timing(&br, out);
        if (br.err)
            out->fps_num = out->fps_den = 0;
    }
    return AVC_OK;
}

/* ---- access units -------------------------------------------------------- */

static size_t read_len(const uint8_t *p, unsigned n)
{
    switch (n) {
    case 1:
        return p[0];
    case 2:
        return be16_get(p);
    default:
        return be32_get(p);
    }
}

static unsigned nal_flag(unsigned type)
{
    switch (type) {
    case AVC_NAL_AUD:
        return AVC_AU_HAS_AUD;
    case AVC_NAL_IDR:
        return AVC_AU_HAS_IDR;
    case AVC_NAL_SPS:
        return AVC_AU_HAS_SPS;
    case AVC_NAL_PPS:
        return AVC_AU_HAS_PPS;
    default:
        return 0;
    }
}

int avc_au_scan(const uint8_t *au, size_t len, unsigned nal_length_size, unsigned *flags)
{
    unsigned f = 0;
    *flags = 0;
    if (nal_length_size != 1 && nal_length_size != 2 && nal_length_size != 4)
        return AVC_EMALFORMED;
    size_t off = 0;
    while (off < len) {
        if (len - off < nal_length_size)
            return AVC_EMALFORMED;
        size_t n = read_len(au + off, nal_length_size);
        off += nal_length_size;
        if (n > len - off)
            return AVC_EMALFORMED;
        if (n > 0)
            f |= nal_flag(au[off] & 0x1f);
        off += n;
    }
    *flags = f;
    return AVC_OK;
}

int avc_au_to_annexb(const uint8_t *au, size_t len, unsigned nal_length_size, uint32_t skip_types,
                     buf_t *out, unsigned *flags)
{
    unsigned f;
    int rc = avc_au_scan(au, len, nal_length_size, &f);
    if (flags)
        *flags = f;
    if (rc != AVC_OK)
        return rc;
    static const uint8_t start[4] = {0, 0, 0, 1};
    buf_reserve(out, len + len / 4 + 16);
    size_t off = 0;
    while (off < len) {
        size_t n = read_len(au + off, nal_length_size);
        off += nal_length_size;
        if (n > 0 && !(skip_types & (1u << (au[off] & 0x1f)))) {
            buf_append(out, start, sizeof start);
            buf_append(out, au + off, n);
        }
        off += n;
    }
    return AVC_OK;
}

const char *avc_strerror(int err)
{
    switch (err) {
    case AVC_OK:
        return "ok";
    case AVC_EMALFORMED:
        return "malformed H.264 data";
    case AVC_EUNSUPPORTED:
        return "unsupported H.264 configuration";
    default:
        return "unknown error";
    }
}
