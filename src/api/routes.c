/*
 * api/routes — the route table and the dispatcher (see api.h).
 *
 * Adding a route: one line here, its handler in the resource's file, and
 * its path in docs/openapi.json (a unit test compares the two).
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/ops.h"
#include "api/reply.h"
#include "api/streams.h"
#include "core/log.h"
#include "hls/http.h"

/* Pages and files are not API routes: not listed in the OpenAPI document. */
#define PAGE (1u << 8)

#define ROUTE(m, p, h, f)                                                                          \
    {                                                                                              \
        m, p, (void (*)(void))(h), f                                                               \
    }

static const router_route_t routes[] = {
    /* operations */
    ROUTE("GET", "/healthz", api_healthz, 0),
    ROUTE("GET", "/metrics", api_metrics, 0),
    ROUTE("GET", "/api/openapi.json", api_openapi, 0),
    /* accounts */
    ROUTE("POST", "/api/register/", api_register, API_JSON),
    ROUTE("POST", "/api/login/", api_login, API_JSON),
    ROUTE("POST", "/api/logout/", api_logout, API_AUTH),
    ROUTE("GET", "/api/me/", api_me, API_AUTH),
    /* streams */
    ROUTE("POST", "/api/streams/create/", api_stream_create, API_AUTH | API_JSON),
    ROUTE("GET", "/api/streams/", api_stream_list, API_AUTH_OPT),
    ROUTE("GET", "/api/streams/{id}/", api_stream_get, API_AUTH_OPT),
    ROUTE("POST", "/api/streams/{id}/start/", api_stream_start, API_AUTH),
    ROUTE("POST", "/api/streams/{id}/stop/", api_stream_stop, API_AUTH),
    ROUTE("POST", "/api/streams/{id}/key/rotate/", api_stream_rotate_key, API_AUTH),
    /* media: HLS from memory */
    ROUTE("GET", "/hls/{id}/index.m3u8", hls_http_playlist, 0),
    ROUTE("GET", "/hls/{id}/{file}", hls_http_segment, 0),
    /* docs and pages */
    ROUTE("GET", "/docs/", api_docs_index, PAGE),
    ROUTE("GET", "/docs/{*path}", api_docs_file, PAGE),
    ROUTE("GET", "/", api_page, PAGE),
    ROUTE("GET", "/register", api_page, PAGE),
    ROUTE("GET", "/login", api_page, PAGE),
    ROUTE("GET", "/dashboard", api_page, PAGE),
    ROUTE("GET", "/watch/{id}", api_page, PAGE),
    ROUTE("GET", "/overlay/{id}", api_page, PAGE),
    ROUTE("GET", "/assets/{*path}", api_assets, PAGE),
    ROUTE("GET", "/vendor/video.js/{*path}", api_vendor, PAGE),
};

api_ctx_t *api;

const router_route_t *api_routes(size_t *n)
{
    *n = sizeof routes / sizeof routes[0];
    return routes;
}

static void join(char *out, size_t n, const char *a, const char *b)
{
    snprintf(out, n, "%s/%s", a, b);
}

void api_init(api_ctx_t *ctx, const char *http_addr, const char *rtmp_addr)
{
    api = ctx;
    const config_t *cfg = ctx->cfg;
    if (cfg->public_url[0])
        snprintf(ctx->public_url, sizeof ctx->public_url, "%s", cfg->public_url);
    else
        snprintf(ctx->public_url, sizeof ctx->public_url, "http://%s", http_addr);
    /* rtmp_url: the public URL's host with the RTMP port */
    const char *host = strstr(ctx->public_url, "://");
    host = host ? host + 3 : ctx->public_url;
    size_t hlen = strcspn(host, "/");
    char hostport[300];
    snprintf(hostport, sizeof hostport, "%.*s", (int)hlen, host);
    char *colon = hostport[0] == '[' ? strstr(hostport, "]:") : strrchr(hostport, ':');
    if (colon)
        colon[hostport[0] == '[' ? 1 : 0] = '\0';
    const char *rport = strrchr(rtmp_addr, ':');
    snprintf(ctx->rtmp_url, sizeof ctx->rtmp_url, "rtmp://%s:%s/live", hostport,
             rport ? rport + 1 : "1935");
    if (cfg->web_dir[0])
        snprintf(ctx->web_dir, sizeof ctx->web_dir, "%s", cfg->web_dir);
    else
        join(ctx->web_dir, sizeof ctx->web_dir, SIARAN_SOURCE_DIR, "web");
    /* docs/ and node_modules/ sit beside web/ */
    char root[1024];
    snprintf(root, sizeof root, "%s/..", ctx->web_dir);
    join(ctx->docs_dir, sizeof ctx->docs_dir, root, "docs");
    join(ctx->swagger_dir, sizeof ctx->swagger_dir, root, "node_modules/swagger-ui-dist");
    join(ctx->vendor_dir, sizeof ctx->vendor_dir, root, "node_modules/video.js/dist");
    api_auth_init();
    api_ops_init();
}

void api_shutdown(void)
{
    api_ops_shutdown();
    api_auth_shutdown();
}

void api_dispatch(http_req_t *r)
{
    size_t n;
    const router_route_t *table = api_routes(&n);
    int rc = router_match(table, n, r->msg->method, r->msg->path, &r->match);
    if (rc == ROUTER_NOT_FOUND) {
        api_not_found(r);
        return;
    }
    if (rc == ROUTER_METHOD_NOT_ALLOWED) {
        http_req_add_header(r, "Allow", r->match.allow);
        char msg[200];
        snprintf(msg, sizeof msg, "use %s for this path", r->match.allow);
        api_error(r, 405, "method_not_allowed", msg);
        return;
    }
    unsigned flags = r->match.route->flags;
    if (flags & (API_AUTH | API_AUTH_OPT)) {
        int a = api_auth_resolve(r);
        if (a < 0)
            return; /* answered 401 */
        if (a == 1 && (flags & API_AUTH)) {
            api_error(r, 401, "not_authenticated", "this needs a token: log in first");
            return;
        }
    }
    ((api_handler_fn)r->match.route->handler)(r);
}
