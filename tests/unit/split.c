/* tests/unit/split — see split.h. */
#include "split.h"

#include <stdlib.h>

void split_each(const void *data, size_t len, split_fn fn, void *ud)
{
    const uint8_t *p = data;
    const uint8_t *one[1] = {p};
    size_t onelen[1] = {len};
    split_chunks_t c = {one, onelen, 1, "whole", 0};
    fn(ud, &c);

    if (len > 1) {
        const uint8_t **many = malloc(len * sizeof *many);
        size_t *manylen = malloc(len * sizeof *manylen);
        for (size_t i = 0; i < len; i++) {
            many[i] = p + i;
            manylen[i] = 1;
        }
        split_chunks_t b = {many, manylen, len, "bytewise", 0};
        fn(ud, &b);
        free(many);
        free(manylen);
    }
    for (size_t at = 1; at < len; at++) {
        const uint8_t *two[2] = {p, p + at};
        size_t twolen[2] = {at, len - at};
        split_chunks_t s = {two, twolen, 2, "split", at};
        fn(ud, &s);
    }
}
