/* store/streams — see streams.h. */
#include "store/streams.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"

#define STREAM_COLS                                                                                \
    "s.id, s.owner_id, u.username, s.title, s.description, s.status, s.stream_key, "               \
    "s.created_at, s.started_at, s.ended_at"
#define STREAM_FROM " FROM streams s JOIN users u ON u.id = s.owner_id "

static void read_stream(sqlite3_stmt *st, store_stream_t *o)
{
    memset(o, 0, sizeof *o);
    o->id = sqlite3_column_int64(st, 0);
    o->owner_id = sqlite3_column_int64(st, 1);
    snprintf(o->owner_username, sizeof o->owner_username, "%s", store_col_text(st, 2));
    snprintf(o->title, sizeof o->title, "%s", store_col_text(st, 3));
    o->description = xstrdup(store_col_text(st, 4));
    snprintf(o->status, sizeof o->status, "%s", store_col_text(st, 5));
    snprintf(o->stream_key, sizeof o->stream_key, "%s", store_col_text(st, 6));
    snprintf(o->created_at, sizeof o->created_at, "%s", store_col_text(st, 7));
    snprintf(o->started_at, sizeof o->started_at, "%s", store_col_text(st, 8));
    snprintf(o->ended_at, sizeof o->ended_at, "%s", store_col_text(st, 9));
}

void store_stream_clear(store_stream_t *st)
{
    free(st->description);
    st->description = NULL;
}

static int one_stream(sqlite3_stmt *st, store_stream_t *out)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_stream(st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return STORE_OK;
    return rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

int store_stream_get(store_t *s, int64_t id, store_stream_t *out)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT " STREAM_COLS STREAM_FROM "WHERE s.id = ?");
    if (st == NULL)
        return STORE_ERROR;
    sqlite3_bind_int64(st, 1, id);
    return one_stream(st, out);
}

int store_stream_by_key(store_t *s, const char *key, store_stream_t *out)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT " STREAM_COLS STREAM_FROM "WHERE s.stream_key = ?");
    if (st == NULL)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    return one_stream(st, out);
}

int store_stream_create(store_t *s, int64_t owner_id, const char *title, const char *description,
                        const char *stream_key, store_stream_t *out)
{
    sqlite3_stmt *st = store_stmt(
        s, "INSERT INTO streams (owner_id, title, description, stream_key) VALUES (?, ?, ?, ?)");
    if (st == NULL)
        return STORE_ERROR;
    sqlite3_bind_int64(st, 1, owner_id);
    sqlite3_bind_text(st, 2, title, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, description ? description : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, stream_key, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        log_error("sql_failed", "op=stream_create err=\"%s\"", sqlite3_errmsg(s->db));
        return STORE_ERROR;
    }
    return store_stream_get(s, sqlite3_last_insert_rowid(s->db), out);
}

int store_stream_list(store_t *s, const store_stream_filter_t *f, store_stream_t **out, size_t *n)
{
    sqlite3_stmt *st =
        store_stmt(s, "SELECT " STREAM_COLS STREAM_FROM "WHERE (?1 IS NULL OR s.status = ?1) "
                      "AND (?2 = 0 OR s.owner_id = ?2) "
                      "AND (?3 = 0 OR s.id < ?3) "
                      "ORDER BY s.id DESC LIMIT ?4");
    *out = NULL;
    *n = 0;
    if (st == NULL)
        return STORE_ERROR;
    if (f->status)
        sqlite3_bind_text(st, 1, f->status, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, f->owner_id);
    sqlite3_bind_int64(st, 3, f->before_id);
    sqlite3_bind_int(st, 4, f->limit + 1);
    store_stream_t *rows = xcalloc((size_t)f->limit + 1, sizeof *rows);
    size_t count = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && count < (size_t)f->limit + 1)
        read_stream(st, &rows[count++]);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        store_stream_list_free(rows, count);
        return STORE_ERROR;
    }
    *out = rows;
    *n = count;
    return STORE_OK;
}

void store_stream_list_free(store_stream_t *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_stream_clear(&rows[i]);
    free(rows);
}

static int changed(store_t *s, sqlite3_stmt *st, int64_t id)
{
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return STORE_ERROR;
    if (sqlite3_changes(s->db) == 1)
        return STORE_OK;
    store_stream_t tmp;
    rc = store_stream_get(s, id, &tmp);
    if (rc == STORE_OK) {
        store_stream_clear(&tmp);
        return STORE_CONFLICT;
    }
    return rc;
}

int store_stream_start(store_t *s, int64_t id)
{
    sqlite3_stmt *st = store_stmt(s, "UPDATE streams SET status = 'live', "
                                     "started_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), "
                                     "ended_at = NULL WHERE id = ? AND status != 'live'");
    return st ? changed(s, st, id) : STORE_ERROR;
}

int store_stream_stop(store_t *s, int64_t id)
{
    sqlite3_stmt *st = store_stmt(s, "UPDATE streams SET status = 'ended', "
                                     "ended_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
                                     "WHERE id = ? AND status = 'live'");
    return st ? changed(s, st, id) : STORE_ERROR;
}

int store_stream_set_key(store_t *s, int64_t id, const char *key)
{
    sqlite3_stmt *st = store_stmt(s, "UPDATE streams SET stream_key = ? WHERE id = ?");
    if (st == NULL)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return STORE_ERROR;
    return sqlite3_changes(s->db) == 1 ? STORE_OK : STORE_NOT_FOUND;
}

int store_stream_counts(store_t *s, int64_t counts[3])
{
    static const char *names[3] = {"created", "live", "ended"};
    sqlite3_stmt *st = store_stmt(s, "SELECT status, COUNT(*) FROM streams GROUP BY status");
    counts[0] = counts[1] = counts[2] = 0;
    if (st == NULL)
        return STORE_ERROR;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *status = store_col_text(st, 0);
        for (int i = 0; i < 3; i++)
            if (strcmp(status, names[i]) == 0)
                counts[i] = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}
