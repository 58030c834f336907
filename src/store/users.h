/*
 * store/users — the users table: create, look up, count.
 *
 * Usernames and emails are unique without regard to case (COLLATE NOCASE).
 * Rows are copied into store_user_t (fixed-size fields), so nothing returned
 * points into SQLite.
 */
#ifndef SIARAN_STORE_USERS_H
#define SIARAN_STORE_USERS_H

#include <stdint.h>

#include "store/db.h"

typedef struct store_user {
    int64_t id;
    char username[40];
    char email[256];
    char password_hash[160];
    char created_at[32];
} store_user_t;

enum store_user_conflict { STORE_USER_USERNAME_TAKEN = 1, STORE_USER_EMAIL_TAKEN = 2 };

/*
 * Inserts a user. Returns STORE_OK (u filled), STORE_CONFLICT with *which
 * set to enum store_user_conflict, or STORE_ERROR.
 */
int store_user_create(store_t *s, const char *username, const char *email,
                      const char *password_hash, store_user_t *u, int *which)
    __attribute__((warn_unused_result));
/* By username or email (either, case-insensitively). */
int store_user_by_login(store_t *s, const char *login, store_user_t *u)
    __attribute__((warn_unused_result));
int store_user_by_id(store_t *s, int64_t id, store_user_t *u) __attribute__((warn_unused_result));
int64_t store_user_count(store_t *s);

#endif
