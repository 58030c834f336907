/*
 * rtmp/amf — Action Message Format: AMF0 encode/decode to a small value tree,
 * and AMF3 decoding of the values a client embeds in AMF0 with the "avmplus"
 * marker (0x11).
 *
 * Data path: rtmp/chunk delivers a command (type 20/17) or data (18/15)
 * message -> rtmp/session decodes its values here -> reads the command name,
 * transaction id and arguments. Answers are written with the amf_enc_*
 * functions into a buf_t that rtmp/chunk then splits into chunks.
 *
 * Ownership: amf_decode returns a tree owned by the caller, freed with
 * amf_free (which frees every node below). Strings in the tree are copies,
 * NUL-terminated (they may also contain NUL bytes: use str.len); the tree
 * never points into the input. Lookups return pointers into the tree.
 *
 * Invariants: decoding never reads past n bytes, never recurses deeper than
 * AMF_MAX_DEPTH, never makes more than AMF_MAX_NODES values per call, and
 * checks every length and count against the bytes left before allocating,
 * so memory is bounded by a small multiple of the input size. Anything not
 * understood is an error, never a crash.
 *
 * AMF0 values (one marker byte, then by type; integers big-endian):
 *
 *   0x00 number      | f64 |
 *   0x01 boolean     | u8 |
 *   0x02 string      | u16 len | bytes |
 *   0x03 object      { | u16 klen | key | value | }*  | 00 00 09 |
 *   0x05 null, 0x06 undefined, 0x0d unsupported (decoded as undefined)
 *   0x08 ECMA array  | u32 count (a hint) | properties as object | 00 00 09 |
 *   0x0a strict arr  | u32 count | value * count |
 *   0x0b date        | f64 ms since epoch | s16 timezone (ignored) |
 *   0x0c long string | u32 len | bytes |   (0x0f XML document: same layout)
 *   0x10 typed obj   | u16 len | class name | properties as object |
 *   0x11 avmplus     | one AMF3 value |
 *
 * AMF3 (inside avmplus): undefined, null, false, true, integer (U29),
 * double, string (with its reference table), date, array (associative and
 * dense parts) and object (sealed and dynamic members, trait references).
 * Object references, externalizable objects, XML, byte arrays, vectors and
 * dictionaries are errors.
 */
#ifndef SIARAN_RTMP_AMF_H
#define SIARAN_RTMP_AMF_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define AMF_MAX_DEPTH 32
#define AMF_MAX_NODES 4096

enum amf_type {
    AMF_NUMBER,
    AMF_BOOLEAN,
    AMF_STRING, /* string, long string, XML document */
    AMF_OBJECT, /* object, typed object (class name dropped), AMF3 object */
    AMF_NULL,
    AMF_UNDEFINED,
    AMF_ECMA_ARRAY,
    AMF_STRICT_ARRAY,
    AMF_DATE, /* number holds milliseconds since the epoch */
};

/* Return codes of amf_decode; amf_strerror names them. */
enum amf_err {
    AMF_OK = 0,
    AMF_ERR_TRUNCATED = -1,   /* input ends inside a value */
    AMF_ERR_INVALID = -2,     /* unknown or unsupported marker, bad structure */
    AMF_ERR_DEPTH = -3,       /* nesting deeper than AMF_MAX_DEPTH */
    AMF_ERR_LIMIT = -4,       /* more than AMF_MAX_NODES values, or a table full */
    AMF_ERR_UNSUPPORTED = -5, /* references, externalizable objects, ... */
};

typedef struct amf_value amf_value_t;

typedef struct amf_prop {
    char *key; /* NUL-terminated copy */
    size_t key_len;
    amf_value_t *value;
} amf_prop_t;

struct amf_value {
    enum amf_type type;
    union {
        double number; /* AMF_NUMBER, AMF_DATE */
        int boolean;   /* AMF_BOOLEAN: 0 or 1 */
        struct {
            char *data; /* NUL-terminated copy */
            size_t len;
        } str; /* AMF_STRING */
        struct {
            amf_prop_t *props;
            size_t count;
        } obj; /* AMF_OBJECT, AMF_ECMA_ARRAY */
        struct {
            amf_value_t **items;
            size_t count;
        } arr; /* AMF_STRICT_ARRAY */
    } u;
};

/*
 * Decodes one AMF0 value from p[0..n). On success returns AMF_OK, stores the
 * new tree (caller frees with amf_free) in *out and the bytes it took in
 * *used. On error returns a negative amf_err and *out is NULL.
 */
int amf_decode(const uint8_t *p, size_t n, size_t *used, amf_value_t **out)
    __attribute__((warn_unused_result));
void amf_free(amf_value_t *v);
const char *amf_strerror(int err);

/* Property of an object or ECMA array by key (first match); NULL otherwise. */
const amf_value_t *amf_object_get(const amf_value_t *v, const char *key);
/* The string of an AMF_STRING value, or NULL for v NULL or any other type. */
const char *amf_string(const amf_value_t *v);
/* 1 and the number in *out if v is an AMF_NUMBER, else 0. */
int amf_number(const amf_value_t *v, double *out);

/*
 * Encoders: each appends one AMF0 value (or the start/end of a container)
 * to b. Strings of 65536 bytes or more are written as long strings. Keys
 * are property names and must be shorter than 65536 bytes (longer ones are
 * cut). A container is closed by amf_enc_object_end (objects and ECMA
 * arrays); a strict array is just followed by its count values.
 */
void amf_enc_number(buf_t *b, double v);
void amf_enc_bool(buf_t *b, int v);
void amf_enc_string(buf_t *b, const char *s);
void amf_enc_string_n(buf_t *b, const char *s, size_t n);
void amf_enc_null(buf_t *b);
void amf_enc_undefined(buf_t *b);
void amf_enc_date(buf_t *b, double ms);
void amf_enc_object_begin(buf_t *b);
void amf_enc_ecma_begin(buf_t *b, uint32_t count);
void amf_enc_strict_array_begin(buf_t *b, uint32_t count);
void amf_enc_key(buf_t *b, const char *key, size_t len);
void amf_enc_object_end(buf_t *b);
void amf_enc_prop_number(buf_t *b, const char *key, double v);
void amf_enc_prop_string(buf_t *b, const char *key, const char *v);
void amf_enc_prop_bool(buf_t *b, const char *key, int v);
/* Writes a whole tree; AMF_ERR_DEPTH if deeper than AMF_MAX_DEPTH. */
int amf_enc_value(buf_t *b, const amf_value_t *v) __attribute__((warn_unused_result));

#endif
