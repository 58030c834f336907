/*
 * store/tokens — login tokens, kept only as SHA-256 hashes.
 *
 * The caller hashes (api/auth does); this module only stores, finds and
 * deletes 32-byte hashes mapped to a user id.
 */
#ifndef SIARAN_STORE_TOKENS_H
#define SIARAN_STORE_TOKENS_H

#include <stdint.h>

#include "store/db.h"

int store_token_create(store_t *s, const uint8_t hash[32], int64_t user_id)
    __attribute__((warn_unused_result));
/* STORE_OK with *user_id, STORE_NOT_FOUND, STORE_ERROR. */
int store_token_lookup(store_t *s, const uint8_t hash[32], int64_t *user_id)
    __attribute__((warn_unused_result));
int store_token_delete(store_t *s, const uint8_t hash[32]) __attribute__((warn_unused_result));

#endif
