/* OUT/kpis.csv of `omnitwin replay` (adapters/csv/kpis_csv.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "csv/kpis_csv.h"
#include "os/out_file.h"

void ot_csv_kpi_value(size_t m, double value, char *buf, size_t size)
{
    static const int decimals[OT_REPLAY_METRICS] = {6, 0, 2, 2, 0, 0};
    int dec = m < OT_REPLAY_METRICS ? decimals[m] : 6;
    if (dec == 0 && value == 0)
        value = 0; /* no "-0" */
    snprintf(buf, size, "%.*f", dec, value);
}

ot_err ot_csv_write_kpis(const char *path, const ot_replay *r, ot_diag *diag)
{
    ot_out_file out;
    ot_err err = ot_out_file_open(&out, path, diag);
    if (err != OT_OK)
        return err;
    FILE *f = out.f;
    fputs("scenario,metric,value\n", f);
    for (int sc = 0; sc < OT_REPLAY_SCENARIOS; sc++) {
        const ot_replay_kpis *k = ot_replay_get_kpis(r, (ot_replay_scenario)sc);
        for (size_t m = 0; m < OT_REPLAY_METRICS; m++) {
            char v[64];
            ot_csv_kpi_value(m, ot_replay_metric(k, m), v, sizeof v);
            fprintf(f, "%s,%s,%s\n", ot_replay_scenario_name((ot_replay_scenario)sc),
                    ot_replay_metric_name(m), v);
        }
    }
    return ot_out_file_close(&out, true, diag);
}
