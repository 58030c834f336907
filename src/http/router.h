/*
 * http/router — method + path-pattern matching over a route table.
 *
 * The table is data: an array of {method, pattern, handler} the caller owns
 * (see api/routes.c). Patterns are literal segments, "{name}" segments that
 * capture one non-empty segment, and a final "{*name}" that captures the
 * rest of the path (possibly with slashes). A trailing slash is optional on
 * both sides: "/api/me" matches "/api/me/". A GET route also answers HEAD.
 * Matching is pure and allocation-free; captured values point into a copy
 * held in the match struct.
 */
#ifndef SIARAN_HTTP_ROUTER_H
#define SIARAN_HTTP_ROUTER_H

#include <stddef.h>

#define ROUTER_MAX_PARAMS 4
#define ROUTER_MAX_PATH   2048

typedef struct router_route {
    const char *method; /* "GET", "POST", ... */
    const char *pattern;
    void (*handler)(void); /* opaque to the router; callers cast */
    unsigned flags;        /* opaque to the router */
} router_route_t;

enum router_result { ROUTER_FOUND = 0, ROUTER_NOT_FOUND = 1, ROUTER_METHOD_NOT_ALLOWED = 2 };

typedef struct router_match {
    const router_route_t *route;
    size_t nparams;
    const char *names[ROUTER_MAX_PARAMS];
    size_t name_lens[ROUTER_MAX_PARAMS];
    const char *values[ROUTER_MAX_PARAMS]; /* NUL-terminated, in store */
    char allow[128];                       /* "GET, HEAD, POST" for 405 */
    char store[ROUTER_MAX_PATH + ROUTER_MAX_PARAMS];
} router_match_t;

/* path is the raw path (no query). Returns enum router_result. */
int router_match(const router_route_t *routes, size_t nroutes, const char *method, const char *path,
                 router_match_t *m);
/* Value of a captured parameter, or NULL. */
const char *router_param(const router_match_t *m, const char *name);

#endif
