/* api/validate — see validate.h. */
#include "api/validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

size_t api_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* Length in bytes of a white-space code point at s, or 0. */
static size_t space_at(const unsigned char *s)
{
    if (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        return 1;
    if (s[0] == 0xC2 && s[1] == 0xA0) /* NBSP */
        return 2;
    if (s[0] == 0xE2 && s[1] == 0x80 &&
        ((s[2] >= 0x80 && s[2] <= 0x8A) || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
        return 3;                                     /* U+2000–200A, 2028, 2029, 202F */
    if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) /* ideographic space */
        return 3;
    return 0;
}

char *api_trim(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t k;
    while (*p && (k = space_at(p)) > 0)
        p += k;
    const unsigned char *end = p, *q = p;
    while (*q) {
        k = space_at(q);
        if (k) {
            q += k;
        } else {
            q++;
            while (*q && (*q & 0xC0) == 0x80)
                q++;
            end = q;
        }
    }
    return xstrndup((const char *)p, (size_t)(end - p));
}

static const char *type_name(enum api_type t)
{
    switch (t) {
    case API_T_STRING:
        return "must be a string";
    case API_T_INT:
        return "must be an integer";
    case API_T_BOOL:
        return "must be true or false";
    }
    return "has the wrong type";
}

static void check_field(const api_field_t *f, json_t *obj, json_t *errors)
{
    json_t *v = json_object_get(obj, f->name);
    char msg[128];
    if (v == NULL) {
        if (f->flags & API_F_REQUIRED)
            json_object_set_new(errors, f->name, json_string("is required"));
        return;
    }
    if (json_is_null(v)) {
        if (!(f->flags & API_F_NULLABLE))
            json_object_set_new(
                errors, f->name,
                json_string((f->flags & API_F_REQUIRED) ? "is required" : type_name(f->type)));
        return;
    }
    switch (f->type) {
    case API_T_STRING: {
        if (!json_is_string(v)) {
            json_object_set_new(errors, f->name, json_string(type_name(f->type)));
            return;
        }
        const char *s = json_string_value(v); /* no NUL inside: jansson refuses \u0000 */
        if (f->flags & API_F_TRIM) {
            char *t = api_trim(s);
            json_object_set_new(obj, f->name, json_string(t));
            free(t);
            s = json_string_value(json_object_get(obj, f->name));
        }
        int64_t chars = (int64_t)api_utf8_chars(s);
        if (chars < f->min || (f->max > 0 && chars > f->max)) {
            if (chars == 0 && (f->flags & API_F_REQUIRED))
                snprintf(msg, sizeof msg, "must not be empty");
            else if (f->max > 0)
                snprintf(msg, sizeof msg, "must be %lld to %lld characters", (long long)f->min,
                         (long long)f->max);
            else
                snprintf(msg, sizeof msg, "must be at least %lld characters", (long long)f->min);
            json_object_set_new(errors, f->name, json_string(msg));
        }
        return;
    }
    case API_T_INT: {
        if (!json_is_integer(v)) {
            json_object_set_new(errors, f->name, json_string(type_name(f->type)));
            return;
        }
        json_int_t i = json_integer_value(v);
        if (i < f->min || i > f->max) {
            snprintf(msg, sizeof msg, "must be from %lld to %lld", (long long)f->min,
                     (long long)f->max);
            json_object_set_new(errors, f->name, json_string(msg));
        }
        return;
    }
    case API_T_BOOL:
        if (!json_is_boolean(v))
            json_object_set_new(errors, f->name, json_string(type_name(f->type)));
        return;
    }
}

int api_validate_json(const char *body, size_t len, const api_field_t *spec, size_t n, json_t **obj,
                      json_t **errors, char *msg, size_t msglen)
{
    *obj = NULL;
    *errors = NULL;
    json_error_t err;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
    if (root == NULL) {
        if (len == 0)
            snprintf(msg, msglen, "the request body is empty; a JSON object is expected");
        else
            snprintf(msg, msglen, "the body is not valid JSON: %s (line %d, column %d)", err.text,
                     err.line, err.column);
        return API_INVALID_JSON;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        snprintf(msg, msglen, "the body must be a JSON object");
        return API_INVALID_JSON;
    }
    json_t *errs = json_object();
    const char *key;
    json_t *value;
    json_object_foreach(root, key, value)
    {
        size_t i;
        for (i = 0; i < n; i++)
            if (strcmp(spec[i].name, key) == 0)
                break;
        if (i == n)
            json_object_set_new(errs, key, json_string("unknown field"));
    }
    for (size_t i = 0; i < n; i++)
        check_field(&spec[i], root, errs);
    *obj = root;
    if (json_object_size(errs) > 0) {
        *errors = errs;
        return API_INVALID_FIELDS;
    }
    json_decref(errs);
    return API_VALID;
}

static int hexv(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int api_query_get(const char *query, const char *key, char *out, size_t outlen)
{
    size_t klen = strlen(key);
    const char *p = query;
    while (p && *p) {
        const char *amp = strchr(p, '&');
        size_t plen = amp ? (size_t)(amp - p) : strlen(p);
        const char *eq = memchr(p, '=', plen);
        size_t nlen = eq ? (size_t)(eq - p) : plen;
        if (nlen == klen && memcmp(p, key, klen) == 0) {
            const char *v = eq ? eq + 1 : p + plen;
            const char *vend = p + plen;
            size_t o = 0;
            while (v < vend && o + 1 < outlen) {
                char c = *v++;
                if (c == '+') {
                    c = ' ';
                } else if (c == '%' && vend - v >= 2 && hexv(v[0]) >= 0 && hexv(v[1]) >= 0) {
                    c = (char)(hexv(v[0]) * 16 + hexv(v[1]));
                    v += 2;
                }
                out[o++] = c;
            }
            out[o] = '\0';
            return 1;
        }
        p = amp ? amp + 1 : NULL;
    }
    return 0;
}

int64_t api_parse_id(const char *s)
{
    if (s == NULL || *s == '\0' || *s == '0')
        return 0;
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || p - s >= 16)
            return 0;
        v = v * 10 + (*p - '0');
    }
    return v <= (INT64_C(1) << 53) ? v : 0;
}

int api_valid_username(const char *s)
{
    size_t n = strlen(s);
    if (n < 3 || n > 32)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return 0;
    }
    return 1;
}

int api_valid_email(const char *s)
{
    size_t n = strlen(s);
    if (n < 3 || n > 254)
        return 0;
    const char *at = strchr(s, '@');
    if (at == NULL || at == s || strchr(at + 1, '@') || at - s > 64)
        return 0;
    const char *domain = at + 1;
    const char *dot = strrchr(domain, '.');
    if (dot == NULL || dot == domain || dot[1] == '\0')
        return 0;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' ||
            c == ';' || c == ':' || c == '\\' || c == '"' || c == '[' || c == ']')
            return 0;
    }
    if (strstr(domain, "..") || domain[0] == '.' || domain[0] == '-')
        return 0;
    return 1;
}
