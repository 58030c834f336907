/* store/tokens — see tokens.h. */
#include "store/tokens.h"

#include "core/log.h"

int store_token_create(store_t *s, const uint8_t hash[32], int64_t user_id)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT INTO tokens (token_hash, user_id) VALUES (?, ?)");
    if (st == NULL)
        return STORE_ERROR;
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, user_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        log_error("sql_failed", "op=token_create err=\"%s\"", sqlite3_errmsg(s->db));
        return STORE_ERROR;
    }
    return STORE_OK;
}

int store_token_lookup(store_t *s, const uint8_t hash[32], int64_t *user_id)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT user_id FROM tokens WHERE token_hash = ?");
    if (st == NULL)
        return STORE_ERROR;
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *user_id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return STORE_OK;
    return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

int store_token_delete(store_t *s, const uint8_t hash[32])
{
    sqlite3_stmt *st = store_stmt(s, "DELETE FROM tokens WHERE token_hash = ?");
    if (st == NULL)
        return STORE_ERROR;
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}
