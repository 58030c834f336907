/* rtmp/amf — see amf.h. */
#include "rtmp/amf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"

enum amf0_marker {
    AMF0_NUMBER = 0x00,
    AMF0_BOOLEAN = 0x01,
    AMF0_STRING = 0x02,
    AMF0_OBJECT = 0x03,
    AMF0_MOVIECLIP = 0x04,
    AMF0_NULL = 0x05,
    AMF0_UNDEFINED = 0x06,
    AMF0_REFERENCE = 0x07,
    AMF0_ECMA_ARRAY = 0x08,
    AMF0_OBJECT_END = 0x09,
    AMF0_STRICT_ARRAY = 0x0a,
    AMF0_DATE = 0x0b,
    AMF0_LONG_STRING = 0x0c,
    AMF0_UNSUPPORTED = 0x0d,
    AMF0_RECORDSET = 0x0e,
    AMF0_XML_DOCUMENT = 0x0f,
    AMF0_TYPED_OBJECT = 0x10,
    AMF0_AVMPLUS = 0x11,
};

enum amf3_marker {
    AMF3_UNDEFINED = 0x00,
    AMF3_NULL = 0x01,
    AMF3_FALSE = 0x02,
    AMF3_TRUE = 0x03,
    AMF3_INTEGER = 0x04,
    AMF3_DOUBLE = 0x05,
    AMF3_STRING = 0x06,
    AMF3_DATE = 0x08,
    AMF3_ARRAY = 0x09,
    AMF3_OBJECT = 0x0a,
};

/* AMF3 reference tables: entries point into the input being decoded. */
#define AMF3_MAX_STRINGS 1024
#define AMF3_MAX_TRAITS  64
#define AMF3_MAX_SEALED  256

typedef struct span {
    const uint8_t *p;
    size_t n;
} span_t;

typedef struct traits {
    span_t *sealed; /* member names, in order */
    size_t nsealed;
    int dynamic;
} traits_t;

typedef struct amf3_tables {
    span_t strings[AMF3_MAX_STRINGS];
    size_t nstrings;
    traits_t traits[AMF3_MAX_TRAITS];
    size_t ntraits;
} amf3_tables_t;

typedef struct dec {
    const uint8_t *p;
    size_t n;
    size_t pos;
    unsigned nodes;
    amf3_tables_t *t3; /* set while inside an avmplus value */
} dec_t;

static int dec_value(dec_t *d, unsigned depth, amf_value_t **out);
static int dec3_value(dec_t *d, unsigned depth, amf_value_t **out);

const char *amf_strerror(int err)
{
    static const char *const names[] = {"ok",
                                        "truncated AMF value",
                                        "invalid AMF value",
                                        "AMF nesting too deep",
                                        "too many AMF values",
                                        "unsupported AMF value"};
    return err <= 0 && err >= AMF_ERR_UNSUPPORTED ? names[-err] : "unknown AMF error";
}

static size_t left(const dec_t *d)
{
    return d->n - d->pos;
}

static amf_value_t *node_new(dec_t *d, enum amf_type type)
{
    if (d->nodes >= AMF_MAX_NODES)
        return NULL;
    d->nodes++;
    amf_value_t *v = xcalloc(1, sizeof *v);
    v->type = type;
    return v;
}

static double f64_get(const uint8_t *p)
{
    uint64_t bits = be64_get(p);
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

static void f64_put(uint8_t *p, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    be64_put(p, bits);
}

/* Copies n input bytes at the cursor into a new string value. */
static int dec_bytes_value(dec_t *d, size_t n, amf_value_t **out)
{
    if (n > left(d))
        return AMF_ERR_TRUNCATED;
    amf_value_t *v = node_new(d, AMF_STRING);
    if (v == NULL)
        return AMF_ERR_LIMIT;
    v->u.str.data = xstrndup((const char *)d->p + d->pos, n);
    v->u.str.len = n;
    d->pos += n;
    *out = v;
    return AMF_OK;
}

/* Appends a property to a container, growing its array by doubling. */
static void obj_push(amf_value_t *obj, const uint8_t *key, size_t klen, amf_value_t *val)
{
    size_t c = obj->u.obj.count;
    if ((c & (c - 1)) == 0) /* 0, 1, 2, 4, ...: capacity is the next power of two */
        obj->u.obj.props = xrealloc(obj->u.obj.props, (c ? 2 * c : 1) * sizeof(amf_prop_t));
    obj->u.obj.props[c].key = xstrndup((const char *)key, klen);
    obj->u.obj.props[c].key_len = klen;
    obj->u.obj.props[c].value = val;
    obj->u.obj.count = c + 1;
}

/* AMF0 object body: properties up to and including the 00 00 09 end. */
static int dec_props(dec_t *d, unsigned depth, amf_value_t *obj)
{
    for (;;) {
        if (left(d) < 2)
            return AMF_ERR_TRUNCATED;
        size_t klen = be16_get(d->p + d->pos);
        d->pos += 2;
        if (klen == 0) {
            if (left(d) < 1)
                return AMF_ERR_TRUNCATED;
            if (d->p[d->pos] == AMF0_OBJECT_END) {
                d->pos++;
                return AMF_OK;
            }
        }
        if (klen > left(d))
            return AMF_ERR_TRUNCATED;
        const uint8_t *key = d->p + d->pos;
        d->pos += klen;
        amf_value_t *val = NULL;
        int rc = dec_value(d, depth + 1, &val);
        if (rc != AMF_OK)
            return rc;
        obj_push(obj, key, klen, val);
    }
}

static int dec_container(dec_t *d, unsigned depth, enum amf_type type, amf_value_t **out)
{
    amf_value_t *v = node_new(d, type);
    if (v == NULL)
        return AMF_ERR_LIMIT;
    int rc = dec_props(d, depth, v);
    if (rc != AMF_OK) {
        amf_free(v);
        return rc;
    }
    *out = v;
    return AMF_OK;
}

static int dec_strict_array(dec_t *d, unsigned depth, amf_value_t **out)
{
    if (left(d) < 4)
        return AMF_ERR_TRUNCATED;
    uint32_t count = be32_get(d->p + d->pos);
    d->pos += 4;
    /* Every value takes at least one byte: a count beyond that is a lie. */
    if (count > left(d))
        return AMF_ERR_TRUNCATED;
    if (count > AMF_MAX_NODES)
        return AMF_ERR_LIMIT;
    amf_value_t *v = node_new(d, AMF_STRICT_ARRAY);
    if (v == NULL)
        return AMF_ERR_LIMIT;
    v->u.arr.items = xcalloc(count, sizeof *v->u.arr.items);
    for (uint32_t i = 0; i < count; i++) {
        int rc = dec_value(d, depth + 1, &v->u.arr.items[i]);
        if (rc != AMF_OK) {
            amf_free(v);
            return rc;
        }
        v->u.arr.count = i + 1;
    }
    *out = v;
    return AMF_OK;
}

static int dec_avmplus(dec_t *d, unsigned depth, amf_value_t **out)
{
    /* Each switch to AMF3 starts with fresh reference tables. */
    amf3_tables_t *saved = d->t3;
    amf3_tables_t *t = xcalloc(1, sizeof *t);
    d->t3 = t;
    int rc = dec3_value(d, depth, out);
    for (size_t i = 0; i < t->ntraits; i++)
        free(t->traits[i].sealed);
    free(t);
    d->t3 = saved;
    return rc;
}

static int dec_value(dec_t *d, unsigned depth, amf_value_t **out)
{
    *out = NULL;
    if (depth >= AMF_MAX_DEPTH)
        return AMF_ERR_DEPTH;
    if (left(d) < 1)
        return AMF_ERR_TRUNCATED;
    uint8_t marker = d->p[d->pos++];
    amf_value_t *v;
    switch (marker) {
    case AMF0_NUMBER:
    case AMF0_DATE: {
        size_t need = marker == AMF0_DATE ? 10 : 8;
        if (left(d) < need)
            return AMF_ERR_TRUNCATED;
        v = node_new(d, marker == AMF0_DATE ? AMF_DATE : AMF_NUMBER);
        if (v == NULL)
            return AMF_ERR_LIMIT;
        v->u.number = f64_get(d->p + d->pos);
        d->pos += need;
        break;
    }
    case AMF0_BOOLEAN:
        if (left(d) < 1)
            return AMF_ERR_TRUNCATED;
        v = node_new(d, AMF_BOOLEAN);
        if (v == NULL)
            return AMF_ERR_LIMIT;
        v->u.boolean = d->p[d->pos++] != 0;
        break;
    case AMF0_STRING:
        if (left(d) < 2)
            return AMF_ERR_TRUNCATED;
        d->pos += 2;
        return dec_bytes_value(d, be16_get(d->p + d->pos - 2), out);
    case AMF0_LONG_STRING:
    case AMF0_XML_DOCUMENT:
        if (left(d) < 4)
            return AMF_ERR_TRUNCATED;
        d->pos += 4;
        return dec_bytes_value(d, be32_get(d->p + d->pos - 4), out);
    case AMF0_NULL:
    case AMF0_UNDEFINED:
    case AMF0_UNSUPPORTED:
        v = node_new(d, marker == AMF0_NULL ? AMF_NULL : AMF_UNDEFINED);
        if (v == NULL)
            return AMF_ERR_LIMIT;
        break;
    case AMF0_OBJECT:
        return dec_container(d, depth, AMF_OBJECT, out);
    case AMF0_ECMA_ARRAY:
        /* The count is only a hint (encoders get it wrong): read to the end marker. */
        if (left(d) < 4)
            return AMF_ERR_TRUNCATED;
        d->pos += 4;
        return dec_container(d, depth, AMF_ECMA_ARRAY, out);
    case AMF0_TYPED_OBJECT: {
        if (left(d) < 2)
            return AMF_ERR_TRUNCATED;
        size_t clen = be16_get(d->p + d->pos);
        if (clen > left(d) - 2)
            return AMF_ERR_TRUNCATED;
        d->pos += 2 + clen;
        return dec_container(d, depth, AMF_OBJECT, out);
    }
    case AMF0_STRICT_ARRAY:
        return dec_strict_array(d, depth, out);
    case AMF0_AVMPLUS:
        return dec_avmplus(d, depth, out);
    case AMF0_REFERENCE:
        return AMF_ERR_UNSUPPORTED;
    default: /* object end out of place, movieclip, recordset, unknown */
        return AMF_ERR_INVALID;
    }
    *out = v;
    return AMF_OK;
}

/* ---- AMF3 ---- */

/* U29: 1 to 4 bytes, 7 bits each with a continuation bit, the 4th all 8. */
static int dec3_u29(dec_t *d, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        if (left(d) < 1)
            return AMF_ERR_TRUNCATED;
        uint8_t b = d->p[d->pos++];
        if (i == 3) {
            *out = (v << 8) | b;
            return AMF_OK;
        }
        v = (v << 7) | (b & 0x7f);
        if (!(b & 0x80))
            break;
    }
    *out = v;
    return AMF_OK;
}

/* UTF-8-vr: an inline string (added to the table when non-empty) or a reference. */
static int dec3_string(dec_t *d, span_t *out)
{
    uint32_t h;
    int rc = dec3_u29(d, &h);
    if (rc != AMF_OK)
        return rc;
    amf3_tables_t *t = d->t3;
    if (!(h & 1)) {
        if ((h >> 1) >= t->nstrings)
            return AMF_ERR_INVALID;
        *out = t->strings[h >> 1];
        return AMF_OK;
    }
    size_t n = h >> 1;
    if (n > left(d))
        return AMF_ERR_TRUNCATED;
    out->p = d->p + d->pos;
    out->n = n;
    d->pos += n;
    if (n > 0) {
        if (t->nstrings >= AMF3_MAX_STRINGS)
            return AMF_ERR_LIMIT;
        t->strings[t->nstrings++] = *out;
    }
    return AMF_OK;
}

static int dec3_traits(dec_t *d, uint32_t h, traits_t **out)
{
    amf3_tables_t *t = d->t3;
    if (!(h & 2)) { /* traits reference */
        if ((h >> 2) >= t->ntraits)
            return AMF_ERR_INVALID;
        *out = &t->traits[h >> 2];
        return AMF_OK;
    }
    if (h & 4) /* externalizable */
        return AMF_ERR_UNSUPPORTED;
    size_t nsealed = h >> 4;
    if (nsealed > AMF3_MAX_SEALED || nsealed > left(d))
        return AMF_ERR_LIMIT;
    if (t->ntraits >= AMF3_MAX_TRAITS)
        return AMF_ERR_LIMIT;
    span_t cls;
    int rc = dec3_string(d, &cls);
    if (rc != AMF_OK)
        return rc;
    traits_t *tr = &t->traits[t->ntraits];
    tr->dynamic = (h & 8) != 0;
    tr->nsealed = 0;
    tr->sealed = xcalloc(nsealed, sizeof *tr->sealed);
    t->ntraits++; /* owned by the table from here, freed with it */
    for (size_t i = 0; i < nsealed; i++) {
        rc = dec3_string(d, &tr->sealed[i]);
        if (rc != AMF_OK)
            return rc;
        tr->nsealed = i + 1;
    }
    *out = tr;
    return AMF_OK;
}

/* Dynamic or associative members: (name, value) pairs up to an empty name. */
static int dec3_members(dec_t *d, unsigned depth, amf_value_t *obj)
{
    for (;;) {
        span_t key;
        int rc = dec3_string(d, &key);
        if (rc != AMF_OK)
            return rc;
        if (key.n == 0)
            return AMF_OK;
        amf_value_t *val = NULL;
        rc = dec3_value(d, depth + 1, &val);
        if (rc != AMF_OK)
            return rc;
        obj_push(obj, key.p, key.n, val);
    }
}

static int dec3_object(dec_t *d, unsigned depth, amf_value_t *obj)
{
    uint32_t h;
    int rc = dec3_u29(d, &h);
    if (rc != AMF_OK)
        return rc;
    if (!(h & 1))
        return AMF_ERR_UNSUPPORTED; /* object reference */
    traits_t *tr;
    rc = dec3_traits(d, h, &tr);
    if (rc != AMF_OK)
        return rc;
    /* tr stays valid: the traits array is fixed and entries are only added. */
    for (size_t i = 0; i < tr->nsealed; i++) {
        amf_value_t *val = NULL;
        rc = dec3_value(d, depth + 1, &val);
        if (rc != AMF_OK)
            return rc;
        obj_push(obj, tr->sealed[i].p, tr->sealed[i].n, val);
    }
    return tr->dynamic ? dec3_members(d, depth, obj) : AMF_OK;
}

/* Arrays become a strict array (dense only) or an ECMA array keyed "0", "1", ... */
static int dec3_array(dec_t *d, unsigned depth, amf_value_t *arr)
{
    uint32_t h;
    int rc = dec3_u29(d, &h);
    if (rc != AMF_OK)
        return rc;
    if (!(h & 1))
        return AMF_ERR_UNSUPPORTED;
    uint32_t dense = h >> 1;
    if (dense > left(d))
        return AMF_ERR_TRUNCATED;
    if (dense > AMF_MAX_NODES)
        return AMF_ERR_LIMIT;
    arr->type = AMF_ECMA_ARRAY;
    rc = dec3_members(d, depth, arr);
    if (rc != AMF_OK)
        return rc;
    if (arr->u.obj.count == 0) {
        arr->type = AMF_STRICT_ARRAY;
        arr->u.arr.items = xcalloc(dense, sizeof *arr->u.arr.items);
        for (uint32_t i = 0; i < dense; i++) {
            rc = dec3_value(d, depth + 1, &arr->u.arr.items[i]);
            if (rc != AMF_OK)
                return rc;
            arr->u.arr.count = i + 1;
        }
        return AMF_OK;
    }
    for (uint32_t i = 0; i < dense; i++) {
        amf_value_t *val = NULL;
        rc = dec3_value(d, depth + 1, &val);
        if (rc != AMF_OK)
            return rc;
        char key[16];
        int klen = snprintf(key, sizeof key, "%u", (unsigned)i);
        obj_push(arr, (const uint8_t *)key, (size_t)klen, val);
    }
    return AMF_OK;
}

static int dec3_value(dec_t *d, unsigned depth, amf_value_t **out)
{
    *out = NULL;
    if (depth >= AMF_MAX_DEPTH)
        return AMF_ERR_DEPTH;
    if (left(d) < 1)
        return AMF_ERR_TRUNCATED;
    uint8_t marker = d->p[d->pos++];
    amf_value_t *v = NULL;
    int rc = AMF_OK;
    switch (marker) {
    case AMF3_UNDEFINED:
    case AMF3_NULL:
        v = node_new(d, marker == AMF3_NULL ? AMF_NULL : AMF_UNDEFINED);
        break;
    case AMF3_FALSE:
    case AMF3_TRUE:
        v = node_new(d, AMF_BOOLEAN);
        if (v)
            v->u.boolean = marker == AMF3_TRUE;
        break;
    case AMF3_INTEGER: {
        uint32_t u;
        rc = dec3_u29(d, &u);
        if (rc != AMF_OK)
            return rc;
        v = node_new(d, AMF_NUMBER);
        if (v) /* 29-bit two's complement */
            v->u.number = (u & 0x10000000u) ? (double)u - 536870912.0 : (double)u;
        break;
    }
    case AMF3_DOUBLE:
        if (left(d) < 8)
            return AMF_ERR_TRUNCATED;
        v = node_new(d, AMF_NUMBER);
        if (v)
            v->u.number = f64_get(d->p + d->pos);
        d->pos += 8;
        break;
    case AMF3_DATE: {
        uint32_t h;
        rc = dec3_u29(d, &h);
        if (rc != AMF_OK)
            return rc;
        if (!(h & 1))
            return AMF_ERR_UNSUPPORTED;
        if (left(d) < 8)
            return AMF_ERR_TRUNCATED;
        v = node_new(d, AMF_DATE);
        if (v)
            v->u.number = f64_get(d->p + d->pos);
        d->pos += 8;
        break;
    }
    case AMF3_STRING: {
        span_t s;
        rc = dec3_string(d, &s);
        if (rc != AMF_OK)
            return rc;
        v = node_new(d, AMF_STRING);
        if (v) {
            v->u.str.data = xstrndup((const char *)s.p, s.n);
            v->u.str.len = s.n;
        }
        break;
    }
    case AMF3_ARRAY:
    case AMF3_OBJECT:
        v = node_new(d, AMF_OBJECT);
        if (v == NULL)
            return AMF_ERR_LIMIT;
        rc = marker == AMF3_ARRAY ? dec3_array(d, depth, v) : dec3_object(d, depth, v);
        if (rc != AMF_OK) {
            amf_free(v);
            return rc;
        }
        break;
    default:
        return AMF_ERR_UNSUPPORTED;
    }
    if (v == NULL)
        return AMF_ERR_LIMIT;
    *out = v;
    return AMF_OK;
}

int amf_decode(const uint8_t *p, size_t n, size_t *used, amf_value_t **out)
{
    dec_t d = {p, n, 0, 0, NULL};
    *out = NULL;
    int rc = dec_value(&d, 0, out);
    if (rc != AMF_OK) {
        amf_free(*out);
        *out = NULL;
        return rc;
    }
    *used = d.pos;
    return AMF_OK;
}

void amf_free(amf_value_t *v)
{
    if (v == NULL)
        return;
    switch (v->type) {
    case AMF_STRING:
        free(v->u.str.data);
        break;
    case AMF_OBJECT:
    case AMF_ECMA_ARRAY:
        for (size_t i = 0; i < v->u.obj.count; i++) {
            free(v->u.obj.props[i].key);
            amf_free(v->u.obj.props[i].value);
        }
        free(v->u.obj.props);
        break;
    case AMF_STRICT_ARRAY:
        for (size_t i = 0; i < v->u.arr.count; i++)
            amf_free(v->u.arr.items[i]);
        free(v->u.arr.items);
        break;
    default:
        break;
    }
    free(v);
}

const amf_value_t *amf_object_get(const amf_value_t *v, const char *key)
{
    if (v == NULL || (v->type != AMF_OBJECT && v->type != AMF_ECMA_ARRAY))
        return NULL;
    size_t klen = strlen(key);
    for (size_t i = 0; i < v->u.obj.count; i++) {
        const amf_prop_t *pr = &v->u.obj.props[i];
        if (pr->key_len == klen && memcmp(pr->key, key, klen) == 0)
            return pr->value;
    }
    return NULL;
}

const char *amf_string(const amf_value_t *v)
{
    return v != NULL && v->type == AMF_STRING ? v->u.str.data : NULL;
}

int amf_number(const amf_value_t *v, double *out)
{
    if (v == NULL || v->type != AMF_NUMBER)
        return 0;
    *out = v->u.number;
    return 1;
}

/* ---- encoder ---- */

static void put_u8(buf_t *b, uint8_t v)
{
    buf_append(b, &v, 1);
}

void amf_enc_number(buf_t *b, double v)
{
    uint8_t t[9] = {AMF0_NUMBER};
    f64_put(t + 1, v);
    buf_append(b, t, sizeof t);
}

void amf_enc_bool(buf_t *b, int v)
{
    uint8_t t[2] = {AMF0_BOOLEAN, v ? 1 : 0};
    buf_append(b, t, sizeof t);
}

void amf_enc_string_n(buf_t *b, const char *s, size_t n)
{
    uint8_t t[5];
    if (n <= 0xffff) {
        t[0] = AMF0_STRING;
        be16_put(t + 1, (uint16_t)n);
        buf_append(b, t, 3);
    } else {
        if (n > 0xffffffffu)
            n = 0xffffffffu;
        t[0] = AMF0_LONG_STRING;
        be32_put(t + 1, (uint32_t)n);
        buf_append(b, t, 5);
    }
    buf_append(b, s, n);
}

void amf_enc_string(buf_t *b, const char *s)
{
    amf_enc_string_n(b, s, strlen(s));
}

void amf_enc_null(buf_t *b)
{
    put_u8(b, AMF0_NULL);
}

void amf_enc_undefined(buf_t *b)
{
    put_u8(b, AMF0_UNDEFINED);
}

void amf_enc_date(buf_t *b, double ms)
{
    uint8_t t[11] = {AMF0_DATE};
    f64_put(t + 1, ms);
    buf_append(b, t, sizeof t); /* timezone 0 */
}

void amf_enc_object_begin(buf_t *b)
{
    put_u8(b, AMF0_OBJECT);
}

void amf_enc_ecma_begin(buf_t *b, uint32_t count)
{
    uint8_t t[5] = {AMF0_ECMA_ARRAY};
    be32_put(t + 1, count);
    buf_append(b, t, sizeof t);
}

void amf_enc_strict_array_begin(buf_t *b, uint32_t count)
{
    uint8_t t[5] = {AMF0_STRICT_ARRAY};
    be32_put(t + 1, count);
    buf_append(b, t, sizeof t);
}

void amf_enc_key(buf_t *b, const char *key, size_t len)
{
    uint8_t t[2];
    if (len > 0xffff)
        len = 0xffff;
    be16_put(t, (uint16_t)len);
    buf_append(b, t, 2);
    buf_append(b, key, len);
}

void amf_enc_object_end(buf_t *b)
{
    static const uint8_t end[3] = {0, 0, AMF0_OBJECT_END};
    buf_append(b, end, sizeof end);
}

void amf_enc_prop_number(buf_t *b, const char *key, double v)
{
    amf_enc_key(b, key, strlen(key));
    amf_enc_number(b, v);
}

void amf_enc_prop_string(buf_t *b, const char *key, const char *v)
{
    amf_enc_key(b, key, strlen(key));
    amf_enc_string(b, v);
}

void amf_enc_prop_bool(buf_t *b, const char *key, int v)
{
    amf_enc_key(b, key, strlen(key));
    amf_enc_bool(b, v);
}

static int enc_value(buf_t *b, const amf_value_t *v, unsigned depth)
{
    if (depth >= AMF_MAX_DEPTH)
        return AMF_ERR_DEPTH;
    switch (v->type) {
    case AMF_NUMBER:
        amf_enc_number(b, v->u.number);
        return AMF_OK;
    case AMF_DATE:
        amf_enc_date(b, v->u.number);
        return AMF_OK;
    case AMF_BOOLEAN:
        amf_enc_bool(b, v->u.boolean);
        return AMF_OK;
    case AMF_STRING:
        amf_enc_string_n(b, v->u.str.data, v->u.str.len);
        return AMF_OK;
    case AMF_NULL:
        amf_enc_null(b);
        return AMF_OK;
    case AMF_UNDEFINED:
        amf_enc_undefined(b);
        return AMF_OK;
    case AMF_OBJECT:
    case AMF_ECMA_ARRAY:
        if (v->type == AMF_OBJECT)
            amf_enc_object_begin(b);
        else
            amf_enc_ecma_begin(b, (uint32_t)v->u.obj.count);
        for (size_t i = 0; i < v->u.obj.count; i++) {
            amf_enc_key(b, v->u.obj.props[i].key, v->u.obj.props[i].key_len);
            int rc = enc_value(b, v->u.obj.props[i].value, depth + 1);
            if (rc != AMF_OK)
                return rc;
        }
        amf_enc_object_end(b);
        return AMF_OK;
    case AMF_STRICT_ARRAY:
        amf_enc_strict_array_begin(b, (uint32_t)v->u.arr.count);
        for (size_t i = 0; i < v->u.arr.count; i++) {
            int rc = enc_value(b, v->u.arr.items[i], depth + 1);
            if (rc != AMF_OK)
                return rc;
        }
        return AMF_OK;
    }
    return AMF_ERR_INVALID;
}

int amf_enc_value(buf_t *b, const amf_value_t *v)
{
    return enc_value(b, v, 0);
}
