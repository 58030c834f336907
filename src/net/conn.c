/* net/conn — see conn.h. */
#include "net/conn.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"

#define READ_BUF_SIZE (64 * 1024)
#define MAX_IOV       256
#define SWEEP_MS      250
#define LINGER_MS 2000

static uv_loop_t *g_loop;
static uv_check_t g_check;
static uv_timer_t g_sweep;
static conn_t *g_flush_head;
static conn_t *g_all;
static size_t g_count;
static uint64_t g_next_id = 1;
static char g_read_buf[READ_BUF_SIZE];
static int g_read_buf_busy;

static void flush_one(conn_t *c);
static void conn_read_start_raw(conn_t *c);

static void on_check(uv_check_t *h)
{
    (void)h;
    while (g_flush_head) {
        conn_t *c = g_flush_head;
        g_flush_head = c->flush_next;
        c->flush_next = NULL;
        c->in_flush = 0;
        flush_one(c);
    }
}

static void on_sweep(uv_timer_t *t)
{
    uint64_t now = uv_now(t->loop);
    conn_t *c = g_all;
    while (c) {
        conn_t *next = c->all_next;
        if (c->lingering && c->deadline <= now) {
            conn_close(c);
        } else if (!c->closing && c->deadline && c->deadline <= now) {
            c->deadline = 0;
            if (c->ops->on_timeout)
                c->ops->on_timeout(c);
            else
                conn_close(c);
        }
        c = next;
    }
}

void conn_module_init(uv_loop_t *loop)
{
    g_loop = loop;
    uv_check_init(loop, &g_check);
    uv_check_start(&g_check, on_check);
    uv_unref((uv_handle_t *)&g_check);
    uv_timer_init(loop, &g_sweep);
    uv_timer_start(&g_sweep, on_sweep, SWEEP_MS, SWEEP_MS);
    uv_unref((uv_handle_t *)&g_sweep);
}

void conn_module_close(void)
{
    if (g_loop == NULL)
        return;
    uv_check_stop(&g_check);
    uv_close((uv_handle_t *)&g_check, NULL);
    uv_timer_stop(&g_sweep);
    uv_close((uv_handle_t *)&g_sweep, NULL);
    g_loop = NULL;
}

size_t conn_count(void)
{
    return g_count;
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
    (void)h;
    (void)suggested;
    /* Reads are consumed synchronously, so one buffer serves the whole loop. */
    if (g_read_buf_busy) {
        b->base = NULL;
        b->len = 0;
        return;
    }
    g_read_buf_busy = 1;
    b->base = g_read_buf;
    b->len = sizeof g_read_buf;
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    conn_t *c = (conn_t *)s;
    if (b->base == g_read_buf)
        g_read_buf_busy = 0;
    if (n == 0)
        return;
    if (c->lingering) {
        if (n < 0 && n != UV_ENOBUFS)
            conn_close(c);
        return; /* discard */
    }
    if (n < 0) {
        if (n == UV_ENOBUFS)
            return;
        if (!c->closing) {
            if (c->ops->on_eof)
                c->ops->on_eof(c);
            else
                conn_close(c);
        }
        return;
    }
    c->bytes_in += (uint64_t)n;
    if (!c->closing) {
        /* The handler may re-enter reads of other connections only through
         * the loop, so marking busy during the call is not needed. */
        c->ops->on_read(c, b->base, (size_t)n);
    }
}

int conn_accept(conn_t *c, uv_stream_t *server, const conn_ops_t *ops)
{
    memset(c, 0, sizeof *c);
    c->ops = ops;
    int rc = uv_tcp_init(server->loop, &c->tcp);
    if (rc != 0)
        return rc;
    rc = uv_accept(server, (uv_stream_t *)&c->tcp);
    if (rc != 0) {
        /* Not yet linked: free through a plain close without owner callbacks. */
        uv_close((uv_handle_t *)&c->tcp, NULL);
        return rc;
    }
    c->id = g_next_id++;
    uv_tcp_nodelay(&c->tcp, 1);
    struct sockaddr_storage ss;
    int len = sizeof ss;
    c->peer[0] = '\0';
    if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&ss, &len) == 0) {
        char ip[48] = "?";
        int port = 0;
        if (ss.ss_family == AF_INET) {
            struct sockaddr_in *a = (struct sockaddr_in *)&ss;
            uv_ip4_name(a, ip, sizeof ip);
            port = ntohs(a->sin_port);
        } else if (ss.ss_family == AF_INET6) {
            struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
            uv_ip6_name(a, ip, sizeof ip);
            port = ntohs(a->sin6_port);
        }
        snprintf(c->peer, sizeof c->peer, "%s:%d", ip, port);
    }
    c->all_next = g_all;
    if (g_all)
        g_all->all_prev = c;
    g_all = c;
    g_count++;
    conn_read_start(c);
    return 0;
}

static void conn_read_start_raw(conn_t *c)
{
    if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) == 0)
        c->reading = 1;
}

void conn_read_start(conn_t *c)
{
    if (c->reading || c->closing)
        return;
    conn_read_start_raw(c);
}

void conn_read_stop(conn_t *c)
{
    if (!c->reading)
        return;
    uv_read_stop((uv_stream_t *)&c->tcp);
    c->reading = 0;
}

static void schedule_flush(conn_t *c)
{
    if (c->in_flush || c->closing)
        return;
    c->in_flush = 1;
    c->flush_next = g_flush_head;
    g_flush_head = c;
}

static void push_item(conn_t *c, rcbuf_t *rc, char *owned, const char *base, size_t len)
{
    if (c->closing && !c->close_after_flush) {
        rcbuf_unref(rc);
        free(owned);
        return;
    }
    if (c->count == c->cap) {
        if (c->head > 0 && c->head >= c->cap / 2) {
            memmove(c->items, c->items + c->head, (c->count - c->head) * sizeof *c->items);
            c->count -= c->head;
            c->head = 0;
        } else {
            c->cap = c->cap ? c->cap * 2 : 8;
            c->items = xrealloc(c->items, c->cap * sizeof *c->items);
        }
    }
    c->items[c->count++] = (struct conn_item){rc, owned, base, len};
    c->queued_bytes += len;
    if (!c->writing)
        schedule_flush(c);
}

void conn_write_copy(conn_t *c, const void *data, size_t len)
{
    if (len == 0)
        return;
    char *p = xmalloc(len);
    memcpy(p, data, len);
    push_item(c, NULL, p, p, len);
}

void conn_write_owned(conn_t *c, char *data, size_t len)
{
    if (len == 0) {
        free(data);
        return;
    }
    push_item(c, NULL, data, data, len);
}

void conn_write_rc(conn_t *c, rcbuf_t *rc, size_t off, size_t len)
{
    if (len == 0)
        return;
    push_item(c, rcbuf_ref(rc), NULL, rc->data + off, len);
}

static void release_items(conn_t *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct conn_item *it = &c->items[c->head + i];
        c->queued_bytes -= it->len;
        rcbuf_unref(it->rc);
        free(it->owned);
    }
    c->head += n;
    if (c->head == c->count)
        c->head = c->count = 0;
}

static void really_close(conn_t *c);

static void on_shutdown(uv_shutdown_t *req, int status)
{
    conn_t *c = req->data;
    if (status < 0 && status != UV_ECANCELED && !uv_is_closing((uv_handle_t *)&c->tcp))
        conn_close(c);
}

/* Output is written: half-close and keep reading (discarding) until EOF or the deadline. */
static void start_linger(conn_t *c)
{
    c->sreq.data = c;
    if (uv_shutdown(&c->sreq, (uv_stream_t *)&c->tcp, on_shutdown) != 0) {
        really_close(c);
        return;
    }
    if (!c->reading)
        conn_read_start_raw(c);
}

static void on_write(uv_write_t *req, int status)
{
    conn_t *c = req->data;
    size_t n = c->inflight;
    for (size_t i = 0; i < n; i++)
        c->bytes_out += c->items[c->head + i].len;
    release_items(c, n);
    c->inflight = 0;
    c->writing = 0;
    if (status < 0) {
        if (!c->closing && status != UV_ECANCELED) {
            log_debug("conn_write_failed", "conn=%llu err=%s", (unsigned long long)c->id,
                      uv_err_name(status));
            conn_close(c);
        }
        return;
    }
    if (c->head < c->count) {
        if (c->closing && c->close_after_flush)
            flush_one(c);
        else
            schedule_flush(c);
        return;
    }
    if (c->closing && c->close_after_flush) {
        if (c->lingering)
            start_linger(c);
        else
            really_close(c);
        return;
    }
    if (c->ops->on_drain && !c->closing)
        c->ops->on_drain(c);
}

static void flush_one(conn_t *c)
{
    if (c->writing || c->head == c->count)
        return;
    if (c->closing && !c->close_after_flush)
        return;
    uv_buf_t iov[MAX_IOV];
    size_t n = c->count - c->head;
    if (n > MAX_IOV)
        n = MAX_IOV;
    for (size_t i = 0; i < n; i++)
        iov[i] =
            uv_buf_init((char *)c->items[c->head + i].base, (unsigned)c->items[c->head + i].len);
    c->inflight = n;
    c->writing = 1;
    c->wreq.data = c;
    int rc = uv_write(&c->wreq, (uv_stream_t *)&c->tcp, iov, (unsigned)n, on_write);
    if (rc != 0) {
        c->writing = 0;
        c->inflight = 0;
        log_debug("conn_write_failed", "conn=%llu err=%s", (unsigned long long)c->id,
                  uv_err_name(rc));
        c->close_after_flush = 0;
        conn_close(c);
    }
}

void conn_set_deadline(conn_t *c, uint64_t ms_from_now)
{
    c->deadline = ms_from_now ? uv_now(c->tcp.loop) + ms_from_now : 0;
}

static void on_closed(uv_handle_t *h)
{
    conn_t *c = (conn_t *)h;
    release_items(c, c->count - c->head);
    free(c->items);
    c->items = NULL;
    if (c->all_prev)
        c->all_prev->all_next = c->all_next;
    else if (g_all == c)
        g_all = c->all_next;
    if (c->all_next)
        c->all_next->all_prev = c->all_prev;
    g_count--;
    c->ops->on_free(c);
}

static void unlink_flush(conn_t *c)
{
    if (!c->in_flush)
        return;
    for (conn_t **p = &g_flush_head; *p; p = &(*p)->flush_next) {
        if (*p == c) {
            *p = c->flush_next;
            break;
        }
    }
    c->in_flush = 0;
    c->flush_next = NULL;
}

static void really_close(conn_t *c)
{
    if (uv_is_closing((uv_handle_t *)&c->tcp))
        return;
    unlink_flush(c);
    conn_read_stop(c);
    uv_close((uv_handle_t *)&c->tcp, on_closed);
}

void conn_close(conn_t *c)
{
    c->closing = 1;
    c->close_after_flush = 0;
    really_close(c);
}

void conn_close_after_flush(conn_t *c)
{
    if (c->closing)
        return;
    c->closing = 1;
    c->close_after_flush = 1;
    conn_read_stop(c);
    unlink_flush(c);
    if (c->writing)
        return; /* on_write continues the flush, then closes */
    if (c->head < c->count)
        flush_one(c);
    else
        really_close(c);
}

void conn_close_lingering(conn_t *c)
{
    if (c->closing)
        return;
    c->closing = 1;
    c->close_after_flush = 1;
    c->lingering = 1;
    c->deadline = uv_now(c->tcp.loop) + LINGER_MS;
    unlink_flush(c);
    if (c->writing)
        return; /* on_write continues the flush, then lingers */
    if (c->head < c->count)
        flush_one(c);
    else
        start_linger(c);
}

void conn_foreach(void (*fn)(conn_t *c, void *ud), void *ud)
{
    conn_t *c = g_all;
    while (c) {
        conn_t *next = c->all_next;
        fn(c, ud);
        c = next;
    }
}
