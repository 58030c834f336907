/* http/static — see static.h. */
#include "http/static.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"

#define MAX_FILE    (32 * 1024 * 1024)
#define MAX_ENTRIES 512
#define FRESH_MS    1000

struct entry {
    char *path;
    rcbuf_t *body;
    char etag[48];
    const char *ctype;
    uint64_t checked_ms;
    int64_t mtime_ns;
    struct entry *next;
};

static struct entry *g_cache;
static size_t g_entries;

struct job {
    uv_work_t work;
    http_req_t *r;
    char *path;
    char *cache_control;
    void (*on_missing)(http_req_t *r);
    /* results */
    int err;
    rcbuf_t *body;
    int64_t mtime_ns;
    int64_t size;
};

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".map", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".ico", "image/x-icon"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".m3u8", "application/vnd.apple.mpegurl"},
    {".ts", "video/mp2t"},
};

const char *http_static_content_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot)
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcmp(dot, types[i].ext) == 0)
                return types[i].type;
    return "application/octet-stream";
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int http_static_clean_path(const char *in, char *out, size_t outlen)
{
    size_t o = 0;
    for (size_t i = 0; in[i]; i++) {
        char c = in[i];
        if (c == '%') {
            int h = hexval(in[i + 1]), l = h >= 0 ? hexval(in[i + 2]) : -1;
            if (h < 0 || l < 0)
                return -1;
            c = (char)(h * 16 + l);
            i += 2;
        }
        if (c == '\0' || c == '\\' || o + 1 >= outlen)
            return -1;
        out[o++] = c;
    }
    out[o] = '\0';
    if (o == 0 || out[0] == '/')
        return -1;
    /* every segment: not empty-dot, not "..", not hidden */
    const char *seg = out;
    while (*seg) {
        const char *end = strchr(seg, '/');
        size_t n = end ? (size_t)(end - seg) : strlen(seg);
        if (n == 0 || seg[0] == '.')
            return -1;
        seg += n;
        if (*seg == '/')
            seg++;
    }
    return 0;
}

static struct entry *find(const char *path)
{
    for (struct entry *e = g_cache; e; e = e->next)
        if (strcmp(e->path, path) == 0)
            return e;
    return NULL;
}

static void drop_entry(struct entry *e)
{
    for (struct entry **p = &g_cache; *p; p = &(*p)->next) {
        if (*p == e) {
            *p = e->next;
            break;
        }
    }
    free(e->path);
    rcbuf_unref(e->body);
    free(e);
    g_entries--;
}

void http_static_cache_clear(void)
{
    while (g_cache)
        drop_entry(g_cache);
}

static void answer(http_req_t *r, struct entry *e, const char *cache_control)
{
    http_req_add_header(r, "ETag", e->etag);
    http_req_add_header(r, "Cache-Control", cache_control);
    http_req_add_header(r, "X-Content-Type-Options", "nosniff");
    const char *inm = http_request_header(r->msg, "if-none-match");
    if (inm && strstr(inm, e->etag) != NULL) {
        http_respond(r, 304, NULL, "", 0);
        return;
    }
    http_respond_rc(r, 200, e->ctype, e->body, 0, e->body->len);
}

static void work_read(uv_work_t *w)
{
    struct job *j = w->data;
    int fd = open(j->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        j->err = errno;
        return;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_FILE) {
        j->err = ENOENT;
        close(fd);
        return;
    }
    j->size = st.st_size;
    j->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    rcbuf_t *b = rcbuf_new(NULL, (size_t)st.st_size);
    size_t got = 0;
    while (got < b->len) {
        ssize_t n = read(fd, b->data + got, b->len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (got != b->len) {
        rcbuf_unref(b);
        j->err = EIO;
        return;
    }
    j->body = b;
}

static void job_free(struct job *j)
{
    free(j->path);
    free(j->cache_control);
    free(j);
}

static void work_done(uv_work_t *w, int status)
{
    struct job *j = w->data;
    http_req_t *r = j->r;
    struct entry *e = find(j->path);
    if (status != 0 || j->err != 0 || j->body == NULL) {
        if (e)
            drop_entry(e);
        if (j->on_missing)
            j->on_missing(r);
        else
            http_respond_error(r, 404, "not_found", "no such file");
        job_free(j);
        return;
    }
    if (e == NULL) {
        if (g_entries >= MAX_ENTRIES) {
            struct entry *last = g_cache;
            while (last->next)
                last = last->next;
            drop_entry(last);
        }
        e = xcalloc(1, sizeof *e);
        e->path = xstrdup(j->path);
        e->ctype = http_static_content_type(j->path);
        e->next = g_cache;
        g_cache = e;
        g_entries++;
    }
    rcbuf_unref(e->body);
    e->body = j->body;
    e->mtime_ns = j->mtime_ns;
    snprintf(e->etag, sizeof e->etag, "\"%llx-%llx\"", (unsigned long long)j->size,
             (unsigned long long)j->mtime_ns);
    e->checked_ms = uv_now(r->srv->loop);
    answer(r, e, j->cache_control);
    job_free(j);
}

void http_static_serve(http_req_t *r, const char *root, const char *relpath,
                       const char *cache_control, void (*on_missing)(http_req_t *r))
{
    char clean[1024];
    if (http_static_clean_path(relpath, clean, sizeof clean) != 0) {
        if (on_missing)
            on_missing(r);
        else
            http_respond_error(r, 404, "not_found", "no such file");
        return;
    }
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", root, clean);
    struct entry *e = find(path);
    uint64_t now = uv_now(r->srv->loop);
    if (e && now - e->checked_ms < FRESH_MS) {
        answer(r, e, cache_control);
        return;
    }
    struct job *j = xcalloc(1, sizeof *j);
    j->r = r;
    j->path = xstrdup(path);
    j->cache_control = xstrdup(cache_control);
    j->on_missing = on_missing;
    j->work.data = j;
    int rc = uv_queue_work(r->srv->loop, &j->work, work_read, work_done);
    if (rc != 0) {
        job_free(j);
        http_respond_error(r, 503, "unavailable", "cannot read the file now");
    }
}
