/* api/ratelimit — see ratelimit.h. */
#include "api/ratelimit.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

struct rl_entry {
    char *key;
    uint32_t hash;
    unsigned count;
    uint64_t window_start;
    struct rl_entry *next;
};

struct ratelimit {
    unsigned limit;
    uint64_t window_ms;
    size_t max_keys, size, nbuckets;
    struct rl_entry **buckets;
};

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

ratelimit_t *ratelimit_new(unsigned limit, unsigned window_s, size_t max_keys)
{
    ratelimit_t *rl = xcalloc(1, sizeof *rl);
    rl->limit = limit;
    rl->window_ms = (uint64_t)window_s * 1000;
    rl->max_keys = max_keys;
    rl->nbuckets = 1024;
    rl->buckets = xcalloc(rl->nbuckets, sizeof *rl->buckets);
    return rl;
}

static void free_entry(struct rl_entry *e)
{
    free(e->key);
    free(e);
}

void ratelimit_free(ratelimit_t *rl)
{
    if (rl == NULL)
        return;
    for (size_t i = 0; i < rl->nbuckets; i++) {
        struct rl_entry *e = rl->buckets[i];
        while (e) {
            struct rl_entry *next = e->next;
            free_entry(e);
            e = next;
        }
    }
    free(rl->buckets);
    free(rl);
}

/* Finds key, dropping expired entries of its bucket on the way. */
static struct rl_entry **lookup(ratelimit_t *rl, const char *key, uint32_t h, uint64_t now)
{
    struct rl_entry **p = &rl->buckets[h % rl->nbuckets];
    while (*p) {
        struct rl_entry *e = *p;
        if (now - e->window_start >= rl->window_ms) {
            *p = e->next;
            free_entry(e);
            rl->size--;
            continue;
        }
        if (e->hash == h && strcmp(e->key, key) == 0)
            return p;
        p = &e->next;
    }
    return p;
}

int ratelimit_blocked(ratelimit_t *rl, const char *key, uint64_t now_ms, int *retry_after_s)
{
    uint32_t h = hash_str(key);
    struct rl_entry **p = lookup(rl, key, h, now_ms);
    if (*p == NULL || (*p)->count < rl->limit)
        return 0;
    uint64_t left = (*p)->window_start + rl->window_ms - now_ms;
    *retry_after_s = (int)((left + 999) / 1000);
    return 1;
}

static void evict_one(ratelimit_t *rl)
{
    struct rl_entry **victim = NULL;
    for (size_t i = 0; i < rl->nbuckets; i++)
        for (struct rl_entry **p = &rl->buckets[i]; *p; p = &(*p)->next)
            if (victim == NULL || (*p)->window_start < (*victim)->window_start)
                victim = p;
    if (victim) {
        struct rl_entry *e = *victim;
        *victim = e->next;
        free_entry(e);
        rl->size--;
    }
}

void ratelimit_hit(ratelimit_t *rl, const char *key, uint64_t now_ms)
{
    uint32_t h = hash_str(key);
    struct rl_entry **p = lookup(rl, key, h, now_ms);
    if (*p) {
        (*p)->count++;
        return;
    }
    if (rl->size >= rl->max_keys) {
        evict_one(rl);
        p = lookup(rl, key, h, now_ms);
    }
    struct rl_entry *e = xcalloc(1, sizeof *e);
    e->key = xstrdup(key);
    e->hash = h;
    e->count = 1;
    e->window_start = now_ms;
    *p = e;
    rl->size++;
}

void ratelimit_forget(ratelimit_t *rl, const char *key)
{
    uint32_t h = hash_str(key);
    struct rl_entry **p = &rl->buckets[h % rl->nbuckets];
    for (; *p; p = &(*p)->next) {
        if ((*p)->hash == h && strcmp((*p)->key, key) == 0) {
            struct rl_entry *e = *p;
            *p = e->next;
            free_entry(e);
            rl->size--;
            return;
        }
    }
}

size_t ratelimit_size(const ratelimit_t *rl)
{
    return rl->size;
}
