/* api/ops — see ops.h. */
#include "api/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/reply.h"
#include "core/log.h"
#include "http/static.h"
#include "net/conn.h"
#include "store/streams.h"
#include "store/users.h"

#define NO_CACHE     "no-cache"
#define VENDOR_CACHE "public, max-age=86400"

static rcbuf_t *g_404_page;

static const char fallback_404[] =
    "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Not found · Siaran</title>"
    "<h1>Not found</h1><p>There is nothing here. <a href=\"/\">Back to Siaran</a></p></html>\n";

void api_ops_init(void)
{
    /* Read once at start-up (before serving), so a 404 never touches the disk. */
    char path[1200];
    snprintf(path, sizeof path, "%s/404.html", api->web_dir);
    FILE *f = fopen(path, "rb");
    buf_t b = BUF_INIT;
    if (f) {
        char tmp[4096];
        size_t n;
        while ((n = fread(tmp, 1, sizeof tmp, f)) > 0 && b.len < 256 * 1024)
            buf_append(&b, tmp, n);
        fclose(f);
    }
    if (b.len == 0)
        buf_puts(&b, fallback_404);
    g_404_page = rcbuf_from_buf(&b);
    buf_free(&b);
}

void api_ops_shutdown(void)
{
    rcbuf_unref(g_404_page);
    g_404_page = NULL;
    http_static_cache_clear();
}

void api_healthz(http_req_t *r)
{
    http_req_add_header(r, "Cache-Control", "no-store");
    static const char ok[] = "{\"status\":\"ok\"}";
    http_respond(r, 200, "application/json; charset=utf-8", ok, sizeof ok - 1);
}

void api_metrics(http_req_t *r)
{
    buf_t b = BUF_INIT;
    const http_metrics_t *m = &api->http->metrics;
    buf_puts(&b, "# HELP siaran_http_requests_total HTTP requests answered, by status class.\n"
                 "# TYPE siaran_http_requests_total counter\n");
    for (int c = 1; c <= 5; c++)
        buf_printf(&b, "siaran_http_requests_total{class=\"%dxx\"} %llu\n", c,
                   (unsigned long long)m->requests_by_class[c]);
    buf_printf(&b,
               "# HELP siaran_http_response_bytes_total Bytes written in HTTP responses.\n"
               "# TYPE siaran_http_response_bytes_total counter\n"
               "siaran_http_response_bytes_total %llu\n"
               "# HELP siaran_http_connections_open Open HTTP connections.\n"
               "# TYPE siaran_http_connections_open gauge\n"
               "siaran_http_connections_open %zu\n"
               "# HELP siaran_connections_open Open TCP connections of every protocol.\n"
               "# TYPE siaran_connections_open gauge\n"
               "siaran_connections_open %zu\n",
               (unsigned long long)m->bytes_out, api->http->open_conns, conn_count());
    buf_printf(&b,
               "# HELP siaran_users_total Registered users.\n"
               "# TYPE siaran_users_total gauge\n"
               "siaran_users_total %lld\n",
               (long long)store_user_count(api->store));
    int64_t counts[3];
    if (store_stream_counts(api->store, counts) == STORE_OK) {
        buf_puts(&b, "# HELP siaran_streams Streams by status.\n# TYPE siaran_streams gauge\n");
        buf_printf(&b, "siaran_streams{status=\"created\"} %lld\n", (long long)counts[0]);
        buf_printf(&b, "siaran_streams{status=\"live\"} %lld\n", (long long)counts[1]);
        buf_printf(&b, "siaran_streams{status=\"ended\"} %lld\n", (long long)counts[2]);
    }
    buf_printf(&b,
               "# HELP siaran_uptime_seconds Seconds since the server started.\n"
               "# TYPE siaran_uptime_seconds gauge\n"
               "siaran_uptime_seconds %llu\n",
               (unsigned long long)((uv_now(api->loop) - api->started_ms) / 1000));
    if (api->hooks.metrics)
        api->hooks.metrics(&b);
    http_req_add_header(r, "Cache-Control", "no-store");
    size_t n;
    char *s = buf_steal(&b, &n);
    http_respond_owned(r, 200, "text/plain; version=0.0.4; charset=utf-8", s, n);
}

void api_openapi(http_req_t *r)
{
    http_static_serve(r, api->docs_dir, "openapi.json", NO_CACHE, NULL);
}

void api_docs_index(http_req_t *r)
{
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/docs", api->web_dir);
    http_static_serve(r, dir, "index.html", NO_CACHE, api_not_found);
}

static void docs_from_swagger(http_req_t *r)
{
    http_static_serve(r, api->swagger_dir, router_param(&r->match, "path"), VENDOR_CACHE,
                      api_not_found);
}

void api_docs_file(http_req_t *r)
{
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/docs", api->web_dir);
    http_static_serve(r, dir, router_param(&r->match, "path"), NO_CACHE, docs_from_swagger);
}

void api_page(http_req_t *r)
{
    /* The route pattern names the page: "/", "/login", "/watch/{id}", ... */
    const char *pattern = r->match.route->pattern;
    char file[64];
    if (strcmp(pattern, "/") == 0) {
        snprintf(file, sizeof file, "index.html");
    } else {
        const char *name = pattern + 1;
        size_t n = strcspn(name, "/");
        snprintf(file, sizeof file, "%.*s.html", (int)n, name);
    }
    const char *id = router_param(&r->match, "id");
    if (id && api_parse_id(id) == 0) {
        api_not_found(r);
        return;
    }
    http_static_serve(r, api->web_dir, file, NO_CACHE, api_not_found);
}

void api_assets(http_req_t *r)
{
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/assets", api->web_dir);
    http_static_serve(r, dir, router_param(&r->match, "path"), NO_CACHE, api_not_found);
}

void api_vendor(http_req_t *r)
{
    http_static_serve(r, api->vendor_dir, router_param(&r->match, "path"), VENDOR_CACHE,
                      api_not_found);
}

void api_not_found(http_req_t *r)
{
    const char *path = r->msg->path;
    if (strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0 || r->head_only ||
        strcmp(r->msg->method, "GET") != 0) {
        api_error(r, 404, "not_found", "no such resource");
        return;
    }
    http_req_add_header(r, "Cache-Control", NO_CACHE);
    http_respond_rc(r, 404, "text/html; charset=utf-8", g_404_page, 0, g_404_page->len);
}
