/* api/auth — see auth.h. */
#include "api/auth.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "api/ratelimit.h"
#include "api/reply.h"
#include "api/validate.h"
#include "core/log.h"
#include "store/tokens.h"
#include "store/users.h"

#define LOGIN_IP_LIMIT       30 /* attempts per minute per IP */
#define LOGIN_IP_WINDOW      60
#define LOGIN_ACCOUNT_LIMIT  10 /* failures per 10 minutes per account */
#define LOGIN_ACCOUNT_WINDOW 600

static ratelimit_t *g_ip_limit;
static ratelimit_t *g_account_limit;

void api_auth_init(void)
{
    g_ip_limit = ratelimit_new(LOGIN_IP_LIMIT, LOGIN_IP_WINDOW, 100000);
    g_account_limit = ratelimit_new(LOGIN_ACCOUNT_LIMIT, LOGIN_ACCOUNT_WINDOW, 100000);
}

void api_auth_shutdown(void)
{
    ratelimit_free(g_ip_limit);
    ratelimit_free(g_account_limit);
    g_ip_limit = g_account_limit = NULL;
}

void api_token_hash(const char *token, uint8_t out[32])
{
    crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

int api_auth_resolve(http_req_t *r)
{
    const char *h = http_request_header(r->msg, "authorization");
    if (h == NULL || *h == '\0')
        return 1;
    const char *tok = NULL;
    if (strncasecmp(h, "Bearer ", 7) == 0)
        tok = h + 7;
    else if (strncasecmp(h, "Token ", 6) == 0)
        tok = h + 6;
    if (tok == NULL) {
        api_error(r, 401, "not_authenticated",
                  "use Authorization: Bearer <token> (or Token <token>)");
        return -1;
    }
    while (*tok == ' ')
        tok++;
    size_t n = strcspn(tok, " \t");
    int64_t uid = 0;
    if (n == API_TOKEN_CHARS && tok[n] == '\0') {
        uint8_t hash[32];
        api_token_hash(tok, hash);
        int rc = store_token_lookup(api->store, hash, &uid);
        if (rc == STORE_ERROR) {
            api_internal_error(r, "token_lookup");
            return -1;
        }
        if (rc != STORE_OK)
            uid = 0;
    }
    store_user_t u;
    if (uid == 0 || store_user_by_id(api->store, uid, &u) != STORE_OK) {
        api_error(r, 401, "invalid_token", "the token is not valid (logged out or never issued)");
        return -1;
    }
    r->user_id = u.id;
    snprintf(r->username, sizeof r->username, "%s", u.username);
    return 0;
}

static json_t *user_json(const store_user_t *u, int with_created)
{
    json_t *j = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)u->id, "username", u->username,
                          "email", u->email);
    if (with_created)
        json_object_set_new(j, "created_at", json_string(u->created_at));
    return j;
}

/* ---- register ---------------------------------------------------------- */

static const api_field_t register_spec[] = {
    {"username", API_T_STRING, API_F_REQUIRED, 0, 0},
    {"email", API_T_STRING, API_F_REQUIRED | API_F_TRIM, 0, 0},
    {"password", API_T_STRING, API_F_REQUIRED, 8, 1024},
};

static void register_check(json_t *obj, json_t *errors)
{
    json_t *u = json_object_get(obj, "username");
    if (json_is_string(u) && !json_object_get(errors, "username") &&
        !api_valid_username(json_string_value(u)))
        json_object_set_new(errors, "username",
                            json_string("must be 3 to 32 letters, digits or underscores"));
    json_t *e = json_object_get(obj, "email");
    if (json_is_string(e) && !json_object_get(errors, "email") &&
        !api_valid_email(json_string_value(e)))
        json_object_set_new(errors, "email", json_string("must be a valid email address"));
}

struct hash_job {
    uv_work_t work;
    http_req_t *r;
    char username[40];
    char email[256];
    char password[1100];
    char hash[crypto_pwhash_STRBYTES];
    store_user_t user;
    int ok;
};

static void wipe_job(struct hash_job *j)
{
    sodium_memzero(j->password, sizeof j->password);
    free(j);
}

static void register_work(uv_work_t *w)
{
    struct hash_job *j = w->data;
    j->ok = crypto_pwhash_str(j->hash, j->password, strlen(j->password),
                              crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
}

static void answer_conflict(http_req_t *r, int which)
{
    if (which == STORE_USER_USERNAME_TAKEN)
        api_error(r, 409, "username_taken", "that username is already taken");
    else
        api_error(r, 409, "email_taken", "an account with that email already exists");
}

static void register_done(uv_work_t *w, int status)
{
    struct hash_job *j = w->data;
    http_req_t *r = j->r;
    if (status != 0 || !j->ok) {
        api_internal_error(r, "password_hash");
        wipe_job(j);
        return;
    }
    int which = 0;
    int rc = store_user_create(api->store, j->username, j->email, j->hash, &j->user, &which);
    if (rc == STORE_CONFLICT)
        answer_conflict(r, which);
    else if (rc != STORE_OK)
        api_internal_error(r, "user_create");
    else {
        log_info("user_registered", "id=%s user_id=%lld", r->id, (long long)j->user.id);
        api_json(r, 201, user_json(&j->user, 1));
    }
    wipe_job(j);
}

void api_register(http_req_t *r)
{
    json_t *b = api_parse_body(r, register_spec, 3, register_check);
    if (b == NULL)
        return;
    struct hash_job *j = xcalloc(1, sizeof *j);
    j->r = r;
    j->work.data = j;
    snprintf(j->username, sizeof j->username, "%s",
             json_string_value(json_object_get(b, "username")));
    snprintf(j->email, sizeof j->email, "%s", json_string_value(json_object_get(b, "email")));
    snprintf(j->password, sizeof j->password, "%s",
             json_string_value(json_object_get(b, "password")));
    json_decref(b);
    /* Cheap checks first: don't spend a hash on a name that is taken. */
    store_user_t u;
    if (store_user_by_login(api->store, j->username, &u) == STORE_OK &&
        strcasecmp(u.username, j->username) == 0) {
        answer_conflict(r, STORE_USER_USERNAME_TAKEN);
        wipe_job(j);
        return;
    }
    if (store_user_by_login(api->store, j->email, &u) == STORE_OK &&
        strcasecmp(u.email, j->email) == 0) {
        answer_conflict(r, STORE_USER_EMAIL_TAKEN);
        wipe_job(j);
        return;
    }
    if (uv_queue_work(api->loop, &j->work, register_work, register_done) != 0) {
        api_internal_error(r, "queue_work");
        wipe_job(j);
    }
}

/* ---- login ------------------------------------------------------------- */

static const api_field_t login_spec[] = {
    {"username", API_T_STRING, API_F_REQUIRED | API_F_TRIM, 1, 254},
    {"password", API_T_STRING, API_F_REQUIRED, 1, 1024},
};

struct login_job {
    uv_work_t work;
    http_req_t *r;
    char account_key[260];
    char password[1100];
    char hash[crypto_pwhash_STRBYTES];
    store_user_t user;
    int found;
    int ok;
};

static void login_work(uv_work_t *w)
{
    struct login_job *j = w->data;
    if (!j->found) {
        /* Same cost as a verify, so timing does not tell which accounts exist. */
        char scratch[crypto_pwhash_STRBYTES];
        if (crypto_pwhash_str(scratch, j->password, strlen(j->password),
                              crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
            scratch[0] = '\0';
        j->ok = 0;
        return;
    }
    j->ok = crypto_pwhash_str_verify(j->hash, j->password, strlen(j->password)) == 0;
}

static void login_done(uv_work_t *w, int status)
{
    struct login_job *j = w->data;
    http_req_t *r = j->r;
    sodium_memzero(j->password, sizeof j->password);
    uint64_t now = uv_now(api->loop);
    if (status != 0 || !j->found || !j->ok) {
        ratelimit_hit(g_account_limit, j->account_key, now);
        log_info("login_failed", "id=%s peer=%s", r->id, http_req_peer(r));
        api_error(r, 401, "invalid_credentials", "wrong username or password");
        free(j);
        return;
    }
    ratelimit_forget(g_account_limit, j->account_key);
    uint8_t raw[32], hash[32];
    char token[API_TOKEN_CHARS + 8];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, sizeof token, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    api_token_hash(token, hash);
    if (store_token_create(api->store, hash, j->user.id) != STORE_OK) {
        api_internal_error(r, "token_create");
        free(j);
        return;
    }
    log_info("login", "id=%s user_id=%lld", r->id, (long long)j->user.id);
    api_json(r, 200, json_pack("{s:s,s:o}", "token", token, "user", user_json(&j->user, 0)));
    sodium_memzero(token, sizeof token);
    free(j);
}

void api_login(http_req_t *r)
{
    uint64_t now = uv_now(api->loop);
    char ip[64];
    int retry;
    http_req_peer_ip(r, ip, sizeof ip);
    if (ratelimit_blocked(g_ip_limit, ip, now, &retry)) {
        api_rate_limited(r, retry);
        return;
    }
    ratelimit_hit(g_ip_limit, ip, now);
    json_t *b = api_parse_body(r, login_spec, 2, NULL);
    if (b == NULL)
        return;
    struct login_job *j = xcalloc(1, sizeof *j);
    j->r = r;
    j->work.data = j;
    const char *login = json_string_value(json_object_get(b, "username"));
    snprintf(j->password, sizeof j->password, "%s",
             json_string_value(json_object_get(b, "password")));
    int rc = store_user_by_login(api->store, login, &j->user);
    if (rc == STORE_ERROR) {
        json_decref(b);
        free(j);
        api_internal_error(r, "user_lookup");
        return;
    }
    j->found = rc == STORE_OK;
    /* Failures count against the account, whichever of its names was typed. */
    if (j->found) {
        snprintf(j->account_key, sizeof j->account_key, "user:%lld", (long long)j->user.id);
    } else {
        size_t k = snprintf(j->account_key, sizeof j->account_key, "login:");
        for (const char *p = login; *p && k + 1 < sizeof j->account_key; p++)
            j->account_key[k++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
        j->account_key[k] = '\0';
    }
    json_decref(b);
    if (ratelimit_blocked(g_account_limit, j->account_key, now, &retry)) {
        sodium_memzero(j->password, sizeof j->password);
        free(j);
        api_rate_limited(r, retry);
        return;
    }
    if (j->found)
        memcpy(j->hash, j->user.password_hash, sizeof j->hash);
    if (uv_queue_work(api->loop, &j->work, login_work, login_done) != 0) {
        free(j);
        api_internal_error(r, "queue_work");
    }
}

/* ---- logout, me -------------------------------------------------------- */

void api_logout(http_req_t *r)
{
    const char *h = http_request_header(r->msg, "authorization");
    const char *tok = strchr(h, ' ');
    while (tok && *tok == ' ')
        tok++;
    uint8_t hash[32];
    api_token_hash(tok ? tok : "", hash);
    if (store_token_delete(api->store, hash) != STORE_OK) {
        api_internal_error(r, "token_delete");
        return;
    }
    log_info("logout", "id=%s user_id=%lld", r->id, (long long)r->user_id);
    http_respond(r, 204, NULL, "", 0);
}

void api_me(http_req_t *r)
{
    store_user_t u;
    if (store_user_by_id(api->store, r->user_id, &u) != STORE_OK) {
        api_internal_error(r, "user_lookup");
        return;
    }
    api_json(r, 200, user_json(&u, 1));
}
