/* http/server — see server.h. */
#include "http/server.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "net/conn.h"

#define MAX_PENDING_OUT (1024 * 1024)

struct http_conn {
    conn_t conn; /* first: conn_t* and http_conn_t* convert */
    http_server_t *srv;
    http_parser_t parser;
    buf_t pending;  /* received bytes not yet parsed */
    http_req_t req; /* the active request when active is set */
    unsigned active : 1, dead : 1, in_process : 1, sent_continue : 1, close_after : 1;
    unsigned requests;
};

static uint32_t g_id_prefix;
static uint64_t g_id_counter;

static void process(http_conn_t *hc);

const char *http_status_text(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

static const char *http_date(void)
{
    static char cached[40];
    static time_t cached_at;
    time_t now = time(NULL);
    if (now != cached_at) {
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(cached, sizeof cached, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        cached_at = now;
    }
    return cached;
}

static uint64_t now_ns(void)
{
    return uv_hrtime();
}

static int sane_request_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return 0;
    }
    return 1;
}

static void free_hc(http_conn_t *hc)
{
    http_parser_free(&hc->parser);
    buf_free(&hc->pending);
    buf_free(&hc->req.headers);
    free(hc);
}

static void maybe_drained(http_server_t *s)
{
    if (s->shutting_down && s->open_conns == 0 && s->active_requests == 0 && s->on_drained) {
        void (*cb)(http_server_t *) = s->on_drained;
        s->on_drained = NULL;
        cb(s);
    }
}

static void on_free(conn_t *c)
{
    http_conn_t *hc = (http_conn_t *)c;
    http_server_t *s = hc->srv;
    s->open_conns--;
    hc->dead = 1;
    if (!hc->active)
        free_hc(hc);
    maybe_drained(s);
}

static void set_idle_deadline(http_conn_t *hc)
{
    conn_set_deadline(&hc->conn, hc->srv->opts.idle_timeout_ms);
}

/* Answers a protocol-level failure (parse error, timeout) and closes. */
static void fail_conn(http_conn_t *hc, int status, const char *code, const char *message)
{
    json_t *j = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message);
    char *body = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    buf_t out = BUF_INIT;
    char rid[40];
    snprintf(rid, sizeof rid, "%08x%08llx", g_id_prefix, (unsigned long long)++g_id_counter);
    buf_printf(&out,
               "HTTP/1.1 %d %s\r\nContent-Type: application/json; charset=utf-8\r\n"
               "Content-Length: %zu\r\nX-Request-Id: %s\r\nDate: %s\r\nConnection: close\r\n"
               "Server: siaran\r\n\r\n%s",
               status, http_status_text(status), strlen(body), rid, http_date(), body);
    free(body);
    hc->srv->metrics.requests_by_class[status / 100]++;
    log_info("http_error", "id=%s status=%d code=%s peer=%s", rid, status, code, hc->conn.peer);
    size_t len;
    char *p = buf_steal(&out, &len);
    conn_write_owned(&hc->conn, p, len);
    conn_close_lingering(&hc->conn);
}

static void on_timeout(conn_t *c)
{
    http_conn_t *hc = (http_conn_t *)c;
    if (hc->active)
        return; /* a handler is working; its own timeouts apply */
    if (http_parser_started(&hc->parser) || hc->pending.len > 0)
        fail_conn(hc, 408, "request_timeout", "the request was not received in time");
    else
        conn_close(c);
}

static void on_drain(conn_t *c)
{
    http_conn_t *hc = (http_conn_t *)c;
    if (!hc->active && !hc->conn.closing && !hc->conn.reading) {
        conn_read_start(&hc->conn);
        process(hc);
    }
}

static void dispatch(http_conn_t *hc)
{
    http_req_t *r = &hc->req;
    const http_request_t *m = http_parser_request(&hc->parser);
    buf_reset(&r->headers);
    r->srv = hc->srv;
    r->hc = hc;
    r->msg = m;
    r->start_ns = now_ns();
    r->user_id = 0;
    r->username[0] = '\0';
    r->ctx = NULL;
    r->head_only = strcmp(m->method, "HEAD") == 0;
    const char *given = http_request_header(m, "x-request-id");
    if (given && sane_request_id(given))
        snprintf(r->id, sizeof r->id, "%s", given);
    else
        snprintf(r->id, sizeof r->id, "%08x%08llx", g_id_prefix,
                 (unsigned long long)++g_id_counter);
    hc->active = 1;
    hc->requests++;
    hc->srv->active_requests++;
    conn_set_deadline(&hc->conn, 0);
    hc->srv->opts.dispatch(r);
}

static void process_bytes(http_conn_t *hc, const char *data, size_t len, size_t *consumed)
{
    size_t total = 0;
    while (len > 0 && !hc->active && !hc->conn.closing) {
        int was_started = http_parser_started(&hc->parser);
        size_t used = 0;
        int rc = http_parser_feed(&hc->parser, data, len, &used);
        if (rc == HTTP_PARSE_ERROR) {
            total += len;
            fail_conn(hc, hc->parser.error_status, hc->parser.error_code, hc->parser.error_reason);
            break;
        }
        total += used;
        data += used;
        len -= used;
        if (rc == HTTP_PARSE_NEED_MORE) {
            if (!was_started && http_parser_started(&hc->parser))
                conn_set_deadline(&hc->conn, hc->srv->opts.header_timeout_ms);
            if (hc->parser.stage == HTTP_STAGE_BODY && !hc->sent_continue) {
                if (hc->parser.req.expect_continue) {
                    static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
                    conn_write_copy(&hc->conn, cont, sizeof cont - 1);
                }
                hc->sent_continue = 1;
                conn_set_deadline(&hc->conn, hc->srv->opts.body_timeout_ms);
            }
            break;
        }
        dispatch(hc);
    }
    *consumed = total;
}

static void process(http_conn_t *hc)
{
    if (hc->in_process)
        return;
    hc->in_process = 1;
    while (hc->pending.len > 0 && !hc->active && !hc->conn.closing) {
        size_t used;
        process_bytes(hc, hc->pending.data, hc->pending.len, &used);
        buf_consume(&hc->pending, used);
        if (used == 0)
            break;
    }
    hc->in_process = 0;
    if (hc->conn.queued_bytes > MAX_PENDING_OUT)
        conn_read_stop(&hc->conn);
}

static void on_read(conn_t *c, const char *data, size_t len)
{
    http_conn_t *hc = (http_conn_t *)c;
    if (hc->pending.len > 0 || hc->active || hc->in_process) {
        buf_append(&hc->pending, data, len);
        if (hc->pending.len > hc->srv->opts.max_header_bytes + hc->srv->opts.max_body + 4096)
            conn_read_stop(c);
        process(hc);
        return;
    }
    size_t used;
    hc->in_process = 1;
    process_bytes(hc, data, len, &used);
    hc->in_process = 0;
    if (used < len && !c->closing)
        buf_append(&hc->pending, data + used, len - used);
    if (hc->active)
        conn_read_stop(c);
    process(hc);
}

static const conn_ops_t http_conn_ops = {
    .on_read = on_read,
    .on_timeout = on_timeout,
    .on_drain = on_drain,
    .on_free = on_free,
};

static void on_accept(net_listener_t *l)
{
    http_server_t *s = l->data;
    http_conn_t *hc = xcalloc(1, sizeof *hc);
    if (conn_accept(&hc->conn, (uv_stream_t *)&l->tcp, &http_conn_ops) != 0) {
        free(hc);
        return;
    }
    hc->srv = s;
    s->open_conns++;
    http_parser_init(&hc->parser, s->opts.max_header_bytes, s->opts.max_headers, s->opts.max_body);
    conn_set_deadline(&hc->conn, s->opts.header_timeout_ms);
}

int http_server_start(http_server_t *s, uv_loop_t *loop, const char *addr,
                      const http_server_opts_t *opts)
{
    memset(s, 0, sizeof *s);
    s->loop = loop;
    s->opts = *opts;
    if (g_id_prefix == 0)
        g_id_prefix = randombytes_random() | 1;
    int rc = net_listener_start(&s->listener, loop, addr, 1024, on_accept);
    if (rc != 0)
        return rc;
    s->listener.data = s;
    return 0;
}

static void close_idle(conn_t *c, void *ud)
{
    http_server_t *s = ud;
    if (c->ops != &http_conn_ops)
        return;
    http_conn_t *hc = (http_conn_t *)c;
    if (hc->srv != s)
        return;
    if (!hc->active && !http_parser_started(&hc->parser))
        conn_close_after_flush(c);
    else
        hc->close_after = 1;
}

void http_server_shutdown(http_server_t *s, void (*on_drained)(http_server_t *s))
{
    s->shutting_down = 1;
    s->on_drained = on_drained;
    net_listener_close(&s->listener);
    conn_foreach(close_idle, s);
    maybe_drained(s);
}

static void close_any(conn_t *c, void *ud)
{
    if (c->ops == &http_conn_ops && ((http_conn_t *)c)->srv == ud)
        conn_close(c);
}

void http_server_close_all(http_server_t *s)
{
    conn_foreach(close_any, s);
}

void http_req_add_header(http_req_t *r, const char *name, const char *value)
{
    buf_printf(&r->headers, "%s: %s\r\n", name, value);
}

const char *http_req_peer(const http_req_t *r)
{
    return r->hc && !r->hc->dead ? r->hc->conn.peer : "";
}

void http_req_peer_ip(const http_req_t *r, char *out, size_t len)
{
    const char *p = http_req_peer(r);
    const char *colon = strrchr(p, ':');
    size_t n = colon ? (size_t)(colon - p) : strlen(p);
    if (n >= len)
        n = len - 1;
    memcpy(out, p, n);
    out[n] = '\0';
}

/* Finishes the request: access log, metrics, keep-alive decision, next request. */
static void finish(http_req_t *r, int status, size_t body_len, int keep_alive)
{
    http_conn_t *hc = r->hc;
    http_server_t *s = r->srv;
    s->active_requests--;
    s->metrics.requests_by_class[status >= 100 && status < 600 ? status / 100 : 5]++;
    double ms = (double)(now_ns() - r->start_ns) / 1e6;
    if (log_enabled(LOG_INFO)) {
        char path[256];
        log_info("request", "id=%s method=%s path=%s status=%d bytes=%zu ms=%.2f peer=%s", r->id,
                 r->msg->method, log_q(path, sizeof path, r->msg->path), status, body_len, ms,
                 hc->dead ? "gone" : hc->conn.peer);
    }
    hc->active = 0;
    r->msg = NULL;
    if (hc->dead) {
        free_hc(hc);
        maybe_drained(s);
        return;
    }
    if (!keep_alive) {
        conn_close_after_flush(&hc->conn);
        return;
    }
    http_parser_reset(&hc->parser);
    hc->sent_continue = 0;
    set_idle_deadline(hc);
    if (!hc->in_process) {
        conn_read_start(&hc->conn);
        process(hc);
    }
}

static int write_head(http_req_t *r, int status, const char *ctype, size_t len, buf_t *out)
{
    http_conn_t *hc = r->hc;
    int keep_alive =
        r->msg->keep_alive && !hc->close_after && !r->srv->shutting_down && !r->msg->upgrade;
    buf_printf(out, "HTTP/1.1 %d %s\r\nDate: %s\r\nServer: siaran\r\nX-Request-Id: %s\r\n", status,
               http_status_text(status), http_date(), r->id);
    if (ctype)
        buf_printf(out, "Content-Type: %s\r\n", ctype);
    if (status != 204 && status != 304 && !(status >= 100 && status < 200))
        buf_printf(out, "Content-Length: %zu\r\n", len);
    if (!keep_alive)
        buf_puts(out, "Connection: close\r\n");
    else if (r->msg->http_minor == 0)
        buf_puts(out, "Connection: keep-alive\r\n");
    buf_append(out, r->headers.data ? r->headers.data : "", r->headers.len);
    buf_puts(out, "\r\n");
    return keep_alive;
}

static int no_body(http_req_t *r, int status)
{
    return r->head_only || status == 204 || status == 304;
}

void http_respond(http_req_t *r, int status, const char *content_type, const void *body, size_t len)
{
    if (r->hc->dead) {
        finish(r, status, len, 0);
        return;
    }
    buf_t out = BUF_INIT;
    int ka = write_head(r, status, content_type, len, &out);
    if (!no_body(r, status))
        buf_append(&out, body, len);
    size_t n;
    char *p = buf_steal(&out, &n);
    r->srv->metrics.bytes_out += n;
    conn_write_owned(&r->hc->conn, p, n);
    finish(r, status, len, ka);
}

void http_respond_rc(http_req_t *r, int status, const char *content_type, rcbuf_t *body, size_t off,
                     size_t len)
{
    if (r->hc->dead) {
        finish(r, status, len, 0);
        return;
    }
    buf_t out = BUF_INIT;
    int ka = write_head(r, status, content_type, len, &out);
    size_t n;
    char *p = buf_steal(&out, &n);
    r->srv->metrics.bytes_out += n;
    conn_write_owned(&r->hc->conn, p, n);
    if (!no_body(r, status)) {
        conn_write_rc(&r->hc->conn, body, off, len);
        r->srv->metrics.bytes_out += len;
    }
    finish(r, status, len, ka);
}

void http_respond_owned(http_req_t *r, int status, const char *content_type, char *body, size_t len)
{
    if (r->hc->dead || no_body(r, status) || len < 16 * 1024) {
        http_respond(r, status, content_type, body, len);
        free(body);
        return;
    }
    buf_t out = BUF_INIT;
    int ka = write_head(r, status, content_type, len, &out);
    size_t n;
    char *p = buf_steal(&out, &n);
    r->srv->metrics.bytes_out += n + len;
    conn_write_owned(&r->hc->conn, p, n);
    conn_write_owned(&r->hc->conn, body, len);
    finish(r, status, len, ka);
}

void http_respond_error(http_req_t *r, int status, const char *code, const char *message)
{
    json_t *j = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message);
    char *body = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    http_respond_owned(r, status, "application/json; charset=utf-8", body, strlen(body));
}
