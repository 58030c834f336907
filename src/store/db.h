/*
 * store/db — the SQLite database: open, pragmas, migrations, statements.
 *
 * Owns the connection (one per process, used on the loop thread only).
 * Migrations are the numbered files of src/store/sql/, embedded at build
 * time; PRAGMA user_version records how many ran, each runs in its own
 * transaction, and a database newer than the binary is refused. Statements
 * are prepared once (persistent) and cached by SQL text address: callers
 * pass string literals. store_stmt() hands out a reset statement with no
 * bindings; the caller steps it and need not reset it.
 */
#ifndef SIARAN_STORE_DB_H
#define SIARAN_STORE_DB_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct store_migration {
    const char *name;
    const char *sql;
};
extern const struct store_migration store_migrations[];
extern const int store_migrations_count;

enum store_rc {
    STORE_OK = 0,
    STORE_NOT_FOUND = 1,
    STORE_CONFLICT = 2,
    STORE_ERROR = -1,
};

typedef struct store {
    sqlite3 *db;
    struct store_cached {
        const char *sql;
        sqlite3_stmt *stmt;
    } * cache;
    int ncache, capcache;
} store_t;

/* Opens (creating) path and migrates it. On error *errmsg is set (static or sqlite's). */
int store_open(store_t **out, const char *path, char *err, size_t errlen)
    __attribute__((warn_unused_result));
void store_close(store_t *s);
/* Runs pending migrations; returns how many ran or -1. */
int store_migrate(store_t *s, char *err, size_t errlen) __attribute__((warn_unused_result));
int store_schema_version(store_t *s);

/* A cached, reset statement for a literal SQL string; NULL on error (logged). */
sqlite3_stmt *store_stmt(store_t *s, const char *sql);
/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ". */
void store_now(char out[32]);
/* sqlite3_column_text as a C string ("" for NULL). */
const char *store_col_text(sqlite3_stmt *st, int col);
int store_begin(store_t *s) __attribute__((warn_unused_result));
int store_commit(store_t *s) __attribute__((warn_unused_result));
void store_rollback(store_t *s);

#endif
