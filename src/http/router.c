/* http/router — see router.h. */
#include "http/router.h"

#include <string.h>

/* Length of s without one trailing slash (but "/" stays "/"). */
static size_t trimmed_len(const char *s, size_t n)
{
    if (n > 1 && s[n - 1] == '/')
        n--;
    return n;
}

/*
 * Matches path against pattern; on success fills params (values copied into
 * m->store). Returns 1 on match.
 */
static int match_one(const char *pattern, const char *path, size_t plen, router_match_t *m)
{
    size_t patlen = trimmed_len(pattern, strlen(pattern));
    size_t i = 0, j = 0; /* i in pattern, j in path */
    size_t out = 0;
    m->nparams = 0;
    while (i < patlen) {
        if (pattern[i] == '{') {
            const char *close = memchr(pattern + i, '}', patlen - i);
            if (close == NULL)
                return 0;
            const char *name = pattern + i + 1;
            size_t nlen = (size_t)(close - name);
            int rest = nlen > 0 && name[0] == '*';
            if (rest) {
                name++;
                nlen--;
            }
            size_t start = j;
            if (rest) {
                j = plen;
            } else {
                while (j < plen && path[j] != '/')
                    j++;
            }
            if (j == start || m->nparams == ROUTER_MAX_PARAMS)
                return 0;
            size_t vlen = j - start;
            if (out + vlen + 1 > sizeof m->store)
                return 0;
            memcpy(m->store + out, path + start, vlen);
            m->store[out + vlen] = '\0';
            m->names[m->nparams] = name;
            m->name_lens[m->nparams] = nlen;
            m->values[m->nparams] = m->store + out;
            m->nparams++;
            out += vlen + 1;
            i = (size_t)(close - pattern) + 1;
            continue;
        }
        if (j >= plen || path[j] != pattern[i])
            return 0;
        i++;
        j++;
    }
    return j == plen;
}

/* Number of parameter segments: fewer means more specific. */
static int params_in(const char *pattern)
{
    int n = 0;
    for (const char *p = pattern; *p; p++)
        n += *p == '{';
    return n;
}

static void allow_add(router_match_t *m, const char *method)
{
    size_t alen = strlen(m->allow), ml = strlen(method);
    const char *found = strstr(m->allow, method);
    if (found && (found[ml] == '\0' || found[ml] == ','))
        return;
    if (alen + ml + 3 >= sizeof m->allow)
        return;
    if (alen) {
        memcpy(m->allow + alen, ", ", 2);
        alen += 2;
    }
    memcpy(m->allow + alen, method, ml + 1);
}

/*
 * The most specific patterns that match the path win (a literal segment
 * beats a parameter: "/api/streams/create/" over "/api/streams/{id}/"), so
 * a wrong method on a literal path answers 405 rather than reaching the
 * parameter route.
 */
int router_match(const router_route_t *routes, size_t nroutes, const char *method, const char *path,
                 router_match_t *m)
{
    size_t plen = strlen(path);
    m->route = NULL;
    m->allow[0] = '\0';
    if (plen == 0 || plen > ROUTER_MAX_PATH || path[0] != '/')
        return ROUTER_NOT_FOUND;
    plen = trimmed_len(path, plen);
    int is_head = strcmp(method, "HEAD") == 0;
    int best = -1;
    for (size_t r = 0; r < nroutes; r++) {
        int k = params_in(routes[r].pattern);
        if ((best < 0 || k < best) && match_one(routes[r].pattern, path, plen, m))
            best = k;
    }
    if (best < 0) {
        m->nparams = 0;
        return ROUTER_NOT_FOUND;
    }
    for (size_t r = 0; r < nroutes; r++) {
        if (params_in(routes[r].pattern) != best || !match_one(routes[r].pattern, path, plen, m))
            continue;
        if (strcmp(routes[r].method, method) == 0 ||
            (is_head && strcmp(routes[r].method, "GET") == 0)) {
            m->route = &routes[r];
            m->allow[0] = '\0';
            return ROUTER_FOUND;
        }
        allow_add(m, routes[r].method);
        if (strcmp(routes[r].method, "GET") == 0)
            allow_add(m, "HEAD");
    }
    m->nparams = 0;
    return ROUTER_METHOD_NOT_ALLOWED;
}

const char *router_param(const router_match_t *m, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < m->nparams; i++)
        if (m->name_lens[i] == n && memcmp(m->names[i], name, n) == 0)
            return m->values[i];
    return NULL;
}
