/* The GLPK adapter (adapters/lp/glpk_solver.h). */
#include <glpk.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "lp/glpk_solver.h"
#include "text.h"

typedef struct {
    glp_prob *prob;
    uint64_t structure;        /* of the loaded problem with an optimal basis */
    int *ia, *ja;
    double *ar;
    size_t cap;
    int *mark;                 /* duplicate check, [rows] */
    size_t mark_cap;
} worker;

struct ot_glpk {
    int workers;
    int mip_ms;
    worker w[OT_GLPK_MAX_THREADS];
};

ot_glpk *ot_glpk_new(int threads)
{
    ot_glpk *g = ot_calloc(1, sizeof *g);
    if (!g)
        return NULL;
    if (threads <= 0)
        threads = 2;
    if (threads > OT_GLPK_MAX_THREADS)
        threads = OT_GLPK_MAX_THREADS;
    g->workers = glp_config("TLS") ? threads : 1;
    g->mip_ms = 1000;
    glp_term_out(GLP_OFF);
    return g;
}

static void worker_release(worker *w)
{
    if (w->prob)
        glp_delete_prob(w->prob);
    ot_free(w->ia);
    ot_free(w->ja);
    ot_free(w->ar);
    ot_free(w->mark);
    memset(w, 0, sizeof *w);
}

void ot_glpk_free(ot_glpk *g)
{
    if (!g)
        return;
    worker_release(&g->w[0]);
    ot_free(g);
}

int ot_glpk_workers(const ot_glpk *g) { return g->workers; }
void ot_glpk_set_mip_time_limit(ot_glpk *g, int ms) { g->mip_ms = ms > 0 ? ms : 1; }

static int bound_type(double lo, double hi)
{
    bool fl = isfinite(lo), fh = isfinite(hi);
    if (fl && fh)
        return lo == hi ? GLP_FX : GLP_DB;
    return fl ? GLP_LO : fh ? GLP_UP : GLP_FR;
}

/* GLPK wants lb/ub of 0 for the infinite side. */
static void set_bounds(const ot_lp *lp, glp_prob *P)
{
    for (size_t i = 0; i < lp->rows; i++) {
        double lo = lp->row_lo[i], hi = lp->row_hi[i];
        glp_set_row_bnds(P, (int)i + 1, bound_type(lo, hi), isfinite(lo) ? lo : 0,
                         isfinite(hi) ? hi : 0);
    }
    for (size_t j = 0; j < lp->cols; j++) {
        double lo = lp->col_lo[j], hi = lp->col_hi[j];
        glp_set_col_bnds(P, (int)j + 1, bound_type(lo, hi), isfinite(lo) ? lo : 0,
                         isfinite(hi) ? hi : 0);
        glp_set_obj_coef(P, (int)j + 1, lp->obj[j]);
    }
    glp_set_obj_coef(P, 0, lp->obj_const);
}

/* A (row, col) pair given twice would abort glp_load_matrix. */
static ot_err check_duplicates(worker *w, const ot_lp *lp, char *why, size_t why_size)
{
    if (lp->rows + 1 > w->mark_cap) {
        int *m = ot_reallocarray(w->mark, lp->rows + 1, sizeof *m);
        if (!m)
            return OT_ERR_NOMEM;
        w->mark = m;
        w->mark_cap = lp->rows + 1;
    }
    /* Column-major via a counting sort into ia/ja scratch. */
    size_t cols = lp->cols;
    int *start = ot_calloc(cols + 2, sizeof *start), *rowsby = ot_malloc((lp->nnz + 1) * sizeof *rowsby);
    if (!start || !rowsby) {
        ot_free(start);
        ot_free(rowsby);
        return OT_ERR_NOMEM;
    }
    for (size_t k = 0; k < lp->nnz; k++)
        start[lp->a_col[k] + 1]++;
    for (size_t j = 0; j < cols; j++)
        start[j + 1] += start[j];
    int *fill = ot_calloc(cols + 1, sizeof *fill);
    if (!fill) {
        ot_free(start);
        ot_free(rowsby);
        return OT_ERR_NOMEM;
    }
    for (size_t k = 0; k < lp->nnz; k++)
        rowsby[start[lp->a_col[k]] + fill[lp->a_col[k]]++] = lp->a_row[k];
    ot_free(fill);
    for (size_t i = 0; i < lp->rows; i++)
        w->mark[i] = -1;
    ot_err err = OT_OK;
    for (size_t j = 0; j < cols && err == OT_OK; j++)
        for (int k = start[j]; k < start[j + 1]; k++) {
            if (w->mark[rowsby[k]] == (int)j) {
                ot_text_format(why, why_size, "coefficient (row %d, column %zu) given twice",
                               rowsby[k], j);
                err = OT_ERR_INTERNAL;
                break;
            }
            w->mark[rowsby[k]] = (int)j;
        }
    ot_free(start);
    ot_free(rowsby);
    return err;
}

static ot_err load(worker *w, const ot_lp *lp, char *why, size_t why_size)
{
    ot_err err = check_duplicates(w, lp, why, why_size);
    if (err != OT_OK)
        return err;
    if (lp->nnz + 1 > w->cap) {
        size_t cap = lp->nnz + 1;
        int *ia = ot_reallocarray(w->ia, cap, sizeof *ia);
        if (ia)
            w->ia = ia;
        int *ja = ot_reallocarray(w->ja, cap, sizeof *ja);
        if (ja)
            w->ja = ja;
        double *ar = ot_reallocarray(w->ar, cap, sizeof *ar);
        if (ar)
            w->ar = ar;
        if (!ia || !ja || !ar)
            return OT_ERR_NOMEM;
        w->cap = cap;
    }
    if (!w->prob)
        w->prob = glp_create_prob();
    else
        glp_erase_prob(w->prob);
    glp_prob *P = w->prob;
    glp_set_obj_dir(P, GLP_MIN);
    if (lp->rows)
        glp_add_rows(P, (int)lp->rows);
    if (lp->cols)
        glp_add_cols(P, (int)lp->cols);
    for (size_t k = 0; k < lp->nnz; k++) {
        w->ia[k + 1] = lp->a_row[k] + 1;
        w->ja[k + 1] = lp->a_col[k] + 1;
        w->ar[k + 1] = lp->a_val[k];
    }
    glp_load_matrix(P, (int)lp->nnz, w->ia, w->ja, w->ar);
    for (size_t j = 0; j < lp->cols; j++)
        glp_set_col_kind(P, (int)j + 1, lp->col_int[j] ? GLP_IV : GLP_CV);
    set_bounds(lp, P);
    return OT_OK;
}

/* Columns alone, no rows: each at the bound its cost prefers. */
static ot_err solve_no_rows(const ot_lp *lp, ot_lp_result *res)
{
    res->objective = lp->obj_const;
    res->status = OT_LP_OPTIMAL;
    res->method = "bounds";
    for (size_t j = 0; j < lp->cols; j++) {
        double c = lp->obj[j], lo = lp->col_lo[j], hi = lp->col_hi[j];
        double v = c > 0 ? lo : c < 0 ? hi : (isfinite(lo) ? lo : isfinite(hi) ? hi : 0);
        if (!isfinite(v)) {
            res->status = OT_LP_UNBOUNDED;
            return OT_OK;
        }
        if (lp->col_int[j])
            v = c > 0 ? ceil(v - 1e-9) : floor(v + 1e-9);
        res->x[j] = v;
        res->objective += c * v;
    }
    res->relaxed = res->objective;
    return OT_OK;
}

static ot_lp_status map_status(int st)
{
    switch (st) {
    case GLP_OPT: return OT_LP_OPTIMAL;
    case GLP_NOFEAS: return OT_LP_INFEASIBLE;
    case GLP_UNBND: return OT_LP_UNBOUNDED;
    default: return OT_LP_FAILED;
    }
}

static int simplex(glp_prob *P, bool presolve)
{
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.meth = GLP_DUALP;
    parm.presolve = presolve ? GLP_ON : GLP_OFF;
    return glp_simplex(P, &parm);
}

static ot_err solve(void *ctx, int wi, const ot_lp *lp, ot_lp_result *res, char *why,
                    size_t why_size)
{
    ot_glpk *g = ctx;
    if (wi < 0 || wi >= g->workers || !res || !res->x)
        return OT_ERR_INTERNAL;
    worker *w = &g->w[wi];
    ot_err err = ot_lp_check(lp, why, why_size);
    if (err != OT_OK)
        return err;
    res->warm = res->integer = false;
    if (lp->rows == 0)
        return solve_no_rows(lp, res);
    glp_term_out(GLP_OFF);
    bool warm = w->prob && lp->structure && lp->structure == w->structure &&
                glp_get_num_rows(w->prob) == (int)lp->rows &&
                glp_get_num_cols(w->prob) == (int)lp->cols;
    w->structure = 0;
    int ret;
    if (warm) {
        set_bounds(lp, w->prob);
        ret = simplex(w->prob, false);
        res->method = "dual simplex (warm)";
        res->warm = true;
        if (ret != 0 || glp_get_status(w->prob) != GLP_OPT) {
            /* a basis that no longer factorises: start over */
            glp_std_basis(w->prob);
            ret = simplex(w->prob, true);
            res->warm = false;
        }
    } else {
        if ((err = load(w, lp, why, why_size)) != OT_OK)
            return err;
        ret = -1;
        if (!lp->has_int && (lp->rows >= OT_GLPK_INTERIOR_ROWS ||
                             (!lp->reuse_expected && lp->rows >= OT_GLPK_INTERIOR_ONCE_ROWS))) {
            glp_iptcp ip;
            glp_init_iptcp(&ip);
            ip.msg_lev = GLP_MSG_OFF;
            if (glp_interior(w->prob, &ip) == 0 && glp_ipt_status(w->prob) == GLP_OPT) {
                res->method = "interior point";
                res->status = OT_LP_OPTIMAL;
                res->objective = res->relaxed = glp_ipt_obj_val(w->prob);
                for (size_t j = 0; j < lp->cols; j++)
                    res->x[j] = glp_ipt_col_prim(w->prob, (int)j + 1);
                return OT_OK;
            }
        }
        ret = simplex(w->prob, true);
        res->method = "dual simplex";
    }
    if (ret != 0 && ret != GLP_ENOPFS && ret != GLP_ENODFS) {
        res->status = OT_LP_FAILED;
        ot_text_format(why, why_size, "glp_simplex returned %d on %zu rows x %zu columns", ret,
                       lp->rows, lp->cols);
        return OT_ERR_SOLVER;
    }
    res->status = ret == GLP_ENOPFS ? OT_LP_INFEASIBLE
                  : ret == GLP_ENODFS ? OT_LP_UNBOUNDED
                                      : map_status(glp_get_status(w->prob));
    if (res->status != OT_LP_OPTIMAL) {
        ot_text_format(why, why_size, "the LP is %s", ot_lp_status_name(res->status));
        return OT_OK;
    }
    res->objective = res->relaxed = glp_get_obj_val(w->prob);
    if (lp->has_int) {
        glp_iocp io;
        glp_init_iocp(&io);
        io.msg_lev = GLP_MSG_OFF;
        io.presolve = GLP_OFF;
        io.tm_lim = g->mip_ms;
        io.mip_gap = OT_GLPK_MIP_GAP;
        int r = glp_intopt(w->prob, &io);
        int st = glp_mip_status(w->prob);
        if (st == GLP_NOFEAS) {
            res->status = OT_LP_INFEASIBLE;
            ot_text_format(why, why_size, "no whole-pack solution (glp_intopt %d)", r);
            return OT_OK;
        }
        if ((r != 0 && r != GLP_ETMLIM && r != GLP_EMIPGAP) || (st != GLP_OPT && st != GLP_FEAS)) {
            /* no incumbent in time: the relaxation's solution, for the
             * caller's rounding and repair */
            res->method = "dual simplex (branch and bound found no solution in time)";
            for (size_t j = 0; j < lp->cols; j++)
                res->x[j] = glp_get_col_prim(w->prob, (int)j + 1);
            return OT_OK;
        }
        res->integer = true;
        res->method = "branch and bound";
        res->objective = glp_mip_obj_val(w->prob);
        for (size_t j = 0; j < lp->cols; j++)
            res->x[j] = glp_mip_col_val(w->prob, (int)j + 1);
        return OT_OK; /* the LP basis is still there, but keep it cold */
    }
    for (size_t j = 0; j < lp->cols; j++)
        res->x[j] = glp_get_col_prim(w->prob, (int)j + 1);
    w->structure = lp->structure;
    return OT_OK;
}

typedef struct {
    ot_glpk *g;
    size_t n;
    void (*fn)(void *, size_t, int);
    void *arg;
    int index;
} chunk;

static void run_chunk(chunk *c)
{
    size_t W = (size_t)c->g->workers, lo = c->n * (size_t)c->index / W,
           hi = c->n * ((size_t)c->index + 1) / W;
    for (size_t i = lo; i < hi; i++)
        c->fn(c->arg, i, c->index);
}

static void *thread_main(void *p)
{
    chunk *c = p;
    glp_term_out(GLP_OFF);
    run_chunk(c);
    worker_release(&c->g->w[c->index]);
    glp_free_env();
    return NULL;
}

static void parallel_for(void *ctx, size_t n, void (*fn)(void *arg, size_t i, int worker),
                         void *arg)
{
    ot_glpk *g = ctx;
    chunk c[OT_GLPK_MAX_THREADS];
    pthread_t tid[OT_GLPK_MAX_THREADS];
    bool started[OT_GLPK_MAX_THREADS] = {false};
    int W = g->workers;
    for (int i = 0; i < W; i++)
        c[i] = (chunk){g, n, fn, arg, i};
    for (int i = 1; i < W && n > 1; i++)
        started[i] = pthread_create(&tid[i], NULL, thread_main, &c[i]) == 0;
    run_chunk(&c[0]);
    /* A chunk whose thread could not start runs here instead. */
    for (int i = 1; i < W; i++) {
        if (started[i])
            pthread_join(tid[i], NULL);
        else {
            run_chunk(&c[i]);
            worker_release(&g->w[i]);
        }
    }
}

void ot_glpk_solver(ot_glpk *g, ot_lp_solver *out)
{
    out->ctx = g;
    out->workers = g->workers;
    out->solve = solve;
    out->parallel_for = parallel_for;
}
