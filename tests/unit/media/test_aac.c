/*
 * media/aac: AudioSpecificConfig (plain, escape object type, explicit rate,
 * explicit SBR/PS, reserved values, truncation) and ADTS headers (known
 * bytes, every frame length read back field by field, limits).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "media/aac.h"
#include "media_fixture.h"

static aac_config_t parse(const uint8_t *asc, size_t len)
{
    aac_config_t c;
    assert_int_equal(aac_asc_parse(asc, len, &c), AAC_OK);
    return c;
}

static void test_lc_44100_stereo(void **state)
{
    (void)state;
    static const uint8_t asc[] = {0x12, 0x10};
    aac_config_t c = parse(asc, sizeof asc);
    assert_int_equal(c.object_type, 2);
    assert_int_equal(c.freq_index, 4);
    assert_int_equal(c.sample_rate, 44100);
    assert_int_equal(c.channel_config, 2);
    assert_int_equal(c.sbr, 0);
    assert_int_equal(aac_sample_rate(&c), 44100);
    assert_int_equal(aac_channels(&c), 2);

    uint8_t h[AAC_ADTS_HEADER_SIZE];
    static const uint8_t want[] = {0xff, 0xf1, 0x50, 0x80, 0x0d, 0x7f, 0xfc};
    assert_int_equal(aac_adts_header(&c, 100, h), AAC_OK);
    assert_memory_equal(h, want, sizeof want);
}

static void test_lc_48000_mono(void **state)
{
    (void)state;
    static const uint8_t asc[] = {0x11, 0x88};
    aac_config_t c = parse(asc, sizeof asc);
    assert_int_equal(c.sample_rate, 48000);
    assert_int_equal(aac_channels(&c), 1);
    uint8_t h[AAC_ADTS_HEADER_SIZE];
    static const uint8_t want[] = {0xff, 0xf1, 0x4c, 0x40, 0x20, 0xff, 0xfc};
    assert_int_equal(aac_adts_header(&c, 256, h), AAC_OK);
    assert_memory_equal(h, want, sizeof want);
}

/* Next n bits of a 7-byte header, MSB first. */
static unsigned field(const uint8_t *h, unsigned *pos, unsigned n)
{
    unsigned v = 0;
    for (unsigned i = 0; i < n; i++, (*pos)++)
        v = (v << 1) | ((h[*pos / 8] >> (7 - *pos % 8)) & 1);
    return v;
}

/* Reads an ADTS header back with its field widths from 14496-3 1.A.2. */
static void check_adts(const uint8_t *h, unsigned profile, unsigned sfi, unsigned ch, unsigned flen)
{
    unsigned pos = 0;
    assert_int_equal(field(h, &pos, 12), 0xfff);
    assert_int_equal(field(h, &pos, 1), 0); /* ID: MPEG-4 */
    assert_int_equal(field(h, &pos, 2), 0); /* layer */
    assert_int_equal(field(h, &pos, 1), 1); /* protection_absent */
    assert_int_equal(field(h, &pos, 2), profile);
    assert_int_equal(field(h, &pos, 4), sfi);
    assert_int_equal(field(h, &pos, 1), 0);
    assert_int_equal(field(h, &pos, 3), ch);
    assert_int_equal(field(h, &pos, 4), 0); /* original, home, copyright bits */
    assert_int_equal(field(h, &pos, 13), flen);
    assert_int_equal(field(h, &pos, 11), 0x7ff);
    assert_int_equal(field(h, &pos, 2), 0);
    assert_int_equal(pos, 56);
}

static void test_adts_every_length(void **state)
{
    (void)state;
    static const uint8_t asc[] = {0x12, 0x10};
    aac_config_t c = parse(asc, sizeof asc);
    uint8_t h[AAC_ADTS_HEADER_SIZE];
    for (unsigned len = 0; len <= AAC_ADTS_MAX_FRAME - 7; len++) {
        assert_int_equal(aac_adts_header(&c, len, h), AAC_OK);
        check_adts(h, 1, 4, 2, len + 7);
    }
    assert_int_equal(aac_adts_header(&c, AAC_ADTS_MAX_FRAME - 6, h), AAC_EUNSUPPORTED);
    assert_int_equal(aac_adts_header(&c, (size_t)1 << 40, h), AAC_EUNSUPPORTED);
}

static size_t build(uint8_t *out, const unsigned *fields, size_t n)
{
    fx_bits_t w;
    memset(&w, 0, sizeof w);
    for (size_t i = 0; i < n; i += 2)
        fx_u(&w, fields[i], fields[i + 1]);
    size_t bytes = (w.bits + 7) / 8;
    memcpy(out, w.buf, bytes);
    return bytes;
}

static void test_he_aac_explicit(void **state)
{
    (void)state;
    /* SBR: type 5, core 24 kHz, stereo, ext 48 kHz, core type 2, GASpecificConfig. */
    static const unsigned f[] = {5, 5, 4, 6, 4, 2, 4, 3, 5, 2, 3, 0};
    uint8_t asc[8];
    size_t n = build(asc, f, sizeof f / sizeof f[0]);
    assert_memory_equal(asc, "\x2b\x11\x88\x00", 4);
    aac_config_t c = parse(asc, n);
    assert_int_equal(c.object_type, 2);
    assert_int_equal(c.sbr, 1);
    assert_int_equal(c.ps, 0);
    assert_int_equal(c.sample_rate, 24000);
    assert_int_equal(c.ext_sample_rate, 48000);
    assert_int_equal(aac_sample_rate(&c), 48000);
    uint8_t h[AAC_ADTS_HEADER_SIZE];
    assert_int_equal(aac_adts_header(&c, 10, h), AAC_OK);
    check_adts(h, 1, 6, 2, 17); /* ADTS carries the core: decoders find SBR implicitly */

    /* PS: type 29, mono core. */
    static const unsigned g[] = {5, 29, 4, 6, 4, 1, 4, 3, 5, 2, 3, 0};
    n = build(asc, g, sizeof g / sizeof g[0]);
    c = parse(asc, n);
    assert_int_equal(c.ps, 1);
    assert_int_equal(c.sbr, 1);
    assert_int_equal(c.object_type, 2);
    assert_int_equal(aac_channels(&c), 1);

    /* Truncated after the extension rate. */
    assert_int_equal(aac_asc_parse(asc, 2, &c), AAC_EMALFORMED);
}

static void test_escape_and_explicit_rate(void **state)
{
    (void)state;
    uint8_t asc[8];
    aac_config_t c;
    uint8_t h[AAC_ADTS_HEADER_SIZE];
    /* Object type 42 via the escape (31, then 42 - 32). */
    static const unsigned esc[] = {5, 31, 6, 10, 4, 3, 4, 2};
    size_t n = build(asc, esc, sizeof esc / sizeof esc[0]);
    c = parse(asc, n);
    assert_int_equal(c.object_type, 42);
    assert_int_equal(c.sample_rate, 48000);
    assert_int_equal(aac_adts_header(&c, 10, h), AAC_EUNSUPPORTED);

    /* Explicit 44100: ADTS still finds its index; 44000 has none. */
    static const unsigned ex[] = {5, 2, 4, 15, 24, 44100, 4, 1};
    n = build(asc, ex, sizeof ex / sizeof ex[0]);
    c = parse(asc, n);
    assert_int_equal(c.freq_index, 15);
    assert_int_equal(c.sample_rate, 44100);
    assert_int_equal(aac_adts_header(&c, 0, h), AAC_OK);
    check_adts(h, 1, 4, 1, 7);
    static const unsigned odd[] = {5, 2, 4, 15, 24, 44000, 4, 1};
    n = build(asc, odd, sizeof odd / sizeof odd[0]);
    c = parse(asc, n);
    assert_int_equal(aac_sample_rate(&c), 44000);
    assert_int_equal(aac_adts_header(&c, 0, h), AAC_EUNSUPPORTED);
    for (size_t len = 0; len < n; len++)
        assert_int_equal(aac_asc_parse(asc, len, &c), AAC_EMALFORMED);
}

static void test_channels_and_rejects(void **state)
{
    (void)state;
    aac_config_t c;
    uint8_t h[AAC_ADTS_HEADER_SIZE];
    static const uint8_t seven[] = {0x12, 0x38}; /* LC 44100, config 7 = 7.1 */
    c = parse(seven, 2);
    assert_int_equal(aac_channels(&c), 8);
    assert_int_equal(aac_adts_header(&c, 1, h), AAC_OK);
    check_adts(h, 1, 4, 7, 8);

    static const uint8_t pce[] = {0x12, 0x00}; /* channels from a PCE: no ADTS for that */
    c = parse(pce, 2);
    assert_int_equal(aac_channels(&c), 0);
    assert_int_equal(aac_adts_header(&c, 1, h), AAC_EUNSUPPORTED);

    assert_int_equal(aac_asc_parse(NULL, 0, &c), AAC_EMALFORMED);
    assert_int_equal(aac_asc_parse(seven, 1, &c), AAC_EMALFORMED);
    static const uint8_t type0[] = {0x02, 0x10};
    assert_int_equal(aac_asc_parse(type0, 2, &c), AAC_EMALFORMED);
    static const uint8_t idx13[] = {0x16, 0x90}; /* reserved frequency index 13 */
    assert_int_equal(aac_asc_parse(idx13, 2, &c), AAC_EMALFORMED);
    static const uint8_t ch9[] = {0x12, 0x48}; /* channel config 9 */
    assert_int_equal(aac_asc_parse(ch9, 2, &c), AAC_EMALFORMED);
    assert_int_equal(aac_index_rate(12), 7350);
    assert_int_equal(aac_index_rate(13), 0);
    assert_string_equal(aac_strerror(AAC_EMALFORMED), "malformed AAC configuration");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lc_44100_stereo),
        cmocka_unit_test(test_lc_48000_mono),
        cmocka_unit_test(test_adts_every_length),
        cmocka_unit_test(test_he_aac_explicit),
        cmocka_unit_test(test_escape_and_explicit_rate),
        cmocka_unit_test(test_channels_and_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
