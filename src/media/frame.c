/* media/frame — see frame.h. */
#include "media/frame.h"

#include <stdlib.h>

media_frame_t *media_frame_new(enum media_kind kind, enum media_codec codec, int config,
                               int keyframe, int64_t dts, int32_t cts, rcbuf_t *data)
{
    media_frame_t *f = xmalloc(sizeof *f);
    f->refs = 1;
    f->kind = (uint8_t)kind;
    f->codec = (uint8_t)codec;
    f->config = config != 0;
    f->keyframe = keyframe != 0;
    f->cts = cts;
    f->dts = dts;
    f->data = data;
    f->arrival_ns = 0;
    return f;
}

void media_frame_unref(media_frame_t *f)
{
    if (f && --f->refs == 0) {
        rcbuf_unref(f->data);
        free(f);
    }
}
