/*
 * Fuzz target: rtmp/session after a valid plain handshake (C0, C1, C2 are
 * prepended here), fed the input in pieces sized by its first byte. The
 * publish answer depends on the stream name's first letter (accept, bad
 * name, rejected, or left pending until the end), so every path is reached.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rtmp/handshake.h"
#include "rtmp/session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fz {
    rtmp_session_t *s;
    size_t sum;
    int pending;
} fz_t;

static void on_connect(void *ud, const char *app, const char *tc_url, const char *flash_ver)
{
    fz_t *f = ud;
    f->sum += strlen(app) + strlen(tc_url) + strlen(flash_ver);
}

static void on_publish(void *ud, const char *name)
{
    fz_t *f = ud;
    switch (name[0] % 4) {
    case 0:
        rtmp_session_publish_result(f->s, RTMP_PUBLISH_OK, NULL);
        break;
    case 1:
        rtmp_session_publish_result(f->s, RTMP_PUBLISH_BADNAME, "no");
        break;
    case 2:
        rtmp_session_publish_result(f->s, RTMP_PUBLISH_REJECTED, NULL);
        break;
    default:
        f->pending = 1;
        break;
    }
}

static void on_media(void *ud, uint8_t type, uint32_t ts, const uint8_t *p, size_t len)
{
    fz_t *f = ud;
    f->sum += type + ts + len;
    if (len > 0)
        f->sum += p[0] + p[len - 1];
}

static void on_unpublish(void *ud)
{
    fz_t *f = ud;
    f->sum++;
}

static const rtmp_session_cbs_t cbs = {on_connect, on_publish, on_media, on_unpublish};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t hs[1 + 2 * RTMP_HANDSHAKE_SIZE];
    hs[0] = 3;
    fz_t f = {0};
    f.s = rtmp_session_new(&cbs, &f);
    if (rtmp_session_feed(f.s, hs, sizeof hs) != RTMP_OK)
        __builtin_trap();
    size_t pos = 0;
    unsigned step = size ? data[0] : 1;
    while (pos < size) {
        size_t piece = (step % 509) + 1;
        step = step * 1103515245u + 12345u;
        if (piece > size - pos)
            piece = size - pos;
        int rc = rtmp_session_feed(f.s, data + pos, piece);
        if (rc != RTMP_OK) {
            if (rtmp_session_error(f.s) == NULL)
                __builtin_trap();
            break;
        }
        buf_reset(rtmp_session_out(f.s)); /* "sent" */
        pos += piece;
    }
    if (f.pending)
        rtmp_session_publish_result(f.s, RTMP_PUBLISH_OK, NULL);
    f.sum += strlen(rtmp_session_app(f.s)) + strlen(rtmp_session_stream_name(f.s));
    rtmp_session_free(f.s);
    return 0;
}
