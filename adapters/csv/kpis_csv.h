/*
 * OUT/kpis.csv of `omnitwin replay` (CONTRACT §7, docs/REPLAY.md):
 *   scenario,metric,value
 * one row per scenario (baseline, unforeseen, foreseen) and metric
 * (fill_rate, lost_units, transport_cost, holding_cost, late_shipments,
 * stockout_days), in that order. Values have a fixed number of decimals
 * (ot_csv_kpi_value) so that the same replay gives the same bytes.
 * Written as PATH.tmp and renamed onto PATH when complete; OT_ERR_IO with
 * the reason in diag when it cannot be written.
 */
#ifndef OMNITWIN_KPIS_CSV_H
#define OMNITWIN_KPIS_CSV_H

#include <stddef.h>

#include "omnitwin/replay.h"

ot_err ot_csv_write_kpis(const char *path, const ot_replay *r, ot_diag *diag);

/* Formats metric m's value as kpis.csv writes it: fill_rate with 6
 * decimals, costs with 2, units and counts as whole numbers. */
void ot_csv_kpi_value(size_t m, double value, char *buf, size_t size);

#endif
