/*
 * tests/unit/split — feeds one input to a parser every way it can arrive:
 * whole, byte by byte, and split in two at every offset (llhttp's approach).
 *
 * The callback builds a fresh parser, feeds the chunks in order and asserts
 * the outcome; it is called 2 + (len - 1) times.
 */
#ifndef SIARAN_TEST_SPLIT_H
#define SIARAN_TEST_SPLIT_H

#include <stddef.h>
#include <stdint.h>

typedef struct split_chunks {
    const uint8_t *const *data;
    const size_t *len;
    size_t count;
    const char *how; /* "whole", "bytewise" or "split" (for messages) */
    size_t at;       /* split offset when how is "split" */
} split_chunks_t;

typedef void (*split_fn)(void *ud, const split_chunks_t *c);

void split_each(const void *data, size_t len, split_fn fn, void *ud);

#endif
