/*
 * api/auth — accounts: register, login, logout, me, and token checks.
 *
 * Passwords are hashed with argon2id (libsodium crypto_pwhash_str) on the
 * thread pool, never on the loop. A token is 32 random bytes shown once as
 * base64url (43 characters); only its SHA-256 is stored. Logins are rate
 * limited per client IP and per account name (failures only).
 */
#ifndef SIARAN_API_AUTH_H
#define SIARAN_API_AUTH_H

#include <stdint.h>

#include "http/server.h"

#define API_TOKEN_CHARS 43

void api_auth_init(void);
void api_auth_shutdown(void);

/*
 * Resolves the Authorization header into r->user_id/username. Returns 0
 * when authenticated, 1 when no credentials were given, or answers 401 and
 * returns -1 when credentials were given but are not valid.
 */
int api_auth_resolve(http_req_t *r);

/* SHA-256 of a token's text (what the store keeps). */
void api_token_hash(const char *token, uint8_t out[32]);

void api_register(http_req_t *r);
void api_login(http_req_t *r);
void api_logout(http_req_t *r);
void api_me(http_req_t *r);

#endif
