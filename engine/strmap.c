/* String → int32 map (engine/strmap.h). */
#include <string.h>

#include "strmap.h"

static uint64_t key_hash(const char *key, size_t len) { return ot_hash_bytes(key, len, 0x51); }

void ot_strmap_init(ot_strmap *map) { memset(map, 0, sizeof *map); }

void ot_strmap_release(ot_strmap *map)
{
    ot_free(map->slots);
    memset(map, 0, sizeof *map);
}

int32_t ot_strmap_get(const ot_strmap *map, const char *key, size_t len)
{
    if (!map->cap)
        return -1;
    uint64_t h = key_hash(key, len);
    size_t mask = map->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        const ot_strmap_slot *s = &map->slots[i];
        if (!s->key)
            return -1;
        if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
            return s->value;
    }
}

static void place(ot_strmap_slot *slots, size_t cap, const ot_strmap_slot *entry)
{
    size_t mask = cap - 1;
    size_t i = entry->hash & mask;
    while (slots[i].key)
        i = (i + 1) & mask;
    slots[i] = *entry;
}

ot_err ot_strmap_put(ot_strmap *map, const char *key, size_t len, int32_t value)
{
    if ((map->count + 1) * 2 > map->cap) {
        size_t cap = map->cap ? map->cap * 2 : 64;
        ot_strmap_slot *slots = ot_calloc(cap, sizeof *slots);
        if (!slots)
            return OT_ERR_NOMEM;
        for (size_t i = 0; i < map->cap; i++)
            if (map->slots[i].key)
                place(slots, cap, &map->slots[i]);
        ot_free(map->slots);
        map->slots = slots;
        map->cap = cap;
    }
    ot_strmap_slot entry = {key_hash(key, len), key, (uint32_t)len, value};
    place(map->slots, map->cap, &entry);
    map->count++;
    return OT_OK;
}
