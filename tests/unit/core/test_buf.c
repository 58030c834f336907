/*
 * core/buf, core/rcbuf and core/log: the buffer's NUL invariant through
 * every operation (append, printf short and long, consume, reset, steal),
 * growth, the x* allocation helpers; rcbuf creation, copies and reference
 * counts; log_q quoting (bare, quoted, escapes, truncation that never cuts
 * an escape or drops the closing quote) and log lines (format, levels,
 * one line however long).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/rcbuf.h"

static void assert_terminated(const buf_t *b)
{
    assert_non_null(b->data);
    assert_true(b->len < b->cap);
    assert_int_equal(b->data[b->len], '\0');
}

/* ---- buf ---- */

static void test_buf_append(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    buf_append(&b, "", 0);
    assert_terminated(&b);
    assert_string_equal(b.data, "");
    buf_puts(&b, "hello");
    buf_putc(&b, ' ');
    buf_append(&b, "world!!", 5);
    assert_terminated(&b);
    assert_int_equal(b.len, 11);
    assert_string_equal(b.data, "hello world");
    /* binary bytes, NUL included */
    buf_append(&b, "\0\xff", 2);
    assert_int_equal(b.len, 13);
    assert_memory_equal(b.data + 11, "\0\xff", 2);
    assert_terminated(&b);
    /* growth keeps every byte */
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_terminated(&b);
    for (int i = 0; i < 10000; i++)
        buf_putc(&b, (char)('a' + i % 26));
    assert_int_equal(b.len, 10000);
    assert_terminated(&b);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(b.data[i], 'a' + i % 26);
    buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len + b.cap, 0);
    buf_free(&b); /* twice is harmless */
}

static void test_buf_reserve(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    buf_reserve(&b, 1000);
    assert_true(b.cap >= 1001);
    assert_int_equal(b.len, 0);
    char *before = b.data;
    size_t cap = b.cap;
    buf_append(&b, "x", 1);
    buf_reserve(&b, 10);
    assert_ptr_equal(b.data, before); /* room already there: no move */
    assert_int_equal(b.cap, cap);
    buf_free(&b);
}

static void test_buf_printf(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    buf_printf(&b, "%s=%d", "n", 42);
    assert_string_equal(b.data, "n=42");
    /* longer than the internal 256-byte scratch space */
    char big[1000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    buf_printf(&b, " [%s] %d", big, 7);
    assert_int_equal(b.len, 4 + 2 + 999 + 3);
    assert_terminated(&b);
    assert_memory_equal(b.data + 4, " [qqq", 5);
    assert_string_equal(b.data + b.len - 3, "] 7");
    /* exactly 255 and 256 characters: both sides of the scratch size */
    buf_reset(&b);
    buf_printf(&b, "%.*s", 255, big);
    assert_int_equal(b.len, 255);
    buf_reset(&b);
    buf_printf(&b, "%.*s", 256, big);
    assert_int_equal(b.len, 256);
    assert_terminated(&b);
    buf_free(&b);
}

static void test_buf_consume(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    buf_consume(&b, 0); /* on an empty, unallocated buf */
    assert_int_equal(b.len, 0);
    buf_puts(&b, "abcdef");
    buf_consume(&b, 2);
    assert_string_equal(b.data, "cdef");
    assert_int_equal(b.len, 4);
    buf_consume(&b, 0);
    assert_string_equal(b.data, "cdef");
    buf_consume(&b, 4);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    buf_puts(&b, "xy");
    buf_consume(&b, 100); /* more than there is: empty */
    assert_int_equal(b.len, 0);
    assert_terminated(&b);
    buf_free(&b);
}

static void test_buf_steal(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    size_t len = 99;
    char *s = buf_steal(&b, &len); /* empty: still a valid "" */
    assert_non_null(s);
    assert_int_equal(len, 0);
    assert_string_equal(s, "");
    free(s);
    buf_puts(&b, "taken");
    s = buf_steal(&b, &len);
    assert_int_equal(len, 5);
    assert_string_equal(s, "taken");
    assert_null(b.data);
    assert_int_equal(b.len + b.cap, 0);
    free(s);
    buf_puts(&b, "again"); /* the buf is usable after */
    s = buf_steal(&b, NULL);
    assert_string_equal(s, "again");
    free(s);
}

static void test_x_helpers(void **state)
{
    (void)state;
    char *s = xstrdup("dup");
    assert_string_equal(s, "dup");
    free(s);
    s = xstrndup("abcdef", 3);
    assert_string_equal(s, "abc");
    free(s);
    s = xstrndup("a\0b", 3); /* n bytes are copied as they are */
    assert_memory_equal(s, "a\0b", 4);
    free(s);
    unsigned char *z = xcalloc(16, 4);
    for (int i = 0; i < 64; i++)
        assert_int_equal(z[i], 0);
    z = xrealloc(z, 128);
    assert_int_equal(z[63], 0);
    free(z);
    free(xmalloc(0)); /* zero sizes still give a pointer to free */
    free(xcalloc(0, 0));
    free(xrealloc(NULL, 0));
}

/* ---- rcbuf ---- */

static void test_rcbuf(void **state)
{
    (void)state;
    rcbuf_t *r = rcbuf_new("segment", 7);
    assert_int_equal(r->refs, 1);
    assert_int_equal(r->len, 7);
    assert_string_equal(r->data, "segment");
    assert_ptr_equal(rcbuf_ref(r), r);
    assert_int_equal(r->refs, 2);
    rcbuf_unref(r);
    assert_int_equal(r->refs, 1);
    assert_string_equal(r->data, "segment"); /* still alive */
    rcbuf_unref(r);                          /* freed: ASan would see a second use */

    rcbuf_t *z = rcbuf_new(NULL, 5);
    assert_memory_equal(z->data, "\0\0\0\0\0\0", 6);
    rcbuf_unref(z);
    rcbuf_t *e = rcbuf_new(NULL, 0);
    assert_int_equal(e->len, 0);
    assert_int_equal(e->data[0], '\0');
    rcbuf_unref(e);
    rcbuf_unref(NULL);

    buf_t b = BUF_INIT;
    buf_append(&b, "a\0c", 3);
    rcbuf_t *c = rcbuf_from_buf(&b);
    assert_int_equal(c->len, 3);
    assert_memory_equal(c->data, "a\0c", 4);
    buf_putc(&b, 'd'); /* the copy does not follow the buf */
    assert_int_equal(c->len, 3);
    assert_int_equal(b.len, 4);
    rcbuf_unref(c);
    buf_free(&b);
    rcbuf_t *empty = rcbuf_from_buf(&b); /* an unallocated buf copies as "" */
    assert_int_equal(empty->len, 0);
    assert_string_equal(empty->data, "");
    rcbuf_unref(empty);
}

/* ---- log ---- */

static void expect_q(const char *in, const char *want)
{
    char out[128];
    const char *got = log_q(out, sizeof out, in);
    assert_ptr_equal(got, out);
    if (strcmp(got, want) != 0)
        fail_msg("log_q(\"%s\") = %s, want %s", in ? in : "(null)", got, want);
}

static void test_log_q(void **state)
{
    (void)state;
    expect_q("plain", "plain");
    expect_q("/api/streams/1/?x&z", "/api/streams/1/?x&z");
    expect_q("", "\"\"");
    expect_q(NULL, "\"\"");
    expect_q("two words", "\"two words\"");
    expect_q("a=b", "\"a=b\"");
    expect_q("say \"hi\"", "\"say \\\"hi\\\"\"");
    expect_q("back\\slash", "\"back\\\\slash\"");
    expect_q("line\nbreak\ttab", "\"line\\x0abreak\\x09tab\"");
    expect_q("del\x7f", "\"del\\x7f\"");
    expect_q("caf\xc3\xa9", "\"caf\xc3\xa9\""); /* UTF-8 is quoted, not escaped */
    char tiny[1] = {'x'};
    assert_string_equal(log_q(tiny, 0, "abc"), "");
    assert_int_equal(tiny[0], 'x'); /* n = 0: nothing written */
}

/* A quoted value must end with its quote and hold only whole escapes. */
static void check_well_formed(const char *s, size_t n, const char *in)
{
    size_t len = strlen(s);
    if (len >= n)
        fail_msg("log_q(n=%zu, \"%s\") wrote %zu bytes", n, in, len);
    if (s[0] != '"')
        return;
    if (len < 2 || s[len - 1] != '"')
        fail_msg("log_q(n=%zu, \"%s\") = %s: quote not closed", n, in, s);
    for (size_t i = 1; i + 1 < len; i++) {
        if (s[i] == '"')
            fail_msg("log_q(n=%zu) = %s: bare quote inside", n, s);
        if (s[i] != '\\')
            continue;
        if (s[i + 1] == '"' || s[i + 1] == '\\') {
            if (i + 2 >= len)
                fail_msg("log_q(n=%zu) = %s: cut escape", n, s);
            i++;
        } else if (s[i + 1] == 'x') {
            if (i + 4 >= len)
                fail_msg("log_q(n=%zu) = %s: cut escape", n, s);
            i += 3;
        } else {
            fail_msg("log_q(n=%zu) = %s: unknown escape", n, s);
        }
    }
}

static void test_log_q_truncation(void **state)
{
    (void)state;
    static const char *const inputs[] = {
        "abcdefghijklmnopqrstuvwxyz", "a b c d e f g h i j k l m", "\"\"\"\"\"\"\"\"\"\"\"\"",
        "\\\\\\\\\\\\\\\\\\\\",       "\n\n\n\n\n\n\n\n\n\n",      "x\x01y\x02z\x03w\x04v\x05",
    };
    char out[64];
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        for (unsigned n = 3; n <= sizeof out; n++) {
            memset(out, 'Z', sizeof out);
            log_q(out, n, inputs[i]);
            check_well_formed(out, n, inputs[i]);
        }
    }
}

static FILE *g_capture;
static int g_saved_stderr = -1;

static void capture_start(void)
{
    g_capture = tmpfile();
    assert_non_null(g_capture);
    fflush(stderr);
    g_saved_stderr = dup(2);
    assert_true(dup2(fileno(g_capture), 2) >= 0);
}

/* Stops capturing; returns what was written (malloc'd). */
static char *capture_end(void)
{
    fflush(stderr);
    assert_true(dup2(g_saved_stderr, 2) >= 0);
    close(g_saved_stderr);
    long n = ftell(g_capture);
    char *s = calloc(1, (size_t)n + 1);
    rewind(g_capture);
    assert_int_equal(fread(s, 1, (size_t)n, g_capture), (size_t)n);
    fclose(g_capture);
    return s;
}

static void test_log_lines(void **state)
{
    (void)state;
    assert_int_equal(log_level_parse("debug"), LOG_DEBUG);
    assert_int_equal(log_level_parse("info"), LOG_INFO);
    assert_int_equal(log_level_parse("warn"), LOG_WARN);
    assert_int_equal(log_level_parse("error"), LOG_ERROR);
    assert_int_equal(log_level_parse("INFO"), -1);
    assert_int_equal(log_level_parse(""), -1);

    enum log_level saved = log_get_level();
    log_set_level(LOG_WARN);
    assert_false(log_enabled(LOG_INFO));
    assert_true(log_enabled(LOG_ERROR));
    capture_start();
    log_info("hidden", "%s", "");
    log_warn("shown", "k=%d", 1);
    log_error("bare", "%s", "");
    char big[4000];
    memset(big, 'v', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    log_error("long", "v=%s", big);
    char *out = capture_end();
    log_set_level(saved);

    assert_null(strstr(out, "hidden"));
    char *l1 = out, *l2 = strchr(l1, '\n') + 1, *l3 = strchr(l2, '\n') + 1;
    assert_memory_equal(l1, "ts=", 3);
    assert_non_null(strstr(l1, "Z level=warn msg=shown k=1\n"));
    assert_true(strstr(l1, "Z level=warn msg=shown k=1\n") < l2);
    assert_non_null(strstr(l2, "level=error msg=bare\n"));
    /* a long line is cut, not split: one line ending in a newline */
    char *end = strchr(l3, '\n');
    assert_non_null(end);
    assert_int_equal(end[1], '\0');
    assert_true(end - l3 + 1 <= 2048);
    assert_non_null(strstr(l3, "level=error msg=long v=vvv"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_append),
        cmocka_unit_test(test_buf_reserve),
        cmocka_unit_test(test_buf_printf),
        cmocka_unit_test(test_buf_consume),
        cmocka_unit_test(test_buf_steal),
        cmocka_unit_test(test_x_helpers),
        cmocka_unit_test(test_rcbuf),
        cmocka_unit_test(test_log_q),
        cmocka_unit_test(test_log_q_truncation),
        cmocka_unit_test(test_log_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
