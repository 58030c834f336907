/*
 * Fuzz target: http/parser as a keep-alive connection sees it. The input is
 * cut into pieces whose sizes come from the input's own bytes; each DONE
 * resets the parser and parsing goes on with the rest, until an error or
 * the end. Every request's fields are touched so ASan sees bad pointers.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "http/parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t touch(const http_request_t *r)
{
    size_t n = strlen(r->method) + strlen(r->target) + strlen(r->path) + strlen(r->query);
    for (size_t i = 0; i < r->nheaders; i++)
        n += strlen(r->header_names[i]) + strlen(r->header_values[i]);
    if (r->body_len)
        n += (size_t)r->body[0] + (size_t)r->body[r->body_len - 1];
    n += http_request_header(r, "content-type") != NULL;
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    http_parser_t p;
    http_parser_init(&p, 4096, 32, 8192);
    size_t pos = 0;
    unsigned step = size ? data[0] : 1;
    volatile size_t sink = 0;
    while (pos < size) {
        size_t piece = (step % 97) + 1;
        step = step * 31 + 7;
        if (piece > size - pos)
            piece = size - pos;
        size_t off = 0;
        while (off < piece) {
            size_t used = 0;
            int rc = http_parser_feed(&p, (const char *)data + pos + off, piece - off, &used);
            if (rc == HTTP_PARSE_ERROR)
                goto out;
            if (used > piece - off)
                __builtin_trap();
            off += used;
            if (rc == HTTP_PARSE_DONE) {
                sink += touch(http_parser_request(&p));
                http_parser_reset(&p);
            } else {
                break;
            }
        }
        pos += piece;
    }
out:
    (void)sink;
    http_parser_free(&p);
    return 0;
}
