/*
 * OUT/replay.html of `omnitwin replay` (CONTRACT §7, docs/REPLAY.md): one
 * self-contained file (inline CSS and SVG, no script, no network) with the
 * KPI table of the three scenarios side by side, what the disruption cost
 * (unforeseen minus baseline) and what foresight saved (unforeseen minus
 * foreseen), and per day the fill rate, lost units and end-of-day stock of
 * every scenario as line charts, and the nodes where most demand was lost
 * (at most OT_REPLAY_HTML_MAX_NODES, named from `twin`, the replayed
 * network), and the disruption records active in the window (feed may be
 * NULL; at most OT_REPLAY_HTML_MAX_RECORDS listed). `title` names the run
 * (e.g. the network directory), escaped.
 * Written as PATH.tmp and renamed when complete; OT_ERR_IO in diag when it
 * cannot be written.
 */
#ifndef OMNITWIN_REPLAY_HTML_H
#define OMNITWIN_REPLAY_HTML_H

#include "omnitwin/replay.h"

#define OT_REPLAY_HTML_MAX_NODES 12
#define OT_REPLAY_HTML_MAX_RECORDS 50

ot_err ot_report_replay_html_write(const char *path, const ot_replay *r, const ot_twin *twin,
                                   const ot_disruption_set *feed, const char *title,
                                   ot_diag *diag);

#endif
