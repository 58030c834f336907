/* store/db — see db.h. */
#include "store/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/log.h"

static int exec(store_t *s, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

int store_schema_version(store_t *s)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

int store_migrate(store_t *s, char *err, size_t errlen)
{
    int have = store_schema_version(s);
    if (have < 0) {
        snprintf(err, errlen, "cannot read schema version: %s", sqlite3_errmsg(s->db));
        return -1;
    }
    if (have > store_migrations_count) {
        snprintf(err, errlen,
                 "database schema version %d is newer than this binary knows (%d); upgrade siaran",
                 have, store_migrations_count);
        return -1;
    }
    int ran = 0;
    for (int i = have; i < store_migrations_count; i++) {
        char e[512];
        if (exec(s, "BEGIN IMMEDIATE", e, sizeof e) != 0) {
            snprintf(err, errlen, "migration %s: %s", store_migrations[i].name, e);
            return -1;
        }
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", i + 1);
        if (exec(s, store_migrations[i].sql, e, sizeof e) != 0 ||
            exec(s, pragma, e, sizeof e) != 0) {
            char ignored[64];
            (void)exec(s, "ROLLBACK", ignored, sizeof ignored);
            snprintf(err, errlen, "migration %s: %s", store_migrations[i].name, e);
            return -1;
        }
        if (exec(s, "COMMIT", e, sizeof e) != 0) {
            snprintf(err, errlen, "migration %s: %s", store_migrations[i].name, e);
            return -1;
        }
        log_info("migration_applied", "name=%s version=%d", store_migrations[i].name, i + 1);
        ran++;
    }
    return ran;
}

int store_open(store_t **out, const char *path, char *err, size_t errlen)
{
    store_t *s = xcalloc(1, sizeof *s);
    *out = NULL;
    if (sqlite3_open_v2(path, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", path,
                 s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 5000);
    if (exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
             err, errlen) != 0)
        goto fail;
    if (store_migrate(s, err, errlen) < 0)
        goto fail;
    *out = s;
    return 0;
fail:
    store_close(s);
    return -1;
}

void store_close(store_t *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < s->ncache; i++)
        sqlite3_finalize(s->cache[i].stmt);
    free(s->cache);
    if (s->db)
        sqlite3_close(s->db);
    free(s);
}

sqlite3_stmt *store_stmt(store_t *s, const char *sql)
{
    for (int i = 0; i < s->ncache; i++) {
        if (s->cache[i].sql == sql) {
            sqlite3_stmt *st = s->cache[i].stmt;
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return st;
        }
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        log_error("sql_prepare_failed", "err=\"%s\"", sqlite3_errmsg(s->db));
        return NULL;
    }
    if (s->ncache == s->capcache) {
        s->capcache = s->capcache ? s->capcache * 2 : 32;
        s->cache = xrealloc(s->cache, (size_t)s->capcache * sizeof *s->cache);
    }
    s->cache[s->ncache++] = (struct store_cached){sql, st};
    return st;
}

void store_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *store_col_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? (const char *)t : "";
}

int store_begin(store_t *s)
{
    return sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int store_commit(store_t *s)
{
    return sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

void store_rollback(store_t *s)
{
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}
