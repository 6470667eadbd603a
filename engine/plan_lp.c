/* The solver-neutral LP description (include/omnitwin/lp.h). */
#include <math.h>
#include <string.h>

#include "omnitwin/lp.h"
#include "text.h"

void ot_lp_init(ot_lp *lp) { memset(lp, 0, sizeof *lp); }

void ot_lp_release(ot_lp *lp)
{
    if (!lp)
        return;
    ot_free(lp->row_lo);
    ot_free(lp->row_hi);
    ot_free(lp->col_lo);
    ot_free(lp->col_hi);
    ot_free(lp->obj);
    ot_free(lp->col_int);
    ot_free(lp->a_row);
    ot_free(lp->a_col);
    ot_free(lp->a_val);
    ot_lp_init(lp);
}

void ot_lp_clear(ot_lp *lp)
{
    lp->rows = lp->cols = lp->nnz = 0;
    lp->obj_const = 0;
    lp->has_int = false;
    lp->structure = 0;
    lp->reuse_expected = false;
}

/* Grows *p (elements of size elem) to hold at least need; false when out of
 * memory (the old block stays valid). */
static bool grow(void **p, size_t need, size_t cap, size_t elem)
{
    void *q = ot_reallocarray(*p, cap, elem);
    if (!q)
        return false;
    *p = q;
    (void)need;
    return true;
}

static size_t next_cap(size_t cap) { return cap ? cap * 2 : 256; }

int32_t ot_lp_add_col(ot_lp *lp, double lo, double hi, double cost)
{
    if (lp->cols >= INT32_MAX - 1)
        return -1;
    if (lp->cols == lp->col_cap) {
        size_t cap = next_cap(lp->col_cap);
        if (!grow((void **)&lp->col_lo, lp->cols + 1, cap, sizeof(double)) ||
            !grow((void **)&lp->col_hi, lp->cols + 1, cap, sizeof(double)) ||
            !grow((void **)&lp->obj, lp->cols + 1, cap, sizeof(double)) ||
            !grow((void **)&lp->col_int, lp->cols + 1, cap, sizeof(bool)))
            return -1;
        lp->col_cap = cap;
    }
    size_t j = lp->cols++;
    lp->col_lo[j] = lo;
    lp->col_hi[j] = hi;
    lp->obj[j] = cost;
    lp->col_int[j] = false;
    return (int32_t)j;
}

int32_t ot_lp_add_row(ot_lp *lp, double lo, double hi)
{
    if (lp->rows >= INT32_MAX - 1)
        return -1;
    if (lp->rows == lp->row_cap) {
        size_t cap = next_cap(lp->row_cap);
        if (!grow((void **)&lp->row_lo, lp->rows + 1, cap, sizeof(double)) ||
            !grow((void **)&lp->row_hi, lp->rows + 1, cap, sizeof(double)))
            return -1;
        lp->row_cap = cap;
    }
    size_t i = lp->rows++;
    lp->row_lo[i] = lo;
    lp->row_hi[i] = hi;
    return (int32_t)i;
}

bool ot_lp_add_coef(ot_lp *lp, int32_t row, int32_t col, double val)
{
    if (lp->nnz >= (size_t)INT32_MAX - 1)
        return false;
    if (lp->nnz == lp->nnz_cap) {
        size_t cap = next_cap(lp->nnz_cap);
        if (!grow((void **)&lp->a_row, lp->nnz + 1, cap, sizeof(int32_t)) ||
            !grow((void **)&lp->a_col, lp->nnz + 1, cap, sizeof(int32_t)) ||
            !grow((void **)&lp->a_val, lp->nnz + 1, cap, sizeof(double)))
            return false;
        lp->nnz_cap = cap;
    }
    size_t k = lp->nnz++;
    lp->a_row[k] = row;
    lp->a_col[k] = col;
    lp->a_val[k] = val;
    return true;
}

void ot_lp_seal(ot_lp *lp)
{
    uint64_t h = ot_hash_bytes(&lp->rows, sizeof lp->rows, 0x9e3779b97f4a7c15ULL);
    h = ot_hash_bytes(&lp->cols, sizeof lp->cols, h);
    h = ot_hash_bytes(&lp->nnz, sizeof lp->nnz, h);
    if (lp->nnz) {
        h = ot_hash_bytes(lp->a_row, lp->nnz * sizeof *lp->a_row, h);
        h = ot_hash_bytes(lp->a_col, lp->nnz * sizeof *lp->a_col, h);
        h = ot_hash_bytes(lp->a_val, lp->nnz * sizeof *lp->a_val, h);
    }
    if (lp->cols)
        h = ot_hash_bytes(lp->col_int, lp->cols * sizeof *lp->col_int, h);
    lp->structure = h ? h : 1;
}

static bool bad_bounds(double lo, double hi)
{
    return isnan(lo) || isnan(hi) || lo > hi || lo == INFINITY || hi == -INFINITY;
}

ot_err ot_lp_check(const ot_lp *lp, char *why, size_t why_size)
{
    if (lp->rows > (size_t)INT32_MAX - 1 || lp->cols > (size_t)INT32_MAX - 1) {
        ot_text_format(why, why_size, "LP too large: %zu rows, %zu columns", lp->rows, lp->cols);
        return OT_ERR_LIMIT;
    }
    for (size_t i = 0; i < lp->rows; i++)
        if (bad_bounds(lp->row_lo[i], lp->row_hi[i])) {
            ot_text_format(why, why_size, "row %zu has bounds [%g, %g] (expected lo <= hi, no NaN)",
                           i, lp->row_lo[i], lp->row_hi[i]);
            return OT_ERR_INTERNAL;
        }
    for (size_t j = 0; j < lp->cols; j++) {
        if (bad_bounds(lp->col_lo[j], lp->col_hi[j])) {
            ot_text_format(why, why_size, "column %zu has bounds [%g, %g] (expected lo <= hi, no NaN)",
                           j, lp->col_lo[j], lp->col_hi[j]);
            return OT_ERR_INTERNAL;
        }
        if (!isfinite(lp->obj[j])) {
            ot_text_format(why, why_size, "column %zu has cost %g (expected a finite number)",
                           j, lp->obj[j]);
            return OT_ERR_INTERNAL;
        }
    }
    for (size_t k = 0; k < lp->nnz; k++) {
        if (lp->a_row[k] < 0 || (size_t)lp->a_row[k] >= lp->rows || lp->a_col[k] < 0 ||
            (size_t)lp->a_col[k] >= lp->cols || !isfinite(lp->a_val[k])) {
            ot_text_format(why, why_size, "coefficient %zu (row %d, column %d, value %g) is out of range",
                           k, (int)lp->a_row[k], (int)lp->a_col[k], lp->a_val[k]);
            return OT_ERR_INTERNAL;
        }
    }
    if (!isfinite(lp->obj_const)) {
        ot_text_format(why, why_size, "objective constant %g is not finite", lp->obj_const);
        return OT_ERR_INTERNAL;
    }
    return OT_OK;
}

const char *ot_lp_status_name(ot_lp_status status)
{
    switch (status) {
    case OT_LP_OPTIMAL: return "optimal";
    case OT_LP_INFEASIBLE: return "infeasible";
    case OT_LP_UNBOUNDED: return "unbounded";
    case OT_LP_FAILED: return "failed";
    }
    return "?";
}
