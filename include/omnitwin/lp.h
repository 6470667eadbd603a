/*
 * A solver-neutral linear program, built in engine memory, and the interface
 * through which the engine asks an adapter (adapters/lp/, GLPK) to solve it.
 *
 *   minimise   obj_const + sum_j obj[j] * x[j]
 *   subject to row_lo[i] <= sum_j a[i,j] * x[j] <= row_hi[i]
 *              col_lo[j] <= x[j] <= col_hi[j]   (x[j] integer when col_int[j])
 *
 * Infinite bounds are -INFINITY / INFINITY. Coefficients are triplets
 * (row, col, val), 0-based, each (row, col) at most once.
 *
 * Owner: an ot_lp is embedded by its user: ot_lp_init, then ot_lp_release.
 * ot_lp_clear empties it and keeps its memory for the next model (a worker
 * builds one LP after another without allocating).
 */
#ifndef OMNITWIN_LP_H
#define OMNITWIN_LP_H

#include "omnitwin/common.h"

typedef struct {
    size_t rows, cols, nnz;
    size_t row_cap, col_cap, nnz_cap;
    double *row_lo, *row_hi;          /* [rows] */
    double *col_lo, *col_hi, *obj;    /* [cols] */
    bool *col_int;                    /* [cols] */
    int32_t *a_row, *a_col;           /* [nnz] */
    double *a_val;                    /* [nnz] */
    double obj_const;
    bool has_int;                     /* some col_int[j] is true */
    /* Equal structure ids promise an identical coefficient matrix and
     * integrality (bounds and costs may differ): a solver may then re-solve
     * from the previous optimal basis. 0 means "unknown, do not reuse". */
    uint64_t structure;
    /* The builder expects more LPs of this structure to follow (a chain of
     * SKUs): a solver should prefer a method that leaves a basis to reuse. */
    bool reuse_expected;
} ot_lp;

void ot_lp_init(ot_lp *lp);
void ot_lp_release(ot_lp *lp);
void ot_lp_clear(ot_lp *lp);

/* Adds a column or a row and returns its index, or -1 when out of memory
 * (the LP is then unusable until cleared). */
int32_t ot_lp_add_col(ot_lp *lp, double lo, double hi, double cost);
int32_t ot_lp_add_row(ot_lp *lp, double lo, double hi);
/* Adds a coefficient; false when out of memory. */
bool ot_lp_add_coef(ot_lp *lp, int32_t row, int32_t col, double val);
/* Computes lp->structure from the matrix and integrality. */
void ot_lp_seal(ot_lp *lp);

/* Checks sizes, finite coefficients and costs, lo <= hi, no NaN, indexes in
 * range; writes the first problem into why. */
ot_err ot_lp_check(const ot_lp *lp, char *why, size_t why_size);

/* ---- Solving ------------------------------------------------------------ */

typedef enum {
    OT_LP_OPTIMAL = 0,
    OT_LP_INFEASIBLE,      /* no point satisfies the constraints */
    OT_LP_UNBOUNDED,       /* the objective decreases without limit */
    OT_LP_FAILED           /* the solver gave up (numerics, limits) */
} ot_lp_status;
const char *ot_lp_status_name(ot_lp_status status);

typedef struct {
    ot_lp_status status;
    double objective;      /* including obj_const */
    double relaxed;        /* the LP relaxation's objective (= objective
                              when nothing is integer) */
    double *x;             /* [cols], owned by the caller, filled when optimal */
    bool warm;             /* re-solved from a previous basis */
    bool integer;          /* solved as a MIP (branch and bound) */
    const char *method;    /* "dual simplex", "interior point", ... (static) */
} ot_lp_result;

/* What the engine needs from an LP adapter. `solve` must be callable from
 * `workers` threads at once, each with its own worker number; `parallel_for`
 * runs fn(arg, i, worker) for i = 0..n-1 over the workers and returns when
 * all are done (a serial loop is a valid implementation). */
typedef struct {
    void *ctx;
    int workers;           /* >= 1 */
    ot_err (*solve)(void *ctx, int worker, const ot_lp *lp, ot_lp_result *res,
                    char *why, size_t why_size);
    void (*parallel_for)(void *ctx, size_t n,
                         void (*fn)(void *arg, size_t i, int worker), void *arg);
} ot_lp_solver;

#endif
