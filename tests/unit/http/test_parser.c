/*
 * http/parser: requests fed whole, byte by byte and split at every offset;
 * pipelining (exact `used`), chunked bodies, keep-alive rules, upgrade, and
 * every limit: 431 for big or many headers, 413 for big bodies (before the
 * body is read when Content-Length says so), 400 for garbage, 505.
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

struct expect {
    const char *method, *path, *query, *body;
    int keep_alive, upgrade;
    const char *hname, *hvalue; /* one header to check */
    size_t used_first;          /* for pipelined input: where the first request ends */
    int error_status;           /* expect an error instead */
    const char *error_code;
};

/* Feeds the chunks; returns the parse result of the first request. */
static void check_one(void *ud, const split_chunks_t *c)
{
    const struct expect *e = ud;
    http_parser_t p;
    http_parser_init(&p, MAXH, MAXN, MAXB);
    int rc = HTTP_PARSE_NEED_MORE;
    size_t consumed_total = 0, used = 0;
    for (size_t i = 0; i < c->count && rc == HTTP_PARSE_NEED_MORE; i++) {
        rc = http_parser_feed(&p, (const char *)c->data[i], c->len[i], &used);
        consumed_total += used;
    }
    if (e->error_status) {
        if (rc != HTTP_PARSE_ERROR)
            fail_msg("%s at %zu: expected error %d, got %d", c->how, c->at, e->error_status, rc);
        assert_int_equal(p.error_status, e->error_status);
        assert_string_equal(p.error_code, e->error_code);
        http_parser_free(&p);
        return;
    }
    if (rc != HTTP_PARSE_DONE)
        fail_msg("%s at %zu: request not complete (rc %d)", c->how, c->at, rc);
    const http_request_t *r = http_parser_request(&p);
    assert_string_equal(r->method, e->method);
    assert_string_equal(r->path, e->path);
    assert_string_equal(r->query, e->query);
    assert_int_equal(r->body_len, strlen(e->body));
    assert_memory_equal(r->body, e->body, r->body_len);
    assert_int_equal(r->keep_alive, e->keep_alive);
    assert_int_equal(r->upgrade != 0, e->upgrade);
    if (e->hname) {
        const char *v = http_request_header(r, e->hname);
        assert_non_null(v);
        assert_string_equal(v, e->hvalue);
    }
    if (e->used_first)
        assert_int_equal(consumed_total, e->used_first);
    http_parser_free(&p);
}

static void run(const char *input, const struct expect *e)
{
    split_each(input, strlen(input), check_one, (void *)e);
}

static void test_get_with_headers(void **state)
{
    (void)state;
    struct expect e = {
        "GET", "/api/streams/", "status=live&limit=2", "", 1, 0, "x-request-id", "abc-123", 0, 0,
        NULL};
    run("GET /api/streams/?status=live&limit=2 HTTP/1.1\r\n"
        "Host: localhost:8000\r\nUser-Agent: test\r\nX-Request-Id: abc-123\r\n"
        "Accept: */*\r\n\r\n",
        &e);
}

static void test_post_with_body(void **state)
{
    (void)state;
    struct expect e = {"POST",
                       "/api/login/",
                       "",
                       "{\"username\":\"budi\",\"password\":\"x\"}",
                       1,
                       0,
                       "CONTENT-TYPE",
                       "application/json",
                       0,
                       0,
                       NULL};
    run("POST /api/login/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: 34\r\n\r\n{\"username\":\"budi\",\"password\":\"x\"}",
        &e);
}

static void test_chunked_body(void **state)
{
    (void)state;
    struct expect e = {"POST", "/a", "", "hello world", 1, 0, NULL, NULL, 0, 0, NULL};
    run("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
        &e);
}

static void test_http10_and_close(void **state)
{
    (void)state;
    struct expect e10 = {"GET", "/", "", "", 0, 0, NULL, NULL, 0, 0, NULL};
    run("GET / HTTP/1.0\r\n\r\n", &e10);
    struct expect e10ka = {"GET", "/", "", "", 1, 0, NULL, NULL, 0, 0, NULL};
    run("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", &e10ka);
    struct expect eclose = {"GET", "/x", "", "", 0, 0, "connection", "close", 0, 0, NULL};
    run("GET /x HTTP/1.1\r\nConnection: close\r\n\r\n", &eclose);
}

static void test_empty_header_value(void **state)
{
    (void)state;
    struct expect e = {"GET", "/", "", "", 1, 0, "x-empty", "", 0, 0, NULL};
    run("GET / HTTP/1.1\r\nX-Empty:\r\nHost: h\r\n\r\n", &e);
    struct expect e2 = {"GET", "/", "", "", 1, 0, "host", "h", 0, 0, NULL};
    run("GET / HTTP/1.1\r\nX-Empty:\r\nHost: h\r\n\r\n", &e2);
}

static void test_upgrade(void **state)
{
    (void)state;
    struct expect e = {"GET", "/ws/streams/1/comments/", "", "", 1, 1, "upgrade", "websocket", 0, 0,
                       NULL};
    run("GET /ws/streams/1/comments/ HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
        "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        &e);
}

static void test_pipelined(void **state)
{
    (void)state;
    const char *first = "GET /one HTTP/1.1\r\nHost: x\r\n\r\n";
    const char *second = "POST /two?x=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";
    char both[256];
    snprintf(both, sizeof both, "%s%s", first, second);
    struct expect e = {"GET", "/one", "", "", 1, 0, NULL, NULL, strlen(first), 0, NULL};
    run(both, &e);

    /* then the rest after a reset, as the server does */
    http_parser_t p;
    http_parser_init(&p, MAXH, MAXN, MAXB);
    size_t used;
    assert_int_equal(http_parser_feed(&p, both, strlen(both), &used), HTTP_PARSE_DONE);
    assert_int_equal(used, strlen(first));
    http_parser_reset(&p);
    size_t used2;
    assert_int_equal(http_parser_feed(&p, both + used, strlen(both) - used, &used2),
                     HTTP_PARSE_DONE);
    assert_int_equal(used2, strlen(second));
    const http_request_t *r = http_parser_request(&p);
    assert_string_equal(r->path, "/two");
    assert_string_equal(r->query, "x=1");
    assert_string_equal(r->body, "abc");
    http_parser_free(&p);
}

static void test_header_block_too_large(void **state)
{
    (void)state;
    size_t n = MAXH + 100;
    char *big = malloc(n + 64);
    int off = sprintf(big, "GET / HTTP/1.1\r\nX-Big: ");
    memset(big + off, 'a', n);
    strcpy(big + off + n, "\r\n\r\n");
    http_parser_t p;
    http_parser_init(&p, MAXH, MAXN, MAXB);
    size_t used;
    assert_int_equal(http_parser_feed(&p, big, strlen(big), &used), HTTP_PARSE_ERROR);
    assert_int_equal(p.error_status, 431);
    assert_string_equal(p.error_code, "headers_too_large");
    http_parser_free(&p);
    free(big);
}

static void test_too_many_headers(void **state)
{
    (void)state;
    char req[8192];
    int off = sprintf(req, "GET / HTTP/1.1\r\n");
    for (int i = 0; i < MAXN + 1; i++)
        off += sprintf(req + off, "X-%d: v\r\n", i);
    strcpy(req + off, "\r\n");
    http_parser_t p;
    http_parser_init(&p, MAXH, MAXN, MAXB);
    size_t used;
    assert_int_equal(http_parser_feed(&p, req, strlen(req), &used), HTTP_PARSE_ERROR);
    assert_int_equal(p.error_status, 431);
    http_parser_free(&p);
}

static void test_body_too_large(void **state)
{
    (void)state;
    /* Refused from Content-Length alone, before any body byte. */
    struct expect e = {0};
    e.error_status = 413;
    e.error_code = "payload_too_large";
    run("POST /a HTTP/1.1\r\nContent-Length: 65537\r\n\r\n", &e);
    /* Chunked: counted as it arrives. */
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
    http_parser_free(&p);
    free(req);
}

static void test_garbage(void **state)
{
    (void)state;
    struct expect e = {0};
    e.error_status = 400;
    e.error_code = "bad_request";
    run("GARBAGE\r\n\r\n", &e);
    run("GET / HTTP/1.1\r\nBad Header Line\r\n\r\n", &e);
    run("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", &e);
    http_parser_t p;
    http_parser_init(&p, MAXH, MAXN, MAXB);
    size_t used;
    int rc = http_parser_feed(&p, "GET / HTTP/2.0\r\n\r\n", 18, &used);
    assert_int_equal(rc, HTTP_PARSE_ERROR);
    assert_true(p.error_status == 505 || p.error_status == 400);
    http_parser_free(&p);
}

static void test_started_flag(void **state)
{
    (void)state;
    http_parser_t p;
    http_parser_init(&p, MAXH, MAXN, MAXB);
    assert_false(http_parser_started(&p));
    size_t used;
    assert_int_equal(http_parser_feed(&p, "GE", 2, &used), HTTP_PARSE_NEED_MORE);
    assert_true(http_parser_started(&p));
    http_parser_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_with_headers),
        cmocka_unit_test(test_post_with_body),
        cmocka_unit_test(test_chunked_body),
        cmocka_unit_test(test_http10_and_close),
        cmocka_unit_test(test_empty_header_value),
        cmocka_unit_test(test_upgrade),
        cmocka_unit_test(test_pipelined),
        cmocka_unit_test(test_header_block_too_large),
        cmocka_unit_test(test_too_many_headers),
        cmocka_unit_test(test_body_too_large),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_started_flag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
