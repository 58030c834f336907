/*
 * rtmp/handshake: the plain handshake (S2 echoes C1) and the digest one
 * (a C1 signed here with the Flash Player key at either scheme's offset;
 * our S1 digest and S2 signature verified with the Media Server key), each
 * fed whole, byte by byte and split at every offset, with chunk stream
 * bytes after C2 left over; bad versions; a forged digest falls back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "rtmp/handshake.h"
#include "split.h"

#define HS RTMP_HANDSHAKE_SIZE

/* The well-known keys, written out independently of the module. */
static const char fp_text[] = "Genuine Adobe Flash Player 001";
static const char fms_text[] = "Genuine Adobe Flash Media Server 001";
static const uint8_t key_tail[32] = {
    0xf0, 0xee, 0xc2, 0x4a, 0x80, 0x68, 0xbe, 0xe8, 0x2e, 0x00, 0xd0, 0xd1, 0x02, 0x9e, 0x7e, 0x57,
    0x6e, 0xec, 0x5d, 0x2d, 0x29, 0x80, 0x6f, 0xab, 0x93, 0xb8, 0xe6, 0x36, 0xcf, 0xeb, 0x31, 0xae};

/* scheme 0: offset bytes at 8, digest in 12..; scheme 1: bytes at 772, digest in 776.. */
static size_t offset_of(const uint8_t *b, int scheme)
{
    size_t base = scheme == 0 ? 8 : 772;
    return ((size_t)b[base] + b[base + 1] + b[base + 2] + b[base + 3]) % 728 + base + 4;
}

static void digest_without(const uint8_t *b, size_t off, const uint8_t *key, size_t klen,
                           uint8_t out[32])
{
    /* Copy the block without the 32 digest bytes, then one-shot HMAC. */
    uint8_t msg[HS - 32];
    memcpy(msg, b, off);
    memcpy(msg + off, b + off + 32, HS - off - 32);
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, klen);
    crypto_auth_hmacsha256_update(&st, msg, sizeof msg);
    crypto_auth_hmacsha256_final(&st, out);
}

static void hmac(const uint8_t *key, size_t klen, const uint8_t *m, size_t n, uint8_t out[32])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, klen);
    crypto_auth_hmacsha256_update(&st, m, n);
    crypto_auth_hmacsha256_final(&st, out);
}

static void fms_full_key(uint8_t key[68])
{
    memcpy(key, fms_text, 36);
    memcpy(key + 36, key_tail, 32);
}

/* C0 + C1 + C2 + tail, with C1 plain (version 0) or signed with a scheme. */
typedef struct script {
    uint8_t bytes[1 + 2 * HS + 3];
    size_t len;
    int digest; /* -1 plain, 0 or 1: scheme, 2: digest version but forged */
} script_t;

static void make_script(script_t *s, int digest, uint8_t c0)
{
    memset(s, 0, sizeof *s);
    s->digest = digest;
    uint8_t *c1 = s->bytes + 1;
    s->bytes[0] = c0;
    for (size_t i = 0; i < HS; i++)
        c1[i] = (uint8_t)(i * 7 + 3);
    c1[0] = c1[1] = c1[2] = c1[3] = 0; /* time */
    if (digest < 0) {
        memset(c1 + 4, 0, 4);
    } else {
        static const uint8_t ver[4] = {9, 0, 124, 2};
        memcpy(c1 + 4, ver, 4);
        if (digest <= 1) {
            size_t off = offset_of(c1, digest);
            digest_without(c1, off, (const uint8_t *)fp_text, 30, c1 + off);
        }
    }
    uint8_t *c2 = c1 + HS;
    memset(c2, 0x5a, HS);        /* not an echo of S1: must be accepted anyway */
    s->bytes[1 + 2 * HS] = 0xaa; /* the chunk stream starts here */
    s->bytes[1 + 2 * HS + 1] = 0xbb;
    s->bytes[1 + 2 * HS + 2] = 0xcc;
    s->len = sizeof s->bytes;
}

static void check_answer(const script_t *s, const uint8_t *out)
{
    const uint8_t *c1 = s->bytes + 1;
    const uint8_t *s1 = out + 1, *s2 = out + 1 + HS;
    assert_int_equal(out[0], 3);
    if (s->digest < 0 || s->digest == 2) {
        assert_memory_equal(s1 + 4, "\0\0\0\0", 4);
        assert_memory_equal(s2, c1, HS);
        return;
    }
    /* S1: a non-zero version and our digest at the client's scheme offset. */
    assert_true((s1[4] | s1[5] | s1[6] | s1[7]) != 0);
    size_t soff = offset_of(s1, s->digest);
    uint8_t d[32];
    digest_without(s1, soff, (const uint8_t *)fms_text, 36, d);
    assert_memory_equal(d, s1 + soff, 32);

    /* S2: the last 32 bytes sign the rest with a key derived from the client digest. */
    size_t coff = offset_of(c1, s->digest);
    uint8_t full[68], key[32], sig[32];
    fms_full_key(full);
    hmac(full, sizeof full, c1 + coff, 32, key);
    hmac(key, sizeof key, s2, HS - 32, sig);
    assert_memory_equal(sig, s2 + HS - 32, 32);
}

static void run_script(void *ud, const split_chunks_t *c)
{
    const script_t *s = ud;
    rtmp_handshake_t hs;
    rtmp_handshake_init(&hs);
    buf_t out = BUF_INIT;
    buf_t rest = BUF_INIT;
    int done = 0;
    for (size_t i = 0; i < c->count; i++) {
        if (done) {
            buf_append(&rest, c->data[i], c->len[i]);
            continue;
        }
        size_t used = 12345;
        int rc = rtmp_handshake_feed(&hs, c->data[i], c->len[i], &used, &out);
        assert_true(used <= c->len[i]);
        if (rc == RTMP_HS_NEED_MORE) {
            assert_int_equal(used, c->len[i]);
            continue;
        }
        assert_int_equal(rc, RTMP_HS_DONE);
        done = 1;
        buf_append(&rest, c->data[i] + used, c->len[i] - used);
    }
    if (!done)
        fail_msg("%s at %zu: handshake not done", c->how, c->at);
    assert_int_equal(out.len, 1 + 2 * HS);
    assert_int_equal(rest.len, 3);
    assert_memory_equal(rest.data, "\xaa\xbb\xcc", 3);
    assert_int_equal(hs.digest, s->digest == 0 || s->digest == 1);
    check_answer(s, (const uint8_t *)out.data);

    /* Done is sticky and consumes nothing more. */
    size_t used = 1;
    assert_int_equal(rtmp_handshake_feed(&hs, (const uint8_t *)"x", 1, &used, &out), RTMP_HS_DONE);
    assert_int_equal(used, 0);
    buf_free(&out);
    buf_free(&rest);
}

static void test_plain(void **state)
{
    (void)state;
    script_t *s = malloc(sizeof *s);
    make_script(s, -1, 3);
    split_each(s->bytes, s->len, run_script, s);
    free(s);
}

static void test_digest_scheme0(void **state)
{
    (void)state;
    script_t *s = malloc(sizeof *s);
    make_script(s, 0, 3);
    split_each(s->bytes, s->len, run_script, s);
    free(s);
}

static void test_digest_scheme1(void **state)
{
    (void)state;
    script_t *s = malloc(sizeof *s);
    make_script(s, 1, 3);
    split_each(s->bytes, s->len, run_script, s);
    free(s);
}

static void test_forged_digest_falls_back(void **state)
{
    (void)state;
    script_t *s = malloc(sizeof *s);
    make_script(s, 2, 3);
    run_script(s, &(split_chunks_t){(const uint8_t *const[]){s->bytes}, (size_t[]){s->len}, 1,
                                    "whole", 0});
    free(s);
}

static void test_versions(void **state)
{
    (void)state;
    static const uint8_t bad[] = {0, 1, 2, 32, 'G', 0xff};
    for (size_t i = 0; i < sizeof bad; i++) {
        rtmp_handshake_t hs;
        rtmp_handshake_init(&hs);
        buf_t out = BUF_INIT;
        size_t used;
        uint8_t in[4] = {bad[i], 0, 0, 0};
        assert_int_equal(rtmp_handshake_feed(&hs, in, sizeof in, &used, &out), RTMP_HS_ERROR);
        assert_int_equal(used, 1);
        assert_non_null(hs.error);
        assert_int_equal(out.len, 0);
        assert_int_equal(rtmp_handshake_feed(&hs, in, sizeof in, &used, &out), RTMP_HS_ERROR);
        assert_int_equal(used, 0);
        buf_free(&out);
    }
    /* RTMPE (6) and other versions up to 31 are answered with 3, as the spec asks. */
    script_t *s = malloc(sizeof *s);
    make_script(s, -1, 6);
    run_script(s, &(split_chunks_t){(const uint8_t *const[]){s->bytes}, (size_t[]){s->len}, 1,
                                    "whole", 0});
    free(s);
}

static void test_s1_random(void **state)
{
    (void)state;
    /* Two handshakes never send the same S1 random bytes. */
    uint8_t in[1 + HS] = {3};
    buf_t a = BUF_INIT, b = BUF_INIT;
    rtmp_handshake_t h1, h2;
    rtmp_handshake_init(&h1);
    rtmp_handshake_init(&h2);
    size_t used;
    assert_int_equal(rtmp_handshake_feed(&h1, in, sizeof in, &used, &a), RTMP_HS_NEED_MORE);
    assert_int_equal(rtmp_handshake_feed(&h2, in, sizeof in, &used, &b), RTMP_HS_NEED_MORE);
    assert_int_equal(a.len, 1 + 2 * HS);
    assert_memory_not_equal(a.data + 9, b.data + 9, HS - 8);
    buf_free(&a);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),          cmocka_unit_test(test_digest_scheme0),
        cmocka_unit_test(test_digest_scheme1), cmocka_unit_test(test_forged_digest_falls_back),
        cmocka_unit_test(test_versions),       cmocka_unit_test(test_s1_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
