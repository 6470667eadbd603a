/* OUT/kpis.csv of `omnitwin replay` (adapters/csv/kpis_csv.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "csv/kpis_csv.h"

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
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp) {
        ot_diag_report(diag, OT_DIAG_ERROR, path, 0, "path too long");
        return OT_ERR_IO;
    }
    FILE *f = fopen(tmp, "w");
    if (!f) {
        ot_diag_report(diag, OT_DIAG_ERROR, tmp, 0, "cannot write: %s", strerror(errno));
        return OT_ERR_IO;
    }
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
    bool ok = !ferror(f);
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        ot_diag_report(diag, OT_DIAG_ERROR, path, 0, "cannot write: %s", strerror(errno));
        remove(tmp);
        return OT_ERR_IO;
    }
    return OT_OK;
}
