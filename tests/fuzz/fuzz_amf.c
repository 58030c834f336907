/*
 * Fuzz target: rtmp/amf. Decodes the input as a sequence of AMF0 values
 * (with AMF3 behind avmplus markers); each decoded tree is walked, encoded,
 * decoded again and encoded again: the two encodings must be identical.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rtmp/amf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Touches every node so ASan sees any bad pointer. */
static size_t walk(const amf_value_t *v)
{
    size_t n = 1;
    switch (v->type) {
    case AMF_STRING:
        n += v->u.str.len + (unsigned char)v->u.str.data[v->u.str.len];
        break;
    case AMF_OBJECT:
    case AMF_ECMA_ARRAY:
        for (size_t i = 0; i < v->u.obj.count; i++)
            n += v->u.obj.props[i].key_len + walk(v->u.obj.props[i].value);
        n += amf_object_get(v, "code") != NULL;
        break;
    case AMF_STRICT_ARRAY:
        for (size_t i = 0; i < v->u.arr.count; i++)
            n += walk(v->u.arr.items[i]);
        break;
    default:
        break;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t pos = 0;
    volatile size_t sink = 0;
    while (pos < size) {
        amf_value_t *v = NULL;
        size_t used = 0;
        if (amf_decode(data + pos, size - pos, &used, &v) != AMF_OK) {
            if (v != NULL)
                __builtin_trap();
            break;
        }
        if (used == 0 || used > size - pos)
            __builtin_trap();
        pos += used;
        sink += walk(v);

        buf_t a = BUF_INIT, b = BUF_INIT;
        if (amf_enc_value(&a, v) != AMF_OK)
            __builtin_trap(); /* a decoded tree is never deeper than the cap */
        amf_value_t *w = NULL;
        size_t used2 = 0;
        if (amf_decode((const uint8_t *)a.data, a.len, &used2, &w) != AMF_OK || used2 != a.len)
            __builtin_trap();
        if (amf_enc_value(&b, w) != AMF_OK || a.len != b.len || memcmp(a.data, b.data, a.len))
            __builtin_trap();
        amf_free(w);
        amf_free(v);
        buf_free(&a);
        buf_free(&b);
    }
    (void)sink;
    return 0;
}
