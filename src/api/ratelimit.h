/*
 * api/ratelimit — per-key event counters over fixed time windows.
 *
 * Owns a small hash table of keys (an IP, an account name) → count and
 * window start. Used for login attempts now and chat later. Memory is
 * bounded: expired entries are dropped as the table is walked, and a full
 * table evicts the entry closest to expiry. Loop thread only.
 */
#ifndef SIARAN_API_RATELIMIT_H
#define SIARAN_API_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

typedef struct ratelimit ratelimit_t;

ratelimit_t *ratelimit_new(unsigned limit, unsigned window_s, size_t max_keys);
void ratelimit_free(ratelimit_t *rl);
/* 1 when key already used its limit in the current window; *retry_after_s says for how long. */
int ratelimit_blocked(ratelimit_t *rl, const char *key, uint64_t now_ms, int *retry_after_s);
/* Counts one event for key. */
void ratelimit_hit(ratelimit_t *rl, const char *key, uint64_t now_ms);
void ratelimit_forget(ratelimit_t *rl, const char *key);
size_t ratelimit_size(const ratelimit_t *rl);

#endif
