/*
 * Writes a plan's instance as GNU MathProg data for tests/gmpl/plan.mod, so
 * that glpsol can solve the same model independently (the cross-check and
 * the benchmark against glpsol). Lead times are the lanes' own: instances
 * with disruption feeds are not comparable.
 * Returns OT_ERR_IO with the reason in diag when the file cannot be written.
 */
#ifndef OMNITWIN_GMPL_DAT_H
#define OMNITWIN_GMPL_DAT_H

#include "omnitwin/plan.h"

ot_err ot_gmpl_write_dat(const char *path, const ot_plan *plan, ot_diag *diag);

#endif
