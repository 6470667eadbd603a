/*
 * libFuzzer harness: one event record (a Kafka message value in CSV form)
 * split by ot_csv_split_event, parsed by ot_event_parse against the tiny
 * network and applied to it. Build and run: make fuzz (scripts/fuzz.sh).
 */
#include <stdint.h>
#include <stdlib.h>

#include "csv/network_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ot_twin *twin;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!twin) {
        ot_diag *diag = ot_diag_new(10);
        if (ot_csv_load_network("tests/data/tiny", diag, &twin, NULL) != OT_OK)
            abort(); /* run from the project root */
        ot_diag_free(diag);
    }
    ot_event_record rec;
    char why[256];
    if (ot_csv_split_event((const char *)data, size, &rec, why, sizeof why) != OT_OK)
        return 0;
    ot_event e;
    if (ot_event_parse(twin, &rec.fields, &e, why, sizeof why) != OT_OK)
        return 0;
    ot_apply_outcome outcome;
    ot_twin_apply_event(twin, &e, &outcome, why, sizeof why);
    return 0;
}
