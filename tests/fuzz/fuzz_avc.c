/*
 * Fuzz target: media/avc. The input is tried as an avcC (and each SPS in
 * it), as a bare SPS NAL unit, and as a length-prefixed access unit with
 * 1-, 2- and 4-byte lengths; Annex B output is checked against the scan.
 */
#include <stdint.h>
#include <string.h>

#include "media/avc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    avc_config_t cfg;
    avc_sps_t sps;
    if (avc_config_parse(data, size, &cfg) == AVC_OK) {
        for (unsigned i = 0; i < cfg.sps_count; i++)
            if (avc_sps_parse(cfg.sps[i].data, cfg.sps[i].len, &sps) == AVC_OK &&
                (sps.width == 0 || sps.height == 0))
                __builtin_trap();
    }
    if (avc_sps_parse(data, size, &sps) == AVC_OK && (sps.width == 0 || sps.height == 0))
        __builtin_trap();

    static const unsigned sizes[] = {1, 2, 4};
    for (size_t k = 0; k < 3; k++) {
        buf_t out = BUF_INIT;
        buf_append(&out, "x", 1);
        unsigned scan = 0, flags = 0;
        int a = avc_au_scan(data, size, sizes[k], &scan);
        int b = avc_au_to_annexb(data, size, sizes[k], 1u << AVC_NAL_AUD, &out, &flags);
        if (a != b || scan != flags)
            __builtin_trap();
        if (b != AVC_OK && out.len != 1)
            __builtin_trap();
        if (b == AVC_OK && out.len > 1 && memcmp(out.data + 1, "\0\0\0\1", 4) != 0)
            __builtin_trap();
        buf_free(&out);
    }
    return 0;
}
