/* rtmp/handshake — see handshake.h. */
#include "rtmp/handshake.h"

#include <sodium.h>
#include <string.h>

#define DIGEST_LEN 32

/* "Genuine Adobe Flash Player 001" followed by 32 fixed bytes; the client
   signs C1 with the first 30 bytes. */
static const uint8_t fp_key[30] = {'G', 'e', 'n', 'u', 'i', 'n', 'e', ' ', 'A', 'd',
                                   'o', 'b', 'e', ' ', 'F', 'l', 'a', 's', 'h', ' ',
                                   'P', 'l', 'a', 'y', 'e', 'r', ' ', '0', '0', '1'};

/* "Genuine Adobe Flash Media Server 001" followed by the same 32 bytes. The
   server signs S1 with the first 36 bytes and derives the S2 key from all 68. */
static const uint8_t fms_key[68] = {
    'G',  'e',  'n',  'u',  'i',  'n',  'e',  ' ',  'A',  'd',  'o',  'b',  'e',  ' ',
    'F',  'l',  'a',  's',  'h',  ' ',  'M',  'e',  'd',  'i',  'a',  ' ',  'S',  'e',
    'r',  'v',  'e',  'r',  ' ',  '0',  '0',  '1',  0xf0, 0xee, 0xc2, 0x4a, 0x80, 0x68,
    0xbe, 0xe8, 0x2e, 0x00, 0xd0, 0xd1, 0x02, 0x9e, 0x7e, 0x57, 0x6e, 0xec, 0x5d, 0x2d,
    0x29, 0x80, 0x6f, 0xab, 0x93, 0xb8, 0xe6, 0x36, 0xcf, 0xeb, 0x31, 0xae};

#define FMS_KEY_SHORT 36

/* Our S1 version field: any non-zero value announces a digest S1. */
static const uint8_t server_version[4] = {4, 5, 0, 1};

enum scheme { SCHEME_A, SCHEME_B };

void rtmp_handshake_init(rtmp_handshake_t *hs)
{
    memset(hs, 0, sizeof *hs);
    hs->state = RTMP_HS_C0;
}

/* Where the 32-byte digest sits in a 1536-byte C1/S1 for a scheme. */
static size_t digest_offset(const uint8_t *b, enum scheme s)
{
    size_t base = s == SCHEME_A ? 8 : 772;
    size_t sum = (size_t)b[base] + b[base + 1] + b[base + 2] + b[base + 3];
    return sum % 728 + base + 4;
}

/* HMAC-SHA256 of the block without its 32 digest bytes at off. */
static void block_digest(const uint8_t *b, size_t off, const uint8_t *key, size_t keylen,
                         uint8_t out[DIGEST_LEN])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, keylen);
    crypto_auth_hmacsha256_update(&st, b, off);
    crypto_auth_hmacsha256_update(&st, b + off + DIGEST_LEN,
                                  RTMP_HANDSHAKE_SIZE - off - DIGEST_LEN);
    crypto_auth_hmacsha256_final(&st, out);
}

static void hmac(const uint8_t *key, size_t keylen, const uint8_t *msg, size_t len,
                 uint8_t out[DIGEST_LEN])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, keylen);
    crypto_auth_hmacsha256_update(&st, msg, len);
    crypto_auth_hmacsha256_final(&st, out);
}

/* Finds a valid client digest; returns 1 with its scheme and offset, else 0. */
static int find_client_digest(const uint8_t *c1, enum scheme *s, size_t *off)
{
    static const enum scheme order[2] = {SCHEME_A, SCHEME_B};
    for (int i = 0; i < 2; i++) {
        uint8_t d[DIGEST_LEN];
        size_t o = digest_offset(c1, order[i]);
        block_digest(c1, o, fp_key, sizeof fp_key, d);
        if (sodium_memcmp(d, c1 + o, DIGEST_LEN) == 0) {
            *s = order[i];
            *off = o;
            return 1;
        }
    }
    return 0;
}

/* Builds S0+S1+S2 for the complete C1 in hs->c1 and appends them to out. */
static void answer(rtmp_handshake_t *hs, buf_t *out)
{
    uint8_t s0 = 3;
    uint8_t s1[RTMP_HANDSHAKE_SIZE];
    uint8_t s2[RTMP_HANDSHAKE_SIZE];
    const uint8_t *c1 = hs->c1;
    enum scheme sch = SCHEME_A;
    size_t coff = 0;

    randombytes_buf(s1, sizeof s1);
    memset(s1, 0, 4); /* time */
    hs->digest = (c1[4] | c1[5] | c1[6] | c1[7]) != 0 && find_client_digest(c1, &sch, &coff);
    if (!hs->digest) {
        memset(s1 + 4, 0, 4);
        memcpy(s2, c1, sizeof s2);
    } else {
        memcpy(s1 + 4, server_version, 4);
        size_t soff = digest_offset(s1, sch);
        block_digest(s1, soff, fms_key, FMS_KEY_SHORT, s1 + soff);

        uint8_t key[DIGEST_LEN];
        randombytes_buf(s2, sizeof s2);
        hmac(fms_key, sizeof fms_key, c1 + coff, DIGEST_LEN, key);
        hmac(key, sizeof key, s2, sizeof s2 - DIGEST_LEN, s2 + sizeof s2 - DIGEST_LEN);
    }
    buf_append(out, &s0, 1);
    buf_append(out, s1, sizeof s1);
    buf_append(out, s2, sizeof s2);
}

int rtmp_handshake_feed(rtmp_handshake_t *hs, const uint8_t *data, size_t len, size_t *used,
                        buf_t *out)
{
    size_t pos = 0;
    while (pos < len &&
           (hs->state == RTMP_HS_C0 || hs->state == RTMP_HS_C1 || hs->state == RTMP_HS_C2)) {
        switch (hs->state) {
        case RTMP_HS_C0: {
            uint8_t v = data[pos++];
            if (v < 3 || v > 31) {
                hs->state = RTMP_HS_FAILED;
                hs->error = "unsupported RTMP version";
                break;
            }
            if (sodium_init() < 0) {
                hs->state = RTMP_HS_FAILED;
                hs->error = "libsodium initialisation failed";
                break;
            }
            hs->state = RTMP_HS_C1;
            hs->got = 0;
            break;
        }
        case RTMP_HS_C1: {
            size_t n = RTMP_HANDSHAKE_SIZE - hs->got;
            if (n > len - pos)
                n = len - pos;
            memcpy(hs->c1 + hs->got, data + pos, n);
            hs->got += n;
            pos += n;
            if (hs->got == RTMP_HANDSHAKE_SIZE) {
                answer(hs, out);
                hs->state = RTMP_HS_C2;
                hs->got = 0;
            }
            break;
        }
        case RTMP_HS_C2: {
            /* Many clients do not echo S1 faithfully: C2 is skipped unchecked. */
            size_t n = RTMP_HANDSHAKE_SIZE - hs->got;
            if (n > len - pos)
                n = len - pos;
            hs->got += n;
            pos += n;
            if (hs->got == RTMP_HANDSHAKE_SIZE)
                hs->state = RTMP_HS_FINISHED;
            break;
        }
        case RTMP_HS_FINISHED:
        case RTMP_HS_FAILED:
            break;
        }
    }
    *used = pos;
    if (hs->state == RTMP_HS_FINISHED)
        return RTMP_HS_DONE;
    return hs->state == RTMP_HS_FAILED ? RTMP_HS_ERROR : RTMP_HS_NEED_MORE;
}
