/*
 * A string → int32 map with open addressing (linear probing), used to
 * intern node ids, SKU ids and pipeline order ids. Keys are not copied:
 * the caller keeps them alive (the twin keeps them in its string arena).
 * Owner: the embedding struct (_init/_release).
 */
#ifndef OMNITWIN_STRMAP_H
#define OMNITWIN_STRMAP_H

#include "omnitwin/common.h"

typedef struct {
    uint64_t hash;
    const char *key;   /* NULL: empty slot */
    uint32_t len;
    int32_t value;
} ot_strmap_slot;

typedef struct {
    ot_strmap_slot *slots;
    size_t cap;        /* power of two, or 0 */
    size_t count;
} ot_strmap;

void ot_strmap_init(ot_strmap *map);
void ot_strmap_release(ot_strmap *map);
/* The value for key, or -1. */
int32_t ot_strmap_get(const ot_strmap *map, const char *key, size_t len);
/* Inserts key → value; the key must not be present. OT_ERR_NOMEM on failure
 * (map unchanged). */
ot_err ot_strmap_put(ot_strmap *map, const char *key, size_t len, int32_t value);

#endif
