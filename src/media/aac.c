/* media/aac — see aac.h. */
#include "media/aac.h"

#include <string.h>

static const uint32_t rates[13] = {96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                   22050, 16000, 12000, 11025, 8000,  7350};

uint32_t aac_index_rate(unsigned freq_index)
{
    return freq_index < 13 ? rates[freq_index] : 0;
}

/* Plain MSB-first bit reader over the ASC (no emulation prevention here). */
typedef struct bits {
    const uint8_t *p;
    size_t len, pos; /* pos in bits */
    int err;         /* sticky */
} bits_t;

static uint32_t get(bits_t *b, unsigned n)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < n; i++) {
        if (b->pos >= b->len * 8) {
            b->err = 1;
            return 0;
        }
        v = (v << 1) | ((b->p[b->pos / 8] >> (7 - b->pos % 8)) & 1);
        b->pos++;
    }
    return v;
}

static uint16_t get_object_type(bits_t *b)
{
    uint16_t t = (uint16_t)get(b, 5);
    if (t == 31)
        t = (uint16_t)(32 + get(b, 6));
    return t;
}

/* Reads freqIndex and, for the escape value 15, the explicit 24-bit rate. */
static uint32_t get_rate(bits_t *b, uint8_t *index)
{
    *index = (uint8_t)get(b, 4);
    if (*index == 15)
        return get(b, 24);
    return aac_index_rate(*index);
}

int aac_asc_parse(const uint8_t *asc, size_t len, aac_config_t *out)
{
    memset(out, 0, sizeof *out);
    bits_t b = {asc, len, 0, 0};
    out->object_type = get_object_type(&b);
    out->sample_rate = get_rate(&b, &out->freq_index);
    out->channel_config = (uint8_t)get(&b, 4);
    if (out->object_type == 5 || out->object_type == 29) {
        uint8_t ext_index;
        out->sbr = 1;
        out->ps = out->object_type == 29;
        out->ext_sample_rate = get_rate(&b, &ext_index);
        out->object_type = get_object_type(&b);
        if (out->object_type == 22) /* ER BSAC carries its own channel field */
            get(&b, 4);
        if (ext_index != 15 && ext_index > 12)
            return AAC_EMALFORMED;
        if (out->ext_sample_rate == 0)
            return AAC_EMALFORMED;
    }
    if (b.err || out->object_type == 0 || out->sample_rate == 0 || out->channel_config > 7)
        return AAC_EMALFORMED;
    return AAC_OK;
}

int aac_adts_header(const aac_config_t *c, size_t payload_len, uint8_t out[AAC_ADTS_HEADER_SIZE])
{
    unsigned index = c->freq_index;
    if (index == 15) /* an explicit rate that happens to be a table rate still fits */
        for (index = 0; index < 13 && rates[index] != c->sample_rate; index++)
            ;
    if (c->object_type < 1 || c->object_type > 4 || index > 12 || c->channel_config == 0 ||
        c->channel_config > 7)
        return AAC_EUNSUPPORTED;
    if (payload_len > AAC_ADTS_MAX_FRAME - AAC_ADTS_HEADER_SIZE)
        return AAC_EUNSUPPORTED;
    unsigned flen = (unsigned)payload_len + AAC_ADTS_HEADER_SIZE;
    unsigned profile = c->object_type - 1u;
    unsigned ch = c->channel_config;
    unsigned fullness = 0x7ff; /* variable bit rate */
    out[0] = 0xff;
    out[1] = 0xf1; /* sync low nibble, ID 0 (MPEG-4), layer 00, protection_absent 1 */
    out[2] = (uint8_t)((profile << 6) | (index << 2) | (ch >> 2));
    out[3] = (uint8_t)(((ch & 3) << 6) | (flen >> 11));
    out[4] = (uint8_t)(flen >> 3);
    out[5] = (uint8_t)(((flen & 7) << 5) | (fullness >> 6));
    out[6] = (uint8_t)((fullness & 0x3f) << 2); /* number_of_raw_data_blocks_in_frame = 0 */
    return AAC_OK;
}

uint32_t aac_sample_rate(const aac_config_t *c)
{
    return c->sbr && c->ext_sample_rate ? c->ext_sample_rate : c->sample_rate;
}

unsigned aac_channels(const aac_config_t *c)
{
    return c->channel_config == 7 ? 8 : c->channel_config;
}

const char *aac_strerror(int err)
{
    switch (err) {
    case AAC_OK:
        return "ok";
    case AAC_EMALFORMED:
        return "malformed AAC configuration";
    case AAC_EUNSUPPORTED:
        return "AAC configuration not supported";
    default:
        return "unknown error";
    }
}
