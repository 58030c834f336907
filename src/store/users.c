/* store/users — see users.h. */
#include "store/users.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"

#define USER_COLS "id, username, email, password_hash, created_at"

static void read_user(sqlite3_stmt *st, store_user_t *u)
{
    u->id = sqlite3_column_int64(st, 0);
    snprintf(u->username, sizeof u->username, "%s", store_col_text(st, 1));
    snprintf(u->email, sizeof u->email, "%s", store_col_text(st, 2));
    snprintf(u->password_hash, sizeof u->password_hash, "%s", store_col_text(st, 3));
    snprintf(u->created_at, sizeof u->created_at, "%s", store_col_text(st, 4));
}

static int one_user(sqlite3_stmt *st, store_user_t *u)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_user(st, u);
        sqlite3_reset(st);
        return STORE_OK;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

static int exists(store_t *s, const char *sql, const char *value)
{
    sqlite3_stmt *st = store_stmt(s, sql);
    if (st == NULL)
        return -1;
    sqlite3_bind_text(st, 1, value, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW;
}

int store_user_create(store_t *s, const char *username, const char *email,
                      const char *password_hash, store_user_t *u, int *which)
{
    *which = 0;
    sqlite3_stmt *st = store_stmt(s, "INSERT INTO users (username, email, password_hash) "
                                     "VALUES (?, ?, ?) RETURNING " USER_COLS);
    if (st == NULL)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, username, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, email, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, password_hash, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_user(st, u);
        sqlite3_reset(st);
        return STORE_OK;
    }
    int ext = sqlite3_extended_errcode(s->db);
    sqlite3_reset(st);
    if (ext == SQLITE_CONSTRAINT_UNIQUE) {
        if (exists(s, "SELECT 1 FROM users WHERE username = ?", username) == 1)
            *which = STORE_USER_USERNAME_TAKEN;
        else
            *which = STORE_USER_EMAIL_TAKEN;
        return STORE_CONFLICT;
    }
    log_error("sql_failed", "op=user_create err=\"%s\"", sqlite3_errmsg(s->db));
    return STORE_ERROR;
}

int store_user_by_login(store_t *s, const char *login, store_user_t *u)
{
    sqlite3_stmt *st =
        store_stmt(s, "SELECT " USER_COLS " FROM users "
                      "WHERE username = ?1 OR email = ?1 ORDER BY username = ?1 DESC "
                      "LIMIT 1");
    if (st == NULL)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, login, -1, SQLITE_TRANSIENT);
    return one_user(st, u);
}

int store_user_by_id(store_t *s, int64_t id, store_user_t *u)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT " USER_COLS " FROM users WHERE id = ?");
    if (st == NULL)
        return STORE_ERROR;
    sqlite3_bind_int64(st, 1, id);
    return one_user(st, u);
}

int64_t store_user_count(store_t *s)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT COUNT(*) FROM users");
    if (st == NULL)
        return -1;
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return n;
}
