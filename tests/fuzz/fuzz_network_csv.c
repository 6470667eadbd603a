/*
 * libFuzzer harness: a whole network directory. The input is cut at NUL
 * bytes into nodes.csv, skus.csv, routes.csv, inventory.csv, history.csv,
 * pipeline.csv and policy.csv (in that order; missing parts are absent
 * files), written to a private temporary directory and loaded.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv/network_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {"nodes.csv",   "skus.csv",     "routes.csv", "inventory.csv",
                                    "history.csv", "pipeline.csv", "policy.csv"};
static char dir[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/omnitwin-fuzz-XXXXXX");
        if (!mkdtemp(dir))
            abort();
    }
    size_t start = 0, part = 0;
    char path[128];
    for (; part < sizeof names / sizeof names[0]; part++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[part]);
        if (start > size) {
            unlink(path);
            continue;
        }
        const uint8_t *end = memchr(data + start, 0, size - start);
        size_t len = end ? (size_t)(end - (data + start)) : size - start;
        FILE *f = fopen(path, "wb");
        if (!f)
            abort();
        fwrite(data + start, 1, len, f);
        fclose(f);
        start += len + 1;
    }
    ot_diag *diag = ot_diag_new(20);
    ot_twin *twin = NULL;
    ot_csv_load_network(dir, diag, &twin, NULL);
    ot_twin_free(twin);
    ot_diag_free(diag);
    return 0;
}
