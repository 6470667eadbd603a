/* Plans from the stream: control messages and orders as Kafka records. */
#include <glpk.h>
#include <string.h>

#include "kafka/kafka_plan.h"
#include "lp/glpk_solver.h"
#include "omnitwin/plan.h"
#include "text.h"

static bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

ot_err ot_stream_parse_control(const char *value, size_t len, bool *has_as_of, ot_day *as_of,
                               char *why, size_t why_size)
{
    const char *s = value ? value : "";
    while (len && blank(s[0]))
        s++, len--;
    while (len && blank(s[len - 1]))
        len--;
    *has_as_of = false;
    if (len == 4 && memcmp(s, "plan", 4) == 0)
        return OT_OK;
    if (len > 4 && memcmp(s, "plan", 4) == 0 && blank(s[4])) {
        const char *a = s + 4;
        size_t n = len - 4;
        while (n && blank(a[0]))
            a++, n--;
        if (n > 6 && memcmp(a, "as_of=", 6) == 0 && ot_date_parse(a + 6, n - 6, as_of)) {
            *has_as_of = true;
            return OT_OK;
        }
    }
    char quoted[80];
    ot_text_quote(quoted, sizeof quoted, s, len);
    ot_text_format(why, why_size, "control message '%s' is not a command (expected 'plan' or "
                   "'plan as_of=YYYY-MM-DD')", quoted);
    return OT_ERR_INPUT;
}

void ot_stream_orders_release(ot_stream_orders *o)
{
    if (!o)
        return;
    for (size_t i = 0; o->record && i < o->count; i++)
        ot_free(o->record[i]);
    ot_free(o->record);
    ot_free(o->order_id);
    ot_free(o->sku);
    memset(o, 0, sizeof *o);
}

/* One CSV field, quoted when it holds a comma, quote or line break. */
static size_t put_field(char *buf, size_t size, const char *s)
{
    if (!strpbrk(s, ",\"\r\n"))
        return ot_text_format(buf, size, "%s", s);
    size_t at = ot_text_format(buf, size, "\"");
    for (; *s && at + 3 < size; s++) {
        if (*s == '"')
            buf[at++] = '"';
        buf[at++] = *s;
    }
    buf[at] = '\0';
    return at + ot_text_format(buf + at, size - at, "\"");
}

static ot_err fill(const ot_plan *plan, ot_stream_orders *out)
{
    const ot_twin *twin = ot_plan_twin(plan);
    size_t n;
    const ot_order *ord = ot_plan_orders(plan, &n);
    ot_text_format(out->plan_id, sizeof out->plan_id, "%s", ot_plan_id(plan));
    out->order_id = ot_calloc(n ? n : 1, sizeof *out->order_id);
    out->record = ot_calloc(n ? n : 1, sizeof *out->record);
    out->sku = ot_calloc(n ? n : 1, sizeof *out->sku);
    if (!out->order_id || !out->record || !out->sku)
        return OT_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        char line[1024], ship[11], arrive[11];
        ot_node_info from, to;
        ot_sku_info si;
        ot_order_id_format(ord[i].id, out->order_id[i]);
        ot_date_format(ord[i].ship_day, ship);
        ot_date_format(ord[i].arrive_day, arrive);
        ot_twin_node(twin, ord[i].from, &from);
        ot_twin_node(twin, ord[i].to, &to);
        ot_twin_sku(twin, ord[i].sku, &si);
        size_t at = ot_text_format(line, sizeof line, "%s,%s,%s,", out->order_id[i],
                                   out->plan_id, ot_order_kind_name(ord[i].kind));
        at += put_field(line + at, sizeof line - at, si.id);
        at += ot_text_format(line + at, sizeof line - at, ",");
        at += put_field(line + at, sizeof line - at, from.id);
        at += ot_text_format(line + at, sizeof line - at, ",");
        at += put_field(line + at, sizeof line - at, to.id);
        at += ot_text_format(line + at, sizeof line - at, ",%lld,%s,%s", (long long)ord[i].qty,
                             ship, arrive);
        out->record[i] = ot_strndup(line, at);
        if (!out->record[i])
            return OT_ERR_NOMEM;
        out->sku[i] = ord[i].sku;
        out->count = i + 1;
    }
    return OT_OK;
}

ot_err ot_stream_plan(const ot_twin *twin, bool has_as_of, ot_day as_of, int32_t horizon_days,
                      int threads, ot_stream_orders *out, char *why, size_t why_size)
{
    memset(out, 0, sizeof *out);
    if (!has_as_of)
        as_of = ot_twin_history_first(twin) + (ot_day)ot_twin_history_days(twin);
    ot_diag *diag = ot_diag_new(4);
    ot_glpk *glpk = ot_glpk_new(threads);
    ot_plan_forecast *fc = NULL;
    ot_plan *plan = NULL;
    ot_err err = diag && glpk ? OT_OK : OT_ERR_NOMEM;
    ot_lp_solver solver;
    if (!err) {
        ot_glpk_solver(glpk, &solver);
        err = ot_plan_forecast_run(twin, as_of, horizon_days, &solver, &fc);
    }
    if (!err) {
        /* omnitwin plan's defaults (adapters/cli/cmd_plan.c), so that a plan
         * from the stream equals the batch plan of the same events. */
        ot_plan_input in = {.twin = twin, .as_of = as_of, .horizon_days = horizon_days,
                            .demand = fc->mean, .safety_stock = fc->safety_stock,
                            .joint_max_cols = 4000, .mip_max_cols = 600};
        err = ot_plan_run(&in, &solver, diag, &plan);
    }
    if (!err)
        err = fill(plan, out);
    if (err) {
        const char *first = NULL;
        for (size_t i = 0; diag && i < ot_diag_count(diag) && !first; i++)
            if (ot_diag_get(diag, i)->level == OT_DIAG_ERROR)
                first = ot_diag_get(diag, i)->message;
        ot_text_format(why, why_size, "the plan failed: %s%s%s", ot_err_str(err),
                       first ? ": " : "", first ? first : "");
        ot_stream_orders_release(out);
    }
    ot_plan_free(plan);
    ot_plan_forecast_free(fc);
    ot_glpk_free(glpk);
    ot_diag_free(diag);
    return err;
}

void ot_stream_plan_thread_exit(void)
{
    /* GLPK keeps one environment per thread (Debian's is built with TLS);
     * the GLPK adapter frees those of its own workers, this is for the
     * thread that called ot_stream_plan. */
    glp_free_env();
}
