/* Checkpoints: twin snapshot and partition offsets in one atomic file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state/checkpoint.h"
#include "text.h"

static const char magic[8] = {'O', 'T', 'C', 'K', 'P', 'T', '1', '\n'};
#define HASH_SEED 0x636b7074u

/* ---- The meta ------------------------------------------------------------ */

void ot_checkpoint_meta_init(ot_checkpoint_meta *meta)
{
    memset(meta, 0, sizeof *meta);
}

void ot_checkpoint_meta_release(ot_checkpoint_meta *meta)
{
    if (!meta)
        return;
    for (size_t i = 0; i < meta->count; i++)
        ot_free(meta->offsets[i].topic);
    ot_free(meta->offsets);
    ot_checkpoint_meta_init(meta);
}

long ot_checkpoint_meta_find(const ot_checkpoint_meta *meta, const char *topic,
                             int32_t partition)
{
    for (size_t i = 0; i < meta->count; i++)
        if (meta->offsets[i].partition == partition && strcmp(meta->offsets[i].topic, topic) == 0)
            return (long)i;
    return -1;
}

ot_err ot_checkpoint_meta_set(ot_checkpoint_meta *meta, const char *topic,
                              int32_t partition, int64_t next_offset, long *ix)
{
    long at = ot_checkpoint_meta_find(meta, topic, partition);
    if (at < 0) {
        size_t len = strlen(topic);
        if (len == 0 || len > OT_CHECKPOINT_TOPIC_MAX || meta->count >= OT_CHECKPOINT_OFFSETS_MAX)
            return OT_ERR_LIMIT;
        if (meta->count == meta->cap) {
            size_t cap = meta->cap ? meta->cap * 2 : 16;
            ot_checkpoint_offset *grown = ot_reallocarray(meta->offsets, cap, sizeof *grown);
            if (!grown)
                return OT_ERR_NOMEM;
            meta->offsets = grown;
            meta->cap = cap;
        }
        char *copy = ot_strndup(topic, len);
        if (!copy)
            return OT_ERR_NOMEM;
        at = (long)meta->count++;
        meta->offsets[at].topic = copy;
        meta->offsets[at].partition = partition;
    }
    meta->offsets[at].next_offset = next_offset;
    if (ix)
        *ix = at;
    return OT_OK;
}

/* ---- Encoding into memory -------------------------------------------------- */

typedef struct {
    unsigned char *data;
    size_t len, cap;
    bool failed;
} buf;

static int buf_put(void *ctx, const void *data, size_t len)
{
    buf *b = ctx;
    if (b->failed)
        return -1;
    if (len > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 4096;
        while (len > cap - b->len) {
            if (cap > SIZE_MAX / 2) {
                b->failed = true;
                return -1;
            }
            cap *= 2;
        }
        unsigned char *grown = ot_realloc(b->data, cap);
        if (!grown) {
            b->failed = true;
            return -1;
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return 0;
}

static void put_u64(buf *b, uint64_t v)
{
    unsigned char le[8];
    for (int i = 0; i < 8; i++)
        le[i] = (unsigned char)(v >> (8 * i));
    buf_put(b, le, 8);
}

static void put_u32(buf *b, uint32_t v)
{
    unsigned char le[4];
    for (int i = 0; i < 4; i++)
        le[i] = (unsigned char)(v >> (8 * i));
    buf_put(b, le, 4);
}

static void put_str(buf *b, const char *s)
{
    size_t len = strlen(s);
    unsigned char le[2] = {(unsigned char)len, (unsigned char)(len >> 8)};
    buf_put(b, le, 2);
    buf_put(b, s, len);
}

static ot_err encode(const ot_twin *twin, const ot_checkpoint_meta *meta, buf *b)
{
    buf_put(b, magic, sizeof magic);
    size_t meta_at = b->len;
    put_u32(b, 0); /* patched below */
    put_u64(b, meta->events);
    put_str(b, meta->last_plan_id);
    put_u32(b, (uint32_t)meta->count);
    for (size_t i = 0; i < meta->count; i++) {
        put_str(b, meta->offsets[i].topic);
        put_u32(b, (uint32_t)meta->offsets[i].partition);
        put_u64(b, (uint64_t)meta->offsets[i].next_offset);
    }
    if (b->failed)
        return OT_ERR_NOMEM;
    uint32_t meta_len = (uint32_t)(b->len - meta_at - 4);
    for (int i = 0; i < 4; i++)
        b->data[meta_at + i] = (unsigned char)(meta_len >> (8 * i));
    size_t snap_at = b->len;
    put_u64(b, 0); /* patched below */
    ot_err err = ot_twin_snapshot(twin, buf_put, b);
    if (b->failed)
        return OT_ERR_NOMEM;
    if (err)
        return err;
    uint64_t snap_len = b->len - snap_at - 8;
    for (int i = 0; i < 8; i++)
        b->data[snap_at + i] = (unsigned char)(snap_len >> (8 * i));
    put_u64(b, ot_hash_bytes(b->data, b->len, HASH_SEED));
    return b->failed ? OT_ERR_NOMEM : OT_OK;
}

/* ---- Writing atomically ---------------------------------------------------- */

static ot_err io_fail(char *why, size_t why_size, const char *what, const char *path)
{
    ot_text_format(why, why_size, "%s: %s (%s)", path, what, strerror(errno));
    return OT_ERR_IO;
}

static bool write_all(int fd, const unsigned char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len > (1u << 30) ? (1u << 30) : len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += n;
        len -= (size_t)n;
    }
    return true;
}

ot_err ot_checkpoint_write(const char *dir, const ot_twin *twin,
                           const ot_checkpoint_meta *meta, char *why, size_t why_size)
{
    char path[4096], tmp[4096];
    if (ot_text_format(path, sizeof path, "%s/%s", dir, OT_CHECKPOINT_FILE) + 1 >= sizeof path ||
        ot_text_format(tmp, sizeof tmp, "%s.tmp", path) + 1 >= sizeof tmp) {
        ot_text_format(why, why_size, "%s: state directory path too long (expected under 4000 bytes)", dir);
        return OT_ERR_IO;
    }
    buf b = {0};
    ot_err err = encode(twin, meta, &b);
    if (err) {
        ot_free(b.data);
        ot_text_format(why, why_size, "%s: cannot encode the checkpoint (%s)", path, ot_err_str(err));
        return err;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        err = io_fail(why, why_size, "cannot create", tmp);
        ot_free(b.data);
        return err;
    }
    bool ok = write_all(fd, b.data, b.len);
    ot_free(b.data);
    if (!ok || fsync(fd) != 0) {
        err = io_fail(why, why_size, "cannot write", tmp);
        close(fd);
        unlink(tmp);
        return err;
    }
    if (close(fd) != 0) {
        err = io_fail(why, why_size, "cannot close", tmp);
        unlink(tmp);
        return err;
    }
    if (rename(tmp, path) != 0) {
        err = io_fail(why, why_size, "cannot rename the new checkpoint into place", path);
        unlink(tmp);
        return err;
    }
    /* The rename is durable only once the directory entry is. */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return io_fail(why, why_size, "cannot open the state directory to sync it", dir);
    if (fsync(dfd) != 0) {
        err = io_fail(why, why_size, "cannot sync the state directory", dir);
        close(dfd);
        return err;
    }
    close(dfd);
    return OT_OK;
}

/* ---- Reading ---------------------------------------------------------------- */

typedef struct {
    const unsigned char *p;
    size_t len, at;
    bool bad;
} reader;

static uint64_t get_le(reader *r, int bytes)
{
    if (r->bad || r->len - r->at < (size_t)bytes) {
        r->bad = true;
        return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)r->p[r->at + i] << (8 * i);
    r->at += (size_t)bytes;
    return v;
}

/* A length-prefixed string copied into out (out_size bytes, NUL added). */
static bool get_str(reader *r, char *out, size_t out_size)
{
    size_t len = (size_t)get_le(r, 2);
    if (r->bad || len >= out_size || r->len - r->at < len || memchr(r->p + r->at, 0, len)) {
        r->bad = true;
        return false;
    }
    memcpy(out, r->p + r->at, len);
    out[len] = '\0';
    r->at += len;
    return true;
}

static ot_err decode(const unsigned char *data, size_t len, ot_twin **twin,
                     ot_checkpoint_meta *meta, const char **what)
{
    *what = "shorter than its header";
    if (len < sizeof magic + 4 + 8 + 8)
        return OT_ERR_INPUT;
    *what = "not an omnitwin checkpoint (bad magic bytes)";
    if (memcmp(data, magic, sizeof magic) != 0)
        return OT_ERR_INPUT;
    uint64_t stored = 0;
    for (int i = 0; i < 8; i++)
        stored |= (uint64_t)data[len - 8 + i] << (8 * i);
    *what = "checksum mismatch (truncated or damaged)";
    if (stored != ot_hash_bytes(data, len - 8, HASH_SEED))
        return OT_ERR_INPUT;

    reader r = {data, len - 8, sizeof magic, false};
    size_t meta_len = (size_t)get_le(&r, 4);
    size_t meta_end = r.at + meta_len;
    *what = "bad meta section";
    if (r.bad || meta_len > r.len - r.at)
        return OT_ERR_INPUT;
    meta->events = get_le(&r, 8);
    get_str(&r, meta->last_plan_id, sizeof meta->last_plan_id);
    uint32_t count = (uint32_t)get_le(&r, 4);
    if (r.bad || count > OT_CHECKPOINT_OFFSETS_MAX)
        return OT_ERR_INPUT;
    for (uint32_t i = 0; i < count; i++) {
        char topic[OT_CHECKPOINT_TOPIC_MAX + 1];
        get_str(&r, topic, sizeof topic);
        int32_t partition = (int32_t)(uint32_t)get_le(&r, 4);
        int64_t offset = (int64_t)get_le(&r, 8);
        if (r.bad || partition < 0 || offset < 0 || !topic[0])
            return OT_ERR_INPUT;
        ot_err err = ot_checkpoint_meta_set(meta, topic, partition, offset, NULL);
        if (err)
            return err;
    }
    if (r.at != meta_end)
        return OT_ERR_INPUT;
    uint64_t snap_len = get_le(&r, 8);
    *what = "bad twin snapshot section";
    if (r.bad || snap_len != r.len - r.at)
        return OT_ERR_INPUT;
    ot_err err = ot_twin_restore(r.p + r.at, (size_t)snap_len, twin);
    *what = "the twin snapshot does not restore";
    return err;
}

ot_err ot_checkpoint_read(const char *dir, ot_twin **twin, ot_checkpoint_meta *meta,
                          char *why, size_t why_size)
{
    char path[4096];
    *twin = NULL;
    ot_checkpoint_meta_init(meta);
    if (ot_text_format(path, sizeof path, "%s/%s", dir, OT_CHECKPOINT_FILE) + 1 >= sizeof path) {
        ot_text_format(why, why_size, "%s: state directory path too long (expected under 4000 bytes)", dir);
        return OT_ERR_IO;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) {
            ot_text_format(why, why_size, "%s: no checkpoint yet", path);
            return OT_ERR_NOT_FOUND;
        }
        return io_fail(why, why_size, "cannot open", path);
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        ot_err err = io_fail(why, why_size, "cannot stat", path);
        close(fd);
        return err;
    }
    if ((uint64_t)st.st_size > OT_CHECKPOINT_MAX_BYTES) {
        close(fd);
        ot_text_format(why, why_size, "%s: %lld bytes is larger than a checkpoint may be (at most %llu)",
                       path, (long long)st.st_size, (unsigned long long)OT_CHECKPOINT_MAX_BYTES);
        return OT_ERR_INPUT;
    }
    size_t len = (size_t)st.st_size;
    unsigned char *data = ot_malloc(len ? len : 1);
    if (!data) {
        close(fd);
        ot_text_format(why, why_size, "%s: out of memory reading %zu bytes", path, len);
        return OT_ERR_NOMEM;
    }
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, data + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    int read_errno = errno;
    close(fd);
    if (got != len) {
        ot_free(data);
        errno = read_errno;
        return io_fail(why, why_size, "cannot read", path);
    }
    const char *what = NULL;
    ot_err err = decode(data, len, twin, meta, &what);
    ot_free(data);
    if (err) {
        ot_checkpoint_meta_release(meta);
        if (*twin) {
            ot_twin_free(*twin);
            *twin = NULL;
        }
        ot_text_format(why, why_size, "%s: corrupt checkpoint: %s (expected a file written by "
                       "omnitwin stream; move it away to rebuild from the topics)", path, what);
        return err == OT_ERR_NOMEM ? err : OT_ERR_INPUT;
    }
    return OT_OK;
}

ot_err ot_checkpoint_lock(const char *dir, int *fd, char *why, size_t why_size)
{
    char path[4096];
    *fd = -1;
    if (ot_text_format(path, sizeof path, "%s/lock", dir) + 1 >= sizeof path) {
        ot_text_format(why, why_size, "%s: state directory path too long (expected under 4000 bytes)", dir);
        return OT_ERR_IO;
    }
    int lfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lfd < 0)
        return io_fail(why, why_size, "cannot open the lock file", path);
    if (flock(lfd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(lfd);
        if (e == EWOULDBLOCK) {
            ot_text_format(why, why_size, "%s: another omnitwin stream uses this state directory "
                           "(expected one process per --state DIR)", dir);
            return OT_ERR_USAGE;
        }
        errno = e;
        return io_fail(why, why_size, "cannot lock", path);
    }
    *fd = lfd;
    return OT_OK;
}
