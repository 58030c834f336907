/*
 * core/buf — a growable byte buffer owned by whoever declares it.
 *
 * Used to build responses, JSON and packets before they become immutable
 * (see rcbuf_from_buf). Invariant: data[len] is always '\0' when data is
 * non-NULL, so a buf holding text can be used as a C string. Allocation
 * failure aborts the process (there is no sane recovery in a server that
 * cannot allocate a few KiB).
 */
#ifndef SIARAN_CORE_BUF_H
#define SIARAN_CORE_BUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct buf {
    char *data;
    size_t len;
    size_t cap;
} buf_t;

#define BUF_INIT                                                                                   \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

void buf_reserve(buf_t *b, size_t extra);
void buf_append(buf_t *b, const void *data, size_t len);
void buf_puts(buf_t *b, const char *s);
void buf_putc(buf_t *b, char c);
void buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Removes the first n bytes (n <= len). */
void buf_consume(buf_t *b, size_t n);
void buf_reset(buf_t *b);
void buf_free(buf_t *b);
/* Hands the storage to the caller (who frees it with free()); b is empty after. */
char *buf_steal(buf_t *b, size_t *len);

/* Aborts with a message: used when malloc fails. */
_Noreturn void oom(void);
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
