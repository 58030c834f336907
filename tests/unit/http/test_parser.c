/*
 * http/parser: every input fed whole, byte by byte and split at every offset
 * (tests/unit/split.h), as a keep-alive connection would: each DONE must
 * say exactly where its request ends, then the parser is reset and fed the
 * rest. Covered: headers, Content-Length and chunked bodies, pipelining,
 * HTTP/1.0 and Connection: close keep-alive rules, empty header values,
 * upgrade (the bytes after it are left alone), and every limit and error:
 * 431 for a big header block (white space included) or too many fields, 413
 * for a body over the limit (from Content-Length before any body byte, or
 * counted for chunked bodies), 400 for malformed input, 505/400 for HTTP/2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/parser.h"
#include "split.h"

#define MAXH 16384
#define MAXN 100
#define MAXB 65536

#define WANT_HEADERS 8
#define CASE_PARTS   4

/* One request the parser must hand out. */
struct want {
    const char *method, *target, *path, *query;
    const char *headers[WANT_HEADERS][2]; /* in order, up to a NULL name */
    size_t nheaders;                      /* when not 0: only the count is checked */
    const char *body;
    int keep_alive, upgrade, http_minor;
};

/*
 * An input (parts concatenated; each part but the tail is one request) and
 * what must come out of it: the requests, then an error or the end.
 */
struct pcase {
    const char *name;
    const char *parts[CASE_PARTS];
    const char *tail; /* bytes after an upgrade: left for the new protocol */
    const struct want *want;
    size_t nwant;
    size_t max_header_bytes, max_headers, max_body; /* 0: the defaults above */
    int status, status_alt;                         /* expected error (0: none) */
    const char *code;
};

struct run {
    const struct pcase *c;
    char *input;
    size_t len;
    size_t ends[CASE_PARTS]; /* stream offset right after each request */
};

static void check_request(const struct run *run, const split_chunks_t *ch, size_t k,
                          const http_request_t *r)
{
    const struct want *w = &run->c->want[k];
    const char *name = run->c->name;
    if (strcmp(r->method, w->method) != 0 || strcmp(r->target, w->target) != 0 ||
        strcmp(r->path, w->path) != 0 || strcmp(r->query, w->query) != 0)
        fail_msg("%s (%s at %zu) request %zu: got %s %s path=%s query=%s", name, ch->how, ch->at, k,
                 r->method, r->target, r->path, r->query);
    if (w->nheaders) {
        assert_int_equal(r->nheaders, w->nheaders);
    } else {
        size_t n = 0;
        while (n < WANT_HEADERS && w->headers[n][0])
            n++;
        if (r->nheaders != n)
            fail_msg("%s (%s at %zu) request %zu: %zu headers, want %zu", name, ch->how, ch->at, k,
                     r->nheaders, n);
        for (size_t i = 0; i < n; i++) {
            if (strcmp(r->header_names[i], w->headers[i][0]) != 0 ||
                strcmp(r->header_values[i], w->headers[i][1]) != 0)
                fail_msg("%s (%s at %zu) request %zu header %zu: got \"%s: %s\" want \"%s: %s\"",
                         name, ch->how, ch->at, k, i, r->header_names[i], r->header_values[i],
                         w->headers[i][0], w->headers[i][1]);
        }
    }
    const char *body = w->body ? w->body : "";
    if (r->body_len != strlen(body) || memcmp(r->body, body, r->body_len) != 0)
        fail_msg("%s (%s at %zu) request %zu: body \"%.*s\", want \"%s\"", name, ch->how, ch->at, k,
                 (int)r->body_len, r->body, body);
    assert_int_equal(r->body[r->body_len], '\0');
    if (r->keep_alive != w->keep_alive || (r->upgrade != 0) != w->upgrade ||
        r->http_minor != w->http_minor)
        fail_msg("%s (%s at %zu) request %zu: keep_alive %d upgrade %d minor %d", name, ch->how,
                 ch->at, k, r->keep_alive, r->upgrade, r->http_minor);
}

static size_t or_default(size_t v, size_t def)
{
    return v ? v : def;
}

/* Feeds one way of splitting the input as a connection would, and checks everything. */
static void check_split(void *ud, const split_chunks_t *ch)
{
    const struct run *run = ud;
    const struct pcase *c = run->c;
    http_parser_t p;
    http_parser_init(&p, or_default(c->max_header_bytes, MAXH), or_default(c->max_headers, MAXN),
                     or_default(c->max_body, MAXB));
    size_t k = 0, stream = 0;
    int rc = HTTP_PARSE_NEED_MORE, stop = 0;
    for (size_t i = 0; i < ch->count && !stop; i++) {
        const char *d = (const char *)ch->data[i];
        size_t len = ch->len[i], pos = 0;
        while (pos < len) {
            size_t used = (size_t)-1;
            rc = http_parser_feed(&p, d + pos, len - pos, &used);
            if (rc == HTTP_PARSE_ERROR) {
                stop = 1;
                break;
            }
            if (rc == HTTP_PARSE_NEED_MORE) {
                if (used != len - pos)
                    fail_msg("%s (%s at %zu): NEED_MORE used %zu of %zu", c->name, ch->how, ch->at,
                             used, len - pos);
                stream += used;
                break;
            }
            assert_int_equal(rc, HTTP_PARSE_DONE);
            if (used > len - pos)
                fail_msg("%s (%s at %zu): DONE used %zu of %zu", c->name, ch->how, ch->at, used,
                         len - pos);
            stream += used;
            pos += used;
            if (k >= c->nwant)
                fail_msg("%s (%s at %zu): unexpected request %zu", c->name, ch->how, ch->at, k);
            if (stream != run->ends[k])
                fail_msg("%s (%s at %zu): request %zu ends at %zu, want %zu", c->name, ch->how,
                         ch->at, k, stream, run->ends[k]);
            const http_request_t *r = http_parser_request(&p);
            check_request(run, ch, k, r);
            k++;
            if (r->upgrade) {
                stop = 1;
                break;
            }
            http_parser_reset(&p);
        }
    }
    if (k != c->nwant)
        fail_msg("%s (%s at %zu): %zu requests, want %zu (last rc %d, status %d)", c->name, ch->how,
                 ch->at, k, c->nwant, rc, p.error_status);
    if (c->status) {
        if (rc != HTTP_PARSE_ERROR)
            fail_msg("%s (%s at %zu): want error %d, got rc %d", c->name, ch->how, ch->at,
                     c->status, rc);
        if (p.error_status != c->status && p.error_status != c->status_alt)
            fail_msg("%s (%s at %zu): error %d, want %d", c->name, ch->how, ch->at, p.error_status,
                     c->status);
        if (c->code)
            assert_string_equal(p.error_code, c->code);
        assert_non_null(p.error_reason);
        /* an error is sticky until reset */
        size_t used = 1;
        assert_int_equal(http_parser_feed(&p, "GET / HTTP/1.1\r\n\r\n", 18, &used),
                         HTTP_PARSE_ERROR);
        assert_int_equal(used, 0);
    } else {
        if (rc == HTTP_PARSE_ERROR)
            fail_msg("%s (%s at %zu): unexpected error %d %s", c->name, ch->how, ch->at,
                     p.error_status, p.error_reason);
        size_t tail = c->tail ? strlen(c->tail) : 0;
        if (stream != run->len - tail)
            fail_msg("%s (%s at %zu): consumed %zu, want %zu", c->name, ch->how, ch->at, stream,
                     run->len - tail);
    }
    http_parser_free(&p);
}

static void run_case(const struct pcase *c)
{
    struct run run = {c, NULL, 0, {0}};
    buf_t in = BUF_INIT;
    for (size_t i = 0; i < CASE_PARTS && c->parts[i]; i++) {
        buf_puts(&in, c->parts[i]);
        run.ends[i] = in.len;
    }
    if (c->tail)
        buf_puts(&in, c->tail);
    run.input = in.data;
    run.len = in.len;
    split_each(run.input, run.len, check_split, &run);
    buf_free(&in);
}

/* ---- requests that parse ---- */

static void test_get_with_headers(void **state)
{
    (void)state;
    static const struct want w[] = {{"GET",
                                     "/api/streams/?status=live&limit=2",
                                     "/api/streams/",
                                     "status=live&limit=2",
                                     {{"Host", "localhost:8000"},
                                      {"User-Agent", "test/1.0"},
                                      {"Accept", "*/*"},
                                      {"X-Request-Id", "abc-123"}},
                                     0,
                                     "",
                                     1,
                                     0,
                                     1}};
    static const struct pcase c = {
        "get",
        {"GET /api/streams/?status=live&limit=2 HTTP/1.1\r\nHost: localhost:8000\r\n"
         "User-Agent: test/1.0\r\nAccept: */*\r\nX-Request-Id: abc-123\r\n\r\n"},
        NULL,
        w,
        1,
        0,
        0,
        0,
        0,
        0,
        NULL};
    run_case(&c);
}

static void test_post_content_length(void **state)
{
    (void)state;
    static const struct want w[] = {
        {"POST",
         "/api/login/",
         "/api/login/",
         "",
         {{"Host", "x"}, {"Content-Type", "application/json"}, {"Content-Length", "34"}},
         0,
         "{\"username\":\"budi\",\"password\":\"x\"}",
         1,
         0,
         1}};
    static const struct pcase c = {
        "post",
        {"POST /api/login/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Content-Length: 34\r\n\r\n{\"username\":\"budi\",\"password\":\"x\"}"},
        NULL,
        w,
        1,
        0,
        0,
        0,
        0,
        0,
        NULL};
    run_case(&c);
    /* exactly max_body is fine */
    static const struct want w16[] = {
        {"POST", "/a", "/a", "", {{"Content-Length", "16"}}, 0, "0123456789abcdef", 1, 0, 1}};
    static const struct pcase c16 = {
        "body at the limit",
        {"POST /a HTTP/1.1\r\nContent-Length: 16\r\n\r\n0123456789abcdef"},
        NULL,
        w16,
        1,
        0,
        0,
        16,
        0,
        0,
        NULL};
    run_case(&c16);
}

static void test_chunked(void **state)
{
    (void)state;
    static const struct want w[] = {{"POST",
                                     "/a?b=c",
                                     "/a",
                                     "b=c",
                                     {{"Host", "x"}, {"Transfer-Encoding", "chunked"}},
                                     0,
                                     "hello world, again!",
                                     1,
                                     0,
                                     1}};
    static const struct pcase c = {
        "chunked",
        {"POST /a?b=c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
         "5\r\nhello\r\n6;ext=1\r\n world\r\n8\r\n, again!\r\n0\r\n\r\n"},
        NULL,
        w,
        1,
        0,
        0,
        0,
        0,
        0,
        NULL};
    run_case(&c);
}

static void test_pipelined(void **state)
{
    (void)state;
    static const struct want w[] = {
        {"GET", "/one", "/one", "", {{"Host", "x"}}, 0, "", 1, 0, 1},
        {"POST",
         "/two?x=1",
         "/two",
         "x=1",
         {{"Host", "x"}, {"Content-Length", "3"}},
         0,
         "abc",
         1,
         0,
         1},
        {"POST", "/three", "/three", "", {{"Transfer-Encoding", "chunked"}}, 0, "xyz", 1, 0, 1},
        {"GET", "/four", "/four", "", {{"Connection", "close"}}, 0, "", 0, 0, 1},
    };
    static const struct pcase c = {
        "pipelined",
        {"GET /one HTTP/1.1\r\nHost: x\r\n\r\n",
         "POST /two?x=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
         "POST /three HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nxyz\r\n0\r\n\r\n",
         "GET /four HTTP/1.1\r\nConnection: close\r\n\r\n"},
        NULL,
        w,
        4,
        0,
        0,
        0,
        0,
        0,
        NULL};
    run_case(&c);
}

static void test_keep_alive_rules(void **state)
{
    (void)state;
    static const struct want w10[] = {{"GET", "/old", "/old", "", {{"Host", "x"}}, 0, "", 0, 0, 0}};
    static const struct pcase c10 = {
        "http/1.0", {"GET /old HTTP/1.0\r\nHost: x\r\n\r\n"}, NULL, w10, 1, 0, 0, 0, 0, 0, NULL};
    run_case(&c10);

    static const struct want w10ka[] = {
        {"GET", "/", "/", "", {{"Connection", "keep-alive"}}, 0, "", 1, 0, 0}};
    static const struct pcase c10ka = {"http/1.0 keep-alive",
                                       {"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"},
                                       NULL,
                                       w10ka,
                                       1,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       NULL};
    run_case(&c10ka);

    static const struct want wclose[] = {
        {"GET", "/x", "/x", "", {{"Host", "x"}, {"Connection", "close"}}, 0, "", 0, 0, 1}};
    static const struct pcase cclose = {"connection close",
                                        {"GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"},
                                        NULL,
                                        wclose,
                                        1,
                                        0,
                                        0,
                                        0,
                                        0,
                                        0,
                                        NULL};
    run_case(&cclose);
}

static void test_empty_header_value(void **state)
{
    (void)state;
    static const struct want w[] = {
        {"GET", "/", "/", "", {{"X-Empty", ""}, {"Host", "h"}, {"X-Last", ""}}, 0, "", 1, 0, 1}};
    static const struct pcase c = {"empty values",
                                   {"GET / HTTP/1.1\r\nX-Empty:\r\nHost: h\r\nX-Last: \r\n\r\n"},
                                   NULL,
                                   w,
                                   1,
                                   0,
                                   0,
                                   0,
                                   0,
                                   0,
                                   NULL};
    run_case(&c);
}

static void test_upgrade(void **state)
{
    (void)state;
    static const struct want w[] = {{"GET",
                                     "/ws/streams/1/comments/",
                                     "/ws/streams/1/comments/",
                                     "",
                                     {{"Host", "x"},
                                      {"Connection", "Upgrade"},
                                      {"Upgrade", "websocket"},
                                      {"Sec-WebSocket-Version", "13"},
                                      {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}},
                                     0,
                                     "",
                                     1,
                                     1,
                                     1}};
    static const struct pcase c = {
        "upgrade",
        {"GET /ws/streams/1/comments/ HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
         "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"},
        "\x81\x85\x01\x02\x03\x04hello GET / HTTP/1.1\r\n\r\n", /* a WebSocket frame, not HTTP */
        w,
        1,
        0,
        0,
        0,
        0,
        0,
        NULL};
    run_case(&c);
}

static void test_many_headers_at_the_limit(void **state)
{
    (void)state;
    char req[2048];
    int off = sprintf(req, "GET / HTTP/1.1\r\n");
    for (int i = 0; i < 10; i++)
        off += sprintf(req + off, "X-%d: v\r\n", i);
    strcpy(req + off, "\r\n");
    struct want w = {"GET", "/", "/", "", {{NULL, NULL}}, 10, "", 1, 0, 1};
    struct pcase c = {"10 fields, max 10", {req}, NULL, &w, 1, 0, 10, 0, 0, 0, NULL};
    run_case(&c);
    struct pcase over = {"10 fields, max 9", {req}, NULL, NULL, 0, 0, 9, 0, 431, 0,
                         "headers_too_large"};
    run_case(&over);
}

/* ---- limits and errors ---- */

static void test_header_block_too_large(void **state)
{
    (void)state;
    /* Never terminated: the error must come as the bytes arrive. */
    char big[256];
    snprintf(big, sizeof big, "GET / HTTP/1.1\r\nX-Big: %0100d", 0);
    struct pcase value = {"big value", {big}, NULL, NULL, 0, 64, 0, 0, 431, 0, "headers_too_large"};
    run_case(&value);
    char target[256];
    snprintf(target, sizeof target, "GET /%0100d", 0);
    struct pcase url = {"big target",       {target}, NULL, NULL, 0, 64, 0, 0, 431, 0,
                        "headers_too_large"};
    run_case(&url);
    /* White space counts too, though the parser never stores it. */
    char ws[256];
    snprintf(ws, sizeof ws, "GET / HTTP/1.1\r\nX-Pad: %100sv\r\n\r\n", "");
    struct pcase pad = {"padded value", {ws}, NULL, NULL, 0, 64, 0, 0, 431, 0, "headers_too_large"};
    run_case(&pad);
    /* Many short fields: the separators add up. */
    char many[256];
    int off = sprintf(many, "GET / HTTP/1.1\r\n");
    for (int i = 0; i < 16; i++)
        off += sprintf(many + off, "A: b\r\n");
    strcpy(many + off, "\r\n");
    struct pcase shorts = {"short fields",     {many}, NULL, NULL, 0, 64, 0, 0, 431, 0,
                           "headers_too_large"};
    run_case(&shorts);
    /* ... and the same under a roomier limit is fine. */
    struct want w = {"GET", "/", "/", "", {{NULL, NULL}}, 16, "", 1, 0, 1};
    struct pcase fits = {"short fields, room", {many}, NULL, &w, 1, 256, 0, 0, 0, 0, NULL};
    run_case(&fits);
}

static void test_too_many_headers(void **state)
{
    (void)state;
    char req[2048];
    int off = sprintf(req, "GET / HTTP/1.1\r\n");
    for (int i = 0; i < MAXN + 1; i++)
        off += sprintf(req + off, "X-%d: v\r\n", i);
    strcpy(req + off, "\r\n");
    struct pcase c = {"101 fields", {req}, NULL, NULL, 0, 0, 0, 0, 431, 0, "headers_too_large"};
    run_case(&c);
}

static void test_body_too_large(void **state)
{
    (void)state;
    /* Refused from Content-Length alone: no body byte is ever sent here. */
    static const struct pcase cl = {"content-length over",
                                    {"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n\r\n"},
                                    NULL,
                                    NULL,
                                    0,
                                    0,
                                    0,
                                    16,
                                    413,
                                    0,
                                    "payload_too_large"};
    run_case(&cl);
    static const struct pcase huge = {
        "content-length huge",
        {"POST /a HTTP/1.1\r\nContent-Length: 18446744073709551615\r\n\r\n"},
        NULL,
        NULL,
        0,
        0,
        0,
        0,
        413,
        400,
        NULL};
    run_case(&huge);
    /* Chunked: counted as it arrives; the body never ends here. */
    static const struct pcase chunked = {
        "chunked over",
        {"POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n9\r\n123456789"},
        NULL,
        NULL,
        0,
        0,
        0,
        16,
        413,
        0,
        "payload_too_large"};
    run_case(&chunked);
    /* The same with the default limits and a real size. */
    size_t n = MAXB + 10;
    char *req = malloc(n + 128);
    int off = sprintf(req, "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n%zx\r\n", n);
    memset(req + off, 'b', n);
    strcpy(req + off + n, "\r\n0\r\n\r\n");
    http_parser_t p;
    http_parser_init(&p, MAXH, MAXN, MAXB);
    size_t used;
    assert_int_equal(http_parser_feed(&p, req, strlen(req), &used), HTTP_PARSE_ERROR);
    assert_int_equal(p.error_status, 413);
    assert_true(p.body.len <= MAXB);
    http_parser_free(&p);
    free(req);
}

static void test_malformed(void **state)
{
    (void)state;
    static const struct pcase bad[] = {
        {"garbage", {"GARBAGE\r\n\r\n"}, NULL, NULL, 0, 0, 0, 0, 400, 0, "bad_request"},
        {"binary", {"\x16\x03\x01\x02\x00\x01\x00"}, NULL, NULL, 0, 0, 0, 0, 400, 0, "bad_request"},
        {"no colon",
         {"GET / HTTP/1.1\r\nBad Header Line\r\n\r\n"},
         NULL,
         NULL,
         0,
         0,
         0,
         0,
         400,
         0,
         "bad_request"},
        {"two lengths",
         {"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"},
         NULL,
         NULL,
         0,
         0,
         0,
         0,
         400,
         0,
         "bad_request"},
        {"bad length",
         {"POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n"},
         NULL,
         NULL,
         0,
         0,
         0,
         0,
         400,
         0,
         "bad_request"},
        {"bad chunk size",
         {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"},
         NULL,
         NULL,
         0,
         0,
         0,
         0,
         400,
         0,
         "bad_request"},
        {"http/2.0", {"GET / HTTP/2.0\r\n\r\n"}, NULL, NULL, 0, 0, 0, 0, 505, 400, NULL},
        {"h2 preface",
         {"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"},
         NULL,
         NULL,
         0,
         0,
         0,
         0,
         505,
         400,
         NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        run_case(&bad[i]);
}

static void test_good_then_garbage(void **state)
{
    (void)state;
    static const struct want w[] = {{"GET", "/ok", "/ok", "", {{"Host", "x"}}, 0, "", 1, 0, 1}};
    static const struct pcase c = {
        "good then garbage",
        {"GET /ok HTTP/1.1\r\nHost: x\r\n\r\n", "NOT HTTP AT ALL\r\n\r\n"},
        NULL,
        w,
        1,
        0,
        0,
        0,
        400,
        0,
        "bad_request"};
    run_case(&c);
}

/* ---- the rest of the contract ---- */

static void test_header_lookup_and_expect(void **state)
{
    (void)state;
    const char *req = "PUT /x HTTP/1.1\r\nHOST: h\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n"
                      "\r\nhi";
    http_parser_t p;
    http_parser_init(&p, MAXH, MAXN, MAXB);
    size_t used;
    assert_int_equal(http_parser_feed(&p, req, strlen(req), &used), HTTP_PARSE_DONE);
    const http_request_t *r = http_parser_request(&p);
    assert_string_equal(http_request_header(r, "host"), "h");
    assert_string_equal(http_request_header(r, "content-length"), "2");
    assert_null(http_request_header(r, "cookie"));
    assert_true(r->expect_continue);
    assert_string_equal(r->method, "PUT");
    /* feeding again before reset hands out nothing new */
    assert_int_equal(http_parser_feed(&p, "GET", 3, &used), HTTP_PARSE_DONE);
    assert_int_equal(used, 0);
    http_parser_free(&p);
}

static void test_started_and_reset(void **state)
{
    (void)state;
    http_parser_t p;
    http_parser_init(&p, MAXH, MAXN, MAXB);
    size_t used;
    assert_false(http_parser_started(&p));
    assert_int_equal(http_parser_feed(&p, "", 0, &used), HTTP_PARSE_NEED_MORE);
    assert_false(http_parser_started(&p));
    assert_int_equal(http_parser_feed(&p, "GE", 2, &used), HTTP_PARSE_NEED_MORE);
    assert_int_equal(used, 2);
    assert_true(http_parser_started(&p));
    /* a reset after an error gives a clean parser */
    assert_int_equal(http_parser_feed(&p, "X / HTTP/1.1\r\n\r\n", 16, &used), HTTP_PARSE_ERROR);
    http_parser_reset(&p);
    assert_false(http_parser_started(&p));
    assert_int_equal(p.error_status, 0);
    assert_int_equal(http_parser_feed(&p, "GET /a HTTP/1.1\r\n\r\n", 19, &used), HTTP_PARSE_DONE);
    assert_string_equal(http_parser_request(&p)->path, "/a");
    http_parser_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_with_headers),
        cmocka_unit_test(test_post_content_length),
        cmocka_unit_test(test_chunked),
        cmocka_unit_test(test_pipelined),
        cmocka_unit_test(test_keep_alive_rules),
        cmocka_unit_test(test_empty_header_value),
        cmocka_unit_test(test_upgrade),
        cmocka_unit_test(test_many_headers_at_the_limit),
        cmocka_unit_test(test_header_block_too_large),
        cmocka_unit_test(test_too_many_headers),
        cmocka_unit_test(test_body_too_large),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_good_then_garbage),
        cmocka_unit_test(test_header_lookup_and_expect),
        cmocka_unit_test(test_started_and_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
