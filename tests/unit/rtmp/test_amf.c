/*
 * rtmp/amf: known AMF0 bytes built by hand from the specification (an
 * ffmpeg-style connect command), encoder output equal to them, round trips,
 * every truncation of a value (split at every offset), every limit, and the
 * AMF3 values a client may switch to with the avmplus marker.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtmp/amf.h"
#include "split.h"

/* ---- helpers building AMF0 bytes by hand ---- */

static void put(buf_t *b, const void *p, size_t n)
{
    buf_append(b, p, n);
}

static void put_u8(buf_t *b, unsigned v)
{
    uint8_t c = (uint8_t)v;
    put(b, &c, 1);
}

static void put_u16(buf_t *b, unsigned v)
{
    put_u8(b, v >> 8);
    put_u8(b, v & 0xff);
}

static void put_u32(buf_t *b, uint32_t v)
{
    put_u16(b, v >> 16);
    put_u16(b, v & 0xffff);
}

/* marker 0x02, u16 length, bytes */
static void h_string(buf_t *b, const char *s)
{
    put_u8(b, 0x02);
    put_u16(b, (unsigned)strlen(s));
    put(b, s, strlen(s));
}

/* u16 length, bytes (a property name) */
static void h_key(buf_t *b, const char *s)
{
    put_u16(b, (unsigned)strlen(s));
    put(b, s, strlen(s));
}

static void h_end(buf_t *b)
{
    put_u16(b, 0);
    put_u8(b, 0x09);
}

static amf_value_t *decode_ok(const void *p, size_t n, size_t *used)
{
    amf_value_t *v = NULL;
    size_t u = 0;
    int rc = amf_decode(p, n, &u, &v);
    if (rc != AMF_OK)
        fail_msg("decode failed: %s", amf_strerror(rc));
    if (used)
        *used = u;
    return v;
}

static int decode_rc(const void *p, size_t n)
{
    amf_value_t *v = NULL;
    size_t u = 0;
    int rc = amf_decode(p, n, &u, &v);
    if (rc == AMF_OK)
        amf_free(v);
    else
        assert_null(v);
    return rc;
}

/* ---- known bytes ---- */

/*
 * What ffmpeg sends to publish to rtmp://127.0.0.1:1935/live/key:
 *   "connect", 1, {app: "live", type: "nonprivate",
 *                  flashVer: "FMLE/3.0 (compatible; Lavf59.27.100)",
 *                  tcUrl: "rtmp://127.0.0.1:1935/live"}
 * 1.0 as an IEEE-754 double is 3f f0 00 00 00 00 00 00.
 */
static void build_connect(buf_t *b)
{
    h_string(b, "connect");
    static const uint8_t one[9] = {0x00, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0};
    put(b, one, sizeof one);
    put_u8(b, 0x03);
    h_key(b, "app");
    h_string(b, "live");
    h_key(b, "type");
    h_string(b, "nonprivate");
    h_key(b, "flashVer");
    h_string(b, "FMLE/3.0 (compatible; Lavf59.27.100)");
    h_key(b, "tcUrl");
    h_string(b, "rtmp://127.0.0.1:1935/live");
    h_end(b);
}

static void test_connect_known_bytes(void **state)
{
    (void)state;
    buf_t in = BUF_INIT;
    build_connect(&in);
    /* 10 (name) + 9 (number) + 1 + (5+7) + (6+13) + (10+39) + (7+29) + 3 */
    assert_int_equal(in.len, 10 + 9 + 1 + 12 + 19 + 49 + 36 + 3);

    const uint8_t *p = (const uint8_t *)in.data;
    size_t pos = 0, used;
    amf_value_t *name = decode_ok(p, in.len, &used);
    pos += used;
    assert_string_equal(amf_string(name), "connect");
    amf_value_t *tx = decode_ok(p + pos, in.len - pos, &used);
    pos += used;
    double d = 0;
    assert_true(amf_number(tx, &d));
    assert_true(d == 1.0);
    amf_value_t *obj = decode_ok(p + pos, in.len - pos, &used);
    pos += used;
    assert_int_equal(pos, in.len);
    assert_int_equal(obj->type, AMF_OBJECT);
    assert_int_equal(obj->u.obj.count, 4);
    assert_string_equal(amf_string(amf_object_get(obj, "app")), "live");
    assert_string_equal(amf_string(amf_object_get(obj, "type")), "nonprivate");
    assert_string_equal(amf_string(amf_object_get(obj, "flashVer")),
                        "FMLE/3.0 (compatible; Lavf59.27.100)");
    assert_string_equal(amf_string(amf_object_get(obj, "tcUrl")), "rtmp://127.0.0.1:1935/live");
    assert_null(amf_object_get(obj, "swfUrl"));
    assert_null(amf_string(tx));
    assert_false(amf_number(name, &d));

    /* The encoder writes the very same bytes, by builders and from the tree. */
    buf_t out = BUF_INIT;
    amf_enc_string(&out, "connect");
    amf_enc_number(&out, 1);
    amf_enc_object_begin(&out);
    amf_enc_prop_string(&out, "app", "live");
    amf_enc_prop_string(&out, "type", "nonprivate");
    amf_enc_prop_string(&out, "flashVer", "FMLE/3.0 (compatible; Lavf59.27.100)");
    amf_enc_prop_string(&out, "tcUrl", "rtmp://127.0.0.1:1935/live");
    amf_enc_object_end(&out);
    assert_int_equal(out.len, in.len);
    assert_memory_equal(out.data, in.data, in.len);

    buf_reset(&out);
    assert_int_equal(amf_enc_value(&out, name), AMF_OK);
    assert_int_equal(amf_enc_value(&out, tx), AMF_OK);
    assert_int_equal(amf_enc_value(&out, obj), AMF_OK);
    assert_memory_equal(out.data, in.data, in.len);

    amf_free(name);
    amf_free(tx);
    amf_free(obj);
    buf_free(&in);
    buf_free(&out);
}

static void test_scalars_known_bytes(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    amf_enc_number(&b, -2.5); /* sign 1, exponent 0x400, mantissa 0x4000000000000 */
    amf_enc_bool(&b, 1);
    amf_enc_bool(&b, 0);
    amf_enc_null(&b);
    amf_enc_undefined(&b);
    amf_enc_string(&b, "");
    amf_enc_date(&b, 1000.0); /* 0x408f400000000000, timezone 0 */
    static const uint8_t want[] = {
        0x00, 0xc0, 0x04, 0,    0, 0, 0, 0, 0,       /* number -2.5 */
        0x01, 0x01, 0x01, 0x00,                      /* true, false */
        0x05, 0x06,                                  /* null, undefined */
        0x02, 0x00, 0x00,                            /* "" */
        0x0b, 0x40, 0x8f, 0x40, 0, 0, 0, 0, 0, 0, 0, /* date 1000 ms, timezone 0 */
    };
    assert_int_equal(b.len, sizeof want);
    assert_memory_equal(b.data, want, sizeof want);

    const uint8_t *p = want;
    size_t n = sizeof want, used;
    amf_value_t *v = decode_ok(p, n, &used);
    assert_int_equal(v->type, AMF_NUMBER);
    assert_true(v->u.number == -2.5);
    assert_int_equal(used, 9);
    amf_free(v);
    p += used, n -= used;
    v = decode_ok(p, n, &used);
    assert_int_equal(v->type, AMF_BOOLEAN);
    assert_int_equal(v->u.boolean, 1);
    amf_free(v);
    p += used, n -= used;
    v = decode_ok(p, n, &used);
    assert_int_equal(v->u.boolean, 0);
    amf_free(v);
    p += used, n -= used;
    v = decode_ok(p, n, &used);
    assert_int_equal(v->type, AMF_NULL);
    amf_free(v);
    p += used, n -= used;
    v = decode_ok(p, n, &used);
    assert_int_equal(v->type, AMF_UNDEFINED);
    amf_free(v);
    p += used, n -= used;
    v = decode_ok(p, n, &used);
    assert_int_equal(v->type, AMF_STRING);
    assert_int_equal(v->u.str.len, 0);
    amf_free(v);
    p += used, n -= used;
    v = decode_ok(p, n, &used);
    assert_int_equal(v->type, AMF_DATE);
    assert_true(v->u.number == 1000.0);
    assert_int_equal(used, n);
    amf_free(v);
    buf_free(&b);
}

static void test_long_string(void **state)
{
    (void)state;
    size_t n = 70000;
    char *s = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        s[i] = (char)('a' + i % 26);
    s[n] = '\0';
    buf_t b = BUF_INIT;
    amf_enc_string(&b, s);
    assert_int_equal(b.len, 5 + n);
    assert_int_equal((uint8_t)b.data[0], 0x0c);
    assert_int_equal((uint8_t)b.data[1], 0x00);
    assert_int_equal((uint8_t)b.data[2], 0x01);
    assert_int_equal((uint8_t)b.data[3], 0x11);
    assert_int_equal((uint8_t)b.data[4], 0x70); /* 70000 = 0x011170 */
    size_t used;
    amf_value_t *v = decode_ok(b.data, b.len, &used);
    assert_int_equal(v->type, AMF_STRING);
    assert_int_equal(v->u.str.len, n);
    assert_memory_equal(v->u.str.data, s, n);
    amf_free(v);

    /* Strings may hold NUL bytes: the length is what counts. */
    buf_reset(&b);
    amf_enc_string_n(&b, "a\0b", 3);
    v = decode_ok(b.data, b.len, &used);
    assert_int_equal(v->u.str.len, 3);
    assert_memory_equal(v->u.str.data, "a\0b", 4);
    amf_free(v);

    /* XML document: a long string by layout. */
    static const uint8_t xml[] = {0x0f, 0, 0, 0, 3, '<', 'a', '>'};
    v = decode_ok(xml, sizeof xml, &used);
    assert_int_equal(v->type, AMF_STRING);
    assert_string_equal(v->u.str.data, "<a>");
    amf_free(v);
    free(s);
    buf_free(&b);
}

/* onMetaData as encoders write it: an ECMA array whose count is only a hint. */
static void test_ecma_array_and_containers(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    put_u8(&b, 0x08);
    put_u32(&b, 7); /* wrong on purpose */
    h_key(&b, "width");
    amf_enc_number(&b, 1280);
    h_key(&b, "encoder");
    h_string(&b, "Lavf");
    h_key(&b, "stereo");
    amf_enc_bool(&b, 1);
    h_end(&b);
    size_t used;
    amf_value_t *v = decode_ok(b.data, b.len, &used);
    assert_int_equal(used, b.len);
    assert_int_equal(v->type, AMF_ECMA_ARRAY);
    assert_int_equal(v->u.obj.count, 3);
    double w;
    assert_true(amf_number(amf_object_get(v, "width"), &w));
    assert_true(w == 1280);
    assert_int_equal(amf_object_get(v, "stereo")->u.boolean, 1);
    amf_free(v);

    /* Strict array of mixed values, and a typed object decoded as an object. */
    buf_reset(&b);
    amf_enc_strict_array_begin(&b, 3);
    amf_enc_number(&b, 1);
    amf_enc_null(&b);
    put_u8(&b, 0x10);
    put_u16(&b, 5);
    put(&b, "Klass", 5);
    h_key(&b, "x");
    h_string(&b, "y");
    h_end(&b);
    v = decode_ok(b.data, b.len, &used);
    assert_int_equal(used, b.len);
    assert_int_equal(v->type, AMF_STRICT_ARRAY);
    assert_int_equal(v->u.arr.count, 3);
    assert_int_equal(v->u.arr.items[1]->type, AMF_NULL);
    assert_int_equal(v->u.arr.items[2]->type, AMF_OBJECT);
    assert_string_equal(amf_string(amf_object_get(v->u.arr.items[2], "x")), "y");
    amf_free(v);

    /* The unsupported marker is a value without payload: undefined. */
    static const uint8_t unsup[] = {0x0d};
    v = decode_ok(unsup, 1, &used);
    assert_int_equal(v->type, AMF_UNDEFINED);
    amf_free(v);
    buf_free(&b);
}

/* Builds a nested tree with the encoder, decodes it, re-encodes it: same bytes. */
static void build_nested(buf_t *b)
{
    amf_enc_object_begin(b);
    amf_enc_prop_number(b, "n", 3.25);
    amf_enc_key(b, "list", 4);
    amf_enc_strict_array_begin(b, 2);
    amf_enc_string(b, "a");
    amf_enc_object_begin(b);
    amf_enc_prop_bool(b, "deep", 0);
    amf_enc_key(b, "", 0); /* an empty key is a property unless 0x09 follows */
    amf_enc_null(b);
    amf_enc_object_end(b);
    amf_enc_key(b, "meta", 4);
    amf_enc_ecma_begin(b, 1);
    amf_enc_prop_string(b, "k", "v");
    amf_enc_object_end(b);
    amf_enc_key(b, "when", 4);
    amf_enc_date(b, 1.5e12);
    amf_enc_object_end(b);
}

static void test_round_trip(void **state)
{
    (void)state;
    buf_t in = BUF_INIT, out = BUF_INIT;
    build_nested(&in);
    size_t used;
    amf_value_t *v = decode_ok(in.data, in.len, &used);
    assert_int_equal(used, in.len);
    const amf_value_t *list = amf_object_get(v, "list");
    assert_non_null(list);
    assert_int_equal(list->u.arr.count, 2);
    assert_non_null(amf_object_get(list->u.arr.items[1], ""));
    assert_int_equal(amf_enc_value(&out, v), AMF_OK);
    assert_int_equal(out.len, in.len);
    assert_memory_equal(out.data, in.data, in.len);
    amf_free(v);
    buf_free(&in);
    buf_free(&out);
}

/* Whole: decodes. Any prefix (the first piece of a split): truncated, never more. */
static void check_prefix(void *ud, const split_chunks_t *c)
{
    const buf_t *b = ud;
    if (strcmp(c->how, "whole") == 0) {
        assert_int_equal(decode_rc(c->data[0], c->len[0]), AMF_OK);
        return;
    }
    size_t n = strcmp(c->how, "split") == 0 ? c->at : 1;
    /* A copy of exactly n bytes, so ASan sees any read past the end. */
    uint8_t *p = malloc(n);
    memcpy(p, b->data, n);
    int rc = decode_rc(p, n);
    if (rc != AMF_ERR_TRUNCATED)
        fail_msg("prefix of %zu bytes: %s", n, amf_strerror(rc));
    free(p);
}

static void test_truncation_everywhere(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    build_nested(&b);
    split_each(b.data, b.len, check_prefix, &b);
    buf_reset(&b);
    build_connect(&b);
    /* only the object (third value) */
    size_t skip = 10 + 9;
    buf_t obj = BUF_INIT;
    buf_append(&obj, b.data + skip, b.len - skip);
    split_each(obj.data, obj.len, check_prefix, &obj);
    buf_free(&obj);
    buf_free(&b);
}

static void test_errors_and_limits(void **state)
{
    (void)state;
    static const uint8_t ref[] = {0x07, 0x00, 0x01};
    assert_int_equal(decode_rc(ref, sizeof ref), AMF_ERR_UNSUPPORTED);
    static const uint8_t clip[] = {0x04};
    assert_int_equal(decode_rc(clip, 1), AMF_ERR_INVALID);
    static const uint8_t end[] = {0x09};
    assert_int_equal(decode_rc(end, 1), AMF_ERR_INVALID);
    static const uint8_t unknown[] = {0x42};
    assert_int_equal(decode_rc(unknown, 1), AMF_ERR_INVALID);
    assert_int_equal(decode_rc("", 0), AMF_ERR_TRUNCATED);
    /* Lengths and counts beyond the input fail before any allocation. */
    static const uint8_t bigstr[] = {0x0c, 0xff, 0xff, 0xff, 0xff, 'x'};
    assert_int_equal(decode_rc(bigstr, sizeof bigstr), AMF_ERR_TRUNCATED);
    static const uint8_t bigarr[] = {0x0a, 0xff, 0xff, 0xff, 0xff, 0x05};
    assert_int_equal(decode_rc(bigarr, sizeof bigarr), AMF_ERR_TRUNCATED);
    static const uint8_t badtyped[] = {0x10, 0x00, 0x09, 'a'};
    assert_int_equal(decode_rc(badtyped, sizeof badtyped), AMF_ERR_TRUNCATED);

    /* Nesting: up to AMF_MAX_DEPTH levels of objects decode, one more does not. */
    for (int depth = 31; depth <= 33; depth++) {
        buf_t b = BUF_INIT;
        for (int i = 0; i < depth; i++) {
            if (i > 0)
                amf_enc_key(&b, "o", 1);
            amf_enc_object_begin(&b);
        }
        for (int i = 0; i < depth; i++)
            amf_enc_object_end(&b);
        int rc = decode_rc(b.data, b.len);
        assert_int_equal(rc, depth <= AMF_MAX_DEPTH ? AMF_OK : AMF_ERR_DEPTH);
        buf_free(&b);
    }

    /* Too many values: a strict array with more items than AMF_MAX_NODES. */
    buf_t b = BUF_INIT;
    amf_enc_strict_array_begin(&b, AMF_MAX_NODES + 1);
    for (int i = 0; i < AMF_MAX_NODES + 1; i++)
        amf_enc_null(&b);
    assert_int_equal(decode_rc(b.data, b.len), AMF_ERR_LIMIT);
    /* ... and an object with as many properties. */
    buf_reset(&b);
    amf_enc_object_begin(&b);
    for (int i = 0; i < AMF_MAX_NODES; i++) {
        amf_enc_key(&b, "k", 1);
        amf_enc_null(&b);
    }
    amf_enc_object_end(&b);
    assert_int_equal(decode_rc(b.data, b.len), AMF_ERR_LIMIT);
    buf_free(&b);

    /* Encoding a tree deeper than the cap is refused. */
    amf_value_t *top = NULL, **slot = &top;
    for (int i = 0; i < AMF_MAX_DEPTH + 1; i++) {
        amf_value_t *o = calloc(1, sizeof *o);
        o->type = AMF_STRICT_ARRAY;
        *slot = o;
        o->u.arr.items = calloc(1, sizeof *o->u.arr.items);
        o->u.arr.count = 1;
        slot = &o->u.arr.items[0];
    }
    amf_value_t *leaf = calloc(1, sizeof *leaf);
    leaf->type = AMF_NULL;
    *slot = leaf;
    buf_t e = BUF_INIT;
    assert_int_equal(amf_enc_value(&e, top), AMF_ERR_DEPTH);
    amf_free(top);
    buf_free(&e);
    assert_string_equal(amf_strerror(AMF_ERR_LIMIT), "too many AMF values");
}

/* ---- AMF3 through the avmplus marker ---- */

/* U29 as the AMF3 specification lays it out. */
static void put_u29(buf_t *b, uint32_t v)
{
    v &= 0x1fffffff;
    if (v < 0x80) {
        put_u8(b, v);
    } else if (v < 0x4000) {
        put_u8(b, (v >> 7) | 0x80);
        put_u8(b, v & 0x7f);
    } else if (v < 0x200000) {
        put_u8(b, (v >> 14) | 0x80);
        put_u8(b, ((v >> 7) & 0x7f) | 0x80);
        put_u8(b, v & 0x7f);
    } else {
        put_u8(b, (v >> 22) | 0x80);
        put_u8(b, ((v >> 15) & 0x7f) | 0x80);
        put_u8(b, ((v >> 8) & 0x7f) | 0x80);
        put_u8(b, v & 0xff);
    }
}

/* UTF-8-vr inline: U29 (len << 1 | 1), bytes */
static void put_str3(buf_t *b, const char *s)
{
    put_u29(b, (uint32_t)strlen(s) << 1 | 1);
    put(b, s, strlen(s));
}

static amf_value_t *decode3(buf_t *b)
{
    size_t used;
    amf_value_t *v = decode_ok(b->data, b->len, &used);
    assert_int_equal(used, b->len);
    return v;
}

static void test_amf3_scalars(void **state)
{
    (void)state;
    static const struct {
        int32_t v;
    } ints[] = {{0},       {127},     {128},       {16383}, {16384},
                {2097151}, {2097152}, {268435455}, {-1},    {-268435456}};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        buf_t b = BUF_INIT;
        put_u8(&b, 0x11);
        put_u8(&b, 0x04);
        put_u29(&b, (uint32_t)ints[i].v);
        amf_value_t *v = decode3(&b);
        assert_int_equal(v->type, AMF_NUMBER);
        if (v->u.number != (double)ints[i].v)
            fail_msg("int %d decoded as %f", ints[i].v, v->u.number);
        amf_free(v);
        buf_free(&b);
    }
    static const uint8_t simple[][2] = {{0x11, 0x00}, {0x11, 0x01}, {0x11, 0x02}, {0x11, 0x03}};
    static const enum amf_type types[] = {AMF_UNDEFINED, AMF_NULL, AMF_BOOLEAN, AMF_BOOLEAN};
    for (int i = 0; i < 4; i++) {
        size_t used;
        amf_value_t *v = decode_ok(simple[i], 2, &used);
        assert_int_equal(v->type, types[i]);
        if (i >= 2)
            assert_int_equal(v->u.boolean, i == 3);
        amf_free(v);
    }
    static const uint8_t dbl[] = {0x11, 0x05, 0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18};
    size_t used;
    amf_value_t *v = decode_ok(dbl, sizeof dbl, &used);
    assert_true(v->u.number > 3.14159 && v->u.number < 3.1416);
    amf_free(v);
    static const uint8_t date[] = {0x11, 0x08, 0x01, 0x40, 0x8f, 0x40, 0, 0, 0, 0, 0};
    v = decode_ok(date, sizeof date, &used);
    assert_int_equal(v->type, AMF_DATE);
    assert_true(v->u.number == 1000.0);
    amf_free(v);
}

static void test_amf3_containers(void **state)
{
    (void)state;
    /*
     * An array [ "a", "a" ] whose second item is a string reference, inside
     * an object of class "C" with sealed member "s" and dynamic member "d",
     * followed (as the last dynamic member) by a second object using a
     * traits reference.
     */
    buf_t b = BUF_INIT;
    put_u8(&b, 0x11);
    put_u8(&b, 0x0a);
    put_u29(&b, 1u << 4 | 0x0b); /* 1 sealed, dynamic, inline traits, inline object */
    put_str3(&b, "C");           /* string table: 0 "C" */
    put_str3(&b, "s");           /* 1 "s" */
    put_u8(&b, 0x09);            /* s: array */
    put_u29(&b, 2 << 1 | 1);     /* 2 dense items */
    put_u29(&b, 1);              /* empty associative part */
    put_u8(&b, 0x06);
    put_str3(&b, "a"); /* 2 "a" */
    put_u8(&b, 0x06);
    put_u29(&b, 2 << 1); /* reference to "a" */
    put_str3(&b, "d");   /* dynamic member d: 3 "d" */
    put_u8(&b, 0x04);
    put_u29(&b, 7);
    put_u29(&b, 1 << 1); /* dynamic member named by reference: "s" */
    put_u8(&b, 0x0a);
    put_u29(&b, 0 << 2 | 1); /* traits reference 0, inline object */
    put_u8(&b, 0x01);        /* its sealed s: null */
    put_u29(&b, 1);          /* no dynamic members */
    put_u29(&b, 1);          /* end of outer dynamic members */
    amf_value_t *v = decode3(&b);
    assert_int_equal(v->type, AMF_OBJECT);
    assert_int_equal(v->u.obj.count, 3);
    const amf_value_t *s = v->u.obj.props[0].value;
    assert_string_equal(v->u.obj.props[0].key, "s");
    assert_int_equal(s->type, AMF_STRICT_ARRAY);
    assert_int_equal(s->u.arr.count, 2);
    assert_string_equal(amf_string(s->u.arr.items[0]), "a");
    assert_string_equal(amf_string(s->u.arr.items[1]), "a");
    double d;
    assert_true(amf_number(amf_object_get(v, "d"), &d));
    assert_true(d == 7);
    const amf_value_t *inner = v->u.obj.props[2].value;
    assert_string_equal(v->u.obj.props[2].key, "s");
    assert_int_equal(inner->type, AMF_OBJECT);
    assert_int_equal(inner->u.obj.count, 1);
    assert_int_equal(amf_object_get(inner, "s")->type, AMF_NULL);
    amf_free(v);

    /* An array with an associative part becomes an ECMA array keyed "0", "1", ... */
    buf_reset(&b);
    put_u8(&b, 0x11);
    put_u8(&b, 0x09);
    put_u29(&b, 1 << 1 | 1);
    put_str3(&b, "k");
    put_u8(&b, 0x03);
    put_u29(&b, 1);
    put_u8(&b, 0x02);
    v = decode3(&b);
    assert_int_equal(v->type, AMF_ECMA_ARRAY);
    assert_int_equal(amf_object_get(v, "k")->u.boolean, 1);
    assert_int_equal(amf_object_get(v, "0")->u.boolean, 0);
    amf_free(v);

    /* The same value inside an AMF0 strict array: tables start afresh per switch. */
    buf_reset(&b);
    amf_enc_strict_array_begin(&b, 2);
    put_u8(&b, 0x11);
    put_u8(&b, 0x06);
    put_str3(&b, "x");
    put_u8(&b, 0x11);
    put_u8(&b, 0x06);
    put_u29(&b, 0); /* reference 0: unknown in this fresh table */
    assert_int_equal(decode_rc(b.data, b.len), AMF_ERR_INVALID);
    buf_free(&b);
}

static void test_amf3_errors(void **state)
{
    (void)state;
    static const uint8_t objref[] = {0x11, 0x0a, 0x00};
    assert_int_equal(decode_rc(objref, sizeof objref), AMF_ERR_UNSUPPORTED);
    static const uint8_t extern_[] = {0x11, 0x0a, 0x07, 0x01};
    assert_int_equal(decode_rc(extern_, sizeof extern_), AMF_ERR_UNSUPPORTED);
    static const uint8_t traitref[] = {0x11, 0x0a, 0x05};
    assert_int_equal(decode_rc(traitref, sizeof traitref), AMF_ERR_INVALID);
    static const uint8_t bytearray[] = {0x11, 0x0c, 0x03, 0x00};
    assert_int_equal(decode_rc(bytearray, sizeof bytearray), AMF_ERR_UNSUPPORTED);
    static const uint8_t xml[] = {0x11, 0x0b, 0x01};
    assert_int_equal(decode_rc(xml, sizeof xml), AMF_ERR_UNSUPPORTED);
    static const uint8_t arrref[] = {0x11, 0x09, 0x00};
    assert_int_equal(decode_rc(arrref, sizeof arrref), AMF_ERR_UNSUPPORTED);
    static const uint8_t dateref[] = {0x11, 0x08, 0x00};
    assert_int_equal(decode_rc(dateref, sizeof dateref), AMF_ERR_UNSUPPORTED);
    static const uint8_t longstr[] = {0x11, 0x06, 0xff, 0xff, 0xff, 0xff};
    assert_int_equal(decode_rc(longstr, sizeof longstr), AMF_ERR_TRUNCATED);
    static const uint8_t shortu29[] = {0x11, 0x04, 0x80, 0x80};
    assert_int_equal(decode_rc(shortu29, sizeof shortu29), AMF_ERR_TRUNCATED);
    static const uint8_t dense[] = {0x11, 0x09, 0xbf, 0xff, 0xff, 0xff, 0x01};
    assert_int_equal(decode_rc(dense, sizeof dense), AMF_ERR_TRUNCATED);
    static const uint8_t sealed[] = {0x11, 0x0a, 0x8f, 0xff, 0xff, 0xf3};
    assert_int_equal(decode_rc(sealed, sizeof sealed), AMF_ERR_LIMIT);

    /* Deep AMF3 nesting stops at the same cap. */
    buf_t b = BUF_INIT;
    put_u8(&b, 0x11);
    for (int i = 0; i < AMF_MAX_DEPTH + 2; i++) {
        put_u8(&b, 0x09);
        put_u29(&b, 1 << 1 | 1);
        put_u29(&b, 1);
    }
    put_u8(&b, 0x01);
    assert_int_equal(decode_rc(b.data, b.len), AMF_ERR_DEPTH);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_connect_known_bytes),
        cmocka_unit_test(test_scalars_known_bytes),
        cmocka_unit_test(test_long_string),
        cmocka_unit_test(test_ecma_array_and_containers),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_truncation_everywhere),
        cmocka_unit_test(test_errors_and_limits),
        cmocka_unit_test(test_amf3_scalars),
        cmocka_unit_test(test_amf3_containers),
        cmocka_unit_test(test_amf3_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
