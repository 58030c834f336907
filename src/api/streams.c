/* api/streams — see streams.h. */
#include "api/streams.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/reply.h"
#include "api/validate.h"
#include "core/log.h"

#define LIST_DEFAULT 20
#define LIST_MAX     100

void api_new_stream_key(char out[64])
{
    uint8_t raw[24];
    randombytes_buf(raw, sizeof raw);
    memcpy(out, "sk_", 3);
    sodium_bin2base64(out + 3, 61, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static json_t *nullable(const char *s)
{
    return s[0] ? json_string(s) : json_null();
}

json_t *api_stream_json(const store_stream_t *s, int for_owner)
{
    char url[700];
    json_t *j = json_object();
    json_object_set_new(j, "id", json_integer(s->id));
    json_object_set_new(j, "title", json_string(s->title));
    json_object_set_new(j, "description", json_string(s->description ? s->description : ""));
    json_object_set_new(j, "status", json_string(s->status));
    json_object_set_new(
        j, "owner",
        json_pack("{s:I,s:s}", "id", (json_int_t)s->owner_id, "username", s->owner_username));
    json_object_set_new(j, "created_at", json_string(s->created_at));
    json_object_set_new(j, "started_at", nullable(s->started_at));
    json_object_set_new(j, "ended_at", nullable(s->ended_at));
    snprintf(url, sizeof url, "%s/hls/%lld/index.m3u8", api->public_url, (long long)s->id);
    json_object_set_new(j, "hls_url", json_string(url));
    snprintf(url, sizeof url, "%s/watch/%lld", api->public_url, (long long)s->id);
    json_object_set_new(j, "watch_url", json_string(url));
    int64_t viewers = api->hooks.viewers ? api->hooks.viewers(s->id) : 0;
    json_object_set_new(j, "viewers", json_integer(viewers));
    json_t *ingest = api->hooks.ingest_json ? api->hooks.ingest_json(s->id) : NULL;
    if (ingest == NULL)
        ingest =
            json_pack("{s:b,s:n,s:n,s:i}", "connected", 0, "video", "audio", "bitrate_kbps", 0);
    json_object_set_new(j, "ingest", ingest);
    if (for_owner) {
        json_object_set_new(j, "stream_key", json_string(s->stream_key));
        json_object_set_new(j, "rtmp_url", json_string(api->rtmp_url));
    }
    return j;
}

static const api_field_t create_spec[] = {
    {"title", API_T_STRING, API_F_REQUIRED | API_F_TRIM, 1, 200},
    {"description", API_T_STRING, API_F_TRIM | API_F_NULLABLE, 0, 5000},
};

void api_stream_create(http_req_t *r)
{
    json_t *b = api_parse_body(r, create_spec, 2, NULL);
    if (b == NULL)
        return;
    const char *title = json_string_value(json_object_get(b, "title"));
    const char *desc = json_string_value(json_object_get(b, "description"));
    char key[64];
    api_new_stream_key(key);
    store_stream_t s;
    int rc = store_stream_create(api->store, r->user_id, title, desc, key, &s);
    json_decref(b);
    if (rc != STORE_OK) {
        api_internal_error(r, "stream_create");
        return;
    }
    log_info("stream_created", "id=%s stream_id=%lld user_id=%lld", r->id, (long long)s.id,
             (long long)r->user_id);
    api_json(r, 201, api_stream_json(&s, 1));
    store_stream_clear(&s);
}

void api_stream_list(http_req_t *r)
{
    const char *q = r->msg->query;
    json_t *errors = json_object();
    char v[64];
    store_stream_filter_t f = {NULL, 0, 0, LIST_DEFAULT};
    static const char *const statuses[] = {"created", "live", "ended"};
    if (api_query_get(q, "status", v, sizeof v)) {
        for (int i = 0; i < 3; i++)
            if (strcmp(v, statuses[i]) == 0)
                f.status = statuses[i];
        if (f.status == NULL)
            json_object_set_new(errors, "status", json_string("must be created, live or ended"));
    }
    if (api_query_get(q, "limit", v, sizeof v)) {
        int64_t n = api_parse_id(v);
        if (n < 1 || n > LIST_MAX)
            json_object_set_new(errors, "limit", json_string("must be an integer from 1 to 100"));
        else
            f.limit = (int)n;
    }
    if (api_query_get(q, "before_id", v, sizeof v)) {
        f.before_id = api_parse_id(v);
        if (f.before_id == 0)
            json_object_set_new(errors, "before_id", json_string("must be a positive integer"));
    }
    int owner_me = 0;
    if (api_query_get(q, "owner", v, sizeof v)) {
        if (strcmp(v, "me") == 0)
            owner_me = 1;
        else
            json_object_set_new(errors, "owner", json_string("must be me"));
    }
    if (json_object_size(errors) > 0) {
        api_error_fields(r, errors);
        return;
    }
    json_decref(errors);
    if (owner_me) {
        if (r->user_id == 0) {
            api_error(r, 401, "not_authenticated", "owner=me needs a token");
            return;
        }
        f.owner_id = r->user_id;
    }
    store_stream_t *rows;
    size_t n;
    if (store_stream_list(api->store, &f, &rows, &n) != STORE_OK) {
        api_internal_error(r, "stream_list");
        return;
    }
    json_t *items = json_array();
    size_t shown = n > (size_t)f.limit ? (size_t)f.limit : n;
    for (size_t i = 0; i < shown; i++)
        json_array_append_new(items, api_stream_json(&rows[i], 0));
    json_t *next = n > (size_t)f.limit ? json_integer(rows[shown - 1].id) : json_null();
    store_stream_list_free(rows, n);
    api_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next_before_id", next));
}

/*
 * Loads the stream named by the {id} parameter. Answers 404 (and 403 when
 * must_own and the caller is not the owner) and returns -1 on failure.
 */
static int load(http_req_t *r, store_stream_t *s, int must_own)
{
    int64_t id = api_parse_id(router_param(&r->match, "id"));
    int rc = id ? store_stream_get(api->store, id, s) : STORE_NOT_FOUND;
    if (rc == STORE_NOT_FOUND) {
        api_error(r, 404, "not_found", "no such stream");
        return -1;
    }
    if (rc != STORE_OK) {
        api_internal_error(r, "stream_get");
        return -1;
    }
    if (must_own && s->owner_id != r->user_id) {
        store_stream_clear(s);
        api_error(r, 403, "forbidden", "this stream belongs to someone else");
        return -1;
    }
    return 0;
}

void api_stream_get(http_req_t *r)
{
    store_stream_t s;
    if (load(r, &s, 0) != 0)
        return;
    api_json(r, 200, api_stream_json(&s, r->user_id != 0 && r->user_id == s.owner_id));
    store_stream_clear(&s);
}

/* Answers with the stream as it is now in the store (after a change). */
static void answer_fresh(http_req_t *r, int64_t id)
{
    store_stream_t s;
    if (store_stream_get(api->store, id, &s) != STORE_OK) {
        api_internal_error(r, "stream_get");
        return;
    }
    api_json(r, 200, api_stream_json(&s, 1));
    store_stream_clear(&s);
}

void api_stream_start(http_req_t *r)
{
    store_stream_t s;
    if (load(r, &s, 1) != 0)
        return;
    int64_t id = s.id;
    store_stream_clear(&s);
    int rc = store_stream_start(api->store, id);
    if (rc == STORE_CONFLICT) {
        api_error(r, 409, "already_live", "the stream is already live");
        return;
    }
    if (rc != STORE_OK) {
        api_internal_error(r, "stream_start");
        return;
    }
    log_info("stream_started", "id=%s stream_id=%lld", r->id, (long long)id);
    if (api->hooks.stream_started)
        api->hooks.stream_started(id);
    answer_fresh(r, id);
}

void api_stream_stop(http_req_t *r)
{
    store_stream_t s;
    if (load(r, &s, 1) != 0)
        return;
    int64_t id = s.id;
    store_stream_clear(&s);
    int rc = store_stream_stop(api->store, id);
    if (rc == STORE_CONFLICT) {
        api_error(r, 409, "not_live", "the stream is not live");
        return;
    }
    if (rc != STORE_OK) {
        api_internal_error(r, "stream_stop");
        return;
    }
    log_info("stream_stopped", "id=%s stream_id=%lld", r->id, (long long)id);
    if (api->hooks.stream_stopped)
        api->hooks.stream_stopped(id);
    answer_fresh(r, id);
}

void api_stream_rotate_key(http_req_t *r)
{
    store_stream_t s;
    if (load(r, &s, 1) != 0)
        return;
    int64_t id = s.id;
    store_stream_clear(&s);
    char key[64];
    api_new_stream_key(key);
    if (store_stream_set_key(api->store, id, key) != STORE_OK) {
        api_internal_error(r, "stream_set_key");
        return;
    }
    log_info("stream_key_rotated", "id=%s stream_id=%lld", r->id, (long long)id);
    if (api->hooks.key_rotated)
        api->hooks.key_rotated(id);
    answer_fresh(r, id);
}
