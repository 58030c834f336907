/*
 * Fuzz target: media/aac. The input is an AudioSpecificConfig; when it
 * parses, ADTS headers are written for a few frame lengths and read back.
 */
#include <stdint.h>

#include "media/aac.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    aac_config_t c;
    if (aac_asc_parse(data, size, &c) != AAC_OK)
        return 0;
    if (aac_sample_rate(&c) == 0 || aac_channels(&c) > 8)
        __builtin_trap();
    static const size_t lens[] = {0, 1, 371, 8184, 8185};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        uint8_t h[AAC_ADTS_HEADER_SIZE];
        if (aac_adts_header(&c, lens[i], h) != AAC_OK)
            continue;
        unsigned flen = ((h[3] & 3u) << 11) | ((unsigned)h[4] << 3) | (h[5] >> 5);
        if (h[0] != 0xff || (h[1] & 0xf6) != 0xf0 || flen != lens[i] + AAC_ADTS_HEADER_SIZE)
            __builtin_trap();
    }
    return 0;
}
