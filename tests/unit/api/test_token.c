/*
 * api/auth token hashing: api_token_hash is SHA-256 of the token's text
 * (FIPS 180-2 vectors, a 43-character base64url token checked against
 * libsodium directly), so the store never keeps a usable token.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/auth.h"

static void hex(const uint8_t h[32], char out[65])
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static void expect_hash(const char *token, const char *want)
{
    uint8_t h[32];
    char got[65];
    api_token_hash(token, h);
    hex(h, got);
    if (strcmp(got, want) != 0)
        fail_msg("sha256(\"%s\") = %s, want %s", token, got, want);
}

static void test_known_vectors(void **state)
{
    (void)state;
    assert_true(sodium_init() >= 0);
    expect_hash("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect_hash("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect_hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_token_text(void **state)
{
    (void)state;
    const char *tok = "q1w2e3r4t5y6u7i8o9p0-_ASDFGHJKLZXCVBNMqwert";
    assert_int_equal(strlen(tok), API_TOKEN_CHARS);
    uint8_t h[32], want[32];
    api_token_hash(tok, h);
    crypto_hash_sha256(want, (const unsigned char *)tok, strlen(tok));
    assert_memory_equal(h, want, 32);
    /* one character apart: unrelated hashes */
    char other[API_TOKEN_CHARS + 1];
    memcpy(other, tok, sizeof other);
    other[API_TOKEN_CHARS - 1] = 'u';
    uint8_t h2[32];
    api_token_hash(other, h2);
    assert_memory_not_equal(h, h2, 32);
    /* deterministic */
    uint8_t h3[32];
    api_token_hash(tok, h3);
    assert_memory_equal(h, h3, 32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_vectors),
        cmocka_unit_test(test_token_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
