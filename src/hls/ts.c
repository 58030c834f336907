/* hls/ts — see ts.h. */
#include "hls/ts.h"

#include <string.h>

#include "core/bytes.h"
#include "media/avc.h"

#define TS_PAYLOAD     (TS_PACKET_SIZE - 4)
#define PTS_MASK       ((((uint64_t)1) << 33) - 1)
#define PSI_MAX        (TS_PAYLOAD - 1) /* one section per packet, after pointer_field */
#define PES_HEADER_MAX 19
#define SCRATCH_KEEP   (1u << 20) /* a larger scratch buffer is released after use */

void ts_mux_init(ts_mux_t *m)
{
    memset(m, 0, sizeof *m);
}

void ts_mux_free(ts_mux_t *m)
{
    buf_free(&m->param_sets);
    buf_free(&m->pes);
}

uint32_t ts_crc32(const uint8_t *data, size_t len)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < len; i++) {
        crc ^= (uint32_t)data[i] << 24;
        for (int b = 0; b < 8; b++)
            crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04c11db7u : crc << 1;
    }
    return crc;
}

/* ---- configuration ------------------------------------------------------- */

int ts_mux_set_video_config(ts_mux_t *m, const uint8_t *avcc, size_t len)
{
    avc_config_t cfg;
    if (avc_config_parse(avcc, len, &cfg) != AVC_OK)
        return TS_EMALFORMED;
    static const uint8_t start[4] = {0, 0, 0, 1};
    buf_reset(&m->param_sets);
    for (unsigned i = 0; i < cfg.sps_count; i++) {
        buf_append(&m->param_sets, start, sizeof start);
        buf_append(&m->param_sets, cfg.sps[i].data, cfg.sps[i].len);
    }
    for (unsigned i = 0; i < cfg.pps_count; i++) {
        buf_append(&m->param_sets, start, sizeof start);
        buf_append(&m->param_sets, cfg.pps[i].data, cfg.pps[i].len);
    }
    m->nal_length_size = cfg.nal_length_size;
    m->video_ready = 1;
    return TS_OK;
}

int ts_mux_set_audio_config(ts_mux_t *m, const uint8_t *asc, size_t len)
{
    aac_config_t cfg;
    uint8_t probe[AAC_ADTS_HEADER_SIZE];
    if (aac_asc_parse(asc, len, &cfg) != AAC_OK)
        return TS_EMALFORMED;
    if (aac_adts_header(&cfg, 0, probe) != AAC_OK)
        return TS_EUNSUPPORTED;
    m->audio = cfg;
    m->audio_ready = 1;
    return TS_OK;
}

void ts_mux_reset_config(ts_mux_t *m)
{
    m->video_ready = m->audio_ready = 0;
    m->seg_video = m->seg_audio = 0;
    m->in_segment = 0;
    m->nal_length_size = 0;
    buf_reset(&m->param_sets);
    memset(&m->audio, 0, sizeof m->audio);
}

/* ---- packets ------------------------------------------------------------- */

static void packet_header(uint8_t *pkt, uint16_t pid, int pusi, unsigned afc, uint8_t *cc)
{
    pkt[0] = 0x47;
    pkt[1] = (uint8_t)((pusi ? 0x40 : 0) | (pid >> 8));
    pkt[2] = (uint8_t)pid;
    pkt[3] = (uint8_t)((afc << 4) | *cc);
    *cc = (*cc + 1) & 0x0f;
}

/* One PSI section in one packet: pointer_field, section (CRC appended), 0xFF fill. */
static void write_psi(buf_t *out, uint16_t pid, uint8_t *cc, uint8_t *section, size_t len)
{
    uint8_t pkt[TS_PACKET_SIZE];
    be32_put(section + len, ts_crc32(section, len));
    len += 4;
    packet_header(pkt, pid, 1, 1, cc);
    pkt[4] = 0; /* pointer_field */
    memcpy(pkt + 5, section, len);
    memset(pkt + 5 + len, 0xff, TS_PAYLOAD - 1 - len);
    buf_append(out, pkt, sizeof pkt);
}

static void put16(uint8_t *s, size_t *n, unsigned v)
{
    be16_put(s + *n, (uint16_t)v);
    *n += 2;
}

static void write_pat(ts_mux_t *m, buf_t *out)
{
    uint8_t s[PSI_MAX];
    size_t n = 0;
    s[n++] = 0x00;   /* table_id: program_association_section */
    s[n++] = 0xb0;   /* syntax 1, '0', reserved 11, length hi */
    s[n++] = 13;     /* section_length */
    put16(s, &n, 1); /* transport_stream_id */
    s[n++] = 0xc1;   /* reserved, version 0, current_next 1 */
    s[n++] = 0;      /* section_number */
    s[n++] = 0;      /* last_section_number */
    put16(s, &n, 1); /* program_number */
    put16(s, &n, 0xe000 | TS_PID_PMT);
    write_psi(out, TS_PID_PAT, &m->cc_pat, s, n);
}

static void write_pmt(ts_mux_t *m, buf_t *out)
{
    uint8_t s[PSI_MAX];
    size_t n = 0;
    unsigned streams = m->seg_video + m->seg_audio;
    uint16_t pcr_pid = m->seg_video ? TS_PID_VIDEO : m->seg_audio ? TS_PID_AUDIO : TS_PID_NULL;
    unsigned section_length = 9 + 5 * streams + 4;
    s[n++] = 0x02; /* table_id: TS_program_map_section */
    s[n++] = (uint8_t)(0xb0 | (section_length >> 8));
    s[n++] = (uint8_t)section_length;
    put16(s, &n, 1); /* program_number */
    s[n++] = 0xc1;
    s[n++] = 0;
    s[n++] = 0;
    put16(s, &n, 0xe000u | pcr_pid);
    put16(s, &n, 0xf000); /* program_info_length 0 */
    if (m->seg_video) {
        s[n++] = TS_STREAM_TYPE_H264;
        put16(s, &n, 0xe000 | TS_PID_VIDEO);
        put16(s, &n, 0xf000);
    }
    if (m->seg_audio) {
        s[n++] = TS_STREAM_TYPE_AAC;
        put16(s, &n, 0xe000 | TS_PID_AUDIO);
        put16(s, &n, 0xf000);
    }
    write_psi(out, TS_PID_PMT, &m->cc_pmt, s, n);
}

void ts_mux_begin_segment(ts_mux_t *m, buf_t *out)
{
    m->seg_video = m->video_ready;
    m->seg_audio = m->audio_ready;
    m->in_segment = 1;
    write_pat(m, out);
    write_pmt(m, out);
}

static void put_pcr(uint8_t *p, uint64_t base)
{
    base &= PTS_MASK;
    p[0] = (uint8_t)(base >> 25);
    p[1] = (uint8_t)(base >> 17);
    p[2] = (uint8_t)(base >> 9);
    p[3] = (uint8_t)(base >> 1);
    p[4] = (uint8_t)(((base & 1) << 7) | 0x7e); /* 6 reserved bits, extension high bit 0 */
    p[5] = 0;                                   /* extension low bits */
}

typedef struct pes_opts {
    uint16_t pid;
    uint8_t *cc;
    int pcr; /* put a PCR in the first packet */
    uint64_t pcr_base;
    int rai; /* random_access_indicator in the first packet */
} pes_opts_t;

/* Splits a whole PES into packets; the last one is padded with adaptation
 * field stuffing. */
static void write_pes_packets(buf_t *out, const uint8_t *pes, size_t len, const pes_opts_t *o)
{
    buf_reserve(out, (len / TS_PAYLOAD + 2) * TS_PACKET_SIZE);
    int first = 1;
    while (len > 0) {
        uint8_t pkt[TS_PACKET_SIZE];
        size_t af_fixed = 0; /* length byte + flags + PCR, when any flag is needed */
        int pcr = first && o->pcr, rai = first && o->rai;
        if (pcr || rai)
            af_fixed = 2 + (pcr ? 6 : 0);
        size_t n = len, stuff = 0;
        if (n + af_fixed >= TS_PAYLOAD)
            n = TS_PAYLOAD - af_fixed;
        else
            stuff = TS_PAYLOAD - af_fixed - n;
        int has_af = af_fixed > 0 || stuff > 0;
        packet_header(pkt, o->pid, first, has_af ? 3 : 1, o->cc);
        uint8_t *p = pkt + 4;
        if (has_af) {
            size_t af_len = af_fixed + stuff - 1; /* adaptation_field_length excludes itself */
            *p++ = (uint8_t)af_len;
            if (af_len > 0) {
                *p++ = (uint8_t)((rai ? 0x40 : 0) | (pcr ? 0x10 : 0));
                if (pcr) {
                    put_pcr(p, o->pcr_base);
                    p += 6;
                }
                size_t fill = af_len - 1 - (pcr ? 6 : 0);
                memset(p, 0xff, fill);
                p += fill;
            }
        }
        memcpy(p, pes, n);
        buf_append(out, pkt, sizeof pkt);
        pes += n;
        len -= n;
        first = 0;
    }
}

static void put_ts(uint8_t *p, unsigned prefix, uint64_t ts)
{
    ts &= PTS_MASK;
    p[0] = (uint8_t)((prefix << 4) | ((ts >> 29) & 0x0e) | 1);
    p[1] = (uint8_t)(ts >> 22);
    p[2] = (uint8_t)(((ts >> 14) & 0xfe) | 1);
    p[3] = (uint8_t)(ts >> 7);
    p[4] = (uint8_t)(((ts << 1) & 0xfe) | 1);
}

/* Starts m->pes with a PES header whose length is patched by pes_finish. */
static void pes_start(ts_mux_t *m, uint8_t stream_id, uint64_t pts, uint64_t dts)
{
    uint8_t h[PES_HEADER_MAX];
    int with_dts = (pts & PTS_MASK) != (dts & PTS_MASK);
    h[0] = 0, h[1] = 0, h[2] = 1;
    h[3] = stream_id;
    h[4] = h[5] = 0;
    h[6] = 0x84;                   /* '10', data_alignment_indicator */
    h[7] = with_dts ? 0xc0 : 0x80; /* PTS_DTS_flags */
    h[8] = with_dts ? 10 : 5;      /* PES_header_data_length */
    put_ts(h + 9, with_dts ? 3 : 2, pts);
    if (with_dts)
        put_ts(h + 14, 1, dts);
    buf_reset(&m->pes);
    buf_append(&m->pes, h, 9u + h[8]);
}

static void pes_finish(ts_mux_t *m)
{
    size_t body = m->pes.len - 6;
    /* 0 = unbounded, allowed for video only; audio PES always fit in 16 bits. */
    be16_put((uint8_t *)m->pes.data + 4, body <= 0xffff ? (uint16_t)body : 0);
}

/* Packetizes the PES built in m->pes, then trims the scratch buffer if one
 * huge frame grew it. */
static void flush_pes(ts_mux_t *m, buf_t *out, const pes_opts_t *o)
{
    write_pes_packets(out, (const uint8_t *)m->pes.data, m->pes.len, o);
    if (m->pes.cap > SCRATCH_KEEP)
        buf_free(&m->pes);
}

static uint64_t to_90k(int64_t ms)
{
    return (uint64_t)ms * 90u;
}

static int write_video(ts_mux_t *m, const media_frame_t *f, buf_t *out)
{
    const uint8_t *au = (const uint8_t *)f->data->data;
    size_t len = f->data->len;
    unsigned flags;
    if (avc_au_scan(au, len, m->nal_length_size, &flags) != AVC_OK)
        return TS_EMALFORMED;
    int32_t cts = f->cts > 0 ? f->cts : 0; /* PTS never precedes DTS */
    uint64_t dts = to_90k(f->dts) + TS_DELAY_90K;
    uint64_t pts = to_90k(f->dts + cts) + TS_DELAY_90K;
    pes_start(m, TS_STREAM_ID_VIDEO, pts, dts);
    static const uint8_t aud[6] = {0, 0, 0, 1, AVC_NAL_AUD, 0xf0}; /* primary_pic_type 7 */
    buf_append(&m->pes, aud, sizeof aud);
    int key = f->keyframe || (flags & AVC_AU_HAS_IDR);
    unsigned ps = AVC_AU_HAS_SPS | AVC_AU_HAS_PPS;
    if (key && (flags & ps) != ps)
        buf_append(&m->pes, m->param_sets.data, m->param_sets.len);
    if (avc_au_to_annexb(au, len, m->nal_length_size, 1u << AVC_NAL_AUD, &m->pes, NULL) != AVC_OK)
        return TS_EMALFORMED; /* not reached: scanned above */
    pes_finish(m);
    pes_opts_t o = {TS_PID_VIDEO, &m->cc_video, 1, to_90k(f->dts), key};
    flush_pes(m, out, &o);
    return TS_OK;
}

static int write_audio(ts_mux_t *m, const media_frame_t *f, buf_t *out)
{
    uint8_t adts[AAC_ADTS_HEADER_SIZE];
    if (aac_adts_header(&m->audio, f->data->len, adts) != AAC_OK)
        return TS_EUNSUPPORTED;
    uint64_t pts = to_90k(f->dts) + TS_DELAY_90K;
    pes_start(m, TS_STREAM_ID_AUDIO, pts, pts);
    buf_append(&m->pes, adts, sizeof adts);
    buf_append(&m->pes, f->data->data, f->data->len);
    pes_finish(m);
    int pcr = !m->seg_video; /* audio carries the PCR only when there is no video */
    pes_opts_t o = {TS_PID_AUDIO, &m->cc_audio, pcr, to_90k(f->dts), pcr};
    flush_pes(m, out, &o);
    return TS_OK;
}

int ts_mux_check_frame(const ts_mux_t *m, const media_frame_t *f)
{
    if (f->kind == MEDIA_VIDEO && f->codec != MEDIA_CODEC_H264)
        return TS_EUNSUPPORTED;
    if (f->kind == MEDIA_AUDIO && f->codec != MEDIA_CODEC_AAC)
        return TS_EUNSUPPORTED;
    const uint8_t *data = (const uint8_t *)f->data->data;
    size_t len = f->data->len;
    if (f->config) {
        avc_config_t vc;
        aac_config_t ac;
        uint8_t adts[AAC_ADTS_HEADER_SIZE];
        if (f->kind == MEDIA_VIDEO)
            return avc_config_parse(data, len, &vc) == AVC_OK ? TS_OK : TS_EMALFORMED;
        if (aac_asc_parse(data, len, &ac) != AAC_OK)
            return TS_EMALFORMED;
        return aac_adts_header(&ac, 0, adts) == AAC_OK ? TS_OK : TS_EUNSUPPORTED;
    }
    /* Payload checks first, so TS_ESTATE / TS_SKIPPED mean "valid but not now". */
    if (f->kind == MEDIA_VIDEO) {
        unsigned flags;
        if (!m->video_ready)
            return TS_SKIPPED;
        if (avc_au_scan(data, len, m->nal_length_size, &flags) != AVC_OK)
            return TS_EMALFORMED;
    } else {
        if (!m->audio_ready)
            return TS_SKIPPED;
        if (len > AAC_ADTS_MAX_FRAME - AAC_ADTS_HEADER_SIZE)
            return TS_EUNSUPPORTED;
    }
    if (!m->in_segment)
        return TS_ESTATE;
    return (f->kind == MEDIA_VIDEO ? m->seg_video : m->seg_audio) ? TS_OK : TS_SKIPPED;
}

int ts_mux_write_frame(ts_mux_t *m, const media_frame_t *f, buf_t *out)
{
    int rc = ts_mux_check_frame(m, f);
    if (rc != TS_OK)
        return rc;
    const uint8_t *data = (const uint8_t *)f->data->data;
    if (f->config)
        return f->kind == MEDIA_VIDEO ? ts_mux_set_video_config(m, data, f->data->len)
                                      : ts_mux_set_audio_config(m, data, f->data->len);
    return f->kind == MEDIA_VIDEO ? write_video(m, f, out) : write_audio(m, f, out);
}

const char *ts_strerror(int err)
{
    switch (err) {
    case TS_OK:
        return "ok";
    case TS_SKIPPED:
        return "track not in this segment";
    case TS_EMALFORMED:
        return "malformed frame or configuration";
    case TS_EUNSUPPORTED:
        return "codec or configuration not supported in MPEG-TS";
    case TS_ESTATE:
        return "frame before the first segment";
    default:
        return "unknown error";
    }
}
