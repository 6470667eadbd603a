/* Allocation wrappers and the per-run arena (include/omnitwin/common.h). */
#include <stdlib.h>
#include <string.h>

#include "omnitwin/common.h"

void *ot_malloc(size_t size) { return malloc(size ? size : 1); }

void *ot_calloc(size_t count, size_t size)
{
    return calloc(count ? count : 1, size ? size : 1);
}

void *ot_realloc(void *ptr, size_t size) { return realloc(ptr, size ? size : 1); }

void *ot_reallocarray(void *ptr, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    return ot_realloc(ptr, count * size);
}

void ot_free(void *ptr) { free(ptr); }

char *ot_strndup(const char *s, size_t len)
{
    char *copy = ot_malloc(len + 1);
    if (copy) {
        if (len)
            memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

typedef struct arena_block {
    struct arena_block *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
} arena_block;

struct ot_arena {
    arena_block *head;
    size_t block_size;
    size_t bytes;
};

ot_arena *ot_arena_new(size_t block_size)
{
    ot_arena *a = ot_calloc(1, sizeof *a);
    if (a)
        a->block_size = block_size ? block_size : 1 << 20;
    return a;
}

void ot_arena_free(ot_arena *arena)
{
    if (!arena)
        return;
    for (arena_block *b = arena->head, *next; b; b = next) {
        next = b->next;
        ot_free(b);
    }
    ot_free(arena);
}

void *ot_arena_alloc(ot_arena *arena, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    arena_block *b = arena->head;
    if (!b || b->size - b->used < size) {
        size_t want = size > arena->block_size ? size : arena->block_size;
        b = ot_malloc(sizeof *b + want);
        if (!b)
            return NULL;
        b->used = 0;
        b->size = want;
        b->next = arena->head;
        arena->head = b;
        arena->bytes += sizeof *b + want;
    }
    void *p = b->data + b->used;
    b->used += size;
    return p;
}

char *ot_arena_strndup(ot_arena *arena, const char *s, size_t len)
{
    char *copy = ot_arena_alloc(arena, len + 1);
    if (copy) {
        if (len)
            memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

size_t ot_arena_bytes(const ot_arena *arena) { return arena ? arena->bytes : 0; }
