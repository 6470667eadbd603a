/*
 * OUT/replay.html of `omnitwin replay` (CONTRACT §7, docs/REPLAY.md): one
 * self-contained file (inline CSS and SVG, no script, no network) with the
 * KPI table of the three scenarios side by side, what the disruption cost
 * (unforeseen minus baseline) and what foresight saved (unforeseen minus
 * foreseen), and per day the fill rate, lost units and end-of-day stock of
 * every scenario as line charts.
 * `title` names the run (e.g. the network directory), escaped on output.
 * Written as PATH.tmp and renamed when complete; OT_ERR_IO in diag when it
 * cannot be written.
 */
#ifndef OMNITWIN_REPLAY_HTML_H
#define OMNITWIN_REPLAY_HTML_H

#include "omnitwin/replay.h"

ot_err ot_report_replay_html_write(const char *path, const ot_replay *r, const char *title,
                                   ot_diag *diag);

#endif
