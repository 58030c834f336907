/* core/rcbuf — see rcbuf.h. */
#include "core/rcbuf.h"

#include <stdlib.h>
#include <string.h>

rcbuf_t *rcbuf_new(const void *data, size_t len)
{
    rcbuf_t *r = xmalloc(sizeof *r + len + 1);
    r->refs = 1;
    r->len = len;
    if (data)
        memcpy(r->data, data, len);
    else
        memset(r->data, 0, len);
    r->data[len] = '\0';
    return r;
}

rcbuf_t *rcbuf_from_buf(const buf_t *b)
{
    return rcbuf_new(b->data, b->len);
}

void rcbuf_unref(rcbuf_t *r)
{
    if (r && --r->refs == 0)
        free(r);
}
