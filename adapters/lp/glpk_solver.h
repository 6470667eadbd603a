/*
 * The GLPK adapter: solves ot_lp models (include/omnitwin/lp.h) with GLPK
 * and runs the engine's parallel loops on threads.
 *
 * - Every argument is validated before a glp_* call (GLPK aborts the
 *   process on bad ones); terminal output is off in every thread.
 * - Method by size: dual simplex with presolve when solving cold; interior
 *   point (falling back to the simplex when it does not end optimal) for
 *   cold LPs above OT_GLPK_INTERIOR_ROWS rows, or above
 *   OT_GLPK_INTERIOR_ONCE_ROWS when no LP of the same structure is expected
 *   (interior point leaves no basis to warm-start from); an LP whose structure id equals
 *   the previous one of the same worker is re-solved from that optimal basis
 *   (bounds and costs replaced, presolve off).
 * - Integer columns: the LP relaxation first, then glp_intopt (presolve off)
 *   to a relative gap of OT_GLPK_MIP_GAP with a time limit (1 s by default);
 *   a feasible incumbent at the limit counts as solved.
 * - Threads: glp_config("TLS") non-NULL means one GLPK environment per
 *   thread; otherwise one worker. Worker 0 is the calling thread; the others
 *   are started for each parallel loop, each with its own problem object,
 *   and free their environment (glp_free_env) before they end. Items are
 *   split in contiguous chunks, so the same inputs and thread count give
 *   the same plan.
 */
#ifndef OMNITWIN_GLPK_SOLVER_H
#define OMNITWIN_GLPK_SOLVER_H

#include "omnitwin/lp.h"

#define OT_GLPK_INTERIOR_ROWS 50000
#define OT_GLPK_INTERIOR_ONCE_ROWS 2000
#define OT_GLPK_MIP_GAP 0.005
#define OT_GLPK_MAX_THREADS 64

typedef struct ot_glpk ot_glpk;

/* threads: wanted workers (1..OT_GLPK_MAX_THREADS; 0 = 2). NULL when out of
 * memory. Owner: the caller, ot_glpk_free (on the thread that created it). */
ot_glpk *ot_glpk_new(int threads);
void ot_glpk_free(ot_glpk *g);

/* Fills *out with this adapter's solve and parallel_for. */
void ot_glpk_solver(ot_glpk *g, ot_lp_solver *out);

/* Workers actually used (1 when GLPK is not thread-safe). */
int ot_glpk_workers(const ot_glpk *g);

/* MIP time limit per LP, milliseconds (default 1000). */
void ot_glpk_set_mip_time_limit(ot_glpk *g, int ms);

#endif
