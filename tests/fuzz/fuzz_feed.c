/*
 * libFuzzer harness: one disruption feed (any dialect) read by
 * ot_xml_parse_disruptions with every safety check, then, when it reads
 * cleanly, resolved against the disruption test network with the test
 * effects table. Build and run: make fuzz (scripts/fuzz.sh), from the
 * project root (OMNITWIN_SCHEMA_DIR points at data/schemas).
 */
#include <stdint.h>
#include <stdlib.h>

#include "csv/effects_csv.h"
#include "csv/network_csv.h"
#include "xml/disruption_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ot_twin *twin;
static ot_effects *effects;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!twin) {
        ot_diag *diag = ot_diag_new(10);
        if (ot_csv_load_network("tests/data/disruptions/net", diag, &twin, NULL) != OT_OK ||
            ot_csv_load_effects("tests/data/disruptions/effects.csv", diag, &effects) != OT_OK)
            abort(); /* run from the project root */
        ot_diag_free(diag);
    }
    ot_diag *diag = ot_diag_new(20);
    ot_disruption_set *set = ot_disruption_set_new();
    if (!diag || !set)
        abort();
    if (ot_xml_parse_disruptions((const char *)data, size, "fuzz.xml", set, diag) == OT_OK) {
        /* 2026-01-01 .. 2026-01-14 */
        ot_resolve_options opts = {20454, 14, INT32_MAX};
        ot_factors *f = NULL;
        if (ot_disruption_resolve(set, twin, effects, &opts, diag, &f, NULL) == OT_OK) {
            for (ot_lane_ix l = 0; l < (ot_lane_ix)ot_twin_lane_count(twin); l++)
                (void)ot_factors_lead_time_days(f, l, 20454 + 3);
            ot_factors_free(f);
        }
    }
    /* Every message must be a proper string. */
    for (size_t i = 0; i < ot_diag_count(diag); i++)
        if (!ot_diag_get(diag, i)->message)
            abort();
    ot_disruption_set_free(set);
    ot_diag_free(diag);
    return 0;
}
